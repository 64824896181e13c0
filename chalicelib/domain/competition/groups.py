"""Groups then knockout (小组赛 + 淘汰赛): a round robin in each group, then the top places cross into a bracket.

``knockout_template`` lays out the bracket's first round as (group letter, place in group) before anybody has
qualified, so the draw sheet can be printed up front. It follows the usual crossing (FIFA World Cup and BWF team
events alike):

* Qualifiers are seeded place by place: the group winners, in group order, are seeds 1..G; the runners-up fill the
  next G seed positions, and so on. Seed positions are those of a standard seeded bracket — seed 1 at the top,
  seed 2 at the bottom, seeds 3–4 in the other two quarters, 5–8 in the remaining eighths — in which seed k meets
  seed size+1−k in the first round. So when the field is not a power of two, the byes (the missing lowest seeds)
  meet the highest seeds: the group winners, A1 first.
* Which group's runner-up (third, ...) takes which of its place's seed positions is chosen to keep qualifiers of
  the same group apart for as long as possible: with two per group they are always in opposite halves, so they can
  only meet in the final. Among equally good positions a qualifier prefers to face the winner of its neighbour group
  (A with B, C with D, ...): A1–B2, B1–A2, C1–D2, D1–C2, ...

Group letters follow the order the groups are given in: index 0 is group A.

Once the groups are played, ``separate_units`` fills the template with the qualifiers and keeps teams of one unit
(二级工会) apart: it swaps qualifiers of the same place (runners-up with runners-up, never a winner) wherever that
keeps every group's qualifiers at least as far apart as the template does, so that as few same-unit teams as the
group places allow meet in the first round, then in the second, and so on. When no such swap can avoid it (two
groups of two whose winner and runner-up cross are of one unit, say), the clash is reported to the organiser.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from itertools import combinations, permutations, product
from math import factorial, prod
from string import ascii_uppercase
from typing import NamedTuple

from chalicelib.domain.competition.model import Match
from chalicelib.domain.competition.round_robin import ScheduleError, checked_entries, round_robin

Qualifier = tuple[str, int]  # (group letter, place in the group), e.g. ("A", 1) for the winner of group A


def group_letter(index: int) -> str:
    if not 0 <= index < len(ascii_uppercase):
        raise ScheduleError("too_many_groups", f"Groups are lettered A–Z; there is no group number {index + 1}.")
    return ascii_uppercase[index]


def group_stage(stage_id: str, groups: Sequence[Sequence[str]], legs: int = 1) -> list[Match]:
    """A round robin in every group; each group's matches have its letter as bracket and id prefix (``A1-2``)."""
    if not groups:
        raise ScheduleError("no_groups", "A group stage needs at least one group.")
    checked_entries([entry for group in groups for entry in group])  # nobody may be in two groups
    matches: list[Match] = []
    for index, group in enumerate(groups):
        letter = group_letter(index)
        matches += round_robin(stage_id, group, legs, bracket=letter, id_prefix=letter)
    return matches


def knockout_template(group_count: int, qualifiers: int) -> list[Qualifier | None]:
    """The knockout's first-round line, top to bottom (two positions per match), None for a bye."""
    if group_count < 1 or qualifiers < 1:
        raise ScheduleError("bad_template", "A knockout needs at least one group and one qualifier per group.")
    group_letter(group_count - 1)  # refuses more groups than letters
    field = group_count * qualifiers
    if field < 2:
        raise ScheduleError("too_few_entries", "A knockout needs at least two qualifiers.")
    size = 1 << (field - 1).bit_length()
    position_of_seed = {seed: position for position, seed in enumerate(_seed_order(size))}
    line: list[Qualifier | None] = [None] * size
    for place in range(1, qualifiers + 1):
        positions = [position_of_seed[seed] for seed in range((place - 1) * group_count + 1, place * group_count + 1)]
        assignment = dict(enumerate(positions)) if place == 1 else _spread(line, group_count, positions)
        for group, position in assignment.items():
            line[position] = (group_letter(group), place)
    return line


def knockout_line(template: Sequence[Qualifier | None], placed: Mapping[Qualifier, str]) -> list[str | None]:
    """The template with each (group, place) replaced by the entry that finished there."""
    missing = [f"{letter}{place}" for letter, place in (q for q in template if q is not None and q not in placed)]
    if missing:
        raise ScheduleError("qualifier_missing", f"No entry has qualified as {', '.join(missing)}.")
    line = [None if qualifier is None else placed[qualifier] for qualifier in template]
    checked_entries([entry for entry in line if entry is not None])  # one entry cannot hold two places
    return line


