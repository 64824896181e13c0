from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable

import pytest

from chalicelib.domain.competition.elimination import (
    BracketError,
    GrandFinal,
    double_elimination,
    round_count,
    round_names,
    single_elimination,
)
from chalicelib.domain.competition.model import BYE, Match, MatchStatus, Slot, loser_of, winner_of


def line_of(count: int) -> list[str | None]:
    return [f"e{number}" for number in range(1, count + 1)]


def sources(matches: list[Match]) -> Counter[str]:
    """How often each ``W:<id>`` / ``L:<id>`` is used as a slot's source."""
    return Counter(slot.source for match in matches for slot in (match.home, match.away) if slot.source)


def play(matches: list[Match], home_wins: Callable[[Match], bool]) -> list[tuple[Match, str, str]]:
    """A tiny resolver for a bracket without byes: plays the matches in order, returning (match, home, away)."""
    winners: dict[str, str] = {}
    losers: dict[str, str] = {}
    played = []
    for match in matches:
        sides = []
        for slot in (match.home, match.away):
            if slot.entry:
                sides.append(slot.entry)
            else:
                kind, _, feeder = (slot.source or "").partition(":")
                sides.append(winners[feeder] if kind == "W" else losers[feeder])
        home, away = sides
        winner, loser = (home, away) if home_wins(match) else (away, home)
        winners[match.match_id], losers[match.match_id] = winner, loser
        played.append((match, home, away))
    return played


# --- single elimination --------------------------------------------------------------------------------------------


def test_single_elimination_of_8():
    matches = single_elimination("s1", line_of(8))
    assert [m.match_id for m in matches] == ["W1-1", "W1-2", "W1-3", "W1-4", "W2-1", "W2-2", "W3-1"]
    assert {m.bracket for m in matches} == {"W"}
    assert {m.stage_id for m in matches} == {"s1"}
    assert (matches[1].home, matches[1].away) == (Slot(entry="e3"), Slot(entry="e4"))
    assert (matches[1].round, matches[1].order) == (1, 2)
    assert (matches[5].home, matches[5].away) == (winner_of("W1-3"), winner_of("W1-4"))
    assert (matches[6].home, matches[6].away) == (winner_of("W2-1"), winner_of("W2-2"))
    assert [m.status for m in matches] == [MatchStatus.READY] * 4 + [MatchStatus.WAITING] * 3


def test_third_place_match_pairs_the_semi_final_losers():
    matches = single_elimination("s1", line_of(8), third_place=True)
    third = matches[-1]
    assert (third.match_id, third.bracket, third.round, third.order) == ("3P", "3P", 3, 1)
    assert (third.home, third.away) == (loser_of("W2-1"), loser_of("W2-2"))
    assert third.status == MatchStatus.WAITING


def test_no_third_place_match_without_semi_finals():
    assert [m.match_id for m in single_elimination("s1", line_of(2), third_place=True)] == ["W1-1"]


def test_a_bye_decides_its_match_without_play():
    matches = single_elimination("s1", ["e1", None, "e2", "e3", None, "e4", "e5", "e6"])
    assert (matches[0].away, matches[0].status) == (BYE, MatchStatus.BYE)
    assert (matches[2].home, matches[2].away, matches[2].status) == (BYE, Slot(entry="e4"), MatchStatus.BYE)
    assert matches[1].status == MatchStatus.READY


@pytest.mark.parametrize(
    ("line", "code"),
    [
        (["e1", None, None, None], "bye_against_bye"),
        (["e1", "e2", "e3"], "bad_size"),
        (["e1"], "bad_size"),
        ([], "bad_size"),
        (["e1", "e2", "e1", "e3"], "duplicate_entry"),
    ],
)
def test_bad_lines_are_refused(line, code):
    for build in (single_elimination, double_elimination):
        with pytest.raises(BracketError) as raised:
            build("s1", line)
        assert raised.value.code == code


