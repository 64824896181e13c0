"""What members' event screens show, read once per screen: the list of events, one event, the registration form,
the lottery, "my registrations" and "my notifications" (pages in chalicelib.web.events, JSON in chalicelib.api.events).

Each function returns the records a screen needs (a frozen view model); the pages word them, the API shapes them.
A filter or rule that decides what a member sees lives here once, for both.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from chalicelib.domain.access import Principal
from chalicelib.domain.event_rules import (
    RegistrationPhase,
    class_clash,
    ineligibility,
    publicly_listed,
    registration_phase,
    registration_refusal,
    sessions_ahead,
)
from chalicelib.domain.records import (
    COMPETITION_FORMATS,
    SERIES,
    Allocation,
    EntryType,
    Event,
    EventFormat,
    EventKind,
    EventSession,
    Notification,
    Registration,
    RegistrationState,
    Team,
    TeamState,
    Unit,
)
from chalicelib.errors import NotFound
from chalicelib.services import registration as registration_service
from chalicelib.storage import Store

# ---- the list of events ----------------------------------------------------------------------------------------


class EventListing(NamedTuple):
    """The list of events with the filters that were valid (an unknown kind or unit is no filter)."""

    units: dict[str, Unit]
    kind: str
    unit_id: str
    only_open: bool
    events: list[Event]


def units(store: Store) -> dict[str, Unit]:
    """The school union and its sub-unions, in the union's order."""
    return {unit.unit_id: unit for unit in store.units.whole_union()}


def listed_events(
    store: Store, at: datetime, *, kind: EventKind | None, unit_id: str | None, only_open: bool, read_limit: int
) -> list[Event]:
    """Published events still to come or running, soonest first; by kind, by organising unit, or only those open
    now (the public list of events, on the page and in the API)."""
    if unit_id:
        owned = store.events.by_owner(unit_id)
        found = sorted((e for e in owned if publicly_listed(e) and e.ends_at >= at), key=lambda e: e.starts_at)
    else:
        found = store.events.upcoming(at, limit=read_limit)
    if kind is not None:
        found = [e for e in found if e.kind is kind]
    if only_open:
        found = [e for e in found if registration_phase(e, at) is RegistrationPhase.OPEN]
    return found


def event_listing(store: Store, at: datetime, kind: str, unit: str, only_open: bool, limit: int) -> EventListing:
    known = units(store)
    kind = kind if kind in {k.value for k in EventKind} else ""
    unit_id = unit if unit in known else ""
    found = listed_events(
        store, at, kind=EventKind(kind) if kind else None, unit_id=unit_id, only_open=only_open, read_limit=limit
    )
    return EventListing(known, kind, unit_id, only_open, found[:limit])


# ---- a member's registrations as a screen shows them -------------------------------------------------------------


class RegistrationView(NamedTuple):
    """A member's registration with what its screen needs beyond it."""

    registration: Registration
    position: int | None  # on the waiting list
    event: Event
    # What the state badge shows: a pair's confirmed partner sees the pair's state (the inviting member's).
    shown: Registration
    shown_position: int | None
    session: EventSession | None = None  # the session a single-session registration is for (None: series)
    team: Team | None = None  # the team of a team player
    added_by_name: str | None = None  # who entered it, when someone else did
    cancel_refusal: str | None = None  # why cancelling is refused (only asked of active, non-invitation ones)
    can_cancel: bool = False


