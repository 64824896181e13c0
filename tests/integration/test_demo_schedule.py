"""The demo cup's timetable as the demo loads it (devtools/demo/competitions.json: a ``venue`` step and two
``auto_schedule`` steps through chalicelib.services.schedule): four courts, the groups on the first day and the
knockout on the second, no conflict, every result entered after its match started; and the same draw fits one day
on the four courts, which is what the scheduler is asked for (issue 18 item 1)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.competition import timetable as rules
from chalicelib.domain.competition.model import MatchStatus
from chalicelib.domain.competition.schedule import job_id
from chalicelib.domain.competition.timetable import OpenSession
from chalicelib.services import schedule
from chalicelib.services.competition import load
from chalicelib.storage import get_store
from devtools.demo.loader import at_time
from devtools.demo.union import DemoUnion
from tests.integration.test_registration import ADMIN

CUP = "ev-01J6NJV89079VVCN85WE2NGK18"


@pytest.fixture(scope="module")
def union(restored_demo) -> DemoUnion:
    return restored_demo


def test_the_demo_cup_is_scheduled_on_four_courts_without_a_conflict(union: DemoUnion) -> None:
    store = get_store()
    event = next(e for e in union.events if e.event_id == CUP)
    view = schedule.timetable(store, ADMIN, CUP)
    assert view.venue is not None and [c.name_zh for c in view.venue.courts] == ["1号场", "2号场", "3号场", "4号场"]
    assert len(view.rows) == 32 and view.unplaced == [] and view.conflicts == []
    first_day = event.starts_at.date()
    for row in view.rows:
        assert row.status == "played" and row.starts_at is not None and row.ends_at is not None
        day = (row.starts_at.date() - first_day).days
        assert day == (0 if row.key.startswith("groups/") else 1), row.key
        assert row.ends_at <= at_time(row.starts_at.date(), "18:30")
    # every page reads the timetable: the competition's matches carry its courts and times
    state = load(store, event)
    assert state is not None
    by_key = {row.key: row for row in view.rows}
    for matches in state.matches.values():
        for match in matches:
            row = by_key[job_id(match)]
            assert (match.court, match.starts_at) == (row.court_name, row.starts_at.isoformat())  # type: ignore[union-attr]
    # results came in after their matches started (the audit log keeps when)
    results = {
        entry.target.split("/", 1)[1]: entry.at
        for entry in store.audit.for_unit(event.owner_unit_id, limit=500)
        if entry.action == "competition.result" and entry.target.startswith(CUP)
    }
    assert len(results) == 32
    for key, at in results.items():
        assert at >= by_key[key].starts_at, key  # type: ignore[operator]


def test_the_same_draw_fits_one_day_on_four_courts(union: DemoUnion) -> None:
    """The whole cup planned on the first day's sessions alone, as on the morning of a one-day cup (the knockout's
    sides as drawn, its matches after every group match): nothing left out, no conflict, over by 18:30."""
    store = get_store()
    event = next(e for e in union.events if e.event_id == CUP)
    state = load(store, event)
    assert state is not None and state.timetable.venue is not None
    first_day = event.starts_at.date()
    one_day = state.timetable.venue.model_copy(
        update={"sessions": tuple(s for s in state.timetable.venue.sessions if s.start.date() == first_day)}
    )
    assert all(isinstance(s, OpenSession) for s in one_day.sessions) and len(one_day.sessions) == 2
    unplayed = {
        stage: [m._replace(status=MatchStatus.READY if m.entries else MatchStatus.WAITING, result=None) for m in ms]
        for stage, ms in state.matches.items()
    }
    morning = at_time(first_day, "07:00")
    planned = rules.planned(state.competition, unplayed, one_day, {}, (), morning)
    assert planned.unplaced == () and len(planned.placements) == 32
    assert rules.conflicts(state.competition, unplayed, one_day, planned.placements, ()) == []
    last = max(p.starts_at for p in planned.placements.values() if p.starts_at is not None)
    assert last + timedelta(minutes=50) <= at_time(first_day, "18:30").astimezone(CHINA_TZ)


def test_scheduling_the_demo_cup_again_is_four_round_trips(union: DemoUnion) -> None:
    """The event (GetItem), its referees (Query), the competition with its timetable (one Query) and the write
    (TransactWriteItems: the timetable over its version, and the audit entry). Everything is played: nothing
    moves, and nothing else is read."""
    from chalicelib.domain.calendar import now
    from tests.round_trips import round_trips

    store = get_store()
    before = schedule.timetable(store, ADMIN, CUP)
    with round_trips() as calls:
        after = schedule.auto_schedule(store, ADMIN, CUP, now())
    assert calls.operations == ["GetItem", "Query", "Query", "TransactWriteItems"], calls.operations
    assert [(r.key, r.court, r.starts_at) for r in after.rows] == [(r.key, r.court, r.starts_at) for r in before.rows]
    assert after.version == (before.version or 0) + 1
