"""Keeping the union's year in numbers (issue 21 item 5): recount one source, swap its contribution.

A *source* is an event (for its year), a member's year, or a member's place on the roster (headcount). Refreshing
one reads what the store holds NOW, computes its contribution with the pure rules of chalicelib/domain/stats.py and
swaps it for the stored one in one transaction that also adds the difference to the rollups
(chalicelib/storage/stats.py). Nothing here increments from a change: a replayed stream record, a batch processed
twice or two workers at once recount the same source, find the same contribution (nothing to write) or lose the
swap's condition and recount again. The stream consumers (chalicelib/jobs.py) only say which sources to recount
(``refresh_from_records``); ``rebuild`` recounts a whole year from scratch and reports (``fix``: repairs) any
difference with the stored rollups.

Reads are the tables' own queries; the by_member indexes a member's year reads are eventually consistent, so a
member-year recounted within a second of a change may miss it until the next change or a rebuild.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from chalicelib.domain import stats as rules
from chalicelib.domain.calendar import CHINA_TZ, months_from
from chalicelib.domain.language import localized
from chalicelib.domain.records import COMPETITION_FORMATS, CheckIn, Event, Member, Registration
from chalicelib.domain.stats import AwardFact, Contribution, EventFacts, MemberYearFacts
from chalicelib.storage import Store
from chalicelib.storage.stats import StoredContribution

# Swaps lost to another worker (or cancelled by a concurrent transaction on the same rollup: every swap of a year
# adds to t#union) are recounted after a random wait that grows to at most MAX_WAIT; more than this many in a row
# for one source is a fault (the stream consumer fails, and Lambda hands it the batch again).
MAX_ATTEMPTS = 20
MAX_WAIT = 0.5
# A member's year reads their registrations made up to a year after it (an organiser adding a member afterwards),
# however early (a registration may open long before its event: a member's whole history is a few hundred items at
# most), and their check-ins from a year before to a year after (a class that started in December runs into the
# next year).
_EPOCH = datetime(2000, 1, 1, tzinfo=CHINA_TZ)
_AROUND_YEARS = 1


class Difference(NamedTuple):
    scope: str
    item: str
    counter: str
    stored: int
    recounted: int


class RebuildReport(NamedTuple):
    year: int
    differences: list[Difference]
    events: int
    members: int
    seconds: float
    fixed: bool = False


@dataclass(frozen=True)
class YearRollups:
    """A year's rollups as stored: the union's counters, each unit's, and the headcount now (union and units)."""

    year: int
    union: dict[str, int]
    units: dict[str, dict[str, int]]
    headcount_union: dict[str, int] = field(default_factory=dict)
    headcount_units: dict[str, dict[str, int]] = field(default_factory=dict)


# ---- swapping one source ---------------------------------------------------------------------------------------

Recount = Callable[[], tuple[Contribution, dict[str, Any]]]


def _swap(store: Store, scope: str, item: str, recount: Recount, at: datetime) -> tuple[bool, dict[str, Any] | None]:
    """Recount a source and swap its contribution until the swap holds: (changed, the summary stored before)."""
    for attempt in range(MAX_ATTEMPTS):
        stored = store.stats.get(scope, item)
        data, summary = recount()
        old = stored.data if stored else {}
        before = stored.summary if stored else None
        if (stored is None and not data) or (stored is not None and stored.data == data and stored.summary == summary):
            return False, before
        version = stored.version if stored else None
        if store.stats.swap(scope, item, version, data, summary, rules.delta(old, data), at):
            return True, before
        time.sleep(random.uniform(0, min(MAX_WAIT, 0.01 * 2**attempt)))
    raise RuntimeError(f"stats: could not swap {scope} {item} after {MAX_ATTEMPTS} attempts")


# ---- events ----------------------------------------------------------------------------------------------------


