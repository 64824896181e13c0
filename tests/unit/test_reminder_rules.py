"""Reminder rules (chalicelib/domain/reminders.py): when each reminder is due in China time, the catch-up window,
the window of starts the job reads, the waiting list's moment, and who takes part."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.records import Registration, RegistrationState, ReminderPlan
from chalicelib.domain.reminders import (
    CATCH_UP,
    DAY_BEFORE,
    TWO_HOURS_BEFORE,
    china_time_text,
    due_reminders,
    reminder_about,
    reminder_moment,
    reminders_for,
    starts_window,
    taking_part,
    waiting_order,
    waitlist_due,
)


def china(*args: int) -> datetime:
    return datetime(*args, tzinfo=CHINA_TZ)


def test_day_before_is_18_00_china_time_on_the_previous_date_whatever_the_hour():
    assert reminder_moment(DAY_BEFORE, china(2026, 12, 8, 9, 0)) == china(2026, 12, 7, 18, 0)
    assert reminder_moment(DAY_BEFORE, china(2026, 12, 8, 23, 30)) == china(2026, 12, 7, 18, 0)
    # Just after midnight China time (16:05 UTC the day before): the previous China date, not the UTC one.
    start = datetime(2026, 12, 7, 16, 5, tzinfo=UTC)
    assert reminder_moment(DAY_BEFORE, start) == china(2026, 12, 7, 18, 0)
    # Across a month and a year; no daylight saving in China: always 10:00 UTC.
    assert reminder_moment(DAY_BEFORE, china(2027, 1, 1, 8, 0)) == datetime(2026, 12, 31, 10, 0, tzinfo=UTC)
    assert reminder_moment(DAY_BEFORE, china(2027, 7, 1, 8, 0)) == datetime(2027, 6, 30, 10, 0, tzinfo=UTC)


def test_two_hours_before_and_both_in_time_order():
    start = china(2026, 12, 8, 9, 0)
    assert reminder_moment(TWO_HOURS_BEFORE, start) == china(2026, 12, 8, 7, 0)
    assert [r.which for r in reminders_for(ReminderPlan.BOTH, start)] == [DAY_BEFORE, TWO_HOURS_BEFORE]
    assert reminders_for(ReminderPlan.NONE, start) == []
    assert [r.at for r in reminders_for(ReminderPlan.TWO_HOURS, start)] == [china(2026, 12, 8, 7, 0)]


def test_due_at_the_moment_not_a_second_before_and_not_after_the_catch_up():
    start = china(2026, 12, 8, 9, 0)
    moment = china(2026, 12, 7, 18, 0)
    assert due_reminders(ReminderPlan.DAY_BEFORE, start, moment - timedelta(seconds=1)) == []
    assert [r.at for r in due_reminders(ReminderPlan.DAY_BEFORE, start, moment)] == [moment]
    assert len(due_reminders(ReminderPlan.DAY_BEFORE, start, moment + CATCH_UP - timedelta(seconds=1))) == 1
    assert due_reminders(ReminderPlan.DAY_BEFORE, start, moment + CATCH_UP) == []
    assert due_reminders(ReminderPlan.NONE, start, moment) == []


def test_never_once_started_and_both_due_separately():
    start = china(2026, 12, 8, 0, 30)  # two hours before is 22:30 the day before, after the 18:00 reminder
    assert [r.which for r in due_reminders(ReminderPlan.BOTH, start, china(2026, 12, 7, 18, 5))] == [DAY_BEFORE]
    assert [r.which for r in due_reminders(ReminderPlan.BOTH, start, china(2026, 12, 7, 22, 40))] == [TWO_HOURS_BEFORE]
    late = china(2026, 12, 8, 0, 10)  # 1 h 40 after the moment: past the catch-up anyway
    assert due_reminders(ReminderPlan.BOTH, start, late) == []
    short = china(2026, 12, 8, 9, 0)
    assert due_reminders(ReminderPlan.TWO_HOURS, short, short) == []  # started


def test_the_window_ends_with_the_day_after_in_china():
    low, high = starts_window(china(2026, 12, 7, 18, 5))
    assert low == china(2026, 12, 7, 18, 5) and high == china(2026, 12, 9, 0, 0)
    # 23:00 UTC on the 7th is already the 8th in China.
    low, high = starts_window(datetime(2026, 12, 7, 23, 0, tzinfo=UTC))
    assert high == china(2026, 12, 10, 0, 0)
    # Every start with a due day-before reminder is inside the window.
    at = china(2026, 12, 7, 18, 0)
    for hour in range(24):
        start = china(2026, 12, 8, hour, 59)
        assert due_reminders(ReminderPlan.DAY_BEFORE, start, at)
        window = starts_window(at)
        assert window[0] <= start < window[1]


def test_waitlist_told_once_registration_closed_within_a_day():
    closes = china(2026, 12, 7, 12, 0)
    assert not waitlist_due(closes, closes - timedelta(seconds=1))
    assert waitlist_due(closes, closes)
    assert waitlist_due(closes, closes + timedelta(hours=23))
    assert not waitlist_due(closes, closes + timedelta(days=1))
    assert not waitlist_due(None, closes)


def registration(staff_no, state, partner=None, queue_key=None, minute=0):
    at = china(2026, 12, 1, 9, minute)
    return Registration("ev", "series", staff_no, staff_no, "cs", state, at, at, partner=partner, queue_key=queue_key)


def test_taking_part_confirmed_team_and_partners_of_confirmed_pairs_only():
    states = RegistrationState
    found = taking_part(
        [
            registration("A", states.CONFIRMED, partner="B"),
            registration("B", states.PARTNER, partner="A"),
            registration("C", states.WAITING, partner="D"),
            registration("D", states.PARTNER, partner="C"),  # the pair waits: no reminder
            registration("E", states.TEAM),
            registration("F", states.CANCELLED),
            registration("G", states.REMOVED),
            registration("H", states.PENDING),
            registration("I", states.CONFIRMED),
        ]
    )
    assert found == ["A", "B", "E", "I"]


def test_waiting_order_by_queue_key():
    states = RegistrationState
    found = waiting_order(
        [
            registration("X", states.WAITING, queue_key="q3"),
            registration("Y", states.WAITING, queue_key="q1"),
            registration("Z", states.CONFIRMED),
            registration("W", states.WAITING, queue_key="q2"),
        ]
    )
    assert found == ["Y", "W", "X"]


def test_about_differs_by_member_scope_and_moment_and_time_text_is_china_time():
    start = china(2026, 12, 8, 9, 0)
    (day_before,) = reminders_for(ReminderPlan.DAY_BEFORE, start)
    one = reminder_about("ev", "series", day_before, "A")
    assert one != reminder_about("ev", "series", day_before, "B")
    assert one != reminder_about("ev", "s02", day_before, "A")
    (moved,) = reminders_for(ReminderPlan.DAY_BEFORE, start + timedelta(days=1))
    assert one != reminder_about("ev", "series", moved, "A")
    assert china_time_text(datetime(2026, 12, 8, 1, 0, tzinfo=UTC)) == "2026-12-08 09:00"
