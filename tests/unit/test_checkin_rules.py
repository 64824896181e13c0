"""The pure check-in rules: reading codes, points, verdicts, staff roles, venue codes and completion."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.checkin import (
    ENTRY_POINT,
    Attendee,
    CompletionRule,
    VenueCodeInvalid,
    Verdict,
    admission_problem,
    allowed_points,
    attendance_report,
    checkin_points,
    checkin_roles,
    checkin_window,
    checkpoint_problems,
    is_completed,
    new_ticket,
    no_shows,
    parse_venue_code,
    read_venue_code,
    step_is_current,
    ticket_digest,
    ticket_from_code,
    ticket_url,
    unheld_ticket_verdict,
    unit_attendance,
    venue_code,
    venue_code_expires_at,
    venue_step,
)
from chalicelib.domain.records import SERIES, CheckinSettings, Checkpoint, EventSession, RegistrationState

KEY = b"k" * 32
START = datetime(2026, 11, 21, 19, 0, tzinfo=CHINA_TZ)


def test_tickets_are_random_128_bit_base32_and_read_back_from_any_form_of_the_url():
    tickets = {new_ticket() for _ in range(200)}
    assert len(tickets) == 200
    ticket = next(iter(tickets))
    assert len(ticket) == 26 and ticket == ticket.lower()
    url = ticket_url("https://union.example.edu.cn/", ticket)
    assert url == f"https://union.example.edu.cn/t/{ticket}"
    assert ticket_from_code(url) == ticket
    assert ticket_from_code(f"  {url.upper()}\n") == ticket  # scanner with caps lock, trailing Enter
    assert ticket_from_code(f"{url}?from=wechat") == ticket
    assert ticket_from_code(ticket) == ticket  # typed by hand


@pytest.mark.parametrize("code", ["", " ", "hello", "https://x/t/", "https://x/t/abc", "1" * 26, "x" * 10_000])
def test_anything_else_is_not_a_code(code):
    assert ticket_from_code(code) is None


def test_the_offline_digest_is_stable_and_not_the_ticket():
    ticket = new_ticket()
    assert ticket_digest(ticket) == ticket_digest(ticket) and ticket not in ticket_digest(ticket)
    assert len(ticket_digest(ticket)) == 32


def test_points_are_sessions_then_checkpoints_then_a_single_entry():
    sessions = [
        EventSession("ev", "s02", START + timedelta(days=7), START + timedelta(days=7, hours=1)),
        EventSession("ev", "s01", START, START + timedelta(hours=1)),
    ]
    walk = CheckinSettings(checkpoints=(Checkpoint("start", "起点"), Checkpoint("finish", "终点")))
    assert [p.point_id for p in checkin_points(START, START, sessions, walk)] == ["s01", "s02"]
    assert [p.point_id for p in checkin_points(START, START, [], walk)] == ["start", "finish"]
    assert [p.point_id for p in checkin_points(START, START, [], CheckinSettings())] == [ENTRY_POINT]


def test_checkpoint_problems():
    bad = [Checkpoint("Start", "起点"), Checkpoint("a", "甲"), Checkpoint("a", "乙"), Checkpoint("b", " "),
           Checkpoint(SERIES, "全程")]  # fmt: skip
    assert checkpoint_problems(bad) == [
        (0, "checkpoint_id"),
        (2, "checkpoint_repeated"),
        (3, "checkpoint_name"),
        (4, "checkpoint_id"),
    ]


@pytest.mark.parametrize(
    ("state", "scope", "point", "lead", "verdict"),
    [
        (RegistrationState.CONFIRMED, SERIES, "s03", None, None),
        (RegistrationState.CONFIRMED, "s03", "s03", None, None),
        (RegistrationState.CONFIRMED, "s03", "s04", None, Verdict.WRONG_POINT),
        (RegistrationState.TEAM, SERIES, "entry", None, None),
        (RegistrationState.PARTNER, SERIES, "entry", RegistrationState.CONFIRMED, None),
        (RegistrationState.PARTNER, SERIES, "entry", RegistrationState.WAITING, Verdict.NOT_ADMITTED),
        (RegistrationState.WAITING, SERIES, "entry", None, Verdict.NOT_ADMITTED),
        (RegistrationState.PENDING, SERIES, "entry", None, Verdict.NOT_ADMITTED),
        (RegistrationState.CANCELLED, SERIES, "entry", None, Verdict.NOT_ADMITTED),
        (RegistrationState.INVITED, SERIES, "entry", None, Verdict.NOT_ADMITTED),
    ],
)
def test_admission(state, scope, point, lead, verdict):
    assert admission_problem(state, scope, point, lead) is verdict


def test_a_ticket_no_registration_holds_is_revoked_if_it_was_replaced_else_unknown():
    assert unheld_ticket_verdict(None, "ev-1") is Verdict.UNKNOWN  # rubbish of the right shape
    assert unheld_ticket_verdict(None, None) is Verdict.UNKNOWN
    assert unheld_ticket_verdict("ev-1", "ev-1") is Verdict.REVOKED  # "此码已作废，请出示新码"
    assert unheld_ticket_verdict("ev-1", None) is Verdict.REVOKED  # the ticket's own page
    assert unheld_ticket_verdict("ev-1", "ev-2") is Verdict.WRONG_EVENT  # as the live ticket would say


def test_staff_roles_for_every_point_or_some():
    assert allowed_points(checkin_roles([]), ["s01", "s02"]) == ["s01", "s02"]
    assert allowed_points(checkin_roles(["s02"]), ["s01", "s02"]) == ["s02"]
    assert allowed_points(frozenset({"judge"}), ["s01"]) == []


def test_venue_codes_change_every_step_and_are_accepted_only_during_it():
    at = datetime.fromtimestamp(1_800_000_000, tz=CHINA_TZ)  # the start of a 30-second (and a 10-second) step
    code = venue_code(KEY, "ev-1", "s01", at)
    assert code != venue_code(KEY, "ev-1", "s01", at + timedelta(seconds=30))
    assert code == venue_code(KEY, "ev-1", "s01", at + timedelta(seconds=29))
    assert venue_code_expires_at(at) == at + timedelta(seconds=30)
    assert read_venue_code(KEY, f"https://u.example/v/{code}", at + timedelta(seconds=29)).point_id == "s01"
    # Three seconds of skew after the step (the screen's refresh, the member's network), never a whole step more.
    assert read_venue_code(KEY, code, at + timedelta(seconds=32.9)).step == venue_step(at)
    with pytest.raises(VenueCodeInvalid) as old:
        read_venue_code(KEY, code, at + timedelta(seconds=33))
    assert old.value.reason == "expired"
    with pytest.raises(VenueCodeInvalid) as early:  # a code "from the future" was not made by the screen
        read_venue_code(KEY, venue_code(KEY, "ev-1", "s01", at + timedelta(minutes=5)), at)
    assert early.value.reason == "expired"


def test_a_ten_second_venue_code():
    at = datetime.fromtimestamp(1_800_000_000, tz=CHINA_TZ)
    code = venue_code(KEY, "ev-1", "s01", at, seconds=10)
    assert code != venue_code(KEY, "ev-1", "s01", at + timedelta(seconds=10), seconds=10)
    assert venue_code_expires_at(at + timedelta(seconds=4), seconds=10) == at + timedelta(seconds=10)
    assert read_venue_code(KEY, code, at + timedelta(seconds=12), seconds=10).point_id == "s01"
    with pytest.raises(VenueCodeInvalid):
        read_venue_code(KEY, code, at + timedelta(seconds=13), seconds=10)
    # A code drawn with another step length (the organiser changed it) reads as expired, not as another moment.
    with pytest.raises(VenueCodeInvalid) as other:
        read_venue_code(KEY, venue_code(KEY, "ev-1", "s01", at), at, seconds=10)
    assert other.value.reason == "expired"
    assert parse_venue_code(KEY, code).step == venue_step(at, 10)


@pytest.mark.parametrize(
    ("offset", "current"), [(-3.01, False), (-3, True), (0, True), (9.99, True), (12.99, True), (13, False)]
)
def test_a_step_is_current_during_itself_give_or_take_the_skew(offset, current):
    start = datetime.fromtimestamp(1_800_000_000, tz=CHINA_TZ)
    assert step_is_current(venue_step(start, 10), start + timedelta(seconds=offset), 10, skew=3) is current


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("ev-1.s01.123", "malformed"),
        ("ev-1.S 01.123.abc", "malformed"),
        ("ev-1.s01.x.abc", "malformed"),
        ("ev-2.s01.{step}.{mac}", "bad_signature"),  # another event's name on this code's signature
    ],
)
def test_forged_venue_codes(code, reason):
    at = datetime.fromtimestamp(1_800_000_000, tz=CHINA_TZ)
    _, _, step, mac = venue_code(KEY, "ev-1", "s01", at).split(".")
    with pytest.raises(VenueCodeInvalid) as invalid:
        read_venue_code(KEY, code.format(step=step, mac=mac), at)
    assert invalid.value.reason == reason
    with pytest.raises(VenueCodeInvalid):
        read_venue_code(b"other key" * 4, venue_code(KEY, "ev-1", "s01", at), at)


def test_self_check_in_window():
    (point,) = checkin_points(START, START + timedelta(hours=2), [], CheckinSettings())
    opens, closes = checkin_window(point, CheckinSettings(self_opens_minutes=15, self_closes_minutes=10))
    assert (opens, closes) == (START - timedelta(minutes=15), START + timedelta(hours=2, minutes=10))


def test_completion_thresholds_use_whole_numbers():
    assert is_completed(4, 5, CompletionRule.SHARE, 80)
    assert not is_completed(3, 5, CompletionRule.SHARE, 80)
    assert is_completed(13, 16, CompletionRule.SHARE, 80)  # 81.25 %
    assert not is_completed(12, 16, CompletionRule.SHARE, 80)  # 75 %
    assert is_completed(2, 2, CompletionRule.ALL, 80) and not is_completed(1, 2, CompletionRule.ALL, 80)
    assert not is_completed(0, 0, CompletionRule.ALL, 80)


def test_attendance_report_merges_single_sessions_and_sums_units():
    sessions = [EventSession("ev", f"s0{n}", START + timedelta(days=7 * n), START + timedelta(days=7 * n, hours=1))
                for n in range(1, 6)]  # fmt: skip
    points = checkin_points(START, START, sessions, CheckinSettings())
    attendees = [
        Attendee("A1", "甲", "cs", SERIES),
        Attendee("B1", "乙", "math", "s02"),
        Attendee("B1", "乙", "math", "s03"),
        Attendee("C1", "丙", "cs", SERIES),
    ]
    came = [("s01", "A1"), ("s02", "A1"), ("s03", "A1"), ("s04", "A1"), ("s02", "B1"), ("s01", "C1"), ("s01", "X9")]
    lines = {line.staff_no: line for line in attendance_report(points, attendees, came, CheckinSettings())}
    assert set(lines) == {"A1", "B1", "C1"}  # X9 holds no registration: not reported
    assert lines["A1"].completed and lines["A1"].percent == 80
    assert lines["B1"].expected == ("s02", "s03") and lines["B1"].attended == ("s02",) and not lines["B1"].completed
    assert not lines["C1"].completed
    assert [line.staff_no for line in no_shows(lines.values(), "s03")] == ["C1", "B1"]  # by unit, then 工号
    units = {u.unit_id: u for u in unit_attendance(lines.values())}
    assert (units["cs"].registered, units["cs"].attended, units["cs"].completed) == (2, 2, 1)
    assert (units["math"].registered, units["math"].attended, units["math"].completed) == (1, 1, 0)


@pytest.mark.parametrize("state", list(RegistrationState))
def test_every_refused_state_is_named_in_words_on_the_station(state):
    from chalicelib.api.checkin_shaping import verdict_out
    from chalicelib.services.checkin import ScanResult
    from chalicelib.storage.checkin import TicketHolder

    holder = TicketHolder("ev", SERIES, "M1", "甲", "cs", state, None)
    for language in ("zh", "en"):
        shown = verdict_out(ScanResult(Verdict.NOT_ADMITTED, "entry", holder), language, {"cs": "计算机学院"})
        assert "state." not in shown.message and shown.tone == "bad" and shown.unit_name == "计算机学院"
