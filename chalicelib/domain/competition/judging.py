"""Judged contests (teaching contests, singer contests, calligraphy ...): marks, aggregation, ranking, award tiers.

Marks
    Each judge marks each criterion from 0 to its ``max_mark``. A judge's mark for an entry is the weighted sum of
    their criterion marks; the weights sum to exactly 1 (``Decimal`` weights, so three equal criteria are written
    0.34 / 0.33 / 0.33), which keeps every judge's mark on the criteria's own scale.

Aggregation across the judges (the usual rules of Chinese judged contests and of judged sports)
    * ``MEAN``: the mean of all judges' marks.
    * ``DROP_HIGH_LOW``: 去掉一个最高分和一个最低分 — drop one highest and one lowest mark and average the rest
      (needs three judges or more; with exactly three the middle mark is the score).
    * ``CLOSEST_PAIR``: three judges; the two closest marks are averaged and the outlier is dropped. When the
      outlier is ambiguous (the middle mark is as far from the lowest as from the highest) the *higher* pair counts:
      the doubt goes in the entry's favour, and the rule stays independent of which judge gave which mark.
    Scores are rounded half-up to 2 places once, at the end, never in between.

Ranking (``TieRule``)
    Higher score ranks first. ``SHARED``: equal scores share a rank (1, 2, 2, 4). ``CRITERIA``: equal scores are
    separated by each criterion's aggregated score in the order the criteria are listed (each criterion aggregated
    across the judges by the contest's own rule); still equal → shared. ``LOT``: equal scores are separated by
    drawing lots reproducibly: ascending ``SHA-256(seed + ":" + entry_id)``, the same key as the lottery module's
    published draws, so anyone holding the recorded seed can check the order.

Award tiers (一等奖 / 二等奖 / 三等奖 / 优秀奖)
    A tier is a fixed ``count``, a ``share`` of the whole field, or (last tier only) the rest of the field. A share's
    size is ``share × field`` rounded by the contest's stated rule (floor, half up, ceiling), each tier on its own;
    the tiers then fill the ranking from the top, in order. Entries tied on rank always get the same award: a tie
    across the boundary between two tiers lifts every tied entry into the higher tier, and the following tier
    starts that much lower but still ends at its planned place, so it shrinks and the total awarded does not grow.
    The one exception is the last awarded place: entries tied with the last awardee are all awarded too (there is
    no later tier to absorb them, and refusing an award to an entry as good as an awardee is worse).

Visibility
    Before the panel closes a judge sees only their own marks; organisers see all marks all the time (they run the
    contest and must chase and check marks). After the close the marks are no longer secret from the panel; whether
    the public sees them is the service's decision (it publishes results).

Normalising across panels
    When several panels mark different entries, each judge's marks are turned into z-scores (their own mean and
    population standard deviation) and mapped back onto the mean and standard deviation of all marks, so a strict
    judge and a lenient one count the same. A judge whose marks are all equal contributes the overall mean.

Conflicts of interest (issue 19 item 8)
    A judge never marks an entry they are in: an individual entry is its member's 工号, a pair's or a team's entry
    lists its members. Optionally (``exclude_own_unit``) a judge marks no entry of their own unit either. Such a
    judge is *excused* from the entry, which is then scored from the marks of the judges who may mark it: the
    trimmed rule aggregates the marks that exist. ``entry_aggregation`` says how when excusing leaves fewer marks
    than the rule needs: ``DROP_HIGH_LOW`` with four or more judges left drops one highest and one lowest of the
    rest as usual; with fewer than three marks left (three judges, one excused) nothing can be trimmed and the
    marks that exist are averaged. ``CLOSEST_PAIR`` with one of its three judges excused leaves two marks, which
    are the closest pair by definition: their mean. An entry no judge may mark (every judge excused) is never
    scored: the organiser must add a judge. A judge merely late with their marks is never excused: the entry then
    waits, and ``missing_marks`` lists who owes what before the panel closes.

Order of appearance
    Drawn by lot from a recorded seed like the lottery's published draws: ascending ``SHA-256(seed + ":" +
    entry_id)``; contestants are numbered 1..n in that order and judges see them by number until the panel closes.

Multi-stage contests
    ``finalists`` takes the top N of a ranking; entries tied at the cut all go through (a shared rank is never split).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from itertools import groupby, pairwise
from math import ceil, floor
from typing import Any, NamedTuple

from chalicelib.domain.competition.model import CompetitionError
from chalicelib.domain.language import N_
from chalicelib.domain.lottery import draw_key

CENT = Decimal("0.01")


class JudgingError(CompetitionError):
    """Marks, criteria or a panel that the judging rules refuse."""


@dataclass(frozen=True)
class Criterion:
    code: str
    name_zh: str
    name_en: str
    weight: Decimal
    max_mark: Decimal

    def __post_init__(self) -> None:
        if not self.code:
            raise JudgingError("criterion_code", "a criterion needs a code")
        if not isinstance(self.weight, Decimal) or not self.weight.is_finite() or self.weight <= 0:
            raise JudgingError("criterion_weight", f"criterion {self.code}: the weight must be a positive Decimal")
        if not isinstance(self.max_mark, Decimal) or not self.max_mark.is_finite() or self.max_mark <= 0:
            raise JudgingError("criterion_max_mark", f"criterion {self.code}: the top mark must be a positive Decimal")

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "weight": str(self.weight),
            "max_mark": str(self.max_mark),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Criterion:
        return cls(
            code=str(data["code"]),
            name_zh=str(data.get("name_zh", "")),
            name_en=str(data.get("name_en", "")),
            weight=_decimal(data["weight"], N_("criterion_weight")),
            max_mark=_decimal(data["max_mark"], N_("criterion_max_mark")),
        )


class Aggregation(StrEnum):
    MEAN = "mean"
    DROP_HIGH_LOW = "drop_high_low"
    CLOSEST_PAIR = "closest_pair"


class TieRule(StrEnum):
    SHARED = "shared"
    CRITERIA = "criteria"
    LOT = "lot"


class EntryScore(NamedTuple):
    """An entry's aggregated score, and each criterion's aggregated score in the order the criteria are listed."""

    total: Decimal
    by_criterion: tuple[tuple[str, Decimal], ...] = ()


class RankedEntry(NamedTuple):
    entry_id: str
    rank: int
    score: EntryScore

    @property
    def total(self) -> Decimal:
        return self.score.total


class Rounding(StrEnum):
    FLOOR = "floor"
    HALF_UP = "half_up"
    CEIL = "ceil"


@dataclass(frozen=True)
class AwardTier:
    """One award. ``count`` entries, or ``share`` of the field, or, with neither, the rest of the field."""

    code: str
    name_zh: str
    name_en: str
    count: int | None = None
    share: Fraction | None = None

    def __post_init__(self) -> None:
        if not self.code:
            raise JudgingError("tier_code", "an award tier needs a code")
        if self.count is not None and self.share is not None:
            raise JudgingError("tier_count_and_share", f"tier {self.code}: give a count or a share, not both")
        if self.count is not None and (isinstance(self.count, bool) or not isinstance(self.count, int)):
            raise JudgingError("tier_count", f"tier {self.code}: the count must be a whole number")
        if self.count is not None and self.count < 0:
            raise JudgingError("tier_count", f"tier {self.code}: the count cannot be negative")
        if self.share is not None and not 0 <= self.share <= 1:
            raise JudgingError("tier_share", f"tier {self.code}: the share must be between 0 and 1")

    @property
    def takes_rest(self) -> bool:
        return self.count is None and self.share is None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "name_zh": self.name_zh, "name_en": self.name_en}
        if self.count is not None:
            data["count"] = self.count
        if self.share is not None:
            data["share"] = str(self.share)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AwardTier:
        try:
            share = Fraction(str(data["share"])) if data.get("share") is not None else None
        except (ValueError, ZeroDivisionError) as error:
            raise JudgingError("tier_share", f"tier {data.get('code')}: the share is not a number") from error
        count = data.get("count")
        return cls(
            code=str(data["code"]),
            name_zh=str(data.get("name_zh", "")),
            name_en=str(data.get("name_en", "")),
            count=int(count) if count is not None else None,
            share=share,
        )


# The usual prizes' names (message ids); a tier's names are the organiser's data, these are where they start.
PRIZE_NAMES: dict[str, str] = {
    "first": N_("competition.prize.first"),
    "second": N_("competition.prize.second"),
    "third": N_("competition.prize.third"),
    "merit": N_("competition.prize.merit"),
}
_PRIZE_SHARES: dict[str, Fraction | None] = {
    "first": Fraction(1, 10),
    "second": Fraction(2, 10),
    "third": Fraction(3, 10),
    "merit": None,  # the rest of the field
}
_TIER_PRESETS: dict[str, tuple[str, ...]] = {
    "standard": ("first", "second", "third", "merit"),
    "standard_without_merit": ("first", "second", "third"),
}


class PresetTier(NamedTuple):
    """A tier of a preset: its code, its name's message id (PRIZE_NAMES) and its share (None: the rest)."""

    code: str
    name: str
    share: Fraction | None

    def tier(self, name_zh: str, name_en: str) -> AwardTier:
        """The tier as the organiser's data, named with the name's texts (``translate(preset.name, language)``)."""
        return AwardTier(self.code, name_zh, name_en, share=self.share)


