"""Rounds of a meet's track discipline (issue 19 item 2): heats, then semi-finals, then a final; lanes drawn; Q and q.

Set-up
    A discipline's ``rounds`` (``RoundSpec``, in order: ``h`` heats, ``sf`` semi-finals, ``f`` final), each with its
    lanes, its number of heats (None: as few as the lanes allow), who goes on (``by_place``: the first N of each heat,
    Q; ``by_time``: the next best times of all heats, q) and its day and time in the meet's programme (竞赛日程).
    No rounds: the discipline is one round as before (every entry's attempts in the stage). One round ``f`` run in
    several heats is the Chinese 分组计时决赛 (a timed final in heats): the heats are ranked together by time.

Heats and lanes
    The first round is seeded by the entries' seed marks (报名成绩) when the organiser gives them, best first, and
    dealt into heats by zigzag (``measured.serpentine``, World Athletics TR 20.3); entries without a seed mark come
    after, in an order drawn by lot. Its lanes are all drawn by lot. A later round takes the qualifiers ranked as
    WA TR 20.3.3 ranks them (the Q by place in their heat, then by mark: the fastest winner, the next winner ...,
    then the fastest second ...; then the q by mark), dealt by zigzag; its lanes are drawn in groups by that ranking
    (WA TR 20.4.4 for 8 lanes: the four best ranked by lot for lanes 3–6, the 5th and 6th for lanes 7–8, the 7th and
    8th for lanes 1–2). For other numbers of lanes the rules say only "with the necessary modifications"; here: the
    best ranked are drawn for lanes 3 to n−2, the next two for lanes n−1 and n, the next two for lanes 1 and 2
    (6 lanes: 3–4, 5–6, 1–2; 9 lanes: 3–7, 8–9, 1–2); with fewer than 6 lanes every lane is drawn by lot.
    Every lot comes from ``draws.draw_rng(seed, purpose)`` with the round's stored seed, so anyone holding the seed
    runs ``draw_round`` again and gets the same heats and lanes.

Qualifying
    ``measured.final_qualifiers``: the first ``by_place`` of each heat (Q), then the best marks of the others up to
    ``by_place`` × heats + ``by_time`` (q); ties at either cut all go on. When the next round has fixed heats and not
    enough lanes for all of them, those tied at the last q place are drawn by lot from the round's seed for the
    lanes left (WA TR 21.3: a tie that cannot all go on is resolved by lot); the page says who went on by lot.

Placings
    The discipline's places: the final's placings (its heats ranked together by mark), then those out in the round
    before it by their mark there, then those out in the round before that, places continuing after everyone who
    reached a later round (1–8 are the finalists', then 9 ...: a finalist without a mark still ranks ahead of those
    out before); entries without a valid mark in the round they ran last are unplaced, with their result code.
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from math import ceil
from random import Random
from typing import Annotated, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.domain.competition.draws import DrawError, draw_rng
from chalicelib.domain.competition.measured import (
    Measure,
    Placing,
    better_first,
    final_qualifiers,
    rank_performances,
    serpentine,
)
from chalicelib.domain.language import N_

ROUND_CODES = ("h", "sf", "f")
# How a page names a round (message ids); a final run in several heats with no round before it is 分组计时决赛.
ROUND_NAMES = {"h": N_("meet.round.heats"), "sf": N_("meet.round.semi_finals"), "f": N_("meet.round.final")}
TIMED_FINAL = N_("meet.round.timed_final")
TIME_OF_DAY = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
FULL_GROUPS = 6  # from this many lanes on, lanes are drawn in groups by rank in later rounds


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class RoundSpec(_Frozen):
    """One round of a discipline as the organiser sets it up."""

    code: Literal["h", "sf", "f"]
    lanes: Annotated[int, Field(ge=2, le=12)] = 8
    heats: Annotated[int | None, Field(ge=1, le=32)] = None  # None: as few as the lanes allow
    by_place: Annotated[int, Field(ge=0, le=12)] = 0  # Q: the first N of each heat go on
    by_time: Annotated[int, Field(ge=0, le=64)] = 0  # q: then the N best marks of the others
    day: date | None = None  # the meet's programme (竞赛日程)
    time: Annotated[str | None, Field(pattern=TIME_OF_DAY)] = None


def check_rounds(rounds: Sequence[RoundSpec]) -> None:
    """A discipline's rounds go heats, semi-finals, final (each at most once, the final last); every round but the
    final says who goes on, the final does not. Raises ValueError (a set-up refused by pydantic)."""
    if not rounds:
        return
    codes = [spec.code for spec in rounds]
    if len(set(codes)) != len(codes) or codes != sorted(codes, key=ROUND_CODES.index):
        raise ValueError("a discipline's rounds go heats (h), semi-finals (sf), final (f), each at most once")
    if codes[-1] != "f":
        raise ValueError("a discipline's last round is its final (f)")
    if any(spec.by_place + spec.by_time < 1 for spec in rounds[:-1]):
        raise ValueError("a round before the final says how many go on (by_place, by_time)")
    if rounds[-1].by_place or rounds[-1].by_time:
        raise ValueError("nobody goes on from a final")


class Lane(_Frozen):
    entry_id: Annotated[str, Field(min_length=1, max_length=64)]
    lane: Annotated[int, Field(ge=1, le=12)]


class RoundRun(_Frozen):
    """A drawn round as stored: its heats (each its lanes in lane order), the seed its lots came from, whether it
    is closed, and who went on (Q by place, q by time, and of those the ones who went on by lot)."""

    code: Literal["h", "sf", "f"]
    seed: Annotated[str, Field(min_length=1, max_length=64)]
    heats: tuple[tuple[Lane, ...], ...]
    drawn_at: datetime | None = None
    drawn_by: str | None = None
    redraws: int = 0
    closed: bool = False
    closed_at: datetime | None = None
    qualified: tuple[str, ...] = ()  # Q, ranked
    by_time: tuple[str, ...] = ()  # q, ranked
    by_lot: tuple[str, ...] = ()  # of the q, who went on by lot at a tie

    def entries(self) -> list[str]:
        return [lane.entry_id for heat in self.heats for lane in heat]

    def heat_of(self, entry_id: str) -> int | None:
        """The heat (1, 2 ...) the entry runs in; None when not in this round."""
        return next((n for n, heat in enumerate(self.heats, 1) for lane in heat if lane.entry_id == entry_id), None)

    def going_on(self) -> list[str]:
        """Who goes on, ranked for the next round's draw (Q, then q)."""
        return [*self.qualified, *self.by_time]


