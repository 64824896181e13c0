"""Members' event pages: the list of events, one event with its share link and poster, the registration form,
cancelling, "my registrations" and "my notifications".

The same services as the JSON API (chalicelib.api.events): registering, cancelling and what a member may see are
decided there; these views only gather records, word them and hand them to templates.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.event_rules import (
    Placement,
    RegistrationPhase,
    displayed_status,
    ineligibility,
    may_cancel,
    placement,
    registration_phase,
)
from chalicelib.domain.forms import MAX_OPTIONS, MAX_QUESTIONS, Question, QuestionKind
from chalicelib.domain.records import (
    SERIES,
    Audience,
    Event,
    EventKind,
    EventSession,
    EventStatus,
    Gender,
    Registration,
    RegistrationState,
    Unit,
)
from chalicelib.errors import BadRequest, Conflict, Forbidden, InvalidInput
from chalicelib.http.context import request_language
from chalicelib.http.routing import PageRoutes
from chalicelib.i18n import notification_text, translate
from chalicelib.services import registration as registration_service
from chalicelib.storage import Store, get_store
from chalicelib.web.forms import read_form, read_form_lists, redirect
from chalicelib.web.render import format_when, page

routes = PageRoutes(__name__)

LISTED_EVENTS = 200
ANSWER_PREFIX = "a."  # form field of a question: "a.<question_id>" (never clashes with "scope")
# Every option of every question ticked, and then some: parse_qs refuses bodies with more fields than this.
MAX_REGISTRATION_FIELDS = MAX_QUESTIONS * MAX_OPTIONS + 10
POSTER_DESCRIPTION_LENGTH = 300
_SCOPE = re.compile(r"series|s\d{2}")
_EVENT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what an event id in a query string may look like
# A Host header as browsers send it: a name or IPv4 address, or a bracketed IPv6 address, and an optional port.
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?")
_LOCAL_HOSTS = ("localhost", "127.0.0.1")
_SVG_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')
_STATUS_TONES = {
    EventStatus.REGISTRATION_OPEN: "ok",
    EventStatus.PUBLISHED: "info",
    EventStatus.RUNNING: "info",
    EventStatus.REGISTRATION_CLOSED: "off",
    EventStatus.FINISHED: "off",
    EventStatus.CANCELLED: "bad",
    EventStatus.DRAFT: "off",
}


# ---- small helpers ---------------------------------------------------------------------------------------------


def _query(name: str) -> str:
    return ((routes.current_request.query_params or {}).get(name) or "").strip()


def _language() -> str:
    return request_language(routes.current_request)


def _show(template: str, principal: Principal, status: int = 200, **context: Any):
    return page(routes.current_request, template, status, principal=principal, **context)


def _title(event: Event, language: str) -> str:
    return event.title_zh if language == "zh" else (event.title_en or event.title_zh)


def _description(event: Event, language: str) -> str:
    return event.description_zh if language == "zh" else (event.description_en or event.description_zh)


def _unit_name(unit: Unit | None, unit_id: str, language: str) -> str:
    if unit is None:
        return unit_id
    return unit.name_zh if language == "zh" else (unit.name_en or unit.name_zh)


def _units(store: Store) -> dict[str, Unit]:
    """The school union and its sub-unions, in the union's order."""
    return {unit.unit_id: unit for unit in store.units.whole_union()}


def _number(value: float | None) -> str:
    if value is None:
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number)


def _span(starts_at: datetime, ends_at: datetime, language: str) -> str:
    """``11月28日 周六 14:00–16:00``, or both ends in full when the event runs over several days."""
    start, end = starts_at.astimezone(CHINA_TZ), ends_at.astimezone(CHINA_TZ)
    if start.date() == end.date():
        return f"{format_when(start, language)}–{end:%H:%M}"
    return f"{format_when(start, language)} – {format_when(end, language)}"


def _places(capacity: int | None, confirmed: int, waiting: int, waiting_list: bool, language: str) -> str:
    """Places as members read them: "余 N 个名额", "候补 N 人", "不限名额" or "名额已满"."""
    if capacity is None:
        return translate("events.places.unlimited", language)
    if waiting > 0:
        return translate("events.places.waiting", language, count=waiting)
    left = capacity - confirmed
    if left > 0:
        return translate("events.places.left", language, count=left)
    return translate("events.places.full_waiting" if waiting_list else "events.places.full", language)


