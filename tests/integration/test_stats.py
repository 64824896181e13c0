"""The year's statistics against DynamoDB Local, through the real services (issue 21 item 5): after registrations,
cancellations, waiting-list promotions, removals, check-ins and check-ins removed, competition results entered then
corrected, an event cancelled and a member moving unit, the stored rollups equal a recount from scratch
(services/stats.rebuild finds no difference). Changes reach the statistics as the tables' stream records do
(Lambda-shaped records of the keys each write touched, handed to refresh_from_records); six refreshes of one
event at once count it once; a rollup corrupted by hand is reported and fixed."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from datetime import timedelta

import pytest

from chalicelib.domain import stats as rules
from chalicelib.domain.calendar import now
from chalicelib.domain.records import SERIES, EventFormat, EventKind, EventStatus
from chalicelib.services import checkin as checkin_service
from chalicelib.services import competition as competition_service
from chalicelib.services import events as event_service
from chalicelib.services import organisation as organisation_service
from chalicelib.services import registration as registration_service
from chalicelib.services import stats as service
from chalicelib.services.checkin import Scan
from chalicelib.storage.tables import TABLES
from devtools import rebuild_stats
from tests.integration.test_registration import ADMIN, in_threads, open_event, principal, register


def record(table: str, **keys: str) -> dict:
    """A KEYS_ONLY stream record of ``table`` as Lambda hands it over."""
    name = next(model.Meta.table_name for model in TABLES if model.short_name == table)
    arn = f"arn:aws:dynamodb:ddblocal:000000000000:table/{name}/stream/2026-12-06T00:00:00.000"
    return {"eventName": "MODIFY", "eventSourceARN": arn, "dynamodb": {"Keys": {k: {"S": v} for k, v in keys.items()}}}


def event_records(store, event_id: str) -> list[dict]:
    """The records the writes to an event produce: the event item (its counters), every registration, every
    check-in, the competition."""
    found = [record("events", event_id=event_id), record("competitions", event_id=event_id, item="comp")]
    found += [record("registrations", event_id=event_id, entry=f"{r.scope}#{r.staff_no}")
              for r in store.registrations.for_event(event_id)]  # fmt: skip
    found += [record("attendance", event_id=event_id, mark=f"a#{c.point_id}#{c.staff_no}")
              for c in store.check_ins.for_event(event_id)]  # fmt: skip
    return found


def sync(store, event_id: str, *extra: dict) -> dict[str, int]:
    return service.refresh_from_records(store, [*event_records(store, event_id), *extra], now())


def contribution(store, event) -> dict:
    stored = store.stats.get(rules.year_scope(rules.year_of(event)), rules.event_item(event.event_id))
    return stored.data if stored else {}


def no_differences(store, year: int) -> None:
    report = service.rebuild(store, year, now())
    assert report.differences == [], report.differences


def check_in(store, event, member):
    scan = Scan(f"scan-{member.staff_no}-{event.event_id}", "entry", staff_no=member.staff_no)
    return checkin_service.check_in(store, ADMIN, event.event_id, scan, None, now())


@pytest.fixture(scope="module")
def counted(union):
    """The module's union with its roster counted: it was loaded in batches that no stream consumer saw (as the
    demo loader does, a rebuild with fix counts it)."""
    store, members = union
    report = service.rebuild(store, now().year, now(), fix=True)
    assert {d.scope for d in report.differences} == {rules.HEADCOUNT_SCOPE}
    assert store.stats.rollups(rules.HEADCOUNT_SCOPE, True)["t#union"]["members"] == len(members) + 1
    return union


def test_registrations_cancellations_promotions_removals_and_check_ins(counted):
    store, members = counted
    cs, math, med, cs2 = members[30], members[31], members[32], members[33]  # cs, math, med, cs
    event = open_event(store, capacity=2, days=0.01)  # check-in open now
    year = rules.year_of(event)
    for member in (cs, math, med, cs2):
        register(store, member, event)
    sync(store, event.event_id)
    found = contribution(store, event)
    assert found["t#union"]["places"] == 2 and found["t#union"]["waiting"] == 2
    assert found["t#u#cs"] == {"places": 1, "waiting": 1}
    assert (
        found["t#u#school"]["events"] == 1
        and found["t#union"][f"month_{event.starts_at.astimezone(rules.CHINA_TZ).month:02d}"] == 1
    )
    no_differences(store, year)
    # A cancellation promotes the first waiting (med); an organiser's removal the next (cs2).
    registration_service.cancel(store, principal(cs), event.event_id, SERIES, now())
    registration_service.remove(store, ADMIN, event.event_id, SERIES, math.staff_no, "重复报名", now())
    sync(store, event.event_id)
    found = contribution(store, event)
    assert found["t#union"]["places"] == 2 and "waiting" not in found["t#union"]
    assert found["t#u#cs"] == {"places": 1} and found["t#u#med"] == {"places": 1} and "t#u#math" not in found
    assert store.stats.get(rules.year_scope(year), rules.member_item(cs.staff_no)) is None  # cancelled: not reached
    assert store.stats.get(rules.year_scope(year), rules.member_item(cs2.staff_no)).data["t#u#cs"] == {
        "reached": 1,
        "reached_M" if cs2.gender.value == "M" else "reached_F": 1,
        rules.age_band(cs2.birth_date, year): 1,
    }
    no_differences(store, year)
    # Check-ins: 人次 and attendees; a check-in removed by the organiser.
    check_in(store, event, med)
    check_in(store, event, cs2)
    sync(store, event.event_id)
    assert contribution(store, event)["t#union"]["checkins"] == 2
    med_year = store.stats.get(rules.year_scope(year), rules.member_item(med.staff_no))
    assert med_year is not None and med_year.data["t#union"]["attendees"] == 1
    no_differences(store, year)
    checkin_service.undo_check_in(store, ADMIN, event.event_id, "entry", cs2.staff_no, "扫错了人", now())
    sync(store, event.event_id, record("attendance", event_id=event.event_id, mark=f"a#entry#{cs2.staff_no}"))
    found = contribution(store, event)
    assert found["t#union"]["checkins"] == 1 and "checkins" not in found["t#u#cs"]
    summary = store.stats.get(rules.year_scope(year), rules.event_item(event.event_id)).summary
    assert (summary["places"], summary["checkins"], summary["attendees"]) == (2, 1, 1)
    no_differences(store, year)


def test_an_event_cancelled_counts_only_as_cancelled_and_its_members_years_follow(counted):
    store, members = counted
    only = members[40]
    event = open_event(store, capacity=5, days=400, owner="math")  # next year: its own members' year
    year = rules.year_of(event)
    register(store, only, event)
    sync(store, event.event_id)
    assert contribution(store, event)["t#u#math"]["events"] == 1
    member_year = store.stats.get(rules.year_scope(year), rules.member_item(only.staff_no))
    assert member_year is not None and member_year.data["t#union"]["reached"] == 1
    event_service.change_status(store, ADMIN, event.event_id, EventStatus.CANCELLED, now())
    counts = sync(store, event.event_id)
    assert contribution(store, event) == {"t#u#math": {"events_cancelled": 1}, "t#union": {"events_cancelled": 1}}
    assert counts["events"] >= 1
    # The member took part in nothing else that year: their year is gone, and with it their place in "reached".
    assert store.stats.get(rules.year_scope(year), rules.member_item(only.staff_no)) is None
    assert "reached" not in store.stats.rollups(rules.year_scope(year), True).get("t#union", {})
    no_differences(store, year)


def test_competition_results_entered_then_corrected_move_the_awards(counted):
    store, members = counted
    first, second = members[50], members[52]  # math, med
    event = open_event(store, capacity=8, kind=EventKind.SPORTS, format=EventFormat.TOURNAMENT, title_zh="羽毛球单打")
    year = rules.year_of(event)
    register(store, first, event)
    register(store, second, event)
    stages = [{"stage_id": "main", "kind": "single_elimination", "name_zh": "决赛"}]
    competition_service.configure(store, ADMIN, event.event_id,
        {"match_format": "badminton", "tiebreak": "badminton", "stages": stages}, now())  # fmt: skip
    drawn = competition_service.draw(store, ADMIN, event.event_id, "main", now())
    final = drawn.stage_matches("main")[0]
    units = {first.staff_no: first.unit_id, second.staff_no: second.unit_id}
    win = {"games": [[21, 15], [21, 18]]}
    competition_service.enter_result(store, ADMIN, event.event_id, "main", final.match_id, win, now())
    competition_service.publish(store, ADMIN, event.event_id, True, now())
    sync(store, event.event_id)
    assert "awards" not in contribution(store, event)["t#union"]  # the stage is not closed: no results yet
    # The score was the wrong way round: corrected, then the stage closed; the awards follow the corrected result.
    loss = {"games": [[15, 21], [18, 21]], "correct": True}
    competition_service.enter_result(store, ADMIN, event.event_id, "main", final.match_id, loss, now())
    competition_service.close_stage(store, ADMIN, event.event_id, "main", now())
    sync(store, event.event_id)
    winner_unit, runner_unit = units[final.away.entry], units[final.home.entry]
    found = contribution(store, event)
    assert found[f"t#u#{winner_unit}"]["place_1"] == 1 and found[f"t#u#{runner_unit}"]["place_2"] == 1
    assert found["t#union"]["awards"] == 2
    awards = store.stats.get(rules.year_scope(year), rules.event_item(event.event_id)).summary["awards"]
    assert [(a["place"], a["members"]) for a in awards] == [(1, [final.away.entry]), (2, [final.home.entry])]
    assert awards[0]["label_zh"] == "决赛 冠军"
    no_differences(store, year)
    competition_service.publish(store, ADMIN, event.event_id, False, now())  # hidden again: no awards to count
    sync(store, event.event_id)
    assert "awards" not in contribution(store, event)["t#union"]
    no_differences(store, year)


def test_a_member_moving_unit_moves_their_year_and_headcount(counted):
    store, members = counted
    mover = members[60]  # cs
    assert mover.unit_id == "cs"
    event = open_event(store, capacity=5, days=3)
    year = rules.year_of(event)
    register(store, mover, event)
    sync(store, event.event_id, record("members", staff_no=mover.staff_no))
    headcount = store.stats.get(rules.HEADCOUNT_SCOPE, rules.member_item(mover.staff_no))
    assert headcount is not None and "t#u#cs" in headcount.data
    before = store.stats.rollups(rules.HEADCOUNT_SCOPE, True)
    organisation_service.change_member(store, ADMIN, store.members.get(mover.staff_no), {"unit_id": "med"})
    counts = service.refresh_from_records(store, [record("members", staff_no=mover.staff_no)], now())
    assert counts["headcount"] == 1 and counts["member_years"] >= 1
    after = store.stats.rollups(rules.HEADCOUNT_SCOPE, True)
    assert after["t#u#cs"]["members"] == before["t#u#cs"]["members"] - 1
    assert after["t#u#med"]["members"] == before["t#u#med"]["members"] + 1
    assert after["t#union"]["members"] == before["t#union"]["members"]
    moved = store.stats.get(rules.year_scope(year), rules.member_item(mover.staff_no))
    assert moved is not None and "t#u#med" in moved.data and "t#u#cs" not in moved.data
    # The event's places stay with the unit copied on the registration when it was made.
    assert contribution(store, event)["t#u#cs"]["places"] == 1
    no_differences(store, year)


def test_six_refreshes_of_one_event_at_once_count_it_once(counted):
    store, members = counted
    event = open_event(store, capacity=10, days=800)  # a year of its own
    year = rules.year_of(event)
    scope = rules.year_scope(year)
    for member in members[70:76]:
        register(store, member, event)
    results = in_threads([lambda: service.refresh_events(store, [event.event_id], now())] * 6)
    assert not [r for r in results if isinstance(r, Exception)], results
    # One refresh swapped the event in (and, as it started counting, its six members' years); the others lost the
    # swap or found it written, and changed nothing.
    assert sorted(results) == [0, 0, 0, 0, 0, 7]
    rollups = store.stats.rollups(scope, True)
    assert rollups["t#union"]["places"] == 6 and rollups["t#union"]["events"] == 1
    assert sum(c.get("places", 0) for item, c in rollups.items() if item.startswith("t#u#")) == 6
    # Replaying the same batch of records twice more changes nothing.
    for _ in range(2):
        sync(store, event.event_id)
    assert store.stats.rollups(scope, True)["t#union"]["places"] == 6
    assert store.stats.get(scope, rules.event_item(event.event_id)).version == 1
    no_differences(store, year)


def test_a_corrupted_rollup_is_reported_by_rebuild_and_fixed(counted):
    store, members = counted
    event = open_event(store, capacity=10, days=1200)
    year = rules.year_of(event)
    scope = rules.year_scope(year)
    for member in members[80:83]:
        register(store, member, event)
    sync(store, event.event_id)
    unit = members[80].unit_id
    stored = store.stats.rollups(scope, True)[f"t#u#{unit}"]
    store.stats.put_rollups(scope, {f"t#u#{unit}": {**stored, "places": stored["places"] + 5}})
    report = service.rebuild(store, year, now())
    assert (
        service.Difference(scope, f"t#u#{unit}", "places", stored["places"] + 5, stored["places"]) in report.differences
    )
    assert report.events == 1 and report.members == 3
    out = io.StringIO()
    with redirect_stdout(out):
        assert rebuild_stats.main(["--year", str(year), "--fix"]) == 0
    lines = out.getvalue().splitlines()
    assert any("places" in line and f"t#u#{unit}" in line for line in lines)
    assert lines[-1].startswith(f"rebuild year={year} events=1 members=3 differences=")
    assert store.stats.rollups(scope, True)[f"t#u#{unit}"] == stored
    no_differences(store, year)
    with redirect_stdout(io.StringIO()) as again:
        assert rebuild_stats.main(["--year", str(year)]) == 0
    assert again.getvalue().splitlines()[-1] == f"rebuild year={year} events=1 members=3 differences=0"


def test_a_date_moved_to_another_year_moves_the_contribution(counted):
    store, members = counted
    event = open_event(store, capacity=10, days=1600)
    year = rules.year_of(event)
    register(store, members[90], event)
    sync(store, event.event_id)
    later = {"starts_at": event.starts_at + timedelta(days=366), "ends_at": event.ends_at + timedelta(days=366)}
    event_service.update_event(store, ADMIN, event.event_id, later, True, now())
    sync(store, event.event_id)
    assert store.stats.get(rules.year_scope(year), rules.event_item(event.event_id)) is None
    assert store.stats.get(rules.year_scope(year + 1), rules.event_item(event.event_id)) is not None
    assert store.stats.get(rules.year_scope(year), rules.member_item(members[90].staff_no)) is None
    assert store.stats.rollups(rules.year_scope(year), True).get("t#union", {}).get("places", 0) == 0
    no_differences(store, year)
    no_differences(store, year + 1)


def test_a_members_year_reads_the_items_its_records_name_by_key_over_a_lagging_index(counted):
    store, members = counted
    member = members[95]
    event = open_event(store, capacity=5, days=0.01)
    low, high = rules.year_bounds(2000)[0], rules.year_bounds(rules.year_of(event) + 1)[1]
    # What a lagging by_member index would still show when the stream record of the registration is handled.
    before = store.registrations.for_member_between(member.staff_no, low, high)
    register(store, member, event)
    check_in(store, event, member)
    named = [("registrations", event.event_id, SERIES), ("attendance", event.event_id, "entry")]
    registrations, check_ins = service._read_fresh(store, member.staff_no, before, [], named)
    assert [(r.event_id, r.state.value) for r in registrations] == [(event.event_id, "confirmed")]
    assert [c.event_id for c in check_ins] == [event.event_id]
    # And a check-in the index still shows after it was removed is dropped.
    shown = store.check_ins.for_member_between(member.staff_no, low, high)
    checkin_service.undo_check_in(store, ADMIN, event.event_id, "entry", member.staff_no, "扫错了人", now())
    assert service._read_fresh(store, member.staff_no, [], shown, named[1:])[1] == []
    sync(store, event.event_id, record("attendance", event_id=event.event_id, mark=f"a#entry#{member.staff_no}"))
    year = store.stats.get(rules.year_scope(rules.year_of(event)), rules.member_item(member.staff_no))
    assert year is not None and "attendees" not in year.data["t#union"] and year.data["t#union"]["reached"] == 1


def test_rebuild_fix_while_the_consumers_swap_loses_nothing(counted):
    store, members = counted
    event = open_event(store, capacity=40, days=2400)  # a year of its own
    year = rules.year_of(event)
    scope = rules.year_scope(year)
    for member in members[100:104]:
        register(store, member, event)
    sync(store, event.event_id)
    union = store.stats.rollups(scope, True)["t#union"]
    store.stats.put_rollups(scope, {"t#union": {**union, "places": union["places"] + 9}})  # corrupted by hand
    late = members[104:110]

    def register_and_refresh(member):
        return lambda: (register(store, member, event), sync(store, event.event_id))

    results = in_threads([lambda: service.rebuild(store, year, now(), fix=True), *map(register_and_refresh, late)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert store.stats.rollups(scope, True)["t#union"]["places"] == 10
    no_differences(store, year)
