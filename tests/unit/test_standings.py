from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest

from chalicelib.domain.competition.model import AWAY, HOME, Match, MatchStatus, Outcome, Result, Slot
from chalicelib.domain.competition.standings import (
    PRESETS,
    Criterion,
    Mode,
    PointsScheme,
    StandingsError,
    TieBreakRules,
    TieReason,
    standings,
)
from chalicelib.i18n import translate

# ---------------------------------------------------------------- building results by hand


def _games(*games: tuple[int, int], outcome: Outcome = Outcome.PLAYED) -> Result:
    """A game-scored result (badminton, table tennis, volleyball): home/away = games won."""
    home = sum(h > a for h, a in games)
    away = sum(a > h for h, a in games)
    return Result(home, away, HOME if home > away else AWAY, games=tuple(games), outcome=outcome)


def _match(home: str, away: str, result: Result, status: MatchStatus = MatchStatus.DONE) -> Match:
    return Match(
        match_id=f"{home}-{away}",
        stage_id="st",
        bracket="A",
        round=1,
        order=1,
        home=Slot(entry=home),
        away=Slot(entry=away),
        status=status,
        result=result,
    )


def _played(home: str, away: str, *games: tuple[int, int]) -> Match:
    return _match(home, away, _games(*games))


def _score(home: str, away: str, home_score: int, away_score: int) -> Match:
    """A result without games (football goals, basketball points); equal scores are a draw."""
    winner = HOME if home_score > away_score else AWAY if away_score > home_score else None
    return _match(home, away, Result(home_score, away_score, winner))


def _tie(home: str, away: str, *rubbers: Result) -> Match:
    home_won = sum(r.winner == HOME for r in rubbers)
    away_won = len(rubbers) - home_won
    return _match(home, away, Result(home_won, away_won, HOME if home_won > away_won else AWAY, rubbers=rubbers))


def _order(table) -> list[str]:
    return [row.entry_id for row in table]


def _reasons(table) -> dict[str, TieReason | None]:
    return {row.entry_id: row.reason for row in table}


WIN_21_10 = ((21, 10), (21, 10))  # a 2–0 win: +2 games, +22 points
LOSS_10_21 = ((10, 21), (10, 21))

# ---------------------------------------------------------------- (a) BWF


def test_bwf_three_way_tie_game_difference_then_head_to_head():
    # A, B, C each win two (they beat each other in a circle and all beat D).
    #   A–B 2–0 (21-15 21-15); B–C 2–1 (21-19 10-21 21-19); C–A 2–1 (21-19 19-21 21-19);
    #   A–D 2–0, B–D 2–0 (21-18 21-18), C–D 2–1 (21-5 5-21 21-5).
    # Game difference: A 5–2 = +3; B 4–3 = +1; C 5–4 = +1. A is separated; B and C are then two, so their match
    # decides: B beat C. (Point difference would have put C first: B −12 −7 +6 = −13, C +7 +2 +16 = +25.)
    matches = [
        _played("A", "B", (21, 15), (21, 15)),
        _played("B", "C", (21, 19), (10, 21), (21, 19)),
        _played("C", "A", (21, 19), (19, 21), (21, 19)),
        _played("A", "D", (21, 10), (21, 10)),
        _played("B", "D", (21, 18), (21, 18)),
        _played("C", "D", (21, 5), (5, 21), (21, 5)),
    ]
    table = standings(["D", "C", "B", "A"], matches, PRESETS["badminton"], "seed")
    assert _order(table) == ["A", "B", "C", "D"]
    assert [row.rank for row in table] == [1, 2, 3, 4]
    a, b, c, d = table
    assert (a.won, a.lost, a.games_for, a.games_against, a.points_for, a.points_against) == (2, 1, 5, 2, 143, 111)
    assert (c.points_for - c.points_against, b.points_for - b.points_against) == (25, -13)
    assert a.reason == TieReason(Criterion.GAME_DIFF, "B", ("A", "B", "C"), "+3", "+1", among_tied_only=False)
    assert b.reason == TieReason(Criterion.HEAD_TO_HEAD, "C", ("B", "C"), "1", "0", among_tied_only=True)
    assert c.reason is None  # two wins against none: simply ahead on the first criterion
    assert d.reason is None


