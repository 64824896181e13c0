"""Check-in rules: member tickets, check-in points, verdicts, rotating venue codes, attendance and completion.

Pure: no storage, no framework. The service (chalicelib.services.checkin) reads, asks these functions, and writes
with conditions so that the rules hold under concurrency.

- A **ticket** is 128 random bits, stored on the registration it admits and nowhere else. Its QR code is an app URL
  (``/t/<ticket>``) carrying nothing personal; the ticket dies with its registration (cancelled, removed) and is
  replaced when the member asks for a new code.
- A **check-in point** is where attendance is taken: each session of a class, each checkpoint of a mass activity
  (start, finish), or the single entry of any other event. A member is checked in at most once per point.
- A **venue code** is shown on a screen at the venue and changes every step (10–60 seconds, the event's
  ``venue_code_seconds``, 30 by default): an HMAC of the event, the point and the time step, so nobody can make one,
  and it is accepted only during its own step (give or take ``VENUE_SKEW_SECONDS``): a photo passed on is stale by
  the time it arrives (docs/security.md, "Venue codes and live tickets").
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from chalicelib.domain.language import N_
from chalicelib.domain.records import SERIES, CheckinSettings, Checkpoint, EventSession, RegistrationState

TICKET_PATH = "/t/"
VENUE_PATH = "/v/"
TICKET_BYTES = 16  # 128 bits: guessing one of a few thousand live tickets takes ~2^116 tries
TICKET_CHARS = 26  # base32 of 16 bytes, without padding
# Anything longer than a URL of ours is not a code of ours; the bound keeps parsing cheap on garbage scans.
MAX_CODE_CHARS = 512
ENTRY_POINT = "entry"
POINT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,23}$")
_TICKET = re.compile(r"^[a-z2-7]{26}$")

VENUE_STEP_SECONDS = 30  # the default step; an event chooses 10-60 (CheckinSettings.venue_code_seconds)
VENUE_STEP_MIN, VENUE_STEP_MAX = 10, 60
# A code is accepted during its own step, widened by this much either side: the screen replaces its code up to a
# second late (it asks the server for the next one when the step ends) and the member's phone takes a second or two
# to send what it scanned. Seconds, not a whole extra step: a photo passed on must arrive within the step.
VENUE_SKEW_SECONDS = 3

CHECKIN_ROLE = "checkin"

# Registrations whose ticket admits: a confirmed place, a confirmed pair's partner, a player on a team's roster.
ADMITTING_STATES = frozenset({RegistrationState.CONFIRMED, RegistrationState.PARTNER, RegistrationState.TEAM})
# A mistaken check-in may be removed (撤销签到) until this many days after the event ends; later, the year's
# figures, certificates and completion lists drawn from it stand.
UNDO_DAYS = 30
UNDO_REASON_MAX = 200


def undo_closed(ends_at: datetime, at: datetime) -> bool:
    """Whether it is too late to remove a check-in of an event that ends (ended) at ``ends_at``."""
    return at > ends_at + timedelta(days=UNDO_DAYS)


# ---- tickets ---------------------------------------------------------------------------------------------------


def new_ticket() -> str:
    return base64.b32encode(secrets.token_bytes(TICKET_BYTES)).decode().rstrip("=").lower()


def ticket_from_code(code: str) -> str | None:
    """The ticket in a scanned code: the app URL a camera or a handheld scanner reads, or the bare ticket typed in.

    Case is ignored (a scanner with caps lock on types upper case). None for anything that is not one of ours.
    """
    text = code.strip().lower()
    if not text or len(text) > MAX_CODE_CHARS:
        return None
    if TICKET_PATH in text:
        text = text.rsplit(TICKET_PATH, 1)[1]
        text = re.split(r"[?#/]", text, maxsplit=1)[0]
    return text if _TICKET.match(text) else None


def ticket_digest(ticket: str) -> str:
    """What an offline station holds instead of the ticket: a lost phone's list cannot be turned into codes."""
    return hashlib.sha256(ticket.encode()).hexdigest()[:32]


