"""The reminders job against DynamoDB Local (services/reminders.py, the scheduled ``send_reminders``): a reminder per
member taking part, written once however often and however many runs at once, none for cancelled events or
registrations, sessions of a class, and the waiting list told once when registration closes."""

from __future__ import annotations

import threading
from datetime import datetime, time, timedelta

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.records import (
    SCHOOL_UNIT_ID,
    SERIES,
    EventFormat,
    EventStatus,
    NotificationKind,
    ReminderPlan,
)
from chalicelib.i18n import notification_text
from chalicelib.services import events as event_service
from chalicelib.services import registration as registration_service
from chalicelib.services.reminders import send_due
from tests.factories import published_event

ADMIN = Principal(staff_no="A0001", unit_id=SCHOOL_UNIT_ID, union_admin=True)


def china_day(days: int, hour: int, minute: int = 0) -> datetime:
    """``days`` days after today in China, at that time (China time)."""
    return datetime.combine(now().date() + timedelta(days=days), time(hour, minute), tzinfo=CHINA_TZ)


def event_at(store, start: datetime, plan: ReminderPlan, **fields):
    values = {"starts_at": start, "ends_at": start + timedelta(hours=2), "reminders": plan, "venue": "东区体育馆"}
    return published_event(ADMIN, store=store, **{**values, **fields})


def principal(member) -> Principal:
    return Principal(staff_no=member.staff_no, unit_id=member.unit_id)


def register(store, members, event, scope=SERIES):
    for member in members:
        registration_service.register(store, principal(member), event.event_id, scope, {}, now())


def reminded(store, members, event_id, kind=NotificationKind.REMINDER):
    """工号 -> that member's notifications of ``kind`` about the event."""
    found = {}
    for member in members:
        mine = [n for n in store.notifications.for_member(member.staff_no) if n.event_id == event_id and n.kind is kind]
        if mine:
            found[member.staff_no] = mine
    return found


def test_day_before_reminder_reaches_those_taking_part_once(union):
    store, members = union
    a, b, c, d, e = members[0:5]
    start = china_day(4, 9)
    event = event_at(store, start, ReminderPlan.DAY_BEFORE, capacity=3)
    register(store, [a, b, c, d, e], event)  # d and e wait
    registration_service.cancel(store, principal(a), event.event_id, SERIES, now())  # d moves up
    moment = china_day(3, 18)

    send_due(store, moment - timedelta(seconds=1))
    assert reminded(store, members[:5], event.event_id) == {}
    send_due(store, moment)
    found = reminded(store, members[:5], event.event_id)
    assert sorted(found) == sorted([b.staff_no, c.staff_no, d.staff_no])  # not a (cancelled) nor e (waiting)
    assert all(len(notes) == 1 for notes in found.values())
    send_due(store, moment + timedelta(minutes=10))  # the next run, within the catch-up hour
    assert reminded(store, members[:5], event.event_id) == found

    note = found[b.staff_no][0]
    assert note.details == {"when": start.strftime("%Y-%m-%d 09:00"), "venue": "东区体育馆"}
    zh, en = notification_text(note, "zh"), notification_text(note, "en")
    assert f"北京时间 {start:%Y-%m-%d} 09:00" in zh and "东区体育馆" in zh and "健康讲座" in zh
    assert f"starts at {start:%Y-%m-%d} 09:00 China time" in en


def test_runs_released_together_write_each_reminder_once(union):
    store, members = union
    group = members[5:25]
    start = china_day(7, 10)
    event = event_at(store, start, ReminderPlan.TWO_HOURS, capacity=50)
    register(store, group, event)
    moment = start - timedelta(hours=2)
    barrier = threading.Barrier(6)
    counts: list[int] = []

    def run():
        barrier.wait()
        counts.append(send_due(store, moment + timedelta(minutes=1))["reminders"])

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == len(group)  # other events of the module are not in this window
    found = reminded(store, group, event.event_id)
    assert len(found) == len(group) and all(len(notes) == 1 for notes in found.values())


