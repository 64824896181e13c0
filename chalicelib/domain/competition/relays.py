"""Relay teams entered by units (issue 19 item 3): who may run, checked before anything is written.

A relay team is a competition entry of its own (``{discipline}-{unit}``, ``-2`` for a unit's second team) whose
``members`` are the runners of the legs in order, then the reserves; the relay discipline lists the teams. A team is
checked as a whole and every problem is reported with the field it is about (``leg1`` ... ``reserve1`` ... or
``team``) and a message id with its parameters:

- every leg has a runner, at most ``reserves`` reserves, nobody twice in the team;
- every runner is an active member of the team's unit and runs for no other team of the same relay;
- the runners of the legs meet the discipline's composition rule (``RelayRule``): so many runners of each age band
  (age in completed years on the meet day), at least so many women and men;
- a unit enters at most ``teams_per_unit`` teams in a relay.

A dragon boat's crew (龙舟队, issue 19 item 5) is such a team: a discipline with ``crew_roles`` (鼓手 drummer, 舵手
helm) is a boat, its ``legs`` are the paddlers (20 in a standard boat of 22, 10 in a small boat of 12) and its
members the paddlers, then one member per role, then the reserves. The composition rule counts the paddlers, as the
mixed-crew rules of dragon boat racing (IDBF, 中国龙舟协会) count paddlers and leave the drummer and helm free.
Problems name the paddler (``leg3``), the role (``drummer``, ``helm``), a reserve or the team, with the crew's
message ids (crew.paddler_missing ...) where a relay's words (棒) would be wrong.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as _field
from datetime import date
from typing import Any, NamedTuple

from chalicelib.domain.competition.measured import age_on
from chalicelib.domain.competition.setup import Competition, CompetitionEntry, Discipline, RelayBand, RelayRule
from chalicelib.domain.language import N_


class Runner(NamedTuple):
    """A member as the rules need them: ``gender`` "M" or "F"; ``active`` a member still."""

    staff_no: str
    name: str
    gender: str
    birth_date: date
    unit_id: str
    active: bool = True


@dataclass(frozen=True)
class RelayProblem:
    """``code`` a message id; ``field`` the leg, reserve or ``team`` it is about; ``params`` for the message."""

    code: str
    field: str
    params: dict[str, str] = _field(default_factory=dict)


class TeamForm(NamedTuple):
    """A unit's team as entered: the runners of the legs in order (blank: none yet), the reserves and a boat's
    crew roles in the discipline's order (drummer, helm)."""

    unit_id: str
    legs: tuple[str, ...]
    reserves: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()

    def members(self) -> tuple[str, ...]:
        """As stored in the team's entry: the legs, the roles, the reserves."""
        return (*self.legs, *self.roles, *self.reserves)


# A boat's places besides the paddlers: their names and the problem when nobody is chosen (message ids).
ROLE_NAMES = {"drummer": N_("crew.role.drummer"), "helm": N_("crew.role.helm")}
ROLE_MISSING = {"drummer": N_("crew.drummer_missing"), "helm": N_("crew.helm_missing")}


def is_boat(discipline: Discipline) -> bool:
    """A dragon boat: a team discipline with crew roles (drummer, helm) besides its paddlers."""
    return bool(discipline.crew_roles)


def seats(discipline: Discipline) -> int:
    """How many of a team's members race: the legs (paddlers) and a boat's roles; the rest are reserves."""
    return discipline.legs + len(discipline.crew_roles)


def relay(competition: Competition, code: str) -> Discipline | None:
    """The relay discipline ``code`` of the competition's meet, or None."""
    for stage in competition.stages:
        for discipline in stage.meet.disciplines if stage.meet else ():
            if discipline.code == code and discipline.relay:
                return discipline
    return None


def teams(competition: Competition, discipline: Discipline) -> list[CompetitionEntry]:
    """The relay's teams, as the discipline lists them."""
    by_id = {entry.entry_id: entry for entry in competition.entries}
    return [by_id[entry_id] for entry_id in discipline.entries if entry_id in by_id]


def new_team_id(competition: Competition, discipline: Discipline, unit_id: str) -> str:
    """``M4X100-cs`` for a unit's first team, ``M4X100-cs-2`` for its second ..."""
    taken = {entry.entry_id for entry in competition.entries}
    base = f"{discipline.code}-{unit_id}"
    number = 1
    while (candidate := base if number == 1 else f"{base}-{number}") in taken:
        number += 1
    return candidate


def ages_label(band: RelayBand) -> str:
    """A band's ages as both languages write them: ``≤29``, ``30–40``, ``≥41``."""
    if band.max_age is None:
        return f"≥{band.min_age}"
    if band.min_age == 0:
        return f"≤{band.max_age}"
    return f"{band.min_age}–{band.max_age}"


