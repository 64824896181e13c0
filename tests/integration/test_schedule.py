"""The timetable service against DynamoDB Local (chalicelib/services/schedule.py): a venue set, the matches
scheduled and shown on every page that reads the competition, moves by hand flagged, played matches never moved,
postponements, organisers only, two organisers at once, and results never conflicting with the timetable."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.competition import schedule as sched
from chalicelib.domain.competition.model import MatchStatus
from chalicelib.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.services import competition as service
from chalicelib.services import schedule
from tests.integration.test_competition import WIN, configure, tournament
from tests.integration.test_registration import ADMIN, in_threads, principal

STAGES = [
    {"stage_id": "groups", "kind": "groups", "name_zh": "小组赛", "groups": 2, "qualifiers": 2},
    {"stage_id": "knockout", "kind": "single_elimination", "name_zh": "淘汰赛"},
]
DAY = datetime(2031, 5, 10, tzinfo=CHINA_TZ)
BEFORE = DAY - timedelta(days=3)


def venue(**extra):
    return {
        "courts": [
            {"court_id": "c1", "name_zh": "1号场", "name_en": "Court 1"},
            {"court_id": "c2", "name_zh": "2号场"},
        ],
        "sessions": [{"start": (DAY + timedelta(hours=8)).isoformat(), "end": (DAY + timedelta(hours=18)).isoformat()}],
        "slot_minutes": 40,
        "rest_minutes": 10,
        **extra,
    }


@pytest.fixture
def cup(union):
    """Eight members in two groups of four, drawn, with a venue of two courts for one day."""
    store, members = union
    event = tournament(store, members, 8)
    configure(store, event, STAGES)
    service.draw(store, ADMIN, event.event_id, "groups", now())
    schedule.set_venue(store, ADMIN, event.event_id, venue(), BEFORE)
    return store, members, event


def test_the_groups_are_scheduled_and_every_page_shows_court_and_time(cup):
    store, _members, event = cup
    view = schedule.auto_schedule(store, ADMIN, event.event_id, BEFORE)
    assert len(view.rows) == 12 and view.unplaced == [] and view.conflicts == []
    assert all(row.court in ("c1", "c2") and row.starts_at >= DAY + timedelta(hours=8) for row in view.rows)
    assert all(row.status == "ready" and not row.locked for row in view.rows)
    shown = service.view(store, ADMIN, event.event_id).stage_matches("groups")
    by_key = {row.key: row for row in view.rows}
    for match in shown:
        row = by_key[sched.job_id(match)]
        assert match.court == row.court_name and match.starts_at == row.starts_at.isoformat()
    # the timetable has its own version: a referee's result goes in over it, and the placement stays
    first = view.rows[0]
    service.enter_result(store, ADMIN, event.event_id, "groups", first.match.match_id, WIN, now())
    again = schedule.timetable(store, ADMIN, event.event_id)
    assert again.version == view.version
    assert next(row for row in again.rows if row.key == first.key).status == "played"
    assert [r.starts_at for r in again.rows] == [r.starts_at for r in view.rows]


def test_moves_by_hand_are_kept_locked_and_flagged_and_played_matches_never_move(cup):
    store, _members, event = cup
    view = schedule.auto_schedule(store, ADMIN, event.event_id, BEFORE)
    one, two = view.rows[0], view.rows[1]
    moved = schedule.move(store, ADMIN, event.event_id, two.key, one.court, one.starts_at, BEFORE)
    row = next(r for r in moved.rows if r.key == two.key)
    assert row.locked and row.court == one.court and row.starts_at == one.starts_at
    assert (sched.COURT_DOUBLE_BOOKED, tuple(sorted((one.key, two.key)))) in [
        (kind, tuple(sorted(keys))) for kind, keys in moved.conflicts
    ]
    assert sched.COURT_DOUBLE_BOOKED in next(r for r in moved.rows if r.key == one.key).conflicts
    # the scheduler keeps the locked one and moves the other away: no conflict left
    rescheduled = schedule.auto_schedule(store, ADMIN, event.event_id, BEFORE)
    assert next(r for r in rescheduled.rows if r.key == two.key).starts_at == one.starts_at
    assert rescheduled.conflicts == []
    # unlock, swap, unschedule
    unlocked = schedule.set_locked(store, ADMIN, event.event_id, two.key, False, BEFORE)
    assert not next(r for r in unlocked.rows if r.key == two.key).locked
    third = rescheduled.rows[2]
    swapped = schedule.swap(store, ADMIN, event.event_id, two.key, third.key, BEFORE)
    after = {r.key: r for r in swapped.rows}
    assert (after[two.key].court, after[two.key].starts_at) == (third.court, third.starts_at)
    assert after[two.key].locked and after[third.key].locked
    gone = schedule.unschedule(store, ADMIN, event.event_id, third.key, BEFORE)
    assert (third.key, "schedule_not_scheduled") in gone.unplaced
    # a played match is never moved
    service.enter_result(store, ADMIN, event.event_id, "groups", one.match.match_id, WIN, now())
    for call in (
        lambda: schedule.move(store, ADMIN, event.event_id, one.key, "c2", DAY + timedelta(hours=9), BEFORE),
        lambda: schedule.unschedule(store, ADMIN, event.event_id, one.key, BEFORE),
        lambda: schedule.postpone(store, ADMIN, event.event_id, one.key, date(2031, 5, 11), BEFORE),
    ):
        with pytest.raises(Conflict) as refused:
            call()
        assert refused.value.code == "schedule_match_played"
    audit = {entry.action for entry in store.audit.for_unit(event.owner_unit_id, limit=50)}
    assert {"competition.schedule.venue", "competition.schedule.auto", "competition.schedule.move",
            "competition.schedule.swap", "competition.schedule.lock"} <= audit  # fmt: skip


def test_a_postponed_match_goes_back_in_on_or_after_its_date(cup):
    store, _members, event = cup
    days = [(DAY + timedelta(days=d, hours=8), DAY + timedelta(days=d, hours=18)) for d in (0, 1)]
    two_days = venue(sessions=[{"start": start.isoformat(), "end": end.isoformat()} for start, end in days])
    schedule.set_venue(store, ADMIN, event.event_id, two_days, BEFORE)
    view = schedule.auto_schedule(store, ADMIN, event.event_id, BEFORE)
    key = view.rows[0].key
    postponed = schedule.postpone(store, ADMIN, event.event_id, key, date(2031, 5, 11), BEFORE)
    assert (key, "schedule_postponed") in postponed.unplaced
    assert next(r for r in postponed.rows if r.key == key).court is None
    placed = next(r for r in schedule.auto_schedule(store, ADMIN, event.event_id, BEFORE).rows if r.key == key)
    assert placed.starts_at >= DAY + timedelta(days=1) and placed.postponed_to == date(2031, 5, 11)


def test_bad_input_and_who_may(cup):
    store, members, event = cup
    with pytest.raises(InvalidInput):
        schedule.set_venue(store, ADMIN, event.event_id, venue(slot_minutes=5), BEFORE)
    with pytest.raises(InvalidInput):
        schedule.set_venue(store, ADMIN, event.event_id, venue(stage_minutes=[{"stage_id": "final", "minutes": 60}]),
                           BEFORE)  # fmt: skip
    view = schedule.auto_schedule(store, ADMIN, event.event_id, BEFORE)
    with pytest.raises(InvalidInput):
        schedule.move(store, ADMIN, event.event_id, view.rows[0].key, "c9", DAY + timedelta(hours=9), BEFORE)
    with pytest.raises(NotFound):
        schedule.move(store, ADMIN, event.event_id, "groups/Z9-9", "c1", DAY + timedelta(hours=9), BEFORE)
    member = principal(members[0])
    for call in (
        lambda: schedule.timetable(store, member, event.event_id),
        lambda: schedule.auto_schedule(store, member, event.event_id, BEFORE),
        lambda: schedule.set_venue(store, member, event.event_id, venue(), BEFORE),
    ):
        with pytest.raises(Forbidden):
            call()


def test_no_venue_no_schedule(union):
    store, members = union
    event = tournament(store, members, 4)
    configure(store, event, [{"stage_id": "main", "kind": "single_elimination", "name_zh": "淘汰赛"}])
    service.draw(store, ADMIN, event.event_id, "main", now())
    view = schedule.timetable(store, ADMIN, event.event_id)
    assert view.venue is None and view.version is None
    assert {reason for _, reason in view.unplaced} == {"schedule_no_venue"}
    with pytest.raises(Conflict) as refused:
        schedule.auto_schedule(store, ADMIN, event.event_id, BEFORE)
    assert refused.value.code == "schedule_no_venue"


def test_two_organisers_moving_at_once_both_land_nothing_half_written(cup):
    store, _members, event = cup
    view = schedule.auto_schedule(store, ADMIN, event.event_id, BEFORE)
    one, two = view.rows[0].key, view.rows[1].key
    late = DAY + timedelta(hours=16)
    results = in_threads([
        lambda: schedule.move(store, ADMIN, event.event_id, one, "c1", late, BEFORE),
        lambda: schedule.move(store, ADMIN, event.event_id, two, "c2", late, BEFORE),
    ])  # fmt: skip
    assert not any(isinstance(result, Exception) for result in results), results
    final = {row.key: row for row in schedule.timetable(store, ADMIN, event.event_id).rows}
    assert (final[one].court, final[one].starts_at) == ("c1", late)
    assert (final[two].court, final[two].starts_at) == ("c2", late)
    assert schedule.timetable(store, ADMIN, event.event_id).version == view.version + 2


def test_the_knockout_is_scheduled_after_the_groups_it_follows(cup):
    store, _members, event = cup
    schedule.auto_schedule(store, ADMIN, event.event_id, BEFORE)
    while ready := [m for m in service.view(store, ADMIN, event.event_id).stage_matches("groups")
                    if m.status == MatchStatus.READY]:  # fmt: skip
        for match in ready:
            service.enter_result(store, ADMIN, event.event_id, "groups", match.match_id, WIN, now())
    service.close_stage(store, ADMIN, event.event_id, "groups", now())
    view = schedule.auto_schedule(store, ADMIN, event.event_id, BEFORE)
    groups_end = max(r.ends_at for r in view.rows if r.key.startswith("groups/"))
    knockout = [r for r in view.rows if r.key.startswith("knockout/")]
    assert knockout and all(r.starts_at >= groups_end + timedelta(minutes=10) for r in knockout)
    assert view.conflicts == [] and view.unplaced == []


def test_a_move_is_four_round_trips(cup):
    """The event (GetItem), its referees (Query), the competition with its timetable (one Query), the write."""
    from tests.round_trips import round_trips

    store, _members, event = cup
    key = schedule.auto_schedule(store, ADMIN, event.event_id, BEFORE).rows[0].key
    with round_trips() as calls:
        schedule.move(store, ADMIN, event.event_id, key, "c2", DAY + timedelta(hours=17), BEFORE)
    assert calls.operations == ["GetItem", "Query", "Query", "TransactWriteItems"], calls.operations


def test_a_league_plays_at_home_on_its_matchdays_and_a_postponed_match_moves(union):
    store, members = union
    event = tournament(store, members, 4)
    league = {"stage_id": "league", "kind": "league", "name_zh": "联赛", "first_matchday": "2031-09-06",
              "days_between": 7}  # fmt: skip
    competition = configure(store, event, [league])
    service.draw(store, ADMIN, event.event_id, "league", now())
    entries = [entry.entry_id for entry in competition.entries]
    venue = {
        "courts": [{"court_id": f"h{i}", "name_zh": f"{i}号馆"} for i in range(4)],
        "matchday_times": [{"start": "15:00", "end": "18:00"}],
        "slot_minutes": 90,
        "home_venues": [{"entry_id": entry, "courts": [f"h{i}"]} for i, entry in enumerate(entries)],
    }
    schedule.set_venue(store, ADMIN, event.event_id, venue, BEFORE)
    view = schedule.auto_schedule(store, ADMIN, event.event_id, datetime(2031, 9, 1, tzinfo=CHINA_TZ))
    assert len(view.rows) == 6 and view.unplaced == [] and view.conflicts == []
    for row in view.rows:
        assert row.court == f"h{entries.index(row.match.home.entry)}"
        assert row.starts_at == datetime.combine(date.fromisoformat(row.match.matchday), time(15), CHINA_TZ)
    moved = view.rows[0]
    schedule.postpone(store, ADMIN, event.event_id, moved.key, date(2031, 10, 8), BEFORE)
    again = schedule.auto_schedule(store, ADMIN, event.event_id, datetime(2031, 9, 1, tzinfo=CHINA_TZ))
    row = next(r for r in again.rows if r.key == moved.key)
    assert (row.court, row.starts_at) == (moved.court, datetime(2031, 10, 8, 15, tzinfo=CHINA_TZ))
    assert row.postponed_to == date(2031, 10, 8) and again.conflicts == []
    assert [(r.key, r.starts_at) for r in again.rows if r.key != moved.key] == [
        (r.key, r.starts_at) for r in view.rows if r.key != moved.key
    ]
