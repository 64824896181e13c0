"""The union's year in numbers (issue 21 item 2), as pure rules over the stored rollups.

The stats table keeps, per year, one rollup item for the union (``t#union``) and one per unit (``t#u#<id>``), each a
map of counters (chalicelib.domain.stats; scope ``h`` the headcounts now). This module turns those maps — this
year's, last year's and the headcounts — into what the dashboard shows: totals against last year, events by kind
and month, participation per sub-union with its rate and rank, gender, age bands, retirees, the units that ran
their own events and the units' awards. It reads nothing and translates nothing: labels are message ids or codes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from chalicelib.domain.stats import UNION, unit_key
from chalicelib.domain.stats import UNIT_PREFIX as UNIT_PREFIX  # the units' rollups (the workbook counts them)

Counters = Mapping[str, int]
Rollups = Mapping[str, Counters]  # rollup item ("t#union", "t#u#<unit_id>") -> counters

KINDS = ("sports", "skills", "wellness")
MONTHS = tuple(f"{month:02d}" for month in range(1, 13))
GENDERS = ("F", "M")
AGE_BANDS = ("u35", "36_45", "46_55", "56p")
PLACES = ("place_1", "place_2", "place_3")

# The totals the dashboard compares with last year, in the order shown (counter names of the rollups).
TOTALS = (
    "events",
    "events_cancelled",
    "places",
    "waiting",
    "checkins",
    "completions",
    "reached",
    "attendees",
    "awards",
)


def scope_item(unit_id: str | None) -> str:
    """The rollup item of the whole union (None) or of one unit."""
    return UNION if unit_id is None else unit_key(unit_id)


class Comparison(NamedTuple):
    """One number this year against last year: ``difference`` this − last, ``percent`` of last year's (None when
    last year had none)."""

    key: str
    this_year: int
    last_year: int

    @property
    def difference(self) -> int:
        return self.this_year - self.last_year

    @property
    def percent(self) -> float | None:
        if self.last_year == 0:
            return None
        return round(100.0 * self.difference / self.last_year, 1)


class Share(NamedTuple):
    """Members reached out of a headcount: ``rate`` in percent (None without members)."""

    key: str
    reached: int
    members: int | None

    @property
    def rate(self) -> float | None:
        return rate(self.reached, self.members)


class UnitRow(NamedTuple):
    """One sub-union's year: participation against its headcount (rate, rank) and what it did."""

    unit_id: str
    members: int
    reached: int
    rate: float | None
    rank: int | None  # by rate, ties share a rank; None for a unit without members
    events: int  # events it organised (not cancelled)
    places: int  # its members' places in any event
    checkins: int  # its members' check-ins (人次)
    awards: int
    place_1: int
    place_2: int
    place_3: int


class YearReport(NamedTuple):
    year: int
    unit_id: str | None  # None: the whole union
    totals: tuple[Comparison, ...]
    members: int  # headcount now (active and retired)
    reached: Share
    by_kind: tuple[Comparison, ...]
    by_month: tuple[Comparison, ...]
    by_gender: tuple[Share, ...]
    by_age: tuple[Comparison, ...]  # members reached per age band, this year and last
    retirees: Share
    units: tuple[UnitRow, ...]  # every sub-union, ranked (the rankings table: no member data)
    organisers: tuple[UnitRow, ...]  # units that ran events of their own, most first
    medals: tuple[UnitRow, ...]  # units with awards, by golds, silvers, bronzes, awards

    @property
    def units_organising(self) -> int:
        return len(self.organisers)


def rate(reached: int, members: int | None) -> float | None:
    """``reached`` as a percent of ``members`` to one decimal; None without members."""
    if not members:
        return None
    return round(100.0 * reached / members, 1)


def competition_ranks(values: Sequence[float | None]) -> list[int | None]:
    """Ranks of ``values``, highest first; equal values share a rank and the next rank skips (1, 1, 3); None ranks
    nothing and gets None."""
    ranked = sorted((value for value in values if value is not None), reverse=True)
    first: dict[float, int] = {}
    for position, value in enumerate(ranked, start=1):
        first.setdefault(value, position)
    return [None if value is None else first[value] for value in values]


