from __future__ import annotations

from collections import Counter

import pytest

from chalicelib.domain.competition.draws import (
    DrawError,
    bracket_size,
    draw_bracket,
    draw_groups,
    draw_rng,
    group_names,
    seed_position_groups,
    unit_clashes,
)
from chalicelib.domain.competition.model import Entry

RNG_SEEDS = [f"seed-{number}" for number in range(30)]


def entries(count: int, seeds: int = 0, unit: str = "") -> list[Entry]:
    """``count`` entries e01, e02, ...; the first ``seeds`` seeded 1, 2, ...; each in its own unit unless given."""
    return [
        Entry(f"e{number:02}", f"Entry {number}", unit or f"u{number:02}", number if number <= seeds else None)
        for number in range(1, count + 1)
    ]


def with_unit(all_entries: list[Entry], unit: str, entry_ids: set[str]) -> list[Entry]:
    return [Entry(e.entry_id, e.name, unit, e.seed) if e.entry_id in entry_ids else e for e in all_entries]


def positions(line: list[str | None], wanted) -> set[int]:
    """1-based positions holding an entry in ``wanted`` (None: the byes)."""
    return {index + 1 for index, entry in enumerate(line) if (entry is None if wanted is None else entry in wanted)}


def position_of(line: list[str | None], entry_id: str) -> int:
    return line.index(entry_id) + 1


def assert_no_bye_meets_bye(line: list[str | None]) -> None:
    assert all(line[index] is not None or line[index + 1] is not None for index in range(0, len(line), 2))


# --- randomness --------------------------------------------------------------------------------------------------


def test_draw_rng_is_reproducible_from_the_seed_and_purpose():
    first = [draw_rng("abc", "bracket").random() for _ in range(3)]
    again = [draw_rng("abc", "bracket").random() for _ in range(3)]
    assert first == again
    assert draw_rng("abc", "groups").random() != draw_rng("abc", "bracket").random()
    assert draw_rng("abd", "bracket").random() != draw_rng("abc", "bracket").random()


def test_same_seed_gives_the_same_line_and_another_seed_a_different_one():
    field = entries(27, seeds=8)
    assert draw_bracket(field, draw_rng("s1", "b")) == draw_bracket(field, draw_rng("s1", "b"))
    assert draw_bracket(field, draw_rng("s1", "b")) != draw_bracket(field, draw_rng("s2", "b"))


def test_the_line_does_not_depend_on_the_order_entries_are_read_in():
    field = with_unit(entries(20, seeds=4), "X", {"e05", "e06", "e07"})
    assert draw_bracket(field, draw_rng("s", "b")) == draw_bracket(field[::-1], draw_rng("s", "b"))


# --- sizes and seed positions --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("count", "size"), [(2, 2), (3, 4), (5, 8), (8, 8), (9, 16), (27, 32), (33, 64)])
def test_bracket_size_is_the_next_power_of_two(count, size):
    assert bracket_size(count) == size


def test_bracket_size_needs_two_entries():
    with pytest.raises(DrawError) as raised:
        bracket_size(1)
    assert raised.value.code == "too_few_entries"


def test_seed_positions_in_small_draws():
    assert seed_position_groups(2) == [[1], [2]]
    assert seed_position_groups(4) == [[1], [4], [2, 3]]


@pytest.mark.parametrize(
    ("size", "groups"),
    [
        (8, [[1], [8], [3, 6], [2, 4, 5, 7]]),
        (16, [[1], [16], [5, 12], [3, 7, 10, 14], [2, 4, 6, 8, 9, 11, 13, 15]]),
        (
            32,
            [
                [1],
                [32],
                [9, 24],
                [5, 13, 20, 28],
                [3, 7, 11, 15, 18, 22, 26, 30],
                [2, 4, 6, 8, 10, 12, 14, 16, 17, 19, 21, 23, 25, 27, 29, 31],
            ],
        ),
        (
            64,
            [
                [1],
                [64],
                [17, 48],
                [9, 25, 40, 56],
                [5, 13, 21, 29, 36, 44, 52, 60],
                [3, 7, 11, 15, 19, 23, 27, 31, 34, 38, 42, 46, 50, 54, 58, 62],
                # The seeds' first-round opponents: the even positions of the top half, the odd ones of the bottom
                # half.
                [*range(2, 33, 2), *range(33, 64, 2)],
            ],
        ),
    ],
)
def test_seed_positions_in_a_draw(size, groups):
    assert seed_position_groups(size) == groups


