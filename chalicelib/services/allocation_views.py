"""What the organiser pages of allocation show: unit quotas, teams, unit admins entering their members, and the
events that take entries from a unit admin's units.

Each screen's view is built here from the store; deciding who may do what stays with the services that change
things (quotas, teams, registration) and chalicelib.domain.access.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from chalicelib.domain.access import Principal, administers, can_manage_event, require
from chalicelib.domain.event_rules import displayed_status
from chalicelib.domain.records import (
    SCHOOL_UNIT_ID,
    Audience,
    EntryType,
    Event,
    EventSession,
    EventStatus,
    Member,
    Registration,
    Team,
    Unit,
    UnitPlaces,
)
from chalicelib.errors import NotFound
from chalicelib.services import quotas as quota_service
from chalicelib.services import teams as team_service
from chalicelib.services.registration import visible_event
from chalicelib.storage import Store

# Events listed for unit admins to enter their members into.
ENTRIES_LISTED = 200
_TAKING_ENTRIES = (EventStatus.PUBLISHED, EventStatus.REGISTRATION_OPEN, EventStatus.REGISTRATION_CLOSED)


def administered_units(store: Store, principal: Principal) -> list[Unit]:
    """The sub-unions the principal administers, in the union's order (a union admin: every one)."""
    units = store.units.children(SCHOOL_UNIT_ID)
    return units if principal.union_admin else [unit for unit in units if unit.unit_id in principal.admin_of]


def audience_takes(event: Event, unit_id: str) -> bool:
    """Whether members of ``unit_id`` are among the event's audience (gender and age aside)."""
    audience = event.audience
    if audience.scope is Audience.UNITS:
        return unit_id in audience.unit_ids
    if audience.scope is Audience.OWN_UNIT:
        return unit_id == event.owner_unit_id
    return True


def members_by_staff_no(store: Store, staff_nos: list[str]) -> dict[str, Member]:
    """The members of these 工号 that exist (each read once)."""
    found = {}
    for staff_no in dict.fromkeys(staff_nos):
        member = store.members.get(staff_no)
        if member is not None:
            found[staff_no] = member
    return found


def current_event(store: Store, principal: Principal, event_id: str) -> Event:
    """The event as it is now (a consistent read, after a refused change), else as the principal may see it."""
    return store.events.get(event_id, consistent=True) or visible_event(store, principal, event_id)


def reread_event(store: Store, event: Event) -> Event:
    """``event`` read again consistently (after a refused change); itself if it is gone."""
    return store.events.get(event.event_id, consistent=True) or event


# ---- quotas -------------------------------------------------------------------------------------------------------


def sharing_units(store: Store, event: Event, places: list[UnitPlaces] | None = None) -> list[Unit]:
    """The units a quota can be given to: the audience's units, else every sub-union; and any holding one
    (``places``: the event's, read when not given)."""
    if places is None:
        places = store.unit_places.for_event(event.event_id)
    units = store.units.children(SCHOOL_UNIT_ID)
    chosen = set(event.audience.unit_ids) if event.audience.scope is Audience.UNITS else {u.unit_id for u in units}
    chosen |= {place.unit_id for place in places}
    return [unit for unit in store.units.whole_union() if unit.unit_id in chosen and unit.unit_id != SCHOOL_UNIT_ID]


class QuotaView(NamedTuple):
    """Each unit's quota and use (a unit admin: their own units'); for the organisers, the units to share among."""

    organiser: bool
    places: list[UnitPlaces]
    units: list[Unit]


def quota_view(store: Store, principal: Principal, event: Event) -> QuotaView:
    organiser = can_manage_event(principal, event.owner_unit_id)
    places = quota_service.unit_places(store, principal, event)
    units = sharing_units(store, event, places) if organiser else []
    return QuotaView(organiser=organiser, places=places, units=units)


# ---- teams --------------------------------------------------------------------------------------------------------


class TeamsView(NamedTuple):
    """The teams the principal may see, their players and captains, and the units they may enter teams for."""

    teams: list[Team]
    members: dict[str, Member]
    own_units: list[Unit]


def team_members(store: Store, teams: list[Team]) -> dict[str, Member]:
    """The players and captains of these teams."""
    return members_by_staff_no(
        store, [s for team in teams for s in (*team.roster, *([team.captain] if team.captain else []))]
    )


def teams_view(store: Store, principal: Principal, event: Event) -> TeamsView:
    teams = team_service.teams_for(store, principal, event)
    return TeamsView(teams=teams, members=team_members(store, teams), own_units=administered_units(store, principal))


def visible_team(store: Store, principal: Principal, event: Event, team_id: str) -> Team:
    """A team of a team event, for its players, its captain and its unit's admins (404 for anyone else)."""
    team = store.teams.get(event.event_id, team_id) if event.entry_type is EntryType.TEAM else None
    if team is None or not team_service.may_see_team(principal, event, team):
        raise NotFound()
    return team


def reread_team(store: Store, team: Team) -> Team:
    return store.teams.get(team.event_id, team.team_id) or team


# ---- unit admins entering their members ---------------------------------------------------------------------------


class EnterView(NamedTuple):
    """What a unit admin sees when entering members into an event: their units the audience takes, their units'
    registrations, the units' places (with quotas) and the sessions one may enter for."""

    organiser: bool
    units: list[Unit]
    registrations: list[Registration]
    places: list[UnitPlaces]
    sessions: list[EventSession]


def entering_units(store: Store, principal: Principal, event: Event) -> list[Unit]:
    """The principal's units whose members may be entered into ``event`` (its audience's units among them)."""
    return [unit for unit in administered_units(store, principal) if audience_takes(event, unit.unit_id)]


def enter_view(store: Store, principal: Principal, event: Event) -> EnterView:
    organiser = can_manage_event(principal, event.owner_unit_id)
    units = entering_units(store, principal, event)
    require(organiser or bool(units))
    mine = [r for r in store.registrations.for_event(event.event_id) if administers(principal, r.unit_id)]
    places = quota_service.unit_places(store, principal, event) if event.quotas else []
    sessions = store.sessions.for_event(event.event_id) if event.single_sessions else []
    return EnterView(organiser=organiser, units=units, registrations=mine, places=places, sessions=sessions)


def entry_events(store: Store, principal: Principal, at: datetime) -> list[Event]:
    """Events of any unit, taking entries now, whose audience takes members of the principal's units."""
    own = {unit.unit_id for unit in administered_units(store, principal)}
    return [
        event
        for event in store.events.upcoming(at, limit=ENTRIES_LISTED)
        if displayed_status(event, at) in _TAKING_ENTRIES and any(audience_takes(event, unit_id) for unit_id in own)
    ]
