"""A multi-event skill contest (issue 19 item 7): the set-up's events and their chains of stages, caps per unit,
the units' ranking and 优秀组织奖 (chalicelib.domain.competition.contests)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from chalicelib.domain.competition import contests
from chalicelib.domain.competition.setup import Competition, CompetitionEntry, StageState

CRITERIA = [{"code": "skill", "name_zh": "技能", "weight": 1}]
TIERS = [{"code": "first", "name_zh": "一等奖", "count": 1}, {"code": "second", "name_zh": "二等奖", "count": 1}]


def _stage(stage_id: str, contest: str | None, qualifiers: int = 0, panels: list[Any] | None = None) -> dict:
    judging: dict[str, Any] = {"criteria": CRITERIA, "tiers": TIERS}
    if panels:
        judging["panels"] = panels
    return {"stage_id": stage_id, "kind": "judged", "name_zh": stage_id, "judging": judging,
            "qualifiers": qualifiers, "contest": contest}  # fmt: skip


def _event(code: str, category: str = "A", cap: int | None = 2, entries: tuple[str, ...] = (), **more: Any) -> dict:
    return {"code": code, "category": category, "category_zh": f"类{category}", "name_zh": f"项目{code}",
            "cap_per_unit": cap, "entries": list(entries), **more}  # fmt: skip


def _entries(*pairs: tuple[str, str]) -> list[dict]:
    return [{"entry_id": staff_no, "name": staff_no, "unit_id": unit} for staff_no, unit in pairs]


def _contest(**more: Any) -> Competition:
    document: dict[str, Any] = {
        "event_id": "ev-1",
        "entry_kind": "individual",
        "stages": [_stage("cook-pre", "cook", 2), _stage("cook-final", "cook"), _stage("weld", "weld")],
        "contests": [_event("cook"), _event("weld", "B", cap=1)],
        "entries": _entries(("1", "u1"), ("2", "u1"), ("3", "u2")),
    }
    return Competition.model_validate({**document, **more})


def test_each_event_is_its_own_chain_of_stages() -> None:
    competition = _contest()
    assert competition.next_stage("cook-pre").stage_id == "cook-final"  # type: ignore[union-attr]
    assert competition.next_stage("cook-final") is None
    assert competition.previous_stage("weld") is None  # not cook-final: another event
    assert [c.code for c in contests.categories(competition)[0].events] == ["cook"]
    assert [c.name_zh for c in contests.categories(competition)] == ["类A", "类B"]


def test_more_than_six_stages_only_in_a_contest_of_several_events() -> None:
    many = [_stage(f"s{i}", f"e{i}") for i in range(8)]
    events = [_event(f"e{i}") for i in range(8)]
    assert len(_contest(stages=many, contests=events).stages) == 8
    plain = [{**stage, "contest": None, "qualifiers": 1} for stage in many]
    with pytest.raises(ValidationError, match="at most 6 stages"):
        _contest(stages=plain, contests=[])


@pytest.mark.parametrize(
    ("stages", "events", "problem"),
    [
        ([_stage("a", "cook")], [_event("cook"), _event("cook")], "codes must differ"),
        ([_stage("a", "nope")], [_event("cook")], "unknown contest event 'nope'"),
        ([_stage("a", "cook")], [_event("cook"), _event("weld")], "'weld' has no stage"),
        ([_stage("a", "cook"), _stage("b", None)], [_event("cook")], "names its event"),
        ([_stage("a", "cook")], [_event("cook", entries=("1",))], None),
    ],
)
def test_set_up_refused_when_events_and_stages_do_not_match(stages: list, events: list, problem: str | None) -> None:
    if problem is None:
        assert _contest(stages=stages, contests=events).contests[0].entries == ("1",)
        return
    with pytest.raises(ValidationError, match=problem):
        _contest(stages=stages, contests=events)


def test_a_panel_judge_of_an_event_is_none_of_its_entrants() -> None:
    panel = [{"panel_id": "p", "name_zh": "评委组", "judges": ["9", "1"]}]
    with pytest.raises(ValidationError, match="judge 1 is an entrant of cook"):
        _contest(stages=[_stage("a", "cook", panels=panel)], contests=[_event("cook", entries=("1",))])
    # judging another event is fine, and a panel listing no entries marks every entry of its stage
    competition = _contest(stages=[_stage("a", "cook", panels=panel)], contests=[_event("cook", entries=("3",))])
    assert competition.stages[0].judging.judges_entry("9", "3")  # type: ignore[union-attr]
    assert not competition.stages[0].judging.judges_entry("8", "3")  # type: ignore[union-attr]


def _member(staff_no: str, unit: str) -> CompetitionEntry:
    return CompetitionEntry(entry_id=staff_no, name=f"name{staff_no}", unit_id=unit)


def test_entries_are_capped_per_unit_per_event() -> None:
    competition = _contest()
    competition = contests.entered(competition, "weld", _member("1", "u1"))
    refusal = contests.entry_refusal(competition, "weld", _member("2", "u1"), None)
    assert refusal is not None and refusal[0] == contests.CAP_REACHED and refusal[1]["cap"] == 1
    # another unit's cap is its own; the first event's cap is 2
    assert contests.entry_refusal(competition, "weld", _member("3", "u2"), None) is None
    assert contests.entry_refusal(competition, "cook", _member("2", "u1"), None) is None
    assert contests.entry_refusal(competition, "weld", _member("1", "u1"), None)[0] == contests.ALREADY_ENTERED  # type: ignore[index]
    assert contests.entry_refusal(competition, "nope", _member("2", "u1"), None)[0] == contests.UNKNOWN_EVENT  # type: ignore[index]
    assert contests.unit_count(competition, competition.contests[1], "u1") == 1
    withdrawn = contests.withdrawn(competition, "weld", "1")
    assert (
        withdrawn.contests[1].entries == ()
        and contests.entry_refusal(withdrawn, "weld", _member("2", "u1"), None) is None
    )


def test_entries_refused_for_a_judge_the_wrong_gender_and_once_the_event_is_open() -> None:
    competition = _contest(contests=[_event("cook", gender="F"), _event("weld", "B")])
    assert contests.entry_refusal(competition, "cook", _member("1", "u1"), "M")[0] == contests.WRONG_GENDER  # type: ignore[index]
    assert contests.entry_refusal(competition, "cook", _member("1", "u1"), "F") is None
    assert contests.entry_refusal(competition, "weld", _member("1", "u1"), None, judges=["1"])[0] == contests.IS_JUDGE  # type: ignore[index]
    opened = competition.with_run("weld", state=StageState.DRAWN)
    assert contests.entry_refusal(opened, "weld", _member("1", "u1"), None)[0] == contests.EVENT_STARTED  # type: ignore[index]


def test_first_stage_takes_its_events_entrants() -> None:
    competition = contests.entered(_contest(), "cook", _member("3", "u2"))
    cook, _final, weld = competition.stages
    assert competition.first_entries(cook) == ("3",)
    assert competition.first_entries(weld) == ()


def test_a_changed_set_up_keeps_the_units_entrants() -> None:
    before = contests.entered(_contest(), "cook", _member("3", "u2"))
    sent = [{k: v for k, v in _event(code).items() if k != "entries"} for code in ("cook", "new")]
    kept, entries = contests.kept_entrants(before, {"contests": sent}, [_member("1", "u1")])
    assert [item.get("entries") for item in kept["contests"]] == [["3"], None]
    assert [entry.entry_id for entry in entries] == ["1", "3"]  # 3 is no confirmed registration now: kept
    sent = [_event("cook", entries=("1",)), _event("new", entries=("1",))]  # entrants are the units' business
    given, entries = contests.kept_entrants(before, {"contests": sent}, [])
    assert [item["entries"] for item in given["contests"]] == [["3"], ["1"]]
    assert contests.kept_entrants(None, {"contests": sent}, [])[0]["contests"] == sent


def _results(rule: dict[str, Any]) -> list[contests.UnitResult]:
    """u1: 2 entrants in 2 events, a first; u2: 1 entrant in 1 event, a first and ... u3: 2 entrants, a second."""
    events = [_event("cook", entries=("1", "3", "5")), _event("weld", "B", entries=("2", "4", "6"))]
    entries = _entries(("1", "u1"), ("2", "u1"), ("3", "u2"), ("4", "u3"), ("5", "u3"), ("6", "u4"))
    competition = _contest(contests=events, entries=entries, stages=[_stage("cook", "cook"), _stage("weld", "weld")],
                           unit_awards=rule)  # fmt: skip
    competition = competition.with_run("cook", state=StageState.CLOSED).with_run("weld", state=StageState.CLOSED)
    tiers = {"cook": {"1": "second", "3": "first", "5": None}, "weld": {"2": "second", "4": "first", "6": None}}
    awards = contests.event_awards(competition, tiers)
    return contests.unit_results(competition, awards, units=["u5"])


def test_units_ranked_by_points_ties_by_most_first_prizes() -> None:
    rule = {"tier_points": [{"tier": "first", "points": 5}, {"tier": "second", "points": 3}], "top": 2}
    results = _results(rule)
    # u1: 3+3 = 6; u3: 5 (a first), u2: 5 (a first), u3 has 2 entrants: ahead of u2; u4 0; u5 entered nobody
    assert [(r.unit_id, r.rank, r.points) for r in results] == [
        ("u1", 1, 6), ("u3", 2, 5), ("u2", 3, 5), ("u4", 4, 0), ("u5", 5, 0)
    ]  # fmt: skip
    assert [r.unit_id for r in results if r.award] == ["u1", "u3"]
    assert results[0].tiers == {"second": 2} and results[0].events == 2 and results[0].share == 1.0
    assert not results[-1].eligible and results[-1].entrants == 0


def test_units_ranked_by_participation_and_both_and_shared_places() -> None:
    by_participation = _results({"rule": "participation", "top": 1})
    # u1 and u3 both entered 2 events with 2 people, and 1 award each ... u1 has more points? no tier points: tie
    assert [(r.unit_id, r.rank) for r in by_participation][:2] == [("u1", 1), ("u3", 1)]
    assert [r.unit_id for r in by_participation if r.award] == ["u1", "u3"]  # tied on the first place: both
    both = _results({"rule": "both", "participation_points": 2, "min_events": 2, "top": 3,
                     "tier_points": [{"tier": "first", "points": 5}, {"tier": "second", "points": 1}]})  # fmt: skip
    # u3: 5 + 2×2 = 9; u1: 2 + 4 = 6; u2: 5 + 2 = 7 but one event only: not eligible
    assert [(r.unit_id, r.points, r.eligible) for r in both][:3] == [("u3", 5, True), ("u2", 5, False), ("u1", 2, True)]
    assert [r.unit_id for r in both if r.award] == ["u3", "u1"]
