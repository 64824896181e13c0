"""Classes (issue 17 item 7) on DynamoDB Local: the whole term and single sessions are not held together, whichever
comes first and however two requests race; single-session places close when that session starts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.domain.calendar import now
from chalicelib.domain.records import SERIES, EventFormat, RegistrationState
from chalicelib.errors import Conflict
from chalicelib.services import event_views
from chalicelib.services import registration as service
from tests.integration.test_registration import ADMIN, in_threads, open_event, principal, register


def _class(store, *, first_in=timedelta(days=2), closes_in=timedelta(days=1), capacity=30, session_capacity=2):
    """Four weekly sessions, the first ``first_in`` from now; term registration closes ``closes_in`` from now."""
    start = now() + first_in
    sessions = [
        {"starts_at": start + timedelta(days=7 * n), "ends_at": start + timedelta(days=7 * n, hours=2),
         "capacity": session_capacity}
        for n in range(4)
    ]  # fmt: skip
    return open_event(
        store,
        capacity=capacity,
        format=EventFormat.CLASS,
        single_sessions=True,
        sessions=sessions,
        starts_at=start,
        ends_at=start + timedelta(days=22),
        registration_closes_at=now() + closes_in,
    )


def _refusal(call):
    with pytest.raises(Conflict) as refused:
        call()
    return refused.value.code


def test_a_member_holding_the_term_cannot_take_single_sessions_by_any_path(union):
    store, members = union
    event = _class(store)
    register(store, members[0], event)
    assert _refusal(lambda: register(store, members[0], event, scope="s02")) == "holds_term"
    # The organiser entering them (the desk, the API, an import) meets the same rule.
    add = lambda: service.add_for_member(store, ADMIN, event.event_id, "s02", members[0].staff_no, {}, now())  # noqa: E731
    assert _refusal(add) == "holds_term"
    assert store.sessions.get(event.event_id, "s02").confirmed_count == 0
    # A waiting place for the term counts too: it may become a place.
    full = _class(store, capacity=1)
    register(store, members[1], full)
    assert register(store, members[2], full).registration.state is RegistrationState.WAITING
    assert _refusal(lambda: register(store, members[2], full, scope="s01")) == "holds_term"
    # Once the term registration is cancelled, single sessions are open to them.
    service.cancel(store, principal(members[0]), event.event_id, SERIES, now())
    assert register(store, members[0], event, scope="s02").registration.state is RegistrationState.CONFIRMED


def test_a_member_holding_sessions_ahead_cannot_take_the_term_until_they_cancel_them(union):
    store, members = union
    event = _class(store)
    register(store, members[0], event, scope="s03")
    assert _refusal(lambda: register(store, members[0], event)) == "holds_sessions"
    service.cancel(store, principal(members[0]), event.event_id, "s03", now())
    assert register(store, members[0], event).registration.state is RegistrationState.CONFIRMED


def test_a_session_already_started_does_not_stop_the_term(union):
    store, members = union
    event = _class(store, first_in=timedelta(minutes=-30), closes_in=timedelta(days=3))
    earlier = now() - timedelta(days=1)  # registered for the first session the day before it
    service.register(store, principal(members[0]), event.event_id, "s01", {}, earlier)
    assert register(store, members[0], event).registration.scope == SERIES


def test_single_session_places_close_when_the_session_starts_not_with_the_term(union):
    store, members = union
    event = _class(store, first_in=timedelta(minutes=-30), closes_in=timedelta(minutes=-60))
    assert _refusal(lambda: register(store, members[0], event)) == "registration_closed"  # the term has closed
    assert _refusal(lambda: register(store, members[0], event, scope="s01")) == "session_started"
    assert register(store, members[0], event, scope="s02").registration.state is RegistrationState.CONFIRMED
    # The register page offers only what can be taken: no term, no started session, not what the member holds.
    form = event_views.registration_form(store, principal(members[0]), event.event_id, now(), check_member=True)
    assert form.free_scopes == ["s03", "s04"]
    other = event_views.registration_form(store, principal(members[1]), event.event_id, now(), check_member=True)
    assert other.free_scopes == ["s02", "s03", "s04"]


def test_the_register_page_offers_neither_sessions_to_a_term_holder_nor_the_term_to_a_session_holder(union):
    store, members = union
    event = _class(store)
    register(store, members[0], event)
    register(store, members[1], event, scope="s02")

    def offered(member):
        return event_views.registration_form(
            store, principal(member), event.event_id, now(), check_member=True
        ).free_scopes

    assert offered(members[0]) == []
    assert offered(members[1]) == ["s01", "s03", "s04"]
    assert offered(members[2]) == [SERIES, "s01", "s02", "s03", "s04"]


def test_term_and_session_requests_racing_never_both_succeed(union):
    store, members = union
    event = _class(store, session_capacity=40)
    rounds = members[:12]
    for member in rounds:
        calls = [
            lambda m=member: register(store, m, event),
            lambda m=member: register(store, m, event, scope="s02"),
            lambda m=member: register(store, m, event, scope="s03"),
        ]
        results = in_threads(calls)
        won = [r for r in results if not isinstance(r, Exception)]
        assert won
        lost = [r for r in results if isinstance(r, Exception)]
        assert all(isinstance(r, Conflict) and r.code in ("holds_term", "holds_sessions") for r in lost), lost
        scopes = {outcome.registration.scope for outcome in won}
        assert scopes == {SERIES} or (scopes and SERIES not in scopes), scopes
        held = store.registrations.of_member_for_event(event.event_id, member.staff_no, [SERIES, "s02", "s03"])
        active = {r.scope for r in held if r.state.active}
        assert not (SERIES in active and active - {SERIES}), active
