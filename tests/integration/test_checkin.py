"""Check-in against DynamoDB Local: tickets, staff scans, races, manual look-up, offline uploads and conflicts,
venue self check-in, sessions and checkpoints, attendance. Includes the attacks the issue lists."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.checkin import Verdict, ticket_digest, ticket_url, venue_code
from chalicelib.domain.records import (
    SERIES,
    CheckinMethod,
    CheckinSettings,
    Checkpoint,
    ConflictKind,
    EventFormat,
    RegistrationState,
)
from chalicelib.errors import Conflict, Forbidden, InvalidInput
from chalicelib.services import checkin as service
from chalicelib.services import registration as registration_service
from chalicelib.services.checkin import Scan
from tests.integration.test_registration import ADMIN, in_threads, open_event, principal, register

KEY = service.venue_key("k" * 40)


def scan_id() -> str:
    return uuid.uuid4().hex


def ticket_of(store, event, member, scope=SERIES):
    return store.registrations.get(event.event_id, scope, member.staff_no).ticket


def code_of(store, event, member, scope=SERIES):
    return ticket_url("https://union.example.edu.cn", ticket_of(store, event, member, scope))


def scan(store, event, code, point="entry", by=ADMIN, station="gate-1", confirm=False):
    """A station's scan now; ``confirm``: the organiser confirmed a point outside its check-in window."""
    return service.check_in(
        store, by, event.event_id, Scan(scan_id(), point, code=code, confirmed=confirm), station, now()
    )


@pytest.fixture
def lecture(union):
    store, members = union
    event = open_event(store, capacity=3, days=0.01)  # starts in a quarter of an hour: check-in is open
    for member in members[:4]:
        register(store, member, event)  # the fourth waits
    return store, members, event


def test_every_registration_has_a_ticket_of_128_random_bits(lecture):
    store, members, event = lecture
    tickets = {ticket_of(store, event, m) for m in members[:4]}
    assert len(tickets) == 4 and all(len(t) == 26 for t in tickets)
    # Nothing personal in the code: neither 工号 nor name.
    code = code_of(store, event, members[0])
    assert members[0].staff_no not in code and members[0].name not in code


def test_scan_admits_once_then_reports_already_with_when_and_by_whom(lecture):
    store, members, event = lecture
    first = scan(store, event, code_of(store, event, members[0]))
    assert first.verdict is Verdict.ADMITTED and first.holder.name == members[0].name
    again = scan(store, event, code_of(store, event, members[0]), station="gate-2")
    assert again.verdict is Verdict.ALREADY
    assert again.check_in.by == ADMIN.staff_no and again.check_in.station == "gate-1"
    assert store.check_ins.count(event.event_id, "entry") == 1


def test_two_stations_scanning_the_same_code_at_once_admit_it_once(lecture):
    store, members, event = lecture
    code = code_of(store, event, members[1])
    results = in_threads([lambda n=n: scan(store, event, code, station=f"s{n}") for n in range(10)])
    verdicts = [r.verdict for r in results]
    assert verdicts.count(Verdict.ADMITTED) == 1 and verdicts.count(Verdict.ALREADY) == 9


def test_bad_codes_get_a_verdict_not_an_error(lecture, union):
    store, members, event = lecture
    code = code_of(store, event, members[0])
    changed = code[:-1] + ("a" if code[-1] != "a" else "b")
    assert scan(store, event, changed).verdict is Verdict.UNKNOWN
    assert scan(store, event, "hello").verdict is Verdict.UNKNOWN
    assert scan(store, event, "").verdict is Verdict.UNKNOWN
    assert scan(store, event, "x" * 10_000).verdict is Verdict.UNKNOWN
    other = open_event(store, capacity=5)
    register(store, members[9], other)
    wrong = scan(store, event, code_of(store, other, members[9]))
    assert wrong.verdict is Verdict.WRONG_EVENT and wrong.holder is None  # nothing about the other member
    # The code from a handheld scanner with caps lock on still reads.
    assert scan(store, event, code_of(store, event, members[2]).upper()).verdict is Verdict.ADMITTED


