"""Organiser messages (issue 20 item 4) over JSON: preview (the text as members read it, the count of recipients
and how many have an e-mail address or a mobile number, and a message id), send (with that message id: sending it
again notifies nobody twice) and the history, for an event's members, a unit's members and the whole union. The
routes parse and call chalicelib.services.organiser_messages, which decides who may."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.notify import Channel
from chalicelib.domain.organiser_messages import Audience, AudienceKind
from chalicelib.http.routing import ApiRoutes
from chalicelib.http.schemas import ApiModel, InputModel
from chalicelib.services import organiser_messages as service
from chalicelib.storage import get_store

routes = ApiRoutes(__name__, tag="messages")

# Bounded at the edge; the service's own rule (1-500 characters once trimmed) gives the precise message.
Text = Annotated[str, Field(max_length=20_000, description="Plain text, 1-500 characters; HTML is shown as typed.")]
MessageId = Annotated[str, Field(pattern=r"^om-[0-9A-Z]{26}$", description="The message id a preview returned.")]


class PreviewIn(InputModel):
    text: Text
    urgent: bool = Field(default=False, description="Sent during quiet hours (22:00-07:00) too: union admins only.")


class SendIn(PreviewIn):
    message_id: MessageId


class EventPreviewIn(PreviewIn):
    audience: Literal["confirmed", "waiting", "checked_in"]


class EventSendIn(SendIn):
    audience: Literal["confirmed", "waiting", "checked_in"]


class PreviewOut(ApiModel):
    message_id: str = Field(description="Send the message with this id (valid for a day).")
    audience: str
    count: int = Field(description="How many members it reaches (members who have left are not counted).")
    with_email: int = Field(description="Of them, how many have a usable e-mail address.")
    with_phone: int = Field(description="Of them, how many have a mobile number.")
    text: str = Field(description="The text as it is sent (trimmed).")
    sender: str
    sender_unit: str
    urgent: bool


class SentOut(ApiModel):
    message_id: str
    count: int
    resumed: bool = Field(description="True when this message id had been sent before: nobody is notified twice.")


class SentMessageOut(ApiModel):
    message_id: str
    at: datetime
    audience: str
    event_id: str | None
    unit_id: str | None
    count: int
    urgent: bool
    text_head: str
    sender: str


class HistoryOut(ApiModel):
    messages: list[SentMessageOut]


def _preview_out(shown: service.Preview) -> PreviewOut:
    found = shown.recipients
    return PreviewOut(
        message_id=shown.message_id,
        audience=found.audience.kind.value,
        count=found.count,
        with_email=found.reachable(Channel.EMAIL),
        with_phone=found.reachable(Channel.SMS),
        text=shown.text,
        sender=shown.sender,
        sender_unit=shown.sender_unit,
        urgent=shown.urgent,
    )


def _history_out(principal: Principal, audience: Audience) -> HistoryOut:
    rows = service.history(get_store(), principal, audience, now())
    return HistoryOut(
        messages=[
            SentMessageOut(
                message_id=row.message_id,
                at=row.at,
                audience=str(row.facts.get("audience", "")),
                event_id=row.facts.get("event_id"),
                unit_id=row.facts.get("unit_id"),
                count=int(row.facts.get("count", 0)),
                urgent=bool(row.facts.get("urgent")),
                text_head=str(row.facts.get("text_head", "")),
                sender=str(row.facts.get("sender", "")),
            )
            for row in rows
        ]
    )


def _preview(principal: Principal, audience: Audience, body: PreviewIn) -> PreviewOut:
    return _preview_out(service.preview(get_store(), principal, audience, body.text, body.urgent))


def _send(principal: Principal, audience: Audience, body: SendIn) -> SentOut:
    sent = service.send(get_store(), principal, audience, body.text, body.message_id, now(), body.urgent)
    return SentOut(message_id=sent.message_id, count=sent.count, resumed=sent.resumed)


_ERRORS = (404, 422, 429)


@routes.route(
    "/events/{event_id}/messages/preview",
    method="POST",
    access=Access.UNIT_ADMIN,
    summary="Preview a message to an event's confirmed, waiting or checked-in members",
    body=EventPreviewIn,
    response=PreviewOut,
    errors=_ERRORS,
)
def preview_event_message(principal: Principal, event_id: str, body: EventPreviewIn) -> PreviewOut:
    """The event's organisers (its unit's admins, the union admins). The count, the text as sent, a message id."""
    return _preview(principal, Audience(AudienceKind(body.audience), event_id=event_id), body)


@routes.route(
    "/events/{event_id}/messages",
    method="POST",
    access=Access.UNIT_ADMIN,
    summary="Send a message to an event's confirmed, waiting or checked-in members",
    body=EventSendIn,
    response=SentOut,
    status=201,
    errors=_ERRORS,
)
def send_event_message(principal: Principal, event_id: str, body: EventSendIn) -> SentOut:
    """The event's organisers.

    400 per field (``text``: message_text_empty, message_text_too_long); 400 ``message_id_stale`` for a message
    id not from a preview of the last day; 403 ``message_urgent_refused``; 422 ``message_id_reused`` (same id,
    other text or audience) and ``message_no_recipients``; 429 ``message_rate_limited`` with Retry-After (5 an
    hour, 20 a day per sender). The same message id sent again writes nothing new (``resumed``)."""
    return _send(principal, Audience(AudienceKind(body.audience), event_id=event_id), body)


@routes.route(
    "/events/{event_id}/messages",
    access=Access.UNIT_ADMIN,
    summary="Messages sent to an event's members, newest first",
    response=HistoryOut,
    errors=(404,),
)
def event_messages(principal: Principal, event_id: str) -> HistoryOut:
    """The event's organisers; the last 90 days."""
    return _history_out(principal, Audience(AudienceKind.CONFIRMED, event_id=event_id))


