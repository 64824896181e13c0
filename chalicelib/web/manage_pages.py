"""Organiser pages: a unit's events, creating and editing them (the registration form editor is in
chalicelib.web.manage_form_pages, the registrations in chalicelib.web.manage_registration_pages; the helpers
those pages share are in chalicelib.web.manage_common).

Form posts are validated with the JSON API's own models (chalicelib.api.event_schemas) and carried out by the same
services (chalicelib.services.events and .registration); what a page shows comes from chalicelib.services.manage_views,
which the API's organiser routes use too. A unit admin sees and changes only the events of the units they administer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import NamedTuple, get_args
from urllib.parse import quote

from annotated_types import MaxLen
from pydantic.fields import FieldInfo

from chalicelib.api.event_schemas import EventChanges, EventFields, FormText, NewEvent, StatusChange
from chalicelib.domain.access import Access, Principal, can_manage_event, require
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.event_rules import displayed_status, status_choices
from chalicelib.domain.language import localized
from chalicelib.domain.records import (
    COMPETITION_FORMATS,
    SCHOOL_UNIT_ID,
    Allocation,
    Audience,
    EntryType,
    Event,
    EventFormat,
    EventKind,
    EventSession,
    Gender,
    PairGender,
    ReminderPlan,
    TeamRule,
    Unit,
)
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.i18n import translate
from chalicelib.services import events as event_service
from chalicelib.services import manage_views, organisation_views
from chalicelib.storage import Store, get_store
from chalicelib.web.forms import first_value, read_form_lists, redirect, validated
from chalicelib.web.manage_common import (
    MAX_FORM_FIELDS,
    done_message,
    error_message,
    event_title,
    local_input,
    local_text,
    number_text,
    problem_messages,
    refusals,
    shorten,
)
from chalicelib.web.manage_labels import CONFIRMATION, LABELS
from chalicelib.web.render import Pages

routes = Pages(__name__)


class TextInput(NamedTuple):
    """One input of the event form for a text field of EventFields marked with FormText."""

    name: str
    label: str  # message id
    hint: str | None  # message id
    rows: int  # 0: one line
    attrs: str  # the input's maxlength and required, from the field's constraints
    required: bool  # a new event must have it
    nullable: bool  # may be cleared (left empty: null); otherwise sent as typed


def _max_length(field: FieldInfo) -> int | None:
    """The longest text ``field`` takes: its own constraint, or that of the text type it makes optional."""
    constraints = list(field.metadata)
    for member in get_args(field.annotation):  # Title | None
        for meta in getattr(member, "__metadata__", ()):
            constraints.extend(getattr(meta, "metadata", ()))
    return next((c.max_length for c in constraints if isinstance(c, MaxLen)), None)


def _text_input(name: str, field: FieldInfo, marker: FormText) -> TextInput:
    required = NewEvent.model_fields[name].is_required()
    longest = _max_length(field)
    attrs = " ".join([*([f'maxlength="{longest}"'] if longest else []), *(["required"] if required else [])])
    nullable = type(None) in get_args(field.annotation)
    return TextInput(name, marker.label, marker.hint, marker.rows, attrs, required, nullable)


# The plain text fields, drawn from the API's model: a field marked there is shown, read and sent by this page.
TEXT_INPUTS = tuple(
    _text_input(name, field, marker)
    for name, field in EventFields.model_fields.items()
    for marker in field.metadata
    if isinstance(marker, FormText)
)
_TEXT_FIELDS = tuple(text.name for text in TEXT_INPUTS if not text.rows)
_LONG_FIELDS = tuple(text.name for text in TEXT_INPUTS if text.rows)
_TIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at", "cancel_deadline")
_AGE_FIELDS = ("audience_min_age", "audience_max_age")
_REQUIRED_FIELDS = ("kind", "format", "title_zh", "starts_at", "ends_at")
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

_SESSION_LINE = re.compile(
    r"(?P<day>\d{4}[-/.]\d{1,2}[-/.]\d{1,2})\s+(?P<start>\d{1,2}:\d{2})\s*[-~–—至到]\s*(?P<end>\d{1,2}:\d{2})"
    r"(?:\s+(?P<rest>.*))?"
)


# ---- helpers ------------------------------------------------------------------------------------------------------


# ---- the events of a unit -----------------------------------------------------------------------------------------


@routes.route("/admin/events", access=Access.UNIT_ADMIN)
def event_list(principal: Principal):
    language = routes.language()
    store = get_store()
    chosen = routes.query("unit")
    view = manage_views.event_list_view(store, principal, chosen)
    names = organisation_views.unit_names(store, language)
    at = now()
    rows = [
        {
            "event": event,
            "title": event_title(event, language),
            "status": displayed_status(event, at).value,
            "owner": names.get(event.owner_unit_id, event.owner_unit_id),
        }
        for event in view.events
    ]
    return routes.show(
        "manage_events.html",
        principal,
        rows=rows,
        choices=view.choices,
        chosen=chosen or (SCHOOL_UNIT_ID if principal.union_admin else ""),
        several_units=len(view.shown_units) > 1,
        labels=LABELS,
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
        reminders=ReminderPlan.DAY_BEFORE.value,
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
        entry_group_limit=number_text(event.entry_group_limit) if event is not None else "",
        lottery_priority_years=number_text(event.lottery_priority_years) if event is not None else "",
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
        reminders=event.reminders.value,
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
        reminders=first_value(fields, "reminders"),
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
    data: dict = {name: values[name] for name in ("kind", "format") if values[name]}
    data.update(_text_data(values))
    data["capacity"] = values["capacity"] or None
    _time_data(values, before, data)
    data["waiting_list"] = values["waiting_list"]
    if values["reminders"]:  # a form from before the choice existed leaves it as it is
        data["reminders"] = values["reminders"]
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


def _text_data(values: dict) -> dict:
    """The text fields: one left empty is null if it may be cleared, left out if required, else sent as typed."""
    data = {}
    for text in TEXT_INPUTS:
        value = values[text.name]
        if text.nullable:
            data[text.name] = value or None
        elif value or not text.required:
            data[text.name] = value
    return data


def _kept_time(text: str, kept: datetime | None) -> datetime | str:
    """The input shows minutes: an untouched time keeps its stored seconds rather than "moving" the event."""
    return kept if kept is not None and local_input(kept) == text else text


def _time_data(values: dict, before: Event | None, data: dict) -> None:
    for name in _TIME_FIELDS:
        text = values[name]
        if text:
            data[name] = _kept_time(text, getattr(before, name) if before is not None else None)
        elif name not in _REQUIRED_FIELDS:
            data[name] = None  # emptied: no such limit


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
        data["team_rule"] = _team_rule_data(values, before)
    data["entry_group"] = values["entry_group"] or None
    data["entry_group_limit"] = values["entry_group_limit"] or None
    lottery = allocation == Allocation.LOTTERY.value
    data["lottery_priority_years"] = (values["lottery_priority_years"] or None) if lottery else None


def _team_rule_data(values: dict, before: Event | None) -> dict:
    rule = {name: values[f"team_{name}"] for name in _TEAM_NUMBERS if values[f"team_{name}"]}
    deadline = values["team_roster_deadline"]
    kept = before.team_rule.roster_deadline if before is not None else None
    rule["roster_deadline"] = _kept_time(deadline, kept) or None
    return rule


def _parse_sessions(text: str, language: str) -> tuple[list[dict], list[int], str | None]:
    """Sessions typed one a line, ``YYYY-MM-DD HH:MM-HH:MM venue [places]``: SessionIn dicts, their line numbers,
    and the problem with the first line that could not be read."""
    sessions, lines = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = unicodedata.normalize("NFKC", raw).strip()
        if not line:
            continue
        bad = translate("manage.sessions.bad_line", language, line=number, text=shorten(line))
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
        location = [str(part) for part in raw.get("loc", ()) if part != "body"]
        name = _problem_field(str(raw.get("type", "")), location)
        if name == "sessions" and len(location) > 1 and location[1].isdigit() and int(location[1]) < len(session_lines):
            line = session_lines[int(location[1])]
            message = translate("manage.sessions.line", language, line=line) + message
        problems.setdefault(name, message)
    return problems


def _problem_field(kind: str, location: list[str]) -> str:
    """The form field a problem of the models or the service is shown against."""
    if kind in _SCHEDULE_FIELDS:
        return _SCHEDULE_FIELDS[kind]
    if location[:1] == ["audience"]:
        part = location[1] if len(location) > 1 else "scope"
        return "audience_units" if part == "unit_ids" else f"audience_{part}"
    if location[:1] in (["team_rule"], ["pair_rule"]):
        prefix = "team_" if location[0] == "team_rule" else "pair_"
        return prefix + location[1] if len(location) > 1 else f"{prefix}rule"
    return location[0] if location else "form"


def _event_form(
    principal: Principal,
    store: Store,
    event: Event | None,
    values: dict,
    status: int = 200,
    **context,
):
    language = routes.language()
    view = manage_views.event_form_view(store, principal, event)
    units = view.units
    context = {"errors": {}, "message": None, "confirmations": [], "refusals": [], **context}
    return routes.show(
        "manage_event.html",
        principal,
        status,
        event=event,
        **_event_heading(event, language),
        values=values,
        owner_choices=view.owner_choices,
        units=[unit for unit in units if unit.unit_id != SCHOOL_UNIT_ID],
        unit_names={unit.unit_id: localized(unit, "name", language) for unit in units},
        kinds=[kind.value for kind in EventKind],
        formats=[fmt.value for fmt in EventFormat],
        competition_formats=[fmt.value for fmt in EventFormat if fmt in COMPETITION_FORMATS],
        scopes=[scope.value for scope in Audience],
        genders=[gender.value for gender in Gender],
        allocations=[allocation.value for allocation in Allocation],
        entry_types=[entry_type.value for entry_type in EntryType],
        pair_genders=[pair_gender.value for pair_gender in PairGender],
        reminder_plans=list(LABELS.reminders),
        sessions=[_session_row(s) for s in view.sessions],
        text_inputs=TEXT_INPUTS,
        done=done_message(routes.query("done")),
        labels=LABELS,
        **context,
    )


def _event_heading(event: Event | None, language: str) -> dict:
    """The title, shown status and next statuses of the event edited (none for a new one)."""
    if event is None:
        return {"title": None, "shown_status": None, "next_statuses": []}
    return {
        "title": event_title(event, language),
        "shown_status": displayed_status(event, now()).value,
        "next_statuses": [target.value for target in status_choices(event, now())],
    }


def _session_row(s: EventSession) -> dict:
    return {
        "session_id": s.session_id,
        "time": f"{local_text(s.starts_at)}–{s.ends_at.astimezone(CHINA_TZ):%H:%M}",
        "venue": s.venue or "",
        "capacity": s.capacity,
        "confirmed": s.confirmed_count,
        "waiting": s.waiting_count,
    }


@routes.route("/admin/events/new", methods=("GET", "POST"), access=Access.UNIT_ADMIN)
def event_new(principal: Principal):
    request = routes.current_request
    store = get_store()
    choices = manage_views.owner_choices(store, principal)
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


@routes.route("/admin/events/{event_id}", access=Access.UNIT_ADMIN)
def event_hub(principal: Principal, event_id: str):
    """The event's own address goes to its hub, the edit page (which links to everything else about the event)."""
    return redirect(f"/admin/events/{quote(event_id)}/edit")


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
        confirmations = [translate(CONFIRMATION.get(code, code), language) for code in details.get("confirmations", ())]
        message = error_message(error, language)
        context = {"message": message, "confirmations": confirmations, "refusals": refusals(error, before, language)}
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
