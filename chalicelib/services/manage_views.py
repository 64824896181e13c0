"""What the organiser pages and the organiser API routes show of a unit's events and an event's registrations.

Each screen gets a view (a frozen dataclass) built here from the store; the JSON routes of chalicelib.api.events use
the same functions, so a filter (which registrations an organiser is shown, which events a unit has) lives in one
place.
"""

from __future__ import annotations

from typing import NamedTuple

from chalicelib.domain.access import Principal, can_manage_event, require
from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.event_rules import UnitTally, unit_summary, waiting_positions
from chalicelib.domain.records import (
    SCHOOL_UNIT_ID,
    EntryType,
    Event,
    EventSession,
    Registration,
    RegistrationState,
    Unit,
)
from chalicelib.errors import NotFound
from chalicelib.services.events import managed_event
from chalicelib.services.organisation_views import member_names
from chalicelib.storage import Store


def union_units(store: Store) -> list[Unit]:
    """The school union and its sub-unions, in the union's order."""
    return store.units.whole_union()


def owner_choices(store: Store, principal: Principal) -> list[Unit]:
    """The units whose events the principal organises: a union admin's are the school union and every sub-union."""
    units = store.units.whole_union()
    if principal.union_admin:
        return units
    mine = [unit for unit in units if unit.unit_id in principal.admin_of]
    known = {unit.unit_id for unit in mine}
    extra = [store.units.get(unit_id) for unit_id in sorted(principal.admin_of - known)]
    return mine + [unit for unit in extra if unit is not None]


def unit_events(store: Store, principal: Principal, unit_id: str) -> list[Event]:
    """A unit's events, drafts included (its organisers only)."""
    require(can_manage_event(principal, unit_id))
    return store.events.by_owner(unit_id)


class EventListView(NamedTuple):
    """The events an organiser manages: of the unit chosen, else of every unit they administer (a union admin:
    the school union's), newest first."""

    choices: list[Unit]
    chosen: str | None
    shown_units: list[str]
    events: list[Event]


def event_list_view(store: Store, principal: Principal, chosen: str | None) -> EventListView:
    choices = owner_choices(store, principal)
    if chosen is not None:
        require(can_manage_event(principal, chosen))
        if store.units.get(chosen) is None:
            raise NotFound("unknown_unit")
        shown_units = [chosen]
    elif principal.union_admin:
        shown_units = [SCHOOL_UNIT_ID]
    else:
        shown_units = [unit.unit_id for unit in choices]
    events = [event for unit_id in shown_units for event in store.events.by_owner(unit_id)]
    events.sort(key=lambda event: event.starts_at, reverse=True)
    return EventListView(choices=choices, chosen=chosen, shown_units=shown_units, events=events)


class EventFormView(NamedTuple):
    """What the event form offers: the units (owners and audience) and, when editing, the event's sessions."""

    units: list[Unit]
    owner_choices: list[Unit]
    sessions: list[EventSession]


def event_form_view(store: Store, principal: Principal, event: Event | None) -> EventFormView:
    return EventFormView(
        units=store.units.whole_union(),
        owner_choices=owner_choices(store, principal),
        sessions=store.sessions.for_event(event.event_id) if event is not None else [],
    )


def event_sessions(store: Store, event_id: str) -> list[EventSession]:
    return store.sessions.for_event(event_id)


# ---- registrations ------------------------------------------------------------------------------------------------


class RegistrationSelection(NamedTuple):
    """An event's registrations (of one scope, or all), those an organiser's filter selects, and the waiting-list
    positions."""

    everything: list[Registration]
    found: list[Registration]
    positions: dict[tuple[str, str], int]


def select_registrations(
    store: Store,
    event_id: str,
    state: RegistrationState | None = None,
    unit_id: str | None = None,
    scope: str | None = None,
) -> RegistrationSelection:
    """The one filter of an event's registrations, by state and by unit (the API's list and the page's)."""
    everything = store.registrations.for_event(event_id, scope)
    found = [r for r in everything if (state is None or r.state is state) and (unit_id is None or r.unit_id == unit_id)]
    return RegistrationSelection(everything=everything, found=found, positions=waiting_positions(everything))


def managed_registrations(
    store: Store,
    principal: Principal,
    event_id: str,
    state: RegistrationState | None = None,
    unit_id: str | None = None,
    scope: str | None = None,
) -> RegistrationSelection:
    """:func:`select_registrations` of an event the principal organises."""
    managed_event(store, principal, event_id)
    return select_registrations(store, event_id, state, unit_id, scope)


class RegistrationsView(NamedTuple):
    """The organisers' list of an event's registrations."""

    selection: RegistrationSelection
    units: list[Unit]
    sessions: list[EventSession]
    team_names: dict[str, str]


def registrations_view(
    store: Store, event: Event, state: RegistrationState | None, unit_id: str | None
) -> RegistrationsView:
    selection = select_registrations(store, event.event_id, state, unit_id)
    selection.found.sort(key=lambda r: (r.registered_at, r.staff_no))
    team_names = {}
    if event.entry_type is EntryType.TEAM:
        team_names = {team.team_id: team.name for team in store.teams.for_event(event.event_id)}
    return RegistrationsView(
        selection=selection,
        units=store.units.whole_union(),
        sessions=store.sessions.for_event(event.event_id),
        team_names=team_names,
    )


def is_member(store: Store, staff_no: str) -> bool:
    return store.members.get(staff_no) is not None


def unit_tallies(store: Store, principal: Principal, event_id: str) -> list[UnitTally]:
    """Registered, confirmed and waiting per unit, of an event the principal organises."""
    managed_event(store, principal, event_id)
    return unit_summary(store.registrations.for_event(event_id))


class ExportView(NamedTuple):
    """What a registration export holds."""

    event: Event
    registrations: list[Registration]
    sessions: list[EventSession]
    units: list[Unit]
    staff_names: dict[str, str]  # names of the admins who entered members (录入人), by 工号


def export_view(store: Store, principal: Principal, event_id: str) -> ExportView:
    event = managed_event(store, principal, event_id)
    registrations = store.registrations.for_event(event_id)
    # The few admins who entered members, read once each (an export, not a request path that repeats).
    entered_by = {r.added_by for r in registrations if r.added_by}
    return ExportView(
        event=event,
        registrations=registrations,
        sessions=store.sessions.for_event(event_id),
        units=store.units.whole_union(),
        staff_names=member_names(store, entered_by),
    )


def session_labels(sessions: list[EventSession]) -> dict[str, str]:
    """A session by its start, ``MM-DD HH:MM`` in China time."""
    return {s.session_id: s.starts_at.astimezone(CHINA_TZ).strftime("%m-%d %H:%M") for s in sessions}
