"""Checking members in: staff scanning tickets (online and late from offline stations), manual look-up, venue
self check-in, check-in staff, settings, tickets and attendance.

Every check-in goes through ``_admit``: the verdict is read from the registration, and the write's conditions
(chalicelib.storage.checkin) make it true at the moment of writing, so two stations scanning one code at the same
instant admit it once and a registration cancelled a moment ago is refused.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace
from datetime import datetime
from typing import Any, Literal, NamedTuple

from chalicelib.domain.access import Principal, administers, can_manage_event, require
from chalicelib.domain.checkin import (
    ADMITTING_STATES,
    UNDO_DAYS,
    Attendee,
    CheckinPoint,
    MemberAttendance,
    VenueCode,
    VenueCodeInvalid,
    Verdict,
    admission_problem,
    allowed_points,
    attendance_report,
    checkin_points,
    checkin_roles,
    checkin_window,
    checkpoint_problems,
    current_point,
    is_checkin_role,
    new_ticket,
    parse_venue_code,
    step_is_current,
    ticket_digest,
    ticket_from_code,
    undo_closed,
    unheld_ticket_verdict,
    venue_code,
    venue_code_expires_at,
    window_refusal,
    within_window,
)
from chalicelib.domain.checkin_codes import Position, location_settings_problems, location_verdict, venue_pass_opened
from chalicelib.domain.records import (
    SERIES,
    CheckIn,
    CheckinConflict,
    CheckinMethod,
    CheckinSettings,
    ConflictKind,
    Event,
    Registration,
    RegistrationState,
    StaffRole,
    normalise_staff_no,
)
from chalicelib.errors import Conflict, DependencyUnavailable, Forbidden, InvalidInput, NotFound
from chalicelib.services import cached_reads
from chalicelib.services.checkin_live import live_problem
from chalicelib.services.events import managed_event, update_event
from chalicelib.services.placing import MAX_ATTEMPTS, back_off
from chalicelib.services.registration import visible_event
from chalicelib.storage import Store
from chalicelib.storage.audit import audit_item
from chalicelib.storage.checkin import ATTENDANCE, TicketHolder
from chalicelib.storage.writes import TransactionFailed

# How far an offline station's clock may run ahead of the server's before its times are taken as the upload's.
_CLOCK_SKEW_SECONDS = 300


class ScanResult(NamedTuple):
    verdict: Verdict
    point_id: str
    holder: TicketHolder | None = None  # who the code or look-up is for (None: unknown, or another event's)
    check_in: CheckIn | None = None  # admitted: the new check-in; already: the earlier one
    replayed: bool = False  # the same scan sent again (a retried request or upload): nothing new was written
    window: tuple[datetime, datetime] | None = None  # outside_window: when the point takes check-ins


class Scan(NamedTuple):
    """One scan as a station sends it: a code or (manual look-up) a 工号, its unique id and when it happened."""

    scan_id: str
    point_id: str
    code: str | None = None
    staff_no: str | None = None
    at: datetime | None = None  # offline: the station's time of the scan
    confirmed: bool = False  # the organiser confirmed a check-in outside the point's window


class UploadResult(NamedTuple):
    scan_id: str
    outcome: Literal["recorded", "replayed", "conflict", "refused"]
    verdict: Verdict


class Station(NamedTuple):
    event: Event
    points: list[CheckinPoint]
    allowed: list[str]  # the points this principal may check people in at


class StationList(NamedTuple):
    station: Station
    point_id: str
    entries: list[Registration]  # registrations that admit (a partner's only while the pair's place is confirmed)
    checked_in: list[CheckIn]
    revoked: list[str]  # digests of replaced tickets of registrations covering the point (offline: "revoked")


class TicketView(NamedTuple):
    event: Event | None
    holder: TicketHolder | None
    own: bool  # the principal is the ticket's member
    allowed: list[str]  # points the principal may check this ticket in at (staff and organisers)
    points: list[CheckinPoint]
    revoked: bool = False  # no event: the code was replaced by a new one (else it is unknown)


class Attendance(NamedTuple):
    event: Event
    points: list[CheckinPoint]
    lines: list[MemberAttendance]
    check_ins: list[CheckIn]
    conflicts: list[CheckinConflict]


# ---- who may check in ------------------------------------------------------------------------------------------


def with_event_roles(store: Store, principal: Principal, event: Event) -> Principal:
    """The principal with their roles for this event (check-in staff), read by key at most once a minute per
    container (chalicelib.services.cached_reads: a removed staff member may scan for at most a minute)."""
    if not principal.signed_in or can_manage_event(principal, event.owner_unit_id):
        return principal
    role = cached_reads.event_role(store, event.event_id, principal.staff_no or "")
    if role is None:
        return principal
    return replace(principal, event_roles={**principal.event_roles, event.event_id: role.roles})


def event_points(store: Store, event: Event, cached: bool = False) -> list[CheckinPoint]:
    """``cached``: a class's sessions as read within the last minute (stations)."""
    if event.format.value != "class":
        return checkin_points(event.starts_at, event.ends_at, [], event.checkin)
    sessions = cached_reads.sessions(store, event.event_id) if cached else store.sessions.for_event(event.event_id)
    return checkin_points(event.starts_at, event.ends_at, sessions, event.checkin)