def test_waiting_and_cancelled_codes_are_refused(lecture):
    store, members, event = lecture
    waiting = scan(store, event, code_of(store, event, members[3]))
    assert (waiting.verdict, waiting.holder.state) == (Verdict.NOT_ADMITTED, RegistrationState.WAITING)
    old_code = code_of(store, event, members[0])
    registration_service.cancel(store, principal(members[0]), event.event_id, SERIES, now())
    cancelled = scan(store, event, old_code)
    assert (cancelled.verdict, cancelled.holder.state) == (Verdict.NOT_ADMITTED, RegistrationState.CANCELLED)
    # The waiting member was promoted by the cancellation: their (same) code admits now.
    assert scan(store, event, code_of(store, event, members[3])).verdict is Verdict.ADMITTED
    # Registering again gives a new ticket; the old code stays dead.
    register(store, members[0], event)
    assert ticket_of(store, event, members[0]) not in old_code
    assert scan(store, event, old_code).verdict is Verdict.UNKNOWN


def test_a_replaced_ticket_stops_working_and_answers_revoked(lecture):
    store, members, event = lecture
    old_code = code_of(store, event, members[1])
    service.replace_ticket(store, principal(members[1]), event.event_id, SERIES, now())
    middle_code = code_of(store, event, members[1])
    service.replace_ticket(store, principal(members[1]), event.event_id, SERIES, now())
    # Not "unknown" like rubbish: the station says the code was replaced (show the new one), and nothing more.
    for dead in (old_code, middle_code, old_code.upper()):
        refused = scan(store, event, dead)
        assert (refused.verdict, refused.holder) == (Verdict.REVOKED, None)
    assert scan(store, event, code_of(store, event, members[1])).verdict is Verdict.ADMITTED
    # A rubbish code of the same shape is still unknown.
    assert (
        scan(store, event, old_code[:-3] + ("aaa" if not old_code.endswith("aaa") else "bbb")).verdict
        is Verdict.UNKNOWN
    )
    # The ticket's page (a phone's camera) says so too, for staff (checking in) and anybody else.
    assert service.check_in_ticket(store, ADMIN, old_code, "entry", scan_id(), now()).verdict is Verdict.REVOKED
    view = service.ticket_view(store, principal(members[6]), old_code)
    assert view.event is None and view.holder is None and view.revoked
    assert not service.ticket_view(store, principal(members[6]), "a" * 26).revoked
    # Another event's station: a replaced code of this event is the wrong event's, as a live one is.
    other = open_event(store, capacity=5, days=0.01)
    assert scan(store, other, old_code).verdict is Verdict.WRONG_EVENT
    # Uploaded from an offline station that still had the old list: a conflict saying "revoked".
    (result,) = service.upload(store, ADMIN, event.event_id, [Scan(scan_id(), "entry", code=old_code)], "g", now())
    assert (result.outcome, result.verdict) == ("conflict", Verdict.REVOKED)
    with pytest.raises(Conflict):  # a waiting member has no ticket to show or replace
        service.my_ticket(store, principal(members[3]), event.event_id, SERIES)


