"""Entries by pairs and teams: who may partner whom, what a roster must satisfy, and when it may change."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.entries import (
    MAX_ROSTER,
    EntryProblem,
    check_team_rule,
    may_change_roster,
    pair_problem,
    roster_change,
    roster_deadline,
    roster_problems,
)
from chalicelib.domain.records import (
    Audience,
    AudienceRule,
    EntryType,
    Event,
    EventStatus,
    Gender,
    Member,
    MemberStatus,
    PairGender,
    PairRule,
    Team,
    TeamRule,
    TeamState,
)
from tests.unit.event_records import make_event as tournament

F, M = Gender.FEMALE, Gender.MALE
STARTS = datetime(2026, 11, 21, 9, tzinfo=CHINA_TZ)  # the event day is 21 November 2026


def make_event(**changes) -> Event:
    """The school union's volleyball tournament by teams, registration open (the day as event_records has it)."""
    team_event = {
        "owner_unit_id": "school",
        "title_zh": "教职工气排球赛",
        "status": EventStatus.REGISTRATION_OPEN,
        "entry_type": EntryType.TEAM,
    }
    return tournament(**(team_event | changes))


def make_member(staff_no: str, gender: Gender = F, unit_id: str = "cs", **changes) -> Member:
    fields = {
        "staff_no": staff_no,
        "name": f"会员{staff_no}",
        "gender": gender,
        "birth_date": date(1985, 6, 15),  # 41 on the event day
        "unit_id": unit_id,
    }
    return Member(**(fields | changes))


def born_aged(age: int, days_after_birthday: int = 0) -> date:
    """A birth date giving ``age`` on the event day, ``days_after_birthday`` days after that birthday."""
    birthday = date(2026 - age, 11, 21)
    return birthday - timedelta(days=days_after_birthday)


def codes(problems: list[EntryProblem]) -> list[str]:
    return [problem.code for problem in problems]


def test_born_aged_gives_the_age_asked_for():
    from chalicelib.domain.event_rules import age_on, event_day

    day = event_day(make_event())
    assert day == date(2026, 11, 21)
    assert age_on(born_aged(40), day) == 40
    assert age_on(born_aged(40) + timedelta(days=1), day) == 39


# ---------------------------------------------------------------- pairs


LEAD = make_member("T1", F)


def test_a_member_may_not_partner_themselves():
    for rule in (PairRule(), PairRule(PairGender.MIXED), PairRule(PairGender.SAME, same_unit=True)):
        problem = pair_problem(rule, make_event(), LEAD, LEAD)
        assert problem == EntryProblem("partner_self")
    # Even if the other record differs (say, read at another time), the same 工号 is the same member.
    assert pair_problem(PairRule(), make_event(), LEAD, make_member("T1", M)).code == "partner_self"


def test_any_two_members_may_pair_under_the_default_rule():
    event = make_event()
    assert pair_problem(PairRule(), event, LEAD, make_member("T2", F)) is None
    assert pair_problem(PairRule(), event, LEAD, make_member("T2", M, "math")) is None


@pytest.mark.parametrize(
    ("gender", "code", "refused", "allowed"),
    [
        (PairGender.MIXED, "partner_mixed", [(F, F), (M, M)], [(F, M), (M, F)]),
        (PairGender.SAME, "partner_same_gender", [(F, M), (M, F)], [(F, F), (M, M)]),
    ],
    ids=["mixed_doubles_need_a_man_and_a_woman", "same_gender_doubles_need_two_women_or_two_men"],
)
def test_doubles_gender_rules(gender, code, refused, allowed):
    """Each (lead, partner) pair of genders in ``refused`` is refused with ``code`` naming the partner; those in
    ``allowed`` pair."""
    event, rule = make_event(), PairRule(gender)
    for lead, partner in refused:
        problem = pair_problem(rule, event, make_member("T1", lead), make_member("T2", partner))
        assert problem == EntryProblem(code, staff_no="T2")
    for lead, partner in allowed:
        assert pair_problem(rule, event, make_member("T1", lead), make_member("T2", partner)) is None


def test_same_unit_pairs_need_a_partner_of_the_leads_unit():
    event, rule = make_event(), PairRule(same_unit=True)
    problem = pair_problem(rule, event, LEAD, make_member("T2", F, "math"))
    assert problem == EntryProblem("partner_other_unit", staff_no="T2")
    assert pair_problem(rule, event, LEAD, make_member("T2", F, "cs")) is None
    assert pair_problem(PairRule(), event, LEAD, make_member("T2", F, "math")) is None


