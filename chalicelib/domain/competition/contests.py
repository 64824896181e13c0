"""A multi-event skill contest (职工岗位技能竞赛, issue 19 item 7): categories holding events, each judged by its own
stages (Stage.contest), entered by units up to a cap per unit per event; unit results and 优秀组织奖.

Pure rules: who may be entered in an event (entry_refusal), the competition with an entrant added or withdrawn
(entered, withdrawn), each event's awards (event_awards) and the units' ranking with the award (unit_results), by the
rule stated in the set-up (setup.UnitAwards). The service (chalicelib.services.contests) reads, asks, and writes the
set-up in one conditional write over the version it read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from chalicelib.domain.competition.setup import (
    Competition,
    CompetitionEntry,
    ContestEvent,
    Stage,
    StageState,
    UnitAwards,
)
from chalicelib.domain.language import N_

CAP_REACHED = N_("contest.cap_reached")
UNKNOWN_EVENT = N_("contest.unknown_event")
ALREADY_ENTERED = N_("contest.already_entered")
NOT_ENTERED = N_("contest.not_entered")
EVENT_STARTED = N_("contest.event_started")
WRONG_GENDER = N_("contest.wrong_gender")
IS_JUDGE = N_("contest.entrant_is_judge")


class Category(NamedTuple):
    code: str
    name_zh: str
    name_en: str | None
    events: list[ContestEvent]


def categories(competition: Competition) -> list[Category]:
    """The contest's categories in the order their first event is listed, each with its events in order."""
    found: dict[str, Category] = {}
    for contest in competition.contests:
        category = found.setdefault(
            contest.category, Category(contest.category, contest.category_zh, contest.category_en, [])
        )
        category.events.append(contest)
    return list(found.values())


def unit_count(competition: Competition, contest: ContestEvent, unit_id: str) -> int:
    """How many people ``unit_id`` has entered in the event."""
    units = {entry.entry_id: entry.unit_id for entry in competition.entries}
    return sum(units.get(entry_id) == unit_id for entry_id in contest.entries)


def is_open(competition: Competition, contest: ContestEvent) -> bool:
    """Entries may change until the event's first stage is opened for marks."""
    first = competition.chain(contest.code)
    return bool(first) and competition.run(first[0].stage_id).state == StageState.PENDING


def entry_refusal(
    competition: Competition, code: str, entrant: CompetitionEntry, gender: str | None, judges: Sequence[str] = ()
) -> tuple[str, dict[str, object]] | None:
    """Why ``entrant`` (a member, as an entry of their unit) may not be entered in event ``code`` now, as a message id
    and its parameters, or None: an unknown event, one already under way, entered already, a judge of the event,
    the wrong gender, or the unit's cap reached."""
    contest = competition.contest(code)
    if contest is None:
        return UNKNOWN_EVENT, {"event": code}
    names: dict[str, object] = {"event_zh": contest.name_zh, "event_en": contest.name_en or contest.name_zh}
    if not is_open(competition, contest):
        return EVENT_STARTED, names
    if entrant.entry_id in contest.entries:
        return ALREADY_ENTERED, {**names, "name": entrant.name}
    if entrant.entry_id in event_judges(competition, contest) or entrant.entry_id in judges:
        return IS_JUDGE, {**names, "name": entrant.name}
    if contest.gender is not None and gender != contest.gender:
        return WRONG_GENDER, {**names, "name": entrant.name}
    if contest.cap_per_unit is not None and unit_count(competition, contest, entrant.unit_id) >= contest.cap_per_unit:
        return CAP_REACHED, {**names, "cap": contest.cap_per_unit}
    return None


def event_judges(competition: Competition, contest: ContestEvent) -> list[str]:
    """The judges of an event: the panels of its stages (a panel without entries marks every entry of its stage)."""
    judges = (
        judge
        for stage in competition.chain(contest.code)
        if stage.judging is not None
        for panel in stage.judging.panels
        for judge in panel.judges
    )
    return list(dict.fromkeys(judges))


def entered(competition: Competition, code: str, entrant: CompetitionEntry) -> Competition:
    """The competition with ``entrant`` in event ``code`` (and among its entries, once)."""
    entries = competition.entries
    if competition.entry(entrant.entry_id) is None:
        entries = (*entries, entrant)
    contests = tuple(
        contest.model_copy(update={"entries": (*contest.entries, entrant.entry_id)})
        if contest.code == code
        else contest
        for contest in competition.contests
    )
    return competition.model_copy(update={"entries": entries, "contests": contests})


def withdrawn(competition: Competition, code: str, entry_id: str) -> Competition:
    """The competition without ``entry_id`` in event ``code`` (they stay an entry of the competition)."""
    contests = tuple(
        contest.model_copy(update={"entries": tuple(e for e in contest.entries if e != entry_id)})
        if contest.code == code
        else contest
        for contest in competition.contests
    )
    return competition.model_copy(update={"contests": contests})