def _event_places(event: Event, language: str) -> str:
    return _places(event.capacity, event.confirmed_count, event.waiting_count, event.waiting_list, language)


def _session_places(event: Event, session: EventSession, language: str) -> str:
    return _places(session.capacity, session.confirmed_count, session.waiting_count, event.waiting_list, language)


def _status(event: Event, at: datetime, language: str) -> dict[str, str]:
    status = displayed_status(event, at)
    return {"label": translate(f"events.status.{status.value}", language), "tone": _STATUS_TONES.get(status, "off")}


def _absolute_url(path: str) -> str:
    """``path`` on this site as people outside it reach it (for the share link and the poster's QR code)."""
    host = (routes.current_request.headers.get("host") or "").strip()
    if not _HOST.fullmatch(host):
        host = "localhost"
    scheme = "http" if host.lower().startswith(_LOCAL_HOSTS) else "https"
    return f"{scheme}://{host}{path}"


def _event_path(event_id: str) -> str:
    return f"/events/{quote(event_id, safe='')}"


def _scope_ok(scope: str) -> str:
    if not _SCOPE.fullmatch(scope):
        raise BadRequest()
    return scope


# ---- the list of events ----------------------------------------------------------------------------------------


def _list_href(kind: str, unit: str, only_open: bool) -> str:
    params = {"kind": kind, "unit": unit, "open": "1" if only_open else ""}
    query = urlencode({name: value for name, value in params.items() if value})
    return "/events" + ("?" + query if query else "")


@routes.route("/events", access=Access.PUBLIC)
def event_list(principal: Principal):
    language = _language()
    store, at = get_store(), now()
    units = _units(store)
    kind = _query("kind") if _query("kind") in {k.value for k in EventKind} else ""
    unit_id = _query("unit") if _query("unit") in units else ""
    only_open = _query("open") == "1"
    if unit_id:
        owned = store.events.by_owner(unit_id)
        found = sorted(
            (e for e in owned if e.status is not EventStatus.DRAFT and e.ends_at >= at), key=lambda e: e.starts_at
        )
    else:
        found = store.events.upcoming(at, limit=LISTED_EVENTS)
    if kind:
        found = [e for e in found if e.kind.value == kind]
    if only_open:
        found = [e for e in found if registration_phase(e, at) is RegistrationPhase.OPEN]
    rows = [
        {
            "href": _event_path(e.event_id),
            "title": _title(e, language),
            "kind": translate(f"event.kind.{e.kind.value}", language),
            "when": _span(e.starts_at, e.ends_at, language),
            "venue": e.venue,
            "status": _status(e, at, language),
            "places": _event_places(e, language),
            "organiser": _unit_name(units.get(e.owner_unit_id), e.owner_unit_id, language),
        }
        for e in found[:LISTED_EVENTS]
    ]
    kinds = [("", translate("events.filter.all", language))] + [
        (k.value, translate(f"event.kind.{k.value}", language)) for k in EventKind
    ]
    filters = {"kind": kind, "unit": unit_id, "open": "1" if only_open else ""}
    return _show(
        "event_list.html",
        principal,
        events=rows,
        kind_links=[(label, _list_href(value, unit_id, only_open), value == kind) for value, label in kinds],
        open_href=_list_href(kind, unit_id, not only_open),
        only_open=only_open,
        kind=kind,
        unit_id=unit_id,
        units=[(u.unit_id, _unit_name(u, u.unit_id, language)) for u in units.values()],
        filter_query="".join(f"{quote(name)}={quote(value)}&" for name, value in filters.items() if value),
    )


# ---- one event -------------------------------------------------------------------------------------------------