def tier_preset(name: str) -> tuple[PresetTier, ...]:
    """A starting point for the organiser, who may replace any share with a count: the tiers of preset ``name``
    (``standard``, ``standard_without_merit``), their names as message ids."""
    return tuple(PresetTier(code, PRIZE_NAMES[code], _PRIZE_SHARES[code]) for code in _TIER_PRESETS[name])


class Panel(NamedTuple):
    panel_id: str
    name: str
    judges: tuple[str, ...]
    entries: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "panel_id": self.panel_id,
            "name": self.name,
            "judges": list(self.judges),
            "entries": list(self.entries),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Panel:
        return cls(
            panel_id=str(data["panel_id"]),
            name=str(data.get("name", "")),
            judges=tuple(data.get("judges", ())),
            entries=tuple(data.get("entries", ())),
        )


def _decimal(value: object, code: str) -> Decimal:
    """A mark or weight as a finite Decimal; ints are exact too, floats are refused (0.1 is not 0.1 in binary)."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise JudgingError(code, f"{value!r} is not a decimal number")
    try:
        number = Decimal(value)
    except ArithmeticError as error:
        raise JudgingError(code, f"{value!r} is not a decimal number") from error
    if not number.is_finite():
        raise JudgingError(code, f"{value!r} is not a decimal number")
    return number


def check_criteria(criteria: Sequence[Criterion]) -> None:
    if not criteria:
        raise JudgingError("no_criteria", "a judged contest needs at least one criterion")
    codes = [criterion.code for criterion in criteria]
    if len(set(codes)) != len(codes):
        raise JudgingError("criterion_duplicate", "two criteria have the same code")
    if sum((criterion.weight for criterion in criteria), Decimal(0)) != 1:
        raise JudgingError("criteria_weights", "the criteria's weights must add up to 1")


def _checked_marks(criteria: Sequence[Criterion], marks: Mapping[str, object]) -> dict[str, Decimal]:
    unknown = set(marks) - {criterion.code for criterion in criteria}
    if unknown:
        raise JudgingError("mark_unknown_criterion", f"marks for unknown criteria: {', '.join(sorted(unknown))}")
    checked = {}
    for criterion in criteria:
        if criterion.code not in marks:
            raise JudgingError("mark_missing", f"criterion {criterion.code} is not marked")
        mark = _decimal(marks[criterion.code], N_("mark_invalid"))
        if not 0 <= mark <= criterion.max_mark:
            raise JudgingError("mark_range", f"criterion {criterion.code}: marks go from 0 to {criterion.max_mark}")
        checked[criterion.code] = mark
    return checked


def _weighted(criteria: Sequence[Criterion], marks: Mapping[str, Decimal]) -> Decimal:
    return sum((criterion.weight * marks[criterion.code] for criterion in criteria), Decimal(0))


def judge_total(criteria: Sequence[Criterion], marks: Mapping[str, Decimal]) -> Decimal:
    """One judge's mark for an entry: the weighted sum of their criterion marks (exact, not rounded)."""
    check_criteria(criteria)
    return _weighted(criteria, _checked_marks(criteria, marks))


