"""Running a competition's stages: drawing a stage's matches, ranking a stage, and who goes on to the next.

Pure: takes the set-up (chalicelib.domain.competition.setup) and what was played, returns matches and rankings.
The service stores them.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from chalicelib.domain.competition import draws, elimination, groups, judging, measured, round_robin, swiss, unit_tables
from chalicelib.domain.competition.formats import FormatProblem
from chalicelib.domain.competition.model import CompetitionError, Entry, Match, MatchStatus
from chalicelib.domain.competition.progress import placings, settle
from chalicelib.domain.competition.setup import (
    KNOCKOUT_KINDS,
    Competition,
    Discipline,
    Judging,
    Stage,
    StageKind,
)
from chalicelib.domain.competition.standings import PRESETS, Standing, StandingsError, standings
from chalicelib.domain.competition.unit_tables import UnitLine, UnitTable


class StageError(CompetitionError):
    """A stage cannot be set up, drawn, run or closed as asked."""


def new_seed() -> str:
    """A draw's seed: recorded with the draw so anyone can re-run it and get the same bracket."""
    return secrets.token_hex(16)


class Drawn(NamedTuple):
    matches: list[Match]
    groups: tuple[tuple[str, ...], ...] = ()
    line: tuple[str | None, ...] = ()
    # First-round matches of two teams of one unit that the group places left no way to avoid (entry ids).
    unit_clashes: tuple[tuple[str, str], ...] = ()

    def audited(self) -> dict[str, list[list[str]]]:
        """What the draw's audit entry adds for the organiser: the unavoidable pairs of one unit, when there are."""
        return {"unit_clashes": [list(pair) for pair in self.unit_clashes]} if self.unit_clashes else {}


def seed_count(stage: Stage, entries: int) -> int | None:
    """How many of a stage's ``entries`` are drawn as seeds: the stage's own ``seeds`` when the organiser set it,
    else the BWF's count (``draws.default_seed_count``) for a knockout; None: a first stage's groups, round robin or
    Swiss keep every seed the organiser gave."""
    if stage.seeds is not None:
        return min(stage.seeds, entries)
    return draws.default_seed_count(entries) if stage.kind in KNOCKOUT_KINDS else None


def check_group_places(stage: Stage, entries: int) -> None:
    """The top ``qualifiers`` of every group go on, so no group may hold fewer: groups of 3 cannot send 4 on. The
    groups of ``entries`` differ in size by at most one, the smallest holding entries // groups. Known at the set-up
    once the entries are, and at the draw; a stage closing could not find its qualifiers otherwise. Fewer than two
    per group is the draw's own refusal (too_few_entries), and the set-up's while entries are still coming."""
    if stage.kind != StageKind.GROUPS or stage.groups < 1:
        return
    smallest = entries // stage.groups
    if smallest >= 2 and stage.qualifiers > smallest:
        raise StageError(
            "qualifiers_exceed_group",
            f"{stage.qualifiers} qualifiers per group; {entries} entries in {stage.groups} groups leave {smallest}.",
            qualifiers=stage.qualifiers,
            size=smallest,
            groups=stage.groups,
            entries=entries,
        )


def group_places_problems(competition: Competition) -> list[FormatProblem]:
    """Each group stage of a set-up that asks for more qualifiers than its groups will hold (at its ``qualifiers``),
    as far as its entries are known now: the competition's for the first stage, the stage before's qualifiers for a
    later one."""
    problems = []
    for index, stage in enumerate(competition.stages):
        previous = competition.previous_stage(stage.stage_id)
        if previous is None:
            entries = len(competition.entries)
        else:
            entries = previous.qualifiers * (previous.groups if previous.kind == StageKind.GROUPS else 1)
        try:
            check_group_places(stage, entries)
        except StageError as problem:
            location = ("stages", index, "qualifiers")
            problems.append(FormatProblem(problem.code, location, problem.message, problem.params))
    return problems


