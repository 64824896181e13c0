"""Heats to a final on DynamoDB Local (chalicelib.services.meet_rounds): draw, marks, close, Q/q, the final drawn
from the qualifiers, the discipline's placings and unit points, refusals, two referees at once."""

from __future__ import annotations

import pytest

from chalicelib.domain.calendar import now
from chalicelib.domain.records import EventFormat, EventKind
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.services import competition as service
from chalicelib.services import competition_officials
from chalicelib.services import meet_rounds as rounds
from tests.integration.test_registration import ADMIN, in_threads, open_event, principal, register

ROUNDS = [{"code": "h", "lanes": 4, "by_place": 1, "by_time": 2, "day": "2026-10-20", "time": "09:00"},
          {"code": "f", "lanes": 4, "heats": 1, "day": "2026-10-20", "time": "15:30"}]  # fmt: skip


def _meet(store, members, count=8, discipline_rounds=ROUNDS):
    event = open_event(store, capacity=50, kind=EventKind.SPORTS, format=EventFormat.MEET, title_zh="田径运动会")
    runners = members[70 : 70 + count]
    for runner in runners:
        register(store, runner, event)
    ids = [r.staff_no for r in runners]
    m100 = {"code": "m100", "name_zh": "100米", "measure": "time", "entries": ids, "rounds": discipline_rounds}
    stages = [{"stage_id": "meet", "kind": "measured", "name_zh": "田径", "meet": {"disciplines": [m100]}}]
    service.configure(store, ADMIN, event.event_id, {"stages": stages}, now())
    service.open_stage(store, ADMIN, event.event_id, "meet", now())
    return event, ids


def _enter(store, event, code, times, by=ADMIN):
    for entry, time in times.items():
        rounds.enter_marks(store, by, event.event_id, "meet", "m100", code, entry, [time], now())