def test_bwf_team_three_way_tie_goes_to_rubber_difference_first():
    # X beat Y 3–0, Y beat Z 3–2, Z beat X 3–2 (every rubber 2–0, 21-10 21-10): one tie won each.
    # Rubbers: X 3+2 = 5 for, 0+3 = 3 against → +2; Y 0+3 = 3 / 3+2 = 5 → −2; Z 2+3 = 5 / 3+2 = 5 → 0.
    home_rubber, away_rubber = _games(*WIN_21_10), _games(*LOSS_10_21)
    matches = [
        _tie("X", "Y", home_rubber, home_rubber, home_rubber),
        _tie("Y", "Z", home_rubber, away_rubber, home_rubber, away_rubber, home_rubber),
        _tie("Z", "X", home_rubber, away_rubber, home_rubber, away_rubber, home_rubber),
    ]
    table = standings(["X", "Y", "Z"], matches, PRESETS["badminton_team"], "seed")
    assert _order(table) == ["X", "Z", "Y"]
    x = table[0]
    # X: rubbers 5–3, games 10–6, points 5 rubbers × 42 + 3 × 20 = 270 for, 5 × 20 + 3 × 42 = 226 against.
    assert (x.rubbers_for, x.rubbers_against, x.games_for, x.games_against) == (5, 3, 10, 6)
    assert (x.points_for, x.points_against, x.won, x.lost) == (270, 226, 1, 1)
    assert x.reason == TieReason(Criterion.RUBBER_DIFF, "Z", ("X", "Z", "Y"), "+2", "0", among_tied_only=False)
    assert table[1].reason == TieReason(Criterion.RUBBER_DIFF, "Y", ("X", "Z", "Y"), "0", "-2", among_tied_only=False)


def test_a_tie_given_by_walkover_counts_its_rubbers():
    # Y did not turn up against Z: Z is credited the 2 rubbers needed to win, with no games or points.
    won, lost = _games(*WIN_21_10), _games(*LOSS_10_21)
    matches = [
        _tie("X", "Y", won, lost, won),
        _match("Z", "Y", Result(2, 0, HOME, outcome=Outcome.WALKOVER)),
    ]
    rows = {row.entry_id: row for row in standings(["X", "Y", "Z"], matches, PRESETS["badminton_team"], "seed")}
    assert (rows["Z"].rubbers_for, rows["Z"].rubbers_against, rows["Z"].games_for, rows["Z"].points_for) == (2, 0, 0, 0)
    # Y: rubbers 1 + 0 for, 2 + 2 against; games 2 for, 4 against; one walkover lost.
    y = rows["Y"]
    assert (y.rubbers_for, y.rubbers_against, y.games_for, y.games_against, y.walkovers_lost) == (1, 4, 2, 4, 1)


def test_bwf_two_tied_at_the_top_level_use_their_match():
    # Two players, two legs, one win each: their head-to-head is level too, so game difference decides.
    matches = [_played("P", "Q", (21, 10), (21, 10)), _played("Q", "P", (21, 19), (15, 21), (21, 19))]
    table = standings(["P", "Q"], matches, PRESETS["badminton"], "seed")
    # Games: P 2+1 = 3 for, 0+2 = 2 against → +1; Q −1.
    assert _order(table) == ["P", "Q"]
    assert table[0].reason == TieReason(Criterion.GAME_DIFF, "Q", ("P", "Q"), "+1", "-1", among_tied_only=False)


# ---------------------------------------------------------------- (b), (c), (g) ITTF


def _three_nil(home: str, away: str) -> Match:
    return _played(home, away, (11, 0), (11, 0), (11, 0))