def test_the_offline_list_carries_replaced_tickets_digests_of_its_point_only(union):
    store, members = union
    event = _class(store, members)
    sessions = [point.point_id for point in service.event_points(store, event)]
    whole, single = members[0], members[1]
    register(store, whole, event)
    register(store, single, event, scope=sessions[1])
    old = {
        "whole": ticket_of(store, event, whole),
        "single": ticket_of(store, event, single, sessions[1]),
    }
    service.replace_ticket(store, principal(whole), event.event_id, SERIES, now())
    service.replace_ticket(store, principal(single), event.event_id, sessions[1], now())
    first = service.station_list(store, ADMIN, event.event_id, sessions[0])
    second = service.station_list(store, ADMIN, event.event_id, sessions[1])
    assert first.revoked == [ticket_digest(old["whole"])]
    assert sorted(second.revoked) == sorted([ticket_digest(old["whole"]), ticket_digest(old["single"])])
    # Digests only, never the tickets; and the new tickets are in the entries, not among the revoked.
    assert not {old["whole"], old["single"]} & set(first.revoked + second.revoked)
    new_digests = {ticket_digest(r.ticket) for r in second.entries}
    assert ticket_digest(ticket_of(store, event, whole)) in new_digests and not new_digests & set(second.revoked)
    # The marker is written with the replacement, in one transaction: a replacement refused (the code replaced
    # meanwhile) writes none.
    current = ticket_of(store, event, whole)
    assert not store.check_ins.replace_ticket(event.event_id, SERIES, whole.staff_no, old["whole"], "x" * 26, now())
    assert ticket_of(store, event, whole) == current
    assert len(store.check_ins.revoked_for_event(event.event_id)) == 2
    assert store.check_ins.revoked(ticket_digest(current)) is None


def test_only_organisers_and_named_staff_check_in_and_only_at_their_points(union):
    store, members = union
    walk = CheckinSettings(checkpoints=(Checkpoint("start", "起点"), Checkpoint("finish", "终点")))
    event = open_event(store, capacity=10, checkin=walk, days=0.01)
    register(store, members[0], event)
    code = code_of(store, event, members[0])
    stranger = principal(members[5])
    with pytest.raises(Forbidden):
        scan(store, event, code, point="start", by=stranger)
    # The member themself cannot check in with their own code (the staff URL).
    with pytest.raises(Forbidden):
        scan(store, event, code, point="start", by=principal(members[0]))
    service.name_staff(store, ADMIN, event.event_id, members[5].staff_no, ["finish"], now())
    with pytest.raises(Forbidden):
        scan(store, event, code, point="start", by=stranger)
    assert scan(store, event, code, point="finish", by=stranger).verdict is Verdict.ADMITTED
    with pytest.raises(InvalidInput):
        service.name_staff(store, ADMIN, event.event_id, members[6].staff_no, ["nowhere"], now())
    _, staff = service.staff_of(store, ADMIN, event.event_id)
    assert [role.staff_no for role in staff] == [members[5].staff_no]
    service.remove_staff(store, ADMIN, event.event_id, members[5].staff_no)
    with pytest.raises(Forbidden):
        scan(store, event, code, point="finish", by=stranger)
    with pytest.raises(Forbidden):  # a non-organiser cannot name staff
        service.name_staff(store, stranger, event.event_id, members[6].staff_no, [], now())


def test_manual_look_up_and_check_in_by_staff_no(lecture):
    store, members, event = lecture
    found = service.look_up(store, ADMIN, event.event_id, "entry", members[2].name)
    assert [r.staff_no for r in found] == [members[2].staff_no]
    result = service.check_in(store, ADMIN, event.event_id, Scan(scan_id(), "entry", staff_no=members[2].staff_no),
                              None, now())  # fmt: skip
    assert result.verdict is Verdict.ADMITTED and result.check_in.method is CheckinMethod.MANUAL
    nobody = service.check_in(store, ADMIN, event.event_id, Scan(scan_id(), "entry", staff_no="NOBODY"), None, now())
    assert nobody.verdict is Verdict.NOT_REGISTERED