def _entries(competition: Competition, stage: Stage, entry_ids: Sequence[str], seeded_by_order: bool) -> list[Entry]:
    """Engine entries for a stage. Later stages seed by the previous stage's order (the first qualifier is seed 1);
    the first stage by the organiser's seeds. Either way only as many seeds as ``seed_count`` says: the others are
    drawn unseeded."""
    by_id = {entry.entry_id: entry for entry in competition.entries}
    missing = [entry_id for entry_id in entry_ids if entry_id not in by_id]
    if missing:
        raise StageError("unknown_entries", f"Entries not in the competition: {', '.join(missing)}.")
    count = seed_count(stage, len(entry_ids))
    if seeded_by_order:
        seeds = draws.default_seed_count(len(entry_ids)) if count is None else count
        return [
            Entry(entry_id, by_id[entry_id].name, by_id[entry_id].unit_id, index + 1 if index < seeds else None)
            for index, entry_id in enumerate(entry_ids)
        ]
    chosen = [by_id[entry_id] for entry_id in entry_ids]
    return [
        Entry(e.entry_id, e.name, e.unit_id, e.seed if count is None or (e.seed or 0) <= count else None)
        for e in chosen
    ]


# What the engine refuses about a field or a schedule (too many groups for the entries, no Swiss pairing left ...):
# reported as a StageError with the engine's code, so the service answers every one of them the same way.
_ENGINE_ERRORS = (draws.DrawError, elimination.BracketError, round_robin.ScheduleError, StandingsError)


def draw_stage(competition: Competition, stage: Stage, entry_ids: Sequence[str], seed: str) -> Drawn:
    """The matches of a stage, drawn reproducibly from ``seed``. The first stage draws its entries with their
    seeds; a knockout after groups places the qualifiers by the crossing (A1–B2, B1–A2 ...), no lot needed, swapping
    runners-up where that keeps teams of one unit apart (``groups.separate_units``)."""
    try:
        return _draw_stage(competition, stage, entry_ids, seed)
    except _ENGINE_ERRORS as problem:
        raise StageError(problem.code, str(problem)) from problem


def _draw_stage(competition: Competition, stage: Stage, entry_ids: Sequence[str], seed: str) -> Drawn:
    previous = competition.previous_stage(stage.stage_id)
    entries = _entries(competition, stage, entry_ids, seeded_by_order=previous is not None)
    if stage.kind in (StageKind.JUDGED, StageKind.MEASURED):
        return Drawn([])
    if len(entries) < 2:
        raise StageError("too_few_entries", "A draw needs at least two entries.")
    rng = draws.draw_rng(seed, stage.stage_id)
    ids = [entry.entry_id for entry in entries]
    if stage.kind in KNOCKOUT_KINDS:
        if previous is not None and previous.kind == StageKind.GROUPS:
            run = competition.run(previous.stage_id)
            placed = _group_places(run.groups, run.ranking)
            template = groups.knockout_template(len(run.groups), previous.qualifiers)
            units = {entry.entry_id: entry.unit_id for entry in entries}
            crossing = groups.separate_units(template, placed, units)
            line, clashes = crossing.line, crossing.unit_clashes
        else:
            line, clashes = draws.draw_bracket(entries, rng), ()
        if stage.kind == StageKind.SINGLE_ELIMINATION:
            built = elimination.single_elimination(stage.stage_id, line, third_place=stage.third_place)
        else:
            built = elimination.double_elimination(stage.stage_id, line, elimination.GrandFinal(stage.grand_final))
        return Drawn(_settled(built), line=tuple(line), unit_clashes=clashes)
    if stage.kind == StageKind.GROUPS:
        check_group_places(stage, len(entries))
        drawn_groups = draws.draw_groups(entries, stage.groups, rng)
        built = groups.group_stage(stage.stage_id, drawn_groups, legs=stage.legs)
        return Drawn(built, groups=tuple(tuple(group) for group in drawn_groups))
    if stage.kind == StageKind.ROUND_ROBIN:
        rng.shuffle(ids)
        return Drawn(round_robin.round_robin(stage.stage_id, ids, legs=stage.legs))
    if stage.kind == StageKind.LEAGUE:
        rng.shuffle(ids)
        assert stage.first_matchday is not None  # the set-up requires it
        return Drawn(
            round_robin.league_fixtures(stage.stage_id, ids, stage.legs, stage.first_matchday, stage.days_between)
        )
    # Swiss: the first round pairs by seed, then by lot.
    ranking = _seed_order(entries, rng)
    return Drawn(swiss.swiss_round(stage.stage_id, 1, ranking, (), ()))


