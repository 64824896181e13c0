"""Relay teams entered by units (issue 19 item 3): legs, reserves, runners of the unit, composition rules."""

from __future__ import annotations

from datetime import date

from chalicelib.domain.competition import relays
from chalicelib.domain.competition.relays import Runner, TeamForm
from chalicelib.domain.competition.setup import Competition, CompetitionEntry, RelayBand, RelayRule

MEET_DAY = date(2026, 10, 23)
# The issue's rule: one runner under 30, two of 30-40, one over 40, at least one woman.
RULE = RelayRule(
    bands=(
        RelayBand(max_age=29, min_runners=1, max_runners=1),
        RelayBand(min_age=30, max_age=40, min_runners=2, max_runners=2),
        RelayBand(min_age=41, min_runners=1, max_runners=1),
    ),
    min_women=1,
)


def _runner(staff_no: str, born: date, gender: str = "M", unit: str = "cs", active: bool = True) -> Runner:
    return Runner(staff_no, f"name-{staff_no}", gender, born, unit, active)


RUNNERS = {
    r.staff_no: r
    for r in (
        _runner("y1", date(2000, 1, 1)),  # 26
        _runner("m1", date(1990, 1, 1), "F"),  # 36
        _runner("m2", date(1986, 10, 23)),  # 40 on the meet day
        _runner("o1", date(1985, 10, 22)),  # 41 the day before
        _runner("o2", date(1970, 5, 5)),
        _runner("m3", date(1992, 3, 3)),
        _runner("x1", date(1991, 1, 1), unit="math"),
        _runner("gone", date(1991, 1, 1), active=False),
    )
}


def _competition(rule: RelayRule | None = RULE, teams_per_unit: int = 1, entries=(), listed=()) -> Competition:
    discipline = {"code": "X4X100", "name_zh": "混合4×100米接力", "measure": "time", "relay": True,
                  "teams_per_unit": teams_per_unit, "relay_rule": rule.model_dump() if rule else None,
                  "entries": list(listed)}  # fmt: skip
    stage = {"stage_id": "meet", "kind": "measured", "name_zh": "田径", "meet": {"disciplines": [discipline]}}
    return Competition.model_validate(
        {"event_id": "ev", "entry_kind": "individual", "stages": [stage], "entries": list(entries)}
    )


def _problems(legs, reserves=(), competition=None, entry_id=None):
    competition = competition or _competition()
    discipline = relays.relay(competition, "X4X100")
    assert discipline is not None
    form = TeamForm("cs", tuple(legs), tuple(reserves))
    return [(p.code, p.field, p.params) for p in
            relays.team_problems(competition, discipline, form, RUNNERS, MEET_DAY, entry_id=entry_id)]  # fmt: skip


def test_the_issues_example_passes_with_age_on_the_meet_day():
    assert _problems(["y1", "m1", "m2", "o1"], ["o2"]) == []


def test_a_wrong_composition_names_each_broken_part_of_the_rule():
    problems = _problems(["y1", "m3", "m2", "o1"])  # no woman; 30-40: m3 (34), m2 (40)
    assert problems == [("relay.too_few_women", "team", {"min": "1", "count": "0"})]
    problems = _problems(["y1", "m1", "o2", "o1"])  # one of 30-40, three... two over 40
    assert ("relay.band_too_few", "team", {"ages": "30–40", "count": "1", "min": "2"}) in problems
    assert ("relay.band_too_many", "team", {"ages": "≥41", "count": "2", "max": "1"}) in problems
    assert relays.ages_label(RULE.bands[0]) == "≤29"


def test_runners_of_another_unit_inactive_twice_or_missing_are_marked_on_their_field():
    problems = _problems(["y1", "x1", "y1", ""], ["gone"])
    assert ("relay.other_unit", "leg2", {"name": "name-x1", "staff_no": "x1"}) in problems
    assert ("relay.same_runner", "leg3", {"name": "name-y1", "staff_no": "y1"}) in problems
    assert ("relay.leg_missing", "leg4", {"position": "4"}) in problems
    assert ("relay.inactive", "reserve1", {"name": "name-gone", "staff_no": "gone"}) in problems
    assert not any(code.startswith("relay.band") for code, _, _ in problems)  # composition waits for all legs
    assert ("relay.unknown_runner", "leg1", {"staff_no": "nobody"}) in _problems(["nobody", "m1", "m2", "o1"])


def test_counts_of_legs_and_reserves():
    assert ("relay.leg_count", "team", {"legs": "4"}) in _problems(["y1", "m1", "m2", "o1", "o2"])
    assert ("relay.too_many_reserves", "team", {"max": "2"}) in _problems(["y1", "m1", "m2", "o1"], ["o2", "m3", "x1"])


def test_a_runner_in_two_teams_and_teams_per_unit():
    first = CompetitionEntry(entry_id="X4X100-cs", name="计算机学院", unit_id="cs", members=("y1", "m1", "m2", "o1"))
    competition = _competition(teams_per_unit=2, entries=[first.model_dump()], listed=[first.entry_id])
    problems = _problems(["o2", "m1", "m3", "y1"], competition=competition, entry_id=None)
    assert ("relay.other_team", "leg2", {"name": "name-m1", "staff_no": "m1", "team": "计算机学院"}) in problems
    assert not any(code == "relay.teams_per_unit" for code, _, _ in problems)
    one = _competition(entries=[first.model_dump()], listed=[first.entry_id])
    assert ("relay.teams_per_unit", "team", {"max": "1"}) in _problems(["o2"], competition=one)
    # Changing the unit's own team: its runners are not "in another team", the count does not apply.
    assert _problems(["y1", "m1", "m2", "o1"], competition=one, entry_id="X4X100-cs") == []


def test_entered_and_withdrawn_change_the_entries_and_the_discipline_together():
    competition = _competition(rule=None)
    discipline = relays.relay(competition, "X4X100")
    assert discipline is not None and relays.relay(competition, "nope") is None
    entry_id = relays.new_team_id(competition, discipline, "cs")
    team = CompetitionEntry(entry_id=entry_id, name="计算机学院", unit_id="cs", members=("y1", "m1", "m2", "o1"))
    after = relays.entered(competition, discipline, team)
    relay = relays.relay(after, "X4X100")
    assert relay is not None and relay.entries == ("X4X100-cs",) and after.entry("X4X100-cs") == team
    assert relays.new_team_id(after, relay, "cs") == "X4X100-cs-2"
    changed = relays.entered(after, relay, team.model_copy(update={"members": ("o1", "m1", "m2", "y1")}))
    assert len(changed.entries) == 1 and changed.entries[0].members[0] == "o1"
    assert relays.teams(changed, relay) == [changed.entries[0]]
    gone = relays.withdrawn(changed, relay, entry_id)
    assert gone.entries == () and relays.relay(gone, "X4X100").entries == ()  # type: ignore[union-attr]
