"""Unit totals across a meet (issue 19 item 6): places that score with fewer entries, relays double, DNS never
scores, ties by firsts then seconds then shared, per group, per gender and overall."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from chalicelib.domain.competition.measured import PLACE_POINTS_TOP8, UnitScore
from chalicelib.domain.competition.setup import Discipline, Meet, Stage, StageKind
from chalicelib.domain.competition.stages import measured_outcome
from chalicelib.domain.competition.unit_tables import FewerEntries, scoring_places, scoring_table, tables


@pytest.mark.parametrize(
    ("entries", "rule", "minimum", "dns", "places"),
    [
        (10, "all", 0, 0, 8),
        (5, "all", 0, 0, 8),  # every place of the table, as before issue 19
        (8, "minus_one", 0, 0, 8),  # 不足8人 only below eight
        (7, "minus_one", 0, 0, 6),  # 参赛不足8人时，按实际参赛人数减一录取
        (5, "minus_one", 0, 0, 4),
        (1, "minus_one", 0, 0, 0),
        (6, "minus_one", 0, 2, 3),  # two did not start: four took part
        (2, "all", 3, 0, 0),  # 不足3人不计分
        (3, "minus_one", 3, 0, 2),
        (4, "all", 3, 2, 0),  # four entered, two started: below the minimum
    ],
)
def test_places_that_score_with_fewer_entries(entries, rule, minimum, dns, places):
    assert scoring_places(8, entries, rule, minimum, dns=dns) == places


def test_the_points_table_is_cut_to_the_places_that_score_and_relays_double():
    statuses = {"a": "DNS", "b": "DNF", "c": "DQ"}
    # Six entries, one DNS: five took part, four places score (9-7-6-5), doubled for a relay.
    assert scoring_table(PLACE_POINTS_TOP8, 2, 6, statuses, FewerEntries.MINUS_ONE, 0) == (18, 14, 12, 10)
    assert scoring_table(PLACE_POINTS_TOP8, 1, 6, statuses, "all", 0) == PLACE_POINTS_TOP8
    with pytest.raises(ValueError, match="fewest"):
        scoring_places(8, 3, "fewest")


def _meet(**fields) -> Stage:
    disciplines = (
        Discipline(code="M-A-100m", name_zh="男子甲组100米", measure="time", group="M-A", entries=("m1", "m2", "m3")),
        Discipline(code="M-B-100m", name_zh="男子乙组100米", measure="time", group="M-B", entries=("m4", "m5")),
        Discipline(code="F-shot", name_zh="女子铅球", measure="distance", group="F", entries=("f1", "f2", "f3")),
        Discipline(code="4x100", name_zh="4×100米接力", measure="time", relay=True, entries=("cs", "ee")),
    )
    meet = Meet(disciplines=disciplines, place_points=(7, 5, 4, 3, 2, 1), **fields)
    return Stage(stage_id="meet", kind=StageKind.MEASURED, name_zh="田径", meet=meet)


UNITS = {"m1": "cs", "m2": "ee", "m3": "med", "m4": "ee", "m5": "cs", "f1": "med", "f2": "cs", "f3": "ee"}
UNITS |= {"cs": "cs", "ee": "ee"}


def _marks(**disciplines: dict[str, str]):
    return {code.replace("_", "-"): {e: [Decimal(m)] for e, m in marks.items()} for code, marks in disciplines.items()}


def test_a_meet_has_a_table_per_age_group_per_gender_and_overall():
    performances = _marks(
        M_A_100m={"m1": "11.9", "m2": "12.4", "m3": "12.8"},
        M_B_100m={"m4": "13.0", "m5": "13.5"},
        F_shot={"f1": "9.10", "f2": "8.20", "f3": "7.05"},
    )
    performances["4x100"] = {"cs": [Decimal("50.1")], "ee": [Decimal("49.8")]}
    statuses = {"F-shot": {}}
    outcome = measured_outcome(_meet(fewer_entries="minus_one"), performances, UNITS, statuses)
    shown = {(table.scope, table.code): table for table in outcome.unit_tables}
    # The women's shot is an event by gender only: no table of its own, it counts in the women's.
    assert list(shown) == [("group", "M-A"), ("group", "M-B"), ("gender", "M"), ("gender", "F"), ("overall", "")]
    points = {key: {line.unit_id: line.points for line in table.lines} for key, table in shown.items()}
    # Three ran the 甲组 100 m: two places score (7, 5); two ran the 乙组: one place (7).
    assert points[("group", "M-A")] == {"cs": 7, "ee": 5, "med": 0}
    assert points[("group", "M-B")] == {"ee": 7, "cs": 0}
    assert points[("gender", "M")] == {"cs": 7, "ee": 12, "med": 0}
    assert points[("gender", "F")] == {"med": 7, "cs": 5, "ee": 0}
    # Two relay teams: one place scores, doubled (14); the relay has no group and counts only overall.
    assert points[("overall", "")] == {"ee": 12 + 14, "cs": 7 + 5, "med": 7}
    assert outcome.units == shown[("overall", "")].lines
    assert [line.unit_id for line in outcome.units] == outcome.ranking == ["ee", "cs", "med"]


def test_stored_set_ups_keep_scoring_every_place_and_dns_never_scores():
    performances = _marks(M_B_100m={"m4": "13.0"}, F_shot={"f1": "9.10", "f2": "8.20"})
    statuses = {"M-B-100m": {"m5": "DNS"}, "F-shot": {"f3": "DQ"}}
    outcome = measured_outcome(_meet(), performances, UNITS, statuses)
    by_code = {result.discipline.code: result.points for result in outcome.disciplines}
    assert by_code["M-B-100m"] == {"m4": 7}
    assert by_code["F-shot"] == {"f1": 7, "f2": 5}
    # With the fewer-entries rule the 乙组 100 m (one started) scores nothing, the shot one place.
    fewer = measured_outcome(_meet(fewer_entries="minus_one"), performances, UNITS, statuses)
    by_code = {result.discipline.code: result.points for result in fewer.disciplines}
    assert by_code["M-B-100m"] == {}
    assert by_code["F-shot"] == {"f1": 7, "f2": 5}  # three entered, the DQ took part: two places


def test_ties_break_by_firsts_then_seconds_then_share_the_rank_with_the_reason():
    scored = [
        UnitScore("a", "e1", 1, 7),  # a: one 1st (7)
        UnitScore("b", "e1", 3, 4),  # b: 3rd + 4th (4 + 3 = 7)
        UnitScore("b", "e2", 4, 3),
        UnitScore("c", "e2", 2, 5),  # c: 2nd + 6th (5 + 1 + 1 = 7)
        UnitScore("c", "e3", 6, 1),
        UnitScore("c", "e4", 6, 1),
        UnitScore("d", "e3", 2, 5),  # d: 2nd + 6th + 6th, like c: shared
        UnitScore("d", "e4", 6, 1),
        UnitScore("d", "e5", 6, 1),
        UnitScore("e", "e5", 1, 7),
        UnitScore("e", "e6", 1, 7),  # e: 14, alone
    ]
    groups = {code: None for code in ("e1", "e2", "e3", "e4", "e5", "e6")}
    [overall] = tables(groups, scored, {}, ["a", "b", "c", "d", "e", "f"])
    lines = [(line.unit_id, line.rank, line.points, line.decided_by, line.shared) for line in overall.lines]
    assert lines == [
        ("e", 1, Fraction(14), None, False),
        ("a", 2, Fraction(7), 1, False),  # more first places than c
        ("c", 3, Fraction(7), None, True),  # c and d: the same places
        ("d", 3, Fraction(7), None, True),
        ("b", 5, Fraction(7), 2, False),  # equal firsts (none) with d, fewer seconds
        ("f", 6, Fraction(0), None, False),
    ]
    assert overall.scope == "overall" and overall.gender is None


def test_a_meet_of_one_group_has_only_the_overall_table():
    scored = [UnitScore("a", "x", 1, 9), UnitScore("b", "y", 1, 9), UnitScore("b", "x", 2, 7)]
    shown = tables({"x": "M-A", "y": "M-A"}, scored, {"x": {"a", "b"}, "y": {"b"}}, ["a", "b"])
    assert [(table.scope, [line.unit_id for line in table.lines]) for table in shown] == [("overall", ["b", "a"])]
