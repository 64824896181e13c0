"""Match formats and score validation: games, plain scores, walkovers, retirements, team ties, stored results."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.domain.competition.model import Outcome, Result
from chalicelib.domain.competition.scoring import (
    GAME_PRESETS,
    TIE_PRESETS,
    GameFormat,
    GameUnit,
    RubberSpec,
    ScoreFormat,
    ScoreInvalid,
    ScoreUnit,
    TieFormat,
    format_by_code,
    game_winner,
    match_result,
    result_from_input,
    score_result,
    tie_result,
    tie_walkover,
    validate_result,
)
from chalicelib.i18n import translate

BADMINTON = GAME_PRESETS["badminton"]
TABLE_TENNIS = GAME_PRESETS["table_tennis"]
VOLLEYBALL = GAME_PRESETS["volleyball"]
AIR_VOLLEYBALL = GAME_PRESETS["air_volleyball"]
FOOTBALL = GAME_PRESETS["football"]
BASKETBALL = GAME_PRESETS["basketball"]
SWAYTHLING = TIE_PRESETS["table_tennis_swaythling"]
OLYMPIC = TIE_PRESETS["table_tennis_olympic"]
BADMINTON_5 = TIE_PRESETS["badminton_5"]


def raises(code: str, call, *args, **kwargs) -> ScoreInvalid:
    with pytest.raises(ScoreInvalid) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


# ---------------------------------------------------------------- single games


@pytest.mark.parametrize(
    ("home", "away", "winner"),
    [
        (21, 19, "home"),
        (19, 21, "away"),
        (21, 0, "home"),
        (22, 20, "home"),
        (29, 27, "home"),
        (28, 30, "away"),
        (30, 28, "home"),
        (30, 29, "home"),
        (29, 30, "away"),
    ],
)
def test_finished_badminton_games(home, away, winner):
    """21–19 is a valid finished game under BWF Law 7 (21 points first; the 2-point lead only matters from 20-all).
    The issue's "21–19 invalid" example is read as the score at 21 that is not a finished game: 21–20."""
    assert game_winner(BADMINTON, home, away, deciding=False) == winner


@pytest.mark.parametrize(
    ("home", "away", "code"),
    [
        (21, 20, "game_not_finished"),  # a 1-point lead after 20-all
        (20, 18, "game_not_finished"),  # nobody has 21
        (20, 20, "game_not_finished"),
        (23, 20, "overshoot"),  # over at 22–20
        (30, 27, "overshoot"),  # over at 29–27
        (30, 30, "overshoot"),  # over at 30–29
        (31, 29, "over_cap"),  # 29-all: the 30th point wins
        (-1, 21, "negative_score"),
    ],
)
def test_badminton_scores_that_are_not_finished_games(home, away, code):
    raises(code, game_winner, BADMINTON, home, away, deciding=False)


def test_the_overshoot_message_names_the_score_the_game_ended_at():
    assert "22–20" in raises("overshoot", game_winner, BADMINTON, 23, 20, False).message


@pytest.mark.parametrize(
    ("home", "away", "winner"), [(11, 9, "home"), (12, 10, "home"), (9, 11, "away"), (18, 20, "away")]
)
def test_finished_table_tennis_games(home, away, winner):
    assert game_winner(TABLE_TENNIS, home, away, deciding=False) == winner


@pytest.mark.parametrize(
    ("home", "away", "code"),
    [(11, 10, "game_not_finished"), (13, 10, "overshoot"), (11, 11, "game_not_finished"), (12, 9, "overshoot")],
)
def test_table_tennis_scores_that_are_not_finished_games(home, away, code):
    raises(code, game_winner, TABLE_TENNIS, home, away, deciding=False)


def test_volleyball_sets_go_to_25_and_the_deciding_set_to_15():
    assert game_winner(VOLLEYBALL, 26, 24, deciding=False) == "home"
    assert game_winner(VOLLEYBALL, 15, 13, deciding=True) == "home"
    assert game_winner(VOLLEYBALL, 13, 15, deciding=True) == "away"
    raises("game_not_finished", game_winner, VOLLEYBALL, 15, 13, deciding=False)
    raises("game_not_finished", game_winner, VOLLEYBALL, 24, 23, deciding=False)