def minimum_judges(aggregation: Aggregation) -> int:
    """How many judges' marks an entry needs before ``aggregation`` can score it (closest pair: exactly 3)."""
    if aggregation == Aggregation.MEAN:
        return 1
    if aggregation in (Aggregation.DROP_HIGH_LOW, Aggregation.CLOSEST_PAIR):
        return 3
    raise JudgingError("aggregation_unknown", f"unknown aggregation {aggregation!r}")


def aggregate(marks: Sequence[Decimal], aggregation: Aggregation) -> Decimal:
    """The judges' marks for one entry combined by ``aggregation``, rounded half-up to 2 places."""
    ordered = sorted(marks)
    needed = minimum_judges(aggregation)
    if len(ordered) < needed:
        raise JudgingError("too_few_judges", f"{aggregation} needs marks from at least {needed} judges")
    if aggregation == Aggregation.CLOSEST_PAIR:
        if len(ordered) != 3:
            raise JudgingError("closest_pair_judges", "averaging the closest pair needs exactly 3 judges")
        low, middle, high = ordered
        kept = [middle, high] if high - middle <= middle - low else [low, middle]
    elif aggregation == Aggregation.DROP_HIGH_LOW:
        kept = ordered[1:-1]
    else:
        kept = ordered
    return (sum(kept, Decimal(0)) / len(kept)).quantize(CENT, rounding=ROUND_HALF_UP)


