"""The knockout after groups keeps teams of one unit apart (issue 18 item 4): ``groups.separate_units``."""

from __future__ import annotations

import itertools

import pytest

from chalicelib.domain.competition.groups import Qualifier, knockout_template, separate_units
from chalicelib.domain.competition.round_robin import ScheduleError


def _placed(groups: int, qualifiers: int) -> dict[Qualifier, str]:
    """Every (group, place) held by an entry named after it: ("A", 1) → "A1"."""
    return {(chr(65 + g), p): f"{chr(65 + g)}{p}" for g in range(groups) for p in range(1, qualifiers + 1)}


def _meeting_round(line: list[str | None], one: str, other: str) -> int:
    return (line.index(one) ^ line.index(other)).bit_length()


def _same_group_rounds(line: list[str | None]) -> list[int]:
    entries = [e for e in line if e is not None]
    return sorted(_meeting_round(line, a, b) for a, b in itertools.combinations(entries, 2) if a[0] == b[0])


def test_no_unit_clash_keeps_the_standard_crossing():
    template = knockout_template(4, 2)
    placed = _placed(4, 2)
    units = {entry: f"unit-{entry}" for entry in placed.values()}
    crossing = separate_units(template, placed, units)
    assert crossing.line == ["A1", "B2", "C2", "D1", "C1", "D2", "A2", "B1"]
    assert crossing.unit_clashes == ()


def test_the_demo_cup_keeps_the_hospital_teams_out_of_a_quarter_final():
    # The demo cup: 16 teams in 4 groups, top two through. 附属医院一队 wins group A, 附属医院二队 is second in
    # group B: the standard crossing (A1–B2) made them meet in a quarter-final.
    template = knockout_template(4, 2)
    placed = _placed(4, 2)
    placed[("A", 1)], placed[("B", 2)] = "附属医院一队", "附属医院二队"
    units = {entry: f"unit-{entry}" for entry in placed.values()}
    units["附属医院一队"] = units["附属医院二队"] = "hospital"
    line = separate_units(template, placed, units).line
    assert line == ["附属医院一队", "C2", "附属医院二队", "D1", "C1", "D2", "A2", "B1"]
    # B2 stays in the other half from B1, so the top half is the only place for it: they can meet in the semi-final
    # at the earliest (round 2 of 3), no longer in the quarter-final.
    assert _meeting_round(line, "附属医院一队", "附属医院二队") == 2
    # The crossing stands: winners meet runners-up of other groups, each group's two teams only in the final.
    codes = [{"附属医院一队": "A1", "附属医院二队": "B2"}.get(entry or "", entry) for entry in line]
    for home, away in zip(codes[::2], codes[1::2], strict=True):
        assert home and away and {home[1], away[1]} == {"1", "2"} and home[0] != away[0]
    assert _same_group_rounds(codes) == [3] * 4


def test_twelve_teams_with_two_pairs_of_one_unit():
    # 12 teams in 4 groups of 3, top two through (8 in the knockout). Two units have two teams each that the
    # standard crossing pairs in the first round: A1–B2 (unit x) and C1–D2 (unit y).
    template = knockout_template(4, 2)
    placed = _placed(4, 2)
    units = {entry: entry for entry in placed.values()}
    units["A1"] = units["B2"] = "x"
    units["C1"] = units["D2"] = "y"
    crossing = separate_units(template, placed, units)
    line = crossing.line
    assert crossing.unit_clashes == ()
    assert _meeting_round(line, "A1", "B2") > 1 and _meeting_round(line, "C1", "D2") > 1
    assert _same_group_rounds(line) == _same_group_rounds([None if q is None else f"{q[0]}{q[1]}" for q in template])
    assert sorted(e for e in line if e) == sorted(placed.values())