class DisciplineRounds(_Frozen):
    """A discipline's drawn rounds (round code → run), stored as one item with its own version."""

    runs: dict[str, RoundRun] = Field(default_factory=dict)

    def run(self, code: str) -> RoundRun | None:
        return self.runs.get(code)


def round_name(rounds: Sequence[RoundSpec], code: str) -> str:
    """The message id naming a round: 预赛, 半决赛, 决赛, or 分组计时决赛 for a final that is the only round."""
    return TIMED_FINAL if code == "f" and len(rounds) == 1 else ROUND_NAMES[code]


def previous_round(rounds: Sequence[RoundSpec], code: str) -> RoundSpec | None:
    codes: list[str] = [spec.code for spec in rounds]
    index = codes.index(code)
    return rounds[index - 1] if index else None


def round_entries(
    rounds: Sequence[RoundSpec], drawn: DisciplineRounds, code: str, discipline_entries: Sequence[str]
) -> list[str]:
    """Who runs in a round: the discipline's entries in its first round, else who went on from the round before,
    ranked; refused (``round.previous_open``) while the round before is not drawn and closed."""
    before = previous_round(rounds, code)
    if before is None:
        return list(discipline_entries)
    run = drawn.run(before.code)
    if run is None or not run.closed:
        raise DrawError(N_("round.previous_open"), f"round {code}: the round before ({before.code}) is not closed")
    return run.going_on()


