"""The union's year in numbers (issue 21): what each *source* contributes to the year's rollups.

Aggregates are kept by recounting one source at a time and swapping its contribution (chalicelib/services/stats.py,
chalicelib/storage/stats.py). A source is an event (for the China-time year it starts in), a member's year, or a
member's place on the roster now (headcount). Its contribution is a small map ``{rollup item: {counter: n}}``
computed here, purely, from what the store holds now; writing it adds ``new - old`` to every rollup it touches, in
one transaction with the contribution itself, so a replayed or repeated recount never counts twice.

Rollup items are ``t#union`` (the whole union) and ``t#u#<unit_id>`` (one unit). Counters are named by the
constants below; the dashboard, the workbook and the benchmark read them by these names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, NamedTuple

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.checkin import (
    ADMITTING_STATES,
    Attendee,
    CheckinPoint,
    attendance_report,
)
from chalicelib.domain.records import (
    CheckIn,
    CheckinSettings,
    Event,
    EventStatus,
    Gender,
    Member,
    MemberStatus,
    Registration,
    RegistrationState,
)

Contribution = dict[str, dict[str, int]]

UNION = "t#union"
UNIT_PREFIX = "t#u#"
ROLLUP_PREFIX = "t#"
EVENT_PREFIX = "e#"
MEMBER_PREFIX = "m#"
HEADCOUNT_SCOPE = "h"

# ---- event counters (on the owner unit and the union) ----------------------------------------------------------
EVENTS = "events"
EVENTS_CANCELLED = "events_cancelled"
KIND_PREFIX = "kind_"  # kind_sports, kind_skills, kind_wellness
FORMAT_PREFIX = "format_"  # format_tournament, format_class ...
MONTH_PREFIX = "month_"  # month_01 ... month_12 (China-time start month)
# ---- participation counters (on each participant's unit, as copied on the registration, and the union) --------
PLACES = "places"  # members holding a place (confirmed, a pair's partner, on a team's roster): one per member
WAITING = "waiting"  # members on the waiting list (and holding no place)
CHECKINS = "checkins"  # 人次: check-ins (one per member per check-in point)
COMPLETIONS = "completions"  # members who met the completion rule of an event with several points
# ---- awards (on the award-winning entry's unit, or the unit itself for unit awards, and the union) -------------
AWARDS = "awards"
PLACE_PREFIX = "place_"  # place_1 .. place_3: medals (a final place, a meet discipline's or unit table's place)
PODIUM = 3
# ---- member-year counters (on the member's current unit and the union) ----------------------------------------
REACHED = "reached"  # distinct members who held a place in at least one event of the year
REACHED_PREFIX = "reached_"  # reached_F, reached_M
REACHED_RETIRED = "reached_retired"
AGE_BANDS = ("age_u35", "age_36_45", "age_46_55", "age_56p")  # age on 31 December of the year
ATTENDEES = "attendees"  # distinct members checked in at least once in an event of the year
# ---- headcount (scope "h": the roster now) --------------------------------------------------------------------
MEMBERS = "members"  # active or retired members (left: none)
MEMBERS_RETIRED = "members_retired"
MEMBERS_PREFIX = "members_"  # members_F, members_M

# The states that hold a place (counted in ``places``) and the waiting list's.
PLACE_STATES = ADMITTING_STATES
WAITING_STATES = frozenset({RegistrationState.WAITING})


def union_key() -> str:
    return UNION


def unit_key(unit_id: str) -> str:
    return f"{UNIT_PREFIX}{unit_id}"


def unit_of(rollup: str) -> str | None:
    """The unit a rollup item is of; None for the union's."""
    return rollup[len(UNIT_PREFIX) :] if rollup.startswith(UNIT_PREFIX) else None


def year_scope(year: int) -> str:
    return f"y#{year}"


def event_item(event_id: str) -> str:
    return f"{EVENT_PREFIX}{event_id}"


def member_item(staff_no: str) -> str:
    return f"{MEMBER_PREFIX}{staff_no}"


def china_date(moment: datetime) -> date:
    return moment.astimezone(CHINA_TZ).date()


def year_of(event: Event) -> int:
    """The year an event counts in: the China-time year it starts in."""
    return china_date(event.starts_at).year


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The China-time year as [start, end) instants."""
    return datetime(year, 1, 1, tzinfo=CHINA_TZ), datetime(year + 1, 1, 1, tzinfo=CHINA_TZ)


def age_band(birth_date: date | None, year: int) -> str | None:
    """The member's age band by their age on 31 December of ``year`` (their birthday has passed by then); None
    without a birth date."""
    if birth_date is None:
        return None
    age = year - birth_date.year
    if age <= 35:
        return AGE_BANDS[0]
    if age <= 45:
        return AGE_BANDS[1]
    if age <= 55:
        return AGE_BANDS[2]
    return AGE_BANDS[3]


def counts_in_year(event: Event) -> bool:
    """Whether an event's participation counts: listed (not a draft) and not cancelled."""
    return event.status not in (EventStatus.DRAFT, EventStatus.CANCELLED)


