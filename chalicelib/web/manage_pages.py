"""Organiser pages: a unit's events, creating and editing them, their registration forms and their registrations.

Form posts are validated with the JSON API's own models (chalicelib.api.event_schemas) and carried out by the same
services (chalicelib.services.events and .registration), so a page and the API accept exactly the same input and
apply the same rules. A unit admin sees and changes only the events of the units they administer.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any
from urllib.parse import quote, urlencode

from chalicelib.api.event_schemas import (
    EventChanges,
    NewEvent,
    RegistrationListQuery,
    RemovalQuery,
    ScopeQuery,
    StatusChange,
)
from chalicelib.domain.access import Access, Principal, can_manage_event, require
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.event_rules import (
    RegistrationPhase,
    check_transition,
    displayed_status,
    registration_phase,
    unit_summary,
    waiting_positions,
)
from chalicelib.domain.forms import MAX_QUESTIONS, Question, QuestionKind, answer_text
from chalicelib.domain.records import (
    COMPETITION_FORMATS,
    SCHOOL_UNIT_ID,
    SERIES,
    Allocation,
    Audience,
    EntryType,
    Event,
    EventFormat,
    EventKind,
    EventStatus,
    Gender,
    PairGender,
    RegistrationState,
    TeamRule,
    Unit,
    normalise_staff_no,
)
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.i18n import MESSAGES, state_label, translate
from chalicelib.services import events as event_service
from chalicelib.services import registration as registration_service
from chalicelib.storage import Store, get_store
from chalicelib.web.forms import first_value, read_form_lists, redirect, validated
from chalicelib.web.render import Pages, unit_name, unit_names

routes = Pages(__name__)

# The form editor posts a dozen fields per question row and the audience picker one per chosen unit: more than
# chalicelib.web.forms.read_form takes, and it keeps only the first value of a multiple select.
MAX_FORM_FIELDS = 500
QUESTION_ROWS = 15
_SHOWN_TEXT = 40

_TEXT_FIELDS = ("title_zh", "title_en", "venue", "campus", "contact")
_LONG_FIELDS = ("description_zh", "description_en")
_TIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at", "cancel_deadline")
_AGE_FIELDS = ("audience_min_age", "audience_max_age")
_REQUIRED_FIELDS = ("kind", "format", "title_zh", "starts_at", "ends_at")
_OPTIONAL_TEXT = ("title_en", "description_en", "venue", "campus", "contact")
# Schedule problems the service finds, shown next to the field an organiser would change.
_SCHEDULE_FIELDS = {
    "schedule_ends_before_start": "ends_at",
    "schedule_closes_before_opens": "registration_closes_at",
    "schedule_closes_after_end": "registration_closes_at",
    "schedule_cancel_deadline_after_end": "cancel_deadline",
    "schedule_capacity_not_positive": "capacity",
    "schedule_bad_age_range": "audience_min_age",
    # Team rule problems the service finds (chalicelib.domain.entries.check_team_rule).
    "team_team_rule_size": "team_max_size",
    "team_team_rule_composition": "team_min_women",
    "team_team_rule_older": "team_older_age",
    "team_team_rule_per_unit": "team_teams_per_unit",
}
# How places are given out and entries are made (the allocation fields of EventFields).
_ALLOCATION_TEXT = ("allocation", "entry_type", "pair_gender", "entry_group", "entry_group_limit")
_TEAM_NUMBERS = ("min_size", "max_size", "min_women", "min_men", "older_age", "max_older", "min_age", "teams_per_unit")
_STATUS_ORDER = tuple(EventStatus)
_DONE = {
    "created": "manage.done.created",
    "saved": "manage.done.saved",
    "status": "manage.done.status",
    "form": "manage.done.form",
    "removed": "manage.done.removed",
    "added": "manage.done.added",
    "added_waiting": "manage.done.added_waiting",
    "approved": "alloc.manage.done.approved",
    "rejected": "alloc.manage.done.rejected",
    "drawn": "alloc.manage.done.drawn",
}

_SESSION_LINE = re.compile(
    r"(?P<day>\d{4}[-/.]\d{1,2}[-/.]\d{1,2})\s+(?P<start>\d{1,2}:\d{2})\s*[-~–—至到]\s*(?P<end>\d{1,2}:\d{2})"
    r"(?:\s+(?P<rest>.*))?"
)
_OPTION_SEPARATORS = re.compile(r"[,，\n]")
_OPTION_PARTS = re.compile(r"[:：]")


# ---- helpers ------------------------------------------------------------------------------------------------------


def _shorten(text: str) -> str:
    return text if len(text) <= _SHOWN_TEXT else text[: _SHOWN_TEXT - 1] + "…"


def local_input(moment: datetime | None) -> str:
    """A time as a ``datetime-local`` input shows it, in China time."""
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%dT%H:%M") if moment else ""


def local_text(moment: datetime | None) -> str:
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M") if moment else ""


def _number_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _owner_choices(store: Store, principal: Principal) -> list[Unit]:
    """The units whose events the principal organises: a union admin's are the school union and every sub-union."""
    units = store.units.whole_union()
    if principal.union_admin:
        return units
    mine = [unit for unit in units if unit.unit_id in principal.admin_of]
    known = {unit.unit_id for unit in mine}
    extra = [store.units.get(unit_id) for unit_id in sorted(principal.admin_of - known)]
    return mine + [unit for unit in extra if unit is not None]


