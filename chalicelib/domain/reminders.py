"""Reminders before an event or a class session, and the word to members left on a waiting list when registration
closes: which are due when, and who gets them. Pure rules; services/reminders.py reads and writes.

Times are China time (UTC+8 all year: no daylight saving, so "18:00 the day before" is always 10:00 UTC).

- The day before: at 18:00 China time on the day before the start date. One fixed hour rather than "24 hours
  before": it is after work, when people plan the next day, it never falls in the quiet hours (22:00-07:00, when
  delivery outside the app is held), and an 08:00 class is not announced at 08:00 the day before in the middle of
  the working morning. It is always at least six hours before the start (an event at 00:00 is reminded at 18:00).
- Two hours before: the start minus two hours (a reminder due in the quiet hours is held by delivery until 07:00).

A reminder is written by the first run of the job at or after its moment, and only within ``CATCH_UP`` of it (a job
that was down longer does not remind late), never once the event has started. Each has one notification id per
member (``about``), so a second run or a second container writes nothing (storage: Notifications.put_once).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import NamedTuple

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.records import Registration, RegistrationState, ReminderPlan

DAY_BEFORE_AT = time(18, 0)  # China time
TWO_HOURS = timedelta(hours=2)
# A reminder missed by a run (the job every 10 minutes, a retry, a short outage) is still written within this time.
CATCH_UP = timedelta(hours=1)
# Members still waiting when registration closed are told within this time of it (later, they are not).
WAITLIST_CATCH_UP = timedelta(days=1)

DAY_BEFORE = "day_before"
TWO_HOURS_BEFORE = "two_hours"
_WHICH = {
    ReminderPlan.NONE: (),
    ReminderPlan.DAY_BEFORE: (DAY_BEFORE,),
    ReminderPlan.TWO_HOURS: (TWO_HOURS_BEFORE,),
    ReminderPlan.BOTH: (DAY_BEFORE, TWO_HOURS_BEFORE),
}


class Reminder(NamedTuple):
    which: str  # DAY_BEFORE or TWO_HOURS_BEFORE
    at: datetime  # when it is due


def reminder_moment(which: str, starts_at: datetime) -> datetime:
    """When the reminder ``which`` of something starting at ``starts_at`` is due (China time)."""
    if which == TWO_HOURS_BEFORE:
        return (starts_at - TWO_HOURS).astimezone(CHINA_TZ)
    day_before = starts_at.astimezone(CHINA_TZ).date() - timedelta(days=1)
    return datetime.combine(day_before, DAY_BEFORE_AT, tzinfo=CHINA_TZ)


def reminders_for(plan: ReminderPlan, starts_at: datetime) -> list[Reminder]:
    """Every reminder of the plan for a start, in time order."""
    return [Reminder(which, reminder_moment(which, starts_at)) for which in _WHICH[plan]]


def due_reminders(plan: ReminderPlan, starts_at: datetime, at: datetime) -> list[Reminder]:
    """The reminders a run of the job at ``at`` writes: due (at or after the moment), not more than ``CATCH_UP``
    late, and before the start."""
    return [
        reminder
        for reminder in reminders_for(plan, starts_at)
        if reminder.at <= at < reminder.at + CATCH_UP and at < starts_at
    ]


def starts_window(at: datetime) -> tuple[datetime, datetime]:
    """``[low, high)``: the starts that can have a reminder due at ``at``. The latest is the end of the day after
    ``at``'s day in China (a day-before reminder due at 18:00 today is for tomorrow); nothing already started."""
    tomorrow = at.astimezone(CHINA_TZ).date() + timedelta(days=1)
    return at, datetime.combine(tomorrow + timedelta(days=1), time(0, 0), tzinfo=CHINA_TZ)


def waitlist_due(closes_at: datetime | None, at: datetime) -> bool:
    """Whether a run at ``at`` tells the waiting list that registration closed at ``closes_at``."""
    return closes_at is not None and closes_at <= at < closes_at + WAITLIST_CATCH_UP


def taking_part(registrations: Iterable[Registration]) -> list[str]:
    """The 工号 of the members who take part by these registrations (one scope: the whole event or one session),
    in order, each once: confirmed, on an entered team's roster, or the partner of a confirmed pair (the pair's
    state is on the lead's registration). Waiting, pending, cancelled and removed registrations get no reminder."""
    listed = list(registrations)
    confirmed = {r.staff_no for r in listed if r.state is RegistrationState.CONFIRMED}
    found = {
        r.staff_no
        for r in listed
        if r.state in (RegistrationState.CONFIRMED, RegistrationState.TEAM)
        or (r.state is RegistrationState.PARTNER and r.partner in confirmed)
    }
    return sorted(found)


def waiting_order(registrations: Iterable[Registration]) -> list[str]:
    """The 工号 of the members on the waiting list (one scope), first in line first."""
    waiting = [r for r in registrations if r.state is RegistrationState.WAITING]
    return [r.staff_no for r in sorted(waiting, key=lambda r: (r.queue_key or "", r.registered_at))]


def reminder_about(event_id: str, scope: str, reminder: Reminder, staff_no: str) -> str:
    """What one reminder is about, for its notification id: the same member, event or session and moment give
    the same id (a moved event reminds again for its new time)."""
    return f"reminder#{event_id}#{scope}#{reminder.which}#{reminder.at.isoformat()}#{staff_no}"


def waitlist_about(event_id: str, closes_at: datetime, staff_no: str) -> str:
    return f"waitlist_closed#{event_id}#{closes_at.isoformat()}#{staff_no}"


def china_time_text(moment: datetime) -> str:
    """A moment as a notification shows it, the same in every language: ``2026-12-07 09:00`` (China time)."""
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
