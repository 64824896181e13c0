"""The demo union's history (issue 21, item 6): last year's and this year's finished events, loaded through the
services with the rest of the demo (devtools/demo/history.py), as the session loaded it."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from chalicelib.domain.calendar import now
from chalicelib.domain.competition.setup import Competition
from chalicelib.domain.records import EventStatus, RegistrationState
from chalicelib.storage import get_store
from devtools.demo.history import SETTLED, read_history, years
from devtools.demo.snapshot import restore


@pytest.fixture(scope="module")
def history_store(dynamodb, loaded_demo):
    _, items = loaded_demo
    restore(dynamodb, items)
    return get_store()


def test_both_years_hold_finished_events_of_every_kind_by_several_units(history_store, demo_day):
    history = read_history(demo_day)
    last, this = years(demo_day)
    by_year = Counter(h.planned.event.starts_at.year for h in history)
    assert by_year[last] >= 14
    assert set(by_year) <= {last, this}
    # This year's: those that ended a week before today (the whole file from October on).
    for h in history:
        assert h.planned.event.ends_at.date() <= demo_day - SETTLED
    if demo_day.month >= 10:
        assert by_year[this] >= 12
    stored = [history_store.events.get(h.planned.event.event_id, consistent=True) for h in history]
    assert all(event is not None and event.status is EventStatus.FINISHED for event in stored)
    for year in (last, this):
        events = [e for e in stored if e is not None and e.starts_at.year == year]
        if not events:
            continue
        owners = {e.owner_unit_id for e in events}
        assert "school" in owners and len(owners) >= 4, owners
        assert {e.kind.value for e in events} == {"sports", "skills", "wellness"}
        assert len({e.format.value for e in events}) >= 4


def test_registrations_cancel_promote_and_not_everyone_comes(history_store, demo_day):
    history = read_history(demo_day)
    states: Counter[str] = Counter()
    promoted = came_partly = classes = 0
    for h in history:
        event = h.planned.event
        registrations = history_store.registrations.for_event(event.event_id)
        states.update(r.state.value for r in registrations)
        confirmed = {r.staff_no for r in registrations if r.state is RegistrationState.CONFIRMED}
        assert len(registrations) == h.people["take"]
        if event.capacity is not None:
            assert len(confirmed) <= event.capacity
        promoted += sum(1 for r in registrations if r.promoted_at is not None)
        check_ins = history_store.check_ins.for_event(event.event_id)
        assert check_ins, event.title_zh
        came = {c.staff_no for c in check_ins}
        assert came <= confirmed
        came_partly += len(came) < len(confirmed)
        if h.planned.sessions:
            classes += 1
            # At each session, and not everyone at every one.
            points = Counter(c.point_id for c in check_ins)
            assert len(points) == len(h.planned.sessions)
            assert min(points.values()) < len(confirmed)
    assert states["cancelled"] >= 10 and states["confirmed"] >= 150
    assert promoted >= 4
    assert came_partly >= 5
    assert classes >= 1


def test_two_contests_published_their_results(history_store, demo_day):
    history = [h for h in read_history(demo_day) if h.competition is not None]
    assert history
    for h in history:
        items = history_store.competitions.get(h.planned.event.event_id)
        assert items is not None
        competition = Competition.model_validate(items.setup)
        assert competition.published
        judges = {m.judge for m in items.marks}
        assert len(judges) == len(h.competition["judges"])
    assert demo_day - timedelta(days=365) < max(h.planned.event.starts_at.date() for h in history)


@pytest.mark.parametrize(
    ("day", "this_year"), [(date(2027, 1, 3), 0), (date(2028, 2, 29), 1), (date(2026, 12, 31), 14)]
)
def test_any_day_plans_last_year_whole_and_this_year_up_to_a_week_before(day, this_year):
    history = read_history(day)
    last, this = years(day)
    by_year = Counter(h.planned.event.starts_at.year for h in history)
    assert by_year[last] == 16 and by_year[this] == this_year
    assert all(h.planned.event.ends_at.date() <= day - SETTLED for h in history)


def test_the_loaded_years_count_in_the_statistics_and_a_rebuild_finds_nothing_to_fix(history_store, demo_day):
    from chalicelib.services.stats import rebuild, year_rollups

    history = read_history(demo_day)
    for year in years(demo_day):
        rollups = year_rollups(history_store, year)
        ours = [h.planned.event for h in history if h.planned.event.starts_at.year == year]
        union = rollups.union
        assert union["events"] >= len(ours)
        assert union["places"] > 60 and union["checkins"] > 60 and union["reached"] > 40
        assert union["awards"] >= 6 and union["completions"] > 0
        organisers = {unit for unit, counters in rollups.units.items() if counters.get("events")}
        assert {"school", "hospital", "cs"} <= organisers and len(organisers) >= 5
        # Units that ran none are there too, with their members' places.
        quiet = {
            unit for unit, counters in rollups.units.items() if not counters.get("events") and counters.get("places")
        }
        assert len(quiet) >= 10
        assert union["places"] == sum(counters.get("places", 0) for counters in rollups.units.values())
        report = rebuild(history_store, year, now())
        assert report.differences == [] and report.events >= len(ours) and report.members == union["reached"]
    assert year_rollups(history_store, demo_day.year).headcount_union["members"] > 300