def test_heats_then_a_final_by_place_and_time(union):
    store, members = union
    event, ids = _meet(store, members)
    with pytest.raises(Conflict) as early:  # a final before its heats are closed
        rounds.draw(store, ADMIN, event.event_id, "meet", "m100", "f", now())
    assert early.value.code == "round.previous_open"
    seed_marks = {entry: f"12.{n}0" for n, entry in enumerate(ids)}  # ids[0] best
    heats = rounds.draw(store, ADMIN, event.event_id, "meet", "m100", "h", now(), seed_marks=seed_marks)
    assert [len(heat) for heat in heats.heats] == [4, 4]
    assert {lane.entry_id for lane in heats.heats[0]} == {ids[0], ids[3], ids[4], ids[7]}  # zigzag of the seeds
    again = rounds.draw(store, ADMIN, event.event_id, "meet", "m100", "h", now(), seed=heats.seed,
                        seed_marks=seed_marks)  # fmt: skip
    assert again.heats == heats.heats and again.redraws == 1  # the same seed draws the same heats and lanes
    with pytest.raises(Conflict) as undrawn:
        rounds.enter_marks(store, ADMIN, event.event_id, "meet", "m100", "f", ids[0], ["11.00"], now())
    assert undrawn.value.code == "round.not_drawn"
    with pytest.raises(NotFound) as unknown:
        rounds.enter_marks(store, ADMIN, event.event_id, "meet", "m100", "sf", ids[0], ["11.00"], now())
    assert unknown.value.code == "round.not_found"
    heat_a = {ids[0]: "12.00", ids[3]: "12.50", ids[4]: "12.40", ids[7]: "DNS"}
    heat_b = {ids[1]: "12.10", ids[2]: "12.20", ids[5]: "12.30", ids[6]: "12.90"}
    with pytest.raises(InvalidInput):
        _enter(store, event, "h", {ids[0]: "1:2.3"})
    _enter(store, event, "h", heat_a)
    with pytest.raises(Conflict) as redraw:
        rounds.draw(store, ADMIN, event.event_id, "meet", "m100", "h", now())
    assert redraw.value.code == "round.marks_entered"
    _enter(store, event, "h", {entry: heat_b[entry] for entry in list(heat_b)[:3]})
    with pytest.raises(Conflict) as warned:
        rounds.close(store, ADMIN, event.event_id, "meet", "m100", "h", now())
    assert warned.value.code == "round.marks_missing" and warned.value.details == {"missing": [ids[6]]}
    _enter(store, event, "h", {ids[6]: "12.90"})
    closed = rounds.close(store, ADMIN, event.event_id, "meet", "m100", "h", now())
    assert closed.qualified == (ids[0], ids[1])  # the heat winners, fastest first
    assert closed.by_time == (ids[2], ids[5])  # the next two times
    with pytest.raises(Conflict) as late:
        _enter(store, event, "h", {ids[0]: "11.00"})
    assert late.value.code == "round.closed"
    final = rounds.draw(store, ADMIN, event.event_id, "meet", "m100", "f", now())
    lane_of = {lane.entry_id: lane.lane for lane in final.heats[0]}
    assert set(lane_of) == {ids[0], ids[1], ids[2], ids[5]}  # four lanes: all by lot
    with pytest.raises(NotFound) as not_in_final:
        _enter(store, event, "f", {ids[3]: "12.00"})
    assert not_in_final.value.code == "round.entry_not_in_round"
    _enter(store, event, "f", {ids[0]: "12.05", ids[1]: "11.95", ids[2]: "12.30", ids[5]: "DNF"})
    current = service.view(store, ADMIN, event.event_id)
    outcome = service.outcome(current, current.competition.stage("meet"))
    (m100,) = outcome.disciplines
    assert [(p.entry_id, p.place) for p in m100.placings] == [
        (ids[1], 1), (ids[0], 2), (ids[2], 3),  # the final
        (ids[4], 5), (ids[3], 6), (ids[6], 7),  # out in the heats, by their heat times, after the four finalists
        (ids[5], None), (ids[7], None),  # DNF in the final, DNS in the heats
    ]  # fmt: skip
    assert not outcome.complete  # the final is not closed yet
    rounds.close(store, ADMIN, event.event_id, "meet", "m100", "f", now())
    current = service.view(store, ADMIN, event.event_id)
    assert service.outcome(current, current.competition.stage("meet")).complete


def test_more_entries_than_lanes_refused_and_nothing_written(union):
    store, members = union
    fixed = [{"code": "f", "lanes": 4, "heats": 1}]
    event, _ids = _meet(store, members, count=6, discipline_rounds=fixed)
    with pytest.raises(Conflict) as refused:
        rounds.draw(store, ADMIN, event.event_id, "meet", "m100", "f", now())
    assert refused.value.code == "round.lanes_exceeded"
    assert refused.value.params == {"entries": 6, "heats": 1, "lanes": 4}
    assert service.view(store, ADMIN, event.event_id).rounds == {}


def test_two_referees_at_once_both_land_and_a_close_is_not_made_over_them(union):
    store, members = union
    event, ids = _meet(store, members)
    referees = members[10:12]
    for referee in referees:
        competition_officials.name_official(store, ADMIN, event.event_id, referee.staff_no, "referee", now())
    drawn = rounds.draw(store, ADMIN, event.event_id, "meet", "m100", "h", now())
    first, second = ([lane.entry_id for lane in heat] for heat in drawn.heats)
    by = [principal(referee) for referee in referees]

    def enter(n: int, entry: str):
        return lambda: rounds.enter_marks(
            store, by[n % 2], event.event_id, "meet", "m100", "h", entry, ["12.34"], now()
        )

    calls = [enter(n, entry) for n, entry in enumerate([*first, *second])]
    results = in_threads(calls)
    assert all(isinstance(result, dict) for result in results), results
    place = rounds.round_place(service.view(store, ADMIN, event.event_id), "meet", "m100", "h")
    assert set(place.marks) == set(ids) and rounds.missing(place) == []
    # the rounds' version moved with every mark: a close from an older read would be refused
    assert place.version == 1 + len(ids)
