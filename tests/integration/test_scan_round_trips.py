"""What a scan costs in DynamoDB round trips (issue 17 item 9), counted on the store's own botocore clients against
DynamoDB Local (tests/round_trips.py): at most 3 once the container is warm (the ticket query and the check-in's
transaction), and what it costs cold. And the caches that make it so: this container forgets at once what it
changes itself (a removed staff member, a sign-out), another container within a minute."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest

from chalicelib.caching import TtlCache
from chalicelib.domain.calendar import now
from chalicelib.domain.checkin import ticket_url
from chalicelib.domain.passwords import hash_password
from chalicelib.domain.records import SERIES, CheckinSettings, Checkpoint, EventFormat, MemberStatus
from chalicelib.services import accounts, cached_reads, identity
from chalicelib.services import checkin as service
from chalicelib.settings import get_settings
from chalicelib.storage.binding import bind_tables
from tests.integration.test_registration import ADMIN, open_event, register, weekly_class
from tests.round_trips import round_trips

PASSWORD = "Scan@2026-rt"


@pytest.fixture(scope="module")
def door(union):
    """An event starting in ten minutes (its door open) with six registered members and one check-in staff member
    signed in (their token)."""
    store, members = union
    event = open_event(store, capacity=20, days=10 / (24 * 60))
    for member in members[:6]:
        register(store, member, event)
    staff = members[10]
    service.name_staff(store, ADMIN, event.event_id, staff.staff_no, [], now())
    store.accounts.set_password(staff.staff_no, hash_password(PASSWORD))
    token = accounts.sign_in(store, get_settings(), staff.staff_no, PASSWORD, "10.0.0.7").token
    return store, members, event, staff, token


def code_of(store, event, member) -> str:
    registration = store.registrations.get(event.event_id, SERIES, member.staff_no)
    return ticket_url("https://u.example.edu.cn", registration.ticket)


def post_scan(client, event, token, code, point="entry"):
    body = {"point": point, "scan_id": uuid.uuid4().hex, "code": code}
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    return client.http.post(f"/api/events/{event.event_id}/checkin", headers=headers, body=json.dumps(body).encode())


def test_a_warm_scan_costs_the_ticket_query_and_the_transaction(client, door):
    store, members, event, _, token = door
    # The second member is of the first one's unit (units are n % 3): a warm container knows its name.
    codes = [code_of(store, event, member) for member in (members[0], members[3])]
    bind_tables(get_settings())  # a container that has read nothing yet
    with round_trips() as cold:
        first = post_scan(client, event, token, codes[0])
    with round_trips() as warm:
        second = post_scan(client, event, token, codes[1])
    assert first.status_code == second.status_code == 200, (first.body, second.body)
    assert first.json_body["verdict"] == second.json_body["verdict"] == "admitted"
    assert second.json_body["unit_name"] == f"{members[3].unit_id}分工会"
    print(f"round trips per scan: cold {len(cold)} {cold.tables}, warm {len(warm)} {warm.tables}")
    # Cold: the caller (member, account), the event, the staff role, the ticket, the transaction, the unit's name.
    assert len(cold) == 7
    assert warm.operations == ["Query", "TransactWriteItems"]


def test_a_staff_member_removed_here_is_refused_at_once_and_named_again_admitted_at_once(client, door):
    store, members, event, staff, token = door
    assert post_scan(client, event, token, code_of(store, event, members[4])).json_body["verdict"] == "admitted"
    service.remove_staff(store, ADMIN, event.event_id, staff.staff_no)  # the role was cached by the scan above
    code = code_of(store, event, members[5])
    assert post_scan(client, event, token, code).status_code == 403
    service.name_staff(store, ADMIN, event.event_id, staff.staff_no, [], now())
    assert post_scan(client, event, token, code).json_body["verdict"] == "admitted"


def test_a_sign_out_or_a_member_leaving_here_takes_effect_at_once(client, door):
    store, members, event, staff, token = door
    second = accounts.sign_in(store, get_settings(), staff.staff_no, PASSWORD, "10.0.0.8").token
    code = code_of(store, event, members[2])
    assert post_scan(client, event, second, code).status_code == 200  # its identification is cached now
    accounts.sign_out(store, get_settings(), second)
    assert post_scan(client, event, second, code).status_code == 401
    assert post_scan(client, event, token, code).json_body["verdict"] == "already"  # the other session still works
    leaver = members[11]
    service.name_staff(store, ADMIN, event.event_id, leaver.staff_no, [], now())
    store.accounts.set_password(leaver.staff_no, hash_password(PASSWORD))
    leaver_token = accounts.sign_in(store, get_settings(), leaver.staff_no, PASSWORD, "10.0.0.9").token
    assert post_scan(client, event, leaver_token, code).status_code == 200
    store.members.put_many([leaver._replace(status=MemberStatus.LEFT)])
    assert post_scan(client, event, leaver_token, code).status_code == 401


def test_another_container_sees_a_removed_staff_member_within_a_minute(door):
    """A container that read the role before the removal (a cache of its own, following nothing written here) keeps
    it for at most a minute; this container forgets it at once."""
    store, _, event, staff, _ = door
    clock = [1000.0]
    other = TtlCache(cached_reads.TTL_SECONDS, 16, clock=lambda: clock[0])
    assert cached_reads.event_role(store, event.event_id, staff.staff_no, other) is not None
    service.remove_staff(store, ADMIN, event.event_id, staff.staff_no)
    try:
        assert cached_reads.event_role(store, event.event_id, staff.staff_no) is None
        clock[0] += 59.9
        assert cached_reads.event_role(store, event.event_id, staff.staff_no, other) is not None
        clock[0] += 0.2
        assert cached_reads.event_role(store, event.event_id, staff.staff_no, other) is None
    finally:
        service.name_staff(store, ADMIN, event.event_id, staff.staff_no, [], now())


def test_another_container_honours_a_signed_out_session_for_at_most_a_minute(door):
    store, _, _, staff, _ = door
    settings = get_settings()
    token = accounts.sign_in(store, settings, staff.staff_no, PASSWORD, "10.0.0.10").token
    clock = [50.0]
    other = TtlCache(identity.IDENTITY_TTL_SECONDS, 16, clock=lambda: clock[0])
    assert identity.identify(store, settings, None, token, other).principal.staff_no == staff.staff_no
    accounts.sign_out(store, settings, token)
    assert identity.identify(store, settings, None, token).rejected == "revoked"  # here: at once
    clock[0] += 59.9
    assert identity.identify(store, settings, None, token, other).principal.staff_no == staff.staff_no
    clock[0] += 0.2
    assert identity.identify(store, settings, None, token, other).rejected == "revoked"


def class_event(store):
    """A weekly class whose first session began ten minutes ago."""
    start = now() - timedelta(minutes=10)
    return weekly_class(
        store, start, 3, ends_at=start + timedelta(days=15), registration_closes_at=start + timedelta(days=14)
    )


def test_a_class_reads_its_sessions_once_a_minute_too(client, door):
    store, members, _, staff, token = door
    event = class_event(store)
    for member in (members[6], members[9]):  # one unit (n % 3)
        register(store, member, event)
    service.name_staff(store, ADMIN, event.event_id, staff.staff_no, [], now())
    codes = [code_of(store, event, member) for member in (members[6], members[9])]
    bind_tables(get_settings())
    with round_trips() as cold:
        first = post_scan(client, event, token, codes[0], point="s01")
    with round_trips() as warm:
        second = post_scan(client, event, token, codes[1], point="s01")
    assert first.json_body["verdict"] == second.json_body["verdict"] == "admitted"
    assert "sessions" in cold.tables and len(cold) == 8
    assert warm.operations == ["Query", "TransactWriteItems"]


def test_a_checkpoint_added_here_reaches_the_station_at_once(client, door):
    store, members, _, staff, token = door
    walk = CheckinSettings(checkpoints=(Checkpoint("start", "起点"),))
    event = open_event(store, capacity=10, format=EventFormat.MASS, checkin=walk, days=0.01)
    register(store, members[7], event)
    service.name_staff(store, ADMIN, event.event_id, staff.staff_no, [], now())
    code = code_of(store, event, members[7])
    assert post_scan(client, event, token, code, point="start").json_body["verdict"] == "admitted"  # event cached
    assert post_scan(client, event, token, code, point="finish").status_code == 400  # no such point yet
    both = CheckinSettings(checkpoints=(Checkpoint("start", "起点"), Checkpoint("finish", "终点")))
    service.set_settings(store, ADMIN, event.event_id, both, now())
    assert post_scan(client, event, token, code, point="finish").json_body["verdict"] == "admitted"
