"""Organiser messages' compose pages (issue 20 item 4): 发通知 from the organiser hub (an event's confirmed, waiting
or checked-in members) and 给会员发通知 from /admin (one unit's members, or the whole union for union admins).

预览 shows the message as members will read it and the count of recipients; 发送 confirms with the message id the
preview made (sending it twice notifies nobody twice); the page lists the messages sent. Rules and writes:
chalicelib.services.organiser_messages."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.notify import Channel
from chalicelib.domain.organiser_messages import (
    AUDIENCE_LABELS,
    EVENT_AUDIENCES,
    PER_DAY,
    PER_HOUR,
    TEXT_MAX_CHARS,
    Audience,
    AudienceKind,
    may_mark_urgent,
)
from chalicelib.errors import BadRequest, InvalidInput, NotFound, RateLimited, Unprocessable
from chalicelib.i18n import translate
from chalicelib.services import organisation_views
from chalicelib.services import organiser_messages as service
from chalicelib.storage import get_store
from chalicelib.web.forms import read_form, redirect
from chalicelib.web.manage_common import local_text, problem_messages
from chalicelib.web.render import Pages

routes = Pages(__name__)

_UNION_CHOICE = "union"
_UNIT_ID_MAX = 40  # as the unit_id path ids (chalicelib.http.edge)


def _history(principal: Principal, audience: Audience, language: str) -> list[dict[str, Any]]:
    rows = []
    for sent in service.history(get_store(), principal, audience, now()):
        kind = str(sent.facts.get("audience", ""))
        label = AUDIENCE_LABELS.get(AudienceKind(kind)) if kind in AudienceKind else None
        rows.append(
            {
                "at": local_text(sent.at),
                "audience": translate(label, language) if label else kind,
                "count": sent.facts.get("count", 0),
                "sender": sent.facts.get("sender", sent.actor),
                "urgent": bool(sent.facts.get("urgent")),
                "text": sent.facts.get("text_head", ""),
            }
        )
    return rows


def _count(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 7 else None


def _shown(preview: service.Preview, language: str) -> dict[str, Any]:
    found = preview.recipients
    sentence = translate(
        "notification.organiser_message",
        language,
        **{"from": preview.sender, "unit": preview.sender_unit, "text": preview.text},
    )
    return {
        "sentence": sentence,
        "count": found.count,
        "with_email": found.reachable(Channel.EMAIL),
        "with_phone": found.reachable(Channel.SMS),
    }


def _errors(error: InvalidInput, language: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for raw, text in problem_messages(error, language):
        location = tuple(raw.get("loc", ()))
        found.setdefault(str(location[-1]) if location else "text", text)
    return found


def _compose(
    principal: Principal,
    *,
    action: str,
    audiences: list[tuple[str, str]],
    form: dict[str, str],
    history_audience: Audience,
    event: Any = None,
    units: list[tuple[str, str]] | None = None,
    status: int = 200,
    **more: Any,
):
    language = routes.language()
    context = {
        "action": action,
        "audiences": audiences,
        "units": units or [],
        "form": form,
        "max_chars": TEXT_MAX_CHARS,
        "limits": translate("message.page.limits", language, per_hour=PER_HOUR, per_day=PER_DAY),
        "may_urgent": may_mark_urgent(principal),
        "history": _history(principal, history_audience, language),
        "sent": _count(routes.query("sent")),
        "errors": {},
        "message": None,
        "preview": None,
        **more,
    }
    if event is not None:
        return routes.show_event("messages_compose.html", principal, event, status, **context)
    return routes.show("messages_compose.html", principal, status, title=None, event=None, **context)


def _act(audience: Audience, form: dict[str, str], sending: bool, back: str, show) -> Any:
    """Preview or send the posted message; the page again with the preview or the problem, or back to it sent."""
    language = routes.language()
    store = get_store()
    urgent = form.get("urgent") == "1"
    principal = show.principal
    try:
        if sending:
            sent = service.send(
                store, principal, audience, form.get("text", ""), form.get("message_id", ""), now(), urgent
            )
            return redirect(f"{back}?sent={sent.count}")
        preview = service.preview(store, principal, audience, form.get("text", ""), urgent, form.get("message_id"))
    except InvalidInput as error:
        return show(400, errors=_errors(error, language))
    except (RateLimited, Unprocessable, BadRequest) as error:
        return show(error.status, message=translate(error.code, language, **error.params))
    form = {**form, "text": preview.text, "message_id": preview.message_id}
    return show(200, form=form, preview=_shown(preview, language))


class _Shown:
    """The compose page of one audience scope, drawn again with what a post found."""

    def __init__(self, principal: Principal, form: dict[str, str], **fixed: Any) -> None:
        self.principal = principal
        self.form = form
        self.fixed = fixed

    def __call__(self, status: int, **more: Any):
        return _compose(self.principal, status=status, **{"form": self.form, **self.fixed, **more})


def _form(posted: dict[str, str] | None) -> dict[str, str]:
    fields = ("audience", "unit_id", "text", "urgent", "message_id")
    values = {name: (posted or {}).get(name, "") for name in fields}
    if not values["message_id"]:
        values["message_id"] = service.new_message_id()
    return values


@routes.route("/admin/events/{event_id}/messages", methods=("GET", "POST"), access=Access.UNIT_ADMIN)
def event_messages(principal: Principal, event_id: str):
    """发通知 to the event's confirmed, waiting or checked-in members (its organisers)."""
    language = routes.language()
    event = service.message_event(get_store(), principal, event_id)
    back = f"/admin/events/{quote(event_id, safe='')}/messages"
    request = routes.current_request
    posted = read_form(request) if request.method == "POST" else None
    form = _form(posted)
    if form["audience"] not in {kind.value for kind in EVENT_AUDIENCES}:
        form["audience"] = AudienceKind.CONFIRMED.value
    audiences = [(kind.value, translate(AUDIENCE_LABELS[kind], language)) for kind in EVENT_AUDIENCES]
    show = _Shown(
        principal,
        form,
        action=back,
        audiences=audiences,
        history_audience=Audience(AudienceKind.CONFIRMED, event_id=event_id),
        event=event,
        hub=f"/admin/events/{quote(event_id, safe='')}/edit",
    )
    if posted is None:
        return show(200)
    sending = posted.get("action") == "send"
    return _act(Audience(AudienceKind(form["audience"]), event_id=event_id), form, sending, back, show)


