"""Dragon boat races on DynamoDB Local (issue 19 item 5): units' admins enter crews of 12 (10 paddlers, a drummer,
a helm) through the relay service; the boats race heats, semi-finals and a final by time on the meet's rounds
(services/meet_rounds); crews are fixed once the heats are drawn; a crew of the wrong composition is refused whole."""

from __future__ import annotations

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.competition.round_results import stage_placings
from chalicelib.domain.records import EventFormat, EventKind
from chalicelib.errors import Conflict, InvalidInput
from chalicelib.services import competition as competition_service
from chalicelib.services import meet_rounds
from chalicelib.services import relays as service
from tests.integration.test_registration import ADMIN, open_event

UNITS = ("cs", "math", "med")
ADMINS = {unit: Principal(staff_no=f"A-{unit}", unit_id=unit, admin_of=frozenset({unit})) for unit in UNITS}
ROUNDS = [
    {"code": "h", "lanes": 3, "by_place": 2},  # two heats of three: the first two of each go on (Q)
    {"code": "sf", "lanes": 2, "heats": 2, "by_place": 1, "by_time": 1},  # two semi-finals: Q1 + the best q
    {"code": "f", "lanes": 3},
]
BOAT = {"code": "DB200", "name_zh": "200米直道竞速", "name_en": "200 m straight", "measure": "time", "relay": True,
        "legs": 10, "reserves": 2, "crew_roles": ["drummer", "helm"], "teams_per_unit": 2,
        "relay_rule": {"min_women": 4}, "min_mark": "35", "max_mark": "240", "rounds": ROUNDS}  # fmt: skip


def _crews(members, unit):
    """Two crews of a unit: members of the integration union alternate women (odd numbers) and men."""
    mine = [m for m in members if m.unit_id == unit]
    women = [m.staff_no for m in mine if m.gender.value == "F"]
    men = [m.staff_no for m in mine if m.gender.value == "M"]
    first = (women[:5] + men[:5], [men[5], women[5]])
    second = (women[6:10] + men[6:12], [men[12], women[10]])
    return first, second


def _drawn_and_marked(store, event_id, round_code, times):
    run = meet_rounds.draw(store, ADMIN, event_id, "boats", "DB200", round_code, now(), seed=f"boats-{round_code}")
    for entry in run.entries():
        meet_rounds.enter_marks(store, ADMIN, event_id, "boats", "DB200", round_code, entry, [times[entry]], now())
    return meet_rounds.close(store, ADMIN, event_id, "boats", "DB200", round_code, now())


def test_crews_race_heats_semi_finals_and_a_final_by_time(union):
    store, members = union
    event = open_event(store, capacity=50, kind=EventKind.SPORTS, format=EventFormat.MEET, title_zh="龙舟赛")
    stages = [{"stage_id": "boats", "kind": "measured", "name_zh": "龙舟", "meet": {"disciplines": [BOAT]}}]
    competition_service.configure(store, ADMIN, event.event_id, {"stages": stages}, now())

    few_women = [m.staff_no for m in members if m.unit_id == "cs" and m.gender.value == "M"][:10]
    with pytest.raises(InvalidInput) as refused:
        service.enter_team(store, ADMINS["cs"], event.event_id, "DB200", "cs", few_women, [], None, now(),
                           roles=["", ""])  # fmt: skip
    codes = {problem["type"] for problem in refused.value.problems}
    assert codes == {"relay.too_few_women", "crew.drummer_missing", "crew.helm_missing"}
    assert service.relay_teams(store, ADMIN, event.event_id).relays[0].teams == []  # nothing written

    entered = []
    for unit in UNITS:
        for legs, roles in _crews(members, unit):
            team = service.enter_team(store, ADMINS[unit], event.event_id, "DB200", unit, legs, [], None, now(),
                                      roles=roles)  # fmt: skip
            assert team.members == (*legs, *roles) and team.unit_id == unit
            entered.append(team.entry_id)
    assert entered == ["DB200-cs", "DB200-cs-2", "DB200-math", "DB200-math-2", "DB200-med", "DB200-med-2"]

    competition_service.open_stage(store, ADMIN, event.event_id, "boats", now())
    times = {entry: f"{50 + index}.{index}0" for index, entry in enumerate(entered)}  # cs fastest ... med-2 slowest
    heats = _drawn_and_marked(store, event.event_id, "h", times)
    assert sorted(len(heat) for heat in heats.heats) == [3, 3] and len(heats.qualified) == 4
    with pytest.raises(Conflict) as fixed:  # the heats are drawn: crews no longer change
        service.withdraw_team(store, ADMINS["cs"], event.event_id, "DB200", "DB200-cs-2", None, now())
    assert fixed.value.code == "relay_closed"

    semis = _drawn_and_marked(store, event.event_id, "sf", times)
    assert [len(heat) for heat in semis.heats] == [2, 2] and len(semis.qualified) + len(semis.by_time) == 3
    final = _drawn_and_marked(store, event.event_id, "f", times)
    assert len(final.entries()) == 3

    state = competition_service.view(store, ADMIN, event.event_id)
    stage = state.competition.stages[0]
    placings, final_closed = stage_placings(stage, state.rounds, state.round_marks)["DB200"]
    assert final_closed
    assert [p.entry_id for p in placings][:3] == sorted(final.entries(), key=lambda entry: times[entry])
    assert placings[0].entry_id == "DB200-cs" and placings[0].place == 1
