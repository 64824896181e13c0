"""Dragon boat crews (issue 19 item 5): a relay team of 20 paddlers, a drummer and a helm, plus reserves, with the
composition rule counting the paddlers (chalicelib.domain.competition.relays)."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from chalicelib.domain.competition import relays
from chalicelib.domain.competition.relays import Runner, TeamForm
from chalicelib.domain.competition.setup import Competition, CompetitionEntry, Discipline, RelayRule

MEET_DAY = date(2026, 6, 19)
RULE = RelayRule(min_women=8)  # a mixed boat: at least 8 women among the paddlers

MEN = [Runner(f"m{n:02d}", f"男{n}", "M", date(1980, 1, n), "cs") for n in range(1, 21)]
WOMEN = [Runner(f"w{n:02d}", f"女{n}", "F", date(1985, 2, n), "cs") for n in range(1, 13)]
OTHER = Runner("x01", "外单位", "M", date(1980, 1, 1), "math")
RUNNERS = {r.staff_no: r for r in (*MEN, *WOMEN, OTHER)}


def _competition(legs: int = 20, listed=(), entries=()) -> Competition:
    boat = {"code": "DB200", "name_zh": "200米直道竞速", "name_en": "200 m", "measure": "time", "relay": True,
            "legs": legs, "reserves": 6, "crew_roles": ["drummer", "helm"], "relay_rule": RULE.model_dump(),
            "entries": list(listed)}  # fmt: skip
    stage = {"stage_id": "boats", "kind": "measured", "name_zh": "龙舟", "meet": {"disciplines": [boat]}}
    return Competition.model_validate(
        {"event_id": "ev", "entry_kind": "team", "stages": [stage], "entries": list(entries)}
    )


def _problems(form: TeamForm, competition: Competition | None = None) -> list[tuple[str, str, dict[str, str]]]:
    competition = competition or _competition()
    boat = relays.relay(competition, "DB200")
    assert boat is not None
    return [(p.code, p.field, p.params)
            for p in relays.team_problems(competition, boat, form, RUNNERS, MEET_DAY)]  # fmt: skip


PADDLERS = tuple(r.staff_no for r in (*MEN[:12], *WOMEN[:8]))  # 12 men and 8 women


def test_a_crew_of_22_with_eight_women_paddlers_a_drummer_and_a_helm_passes():
    form = TeamForm("cs", PADDLERS, ("m15", "w12"), ("w10", "m13"))
    assert _problems(form) == []
    assert form.members() == (*PADDLERS, "w10", "m13", "m15", "w12")  # paddlers, drummer, helm, reserves
    boat = relays.relay(_competition(), "DB200")
    assert boat is not None and relays.is_boat(boat) and relays.seats(boat) == 22


def test_the_rule_counts_the_paddlers_not_the_drummer_or_helm():
    paddlers = tuple(r.staff_no for r in (*MEN[:13], *WOMEN[:7]))  # 7 women paddlers, a woman drumming
    problems = _problems(TeamForm("cs", paddlers, (), ("w10", "w11")))
    assert problems == [("relay.too_few_women", "team", {"min": "8", "count": "7"})]


def test_missing_paddler_drummer_helm_and_another_units_member_are_marked_on_their_place():
    paddlers = (*PADDLERS[:19], "")
    problems = _problems(TeamForm("cs", paddlers, (), ("", "x01")))
    assert ("crew.paddler_missing", "leg20", {"position": "20"}) in problems
    assert ("crew.drummer_missing", "drummer", {}) in problems
    assert ("relay.other_unit", "helm", {"name": "外单位", "staff_no": "x01"}) in problems
    assert not any(code == "relay.too_few_women" for code, _, _ in problems)  # composition waits for a full boat
    problems = _problems(TeamForm("cs", PADDLERS, (), ("w10",)))
    assert problems == [("crew.helm_missing", "helm", {})]


def test_the_same_member_twice_in_a_boat_and_a_wrong_paddler_count_are_refused():
    problems = _problems(TeamForm("cs", PADDLERS, (), ("m01", "m13")))
    assert ("relay.same_runner", "drummer", {"name": "男1", "staff_no": "m01"}) in problems
    problems = _problems(TeamForm("cs", PADDLERS[:19], (), ("w10", "m13")))
    assert ("crew.paddler_count", "team", {"legs": "20"}) in problems


def test_a_small_boat_of_12_and_the_second_crew_of_a_unit_over_its_limit():
    small = _competition(legs=10)
    form = TeamForm("cs", tuple(r.staff_no for r in (*MEN[:2], *WOMEN[:8])), (), ("m03", "m04"))
    assert _problems(form, small) == []
    entered = CompetitionEntry(entry_id="DB200-cs", name="计算机龙舟队", unit_id="cs", members=form.members())
    competition = _competition(legs=10, listed=["DB200-cs"], entries=[entered.model_dump()])
    second = TeamForm("cs", tuple(r.staff_no for r in (*MEN[10:12], *WOMEN[:8])), (), ("m13", "m14"))
    problems = _problems(second, competition)
    assert ("relay.teams_per_unit", "team", {"max": "1"}) in problems
    assert ("relay.other_team", "leg3", {"name": "女1", "staff_no": "w01", "team": "计算机龙舟队"}) in problems


def test_a_boat_set_up_names_each_role_once_and_a_crew_fits_the_limits():
    with pytest.raises(ValidationError, match="crew role"):
        Discipline(code="DB", name_zh="龙舟", measure="time", relay=True, legs=20, crew_roles=("helm", "helm"))
    with pytest.raises(ValidationError):
        Discipline(code="DB", name_zh="龙舟", measure="time", relay=True, legs=31)
    assert Discipline(code="DB", name_zh="龙舟", measure="time", relay=True, legs=20, reserves=10).legs == 20
