"""Relay teams entered by unit admins (issue 19 item 3).

A unit admin enters, changes and withdraws their own unit's teams for the relays of an event's meet; the union's
admins and the event's organisers do it for any unit. A team is checked by chalicelib.domain.competition.relays
before anything is written and written with the relay's list of teams in ONE conditional write of the set-up over
the version the caller read (a change made meanwhile is refused), with an audit entry. Teams may change until the
meet is closed, the relay's first mark is recorded or its first round (heats) is drawn. A dragon boat's crews
(龙舟队: paddlers, drummer and helm) are entered here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from chalicelib.domain.access import Principal, administers, can_manage_event
from chalicelib.domain.competition import relays as rules
from chalicelib.domain.competition.round_results import drawn_rounds
from chalicelib.domain.competition.setup import CompetitionEntry, Discipline, StageState
from chalicelib.domain.event_rules import event_day
from chalicelib.domain.records import Event, Member, MemberStatus, Unit
from chalicelib.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.services.competition import CompetitionState, _save, load
from chalicelib.services.event_views import units as all_units
from chalicelib.services.registration import visible_event
from chalicelib.storage import Store


class Relay(NamedTuple):
    """One relay of the meet as a unit admin sees it: its teams and whether they may still change."""

    stage_id: str
    discipline: Discipline
    teams: list[CompetitionEntry]
    open: bool


@dataclass(frozen=True)
class RelayTeams:
    """The meet's relays for the relay-teams page: ``units`` the caller may enter for, ``unit_id`` the one shown
    with its active ``members`` (the choices for each leg), ``names`` of every runner of a team shown."""

    event: Event
    version: int
    relays: list[Relay]
    units: list[Unit]
    unit_id: str | None
    members: list[Member] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    manages_event: bool = False
    unit_names: dict[str, Unit] = field(default_factory=dict)  # every unit, for the teams' units

    def may_change(self, team: CompetitionEntry) -> bool:
        return self.manages_event or any(unit.unit_id == team.unit_id for unit in self.units)


def _state(store: Store, principal: Principal, event_id: str) -> CompetitionState:
    if not principal.signed_in:
        raise Forbidden()
    event = visible_event(store, principal, event_id)
    if not (principal.admin_of or principal.union_admin or can_manage_event(principal, event.owner_unit_id)):
        raise Forbidden()
    state = load(store, event)
    if state is None:
        raise NotFound("competition_not_set_up")
    return state


def _relays(state: CompetitionState) -> list[Relay]:
    found = []
    for stage in state.competition.stages:
        if stage.meet is None:
            continue
        closed = state.competition.run(stage.stage_id).state == StageState.CLOSED
        marked = state.performances.get(stage.stage_id, {})
        for discipline in stage.meet.disciplines:
            if discipline.relay:
                teams = rules.teams(state.competition, discipline)
                # fixed once the relay has a mark or its first round (heats) is drawn (services/meet_rounds.py)
                drawn = bool(drawn_rounds(state.rounds, stage.stage_id, discipline.code)[0].runs)
                started = closed or bool(marked.get(discipline.code)) or drawn
                found.append(Relay(stage.stage_id, discipline, teams, not started))
    return found


def _units(every: dict[str, Unit], principal: Principal, event: Event) -> list[Unit]:
    """The units the caller enters teams for, in the union's order: those they administer; every unit for the
    union's admins and the event's organisers."""
    if principal.union_admin or can_manage_event(principal, event.owner_unit_id):
        return list(every.values())
    return [unit for unit_id, unit in every.items() if unit_id in principal.admin_of]


def relay_teams(store: Store, principal: Principal, event_id: str, unit_id: str | None = None) -> RelayTeams:
    """The meet's relays and their teams, with the chosen unit's members to pick runners from."""
    state = _state(store, principal, event_id)
    event = state.event
    every = all_units(store)
    units = _units(every, principal, event)
    ids = [unit.unit_id for unit in units]
    chosen = next(
        (choice for choice in (unit_id, *sorted(principal.admin_of), principal.unit_id) if choice in ids), None
    )
    relays = _relays(state)
    members = []
    if chosen is not None:
        members = sorted(
            (m for m in store.members.in_unit(chosen) if m.status == MemberStatus.ACTIVE), key=lambda m: m.staff_no
        )
    runners = {staff_no for relay in relays for team in relay.teams for staff_no in team.members}
    names = {staff_no: member.name for staff_no, member in store.organisation.members_by_staff_no(runners).items()}
    manages = can_manage_event(principal, event.owner_unit_id)
    return RelayTeams(event, state.version, relays, units, chosen, members, names, manages, every)


def _open_relay(state: CompetitionState, code: str) -> Relay:
    relay = next((relay for relay in _relays(state) if relay.discipline.code == code), None)
    if relay is None:
        raise NotFound("relay_not_found")
    if not relay.open:
        raise Conflict("relay_closed")
    return relay


def _may_enter_for(principal: Principal, state: CompetitionState, unit_id: str) -> None:
    if not (administers(principal, unit_id) or can_manage_event(principal, state.event.owner_unit_id)):
        raise Forbidden()


def enter_team(
    store: Store, principal: Principal, event_id: str, code: str, unit_id: str, legs: Sequence[str],
    reserves: Sequence[str], version: int | None, at: datetime, *, entry_id: str | None = None,
    name: str | None = None, roles: Sequence[str] = (),
) -> CompetitionEntry:  # fmt: skip
    """Enter a unit's team for a relay (``entry_id``: change that team). ``legs``: the runners in order (blank: not
    chosen yet), ``reserves`` (blanks dropped), ``roles``: a dragon boat's drummer and helm (the discipline's
    ``crew_roles`` in order). ``version``: the set-up as the caller read it (None: as it is now);
    ``name``: the team's name (a new team: its unit's name, numbered from its second team; a change: kept)."""
    state = _state(store, principal, event_id)
    relay = _open_relay(state, code)
    current = _team(relay, entry_id) if entry_id is not None else None
    unit_id = current.unit_id if current else unit_id
    _may_enter_for(principal, state, unit_id)
    if store.units.get(unit_id) is None:
        raise NotFound("unknown_unit")
    _check_version(state, version)
    form = _team_form(unit_id, legs, reserves, roles)
    problems = rules.team_problems(state.competition, relay.discipline, form, _runners(store, form),
                                   event_day(state.event), entry_id=entry_id)  # fmt: skip
    if problems:
        raise InvalidInput([{"type": p.code, "loc": (p.field,), "msg": p.code, "ctx": p.params} for p in problems])
    team = CompetitionEntry(
        entry_id=entry_id or rules.new_team_id(state.competition, relay.discipline, unit_id),
        name=(name or "").strip()[:80] or (current.name if current else _team_name(store, relay, unit_id)),
        unit_id=unit_id,
        members=form.members(),
    )
    competition = rules.entered(state.competition, relay.discipline, team)
    before = current.model_dump(mode="json") if current else None
    after = {"relay": code, **team.model_dump(mode="json")}
    action = "competition.relay_change" if current else "competition.relay_enter"
    _save(store, state, competition, principal.member_no, at, action, before, after)
    return team


def _team_form(unit_id: str, legs: Sequence[str], reserves: Sequence[str], roles: Sequence[str]) -> rules.TeamForm:
    """The team as typed: legs and roles in order (blank: nobody chosen yet), the reserves chosen."""
    kept = tuple(s.strip() for s in reserves if s.strip())
    return rules.TeamForm(unit_id, tuple(s.strip() for s in legs), kept, tuple(s.strip() for s in roles))


def _team(relay: Relay, entry_id: str) -> CompetitionEntry:
    team = next((team for team in relay.teams if team.entry_id == entry_id), None)
    if team is None:
        raise NotFound("relay_team_not_found")
    return team


def _check_version(state: CompetitionState, version: int | None) -> None:
    if version is not None and version != state.version:
        raise Conflict("competition_changed_meanwhile")


def _runners(store: Store, form: rules.TeamForm) -> dict[str, rules.Runner]:
    named = {staff_no for staff_no in form.members() if staff_no}
    return {
        staff_no: rules.Runner(
            staff_no, m.name, m.gender.value, m.birth_date, m.unit_id, m.status == MemberStatus.ACTIVE
        )
        for staff_no, m in store.organisation.members_by_staff_no(named).items()
    }


def _team_name(store: Store, relay: Relay, unit_id: str) -> str:
    unit = store.units.get(unit_id)
    name = unit.name_zh if unit else unit_id
    count = sum(team.unit_id == unit_id for team in relay.teams)
    return name if count == 0 else f"{name} {count + 1}"


def withdraw_team(
    store: Store, principal: Principal, event_id: str, code: str, entry_id: str, version: int | None, at: datetime
) -> None:
    """Withdraw a unit's team from a relay."""
    state = _state(store, principal, event_id)
    relay = _open_relay(state, code)
    team = _team(relay, entry_id)
    _may_enter_for(principal, state, team.unit_id)
    _check_version(state, version)
    competition = rules.withdrawn(state.competition, relay.discipline, entry_id)
    before = {"relay": code, **team.model_dump(mode="json")}
    _save(store, state, competition, principal.member_no, at, "competition.relay_withdraw", before, None)