def ticket_url(base_url: str, ticket: str) -> str:
    return f"{base_url.rstrip('/')}{TICKET_PATH}{ticket}"


# ---- check-in points and settings ------------------------------------------------------------------------------


class CheckinPoint(NamedTuple):
    point_id: str
    starts_at: datetime
    ends_at: datetime
    name_zh: str | None = None  # checkpoints are named; sessions are shown by their date
    name_en: str | None = None
    session: bool = False


class CompletionRule(StrEnum):
    SHARE = "share"  # classes: at least completion_percent of the term's sessions
    ALL = "all"  # every checkpoint (a campus walk: start and finish)


def checkin_points(
    starts_at: datetime, ends_at: datetime, sessions: Iterable[EventSession], settings: CheckinSettings
) -> list[CheckinPoint]:
    """Where an event takes attendance: its sessions, else its checkpoints, else one entry point."""
    listed = sorted(sessions, key=lambda session: session.session_id)
    if listed:
        return [CheckinPoint(s.session_id, s.starts_at, s.ends_at, session=True) for s in listed]
    if settings.checkpoints:
        return [CheckinPoint(c.point_id, starts_at, ends_at, c.name_zh, c.name_en) for c in settings.checkpoints]
    return [CheckinPoint(ENTRY_POINT, starts_at, ends_at)]


def completion_rule(points: list[CheckinPoint]) -> CompletionRule:
    return CompletionRule.SHARE if points and points[0].session else CompletionRule.ALL


def checkpoint_problems(checkpoints: Iterable[Checkpoint]) -> list[tuple[int, str]]:
    """(index, code) for each checkpoint that cannot be used: a bad or repeated id, or no Chinese name."""
    problems, seen = [], set()
    for index, checkpoint in enumerate(checkpoints):
        if not POINT_ID.match(checkpoint.point_id) or checkpoint.point_id == SERIES:
            problems.append((index, "checkpoint_id"))
        elif checkpoint.point_id in seen:
            problems.append((index, "checkpoint_repeated"))
        elif not checkpoint.name_zh.strip():
            problems.append((index, "checkpoint_name"))
        seen.add(checkpoint.point_id)
    return problems


def covers(scope: str, point_id: str) -> bool:
    """A whole-event registration admits at every point; a single-session one only at its session."""
    return scope in (SERIES, point_id)


# ---- verdicts --------------------------------------------------------------------------------------------------


class Verdict(StrEnum):
    ADMITTED = "admitted"  # green
    ALREADY = "already"  # amber: checked in before (when, by whom)
    NOT_ADMITTED = "not_admitted"  # red: the registration holds no place (waiting, pending, cancelled ...)
    WRONG_EVENT = "wrong_event"  # red: a ticket for another event
    WRONG_POINT = "wrong_point"  # red: a single-session registration at another session
    REVOKED = "revoked"  # red: an old code, replaced by a new one
    UNKNOWN = "unknown"  # red: not a code of ours, or no such ticket
    OUTSIDE_WINDOW = "outside_window"  # red: self check-in before or after its window
    EXPIRED = "expired"  # red: a venue code whose step is over (a photo passed on): scan the screen again
    TICKET_STALE = "ticket_stale"  # red: a live ticket's old code (a screenshot): show the live code
    LOCATION_NEEDED = "location_needed"  # red: self check-in near the venue only, and no position was sent
    LOCATION_DENIED = "location_denied"  # red: the member's browser refused to give a position
    TOO_FAR = "too_far"  # red: the position sent is further from the venue than the organiser allows
    NOT_REGISTERED = "not_registered"  # red: self check-in by a member without a registration