def _audience_lines(event: Event, units: dict[str, Unit], language: str) -> list[str]:
    audience = event.audience
    lines = []
    if audience.scope is Audience.UNITS:
        names = [_unit_name(units.get(unit_id), unit_id, language) for unit_id in sorted(audience.unit_ids)]
        separator = "、" if language == "zh" else ", "
        lines.append(translate("events.audience.units", language, units=separator.join(names)))
    elif audience.scope is Audience.OWN_UNIT:
        owner = _unit_name(units.get(event.owner_unit_id), event.owner_unit_id, language)
        lines.append(translate("events.audience.own_unit", language, unit=owner))
    else:
        lines.append(translate("events.audience.all", language))
    if audience.gender is not None:
        lines.append(translate(f"events.audience.gender_{Gender(audience.gender).value}", language))
    if audience.min_age is not None and audience.max_age is not None:
        lines.append(translate("events.audience.age_range", language, min=audience.min_age, max=audience.max_age))
    elif audience.min_age is not None:
        lines.append(translate("events.audience.age_min", language, min=audience.min_age))
    elif audience.max_age is not None:
        lines.append(translate("events.audience.age_max", language, max=audience.max_age))
    return lines


def _scope_label(event: Event, scope: str, sessions: dict[str, EventSession], language: str) -> str:
    if scope == SERIES:
        return translate("events.scope.series", language)
    session = sessions.get(scope)
    when = _span(session.starts_at, session.ends_at, language) if session else scope
    return translate("events.scope.session", language, when=when)


def _registration_rows(
    store: Store,
    event: Event,
    registrations: list[Registration],
    sessions: dict[str, EventSession],
    at: datetime,
    language: str,
) -> list[dict[str, Any]]:
    """A member's registrations for one event as the pages show them: scope, state badge, cancel button."""
    rows = []
    cancellable = may_cancel(event, at)
    for registration in registrations:
        position = store.registrations.waiting_position(registration)
        rows.append(
            {
                "scope": registration.scope,
                "scope_label": _scope_label(event, registration.scope, sessions, language),
                **_state(registration, position, language),
                "can_cancel": registration.state.active and cancellable,
            }
        )
    return rows


def _state(registration: Registration, position: int | None, language: str) -> dict[str, Any]:
    state = registration.state
    if state is RegistrationState.CONFIRMED:
        label, tone = translate("my.state.confirmed", language), "ok"
    elif state is RegistrationState.WAITING:
        key = "my.state.waiting" if position else "my.state.waiting_unknown"
        label, tone = translate(key, language, position=position), "warn"
    else:
        label, tone = translate(f"my.state.{state.value}", language), "off"
    reason = None
    if state is RegistrationState.REMOVED and registration.reason:
        reason = translate("my.removed_reason", language, reason=registration.reason)
    return {
        "state": state.value,
        "state_label": label,
        "tone": tone,
        "active": state.active,
        "position": position,
        "promoted": registration.promoted_at is not None and state is RegistrationState.CONFIRMED,
        "reason": reason,
    }


def _scopes(event: Event, sessions: list[EventSession]) -> list[str]:
    return [SERIES] + ([s.session_id for s in sessions] if event.single_sessions else [])


def _blocked(
    store: Store,
    principal: Principal,
    event: Event,
    at: datetime,
    free_scopes: list[str],
    language: str,
) -> str | None:
    """Why the principal cannot register now (None: they can). Anonymous visitors are only told about the phase."""
    phase = registration_phase(event, at)
    if phase is RegistrationPhase.NOT_YET:
        opens_at = event.registration_opens_at
        return translate("events.not_yet", language, at=format_when(opens_at, language) if opens_at else "")
    if phase is not RegistrationPhase.OPEN:
        return translate(f"registration_{phase.value}", language)
    if not principal.signed_in:
        return None
    member = store.members.get(principal.staff_no)
    reason = "member_left" if member is None else ineligibility(event, member)
    if reason:
        return translate(f"ineligible_{reason}", language)
    if not free_scopes:
        return translate("events.already", language)
    full = placement(event.capacity, event.confirmed_count, event.waiting_count, event.waiting_list)
    if free_scopes == [SERIES] and full is Placement.FULL:
        return translate("events.full", language)
    return None


def _will_wait(event: Event, free_scopes: list[str]) -> bool:
    decision = placement(event.capacity, event.confirmed_count, event.waiting_count, event.waiting_list)
    return free_scopes == [SERIES] and decision is Placement.WAITING