def event_title(event: Event, language: str) -> str:
    return event.title_zh if language == "zh" else (event.title_en or event.title_zh)


def _next_statuses(current: EventStatus) -> list[EventStatus]:
    """The statuses an organiser may move the event to from its stored status (event_rules decides)."""
    allowed = []
    for target in _STATUS_ORDER:
        try:
            check_transition(current, target)
        except Conflict:
            continue
        allowed.append(target)
    return allowed


def error_message(error: Conflict | NotFound, language: str, **extra: object) -> str:
    params = {**error.params, **extra}
    if error.code == "invalid_transition":
        for name in ("current", "target"):
            if f"manage.status.{params.get(name)}" in MESSAGES:
                params[name] = translate(f"manage.status.{params[name]}", language)
    return translate(error.code, language, **params)


def _refusals(error: Conflict, event: Event, language: str) -> list[str]:
    """Why a change was refused, in words (``details["refusals"]`` of ``Conflict("change_refused")``)."""
    counts = {"confirmed": event.confirmed_count, "waiting": event.waiting_count}
    codes = (error.details or {}).get("refusals", ())
    return [translate(f"manage.refusal.{code}", language, **counts) for code in codes]


def state_labels(language: str, allocation: Allocation | None = None) -> dict[str, str]:
    """Every registration state in words (the allocation states' labels are under ``alloc.manage.state.``); pending
    is named after what it waits for when the event's ``allocation`` is given."""
    labels = {state.value: state_label(state.value, language) for state in RegistrationState}
    if allocation in (Allocation.APPROVAL, Allocation.LOTTERY):
        labels[RegistrationState.PENDING.value] = translate(f"alloc.manage.state.pending_{allocation.value}", language)
    return labels


def problem_messages(error: InvalidInput, language: str) -> list[tuple[Mapping[str, Any], str]]:
    """Each raw problem with its message in ``language`` (the API's wording)."""
    from chalicelib.http.middleware import field_problems  # as chalicelib.web.forms does

    return list(zip(error.problems, (problem.message for problem in field_problems(error, language)), strict=True))


# ---- the events of a unit -----------------------------------------------------------------------------------------


@routes.route("/admin/events", access=Access.UNIT_ADMIN)
def event_list(principal: Principal):
    language = routes.language()
    store = get_store()
    choices = _owner_choices(store, principal)
    chosen = routes.query("unit")
    if chosen is not None:
        require(can_manage_event(principal, chosen))
        if store.units.get(chosen) is None:
            raise NotFound("unknown_unit")
        shown_units = [chosen]
    elif principal.union_admin:
        shown_units = [SCHOOL_UNIT_ID]
    else:
        shown_units = [unit.unit_id for unit in choices]
    names = unit_names(store, language)
    at = now()
    events = [event for unit_id in shown_units for event in store.events.by_owner(unit_id)]
    events.sort(key=lambda event: event.starts_at, reverse=True)
    rows = [
        {
            "event": event,
            "title": event_title(event, language),
            "status": displayed_status(event, at).value,
            "owner": names.get(event.owner_unit_id, event.owner_unit_id),
        }
        for event in events
    ]
    return routes.show(
        "manage_events.html",
        principal,
        rows=rows,
        choices=choices,
        chosen=chosen or (SCHOOL_UNIT_ID if principal.union_admin else ""),
        several_units=len(shown_units) > 1,
    )


# ---- the event form (create and edit) -----------------------------------------------------------------------------