def test_ittf_tie_broken_among_the_tied_differs_from_overall():
    # X, Y, Z beat V and W and go round in a circle: X–Y 3–0, Y–Z 3–2, Z–X 3–0. Each has 7 match points.
    # Games among the three: X 3 for / 3 against = 1.000; Y 3/5 = 0.600; Z 5/3 = 1.667 → Z, X, Y.
    # Overall (X and Y win 3–0 twice more, Z 3–2 twice): X 9/3 = 3.000, Y 9/5 = 1.800, Z 11/7 = 1.571 → X, Y, Z.
    five_games = ((11, 9), (9, 11), (11, 9), (9, 11), (11, 9))
    matches = [
        _three_nil("X", "Y"),
        _played("Y", "Z", *five_games),
        _three_nil("Z", "X"),
        _three_nil("X", "V"),
        _three_nil("X", "W"),
        _three_nil("Y", "V"),
        _three_nil("Y", "W"),
        _played("Z", "V", *five_games),
        _played("Z", "W", *five_games),
        _three_nil("V", "W"),
    ]
    entries = ["V", "W", "X", "Y", "Z"]
    table = standings(entries, matches, PRESETS["table_tennis"], "seed")
    assert _order(table) == ["Z", "X", "Y", "V", "W"]
    assert [row.match_points for row in table] == [7, 7, 7, 5, 4]
    reasons = _reasons(table)
    assert reasons["Z"] == TieReason(Criterion.GAME_RATIO, "X", ("Z", "X", "Y"), "1.667", "1.000", among_tied_only=True)
    assert reasons["X"] == TieReason(Criterion.GAME_RATIO, "Y", ("Z", "X", "Y"), "1.000", "0.600", among_tied_only=True)
    assert reasons["Y"] is None and reasons["V"] is None

    # The same criteria counted over all matches order them the other way.
    overall = TieBreakRules((Criterion.MATCH_POINTS, Criterion.GAME_RATIO, Criterion.LOT), PointsScheme(2, 1))
    assert _order(standings(entries, matches, overall, "seed"))[:3] == ["X", "Y", "Z"]


def test_ittf_reapplies_from_match_points_to_the_ones_still_level():
    # P, Q, R beat S and go round in a circle, every match among them 3–1:
    #   P–Q 11-8 11-8 11-8 5-11 (P 38, Q 35); Q–R 11-9 11-9 11-9 5-11 (38, 38); R–P 11-9 11-9 11-9 2-11 (R 35, P 38).
    # Among the three: match points 3 each; games 4/4 each; points P 76/70 = 1.086, Q 73/76 = 0.961,
    # R 73/76 = 0.961. P is placed; Q and R start again among themselves only: match points, Q beat R.
    matches = [
        _played("P", "Q", (11, 8), (11, 8), (11, 8), (5, 11)),
        _played("Q", "R", (11, 9), (11, 9), (11, 9), (5, 11)),
        _played("R", "P", (11, 9), (11, 9), (11, 9), (2, 11)),
        _three_nil("P", "S"),
        _three_nil("Q", "S"),
        _three_nil("R", "S"),
    ]
    table = standings(["S", "R", "Q", "P"], matches, PRESETS["table_tennis"], "seed")
    assert _order(table) == ["P", "Q", "R", "S"]
    reasons = _reasons(table)
    assert reasons["P"] == TieReason(
        Criterion.POINT_RATIO, "Q", ("P", "Q", "R"), "1.086", "0.961", among_tied_only=True
    )
    assert reasons["Q"] == TieReason(Criterion.HEAD_TO_HEAD, "R", ("Q", "R"), "2", "1", among_tied_only=True)


def test_ittf_walkover_loss_earns_nothing():
    # P beats Q (played) and R (R did not turn up); Q and R beat S; S's losses are played.
    # Match points: P 2+2 = 4; Q 1+2 = 3; R 0+2 = 2; S 1+1 = 2. R beat S, so R is above S.
    walkover = _match("P", "R", Result(3, 0, HOME, outcome=Outcome.WALKOVER))
    matches = [_three_nil("P", "Q"), walkover, _three_nil("Q", "S"), _three_nil("R", "S")]
    table = standings(["P", "Q", "R", "S"], matches, PRESETS["table_tennis"], "seed")
    rows = {row.entry_id: row for row in table}
    assert _order(table) == ["P", "Q", "R", "S"]
    assert (rows["R"].played, rows["R"].lost, rows["R"].walkovers_lost, rows["R"].match_points) == (2, 1, 1, 2)
    assert (rows["Q"].lost, rows["Q"].walkovers_lost, rows["Q"].match_points) == (1, 0, 3)
    assert rows["R"].reason == TieReason(Criterion.HEAD_TO_HEAD, "S", ("R", "S"), "2", "1", among_tied_only=True)