def score_entry(
    criteria: Sequence[Criterion], marks_by_judge: Mapping[str, Mapping[str, Decimal]], aggregation: Aggregation
) -> EntryScore:
    """An entry's score from every judge's criterion marks, and each criterion's score (for ``TieRule.CRITERIA``)."""
    check_criteria(criteria)
    checked = [_checked_marks(criteria, marks) for marks in marks_by_judge.values()]
    return EntryScore(
        total=aggregate([_weighted(criteria, marks) for marks in checked], aggregation),
        by_criterion=tuple(
            (criterion.code, aggregate([marks[criterion.code] for marks in checked], aggregation))
            for criterion in criteria
        ),
    )


def entry_score(
    criteria: Sequence[Criterion], marks_by_judge: Mapping[str, Mapping[str, Decimal]], aggregation: Aggregation
) -> Decimal:
    return score_entry(criteria, marks_by_judge, aggregation).total


def rank_entries(scores: Mapping[str, EntryScore], tie_rule: TieRule, lot_seed: str | None = None) -> list[RankedEntry]:
    """Entries best first with their ranks; entries still tied under ``tie_rule`` share a rank (1, 2, 2, 4) and are
    listed by entry id."""
    if tie_rule not in TieRule:
        raise JudgingError("tie_rule_unknown", f"unknown tie rule {tie_rule!r}")
    if tie_rule == TieRule.LOT and not lot_seed:
        raise JudgingError("lot_seed_missing", "drawing lots needs the recorded seed")
    if tie_rule == TieRule.CRITERIA:
        layouts = {tuple(code for code, _ in score.by_criterion) for score in scores.values()}
        if len(layouts) > 1:
            raise JudgingError("criteria_mismatch", "entries were scored on different criteria")

    def rank_key(entry_id: str) -> tuple[Any, ...]:
        score = scores[entry_id]
        if tie_rule == TieRule.CRITERIA:
            return (-score.total, *(-value for _, value in score.by_criterion))
        if tie_rule == TieRule.LOT:
            assert lot_seed is not None  # checked above: drawing lots needs the seed
            return (-score.total, draw_key(lot_seed, entry_id))
        return (-score.total,)

    ordered = sorted(scores, key=lambda entry_id: (rank_key(entry_id), entry_id))
    ranked: list[RankedEntry] = []
    for _, tied in groupby(ordered, key=rank_key):
        rank = len(ranked) + 1
        ranked.extend(RankedEntry(entry_id, rank, scores[entry_id]) for entry_id in tied)
    return ranked


def check_tiers(tiers: Sequence[AwardTier]) -> None:
    if not tiers:
        raise JudgingError("no_tiers", "name at least one award")
    codes = [tier.code for tier in tiers]
    if len(set(codes)) != len(codes):
        raise JudgingError("tier_duplicate", "two awards have the same code")
    if any(tier.takes_rest for tier in tiers[:-1]):
        raise JudgingError("tier_rest_not_last", "only the last award can go to the rest of the field")
    if sum((tier.share for tier in tiers if tier.share is not None), Fraction(0)) > 1:
        raise JudgingError("tier_shares", "the awards' shares add up to more than the whole field")


