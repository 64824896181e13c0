"""Judged contests: weighted marks, aggregation, ranking with tie rules, award tiers, visibility, normalising."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from fractions import Fraction

import pytest

from chalicelib.domain.competition.judging import (
    Aggregation,
    AwardTier,
    Criterion,
    EntryScore,
    JudgingError,
    Panel,
    RankedEntry,
    Rounding,
    TieRule,
    aggregate,
    award_tiers,
    check_criteria,
    check_panels,
    check_tiers,
    entries_for_judge,
    entry_score,
    finalists,
    judge_may_mark,
    judge_total,
    marks_visible_to,
    minimum_judges,
    normalise,
    rank_entries,
    score_entry,
    tier_preset,
    tier_sizes,
)
from chalicelib.i18n import translate

D = Decimal
OVERALL = (Criterion("overall", "综合", "Overall", D(1), D(100)),)
LESSON = (
    Criterion("content", "教学内容", "Content", D("0.4"), D(100)),
    Criterion("delivery", "教学实施", "Delivery", D("0.3"), D(100)),
    Criterion("design", "教学设计", "Design", D("0.3"), D(100)),
)


def single_marks(*marks: int | str) -> dict[str, dict[str, Decimal]]:
    return {f"judge{number}": {"overall": D(mark)} for number, mark in enumerate(marks, 1)}


def error_code(call) -> str:
    with pytest.raises(JudgingError) as raised:
        call()
    return raised.value.code


def ranked(*ranks: int) -> list[RankedEntry]:
    """A ranking of entries e01, e02 ... with the given ranks (scores do not matter to the awards)."""
    return [RankedEntry(f"e{number:02d}", rank, EntryScore(D(100 - rank))) for number, rank in enumerate(ranks, 1)]


# --- marks -------------------------------------------------------------------------------------------------------


def test_judge_total_is_the_weighted_sum_of_the_criteria():
    assert judge_total(LESSON, {"content": D(90), "delivery": D(80), "design": D(70)}) == D("81.0")  # 36 + 24 + 21


def test_judge_total_refuses_incomplete_unknown_or_out_of_range_marks():
    full = {"content": D(90), "delivery": D(80), "design": D(70)}
    assert error_code(lambda: judge_total(LESSON, {"content": D(90), "delivery": D(80)})) == "mark_missing"
    assert error_code(lambda: judge_total(LESSON, {**full, "voice": D(1)})) == "mark_unknown_criterion"
    assert error_code(lambda: judge_total(LESSON, {**full, "design": D("100.5")})) == "mark_range"
    assert error_code(lambda: judge_total(LESSON, {**full, "design": D(-1)})) == "mark_range"
    assert error_code(lambda: judge_total(LESSON, {**full, "design": 70.5})) == "mark_invalid"
    assert error_code(lambda: judge_total(LESSON, {**full, "design": D("NaN")})) == "mark_invalid"


def test_criteria_weights_must_add_up_to_one_and_codes_be_unique():
    uneven = (*LESSON[:2], Criterion("design", "教学设计", "Design", D("0.2"), D(100)))
    assert error_code(lambda: check_criteria(uneven)) == "criteria_weights"
    assert error_code(lambda: check_criteria((LESSON[0], LESSON[0], LESSON[1]))) == "criterion_duplicate"
    assert error_code(lambda: check_criteria(())) == "no_criteria"
    assert error_code(lambda: Criterion("x", "x", "x", D(0), D(10))) == "criterion_weight"
    assert error_code(lambda: Criterion("x", "x", "x", D(1), D(0))) == "criterion_max_mark"
    check_criteria(LESSON)  # 0.4 + 0.3 + 0.3 is exactly 1 in Decimal


def standard_tiers() -> tuple[AwardTier, ...]:
    """The standard preset's tiers as the organiser gets them: named from the catalogue."""
    return tuple(
        preset.tier(translate(preset.name, "zh"), translate(preset.name, "en")) for preset in tier_preset("standard")
    )