def _award_label(award: Any, language: str) -> str:
    """An award in words from the catalogue's and the set-up's own names (a tier, a discipline's place, a unit
    table's place, 优秀组织奖, a podium place)."""
    from chalicelib.i18n import translate
    from chalicelib.services.unit_tables_views import table_title

    stage = localized(award.stage, "name", language)
    if award.organisation is not None:
        return localized(award.organisation, "name", language)
    if award.tier is not None and award.stage.judging is not None:
        tiers = [localized(t, "name", language) for t in award.stage.judging.tiers if t.code == award.tier]
        return f"{stage} {tiers[0] if tiers else award.tier}"
    place = translate("competition.public.place_n", language, place=award.place)
    if award.unit_table is not None and award.stage.meet is not None:
        return f"{table_title(award.stage.meet, award.unit_table, language, award.sole_table)} {place}"
    if award.discipline is not None:
        return f"{localized(award.discipline, 'name', language)} {place}"
    if award.place is not None and 1 <= award.place <= rules.PODIUM:
        return f"{stage} {translate(f'competition.public.place.{award.place}', language)}"
    return f"{stage} {place}"


def _award_fact(award: Any, entry: Any, individual: bool) -> AwardFact:
    """One award as the statistics keep it: a unit award to the unit itself; else the entry's unit and members (an
    individual entry is the member, a relay's or a team's its roster)."""
    members: tuple[str, ...] = ()
    if award.unit_table is not None or award.organisation is not None:
        unit = award.entry_id
    else:
        unit = entry.unit_id if entry else ""
        alone = individual and not (award.discipline is not None and award.discipline.relay)
        members = tuple(entry.members) if entry and entry.members else ((award.entry_id,) if alone else ())
    return AwardFact(
        place=award.place,
        tier=award.tier,
        label_zh=_award_label(award, "zh"),
        label_en=_award_label(award, "en"),
        entry=entry.name if entry else award.entry_id,
        unit=unit,
        members=members,
        podium=award.tier is None and award.organisation is None,
    )


def award_facts(store: Store, event: Event) -> tuple[AwardFact, ...]:
    """The awards of an event's competition once its results are published (none before, none without one)."""
    if event.format not in COMPETITION_FORMATS:
        return ()
    from chalicelib.domain.competition.setup import EntryKind
    from chalicelib.services import competition as competition_service
    from chalicelib.services.competition_views import awards

    state = competition_service.load(store, event)
    if state is None or not state.competition.published:
        return ()
    entries = {entry.entry_id: entry for entry in state.competition.entries}
    individual = state.competition.entry_kind == EntryKind.INDIVIDUAL
    found = [_award_fact(award, entries.get(award.entry_id), individual) for award in awards(state)]
    return tuple(found)


def event_facts(store: Store, event: Event) -> EventFacts:
    """Everything an event's contribution is computed from, read now."""
    from chalicelib.services.checkin import event_points

    return EventFacts(
        event=event,
        registrations=tuple(store.registrations.for_event(event.event_id, consistent=True)),
        check_ins=tuple(store.check_ins.for_event(event.event_id, consistent=True)),
        points=tuple(event_points(store, event)),
        awards=award_facts(store, event),
    )


def _event_recount(store: Store, event_id: str, year: int) -> Recount:
    """The recount of an event's contribution to ``year``: nothing unless the event (still) starts in it."""

    def recount() -> tuple[Contribution, dict[str, Any]]:
        event = store.events.get(event_id, consistent=True)
        if event is None or rules.year_of(event) != year:
            return {}, {}
        facts = event_facts(store, event)
        data = rules.event_contribution(facts)
        return data, (rules.event_summary(facts) if data else {})

    return recount


def _counted_in(summary: Mapping[str, Any] | None) -> bool:
    """Whether a stored event summary is of an event whose participation counted (listed, not cancelled)."""
    return bool(summary) and summary.get("status") not in (None, "draft", "cancelled")  # type: ignore[union-attr]


def _refresh_event(store: Store, event_id: str, at: datetime) -> tuple[int, set[int]]:
    """Recount an event in its year (and drop what it gave the years either side, should its date have moved):
    (contributions changed, years whose members' years must be recounted: its counting changed there)."""
    event = store.events.get(event_id, consistent=True)
    if event is None:
        return 0, set()
    year = rules.year_of(event)
    changed, members_of = 0, set()
    for candidate in (year, year - 1, year + 1):
        scope, item = rules.year_scope(candidate), rules.event_item(event_id)
        if candidate != year and store.stats.get(scope, item) is None:
            continue  # the usual case: it never counted in the years either side
        swapped, before = _swap(store, scope, item, _event_recount(store, event_id, candidate), at)
        changed += swapped
        counted_now = candidate == year and rules.counts_in_year(event)
        if swapped and _counted_in(before) != counted_now:
            members_of.add(candidate)
    return changed, members_of