def _allowed(principal: Principal, event: Event, points: list[CheckinPoint]) -> list[str]:
    ids = [point.point_id for point in points]
    if can_manage_event(principal, event.owner_unit_id):
        return ids
    return allowed_points(principal.event_roles.get(event.event_id, frozenset()), ids)


def station(store: Store, principal: Principal, event_id: str) -> Station:
    """The event, its points and those the principal may check in at; Forbidden for anybody else. The event, its
    sessions and the principal's role are read at most once a minute per container (cached_reads)."""
    event = cached_reads.event(store, event_id)
    if event is None:
        raise NotFound()
    principal = with_event_roles(store, principal, event)
    points = event_points(store, event, cached=True)
    allowed = _allowed(principal, event, points)
    require(bool(allowed))
    return Station(event, points, allowed)


def opening_point(found: Station, at: datetime) -> str:
    """The point a station opens on when none is asked for: of the principal's points, the one happening now, else
    the next, else the last (chalicelib.domain.checkin.current_point)."""
    allowed = [point for point in found.points if point.point_id in found.allowed]
    point = current_point(allowed, found.event.checkin, at)
    return point.point_id if point else found.allowed[0]


class PointWindow(NamedTuple):
    opens: datetime
    closes: datetime
    open_now: bool


def point_window(found: Station, point_id: str, at: datetime) -> PointWindow:
    """When the point takes check-ins, and whether it does at ``at`` (the station's banner)."""
    point = next(point for point in found.points if point.point_id == point_id)
    opens, closes = checkin_window(point, found.event.checkin)
    return PointWindow(opens, closes, within_window(point, found.event.checkin, at))


def _outside_window(found: Station, scan: Scan, at: datetime) -> ScanResult | None:
    """A station's scan at a point outside its window, not confirmed by the organiser: refused. An offline scan is
    judged by its own time (``scan.at``), not by when it is uploaded."""
    point = next(point for point in found.points if point.point_id == scan.point_id)
    window = window_refusal(point, found.event.checkin, scan.at or at, scan.confirmed)
    return None if window is None else ScanResult(Verdict.OUTSIDE_WINDOW, scan.point_id, window=window)


def _point(station_: Station, point_id: str) -> None:
    if point_id not in {point.point_id for point in station_.points}:
        raise InvalidInput([{"type": "unknown_point", "loc": ("point",), "msg": point_id, "ctx": {"input": point_id}}])
    require(point_id in station_.allowed)


# ---- admitting -------------------------------------------------------------------------------------------------


def _lead_state(store: Store, holder: TicketHolder) -> RegistrationState | None:
    if holder.state is not RegistrationState.PARTNER or not holder.partner:
        return None
    lead = store.registrations.get(holder.event_id, holder.scope, holder.partner)
    return lead.state if lead is not None else None


