"""Draws: where each entry starts in a knockout bracket or which group it plays in.

Bracket draws follow the BWF General Competition Regulations (seeding and draw, GCR 12.9–12.10 in the numbering
of the BWF Handbook II):

* Seed 1 is placed at the top of the draw and seed 2 at the bottom. Seeds 3–4 are drawn by lot into the two
  remaining quarters, 5–8 into the remaining eighths, 9–16 into the remaining sixteenths, and so on. A seed in the
  top half goes to the top of its section, one in the bottom half to the bottom of its section, so the sections'
  seeds are as far from each other as the draw allows.
* Byes go to the seeds first: the first bye is seed 1's first-round opponent, the second seed 2's, then those of
  seeds 3/4, 5/8 ... Carrying the seed positions down to the first-round pairs gives every position a "virtual
  seed", and byes follow that order group by group. When a group gets only some of them, they go where they are
  farthest from the byes already placed (by lot among equals): so byes are spread evenly over halves, quarters ...,
  and which of seeds 5/8 (equal seedings in badminton, drawn together) gets a fifth bye is decided by the same lot
  as their positions. A bye never meets a bye.
* Entries from the same unit are separated as far as possible: into different halves first, then different quarters,
  eighths ... and, above all, not into the same first-round match. Where that cannot be done (five entries of one unit
  in an eight-draw) the draw gives the best spread there is.

Group draws put one seed in each group in seed order (snaking back when there are more seeds than groups) and then
draw the other entries by lot, at most one entry of a unit per group where the numbers allow it.

Everything random goes through a ``random.Random`` built by ``draw_rng`` from the seed string recorded with the draw,
and entries are taken in a fixed order (by seed, unit and entry id), so a draw is reproducible from that one seed
whatever order the entries were read in.
"""

from __future__ import annotations

import hashlib
import random
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from itertools import combinations

from chalicelib.domain.competition.model import CompetitionError, Entry


class DrawError(CompetitionError):
    """A draw cannot be made from these entries and rules."""


def draw_rng(seed: str, purpose: str) -> random.Random:
    """The random source of one draw (a bracket, a stage's groups, a lot in standings), reproducible from the
    recorded ``seed``; ``purpose`` keeps the draws made from one seed independent of each other."""
    digest = hashlib.sha256(f"{seed}:{purpose}".encode()).digest()
    return random.Random(int.from_bytes(digest, "big"))


def _is_power_of_two(number: int) -> bool:
    return number >= 1 and number & (number - 1) == 0


def bracket_size(count: int) -> int:
    """The smallest power of two that holds ``count`` entries: a knockout draw's number of positions."""
    if count < 2:
        raise DrawError("too_few_entries", "A knockout draw needs at least two entries.")
    return 1 << (count - 1).bit_length()


def default_seed_count(entries: int) -> int:
    """How many of ``entries`` a draw seeds, as the BWF General Competition Regulations (13.4) set it: 2 under 16
    entries, 4 for 16 to 31, 8 for 32 to 63, 16 from 64 (none for fewer than two entries)."""
    if entries < 2:
        return 0
    if entries < 16:
        return 2
    return 4 if entries < 32 else 8 if entries < 64 else 16


def _check_size(size: int) -> None:
    if size < 2 or not _is_power_of_two(size):
        raise DrawError("bad_size", f"A draw has a power of two positions, at least 2, not {size}.")