def _runner_problems(
    form: TeamForm, runners: Mapping[str, Runner], taken: Mapping[str, str], discipline: Discipline
) -> list[RelayProblem]:
    problems: list[RelayProblem] = []
    seen: set[str] = set()
    positions = [(f"leg{n}", staff_no) for n, staff_no in enumerate(form.legs, start=1)]
    positions += list(zip(discipline.crew_roles, form.roles, strict=False))
    positions += [(f"reserve{n}", staff_no) for n, staff_no in enumerate(form.reserves, start=1)]
    for position, staff_no in positions:
        if not staff_no:
            problems += _missing(discipline, position)
            continue
        runner = runners.get(staff_no)
        if runner is None:
            problems.append(RelayProblem(N_("relay.unknown_runner"), position, {"staff_no": staff_no}))
            continue
        named = {"name": runner.name, "staff_no": staff_no}
        if staff_no in seen:
            problems.append(RelayProblem(N_("relay.same_runner"), position, named))
        elif runner.unit_id != form.unit_id:
            problems.append(RelayProblem(N_("relay.other_unit"), position, named))
        elif not runner.active:
            problems.append(RelayProblem(N_("relay.inactive"), position, named))
        elif staff_no in taken:
            problems.append(RelayProblem(N_("relay.other_team"), position, {**named, "team": taken[staff_no]}))
        seen.add(staff_no)
    if len(form.legs) != discipline.legs:
        code = N_("crew.paddler_count") if is_boat(discipline) else N_("relay.leg_count")
        problems.append(RelayProblem(code, "team", {"legs": str(discipline.legs)}))
    problems += [RelayProblem(ROLE_MISSING[role], role) for role in discipline.crew_roles[len(form.roles) :]]
    if len(form.roles) > len(discipline.crew_roles):
        problems.append(RelayProblem(N_("crew.no_such_role"), "team"))
    if len(form.reserves) > discipline.reserves:
        problems.append(RelayProblem(N_("relay.too_many_reserves"), "team", {"max": str(discipline.reserves)}))
    return problems


def _missing(discipline: Discipline, position: str) -> list[RelayProblem]:
    """The problem of a place left blank: a leg (a paddler in a boat) or a role; a blank reserve is none."""
    if position in ROLE_MISSING:
        return [RelayProblem(ROLE_MISSING[position], position)]
    if not position.startswith("leg"):
        return []
    code = N_("crew.paddler_missing") if is_boat(discipline) else N_("relay.leg_missing")
    return [RelayProblem(code, position, {"position": position[3:]})]


def composition_problems(rule: RelayRule, legs: Sequence[Runner], meet_day: date) -> list[RelayProblem]:
    """Where the runners of the legs break the rule, each naming the part of the rule broken."""
    problems: list[RelayProblem] = []
    ages = [age_on(runner.birth_date, meet_day) for runner in legs]
    for band in rule.bands:
        count = sum(band.min_age <= age and (band.max_age is None or age <= band.max_age) for age in ages)
        params = {"ages": ages_label(band), "count": str(count)}
        if count < band.min_runners:
            problems.append(RelayProblem(N_("relay.band_too_few"), "team", {**params, "min": str(band.min_runners)}))
        if band.max_runners is not None and count > band.max_runners:
            problems.append(RelayProblem(N_("relay.band_too_many"), "team", {**params, "max": str(band.max_runners)}))
    women = sum(runner.gender == "F" for runner in legs)
    if women < rule.min_women:
        problems.append(
            RelayProblem(N_("relay.too_few_women"), "team", {"min": str(rule.min_women), "count": str(women)})
        )
    men = sum(runner.gender == "M" for runner in legs)
    if men < rule.min_men:
        problems.append(RelayProblem(N_("relay.too_few_men"), "team", {"min": str(rule.min_men), "count": str(men)}))
    return problems


def team_problems(
    competition: Competition,
    discipline: Discipline,
    form: TeamForm,
    runners: Mapping[str, Runner],
    meet_day: date,
    *,
    entry_id: str | None = None,
) -> list[RelayProblem]:
    """Everything wrong with a unit's team for a relay; ``entry_id``: the team being changed (None: a new team)."""
    others = [team for team in teams(competition, discipline) if team.entry_id != entry_id]
    problems: list[RelayProblem] = []
    if entry_id is None and sum(team.unit_id == form.unit_id for team in others) >= discipline.teams_per_unit:
        problems.append(RelayProblem(N_("relay.teams_per_unit"), "team", {"max": str(discipline.teams_per_unit)}))
    taken = {staff_no: team.name for team in others for staff_no in team.members}
    problems += _runner_problems(form, runners, taken, discipline)
    legs = [runners[staff_no] for staff_no in form.legs if staff_no in runners]
    incomplete = {N_("relay.leg_missing"), N_("crew.paddler_missing")}
    if discipline.relay_rule is not None and not any(p.code in incomplete for p in problems):
        problems += composition_problems(discipline.relay_rule, legs, meet_day)
    return problems