def _admit(
    store: Store,
    holder: TicketHolder,
    point_id: str,
    ticket: str | None,
    scan: Scan,
    by: str,
    method: CheckinMethod,
    station_name: str | None,
    at: datetime,
    offline: bool = False,
    venue_step: int | None = None,
    distance_m: int | None = None,
    by_name: str | None = None,
) -> ScanResult:
    """``venue_step``, ``distance_m``: a self check-in's venue code step and distance from the venue (if measured).
    ``by_name``:
    the scanner's name as identified (stored with the check-in, so that "already" names them without a read)."""
    for attempt in range(MAX_ATTEMPTS):
        problem = admission_problem(holder.state, holder.scope, point_id, _lead_state(store, holder))
        if problem is not None:
            return ScanResult(problem, point_id, holder)
        check_in = CheckIn(
            event_id=holder.event_id,
            point_id=point_id,
            staff_no=holder.staff_no,
            name=holder.name,
            unit_id=holder.unit_id,
            at=min(scan.at, at) if scan.at else at,
            recorded_at=at,
            by=by,
            by_name=_scanner_name(holder, by, by_name),
            method=method,
            scan_id=scan.scan_id,
            station=station_name,
            offline=offline,
            venue_step=venue_step,
            distance_m=distance_m,
        )
        lead = holder.partner if holder.state is RegistrationState.PARTNER else None
        try:
            store.check_ins.admit(check_in, holder.scope, ticket, lead)
        except TransactionFailed as failure:
            if failure.contended:
                back_off(attempt)
                continue
            if failure.failed == {ATTENDANCE}:
                earlier = store.check_ins.get(holder.event_id, point_id, holder.staff_no)
                if earlier is None:  # removed meanwhile (never happens today): try again
                    continue
                if earlier.scan_id == scan.scan_id:
                    return ScanResult(Verdict.ADMITTED, point_id, holder, earlier, replayed=True)
                return ScanResult(Verdict.ALREADY, point_id, holder, earlier)
            current = store.registrations.get(holder.event_id, holder.scope, holder.staff_no)
            if current is None or (ticket is not None and current.ticket != ticket):
                return ScanResult(Verdict.REVOKED if current else Verdict.UNKNOWN, point_id, holder)
            holder = holder._replace(state=current.state)
            continue
        return ScanResult(Verdict.ADMITTED, point_id, holder, check_in)
    raise DependencyUnavailable("busy")


def _scanner_name(holder: TicketHolder, by: str, by_name: str | None) -> str | None:
    """Who scanned, by name: as identified, or the member themself (self check-in)."""
    return by_name or (holder.name if by == holder.staff_no else None)


def _by_code(
    store: Store, event: Event, scan: Scan, by: Principal, station_name: str | None, at: datetime, offline: bool
) -> ScanResult:
    event_id = event.event_id
    ticket = ticket_from_code(scan.code or "")
    if ticket is None:
        return ScanResult(Verdict.UNKNOWN, scan.point_id)
    holder = store.check_ins.holder(ticket)
    if holder is None:
        return ScanResult(_dead_ticket(store, ticket, event_id), scan.point_id)
    if holder.event_id != event_id:
        # Another event's ticket: nothing about its member is shown to this event's staff.
        return ScanResult(Verdict.WRONG_EVENT, scan.point_id)
    # Live tickets: only the code of the current step (an offline scan: of the step when it was scanned).
    stale = live_problem(event, ticket, scan.code or "", scan.at or at)
    if stale is not None:
        return ScanResult(stale, scan.point_id, holder)
    return _admit(store, holder, scan.point_id, ticket, scan, by.staff_no or "", CheckinMethod.SCAN, station_name, at,
                  offline, by_name=by.name)  # fmt: skip


def _dead_ticket(store: Store, ticket: str, event_id: str | None) -> Verdict:
    """What a ticket no registration holds is: replaced by a new one (revoked; another event's: wrong_event, as a
    live one would be), else unknown. ``event_id`` None: any event's (a ticket's own page)."""
    revoked = store.check_ins.revoked(ticket_digest(ticket))
    return unheld_ticket_verdict(revoked.event_id if revoked else None, event_id)