def _count(counters: Counters, name: str) -> int:
    return int(counters.get(name, 0))


def compare(key: str, this: Counters, last: Counters, name: str | None = None) -> Comparison:
    counter = name or key
    return Comparison(key, _count(this, counter), _count(last, counter))


def unit_rows(unit_ids: Sequence[str], this: Rollups, headcount: Rollups) -> tuple[UnitRow, ...]:
    """Every unit of ``unit_ids`` with its rate and rank, best first (units without members last, in the given
    order)."""
    rows = []
    for unit_id in unit_ids:
        counters = this.get(unit_key(unit_id), {})
        members = _count(headcount.get(unit_key(unit_id), {}), "members")
        reached = _count(counters, "reached")
        rows.append((unit_id, members, reached, rate(reached, members), counters))
    ranks = competition_ranks([row[3] for row in rows])
    made = [
        UnitRow(
            unit_id=unit_id,
            members=members,
            reached=reached,
            rate=unit_rate,
            rank=rank,
            events=_count(counters, "events"),
            places=_count(counters, "places"),
            checkins=_count(counters, "checkins"),
            awards=_count(counters, "awards"),
            place_1=_count(counters, "place_1"),
            place_2=_count(counters, "place_2"),
            place_3=_count(counters, "place_3"),
        )
        for (unit_id, members, reached, unit_rate, counters), rank in zip(rows, ranks, strict=True)
    ]
    order = {unit_id: position for position, unit_id in enumerate(unit_ids)}
    return tuple(sorted(made, key=lambda row: (row.rank is None, row.rank or 0, order[row.unit_id])))


def _medal_key(row: UnitRow) -> tuple[int, int, int, int]:
    return (-row.place_1, -row.place_2, -row.place_3, -row.awards)


def build(
    year: int,
    unit_id: str | None,
    unit_ids: Sequence[str],
    this: Rollups,
    last: Rollups,
    headcount: Rollups,
) -> YearReport:
    """The dashboard of ``year`` for the whole union (``unit_id`` None) or one unit, from the year's rollups, last
    year's and the headcounts now. ``unit_ids``: every sub-union, in the union's order (the rankings list them all;
    a unit with no rollup reads as zeros)."""
    item = scope_item(unit_id)
    now_counters, last_counters, heads = this.get(item, {}), last.get(item, {}), headcount.get(item, {})
    units = unit_rows(unit_ids, this, headcount)
    return YearReport(
        year=year,
        unit_id=unit_id,
        totals=tuple(compare(name, now_counters, last_counters) for name in TOTALS),
        members=_count(heads, "members"),
        reached=Share("reached", _count(now_counters, "reached"), _count(heads, "members")),
        by_kind=tuple(compare(kind, now_counters, last_counters, f"kind_{kind}") for kind in KINDS),
        by_month=tuple(compare(month, now_counters, last_counters, f"month_{month}") for month in MONTHS),
        by_gender=tuple(
            Share(gender, _count(now_counters, f"reached_{gender}"), _count(heads, f"members_{gender}"))
            for gender in GENDERS
        ),
        by_age=tuple(compare(band, now_counters, last_counters, f"age_{band}") for band in AGE_BANDS),
        retirees=Share("retired", _count(now_counters, "reached_retired"), _count(heads, "members_retired")),
        units=units,
        organisers=tuple(sorted((row for row in units if row.events), key=lambda row: -row.events)),
        medals=tuple(sorted((row for row in units if row.awards or row.place_1), key=_medal_key)),
    )


def signed(value: int) -> str:
    """A difference as people read it: ``+3``, ``−2``, ``0``."""
    if value > 0:
        return f"+{value}"
    return f"−{-value}" if value < 0 else "0"


def percent_text(value: float | None, sign: bool = False) -> str:
    """A rate in percent, ``42.5%``, or with ``sign`` a change, ``+20%`` / ``−14.4%``; ``—`` when there is none."""
    if value is None:
        return "—"
    if sign and value:
        return f"{'+' if value > 0 else '−'}{abs(value):g}%"
    return f"{value:g}%"
