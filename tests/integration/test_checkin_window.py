"""Stations take a point's check-ins within its window, or when the organiser confirms (issue 17 item 3), on
DynamoDB Local: scans, manual look-up, offline uploads judged by the scan's own time, and the ticket page."""

from __future__ import annotations

import uuid
from datetime import timedelta

from chalicelib.domain.calendar import now
from chalicelib.domain.checkin import Verdict, ticket_url
from chalicelib.domain.records import SERIES, CheckinSettings
from chalicelib.services import checkin as service
from chalicelib.services.checkin import Scan
from tests.integration.test_registration import ADMIN, register, weekly_class


def _term(store, first_session_days_ago: float = 0):
    """A class of five weekly one-hour sessions; the current one started ten minutes ago."""
    current = now() - timedelta(minutes=10)
    start = current - timedelta(days=first_session_days_ago)
    return weekly_class(
        store,
        start,
        5,
        ends_at=start + timedelta(days=35),
        registration_closes_at=start + timedelta(days=28),
        checkin=CheckinSettings(completion_percent=40),
    )


def _code(store, event, member):
    return ticket_url(
        "https://union.example.edu.cn", store.registrations.get(event.event_id, SERIES, member.staff_no).ticket
    )


def _scan(store, event, point, *, code=None, staff_no=None, confirm=False):
    scan = Scan(uuid.uuid4().hex, point, code=code, staff_no=staff_no, confirmed=confirm)
    return service.check_in(store, ADMIN, event.event_id, scan, "gate", now())


def test_a_station_opens_on_the_session_of_today_and_refuses_others_unless_confirmed(union):
    store, members = union
    event = _term(store)
    register(store, members[0], event)
    found = service.station(store, ADMIN, event.event_id)
    assert service.opening_point(found, now()) == "s01"
    assert service.point_window(found, "s01", now()).open_now
    code = _code(store, event, members[0])
    ahead = _scan(store, event, "s03", code=code)
    assert ahead.verdict is Verdict.OUTSIDE_WINDOW and ahead.holder is None
    s03 = service.point_window(found, "s03", now())
    assert ahead.window == (s03.opens, s03.closes) and not s03.open_now
    assert s03.opens == event.starts_at + timedelta(days=14, minutes=-30)
    assert store.check_ins.get(event.event_id, "s03", members[0].staff_no) is None
    # Manual look-up by 工号 takes the same rule.
    assert _scan(store, event, "s03", staff_no=members[0].staff_no).verdict is Verdict.OUTSIDE_WINDOW
    assert _scan(store, event, "s01", code=code).verdict is Verdict.ADMITTED
    confirmed = _scan(store, event, "s03", code=code, confirm=True)
    assert confirmed.verdict is Verdict.ADMITTED
    # Confirmed check-ins count toward completion like any other: 2 of 5 sessions = 40 %.
    (line,) = service.attendance(store, ADMIN, event.event_id).lines
    assert line.attended == ("s01", "s03") and line.completed


def test_in_december_a_term_station_opens_on_december_not_on_the_first_session(union):
    store, _ = union
    event = _term(store, first_session_days_ago=14)  # s01 and s02 are past, s03 is on now
    found = service.station(store, ADMIN, event.event_id)
    assert service.opening_point(found, now()) == "s03"
    assert not service.point_window(found, "s01", now()).open_now
    # After the s03 session: the next one.
    assert service.opening_point(found, now() + timedelta(days=1)) == "s04"


def test_offline_uploads_are_judged_by_the_scan_time_and_confirmed_ones_recorded(union):
    store, members = union
    event = _term(store)
    for member in members[:3]:
        register(store, member, event)
    codes = [_code(store, event, member) for member in members[:3]]
    during_s01 = now() - timedelta(minutes=5)
    scans = [
        Scan("offline-0001", "s01", code=codes[0], at=during_s01),  # inside its window, uploaded a day later
        Scan("offline-0002", "s02", code=codes[1], at=during_s01),  # a week early, not confirmed
        Scan("offline-0003", "s02", code=codes[2], at=during_s01, confirmed=True),  # a week early, confirmed
    ]
    a_day_later = now() + timedelta(days=1)
    results = service.upload(store, ADMIN, event.event_id, scans, "gate", a_day_later)
    assert [(r.outcome, r.verdict) for r in results] == [
        ("recorded", Verdict.ADMITTED),
        ("refused", Verdict.OUTSIDE_WINDOW),
        ("recorded", Verdict.ADMITTED),
    ]
    assert store.check_ins.get(event.event_id, "s02", members[1].staff_no) is None
    assert store.check_ins.get(event.event_id, "s02", members[2].staff_no) is not None
    assert store.check_ins.conflicts(event.event_id) == []


def test_the_ticket_page_path_refuses_outside_the_window_until_confirmed(union):
    store, members = union
    event = _term(store)
    register(store, members[0], event)
    code = _code(store, event, members[0])
    refused = service.check_in_ticket(store, ADMIN, code, "s02", uuid.uuid4().hex, now())
    assert refused.verdict is Verdict.OUTSIDE_WINDOW
    done = service.check_in_ticket(store, ADMIN, code, "s02", uuid.uuid4().hex, now(), confirmed=True)
    assert done.verdict is Verdict.ADMITTED