def _window(event: Event, language: str) -> str:
    closes = format_when(event.registration_closes_at or event.starts_at, language)
    if event.registration_opens_at is None:
        return translate("events.window.until", language, closes=closes)
    opens = format_when(event.registration_opens_at, language)
    return translate("events.window.between", language, opens=opens, closes=closes)


@routes.route("/events/{event_id}", access=Access.PUBLIC)
def event_page(principal: Principal, event_id: str):
    language = _language()
    store, at = get_store(), now()
    event = registration_service.visible_event(store, principal, event_id)
    units = _units(store)
    sessions = store.sessions.for_event(event.event_id)
    by_id = {s.session_id: s for s in sessions}
    mine: list[Registration] = []
    if principal.signed_in:
        mine = store.registrations.of_member_for_event(event.event_id, principal.staff_no, _scopes(event, sessions))
    taken = {r.scope for r in mine if r.state.active}
    free_scopes = [scope for scope in _scopes(event, sessions) if scope not in taken]
    path = _event_path(event.event_id)
    facts = {
        "title": _title(event, language),
        "kind": translate(f"event.kind.{event.kind.value}", language),
        "status": _status(event, at, language),
        "description": _description(event, language),
        "when": _span(event.starts_at, event.ends_at, language),
        "venue": event.venue,
        "campus": event.campus,
        "contact": event.contact,
        "organiser": _unit_name(units.get(event.owner_unit_id), event.owner_unit_id, language),
        "places": _event_places(event, language),
        "counts": translate(
            "events.counts.limited" if event.capacity is not None else "events.counts.unlimited",
            language,
            capacity=event.capacity,
            confirmed=event.confirmed_count,
            waiting=event.waiting_count,
        ),
        "window": _window(event, language),
        "cancel_deadline": format_when(event.cancel_deadline, language)
        if event.cancel_deadline
        else translate("events.cancel_until_start", language),
        "audience": _audience_lines(event, units, language),
        "waiting_list": event.waiting_list,
    }
    session_rows = [
        {
            "number": number,
            "when": _span(s.starts_at, s.ends_at, language),
            "venue": s.venue or event.venue,
            "places": _session_places(event, s, language) if event.single_sessions else None,
        }
        for number, s in enumerate(sessions, start=1)
    ]
    return _show(
        "event_page.html",
        principal,
        event_id=event.event_id,
        facts=facts,
        sessions=session_rows,
        single_sessions=event.single_sessions,
        share_url=_absolute_url(path),
        poster_href=path + "/poster",
        register_href=path + "/register",
        cancel_action=path + "/cancel",
        signin_href="/signin?next=" + quote(path + "/register", safe="/"),
        mine=_registration_rows(store, event, mine, by_id, at, language),
        blocked=_blocked(store, principal, event, at, free_scopes, language),
        will_wait=_will_wait(event, free_scopes),
    )


# ---- the poster ------------------------------------------------------------------------------------------------


def _qr_svg(url: str) -> str:
    """The URL as a QR code, an inline SVG sized by the page's CSS."""
    import qrcode  # only the poster needs it (cold start)
    import qrcode.image.svg

    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    svg = code.make_image(image_factory=qrcode.image.svg.SvgPathImage).to_string(encoding="unicode")
    return _SVG_SIZE.sub("", svg, count=2).replace("<svg", '<svg class="qr" role="img" aria-hidden="true"', 1)


@routes.route("/events/{event_id}/poster", access=Access.PUBLIC)
def event_poster(principal: Principal, event_id: str):
    from markupsafe import Markup  # comes with jinja2, which renders the page anyway

    language = _language()
    store = get_store()
    event = registration_service.visible_event(store, principal, event_id)
    units = _units(store)
    path = _event_path(event.event_id)
    url = _absolute_url(path)
    description = _description(event, language)
    if len(description) > POSTER_DESCRIPTION_LENGTH:
        description = description[: POSTER_DESCRIPTION_LENGTH - 1].rstrip() + "…"
    return _show(
        "event_poster.html",
        principal,
        title=_title(event, language),
        kind=translate(f"event.kind.{event.kind.value}", language),
        when=_span(event.starts_at, event.ends_at, language),
        venue=event.venue,
        campus=event.campus,
        contact=event.contact,
        organiser=_unit_name(units.get(event.owner_unit_id), event.owner_unit_id, language),
        places=_event_places(event, language),
        window=_window(event, language),
        audience=_audience_lines(event, units, language),
        description=description,
        url=url,
        event_href=path,
        # Generated from the URL by the qrcode library: paths only, no text of anyone's.
        qr=Markup(_qr_svg(url)),
    )