def test_no_reminder_for_a_cancelled_event_or_an_event_without_reminders(union):
    store, members = union
    group = members[25:28]
    start = china_day(10, 15)
    cancelled = event_at(store, start, ReminderPlan.BOTH)
    quiet = event_at(store, start, ReminderPlan.NONE)
    register(store, group, cancelled)
    register(store, group, quiet)
    event_service.change_status(store, ADMIN, cancelled.event_id, EventStatus.CANCELLED, now())
    for moment in (china_day(9, 18), start - timedelta(hours=2)):
        send_due(store, moment)
    assert reminded(store, group, cancelled.event_id) == {}
    assert reminded(store, group, quiet.event_id) == {}


def test_both_reminders_and_a_late_job_does_not_remind(union):
    store, members = union
    group = members[28:30]
    start = china_day(13, 19, 30)
    event = event_at(store, start, ReminderPlan.BOTH)
    register(store, group, event)
    send_due(store, china_day(12, 18) + timedelta(hours=1))  # the job was down for the whole catch-up hour
    assert reminded(store, group, event.event_id) == {}
    send_due(store, start - timedelta(hours=2))
    found = reminded(store, group, event.event_id)
    assert sorted(found) == sorted(m.staff_no for m in group) and all(len(n) == 1 for n in found.values())


def test_waiting_list_told_once_when_registration_closes(union):
    store, members = union
    first, second, third = members[40:43]
    closes = china_day(20, 12)
    event = event_at(store, china_day(25, 9), ReminderPlan.NONE, capacity=1, registration_closes_at=closes)
    register(store, [first, second, third], event)
    send_due(store, closes - timedelta(minutes=1))
    assert reminded(store, [second, third], event.event_id, NotificationKind.WAITLIST_CLOSED) == {}
    counts = [send_due(store, closes + timedelta(minutes=m))["waitlist_closed"] for m in (5, 15)]
    found = reminded(store, [first, second, third], event.event_id, NotificationKind.WAITLIST_CLOSED)
    assert sorted(found) == sorted([second.staff_no, third.staff_no]) and counts == [2, 0]
    assert [found[m.staff_no][0].details["position"] for m in (second, third)] == [1, 2]
    text = notification_text(found[third.staff_no][0], "zh")
    assert "候补名单第 2 位" in text and "报名已截止" in text
    assert "number 2 on the waiting list" in notification_text(found[third.staff_no][0], "en")


def test_a_class_session_reminds_the_whole_class_and_that_session_s_own_registrants(union):
    store, members = union
    whole, single, other = members[30], members[31], members[32]
    first = china_day(16, 19)
    sessions = [
        {"starts_at": first + timedelta(days=7 * n), "ends_at": first + timedelta(days=7 * n, hours=1)}
        for n in range(3)
    ]
    sessions[1]["venue"] = "西区舞蹈房"
    event = event_at(
        store,
        first,
        ReminderPlan.DAY_BEFORE,
        format=EventFormat.CLASS,
        single_sessions=True,
        capacity=10,
        sessions=sessions,
    )
    register(store, [whole], event)
    register(store, [single], event, scope="s02")
    register(store, [other], event, scope="s03")
    send_due(store, china_day(22, 18))  # the day before the second session
    found = reminded(store, [whole, single, other], event.event_id)
    assert sorted(found) == sorted([whole.staff_no, single.staff_no])
    assert found[single.staff_no][0].details == {
        "when": (first + timedelta(days=7)).strftime("%Y-%m-%d 19:00"),
        "venue": "西区舞蹈房",
        "session": "s02",
    }


def test_sessions_stored_before_the_day_index_are_found_once_backfilled(union, dynamodb):
    from chalicelib.domain.records import EventSession
    from chalicelib.storage.registrations import Sessions
    from chalicelib.storage.tables import SessionTable
    from devtools.backfill_session_days import backfill

    store, _ = union
    start = china_day(33, 7)  # no other test's session on that day
    old = Sessions.item(EventSession("ev-old-class", "s05", start, start + timedelta(hours=1)))
    old.day = None  # as written before the index
    old.save()
    window = (start - timedelta(hours=1), start + timedelta(hours=1))
    assert [s.session_id for s in store.sessions.starting_between(*window)] == []
    assert backfill(dynamodb) >= 1
    assert SessionTable.get("ev-old-class", "s05", consistent_read=True).day == start.date().isoformat()
    assert [(s.event_id, s.session_id) for s in store.sessions.starting_between(*window)] == [("ev-old-class", "s05")]
    assert backfill(dynamodb) == 0


