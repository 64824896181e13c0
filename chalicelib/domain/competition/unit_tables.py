"""Unit totals across a whole meet or games day (团体总分, issue 19 item 6): which places score, and one table per
group, per gender and overall.

Places that score (录取名次)
    A meet's points table (``Meet.place_points``: 7-5-4-3-2-1, or 9-7-6-5-4-3-2-1 for eight places) scores as many
    places as it has points. Unions' regulations (竞赛规程) shrink that when a discipline has few entries, and the
    meet says which rule it follows (``Meet.fewer_entries``):

    ``all``        every place of the table scores whatever the entries (the rule before issue 19: stored set-ups
                   keep their totals);
    ``minus_one``  "参赛不足8人（队）时，按实际参赛人数减一录取": with fewer entries than the table has places, one
                   place fewer than the entries scores (5 runners under 9-7-6-5-4-3-2-1 score 9-7-6-5);

    and ``Meet.min_entries`` states a minimum: a discipline with fewer entries than that scores nothing
    (不足3人（队）不计分). The entries counted are those that took part: a DNS did not (实际参赛). DNS, DNF, DQ and NM
    are unplaced and never score; entries tied at the last scoring place share the points of the places they cover,
    the places past the cut being worth nothing.

Tables
    Every discipline's scores add up for its unit in the overall table (总团体总分); a meet run in gender x age
    groups (``Discipline.group``: "M-A", "F-B", or "M" / "F" for an event by gender only) also has a table per age
    group (男子甲组团体总分) and, when its groups carry a gender, a men's and a women's table (男子团体总分: every
    discipline of the gender, its events by gender only among them). A table whose disciplines
    are all the meet's (a meet of one group) is left out: it would repeat the overall table. A group or gender
    table lists the units with an entry in its disciplines; the overall table every unit of the meet.

Ties (名次多者列前)
    Units are ranked by points; equal points are broken by more first places, then more second places and so on;
    still equal, the rank is shared. Each line says why when points were equal: ``decided_by`` the place whose count
    separated it from the unit next to it on equal points, or ``shared``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from fractions import Fraction
from typing import Literal, NamedTuple

from chalicelib.domain.competition.measured import GENDER_NAMES, UnitScore, unit_totals

DNS = "DNS"


class FewerEntries(StrEnum):
    ALL = "all"
    MINUS_ONE = "minus_one"


class UnitLine(NamedTuple):
    """One unit's line of a unit table: ``places`` counts its 1st places, 2nd places ...; ``decided_by`` is the place
    (1, 2 ...) whose count ranked it apart from a unit on equal points, ``shared`` that a unit on equal points has
    the same counts and so the same rank."""

    unit_id: str
    rank: int
    points: Fraction
    places: tuple[int, ...]
    decided_by: int | None = None
    shared: bool = False


Scope = Literal["group", "gender", "overall"]


class UnitTable(NamedTuple):
    """``code``: the group's code for a group table, "M" / "F" for a gender's, "" for the overall table."""

    scope: Scope
    code: str
    lines: list[UnitLine]

    @property
    def gender(self) -> str | None:
        return gender_of(self.code)


def gender_of(group: str | None) -> str | None:
    """The gender a group code carries ("M-A" → "M", "F" → "F"); None for a group without one."""
    first = (group or "").split("-", 1)[0]
    return first if first in GENDER_NAMES else None


def scoring_places(
    table_size: int, entries: int, rule: str = FewerEntries.ALL, min_entries: int = 0, *, dns: int = 0
) -> int:
    """How many places of a points table of ``table_size`` places score in a discipline of ``entries`` entries, of
    which ``dns`` did not start."""
    took_part = max(entries - dns, 0)
    if took_part < min_entries:
        return 0
    if FewerEntries(rule) == FewerEntries.MINUS_ONE and took_part < table_size:
        return max(took_part - 1, 0)
    return table_size


def scoring_table(
    points: Sequence[int], factor: int, entries: int, statuses: Mapping[str, str] | None, rule: str, min_entries: int
) -> tuple[int, ...]:
    """A discipline's points table: the meet's ``points`` times ``factor`` (relays double), cut to the places that
    score (``scoring_places``; DNS counted from ``statuses``, entry → code)."""
    dns = sum(1 for code in (statuses or {}).values() if code == DNS)
    places = scoring_places(len(points), entries, rule, min_entries, dns=dns)
    return tuple(value * factor for value in points[:places])


def _tie_notes(totals: Sequence[UnitLine]) -> list[UnitLine]:
    """The lines with why their rank differs from (or equals) a unit's on equal points: shared when a unit next to
    it has the same points and places, else the place that ranked it apart from the unit above (or below) it."""
    noted = []
    for index, line in enumerate(totals):
        neighbours = [totals[i] for i in (index - 1, index + 1) if 0 <= i < len(totals)]
        equal = [other for other in neighbours if other.points == line.points]
        if any(other.places == line.places for other in equal):
            noted.append(UnitLine(line.unit_id, line.rank, line.points, line.places, shared=True))
        elif equal:
            pairs = enumerate(_padded(line.places, equal[0].places), start=1)
            decided = next(place for place, (mine, theirs) in pairs if mine != theirs)
            noted.append(UnitLine(line.unit_id, line.rank, line.points, line.places, decided_by=decided))
        else:
            noted.append(line)
    return noted


def _padded(first: tuple[int, ...], second: tuple[int, ...]) -> Iterable[tuple[int, int]]:
    size = max(len(first), len(second))
    return zip(first + (0,) * (size - len(first)), second + (0,) * (size - len(second)), strict=True)


def ranked(scored: Iterable[UnitScore], units: Iterable[str]) -> list[UnitLine]:
    """Units best first with their tie notes (``measured.unit_totals`` ranks them)."""
    totals = unit_totals(scored, units)
    return _tie_notes([UnitLine(t.unit_id, t.rank, t.points, t.places) for t in totals])


def _scopes(groups: Mapping[str, str | None]) -> list[tuple[Scope, str, set[str]]]:
    """The group and gender tables of a meet, each with its disciplines' codes."""
    scopes: list[tuple[Scope, str, set[str]]] = []
    # A group that is only a gender ("M": an event by gender only) adds up in that gender's table.
    group_codes = list(dict.fromkeys(group for group in groups.values() if group and group not in GENDER_NAMES))
    for code in group_codes:
        scopes.append(("group", code, {discipline for discipline, group in groups.items() if group == code}))
    for gender in GENDER_NAMES:
        of_gender = {discipline for discipline, group in groups.items() if gender_of(group) == gender}
        if of_gender:
            scopes.append(("gender", gender, of_gender))
    return scopes


def tables(
    groups: Mapping[str, str | None],
    scored: Sequence[UnitScore],
    entered: Mapping[str, Iterable[str]],
    units: Iterable[str],
) -> list[UnitTable]:
    """The unit tables of a meet: per group (in the order the disciplines first name them), per gender (men, then
    women), then overall. ``groups``: every discipline's code → its group (None: none; in the meet's order);
    ``entered``: discipline code → the units with an entry in it; ``units``: every unit of the meet."""
    scopes = _scopes(groups)
    shown = [
        UnitTable(
            scope,
            code,
            ranked(
                [score for score in scored if score.event_code in codes],
                sorted({unit for discipline in codes for unit in entered.get(discipline, ())}),
            ),
        )
        for scope, code, codes in scopes
        if codes != set(groups)
    ]
    return [*shown, UnitTable("overall", "", ranked(scored, sorted(set(units))))]