# ---- registering -----------------------------------------------------------------------------------------------


def _label(question: Question, language: str) -> str:
    return question.label_zh if language == "zh" else (question.label_en or question.label_zh)


def _option_label(question: Question, option_id: str, language: str) -> str:
    for option in question.options:
        if option.option_id == option_id:
            return option.label_zh if language == "zh" else (option.label_en or option.label_zh)
    return option_id


def _show_if_hint(question: Question, by_id: dict[str, Question], language: str) -> str | None:
    rule = question.show_if
    parent = by_id.get(rule.question_id) if rule else None
    if rule is None or parent is None:
        return None
    if parent.kind is QuestionKind.YES_NO:
        words = [translate(f"events.form.{value}", language) for value in rule.values if value in ("yes", "no")]
    else:
        words = [_option_label(parent, value, language) for value in rule.values]
    separator = "、" if language == "zh" else ", "
    return translate("events.form.show_if", language, parent=_label(parent, language), values=separator.join(words))


def _question_views(
    event: Event,
    scopes: list[str],
    scope: str,
    values: dict[str, list[str]],
    errors: dict[str, str],
    option_use: dict[str, int],
    language: str,
) -> list[dict[str, Any]]:
    by_id = {q.question_id: q for q in event.form}
    views = []
    for question in event.form:
        qid, kind = question.question_id, QuestionKind(question.kind)
        given = values.get(qid, [])
        options = []
        for option in question.options:
            full_in = [
                s
                for s in scopes
                if option.limit is not None and option_use.get(f"{s}#{qid}#{option.option_id}", 0) >= option.limit
            ]
            options.append(
                {
                    "id": option.option_id,
                    "label": _option_label(question, option.option_id, language),
                    "full_in": " ".join(full_in),
                    "full": scope in full_in,
                    "chosen": option.option_id in given,
                }
            )
        maxlength = question.max_length or (2000 if kind is QuestionKind.LONG_TEXT else 200)
        hints = []
        if kind is QuestionKind.NUMBER:
            low, high = _number(question.min_value), _number(question.max_value)
            if low and high:
                hints.append(translate("events.form.range", language, min=low, max=high))
            elif low:
                hints.append(translate("events.form.range_min", language, min=low))
            elif high:
                hints.append(translate("events.form.range_max", language, max=high))
        if kind is QuestionKind.MULTIPLE_CHOICE and question.max_choices:
            hints.append(translate("events.form.choose_up_to", language, max=question.max_choices))
        show_if = _show_if_hint(question, by_id, language)
        if show_if:
            hints.append(show_if)
        views.append(
            {
                "id": qid,
                "name": ANSWER_PREFIX + qid,
                "kind": kind.value,
                "label": _label(question, language),
                "required": question.required,
                "parent": question.show_if.question_id if question.show_if else "",
                "show_values": " ".join(question.show_if.values) if question.show_if else "",
                "value": given[0] if given else "",
                "options": options,
                "min": _number(question.min_value),
                "max": _number(question.max_value),
                "step": "1" if question.integer else "any",
                "maxlength": maxlength,
                "max_choices": question.max_choices or "",
                "hint": " ".join(hints),
                "error": errors.get(qid),
            }
        )
    return views


def _raw_answers(event: Event, fields: dict[str, list[str]]) -> dict[str, Any]:
    kinds = {q.question_id: QuestionKind(q.kind) for q in event.form}
    raw: dict[str, Any] = {}
    for name, given in fields.items():
        if not name.startswith(ANSWER_PREFIX):
            continue
        qid = name.removeprefix(ANSWER_PREFIX)
        raw[qid] = given if kinds.get(qid) is QuestionKind.MULTIPLE_CHOICE else given[0]
    return raw