def _holder_of(store: Store, event_id: str, staff_no: str, point_id: str) -> TicketHolder | None:
    """A member's registration for the event that covers the point (whole event first, then the session)."""
    found = store.registrations.of_member_for_event(event_id, normalise_staff_no(staff_no), [SERIES, point_id])
    found.sort(key=lambda registration: (registration.state not in ADMITTING_STATES, registration.scope != SERIES))
    for registration in found:
        return TicketHolder(
            registration.event_id,
            registration.scope,
            registration.staff_no,
            registration.name,
            registration.unit_id,
            registration.state,
            registration.partner,
        )
    return None


def _by_staff_no(
    store: Store, event_id: str, scan: Scan, by: Principal, station_name: str | None, at: datetime, offline: bool
) -> ScanResult:
    holder = _holder_of(store, event_id, scan.staff_no or "", scan.point_id)
    if holder is None:
        return ScanResult(Verdict.NOT_REGISTERED, scan.point_id)
    return _admit(store, holder, scan.point_id, None, scan, by.staff_no or "", CheckinMethod.MANUAL, station_name, at,
                  offline, by_name=by.name)  # fmt: skip


def check_in(
    store: Store, principal: Principal, event_id: str, scan: Scan, station_name: str | None, at: datetime
) -> ScanResult:
    """A station's scan (or manual look-up) as it happens. Sending the same ``scan_id`` again is harmless.
    Outside the point's window it is refused (``outside_window``) unless ``scan.confirmed``."""
    found = station(store, principal, event_id)
    _point(found, scan.point_id)
    refused = _outside_window(found, scan, at)
    if refused is not None:
        return refused
    if scan.staff_no:
        return _by_staff_no(store, event_id, scan, principal, station_name, at, offline=False)
    return _by_code(store, found.event, scan, principal, station_name, at, offline=False)


def upload(
    store: Store, principal: Principal, event_id: str, scans: list[Scan], station_name: str | None, at: datetime
) -> list[UploadResult]:
    """Check-ins an offline station made, sent when the network returned. Idempotent per scan id; what cannot
    simply be recorded (admitted elsewhere first, cancelled meanwhile, unknown) is kept as a conflict."""
    found = station(store, principal, event_id)
    by = principal.staff_no or ""
    results = []
    for scan in scans:
        if scan.point_id not in found.allowed:
            results.append(UploadResult(scan.scan_id, "refused", Verdict.WRONG_POINT))
            continue
        if scan.at is not None and (scan.at - at).total_seconds() > _CLOCK_SKEW_SECONDS:
            scan = scan._replace(at=at)
        if _outside_window(found, scan, at) is not None:  # nothing written: the station should not have taken it
            results.append(UploadResult(scan.scan_id, "refused", Verdict.OUTSIDE_WINDOW))
            continue
        if scan.staff_no:
            result = _by_staff_no(store, event_id, scan, principal, station_name, at, offline=True)
        else:
            result = _by_code(store, found.event, scan, principal, station_name, at, offline=True)
        results.append(_settle_upload(store, event_id, scan, result, by, station_name, at))
    return results


def _settle_upload(
    store: Store, event_id: str, scan: Scan, result: ScanResult, by: str, station_name: str | None, at: datetime
) -> UploadResult:
    if result.verdict is Verdict.ADMITTED:
        return UploadResult(scan.scan_id, "replayed" if result.replayed else "recorded", result.verdict)
    holder = result.holder
    details: dict[str, Any] = {"verdict": result.verdict.value}
    if result.verdict is Verdict.ALREADY and result.check_in is not None:
        kind = ConflictKind.DOUBLE_ADMIT
        first = result.check_in
        details |= {"first_at": first.at.isoformat(), "first_by": first.by, "first_station": first.station}
    elif holder is None:
        kind = ConflictKind.UNKNOWN
    else:
        kind = ConflictKind.NOT_ADMITTED
        details["state"] = holder.state.value
    store.check_ins.add_conflict(
        CheckinConflict(
            event_id=event_id,
            scan_id=scan.scan_id,
            kind=kind,
            point_id=scan.point_id,
            at=min(scan.at, at) if scan.at else at,
            recorded_at=at,
            by=by,
            station=station_name,
            staff_no=holder.staff_no if holder else scan.staff_no,
            name=holder.name if holder else None,
            details=details,
        )
    )
    return UploadResult(scan.scan_id, "conflict", result.verdict)