# ---- building contributions ------------------------------------------------------------------------------------


def _add(found: Contribution, units: Iterable[str], counter: str, amount: int = 1) -> None:
    """Add ``amount`` to ``counter`` on each of ``units``' rollups and once on the union's."""
    if amount == 0:
        return
    for rollup in [*(unit_key(unit) for unit in dict.fromkeys(units)), UNION]:
        counters = found.setdefault(rollup, {})
        counters[counter] = counters.get(counter, 0) + amount


def _clean(found: Contribution) -> Contribution:
    cleaned = {rollup: {c: n for c, n in counters.items() if n} for rollup, counters in found.items()}
    return {rollup: counters for rollup, counters in cleaned.items() if counters}


class AwardFact(NamedTuple):
    """One award of an event's published competition as the statistics keep it: the place on the podium (or a
    discipline's place; None for a tier), the tier's code, its wording, the entry and its unit, and the members."""

    place: int | None
    tier: str | None
    label_zh: str
    label_en: str
    entry: str
    unit: str
    members: tuple[str, ...]
    podium: bool = True  # a place that is a medal when 1-3 (final, discipline, unit table), not a tier or 优秀组织奖

    def as_dict(self) -> dict[str, Any]:
        return {
            "place": self.place,
            "tier": self.tier,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "entry": self.entry,
            "unit": self.unit,
            "members": list(self.members),
        }


class EventFacts(NamedTuple):
    """What an event's contribution is computed from: the event, its registrations, its check-ins, its check-in
    points and settings, and the awards of its published competition."""

    event: Event
    registrations: tuple[Registration, ...] = ()
    check_ins: tuple[CheckIn, ...] = ()
    points: tuple[CheckinPoint, ...] = ()
    awards: tuple[AwardFact, ...] = ()


def _members_by_state(registrations: Iterable[Registration], states: frozenset[RegistrationState]) -> dict[str, str]:
    """工号 → unit of members with a registration in one of ``states`` (a member's first such registration)."""
    found: dict[str, str] = {}
    for registration in registrations:
        if registration.state in states:
            found.setdefault(registration.staff_no, registration.unit_id)
    return found


def _completed(facts: EventFacts, settings: CheckinSettings) -> list[tuple[str, str]]:
    """(工号, unit) of members who met the completion rule: only events with several check-in points (a class's
    sessions, a walk's checkpoints) have one."""
    if len(facts.points) < 2:
        return []
    attendees = [
        Attendee(r.staff_no, r.name, r.unit_id, r.scope) for r in facts.registrations if r.state in ADMITTING_STATES
    ]
    lines = attendance_report(
        list(facts.points), attendees, [(c.point_id, c.staff_no) for c in facts.check_ins], settings
    )
    return [(line.staff_no, line.unit_id) for line in lines if line.completed]


def event_contribution(facts: EventFacts) -> Contribution:
    """An event's contribution to its year: nothing for a draft; ``events_cancelled`` for a cancelled one; else the
    event itself on its owner unit, and places, waiting, check-ins, completions and awards on each participant's
    unit, each also on the union."""
    event = facts.event
    found: Contribution = {}
    if event.status is EventStatus.DRAFT:
        return found
    owner = [event.owner_unit_id]
    if event.status is EventStatus.CANCELLED:
        _add(found, owner, EVENTS_CANCELLED)
        return found
    month = china_date(event.starts_at).month
    for counter in (EVENTS, f"{KIND_PREFIX}{event.kind.value}", f"{FORMAT_PREFIX}{event.format.value}"):
        _add(found, owner, counter)
    _add(found, owner, f"{MONTH_PREFIX}{month:02d}")
    places = _members_by_state(facts.registrations, PLACE_STATES)
    for unit in places.values():
        _add(found, [unit], PLACES)
    waiting = _members_by_state(facts.registrations, WAITING_STATES)
    for staff_no, unit in waiting.items():
        if staff_no not in places:
            _add(found, [unit], WAITING)
    registered = _members_by_state(facts.registrations, frozenset(RegistrationState))
    for check_in in facts.check_ins:
        _add(found, [check_in.unit_id or registered.get(check_in.staff_no, "")], CHECKINS)
    for _staff_no, unit in _completed(facts, event.checkin):
        _add(found, [unit], COMPLETIONS)
    for award in facts.awards:
        _add(found, [award.unit], AWARDS)
        if award.podium and award.place is not None and 1 <= award.place <= PODIUM:
            _add(found, [award.unit], f"{PLACE_PREFIX}{award.place}")
    return _clean(found)