def test_three_groups_with_byes_can_leave_no_choice():
    # 3 groups of 2 qualifiers: "A1 -- B2 C2 C1 A2 -- B1". A2 must be in the other half from A1, and the only
    # runner-up place there faces C1: when C1 and A2 share a unit, that clash is reported, not hidden.
    template = knockout_template(3, 2)
    placed = _placed(3, 2)
    units = {entry: entry for entry in placed.values()}
    units["C1"] = units["A2"] = "u"
    crossing = separate_units(template, placed, units)
    assert crossing.line == ["A1", None, "B2", "C2", "C1", "A2", None, "B1"]
    assert crossing.unit_clashes == (("C1", "A2"),)
    # B2 and C2 of one unit would meet at once too, and swapping them changes nothing; B1 and C2 are kept apart.
    units = {entry: entry for entry in placed.values()}
    units["B1"] = units["C2"] = "v"
    assert separate_units(template, placed, units).unit_clashes == ()


@pytest.mark.parametrize(
    ("groups", "qualifiers", "clash"),
    [
        # Two groups of two: A1–B2 and A2–B1 is the only crossing that keeps each group's teams apart.
        pytest.param(2, 2, ("A1", "B2"), id="two_groups_have_one_crossing"),
        # A winner is never moved, and the runner-up of its own half's other winner ... every runner-up position in
        # the top half is taken by a team of the unit: no swap is left.
        pytest.param(4, 2, ("A1", "B2"), id="both_top_half_runners_up_are_of_the_unit"),
    ],
)
def test_impossible_cases_are_reported(groups, qualifiers, clash):
    template = knockout_template(groups, qualifiers)
    placed = _placed(groups, qualifiers)
    units = {entry: entry for entry in placed.values()}
    units[clash[0]] = units[clash[1]] = "u"
    if groups == 4:
        units["C2"] = "u"  # both top-half runner-up places (B2, C2) hold a team of A1's unit
    crossing = separate_units(template, placed, units)
    assert crossing.line == [None if q is None else f"{q[0]}{q[1]}" for q in template]  # the standard crossing
    assert crossing.unit_clashes == (clash,)


def test_entries_without_a_unit_never_clash():
    template = knockout_template(2, 2)
    placed = _placed(2, 2)
    crossing = separate_units(template, placed, {"A1": None, "B2": None, "A2": "", "B1": ""})
    assert crossing.unit_clashes == ()


def test_further_apart_where_possible():
    # 8 groups of 2 (16 in the knockout). A1 and H2... the standard crossing puts A1 and G2 in one quarter
    # (A1 B2 G2 H1 ...): once they cannot meet in the first round, they are moved out of each other's quarter too.
    template = knockout_template(8, 2)
    placed = _placed(8, 2)
    units = {entry: entry for entry in placed.values()}
    units["A1"] = units["G2"] = "u"
    line = separate_units(template, placed, units).line
    assert _meeting_round(line, "A1", "G2") >= 3


def test_a_missing_qualifier_is_refused():
    with pytest.raises(ScheduleError) as caught:
        separate_units(knockout_template(2, 2), {("A", 1): "a", ("A", 2): "b", ("B", 1): "c"}, {})
    assert caught.value.code == "qualifier_missing"


@pytest.mark.parametrize(("groups", "qualifiers"), [(g, q) for g in range(2, 9) for q in (2, 3)])
def test_swaps_never_bring_one_groups_teams_closer(groups, qualifiers):
    template = knockout_template(groups, qualifiers)
    placed = _placed(groups, qualifiers)
    standard = [None if q is None else f"{q[0]}{q[1]}" for q in template]
    # Every runner-up and third shares a unit with the group after its own's winner: lots of clashes to remove.
    units = {entry: f"u{(ord(entry[0]) - 65 - (entry[1] != '1')) % groups}" for entry in placed.values()}
    crossing = separate_units(template, placed, units)
    assert _same_group_rounds(crossing.line) >= _same_group_rounds(standard)
    for position, entry in enumerate(crossing.line):  # places stay: a winner where a winner was, a bye a bye
        assert (entry is None) == (standard[position] is None)
        assert entry is None or standard[position] is None or entry[1:] == standard[position][1:]
    clashes = [
        (a, b) for a, b in zip(crossing.line[::2], crossing.line[1::2], strict=True) if a and b and units[a] == units[b]
    ]
    assert list(crossing.unit_clashes) == clashes
