"""The organisers' editor of an event's registration form: questions typed in rows, options and conditions in a
short text syntax, validated with the API's models and saved by the same service (chalicelib.services.events)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from chalicelib.api.event_schemas import EventChanges
from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.forms import MAX_QUESTIONS, Question, QuestionKind
from chalicelib.domain.records import Event
from chalicelib.errors import Conflict, InvalidInput
from chalicelib.i18n import N_, translate
from chalicelib.services import events as event_service
from chalicelib.storage import get_store
from chalicelib.web.forms import first_value, read_form_lists, redirect, validated
from chalicelib.web.manage_common import (
    MAX_FORM_FIELDS,
    done_message,
    error_message,
    number_text,
    problem_messages,
    refusals,
    shorten,
)
from chalicelib.web.manage_labels import LABELS
from chalicelib.web.render import Pages

routes = Pages(__name__)

QUESTION_ROWS = 15
_OPTION_SEPARATORS = re.compile(r"[,，\n]")
_OPTION_PARTS = re.compile(r"[:：]")
# A problem with a question (chalicelib.domain.forms.check_form: ``form_<code>``) in words.
_FORM_PROBLEMS = {
    "too_many_questions": N_("manage.formp.too_many_questions"),
    "bad_id": N_("manage.formp.bad_id"),
    "duplicate_id": N_("manage.formp.duplicate_id"),
    "bad_label": N_("manage.formp.bad_label"),
    "bad_kind": N_("manage.formp.bad_kind"),
    "options_needed": N_("manage.formp.options_needed"),
    "options_not_allowed": N_("manage.formp.options_not_allowed"),
    "bad_range": N_("manage.formp.bad_range"),
    "setting_not_allowed": N_("manage.formp.setting_not_allowed"),
    "bad_max_length": N_("manage.formp.bad_max_length"),
    "bad_max_choices": N_("manage.formp.bad_max_choices"),
    "bad_show_if": N_("manage.formp.bad_show_if"),
    "too_many_options": N_("manage.formp.too_many_options"),
    "bad_option": N_("manage.formp.bad_option"),
    "duplicate_option": N_("manage.formp.duplicate_option"),
    "bad_limit": N_("manage.formp.bad_limit"),
}
# A question's setting (a QuestionIn field) by name.
_QUESTION_FIELDS = {
    "question_id": N_("manage.form.question_id"),
    "kind": N_("manage.form.kind"),
    "label_zh": N_("manage.form.label_zh"),
    "label_en": N_("manage.form.label_en"),
    "required": N_("manage.form.required"),
    "min_value": N_("manage.form.min_value"),
    "max_value": N_("manage.form.max_value"),
    "integer": N_("manage.form.integer"),
    "max_length": N_("manage.form.max_length"),
    "options": N_("manage.form.options"),
    "option_id": N_("manage.form.option_id"),
    "max_choices": N_("manage.form.max_choices"),
    "show_if": N_("manage.form.show_if"),
}
# Why a question's condition (show_if) cannot be used.
_SHOW_IF_REASONS = {
    "not_earlier": N_("manage.form.reason.not_earlier"),
    "unknown_parent": N_("manage.form.reason.unknown_parent"),
    "parent_kind": N_("manage.form.reason.parent_kind"),
    "no_values": N_("manage.form.reason.no_values"),
    "unknown_value": N_("manage.form.reason.unknown_value"),
}


def _options_text(question: Question) -> str:
    return ", ".join(
        f"{option.option_id}:{option.label_zh}" + (f":{option.limit}" if option.limit is not None else "")
        for option in question.options
    )


def _question_row(question: Question) -> dict:
    show_if = question.show_if
    return {
        "id": question.question_id,
        "kind": str(question.kind),
        "label_zh": question.label_zh,
        "label_en": question.label_en or "",
        "required": question.required,
        "min": number_text(question.min_value),
        "max": number_text(question.max_value),
        "decimals": not question.integer,
        "max_length": "" if question.max_length is None else str(question.max_length),
        "options": _options_text(question),
        "max_choices": "" if question.max_choices is None else str(question.max_choices),
        "show_if": f"{show_if.question_id}={'|'.join(show_if.values)}" if show_if else "",
    }


def _empty_row() -> dict:
    row = dict.fromkeys(("id", "label_zh", "label_en", "min", "max", "max_length", "options", "max_choices"), "")
    return {**row, "show_if": "", "kind": QuestionKind.TEXT.value, "required": False, "decimals": False}


def _posted_rows(fields: dict[str, list[str]]) -> list[dict]:
    try:
        count = int(first_value(fields, "rows") or QUESTION_ROWS)
    except ValueError:
        count = QUESTION_ROWS
    rows = []
    for index in range(min(max(count, 0), MAX_QUESTIONS)):
        prefix = f"q{index}_"
        row: dict[str, Any] = {
            name: first_value(fields, prefix + name)
            for name in ("id", "kind", "label_zh", "label_en", "min", "max", "max_length", "max_choices", "show_if")
        }
        row["options"] = (fields.get(prefix + "options") or [""])[0].strip()
        row["required"] = bool(first_value(fields, prefix + "required"))
        row["decimals"] = bool(first_value(fields, prefix + "decimals"))
        rows.append(row)
    return rows


def _parse_options(text: str, previous: Question | None, language: str) -> tuple[list[dict], str | None]:
    """``S:小号:50, M:中号:80, L:大号`` (id:label[:limit], by commas or lines) as OptionIn dicts."""
    earlier = {option.option_id: option for option in (previous.options if previous else ())}
    options = []
    parts = [part.strip() for part in _OPTION_SEPARATORS.split(text) if part.strip()]
    for number, part in enumerate(parts, start=1):
        pieces = [piece.strip() for piece in _OPTION_PARTS.split(part)]
        limit = None
        if len(pieces) == 1:
            option_id, label = str(number), pieces[0]
        elif len(pieces) in (2, 3):
            option_id, label = pieces[0], pieces[1]
            if len(pieces) == 3 and pieces[2]:
                limit = unicodedata.normalize("NFKC", pieces[2])
                if not limit.isdigit():
                    return [], translate("manage.form.bad_limit", language, text=shorten(part))
        else:
            return [], translate("manage.form.bad_option", language, text=shorten(part))
        if not option_id or not label:
            return [], translate("manage.form.bad_option", language, text=shorten(part))
        kept = earlier.get(option_id)
        options.append(
            {
                "option_id": option_id,
                "label_zh": label,
                # The text form has no English labels: an option keeps the one it had.
                "label_en": kept.label_en if kept is not None else None,
                "limit": limit,
            }
        )
    return options, None


def _parse_show_if(text: str, language: str) -> tuple[dict | None, str | None]:
    """``q1=yes`` or ``q2=A|B``."""
    if not text:
        return None, None
    question_id, equals, values = unicodedata.normalize("NFKC", text).partition("=")
    chosen = [value.strip() for value in values.split("|") if value.strip()]
    if not equals or not question_id.strip() or not chosen:
        return None, translate("manage.form.bad_show_if", language, text=shorten(text))
    return {"question_id": question_id.strip(), "values": chosen}, None


def _form_problem(raw: Mapping[str, Any], message: str, language: str) -> str:
    kind = str(raw.get("type", ""))
    key = _FORM_PROBLEMS.get(kind.removeprefix("form_")) if kind.startswith("form_") else None
    if key is not None:
        params = dict(raw.get("ctx") or {})
        for name, table in (("field", _QUESTION_FIELDS), ("reason", _SHOW_IF_REASONS)):
            label = table.get(str(params.get(name)))
            if label is not None:
                params[name] = translate(label, language, **params)
        return translate(key, language, **params)
    location = [str(part) for part in raw.get("loc", ())]
    label = _QUESTION_FIELDS.get(location[2]) if len(location) > 2 and location[0] == "form" else None
    separator = "：" if language == "zh" else ": "
    return f"{translate(label, language)}{separator}{message}" if label is not None else message


def _form_page(principal: Principal, event: Event, rows: list[dict], status: int = 200, **context):
    context = {"row_errors": {}, "message": None, "refusals": [], **context}
    return routes.show_event(
        "manage_form.html",
        principal,
        event,
        status,
        rows=rows,
        kinds=[kind.value for kind in QuestionKind],
        done=done_message(routes.query("done")),
        labels=LABELS,
        **context,
    )


@routes.route("/admin/events/{event_id}/form", methods=("GET", "POST"), access=Access.UNIT_ADMIN)
def event_form(principal: Principal, event_id: str):
    request = routes.current_request
    store = get_store()
    event = event_service.managed_event(store, principal, event_id)
    if request.method == "GET":
        rows = [_question_row(question) for question in event.form]
        rows += [_empty_row() for _ in range(max(QUESTION_ROWS - len(rows), 0))]
        return _form_page(principal, event, rows)
    fields = read_form_lists(routes.current_request, MAX_FORM_FIELDS)
    language = routes.language()
    rows = _posted_rows(fields)
    kept, row_errors = _kept_questions(rows, event, language)
    _number_questions(kept, rows)
    if row_errors:
        return _form_page(principal, event, rows, 400, row_errors=row_errors)
    try:
        body = validated(EventChanges, {"form": [question for _, question in kept]})
        changes = body.changes()
        changes.pop("confirm", None)
        event_service.update_event(store, principal, event_id, changes, body.confirm, now())
    except InvalidInput as error:
        row_errors, message = _save_problems(error, kept, language)
        return _form_page(principal, event, rows, 400, row_errors=row_errors, message=message)
    except Conflict as error:
        why = refusals(error, event, language)
        return _form_page(principal, event, rows, 409, message=error_message(error, language), refusals=why)
    return redirect(f"/admin/events/{quote(event_id)}/form?done=form")


def _kept_questions(
    rows: list[dict], event: Event, language: str
) -> tuple[list[tuple[int, dict]], dict[int, list[str]]]:
    """The rows with a question (by their row index) as QuestionIn dicts, and the problems of the rows whose
    options or condition could not be read."""
    previous = {question.question_id: question for question in event.form}
    row_errors: dict[int, list[str]] = {}
    kept: list[tuple[int, dict]] = []
    for index, row in enumerate(rows):
        if not row["label_zh"]:
            continue  # a row without a question is left out
        options, options_problem = _parse_options(row["options"], previous.get(row["id"]), language)
        show_if, show_if_problem = _parse_show_if(row["show_if"], language)
        for problem in (options_problem, show_if_problem):
            if problem:
                row_errors.setdefault(index, []).append(problem)
        kept.append((index, _question_data(row, options, show_if)))
    return kept, row_errors


def _question_data(row: dict, options: list[dict], show_if: dict | None) -> dict:
    kind = row["kind"] or QuestionKind.TEXT.value
    return {
        "question_id": row["id"],
        "kind": kind,
        "label_zh": row["label_zh"],
        "label_en": row["label_en"] or None,
        "required": row["required"],
        "min_value": row["min"] or None,
        "max_value": row["max"] or None,
        "integer": not (kind == QuestionKind.NUMBER.value and row["decimals"]),
        "max_length": row["max_length"] or None,
        "options": options,
        "max_choices": row["max_choices"] or None,
        "show_if": show_if,
    }


def _number_questions(kept: list[tuple[int, dict]], rows: list[dict]) -> None:
    """Rows without an id are numbered q1, q2, ... past the ids already taken."""
    taken = {question["question_id"] for _, question in kept}
    number = 1
    for index, question in kept:
        if not question["question_id"]:
            while f"q{number}" in taken:
                number += 1
            question["question_id"] = rows[index]["id"] = f"q{number}"
            taken.add(question["question_id"])


def _save_problems(
    error: InvalidInput, kept: list[tuple[int, dict]], language: str
) -> tuple[dict[int, list[str]], str | None]:
    """The problems the models or the service found, by row, and a message for those of no row."""
    row_of_id = {question["question_id"]: index for index, question in kept}
    row_errors: dict[int, list[str]] = {}
    message = None
    for raw, text in problem_messages(error, language):
        location = [str(part) for part in raw.get("loc", ()) if part != "body"]
        row_index = None
        if location[:1] == ["form"] and len(location) > 1:
            where = location[1]
            # The models name a question by its place among the kept rows, the service by its id.
            row_index = kept[int(where)][0] if where.isdigit() and int(where) < len(kept) else row_of_id.get(where)
        shown = _form_problem(raw, text, language)
        if row_index is None:
            message = message or shown
        else:
            row_errors.setdefault(row_index, []).append(shown)
    message = message or (translate("validation_failed", language) if not row_errors else None)
    return row_errors, message
