from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from chalicelib.domain.competition.model import MatchStatus
from chalicelib.domain.competition.round_robin import ScheduleError, league_fixtures, round_robin, round_robin_rounds


def _entries(n: int) -> list[str]:
    return [f"e{i:02d}" for i in range(1, n + 1)]


@pytest.mark.parametrize("n", range(2, 13))
def test_every_pair_meets_exactly_once_per_leg(n):
    entries = _entries(n)
    matches = round_robin("st", entries)
    assert len(matches) == n * (n - 1) // 2
    pairs = Counter(frozenset((m.home.entry, m.away.entry)) for m in matches)
    assert set(pairs.values()) == {1}
    assert len(pairs) == n * (n - 1) // 2
    assert all(m.status == MatchStatus.READY and m.leg == 1 and m.bracket == "RR" for m in matches)


@pytest.mark.parametrize("n", range(2, 13))
def test_rounds_have_nobody_twice_and_odd_fields_one_bye_each(n):
    rounds = round_robin_rounds(_entries(n))
    assert len(rounds) == (n - 1 if n % 2 == 0 else n)
    byes: Counter[str] = Counter()
    for pairs in rounds:
        seen = [entry for pair in pairs for entry in pair if entry is not None]
        assert len(seen) == len(set(seen)) == n  # everybody is in the round once: playing or sitting out
        round_byes = [home for home, away in pairs if away is None]
        assert len(round_byes) == n % 2
        byes.update(round_byes)
    if n % 2:
        assert byes == Counter(_entries(n))  # every entry sits out exactly once


@pytest.mark.parametrize("n", range(2, 13))
def test_home_and_away_are_balanced(n):
    home: Counter[str] = Counter()
    away: Counter[str] = Counter()
    for pairs in round_robin_rounds(_entries(n)):
        for h, a in pairs:
            if a is not None:
                home[h] += 1
                away[a] += 1
    # Each entry plays n−1 matches: an odd count splits 1 apart, an even count evenly.
    assert all(abs(home[e] - away[e]) == (1 if n % 2 == 0 else 0) for e in _entries(n))


def test_the_fixed_entry_alternates_home_and_away():
    entries = _entries(8)
    sides = []
    for pairs in round_robin_rounds(entries):
        (pair,) = [pair for pair in pairs if entries[-1] in pair]
        sides.append("H" if pair[0] == entries[-1] else "A")
    assert "".join(sides) == "AHAHAHA"


def test_four_entries_by_hand():
    # Circle method with d fixed: a–d, b–c; then d–c, a–b; then b–d, c–a.
    assert round_robin_rounds(["a", "b", "c", "d"]) == [
        [("a", "d"), ("b", "c")],
        [("d", "c"), ("a", "b")],
        [("b", "d"), ("c", "a")],
    ]


def test_five_entries_list_the_bye_last():
    rounds = round_robin_rounds(["a", "b", "c", "d", "e"])
    assert rounds[0] == [("b", "e"), ("d", "c"), ("a", None)]
    assert [pairs[-1] for pairs in rounds] == [("a", None), ("e", None), ("d", None), ("c", None), ("b", None)]


@pytest.mark.parametrize("n", range(2, 13))
def test_second_leg_swaps_home_and_away(n):
    matches = round_robin("st", _entries(n), legs=2)
    assert len(matches) == n * (n - 1)
    per_leg = n - 1 if n % 2 == 0 else n
    first = {(m.home.entry, m.away.entry) for m in matches if m.leg == 1}
    second = {(m.home.entry, m.away.entry) for m in matches if m.leg == 2}
    assert second == {(away, home) for home, away in first}
    assert {m.round for m in matches if m.leg == 2} == set(range(per_leg + 1, 2 * per_leg + 1))
    assert Counter(frozenset(pair) for pair in first | second) == dict.fromkeys({frozenset(pair) for pair in first}, 2)


def test_match_ids_rounds_and_prefix():
    matches = round_robin("st", ["a", "b", "c"], bracket="B", id_prefix="B")
    # Three entries rotate past a phantom: [a b c] → b–c (a sits out), [c a b] → a–b, [b c a] → c–a.
    assert [(m.match_id, m.round, m.order, m.home.entry, m.away.entry) for m in matches] == [
        ("B1-1", 1, 1, "b", "c"),
        ("B2-1", 2, 1, "a", "b"),
        ("B3-1", 3, 1, "c", "a"),
    ]
    assert round_robin("st", ["a", "b"], bracket="X")[0].match_id == "X1-1"


def test_league_matchdays_a_week_apart():
    fixtures = league_fixtures("st", _entries(4), legs=2, first_matchday=date(2025, 3, 1))
    days = {m.round: m.matchday for m in fixtures}
    assert days == {
        1: "2025-03-01",
        2: "2025-03-08",
        3: "2025-03-15",
        4: "2025-03-22",
        5: "2025-03-29",
        6: "2025-04-05",
    }
    assert len(fixtures) == 12


def test_league_with_other_spacing():
    fixtures = league_fixtures("st", _entries(3), legs=1, first_matchday=date(2025, 12, 30), days_between=3)
    assert [m.matchday for m in fixtures] == ["2025-12-30", "2026-01-02", "2026-01-05"]


@pytest.mark.parametrize(
    ("entries", "legs", "code"),
    [
        (["a"], 1, "too_few_entries"),
        (["a", "b", "a"], 1, "duplicate_entry"),
        (["a", ""], 1, "blank_entry"),
        (["a", "b"], 0, "bad_legs"),
    ],
)
def test_invalid_input(entries, legs, code):
    with pytest.raises(ScheduleError) as caught:
        round_robin("st", entries, legs=legs)
    assert caught.value.code == code


def test_league_refuses_matchdays_on_the_same_day():
    with pytest.raises(ScheduleError) as caught:
        league_fixtures("st", ["a", "b"], legs=1, first_matchday=date(2025, 1, 1), days_between=0)
    assert caught.value.code == "bad_days_between"