def _member_audiences(principal: Principal, language: str) -> list[tuple[str, str]]:
    audiences = [(AudienceKind.UNIT.value, translate(AUDIENCE_LABELS[AudienceKind.UNIT], language))]
    if principal.union_admin:
        audiences.append((_UNION_CHOICE, translate(AUDIENCE_LABELS[AudienceKind.UNION], language)))
    return audiences


def _member_form(posted: dict[str, str] | None, audiences: list[tuple[str, str]], first_unit: str) -> dict[str, str]:
    """The form of /admin/messages: an audience offered (a unit unless said), a unit (the first offered unless
    said); 404 for a unit id no unit can have (a key that long is refused by the database)."""
    form = _form(posted)
    if form["audience"] not in {value for value, _ in audiences}:
        form["audience"] = AudienceKind.UNIT.value
    form["unit_id"] = form["unit_id"] or first_unit
    if len(form["unit_id"]) > _UNIT_ID_MAX:
        raise NotFound()
    return form


@routes.route("/admin/messages", methods=("GET", "POST"), access=Access.UNIT_ADMIN)
def member_messages(principal: Principal):
    """给会员发通知: one unit's members (its admins, union admins for any unit), or every member (union admins)."""
    language = routes.language()
    units = organisation_views.administered_units(get_store(), principal)
    choices = [(unit.unit_id, organisation_views.unit_name(unit, unit.unit_id, language)) for unit in units]
    request = routes.current_request
    posted = read_form(request) if request.method == "POST" else None
    audiences = _member_audiences(principal, language)
    form = _member_form(posted, audiences, choices[0][0] if choices else "")
    union = form["audience"] == _UNION_CHOICE
    unit = Audience(AudienceKind.UNIT, unit_id=form["unit_id"] or "-")
    # The history of the messages to the audience posted; before a post, the whole union's for union admins, the
    # first unit's for unit admins.
    unit_chosen = posted is not None and not union
    history = Audience(AudienceKind.UNION) if principal.union_admin and not unit_chosen else unit
    show = _Shown(
        principal,
        form,
        action="/admin/messages",
        audiences=audiences,
        units=choices,
        history_audience=history,
        hub="/admin",
    )
    if posted is None:
        return show(200)
    audience = Audience(AudienceKind.UNION) if union else unit
    return _act(audience, form, posted.get("action") == "send", "/admin/messages", show)
