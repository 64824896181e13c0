"""Registering for an event (the form with its questions and, for pairs, the partner), cancelling, and answering
a partner invitation. Registering and cancelling are decided by chalicelib.services.registration, as for the API."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.forms import MAX_OPTIONS, MAX_QUESTIONS, Question, QuestionKind
from chalicelib.domain.language import localized
from chalicelib.domain.records import SERIES, EntryType, Event
from chalicelib.errors import BadRequest, Conflict, Forbidden, InvalidInput
from chalicelib.http.field_messages import FIELD_MESSAGES
from chalicelib.i18n import N_, translate
from chalicelib.services import event_views
from chalicelib.services import registration as registration_service
from chalicelib.services.event_views import RegistrationForm
from chalicelib.storage import Store, get_store
from chalicelib.web.events import wording
from chalicelib.web.events.wording import event_path, number, span, title
from chalicelib.web.forms import read_form, read_form_lists, redirect
from chalicelib.web.render import Pages

routes = Pages(__name__)

ANSWER_PREFIX = "a."  # form field of a question: "a.<question_id>" (never clashes with "scope")
# Every option of every question ticked, and then some: parse_qs refuses bodies with more fields than this.
MAX_REGISTRATION_FIELDS = MAX_QUESTIONS * MAX_OPTIONS + 10
MAX_STAFF_NO = 32  # longer than any 工号: what the partner field keeps of what was typed
_SCOPE = re.compile(r"series|s\d{2}")
# Where a problem with the partner field is kept among the questions' problems: no question id looks like it.
PARTNER_FIELD = "#partner"
_YES_NO = {"yes": N_("events.form.yes"), "no": N_("events.form.no")}
_ANSWER_MESSAGES = {
    "required": N_("events.answer.required"),
    "hidden_question": N_("events.answer.hidden_question"),
    "unknown_question": N_("events.answer.unknown_question"),
    "bad_type": N_("events.answer.bad_type"),
    "too_long": N_("events.answer.too_long"),
    "not_a_number": N_("events.answer.not_a_number"),
    "not_whole": N_("events.answer.not_whole"),
    "unknown_option": N_("events.answer.unknown_option"),
    "too_many_choices": N_("events.answer.too_many_choices"),
    "bad_date": N_("events.answer.bad_date"),
    "bad_yes_no": N_("events.answer.bad_yes_no"),
}


def _scope_ok(scope: str) -> str:
    if not _SCOPE.fullmatch(scope):
        raise BadRequest()
    return scope


# ---- the questions ---------------------------------------------------------------------------------------------


def _option_label(question: Question, option_id: str, language: str) -> str:
    for option in question.options:
        if option.option_id == option_id:
            return localized(option, "label", language)
    return option_id


def _show_if_hint(question: Question, by_id: dict[str, Question], language: str) -> str | None:
    rule = question.show_if
    parent = by_id.get(rule.question_id) if rule else None
    if rule is None or parent is None:
        return None
    if parent.kind is QuestionKind.YES_NO:
        words = [translate(_YES_NO[value], language) for value in rule.values if value in _YES_NO]
    else:
        words = [_option_label(parent, value, language) for value in rule.values]
    parent_label = localized(parent, "label", language)
    values = wording.list_separator(language).join(words)
    return translate("events.form.show_if", language, parent=parent_label, values=values)


def _options(question: Question, scopes: list[str], scope: str, given: list[str], use: dict[str, int], language: str):
    options = []
    for option in question.options:
        key = f"#{question.question_id}#{option.option_id}"
        full_in = [s for s in scopes if option.limit is not None and use.get(s + key, 0) >= option.limit]
        options.append(
            {
                "id": option.option_id,
                "label": _option_label(question, option.option_id, language),
                "full_in": " ".join(full_in),
                "full": scope in full_in,
                "chosen": option.option_id in given,
            }
        )
    return options


def _range_hint(question: Question, language: str) -> str | None:
    low, high = number(question.min_value), number(question.max_value)
    if low and high:
        return translate("events.form.range", language, min=low, max=high)
    if low:
        return translate("events.form.range_min", language, min=low)
    if high:
        return translate("events.form.range_max", language, max=high)
    return None


def _hint(question: Question, by_id: dict[str, Question], language: str) -> str:
    kind = QuestionKind(question.kind)
    hints = [_range_hint(question, language) if kind is QuestionKind.NUMBER else None]
    if kind is QuestionKind.MULTIPLE_CHOICE and question.max_choices:
        hints.append(translate("events.form.choose_up_to", language, max=question.max_choices))
    hints.append(_show_if_hint(question, by_id, language))
    return " ".join(hint for hint in hints if hint)


def _question_views(
    event: Event,
    scopes: list[str],
    scope: str,
    values: dict[str, list[str]],
    errors: dict[str, str],
    use: dict[str, int],
    language: str,
) -> list[dict[str, Any]]:
    by_id = {q.question_id: q for q in event.form}
    views = []
    for question in event.form:
        qid, kind = question.question_id, QuestionKind(question.kind)
        given = values.get(qid, [])
        show_if = question.show_if
        views.append(
            {
                "id": qid,
                "name": ANSWER_PREFIX + qid,
                "kind": kind.value,
                "label": localized(question, "label", language),
                "required": question.required,
                "parent": show_if.question_id if show_if else "",
                "show_values": " ".join(show_if.values) if show_if else "",
                "value": given[0] if given else "",
                "options": _options(question, scopes, scope, given, use, language),
                "min": number(question.min_value),
                "max": number(question.max_value),
                "step": "1" if question.integer else "any",
                "maxlength": question.max_length or (2000 if kind is QuestionKind.LONG_TEXT else 200),
                "max_choices": question.max_choices or "",
                "hint": _hint(question, by_id, language),
                "error": errors.get(qid),
            }
        )
    return views


# ---- answers and refusals --------------------------------------------------------------------------------------


def _raw_answers(event: Event, fields: dict[str, list[str]]) -> dict[str, Any]:
    kinds = {q.question_id: QuestionKind(q.kind) for q in event.form}
    raw: dict[str, Any] = {}
    for name, given in fields.items():
        if not name.startswith(ANSWER_PREFIX):
            continue
        qid = name.removeprefix(ANSWER_PREFIX)
        raw[qid] = given if kinds.get(qid) is QuestionKind.MULTIPLE_CHOICE else given[0]
    return raw


def _problem_message(problem: Mapping[str, Any], language: str) -> str:
    code = str(problem.get("type", "")).removeprefix("answer_")
    params = dict(problem.get("ctx") or {})
    if code == "out_of_range":
        low, high = number(params.get("min")), number(params.get("max"))
        if low and high:
            return translate("events.answer.out_of_range", language, min=low, max=high)
        if low or high:
            key = N_("events.answer.too_small") if low else N_("events.answer.too_big")
            return translate(key, language, min=low, max=high)
        return translate("events.answer.not_a_number", language)
    return translate(_ANSWER_MESSAGES.get(code, N_("events.answer.invalid")), language, **params)


def _partner_message(problem: Mapping[str, Any], language: str) -> str:
    """A problem with the partner 工号 of a pairs entry (no such member, the pair's rule, the audience)."""
    code = str(problem.get("type", ""))
    if code == "missing":
        return translate("alloc.member.partner.missing", language)
    # chalicelib.services.registration's problems with the partner field (chalicelib.domain.entries.pair_problem)
    key = (
        FIELD_MESSAGES[code] if code.startswith("partner_") and code in FIELD_MESSAGES else N_("events.answer.invalid")
    )
    return translate(key, language, **dict(problem.get("ctx") or {}))


def _answer_errors(error: InvalidInput, event: Event, language: str) -> tuple[dict[str, str], list[str]]:
    """Problems next to their questions (and the partner field, under ``PARTNER_FIELD``), and those with no field on
    the form (shown above it)."""
    known = {q.question_id for q in event.form}
    errors: dict[str, str] = {}
    general: list[str] = []
    for problem in error.problems:
        location = tuple(problem.get("loc") or ())
        if location == ("partner",):
            errors.setdefault(PARTNER_FIELD, _partner_message(problem, language))
            continue
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
            label = localized(question, "label", language)
            message = translate("option_full", language, question=label, option=option)
            return message, {question.question_id: message}
    message = translate(error.code, language, **error.params)
    if error.code in ("partner_already_entered", "partner_entry_group_limit"):
        return message, {PARTNER_FIELD: message}
    return message, {}


# ---- the form --------------------------------------------------------------------------------------------------


def _scope_choices(form: RegistrationForm, chosen: str, language: str) -> list[dict[str, Any]]:
    event = form.event
    if not (event.single_sessions and len(form.scopes) > 1):
        return []
    return [
        {
            "value": s,
            "label": wording.scope_label(s, form.sessions, language),
            "places": wording.event_places(event, language)
            if s == SERIES
            else wording.session_places(event, form.sessions[s], language),
            "chosen": s == chosen,
        }
        for s in form.free_scopes
    ]


def _show(
    principal: Principal,
    store: Store,
    form: RegistrationForm,
    status: int = 200,
    *,
    scope: str | None = None,
    values: dict[str, list[str]] | None = None,
    errors: dict[str, str] | None = None,
    message: str | None = None,
    blocked: str | None = None,
    partner: str = "",
):
    language = routes.language()
    event, free_scopes = form.event, form.free_scopes
    path = event_path(event.event_id)
    chosen = scope if scope in free_scopes else (free_scopes[0] if free_scopes else SERIES)
    errors = dict(errors or {})
    partner_error = errors.pop(PARTNER_FIELD, None)
    will_wait = wording.will_wait(event, free_scopes)
    individual_first_come = wording.first_come(event) and event.entry_type is EntryType.INDIVIDUAL
    use = event_views.option_use(store, event)
    return routes.show(
        "event_register.html",
        principal,
        status,
        title=title(event, language),
        when=span(event.starts_at, event.ends_at, language),
        venue=event.venue,
        event_href=path,
        action=path + "/register",
        questions=_question_views(event, form.scopes, chosen, values or {}, errors, use, language),
        scope_choices=_scope_choices(form, chosen, language),
        scope=chosen,
        will_wait=will_wait,
        message=message,
        blocked=blocked,
        how=wording.how_places(event, language) if not individual_first_come or event.quotas else [],
        pair=event.entry_type is EntryType.PAIR,
        partner_hint=wording.partner_hint(event, language),
        partner=partner,
        partner_error=partner_error,
        submit_label=translate("events.form.submit", language)
        if individual_first_come
        else wording.register_label(event, will_wait, language),
    )


@routes.route("/events/{event_id}/register", methods=("GET", "POST"), access=Access.MEMBER)
def register(principal: Principal, event_id: str):
    request = routes.current_request
    language = routes.language()
    store, at = get_store(), now()
    get = request.method == "GET"
    form = event_views.registration_form(store, principal, event_id, at, check_member=get)
    event = form.event
    if get:
        reason = wording.blocked(principal.signed_in, event, at, form.free_scopes, form.ineligibility, language)
        return _show(principal, store, form, blocked=reason)
    fields = read_form_lists(request, MAX_REGISTRATION_FIELDS)
    scope = _scope_ok((fields.get("scope") or [SERIES])[0])
    raw = _raw_answers(event, fields)
    shown = {qid: value if isinstance(value, list) else [value] for qid, value in raw.items()}
    pair = event.entry_type is EntryType.PAIR
    partner = (fields.get("partner") or [""])[0].strip()[:MAX_STAFF_NO] if pair else ""
    kept: dict[str, Any] = {"scope": scope, "values": shown, "partner": partner}
    try:
        registration_service.register(store, principal, event.event_id, scope, raw, at, partner=partner or None)
    except InvalidInput as error:
        errors, general = _answer_errors(error, event, language)
        message = " ".join([translate("events.form.fix", language), *general])
        return _show(principal, store, form, 400, errors=errors, message=message, **kept)
    except (Conflict, Forbidden) as error:
        message, errors = _refusal(error, event, language)
        if errors or (error.code == "event_full" and event.single_sessions):
            # Another choice may do: the form again, with the answers kept.
            return _show(principal, store, form, error.status, errors=errors, message=message, **kept)
        return _show(principal, store, form, error.status, blocked=message)
    return redirect(f"/me/registrations?{urlencode({'done': event.event_id})}")


@routes.route("/events/{event_id}/cancel", methods=("POST",), access=Access.MEMBER)
def cancel(principal: Principal, event_id: str):
    form = read_form(routes.current_request)
    scope = _scope_ok(form.get("scope") or SERIES)
    registration_service.cancel(get_store(), principal, event_id, scope, now())
    return redirect(f"/me/registrations?{urlencode({'cancelled': event_id})}")


# ---- partner invitations ----------------------------------------------------------------------------------------


@routes.route("/events/{event_id}/partner/confirm", methods=("POST",), access=Access.MEMBER)
def confirm_partner(principal: Principal, event_id: str):
    registration_service.confirm_partner(get_store(), principal, event_id, now())
    return redirect(f"/me/registrations?{urlencode({'confirmed': event_id})}")


@routes.route("/events/{event_id}/partner/decline", methods=("POST",), access=Access.MEMBER)
def decline_partner(principal: Principal, event_id: str):
    registration_service.decline_partner(get_store(), principal, event_id, now())
    return redirect(f"/me/registrations?{urlencode({'declined': event_id})}")
