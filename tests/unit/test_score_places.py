"""Where a refused score is (issue 18 item 6): a problem inside a team tie names its rubber and game and keeps the
game's score and the problem itself, whether it is found while reading what was posted or while checking the tie."""

from __future__ import annotations

import pytest

from chalicelib.domain.competition.scoring import TIE_PRESETS, ScoreInvalid, result_from_input, tie_result

FIVE = TIE_PRESETS["badminton_5"]  # MS, WS, MD, WD, XD, all played
WIN = {"games": [[21, 15], [21, 18]]}


def _refused(payload) -> ScoreInvalid:
    with pytest.raises(ScoreInvalid) as caught:
        result_from_input(FIVE, payload)
    return caught.value


def test_an_unfinished_game_in_rubber_two_names_the_rubber_game_score_and_problem():
    problem = _refused({"rubbers": [WIN, {"games": [[21, 15], [15, 21], [21, 20]]}, WIN, WIN, WIN]})
    assert (problem.code, problem.reason) == ("rubber_invalid", "game_not_finished")
    assert (problem.rubber, problem.game, problem.score) == ("WS", 3, (21, 20))
    assert problem.message.startswith("rubber 2 (WS): game 3: 21–20")


def test_a_game_that_is_not_two_numbers_names_its_rubber_and_game_but_no_score():
    problem = _refused({"rubbers": [WIN, WIN, {"games": [[21, 15], [21, "x"]]}, WIN, WIN]})
    assert (problem.code, problem.reason, problem.rubber, problem.game, problem.score) == (
        "rubber_invalid",
        "game_invalid",
        "MD",
        2,
        None,
    )


def test_a_rubbers_own_problem_names_the_rubber_alone_and_a_tie_problem_names_nothing():
    no_winner = _refused({"rubbers": [WIN, WIN, WIN, {"outcome": "walkover"}, WIN]})
    assert (no_winner.reason, no_winner.rubber, no_winner.game) == ("no_winner", "WD", None)
    not_a_rubber = _refused({"rubbers": [WIN, "21-15", WIN, WIN, WIN]})
    assert (not_a_rubber.code, not_a_rubber.rubber) == ("rubbers_missing", None)
    too_many = _refused({"rubbers": [WIN] * 5 + [{"games": [[30, 31]]}]})
    assert (too_many.code, too_many.rubber) == ("rubber_count", None)  # one rubber too many, whatever is in it


def test_a_problem_found_by_the_tie_check_is_placed_the_same_way():
    checked = [result_from_input(FIVE.game, WIN)] * 4  # four rubbers won at home
    with pytest.raises(ScoreInvalid) as caught:
        tie_result(FIVE, [*checked, None])
    assert (caught.value.code, caught.value.rubber, caught.value.game) == ("not_decided", "XD", None)


def test_every_wrong_rubber_is_named_at_once():
    problem = _refused(
        {"rubbers": [WIN, {"games": [[21, 15], [15, 21], [21, 20]]}, WIN, {"games": [[22, 19], [21, 15]]}, WIN]}
    )
    places = [(each.rubber, each.game, each.reason) for each in (problem, *problem.others)]
    assert places == [("WS", 3, "game_not_finished"), ("WD", 1, "overshoot")]