def seed_position_groups(size: int) -> list[list[int]]:
    """The positions (1-based) of seeds 1, 2, 3–4, 5–8, ... in a draw of ``size``, one group per lot drawn.

    The groups go on down to the first-round pairs, so together they hold every position: the last group is the
    seeds' first-round opponents. Their order is each position's "virtual seed" order, used for the byes."""
    _check_size(size)
    groups = [[1], [size]]
    occupied = [1, size]
    section = size // 4
    while section >= 1:
        # Each section twice this size holds one occupied position; the empty half of it gets the next seed, at the
        # end of the section facing the middle of the draw's half: the top in the top half, the bottom in the other.
        group = []
        taken = {(position - 1) // section for position in occupied}  # the sections holding a position already
        for start in range(1, size + 1, section):
            if (start - 1) // section in taken:
                continue
            group.append(start if start <= size // 2 else start + section - 1)
        groups.append(group)
        occupied.extend(group)
        section //= 2
    return groups


def _opponent(position: int) -> int:
    """The first-round opponent of a 0-based position."""
    return position ^ 1


class _Spread:
    """How many placed positions (0-based) share each section with a given position, smallest section first.

    Comparing these tuples puts "same first-round match" before "same quarter" before "same half": the order in which
    entries of one unit (or byes) must be kept apart."""

    def __init__(self, size: int):
        self._size = size
        self._levels = range(1, size.bit_length() - 1)  # sections of 2, 4, ... size/2 positions
        self._counts: list[dict[int, int]] = [defaultdict(int) for _ in self._levels]
        self._placed: set[int] = set()

    def add(self, position: int) -> None:
        self._placed.add(position)
        for counts, level in zip(self._counts, self._levels, strict=True):
            counts[position >> level] += 1

    def cost(self, position: int) -> tuple[int, ...]:
        return tuple(counts[position >> level] for counts, level in zip(self._counts, self._levels, strict=True))

    def classes(self) -> dict[tuple[int, ...], list[tuple[int, int]]]:
        """Every position's ``cost`` without looking at every position: cost → the ranges [start, end) of the
        positions that have it. A position's cost is decided by the smallest section it shares with a placed
        position: that section's other half (holding no placed position) is one range; the sections of the top
        level holding none are the zero-cost range."""
        top = len(self._levels)
        sections = [{position >> level for position in self._placed} for level in range(top + 1)]
        zero = (0,) * top
        classes: dict[tuple[int, ...], list[tuple[int, int]]] = {}
        for section in range(self._size >> top):
            if section not in sections[top]:
                classes.setdefault(zero, []).append((section << top, (section + 1) << top))
        for level in range(1, top + 1):
            for section in sections[level]:
                cost = zero[: level - 1] + tuple(
                    self._counts[upper - 1][section >> (upper - level)] for upper in range(level, top + 1)
                )
                for half in (2 * section, 2 * section + 1):
                    if half not in sections[level - 1]:
                        classes.setdefault(cost, []).append((half << (level - 1), (half + 1) << (level - 1)))
        return classes


def _most_spread(candidates: Sequence[int], spread: _Spread, rng: random.Random) -> int:
    costs = {position: spread.cost(position) for position in candidates}
    lowest = min(costs.values())
    return rng.choice([position for position in candidates if costs[position] == lowest])


def _least_spread(free: list[int], spread: _Spread, rng: random.Random) -> int:
    """``_most_spread(free, spread, rng)`` for the sorted ``free`` positions of a big draw: the same lot among the
    same positions, found from the placed positions' sections instead of every free position's cost."""
    for _, ranges in sorted(spread.classes().items()):
        candidates: list[int] = []
        for start, end in sorted(ranges):
            candidates += free[bisect_left(free, start) : bisect_left(free, end)]
        if candidates:
            return rng.choice(candidates)
    raise DrawError("draw_too_small", "No free position is left in the draw.")


def _seeded(entries: Sequence[Entry]) -> list[Entry]:
    """The seeded entries in seed order, after checking the entries can be drawn at all."""
    ids = [entry.entry_id for entry in entries]
    if len(set(ids)) != len(ids):
        raise DrawError("duplicate_entry", "An entry is listed twice.")
    seeded = sorted((entry for entry in entries if entry.seed is not None), key=lambda entry: entry.seed or 0)
    if [entry.seed for entry in seeded] != list(range(1, len(seeded) + 1)):
        raise DrawError("bad_seeds", "Seeds must be numbered 1, 2, 3 ... without gaps or repeats.")
    return seeded


def _by_unit(entries: Sequence[Entry]) -> list[list[Entry]]:
    """Unseeded entries grouped by unit, the units with most entries first (an entry without a unit stands alone)."""
    units: dict[str, list[Entry]] = defaultdict(list)
    alone: list[list[Entry]] = []
    for entry in sorted(entries, key=lambda entry: entry.entry_id):
        if entry.seed is not None:
            continue
        if entry.unit_id:
            units[entry.unit_id].append(entry)
        else:
            alone.append([entry])
    return sorted([*units.values(), *alone], key=lambda members: (-len(members), members[0].unit_id))


def _check_bracket(count: int, size: int) -> None:
    _check_size(size)
    if count > size:
        raise DrawError("draw_too_small", f"{count} entries do not fit a draw of {size}.")
    if 2 * count < size:
        raise DrawError("too_many_byes", f"A draw of {size} needs at least {size // 2} entries: no bye meets a bye.")


def _bye_positions(groups: list[list[int]], byes: int, rng: random.Random) -> set[int]:
    """Where the byes go. Byes face the positions of the groups above the last one (a draw is at least half full),
    group by group in virtual-seed order; within a group, as far from the byes already placed as possible, by lot
    among equals."""
    size = sum(len(group) for group in groups)
    bye_spread = _Spread(size)
    placed: set[int] = set()
    for group in groups[:-1]:
        facing = [_opponent(position) for position in group]
        while byes and facing:
            bye = _most_spread(facing, bye_spread, rng)
            facing.remove(bye)
            placed.add(bye)
            bye_spread.add(bye)
            byes -= 1
    return placed


def _unit_turns(entries: Sequence[Entry]) -> list[Entry]:
    """The unseeded entries in placing order. Each unit's entries are spread over the placing order, the biggest
    units ahead: a whole unit placed at once would leave the units after it only the positions next to their own
    entries."""
    turns = sorted(
        ((index + 1) / len(members), rank, entry)
        for rank, members in enumerate(_by_unit(entries))
        for index, entry in enumerate(members)
    )
    return [entry for _, _, entry in turns]


def draw_bracket(entries: Sequence[Entry], rng: random.Random, size: int | None = None) -> list[str | None]:
    """The drawn line of a knockout: ``size`` positions top to bottom (index 0 is position 1), each an entry id or
    None for a bye. Position 2k-1 meets 2k in the first round."""
    seeded = _seeded(entries)
    count = len(entries)
    size = bracket_size(count) if size is None else size
    _check_bracket(count, size)
    groups = [[position - 1 for position in group] for group in seed_position_groups(size)]
    line: list[str | None] = [None] * size
    free = set(range(size))
    unit_spread: dict[str, _Spread] = defaultdict(lambda: _Spread(size))

    def place(entry: Entry, position: int) -> None:
        line[position] = entry.entry_id
        free.discard(position)
        if entry.unit_id:
            unit_spread[entry.unit_id].add(position)

    def place_seeds(positions: list[int], first_seed: int) -> None:
        group_seeds = seeded[first_seed - 1 : first_seed - 1 + len(positions)]
        if group_seeds:
            positions = list(positions)
            rng.shuffle(positions)
            for entry, position in zip(group_seeds, positions, strict=False):
                place(entry, position)

    first_seed = 1
    for group in groups[:-1]:
        place_seeds(group, first_seed)
        first_seed += len(group)

    free -= _bye_positions(groups, size - count, rng)
    # Seeds beyond half the draw (the seeds' first-round opponents) take what the byes left of the last group.
    place_seeds([position for position in groups[-1] if position in free], first_seed)

    ordered = sorted(free)
    for entry in _unit_turns(entries):
        spread = unit_spread[entry.unit_id] if entry.unit_id else _Spread(size)
        position = _least_spread(ordered, spread, rng)
        del ordered[bisect_left(ordered, position)]
        place(entry, position)
    return line


def unit_clashes(line: Sequence[str | None], units: Mapping[str, str]) -> dict[int, int]:
    """For each section size (2 = a first-round match, 4, 8, ... half the draw): how many pairs of entries of one
    unit share a section of that size. Entries missing from ``units`` or with an empty unit are not counted."""
    size = len(line)
    _check_size(size)
    placed = [(position, units.get(entry)) for position, entry in enumerate(line) if entry and units.get(entry)]
    clashes = {}
    section = 2
    while section < size:
        clashes[section] = sum(
            1
            for (first, first_unit), (second, second_unit) in combinations(placed, 2)
            if first_unit == second_unit and first // section == second // section
        )
        section *= 2
    return clashes


def group_names(count: int) -> list[str]:
    """Group letters A, B, ... Z, then AA, AB, ... as spreadsheet columns are named."""
    names = []
    for number in range(1, count + 1):
        name = ""
        while number:
            number, letter = divmod(number - 1, 26)
            name = chr(ord("A") + letter) + name
        names.append(name)
    return names


def _snake(group_count: int) -> Iterator[int]:
    """Group indices A, B, ..., last, last, ..., B, A, A, B, ...: the order seeds are dealt in."""
    while True:
        yield from range(group_count)
        yield from reversed(range(group_count))


def draw_groups(entries: Sequence[Entry], group_count: int, rng: random.Random) -> list[list[str]]:
    """Entries drawn into ``group_count`` groups whose sizes differ by at most one (the first groups get the extra
    entries). Each group lists its entries in the order drawn, seeds first."""
    seeded = _seeded(entries)
    capacity = _group_capacity(len(entries), group_count)
    groups: list[list[str]] = [[] for _ in range(group_count)]
    unit_counts: list[dict[str, int]] = [defaultdict(int) for _ in range(group_count)]

    def put(entry: Entry, index: int) -> None:
        groups[index].append(entry.entry_id)
        if entry.unit_id:
            unit_counts[index][entry.unit_id] += 1

    dealing = _snake(group_count)
    for entry in seeded:
        # Skips the groups already full: when seeds fill the last row, the snake may turn towards smaller groups.
        index = next(index for index in dealing if len(groups[index]) < capacity[index])
        put(entry, index)

    for members in _by_unit(entries):
        for entry in members:
            put(entry, rng.choice(_best_groups(entry, groups, capacity, unit_counts)))
    return groups


def _group_capacity(entry_count: int, group_count: int) -> list[int]:
    """Each group's size: sizes differ by at most one, the first groups get the extra entries."""
    if group_count < 1:
        raise DrawError("bad_group_count", "There must be at least one group.")
    if entry_count < 2 * group_count:
        raise DrawError("too_few_entries", f"{group_count} groups need at least {2 * group_count} entries.")
    base, extra = divmod(entry_count, group_count)
    return [base + 1 if index < extra else base for index in range(group_count)]


def _best_groups(
    entry: Entry, groups: list[list[str]], capacity: list[int], unit_counts: list[dict[str, int]]
) -> list[int]:
    """The open groups an unseeded entry may be drawn into: fewest of its unit first; then the emptiest groups, as
    dealing round the table would, so that the units still to come find room in groups without their own entries."""
    open_groups = [index for index in range(len(groups)) if len(groups[index]) < capacity[index]]
    costs = {
        index: (unit_counts[index][entry.unit_id] if entry.unit_id else 0, len(groups[index]) - capacity[index])
        for index in open_groups
    }
    lowest = min(costs.values())
    return [index for index in open_groups if costs[index] == lowest]