def _seed_order(entries: Sequence[Entry], rng: random.Random) -> list[str]:
    seeded = sorted((e for e in entries if e.seed), key=lambda e: e.seed or 0)
    unseeded = [e for e in entries if not e.seed]
    rng.shuffle(unseeded)
    return [e.entry_id for e in [*seeded, *unseeded]]


def _settled(matches: list[Match]) -> list[Match]:
    by_id = {match.match_id: match for match in matches}
    by_id.update(settle(by_id))
    return [by_id[match.match_id] for match in matches]


def _group_places(drawn_groups: Sequence[Sequence[str]], ranking: Sequence[str]) -> dict[tuple[str, int], str]:
    """(group letter, place in group) of every entry, from a closed group stage's ranking (group by group)."""
    names = draws.group_names(len(drawn_groups))
    places: dict[tuple[str, int], str] = {}
    for name, members in zip(names, drawn_groups, strict=True):
        ordered = [entry for entry in ranking if entry in members]
        for place, entry in enumerate(ordered, start=1):
            places[(name, place)] = entry
    return places


def next_swiss_round(
    stage: Stage, matches: Sequence[Match], entry_ids: Sequence[str], tiebreak: str, seed: str
) -> list[Match]:
    """The next Swiss round, paired from the table so far."""
    if any(match.status in (MatchStatus.READY, MatchStatus.WAITING) for match in matches):
        raise StageError("round_unfinished", "Finish the current round first.")
    table = standings(list(entry_ids), matches, PRESETS[tiebreak], seed)
    played = {frozenset(match.entries) for match in matches if len(match.entries) == 2}
    had_bye = {match.winner for match in matches if match.status == MatchStatus.BYE and match.winner}
    round_ = max((match.round for match in matches), default=0) + 1
    if stage.rounds and round_ > stage.rounds:
        raise StageError("rounds_complete", "Every round of this Swiss stage has been played.")
    try:
        return swiss.swiss_round(stage.stage_id, round_, [row.entry_id for row in table], played, had_bye)
    except _ENGINE_ERRORS as problem:
        raise StageError(problem.code, str(problem)) from problem


# ---- ranking a stage ---------------------------------------------------------------------------------------------


class GroupTable(NamedTuple):
    group: str  # "A", "B" ... or "" for a single table
    rows: list[Standing]


class JudgedLine(NamedTuple):
    entry_id: str
    rank: int
    score: Decimal | None
    judges: int  # how many judges' marks count
    award: str | None = None


class DisciplineResult(NamedTuple):
    discipline: Discipline
    placings: list[Any]  # measured.Placing
    points: dict[str, Fraction]


@dataclass(frozen=True)
class StageOutcome:
    ranking: list[str] = field(default_factory=list)  # best first; what qualifiers are taken from
    complete: bool = False
    tables: list[GroupTable] = field(default_factory=list)
    placings: list[tuple[int, str]] = field(default_factory=list)
    judged: list[JudgedLine] = field(default_factory=list)
    disciplines: list[DisciplineResult] = field(default_factory=list)
    units: list[UnitLine] = field(default_factory=list)  # the overall unit table (总团体总分)
    unit_tables: list[UnitTable] = field(default_factory=list)  # per group, per gender, then overall (unit_tables)
    ranked: list[judging.RankedEntry] = field(default_factory=list)  # a judged stage's ranking, for finalists