# ---------------------------------------------------------------- (d) volleyball


def test_volleyball_no_set_lost_ranks_above_six_to_one():
    # T1 beat T3 and T4 3–0; T2 beat T3 3–1 and T4 3–0. Both: 2 wins, 6 ranking points.
    # Set ratio: T1 6/0 = ∞, T2 6/1 = 6.000. T3 beat T4 3–2: 2 ranking points to T3, 1 to T4 (FIVB).
    straight = ((25, 20), (25, 20), (25, 20))
    matches = [
        _played("T1", "T3", *straight),
        _played("T1", "T4", *straight),
        _played("T2", "T3", (25, 20), (20, 25), (25, 20), (25, 20)),
        _played("T2", "T4", *straight),
        _played("T3", "T4", (25, 20), (20, 25), (25, 20), (20, 25), (15, 10)),
    ]
    table = standings(["T4", "T3", "T2", "T1"], matches, PRESETS["volleyball"], "seed")
    assert _order(table) == ["T1", "T2", "T3", "T4"]
    assert [row.match_points for row in table] == [6, 6, 2, 1]
    assert table[0].reason == TieReason(Criterion.GAME_RATIO, "T2", ("T1", "T2"), "∞", "6.000", among_tied_only=False)
    assert table[1].reason is None  # two wins against one


def test_air_volleyball_order_is_configurable():
    # Everyone wins once and loses once (3 points each).
    #   A–C 21-10 10-21 15-10: A 2–1, points 46–41.   D–A 21-10 11-21 20-12: D 2–1, points 52–43.
    #   B–D 21-19 21-19: B 2–0, points 42–38.          C–B 21-9 19-21 15-10: C 2–1, points 55–40.
    # Sets: A 3/3 = 1.000, B 3/2 = 1.500, C 3/3 = 1.000, D 2/3 = 0.667.
    # Points: A 89/93 = 0.957, B 82/93 = 0.882, C 96/86 = 1.116, D 90/85 = 1.059.
    matches = [
        _played("A", "C", (21, 10), (10, 21), (15, 10)),
        _played("D", "A", (21, 10), (11, 21), (20, 12)),
        _played("B", "D", (21, 19), (21, 19)),
        _played("C", "B", (21, 9), (19, 21), (15, 10)),
    ]
    rules = PRESETS["air_volleyball"]  # points ratio before set ratio
    assert _order(standings(["A", "B", "C", "D"], matches, rules, "seed")) == ["C", "D", "A", "B"]
    sets_first = replace(rules, criteria=(Criterion.MATCH_POINTS, Criterion.GAME_RATIO, Criterion.POINT_RATIO))
    # Sets first: B; then A and C level on sets, C ahead on points; then D.
    table = standings(["A", "B", "C", "D"], matches, sets_first, "seed")
    assert _order(table) == ["B", "C", "A", "D"]
    assert table[1].reason == TieReason(Criterion.POINT_RATIO, "A", ("C", "A"), "1.116", "0.957", among_tied_only=False)


# ---------------------------------------------------------------- (e) football


def _football_table() -> list[Match]:
    # A, B and C go round in a circle and all beat D: A–B 4–1, B–C 4–2, C–A 5–4; A–D 1–0, B–D 1–0, C–D 5–0.
    # Each has 6 points. Goal difference overall: A +3 −1 +1 = +3; B −3 +2 +1 = 0; C −2 +1 +5 = +4.
    # Among the three: points 3 each; goal difference A +2, B −1, C −1; goals B 1+4 = 5, C 2+5 = 7.
    return [
        _score("A", "B", 4, 1),
        _score("B", "C", 4, 2),
        _score("C", "A", 5, 4),
        _score("A", "D", 1, 0),
        _score("B", "D", 1, 0),
        _score("C", "D", 5, 0),
    ]