def _blank_values(choices: list[Unit]) -> dict:
    values: dict = dict.fromkeys((*_TEXT_FIELDS, *_LONG_FIELDS, *_TIME_FIELDS, *_AGE_FIELDS), "")
    values.update(
        owner_unit_id=choices[0].unit_id if choices else "",
        kind=EventKind.SPORTS.value,
        format=EventFormat.SESSION.value,
        capacity="",
        waiting_list=True,
        single_sessions=False,
        audience_scope=Audience.ALL.value,
        audience_units=[],
        audience_gender="",
        sessions="",
    )
    values.update(_allocation_values(None))
    return values


def _allocation_values(event: Event | None) -> dict:
    """The allocation fields as the form shows them (a new event's defaults when ``event`` is None)."""
    rule = event.team_rule if event is not None else TeamRule()
    values: dict = {
        f"team_{name}": "" if getattr(rule, name) is None else str(getattr(rule, name)) for name in _TEAM_NUMBERS
    }
    values.update(
        allocation=event.allocation.value if event is not None else Allocation.FIRST_COME.value,
        entry_type=event.entry_type.value if event is not None else EntryType.INDIVIDUAL.value,
        pair_gender=event.pair_rule.gender.value if event is not None else PairGender.ANY.value,
        pair_same_unit=event.pair_rule.same_unit if event is not None else False,
        team_roster_deadline=local_input(rule.roster_deadline),
        entry_group=(event.entry_group or "") if event is not None else "",
        entry_group_limit=_number_text(event.entry_group_limit) if event is not None else "",
        lottery_priority_years=_number_text(event.lottery_priority_years) if event is not None else "",
    )
    return values


def _event_values(event: Event) -> dict:
    audience = event.audience
    values: dict = {name: getattr(event, name) or "" for name in (*_TEXT_FIELDS, *_LONG_FIELDS)}
    values.update({name: local_input(getattr(event, name)) for name in _TIME_FIELDS})
    values.update(
        owner_unit_id=event.owner_unit_id,
        kind=event.kind.value,
        format=event.format.value,
        capacity="" if event.capacity is None else str(event.capacity),
        waiting_list=event.waiting_list,
        single_sessions=event.single_sessions,
        audience_scope=audience.scope.value,
        audience_units=sorted(audience.unit_ids),
        audience_gender=audience.gender.value if audience.gender else "",
        audience_min_age="" if audience.min_age is None else str(audience.min_age),
        audience_max_age="" if audience.max_age is None else str(audience.max_age),
        sessions="",
    )
    values.update(_allocation_values(event))
    return values


def _posted_values(fields: dict[str, list[str]]) -> dict:
    values: dict = {name: first_value(fields, name) for name in (*_TEXT_FIELDS, *_TIME_FIELDS, *_AGE_FIELDS)}
    values.update({name: (fields.get(name) or [""])[0].strip() for name in _LONG_FIELDS})
    values.update(
        owner_unit_id=first_value(fields, "owner_unit_id"),
        kind=first_value(fields, "kind"),
        format=first_value(fields, "format"),
        capacity=first_value(fields, "capacity"),
        waiting_list=bool(first_value(fields, "waiting_list")),
        single_sessions=bool(first_value(fields, "single_sessions")),
        audience_scope=first_value(fields, "audience_scope") or Audience.ALL.value,
        audience_units=[value.strip() for value in fields.get("audience_units", []) if value.strip()],
        audience_gender=first_value(fields, "audience_gender"),
        sessions=(fields.get("sessions") or [""])[0],
    )
    values.update({name: first_value(fields, name) for name in _ALLOCATION_TEXT})
    values.update({f"team_{name}": first_value(fields, f"team_{name}") for name in (*_TEAM_NUMBERS, "roster_deadline")})
    values.update(
        pair_same_unit=bool(first_value(fields, "pair_same_unit")),
        lottery_priority_years=first_value(fields, "lottery_priority_years"),
    )
    return values


