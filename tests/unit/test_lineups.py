"""Line-ups of team ties (issue 18 item 3): every rule of chalicelib.domain.competition.lineups against the real
TIE_PRESETS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.competition.lineups import (
    LineupRules,
    Player,
    closed,
    deadline,
    lettered,
    letters,
    lineup_problems,
    positions,
    rubber_players,
    rules_for,
    shown,
)
from chalicelib.domain.competition.scoring import TIE_PRESETS, RubberGender
from chalicelib.domain.competition.setup import LineupSettings
from chalicelib.i18n import catalogue

B5 = TIE_PRESETS["badminton_5"]
B3 = TIE_PRESETS["badminton_3"]
MIXED = TIE_PRESETS["badminton_mixed_3"]
SWAYTHLING = TIE_PRESETS["table_tennis_swaythling"]
OLYMPIC = TIE_PRESETS["table_tennis_olympic"]

ROSTER = {
    p.staff_no: p
    for p in (
        Player("m1", "张一", "M"),
        Player("m2", "张二", "M"),
        Player("m3", "张三", "M"),
        Player("m4", "张四", "M"),
        Player("f1", "李一", "F"),
        Player("f2", "李二", "F"),
        Player("f3", "李三", "F"),
        Player("gone", "王走", "M", active=False),
    )
}


def codes(problems):
    return [(problem.code, problem.position) for problem in problems]


def check(fmt, lineup, side="home", rules=None, played=None):
    return lineup_problems(fmt, side, lineup, ROSTER, rules or rules_for(fmt, None), played)


def test_rubber_genders_of_the_presets():
    assert [r.gender for r in B5.rubbers] == [
        RubberGender.MEN,
        RubberGender.WOMEN,
        RubberGender.MEN,
        RubberGender.WOMEN,
        RubberGender.MIXED,
    ]
    assert {r.gender for r in (*B3.rubbers, *SWAYTHLING.rubbers, *OLYMPIC.rubbers)} == {RubberGender.ANY}


def test_positions_are_rubbers_for_badminton_and_letters_for_table_tennis():
    assert [(p.code, p.players) for p in positions(MIXED, "home")] == [("MD", 2), ("WD", 2), ("XD", 2)]
    assert not lettered(B5)
    assert lettered(SWAYTHLING) and lettered(OLYMPIC)
    assert letters(SWAYTHLING, "home") == ("A", "B", "C") and letters(SWAYTHLING, "away") == ("X", "Y", "Z")
    assert [p.code for p in positions(OLYMPIC, "away")] == ["X", "Y", "Z"]


def test_lettered_rubbers_follow_from_the_letters():
    home = {"A": ("m1",), "B": ("m2",), "C": ("f1",)}
    assert rubber_players(SWAYTHLING, "home", home) == {
        "AX": ("m1",),
        "BY": ("m2",),
        "CZ": ("f1",),
        "AY": ("m1",),
        "BX": ("m2",),
    }
    # The Olympic doubles BC–YZ: B and C of the home side, Y and Z of the away side.
    assert rubber_players(OLYMPIC, "home", home)["D"] == ("m2", "f1")
    away = {"X": ("m3",), "Y": ("m4",), "Z": ("f2",)}
    assert rubber_players(OLYMPIC, "away", away)["D"] == ("m4", "f2")
    assert check(SWAYTHLING, home) == [] and check(OLYMPIC, away, "away") == []


def test_a_good_mixed_line_up_passes_with_a_woman_in_two_rubbers():
    lineup = {"MD": ("m1", "m2"), "WD": ("f1", "f2"), "XD": ("m3", "f1")}
    assert check(MIXED, lineup) == []
    assert rules_for(MIXED, None) == LineupRules(max_rubbers=2, one_singles=True)


def test_every_position_filled_with_its_number_of_players_and_no_unknown_one():
    problems = check(MIXED, {"MD": ("m1",), "WD": ("f1", "f2"), "QQ": ("m2",)})
    assert codes(problems) == [
        ("lineup.unknown_position", "QQ"),
        ("lineup.player_count", "MD"),
        ("lineup.position_missing", "XD"),
    ]
    assert problems[1].params == {"position": "MD", "count": "2"}


def test_a_doubles_pair_is_two_different_players():
    assert codes(check(MIXED, {"MD": ("m1", "m1"), "WD": ("f1", "f2"), "XD": ("m3", "f1")})) == [
        ("lineup.same_player", "MD")
    ]


def test_only_active_players_of_the_roster():
    problems = check(MIXED, {"MD": ("m1", "x9"), "WD": ("f1", "f2"), "XD": ("gone", "f1")})
    assert codes(problems) == [("lineup.not_rostered", "MD"), ("lineup.player_inactive", "XD")]
    assert problems[0].params == {"position": "MD", "staff_no": "x9", "name": "x9"}
    assert problems[1].params["name"] == "王走"


def test_each_rubbers_gender():
    problems = check(B5, {"MS": ("f3",), "WS": ("m4",), "MD": ("m1", "f2"), "WD": ("f1", "m2"), "XD": ("m3", "m1")})
    assert codes(problems) == [
        ("lineup.gender_men", "MS"),
        ("lineup.gender_women", "WS"),
        ("lineup.gender_men", "MD"),
        ("lineup.gender_women", "WD"),
        ("lineup.gender_mixed", "XD"),
    ]
    # Two women are no mixed pair either.
    assert codes(check(MIXED, {"MD": ("m1", "m2"), "WD": ("f1", "f2"), "XD": ("f3", "f1")})) == [
        ("lineup.gender_mixed", "XD")
    ]


def test_at_most_n_rubbers_per_player_by_format_and_setting():
    # badminton_5: two each (Sudirman Cup); the third rubber of m1 is refused.
    lineup = {"MS": ("m1",), "WS": ("f1",), "MD": ("m1", "m2"), "WD": ("f2", "f3"), "XD": ("m1", "f1")}
    problems = check(B5, lineup)
    assert codes(problems) == [("lineup.too_many_rubbers", "XD")]
    assert problems[0].params == {"position": "XD", "name": "张一", "max": "2"}
    # badminton_3: one each.
    assert codes(check(B3, {"S1": ("m1",), "D": ("m1", "m2"), "S2": ("f1",)})) == [("lineup.too_many_rubbers", "D")]
    # The competition's own maximum overrides the format's.
    assert (
        check(B3, {"S1": ("m1",), "D": ("m1", "m2"), "S2": ("f1",)}, rules=rules_for(B3, LineupSettings(max_rubbers=2)))
        == []
    )
    strict = rules_for(MIXED, LineupSettings(max_rubbers=1))
    assert codes(check(MIXED, {"MD": ("m1", "m2"), "WD": ("f1", "f2"), "XD": ("m3", "f1")}, rules=strict)) == [
        ("lineup.too_many_rubbers", "XD")
    ]


def test_no_player_in_two_singles_for_badminton():
    rules = rules_for(B3, LineupSettings(max_rubbers=2))
    problems = check(B3, {"S1": ("m1",), "D": ("m2", "m3"), "S2": ("m1",)}, rules=rules)
    assert codes(problems) == [("lineup.two_singles", "S2")]
    off = rules_for(B3, LineupSettings(max_rubbers=2, one_singles=False))
    assert check(B3, {"S1": ("m1",), "D": ("m2", "m3"), "S2": ("m1",)}, rules=off) == []


def test_table_tennis_letters_one_each_all_filled_and_two_singles_allowed():
    # Each Swaythling player plays two singles: the one-singles rule does not apply to lettered formats.
    assert rules_for(SWAYTHLING, None) == LineupRules(max_rubbers=None, one_singles=False)
    problems = check(SWAYTHLING, {"A": ("m1",), "B": ("m1",), "C": ("f1",)})
    assert codes(problems) == [("lineup.letter_twice", "B")]
    assert problems[0].params == {"position": "B", "name": "张一"}
    assert codes(check(SWAYTHLING, {"A": ("m1",), "C": ("f1",)})) == [("lineup.position_missing", "B")]
    # Home letters on the away side are unknown positions.
    assert ("lineup.unknown_position", "A") in codes(check(SWAYTHLING, {"A": ("m1",)}, side="away"))


def test_a_played_rubber_keeps_its_players():
    lineup = {"MD": ("m1", "m2"), "WD": ("f1", "f2"), "XD": ("m3", "f1")}
    assert check(MIXED, lineup, played={"MD": ("m1", "m2")}) == []
    assert codes(check(MIXED, lineup, played={"MD": ("m1", "m4")})) == [("lineup.rubber_played", "MD")]


def test_every_problem_code_is_a_message_in_both_languages():
    found = set()
    for fmt, lineup in (
        (MIXED, {"MD": ("m1",), "WD": ("f1", "f1"), "QQ": ("x",)}),
        (MIXED, {"MD": ("x9", "gone"), "WD": ("m1", "m2"), "XD": ("m1", "m2")}),
        (B5, {"MS": ("m1",), "WS": ("f1",), "MD": ("m1", "m2"), "WD": ("f2", "f3"), "XD": ("m1", "f1")}),
        (B5, {"MS": ("f1",), "WS": ("m1",), "MD": ("m1", "m2"), "WD": ("f2", "f3"), "XD": ("m3", "f1")}),
        (SWAYTHLING, {"A": ("m1",), "B": ("m1",), "C": ("m2",)}),
    ):
        found |= {problem.code for problem in check(fmt, lineup, played={"MD": ("m3", "m4")})}
    found.add("lineup.two_singles")
    assert len(found) == 13
    for language in ("zh", "en"):
        assert all(catalogue(language).get(code) for code in found), language


def test_deadline_is_the_start_less_the_minutes_or_the_result():
    start = datetime(2026, 5, 9, 9, 0, tzinfo=UTC)
    assert deadline(start, None) == start - timedelta(minutes=30)
    assert deadline(start, LineupSettings(deadline_minutes=60)) == start - timedelta(hours=1)
    assert deadline(None, None) is None
    closes = deadline(start, None)
    assert not closed(start - timedelta(minutes=31), closes, result_entered=False)
    assert closed(start - timedelta(minutes=30), closes, result_entered=False)
    assert not closed(start, None, result_entered=False)
    assert closed(start, None, result_entered=True)


@pytest.mark.parametrize(
    ("submitted", "own", "official", "is_closed", "expected"),
    [
        ({"home"}, set(), False, False, False),  # the public before both are in
        ({"home"}, {"away"}, False, False, False),  # the other side before theirs is in
        ({"home"}, {"home"}, False, False, True),  # their own
        ({"home"}, set(), True, False, True),  # organisers and referees
        ({"home", "away"}, {"away"}, False, False, True),  # both in
        ({"home"}, set(), False, True, True),  # the deadline passed
        (set(), set(), True, True, False),  # nothing to show
    ],
)
def test_a_side_is_shown_to_others_once_both_are_in_or_the_deadline_passed(
    submitted, own, official, is_closed, expected
):
    assert shown("home", frozenset(submitted), frozenset(own), official, is_closed) is expected