def _rounded(value: Fraction, rounding: Rounding) -> int:
    if rounding == Rounding.FLOOR:
        return floor(value)
    if rounding == Rounding.CEIL:
        return ceil(value)
    if rounding == Rounding.HALF_UP:
        return floor(value + Fraction(1, 2))
    raise JudgingError("rounding_unknown", f"unknown rounding {rounding!r}")


def tier_sizes(field_size: int, tiers: Sequence[AwardTier], rounding: Rounding) -> list[int]:
    """Each tier's planned size before ties are looked at; together they never exceed the field."""
    check_tiers(tiers)
    sizes: list[int] = []
    for tier in tiers:
        left = field_size - sum(sizes)
        if tier.takes_rest:
            planned = left
        elif tier.count is not None:
            planned = tier.count
        else:
            assert tier.share is not None  # neither the rest nor a count: a share
            planned = _rounded(tier.share * field_size, rounding)
        sizes.append(min(planned, left))
    return sizes


def award_tiers(ranked: Sequence[RankedEntry], tiers: Sequence[AwardTier], rounding: Rounding) -> dict[str, str]:
    """Entry id → award code for the ``ranked`` field (as ``rank_entries`` lists it); entries without an award are
    absent. Ties are never split: see the module docstring."""
    if any(later.rank < earlier.rank for earlier, later in pairwise(ranked)):
        raise JudgingError("ranking_order", "the ranking must be listed best first")
    field_size = len(ranked)
    awards: dict[str, str] = {}
    start = planned_end = 0
    for tier, size in zip(tiers, tier_sizes(field_size, tiers, rounding), strict=True):
        planned_end += size
        end = planned_end
        if end <= start:
            continue  # an earlier tie took this tier's places
        while end < field_size and ranked[end].rank == ranked[end - 1].rank:
            end += 1
        awards.update((entry.entry_id, tier.code) for entry in ranked[start:end])
        start = end
    return awards


def marks_visible_to[Marks](
    viewer: str, is_organiser: bool, panel_closed: bool, marks_by_judge: Mapping[str, Marks]
) -> dict[str, Marks]:
    """The part of ``marks_by_judge`` (judge → their marks) that ``viewer`` may see."""
    if is_organiser or panel_closed:
        return dict(marks_by_judge)
    return {viewer: marks_by_judge[viewer]} if viewer in marks_by_judge else {}


def check_panels(panels: Sequence[Panel]) -> None:
    ids = [panel.panel_id for panel in panels]
    if len(set(ids)) != len(ids):
        raise JudgingError("panel_duplicate", "two panels have the same id")
    seen: set[str] = set()
    for panel in panels:
        if not panel.judges:
            raise JudgingError("panel_no_judges", f"panel {panel.name or panel.panel_id} has no judges")
        if len(set(panel.judges)) != len(panel.judges):
            raise JudgingError("panel_judge_twice", f"panel {panel.name or panel.panel_id} lists a judge twice")
        twice = seen.intersection(panel.entries) or len(set(panel.entries)) != len(panel.entries)
        if twice:
            raise JudgingError("panel_entry_twice", "an entry is assigned twice")
        seen.update(panel.entries)


def judge_may_mark(panel: Panel, judge: str, entry: str) -> bool:
    return judge in panel.judges and entry in panel.entries


def entries_for_judge(panels: Sequence[Panel], judge: str) -> list[str]:
    """The entries ``judge`` is assigned to, panel by panel, in each panel's order."""
    return [entry for panel in panels if judge in panel.judges for entry in panel.entries]


def normalise(marks_by_judge: Mapping[str, Mapping[str, Decimal]]) -> dict[str, dict[str, Decimal]]:
    """Judge → entry → mark, with each judge's marks rescaled onto the mean and spread of all marks (unrounded)."""
    every_mark = [_decimal(mark, N_("mark_invalid")) for marks in marks_by_judge.values() for mark in marks.values()]
    if not every_mark:
        return {judge: {} for judge in marks_by_judge}
    overall_mean = statistics.mean(every_mark)
    overall_spread = statistics.pstdev(every_mark, overall_mean)
    normalised: dict[str, dict[str, Decimal]] = {}
    for judge, marks in marks_by_judge.items():
        own = {entry: _decimal(mark, N_("mark_invalid")) for entry, mark in marks.items()}
        if not own:
            normalised[judge] = {}
            continue
        own_mean = statistics.mean(own.values())
        own_spread = statistics.pstdev(own.values(), own_mean)
        normalised[judge] = {
            entry: overall_mean + ((mark - own_mean) / own_spread * overall_spread if own_spread else Decimal(0))
            for entry, mark in own.items()
        }
    return normalised