@routes.route(
    "/units/{unit_id}/messages/preview",
    method="POST",
    access=Access.UNIT_ADMIN,
    summary="Preview a message to a unit's members",
    body=PreviewIn,
    response=PreviewOut,
    errors=_ERRORS,
)
def preview_unit_message(principal: Principal, unit_id: str, body: PreviewIn) -> PreviewOut:
    """The unit's admins and the union admins."""
    return _preview(principal, Audience(AudienceKind.UNIT, unit_id=unit_id), body)


@routes.route(
    "/units/{unit_id}/messages",
    method="POST",
    access=Access.UNIT_ADMIN,
    summary="Send a message to a unit's members",
    body=SendIn,
    response=SentOut,
    status=201,
    errors=_ERRORS,
)
def send_unit_message(principal: Principal, unit_id: str, body: SendIn) -> SentOut:
    """The unit's admins and the union admins.

    400 per field (``text``: message_text_empty, message_text_too_long); 400 ``message_id_stale`` for a message
    id not from a preview of the last day; 403 ``message_urgent_refused``; 422 ``message_id_reused`` (same id,
    other text or audience) and ``message_no_recipients``; 429 ``message_rate_limited`` with Retry-After (5 an
    hour, 20 a day per sender). The same message id sent again writes nothing new (``resumed``)."""
    return _send(principal, Audience(AudienceKind.UNIT, unit_id=unit_id), body)


@routes.route(
    "/units/{unit_id}/messages",
    access=Access.UNIT_ADMIN,
    summary="Messages sent to a unit's members, newest first",
    response=HistoryOut,
    errors=(404,),
)
def unit_messages(principal: Principal, unit_id: str) -> HistoryOut:
    """The unit's admins and the union admins; the last 90 days."""
    return _history_out(principal, Audience(AudienceKind.UNIT, unit_id=unit_id))


@routes.route(
    "/union/messages/preview",
    method="POST",
    access=Access.UNION_ADMIN,
    summary="Preview a message to every member of the union",
    body=PreviewIn,
    response=PreviewOut,
    errors=_ERRORS,
)
def preview_union_message(principal: Principal, body: PreviewIn) -> PreviewOut:
    """The union admins."""
    return _preview(principal, Audience(AudienceKind.UNION), body)


@routes.route(
    "/union/messages",
    method="POST",
    access=Access.UNION_ADMIN,
    summary="Send a message to every member of the union",
    body=SendIn,
    response=SentOut,
    status=201,
    errors=_ERRORS,
)
def send_union_message(principal: Principal, body: SendIn) -> SentOut:
    """The union admins.

    400 per field (``text``: message_text_empty, message_text_too_long); 400 ``message_id_stale`` for a message
    id not from a preview of the last day; 403 ``message_urgent_refused``; 422 ``message_id_reused`` (same id,
    other text or audience) and ``message_no_recipients``; 429 ``message_rate_limited`` with Retry-After (5 an
    hour, 20 a day per sender). The same message id sent again writes nothing new (``resumed``)."""
    return _send(principal, Audience(AudienceKind.UNION), body)


@routes.route(
    "/union/messages",
    access=Access.UNION_ADMIN,
    summary="Messages sent to the whole union, newest first",
    response=HistoryOut,
)
def union_messages(principal: Principal) -> HistoryOut:
    """The union admins; the last 90 days."""
    return _history_out(principal, Audience(AudienceKind.UNION))