def refresh_events(store: Store, event_ids: Iterable[str], at: datetime) -> int:
    """Recount these events (and, where an event started or stopped counting in a year, its members' years there):
    how many contributions changed."""
    changed = 0
    for event_id in dict.fromkeys(event_ids):
        swapped, years = _refresh_event(store, event_id, at)
        changed += swapped
        if years:
            staff_nos = {r.staff_no for r in store.registrations.for_event(event_id, consistent=True)}
            changed += refresh_member_years(store, ((s, y) for s in staff_nos for y in years), at)
    return changed


# ---- members' years and headcount ------------------------------------------------------------------------------


Fresh = tuple[str, str, str]  # (table, event_id, scope or point): an item a stream record named, read by key


def _read_fresh(
    store: Store, staff_no: str, registrations: list[Registration], check_ins: list[CheckIn], fresh: Iterable[Fresh]
) -> tuple[list[Registration], list[CheckIn]]:
    """The member's registrations and check-ins as the by_member indexes gave them, with the items the stream
    records named read again by key, strongly consistent: an index may not show a write yet when its record is
    handled (the other items are older and have reached it)."""
    by_key = {(r.event_id, r.scope): r for r in registrations}
    marks = {(c.event_id, c.point_id): c for c in check_ins}
    for table, event_id, part in fresh:
        if table == "registrations":
            registration = store.registrations.get(event_id, part, staff_no)
            by_key.pop((event_id, part), None)
            if registration is not None:
                by_key[(event_id, part)] = registration
        else:
            check_in = store.check_ins.get(event_id, part, staff_no)
            marks.pop((event_id, part), None)
            if check_in is not None:
                marks[(event_id, part)] = check_in
    return list(by_key.values()), list(marks.values())


def member_year_facts(store: Store, staff_no: str, year: int, fresh: Iterable[Fresh] = ()) -> MemberYearFacts:
    """A member's year read now: the member, their registrations and check-ins around the year (``fresh``: items
    to read by key over the indexes' view), and the events they belong to (only those starting in the year and
    counting)."""
    high = rules.year_bounds(year + _AROUND_YEARS)[1]
    registrations, check_ins = _read_fresh(
        store,
        staff_no,
        store.registrations.for_member_between(staff_no, _EPOCH, high),
        store.check_ins.for_member_between(staff_no, rules.year_bounds(year - _AROUND_YEARS)[0], high),
        fresh,
    )
    ids = {r.event_id for r in registrations} | {c.event_id for c in check_ins}
    events = store.events.get_many(ids) if ids else {}
    counted = {e.event_id for e in events.values() if rules.year_of(e) == year and rules.counts_in_year(e)}
    mine = [c for c in check_ins if c.event_id in counted]
    return MemberYearFacts(
        staff_no=staff_no,
        year=year,
        member=store.members.get(staff_no),
        place_events=frozenset(
            r.event_id for r in registrations if r.event_id in counted and r.state in rules.PLACE_STATES
        ),
        checkin_events=frozenset(c.event_id for c in mine),
        checkins=len(mine),
    )


def _member_year_recount(store: Store, staff_no: str, year: int, fresh: Iterable[Fresh]) -> Recount:
    def recount() -> tuple[Contribution, dict[str, Any]]:
        facts = member_year_facts(store, staff_no, year, fresh)
        data = rules.member_year_contribution(facts)
        return data, (rules.member_year_summary(facts) if data else {})

    return recount


def refresh_member_years(
    store: Store,
    staff_years: Iterable[tuple[str, int]],
    at: datetime,
    fresh: Mapping[tuple[str, int], list[Fresh]] | None = None,
) -> int:
    """Recount these members' years (``fresh``: per member's year, the items its stream records named, read by key
    over the indexes' view): how many contributions changed."""
    changed = 0
    for staff_no, year in dict.fromkeys(staff_years):
        scope, item = rules.year_scope(year), rules.member_item(staff_no)
        named = (fresh or {}).get((staff_no, year), [])
        changed += _swap(store, scope, item, _member_year_recount(store, staff_no, year, named), at)[0]
    return changed


