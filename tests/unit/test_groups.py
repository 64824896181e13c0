from __future__ import annotations

import pytest

from chalicelib.domain.competition.groups import group_stage, knockout_line, knockout_template
from chalicelib.domain.competition.round_robin import ScheduleError


def _line(text: str) -> list[tuple[str, int] | None]:
    """'A1 B2 -- ...' → [("A", 1), ("B", 2), None, ...]"""
    return [None if token == "--" else (token[0], int(token[1:])) for token in text.split()]


def test_group_stage_letters_and_ids():
    matches = group_stage("st", [["a1", "a2", "a3", "a4"], ["b1", "b2", "b3"]])
    by_group = {letter: [m for m in matches if m.bracket == letter] for letter in "AB"}
    assert len(by_group["A"]) == 6 and len(by_group["B"]) == 3
    assert [m.match_id for m in by_group["A"]] == ["A1-1", "A1-2", "A2-1", "A2-2", "A3-1", "A3-2"]
    assert [m.match_id for m in by_group["B"]] == ["B1-1", "B2-1", "B3-1"]
    assert {e for m in by_group["B"] for e in m.entries} == {"b1", "b2", "b3"}


def test_group_stage_double_leg():
    matches = group_stage("st", [["a", "b", "c"]], legs=2)
    assert len(matches) == 6
    assert {m.leg for m in matches} == {1, 2}


@pytest.mark.parametrize(
    ("groups", "code"),
    [([], "no_groups"), ([["a", "b"], ["b", "c"]], "duplicate_entry"), ([["a"], ["b", "c"]], "too_few_entries")],
)
def test_group_stage_refuses(groups, code):
    with pytest.raises(ScheduleError) as caught:
        group_stage("st", groups)
    assert caught.value.code == code


# Expected lines, written by hand. Seed positions in a bracket of 8 (top to bottom): 1 8 5 4 3 6 7 2, i.e.
# seed 1 top, 2 bottom, 3 at the top of the third quarter, 4 at the bottom of the second; of 16:
# 1 16 9 8 5 12 13 4 3 14 11 6 7 10 15 2. Winners take seeds 1..G in group order.


@pytest.mark.parametrize(
    ("groups", "qualifiers", "line"),
    [
        # A1 top, B1 bottom; each meets the other group's runner-up, so A1/A2 and B1/B2 are in opposite halves.
        pytest.param(2, 2, "A1 B2 A2 B1", id="two_groups_of_two"),
        # Winners at seeds 1-4: A1 pos 0, B1 pos 7, C1 pos 4 (third quarter), D1 pos 3 (second quarter).
        # Runners-up go to the other half from their winner, facing their neighbour group's winner: A1–B2, B1–A2,
        # C1–D2, D1–C2.
        pytest.param(4, 2, "A1 B2 C2 D1 C1 D2 A2 B1", id="four_groups_of_two_cross"),
        # 6 qualifiers in a bracket of 8: the byes are seeds 7 and 8, against seeds 2 (B1) and 1 (A1). C1 is seed 3
        # (pos 4); the runners-up take seeds 4-6 (pos 3, 2, 5). A2 must go to the bottom half (pos 5, facing C1);
        # B2 and C2 both reach the final-only distance in the top half: B2 (earlier letter) takes the upper, pos 2.
        pytest.param(3, 2, "A1 -- B2 C2 C1 A2 -- B1", id="three_groups_of_two_give_byes_to_the_first_two_winners"),
        # Winners by seed position: A1 0, H1 3, E1 4, D1 7 (top half); C1 8, F1 11, G1 12, B1 15 (bottom half).
        # Each runner-up lands in the other half from its winner, facing its neighbour group's winner.
        pytest.param(8, 2, "A1 B2 G2 H1 E1 F2 C2 D1 C1 D2 E2 F1 G1 H2 A2 B1", id="eight_groups_of_two"),
        pytest.param(4, 1, "A1 D1 C1 B1", id="four_groups_of_one_are_seeded_in_group_order"),
        pytest.param(3, 1, "A1 -- C1 B1", id="three_groups_of_one"),
        # Seeds 1-2 A1, B1; 3-4 runners-up at pos 4 and 3: A2 goes to pos 4 (final-only from A1), B2 to pos 3.
        # Thirds at pos 2 and 5: A3 at pos 2 is a semi-final from A1 and a final from A2 (pos 5 would meet A2 at once).
        pytest.param(2, 3, "A1 -- A3 B2 A2 B3 -- B1", id="two_groups_of_three_spread_the_thirds"),
    ],
)
def test_knockout_template(groups, qualifiers, line):
    assert knockout_template(groups, qualifiers) == _line(line)


@pytest.mark.parametrize(("groups", "qualifiers"), [(g, q) for g in range(1, 17) for q in (1, 2, 3, 4) if g * q > 1])
def test_template_invariants(groups, qualifiers):
    line = knockout_template(groups, qualifiers)
    field = groups * qualifiers
    size = len(line)
    assert size & (size - 1) == 0 and size // 2 < field <= size
    placed = [q for q in line if q is not None]
    assert sorted(placed) == sorted((chr(65 + g), p) for g in range(groups) for p in range(1, qualifiers + 1))
    matches = [line[i : i + 2] for i in range(0, size, 2)]
    assert all(match != [None, None] for match in matches)  # no bye meets a bye
    byes_to = [next(q for q in match if q) for match in matches if None in match]
    assert len(byes_to) == size - field
    assert sum(q[1] == 1 for q in byes_to) == min(len(byes_to), groups)  # winners get the byes first
    if qualifiers == 2 and groups > 1:
        for g in range(groups):
            letter = chr(65 + g)
            top, bottom = line.index((letter, 1)), line.index((letter, 2))
            assert (top < size // 2) != (bottom < size // 2), f"{letter}1 and {letter}2 share a half"
    if groups > 1:
        for first, second in matches:
            assert first is None or second is None or first[0] != second[0], "same group in a first-round match"


@pytest.mark.parametrize(
    ("groups", "qualifiers", "code"), [(0, 2, "bad_template"), (27, 1, "too_many_groups"), (1, 1, "too_few_entries")]
)
def test_template_refuses(groups, qualifiers, code):
    with pytest.raises(ScheduleError) as caught:
        knockout_template(groups, qualifiers)
    assert caught.value.code == code


def test_knockout_line_fills_the_template():
    placed = {("A", 1): "lions", ("A", 2): "tigers", ("B", 1): "bears", ("B", 2): "wolves", ("C", 1): "hawks"}
    placed[("C", 2)] = "owls"
    assert knockout_line(knockout_template(3, 2), placed) == [
        "lions",
        None,
        "wolves",
        "owls",
        "hawks",
        "tigers",
        None,
        "bears",
    ]


def test_knockout_line_refuses_a_missing_or_doubled_qualifier():
    template = knockout_template(2, 2)
    with pytest.raises(ScheduleError) as caught:
        knockout_line(template, {("A", 1): "a", ("A", 2): "b", ("B", 1): "c"})
    assert caught.value.code == "qualifier_missing"
    assert "B2" in caught.value.message
    with pytest.raises(ScheduleError) as caught:
        knockout_line(template, {("A", 1): "a", ("A", 2): "b", ("B", 1): "c", ("B", 2): "a"})
    assert caught.value.code == "duplicate_entry"
