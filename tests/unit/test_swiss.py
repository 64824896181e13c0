from __future__ import annotations

import random

import pytest

from chalicelib.domain.competition.model import MatchStatus
from chalicelib.domain.competition.round_robin import ScheduleError
from chalicelib.domain.competition.swiss import swiss_round, swiss_round_count


def _pairs(matches):
    return [(m.home.entry, m.away.entry) for m in matches if not m.away.bye]


def _simulate(n: int, rounds: int, seed: int) -> None:
    """Plays ``rounds`` Swiss rounds with random winners, checking every round as it is paired."""
    entries = [f"p{i}" for i in range(1, n + 1)]
    rng = random.Random(seed)
    score = dict.fromkeys(entries, 0)
    played: set[frozenset[str]] = set()
    had_bye: set[str] = set()
    for round_ in range(1, rounds + 1):
        ranking = sorted(entries, key=lambda e: (-score[e], entries.index(e)))
        matches = swiss_round("st", round_, ranking, played, had_bye)
        pairs = [frozenset(pair) for pair in _pairs(matches)]
        assert not set(pairs) & played, f"rematch in round {round_}"
        byes = [m.home.entry for m in matches if m.away.bye]
        assert len(byes) == n % 2 and not set(byes) & had_bye
        seen = [entry for pair in pairs for entry in pair] + byes
        assert sorted(seen) == sorted(entries)
        assert [m.match_id for m in matches] == [f"S{round_}-{board}" for board in range(1, len(matches) + 1)]
        played |= set(pairs)
        had_bye |= set(byes)
        for bye in byes:
            score[bye] += 1
        for pair in pairs:
            score[rng.choice(sorted(pair))] += 1


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("n", [8, 9])
def test_no_rematch_over_simulated_rounds(n, seed):
    _simulate(n, rounds=swiss_round_count(n) + 1, seed=seed)


def test_first_round_pairs_down_the_ranking():
    matches = swiss_round("st", 1, ["a", "b", "c", "d", "e", "f"], played=set(), had_bye=set())
    assert _pairs(matches) == [("a", "b"), ("c", "d"), ("e", "f")]
    assert all(m.status == MatchStatus.READY and m.bracket == "S" and m.round == 1 for m in matches)


def test_bye_goes_to_the_lowest_ranked_without_one():
    ranking = ["a", "b", "c", "d", "e"]
    matches = swiss_round("st", 3, ranking, played=set(), had_bye={"e"})
    # e (last) has had a bye, so d sits out; the rest pair down the list: a–b, c–e.
    assert _pairs(matches) == [("a", "b"), ("c", "e")]
    bye = matches[-1]
    assert (bye.match_id, bye.home.entry, bye.away.bye, bye.status) == ("S3-3", "d", True, MatchStatus.BYE)
    assert bye.winner == "d"


def test_bye_moves_up_when_the_rest_could_not_be_paired():
    ranking = ["a", "b", "c", "d", "e"]
    played = {frozenset(p) for p in [("a", "b"), ("a", "c"), ("a", "d")]}
    matches = swiss_round("st", 4, ranking, played, had_bye=set())
    # With e sitting out, a has nobody new left among b, c, d; so the next lowest, d, sits out and a meets e.
    assert _pairs(matches) == [("a", "e"), ("b", "c")]
    assert matches[-1].home.entry == "d"


def test_backtracks_when_greedy_forces_a_rematch_at_the_bottom():
    ranking = ["a", "b", "c", "d", "e", "f"]
    played = {frozenset(("e", "f"))}
    # Greedy gives a–b, c–d and leaves e–f, who have met. Backtracking keeps a–b (it is not the problem) and
    # re-pairs the next board down: c takes e, then d–f.
    assert _pairs(swiss_round("st", 2, ranking, played, had_bye=set())) == [("a", "b"), ("c", "e"), ("d", "f")]


def test_backtracks_all_the_way_to_the_top_board():
    ranking = ["a", "b", "c", "d"]
    played = {frozenset(p) for p in [("a", "b"), ("c", "d"), ("b", "d")]}
    # a cannot meet b; a–c would leave b–d (met); so a–d and b–c.
    assert _pairs(swiss_round("st", 3, ranking, played, had_bye=set())) == [("a", "d"), ("b", "c")]


def test_no_pairing_without_a_rematch():
    played = {frozenset(p) for p in [("a", "b"), ("a", "c"), ("a", "d")]}
    with pytest.raises(ScheduleError) as caught:
        swiss_round("st", 4, ["a", "b", "c", "d"], played, had_bye=set())
    assert caught.value.code == "no_pairing"


def test_odd_field_where_everyone_had_a_bye():
    with pytest.raises(ScheduleError) as caught:
        swiss_round("st", 4, ["a", "b", "c"], played=set(), had_bye={"a", "b", "c"})
    assert caught.value.code == "no_bye"


@pytest.mark.parametrize(
    ("ranking", "round_", "code"), [(["a", "a"], 1, "duplicate_entry"), (["a", "b"], 0, "bad_round")]
)
def test_invalid_input(ranking, round_, code):
    with pytest.raises(ScheduleError) as caught:
        swiss_round("st", round_, ranking, played=set(), had_bye=set())
    assert caught.value.code == code


@pytest.mark.parametrize(("n", "rounds"), [(1, 0), (2, 1), (3, 2), (4, 2), (5, 3), (8, 3), (9, 4), (16, 4), (17, 5)])
def test_round_count(n, rounds):
    assert swiss_round_count(n) == rounds
