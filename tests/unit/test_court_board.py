"""The court board's pure choices (chalicelib.domain.competition.board): now playing and next on a court at a fixed
moment, courts in counting order, an entry's fixtures and next match, the order of play per court."""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.competition.board import (
    court_board,
    court_key,
    courts,
    entry_matches,
    next_match,
    order_of_play,
    start_of,
)
from chalicelib.domain.competition.model import BYE, Match, MatchStatus, Result, Slot, new_match, winner_of

NINE = datetime(2026, 11, 28, 9, 0, tzinfo=CHINA_TZ)


def _match(match_id: str, home: str | None, away: str | None, court: str | None, minutes: int | None) -> Match:
    slot_home = Slot(entry=home) if home else winner_of("X")
    slot_away = Slot(entry=away) if away else winner_of("Y")
    starts_at = (NINE + timedelta(minutes=minutes)).isoformat() if minutes is not None else None
    return new_match("groups", match_id, "A", 1, 1, slot_home, slot_away, court=court, starts_at=starts_at)


def _done(match: Match) -> Match:
    return match._replace(status=MatchStatus.DONE, result=Result(home=2, away=1, winner="home"))


def _day() -> list[Match]:
    return [
        _done(_match("A1-1", "t1", "t2", "1号场", 0)),
        _match("A1-2", "t3", "t4", "1号场", 60),
        _match("A2-1", "t1", "t3", "1号场", 120),
        _match("A2-2", "t2", "t4", "1号场", 180),
        _match("W1-1", None, None, "1号场", 240),
        _match("B1-1", "t5", "t6", "2号场", 0),
        _match("B1-2", "t7", "t8", "10号场", 0),
    ]


def test_before_the_start_nothing_is_playing_and_the_first_matches_are_next():
    board = court_board(_day(), "1号场", NINE + timedelta(minutes=30))
    assert board.now is None
    assert [m.match_id for m in board.next] == ["A1-2", "A2-1"]
    assert board.last is not None and board.last.match_id == "A1-1"


def test_the_earliest_ready_match_whose_start_has_come_is_now_playing():
    board = court_board(_day(), "1号场", NINE + timedelta(minutes=61))
    assert board.now is not None and board.now.match_id == "A1-2"
    assert [m.match_id for m in board.next] == ["A2-1", "A2-2"]


def test_a_late_match_stays_on_until_its_result_is_in():
    # At 11:05 A1-2 (10:00) has no result yet: it is still the one on court, A2-1 (11:00) waits.
    board = court_board(_day(), "1号场", NINE + timedelta(minutes=125))
    assert board.now is not None and board.now.match_id == "A1-2"
    assert [m.match_id for m in board.next] == ["A2-1", "A2-2"]
    played = [_done(m) if m.match_id == "A1-2" else m for m in _day()]
    board = court_board(played, "1号场", NINE + timedelta(minutes=125))
    assert board.now is not None and board.now.match_id == "A2-1"
    assert board.last is not None and board.last.match_id == "A1-2"


def test_a_match_waiting_for_its_sides_is_next_but_never_playing():
    matches = [_done(m) if m.match_id.startswith("A") else m for m in _day()]
    board = court_board(matches, "1号场", NINE + timedelta(minutes=300))
    assert board.now is None
    assert [m.match_id for m in board.next] == ["W1-1"]


def test_courts_are_counted_in_order_and_byes_are_on_no_board():
    matches = [*_day(), _match("B2-1", "t5", None, "3号场", 0)._replace(away=BYE, status=MatchStatus.BYE)]
    assert courts(matches) == ["1号场", "2号场", "10号场"]
    assert sorted(["Court 10", "Court 9", "Court 1"], key=court_key) == ["Court 1", "Court 9", "Court 10"]
    assert court_board(matches, "3号场", NINE) == court_board([], "3号场", NINE)


def test_an_entrys_fixtures_in_time_order_and_its_next_match():
    matches = list(reversed(_day()))
    assert [m.match_id for m in entry_matches(matches, "t1")] == ["A1-1", "A2-1"]
    found = next_match(matches, "t1")
    assert found is not None and found.match_id == "A2-1"
    assert next_match([_done(m) for m in matches], "t1") is None
    assert next_match(matches, "nobody") is None


def test_unscheduled_matches_come_last_in_the_order_given():
    matches = [
        _match("K2", "t1", "t2", None, None),
        _match("K1", "t1", "t3", None, None),
        _match("A", "t1", "t4", "1", 5),
    ]
    assert [m.match_id for m in entry_matches(matches, "t1")] == ["A", "K2", "K1"]


def test_order_of_play_lists_each_court_in_time_order():
    plan = order_of_play([*_day(), _match("Z", "t9", "t10", None, None)])
    assert [court for court, _ in plan] == ["1号场", "2号场", "10号场"]
    assert [m.match_id for m in plan[0][1]] == ["A1-1", "A1-2", "A2-1", "A2-2", "W1-1"]


def test_a_start_written_without_a_zone_is_china_time():
    match = _match("A", "t1", "t2", "1", None)._replace(starts_at="2026-11-28T09:00:00")
    assert start_of(match) == NINE