def _event_data(values: dict, before: Event | None, language: str) -> tuple[dict, dict[str, str]]:
    """The request body the API would take for these form values, and the required fields left empty."""
    missing = {name: translate("field.missing", language) for name in _REQUIRED_FIELDS if not values[name]}
    data: dict = {name: values[name] for name in ("kind", "format", "title_zh") if values[name]}
    data.update({name: values[name] or None for name in _OPTIONAL_TEXT})
    data["description_zh"] = values["description_zh"]
    data["capacity"] = values["capacity"] or None
    for name in _TIME_FIELDS:
        text = values[name]
        if not text:
            if name not in _REQUIRED_FIELDS:
                data[name] = None  # emptied: no such limit
            continue
        kept = getattr(before, name) if before is not None else None
        # The input shows minutes: an untouched time keeps its stored seconds rather than "moving" the event.
        data[name] = kept if kept is not None and local_input(kept) == text else text
    data["waiting_list"] = values["waiting_list"]
    data["single_sessions"] = values["single_sessions"]
    scope = values["audience_scope"]
    data["audience"] = {
        "scope": scope,
        "unit_ids": values["audience_units"] if scope == Audience.UNITS.value else [],
        "gender": values["audience_gender"] or None,
        "min_age": values["audience_min_age"] or None,
        "max_age": values["audience_max_age"] or None,
    }
    _allocation_data(values, before, data)
    return data, missing


def _allocation_data(values: dict, before: Event | None, data: dict) -> None:
    """The allocation fields of the request body. Rules are sent only for the entry type they belong to, and the
    priority years only for a lottery, so that fields the page hides never refuse or change anything."""
    for name in ("allocation", "entry_type"):
        if values[name]:
            data[name] = values[name]  # never cleared (a form always sends them)
    allocation = values["allocation"] or (before.allocation.value if before is not None else Allocation.FIRST_COME)
    entry_type = values["entry_type"] or (before.entry_type.value if before is not None else EntryType.INDIVIDUAL)
    if entry_type == EntryType.PAIR.value:
        data["pair_rule"] = {
            "gender": values["pair_gender"] or PairGender.ANY.value,
            "same_unit": values["pair_same_unit"],
        }
    if entry_type == EntryType.TEAM.value:
        rule = {name: values[f"team_{name}"] for name in _TEAM_NUMBERS if values[f"team_{name}"]}
        deadline = values["team_roster_deadline"]
        kept = before.team_rule.roster_deadline if before is not None else None
        rule["roster_deadline"] = (kept if kept is not None and local_input(kept) == deadline else deadline) or None
        data["team_rule"] = rule
    data["entry_group"] = values["entry_group"] or None
    data["entry_group_limit"] = values["entry_group_limit"] or None
    lottery = allocation == Allocation.LOTTERY.value
    data["lottery_priority_years"] = (values["lottery_priority_years"] or None) if lottery else None


def _parse_sessions(text: str, language: str) -> tuple[list[dict], list[int], str | None]:
    """Sessions typed one a line, ``YYYY-MM-DD HH:MM-HH:MM venue [places]``: SessionIn dicts, their line numbers,
    and the problem with the first line that could not be read."""
    sessions, lines = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = unicodedata.normalize("NFKC", raw).strip()
        if not line:
            continue
        bad = translate("manage.sessions.bad_line", language, line=number, text=_shorten(line))
        match = _SESSION_LINE.fullmatch(line)
        if match is None:
            return [], [], bad
        try:
            year, month, day = (int(part) for part in re.split(r"[-/.]", match["day"]))
            start, end = (_clock(match[name]) for name in ("start", "end"))
            day_text = date(year, month, day).isoformat()
        except ValueError:
            return [], [], bad
        words = (match["rest"] or "").split()
        capacity = words.pop() if words and words[-1].isdigit() else None
        sessions.append(
            {
                "starts_at": f"{day_text}T{start:%H:%M}",
                "ends_at": f"{day_text}T{end:%H:%M}",
                "venue": " ".join(words) or None,
                "capacity": capacity,
            }
        )
        lines.append(number)
    return sessions, lines, None


def _clock(text: str) -> time:
    """ "8:30" as a time (the session line's pattern allows only H:MM or HH:MM); ValueError when out of range."""
    hour, minute = text.split(":")
    return time(int(hour), int(minute))


