"""A member's year (issue 21 item 3): the events of a year they registered for, what each was for them, their
check-ins, the sessions they attended of a class against those held for them, completions and awards, and the
year's totals. Served to the member themself (/me/year), their unit's admins and the union admin
(/admin/members/{staff_no}/year) and the API, and printed as a participation record.

Live reads only, each by key or index (docs/data-model.md): the member (GetItem), their registrations made from the
year before to the year after (registrations.by_member, a range of registered_at), their check-ins of the same
stretch (attendance.by_member, a range of at), the events (BatchGet), a class's sessions (one Query each, for the
classes they took part in), the competitions of the competitions they took part in (chalicelib.services.
certificates_views.member_awards: the same awards their certificates print) and the units' names (two reads).
Which registration counts and the year's stretches of time are chalicelib.domain.member_year's; attendance and
completion are the organisers' own rule (chalicelib.domain.checkin.attendance_report), as on the attendance page.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from chalicelib.domain.archive import FIRST_YEAR, LAST_YEAR
from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.checkin import ADMITTING_STATES, Attendee, attendance_report, completion_rule
from chalicelib.domain.member_year import (
    Participation,
    check_ins_window,
    offered_years,
    participation,
    registrations_window,
    starts_in,
)
from chalicelib.domain.records import SCHOOL_UNIT_ID, CheckIn, Event, EventStatus, Member, Registration
from chalicelib.errors import NotFound
from chalicelib.services.certificates_views import Certificate, member_awards
from chalicelib.services.checkin import event_points
from chalicelib.services.organisation_views import readable_member, unit_names

if TYPE_CHECKING:
    from chalicelib.domain.access import Principal
    from chalicelib.storage import Store


class YearEvent(NamedTuple):
    """One event of the year as it was for the member. ``attended``/``expected``/``completed``: the points (a class's
    sessions, a walk's checkpoints) attended of those their registrations covered and whether that completes the
    event by the organisers' rule; None for an event with one entry point or one they did not take part in."""

    event: Event
    organiser: str  # the organising unit's name
    participation: Participation
    check_ins: int
    attended: int | None
    expected: int | None
    completed: bool | None
    rule: str | None  # chalicelib.domain.checkin.CompletionRule's value where there is a completion
    percent: int  # the event's completion percent (classes)
    awards: list[Certificate]
    upcoming: bool  # not started yet: a place held is a place booked

    @property
    def took_part(self) -> bool:
        return self.participation is Participation.TOOK_PART


class YearTotals(NamedTuple):
    """What the year adds up to: only events the member took part in count."""

    events: int
    check_ins: int
    completions: int
    awards: int


class MemberYear(NamedTuple):
    member: Member
    unit: str  # the member's unit's name
    union: str  # the school union's name (the printed record's issuer)
    year: int
    events: list[YearEvent]  # by start, earliest first
    totals: YearTotals
    years: list[int]  # what the year picker offers, newest first
    own: bool  # the member reading their own year


def member_year(
    store: Store, principal: Principal, staff_no: str, year: int, at: datetime, language: str
) -> MemberYear:
    """Member ``staff_no``'s year ``year`` (China time) for a reader who may read the member (the member themself,
    their unit's admins, the union admin: chalicelib.domain.access.can_read_member; else Forbidden). NotFound for
    an unknown member or a year outside the years the app knows."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise NotFound()
    member = readable_member(store, principal, staff_no)
    registrations = store.registrations.for_member_between(member.staff_no, *registrations_window(year))
    by_event: dict[str, list[Registration]] = {}
    for registration in registrations:
        by_event.setdefault(registration.event_id, []).append(registration)
    events = store.events.get_many(by_event) if by_event else {}
    ours = sorted(
        (e for e in events.values() if starts_in(e.starts_at, year) and e.status is not EventStatus.DRAFT),
        key=lambda e: (e.starts_at, e.event_id),
    )
    came: dict[str, list[CheckIn]] = {}
    if ours:
        for check_in in store.check_ins.for_member_between(member.staff_no, *check_ins_window(year)):
            came.setdefault(check_in.event_id, []).append(check_in)
    names = unit_names(store, language)
    took_part = [e for e in ours if _part(by_event[e.event_id], e) is Participation.TOOK_PART]
    won: dict[str, list[Certificate]] = {}
    for certificate in member_awards(store, member.staff_no, took_part, language):
        won.setdefault(certificate.event_id, []).append(certificate)
    rows = [
        _row(
            store, event, names, by_event[event.event_id], came.get(event.event_id, []), won.get(event.event_id, []), at
        )
        for event in ours
    ]
    this_year = at.astimezone(CHINA_TZ).year
    return MemberYear(
        member=member,
        unit=names.get(member.unit_id, member.unit_id),
        union=names.get(SCHOOL_UNIT_ID, SCHOOL_UNIT_ID),
        year=year,
        events=rows,
        totals=_totals(rows),
        years=sorted({*offered_years(this_year), year}, reverse=True),
        own=principal.staff_no == member.staff_no,
    )


def _row(
    store: Store,
    event: Event,
    names: dict[str, str],
    registrations: list[Registration],
    came: list[CheckIn],
    won: list[Certificate],
    at: datetime,
) -> YearEvent:
    part = _part(registrations, event)
    attended = expected = completed = rule = None
    if part is Participation.TOOK_PART:
        points = event_points(store, event)
        if len(points) >= 2:  # a completion only where there are several points (as the attendance page shows)
            attendees = [
                Attendee(r.staff_no, r.name, r.unit_id, r.scope) for r in registrations if r.state in ADMITTING_STATES
            ]
            lines = attendance_report(points, attendees, [(c.point_id, c.staff_no) for c in came], event.checkin)
            if lines:
                attended, expected, completed = len(lines[0].attended), len(lines[0].expected), lines[0].completed
                rule = completion_rule(points).value
    return YearEvent(
        event=event,
        organiser=names.get(event.owner_unit_id, event.owner_unit_id),
        participation=part,
        check_ins=len(came),
        attended=attended,
        expected=expected,
        completed=completed,
        rule=rule,
        percent=event.checkin.completion_percent,
        awards=won,
        upcoming=event.starts_at > at,
    )


def _part(registrations: list[Registration], event: Event) -> Participation:
    return participation((r.state for r in registrations), event.status)


def _totals(rows: list[YearEvent]) -> YearTotals:
    counted = [row for row in rows if row.took_part]
    return YearTotals(
        events=len(counted),
        check_ins=sum(row.check_ins for row in counted),
        completions=sum(1 for row in counted if row.completed),
        awards=sum(len(row.awards) for row in counted),
    )


def year_or_this(year: int | None, at: datetime) -> int:
    """The year asked for, else this year (China time)."""
    return year if year is not None else at.astimezone(CHINA_TZ).year


def readable_year(year: str | None, at: datetime) -> int:
    """A ``?year=`` as typed: four digits in the years the app knows, else NotFound; none: this year."""
    if year is None or year == "":
        return year_or_this(None, at)
    if not (len(year) == 4 and year.isdigit()) or not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise NotFound()
    return int(year)