def test_criterion_and_tier_survive_a_round_trip_through_storage():
    assert [Criterion.from_dict(criterion.to_dict()) for criterion in LESSON] == list(LESSON)
    assert LESSON[0].to_dict()["weight"] == "0.4"
    tiers = [*standard_tiers(), AwardTier("special", "特别奖", "Special prize", count=2)]
    assert [AwardTier.from_dict(tier.to_dict()) for tier in tiers] == tiers
    assert standard_tiers()[0].to_dict()["share"] == "1/10"
    assert tier_preset("standard")[0].name == "competition.prize.first"
    first, *_, merit = standard_tiers()
    assert (first.name_zh, first.name_en, merit.name_zh, merit.name_en) == (
        "一等奖",
        "First prize",
        "优秀奖",
        "Merit award",
    )
    assert [tier.code for tier in tier_preset("standard_without_merit")] == ["first", "second", "third"]
    assert error_code(lambda: Criterion.from_dict({"code": "x", "weight": "lots", "max_mark": "10"})) == (
        "criterion_weight"
    )


# --- aggregation -------------------------------------------------------------------------------------------------


def test_dropping_highest_and_lowest_of_five_marks():
    marks = single_marks(90, 85, 86, 91, 88)
    # Drop 91 and 85: (90 + 86 + 88) / 3 = 88.
    assert entry_score(OVERALL, marks, Aggregation.DROP_HIGH_LOW) == D("88.00")
    assert str(entry_score(OVERALL, marks, Aggregation.DROP_HIGH_LOW)) == "88.00"
    assert str(entry_score(OVERALL, marks, Aggregation.MEAN)) == "88.00"  # 440 / 5


def test_dropping_highest_and_lowest_differs_from_the_mean_when_a_judge_is_far_off():
    marks = single_marks(90, 70, 85, 86, 99)
    assert str(entry_score(OVERALL, marks, Aggregation.MEAN)) == "86.00"  # 430 / 5
    assert str(entry_score(OVERALL, marks, Aggregation.DROP_HIGH_LOW)) == "87.00"  # (90 + 85 + 86) / 3


def test_scores_round_half_up_to_two_places_at_the_end():
    assert str(entry_score(OVERALL, single_marks(85, 86, 86), Aggregation.MEAN)) == "85.67"  # 85.666...
    # 85.245: half up gives 85.25 where banker's rounding would give 85.24.
    assert str(entry_score(OVERALL, single_marks("85.24", "85.25"), Aggregation.MEAN)) == "85.25"
    assert str(entry_score(OVERALL, single_marks("0.005"), Aggregation.MEAN)) == "0.01"


def test_closest_pair_averages_the_two_closest_of_three_marks():
    assert str(entry_score(OVERALL, single_marks(70, 88, 90), Aggregation.CLOSEST_PAIR)) == "89.00"
    assert str(entry_score(OVERALL, single_marks(60, 62, 90), Aggregation.CLOSEST_PAIR)) == "61.00"
    # Equal gaps: the higher pair counts, (85 + 90) / 2, whichever judge gave which mark.
    assert str(entry_score(OVERALL, single_marks(80, 85, 90), Aggregation.CLOSEST_PAIR)) == "87.50"
    assert str(entry_score(OVERALL, single_marks(90, 80, 85), Aggregation.CLOSEST_PAIR)) == "87.50"


def test_aggregations_need_enough_judges():
    assert [minimum_judges(aggregation) for aggregation in Aggregation] == [1, 3, 3]
    assert error_code(lambda: aggregate([D(90), D(80)], Aggregation.DROP_HIGH_LOW)) == "too_few_judges"
    assert error_code(lambda: aggregate([D(90), D(80)], Aggregation.CLOSEST_PAIR)) == "too_few_judges"
    assert error_code(lambda: aggregate([D(90)] * 4, Aggregation.CLOSEST_PAIR)) == "closest_pair_judges"
    assert error_code(lambda: aggregate([], Aggregation.MEAN)) == "too_few_judges"
    assert str(aggregate([D(90), D(80), D(70)], Aggregation.DROP_HIGH_LOW)) == "80.00"  # three judges: the middle