@pytest.mark.parametrize("size", [2, 4, 8, 16, 32, 64])
def test_single_elimination_match_counts(size):
    assert len(single_elimination("s1", line_of(size))) == size - 1
    assert len(single_elimination("s1", line_of(size), third_place=True)) == (size if size >= 4 else 1)


# --- double elimination --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 4, 8, 16, 32, 64, 128])
def test_double_elimination_match_counts(size):
    assert len(double_elimination("s1", line_of(size), GrandFinal.NONE)) == 2 * size - 3
    assert len(double_elimination("s1", line_of(size), GrandFinal.SINGLE)) == 2 * size - 2
    assert len(double_elimination("s1", line_of(size), GrandFinal.RESET)) == 2 * size - 1


def test_double_elimination_of_8_by_hand():
    matches = {m.match_id: m for m in double_elimination("s1", line_of(8), GrandFinal.RESET)}
    lb = {match_id: (m.home.source, m.away.source) for match_id, m in matches.items() if m.bracket == "L"}
    assert lb == {
        "L1-1": ("L:W1-1", "L:W1-2"),
        "L1-2": ("L:W1-3", "L:W1-4"),
        # The losers of WB round 2 cross over: the top one meets the survivor from the bottom of the draw.
        "L2-1": ("L:W2-2", "W:L1-1"),
        "L2-2": ("L:W2-1", "W:L1-2"),
        "L3-1": ("W:L2-1", "W:L2-2"),
        "L4-1": ("L:W3-1", "W:L3-1"),
    }
    assert (matches["GF1"].home, matches["GF1"].away) == (winner_of("W3-1"), winner_of("L4-1"))
    assert (matches["GF2"].home, matches["GF2"].away) == (loser_of("GF1"), winner_of("GF1"))
    assert [(matches[g].bracket, matches[g].round) for g in ("GF1", "GF2")] == [("GF", 1), ("GF", 2)]


def test_double_elimination_of_16_crosses_the_dropping_losers():
    matches = {m.match_id: m for m in double_elimination("s1", line_of(16))}
    assert [matches[f"L2-{order}"].home.source for order in range(1, 5)] == ["L:W2-4", "L:W2-3", "L:W2-2", "L:W2-1"]
    assert [matches[f"L4-{order}"].home.source for order in (1, 2)] == ["L:W3-2", "L:W3-1"]
    assert matches["L6-1"].home.source == "L:W4-1"


def test_double_elimination_of_64_dropping_orders():
    matches = {m.match_id: m for m in double_elimination("s1", line_of(64))}

    def dropping(lb_round: int, count: int) -> list[int]:
        return [int(matches[f"L{lb_round}-{order}"].home.source.rsplit("-", 1)[1]) for order in range(1, count + 1)]

    assert dropping(2, 16) == list(range(16, 0, -1))  # reversed
    assert dropping(4, 8) == [5, 6, 7, 8, 1, 2, 3, 4]  # halves swapped
    assert dropping(6, 4) == [2, 1, 4, 3]  # each half reversed
    assert dropping(8, 2) == [2, 1]  # neighbours swapped
    assert dropping(10, 1) == [1]


def test_double_elimination_of_2_sends_the_final_loser_to_the_grand_final():
    matches = double_elimination("s1", line_of(2), GrandFinal.SINGLE)
    assert [m.match_id for m in matches] == ["W1-1", "GF1"]
    assert (matches[1].home, matches[1].away) == (winner_of("W1-1"), loser_of("W1-1"))