def _event_problems(error: InvalidInput, language: str, session_lines: Sequence[int] = ()) -> dict[str, str]:
    """Form field → the first problem with it, for problems found by the models or by the service."""
    problems: dict[str, str] = {}
    for raw, message in problem_messages(error, language):
        kind = str(raw.get("type", ""))
        location = [str(part) for part in raw.get("loc", ()) if part != "body"]
        if kind in _SCHEDULE_FIELDS:
            name = _SCHEDULE_FIELDS[kind]
        elif location[:1] == ["audience"]:
            part = location[1] if len(location) > 1 else "scope"
            name = "audience_units" if part == "unit_ids" else f"audience_{part}"
        elif location[:1] in (["team_rule"], ["pair_rule"]):
            prefix = "team_" if location[0] == "team_rule" else "pair_"
            name = prefix + location[1] if len(location) > 1 else f"{prefix}rule"
        elif location[:1] == ["sessions"]:
            name = "sessions"
            if len(location) > 1 and location[1].isdigit() and int(location[1]) < len(session_lines):
                line = session_lines[int(location[1])]
                message = translate("manage.sessions.line", language, line=line) + message
        else:
            name = location[0] if location else "form"
        problems.setdefault(name, message)
    return problems


def _event_form(
    principal: Principal,
    store: Store,
    event: Event | None,
    values: dict,
    status: int = 200,
    **context,
):
    language = routes.language()
    units = store.units.whole_union()
    sessions = store.sessions.for_event(event.event_id) if event is not None else []
    context = {"errors": {}, "message": None, "confirmations": [], "refusals": [], **context}
    return routes.show(
        "manage_event.html",
        principal,
        status,
        event=event,
        title=event_title(event, language) if event is not None else None,
        shown_status=displayed_status(event, now()).value if event is not None else None,
        next_statuses=[target.value for target in _next_statuses(event.status)] if event is not None else [],
        values=values,
        owner_choices=_owner_choices(store, principal),
        units=[unit for unit in units if unit.unit_id != SCHOOL_UNIT_ID],
        unit_names={unit.unit_id: unit_name(unit, unit.unit_id, language) for unit in units},
        kinds=[kind.value for kind in EventKind],
        formats=[fmt.value for fmt in EventFormat],
        competition_formats=[fmt.value for fmt in EventFormat if fmt in COMPETITION_FORMATS],
        scopes=[scope.value for scope in Audience],
        genders=[gender.value for gender in Gender],
        allocations=[allocation.value for allocation in Allocation],
        entry_types=[entry_type.value for entry_type in EntryType],
        pair_genders=[pair_gender.value for pair_gender in PairGender],
        sessions=[
            {
                "session_id": s.session_id,
                "time": f"{local_text(s.starts_at)}–{s.ends_at.astimezone(CHINA_TZ):%H:%M}",
                "venue": s.venue or "",
                "capacity": s.capacity,
                "confirmed": s.confirmed_count,
                "waiting": s.waiting_count,
            }
            for s in sessions
        ],
        done=_DONE.get(routes.query("done") or ""),
        **context,
    )


@routes.route("/admin/events/new", methods=("GET", "POST"), access=Access.UNIT_ADMIN)
def event_new(principal: Principal):
    request = routes.current_request
    store = get_store()
    choices = _owner_choices(store, principal)
    if request.method == "GET":
        values = _blank_values(choices)
        chosen = routes.query("unit")
        if chosen and chosen in {unit.unit_id for unit in choices}:
            values["owner_unit_id"] = chosen
        return _event_form(principal, store, None, values)
    fields = read_form_lists(routes.current_request, MAX_FORM_FIELDS)
    language = routes.language()
    values = _posted_values(fields)
    owner = values["owner_unit_id"]
    errors: dict[str, str] = {}
    if owner:
        require(can_manage_event(principal, owner))  # never create for a unit one does not administer
    else:
        errors["owner_unit_id"] = translate("field.missing", language)
    data, missing = _event_data(values, None, language)
    errors.update(missing)
    if owner:
        data["owner_unit_id"] = owner
    sessions, session_lines, session_problem = _parse_sessions(values["sessions"], language)
    if session_problem:
        errors["sessions"] = session_problem
    data["sessions"] = sessions
    try:
        body = validated(NewEvent, data)
    except InvalidInput as error:
        errors = {**_event_problems(error, language, session_lines), **errors}
    if errors:
        return _event_form(principal, store, None, values, 400, errors=errors)
    try:
        event = event_service.create_event(store, principal, *body.event_fields(), now())
    except InvalidInput as error:
        return _event_form(principal, store, None, values, 400, errors=_event_problems(error, language, session_lines))
    except NotFound as error:
        errors = {"owner_unit_id": error_message(error, language)}
        return _event_form(principal, store, None, values, 404, errors=errors)
    return redirect(f"/admin/events/{quote(event.event_id)}/edit?done=created")


