"""Teams fielded by units: entering a team, substituting players until the roster deadline, withdrawing.

A unit admin (or the captain they name) manages their unit's teams; the event's organisers see every team.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.domain.access import Principal, administers, can_manage_event, require
from chalicelib.domain.entries import may_change_roster, roster_change, roster_problems
from chalicelib.domain.event_rules import PHASE_REFUSALS, RegistrationPhase, registration_phase
from chalicelib.domain.ids import sortable_id
from chalicelib.domain.records import EntryType, Event, Member, NotificationKind, Team, TeamState, normalise_staff_no
from chalicelib.errors import Conflict, DependencyUnavailable, InvalidInput, NotFound
from chalicelib.services.placing import MAX_ATTEMPTS, back_off
from chalicelib.storage import Store
from chalicelib.storage.audit import audit_item
from chalicelib.storage.registrations import POOL, UNIT_PLACE
from chalicelib.storage.teams import MEMBER_PREFIX, TEAM
from chalicelib.storage.writes import TransactionFailed


def _team_event(event: Event) -> None:
    if event.entry_type is not EntryType.TEAM:
        raise Conflict("not_team_event")


def _players(store: Store, event: Event, unit_id: str, roster: list[str]) -> list[Member]:
    """The roster's members, checked against the event's team rule; every problem at once, per player."""
    staff_nos = [normalise_staff_no(staff_no) for staff_no in roster]
    members, problems = [], []
    for index, staff_no in enumerate(staff_nos):
        member = store.members.get(staff_no)
        if member is None:
            problems.append({"type": "roster_unknown", "loc": ("roster", index), "msg": staff_no, "ctx": {}})
        else:
            members.append(member)
    if not problems:
        for problem in roster_problems(event.team_rule, event, unit_id, members):
            where = staff_nos.index(problem.staff_no) if problem.staff_no in staff_nos else None
            loc = ("roster",) if where is None else ("roster", where)
            ctx = {**problem.params, **({"staff_no": problem.staff_no} if problem.staff_no else {})}
            problems.append({"type": problem.code, "loc": loc, "msg": problem.code, "ctx": ctx})
    if problems:
        raise InvalidInput(problems)
    return members


def _captain(store: Store, unit_id: str, captain: str | None) -> str | None:
    if not captain:
        return None
    member = store.members.get(normalise_staff_no(captain))
    if member is None or member.unit_id != unit_id:
        raise InvalidInput([{"type": "captain_other_unit", "loc": ("captain",), "msg": "", "ctx": {}}])
    return member.staff_no


def _roster_notices(store: Store, event: Event, team: Team, staff_nos: list[str], on: bool, at: datetime) -> list[Any]:
    details = {"team": team.name, "on": on}
    return [
        store.notifications.item(s, NotificationKind.TEAM_ROSTER, event.event_id, event.title_zh, at, details)
        for s in staff_nos
    ]


def enter_team(
    store: Store,
    principal: Principal,
    event: Event,
    unit_id: str,
    name: str,
    roster: list[str],
    captain: str | None,
    at: datetime,
    *,
    team_id: str | None = None,
) -> Team:
    """A unit admin enters a team for their unit (the organisers may do so after registration has closed).
    ``team_id``: for the demo union (devtools.demo), whose teams keep their ids; otherwise a new one."""
    require(administers(principal, unit_id))
    _team_event(event)
    organiser = can_manage_event(principal, event.owner_unit_id)
    phase = registration_phase(event, at)
    if not organiser and phase is not RegistrationPhase.OPEN:
        raise Conflict(PHASE_REFUSALS[phase])
    players = _players(store, event, unit_id, roster)
    team = Team(
        event_id=event.event_id,
        team_id=team_id or sortable_id("tm-"),
        unit_id=unit_id,
        name=name,
        roster=tuple(member.staff_no for member in players),
        captain=_captain(store, unit_id, captain),
        state=TeamState.ENTERED,
        version=0,
        created_by=principal.staff_no or "",
        created_at=at,
        updated_at=at,
    )
    audit = audit_item(
        unit_id, principal.member_no, "team.enter", f"{event.event_id}/{team.team_id}", after=_snapshot(team)
    )
    extra = (audit, *_roster_notices(store, event, team, list(team.roster), True, at))
    for attempt in range(MAX_ATTEMPTS):
        try:
            store.teams.enter(
                team,
                players,
                at,
                teams_per_unit=event.team_rule.teams_per_unit,
                by_organiser=organiser,
                extra=extra,
            )
        except TransactionFailed as failure:
            _raise_roster_failure(failure)
            if UNIT_PLACE in failure.failed:
                raise Conflict("unit_team_limit", limit=event.team_rule.teams_per_unit) from failure
            if POOL in failure.failed:
                fresh = store.events.get(event.event_id, consistent=True)
                if fresh is not None and fresh.capacity is not None and fresh.confirmed_count >= fresh.capacity:
                    raise Conflict("event_full") from failure
                raise Conflict("registration_closed") from failure
            back_off(attempt)
            continue
        return team
    raise DependencyUnavailable("registration_busy")


def _raise_roster_failure(failure: TransactionFailed) -> None:
    taken = sorted(label.removeprefix(MEMBER_PREFIX) for label in failure.failed if label.startswith(MEMBER_PREFIX))
    if taken:
        raise Conflict("member_already_entered", staff_no=taken[0], details={"staff_nos": taken}) from failure


def _snapshot(team: Team) -> dict[str, Any]:
    return {"name": team.name, "roster": list(team.roster), "captain": team.captain, "state": team.state.value}


def _managed_team(store: Store, principal: Principal, event: Event, team_id: str) -> Team:
    """A team the principal may change: its unit's admins or its captain."""
    _team_event(event)
    team = store.teams.get(event.event_id, team_id)
    if team is None or not may_see_team(principal, event, team):
        raise NotFound()
    require(administers(principal, team.unit_id) or principal.staff_no == team.captain)
    if team.state is not TeamState.ENTERED:
        raise Conflict("team_withdrawn")
    return team