def _headcount_summary(member: Member | None) -> dict[str, Any]:
    if member is None:
        return {}
    return {"unit": member.unit_id, "status": member.status.value, "gender": member.gender.value}


def refresh_headcount(store: Store, staff_nos: Iterable[str], at: datetime) -> int:
    """Recount these members' places on the roster now: how many contributions changed."""
    changed = 0
    for staff_no in dict.fromkeys(staff_nos):

        def recount(staff_no: str = staff_no) -> tuple[Contribution, dict[str, Any]]:
            member = store.members.get(staff_no)
            data = rules.headcount_contribution(member)
            return data, (_headcount_summary(member) if data else {})

        changed += _swap(store, rules.HEADCOUNT_SCOPE, rules.member_item(staff_no), recount, at)[0]
    return changed


def _member_years(store: Store, staff_no: str) -> set[int]:
    """The years a member's year may count in: those of their latest registrations' events (a check-in needs a
    registration, so a member who never registered has no year: a roster import costs one Query a member)."""
    registrations = store.registrations.for_member(staff_no)
    events = store.events.get_many({r.event_id for r in registrations}) if registrations else {}
    return {rules.year_of(event) for event in events.values()}


# ---- stream records --------------------------------------------------------------------------------------------


def _keys(record: Mapping[str, Any]) -> dict[str, str]:
    keys = record.get("dynamodb", {}).get("Keys", {})
    return {name: next(iter(value.values())) for name, value in keys.items() if isinstance(value, dict) and value}


def _table(record: Mapping[str, Any]) -> str:
    """The short name of the table a stream record is from (``eventSourceARN``: ``…:table/<name>/stream/…``)."""
    from chalicelib.storage.stats import short_table_name

    arn = str(record.get("eventSourceARN", ""))
    name = arn.split(":table/", 1)[1].split("/", 1)[0] if ":table/" in arn else arn
    return short_table_name(name)


@dataclass
class _Wanted:
    events: dict[str, None] = field(default_factory=dict)
    # (工号, event) → the items named: (table, event, scope or point): the member's year of the event's year
    member_events: dict[tuple[str, str], list[Fresh]] = field(default_factory=dict)
    members: dict[str, None] = field(default_factory=dict)


def _collect(records: Iterable[Mapping[str, Any]]) -> _Wanted:
    wanted = _Wanted()
    for record in records:
        table, keys = _table(record), _keys(record)
        event_id = keys.get("event_id", "")
        if table in ("registrations", "attendance"):
            key = keys.get("entry") or keys.get("mark") or ""
            if table == "attendance" and not key.startswith("a#"):
                continue  # a check-in conflict counts nowhere
            wanted.events[event_id] = None
            part, _, staff_no = key.removeprefix("a#").rpartition("#")
            wanted.member_events.setdefault((staff_no, event_id), []).append((table, event_id, part))
        elif table in ("competitions", "events") and event_id:
            wanted.events[event_id] = None
        elif table == "members" and keys.get("staff_no"):
            wanted.members[keys["staff_no"]] = None
    return wanted


def refresh_from_records(store: Store, records: list[dict[str, Any]], at: datetime) -> dict[str, int]:
    """Recount the sources a batch of DynamoDB stream records names (registrations, attendance, competitions,
    events, members; KEYS_ONLY is enough): each event once, each member's year once, each headcount once."""
    wanted = _collect(records)
    events = refresh_events(store, wanted.events, at)
    found = store.events.get_many({event_id for _, event_id in wanted.member_events}) if wanted.member_events else {}
    fresh: dict[tuple[str, int], list[Fresh]] = {}
    for (staff_no, event_id), named in wanted.member_events.items():
        if event_id in found:
            fresh.setdefault((staff_no, rules.year_of(found[event_id])), []).extend(named)
    staff_years = dict.fromkeys(fresh)
    for staff_no in wanted.members:
        staff_years.update(dict.fromkeys((staff_no, year) for year in sorted(_member_years(store, staff_no))))
    member_years = refresh_member_years(store, staff_years, at, fresh)
    headcount = refresh_headcount(store, wanted.members, at)
    return {"records": len(records), "events": events, "member_years": member_years, "headcount": headcount}


