"""What a registration costs in DynamoDB round trips (issue 22 item 1), counted on the store's own botocore clients
against DynamoDB Local (tests/round_trips.py): at most three once the container is warm, with an Idempotency-Key
(written in the registration's own transaction) and on the waiting list (its position exact without a count). And
what makes the position exact: a join to a waiting list is written only while the list is as it read it, and one
that lost the race decides again from what the failed write found."""

from __future__ import annotations

import json
import uuid

import pytest

from chalicelib.domain.calendar import now
from chalicelib.domain.passwords import hash_password
from chalicelib.domain.records import SERIES, RegistrationState
from chalicelib.services import accounts, cached_reads, placing, pool_turns
from chalicelib.services import registration as service
from chalicelib.services.pool_turns import waiting_lists
from chalicelib.settings import get_settings
from chalicelib.storage.binding import bind_tables
from chalicelib.storage.registrations import RegistrationTable, queue_name, waiting_queue_key
from tests.integration.test_registration import ADMIN, in_threads, open_event, register
from tests.round_trips import round_trips

PASSWORD = "Rush@2026-rt"


@pytest.fixture(scope="module")
def signed_in(union):
    """Four members signed in (their tokens): two for places, two for the waiting list."""
    store, members = union
    tokens = {}
    for member in members[:4]:
        store.accounts.set_password(member.staff_no, hash_password(PASSWORD))
        tokens[member.staff_no] = accounts.sign_in(store, get_settings(), member.staff_no, PASSWORD, "10.0.0.8").token
    return store, members[:4], tokens


def post_registration(client, event, token, key=None, body=None):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    payload = json.dumps(body if body is not None else {"scope": SERIES}).encode()
    return client.http.post(f"/api/events/{event.event_id}/registrations", headers=headers, body=payload)


def test_a_warm_registration_costs_the_event_and_the_transaction(client, signed_in, monkeypatch):
    monkeypatch.setattr(pool_turns, "FIELDS_FRESH_SECONDS", 0)  # every registration reads the event
    store, members, tokens = signed_in
    event = open_event(store, capacity=2)
    first, second, third, fourth = (tokens[m.staff_no] for m in members)
    bind_tables(get_settings())  # a container that has read nothing yet
    with round_trips() as cold:
        answer = post_registration(client, event, first, key=uuid.uuid4().hex)
    assert answer.status_code == 201, answer.body
    print(f"round trips per registration: cold {len(cold)} {cold.tables}")
    # Cold: the caller (member, account), the event, the transaction.
    assert cold.operations == ["GetItem", "GetItem", "GetItem", "TransactWriteItems"]

    post_registration(client, event, second)  # warms the second caller's identification (and takes the last place)
    answers = []
    for token in (third, fourth):
        post_registration(client, event, token, body={"scope": "no-such-session"})  # identified; refused (404)
        with round_trips() as warm:
            answers.append(post_registration(client, event, token, key=uuid.uuid4().hex))
        print(f"warm, waiting: {len(warm)} {warm.operations} {warm.tables}")
        assert warm.operations == ["GetItem", "TransactWriteItems"]  # the event; the join, its key and its record
        assert warm.tables[0] == "events"
        assert sorted(warm.tables[1].split(",")) == ["events", "idempotency", "registrations"]
    assert [a.status_code for a in answers] == [201, 201]
    assert [a.json_body["state"] for a in answers] == ["waiting", "waiting"]
    assert [a.json_body["waiting_position"] for a in answers] == [1, 2]
    # The positions answered are the positions counted from the queue afterwards.
    for member, answered in zip(members[2:], answers, strict=True):
        registration = store.registrations.get(event.event_id, SERIES, member.staff_no)
        assert store.registrations.waiting_position(registration) == answered.json_body["waiting_position"]