def lane_groups(lanes: int) -> list[list[int]]:
    """The lanes drawn together by rank in a later round: 8 lanes → [3, 4, 5, 6], [7, 8], [1, 2] (WA TR 20.4.4)."""
    if lanes < FULL_GROUPS:
        return [list(range(1, lanes + 1))]
    return [list(range(3, lanes - 1)), [lanes - 1, lanes], [1, 2]]


def _lanes_by_rank(rng: Random, ranked: Sequence[str], lanes: int) -> list[Lane]:
    drawn: list[Lane] = []
    position = 0
    for group in lane_groups(lanes):
        runners = ranked[position : position + len(group)]
        position += len(runners)
        numbers = rng.sample(group, len(runners))
        drawn.extend(Lane(entry_id=entry, lane=lane) for entry, lane in zip(runners, numbers, strict=True))
    return drawn


def _lot_order(seed: str, purpose: str, entries: Sequence[str]) -> list[str]:
    order = sorted(entries)
    draw_rng(seed, purpose).shuffle(order)
    return order


def _seeded(measure: Measure, seed: str, code: str, entries: Sequence[str], marks: Mapping[str, Decimal]) -> list[str]:
    """A first round's entries best seed mark first (ties and entries without a mark in the order drawn by lot)."""
    lot = {entry: position for position, entry in enumerate(_lot_order(seed, f"{code}:order", entries))}
    key = better_first(measure)
    return sorted(entries, key=lambda e: (e not in marks, key(marks[e]) if e in marks else Decimal(0), lot[e]))


def draw_round(
    measure: Measure, spec: RoundSpec, entries: Sequence[str], seed: str, *, first: bool,
    seed_marks: Mapping[str, Decimal] | None = None,
) -> tuple[tuple[Lane, ...], ...]:  # fmt: skip
    """A round's heats with their lanes, each heat in lane order; ``entries`` ranked best first for a later round
    (``first`` False), in any order for the first round. Refused (``round.lanes_exceeded``) when the round has more
    entries than lanes × heats, and (``round.no_entries``) when it has none."""
    if not entries:
        raise DrawError(N_("round.no_entries"), f"round {spec.code}: nobody to draw")
    heat_count = spec.heats or ceil(len(entries) / spec.lanes)
    if len(entries) > spec.lanes * heat_count:
        raise DrawError(N_("round.lanes_exceeded"), f"round {spec.code}: {len(entries)} entries for "
                        f"{heat_count} × {spec.lanes} lanes", entries=len(entries), heats=heat_count,
                        lanes=spec.lanes)  # fmt: skip
    order = list(entries) if not first else _seeded(measure, seed, spec.code, entries, seed_marks or {})
    heats = serpentine(order, min(heat_count, len(order)))
    drawn = []
    for number, heat in enumerate(heats, 1):
        rng = draw_rng(seed, f"{spec.code}:{number}")
        if first or spec.lanes < FULL_GROUPS:
            numbers = rng.sample(range(1, spec.lanes + 1), len(heat))
            lanes = [Lane(entry_id=e, lane=n) for e, n in zip(heat, numbers, strict=True)]
        else:
            lanes = _lanes_by_rank(rng, heat, spec.lanes)
        drawn.append(tuple(sorted(lanes, key=lambda lane: lane.lane)))
    return tuple(drawn)


class GoingOn(NamedTuple):
    by_place: tuple[str, ...]  # Q, ranked: by place in their heat, then by mark
    by_time: tuple[str, ...]  # q, ranked by mark
    by_lot: tuple[str, ...] = ()  # of the q, who went on by lot at a tie for the last lanes