class Crossing(NamedTuple):
    """The knockout's first-round line filled with the qualifiers, and the first-round matches that still pair two
    teams of one unit because the group places leave no other choice (entry ids, top first)."""

    line: list[str | None]
    unit_clashes: tuple[tuple[str, str], ...] = ()


def separate_units(
    template: Sequence[Qualifier | None], placed: Mapping[Qualifier, str], units: Mapping[str, str | None]
) -> Crossing:
    """The template filled with the qualifiers (``placed``: who finished where), teams of one unit kept apart.

    As BWF draws separate the players of one Member Association (BWF Statutes Section 5.1, General Competition
    Regulations, the draw regulation: GCR 12 in Handbook II's numbering, as ``draws`` follows it), teams of one
    unit (``units``: entry → unit id, None for none) are kept from meeting in the first round, then the second ...
    Only qualifiers of the same place change positions, and only where no group's qualifiers come closer than the
    template puts them: the crossing (winners apart, winners against runners-up, one group's teams apart as long as
    possible) stays. Of those arrangements the one that meets the fewest same-unit pairs in the first round, then
    the second ... is taken (every arrangement tried while there are at most ``_EXHAUSTIVE``, else improving swaps
    from the template), the template itself when nothing is better: deterministic, and the standard crossing when
    units do not clash."""
    knockout_line(template, placed)  # refuses a missing or doubled qualifier
    tiers = _same_place_positions(template)
    current = list(template)
    if any(_unit_cost(current, placed, units)):
        if prod(factorial(len(tier)) for tier in tiers) <= _EXHAUSTIVE:
            current = _best_of_all(current, tiers, lambda line: _unit_cost(line, placed, units))
        else:
            current = _best_by_swaps(current, tiers, lambda line: _unit_cost(line, placed, units))
    line = [None if q is None else placed[q] for q in current]
    return Crossing(line, unit_clashes(line, units))


def unit_clashes(line: Sequence[str | None], units: Mapping[str, str | None]) -> tuple[tuple[str, str], ...]:
    """The first-round matches of a bracket's line that pair two entries of one unit (top first). After
    ``separate_units`` these are the ones the group places leave no way to avoid: the organiser is told."""
    pairs = zip(line[::2], line[1::2], strict=True)
    return tuple((a, b) for a, b in pairs if a is not None and b is not None and _same_unit(units, a, b))


# Up to this many arrangements (7 groups of 2, 4 groups of 3 ...) every one is tried; beyond, swaps improve the
# standard crossing one at a time (16 groups of 2 would be 16! arrangements).
_EXHAUSTIVE = 5040

Cost = Callable[[Sequence[Qualifier | None]], tuple[int, ...]]


def _best_of_all(template: list[Qualifier | None], tiers: list[list[int]], cost: Cost) -> list[Qualifier | None]:
    """The arrangement of the same-place qualifiers that meets the fewest same-unit pairs early, of all those that
    keep every group at least as far apart as ``template``; the template itself on a tie, else the first found."""
    floor = _group_spread(template)
    best, best_cost = template, cost(template)
    for arrangement in product(*(permutations([template[p] for p in tier]) for tier in tiers)):
        trial = list(template)
        for tier, qualifiers in zip(tiers, arrangement, strict=True):
            for position, qualifier in zip(tier, qualifiers, strict=True):
                trial[position] = qualifier
        trial_cost = cost(trial)
        if trial_cost < best_cost and _group_spread(trial) >= floor:
            best, best_cost = trial, trial_cost
    return best


def _best_by_swaps(template: list[Qualifier | None], tiers: list[list[int]], cost: Cost) -> list[Qualifier | None]:
    """From the template, the first swap of two same-place qualifiers (or, when no single swap helps and the field
    is small enough, two swaps at once: a runner-up moving can need a third to move too) that meets fewer same-unit
    pairs early and keeps every group at least as far apart, again until none is left."""
    floor = _group_spread(template)
    current, current_cost = template, cost(template)
    singles = [(pair,) for tier in tiers for pair in combinations(tier, 2)]
    doubles = list(combinations([pair for (pair,) in singles], 2)) if len(singles) <= _DOUBLE_SWAPS else []
    improved = True
    while improved and any(current_cost):
        improved = False
        for moves in [*singles, *doubles]:
            trial = list(current)
            for i, j in moves:
                trial[i], trial[j] = trial[j], trial[i]
            trial_cost = cost(trial)
            if trial_cost < current_cost and _group_spread(trial) >= floor:
                current, current_cost, improved = trial, trial_cost, True
                break
    return current


# Two swaps at once are tried while there are at most this many single swaps (8 groups of 3; 10 groups of 2).
_DOUBLE_SWAPS = 60