def _with_discipline_entries(competition: Competition, code: str, entries: tuple[str, ...]) -> Competition:
    stages = tuple(
        stage.model_copy(
            update={
                "meet": stage.meet.model_copy(
                    update={
                        "disciplines": tuple(
                            d.model_copy(update={"entries": entries}) if d.code == code else d
                            for d in stage.meet.disciplines
                        )
                    }
                )
            }
        )
        if stage.meet
        else stage
        for stage in competition.stages
    )
    return competition.model_copy(update={"stages": stages})


def entered(competition: Competition, discipline: Discipline, team: CompetitionEntry) -> Competition:
    """The competition with a team entered in a relay (or changed, keeping its place in the list)."""
    known = any(entry.entry_id == team.entry_id for entry in competition.entries)
    entries = tuple(team if entry.entry_id == team.entry_id else entry for entry in competition.entries)
    listed = discipline.entries if team.entry_id in discipline.entries else (*discipline.entries, team.entry_id)
    updated = competition.model_copy(update={"entries": entries if known else (*entries, team)})
    return _with_discipline_entries(updated, discipline.code, listed)


def withdrawn(competition: Competition, discipline: Discipline, entry_id: str) -> Competition:
    """The competition without a relay team."""
    entries = tuple(entry for entry in competition.entries if entry.entry_id != entry_id)
    updated = competition.model_copy(update={"entries": entries})
    listed = tuple(other for other in discipline.entries if other != entry_id)
    return _with_discipline_entries(updated, discipline.code, listed)


def _named(setup: Mapping[str, Any]) -> Iterator[str]:
    """The entries a set-up as given (not yet checked) names in its meet's disciplines."""
    for stage in setup.get("stages") or ():
        meet = stage.get("meet") if isinstance(stage, dict) else None
        for discipline in meet.get("disciplines") or () if isinstance(meet, dict) else ():
            if isinstance(discipline, dict):
                yield from (entry for entry in discipline.get("entries") or () if isinstance(entry, str))


RELAY_SETTINGS = ("relay", "legs", "reserves", "teams_per_unit", "relay_rule", "crew_roles")


def kept_relay_settings(competition: Competition, setup: Mapping[str, Any]) -> dict[str, Any]:
    """The set-up with each relay kept a relay: a discipline given without a ``relay`` key (the organiser's set-up
    form shows no relay settings) whose code is a relay of the stored set-up keeps its legs, reserves, teams per
    unit, composition rule and its teams (units enter those on the relay page, never through the set-up). A set-up
    that says ``relay`` (true or false) is taken as given."""
    relays = {d.code: d for stage in competition.stages if stage.meet for d in stage.meet.disciplines if d.relay}
    if not relays:
        return dict(setup)
    stages = []
    for stage in setup.get("stages") or ():
        meet = stage.get("meet") if isinstance(stage, dict) else None
        if not isinstance(meet, dict) or not isinstance(meet.get("disciplines"), list):
            stages.append(stage)
            continue
        disciplines = [_kept_relay(discipline, relays) for discipline in meet["disciplines"]]
        stages.append({**stage, "meet": {**meet, "disciplines": disciplines}})
    return {**setup, "stages": stages}


def _kept_relay(discipline: object, relays: Mapping[str, Discipline]) -> object:
    if not isinstance(discipline, dict) or "relay" in discipline or discipline.get("code") not in relays:
        return discipline
    stored = relays[discipline["code"]].model_dump(mode="json", include=set(RELAY_SETTINGS) | {"entries"})
    return {**discipline, **stored}


def kept_relays(
    competition: Competition | None, setup: Mapping[str, Any]
) -> tuple[dict[str, Any], list[CompetitionEntry]]:
    """A changed set-up with the stored relays kept (``kept_relay_settings``) and the relay teams it still names
    (``kept_teams``); a first set-up as given."""
    if competition is None:
        return dict(setup), []
    kept = kept_relay_settings(competition, setup)
    return kept, kept_teams(competition, kept)


def kept_teams(competition: Competition, setup: Mapping[str, Any]) -> list[CompetitionEntry]:
    """The units' relay teams a changed set-up still names: entries of the competition, not of the event's
    registrations or teams, they stay when the organiser changes the set-up (and go when it no longer names them)."""
    teams = {entry for stage in competition.stages if stage.meet for d in stage.meet.disciplines if d.relay
             for entry in d.entries}  # fmt: skip
    named = teams & set(_named(setup))
    return [entry for entry in competition.entries if entry.entry_id in named]