# ---- removing a mistaken check-in -------------------------------------------------------------------------------


def undo_check_in(
    store: Store, principal: Principal, event_id: str, point_id: str, staff_no: str, reason: str, at: datetime
) -> CheckIn:
    """Remove a check-in made by mistake (the wrong member looked up, a scan at the wrong point): the event's
    organisers and the point's check-in staff, as for scanning, with a reason kept in the audit log; until
    ``UNDO_DAYS`` after the event ends. The member may be checked in again. A check-in that is not there (never
    made, or removed a moment ago by someone else) answers ``not_checked_in``; the removed one is returned."""
    found = station(store, principal, event_id)
    _point(found, point_id)
    reason = reason.strip()
    if not reason:
        raise InvalidInput([{"type": "missing", "loc": ("reason",), "msg": "reason", "ctx": {}}])
    if undo_closed(found.event.ends_at, at):
        raise Conflict("checkin_undo_closed", days=UNDO_DAYS)
    staff_no = normalise_staff_no(staff_no)
    for attempt in range(MAX_ATTEMPTS):
        existing = store.check_ins.get(event_id, point_id, staff_no)
        if existing is None:
            raise NotFound("not_checked_in")
        before = {"at": existing.at.isoformat(), "by": existing.by, "method": existing.method.value}
        audit = audit_item(found.event.owner_unit_id, principal.member_no, "checkin.undo",
                           f"{event_id}/{point_id}/{staff_no}", before=before, after={"reason": reason})  # fmt: skip
        try:
            removed = store.check_ins.remove(event_id, point_id, staff_no, audit)
        except TransactionFailed:  # contended: another write to the check-in at the same moment
            back_off(attempt)
            continue
        if not removed:
            raise NotFound("not_checked_in")
        return existing
    raise DependencyUnavailable("busy")


# ---- venue self check-in ---------------------------------------------------------------------------------------


def venue_key(session_key: str) -> bytes:
    """The venue codes' own key, derived from the app's secret: a venue code can never pass as a session token."""
    return hmac.new(session_key.encode(), b"union-events venue codes", hashlib.sha256).digest()


class VenueDisplay(NamedTuple):
    event: Event
    point: CheckinPoint
    code: str
    expires_at: datetime
    seconds: int  # how often the code changes


def venue_display(
    store: Store, principal: Principal, event_id: str, point_id: str, key: bytes, at: datetime
) -> VenueDisplay:
    """The code to show on the venue's screen now (organisers and check-in staff of the point)."""
    found = station(store, principal, event_id)
    _point(found, point_id)
    if not found.event.checkin.self_checkin:
        raise Conflict("self_checkin_off")
    point = next(point for point in found.points if point.point_id == point_id)
    seconds = found.event.checkin.venue_code_seconds
    code = venue_code(key, event_id, point_id, at, seconds)
    return VenueDisplay(found.event, point, code, venue_code_expires_at(at, seconds), seconds)


class SelfCheckIn(NamedTuple):
    result: ScanResult
    event: Event | None
    point: CheckinPoint | None


class VenueProof(NamedTuple):
    """What a member sends with a venue code besides it: the self check-in page's pass (when they opened the code)
    and, for an event with the location check, their browser's position or why it gave none."""

    venue_pass: str | None = None
    position: Position | None = None
    location_error: str | None = None


def venue_point(
    store: Store, key: bytes, code: str, opened: datetime
) -> tuple[Event, CheckinPoint, VenueCode] | Verdict:
    """The event and point a venue code names if the code is ours and current at ``opened`` (by the event's step);
    else the red verdict: UNKNOWN (not ours, or self check-in is off) or EXPIRED."""
    try:
        venue = parse_venue_code(key, code)
    except VenueCodeInvalid:
        return Verdict.UNKNOWN
    event = store.events.get(venue.event_id)
    if event is None or not event.checkin.self_checkin:
        return Verdict.UNKNOWN
    point = next((point for point in event_points(store, event) if point.point_id == venue.point_id), None)
    if point is None:
        return Verdict.UNKNOWN
    if not step_is_current(venue.step, opened, event.checkin.venue_code_seconds):
        return Verdict.EXPIRED
    return event, point, venue