def _same_place_positions(line: Sequence[Qualifier | None]) -> list[list[int]]:
    """The line positions of each place after the winners' (runners-up, thirds ...), place by place."""
    by_place: dict[int, list[int]] = {}
    for position, qualifier in enumerate(line):
        if qualifier is not None and qualifier[1] > 1:
            by_place.setdefault(qualifier[1], []).append(position)
    return [by_place[place] for place in sorted(by_place)]


def _same_unit(units: Mapping[str, str | None], one: str, other: str) -> bool:
    return bool(units.get(one)) and units.get(one) == units.get(other)


def _group_spread(line: Sequence[Qualifier | None]) -> list[int]:
    """The rounds in which qualifiers of one group can first meet, every such pair, earliest first: a line keeps
    groups apart at least as well as another when this list is not smaller (compared from the earliest)."""
    taken = [(p, q[0]) for p, q in enumerate(line) if q is not None]
    return sorted(_meeting_round(p, o) for index, (p, g) in enumerate(taken) for o, h in taken[index + 1 :] if g == h)


def _unit_cost(
    line: Sequence[Qualifier | None], placed: Mapping[Qualifier, str], units: Mapping[str, str | None]
) -> tuple[int, ...]:
    """How many pairs of one unit can first meet in round 1, round 2 ... (fewer early is better)."""
    counts = [0] * (len(line).bit_length() - 1)
    taken = [(p, placed[q]) for p, q in enumerate(line) if q is not None]
    for index, (p, entry) in enumerate(taken):
        for o, other in taken[index + 1 :]:
            if _same_unit(units, entry, other):
                counts[_meeting_round(p, o) - 1] += 1
    return tuple(counts)


def _seed_order(size: int) -> list[int]:
    """Seed numbers down a standard bracket of ``size`` (a power of two): [1, 4, 3, 2], [1, 8, 5, 4, 3, 6, 7, 2] ...

    Each doubling puts seed s against seed n+1−s, the higher seed on the outside of its half, which keeps 1 at the
    top, 2 at the bottom and the top 2^k seeds in different 1/2^k sections."""
    order = [1]
    while len(order) < size:
        n = 2 * len(order)
        order = [
            seed for index, s in enumerate(order) for seed in ((s, n + 1 - s) if index % 2 == 0 else (n + 1 - s, s))
        ]
    return order


def _meeting_round(position: int, other: int) -> int:
    """The round in which the entries at two line positions can first meet: 1 = the first round."""
    return (position ^ other).bit_length()


def _spread(line: list[Qualifier | None], group_count: int, positions: list[int]) -> dict[int, int]:
    """Assigns this place's qualifier of every group (by index) to one of ``positions``.

    First the best guarantee for all: the latest round r such that every group can have all its earlier qualifiers
    at least r rounds away. Then group by group (A first), the best position for that group that still lets the
    groups after it reach r."""
    placed = {
        group: [p for p, q in enumerate(line) if q is not None and q[0] == group_letter(group)]
        for group in range(group_count)
    }

    def separation(group: int, position: int) -> list[int]:
        return sorted(_meeting_round(position, other) for other in placed[group])

    def apart(group: int, position: int) -> int:
        return min(separation(group, position))

    def faces_neighbour(group: int, position: int) -> bool:
        opponent = line[position ^ 1]
        return opponent is not None and opponent[0] == group_letter(group ^ 1)

    rounds = len(line).bit_length() - 1
    groups = range(group_count)
    guarantee = next(r for r in range(rounds, 0, -1) if _matchable(groups, positions, apart, r))

    assignment: dict[int, int] = {}
    free = set(positions)
    for group in groups:
        for position in sorted(
            free, key=lambda p: ([-r for r in separation(group, p)], not faces_neighbour(group, p), p)
        ):
            if apart(group, position) >= guarantee and _matchable(
                range(group + 1, group_count), free - {position}, apart, guarantee
            ):
                assignment[group] = position
                free.remove(position)
                break
    return assignment


def _matchable(
    groups: Sequence[int], positions: Collection[int], apart: Callable[[int, int], int], at_least: int
) -> bool:
    """Whether every group can get a position of its own at least ``at_least`` rounds from its earlier qualifiers
    (Kuhn's augmenting paths)."""
    holder: dict[int, int] = {}

    def augment(group: int, seen: set[int]) -> bool:
        for position in positions:
            if position in seen or apart(group, position) < at_least:
                continue
            seen.add(position)
            if position not in holder or augment(holder[position], seen):
                holder[position] = group
                return True
        return False

    return all(augment(group, set()) for group in groups)
