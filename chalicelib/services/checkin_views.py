"""What the check-in screens show besides what chalicelib.services.checkin decides: the event a refused ticket names,
what a venue code points at, a member's own progress over several points, earlier check-ins at a ticket's points,
who checked people in. Read here for the pages and for the API routes that serve the same data."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from chalicelib.domain.access import Principal
from chalicelib.domain.checkin import (
    ADMITTING_STATES,
    Attendee,
    CheckinPoint,
    Verdict,
    attendance_report,
    completion_rule,
)
from chalicelib.domain.checkin_codes import venue_pass
from chalicelib.domain.records import SERIES, CheckIn, CheckinConflict, Event
from chalicelib.services import checkin as checkin_service
from chalicelib.services.checkin import event_points
from chalicelib.services.organisation_views import member_names

if TYPE_CHECKING:
    from chalicelib.storage import Store


def known_event(store: Store, event_id: str) -> Event | None:
    """The event, if there is one (to name it on a refusal; who may see what was decided before)."""
    return store.events.get(event_id)


class VenueView(NamedTuple):
    event: Event
    point: CheckinPoint
    venue_pass: str  # sent back with the check-in: this member opened a current code now


def venue(store: Store, principal: Principal, key: bytes, code: str, at: datetime) -> VenueView | Verdict:
    """The event and point a venue code names, read without checking in, with the member's pass; else the red
    verdict to show (a code not current now is EXPIRED)."""
    found = checkin_service.venue_point(store, key, code, at)
    if isinstance(found, Verdict):
        return found
    event, point, named = found
    return VenueView(event, point, venue_pass(key, principal.staff_no or "", named, at))


class Progress(NamedTuple):
    """A member's attendance over an event's points, by the organisers' completion rule."""

    attended: int
    expected: int
    completed: bool
    rule: str
    percent: int


def progress(
    store: Store, principal: Principal, event: Event, points: list[CheckinPoint], came: list[CheckIn]
) -> Progress | None:
    """Attended / expected and completion for an event with several points (a term's sessions, a walk's
    checkpoints), by the organisers' own rule (chalicelib.domain.checkin.attendance_report) applied to the
    member's own registrations and check-ins only; None for a single entry, or once no registration admits."""
    if len(points) < 2:
        return None
    scopes = [SERIES] + [point.point_id for point in points if point.session]
    registrations = store.registrations.of_member_for_event(event.event_id, principal.staff_no or "", scopes)
    attendees = [Attendee(r.staff_no, r.name, r.unit_id, r.scope) for r in registrations if r.state in ADMITTING_STATES]
    lines = attendance_report(points, attendees, [(c.point_id, c.staff_no) for c in came], event.checkin)
    if not lines:
        return None
    line = lines[0]
    return Progress(
        attended=len(line.attended),
        expected=len(line.expected),
        completed=line.completed,
        rule=completion_rule(points).value,
        percent=event.checkin.completion_percent,
    )


def earlier_check_ins(store: Store, event_id: str, point_ids: Iterable[str], staff_no: str) -> dict[str, CheckIn]:
    """The member's check-ins at each of ``point_ids``, by point (read by key, one per point)."""
    found = {point_id: store.check_ins.get(event_id, point_id, staff_no) for point_id in point_ids}
    return {point_id: check_in for point_id, check_in in found.items() if check_in is not None}


def arrivals(store: Store, event_id: str, point_id: str) -> dict[str, datetime]:
    """When each member checked in at a point, by 工号."""
    return {c.staff_no: c.at for c in store.check_ins.for_event(event_id, point_id)}


def checked_in_by(store: Store, check_ins: list[CheckIn], conflicts: list[CheckinConflict]) -> dict[str, str]:
    """Names of who checked people in, by 工号: as each check-in stored it (``by_name``, written with it), else a
    member among the check-ins (self check-in); only the few staff of check-ins written before names were stored
    and of conflicts are read, once each; someone unknown is shown by 工号."""
    names = {c.staff_no: c.name for c in check_ins} | {c.by: c.by_name for c in check_ins if c.by_name}
    first = {str(c.details["first_by"]) for c in conflicts if c.details and c.details.get("first_by")}
    others = ({c.by for c in check_ins} | {c.by for c in conflicts} | first) - names.keys()
    found = member_names(store, others)
    return {**names, **{staff_no: found.get(staff_no, staff_no) for staff_no in others}}


# ---- a member's own attendance and duties -------------------------------------------------------------------------


class EventAttendance(NamedTuple):
    """A member's check-ins at one event (newest first), the event's points and their progress over them."""

    event_id: str
    event: Event | None
    check_ins: list[CheckIn]
    points: list[CheckinPoint]
    progress: Progress | None


def my_attendance(store: Store, principal: Principal) -> list[EventAttendance]:
    """The member's own check-ins grouped by event, events in the order of their newest check-in."""
    events: dict[str, Event | None] = {}
    came: dict[str, list[CheckIn]] = {}
    for check_in, event in checkin_service.my_attendance(store, principal):
        came.setdefault(check_in.event_id, []).append(check_in)
        events.setdefault(check_in.event_id, event)
    groups = []
    for event_id, event in events.items():
        points = event_points(store, event) if event else []
        shown = progress(store, principal, event, points, came[event_id]) if event else None
        groups.append(EventAttendance(event_id, event, came[event_id], points, shown))
    return groups


class Duty(NamedTuple):
    """An event the member checks people in at: the points they are limited to (none: every point)."""

    event: Event
    limited: list[str]
    points: list[CheckinPoint]


def my_duties(store: Store, principal: Principal) -> list[Duty]:
    """The events the member is check-in staff for, soonest first."""
    duties = []
    for role, event in sorted(checkin_service.duties(store, principal), key=lambda pair: pair[1].starts_at):
        limited = sorted(name.partition("@")[2] for name in role.roles if "@" in name)
        duties.append(Duty(event, limited, event_points(store, event) if limited else []))
    return duties