def self_check_in(
    store: Store,
    principal: Principal,
    code: str,
    scan_id: str,
    key: bytes,
    at: datetime,
    proof: VenueProof | None = None,
) -> SelfCheckIn:
    """A signed-in member checks themself in with the venue code on the screen: the code must be current when they
    opened it (their pass from the self check-in page says when; without one, now), within the point's window, and
    — if the organiser asks — sent from near the venue. One check-in per member and point; the venue code's step is
    recorded with it."""
    staff_no = principal.staff_no or ""
    proof = proof or VenueProof()
    opened = at
    if proof.venue_pass:
        try:
            named = parse_venue_code(key, code)
        except VenueCodeInvalid:
            return SelfCheckIn(ScanResult(Verdict.UNKNOWN, ""), None, None)
        opened = venue_pass_opened(key, proof.venue_pass, staff_no, named, at) or at
    found = venue_point(store, key, code, opened)
    if isinstance(found, Verdict):
        return SelfCheckIn(ScanResult(found, ""), None, None)
    event, point, venue = found
    if not within_window(point, event.checkin, at):
        return SelfCheckIn(ScanResult(Verdict.OUTSIDE_WINDOW, point.point_id), event, point)
    refused, distance = location_verdict(event.checkin, proof.position, proof.location_error)
    if refused is not None:
        return SelfCheckIn(ScanResult(refused, point.point_id), event, point)
    holder = _holder_of(store, event.event_id, staff_no, point.point_id)
    if holder is None:
        return SelfCheckIn(ScanResult(Verdict.NOT_REGISTERED, point.point_id), event, point)
    scan = Scan(scan_id, point.point_id)
    result = _admit(store, holder, point.point_id, None, scan, staff_no, CheckinMethod.SELF, None, at,
                    venue_step=venue.step, distance_m=distance)  # fmt: skip
    return SelfCheckIn(result, event, point)


# ---- the station's list, counts and look-up --------------------------------------------------------------------


def _admitting(registrations: list[Registration]) -> list[Registration]:
    """Registrations that admit now; a partner only while the pair's place (the lead's registration) is confirmed."""
    confirmed = {(r.scope, r.staff_no) for r in registrations if r.state is RegistrationState.CONFIRMED}
    return [
        r
        for r in registrations
        if r.state in ADMITTING_STATES
        and (r.state is not RegistrationState.PARTNER or (r.scope, r.partner) in confirmed)
    ]


def station_list(store: Store, principal: Principal, event_id: str, point_id: str) -> StationList:
    """What an offline station needs to verify codes at a point: who is admitted, and who is already in."""
    found = station(store, principal, event_id)
    _point(found, point_id)
    entries = [r for r in _admitting(store.registrations.for_event(event_id)) if r.scope in (SERIES, point_id)]
    revoked = [r.digest for r in store.check_ins.revoked_for_event(event_id) if r.scope in (SERIES, point_id)]
    return StationList(found, point_id, entries, store.check_ins.for_event(event_id, point_id), revoked)


def checked_in_count(store: Store, principal: Principal, event_id: str, point_id: str) -> int:
    _point(station(store, principal, event_id), point_id)
    return store.check_ins.count(event_id, point_id)


def point_check_ins(store: Store, principal: Principal, event_id: str, point_id: str) -> tuple[Station, list[CheckIn]]:
    """Who is checked in at a point, newest first (the page where staff remove a mistaken check-in)."""
    found = station(store, principal, event_id)
    _point(found, point_id)
    return found, sorted(store.check_ins.for_event(event_id, point_id), key=lambda c: c.at, reverse=True)


def look_up(store: Store, principal: Principal, event_id: str, point_id: str, text: str) -> list[Registration]:
    """Registrations whose 工号 starts with, or whose name contains, ``text``: for people without their phone."""
    _point(station(store, principal, event_id), point_id)
    wanted = text.strip()
    if not wanted:
        return []
    staff_no = normalise_staff_no(wanted)
    matches = [
        r
        for r in store.registrations.for_event(event_id)
        if r.scope in (SERIES, point_id) and (r.staff_no.startswith(staff_no) or wanted in r.name)
    ]
    return sorted(matches, key=lambda r: (r.state not in ADMITTING_STATES, r.staff_no))[:20]