def _problem_message(problem: dict[str, Any], language: str) -> str:
    code = str(problem.get("type", "")).removeprefix("answer_")
    params = dict(problem.get("ctx") or {})
    if code == "out_of_range":
        low, high = _number(params.get("min")), _number(params.get("max"))
        if low and high:
            return translate("events.answer.out_of_range", language, min=low, max=high)
        if low or high:
            key = "events.answer.too_small" if low else "events.answer.too_big"
            return translate(key, language, min=low, max=high)
        return translate("events.answer.not_a_number", language)
    key = f"events.answer.{code}"
    return translate(key if key in _ANSWER_CODES else "events.answer.invalid", language, **params)


_ANSWER_CODES = frozenset(
    f"events.answer.{code}"
    for code in (
        "required",
        "hidden_question",
        "unknown_question",
        "bad_type",
        "too_long",
        "not_a_number",
        "not_whole",
        "unknown_option",
        "too_many_choices",
        "bad_date",
        "bad_yes_no",
    )
)


def _answer_errors(error: InvalidInput, event: Event, language: str) -> tuple[dict[str, str], list[str]]:
    """Problems next to their questions, and those with no question on the form (shown above it)."""
    known = {q.question_id for q in event.form}
    errors: dict[str, str] = {}
    general: list[str] = []
    for problem in error.problems:
        location = tuple(problem.get("loc") or ())
        message = _problem_message(problem, language)
        if len(location) == 2 and location[0] == "answers" and location[1] in known:
            errors.setdefault(str(location[1]), message)
        else:
            general.append(message)
    return errors, general


def _refusal(error: Conflict | Forbidden, event: Event, language: str) -> tuple[str, dict[str, str]]:
    """The message for a refused registration, and the question it concerns (a full option)."""
    if error.code == "option_full":
        question = next((q for q in event.form if q.question_id == error.params.get("question")), None)
        if question is not None:
            option = _option_label(question, str(error.params.get("option")), language)
            message = translate("option_full", language, question=_label(question, language), option=option)
            return message, {question.question_id: message}
    return translate(error.code, language, **error.params), {}


@routes.route("/events/{event_id}/register", methods=("GET", "POST"), access=Access.MEMBER)
def register(principal: Principal, event_id: str):
    request = routes.current_request
    language = _language()
    store, at = get_store(), now()
    event = registration_service.visible_event(store, principal, event_id)
    sessions = store.sessions.for_event(event.event_id)
    by_id = {s.session_id: s for s in sessions}
    scopes = _scopes(event, sessions)
    mine = store.registrations.of_member_for_event(event.event_id, principal.staff_no, scopes)
    taken = {r.scope for r in mine if r.state.active}
    free_scopes = [scope for scope in scopes if scope not in taken]
    limited = any(option.limit is not None for q in event.form for option in q.options)
    path = _event_path(event.event_id)

    def show(
        status: int = 200,
        *,
        scope: str | None = None,
        values: dict[str, list[str]] | None = None,
        errors: dict[str, str] | None = None,
        message: str | None = None,
        blocked: str | None = None,
    ):
        chosen = scope if scope in free_scopes else (free_scopes[0] if free_scopes else SERIES)
        option_use = store.registrations.option_use(event.event_id) if limited else {}
        scope_choices = [
            {
                "value": s,
                "label": _scope_label(event, s, by_id, language),
                "places": _event_places(event, language) if s == SERIES else _session_places(event, by_id[s], language),
                "chosen": s == chosen,
            }
            for s in free_scopes
        ]
        return _show(
            "event_register.html",
            principal,
            status,
            title=_title(event, language),
            when=_span(event.starts_at, event.ends_at, language),
            venue=event.venue,
            event_href=path,
            action=path + "/register",
            questions=_question_views(event, scopes, chosen, values or {}, errors or {}, option_use, language),
            scope_choices=scope_choices if event.single_sessions and len(scopes) > 1 else [],
            scope=chosen,
            will_wait=_will_wait(event, free_scopes),
            message=message,
            blocked=blocked,
        )

    if request.method == "GET":
        return show(blocked=_blocked(store, principal, event, at, free_scopes, language))
    fields = read_form_lists(routes.current_request, MAX_REGISTRATION_FIELDS)
    scope = _scope_ok((fields.get("scope") or [SERIES])[0])
    raw = _raw_answers(event, fields)
    shown = {qid: value if isinstance(value, list) else [value] for qid, value in raw.items()}
    try:
        registration_service.register(store, principal, event.event_id, scope, raw, at)
    except InvalidInput as error:
        errors, general = _answer_errors(error, event, language)
        message = " ".join([translate("events.form.fix", language), *general])
        return show(400, scope=scope, values=shown, errors=errors, message=message)
    except (Conflict, Forbidden) as error:
        message, errors = _refusal(error, event, language)
        if errors or (error.code == "event_full" and event.single_sessions):
            # Another choice may do: the form again, with the answers kept.
            return show(error.status, scope=scope, values=shown, errors=errors, message=message)
        return show(error.status, blocked=message)
    return redirect(f"/me/registrations?{urlencode({'done': event.event_id})}")