def test_seed_positions_need_a_power_of_two():
    with pytest.raises(DrawError) as raised:
        seed_position_groups(12)
    assert raised.value.code == "bad_size"


def test_seeds_1_and_2_are_fixed_and_3_to_8_drawn_within_their_positions():
    field = entries(32, seeds=8)
    seen_3, seen_5 = set(), set()
    for seed in RNG_SEEDS:
        line = draw_bracket(field, draw_rng(seed, "b"))
        assert position_of(line, "e01") == 1
        assert position_of(line, "e02") == 32
        assert {position_of(line, "e03"), position_of(line, "e04")} == {9, 24}
        assert {position_of(line, e) for e in ("e05", "e06", "e07", "e08")} == {5, 13, 20, 28}
        seen_3.add(position_of(line, "e03"))
        seen_5.add(position_of(line, "e05"))
    assert seen_3 == {9, 24}  # really drawn by lot
    assert seen_5 == {5, 13, 20, 28}


def test_a_draw_seeded_throughout():
    for seed in RNG_SEEDS[:5]:
        line = draw_bracket(entries(4, seeds=4), draw_rng(seed, "b"))
        assert line[0] == "e01" and line[3] == "e02"
        assert set(line[1:3]) == {"e03", "e04"}
    # Three seeds in a 4-draw: seed 1 gets the bye, so seed 3 takes the other free position.
    assert draw_bracket(entries(3, seeds=3), draw_rng("x", "b")) == ["e01", None, "e03", "e02"]


# --- byes ----------------------------------------------------------------------------------------------------------


def test_5_entries_byes_face_seeds_1_and_2_then_one_more_top_or_bottom():
    for seed in RNG_SEEDS:
        line = draw_bracket(entries(5, seeds=2), draw_rng(seed, "b"))
        assert (line[0], line[7]) == ("e01", "e02")
        byes = positions(line, None)
        assert len(byes) == 3
        assert {2, 7} <= byes
        assert byes - {2, 7} in ({4}, {5})  # against position 3 or 6, the next virtual seeds
        assert_no_bye_meets_bye(line)


def test_6_entries_byes_face_seeds_1_and_2():
    for seed in RNG_SEEDS:
        line = draw_bracket(entries(6, seeds=2), draw_rng(seed, "b"))
        assert positions(line, None) == {2, 7}


def test_12_entries_one_bye_per_quarter_against_the_four_seeds():
    for seed in RNG_SEEDS:
        line = draw_bracket(entries(12, seeds=4), draw_rng(seed, "b"))
        assert positions(line, None) == {2, 6, 11, 15}
        assert {line[0], line[4], line[11], line[15]} == {"e01", "e02", "e03", "e04"}


def test_27_entries_with_8_seeds_byes_face_seeds_1_to_4_and_one_of_5_to_8():
    faced = set()
    for seed in RNG_SEEDS:
        line = draw_bracket(entries(27, seeds=8), draw_rng(seed, "b"))
        byes = positions(line, None)
        assert {2, 31, 10, 23} <= byes and len(byes) == 5
        (fifth,) = byes - {2, 31, 10, 23}
        assert fifth in {6, 14, 19, 27}
        faced.add(line[(fifth + 1 if fifth % 2 else fifth - 1) - 1])
        assert_no_bye_meets_bye(line)
    # Seeds 5-8 are equals (5/8): which of them gets the fifth bye is drawn by lot with their positions.
    assert faced == {"e05", "e06", "e07", "e08"}