# A verdict as a station or a member's ticket page says it (``{state}``: the registration's state in words).
VERDICT_MESSAGES: dict[Verdict, str] = {
    Verdict.ADMITTED: N_("checkin.verdict.admitted"),
    Verdict.ALREADY: N_("checkin.verdict.already"),
    Verdict.NOT_ADMITTED: N_("checkin.verdict.not_admitted"),
    Verdict.WRONG_EVENT: N_("checkin.verdict.wrong_event"),
    Verdict.WRONG_POINT: N_("checkin.verdict.wrong_point"),
    Verdict.REVOKED: N_("checkin.verdict.revoked"),
    Verdict.UNKNOWN: N_("checkin.verdict.unknown"),
    Verdict.OUTSIDE_WINDOW: N_("checkin.verdict.outside_window"),
    Verdict.EXPIRED: N_("checkin.verdict.expired"),
    Verdict.TICKET_STALE: N_("checkin.verdict.ticket_stale"),
    Verdict.LOCATION_NEEDED: N_("checkin.verdict.location_needed"),
    Verdict.LOCATION_DENIED: N_("checkin.verdict.location_denied"),
    Verdict.TOO_FAR: N_("checkin.verdict.too_far"),
    Verdict.NOT_REGISTERED: N_("checkin.verdict.not_registered"),
}


def admission_problem(
    state: RegistrationState, scope: str, point_id: str, lead_state: RegistrationState | None = None
) -> Verdict | None:
    """Why this registration cannot be checked in at ``point_id``, or None if it can.

    ``lead_state``: for a pair's partner, the state of the registration that holds the pair's place."""
    if state not in ADMITTING_STATES:
        return Verdict.NOT_ADMITTED
    if state is RegistrationState.PARTNER and lead_state is not RegistrationState.CONFIRMED:
        return Verdict.NOT_ADMITTED
    if not covers(scope, point_id):
        return Verdict.WRONG_POINT
    return None


def unheld_ticket_verdict(revoked_for: str | None, event_id: str | None) -> Verdict:
    """The verdict for a ticket that no registration holds. ``revoked_for``: the event whose registration it was
    replaced on (None: never replaced, or never one of ours). At another event's station a replaced code is that
    event's ticket, as a live one would be (wrong_event); ``event_id`` None: asked without an event (the ticket's
    own page). A replaced code never says whose it was."""
    if revoked_for is None:
        return Verdict.UNKNOWN
    return Verdict.REVOKED if event_id in (None, revoked_for) else Verdict.WRONG_EVENT


# ---- who may check in ------------------------------------------------------------------------------------------


def checkin_roles(points: Iterable[str] | None) -> frozenset[str]:
    """The per-event roles of check-in staff: every point, or only the named sessions or checkpoints."""
    if not points:
        return frozenset({CHECKIN_ROLE})
    return frozenset(f"{CHECKIN_ROLE}@{point}" for point in points)


def is_checkin_role(role: str) -> bool:
    """Check-in duties, as opposed to the event's other roles (referee, judge)."""
    return role == CHECKIN_ROLE or role.startswith(f"{CHECKIN_ROLE}@")


def roles_allow_point(roles: frozenset[str], point_id: str) -> bool:
    return CHECKIN_ROLE in roles or f"{CHECKIN_ROLE}@{point_id}" in roles


def allowed_points(roles: frozenset[str], point_ids: Iterable[str]) -> list[str]:
    return [point for point in point_ids if roles_allow_point(roles, point)]


# ---- venue codes -----------------------------------------------------------------------------------------------


class VenueCode(NamedTuple):
    event_id: str
    point_id: str
    step: int