def test_score_entry_aggregates_every_criterion_with_the_same_rule():
    criteria = (
        Criterion("voice", "声音", "Voice", D("0.6"), D(100)),
        Criterion("stage", "台风", "Stage presence", D("0.4"), D(100)),
    )
    marks = {
        "j1": {"voice": D(90), "stage": D(80)},  # 86
        "j2": {"voice": D(80), "stage": D(90)},  # 84
        "j3": {"voice": D(70), "stage": 100},  # 82 (whole numbers are exact too)
    }
    score = score_entry(criteria, marks, Aggregation.DROP_HIGH_LOW)
    assert score == EntryScore(D("84.00"), (("voice", D("80.00")), ("stage", D("90.00"))))
    assert score_entry(criteria, marks, Aggregation.MEAN).by_criterion == (("voice", D(80)), ("stage", D(90)))


# --- ranking -----------------------------------------------------------------------------------------------------

TIED_SCORES = {
    "ann": EntryScore(D(90), (("a", D(90)), ("b", D(90)))),
    "bob": EntryScore(D(85), (("a", D(80)), ("b", D(90)))),
    "cat": EntryScore(D(85), (("a", D(82)), ("b", D(88)))),
    "dan": EntryScore(D(85), (("a", D(80)), ("b", D(90)))),
    "eve": EntryScore(D(80), (("a", D(80)), ("b", D(80)))),
}


def test_shared_ranks_for_equal_scores():
    ranking = rank_entries(TIED_SCORES, TieRule.SHARED)
    assert [(entry.entry_id, entry.rank) for entry in ranking] == [
        ("ann", 1),
        ("bob", 2),
        ("cat", 2),
        ("dan", 2),
        ("eve", 5),
    ]
    assert ranking[1].total == D(85)


def test_criteria_in_order_break_ties_then_ranks_are_shared():
    ranking = rank_entries(TIED_SCORES, TieRule.CRITERIA)
    # cat leads on the first criterion; bob and dan are equal on both and stay tied.
    assert [(entry.entry_id, entry.rank) for entry in ranking] == [
        ("ann", 1),
        ("cat", 2),
        ("bob", 3),
        ("dan", 3),
        ("eve", 5),
    ]


def test_criteria_rule_refuses_entries_scored_on_different_criteria():
    scores = {"ann": EntryScore(D(1), (("a", D(1)),)), "bob": EntryScore(D(1), (("b", D(1)),))}
    assert error_code(lambda: rank_entries(scores, TieRule.CRITERIA)) == "criteria_mismatch"


def test_lot_breaks_every_tie_reproducibly_from_the_seed():
    def lot(seed: str, entry_id: str) -> str:
        return hashlib.sha256(f"{seed}:{entry_id}".encode()).hexdigest()

    for seed in ("draw-2025-05-01", "another seed"):
        ranking = rank_entries(TIED_SCORES, TieRule.LOT, seed)
        assert [entry.rank for entry in ranking] == [1, 2, 3, 4, 5]
        assert ranking[0].entry_id == "ann" and ranking[-1].entry_id == "eve"
        assert [entry.entry_id for entry in ranking[1:4]] == sorted(["bob", "cat", "dan"], key=lambda e: lot(seed, e))
        assert rank_entries(TIED_SCORES, TieRule.LOT, seed) == ranking
    assert error_code(lambda: rank_entries(TIED_SCORES, TieRule.LOT)) == "lot_seed_missing"


# --- award tiers -------------------------------------------------------------------------------------------------

SHARES = (
    AwardTier("first", "一等奖", "First prize", share=Fraction(1, 10)),
    AwardTier("second", "二等奖", "Second prize", share=Fraction(2, 10)),
    AwardTier("third", "三等奖", "Third prize", share=Fraction(3, 10)),
)
COUNTS = (
    AwardTier("first", "一等奖", "First prize", count=1),
    AwardTier("second", "二等奖", "Second prize", count=2),
    AwardTier("third", "三等奖", "Third prize", count=3),
)


def tiers_by_entry(awards: dict[str, str]) -> dict[str, list[str]]:
    listed: dict[str, list[str]] = {}
    for entry_id, code in sorted(awards.items()):
        listed.setdefault(code, []).append(entry_id)
    return listed


def entries(first: int, last: int) -> list[str]:
    return [f"e{number:02d}" for number in range(first, last + 1)]