def test_fifa_2022_ranks_on_overall_goal_difference():
    table = standings(["A", "B", "C", "D"], _football_table(), PRESETS["football_fifa_2022"], "seed")
    assert _order(table) == ["C", "A", "B", "D"]
    assert [(row.match_points, row.points_for, row.points_against) for row in table] == [
        (6, 12, 8),
        (6, 9, 6),
        (6, 6, 6),
        (0, 0, 7),
    ]
    reasons = _reasons(table)
    assert reasons["C"] == TieReason(Criterion.GOAL_DIFF, "A", ("C", "A", "B"), "+4", "+3", among_tied_only=False)
    assert reasons["A"] == TieReason(Criterion.GOAL_DIFF, "B", ("C", "A", "B"), "+3", "0", among_tied_only=False)
    assert reasons["B"] is None


def test_uefa_ranks_head_to_head_first_and_reapplies_it():
    # Head-to-head points: 3 each. Head-to-head goal difference: A +2, B −1, C −1 → A first. B and C start the
    # head-to-head criteria again between themselves only: B beat C, so B is second — although among all three C
    # scored more (7 to 5) and overall C's goal difference is better.
    table = standings(["A", "B", "C", "D"], _football_table(), PRESETS["football_uefa"], "seed")
    assert _order(table) == ["A", "B", "C", "D"]
    reasons = _reasons(table)
    assert reasons["A"] == TieReason(
        Criterion.HEAD_TO_HEAD_GOAL_DIFF, "B", ("A", "B", "C"), "+2", "-1", among_tied_only=True
    )
    assert reasons["B"] == TieReason(Criterion.HEAD_TO_HEAD, "C", ("B", "C"), "3", "0", among_tied_only=True)


def test_fifa_2026_ranks_head_to_head_first_as_uefa_does():
    """FIFA World Cup 2026 Regulations art. 13: head-to-head among the teams level comes before the overall goal
    difference, and is applied again among those still level, so this table comes out as UEFA's."""
    table = standings(["A", "B", "C", "D"], _football_table(), PRESETS["football_fifa"], "seed")
    assert _order(table) == ["A", "B", "C", "D"]
    reasons = _reasons(table)
    assert reasons["A"].rule == Criterion.HEAD_TO_HEAD_GOAL_DIFF
    assert reasons["B"] == TieReason(Criterion.HEAD_TO_HEAD, "C", ("B", "C"), "3", "0", among_tied_only=True)


def test_football_draws_and_counting_only_listed_done_matches():
    matches = [
        _score("A", "B", 2, 2),
        _score("A", "C", 1, 0),
        _score("B", "Z", 9, 0),  # Z is not in this table
        _match("B", "C", Result(5, 0, HOME), status=MatchStatus.VOID),
        _score("C", "B", 3, 0)._replace(status=MatchStatus.READY),
    ]
    table = standings(["A", "B", "C"], matches, PRESETS["football_fifa"], "seed")
    rows = {row.entry_id: row for row in table}
    assert (rows["A"].won, rows["A"].drawn, rows["A"].match_points) == (1, 1, 4)
    assert (rows["B"].played, rows["B"].drawn, rows["B"].match_points, rows["B"].points_for) == (1, 1, 1, 2)
    assert _order(table) == ["A", "B", "C"]


def test_basketball_two_for_a_win_one_for_a_loss():
    matches = [_score("A", "B", 80, 70), _score("B", "C", 66, 60), _score("C", "A", 90, 89)]
    table = standings(["A", "B", "C"], matches, PRESETS["basketball"], "seed")
    # 3 points each, head-to-head 3 each; point difference A +10 −1 = +9, B −10 +6 = −4, C −6 +1 = −5.
    assert _order(table) == ["A", "B", "C"]
    assert [row.match_points for row in table] == [3, 3, 3]
    assert table[0].reason == TieReason(Criterion.POINT_DIFF, "B", ("A", "B", "C"), "+9", "-4", among_tied_only=False)