class VenueCodeInvalid(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "malformed", "bad_signature" or "expired"


def venue_step(at: datetime, seconds: int = VENUE_STEP_SECONDS) -> int:
    """The number of the ``seconds``-long step running at ``at`` (counted from the Unix epoch)."""
    return int(at.timestamp()) // seconds


def step_is_current(step: int, at: datetime, seconds: int, skew: int = VENUE_SKEW_SECONDS) -> bool:
    """Whether ``step`` is the step running at ``at``, give or take ``skew`` seconds at either end."""
    moment = at.timestamp()
    return step * seconds - skew <= moment < (step + 1) * seconds + skew


def _venue_mac(key: bytes, event_id: str, point_id: str, step: int) -> str:
    digest = hmac.new(key, f"venue:{event_id}:{point_id}:{step}".encode(), hashlib.sha256).digest()[:16]
    return base64.b32encode(digest).decode().rstrip("=").lower()


def venue_code(key: bytes, event_id: str, point_id: str, at: datetime, seconds: int = VENUE_STEP_SECONDS) -> str:
    step = venue_step(at, seconds)
    return f"{event_id}.{point_id}.{step}.{_venue_mac(key, event_id, point_id, step)}"


def venue_code_expires_at(at: datetime, seconds: int = VENUE_STEP_SECONDS) -> datetime:
    """When the code shown at ``at`` is replaced on the screen."""
    return datetime.fromtimestamp((venue_step(at, seconds) + 1) * seconds, tz=at.tzinfo)


def parse_venue_code(key: bytes, code: str) -> VenueCode:
    """The venue code's event, point and step if we made it (whenever that was); else VenueCodeInvalid.

    The step's length is the event's setting, so whether the code is still current is asked separately
    (``step_is_current``) once the event is known."""
    text = code.strip()
    if VENUE_PATH in text:
        text = text.rsplit(VENUE_PATH, 1)[1].split("?", 1)[0]
    parts = text.split(".")
    if len(text) > MAX_CODE_CHARS or len(parts) != 4 or not parts[2].isdigit() or not POINT_ID.match(parts[1]):
        raise VenueCodeInvalid("malformed")
    event_id, point_id, step_text, mac = parts
    step = int(step_text)
    if not hmac.compare_digest(mac.lower(), _venue_mac(key, event_id, point_id, step)):
        raise VenueCodeInvalid("bad_signature")
    return VenueCode(event_id, point_id, step)


def read_venue_code(key: bytes, code: str, at: datetime, seconds: int = VENUE_STEP_SECONDS) -> VenueCode:
    """The venue code's event, point and step, if it is ours and its step (``seconds`` long) is current at ``at``;
    else VenueCodeInvalid ("malformed", "bad_signature" or "expired")."""
    venue = parse_venue_code(key, code)
    if not step_is_current(venue.step, at, seconds):
        raise VenueCodeInvalid("expired")
    return venue


# ---- when a point takes check-ins -------------------------------------------------------------------------------
#
# One window for stations, the ticket page and venue self check-in: a point opens ``self_opens_minutes`` before it
# starts (default 30) and closes ``self_closes_minutes`` after it ends (default 0: at its end). Outside it a station
# refuses (``outside_window``) unless the organiser confirms; self check-in is simply refused.


def checkin_window(point: CheckinPoint, settings: CheckinSettings) -> tuple[datetime, datetime]:
    """When check-in at ``point`` is open (both ends included)."""
    return (
        point.starts_at - timedelta(minutes=settings.self_opens_minutes),
        point.ends_at + timedelta(minutes=settings.self_closes_minutes),
    )


def within_window(point: CheckinPoint, settings: CheckinSettings, at: datetime) -> bool:
    opens, closes = checkin_window(point, settings)
    return opens <= at <= closes


def window_refusal(
    point: CheckinPoint, settings: CheckinSettings, at: datetime, confirmed: bool
) -> tuple[datetime, datetime] | None:
    """Whether a station refuses a check-in at ``point`` made at ``at``: the point's window if ``at`` is outside it
    and the organiser did not confirm, else None. Every station path asks this one rule (scans, manual look-up,
    offline uploads judged by the scan's own time, the ticket page)."""
    if confirmed or within_window(point, settings, at):
        return None
    return checkin_window(point, settings)


def current_point(points: Iterable[CheckinPoint], settings: CheckinSettings, at: datetime) -> CheckinPoint | None:
    """The point a station opens on: the one happening now, else one whose window is open (it starts soon), else
    the next to start, else the last one. Points starting together (checkpoints) keep their order: the first wins.
    None when there are no points."""
    ordered = sorted(points, key=lambda point: point.starts_at)
    running = [point for point in ordered if point.starts_at <= at < point.ends_at]
    open_now = [point for point in ordered if within_window(point, settings, at)]
    upcoming = [point for point in ordered if point.starts_at > at]
    for candidates in (running, open_now, upcoming, ordered[-1:]):
        if candidates:
            return candidates[0]
    return None


# ---- attendance ------------------------------------------------------------------------------------------------


class Attendee(NamedTuple):
    """A registration that admits, as the attendance report needs it."""

    staff_no: str
    name: str
    unit_id: str
    scope: str


class MemberAttendance(NamedTuple):
    staff_no: str
    name: str
    unit_id: str
    expected: tuple[str, ...]  # the points this member should attend
    attended: tuple[str, ...]
    completed: bool

    @property
    def percent(self) -> int:
        return round(100 * len(self.attended) / len(self.expected)) if self.expected else 0


class UnitAttendance(NamedTuple):
    unit_id: str
    registered: int
    attended: int  # checked in at least once
    completed: int


def is_completed(attended: int, expected: int, rule: CompletionRule, percent: int) -> bool:
    if expected == 0:
        return False
    if rule is CompletionRule.ALL:
        return attended >= expected
    # Integers only: 4 of 5 sessions is exactly 80 % and completes an 80 % term.
    return attended * 100 >= percent * expected


def attendance_report(
    points: list[CheckinPoint],
    attendees: Iterable[Attendee],
    checked_in: Iterable[tuple[str, str]],
    settings: CheckinSettings,
) -> list[MemberAttendance]:
    """One line per member (merging a member's single-session registrations), by unit then 工号.

    ``checked_in``: (point_id, 工号) of every check-in. A check-in whose registration has since ended still counts
    as attendance of the member if they are listed; a member who is not listed is not reported here."""
    point_ids = [point.point_id for point in points]
    rule = completion_rule(points)
    expected: dict[str, list[str]] = {}
    people: dict[str, Attendee] = {}
    for attendee in attendees:
        people.setdefault(attendee.staff_no, attendee)
        scopes = expected.setdefault(attendee.staff_no, [])
        scopes.extend(point for point in point_ids if covers(attendee.scope, point) and point not in scopes)
    came: dict[str, set[str]] = {}
    for point_id, staff_no in checked_in:
        came.setdefault(staff_no, set()).add(point_id)
    lines = []
    for staff_no, person in people.items():
        wanted = tuple(point for point in point_ids if point in expected[staff_no])
        attended = tuple(point for point in wanted if point in came.get(staff_no, ()))
        done = is_completed(len(attended), len(wanted), rule, settings.completion_percent)
        lines.append(MemberAttendance(staff_no, person.name, person.unit_id, wanted, attended, done))
    return sorted(lines, key=lambda line: (line.unit_id, line.staff_no))


def unit_attendance(lines: Iterable[MemberAttendance]) -> list[UnitAttendance]:
    totals: dict[str, list[int]] = {}
    for line in lines:
        counts = totals.setdefault(line.unit_id, [0, 0, 0])
        counts[0] += 1
        counts[1] += bool(line.attended)
        counts[2] += line.completed
    return [UnitAttendance(unit, *counts) for unit, counts in sorted(totals.items())]


def no_shows(lines: Iterable[MemberAttendance], point_id: str) -> list[MemberAttendance]:
    return [line for line in lines if point_id in line.expected and point_id not in line.attended]