# ---- reading and rebuilding ------------------------------------------------------------------------------------


def _split(rollups: Mapping[str, dict[str, int]]) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    units = {rules.unit_of(item) or "": counters for item, counters in rollups.items() if rules.unit_of(item)}
    return dict(rollups.get(rules.UNION, {})), units


def year_rollups(store: Store, year: int) -> YearRollups:
    """The year's rollups and the headcount now: two Queries, whatever the number of registrations."""
    union, units = _split(store.stats.rollups(rules.year_scope(year)))
    head_union, head_units = _split(store.stats.rollups(rules.HEADCOUNT_SCOPE))
    return YearRollups(year, union, units, head_union, head_units)


def _year_events(store: Store, year: int) -> dict[str, Event]:
    """The listed events starting in the year (by_calendar, month by month) and those counted in it before."""
    low, high = rules.year_bounds(year)
    found: dict[str, Event] = {}
    for month in months_from(low, 12):  # the year's twelve months (China time)
        listed, _more = store.events.starting_between(low, high, 100_000, month=month)
        found.update((event.event_id, event) for event in listed)
    counted = {item[len(rules.EVENT_PREFIX) :] for item, _ in store.stats.summaries(rules.year_scope(year), "e#")}
    missing = counted - found.keys()
    if missing:
        found.update(store.events.get_many(missing))
    return found


def _recount_year(store: Store, year: int) -> dict[str, tuple[Contribution, dict[str, Any]]]:
    """Every source of a year and of the headcount recounted from the tables: scope|item → (data, summary)."""
    sources: dict[str, tuple[Contribution, dict[str, Any]]] = {}
    scope = rules.year_scope(year)
    places: dict[str, set[str]] = {}
    checkins: dict[str, list[str]] = {}
    for event_id, event in _year_events(store, year).items():
        if rules.year_of(event) != year:
            sources[f"{scope}|{rules.event_item(event_id)}"] = ({}, {})
            continue
        facts = event_facts(store, event)
        data = rules.event_contribution(facts)
        sources[f"{scope}|{rules.event_item(event_id)}"] = (data, rules.event_summary(facts) if data else {})
        if rules.counts_in_year(event):
            for r in facts.registrations:
                if r.state in rules.PLACE_STATES:
                    places.setdefault(r.staff_no, set()).add(event_id)
            for c in facts.check_ins:
                checkins.setdefault(c.staff_no, []).append(event_id)
    roster = [member for unit in store.units.whole_union() for member in store.members.in_unit(unit.unit_id)]
    by_staff = {member.staff_no: member for member in roster}
    for staff_no in places.keys() | checkins.keys():
        facts_year = MemberYearFacts(
            staff_no, year, by_staff.get(staff_no), frozenset(places.get(staff_no, ())),
            frozenset(checkins.get(staff_no, ())), len(checkins.get(staff_no, ())),
        )  # fmt: skip
        data = rules.member_year_contribution(facts_year)
        sources[f"{scope}|{rules.member_item(staff_no)}"] = (
            data,
            rules.member_year_summary(facts_year) if data else {},
        )
    for member in roster:
        data = rules.headcount_contribution(member)
        sources[f"{rules.HEADCOUNT_SCOPE}|{rules.member_item(member.staff_no)}"] = (
            data,
            _headcount_summary(member) if data else {},
        )
    return sources


def _differences(scope: str, stored: Mapping[str, Mapping[str, int]], recounted: Contribution) -> list[Difference]:
    found = []
    for item in sorted(stored.keys() | recounted.keys()):
        before, after = stored.get(item, {}), recounted.get(item, {})
        for counter in sorted(before.keys() | after.keys()):
            if before.get(counter, 0) != after.get(counter, 0):
                found.append(Difference(scope, item, counter, before.get(counter, 0), after.get(counter, 0)))
    units_places = sum(c.get(rules.PLACES, 0) for item, c in stored.items() if rules.unit_of(item))
    if stored.get(rules.UNION, {}).get(rules.PLACES, 0) != units_places:
        found.append(
            Difference(scope, rules.UNION, "places=Σunits", units_places, stored[rules.UNION].get(rules.PLACES, 0))
        )
    return found