# ---------------------------------------------------------------- (f) lot


def _lot_order(seed: str, entries: list[str]) -> list[str]:
    return sorted(entries, key=lambda entry: hashlib.sha256(f"{seed}:{entry}".encode()).hexdigest())


def test_lot_decides_a_perfect_tie_reproducibly():
    # A circle of identical 2–1 wins: level on wins, game and point difference; only the lot is left.
    same = ((21, 10), (10, 21), (21, 10))
    matches = [_played("A", "B", *same), _played("B", "C", *same), _played("C", "A", *same)]
    orders = set()
    for seed in (f"seed-{i}" for i in range(12)):
        table = standings(["A", "B", "C"], matches, PRESETS["badminton"], seed)
        assert _order(table) == _lot_order(seed, ["A", "B", "C"])
        assert _order(standings(["C", "B", "A"], matches, PRESETS["badminton"], seed)) == _order(table)
        assert [row.rank for row in table] == [1, 2, 3]
        first, second, _ = _order(table)
        reason = table[0].reason
        assert reason is not None
        assert (reason.rule, reason.against, reason.among) == (Criterion.LOT, second, tuple(_order(table)))
        assert reason.value == hashlib.sha256(f"{seed}:{first}".encode()).hexdigest()[:8]
        orders.add(tuple(_order(table)))
    assert len(orders) > 1


# ---------------------------------------------------------------- rules


def test_presets_have_labels_and_end_with_lot():
    assert set(PRESETS) == {
        "badminton",
        "badminton_team",
        "table_tennis",
        "volleyball",
        "air_volleyball",
        "football_fifa",
        "football_fifa_2022",
        "football_uefa",
        "basketball",
    }
    for rules in PRESETS.values():
        assert rules.label.startswith("competition.tiebreak.")
        assert translate(rules.label, "zh") != rules.label and translate(rules.label, "en") != rules.label
        assert rules.criteria[-1] == Criterion.LOT
    assert PRESETS["table_tennis"].mode == Mode.ITTF
    assert PRESETS["volleyball"].points == PointsScheme(win=3, loss=0, walkover_loss=0, deciding_game=(2, 1))


@pytest.mark.parametrize("name", ["volleyball", "football_uefa", "badminton"])
def test_rules_round_trip_through_dicts(name):
    rules = PRESETS[name]
    assert TieBreakRules.from_dict(rules.to_dict()) == rules


@pytest.mark.parametrize(
    ("criteria", "code"),
    [
        ((), "no_criteria"),
        ((Criterion.WINS, Criterion.WINS), "duplicate_criterion"),
        ((Criterion.WINS, Criterion.LOT, Criterion.GAME_DIFF), "lot_not_last"),
        ((Criterion.HEAD_TO_HEAD, Criterion.WINS), "bad_first_criterion"),
    ],
)
def test_invalid_rules(criteria, code):
    with pytest.raises(StandingsError) as caught:
        TieBreakRules(criteria, PointsScheme(win=1))
    assert caught.value.code == code


def test_unreadable_rules_and_bad_input():
    with pytest.raises(StandingsError) as caught:
        TieBreakRules.from_dict({"criteria": ["wins", "luck"], "points": {"win": 1}})
    assert caught.value.code == "bad_rules"
    with pytest.raises(StandingsError) as caught:
        standings(["A", "A"], [], PRESETS["badminton"], "seed")
    assert caught.value.code == "duplicate_entry"
    with pytest.raises(StandingsError) as caught:
        standings(["A", "B"], [_score("A", "B", 1, 0)._replace(result=None)], PRESETS["football_fifa"], "seed")
    assert caught.value.code == "result_missing"


def test_nothing_played_yet():
    table = standings(["A", "B"], [], PRESETS["football_fifa"], "seed")
    assert _order(table) == _lot_order("seed", ["A", "B"])
    assert all(row.played == 0 and row.match_points == 0 for row in table)
    assert standings([], [], PRESETS["football_fifa"], "seed") == []