@pytest.mark.parametrize(("home", "away", "winner"), [(25, 23, "home"), (16, 18, "away")])
def test_a_deciding_volleyball_set_can_end_past_15_after_a_deuce(home, away, winner):
    """FIVB Rule 6.3.2: the 5th set goes to 15 with a 2-point lead and no cap, so a long deuce from 14-all can end
    25–23. (The issue's brief called 25–23 in set 5 invalid; under the rules it is not.)"""
    assert game_winner(VOLLEYBALL, home, away, deciding=True) == winner


@pytest.mark.parametrize(("home", "away"), [(25, 20), (17, 13), (16, 12)])
def test_a_deciding_volleyball_set_cannot_go_on_after_15_with_a_2_point_lead(home, away):
    raises("overshoot", game_winner, VOLLEYBALL, home, away, deciding=True)


def test_exactly_the_scores_rally_by_rally_play_can_end_on_are_finished_badminton_games():
    """Play every rally sequence from 0–0 (Law 7: 21 wins, from 20-all a 2-point lead, at 29-all the 30th point) and
    compare the scores where play stops with what game_winner accepts."""

    def ended(home: int, away: int) -> bool:
        high, low = max(home, away), min(home, away)
        return high == 30 or (high >= 21 and high - low >= 2)

    finished, in_play = set(), {(0, 0)}
    while in_play:
        home, away = in_play.pop()
        for after in ((home + 1, away), (home, away + 1)):
            (finished if ended(*after) else in_play).add(after)
    accepted = set()
    for home in range(33):
        for away in range(33):
            try:
                game_winner(BADMINTON, home, away, deciding=False)
            except ScoreInvalid:
                continue
            accepted.add((home, away))
    assert accepted == finished
    assert len(finished) == 2 * (20 + 9 + 1)  # 21–0…21–19, 22–20…30–28, 30–29, each way round


def test_air_volleyball_plays_its_third_set_to_15():
    assert game_winner(AIR_VOLLEYBALL, 21, 19, deciding=False) == "home"
    assert game_winner(AIR_VOLLEYBALL, 15, 12, deciding=True) == "home"
    raises("game_not_finished", game_winner, AIR_VOLLEYBALL, 15, 12, deciding=False)


# ---------------------------------------------------------------- best-of matches


def test_a_badminton_match_in_two_and_in_three_games():
    assert match_result(BADMINTON, [(21, 15), (21, 18)]) == Result(2, 0, "home", games=((21, 15), (21, 18)))
    assert match_result(BADMINTON, [[21, 15], [18, 21], [28, 30]]) == Result(
        1, 2, "away", games=((21, 15), (18, 21), (28, 30))
    )


def test_a_volleyball_match_uses_15_only_in_the_fifth_set():
    games = [(25, 20), (23, 25), (25, 27), (26, 24), (15, 13)]
    assert match_result(VOLLEYBALL, games) == Result(3, 2, "home", games=tuple(games))
    error = raises("game_not_finished", match_result, VOLLEYBALL, [(15, 13), (25, 20), (25, 20)])
    assert error.game == 1


def test_a_third_game_after_2_0_is_refused_when_play_stops_at_the_decision():
    error = raises("played_after_decided", match_result, BADMINTON, [(21, 15), (21, 18), (15, 21)])
    assert error.game == 3


def test_every_game_is_played_when_play_does_not_stop_and_more_games_win():
    all_three = replace(BADMINTON, stop_when_decided=False)
    games = ((21, 15), (21, 18), (15, 21))
    assert match_result(all_three, games) == Result(2, 1, "home", games=games)
    assert match_result(all_three, [(21, 15), (21, 18), (21, 3)]).home == 3
    assert match_result(all_three, [(15, 21), (21, 18), (19, 21)]) == Result(
        1, 2, "away", games=((15, 21), (21, 18), (19, 21))
    )
    raises("not_decided", match_result, all_three, [(21, 15), (21, 18)])


def test_too_many_or_too_few_games():
    raises("too_many_games", match_result, BADMINTON, [(21, 15), (15, 21), (21, 18), (21, 0)])
    raises("not_decided", match_result, BADMINTON, [(21, 15), (15, 21)])
    raises("not_decided", match_result, BADMINTON, [])


def test_an_invalid_game_keeps_its_code_and_says_which_game():
    error = raises("over_cap", match_result, BADMINTON, [(21, 15), (31, 29)])
    assert error.game == 2
    assert error.message.startswith("game 2:")