def _played_out(matches: Sequence[Match]) -> bool:
    return all(match.status in (MatchStatus.DONE, MatchStatus.BYE, MatchStatus.VOID) for match in matches)


def table_outcome(competition: Competition, stage: Stage, matches: Sequence[Match], lot_seed: str) -> StageOutcome:
    rules = PRESETS[competition.tiebreak]
    run = competition.run(stage.stage_id)
    if stage.kind == StageKind.GROUPS:
        tables = []
        for name, members in zip(draws.group_names(len(run.groups)), run.groups, strict=True):
            group_matches = [match for match in matches if match.bracket == name]
            tables.append(GroupTable(name, standings(list(members), group_matches, rules, f"{lot_seed}:{name}")))
        # Group by group: every group's first, then every group's second ... (the order qualifiers are taken in).
        depth = max((len(table.rows) for table in tables), default=0)
        ranking = [table.rows[place].entry_id for place in range(depth) for table in tables if place < len(table.rows)]
        return StageOutcome(ranking=ranking, complete=_played_out(matches), tables=tables)
    rows = standings(list(run.entries), matches, rules, lot_seed)
    return StageOutcome(
        ranking=[row.entry_id for row in rows], complete=_played_out(matches), tables=[GroupTable("", rows)]
    )


def knockout_outcome(matches: Sequence[Match]) -> StageOutcome:
    by_id = {match.match_id: match for match in matches}
    places = placings(by_id)
    return StageOutcome(ranking=[entry for _, entry in places], complete=_played_out(matches), placings=places)


def judging_criteria(judging_spec: Judging) -> list[judging.Criterion]:
    """The set-up's criteria as the judging rules take them (exact weights and top marks)."""
    return [
        judging.Criterion(c.code, c.name_zh, c.name_en or c.name_zh, Decimal(str(c.weight)), Decimal(str(c.max_mark)))
        for c in judging_spec.criteria
    ]


def judged_outcome(
    judging_spec: Judging,
    entry_ids: Sequence[str],
    marks: Mapping[str, Mapping[str, Mapping[str, float]]],
    seed: str,
    excused: Mapping[str, int] | None = None,
) -> StageOutcome:
    """Rank a judged stage from every judge's marks (entry → judge → criterion → mark) and give the awards;
    ``excused``: entry → how many judges may not mark it (conflicts of interest, judging.entry_aggregation)."""
    criteria = judging_criteria(judging_spec)
    aggregation = judging.Aggregation(judging_spec.aggregation)
    scores = {}
    counted = {}
    for entry_id in entry_ids:
        by_judge = {
            judge: {code: Decimal(str(mark)) for code, mark in entry_marks.items()}
            for judge, entry_marks in marks.get(entry_id, {}).items()
        }
        # The closest pair is a rule for exactly three judges; a fourth mark leaves the entry unscored, not wrong.
        rule = judging.entry_aggregation(aggregation, len(by_judge), (excused or {}).get(entry_id, 0))
        if rule is not None:
            scores[entry_id] = judging.score_entry(criteria, by_judge, rule)
            counted[entry_id] = len(by_judge)
    ranked = judging.rank_entries(scores, judging.TieRule(judging_spec.tie_rule), seed)
    tiers = [
        judging.AwardTier(
            t.code, t.name_zh, t.name_en or t.name_zh, t.count, Fraction(str(t.share)) if t.share else None
        )
        for t in judging_spec.tiers
    ]
    awards = judging.award_tiers(ranked, tiers, judging.Rounding(judging_spec.rounding)) if tiers else {}
    lines = [
        JudgedLine(line.entry_id, line.rank, line.total, counted[line.entry_id], awards.get(line.entry_id))
        for line in ranked
    ]
    unmarked = [JudgedLine(entry_id, 0, None, 0) for entry_id in entry_ids if entry_id not in scores]
    return StageOutcome(
        ranking=[line.entry_id for line in lines], complete=not unmarked, judged=[*lines, *unmarked], ranked=ranked
    )


