"""Entries by pairs and teams: who may partner whom, and what a team's roster must satisfy. Pure functions.

Problems are codes (with parameters) looked up in ``chalicelib.i18n`` for messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import NamedTuple

from chalicelib.domain.event_rules import age_on, event_day, ineligibility
from chalicelib.domain.records import Event, Gender, Member, PairGender, PairRule, Team, TeamRule

# A roster may not be longer than this whatever the rule says: one team's entry is one DynamoDB transaction with
# an item per player (100 items at most).
MAX_ROSTER = 40


class EntryProblem(NamedTuple):
    code: str
    params: Mapping[str, object] = {}
    staff_no: str | None = None  # the member concerned, if one is


def pair_problem(rule: PairRule, event: Event, lead: Member, partner: Member) -> EntryProblem | None:
    """Why ``lead`` may not enter with ``partner``, or None."""
    if partner.staff_no == lead.staff_no:
        return EntryProblem("partner_self")
    reason = ineligibility(event, partner)
    if reason:
        return EntryProblem(f"partner_{reason}", staff_no=partner.staff_no)
    if rule.gender is PairGender.MIXED and lead.gender == partner.gender:
        return EntryProblem("partner_mixed", staff_no=partner.staff_no)
    if rule.gender is PairGender.SAME and lead.gender != partner.gender:
        return EntryProblem("partner_same_gender", staff_no=partner.staff_no)
    if rule.same_unit and lead.unit_id != partner.unit_id:
        return EntryProblem("partner_other_unit", staff_no=partner.staff_no)
    return None


def check_team_rule(rule: TeamRule) -> list[EntryProblem]:
    """Problems with a rule itself (an organiser setting up a team event)."""
    problems = []
    if not 1 <= rule.min_size <= rule.max_size <= MAX_ROSTER:
        problems.append(EntryProblem("team_rule_size", {"max": MAX_ROSTER}))
    if rule.min_women + rule.min_men > rule.max_size:
        problems.append(EntryProblem("team_rule_composition"))
    if (rule.older_age is None) != (rule.max_older is None):
        problems.append(EntryProblem("team_rule_older"))
    if rule.teams_per_unit < 1:
        problems.append(EntryProblem("team_rule_per_unit"))
    return problems


def roster_problems(rule: TeamRule, event: Event, unit_id: str, roster: list[Member]) -> list[EntryProblem]:
    """Everything wrong with ``roster`` as a team of ``unit_id`` for ``event`` (empty: the roster is fine)."""
    problems: list[EntryProblem] = []
    staff_nos = [member.staff_no for member in roster]
    for staff_no in sorted({s for s in staff_nos if staff_nos.count(s) > 1}):
        problems.append(EntryProblem("roster_duplicate", staff_no=staff_no))
    if not rule.min_size <= len(roster) <= rule.max_size:
        problems.append(EntryProblem("roster_size", {"min": rule.min_size, "max": rule.max_size}))
    day = event_day(event)
    for member in roster:
        problems += _member_problems(rule, event, unit_id, member, day)
    return problems + _composition_problems(rule, roster, day)


def _member_problems(rule: TeamRule, event: Event, unit_id: str, member: Member, day: date) -> list[EntryProblem]:
    """What keeps one member off the roster: another unit, not eligible for the event, under the rule's age."""
    problems = []
    if member.unit_id != unit_id:
        problems.append(EntryProblem("roster_other_unit", staff_no=member.staff_no))
    reason = ineligibility(event, member)
    if reason:
        problems.append(EntryProblem(f"roster_{reason}", staff_no=member.staff_no))
    elif rule.min_age is not None and age_on(member.birth_date, day) < rule.min_age:
        problems.append(EntryProblem("roster_min_age", {"age": rule.min_age}, member.staff_no))
    return problems


def _composition_problems(rule: TeamRule, roster: list[Member], day: date) -> list[EntryProblem]:
    """The rule's make-up of a team: at least so many women and men, at most so many above the older age."""
    problems = []
    women = sum(member.gender is Gender.FEMALE for member in roster)
    men = len(roster) - women
    if women < rule.min_women:
        problems.append(EntryProblem("roster_min_women", {"count": rule.min_women}))
    if men < rule.min_men:
        problems.append(EntryProblem("roster_min_men", {"count": rule.min_men}))
    if rule.older_age is not None and rule.max_older is not None:
        older = sum(age_on(member.birth_date, day) > rule.older_age for member in roster)
        if older > rule.max_older:
            problems.append(EntryProblem("roster_max_older", {"count": rule.max_older, "age": rule.older_age}))
    return problems


def roster_deadline(event: Event) -> datetime:
    return event.team_rule.roster_deadline or event.starts_at


def may_change_roster(event: Event, at: datetime) -> bool:
    return at < roster_deadline(event)


def roster_change(team: Team, new_roster: list[str]) -> tuple[list[str], list[str]]:
    """(taken off, put on) when ``team``'s roster becomes ``new_roster``."""
    old = set(team.roster)
    new = set(new_roster)
    return sorted(old - new), [staff_no for staff_no in new_roster if staff_no not in old]