class _Reads:
    """Reads a screen of registrations needs beyond the registrations themselves, each made once."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._names: dict[str, str] = {}
        self._teams: dict[tuple[str, str], Team | None] = {}
        self._sessions: dict[tuple[str, str], EventSession | None] = {}

    def member_name(self, staff_no: str) -> str:
        if staff_no not in self._names:
            member = self.store.members.get(staff_no)
            self._names[staff_no] = member.name if member is not None else staff_no
        return self._names[staff_no]

    def team(self, event_id: str, team_id: str) -> Team | None:
        key = (event_id, team_id)
        if key not in self._teams:
            self._teams[key] = self.store.teams.get(event_id, team_id)
        return self._teams[key]

    def session(self, event_id: str, scope: str) -> EventSession | None:
        key = (event_id, scope)
        if key not in self._sessions:
            self._sessions[key] = self.store.sessions.get(*key)
        return self._sessions[key]


def _view(
    reads: _Reads,
    event: Event,
    registration: Registration,
    position: int | None,
    at: datetime,
    viewer: str | None,
    session: EventSession | None,
) -> RegistrationView:
    store = reads.store
    state = registration.state
    shown, shown_position = registration, position
    if state is RegistrationState.PARTNER and registration.partner:
        lead = store.registrations.get(registration.event_id, registration.scope, registration.partner)
        if lead is not None and lead.state.active:
            shown, shown_position = lead, store.registrations.waiting_position(lead)
    team = None
    if state is RegistrationState.TEAM and registration.team_id:
        team = reads.team(registration.event_id, registration.team_id)
    added_by = registration.added_by
    added_by_name = reads.member_name(added_by) if added_by and added_by != viewer else None
    refusal, can_cancel = None, False
    if state.active and state is not RegistrationState.INVITED:
        # The cancel request's own rule (an invitation is declined instead).
        refusal = registration_service.cancel_refusal(store, event, registration, at)
        can_cancel = refusal is None
    return RegistrationView(
        registration, position, event, shown, shown_position, session, team, added_by_name, refusal, can_cancel
    )


def _scopes(event: Event, sessions: list[EventSession]) -> list[str]:
    return [SERIES] + ([s.session_id for s in sessions] if event.single_sessions else [])


def _free(scopes: list[str], mine: Iterable[Registration]) -> list[str]:
    taken = {r.scope for r in mine if r.state.active}
    return [scope for scope in scopes if scope not in taken]


def _ineligibility(store: Store, principal: Principal, event: Event, at: datetime) -> str | None:
    """Why the signed-in member may not register (the audience, or having left), asked only while it matters: an
    individual or pairs event open for registration."""
    if event.entry_type is EntryType.TEAM or not principal.signed_in:
        return None
    if registration_phase(event, at) is not RegistrationPhase.OPEN:
        return None
    member = store.members.get(principal.member_no)
    return "member_left" if member is None else ineligibility(event, member)


# ---- one event -------------------------------------------------------------------------------------------------


def event_with_sessions(store: Store, principal: Principal, event_id: str) -> tuple[Event, list[EventSession]]:
    """An event the principal may see, with its sessions (the event page and ``GET /api/events/{id}``)."""
    event = registration_service.visible_event(store, principal, event_id)
    return event, store.sessions.for_event(event.event_id)


@dataclass(frozen=True)
class EventDetail:
    event: Event
    units: dict[str, Unit]
    sessions: list[EventSession]
    mine: list[RegistrationView]  # the signed-in member's registrations for it
    free_scopes: list[str]  # what they may still register for
    ineligibility: str | None
    own_teams: list[Team] = field(default_factory=list)  # entered teams they play in or captain
    competition_published: bool = False


def _own_teams(store: Store, principal: Principal, event: Event) -> list[Team]:
    if event.entry_type is not EntryType.TEAM or not principal.signed_in:
        return []
    from chalicelib.services import teams as team_service  # team events only

    return [
        team
        for team in team_service.teams_for(store, principal, event)
        if team.state is TeamState.ENTERED and (principal.staff_no in team.roster or team.captain == principal.staff_no)
    ]


def _competition_published(store: Store, event: Event) -> bool:
    """Whether an event that has a competition (a tournament, meet or contest) has published it."""
    if event.format not in COMPETITION_FORMATS:
        return False  # no read for the other events
    found = store.competitions.setup_version(event.event_id)
    return bool(found and found[0].get("published"))


def fixtures_published(store: Store, event: Event) -> bool:
    """Whether a tournament's fixtures pages are public (its competition set up and published), for the links on
    its team pages: one read (the event page's rule, _competition_published), none for other events. Here, not in
    fixtures_views, so that the team pages link to the fixtures without loading the competition engine."""
    return event.format is EventFormat.TOURNAMENT and _competition_published(store, event)


def event_detail(store: Store, principal: Principal, event_id: str, at: datetime) -> EventDetail:
    event, sessions = event_with_sessions(store, principal, event_id)
    known = units(store)
    scopes = _scopes(event, sessions)
    mine: list[Registration] = []
    if principal.signed_in:
        mine = store.registrations.of_member_for_event(event.event_id, principal.member_no, scopes)
    reads = _Reads(store)
    views = [
        _view(reads, event, r, store.registrations.waiting_position(r), at, principal.staff_no, None) for r in mine
    ]
    return EventDetail(
        event,
        known,
        sessions,
        views,
        _free(scopes, mine),
        _ineligibility(store, principal, event, at),
        _own_teams(store, principal, event),
        _competition_published(store, event),
    )


class EventSummary(NamedTuple):
    event: Event
    units: dict[str, Unit]


def event_summary(store: Store, principal: Principal, event_id: str) -> EventSummary:
    """An event and the union's units (its poster)."""
    event = registration_service.visible_event(store, principal, event_id)
    return EventSummary(event, units(store))


# ---- registering -----------------------------------------------------------------------------------------------


class RegistrationForm(NamedTuple):
    event: Event
    sessions: dict[str, EventSession]
    scopes: list[str]  # what may be registered for: the series and, for single-session events, each session
    free_scopes: list[str]  # those the member holds no active registration for
    ineligibility: str | None  # only asked when ``check_member``


def registration_form(
    store: Store, principal: Principal, event_id: str, at: datetime, *, check_member: bool
) -> RegistrationForm:
    event, sessions = event_with_sessions(store, principal, event_id)
    scopes = _scopes(event, sessions)
    mine = store.registrations.of_member_for_event(event.event_id, principal.member_no, scopes)
    reason = _ineligibility(store, principal, event, at) if check_member else None
    return RegistrationForm(
        event, {s.session_id: s for s in sessions}, scopes, _offered(event, sessions, scopes, mine, at), reason
    )


def _offered(
    event: Event, sessions: list[EventSession], scopes: list[str], mine: list[Registration], at: datetime
) -> list[str]:
    """What the form offers: scopes the member holds nothing for, that take registrations now (a single session
    until it starts, chalicelib.domain.event_rules.registration_refusal) and that do not clash with what the
    member holds (the whole term against its sessions, ``class_clash``)."""
    starts = {session.session_id: session.starts_at for session in sessions}
    ahead = sessions_ahead(starts.items(), at)
    held = [(registration.scope, registration.state) for registration in mine]
    return [
        scope
        for scope in _free(scopes, mine)
        if class_clash(scope, held, ahead) is None and registration_refusal(event, starts.get(scope), at) is None
    ]


def option_use(store: Store, event: Event) -> dict[str, int]:
    """Uses of the event's limited options (no read when it has none), read as late as possible: after a refused
    registration the form shows what is full now."""
    limited = any(option.limit is not None for q in event.form for option in q.options)
    return store.registrations.option_use(event.event_id) if limited else {}


# ---- the lottery ------------------------------------------------------------------------------------------------


class LotteryView(NamedTuple):
    event: Event
    commitment: str | None  # the sealed draw's
    drawn_at: datetime | None
    data: dict[str, Any] | None  # the published draw, once drawn
    units: dict[str, Unit]


def lottery_event(store: Store, principal: Principal, event_id: str) -> Event:
    event = registration_service.visible_event(store, principal, event_id)
    if event.allocation is not Allocation.LOTTERY:
        raise NotFound()
    return event


def lottery_view(store: Store, principal: Principal, event_id: str) -> LotteryView:
    from chalicelib.services import lottery as lottery_service  # lottery events only

    event = lottery_event(store, principal, event_id)
    drawn = lottery_service.published(store, event)
    return LotteryView(event, drawn.commitment, drawn.drawn_at, drawn.data, units(store))


def published_draw(store: Store, principal: Principal, event_id: str) -> tuple[Event, dict[str, Any]]:
    """The published draw of a lottery event (NotFound before the draw)."""
    from chalicelib.services import lottery as lottery_service  # lottery events only

    event = lottery_event(store, principal, event_id)
    data = lottery_service.published(store, event).data
    if data is None:
        raise NotFound()
    return event, data


# ---- my registrations and notifications -------------------------------------------------------------------------


def registrations_with_events(
    store: Store, principal: Principal, fresh: Collection[str] = ()
) -> list[tuple[Registration, int | None, Event]]:
    """The member's registrations, newest first, with waiting positions and events (those of deleted events left
    out). ``fresh``: events just registered for or left, read directly (the member index lags a write)."""
    mine = registration_service.my_registrations(store, principal)
    for event_id in fresh:
        scopes = [SERIES] + [session.session_id for session in store.sessions.for_event(event_id)]
        found = store.registrations.of_member_for_event(event_id, principal.member_no, scopes)
        keys = {(r.event_id, r.scope) for r in found}
        mine = [(r, store.registrations.waiting_position(r)) for r in found] + [
            (r, position) for r, position in mine if (r.event_id, r.scope) not in keys
        ]
    return _joined(store, mine)


def _joined(store: Store, mine: list[tuple[Registration, int | None]]) -> list[tuple[Registration, int | None, Event]]:
    event_ids = {r.event_id for r, _ in mine}
    events = store.events.get_many(event_ids) if event_ids else {}
    return [(r, position, events[r.event_id]) for r, position in mine if r.event_id in events]


def my_registrations(
    store: Store, principal: Principal, fresh: Collection[str], at: datetime
) -> list[RegistrationView]:
    """The "my registrations" screen: invitations waiting for an answer first, otherwise newest first."""
    mine = registrations_with_events(store, principal, fresh)
    mine.sort(key=lambda row: row[0].state is not RegistrationState.INVITED)
    reads = _Reads(store)
    return [
        _view(
            reads,
            event,
            registration,
            position,
            at,
            principal.staff_no,
            reads.session(event.event_id, registration.scope) if registration.scope != SERIES else None,
        )
        for registration, position, event in mine
    ]


def notifications(store: Store, principal: Principal) -> list[Notification]:
    """The member's notifications, newest first."""
    return store.notifications.for_member(principal.member_no)