@pytest.mark.parametrize("grand_final", list(GrandFinal))
@pytest.mark.parametrize("size", [4, 8, 16, 32])
def test_double_elimination_wiring(size, grand_final):
    matches = double_elimination("s1", line_of(size), grand_final)
    by_id = {m.match_id: m for m in matches}
    used = sources(matches)
    # Every source names a match built before it: the list is in playing order.
    seen: set[str] = set()
    for match in matches:
        for slot in (match.home, match.away):
            if slot.source:
                assert slot.source[2:] in seen
        seen.add(match.match_id)
    finals = {"W": f"W{round_count(size)}-1", "L": f"L{2 * round_count(size) - 2}-1"}
    last = {GrandFinal.NONE: set(finals.values()), GrandFinal.SINGLE: {"GF1"}, GrandFinal.RESET: {"GF2"}}[grand_final]
    for match_id, match in by_id.items():
        # A winner goes on to exactly one place, except from the last match(es).
        assert used[f"W:{match_id}"] == (0 if match_id in last else 1), match_id
        if match.bracket == "W":
            # A WB loser drops to exactly one LB place (the WB final's loser to the LB final).
            assert used[f"L:{match_id}"] == 1
            assert [m.bracket for m in matches if f"L:{match_id}" in (m.home.source, m.away.source)] == ["L"]
        elif match_id == "GF1":
            assert used["L:GF1"] == (1 if grand_final == GrandFinal.RESET else 0)
        else:
            assert used[f"L:{match_id}"] == 0  # an LB loss ends the run
    assert used[f"L:{finals['W']}"] == 1
    assert by_id[finals["L"]].home == loser_of(finals["W"])


@pytest.mark.parametrize("size", [4, 8, 16, 64])
def test_rounds_per_bracket(size):
    matches = double_elimination("s1", line_of(size), GrandFinal.RESET)
    rounds = round_count(size)
    assert max(m.round for m in matches if m.bracket == "W") == rounds
    assert sorted({m.round for m in matches if m.bracket == "L"}) == list(range(1, 2 * rounds - 1))
    assert [m.round for m in matches if m.bracket == "GF"] == [1, 2]
    # LB rounds come in pairs of equal size: a major round, then a minor one taking the WB's losers.
    per_round = Counter(m.round for m in matches if m.bracket == "L")
    assert [per_round[r] for r in sorted(per_round)] == [n for k in range(rounds - 1) for n in [size >> (k + 2)] * 2]


def _first_rematch_round(size: int, home_wins: Callable[[Match], bool]) -> int | None:
    met: set[frozenset[str]] = set()
    first = None
    for match, home, away in play(double_elimination("s1", line_of(size), GrandFinal.NONE), home_wins):
        pair = frozenset((home, away))
        if pair in met and match.bracket == "L" and first is None:
            first = match.round
        met.add(pair)
    return first


def coin(seed: int) -> Callable[[Match], bool]:
    rng = random.Random(seed)
    return lambda _match: rng.random() < 0.5


@pytest.mark.parametrize(("size", "earliest"), [(8, 3), (16, 4)])
def test_no_early_rematch_in_the_losers_bracket(size, earliest):
    outcomes = [lambda _match: True, lambda _match: False] + [coin(seed) for seed in range(200)]
    firsts = [_first_rematch_round(size, outcome) for outcome in outcomes]
    # Home always winning included: LB round 2 never repeats a round-1 meeting, nor does any LB match before
    # ``earliest``; from there on a rematch can happen (with 8 entries LB round 3 is already the LB semi-final).
    assert all(first is None or first >= earliest for first in firsts)
    assert earliest in firsts


# --- names ---------------------------------------------------------------------------------------------------------


def test_round_count():
    assert [round_count(size) for size in (2, 4, 8, 256)] == [1, 2, 3, 8]
    with pytest.raises(BracketError):
        round_count(6)


def test_round_names():
    assert [round_names("W", r, 6) for r in range(1, 7)] == [
        "round_of_64",
        "round_of_32",
        "round_of_16",
        "quarter_final",
        "semi_final",
        "final",
    ]
    assert [round_names("L", r, 4) for r in range(1, 5)] == ["round_1", "round_2", "round_3", "final"]
    assert [round_names("GF", r, 2) for r in (1, 2)] == ["grand_final", "grand_final_reset"]
    assert round_names("3P", 3, 3) == "third_place"
    assert round_names("A", 2, 3) == "round_2"
    with pytest.raises(BracketError) as raised:
        round_names("W", 4, 3)
    assert raised.value.code == "bad_round"