def going_on(
    measure: Measure, spec: RoundSpec, heats: Sequence[Sequence[str]], marks: Mapping[str, Decimal | None],
    seed: str, capacity: int | None = None,
) -> GoingOn:  # fmt: skip
    """Who goes on from a closed round (Q and q, ties at the cuts included); ``capacity``: the next round's lanes ×
    heats when its heats are fixed (None: it makes as many heats as needed)."""
    results = [{entry: marks.get(entry) for entry in heat} for heat in heats]
    place_in_heat = {p.entry_id: p.place or 0 for heat in results for p in rank_performances(measure, heat)}
    going = final_qualifiers(measure, results, spec.by_place * len(heats) + spec.by_time, spec.by_place)
    key = better_first(measure)

    def by_mark(entry: str) -> tuple[Decimal, str]:
        mark = marks.get(entry)
        assert mark is not None  # only entries with a mark go on
        return key(mark), entry

    q_place = sorted(
        (e for e in going if place_in_heat[e] <= spec.by_place), key=lambda e: (place_in_heat[e], by_mark(e))
    )
    q_time = sorted((e for e in going if e not in q_place), key=by_mark)
    by_lot: list[str] = []
    if capacity is not None and len(going) > capacity and q_time:
        q_time, by_lot = _tie_by_lot(spec, q_time, marks, capacity - len(q_place), seed)
    return GoingOn(tuple(q_place), tuple(q_time), tuple(by_lot))


def _tie_by_lot(
    spec: RoundSpec, q_time: list[str], marks: Mapping[str, Decimal | None], room: int, seed: str
) -> tuple[list[str], list[str]]:
    """The q when the next round has lanes for only ``room`` of them: those tied at the last q place are drawn by
    lot for the lanes left (the q kept, ranked, and the ones who went on by lot)."""
    last = marks.get(q_time[-1])
    tied = [entry for entry in q_time if marks.get(entry) == last]
    left = room - (len(q_time) - len(tied))
    if left < 0:
        raise DrawError(N_("round.tie_exceeds_lanes"), f"round {spec.code}: more qualifiers than lanes")
    drawn = set(_lot_order(seed, f"{spec.code}:tie", tied)[:left])
    kept = [entry for entry in q_time if entry not in tied or entry in drawn]
    return kept, [entry for entry in kept if entry in drawn]


def capacity(spec: RoundSpec) -> int | None:
    """How many a round can take when its heats are fixed (None: it makes as many heats as needed)."""
    return spec.lanes * spec.heats if spec.heats else None


def discipline_placings(
    measure: Measure, rounds: Sequence[RoundSpec], drawn: DisciplineRounds,
    marks: Mapping[str, Mapping[str, Decimal | None]], statuses: Mapping[str, Mapping[str, str]],
    entries: Sequence[str],
) -> list[Placing]:  # fmt: skip
    """The discipline's placings across its rounds (``marks``: round → entry → best mark; ``statuses``: round →
    entry → DNS, DNF ...): the last round's placings, then those out in each round before it, places continuing;
    the unplaced last (those who ran in no round yet without a code)."""
    placed: list[Placing] = []
    unplaced: list[Placing] = []
    seen: set[str] = set()
    for spec in reversed(rounds):
        run = drawn.run(spec.code)
        if run is None:
            continue
        ran = [entry for entry in run.entries() if entry not in seen]
        offset = len(seen)  # everyone who reached a later round ranks ahead, even without a mark there (WA)
        seen.update(ran)
        round_marks = marks.get(spec.code, {})
        for placing in rank_performances(measure, {e: round_marks.get(e) for e in ran}, statuses.get(spec.code)):
            if placing.place is None:
                unplaced.append(placing)
            else:
                placed.append(Placing(placing.entry_id, placing.place + offset, placing.mark))
    unplaced.extend(Placing(entry, None, None) for entry in entries if entry not in seen)
    return placed + unplaced


Kind = Literal["Q", "q"]


def going_on_marks(run: RoundRun) -> dict[str, Kind]:
    """How each entry going on from a closed round went: Q (by place) or q (by time)."""
    return {**{entry: "Q" for entry in run.qualified}, **{entry: "q" for entry in run.by_time}}