def _discipline_placings(
    discipline: Discipline, measure: measured.Measure,
    performances: Mapping[str, Mapping[str, Sequence[Decimal | None]]],
    statuses: Mapping[str, Mapping[str, str]] | None,
    in_rounds: Mapping[str, tuple[list[measured.Placing], bool]] | None,
) -> tuple[list[measured.Placing], Mapping[str, str] | None, bool]:  # fmt: skip
    """A discipline's placings, result codes and whether every entry has its result: from its rounds when it is run
    in heats and finals, else from each entry's attempts."""
    if discipline.code in (in_rounds or {}):
        placed, closed = (in_rounds or {})[discipline.code]
        return placed, {placing.entry_id: placing.status for placing in placed if placing.status}, closed
    attempts = performances.get(discipline.code, {})
    codes = (statuses or {}).get(discipline.code)
    best = {entry: measured.best_of_attempts(measure, attempts.get(entry, ())) for entry in discipline.entries}
    complete = all(entry in attempts for entry in discipline.entries)
    return measured.rank_performances(measure, best, codes), codes, complete


def measured_outcome(
    stage: Stage,
    performances: Mapping[str, Mapping[str, Sequence[Decimal | None]]],
    units: Mapping[str, str],
    statuses: Mapping[str, Mapping[str, str]] | None = None,
    in_rounds: Mapping[str, tuple[list[measured.Placing], bool]] | None = None,
) -> StageOutcome:
    """Place every discipline from its performances (discipline → entry → attempts), score place points, and add
    them up per unit (团体总分: per group, per gender and overall, unit_tables). ``statuses`` (discipline → entry →
    DNS, DNF, DQ, NM; marks.status_of) orders and names the unplaced; a DNS does not count as taking part when
    fewer places score for fewer entries (Meet.fewer_entries). ``in_rounds``: the placings of the disciplines run
    in heats and finals (discipline → placings, whether the final is closed; domain.competition.round_results)."""
    assert stage.meet is not None
    results, scored = [], []
    complete = True
    for discipline in stage.meet.disciplines:
        measure = measured.Measure(discipline.measure)
        placed, codes, done = _discipline_placings(discipline, measure, performances, statuses, in_rounds)
        complete = complete and done
        factor = stage.meet.relay_factor if discipline.relay else 1
        meet = stage.meet
        table = unit_tables.scoring_table(
            meet.place_points, factor, len(discipline.entries), codes, meet.fewer_entries, meet.min_entries
        )
        results.append(DisciplineResult(discipline, placed, measured.place_points(placed, table)))
        scored.extend(measured.unit_scores(discipline.code, placed, table, units))
    group_of = {discipline.code: discipline.group for discipline in stage.meet.disciplines}
    entered = {d.code: {units[e] for e in d.entries if e in units} for d in stage.meet.disciplines}
    tables = unit_tables.tables(group_of, scored, entered, set(units.values()))
    overall = tables[-1].lines
    return StageOutcome(
        ranking=[line.unit_id for line in overall],
        complete=complete,
        disciplines=results,
        units=overall,
        unit_tables=tables,
    )


def qualifiers(stage: Stage, outcome: StageOutcome) -> list[str]:
    """Who goes on from a stage: the top ``qualifiers`` of each group (group winners first), or the top N."""
    if stage.kind == StageKind.GROUPS:
        return [row.entry_id for place in range(stage.qualifiers) for t in outcome.tables if place < len(t.rows)
                for row in (t.rows[place],)]  # fmt: skip
    if stage.kind == StageKind.JUDGED:
        return judging.finalists(outcome.ranked, stage.qualifiers)
    return outcome.ranking[: stage.qualifiers]
