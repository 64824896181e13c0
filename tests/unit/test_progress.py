"""Playing results through brackets: match counts with byes and every grand final, the reset, byes in the losers'
bracket, corrections, and placings."""

from __future__ import annotations

import random

import pytest

from chalicelib.domain.competition.draws import draw_bracket, draw_rng
from chalicelib.domain.competition.elimination import GrandFinal, double_elimination, single_elimination
from chalicelib.domain.competition.model import AWAY, HOME, Entry, MatchStatus, Result
from chalicelib.domain.competition.progress import ProgressError, correct, placings, record, settle

HOME_WINS = Result(2, 0, HOME, games=((21, 10), (21, 12)))
AWAY_WINS = Result(0, 2, AWAY, games=((10, 21), (12, 21)))


def built(matches):
    by_id = {m.match_id: m for m in matches}
    by_id.update(settle(by_id))
    return by_id


def line_of(count, seed="s"):
    entries = [Entry(f"e{i}", f"E{i}", f"u{i % 5}", i + 1 if i < 2 else None) for i in range(count)]
    return draw_bracket(entries, draw_rng(seed, "test"))


def play_out(by_id, rng, choose=None):
    while ready := [m for m in by_id.values() if m.status == MatchStatus.READY]:
        match = ready[0]
        result = choose(match) if choose else rng.choice((HOME_WINS, AWAY_WINS))
        by_id.update(record(by_id, match.match_id, result))
    return by_id


def played(by_id):
    return sum(m.status == MatchStatus.DONE for m in by_id.values())


@pytest.mark.parametrize("count", [2, 5, 6, 8, 12, 27, 32])
def test_single_elimination_plays_n_minus_one_matches_plus_the_third_place(count):
    rng = random.Random(count)
    assert played(play_out(built(single_elimination("s", line_of(count))), rng)) == count - 1
    if count >= 4:
        assert played(play_out(built(single_elimination("s", line_of(count), third_place=True)), rng)) == count


@pytest.mark.parametrize("count", [4, 5, 6, 12, 27, 64])
def test_double_elimination_counts_by_grand_final(count):
    rng = random.Random(count)
    none = play_out(built(double_elimination("d", line_of(count), GrandFinal.NONE)), rng)
    assert played(none) == 2 * count - 3
    single = play_out(built(double_elimination("d", line_of(count), GrandFinal.SINGLE)), rng)
    assert played(single) == 2 * count - 2

    # With a reset: 2N−2 when the winners' side wins the first final (the reset is void), 2N−1 when it is played.
    def gf_home(match):
        return HOME_WINS if match.bracket == "GF" else rng.choice((HOME_WINS, AWAY_WINS))

    def gf1_away(match):
        return AWAY_WINS if match.match_id == "GF1" else rng.choice((HOME_WINS, AWAY_WINS))

    winners_side = play_out(built(double_elimination("d", line_of(count), GrandFinal.RESET)), rng, gf_home)
    assert played(winners_side) == 2 * count - 2 and winners_side["GF2"].status == MatchStatus.VOID
    reset = play_out(built(double_elimination("d", line_of(count), GrandFinal.RESET)), rng, gf1_away)
    assert played(reset) == 2 * count - 1 and reset["GF2"].status == MatchStatus.DONE


def test_every_entry_is_placed_once_and_the_champion_never_lost_twice():
    rng = random.Random(7)
    by_id = play_out(built(double_elimination("d", line_of(27), GrandFinal.RESET)), rng)
    places = placings(by_id)
    assert sorted(entry for _, entry in places) == sorted(f"e{i}" for i in range(27))
    champion = places[0][1]
    losses = sum(m.loser == champion for m in by_id.values())
    assert places[0][0] == 1 and losses <= 1


def test_a_bye_wins_without_play_and_a_bye_in_the_losers_bracket_passes_the_entry_on():
    by_id = built(double_elimination("d", line_of(6), GrandFinal.SINGLE))
    byes = [m for m in by_id.values() if m.status == MatchStatus.BYE]
    assert {m.winner for m in byes if m.bracket == "W"} == {"e0", "e1"}  # the two seeds
    # The losers of the two bye matches are byes: they meet the losers of the two played first-round matches.
    assert all(m.status in (MatchStatus.WAITING, MatchStatus.BYE) for m in by_id.values() if m.bracket == "L")


def test_recording_twice_or_before_both_sides_are_known_is_refused():
    by_id = built(single_elimination("s", ["a", "b", "c", "d"]))
    with pytest.raises(ProgressError) as waiting:
        record(by_id, "W2-1", HOME_WINS)
    assert waiting.value.code == "not_ready"
    by_id.update(record(by_id, "W1-1", HOME_WINS))
    with pytest.raises(ProgressError) as twice:
        record(by_id, "W1-1", AWAY_WINS)
    assert twice.value.code == "already_played"
    with pytest.raises(ProgressError) as draw:
        record(by_id, "W1-2", Result(1, 1, None))
    assert draw.value.code == "winner_required"


def test_a_correction_moves_the_new_winner_on_and_is_refused_once_the_next_match_is_played():
    by_id = built(single_elimination("s", ["a", "b", "c", "d"], third_place=True))
    by_id.update(record(by_id, "W1-1", HOME_WINS))
    by_id.update(record(by_id, "W1-2", HOME_WINS))
    assert (by_id["W2-1"].home.entry, by_id["3P"].home.entry) == ("a", "b")
    changed = correct(by_id, "W1-1", AWAY_WINS)
    assert set(changed) == {"W1-1", "W2-1", "3P"}
    by_id.update(changed)
    assert (by_id["W2-1"].home.entry, by_id["3P"].home.entry) == ("b", "a")
    by_id.update(record(by_id, "W2-1", HOME_WINS))
    with pytest.raises(ProgressError) as refused:
        correct(by_id, "W1-1", HOME_WINS)
    assert refused.value.code == "dependents_played" and refused.value.matches == ("W2-1",)
    # Same winner, new score: always allowed, and nothing else changes.
    assert set(correct(by_id, "W1-1", Result(0, 2, AWAY, games=((19, 21), (20, 22))))) == {"W1-1"}


def test_a_corrected_first_grand_final_brings_the_reset_back():
    by_id = built(double_elimination("d", ["a", "b"], GrandFinal.RESET))
    by_id = play_out(by_id, random.Random(1), lambda m: HOME_WINS)
    assert by_id["GF2"].status == MatchStatus.VOID
    by_id.update(correct(by_id, "GF1", AWAY_WINS))
    assert by_id["GF2"].status == MatchStatus.READY