@routes.route("/events/{event_id}/cancel", methods=("POST",), access=Access.MEMBER)
def cancel(principal: Principal, event_id: str):
    form = read_form(routes.current_request)
    scope = _scope_ok(form.get("scope") or SERIES)
    registration_service.cancel(get_store(), principal, event_id, scope, now())
    return redirect(f"/me/registrations?{urlencode({'cancelled': event_id})}")


# ---- my registrations and notifications -------------------------------------------------------------------------


@routes.route("/me/registrations", access=Access.MEMBER)
def my_registrations(principal: Principal):
    language = _language()
    store, at = get_store(), now()
    mine = registration_service.my_registrations(store, principal)
    done, cancelled = (value if _EVENT_ID.fullmatch(value) else "" for value in (_query("done"), _query("cancelled")))
    # The member index lags a write by a moment: read the event just registered for (or left) directly.
    for event_id in {done, cancelled} - {""}:
        scopes = [SERIES] + [session.session_id for session in store.sessions.for_event(event_id)]
        fresh = store.registrations.of_member_for_event(event_id, principal.staff_no, scopes)
        keys = {(r.event_id, r.scope) for r in fresh}
        mine = [(r, store.registrations.waiting_position(r)) for r in fresh] + [
            (r, position) for r, position in mine if (r.event_id, r.scope) not in keys
        ]
    event_ids = {r.event_id for r, _ in mine}
    events = store.events.get_many(event_ids) if event_ids else {}
    sessions: dict[tuple[str, str], EventSession | None] = {}
    rows = []
    for registration, position in mine:
        event = events.get(registration.event_id)
        if event is None:
            continue
        scope_sessions = {}
        if registration.scope != SERIES:
            key = (registration.event_id, registration.scope)
            if key not in sessions:
                sessions[key] = store.sessions.get(*key)
            if sessions[key] is not None:
                scope_sessions[registration.scope] = sessions[key]
        rows.append(
            {
                "event_href": _event_path(event.event_id),
                "cancel_action": _event_path(event.event_id) + "/cancel",
                "title": _title(event, language),
                "when": _span(event.starts_at, event.ends_at, language),
                "venue": event.venue,
                "scope": registration.scope,
                "scope_label": _scope_label(event, registration.scope, scope_sessions, language),
                **_state(registration, position, language),
                "can_cancel": registration.state.active and may_cancel(event, at),
            }
        )
    notice = None
    if done in events:
        current = next((r for r, _ in mine if r.event_id == done and r.state.active), None)
        title = _title(events[done], language)
        if current is not None and current.state is RegistrationState.WAITING:
            position = next(p for r, p in mine if r is current)
            notice = translate("my.done_waiting", language, title=title, position=position or "?")
        else:
            notice = translate("my.done", language, title=title)
    elif cancelled in events:
        notice = translate("my.cancelled", language, title=_title(events[cancelled], language))
    return _show("my_registrations.html", principal, rows=rows, notice=notice)


@routes.route("/me/notifications", access=Access.MEMBER)
def my_notifications(principal: Principal):
    language = _language()
    found = get_store().notifications.for_member(principal.staff_no)
    rows = [
        {
            "text": notification_text(n, language),
            "at": n.at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M"),
            "kind": n.kind.value,
            "event_href": _event_path(n.event_id),
        }
        for n in found
    ]
    return _show("my_notifications.html", principal, rows=rows)