def test_a_partner_who_left_the_union_may_not_play():
    partner = make_member("T2", M, status=MemberStatus.LEFT)
    problem = pair_problem(PairRule(PairGender.MIXED), make_event(), LEAD, partner)
    assert problem == EntryProblem("partner_member_left", staff_no="T2")


def test_a_retired_partner_may_play():
    partner = make_member("T2", M, status=MemberStatus.RETIRED)
    assert pair_problem(PairRule(PairGender.MIXED), make_event(), LEAD, partner) is None


@pytest.mark.parametrize(
    ("audience", "partner", "code"),
    [
        (AudienceRule(Audience.UNITS, frozenset({"cs"})), make_member("T2", unit_id="math"), "partner_audience_unit"),
        (AudienceRule(Audience.OWN_UNIT), make_member("T2", unit_id="cs"), "partner_audience_unit"),
        (AudienceRule(gender=F), make_member("T2", M), "partner_audience_gender"),
        (AudienceRule(max_age=40), make_member("T2", birth_date=born_aged(41)), "partner_audience_age"),
        (AudienceRule(min_age=40), make_member("T2", birth_date=born_aged(40) + timedelta(1)), "partner_audience_age"),
    ],
)
def test_a_partner_outside_the_events_audience_may_not_play(audience, partner, code):
    assert pair_problem(PairRule(), make_event(audience=audience), LEAD, partner) == EntryProblem(code, staff_no="T2")


def test_a_partner_inside_the_events_audience_may_play():
    event = make_event(audience=AudienceRule(Audience.UNITS, frozenset({"cs", "math"}), min_age=40, max_age=41))
    assert pair_problem(PairRule(), event, LEAD, make_member("T2", unit_id="math", birth_date=born_aged(40))) is None
    assert pair_problem(PairRule(), event, LEAD, make_member("T2", birth_date=born_aged(41, 364))) is None


# ---------------------------------------------------------------- team rules


def test_the_default_team_rule_is_sound():
    assert check_team_rule(TeamRule()) == []
    rule = TeamRule(min_size=6, max_size=10, min_women=2, min_men=2, older_age=45, max_older=3, teams_per_unit=2)
    assert check_team_rule(rule) == []
    assert check_team_rule(TeamRule(min_size=MAX_ROSTER, max_size=MAX_ROSTER)) == []


@pytest.mark.parametrize(
    "rule",
    [TeamRule(min_size=0), TeamRule(min_size=6, max_size=5), TeamRule(max_size=MAX_ROSTER + 1)],
)
def test_team_sizes_must_run_from_one_to_the_longest_roster(rule):
    assert check_team_rule(rule) == [EntryProblem("team_rule_size", {"max": MAX_ROSTER})]


def test_a_team_rule_must_be_able_to_field_its_women_and_men():
    assert codes(check_team_rule(TeamRule(max_size=5, min_women=3, min_men=3))) == ["team_rule_composition"]
    assert check_team_rule(TeamRule(max_size=6, min_women=3, min_men=3)) == []


def test_an_older_players_limit_needs_both_an_age_and_a_count():
    assert codes(check_team_rule(TeamRule(older_age=45))) == ["team_rule_older"]
    assert codes(check_team_rule(TeamRule(max_older=2))) == ["team_rule_older"]


def test_a_unit_must_be_allowed_a_team():
    assert codes(check_team_rule(TeamRule(teams_per_unit=0))) == ["team_rule_per_unit"]


def test_every_problem_of_a_team_rule_is_reported():
    rule = TeamRule(min_size=0, max_size=2, min_women=2, min_men=1, older_age=50, teams_per_unit=0)
    assert codes(check_team_rule(rule)) == [
        "team_rule_size",
        "team_rule_composition",
        "team_rule_older",
        "team_rule_per_unit",
    ]


# ---------------------------------------------------------------- rosters


RULE = TeamRule(min_size=3, max_size=5, min_women=1, older_age=45, max_older=1, min_age=20)


def team_of(*members: Member) -> list[Member]:
    return list(members)


def valid_roster() -> list[Member]:
    return team_of(make_member("C1", F), make_member("C2", M), make_member("C3", M, birth_date=born_aged(50)))


