"""The demo's 第七届职工岗位技能竞赛 (issue 19 items 7 and 10): one contest of three categories and six events, each
with its own judges, entered by the units' admins through chalicelib.services.contests (answering the event's form
for their members), judged, closed and published, with the units ranked and 优秀组织奖 given by the stated rule."""

from __future__ import annotations

from collections import Counter

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.competition.contests import categories
from chalicelib.domain.competition.setup import StageState
from chalicelib.domain.records import SERIES
from chalicelib.services import competition as competition_service
from chalicelib.services import contests as service
from chalicelib.services.competition_views import awards
from chalicelib.storage import get_store

EVENT = "ev-01J6NHT9K0SQSPNVJHDNHQM6EX"


@pytest.fixture(scope="module")
def demo(restored_demo):
    return restored_demo


def test_the_skill_contest_is_one_contest_of_categories_and_events(demo):
    (contest,) = [c for c in demo.competitions if c.setup.event_id == EVENT]
    setup = contest.setup
    assert setup.published and len(setup.contests) == 6 and len(setup.stages) == 7
    assert [c.name_zh for c in categories(setup)] == ["教学类", "医疗卫生类", "后勤保障类"]
    units = {entry.entry_id: entry.unit_id for entry in setup.entries}
    for event in setup.contests:
        counts = Counter(units[e] for e in event.entries)
        assert event.entries and max(counts.values()) <= (event.cap_per_unit or 99), event.code
        assert len(counts) >= 2, event.code  # several units in every event
        # every stage of the event is closed, its panel is its own and no judge is one of its entrants
        for stage in setup.chain(event.code):
            assert setup.run(stage.stage_id).state == StageState.CLOSED
            judges = set(stage.judging.panels[0].judges)  # type: ignore[union-attr]
            assert judges and not judges & set(event.entries)
    # the preliminary sent its four best to the final
    assert len(setup.run("teach-final").entries) == 4 and set(setup.run("teach-final").entries) < set(
        setup.contest("teach").entries  # type: ignore[union-attr]
    )
    # the demo member is entered in two events
    member = next(a.staff_no for a in demo.accounts if "member" in a.role)
    assert [e.code for e in setup.contests if member in e.entries] == ["teach", "lab"]


def test_entrants_were_entered_by_their_units_admins_answering_the_form(demo):
    store = get_store()
    admins = {a.staff_no for a in demo.accounts if "unit admin" in a.role}
    union_admin = next(a.staff_no for a in demo.accounts if "union admin" in a.role)
    registrations = [r for r in store.registrations.for_event(EVENT) if r.scope == SERIES]
    assert registrations and all(r.answers == {"post": "岗位能手"} for r in registrations)
    by = Counter(r.added_by for r in registrations)
    assert set(by) <= admins | {union_admin} and len(set(by) & admins) == 2  # cs and hospital enter their own


def test_units_are_ranked_and_two_get_the_organisation_award(demo):
    store = get_store()
    event = store.events.get(EVENT)
    state = competition_service.view(store, Principal(), EVENT)
    assert event is not None and state.competition.unit_awards is not None
    results = service.results(state)
    assert all(found.closed for found in results.events.values())
    winners = [line for line in results.units if line.award]
    assert len(winners) == 2 and [line.rank for line in results.units] == sorted(line.rank for line in results.units)
    # rule "both": award points plus one point per event entered, the best two places win
    points = {line.unit_id: line.points + line.events for line in results.units}
    assert min(points[w.unit_id] for w in winners) >= max(
        points[line.unit_id] for line in results.units if not line.award
    )
    assert sum(sum(line.tiers.values()) for line in results.units) == 18  # 3 awards in each of 6 events
    # and 20 certificates: each event's final round's tiers, and 优秀组织奖 to the two units
    given = awards(state)
    assert len(given) == 20 and {a.stage.stage_id for a in given} >= {"teach-final", "electric"}
    assert sorted(a.entry_id for a in given if a.organisation) == sorted(w.unit_id for w in winners)