def test_27_entries_with_4_seeds_fifth_bye_faces_a_5_to_8_position():
    fifth = set()
    for seed in RNG_SEEDS:
        line = draw_bracket(entries(27, seeds=4), draw_rng(seed, "b"))
        byes = positions(line, None)
        assert {2, 31, 10, 23} <= byes and len(byes) == 5
        fifth |= byes - {2, 31, 10, 23}
    assert fifth <= {6, 14, 19, 27}


def test_no_bye_ever_meets_a_bye_and_byes_are_spread_over_halves_and_quarters():
    for count in range(2, 65):
        for seeds in (0, 2, 4, 8):
            if seeds > count:
                continue
            line = draw_bracket(entries(count, seeds), draw_rng(f"{count}-{seeds}", "b"))
            assert_no_bye_meets_bye(line)
            for parts in (2, 4):
                section = len(line) // parts
                if section:
                    byes = [line[start : start + section].count(None) for start in range(0, len(line), section)]
                    assert max(byes) - min(byes) <= 1
            assert sorted(entry for entry in line if entry) == [e.entry_id for e in entries(count)]


def test_a_bigger_draw_than_needed_is_allowed_up_to_one_bye_per_match():
    line = draw_bracket(entries(8, seeds=2), draw_rng("s", "b"), size=16)
    # Every seed position down to the sixteenths gets a bye: positions 1, 16, 5, 12, 3, 7, 10 and 14 face them.
    assert positions(line, None) == {2, 15, 6, 11, 4, 8, 9, 13}


@pytest.mark.parametrize(
    ("field", "size", "code"),
    [
        (entries(5), 4, "draw_too_small"),
        (entries(5), 16, "too_many_byes"),
        (entries(5), 6, "bad_size"),
        (entries(1), None, "too_few_entries"),
        ([Entry("a", "A", "u", 1), Entry("b", "B", "u", 3)], None, "bad_seeds"),
        ([Entry("a", "A", "u", 1), Entry("b", "B", "u", 1)], None, "bad_seeds"),
        ([Entry("a", "A", "u"), Entry("a", "A", "u")], None, "duplicate_entry"),
    ],
)
def test_draw_bracket_refuses_impossible_draws(field, size, code):
    with pytest.raises(DrawError) as raised:
        draw_bracket(field, draw_rng("s", "b"), size=size)
    assert raised.value.code == code


# --- same-unit separation ------------------------------------------------------------------------------------------


def test_unit_clashes_counts_pairs_sharing_each_section():
    line = ["a1", "a2", "b1", None, "a3", None, None, "b2"]
    units = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B"}
    # a1–a2 share a first-round match (and so the top half); a3 and the Bs are apart.
    assert unit_clashes(line, units) == {2: 1, 4: 1}
    assert unit_clashes(line, {}) == {2: 0, 4: 0}


def test_two_entries_of_a_unit_go_to_different_halves():
    field = with_unit(entries(16, seeds=4), "X", {"e07", "e12"})
    for seed in RNG_SEEDS:
        line = draw_bracket(field, draw_rng(seed, "b"))
        assert (position_of(line, "e07") <= 8) != (position_of(line, "e12") <= 8)


def test_an_entry_of_a_seeds_unit_goes_to_the_other_half():
    field = with_unit(entries(12, seeds=2), "X", {"e01", "e09"})
    for seed in RNG_SEEDS:
        assert position_of(draw_bracket(field, draw_rng(seed, "b")), "e09") > 8


