"""Events and their registrations, as organisers see and change them (a member's own registrations:
chalicelib.api.my_registrations)."""

from __future__ import annotations

from datetime import datetime

from chalicelib.api.event_schemas import (
    AudienceIn,
    EventChanges,
    EventList,
    EventListQuery,
    EventOut,
    ExportQuery,
    NewEvent,
    PairRuleIn,
    RegistrationList,
    RegistrationListQuery,
    RemovalQuery,
    SessionOut,
    StatusChange,
    TeamRuleIn,
    UnitSummary,
    UnitTallyOut,
)
from chalicelib.api.registration_schemas import RegistrationIn, RegistrationOut, registration_answer, registration_out
from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.event_rules import displayed_status, registration_phase, waiting_positions
from chalicelib.domain.forms import form_to_data
from chalicelib.domain.records import Allocation, EntryType, Event, EventSession
from chalicelib.http.idempotency import resumed_since
from chalicelib.http.media import CSV_TYPE, XLSX_TYPE
from chalicelib.http.routing import ApiRoutes
from chalicelib.services import event_views, manage_views, organisation_views
from chalicelib.services import events as event_service
from chalicelib.services import registration as registration_service
from chalicelib.storage import get_store

routes = ApiRoutes(__name__, tag="events")

# What groups of routes share, declared once: the organisers' changes to an event answer with the event; their
# reads of an event's or a unit's registrations; their hand on one member's registration answers with it.
event_change = routes.sharing(access=Access.UNIT_ADMIN, response=EventOut)
organiser_read = routes.sharing(access=Access.UNIT_ADMIN, errors=(404,))
members_registration = routes.sharing(
    path="/events/{event_id}/registrations/{staff_no}", access=Access.UNIT_ADMIN, response=RegistrationOut
)


# EventOut's fields that are not the record's own value under the same name.
_DERIVED = frozenset(
    {"status", "registration", "audience", "form", "pair_rule", "team_rule", "lottery_commitment", "sessions"}
)
# The record's fields EventOut shows as they are: a new event field is shown by declaring it in EventOut.
_COPIED = tuple(name for name in EventOut.model_fields if name in set(Event._fields) and name not in _DERIVED)


def event_out(event: Event, at: datetime, sessions: list[EventSession] | None = None) -> EventOut:
    audience = event.audience
    return EventOut(
        **{name: getattr(event, name) for name in _COPIED},
        status=displayed_status(event, at),
        registration=registration_phase(event, at).value,
        audience=AudienceIn(
            scope=audience.scope,
            unit_ids=sorted(audience.unit_ids),
            gender=audience.gender,
            min_age=audience.min_age,
            max_age=audience.max_age,
        ),
        form=form_to_data(event.form),
        pair_rule=PairRuleIn(**event.pair_rule._asdict()) if event.entry_type is EntryType.PAIR else None,
        team_rule=TeamRuleIn(**event.team_rule._asdict()) if event.entry_type is EntryType.TEAM else None,
        lottery_commitment=event.lottery_commitment if event.allocation is Allocation.LOTTERY else None,
        confirmed=event.confirmed_count,
        waiting=event.waiting_count,
        pending=event.pending_count,
        sessions=None
        if sessions is None
        else [
            SessionOut(
                session_id=s.session_id,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                venue=s.venue,
                capacity=s.capacity,
                confirmed=s.confirmed_count,
                waiting=s.waiting_count,
            )
            for s in sessions
        ],
    )


@routes.route(
    "/events", access=Access.PUBLIC, summary="Published events, soonest first", query=EventListQuery, response=EventList
)
def list_events(query: EventListQuery) -> EventList:
    """Published events still to come or running; by kind, by organising unit, or only those open now."""
    at = now()
    found = event_views.listed_events(
        get_store(), at, kind=query.kind, unit_id=query.unit_id, only_open=query.open, read_limit=500
    )
    return EventList(events=[event_out(e, at) for e in found[: query.limit]])


@organiser_read("/units/{unit_id}/events", summary="A unit's events, drafts included", response=EventList)
def unit_events(principal: Principal, unit_id: str) -> EventList:
    at = now()
    return EventList(events=[event_out(e, at) for e in manage_views.unit_events(get_store(), principal, unit_id)])


@event_change(
    "/events", method="POST", summary="Create an event (as a draft)", body=NewEvent, status=201, errors=(404,)
)
def create_event(principal: Principal, body: NewEvent) -> EventOut:
    """A unit admin creates events for their own units; union admins for any unit."""
    store, at = get_store(), now()
    event = event_service.create_event(store, principal, *body.event_fields(), at)
    return event_out(event, at, manage_views.event_sessions(store, event.event_id))