def test_offline_upload_is_idempotent_and_flags_conflicts(lecture):
    store, members, event = lecture
    at = now() - timedelta(minutes=5)
    scans = [
        Scan("offline-0001", "entry", code=code_of(store, event, members[0]), at=at),
        Scan("offline-0002", "entry", code=code_of(store, event, members[1]), at=at),
        Scan("offline-0003", "entry", code="https://x/t/" + "a" * 26, at=at),
    ]
    # members[1] was admitted online at another gate before the station's upload arrived.
    scan(store, event, code_of(store, event, members[1]), station="gate-9")
    first = service.upload(store, ADMIN, event.event_id, scans, "offline-gate", now())
    assert [r.outcome for r in first] == ["recorded", "conflict", "conflict"]
    second = service.upload(store, ADMIN, event.event_id, scans, "offline-gate", now())
    assert [r.outcome for r in second] == ["replayed", "conflict", "conflict"]
    recorded = store.check_ins.get(event.event_id, "entry", members[0].staff_no)
    assert recorded.offline and recorded.at == at and recorded.station == "offline-gate"
    conflicts = {c.scan_id: c for c in store.check_ins.conflicts(event.event_id)}
    assert len(conflicts) == 2  # the replay added none
    assert conflicts["offline-0002"].kind is ConflictKind.DOUBLE_ADMIT
    assert conflicts["offline-0002"].details["first_station"] == "gate-9"
    assert conflicts["offline-0003"].kind is ConflictKind.UNKNOWN


def test_offline_check_in_of_a_registration_cancelled_meanwhile_is_a_conflict(lecture):
    store, members, event = lecture
    code = code_of(store, event, members[2])
    registration_service.cancel(store, principal(members[2]), event.event_id, SERIES, now())
    results = service.upload(store, ADMIN, event.event_id, [Scan("late-0001", "entry", code=code, at=now())], None,
                             now())  # fmt: skip
    assert results[0].outcome == "conflict"
    (conflict,) = store.check_ins.conflicts(event.event_id)
    assert conflict.kind is ConflictKind.NOT_ADMITTED and conflict.details["state"] == "cancelled"
    assert store.check_ins.get(event.event_id, "entry", members[2].staff_no) is None


def test_upload_from_someone_who_is_not_staff_is_refused(lecture):
    store, members, event = lecture
    with pytest.raises(Forbidden):
        scans = [Scan("x-00000001", "entry", code=code_of(store, event, members[0]), at=now())]
        service.upload(store, principal(members[7]), event.event_id, scans, None, now())
    assert store.check_ins.get(event.event_id, "entry", members[0].staff_no) is None


def _class(store, members, *, self_checkin=True, percent=80):
    start = now() - timedelta(minutes=10)
    sessions = [
        {"starts_at": start + timedelta(days=7 * n), "ends_at": start + timedelta(days=7 * n, hours=1)}
        for n in range(5)
    ]
    event = open_event(
        store,
        capacity=10,
        format=EventFormat.CLASS,
        single_sessions=True,
        sessions=sessions,
        starts_at=start,
        ends_at=start + timedelta(days=29),
        registration_closes_at=start + timedelta(days=28),
        checkin=CheckinSettings(completion_percent=percent, self_checkin=self_checkin),
    )
    return event


def test_sessions_single_session_registrations_and_completion(union):
    store, members = union
    event = _class(store, members)
    register(store, members[0], event)  # the whole term
    register(store, members[1], event, scope="s02")  # one session
    for point in ("s01", "s02", "s03", "s04"):  # sessions ahead only when the organiser confirms
        assert (
            scan(store, event, code_of(store, event, members[0]), point=point, confirm=True).verdict is Verdict.ADMITTED
        )
    single = code_of(store, event, members[1], scope="s02")
    assert scan(store, event, single, point="s01").verdict is Verdict.WRONG_POINT
    assert scan(store, event, single, point="s02", confirm=True).verdict is Verdict.ADMITTED
    report = service.attendance(store, ADMIN, event.event_id)
    lines = {line.staff_no: line for line in report.lines}
    assert lines[members[0].staff_no].attended == ("s01", "s02", "s03", "s04")
    assert lines[members[0].staff_no].completed  # 4 of 5 = 80 %
    assert lines[members[1].staff_no].expected == ("s02",) and lines[members[1].staff_no].completed