def _stored_contributions(store: Store, scopes: Iterable[str]) -> dict[str, StoredContribution]:
    return {
        f"{scope}|{item}": contribution
        for scope in scopes
        for prefix in (rules.EVENT_PREFIX, rules.MEMBER_PREFIX)
        for item, contribution in store.stats.contributions(scope, prefix).items()
    }


def rebuild(store: Store, year: int, at: datetime, fix: bool = False) -> RebuildReport:
    """Recount every source of ``year`` (its events, its members' years) and the headcount from scratch, compare
    their sums with the stored rollups and report each difference; ``fix``: swap every contribution that differs,
    then add to each rollup what it lacks against the contributions stored (safe while the consumers run)."""
    started = time.perf_counter()
    scopes = (rules.year_scope(year), rules.HEADCOUNT_SCOPE)
    # The stored contributions first: a consumer swapping one after this read changes its version, so fix cannot
    # swap it back to a recount older than that consumer's.
    stored_items = _stored_contributions(store, scopes)
    sources = _recount_year(store, year)
    for key in stored_items.keys() - sources.keys():  # counted before, nothing now (a member who left the roster)
        sources[key] = ({}, {})
    recounted = {
        scope: rules.total(d for key, (d, _) in sources.items() if key.startswith(f"{scope}|")) for scope in scopes
    }
    differences = [
        d for scope in scopes for d in _differences(scope, store.stats.rollups(scope, True), recounted[scope])
    ]
    if fix:
        _fix(store, sources, stored_items, scopes, at)
    members = sum(1 for key, (d, _) in sources.items() if key.startswith(f"{scopes[0]}|m#") and d)
    events = sum(1 for key in sources if key.startswith(f"{scopes[0]}|e#"))
    return RebuildReport(year, differences, events, members, round(time.perf_counter() - started, 3), fixed=fix)


def _fix(
    store: Store,
    sources: Mapping[str, tuple[Contribution, dict[str, Any]]],
    stored_items: Mapping[str, StoredContribution],
    scopes: tuple[str, ...],
    at: datetime,
) -> None:
    """Swap every contribution that differs from its recount, then correct the rollups by what they lack against
    the contributions now stored."""
    for key, (data, summary) in sources.items():
        scope, item = key.split("|", 1)
        stored = stored_items.get(key)
        if stored is not None and stored.data == data and stored.summary == summary:
            continue
        if stored is None and not data:
            continue
        old = stored.data if stored else {}
        version = stored.version if stored else None
        if not store.stats.swap(scope, item, version, data, summary, rules.delta(old, data), at):
            continue  # changed meanwhile: its own refresh swapped it
    _correct_rollups(store, scopes)


def _correct_rollups(store: Store, scopes: tuple[str, ...]) -> None:
    """ADD to each rollup what it lacks against the sum of the stored contributions. Safe while stream consumers
    swap: the rollups are read between two reads of the contributions that found the same versions (no swap
    committed in between, so the rollups read are those of these contributions), and what a swap adds afterwards
    adds to the correction rather than being overwritten."""
    for attempt in range(MAX_ATTEMPTS):
        before = _stored_contributions(store, scopes)
        rollups = {scope: store.stats.rollups(scope, True) for scope in scopes}
        after = _stored_contributions(store, scopes)
        if {k: c.version for k, c in before.items()} != {k: c.version for k, c in after.items()}:
            time.sleep(random.uniform(0, min(MAX_WAIT, 0.01 * 2**attempt)))
            continue
        for scope in scopes:
            expected = rules.total(c.data for key, c in before.items() if key.startswith(f"{scope}|"))
            store.stats.add_to_rollups(scope, rules.delta(rollups[scope], expected))
        return
    raise RuntimeError(f"stats: the contributions of {scopes} kept changing while the rollups were corrected")