@routes.route(
    "/events/{event_id}", access=Access.PUBLIC, summary="One event with its sessions", response=EventOut, errors=(404,)
)
def get_event(principal: Principal, event_id: str) -> EventOut:
    event, sessions = event_views.event_with_sessions(get_store(), principal, event_id)
    return event_out(event, now(), sessions)


@event_change("/events/{event_id}", method="PATCH", summary="Edit an event", body=EventChanges, errors=(404, 409))
def update_event(principal: Principal, event_id: str, body: EventChanges) -> EventOut:
    """Shrinking capacity below the confirmed count is refused; moving the date or venue once members have
    registered needs ``confirm: true`` (they are notified). Every change is audited."""
    changes = body.changes()
    changes.pop("confirm", None)
    store = get_store()
    event = event_service.update_event(store, principal, event_id, changes, body.confirm, now())
    return event_out(event, now(), manage_views.event_sessions(store, event_id))


@event_change(
    "/events/{event_id}/status",
    method="POST",
    summary="Publish, open, close, cancel",
    body=StatusChange,
    errors=(404, 409),
)
def change_status(principal: Principal, event_id: str, body: StatusChange) -> EventOut:
    event = event_service.change_status(get_store(), principal, event_id, body.status, now())
    return event_out(event, now())


@organiser_read(
    "/events/{event_id}/registrations",
    summary="An event's registrations",
    query=RegistrationListQuery,
    response=RegistrationList,
)
def list_registrations(principal: Principal, event_id: str, query: RegistrationListQuery) -> RegistrationList:
    chosen = manage_views.managed_registrations(
        get_store(), principal, event_id, query.state, query.unit_id, query.scope
    )
    positions = chosen.positions
    return RegistrationList(
        registrations=[
            RegistrationOut(**registration_out(r, positions.get((r.scope, r.staff_no)))) for r in chosen.found
        ]
    )


@members_registration(
    method="PUT", summary="Enter a member on their behalf", body=RegistrationIn, status=201, errors=(404, 409)
)
def add_registration(principal: Principal, event_id: str, staff_no: str, body: RegistrationIn) -> RegistrationOut:
    """Organisers: past the registration window and audience rules, never past capacity or an option's limit.
    Unit admins: members of their own units, under the same rules as registering oneself. Audited; the member is
    notified and may withdraw it."""
    outcome = registration_service.add_for_member(
        get_store(), principal, event_id, body.scope, staff_no, body.answers, now(), resume_since=resumed_since()
    )
    return registration_answer(outcome.registration, outcome.position)


@members_registration(method="DELETE", summary="Remove a registration", query=RemovalQuery, errors=(404,))
def remove_registration(principal: Principal, event_id: str, staff_no: str, query: RemovalQuery) -> RegistrationOut:
    """The place goes to the first on the waiting list in the same step. Audited; the member is notified."""
    registration = registration_service.remove(
        get_store(), principal, event_id, query.scope, staff_no, query.reason, now()
    )
    return registration_answer(registration)


@organiser_read(
    "/events/{event_id}/units-summary", summary="Registered, confirmed and waiting per unit", response=UnitSummary
)
def units_summary(principal: Principal, event_id: str) -> UnitSummary:
    tallies = manage_views.unit_tallies(get_store(), principal, event_id)
    names = organisation_views.unit_names(get_store(), "zh")
    return UnitSummary(units=[UnitTallyOut(unit_name=names.get(t.unit_id, t.unit_id), **t._asdict()) for t in tallies])


@organiser_read("/events/{event_id}/export", summary="Registrations as XLSX or CSV", query=ExportQuery)
def export_registrations(principal: Principal, event_id: str, query: ExportQuery):
    """XLSX: one sheet per state, Chinese headers. CSV: UTF-8 with BOM, so Excel opens Chinese correctly."""
    from chalice import Response

    from chalicelib.services import registration_export as export

    view = manage_views.export_view(get_store(), principal, event_id)
    event, registrations = view.event, view.registrations
    names = {unit.unit_id: unit.name_zh for unit in view.units}
    sessions = manage_views.session_labels(view.sessions)
    arguments = (event, registrations, names, sessions, waiting_positions(registrations), view.staff_names)
    body: str | bytes
    if query.format == "csv":
        body, content_type = export.registrations_csv(*arguments).decode("utf-8"), CSV_TYPE
    else:
        body, content_type = export.registrations_xlsx(*arguments), XLSX_TYPE
    filename = export.export_filename(event, query.format)
    return Response(
        body=body,
        headers={"Content-Type": content_type, "Content-Disposition": export.content_disposition(filename)},
    )