def test_a_valid_roster_has_no_problems():
    assert roster_problems(RULE, make_event(team_rule=RULE), "cs", valid_roster()) == []
    five = [*valid_roster(), make_member("C4", M), make_member("C5", F)]
    assert roster_problems(RULE, make_event(team_rule=RULE), "cs", five) == []


def test_a_roster_too_short_or_too_long():
    event = make_event(team_rule=RULE)
    expected = [EntryProblem("roster_size", {"min": 3, "max": 5})]
    assert roster_problems(RULE, event, "cs", valid_roster()[:2]) == expected
    six = [*valid_roster(), make_member("C4", M), make_member("C5", F), make_member("C6", F)]
    assert roster_problems(RULE, event, "cs", six) == expected
    assert EntryProblem("roster_size", {"min": 3, "max": 5}) in roster_problems(RULE, event, "cs", [])


def test_a_player_listed_twice_is_reported_once():
    roster = [*valid_roster(), make_member("C2", M), make_member("C2", M)]
    problems = roster_problems(RULE, make_event(team_rule=RULE), "cs", roster)
    assert problems == [EntryProblem("roster_duplicate", staff_no="C2")]


def test_a_roster_made_up_to_size_by_a_duplicate_is_still_refused():
    roster = [make_member("C1", F), make_member("C2", M), make_member("C2", M)]
    problems = roster_problems(RULE, make_event(team_rule=RULE), "cs", roster)
    assert EntryProblem("roster_duplicate", staff_no="C2") in problems


def test_a_player_of_another_unit_is_refused():
    roster = [*valid_roster(), make_member("M1", M, "math")]
    problems = roster_problems(RULE, make_event(team_rule=RULE), "cs", roster)
    assert problems == [EntryProblem("roster_other_unit", staff_no="M1")]
    # The same roster fielded by the other unit: every cs player is the problem then.
    other = roster_problems(RULE, make_event(team_rule=RULE), "math", roster)
    assert [p.staff_no for p in other if p.code == "roster_other_unit"] == ["C1", "C2", "C3"]


def test_a_roster_needs_its_women_and_men():
    rule = RULE._replace(min_women=2, min_men=2, max_size=6)
    event = make_event(team_rule=rule)
    problems = roster_problems(rule, event, "cs", valid_roster())  # one woman, two men
    assert problems == [EntryProblem("roster_min_women", {"count": 2})]
    women = [make_member("W1", F), make_member("W2", F), make_member("W3", F), make_member("W4", M)]
    assert roster_problems(rule, event, "cs", women) == [EntryProblem("roster_min_men", {"count": 2})]
    assert roster_problems(rule, event, "cs", [*women, make_member("W5", M)]) == []


def test_at_most_max_older_players_older_than_older_age():
    event = make_event(team_rule=RULE)
    roster = [*valid_roster(), make_member("C4", M, birth_date=born_aged(46))]
    assert roster_problems(RULE, event, "cs", roster) == [EntryProblem("roster_max_older", {"count": 1, "age": 45})]


def test_a_player_exactly_older_age_is_not_older():
    event = make_event(team_rule=RULE)
    roster = [*valid_roster(), make_member("C4", M, birth_date=born_aged(45, days_after_birthday=364))]
    assert roster_problems(RULE, event, "cs", roster) == []
    roster = [*valid_roster(), make_member("C4", M, birth_date=born_aged(46))]  # 46 on the event day itself
    assert codes(roster_problems(RULE, event, "cs", roster)) == ["roster_max_older"]


def test_players_under_the_minimum_age_on_the_event_day():
    event = make_event(team_rule=RULE)
    young = make_member("C4", M, birth_date=born_aged(20) + timedelta(days=1))  # 20 the day after the event
    problems = roster_problems(RULE, event, "cs", [*valid_roster(), young])
    assert problems == [EntryProblem("roster_min_age", {"age": 20}, "C4")]
    just = make_member("C4", M, birth_date=born_aged(20))  # 20 on the event day
    assert roster_problems(RULE, event, "cs", [*valid_roster(), just]) == []


