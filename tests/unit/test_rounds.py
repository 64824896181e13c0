"""Rounds of a track discipline (chalicelib.domain.competition.rounds): seeding, lanes, Q/q, timed finals, placings."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from pydantic import ValidationError

from chalicelib.domain.competition.draws import DrawError
from chalicelib.domain.competition.measured import Measure
from chalicelib.domain.competition.rounds import (
    DisciplineRounds,
    RoundRun,
    RoundSpec,
    discipline_placings,
    draw_round,
    going_on,
    lane_groups,
    round_entries,
    round_name,
)
from chalicelib.domain.competition.setup import Discipline

TIME = Measure.TIME
HEATS = RoundSpec(code="h", lanes=8, by_place=2, by_time=2)
FINAL = RoundSpec(code="f", lanes=8, heats=1)


def _run(code: str, heats: list[list[str]], **changes) -> RoundRun:
    from chalicelib.domain.competition.rounds import Lane

    lanes = tuple(tuple(Lane(entry_id=e, lane=n) for n, e in enumerate(heat, 1)) for heat in heats)
    return RoundRun(code=code, seed="s", heats=lanes, **changes)


def test_rounds_are_checked_in_the_set_up():
    Discipline(code="m100", name_zh="100米", measure="time", rounds=(HEATS, FINAL))
    for rounds in ([FINAL, HEATS], [HEATS], [RoundSpec(code="h"), FINAL], [HEATS, RoundSpec(code="f", by_time=2)]):
        with pytest.raises(ValidationError):
            Discipline(code="m100", name_zh="100米", measure="time", rounds=rounds)
    # stored set-ups without rounds stay readable: one round as before
    assert Discipline(code="m100", name_zh="100米", measure="time").rounds == ()


def test_lane_groups_follow_the_world_athletics_rule_for_eight_lanes():
    assert lane_groups(8) == [[3, 4, 5, 6], [7, 8], [1, 2]]
    assert lane_groups(6) == [[3, 4], [5, 6], [1, 2]]
    assert lane_groups(9) == [[3, 4, 5, 6, 7], [8, 9], [1, 2]]
    assert lane_groups(5) == [[1, 2, 3, 4, 5]]


def test_first_round_seeded_by_zigzag_with_every_lane_by_lot_and_reproducible():
    entries = [f"e{n:02d}" for n in range(1, 21)]
    marks = {e: D("11.00") + D(n) / 10 for n, e in enumerate(entries)}  # e01 best
    heats = draw_round(TIME, HEATS, list(reversed(entries)), "seed-1", first=True, seed_marks=marks)
    assert [len(heat) for heat in heats] == [7, 7, 6]
    # zigzag: 1st, 2nd, 3rd into heats 1, 2, 3, then 4th, 5th, 6th into 3, 2, 1
    firsts = [{lane.entry_id for lane in heat} for heat in heats]
    assert {"e01", "e06", "e07"} <= firsts[0] and {"e03", "e04", "e09"} <= firsts[2]
    for heat in heats:
        assert [lane.lane for lane in heat] == sorted({lane.lane for lane in heat})
        assert all(1 <= lane.lane <= 8 for lane in heat)
    assert draw_round(TIME, HEATS, entries, "seed-1", first=True, seed_marks=marks) == heats
    assert draw_round(TIME, HEATS, entries, "seed-2", first=True, seed_marks=marks) != heats


def test_later_round_lanes_drawn_in_groups_by_rank():
    ranked = [f"r{n}" for n in range(1, 9)]
    for seed in ("a", "b", "c", "d"):
        (heat,) = draw_round(TIME, FINAL, ranked, seed, first=False)
        lane_of = {lane.entry_id: lane.lane for lane in heat}
        assert {lane_of[e] for e in ranked[:4]} == {3, 4, 5, 6}
        assert {lane_of[e] for e in ranked[4:6]} == {7, 8}
        assert {lane_of[e] for e in ranked[6:]} == {1, 2}
    # six finalists in eight lanes: lanes 1 and 2 stay empty
    (heat,) = draw_round(TIME, FINAL, ranked[:6], "a", first=False)
    assert {lane.lane for lane in heat} == {3, 4, 5, 6, 7, 8}


def test_more_entries_than_lanes_times_heats_is_refused():
    with pytest.raises(DrawError) as refused:
        draw_round(TIME, FINAL, [f"r{n}" for n in range(9)], "a", first=False)
    assert refused.value.code == "round.lanes_exceeded"
    assert refused.value.params == {"entries": 9, "heats": 1, "lanes": 8}
    with pytest.raises(DrawError) as refused:
        draw_round(TIME, FINAL, [], "a", first=True)
    assert refused.value.code == "round.no_entries"


def test_final_before_its_heats_are_closed_is_refused():
    rounds = (HEATS, FINAL)
    drawn = DisciplineRounds(runs={"h": _run("h", [["a", "b"], ["c", "d"]])})
    with pytest.raises(DrawError) as refused:
        round_entries(rounds, drawn, "f", ["a", "b", "c", "d"])
    assert refused.value.code == "round.previous_open"
    closed = DisciplineRounds(runs={"h": _run("h", [["a", "b"]], closed=True, qualified=("b",), by_time=("a",))})
    assert round_entries(rounds, closed, "f", ["a", "b"]) == ["b", "a"]
    assert round_entries(rounds, DisciplineRounds(), "h", ["a", "b"]) == ["a", "b"]


def test_q_by_place_and_q_by_time_ranked_for_the_next_draw():
    heats = [["a1", "a2", "a3", "a4"], ["b1", "b2", "b3", "b4"]]
    marks = {"a1": D("11.0"), "a2": D("11.5"), "a3": D("11.6"), "a4": D("12.5"),
             "b1": D("10.9"), "b2": D("11.2"), "b3": D("11.9"), "b4": None}  # fmt: skip
    result = going_on(TIME, HEATS, heats, marks, "s")
    assert result.by_place == ("b1", "a1", "b2", "a2")  # winners by time, then seconds by time
    assert result.by_time == ("a3", "b3")
    assert result.by_lot == ()


def test_a_tie_for_the_last_q_goes_on_together_or_by_lot_when_the_lanes_are_short():
    heats = [["a1", "a2", "a3"], ["b1", "b2", "b3"]]
    marks = {"a1": D("11.0"), "a2": D("11.5"), "a3": D("11.9"), "b1": D("10.9"), "b2": D("11.2"), "b3": D("11.9")}
    spec = RoundSpec(code="h", by_place=2, by_time=1)
    both = going_on(TIME, spec, heats, marks, "s")
    assert both.by_time == ("a3", "b3")  # the tie at the cut all go on when the final has lanes for them
    short = going_on(TIME, spec, heats, marks, "s", capacity=5)
    assert len(short.by_time) == 1 and short.by_lot == short.by_time and short.by_time[0] in {"a3", "b3"}
    assert going_on(TIME, spec, heats, marks, "s", capacity=5) == short  # the same lot from the same seed
    lots = {going_on(TIME, spec, heats, marks, seed, capacity=5).by_time for seed in "abcdefgh"}
    assert lots == {("a3",), ("b3",)}


def test_timed_final_ranks_its_heats_together():
    timed = (RoundSpec(code="f", lanes=4),)
    assert round_name(timed, "f") == "meet.round.timed_final"
    assert round_name((HEATS, FINAL), "f") == "meet.round.final"
    drawn = DisciplineRounds(runs={"f": _run("f", [["a", "b", "c"], ["d", "e"]])})
    marks = {"f": {"a": D("13.0"), "b": D("12.1"), "c": None, "d": D("12.5"), "e": D("12.1")}}
    placings = discipline_placings(TIME, timed, drawn, marks, {"f": {"c": "DNF"}}, ["a", "b", "c", "d", "e", "x"])
    assert [(p.entry_id, p.place, p.status) for p in placings] == [
        ("b", 1, None), ("e", 1, None), ("d", 3, None), ("a", 4, None), ("c", None, "DNF"), ("x", None, None),
    ]  # fmt: skip


def test_placings_across_rounds_final_first_then_the_others_by_their_round():
    rounds = (HEATS, RoundSpec(code="sf", heats=2, by_place=2, by_time=2), FINAL)
    drawn = DisciplineRounds(
        runs={
            "h": _run("h", [["a", "b", "c", "d"], ["e", "f", "g"]], closed=True),
            "sf": _run("sf", [["a", "b", "c"], ["e", "f"]], closed=True),
            "f": _run("f", [["a", "e", "b"]]),
        }
    )
    marks = {
        "h": {"a": D("11"), "b": D("11.1"), "c": D("11.2"), "d": D("13"), "e": D("11"), "f": D("11.3"), "g": None},
        "sf": {"a": D("10.9"), "b": D("11.0"), "c": D("11.4"), "e": D("11"), "f": D("11.3")},
        "f": {"a": D("10.8"), "e": D("10.7"), "b": D("11.5")},
    }
    placings = discipline_placings(TIME, rounds, drawn, marks, {"h": {"g": "DNS"}}, list("abcdefg"))
    assert [(p.entry_id, p.place) for p in placings] == [
        ("e", 1), ("a", 2), ("b", 3), ("f", 4), ("c", 5), ("d", 6), ("g", None),
    ]  # fmt: skip
    assert placings[-1].status == "DNS"
    # before the final is run, the finalists rank ahead of those out in the heats and semi-finals
    waiting = DisciplineRounds(runs={**drawn.runs, "f": _run("f", [["a", "e", "b"]])})
    early = discipline_placings(TIME, rounds, waiting, {**marks, "f": {}}, {}, list("abcdefg"))
    assert [(p.entry_id, p.place) for p in early if p.place] == [("f", 4), ("c", 5), ("d", 6)]