def test_in_a_rush_a_process_reads_the_event_once_a_second_and_a_change_made_here_at_once(union, monkeypatch):
    """Within FIELDS_FRESH_SECONDS of reading an event, this process's next registrations for it are the transaction
    alone (their first guess of the places is the pool as this process last saw it; the write's conditions
    decide). Any other write of the event here (an organiser's edit) makes the next one read it again."""
    monkeypatch.setattr(pool_turns, "FIELDS_FRESH_SECONDS", 600)  # however slow the machine
    store, members = union
    event = open_event(store, capacity=2)
    for member in members[100:103]:
        cached_reads.fresh_member(store, member.staff_no)
    with round_trips() as first:
        register(store, members[100], event)
    with round_trips() as rushing:
        outcomes = [register(store, member, event) for member in members[101:103]]
    assert first.operations == ["GetItem", "TransactWriteItems"]
    assert rushing.operations == ["TransactWriteItems", "TransactWriteItems"]
    assert [(o.registration.state, o.position) for o in outcomes] == [
        (RegistrationState.CONFIRMED, None),
        (RegistrationState.WAITING, 1),
    ]
    # An organiser's edit made in this process: the next registration reads the event again.
    from chalicelib.services import events as event_service

    event_service.update_event(store, ADMIN, event.event_id, {"capacity": 3}, False, now())
    cached_reads.fresh_member(store, members[103].staff_no)
    with round_trips() as after_edit:
        register(store, members[103], event)
    assert after_edit.operations[0] == "GetItem" and after_edit.tables[0] == "events"


def test_a_retried_tap_gets_the_first_answer_from_the_key_written_with_the_registration(client, signed_in):
    store, members, tokens = signed_in
    event = open_event(store, capacity=5)
    token, key = tokens[members[0].staff_no], uuid.uuid4().hex
    first = post_registration(client, event, token, key=key)
    again = post_registration(client, event, token, key=key)
    assert first.status_code == again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json_body == first.json_body
    # The same key for another request is refused; a new key for the same member is "already registered".
    other = open_event(store, capacity=5)
    assert post_registration(client, other, token, key=key).status_code == 422
    assert store.registrations.get(other.event_id, SERIES, members[0].staff_no) is None
    refused = post_registration(client, event, token, key=uuid.uuid4().hex)
    assert refused.status_code == 409 and refused.json_body["error"]["code"] == "already_registered"
    assert store.events.get(event.event_id).confirmed_count == 1


def test_a_tap_sent_twice_at_once_registers_once_and_both_get_its_answer(client, signed_in):
    store, members, tokens = signed_in
    event = open_event(store, capacity=5)
    token, key = tokens[members[1].staff_no], uuid.uuid4().hex
    answers = in_threads([lambda: post_registration(client, event, token, key=key) for _ in range(4)])
    assert [a.status_code for a in answers] == [201] * 4, [a.body for a in answers]
    assert len({json.dumps(a.json_body, sort_keys=True) for a in answers}) == 1
    assert sum(a.headers.get("Idempotent-Replayed") == "true" for a in answers) == 3
    assert store.events.get(event.event_id, consistent=True).confirmed_count == 1


def test_waiting_positions_answered_at_once_are_exact(union):
    store, members = union
    event = open_event(store, capacity=3)
    crowd = members[20:60]
    outcomes = in_threads([lambda m=m: register(store, m, event) for m in crowd])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    waiting = sorted(
        (o for o in outcomes if o.registration.state is RegistrationState.WAITING), key=lambda o: o.position
    )
    assert [o.position for o in waiting] == list(range(1, len(crowd) - 3 + 1))
    # Each answered position is the member's place in the queue as it stands: the queue keys in that order.
    queue = [
        item.entry.partition("#")[2] for item in RegistrationTable.by_queue.query(queue_name(event.event_id, SERIES))
    ]
    assert queue == [o.registration.staff_no for o in waiting]
    fresh = store.events.get(event.event_id, consistent=True)
    assert (fresh.waiting_count, fresh.waiting_seq) == (len(waiting), len(waiting))