@pytest.mark.parametrize(
    ("rounding", "sizes"),
    [
        (Rounding.FLOOR, [1, 3, 5]),  # 1.7, 3.4, 5.1 rounded down
        (Rounding.HALF_UP, [2, 3, 5]),
        (Rounding.CEIL, [2, 4, 6]),
    ],
)
def test_shares_of_a_field_of_17_with_each_rounding(rounding, sizes):
    assert tier_sizes(17, SHARES, rounding) == sizes
    first, second, third = sizes
    awards = award_tiers(ranked(*range(1, 18)), SHARES, rounding)
    assert tiers_by_entry(awards) == {
        "first": entries(1, first),
        "second": entries(first + 1, first + second),
        "third": entries(first + second + 1, first + second + third),
    }


def test_the_standard_preset_gives_the_rest_a_merit_award():
    awards = award_tiers(ranked(*range(1, 18)), standard_tiers(), Rounding.HALF_UP)
    assert tiers_by_entry(awards) == {
        "first": entries(1, 2),
        "second": entries(3, 5),
        "third": entries(6, 10),
        "merit": entries(11, 17),
    }


def test_half_up_rounds_an_exact_half_up():
    tier = (AwardTier("first", "一等奖", "First prize", share=Fraction(1, 10)),)
    assert tier_sizes(15, tier, Rounding.HALF_UP) == [2]  # 1.5
    assert tier_sizes(15, tier, Rounding.FLOOR) == [1]
    assert tier_sizes(25, tier, Rounding.HALF_UP) == [3]  # 2.5


def test_a_tie_across_a_boundary_lifts_the_tied_and_shrinks_the_next_tier():
    # Counts 1 / 2 / 3; three entries tied for 2nd: all take 二等奖, 三等奖 still ends at 6th place.
    awards = award_tiers(ranked(1, 2, 2, 2, 5, 6, 7, 8), COUNTS, Rounding.FLOOR)
    assert tiers_by_entry(awards) == {"first": ["e01"], "second": ["e02", "e03", "e04"], "third": ["e05", "e06"]}
    # Two tied for 1st: both take 一等奖, 二等奖 shrinks to one.
    awards = award_tiers(ranked(1, 1, 3, 4, 5, 6, 7), COUNTS, Rounding.FLOOR)
    assert tiers_by_entry(awards) == {"first": ["e01", "e02"], "second": ["e03"], "third": ["e04", "e05", "e06"]}
    # Three tied for 1st swallow 二等奖 entirely.
    awards = award_tiers(ranked(1, 1, 1, 4, 5, 6, 7), COUNTS, Rounding.FLOOR)
    assert tiers_by_entry(awards) == {"first": ["e01", "e02", "e03"], "third": ["e04", "e05", "e06"]}


def test_entries_tied_with_the_last_awardee_are_awarded_too():
    awards = award_tiers(ranked(1, 2, 3, 4, 5, 6, 6, 8), COUNTS, Rounding.FLOOR)
    assert tiers_by_entry(awards)["third"] == ["e04", "e05", "e06", "e07"]
    assert "e08" not in awards


def test_a_field_smaller_than_the_tier_counts():
    awards = award_tiers(ranked(1, 2, 3, 4), COUNTS, Rounding.FLOOR)
    assert tiers_by_entry(awards) == {"first": ["e01"], "second": ["e02", "e03"], "third": ["e04"]}
    assert award_tiers([], COUNTS, Rounding.FLOOR) == {}
    assert tier_sizes(4, (*COUNTS, standard_tiers()[-1]), Rounding.FLOOR) == [1, 2, 1, 0]


def test_tiers_are_checked():
    assert error_code(lambda: AwardTier("x", "x", "x", count=1, share=Fraction(1, 2))) == "tier_count_and_share"
    assert error_code(lambda: AwardTier("x", "x", "x", count=-1)) == "tier_count"
    assert error_code(lambda: AwardTier("x", "x", "x", share=Fraction(3, 2))) == "tier_share"
    rest_first = (standard_tiers()[-1], *COUNTS)
    assert error_code(lambda: check_tiers(rest_first)) == "tier_rest_not_last"
    too_much = (*SHARES, AwardTier("extra", "x", "x", share=Fraction(1, 2)))
    assert error_code(lambda: check_tiers(too_much)) == "tier_shares"
    assert error_code(lambda: check_tiers((COUNTS[0], COUNTS[0]))) == "tier_duplicate"
    assert error_code(lambda: award_tiers(ranked(2, 1), COUNTS, Rounding.FLOOR)) == "ranking_order"