def test_venue_code_self_check_in_window_expiry_and_forgery(union):
    store, members = union
    event = _class(store, members)
    register(store, members[0], event)
    member = principal(members[0])
    code = venue_code(KEY, event.event_id, "s01", now())
    forged = code[:-1] + ("a" if code[-1] != "a" else "b")
    assert service.self_check_in(store, member, forged, scan_id(), KEY, now()).result.verdict is Verdict.UNKNOWN
    old = venue_code(KEY, event.event_id, "s01", now() - timedelta(seconds=95))
    assert service.self_check_in(store, member, old, scan_id(), KEY, now()).result.verdict is Verdict.EXPIRED
    done = service.self_check_in(store, member, code, scan_id(), KEY, now())
    assert done.result.verdict is Verdict.ADMITTED and done.result.check_in.method is CheckinMethod.SELF
    assert service.self_check_in(store, member, code, scan_id(), KEY, now()).result.verdict is Verdict.ALREADY
    # Session 2 is a week away: outside its window.
    later = venue_code(KEY, event.event_id, "s02", now())
    assert service.self_check_in(store, member, later, scan_id(), KEY, now()).result.verdict is Verdict.OUTSIDE_WINDOW
    stranger = principal(members[8])
    assert service.self_check_in(store, stranger, code, scan_id(), KEY, now()).result.verdict is Verdict.NOT_REGISTERED
    history = service.my_attendance(store, member)
    assert [c.point_id for c, found in history if found.event_id == event.event_id] == ["s01"]


def test_venue_codes_need_self_check_in_switched_on(union):
    store, members = union
    event = _class(store, members, self_checkin=False)
    with pytest.raises(Conflict):
        service.venue_display(store, ADMIN, event.event_id, "s01", KEY, now())
    register(store, members[0], event)
    code = venue_code(KEY, event.event_id, "s01", now())
    result = service.self_check_in(store, principal(members[0]), code, scan_id(), KEY, now()).result
    assert result.verdict is Verdict.UNKNOWN


def test_checkpoints_complete_only_with_every_checkpoint_and_unit_admins_see_their_units(union):
    store, members = union
    walk = CheckinSettings(checkpoints=(Checkpoint("start", "起点"), Checkpoint("finish", "终点")))
    event = open_event(store, capacity=10, format=EventFormat.MASS, checkin=walk, days=0.01)
    for member in members[:3]:
        register(store, member, event)
    for member in members[:3]:
        scan(store, event, code_of(store, event, member), point="start")
    scan(store, event, code_of(store, event, members[0]), point="finish")
    report = service.attendance(store, ADMIN, event.event_id)
    done = {line.staff_no: line.completed for line in report.lines}
    assert done == {members[0].staff_no: True, members[1].staff_no: False, members[2].staff_no: False}
    unit_admin = Principal(staff_no=members[10].staff_no, unit_id=members[1].unit_id,
                           admin_of=frozenset({members[1].unit_id}))  # fmt: skip
    mine = service.attendance(store, unit_admin, event.event_id)
    assert {line.unit_id for line in mine.lines} == {members[1].unit_id} and mine.conflicts == []
    with pytest.raises(Forbidden):
        service.attendance(store, principal(members[4]), event.event_id)


def test_ticket_view_shows_members_only_to_staff_and_themselves(lecture):
    store, members, event = lecture
    code = code_of(store, event, members[0])
    assert service.ticket_view(store, ADMIN, code).holder.staff_no == members[0].staff_no
    own = service.ticket_view(store, principal(members[0]), code)
    assert own.own and own.allowed == []
    anyone = service.ticket_view(store, principal(members[6]), code)
    assert anyone.event.event_id == event.event_id and anyone.holder is None
    assert service.ticket_view(store, principal(members[6]), "nonsense").event is None