def change_team(
    store: Store,
    principal: Principal,
    event: Event,
    team_id: str,
    roster: list[str],
    name: str | None,
    captain: str | None,
    at: datetime,
    version: int | None = None,
) -> Team:
    """Substitute players (until the roster deadline); the new roster must satisfy every rule. ``version``:
    the team as the editor saw it; a change made meanwhile by someone else is refused rather than overwritten."""
    team = _managed_team(store, principal, event, team_id)
    if version is not None and version != team.version:
        raise Conflict("team_changed_meanwhile")
    if not may_change_roster(event, at):
        raise Conflict("roster_deadline_passed")
    players = _players(store, event, team.unit_id, roster)
    new_roster = [member.staff_no for member in players]
    taken_off, put_on = roster_change(team, new_roster)
    new_captain = _captain(store, team.unit_id, captain) if captain is not None else team.captain
    if principal.staff_no == team.captain and not administers(principal, team.unit_id):
        new_captain = team.captain  # a captain does not hand the team on; the unit admin does
    extra = (
        audit_item(
            team.unit_id,
            principal.member_no,
            "team.roster",
            f"{event.event_id}/{team.team_id}",
            before=_snapshot(team),
            after={"roster": new_roster, "name": name or team.name, "captain": new_captain},
        ),
        *_roster_notices(store, event, team, taken_off, False, at),
        *_roster_notices(store, event, team, put_on, True, at),
    )
    joining = [member for member in players if member.staff_no in put_on]
    try:
        return store.teams.change_roster(
            team, new_roster, taken_off, joining, at, name=name, captain=new_captain or "", extra=extra
        )
    except TransactionFailed as failure:
        _raise_roster_failure(failure)
        if TEAM in failure.failed:
            raise Conflict("team_changed_meanwhile") from failure
        raise


def withdraw_team(store: Store, principal: Principal, event: Event, team_id: str, at: datetime) -> Team:
    team = _managed_team(store, principal, event, team_id)
    require(administers(principal, team.unit_id))
    if not may_change_roster(event, at):
        raise Conflict("roster_deadline_passed")
    extra = (
        audit_item(team.unit_id, principal.member_no, "team.withdraw", f"{event.event_id}/{team.team_id}"),
        *_roster_notices(store, event, team, list(team.roster), False, at),
    )
    try:
        store.teams.withdraw(team, at, extra=extra)
    except TransactionFailed as failure:
        raise Conflict("team_changed_meanwhile") from failure
    return team._replace(state=TeamState.WITHDRAWN, updated_at=at)


def may_see_team(principal: Principal, event: Event, team: Team) -> bool:
    """The school union and the organisers see every team; a unit its own; a player or captain theirs."""
    return (
        can_manage_event(principal, event.owner_unit_id)
        or administers(principal, team.unit_id)
        or principal.staff_no == team.captain
        or principal.staff_no in team.roster
    )


def teams_for(store: Store, principal: Principal, event: Event) -> list[Team]:
    _team_event(event)
    return [team for team in store.teams.for_event(event.event_id) if may_see_team(principal, event, team)]
