"""The demo union's statistics (its last year and this year, loaded through the services and counted by a rebuild
with fix): a rebuild finds nothing more to fix, and recounting every source one by one the way the stream consumers
do (an event, a member's year by their own registrations and check-ins, a headcount) changes nothing: the two ways
of counting agree on real data."""

from __future__ import annotations

from chalicelib.domain import stats as rules
from chalicelib.domain.calendar import now
from chalicelib.services import stats as service
from chalicelib.storage import get_store


def test_the_demo_years_are_counted_and_each_source_recounts_the_same(restored_demo):
    store = get_store()
    year = now().year
    for counted in (year - 1, year):
        report = service.rebuild(store, counted, now())
        assert report.differences == [], report.differences
        assert report.events > 0 and report.members > 0
        scope = rules.year_scope(counted)
        events = [item[len(rules.EVENT_PREFIX) :] for item, _ in store.stats.summaries(scope, rules.EVENT_PREFIX)]
        members = [item[len(rules.MEMBER_PREFIX) :] for item, _ in store.stats.summaries(scope, rules.MEMBER_PREFIX)]
        assert service.refresh_events(store, events, now()) == 0
        assert service.refresh_member_years(store, [(m, counted) for m in members], now()) == 0
    roster = [item[len(rules.MEMBER_PREFIX) :] for item, _ in store.stats.summaries(rules.HEADCOUNT_SCOPE, "m#")]
    assert len(roster) > 300
    assert service.refresh_headcount(store, roster, now()) == 0
    rollups = service.year_rollups(store, year)
    assert rollups.union["places"] == sum(counters.get("places", 0) for counters in rollups.units.values())
    assert rollups.headcount_union["members"] == len(roster)