def kept_entrants(
    before: Competition | None, setup: Mapping[str, Any], entries: Sequence[CompetitionEntry]
) -> tuple[dict[str, Any], list[CompetitionEntry]]:
    """A changed set-up keeps the entrants the units entered in the events it still has, whatever it sends (entrants
    are the units' to enter and withdraw, chalicelib.services.contests; a new event takes those sent), and
    ``entries`` (the event's registrations) gain the kept entrants not among them (a registration still waiting)."""
    raw = setup.get("contests")
    if before is None or not isinstance(raw, list | tuple):
        return dict(setup), list(entries)
    kept = []
    for item in raw:
        old = before.contest(str(item.get("code"))) if isinstance(item, dict) else None
        kept.append({**item, "entries": list(old.entries)} if isinstance(item, dict) and old else item)
    named = {entry_id for item in kept if isinstance(item, dict) for entry_id in item.get("entries") or ()}
    known = {entry.entry_id for entry in entries}
    extra = [entry for entry in before.entries if entry.entry_id in named - known]
    return {**setup, "contests": kept}, [*entries, *extra]


# ---- results ---------------------------------------------------------------------------------------------------


class EventAward(NamedTuple):
    """An entrant's award in one event: the tier (code) their event's final stage gave them."""

    contest: str
    entry_id: str
    unit_id: str
    tier: str


class UnitResult(NamedTuple):
    unit_id: str
    rank: int
    points: int
    tiers: dict[str, int]  # tier code → awards
    entrants: int  # people entered (each once, however many events)
    events: int  # events entered
    share: float  # events entered / events of the contest
    award: bool = False  # 优秀组织奖
    eligible: bool = True  # entered at least the rule's min_events


def last_stage(competition: Competition, contest: ContestEvent) -> Stage | None:
    chain = competition.chain(contest.code)
    return chain[-1] if chain else None


def event_awards(competition: Competition, tiers_by_stage: Mapping[str, Mapping[str, str | None]]) -> list[EventAward]:
    """Each event's awards: the tiers of its final stage once it is closed (``tiers_by_stage``: stage → entry →
    tier code, from the stage's outcome)."""
    units = {entry.entry_id: entry.unit_id for entry in competition.entries}
    awards = []
    for contest in competition.contests:
        stage = last_stage(competition, contest)
        if stage is None or competition.run(stage.stage_id).state != StageState.CLOSED:
            continue
        for entry_id, tier in tiers_by_stage.get(stage.stage_id, {}).items():
            if tier is not None:
                awards.append(EventAward(contest.code, entry_id, units.get(entry_id, ""), tier))
    return awards


@dataclass
class _Tally:
    tiers: dict[str, int] = field(default_factory=dict)
    people: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)


def _tallies(competition: Competition, awards: Sequence[EventAward], units: Sequence[str]) -> dict[str, _Tally]:
    of_entry = {entry.entry_id: entry.unit_id for entry in competition.entries}
    tallies = {unit_id: _Tally() for unit_id in units}
    for contest in competition.contests:
        for entry_id in contest.entries:
            tally = tallies.setdefault(of_entry.get(entry_id, ""), _Tally())
            tally.people.add(entry_id)
            tally.events.add(contest.code)
    for award in awards:
        tally = tallies.setdefault(award.unit_id, _Tally())
        tally.tiers[award.tier] = tally.tiers.get(award.tier, 0) + 1
    tallies.pop("", None)
    return tallies


def _sort_key(rule: UnitAwards, tier_order: Sequence[str], points: int, tally: _Tally) -> tuple[int, ...]:
    """Larger is better. Points: points, then most awards of each tier in order, then entrants. Participation:
    events entered, then entrants, then points. Both: points plus participation points, then as by points."""
    by_tiers = tuple(tally.tiers.get(tier, 0) for tier in tier_order)
    if rule.rule == "participation":
        return (len(tally.events), len(tally.people), points, *by_tiers)
    if rule.rule == "both":
        return (points + rule.participation_points * len(tally.events), points, *by_tiers, len(tally.people))
    return (points, *by_tiers, len(tally.people))


def unit_results(competition: Competition, awards: Sequence[EventAward], units: Sequence[str] = ()) -> list[UnitResult]:
    """Every unit that entered someone (and every unit of ``units``), ranked by the set-up's rule (units with the
    same key share a place); the ``top`` places among eligible units get 优秀组织奖."""
    rule = competition.unit_awards or UnitAwards()
    points_of = {row.tier: row.points for row in rule.tier_points}
    tier_order = [row.tier for row in rule.tier_points]
    total_events = len(competition.contests) or 1
    keyed = []
    for unit_id, tally in _tallies(competition, awards, units).items():
        points = sum(points_of.get(tier, 0) * count for tier, count in tally.tiers.items())
        keyed.append((_sort_key(rule, tier_order, points, tally), unit_id, points, tally))
    keyed.sort(key=lambda row: (tuple(-value for value in row[0]), row[1]))
    results: list[UnitResult] = []
    previous: tuple[int, ...] | None = None
    rank = 0
    eligible_rank = 0
    for index, (key, unit_id, points, tally) in enumerate(keyed):
        eligible = len(tally.events) >= rule.min_events and bool(tally.events)
        if key != previous:
            rank = index + 1
            eligible_rank = sum(result.eligible for result in results) + 1
            previous = key
        results.append(
            UnitResult(
                unit_id,
                rank,
                points,
                dict(tally.tiers),
                len(tally.people),
                len(tally.events),
                len(tally.events) / total_events,
                award=eligible and eligible_rank <= rule.top,
                eligible=eligible,
            )
        )
    return results