# --- panels and visibility ---------------------------------------------------------------------------------------

PANELS = (
    Panel("p1", "第一评审组", ("judge-a", "judge-b", "judge-c"), ("e1", "e2")),
    Panel("p2", "第二评审组", ("judge-c", "judge-d", "judge-e"), ("e3",)),
)


def test_a_judge_marks_only_the_entries_of_their_panels():
    assert judge_may_mark(PANELS[0], "judge-a", "e1")
    assert not judge_may_mark(PANELS[0], "judge-a", "e3")
    assert not judge_may_mark(PANELS[0], "judge-d", "e1")
    assert entries_for_judge(PANELS, "judge-a") == ["e1", "e2"]
    assert entries_for_judge(PANELS, "judge-c") == ["e1", "e2", "e3"]
    assert entries_for_judge(PANELS, "someone") == []
    assert Panel.from_dict(PANELS[0].to_dict()) == PANELS[0]


def test_panels_are_checked():
    check_panels(PANELS)
    assert error_code(lambda: check_panels((PANELS[0], PANELS[0]))) == "panel_duplicate"
    assert error_code(lambda: check_panels((Panel("p", "p", (), ("e1",)),))) == "panel_no_judges"
    assert error_code(lambda: check_panels((Panel("p", "p", ("j", "j"), ()),))) == "panel_judge_twice"
    twice = (PANELS[0], Panel("p3", "p3", ("judge-f",), ("e2",)))
    assert error_code(lambda: check_panels(twice)) == "panel_entry_twice"


def test_judges_see_only_their_own_marks_until_the_panel_closes():
    marks = {"judge-a": {"e1": D(90)}, "judge-b": {"e1": D(80)}}
    assert marks_visible_to("judge-a", False, False, marks) == {"judge-a": {"e1": D(90)}}
    assert marks_visible_to("judge-c", False, False, marks) == {}
    assert marks_visible_to("judge-a", False, True, marks) == marks
    assert marks_visible_to("organiser", True, False, marks) == marks


# --- normalising and finalists -----------------------------------------------------------------------------------


def test_normalising_puts_a_strict_and_a_lenient_judge_on_one_scale():
    # All marks: 73, 79, 81, 87 → mean 80, population standard deviation 5. Each judge's two marks are one of their
    # own standard deviations either side of their own mean, so both map to 80 ∓ 5.
    marks = {"strict": {"x": D(73), "y": D(87)}, "narrow": {"x": D(79), "y": D(81)}}
    assert normalise(marks) == {"strict": {"x": D(75), "y": D(85)}, "narrow": {"x": D(75), "y": D(85)}}


def test_a_judge_who_gives_everyone_the_same_mark_contributes_the_overall_mean():
    # All marks 70, 90, 80, 80: mean 80, standard deviation sqrt(50) = 7.0710...
    normalised = normalise({"wide": {"x": D(70), "y": D(90)}, "flat": {"x": D(80), "y": D(80)}})
    assert normalised["flat"] == {"x": D(80), "y": D(80)}
    assert normalised["wide"]["x"].quantize(D("0.01")) == D("72.93")
    assert normalised["wide"]["y"].quantize(D("0.01")) == D("87.07")
    assert normalise({}) == {}


def test_ties_at_the_cut_all_go_to_the_final():
    ranking = ranked(1, 2, 2, 4, 5)
    assert finalists(ranking, 2) == ["e01", "e02", "e03"]
    assert finalists(ranking, 3) == ["e01", "e02", "e03"]
    assert finalists(ranking, 4) == ["e01", "e02", "e03", "e04"]
    assert finalists(ranking, 0) == []
    assert error_code(lambda: finalists(ranking, -1)) == "finalists_count"