@routes.route("/admin/events/{event_id}/edit", methods=("GET", "POST"), access=Access.UNIT_ADMIN)
def event_edit(principal: Principal, event_id: str):
    request = routes.current_request
    store = get_store()
    before = event_service.managed_event(store, principal, event_id)
    if request.method == "GET":
        return _event_form(principal, store, before, _event_values(before))
    fields = read_form_lists(routes.current_request, MAX_FORM_FIELDS)
    language = routes.language()
    values = {**_posted_values(fields), "owner_unit_id": before.owner_unit_id}
    data, errors = _event_data(values, before, language)
    data["confirm"] = first_value(fields, "confirm") == "1"
    try:
        body = validated(EventChanges, data)
    except InvalidInput as error:
        errors = {**_event_problems(error, language), **errors}
    if errors:
        return _event_form(principal, store, before, values, 400, errors=errors)
    # As the API's update_event does.
    changes = body.changes()
    changes.pop("confirm", None)
    try:
        event_service.update_event(store, principal, event_id, changes, body.confirm, now())
    except InvalidInput as error:
        return _event_form(principal, store, before, values, 400, errors=_event_problems(error, language))
    except Conflict as error:
        details = error.details or {}
        confirmations = [translate(f"manage.confirm.{code}", language) for code in details.get("confirmations", ())]
        refusals = _refusals(error, before, language)
        message = error_message(error, language)
        context = {"message": message, "confirmations": confirmations, "refusals": refusals}
        return _event_form(principal, store, before, values, 409, **context)
    except NotFound as error:
        return _event_form(principal, store, before, values, 404, message=error_message(error, language))
    return redirect(f"/admin/events/{quote(event_id)}/edit?done=saved")


@routes.route("/admin/events/{event_id}/status", methods=("POST",), access=Access.UNIT_ADMIN)
def event_status(principal: Principal, event_id: str):
    fields = read_form_lists(routes.current_request, MAX_FORM_FIELDS)
    store = get_store()
    before = event_service.managed_event(store, principal, event_id)
    language = routes.language()
    try:
        body = validated(StatusChange, {"status": first_value(fields, "status")})
        event_service.change_status(store, principal, event_id, body.status, now())
    except InvalidInput:
        message = translate("manage.status_unknown", language)
        return _event_form(principal, store, before, _event_values(before), 400, message=message)
    except (Conflict, NotFound) as error:
        message = error_message(error, language)
        return _event_form(principal, store, before, _event_values(before), error.status, message=message)
    return redirect(f"/admin/events/{quote(event_id)}/edit?done=status")


# ---- the registration form editor ---------------------------------------------------------------------------------


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
        "min": _number_text(question.min_value),
        "max": _number_text(question.max_value),
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
                    return [], translate("manage.form.bad_limit", language, text=_shorten(part))
        else:
            return [], translate("manage.form.bad_option", language, text=_shorten(part))
        if not option_id or not label:
            return [], translate("manage.form.bad_option", language, text=_shorten(part))
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
        return None, translate("manage.form.bad_show_if", language, text=_shorten(text))
    return {"question_id": question_id.strip(), "values": chosen}, None


def _form_problem(raw: Mapping[str, Any], message: str, language: str) -> str:
    kind = str(raw.get("type", ""))
    key = f"manage.formp.{kind.removeprefix('form_')}"
    if kind.startswith("form_") and key in MESSAGES:
        params = dict(raw.get("ctx") or {})
        for name, prefix in (("field", "manage.form."), ("reason", "manage.form.reason.")):
            label = f"{prefix}{params.get(name)}"
            if label in MESSAGES:
                params[name] = translate(label, language, **params)
        return translate(key, language, **params)
    location = [str(part) for part in raw.get("loc", ())]
    field = location[2] if len(location) > 2 and location[0] == "form" else ""
    label = f"manage.form.{field}"
    separator = "：" if language == "zh" else ": "
    return f"{translate(label, language)}{separator}{message}" if label in MESSAGES else message