def event_summary(facts: EventFacts) -> dict[str, Any]:
    """What the workbook and members' pages read of an event without recounting it (the ``e#`` item's summary)."""
    event = facts.event
    places = _members_by_state(facts.registrations, PLACE_STATES)
    waiting = _members_by_state(facts.registrations, WAITING_STATES)
    completed = sorted(staff_no for staff_no, _unit in _completed(facts, event.checkin))
    return {
        "title_zh": event.title_zh,
        "title_en": event.title_en,
        "kind": event.kind.value,
        "format": event.format.value,
        "owner": event.owner_unit_id,
        "starts_at": event.starts_at.astimezone(CHINA_TZ).isoformat(),
        "status": event.status.value,
        "places": len(places),
        "waiting": len(waiting.keys() - places.keys()),
        "checkins": len(facts.check_ins),
        "attendees": len({c.staff_no for c in facts.check_ins}),
        "completions": len(completed),
        "completed": completed,
        "awards": [award.as_dict() for award in facts.awards],
    }


class MemberYearFacts(NamedTuple):
    """A member's year: the member as the roster holds them now (None: no longer on it), the events of the year in
    which they hold a place, and their check-ins at events of the year (counted events only)."""

    staff_no: str
    year: int
    member: Member | None
    place_events: frozenset[str] = frozenset()
    checkin_events: frozenset[str] = frozenset()
    checkins: int = 0


def member_year_contribution(facts: MemberYearFacts) -> Contribution:
    """A member's year on their CURRENT unit and the union: reached (held a place in an event of the year) with
    gender, retired and age band; attendees (checked in at least once)."""
    found: Contribution = {}
    member = facts.member
    if member is None:
        return found
    unit = [member.unit_id]
    if facts.place_events:
        _add(found, unit, REACHED)
        _add(found, unit, f"{REACHED_PREFIX}{member.gender.value}")
        if member.status is MemberStatus.RETIRED:
            _add(found, unit, REACHED_RETIRED)
        band = age_band(member.birth_date, facts.year)
        if band is not None:
            _add(found, unit, band)
    if facts.checkins:
        _add(found, unit, ATTENDEES)
    return _clean(found)


def member_year_summary(facts: MemberYearFacts) -> dict[str, Any]:
    """The ``m#`` item's summary: who, where, and how much they took part in the year."""
    member = facts.member
    return {
        "name": member.name if member else "",
        "unit": member.unit_id if member else "",
        "gender": member.gender.value if member else "",
        "age_band": age_band(member.birth_date, facts.year) if member else None,
        "retired": bool(member and member.status is MemberStatus.RETIRED),
        "events": len(facts.place_events | facts.checkin_events),
        "places": len(facts.place_events),
        "checkins": facts.checkins,
    }


def headcount_contribution(member: Member | None) -> Contribution:
    """A member's place on the roster now (scope ``h``): members, retired, by gender; nothing once they left."""
    found: Contribution = {}
    if member is None or member.status is MemberStatus.LEFT:
        return found
    unit = [member.unit_id]
    _add(found, unit, MEMBERS)
    if member.status is MemberStatus.RETIRED:
        _add(found, unit, MEMBERS_RETIRED)
    if member.gender in (Gender.FEMALE, Gender.MALE):
        _add(found, unit, f"{MEMBERS_PREFIX}{member.gender.value}")
    return _clean(found)


def delta(old: Mapping[str, Mapping[str, int]], new: Mapping[str, Mapping[str, int]]) -> Contribution:
    """What to add to each rollup to replace ``old`` by ``new`` (zeros left out)."""
    found: Contribution = {}
    for rollup in dict.fromkeys([*old, *new]):
        before, after = old.get(rollup, {}), new.get(rollup, {})
        for counter in dict.fromkeys([*before, *after]):
            change = after.get(counter, 0) - before.get(counter, 0)
            if change:
                found.setdefault(rollup, {})[counter] = change
    return found


def total(contributions: Iterable[Mapping[str, Mapping[str, int]]]) -> Contribution:
    """The rollups that the given contributions add up to (what rebuild compares with the stored rollups)."""
    found: Contribution = {}
    for contribution in contributions:
        for rollup, counters in contribution.items():
            into = found.setdefault(rollup, {})
            for counter, amount in counters.items():
                into[counter] = into.get(counter, 0) + amount
    return _clean(found)