def test_a_single_game_match_at_the_cap():
    single = GAME_PRESETS["badminton_single_game"]
    assert match_result(single, [(30, 29)]) == Result(1, 0, "home", games=((30, 29),))
    raises("too_many_games", match_result, single, [(21, 10), (21, 10)])


# ---------------------------------------------------------------- retirements and walkovers


def test_a_retirement_mid_game_keeps_the_games_so_far_and_the_other_side_wins():
    result = match_result(BADMINTON, [(21, 15), (10, 8)], Outcome.RETIRED, retired="home")
    assert result == Result(1, 0, "away", games=((21, 15), (10, 8)), outcome=Outcome.RETIRED)


def test_a_retirement_between_games_and_in_a_deuce():
    assert match_result(TABLE_TENNIS, [(11, 3)], Outcome.RETIRED, retired="away") == Result(
        1, 0, "home", games=((11, 3),), outcome=Outcome.RETIRED
    )
    assert match_result(BADMINTON, [(25, 25)], Outcome.RETIRED, retired="away").winner == "home"


def test_a_retired_match_still_needs_possible_scores():
    raises("over_cap", match_result, BADMINTON, [(21, 15), (31, 29)], Outcome.RETIRED, retired="home")
    raises("overshoot", match_result, BADMINTON, [(21, 15), (30, 30)], Outcome.RETIRED, retired="home")
    error = raises("game_not_finished", match_result, BADMINTON, [(10, 8), (21, 15)], Outcome.RETIRED, retired="home")
    assert error.game == 1
    raises("already_decided", match_result, BADMINTON, [(21, 15), (21, 15)], Outcome.RETIRED, retired="away")
    raises("played_after_decided", match_result, BADMINTON, [(21, 1), (21, 1), (3, 2)], Outcome.RETIRED, retired="away")
    raises("no_games", match_result, BADMINTON, [], Outcome.RETIRED, retired="away")
    raises("no_winner", match_result, BADMINTON, [(10, 8)], Outcome.RETIRED)


def test_a_walkover_credits_the_games_needed_to_win_and_has_no_games():
    assert match_result(BADMINTON, [], Outcome.WALKOVER, walkover_winner="home") == Result(
        2, 0, "home", outcome=Outcome.WALKOVER
    )
    assert match_result(TABLE_TENNIS, [], Outcome.WALKOVER, walkover_winner="away") == Result(
        0, 3, "away", outcome=Outcome.WALKOVER
    )
    raises("walkover_with_play", match_result, BADMINTON, [(21, 0)], Outcome.WALKOVER, walkover_winner="home")
    raises("no_winner", match_result, BADMINTON, [], Outcome.WALKOVER)
    raises("bad_outcome", match_result, BADMINTON, [(21, 0), (21, 0)], walkover_winner="home")
    raises("bad_outcome", match_result, BADMINTON, [(21, 0), (21, 0)], retired="away")


# ---------------------------------------------------------------- scores without games


def test_football_allows_draws_and_basketball_does_not():
    assert score_result(FOOTBALL, 2, 2) == Result(2, 2, None)
    assert score_result(FOOTBALL, 0, 1) == Result(0, 1, "away")
    assert score_result(BASKETBALL, 81, 77) == Result(81, 77, "home")
    raises("draw_not_allowed", score_result, BASKETBALL, 80, 80)
    raises("negative_score", score_result, FOOTBALL, -1, 0)


def test_football_counts_goals_and_every_other_preset_counts_points():
    """How a score is shown belongs to the format: a football table words its difference in goals (issue 16, 7)."""
    units = {code: fmt.score_unit for code, fmt in {**GAME_PRESETS, **TIE_PRESETS}.items()}
    assert {code for code, unit in units.items() if unit is ScoreUnit.GOALS} == {"football"}
    assert units["basketball"] is ScoreUnit.POINTS and units["badminton_mixed_3"] is ScoreUnit.POINTS
    assert ScoreFormat("handball", "handball", True, (10, 0), ScoreUnit.GOALS).score_unit == "goals"


def test_volleyball_plays_sets_and_the_other_game_sports_games():
    units = {code: fmt.game_unit for code, fmt in {**GAME_PRESETS, **TIE_PRESETS}.items()}
    assert {code for code, unit in units.items() if unit is GameUnit.SETS} == {"volleyball", "air_volleyball"}
    assert units["badminton"] is GameUnit.GAMES and units["table_tennis_olympic"] is GameUnit.GAMES


