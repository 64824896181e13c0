"""Measured events: reading and writing marks, attempts, placings, heats, age groups, place points, unit totals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from chalicelib.domain.competition.measured import (
    PLACE_POINTS_TOP6,
    PLACE_POINTS_TOP8,
    AgeBand,
    AgeGroup,
    MarkInvalid,
    Measure,
    Placing,
    UnitScore,
    UnitTotal,
    age_group,
    age_on,
    best_of_attempts,
    final_qualifiers,
    format_mark,
    parse_mark,
    place_points,
    rank_attempts,
    rank_performances,
    seed_heats,
    unit_scores,
    unit_totals,
)
from chalicelib.i18n import translate

D = Decimal


def error_code(call) -> str:
    with pytest.raises(MarkInvalid) as raised:
        call()
    return raised.value.code


# --- marks -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "text", "value"),
    [
        (Measure.TIME, "12.34", D("12.34")),
        (Measure.TIME, "1:02.35", D("62.35")),
        (Measure.TIME, "4:05.1", D("245.1")),
        (Measure.TIME, "1:02:03.4", D("3723.4")),
        (Measure.TIME, " 58 ", D(58)),
        (Measure.TIME, "１：０２．３５", D("62.35")),  # typed with a Chinese input method
        (Measure.DISTANCE, "5.62", D("5.62")),
        (Measure.DISTANCE, "12", D(12)),
        (Measure.POINTS, "17", D(17)),
        (Measure.POINTS, "0", D(0)),
    ],
)
def test_parse_mark(measure, text, value):
    assert parse_mark(measure, text) == value


@pytest.mark.parametrize(
    ("measure", "text", "code"),
    [
        (Measure.TIME, "", "mark_empty"),
        (Measure.TIME, "-12.3", "mark_negative"),
        (Measure.DISTANCE, "-5.62", "mark_negative"),
        (Measure.TIME, "abc", "mark_format"),
        (Measure.TIME, "12.3.4", "mark_format"),
        (Measure.TIME, "12,34", "mark_format"),
        (Measure.TIME, "1:60.00", "mark_format"),
        (Measure.TIME, "1:2.35", "mark_format"),
        (Measure.TIME, "1:75:00", "mark_format"),
        (Measure.TIME, "1::02", "mark_format"),
        (Measure.TIME, "1:02:03:04", "mark_format"),
        (Measure.DISTANCE, "5:62", "mark_format"),
        (Measure.DISTANCE, "5.62m", "mark_format"),
        (Measure.TIME, "12.345", "mark_precision"),
        (Measure.DISTANCE, "5.625", "mark_precision"),
        (Measure.TIME, "0.00", "mark_zero"),
        (Measure.DISTANCE, "0", "mark_zero"),
    ],
)
def test_parse_mark_refuses(measure, text, code):
    assert error_code(lambda: parse_mark(measure, text)) == code


@pytest.mark.parametrize(
    ("measure", "value", "text"),
    [
        (Measure.TIME, D("62.35"), "1:02.35"),
        (Measure.TIME, D("245.1"), "4:05.1"),
        (Measure.TIME, D("12.34"), "12.34"),
        (Measure.TIME, D("12.30"), "12.30"),
        (Measure.TIME, D(60), "1:00"),
        (Measure.TIME, D("3723.4"), "1:02:03.4"),
        (Measure.TIME, D("62.350"), "1:02.35"),
        (Measure.DISTANCE, D("5.62"), "5.62"),
        (Measure.DISTANCE, D("65.5"), "65.5"),
        (Measure.POINTS, D(17), "17"),
    ],
)
def test_format_mark(measure, value, text):
    assert format_mark(measure, value) == text


def test_format_mark_reads_back_what_parse_mark_read():
    for text in ("12.34", "1:02.35", "4:05.1", "10:00.00", "1:02:03.4"):
        assert format_mark(Measure.TIME, parse_mark(Measure.TIME, text)) == text


def test_format_mark_refuses_hidden_precision_and_negatives():
    assert error_code(lambda: format_mark(Measure.TIME, D("62.355"))) == "mark_precision"
    assert error_code(lambda: format_mark(Measure.DISTANCE, D("-1"))) == "mark_negative"
    assert error_code(lambda: format_mark(Measure.DISTANCE, 5.62)) == "mark_type"


def test_best_of_attempts():
    assert best_of_attempts(Measure.TIME, [None, D("12.5"), D("12.3")]) == D("12.3")
    assert best_of_attempts(Measure.DISTANCE, [D("5.1"), None, D("5.62")]) == D("5.62")
    assert best_of_attempts(Measure.POINTS, [D(3), D(8), D(5)]) == D(8)
    assert best_of_attempts(Measure.DISTANCE, [None, None, None]) is None
    assert best_of_attempts(Measure.DISTANCE, []) is None


# --- placings ----------------------------------------------------------------------------------------------------


def test_equal_times_share_a_place_and_no_mark_is_unplaced():
    placings = rank_performances(
        Measure.TIME, {"eve": None, "cat": D("12.5"), "bob": D("12.3"), "ann": D("12.5"), "dan": D("12.9")}
    )
    assert placings == [
        Placing("bob", 1, D("12.3")),
        Placing("ann", 2, D("12.5")),
        Placing("cat", 2, D("12.5")),
        Placing("dan", 4, D("12.9")),
        Placing("eve", None, None),
    ]


def test_longer_distances_place_first():
    placings = rank_performances(Measure.DISTANCE, {"ann": D("5.10"), "bob": D("5.62"), "cat": None})
    assert [(placing.entry_id, placing.place) for placing in placings] == [("bob", 1), ("ann", 2), ("cat", None)]


def test_countback_breaks_a_tie_on_the_best_mark_by_the_next_best():
    placings = rank_attempts(
        Measure.DISTANCE,
        {
            "ann": [D("5.60"), D("5.40"), None],
            "bob": [D("5.50"), D("5.60"), D("5.00")],
            "cat": [D("5.60"), D("5.40"), D("5.10")],
            "dan": [None, D("5.40"), D("5.60")],
            "eve": [None, None, None],
            "fay": [D("5.70"), None, None],
        },
    )
    assert placings == [
        Placing("fay", 1, D("5.70")),
        Placing("bob", 2, D("5.60")),  # next best 5.50
        Placing("cat", 3, D("5.60")),  # 5.40, then a third valid mark
        Placing("ann", 4, D("5.60")),  # 5.40 and no third mark, like dan
        Placing("dan", 4, D("5.60")),
        Placing("eve", None, None),
    ]


# --- heats and finals --------------------------------------------------------------------------------------------


def test_zigzag_seeding_into_heats():
    seeds = [(f"s{rank}", D(f"12.{rank:02d}")) for rank in range(1, 9)] + [("s9", None), ("s10", None)]
    shuffled = [seeds[index] for index in (4, 9, 0, 7, 2, 8, 5, 1, 6, 3)]
    # 10 entries, 4 lanes: 3 heats. Seeds 1-3 into heats 1-3, 4-6 back into 3-1, 7-8 into 1-2, then the two
    # without a seed mark in the order given (s10 was listed before s9) into heat 3, and back into heat 3.
    assert seed_heats(shuffled, 4, Measure.TIME) == [
        ["s1", "s6", "s7"],
        ["s2", "s5", "s8"],
        ["s3", "s4", "s10", "s9"],
    ]


def test_heat_seeding_for_distances_and_edge_cases():
    seeds = [("short", D("4.10")), ("long", D("5.90")), ("middle", D("5.00"))]
    assert seed_heats(seeds, 2, Measure.DISTANCE) == [["long"], ["middle", "short"]]
    assert seed_heats(seeds, 8, Measure.DISTANCE) == [["long", "middle", "short"]]
    # No seed marks: the order given.
    assert seed_heats([("a", None), ("b", None), ("c", None)], 2, Measure.TIME) == [["a"], ["b", "c"]]
    assert seed_heats([], 8, Measure.TIME) == []
    assert error_code(lambda: seed_heats(seeds, 0, Measure.TIME)) == "lanes"
    assert error_code(lambda: seed_heats([("a", None), ("a", None)], 8, Measure.TIME)) == "entry_twice"


def test_the_fastest_times_across_heats_reach_the_final_with_ties_at_the_cut():
    heats = [
        {"a": D("12.10"), "b": D("12.50"), "c": D("13.00")},
        {"d": D("12.30"), "e": D("12.50"), "f": None},
    ]
    assert final_qualifiers(Measure.TIME, heats, 2) == ["a", "d"]
    assert final_qualifiers(Measure.TIME, heats, 3) == ["a", "d", "b", "e"]  # b and e tie for 3rd
    assert final_qualifiers(Measure.TIME, heats, 10) == ["a", "d", "b", "e", "c"]  # f has no time
    assert error_code(lambda: final_qualifiers(Measure.TIME, [heats[0], heats[0]], 3)) == "entry_twice"


def test_heat_winners_qualify_before_the_fastest_losers():
    heats = [
        {"a": D("12.10"), "b": D("12.20"), "c": D("13.00")},
        {"d": D("12.90"), "e": D("13.10")},
    ]
    assert final_qualifiers(Measure.TIME, heats, 2) == ["a", "b"]
    assert final_qualifiers(Measure.TIME, heats, 2, by_place=1) == ["a", "d"]
    assert final_qualifiers(Measure.TIME, heats, 3, by_place=1) == ["a", "d", "b"]


# --- age groups --------------------------------------------------------------------------------------------------

BANDS = (
    AgeBand("Y", "青年组", "Youth", 18, 34),
    AgeBand("35", "中年组", "Middle-aged", 35, 49),
    AgeBand("50", "老年组", "Senior", 50),
)


def test_age_in_completed_years_on_the_competition_day():
    assert age_on(date(1990, 6, 15), date(2025, 6, 14)) == 34
    assert age_on(date(1990, 6, 15), date(2025, 6, 15)) == 35
    assert age_on(date(1976, 2, 29), date(2026, 2, 28)) == 49
    assert age_on(date(1976, 2, 29), date(2026, 3, 1)) == 50


def group_names(group: AgeGroup) -> tuple[str, str]:
    """How a page names a group: the gender's word from the catalogue and the band's name."""
    return (
        translate(group.gender, "zh") + group.band.name_zh,
        translate(group.gender, "en") + " " + group.band.name_en,
    )


def test_age_group_from_gender_and_band():
    women_youth = age_group("F", date(1990, 6, 15), date(2025, 6, 14), BANDS)
    assert women_youth == AgeGroup("F-Y", "competition.gender.women", BANDS[0])
    assert group_names(women_youth) == ("女子青年组", "Women Youth")
    assert group_names(age_group("F", date(1990, 6, 15), date(2025, 6, 15), BANDS)) == (
        "女子中年组",
        "Women Middle-aged",
    )
    assert age_group("M", date(1976, 2, 29), date(2026, 2, 28), BANDS).code == "M-35"
    assert age_group("M", date(1976, 2, 29), date(2026, 3, 1), BANDS).code == "M-50"
    assert group_names(age_group("M", date(1940, 1, 1), date(2026, 3, 1), BANDS))[0] == "男子老年组"


def test_age_group_errors():
    assert error_code(lambda: age_group("M", date(2010, 1, 1), date(2026, 3, 1), BANDS)) == "no_age_band"
    assert error_code(lambda: age_group("X", date(1990, 1, 1), date(2026, 3, 1), BANDS)) == "gender"
    overlapping = (AgeBand("a", "a", "a", 18, 40), AgeBand("b", "b", "b", 40))
    assert error_code(lambda: age_group("M", date(1990, 1, 1), date(2026, 3, 1), overlapping)) == "age_bands_overlap"
    backwards = (AgeBand("a", "a", "a", 40, 30),)
    assert error_code(lambda: age_group("M", date(1990, 1, 1), date(2026, 3, 1), backwards)) == "age_band_range"


# --- place points and unit totals --------------------------------------------------------------------------------


def test_place_points_for_clear_places():
    placings = [Placing(f"e{place}", place, D(place)) for place in range(1, 10)]
    assert place_points(placings, PLACE_POINTS_TOP6) == {
        "e1": 7,
        "e2": 5,
        "e3": 4,
        "e4": 3,
        "e5": 2,
        "e6": 1,
    }
    assert place_points(placings, PLACE_POINTS_TOP8)["e8"] == 1
    assert "e9" not in place_points(placings, PLACE_POINTS_TOP8)


def test_tied_places_share_the_points_of_the_places_they_cover():
    two_for_second = [Placing("a", 1, D(1)), Placing("b", 2, D(2)), Placing("c", 2, D(2)), Placing("d", 4, D(3))]
    assert place_points(two_for_second, (7, 5, 4)) == {"a": 7, "b": Fraction(9, 2), "c": Fraction(9, 2)}
    three_for_first = [Placing(name, 1, D(1)) for name in "abc"]
    assert place_points(three_for_first, PLACE_POINTS_TOP6) == {name: Fraction(16, 3) for name in "abc"}
    across_the_last_scoring_place = [Placing(f"e{place}", place, D(place)) for place in range(1, 6)] + [
        Placing("f", 6, D(6)),
        Placing("g", 6, D(6)),
        Placing("h", None, None),
    ]
    points = place_points(across_the_last_scoring_place, PLACE_POINTS_TOP6)
    assert points["f"] == points["g"] == Fraction(1, 2)
    assert "h" not in points


# A meet: three events, four units with two entrants each; places 1-6 score 7-5-4-3-2-1.
#   100 m:      B C D A C D (A B unscored)
#   long jump:  A B C D B A (C D unscored)
#   shot put:   A D B C D C (A B unscored)
# A: 3 + 7 + 1 + 7 = 18, places 1st ×2, 4th, 6th.     B: 7 + 5 + 2 + 4 = 18, places 1st, 2nd, 3rd, 5th.
# C: 5 + 2 + 4 + 3 + 1 = 15.                          D: 4 + 1 + 3 + 5 + 2 = 15; C and D both 2nd-6th once each.
MEET = {
    ("100m", Measure.TIME): {
        "b1": "12.0", "c1": "12.1", "d1": "12.2", "a1": "12.3", "c2": "12.4", "d2": "12.5", "a2": "12.6", "b2": "12.7",
    },
    ("long_jump", Measure.DISTANCE): {
        "a1": "6.00", "b1": "5.90", "c1": "5.80", "d1": "5.70", "b2": "5.60", "a2": "5.50", "c2": "5.40", "d2": "5.30",
    },
    ("shot_put", Measure.DISTANCE): {
        "a1": "12.00", "d1": "11.50", "b1": "11.00", "c1": "10.50", "d2": "10.00", "c2": "9.50", "a2": "9.00",
        "b2": "8.50",
    },
}  # fmt: skip


def meet_scores() -> list[UnitScore]:
    scores = []
    for (event_code, measure), marks in MEET.items():
        placings = rank_performances(measure, {entry: parse_mark(measure, mark) for entry, mark in marks.items()})
        unit_of = {entry: entry[0].upper() for entry in marks}
        scores.extend(unit_scores(event_code, placings, PLACE_POINTS_TOP6, unit_of))
    return scores


def test_unit_totals_of_a_meet_break_equal_points_by_more_first_places():
    assert unit_totals(meet_scores()) == [
        UnitTotal("A", 1, Fraction(18), (2, 0, 0, 1, 0, 1)),
        UnitTotal("B", 2, Fraction(18), (1, 1, 1, 0, 1, 0)),
        UnitTotal("C", 3, Fraction(15), (0, 1, 1, 1, 1, 1)),
        UnitTotal("D", 3, Fraction(15), (0, 1, 1, 1, 1, 1)),
    ]


def test_unit_totals_list_units_that_scored_nothing():
    totals = unit_totals(meet_scores(), units=["E", "A"])
    assert totals[-1] == UnitTotal("E", 5, Fraction(0), (0, 0, 0, 0, 0, 0))
    assert [total.unit_id for total in totals] == ["A", "B", "C", "D", "E"]


def test_unit_totals_fall_back_to_second_places_and_add_exact_points():
    scores = [
        UnitScore("P", "e1", 2, 5),
        UnitScore("P", "e2", 2, 5),
        UnitScore("Q", "e1", 3, 4),
        UnitScore("Q", "e2", 2, 5),
        UnitScore("Q", "e3", 6, 1),
        UnitScore("R", "e1", 2, Fraction(9, 2)),  # tied for 2nd
        UnitScore("R", "e3", 2, D("4.5")),
        UnitScore("R", "e4", 6, 1),
    ]
    # All on 10 points and no 1st places; P and R have two 2nd places to Q's one; R's extra 6th place decides.
    assert unit_totals(scores) == [
        UnitTotal("R", 1, Fraction(10), (0, 2, 0, 0, 0, 1)),
        UnitTotal("P", 2, Fraction(10), (0, 2, 0, 0, 0, 0)),
        UnitTotal("Q", 3, Fraction(10), (0, 1, 1, 0, 0, 1)),
    ]
    assert error_code(lambda: unit_totals([UnitScore("P", "e1", 0, 5)])) == "place"


def test_relay_entries_score_for_themselves_as_units():
    placings = rank_performances(Measure.TIME, {"unit-1": D("50.1"), "unit-2": D("49.8"), "unit-3": None})
    assert unit_scores("4x100m", placings, PLACE_POINTS_TOP6) == [
        UnitScore("unit-2", "4x100m", 1, 7),
        UnitScore("unit-1", "4x100m", 2, 5),
    ]
    assert error_code(lambda: unit_scores("4x100m", placings, PLACE_POINTS_TOP6, {"unit-1": "u1"})) == "unit_unknown"