# ---- tickets ---------------------------------------------------------------------------------------------------


def my_ticket(store: Store, principal: Principal, event_id: str, scope: str) -> tuple[Event, Registration]:
    """The member's registration with its ticket, if it admits (a code is shown only for a place held)."""
    event = visible_event(store, principal, event_id)
    registration = store.registrations.get(event_id, scope, principal.staff_no or "")
    if registration is None or not registration.ticket:
        raise NotFound()
    holder = TicketHolder(
        event_id, scope, registration.staff_no, registration.name, registration.unit_id, registration.state,
        registration.partner,
    )  # fmt: skip
    if admission_problem(registration.state, scope, scope, _lead_state(store, holder)) is not None:
        raise Conflict("no_ticket")
    return event, registration


def replace_ticket(store: Store, principal: Principal, event_id: str, scope: str, at: datetime) -> Registration:
    """A new code for the member's registration; the old one (a screenshot sent on, a lost phone) stops working."""
    _, registration = my_ticket(store, principal, event_id, scope)
    old = registration.ticket or ""
    for attempt in range(MAX_ATTEMPTS):
        try:
            replaced = store.check_ins.replace_ticket(event_id, scope, registration.staff_no, old, new_ticket(), at)
        except TransactionFailed:  # contended: another write to the registration at the same moment
            back_off(attempt)
            continue
        if not replaced:
            raise Conflict("no_ticket")
        return store.registrations.get(event_id, scope, registration.staff_no) or registration
    raise DependencyUnavailable("busy")


def ticket_view(store: Store, principal: Principal, code: str) -> TicketView:
    """What opening a ticket's URL shows: to its event's check-in staff the member and a check-in button; to the
    member their ticket; to anyone else only which event it is for."""
    ticket = ticket_from_code(code)
    holder = store.check_ins.holder(ticket) if ticket else None
    event = store.events.get(holder.event_id) if holder else None
    if holder is None or event is None:
        revoked = ticket is not None and holder is None and _dead_ticket(store, ticket, None) is Verdict.REVOKED
        return TicketView(None, None, False, [], [], revoked)
    principal = with_event_roles(store, principal, event)
    points = event_points(store, event)
    allowed = _allowed(principal, event, points)
    own = principal.staff_no == holder.staff_no
    return TicketView(event, holder if (allowed or own) else None, own, allowed, points)


def check_in_ticket(
    store: Store, principal: Principal, code: str, point_id: str, scan_id: str, at: datetime, confirmed: bool = False
) -> ScanResult:
    """Staff who opened a ticket's URL with their phone's camera confirm the check-in."""
    ticket = ticket_from_code(code)
    holder = store.check_ins.holder(ticket) if ticket else None
    if holder is None:
        return ScanResult(_dead_ticket(store, ticket, None) if ticket else Verdict.UNKNOWN, point_id)
    scan = Scan(scan_id, point_id, code=code, confirmed=confirmed)
    return check_in(store, principal, holder.event_id, scan, "phone", at)


# ---- staff, settings and attendance ----------------------------------------------------------------------------


def staff_of(store: Store, principal: Principal, event_id: str) -> tuple[Event, list[StaffRole]]:
    event = managed_event(store, principal, event_id)
    staff = [role for role in store.event_roles.for_event(event_id) if any(map(is_checkin_role, role.roles))]
    return event, sorted(staff, key=lambda role: role.staff_no)