def _form_page(principal: Principal, event: Event, rows: list[dict], status: int = 200, **context):
    context = {"row_errors": {}, "message": None, "refusals": [], **context}
    return routes.show(
        "manage_form.html",
        principal,
        status,
        event=event,
        title=event_title(event, routes.language()),
        rows=rows,
        kinds=[kind.value for kind in QuestionKind],
        done=_DONE.get(routes.query("done") or ""),
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
        kind = row["kind"] or QuestionKind.TEXT.value
        kept.append(
            (
                index,
                {
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
                },
            )
        )
    # Rows without an id are numbered q1, q2, ... past the ids already taken.
    taken = {question["question_id"] for _, question in kept}
    number = 1
    for index, question in kept:
        if not question["question_id"]:
            while f"q{number}" in taken:
                number += 1
            question["question_id"] = rows[index]["id"] = f"q{number}"
            taken.add(question["question_id"])
    if row_errors:
        return _form_page(principal, event, rows, 400, row_errors=row_errors)
    row_of_id = {question["question_id"]: index for index, question in kept}
    try:
        body = validated(EventChanges, {"form": [question for _, question in kept]})
        changes = body.changes()
        changes.pop("confirm", None)
        event_service.update_event(store, principal, event_id, changes, body.confirm, now())
    except InvalidInput as error:
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
        return _form_page(principal, event, rows, 400, row_errors=row_errors, message=message)
    except Conflict as error:
        refusals = _refusals(error, event, language)
        return _form_page(principal, event, rows, 409, message=error_message(error, language), refusals=refusals)
    return redirect(f"/admin/events/{quote(event_id)}/form?done=form")


# ---- registrations ------------------------------------------------------------------------------------------------


def registrations_page(principal: Principal, store: Store, event: Event, status: int = 200, **context):
    language = routes.language()
    query = validated(RegistrationListQuery, {"state": routes.query("state"), "unit_id": routes.query("unit")})
    everything = store.registrations.for_event(event.event_id)
    positions = waiting_positions(everything)
    units = {unit.unit_id: unit for unit in store.units.whole_union()}
    names = {unit_id: unit_name(units.get(unit_id), unit_id, language) for unit_id in units}
    sessions = store.sessions.for_event(event.event_id)
    scope_names = {SERIES: translate("manage.regs.series", language)}
    scope_names.update({s.session_id: s.starts_at.astimezone(CHINA_TZ).strftime("%m-%d %H:%M") for s in sessions})
    found = [
        r
        for r in everything
        if (query.state is None or r.state is query.state) and (query.unit_id is None or r.unit_id == query.unit_id)
    ]
    found.sort(key=lambda r: (r.registered_at, r.staff_no))
    team_names = {}
    if event.entry_type is EntryType.TEAM:
        team_names = {team.team_id: team.name for team in store.teams.for_event(event.event_id)}
    rows = []
    for r in found:
        answers = []
        for question in event.form:
            text = answer_text(question, r.answers.get(question.question_id), language)
            if text:
                label = question.label_zh if language == "zh" else (question.label_en or question.label_zh)
                answers.append((label, text))
        rows.append(
            {
                "registration": r,
                "unit": names.get(r.unit_id, r.unit_id),
                "scope": scope_names.get(r.scope, r.scope),
                "state": r.state.value,
                "position": positions.get((r.scope, r.staff_no)),
                "registered_at": local_text(r.registered_at),
                "answers": answers,
                "team": team_names.get(r.team_id or "", r.team_id) if r.team_id else None,
                "decide": event.allocation is Allocation.APPROVAL and r.state is RegistrationState.PENDING,
                # A pending approval is rejected (with its reason) rather than removed; a team's roster is the unit's.
                "removable": r.state.active
                and r.state is not RegistrationState.TEAM
                and not (event.allocation is Allocation.APPROVAL and r.state is RegistrationState.PENDING),
            }
        )
    counts = Counter(r.state.value for r in everything)
    summary = [
        {"unit": names.get(tally.unit_id, tally.unit_id), **tally._asdict()} for tally in unit_summary(everything)
    ]
    scopes = [(SERIES, scope_names[SERIES])]
    if event.single_sessions:
        scopes += [(s.session_id, scope_names[s.session_id]) for s in sessions]
    context = {"message": None, "add_form": {}, "add_error": None, "remove_errors": {}, "decide_errors": {}, **context}
    at = now()
    lottery = None
    if event.allocation is Allocation.LOTTERY:
        closed = registration_phase(event, at) is RegistrationPhase.CLOSED
        lottery = {
            "commitment": event.lottery_commitment,
            "drawn_at": local_text(event.lottery_drawn_at) if event.lottery_drawn_at else None,
            "can_draw": closed and event.lottery_drawn_at is None,
            "closed": closed,
        }
    # The states counted above the list: these always, the others when someone is in them.
    always = {RegistrationState.CONFIRMED, RegistrationState.WAITING, RegistrationState.CANCELLED}
    always.add(RegistrationState.REMOVED)
    if event.allocation is not Allocation.FIRST_COME:
        always.add(RegistrationState.PENDING)
    return routes.show(
        "manage_registrations.html",
        principal,
        status,
        event=event,
        title=event_title(event, language),
        rows=rows,
        counts={state.value: counts.get(state.value, 0) for state in RegistrationState},
        states=[state.value for state in RegistrationState],
        shown_states=[s.value for s in RegistrationState if s in always or counts.get(s.value) or s is query.state],
        state_labels=state_labels(language, event.allocation),
        lottery=lottery,
        state=query.state.value if query.state else "",
        unit=query.unit_id or "",
        unit_choices=sorted({r.unit_id for r in everything}, key=lambda unit_id: names.get(unit_id, unit_id)),
        unit_names=names,
        summary=summary,
        totals={name: sum(row[name] for row in summary) for name in ("registered", "confirmed", "waiting")},
        scopes=scopes,
        done=_DONE.get(routes.query("done") or ""),
        filtered=bool(query.state or query.unit_id),
        export_base=f"/api/events/{quote(event.event_id)}/export",
        **context,
    )


@routes.route("/admin/events/{event_id}/registrations", access=Access.UNIT_ADMIN)
def registrations(principal: Principal, event_id: str):
    store = get_store()
    event = event_service.managed_event(store, principal, event_id)
    return registrations_page(principal, store, event)


@routes.route("/admin/events/{event_id}/registrations/remove", methods=("POST",), access=Access.UNIT_ADMIN)
def registration_remove(principal: Principal, event_id: str):
    fields = read_form_lists(routes.current_request, MAX_FORM_FIELDS)
    store = get_store()
    event = event_service.managed_event(store, principal, event_id)
    language = routes.language()
    staff_no = normalise_staff_no(first_value(fields, "staff_no"))
    scope = first_value(fields, "scope") or SERIES
    key = f"{scope}/{staff_no}"
    try:
        query = validated(RemovalQuery, {"scope": scope, "reason": first_value(fields, "reason")})
    except InvalidInput as error:
        wrong_reason = any(raw.get("loc", ())[:1] == ("reason",) for raw in error.problems)
        problem = translate("manage.regs.reason_needed" if wrong_reason else "validation_failed", language)
        return registrations_page(principal, store, event, 400, remove_errors={key: problem}, message=problem)
    try:
        registration_service.remove(store, principal, event_id, query.scope, staff_no, query.reason, now())
    except (Conflict, NotFound) as error:
        problem = error_message(error, language)
        return registrations_page(principal, store, event, error.status, remove_errors={key: problem}, message=problem)
    return redirect(f"/admin/events/{quote(event_id)}/registrations?done=removed")


@routes.route("/admin/events/{event_id}/registrations/add", methods=("POST",), access=Access.UNIT_ADMIN)
def registration_add(principal: Principal, event_id: str):
    fields = read_form_lists(routes.current_request, MAX_FORM_FIELDS)
    store = get_store()
    event = event_service.managed_event(store, principal, event_id)
    language = routes.language()
    typed = first_value(fields, "staff_no")
    staff_no = normalise_staff_no(typed)
    add_form = {"staff_no": typed, "scope": first_value(fields, "scope") or SERIES}

    def refused(status: int, problem: str):
        return registrations_page(principal, store, event, status, add_form=add_form, add_error=problem)

    if not staff_no:
        return refused(400, translate("field.missing", language))
    try:
        query = validated(ScopeQuery, {"scope": add_form["scope"]})
    except InvalidInput:
        return refused(400, translate("not_found", language))
    if store.members.get(staff_no) is None:
        return refused(404, translate("manage.regs.unknown_member", language, staff_no=staff_no))
    try:
        outcome = registration_service.add_for_member(store, principal, event_id, query.scope, staff_no, {}, now())
    except (Conflict, NotFound) as error:
        if error.code == "already_registered":
            return refused(409, translate("manage.regs.already_registered", language, staff_no=staff_no))
        return refused(error.status, error_message(error, language))
    except InvalidInput as error:
        return refused(400, "; ".join(message for _, message in problem_messages(error, language)))
    done = "added_waiting" if outcome.registration.state is RegistrationState.WAITING else "added"
    return redirect(f"/admin/events/{quote(event_id)}/registrations?" + urlencode({"done": done}))
