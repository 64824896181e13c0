"""Numbers of appearance before a judged stage opens: the stage's own entrants, so that in a multi-event skill
contest (issue 19 item 7) the hall screen and the judges' sheets of one event number only that event's entrants."""

from __future__ import annotations

from chalicelib.domain.competition.setup import Competition
from chalicelib.services.competition import CompetitionState
from chalicelib.services.competition_fairness import numbers
from tests.unit.event_records import make_event

CRITERIA = [{"code": "skill", "name_zh": "技能", "weight": 1}]


def _stage(stage_id: str, contest: str | None) -> dict:
    judging = {"criteria": CRITERIA}
    return {"stage_id": stage_id, "kind": "judged", "name_zh": stage_id, "judging": judging, "contest": contest}


def _state(document: dict) -> CompetitionState:
    entries = [{"entry_id": staff_no, "name": staff_no, "unit_id": "u1"} for staff_no in ("1", "2", "3")]
    competition = Competition.model_validate({"event_id": "ev-1", "entry_kind": "individual", "entries": entries,
                                              **document})  # fmt: skip
    return CompetitionState(make_event(), competition, 1)


def test_a_contest_events_stage_numbers_only_its_entrants_before_it_opens():
    contests = [
        {"code": code, "category": "A", "category_zh": "类A", "name_zh": code, "entries": entrants}
        for code, entrants in (("cook", ["3", "1"]), ("weld", ["2"]))
    ]
    state = _state({"stages": [_stage("cook", "cook"), _stage("weld", "weld")], "contests": contests})
    cook, weld = state.competition.stages
    assert numbers(state, cook) == {"3": 1, "1": 2}
    assert numbers(state, weld) == {"2": 1}


def test_a_plain_judged_stage_numbers_every_entry_before_it_opens():
    state = _state({"stages": [_stage("final", None)]})
    assert numbers(state, state.competition.stages[0]) == {"1": 1, "2": 2, "3": 3}