def test_forfeits_are_3_0_in_football_and_20_0_in_basketball():
    assert score_result(FOOTBALL, 0, 0, Outcome.WALKOVER, walkover_winner="home") == Result(
        3, 0, "home", outcome=Outcome.WALKOVER
    )
    assert score_result(BASKETBALL, 0, 0, Outcome.WALKOVER, walkover_winner="away") == Result(
        0, 20, "away", outcome=Outcome.WALKOVER
    )
    raises("walkover_with_play", score_result, FOOTBALL, 1, 0, Outcome.WALKOVER, walkover_winner="home")
    raises("bad_outcome", score_result, FOOTBALL, 1, 0, Outcome.RETIRED)
    raises("bad_outcome", score_result, FOOTBALL, 1, 0, walkover_winner="home")


# ---------------------------------------------------------------- team ties

TT_HOME = Result(3, 0, "home", games=((11, 5), (11, 5), (11, 5)))
TT_AWAY = Result(1, 3, "away", games=((11, 9), (5, 11), (9, 11), (10, 12)))


def test_table_tennis_team_orders_and_labels():
    assert [(r.code, r.home_label, r.away_label) for r in SWAYTHLING.rubbers] == [
        ("AX", "A", "X"),
        ("BY", "B", "Y"),
        ("CZ", "C", "Z"),
        ("AY", "A", "Y"),
        ("BX", "B", "X"),
    ]
    assert [(r.code, r.players, r.home_label, r.away_label) for r in OLYMPIC.rubbers] == [
        ("D", 2, "BC", "YZ"),
        ("AX", 1, "A", "X"),
        ("CZ", 1, "C", "Z"),
        ("AY", 1, "A", "Y"),
        ("BX", 1, "B", "X"),
    ]
    assert SWAYTHLING.wins_needed == OLYMPIC.wins_needed == 3
    assert SWAYTHLING.game == TABLE_TENNIS


def test_badminton_team_formats():
    assert [translate(r.name, "zh") for r in BADMINTON_5.rubbers] == ["男单", "女单", "男双", "女双", "混双"]
    assert [translate(r.name, "zh") for r in TIE_PRESETS["badminton_3"].rubbers] == ["第一单打", "双打", "第二单打"]
    assert [r.code for r in TIE_PRESETS["badminton_mixed_3"].rubbers] == ["MD", "WD", "XD"]
    assert TIE_PRESETS["badminton_mixed_3"].wins_needed == 2
    assert BADMINTON_5.game == BADMINTON
    assert not BADMINTON_5.stop_when_decided


def test_a_swaythling_tie_stops_at_3_1():
    rubbers = [TT_HOME, TT_AWAY, TT_HOME, TT_HOME, None]
    assert tie_result(SWAYTHLING, rubbers) == Result(3, 1, "home", rubbers=(TT_HOME, TT_AWAY, TT_HOME, TT_HOME))
    error = raises("played_after_decided", tie_result, SWAYTHLING, [TT_HOME, TT_AWAY, TT_HOME, TT_HOME, TT_AWAY])
    assert error.rubber == "BX"


def test_a_tie_won_3_2_plays_all_five():
    rubbers = (TT_AWAY, TT_HOME, TT_AWAY, TT_HOME, TT_HOME)
    assert tie_result(OLYMPIC, rubbers) == Result(3, 2, "home", rubbers=rubbers)


def test_a_tie_that_plays_every_rubber_needs_them_all():
    bd_home = Result(2, 0, "home", games=((21, 10), (21, 10)))
    bd_away = Result(1, 2, "away", games=((21, 10), (10, 21), (10, 21)))
    rubbers = (bd_home, bd_home, bd_home, bd_away, bd_away)
    assert tie_result(BADMINTON_5, rubbers) == Result(3, 2, "home", rubbers=rubbers)
    raises("not_decided", tie_result, BADMINTON_5, [bd_home, bd_home, bd_home, None, None])


def test_a_tie_needs_its_rubbers_in_order_and_a_decision():
    error = raises("rubber_missing", tie_result, SWAYTHLING, [TT_HOME, None, TT_HOME, TT_HOME, None])
    assert error.rubber == "BY"
    raises("not_decided", tie_result, SWAYTHLING, [TT_HOME, TT_HOME, None, None, None])
    raises("rubber_count", tie_result, SWAYTHLING, [TT_HOME, TT_HOME, TT_HOME])


