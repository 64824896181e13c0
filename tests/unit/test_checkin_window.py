"""The point a station opens on and the window in which a point takes check-ins (issue 17 item 3)."""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.checkin import (
    ENTRY_POINT,
    checkin_points,
    checkin_window,
    current_point,
    within_window,
)
from chalicelib.domain.records import CheckinSettings, Checkpoint, EventSession

DEFAULTS = CheckinSettings()
# A term class: Tuesdays 19:00-21:00 from 23 September, twelve weeks.
TERM_START = datetime(2025, 9, 23, 19, 0, tzinfo=CHINA_TZ)
TERM = [
    EventSession("ev", f"s{n + 1:02d}", TERM_START + timedelta(weeks=n), TERM_START + timedelta(weeks=n, hours=2))
    for n in range(12)
]


def _term_points():
    return checkin_points(TERM_START, TERM[-1].ends_at, TERM, DEFAULTS)


def test_defaults_open_thirty_minutes_before_the_start_and_close_at_the_end():
    point = _term_points()[0]
    assert checkin_window(point, DEFAULTS) == (TERM_START - timedelta(minutes=30), TERM_START + timedelta(hours=2))
    assert within_window(point, DEFAULTS, TERM_START - timedelta(minutes=30))
    assert within_window(point, DEFAULTS, TERM_START + timedelta(hours=2))  # both ends included
    assert not within_window(point, DEFAULTS, TERM_START - timedelta(minutes=31))
    assert not within_window(point, DEFAULTS, TERM_START + timedelta(hours=2, seconds=1))


def test_the_event_settings_move_the_window():
    settings = CheckinSettings(self_opens_minutes=60, self_closes_minutes=15)
    point = _term_points()[0]
    assert checkin_window(point, settings) == (
        TERM_START - timedelta(hours=1),
        TERM_START + timedelta(hours=2, minutes=15),
    )
    assert within_window(point, settings, TERM_START + timedelta(hours=2, minutes=10))
    assert not within_window(point, DEFAULTS, TERM_START + timedelta(hours=2, minutes=10))


def test_a_term_class_opens_on_the_session_of_today_not_the_first_of_the_term():
    points = _term_points()
    december = TERM[10].starts_at + timedelta(minutes=20)  # during the eleventh session
    assert current_point(points, DEFAULTS, december).point_id == "s11"
    # Twenty minutes before the eleventh session: its window is open, so it is the one.
    assert current_point(points, DEFAULTS, TERM[10].starts_at - timedelta(minutes=20)).point_id == "s11"
    # A day after the fourth session: the next one (not the past one, not the first of the term).
    assert current_point(points, DEFAULTS, TERM[3].ends_at + timedelta(days=1)).point_id == "s05"
    # Before the term: the first session; after it: the last.
    assert current_point(points, DEFAULTS, TERM_START - timedelta(days=30)).point_id == "s01"
    assert current_point(points, DEFAULTS, TERM[-1].ends_at + timedelta(days=3)).point_id == "s12"
    assert not within_window(points[0], DEFAULTS, december)  # 23 September is not open in December


def test_back_to_back_sessions_prefer_the_one_running():
    first = EventSession("ev", "s01", TERM_START, TERM_START + timedelta(hours=1))
    second = EventSession("ev", "s02", TERM_START + timedelta(hours=1), TERM_START + timedelta(hours=2))
    points = checkin_points(TERM_START, second.ends_at, [second, first], DEFAULTS)
    # 19:45: the first is running, the second's window (opens 19:30) is open too.
    assert current_point(points, DEFAULTS, TERM_START + timedelta(minutes=45)).point_id == "s01"
    assert current_point(points, DEFAULTS, TERM_START + timedelta(minutes=60)).point_id == "s02"


def test_a_one_day_event_has_its_single_entry_point_whatever_the_time():
    starts = datetime(2026, 3, 12, 14, 0, tzinfo=CHINA_TZ)
    points = checkin_points(starts, starts + timedelta(hours=3), [], DEFAULTS)
    for at in (starts - timedelta(days=5), starts, starts + timedelta(days=5)):
        assert current_point(points, DEFAULTS, at).point_id == ENTRY_POINT
    assert within_window(points[0], DEFAULTS, starts - timedelta(minutes=10))
    assert not within_window(points[0], DEFAULTS, starts - timedelta(days=1))


def test_a_multi_day_meet_keeps_its_checkpoints_open_over_the_days_in_order():
    starts = datetime(2026, 4, 18, 8, 0, tzinfo=CHINA_TZ)
    settings = CheckinSettings(
        checkpoints=(Checkpoint("start", "起点"), Checkpoint("finish", "终点")), self_closes_minutes=60
    )
    points = checkin_points(starts, starts + timedelta(days=2, hours=10), [], settings)
    second_day = starts + timedelta(days=1, hours=3)
    assert current_point(points, settings, second_day).point_id == "start"  # the first of those starting together
    assert all(within_window(point, settings, second_day) for point in points)
    assert within_window(points[1], settings, starts + timedelta(days=2, hours=10, minutes=59))
    assert not within_window(points[1], settings, starts + timedelta(days=2, hours=11, minutes=1))


def test_no_points_no_default():
    assert current_point([], DEFAULTS, TERM_START) is None