def test_players_outside_the_union_or_the_audience():
    rule = RULE._replace(max_size=8)
    event = make_event(team_rule=rule, audience=AudienceRule(max_age=55))
    roster = [
        *valid_roster(),
        make_member("C4", M, status=MemberStatus.LEFT, birth_date=born_aged(18)),  # left: not also "too young"
        make_member("C5", F, birth_date=born_aged(60)),
    ]
    problems = roster_problems(rule, event, "cs", roster)
    assert problems == [
        EntryProblem("roster_member_left", staff_no="C4"),
        EntryProblem("roster_audience_age", staff_no="C5"),
        EntryProblem("roster_max_older", {"count": 1, "age": 45}),
    ]


def test_every_problem_of_a_roster_is_reported():
    rule = RULE._replace(min_men=1)
    roster = [
        make_member("M1", M, "math", birth_date=born_aged(60)),
        make_member("M1", M, "math", birth_date=born_aged(60)),
    ]
    problems = roster_problems(rule, make_event(team_rule=rule), "cs", roster)
    assert codes(problems) == [
        "roster_duplicate",
        "roster_size",
        "roster_other_unit",
        "roster_other_unit",
        "roster_min_women",
        "roster_max_older",
    ]


# ---------------------------------------------------------------- substitutions


def make_team(roster: tuple[str, ...]) -> Team:
    at = STARTS - timedelta(days=20)
    return Team("ev-1", "tm-1", "cs", "计算机学院一队", roster, "C1", TeamState.ENTERED, 3, "A1", at, at)


def test_roster_change_lists_who_goes_off_and_who_comes_on():
    team = make_team(("C1", "C2", "C3"))
    assert roster_change(team, ["C1", "C5", "C3", "C4"]) == (["C2"], ["C5", "C4"])
    assert roster_change(team, ["C3", "C1"]) == (["C2"], [])
    assert roster_change(team, ["C3", "C2", "C1"]) == ([], [])  # reordered only
    assert roster_change(make_team(("C9", "C2", "C5")), []) == (["C2", "C5", "C9"], [])


def test_a_substitution_that_leaves_no_woman_makes_the_roster_invalid():
    members = {
        member.staff_no: member for member in [*valid_roster(), make_member("C4", M), make_member("M1", F, "math")]
    }
    event = make_event(team_rule=RULE)
    team = make_team(("C1", "C2", "C3"))
    assert roster_problems(RULE, event, "cs", [members[s] for s in team.roster]) == []

    new_roster = ["C4", "C2", "C3"]  # C1, the only woman, makes way for C4
    assert roster_change(team, new_roster) == (["C1"], ["C4"])
    problems = roster_problems(RULE, event, "cs", [members[s] for s in new_roster])
    assert problems == [EntryProblem("roster_min_women", {"count": 1})]

    # A woman of another unit does not mend it: she is not the unit's to field.
    borrowed = ["M1", "C2", "C3"]
    assert roster_change(team, borrowed) == (["C1"], ["M1"])
    assert roster_problems(RULE, event, "cs", [members[s] for s in borrowed]) == [
        EntryProblem("roster_other_unit", staff_no="M1")
    ]


def test_a_second_older_player_brought_on_makes_the_roster_invalid():
    veteran = make_member("C6", M, birth_date=born_aged(58))
    members = {member.staff_no: member for member in [*valid_roster(), veteran]}
    event = make_event(team_rule=RULE)
    new_roster = ["C1", "C6", "C3"]
    assert roster_change(make_team(("C1", "C2", "C3")), new_roster) == (["C2"], ["C6"])
    assert codes(roster_problems(RULE, event, "cs", [members[s] for s in new_roster])) == ["roster_max_older"]


# ---------------------------------------------------------------- roster deadline


def test_rosters_may_change_until_the_event_starts_by_default():
    event = make_event()
    assert event.team_rule.roster_deadline is None
    assert roster_deadline(event) == STARTS
    assert may_change_roster(event, STARTS - timedelta(days=3)) is True
    assert may_change_roster(event, STARTS - timedelta(microseconds=1)) is True
    assert may_change_roster(event, STARTS) is False
    assert may_change_roster(event, STARTS + timedelta(hours=1)) is False


def test_rosters_may_change_until_the_rules_deadline():
    deadline = STARTS - timedelta(days=2)
    event = make_event(team_rule=TeamRule(roster_deadline=deadline))
    assert roster_deadline(event) == deadline
    assert may_change_roster(event, deadline - timedelta(seconds=1)) is True
    assert may_change_roster(event, deadline) is False
    assert may_change_roster(event, deadline + timedelta(days=1)) is False  # though the event has not started