def test_each_rubber_is_checked_against_the_game_format():
    unfinished = Result(3, 0, "home", games=((11, 5), (11, 5), (11, 10)))
    error = raises("rubber_invalid", tie_result, SWAYTHLING, [TT_HOME, TT_HOME, unfinished, None, None])
    assert (error.rubber, error.game) == ("CZ", 3)
    assert error.message.startswith("rubber 3 (CZ): game 3:")
    no_winner = Result(0, 0, None)
    assert raises("rubber_invalid", tie_result, SWAYTHLING, [no_winner, TT_HOME, TT_HOME, TT_HOME, None]).rubber == "AX"


def test_a_rubber_can_be_a_walkover_and_a_whole_tie_can_be_one():
    walkover = Result(0, 3, "away", outcome=Outcome.WALKOVER)
    assert tie_result(SWAYTHLING, [walkover, walkover, walkover, None, None]).winner == "away"
    assert tie_walkover(SWAYTHLING, "away") == Result(0, 3, "away", outcome=Outcome.WALKOVER)
    assert tie_walkover(TIE_PRESETS["badminton_3"], "home") == Result(2, 0, "home", outcome=Outcome.WALKOVER)
    raises("no_winner", tie_walkover, SWAYTHLING, "draw")


# ---------------------------------------------------------------- stored and posted results


@pytest.mark.parametrize(
    ("fmt", "result"),
    [
        (BADMINTON, Result(2, 1, "home", games=((21, 15), (18, 21), (30, 29)))),
        (BADMINTON, Result(1, 0, "away", games=((21, 15), (10, 8)), outcome=Outcome.RETIRED)),
        (BADMINTON, Result(0, 2, "away", outcome=Outcome.WALKOVER)),
        (FOOTBALL, Result(1, 1, None)),
        (BASKETBALL, Result(20, 0, "home", outcome=Outcome.WALKOVER)),
        (SWAYTHLING, Result(3, 1, "home", rubbers=(TT_HOME, TT_AWAY, TT_HOME, TT_HOME))),
        (OLYMPIC, Result(0, 3, "away", outcome=Outcome.WALKOVER)),
    ],
)
def test_a_valid_result_survives_a_trip_through_json(fmt, result):
    assert validate_result(fmt, Result.from_dict(result.to_dict())) == result


@pytest.mark.parametrize(
    ("fmt", "result"),
    [
        (BADMINTON, Result(2, 0, "home", games=((21, 15), (18, 21), (21, 19)))),  # the games give 2–1
        (BADMINTON, Result(2, 1, "away", games=((21, 15), (18, 21), (21, 19)))),  # the wrong winner
        (BADMINTON, Result(2, 0, "home", games=((21, 15), (21, 19)), rubbers=(TT_HOME,))),
        (FOOTBALL, Result(3, 1, "away")),
        (FOOTBALL, Result(2, 0, "home", outcome=Outcome.WALKOVER)),  # a football forfeit is 3–0
        (SWAYTHLING, Result(3, 0, "home", rubbers=(TT_HOME, TT_AWAY, TT_HOME, TT_HOME))),
    ],
)
def test_a_result_that_its_play_does_not_give_is_refused(fmt, result):
    raises("result_mismatch", validate_result, fmt, result)


def test_posted_results_are_checked_like_entered_ones():
    raises("game_not_finished", validate_result, BADMINTON, Result(2, 0, "home", games=((21, 15), (21, 20))))
    raises(
        "no_winner", validate_result, BADMINTON, Result(1, 0, None, games=((21, 15), (3, 2)), outcome=Outcome.RETIRED)
    )
    raises("walkover_with_play", validate_result, BADMINTON, Result(2, 0, "home", ((21, 0),), outcome=Outcome.WALKOVER))
    raises(
        "bad_outcome", validate_result, SWAYTHLING, Result(1, 0, "home", rubbers=(TT_HOME,), outcome=Outcome.RETIRED)
    )
    too_many = Result(6, 0, "home", rubbers=(TT_HOME,) * 6)
    raises("rubber_count", validate_result, SWAYTHLING, too_many)


# ---------------------------------------------------------------- formats and presets


