"""Measured events (athletics, dragon boat, fun games): marks, attempts, placings, heats, age groups, team totals.

Marks
    A ``TIME`` (seconds; lower is better) is written ``12.34``, ``1:02.35``, ``4:05.1`` or ``1:02:03.4``; a
    ``DISTANCE`` (metres) ``5.62``; ``POINTS`` (higher is better) ``17`` or ``8.5``. At most 2 decimals (hundredths,
    as World Athletics shows times and centimetres as it measures distances); full-width digits and colons typed with
    a Chinese input method are accepted. A time or distance of zero is not a mark; a foul or no mark is ``None``.
    Marks have plausible ranges (``MAX_MARKS``): a time up to 24 hours (a day-long walk or relay), a distance up to
    100 km (throws and jumps are under 100 m; a distance challenge may be longer), points up to 100,000; anything
    larger is a typo (a 30-digit mark would also overflow the 28-digit Decimal arithmetic that ranks and shows it).

Placings
    Equal marks share a place (1, 2, 2, 4); entries without a valid mark (DNF, DNS, NM) are unplaced and listed
    last. ``rank_attempts`` also breaks ties on the best mark by the next best mark, then the one after (the
    World Athletics rule for horizontal jumps and throws); an entry with a further valid mark beats one without.

Heats and finals
    Entries are seeded into ``ceil(n / lanes)`` heats by zigzag (serpentine) distribution of their seed marks, as the
    World Athletics rules on rounds and heats prescribe: 1st, 2nd, 3rd into heats A, B, C, then 4th, 5th, 6th into
    C, B, A, and so on; entries without a seed mark come last, in the order given. Qualifying for the final: the
    first ``by_place`` of each heat, then the best marks of all heats; ties at the cut all qualify (the final may be
    larger than planned rather than someone being left out by an arbitrary choice).

Age groups
    Age is counted in completed years on the competition day (someone born on 29 February turns a year older on
    1 March in a common year). Groups combine gender (M/F) and age band: ``M-35`` / 男子35岁组.

Place points and unit team totals (团体总分)
    Places score from a table such as 7-5-4-3-2-1 or 9-7-6-5-4-3-2-1. Entries tied on a place share the points of
    all the places they cover equally (two tied for 2nd under 7-5-4 score (5 + 4) / 2 each), as Chinese meet
    regulations (竞赛规程) usually state; points are exact ``Fraction``\\s. Relay and team entries score once, for
    their unit. Units are ranked by points; equal points are broken by more first places, then more second places
    and so on (名次多者列前); still equal → a shared rank.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from itertools import groupby, pairwise
from math import ceil
from typing import Any, NamedTuple

from chalicelib.domain.language import N_

MAX_PLACES = 2
CENT = Decimal("0.01")
NO_FURTHER_MARK = Decimal("Infinity")  # sorts after every real mark: fewer valid attempts rank lower
PLACE_POINTS_TOP6 = (7, 5, 4, 3, 2, 1)
PLACE_POINTS_TOP8 = (9, 7, 6, 5, 4, 3, 2, 1)
# Result codes of entries with no valid mark, in the order they are listed after the placed (see marks.py).
UNPLACED_ORDER = ("NM", "DNF", "DQ", "DNS")
# How a group names its gender ("男子35岁组", "Men 35"): message ids.
GENDER_NAMES = {"M": N_("competition.gender.men"), "F": N_("competition.gender.women")}

_DIGITS = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"([0-9]+)(?:\.([0-9]+))?")


class MarkInvalid(ValueError):
    """``index``: the attempt it is about (when known); ``context``: values its message names (a range's bounds)."""

    def __init__(self, code: str, message: str, *, index: int | None = None, context: dict[str, str] | None = None):
        super().__init__(message)
        self.code = code
        self.index = index
        self.context = context or {}


class Measure(StrEnum):
    TIME = "time"  # lower is better
    DISTANCE = "distance"  # higher is better
    POINTS = "points"  # higher is better


MAX_MARKS = {Measure.TIME: Decimal(24 * 3600), Measure.DISTANCE: Decimal(100_000), Measure.POINTS: Decimal(100_000)}


class Placing(NamedTuple):
    entry_id: str
    place: int | None  # None: no valid mark (DNF / DNS / NM)
    mark: Decimal | None
    status: str | None = None  # unplaced: the code shown instead of a mark (marks.py: NM, DNF, DQ, DNS)


class AgeBand(NamedTuple):
    code: str
    name_zh: str
    name_en: str
    min_age: int
    max_age: int | None = None  # None: no upper limit

    def covers(self, age: int) -> bool:
        return self.min_age <= age and (self.max_age is None or age <= self.max_age)


class AgeGroup(NamedTuple):
    """``gender`` is the message id of the group's gender word (GENDER_NAMES); a page names the group as that word
    and the band's name ("男子" + "35岁组", "Men" + " " + "35")."""

    code: str
    gender: str
    band: AgeBand


class UnitScore(NamedTuple):
    unit_id: str
    event_code: str
    place: int
    points: Fraction | Decimal | int


class UnitTotal(NamedTuple):
    unit_id: str
    rank: int
    points: Fraction
    places: tuple[int, ...]  # how many 1st places, 2nd places, ...


def _mark_parts(measure: Measure, text: str, written: str) -> list[str]:
    """The ``:``-separated parts of a written mark (hours, minutes, seconds for a time), checked for form: digits, at
    most ``MAX_PLACES`` decimals on the last, at most nine digits each, sexagesimal below the largest unit."""
    parts = written.split(":")
    if (len(parts) > 1 and measure != Measure.TIME) or len(parts) > 3:
        raise MarkInvalid("mark_format", f"{text!r} is not a {measure}")
    matched = _DECIMAL.fullmatch(parts[-1])
    if not matched or not all(_DIGITS.fullmatch(part) for part in parts[:-1]):
        raise MarkInvalid("mark_format", f"{text!r} is not a {measure}")
    if matched[2] and len(matched[2]) > MAX_PLACES:
        raise MarkInvalid("mark_precision", f"{text!r}: at most {MAX_PLACES} decimals")
    if len(matched[1]) > 9 or any(len(part) > 9 for part in parts[:-1]):
        raise MarkInvalid("mark_too_large", f"{text!r}: a {measure} is at most {MAX_MARKS[Measure(measure)]}")
    if len(parts) > 1:
        _check_sexagesimal(text, [matched[1], *parts[1:-1]])
    return parts


def _check_sexagesimal(text: str, parts: list[str]) -> None:
    # Seconds (and minutes, after hours) are two digits below 60 once a larger unit is written: 1:2.3 is a typo.
    if any(len(part) != 2 or int(part) >= 60 for part in parts):
        raise MarkInvalid("mark_format", f"{text!r} is not a time (minutes and seconds go from 00 to 59)")


def parse_mark(measure: Measure, text: str) -> Decimal:
    """The mark written in ``text``: seconds for a time, metres for a distance, or points."""
    if measure not in Measure:
        raise MarkInvalid("measure_unknown", f"unknown measure {measure!r}")
    written = unicodedata.normalize("NFKC", text or "").strip()
    if not written:
        raise MarkInvalid("mark_empty", "no mark given")
    if written.startswith("-"):
        raise MarkInvalid("mark_negative", f"{text!r}: a mark cannot be negative")
    parts = _mark_parts(measure, text, written)
    whole_minutes = 0
    for part in parts[:-1]:
        whole_minutes = whole_minutes * 60 + int(part)
    value = whole_minutes * 60 + Decimal(parts[-1])
    if value == 0 and measure != Measure.POINTS:
        raise MarkInvalid("mark_zero", f"{text!r}: a {measure} of zero is not a mark")
    if value > MAX_MARKS[Measure(measure)]:
        raise MarkInvalid("mark_too_large", f"{text!r}: a {measure} is at most {MAX_MARKS[Measure(measure)]}")
    return value


def stored_mark(value: object) -> str:
    """A mark as stored (the text of a Decimal, as ``parse_mark`` gave it), checked before any page shows or ranks
    it: raises ``MarkInvalid`` for one no measure allows (not a number, negative, zero decimals past
    ``MAX_PLACES``, or larger than every ``MAX_MARKS``: stored before the ranges were checked)."""
    if not isinstance(value, str):
        raise MarkInvalid("mark_type", f"{value!r} is not a stored mark")
    try:
        mark = Decimal(value)
    except ArithmeticError as error:
        raise MarkInvalid("mark_format", f"{value!r} is not a stored mark") from error
    if not mark.is_finite() or mark < 0 or mark > max(MAX_MARKS.values()):
        raise MarkInvalid("mark_too_large", f"{value!r}: not a mark any measure allows")
    _places_of(mark)
    return value


def _places_of(value: Decimal) -> int:
    places = max(0, -int(value.as_tuple().exponent))
    if places > MAX_PLACES:
        if value != value.quantize(CENT):
            raise MarkInvalid("mark_precision", f"{value}: at most {MAX_PLACES} decimals")
        places = MAX_PLACES
    return places


def _mark(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise MarkInvalid("mark_type", f"{value!r} is not a Decimal mark")
    mark = Decimal(value)
    if not mark.is_finite():
        raise MarkInvalid("mark_type", f"{value!r} is not a Decimal mark")
    if mark < 0:
        raise MarkInvalid("mark_negative", f"{value}: a mark cannot be negative")
    return mark


def format_mark(measure: Measure, value: Decimal) -> str:
    """``value`` as results show it, with the decimals it was taken to: 62.35 s → ``1:02.35``, 245.1 → ``4:05.1``."""
    mark = _mark(value)
    places = _places_of(mark)
    if measure != Measure.TIME or mark < 60:
        return f"{mark:.{places}f}"
    all_minutes, seconds = divmod(mark, 60)
    hours, minutes = divmod(int(all_minutes), 60)
    seconds_text = f"{seconds:0{places + 3 if places else 2}.{places}f}"
    return f"{hours}:{minutes:02d}:{seconds_text}" if hours else f"{minutes}:{seconds_text}"


def better_first(measure: Measure) -> Callable[[Decimal], Decimal]:
    """A sort key putting better marks first."""
    if measure == Measure.TIME:
        return lambda mark: mark
    if measure in (Measure.DISTANCE, Measure.POINTS):
        return lambda mark: -mark
    raise MarkInvalid("measure_unknown", f"unknown measure {measure!r}")


def best_of_attempts(measure: Measure, attempts: Sequence[Decimal | None]) -> Decimal | None:
    """The best valid attempt; None when every attempt was a foul or no mark."""
    valid = [_mark(attempt) for attempt in attempts if attempt is not None]
    return min(valid, key=better_first(measure)) if valid else None


def _placed[Item](items: Sequence[Item], key: Callable[[Item], object]) -> list[tuple[int, Item]]:
    """``items`` (already sorted best first) with competition places: equal keys share a place (1, 2, 2, 4)."""
    placed: list[tuple[int, Item]] = []
    for _, tied in groupby(items, key=key):
        place = len(placed) + 1
        placed.extend((place, item) for item in tied)
    return placed


def _unplaced(entry_ids: Iterable[str], statuses: Mapping[str, str] | None = None) -> list[Placing]:
    """Unplaced entries in the order of their codes (``UNPLACED_ORDER``: NM, DNF, DQ, DNS, then nothing entered
    yet), each code's entries by id."""
    codes = statuses or {}
    order = {code: position for position, code in enumerate(UNPLACED_ORDER)}
    ordered = sorted(entry_ids, key=lambda entry_id: (order.get(codes.get(entry_id, ""), len(order)), entry_id))
    return [Placing(entry_id, None, None, codes.get(entry_id)) for entry_id in ordered]


def rank_performances(
    measure: Measure, performances: Mapping[str, Decimal | None], statuses: Mapping[str, str] | None = None
) -> list[Placing]:
    """Placings best first, sharing places on equal marks; entries without a mark unplaced at the end, in the order
    of their codes in ``statuses`` (entry → NM, DNF, DQ, DNS; see ``_unplaced``)."""
    key = better_first(measure)
    marked = sorted(
        ((entry_id, _mark(mark)) for entry_id, mark in performances.items() if mark is not None),
        key=lambda item: (key(item[1]), item[0]),
    )
    placed = _placed(marked, key=lambda item: item[1])
    unmarked = (entry_id for entry_id, mark in performances.items() if mark is None)
    return [Placing(entry_id, place, mark) for place, (entry_id, mark) in placed] + _unplaced(unmarked, statuses)


def rank_attempts(measure: Measure, attempts_by_entry: Mapping[str, Sequence[Decimal | None]]) -> list[Placing]:
    """Placings from every entry's attempts, ties on the best mark broken by the next best marks (countback)."""
    key = better_first(measure)
    countback = {
        entry_id: (*sorted(key(_mark(a)) for a in attempts if a is not None), NO_FURTHER_MARK)
        for entry_id, attempts in attempts_by_entry.items()
    }
    marked = sorted(
        (entry_id for entry_id, marks in countback.items() if len(marks) > 1), key=lambda e: (countback[e], e)
    )
    placed = _placed(marked, key=countback.__getitem__)
    unmarked = (entry_id for entry_id, marks in countback.items() if len(marks) == 1)
    return [
        Placing(entry_id, place, best_of_attempts(measure, attempts_by_entry[entry_id])) for place, entry_id in placed
    ] + _unplaced(unmarked)


def seed_heats(
    entry_ids_with_seed_marks: Sequence[tuple[str, Decimal | None]], lanes: int, measure: Measure
) -> list[list[str]]:
    """Heats of at most ``lanes`` entries, each listed best seed first; as few heats as the lanes allow."""
    if lanes < 1:
        raise MarkInvalid("lanes", "a heat needs at least one lane")
    entry_ids = [entry_id for entry_id, _ in entry_ids_with_seed_marks]
    if len(set(entry_ids)) != len(entry_ids):
        raise MarkInvalid("entry_twice", "an entry is listed twice")
    marks = [None if mark is None else _mark(mark) for _, mark in entry_ids_with_seed_marks]
    key = better_first(measure)
    seeded = [
        entry_ids[position]
        for position in sorted(
            range(len(entry_ids)),
            key=lambda position: (marks[position] is None, key(marks[position] or Decimal(0)), position),
        )
    ]
    return serpentine(seeded, ceil(len(seeded) / lanes))


def serpentine(seeded: Sequence[str], heat_count: int) -> list[list[str]]:
    """``seeded`` (best first) dealt into ``heat_count`` heats by zigzag: A, B, C, then C, B, A, and so on."""
    heats: list[list[str]] = [[] for _ in range(heat_count)]
    for position, entry_id in enumerate(seeded):
        sweep, offset = divmod(position, heat_count)
        heats[offset if sweep % 2 == 0 else heat_count - 1 - offset].append(entry_id)
    return heats


def _placed_within(placings: Iterable[Placing], last_place: int) -> list[str]:
    """The entries placed ``last_place`` or better (ties at the cut included), in order."""
    return [placing.entry_id for placing in placings if placing.place is not None and placing.place <= last_place]


def final_qualifiers(
    measure: Measure, heat_results: Sequence[Mapping[str, Decimal | None]], final_size: int, by_place: int = 0
) -> list[str]:
    """Who goes to the final: the first ``by_place`` of each heat, then the best marks of all heats up to
    ``final_size``; ties at either cut all qualify. Listed place qualifiers first, then the others, each best first."""
    if final_size < 0 or by_place < 0:
        raise MarkInvalid("final_size", "the final's size and the places qualifying per heat cannot be negative")
    entry_ids = [entry_id for heat in heat_results for entry_id in heat]
    if len(set(entry_ids)) != len(entry_ids):
        raise MarkInvalid("entry_twice", "an entry ran in two heats")
    by_heat_place = {
        entry_id for heat in heat_results for entry_id in _placed_within(rank_performances(measure, heat), by_place)
    }
    marks = {entry_id: mark for heat in heat_results for entry_id, mark in heat.items()}
    places_left = final_size - len(by_heat_place)
    others = {entry_id: mark for entry_id, mark in marks.items() if entry_id not in by_heat_place}
    by_mark = _placed_within(rank_performances(measure, others), places_left)
    place_qualifiers = rank_performances(measure, {entry_id: marks[entry_id] for entry_id in by_heat_place})
    return [placing.entry_id for placing in place_qualifiers] + by_mark


def age_on(birth_date: date, on: date) -> int:
    """Completed years on ``on``."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def check_age_bands(bands: Sequence[AgeBand]) -> None:
    codes = [band.code for band in bands]
    if len(set(codes)) != len(codes):
        raise MarkInvalid("age_band_duplicate", "two age bands have the same code")
    ordered = sorted(bands, key=lambda band: band.min_age)
    for band in ordered:
        if band.min_age < 0 or (band.max_age is not None and band.max_age < band.min_age):
            raise MarkInvalid("age_band_range", f"age band {band.code}: the ages are out of order")
    for lower, upper in pairwise(ordered):
        if lower.max_age is None or lower.max_age >= upper.min_age:
            raise MarkInvalid("age_bands_overlap", f"age bands {lower.code} and {upper.code} overlap")


def age_group(gender: str, birth_date: date, on: date, bands: Sequence[AgeBand]) -> AgeGroup:
    """The group someone competes in on the competition day ``on``: their gender and the band their age falls in."""
    if gender not in GENDER_NAMES:
        raise MarkInvalid("gender", f"gender {gender!r}: expected M or F")
    check_age_bands(bands)
    age = age_on(birth_date, on)
    band = next((band for band in bands if band.covers(age)), None)
    if band is None:
        raise MarkInvalid("no_age_band", f"no age group for someone aged {age}")
    return AgeGroup(f"{gender}-{band.code}", GENDER_NAMES[gender], band)


def place_points(placings: Iterable[Placing], table: Sequence[int]) -> dict[str, Fraction]:
    """Entry id → points for every entry whose place scores; tied entries share the points of the places they cover."""
    placed = [placing for placing in placings if placing.place is not None]
    tied = Counter(placing.place for placing in placings if placing.place is not None)
    points: dict[str, Fraction] = {}
    for placing in placed:
        first = placing.place
        assert first is not None  # placed: only the placings with a place
        covered = range(first, first + tied[first])
        share = Fraction(sum(table[place - 1] for place in covered if place <= len(table)), tied[first])
        if share:
            points[placing.entry_id] = share
    return points


def unit_scores(
    event_code: str, placings: Sequence[Placing], table: Sequence[int], unit_of: Mapping[str, str] | None = None
) -> list[UnitScore]:
    """The scoring placings of one event for the team totals; ``unit_of`` maps entry → unit (None: entries are units,
    as relay and team entries are)."""
    points = place_points(placings, table)
    scores = []
    for placing in placings:
        if placing.entry_id not in points:
            continue
        unit_id = placing.entry_id if unit_of is None else unit_of.get(placing.entry_id)
        if unit_id is None:
            raise MarkInvalid("unit_unknown", f"entry {placing.entry_id} has no unit")
        assert placing.place is not None  # place_points scores placed entries only
        scores.append(UnitScore(unit_id, event_code, placing.place, points[placing.entry_id]))
    return scores


def unit_totals(scored: Iterable[UnitScore], units: Iterable[str] = ()) -> list[UnitTotal]:
    """Units best first (团体总分); ``units`` adds units that scored nothing so the table lists every unit."""
    points: dict[str, Fraction] = defaultdict(Fraction)
    place_counts: dict[str, Counter[int]] = defaultdict(Counter)
    for unit in units:
        points[unit] += 0
    for score in scored:
        if score.place < 1:
            raise MarkInvalid("place", f"{score.event_code}: places start at 1")
        points[score.unit_id] += Fraction(score.points)
        place_counts[score.unit_id][score.place] += 1
    deepest = max((place for counts in place_counts.values() for place in counts), default=0)
    places = {unit: tuple(place_counts[unit][place] for place in range(1, deepest + 1)) for unit in points}

    def rank_key(unit: str) -> tuple[Any, ...]:
        return (-points[unit], tuple(-count for count in places[unit]))

    ordered = sorted(points, key=lambda unit: (rank_key(unit), unit))
    return [UnitTotal(unit, rank, points[unit], places[unit]) for rank, unit in _placed(ordered, key=rank_key)]