def test_a_join_that_lost_the_race_decides_again_from_what_the_failed_write_found(union):
    """Another container joined between this one's read and its write: one more transaction, no read."""
    store, members = union
    event = open_event(store, capacity=1)
    register(store, members[70], event)  # the place
    stale = store.events.get(event.event_id, consistent=True)
    register(store, members[71], event)  # another container's join: position 1
    waiting_lists.saw((event.event_id, SERIES), stale, 0.0)  # nothing newer known here
    base = service.member_registration(event.event_id, SERIES, members[72], RegistrationState.PENDING, now())
    with round_trips() as calls:
        outcome = placing.place(store, stale, None, base, now())
    assert calls.operations == ["TransactWriteItems", "TransactWriteItems"]
    assert (outcome.registration.state, outcome.position) == (RegistrationState.WAITING, 2)
    assert outcome.registration.queue_key == waiting_queue_key(2)


def test_joins_after_an_earlier_versions_waiting_list_queue_behind_it(union):
    """A waiting list from before ``waiting_seq`` (time-ordered ``q-`` keys, no joins counted) keeps its order."""
    store, members = union
    event = open_event(store, capacity=1)
    register(store, members[80], event)
    early = register(store, members[81], event).registration
    # As the earlier version wrote it: a time-ordered key, and no waiting_seq on the event.
    RegistrationTable(event.event_id, f"{SERIES}#{early.staff_no}").update(
        actions=[RegistrationTable.queue_key.set("q-" + "0" * 20)]
    )
    from chalicelib.storage.tables import EventTable

    EventTable(event.event_id).update(actions=[EventTable.waiting_seq.remove()])
    later = register(store, members[82], event)
    assert later.position == 2
    assert store.registrations.waiting_position(later.registration) == 2
    assert store.events.get(event.event_id, consistent=True).waiting_seq == 1


def test_the_member_comes_with_the_identification_and_a_change_made_here_is_seen_at_once(union):
    """The member a registration uses is the one the caller's identification read (kept at most a minute,
    cached_reads.TTL_SECONDS; another container's change arrives within it): no read of its own. A change made in
    this container is forgotten at once."""
    store, members = union
    member = members[90]
    events = [open_event(store, capacity=5) for _ in range(2)]
    cached_reads.fresh_member(store, member.staff_no)  # as identify() reads it
    with round_trips() as warm:
        register(store, member, events[0])
    assert "members" not in warm.tables
    moved = member._replace(unit_id="math" if member.unit_id != "math" else "med")
    store.members.put_many([moved])
    try:
        with round_trips() as after:
            registered = register(store, moved, events[1])
        assert "members" in after.tables
        assert registered.registration.unit_id == moved.unit_id
    finally:
        store.members.put_many([member])


def test_joins_waiting_for_the_same_turn_are_written_together_each_with_its_exact_position(union):
    """Joins that wait in line in this process for their pool's turn are written in one transaction by whoever
    has the turn; a member in the line who is already registered is refused alone."""
    store, members = union
    event = open_event(store, capacity=1)
    register(store, members[59], event)
    crowd = [*members[60:90], members[60]]  # the first of them taps twice (members are shared by the events)
    for member in crowd:
        cached_reads.fresh_member(store, member.staff_no)
    with round_trips() as calls:
        outcomes = in_threads([lambda m=m: register(store, m, event) for m in crowd])
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 1 and refused[0].code == "already_registered"
    joined = sorted((o for o in outcomes if not isinstance(o, Exception)), key=lambda o: o.position)
    assert [o.position for o in joined] == list(range(1, 31))
    queue = [
        item.entry.partition("#")[2] for item in RegistrationTable.by_queue.query(queue_name(event.event_id, SERIES))
    ]
    assert queue == [o.registration.staff_no for o in joined]
    writes = calls.operations.count("TransactWriteItems")
    print(f"30 joins at once: {writes} transactions")
    assert writes < len(crowd)
    fresh = store.events.get(event.event_id, consistent=True)
    assert (fresh.waiting_count, fresh.waiting_seq) == (30, 30)