def test_formats_are_found_by_code():
    assert format_by_code("badminton") == GameFormat(
        "badminton", "competition.format.badminton", best_of=3, points=21, cap=30
    )
    assert isinstance(format_by_code("football"), ScoreFormat)
    assert format_by_code("table_tennis_olympic") is OLYMPIC
    assert (format_by_code("table_tennis_bo7").best_of, format_by_code("table_tennis_bo3").best_of) == (7, 3)
    assert (AIR_VOLLEYBALL.best_of, AIR_VOLLEYBALL.points, AIR_VOLLEYBALL.deciding_points, AIR_VOLLEYBALL.cap) == (
        3,
        21,
        15,
        None,
    )
    raises("unknown_format", format_by_code, "croquet")


def test_preset_names_are_message_ids_with_text_in_both_languages():
    """Issue 16, item 2: the catalogue holds the names; a rubber's name is filled in with its order letters."""
    presets = {**GAME_PRESETS, **TIE_PRESETS}
    for fmt in presets.values():
        assert fmt.name == f"competition.format.{fmt.code}"
        assert translate(fmt.name, "zh") != fmt.name and translate(fmt.name, "en") != fmt.name
    assert (translate(BADMINTON.name, "zh"), translate(BADMINTON.name, "en")) == (
        "羽毛球 三局两胜 21分",
        "Badminton, best of 3 games to 21",
    )
    assert [translate(r.name, "en", **r.name_params()) for r in OLYMPIC.rubbers[:2]] == [
        "Doubles BC–YZ",
        "Singles A–X",
    ]
    assert [translate(r.name, "zh") for r in TIE_PRESETS["badminton_5"].rubbers] == [
        "男单",
        "女单",
        "男双",
        "女双",
        "混双",
    ]


def test_impossible_formats_are_refused():
    raises("format_invalid", GameFormat, "x", "x", best_of=2, points=21)
    raises("format_invalid", GameFormat, "x", "x", best_of=3, points=21, cap=21)
    raises("format_invalid", GameFormat, "x", "x", best_of=3, points=21, win_by=0)
    raises("format_invalid", RubberSpec, "T", "triples", 3)
    singles = RubberSpec("S", "singles", 1)
    raises("format_invalid", TieFormat, "x", "x", (singles, replace(singles, code="S2")), BADMINTON, True)
    raises("format_invalid", TieFormat, "x", "x", (singles, singles, singles), BADMINTON, True)


# ---------------------------------------------------------------- results as entered


def test_entered_games_become_a_checked_result():
    result = result_from_input(GAME_PRESETS["badminton"], {"games": [[21, 15], [19, 21], [21, 17]]})
    assert (result.home, result.away, result.winner) == (2, 1, "home")


def test_entered_scores_are_checked_against_the_format():
    with pytest.raises(ScoreInvalid) as error:
        result_from_input(GAME_PRESETS["badminton"], {"games": [[21, 15], [31, 29]]})
    assert error.value.code == "over_cap"
    with pytest.raises(ScoreInvalid) as error:
        result_from_input(GAME_PRESETS["badminton"], {"games": [[21, "15"]]})
    assert error.value.code == "game_invalid"
    with pytest.raises(ScoreInvalid) as error:
        result_from_input(GAME_PRESETS["badminton"], {"outcome": "forfeited"})
    assert error.value.code == "bad_outcome"


def test_entered_walkover_and_score_formats():
    walkover = result_from_input(GAME_PRESETS["badminton"], {"outcome": "walkover", "winner": "away"})
    assert (walkover.winner, walkover.outcome) == ("away", Outcome.WALKOVER)
    football = result_from_input(GAME_PRESETS["football"], {"score": [1, 1]})
    assert football.winner is None
    with pytest.raises(ScoreInvalid):
        result_from_input(GAME_PRESETS["basketball"], {"score": [70, 70]})


def test_entered_team_tie_rubber_by_rubber():
    tie = TIE_PRESETS["table_tennis_swaythling"]
    win = {"games": [[11, 5], [11, 7], [11, 9]]}
    loss = {"games": [[5, 11], [7, 11], [9, 11]]}
    result = result_from_input(tie, {"rubbers": [win, loss, win, win, None]})
    assert (result.home, result.away, result.winner, len(result.rubbers)) == (3, 1, "home", 4)
    with pytest.raises(ScoreInvalid) as error:
        result_from_input(tie, {"rubbers": [win, win, win, win, None]})
    assert error.value.code == "played_after_decided"