def name_staff(
    store: Store, principal: Principal, event_id: str, staff_no: str, points: list[str], at: datetime
) -> StaffRole:
    """Make a member check-in staff for the event: every point, or only the listed sessions or checkpoints."""
    event = managed_event(store, principal, event_id)
    member = store.members.get(normalise_staff_no(staff_no))
    if member is None:
        raise InvalidInput(
            [{"type": "unknown_member", "loc": ("staff_no",), "msg": staff_no, "ctx": {"input": staff_no}}]
        )
    known = {point.point_id for point in event_points(store, event)}
    unknown = [point for point in points if point not in known]
    if unknown:
        listed = ",".join(unknown)
        raise InvalidInput([{"type": "unknown_point", "loc": ("points",), "msg": listed, "ctx": {"input": listed}}])
    before = store.event_roles.get(event_id, member.staff_no)
    # Other roles for the event (referee, judge) are kept: only the check-in duties are replaced.
    kept = frozenset(role for role in before.roles if not is_checkin_role(role)) if before else frozenset()
    role = StaffRole(event_id, member.staff_no, member.name, member.unit_id, kept | checkin_roles(points),
                     principal.staff_no or "", at)  # fmt: skip
    audit = audit_item(
        event.owner_unit_id,
        principal.member_no,
        "event.staff",
        f"{event_id}/{member.staff_no}",
        before={"roles": sorted(before.roles)} if before else None,
        after={"roles": sorted(role.roles)},
    )
    store.event_roles.put(role, audit)
    return role


def remove_staff(store: Store, principal: Principal, event_id: str, staff_no: str) -> None:
    event = managed_event(store, principal, event_id)
    staff_no = normalise_staff_no(staff_no)
    before = store.event_roles.get(event_id, staff_no)
    if before is None or not any(is_checkin_role(role) for role in before.roles):
        raise NotFound()
    kept = frozenset(role for role in before.roles if not is_checkin_role(role))
    after = {"roles": sorted(kept)} if kept else None
    audit = audit_item(event.owner_unit_id, principal.member_no, "event.staff", f"{event_id}/{staff_no}",
                       before={"roles": sorted(before.roles)}, after=after)  # fmt: skip
    if kept:
        store.event_roles.put(before._replace(roles=kept), audit)
        return
    try:
        store.event_roles.delete(event_id, staff_no, audit)
    except TransactionFailed as failure:
        raise NotFound() from failure


def duties(store: Store, principal: Principal) -> list[tuple[StaffRole, Event]]:
    """The events a member is check-in staff for, with their events (for the member's page)."""
    roles = [
        role for role in store.event_roles.for_staff(principal.staff_no or "") if any(map(is_checkin_role, role.roles))
    ]
    events = store.events.get_many(role.event_id for role in roles) if roles else {}
    return [(role, events[role.event_id]) for role in roles if role.event_id in events]


def set_settings(store: Store, principal: Principal, event_id: str, settings: CheckinSettings, at: datetime) -> Event:
    problems: list[tuple[tuple[str | int, ...], str]] = [
        (("checkpoints", index), code) for index, code in checkpoint_problems(settings.checkpoints)
    ]
    problems += [((field,), code) for field, code in location_settings_problems(settings)]
    if problems:
        raise InvalidInput([{"type": code, "loc": loc, "msg": code, "ctx": {}} for loc, code in problems])
    return update_event(store, principal, event_id, {"checkin": settings}, confirm=True, at=at)


def attendance(store: Store, principal: Principal, event_id: str) -> Attendance:
    """Who came, where and when, and who did not: the organisers see everyone; a unit admin their units' members."""
    event = visible_event(store, principal, event_id)
    manager = can_manage_event(principal, event.owner_unit_id)
    if not manager and not (principal.admin_of or principal.union_admin):
        raise Forbidden()
    points = event_points(store, event)
    registrations = _admitting(store.registrations.for_event(event_id))
    attendees = [Attendee(r.staff_no, r.name, r.unit_id, r.scope) for r in registrations]
    check_ins = store.check_ins.for_event(event_id)
    lines = attendance_report(points, attendees, [(c.point_id, c.staff_no) for c in check_ins], event.checkin)
    if not manager:
        lines = [line for line in lines if administers(principal, line.unit_id)]
        check_ins = [c for c in check_ins if administers(principal, c.unit_id)]
    conflicts = store.check_ins.conflicts(event_id) if manager else []
    return Attendance(event, points, lines, check_ins, conflicts)


def my_attendance(store: Store, principal: Principal) -> list[tuple[CheckIn, Event | None]]:
    check_ins = store.check_ins.for_member(principal.staff_no or "")
    events = store.events.get_many({c.event_id for c in check_ins}) if check_ins else {}
    return [(c, events.get(c.event_id)) for c in check_ins]
