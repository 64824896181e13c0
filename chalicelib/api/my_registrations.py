"""A member's own registrations: register, see and cancel them, and the notifications about them.

Its own route group, apart from the organisers' event routes (chalicelib.api.events): in a registration rush
every new Lambda container's first request is a member's tap, and this group loads only what those routes need.
"""

from __future__ import annotations

from chalicelib.api.registration_schemas import (
    MyRegistrationList,
    MyRegistrationOut,
    NotificationList,
    NotificationOut,
    RegistrationIn,
    RegistrationOut,
    ScopeQuery,
    registration_answer,
    registration_out,
)
from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.http.context import request_language
from chalicelib.http.idempotency import answer_in_write, resumed_since
from chalicelib.http.routing import ApiRoutes
from chalicelib.i18n import notification_text
from chalicelib.services import registration as registration_service
from chalicelib.services.placing import Outcome
from chalicelib.storage import get_store

routes = ApiRoutes(__name__, tag="events")


@routes.route(
    "/events/{event_id}/registrations",
    "POST",
    access=Access.MEMBER,
    summary="Register myself",
    body=RegistrationIn,
    response=RegistrationOut,
    status=201,
    errors=(403, 404, 409),
    key_in_write=True,
)
def register(principal: Principal, event_id: str, body: RegistrationIn) -> RegistrationOut:
    """Confirmed while places last, then on the waiting list (if the event keeps one) with its position; pending
    for approval and lottery events; for pairs events, naming a ``partner`` who then confirms.
    Send an ``Idempotency-Key`` header so that a retried tap registers once."""
    outcome = registration_service.register(
        get_store(),
        principal,
        event_id,
        body.scope,
        body.answers,
        now(),
        partner=body.partner,
        resume_since=resumed_since(),
        answer=answer_in_write(_outcome_answer),
    )
    return _outcome_answer(outcome)


def _outcome_answer(outcome: Outcome) -> RegistrationOut:
    return registration_answer(outcome.registration, outcome.position)


@routes.route(
    "/me/registrations",
    access=Access.MEMBER,
    summary="My registrations, with waiting-list positions",
    response=MyRegistrationList,
)
def my_registrations(principal: Principal) -> MyRegistrationList:
    from chalicelib.services import event_views  # not on a registration's cold path (docs/benchmarks.md)

    out = []
    for registration, position, event in event_views.registrations_with_events(get_store(), principal):
        out.append(
            MyRegistrationOut(
                **registration_out(registration, position),
                event_title_zh=event.title_zh,
                event_title_en=event.title_en,
                event_starts_at=event.starts_at,
                event_venue=event.venue,
            )
        )
    return MyRegistrationList(registrations=out)


@routes.route(
    "/me/registrations/{event_id}",
    "DELETE",
    access=Access.MEMBER,
    summary="Cancel my registration",
    query=ScopeQuery,
    response=RegistrationOut,
    errors=(404, 409),
)
def cancel_registration(principal: Principal, event_id: str, query: ScopeQuery) -> RegistrationOut:
    """Before the cancellation deadline. A confirmed place goes to the first on the waiting list in the same step."""
    registration = registration_service.cancel(get_store(), principal, event_id, query.scope, now())
    return registration_answer(registration)


@routes.route(
    "/me/notifications", access=Access.MEMBER, summary="My notifications, newest first", response=NotificationList
)
def my_notifications(principal: Principal) -> NotificationList:
    from chalicelib.services import event_views  # not on a registration's cold path (docs/benchmarks.md)

    language = request_language(routes.current_request)
    found = event_views.notifications(get_store(), principal)
    return NotificationList(
        notifications=[
            NotificationOut(
                notification_id=n.notification_id,
                at=n.at,
                kind=n.kind.value,
                event_id=n.event_id,
                event_title=n.event_title,
                message=notification_text(n, language),
            )
            for n in found
        ]
    )
