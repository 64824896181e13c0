"""Codes a photo passed on cannot beat, against DynamoDB Local: venue codes of the current step only (10-60 s), the
venue pass, a check-in bound to its step, the location check, and live (anti-screenshot) tickets online and in
offline uploads; their settings validated."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from chalicelib.domain.calendar import now
from chalicelib.domain.checkin import Verdict, parse_venue_code, ticket_url, venue_code, venue_step
from chalicelib.domain.checkin_codes import Position, venue_pass
from chalicelib.domain.records import SERIES, CheckinMethod, CheckinSettings
from chalicelib.errors import InvalidInput
from chalicelib.services import checkin as service
from chalicelib.services import checkin_live
from chalicelib.services.checkin import Scan, VenueProof
from tests.integration.test_registration import ADMIN, open_event, principal, register

KEY = service.venue_key("k" * 40)
BASE = "https://union.example.edu.cn"
HALL = (23.0662, 113.3893)


def scan_id() -> str:
    return uuid.uuid4().hex


def venue_event(store, **settings):
    """A lecture that started five minutes ago, with self check-in and the given check-in settings."""
    start = now() - timedelta(minutes=5)
    return open_event(
        store,
        capacity=10,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        registration_closes_at=start + timedelta(hours=1),
        checkin=CheckinSettings(self_checkin=True, **settings),
    )


def self_check_in(store, member, code, at=None, proof=None):
    return service.self_check_in(store, principal(member), code, scan_id(), KEY, at or now(), proof)


def test_a_ten_second_venue_code_is_accepted_only_in_its_step_and_the_check_in_records_it(union):
    store, members = union
    event = venue_event(store, venue_code_seconds=10)
    register(store, members[0], event)
    register(store, members[1], event)
    shown = service.venue_display(store, ADMIN, event.event_id, "entry", KEY, now())
    assert shown.seconds == 10 and (shown.expires_at - now()).total_seconds() <= 10
    # A photo of the screen forwarded 15 s later: its step is over.
    photo = venue_code(KEY, event.event_id, "entry", now() - timedelta(seconds=15), seconds=10)
    assert self_check_in(store, members[0], photo).result.verdict is Verdict.EXPIRED
    at = now()
    code = venue_code(KEY, event.event_id, "entry", at, seconds=10)
    done = self_check_in(store, members[0], code, at)
    assert done.result.verdict is Verdict.ADMITTED and done.result.check_in.method is CheckinMethod.SELF
    stored = store.check_ins.get(event.event_id, "entry", members[0].staff_no)
    assert stored.venue_step == venue_step(at, 10) == parse_venue_code(KEY, code).step
    # The same step again (the page reopened): nothing written (one check-in per member and point, a conditional
    # write), the first check-in named.
    again = self_check_in(store, members[0], code, at)
    assert again.result.verdict is Verdict.ALREADY and again.result.check_in.scan_id == stored.scan_id
    # Everyone in the room may use the step on screen: it is the stale step that is refused.
    assert self_check_in(store, members[1], code, at).result.verdict is Verdict.ADMITTED
    assert store.check_ins.count(event.event_id, "entry") == 2


def test_the_venue_pass_lets_a_member_tap_later_but_only_themself(union):
    store, members = union
    event = venue_event(store, venue_code_seconds=10)
    register(store, members[0], event)
    register(store, members[1], event)
    opened = now() - timedelta(seconds=60)
    code = venue_code(KEY, event.event_id, "entry", opened, seconds=10)
    venue = parse_venue_code(KEY, code)
    mine = venue_pass(KEY, members[0].staff_no, venue, opened)
    # Without the pass the code is a minute old; with it, it was current when the member opened it.
    assert self_check_in(store, members[0], code).result.verdict is Verdict.EXPIRED
    assert self_check_in(store, members[1], code, proof=VenueProof(mine)).result.verdict is Verdict.EXPIRED
    stale_pass = venue_pass(KEY, members[0].staff_no, venue, now() - timedelta(seconds=200))
    assert self_check_in(store, members[0], code, proof=VenueProof(stale_pass)).result.verdict is Verdict.EXPIRED
    done = self_check_in(store, members[0], code, proof=VenueProof(mine))
    assert done.result.verdict is Verdict.ADMITTED


def test_the_location_check(union):
    store, members = union
    event = venue_event(store, location_check=True, venue_lat=HALL[0], venue_lng=HALL[1], venue_radius_m=100)
    for member in members[:2]:
        register(store, member, event)
    code = venue_code(KEY, event.event_id, "entry", now())
    assert self_check_in(store, members[0], code).result.verdict is Verdict.LOCATION_NEEDED
    denied = VenueProof(location_error="denied")
    assert self_check_in(store, members[0], code, proof=denied).result.verdict is Verdict.LOCATION_DENIED
    far = VenueProof(position=Position(HALL[0] + 0.01, HALL[1], 15))  # over a kilometre north
    refused = self_check_in(store, members[0], code, proof=far)
    assert refused.result.verdict is Verdict.TOO_FAR
    assert store.check_ins.get(event.event_id, "entry", members[0].staff_no) is None
    near = VenueProof(position=Position(HALL[0] + 0.0003, HALL[1], 30))  # in the building
    done = self_check_in(store, members[0], code, proof=near)
    assert done.result.verdict is Verdict.ADMITTED
    assert store.check_ins.get(event.event_id, "entry", members[0].staff_no).distance_m == 33


def _live_lecture(union):
    store, members = union
    event = open_event(store, capacity=10, days=0.01, checkin=CheckinSettings(live_tickets=True))
    for member in members[:3]:
        register(store, member, event)
    tickets = [store.registrations.get(event.event_id, SERIES, m.staff_no).ticket for m in members[:3]]
    return store, members, event, tickets


def test_live_tickets_admit_only_the_current_code_online(union):
    store, members, event, tickets = _live_lecture(union)

    def scan(code):
        return service.check_in(store, ADMIN, event.event_id, Scan(scan_id(), "entry", code=code), "gate", now())

    plain = scan(ticket_url(BASE, tickets[0]))
    assert plain.verdict is Verdict.TICKET_STALE and plain.holder.staff_no == members[0].staff_no
    screenshot = scan(checkin_live.current_code(BASE, tickets[0], now() - timedelta(seconds=40)))
    assert screenshot.verdict is Verdict.TICKET_STALE
    # Another ticket's code with this ticket's step: made up.
    other = checkin_live.current_code(BASE, tickets[1], now()).replace(tickets[1], tickets[0])
    assert scan(other).verdict is Verdict.UNKNOWN
    assert store.check_ins.count(event.event_id, "entry") == 0
    assert scan(checkin_live.current_code(BASE, tickets[0], now())).verdict is Verdict.ADMITTED
    # Staff who open the live code with their phone's camera (/t/<ticket>?r=...) check in the same way.
    opened = checkin_live.current_code(BASE, tickets[1], now()).replace(BASE, "")
    assert service.check_in_ticket(store, ADMIN, opened, "entry", scan_id(), now()).verdict is Verdict.ADMITTED
    assert service.check_in_ticket(store, ADMIN, f"/t/{tickets[2]}", "entry", scan_id(), now()).verdict is (
        Verdict.TICKET_STALE
    )


def test_live_tickets_in_offline_uploads_are_judged_at_the_scans_time(union):
    store, _, event, tickets = _live_lecture(union)
    scanned_at = now() - timedelta(minutes=3)
    current_then = checkin_live.current_code(BASE, tickets[0], scanned_at)
    stale_then = checkin_live.current_code(BASE, tickets[1], scanned_at - timedelta(seconds=60))
    scans = [
        Scan(scan_id(), "entry", code=current_then, at=scanned_at),
        Scan(scan_id(), "entry", code=stale_then, at=scanned_at),
    ]
    results = service.upload(store, ADMIN, event.event_id, scans, "gate", now())
    assert [(r.outcome, r.verdict) for r in results] == [
        ("recorded", Verdict.ADMITTED),
        ("conflict", Verdict.TICKET_STALE),
    ]
    conflicts = store.check_ins.conflicts(event.event_id)
    assert [c.details["verdict"] for c in conflicts] == ["ticket_stale"]


def test_events_without_live_tickets_keep_the_plain_ticket(union):
    store, members = union
    event = open_event(store, capacity=10, days=0.01)
    register(store, members[0], event)
    ticket = store.registrations.get(event.event_id, SERIES, members[0].staff_no).ticket
    result = service.check_in(store, ADMIN, event.event_id, Scan(scan_id(), "entry", code=ticket), "gate", now())
    assert result.verdict is Verdict.ADMITTED


def test_settings_of_the_location_check_are_validated(union):
    store, _ = union
    event = open_event(store, capacity=10)
    with pytest.raises(InvalidInput) as refused:
        service.set_settings(store, ADMIN, event.event_id, CheckinSettings(location_check=True, venue_lat=23.0), now())
    assert [(p["type"], p["loc"]) for p in refused.value.problems] == [("venue_position_needed", ("venue_lat",))]
    settings = CheckinSettings(
        self_checkin=True, venue_code_seconds=15, location_check=True, venue_lat=HALL[0], venue_lng=HALL[1],
        venue_radius_m=300, live_tickets=True,
    )  # fmt: skip
    saved = service.set_settings(store, ADMIN, event.event_id, settings, now())
    assert saved.checkin == settings and store.events.get(event.event_id).checkin == settings