def test_a_lottery_s_waiting_list_is_told_by_the_draw_not_twice(union):
    from chalicelib.domain.records import Allocation
    from chalicelib.services.lottery import draw_due_lotteries

    store, members = union
    group = members[50:53]
    closes = china_day(40, 12)
    event = event_at(
        store,
        china_day(45, 9),
        ReminderPlan.NONE,
        capacity=1,
        registration_closes_at=closes,
        allocation=Allocation.LOTTERY,
    )
    register(store, group, event)
    assert event.event_id in draw_due_lotteries(store, closes + timedelta(minutes=1))
    told = reminded(store, group, event.event_id, NotificationKind.NOT_DRAWN)
    assert len(told) == 2  # the draw put two on the waiting list and told them so
    assert send_due(store, closes + timedelta(minutes=5))["waitlist_closed"] == 0
    assert reminded(store, group, event.event_id, NotificationKind.WAITLIST_CLOSED) == {}


def test_the_players_of_a_published_scheduled_match_are_reminded_before_it(union):
    from chalicelib.domain.records import EventKind
    from chalicelib.services import competition, schedule
    from tests.integration.test_competition import KNOCKOUT, configure

    store, members = union
    players = members[60:64]
    day = china_day(60, 0)
    event = event_at(
        store,
        day + timedelta(hours=8),
        ReminderPlan.TWO_HOURS,
        kind=EventKind.SPORTS,
        format=EventFormat.TOURNAMENT,
        capacity=64,
        venue="东区体育馆",
    )
    register(store, players, event)
    configure(store, event, KNOCKOUT)
    competition.draw(store, ADMIN, event.event_id, "main", now())
    court = {"courts": [{"court_id": "c1", "name_zh": "1号场"}], "slot_minutes": 40, "rest_minutes": 10}
    hours = {"start": (day + timedelta(hours=8)).isoformat(), "end": (day + timedelta(hours=18)).isoformat()}
    schedule.set_venue(store, ADMIN, event.event_id, {**court, "sessions": [hours]}, now())
    rows = schedule.auto_schedule(store, ADMIN, event.event_id, now()).rows
    first, second = sorted((r for r in rows if r.match.entries and all(r.match.entries)), key=lambda r: r.starts_at)[:2]
    assert first.starts_at < second.starts_at  # one court: the semi-finals one after the other

    def match_reminders():
        found = reminded(store, players, event.event_id)
        return {staff_no: [n for n in notes if "match" in n.details] for staff_no, notes in found.items()}

    send_due(store, first.starts_at - timedelta(hours=2) + timedelta(minutes=1))
    assert {k: v for k, v in match_reminders().items() if v} == {}  # not published yet: the times are a draft
    competition.publish(store, ADMIN, event.event_id, True, now())
    send_due(store, first.starts_at - timedelta(hours=2) + timedelta(minutes=1))
    shown = {k: v for k, v in match_reminders().items() if v}
    assert sorted(shown) == sorted(first.match.entries)
    note = shown[first.match.entries[0]][0]
    assert note.details["when"] == first.starts_at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
    assert note.details["venue"] == "1号场 · 东区体育馆" and note.details["match"] == f"main:{first.match.match_id}"
    send_due(store, second.starts_at - timedelta(hours=2))
    shown = {k: v for k, v in match_reminders().items() if v}
    assert sorted(shown) == sorted(p.staff_no for p in players) and all(len(v) == 1 for v in shown.values())


def test_the_scheduled_job_runs_every_ten_minutes_through_its_lambda_handler(union):
    from devtools import local_jobs

    store, members = union
    member = members[70]
    start = now().replace(second=0, microsecond=0) + timedelta(hours=1, minutes=50)
    event = event_at(store, start, ReminderPlan.TWO_HOURS, title_zh="马上开始的讲座")
    register(store, [member], event)
    (job,) = [job for job in local_jobs.jobs() if job.name == "send_reminders"]
    assert job.every == 600
    assert local_jobs.run_job(job) == {"reminders": 1, "waitlist_closed": 0}  # its moment was ten minutes ago
    assert local_jobs.run_job(job) == {"reminders": 0, "waitlist_closed": 0}
    (note,) = reminded(store, [member], event.event_id)[member.staff_no]
    assert "马上开始的讲座" in notification_text(note, "zh")