def finalists(ranked: Sequence[RankedEntry], top_n: int) -> list[str]:
    """The entries going on to the next stage: the top ``top_n``, and everyone tied with the last of them."""
    if top_n < 0:
        raise JudgingError("finalists_count", "the number of finalists cannot be negative")
    return [entry.entry_id for entry in ranked if entry.rank <= top_n]


# ---- fair judging: conflicts of interest, order of appearance, missing marks -------------------------------------


class Excused(StrEnum):
    """Why a judge does not mark an entry (the judge's sheet says so; the codes are message ids' last part)."""

    OWN_ENTRY = "own_entry"  # they are in it
    OWN_UNIT = "own_unit"  # it is their unit's, and the contest excludes judges' own units


def entry_people(entry_id: str, members: Collection[str] = ()) -> frozenset[str]:
    """The 工号 of everyone in an entry: an individual entry's id is its member's 工号; a pair's is its lead's and a
    team's lists its members (``members``)."""
    return frozenset({entry_id, *members})


def excused_reason(
    judge: str, judge_unit: str | None, people: Collection[str], entry_unit: str | None, exclude_own_unit: bool
) -> Excused | None:
    """Why ``judge`` may not mark an entry of ``people`` from ``entry_unit``, or None when they may."""
    if judge in people:
        return Excused.OWN_ENTRY
    if exclude_own_unit and judge_unit and judge_unit == entry_unit:
        return Excused.OWN_UNIT
    return None


def own_entries(person: str, people_by_entry: Mapping[str, Collection[str]]) -> list[str]:
    """The entries ``person`` is in (entry → people, as ``entry_people`` gives them): naming them judge is refused."""
    return [entry for entry, people in people_by_entry.items() if person in people]


def entry_aggregation(aggregation: Aggregation, marks: int, excused: int) -> Aggregation | None:
    """The rule that scores an entry with ``marks`` judges' marks when ``excused`` judges may not mark it (see
    "Conflicts of interest" above), or None while it cannot be scored yet."""
    needed = minimum_judges(aggregation)
    if aggregation == Aggregation.CLOSEST_PAIR and marks > 3:
        return None  # the closest pair is a rule for three judges
    if marks >= needed:
        return aggregation
    if excused and marks >= 1 and marks >= needed - excused:
        return Aggregation.MEAN
    return None


def appearance_order(seed: str, entries: Collection[str]) -> list[str]:
    """The order of appearance drawn by lot: ascending ``SHA-256(seed + ":" + entry_id)`` (lottery.draw_key), so
    anyone holding the published seed can check it; the first appears first and is number 1."""
    if not seed:
        raise JudgingError("lot_seed_missing", "drawing lots needs the recorded seed")
    return sorted(entries, key=lambda entry_id: (draw_key(seed, entry_id), entry_id))


def check_appearance_order(seed: str, order: Sequence[str]) -> bool:
    """Whether a published order is the one its seed draws from those same entries."""
    return list(order) == appearance_order(seed, order)


def appearance_numbers(order: Sequence[str], entries: Sequence[str]) -> dict[str, int]:
    """Each entry's number (1..n): its place in the drawn ``order``; entries the order does not know (none drawn
    yet) follow in their listed order."""
    listed = [entry for entry in order if entry in entries]
    listed += [entry for entry in entries if entry not in listed]
    return {entry: number for number, entry in enumerate(listed, start=1)}


def missing_marks(
    judges: Sequence[str],
    entries: Sequence[str],
    may_mark: Callable[[str, str], bool],
    marked: Collection[tuple[str, str]],
) -> dict[str, list[str]]:
    """Judge → the entries they may mark and have not ((judge, entry) pairs in ``marked`` are in), in the entries'
    order; judges owing nothing are left out. Closing the panel with any of these warns the organiser."""
    missing: dict[str, list[str]] = {}
    for judge in judges:
        owed = [entry for entry in entries if may_mark(judge, entry) and (judge, entry) not in marked]
        if owed:
            missing[judge] = owed
    return missing