def test_four_entries_of_a_unit_go_to_four_quarters():
    field = with_unit(entries(14, seeds=2), "X", {"e05", "e06", "e07", "e08"})
    for seed in RNG_SEEDS:
        line = draw_bracket(field, draw_rng(seed, "b"))
        quarters = {(position_of(line, e) - 1) // 4 for e in ("e05", "e06", "e07", "e08")}
        assert quarters == {0, 1, 2, 3}


def test_several_units_all_separated_when_possible():
    # 4 units of 4 in a 16-draw: each unit one per quarter (two per half: 2 pairs sharing a half per unit).
    field = [Entry(f"e{n:02}", "", f"u{n % 4}") for n in range(16)]
    units = {e.entry_id: e.unit_id for e in field}
    for seed in RNG_SEEDS:
        assert unit_clashes(draw_bracket(field, draw_rng(seed, "b")), units) == {2: 0, 4: 0, 8: 8}


def test_five_of_one_unit_in_an_8_draw_get_the_best_spread():
    # Five entries in four first-round matches: one match must be all X. Split 3–2 over the halves at best:
    # 3 pairs in one half and 1 in the other, 4 pairs sharing a half.
    field = with_unit(entries(8), "X", {"e01", "e02", "e03", "e04", "e05"})
    units = {e.entry_id: e.unit_id for e in field}
    for seed in RNG_SEEDS:
        assert unit_clashes(draw_bracket(field, draw_rng(seed, "b")), units) == {2: 1, 4: 4}


# --- groups --------------------------------------------------------------------------------------------------------


def test_group_names():
    assert group_names(4) == ["A", "B", "C", "D"]
    assert group_names(28)[25:] == ["Z", "AA", "AB"]


@pytest.mark.parametrize(("count", "groups", "sizes"), [(10, 4, [3, 3, 2, 2]), (7, 2, [4, 3]), (12, 3, [4, 4, 4])])
def test_group_sizes_differ_by_at_most_one(count, groups, sizes):
    drawn = draw_groups(entries(count, seeds=2), groups, draw_rng("s", "g"))
    assert [len(group) for group in drawn] == sizes
    assert sorted(entry for group in drawn for entry in group) == [e.entry_id for e in entries(count)]


def test_seeds_go_one_per_group_then_snake_back():
    drawn = draw_groups(entries(12, seeds=6), 4, draw_rng("s", "g"))
    assert [drawn[0][0], drawn[1][0]] == ["e01", "e02"]
    assert drawn[2][:2] == ["e03", "e06"]
    assert drawn[3][:2] == ["e04", "e05"]


def test_twelve_entries_of_four_units_one_per_unit_in_each_group():
    field = [Entry(f"e{n:02}", "", f"u{n % 4}") for n in range(12)]
    units = {e.entry_id: e.unit_id for e in field}
    for seed in RNG_SEEDS:
        for group in draw_groups(field, 4, draw_rng(seed, "g")):
            assert len({units[entry] for entry in group}) == len(group) == 3


def test_a_seeds_unit_mate_avoids_its_group():
    field = with_unit(entries(8, seeds=2), "X", {"e01", "e05"})
    for seed in RNG_SEEDS:
        assert "e05" in draw_groups(field, 2, draw_rng(seed, "g"))[1]


def test_groups_best_spread_when_a_unit_has_more_entries_than_groups():
    field = [Entry(f"x{n}", "", "X") for n in range(5)] + [Entry(f"y{n}", "", "Y") for n in range(3)]
    for seed in RNG_SEEDS:
        drawn = draw_groups(field, 2, draw_rng(seed, "g"))
        per_group = [Counter(entry[0] for entry in group) for group in drawn]
        assert sorted(counts["x"] for counts in per_group) == [2, 3]
        assert sorted(counts["y"] for counts in per_group) == [1, 2]


def test_groups_are_reproducible():
    field = entries(16, seeds=4)
    assert draw_groups(field, 4, draw_rng("s", "g")) == draw_groups(field, 4, draw_rng("s", "g"))
    assert draw_groups(field, 4, draw_rng("s", "g")) != draw_groups(field, 4, draw_rng("t", "g"))


@pytest.mark.parametrize(
    ("count", "groups", "code"),
    [(3, 2, "too_few_entries"), (4, 0, "bad_group_count")],
)
def test_draw_groups_refuses_impossible_groups(count, groups, code):
    with pytest.raises(DrawError) as raised:
        draw_groups(entries(count), groups, draw_rng("s", "g"))
    assert raised.value.code == code
