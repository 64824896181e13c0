"""Organiser pages of check-in: an event's check-in settings, points and staff; the venue display whose QR code
changes every 30 seconds; and the attendance page.

As chalicelib.api.checkin does, form posts are validated with the API's models (chalicelib.api.checkin_schemas)
and carried out by chalicelib.services.checkin, which decides who may do what: a page never allows more than the
API. Problems are shown next to the field that caused them.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from chalice import Response

from chalicelib.api.checkin_schemas import CheckinSettingsIn, StaffIn
from chalicelib.api.checkin_shaping import point_name, staff_out
from chalicelib.domain.access import Access, Principal, can_manage_event
from chalicelib.domain.calendar import now
from chalicelib.domain.checkin import (
    ENTRY_POINT,
    VENUE_PATH,
    CheckinPoint,
    CompletionRule,
    completion_rule,
    no_shows,
    unit_attendance,
)
from chalicelib.domain.records import CheckinConflict, CheckinSettings, ConflictKind, Event
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.http.media import SVG_TYPE
from chalicelib.i18n import N_, translate
from chalicelib.services import checkin as checkin_service
from chalicelib.services import checkin_views
from chalicelib.services.organisation_views import unit_names
from chalicelib.settings import get_settings
from chalicelib.storage import Store, get_store
from chalicelib.web import checkin_labels
from chalicelib.web.forms import first_value, read_form_lists, redirect, validated
from chalicelib.web.links import undo_path
from chalicelib.web.manage_common import (
    MAX_FORM_FIELDS,
    error_message,
    event_title,
    local_text,
    problem_messages,
    state_labels,
)
from chalicelib.web.render import Pages

routes = Pages(__name__)

# As many checkpoint rows as the API takes, so the form never offers a row it would refuse.
MAX_CHECKPOINTS = next(
    rule.max_length for rule in CheckinSettingsIn.model_fields["checkpoints"].metadata if hasattr(rule, "max_length")
)
_BLANK_CHECKPOINT_ROWS = 2
_SETTING_FIELDS = (
    "completion_percent",
    "self_opens_minutes",
    "self_closes_minutes",
    "venue_code_seconds",
    "venue_lat",
    "venue_lng",
    "venue_radius_m",
)
_SETTING_SWITCHES = ("self_checkin", "location_check", "live_tickets")
_DONE = {
    "settings": N_("checkin.manage.done.settings"),
    "staff_added": N_("checkin.manage.done.staff_added"),
    "staff_removed": N_("checkin.manage.done.staff_removed"),
}


# ---- helpers ------------------------------------------------------------------------------------------------------


def _checkin_path(event_id: str, tail: str = "") -> str:
    return f"/admin/events/{quote(event_id)}/checkin{tail}"


def _point_rows(event: Event, points: list[CheckinPoint], language: str) -> list[dict]:
    """Each point with its name, time and the links staff use there."""
    event_id = quote(event.event_id)
    return [
        {
            "point": point.point_id,
            "name": point_name(point, language),
            "starts_at": local_text(point.starts_at),
            "ends_at": local_text(point.ends_at),
            "station": f"/events/{event_id}/checkin?" + urlencode({"point": point.point_id}),
            "venue": _checkin_path(event.event_id, "/venue?" + urlencode({"point": point.point_id})),
        }
        for point in points
    ]


def _point_kind(points: list[CheckinPoint]) -> str:
    """How the event takes attendance: per session, per checkpoint, or once at the entry."""
    if points and points[0].session:
        return "sessions"
    return "entry" if [point.point_id for point in points] == [ENTRY_POINT] else "checkpoints"


# ---- the check-in page: settings, points, staff ------------------------------------------------------------------


def _settings_values(settings: CheckinSettings) -> dict:
    return {
        "checkpoints": [
            {"point": c.point_id, "name_zh": c.name_zh, "name_en": c.name_en or ""} for c in settings.checkpoints
        ],
        **{name: getattr(settings, name) for name in _SETTING_SWITCHES},
        **{name: "" if getattr(settings, name) is None else str(getattr(settings, name)) for name in _SETTING_FIELDS},
    }


def _posted_settings(fields: dict[str, list[str]]) -> dict:
    """The settings form as posted; checkpoint rows left wholly blank are dropped (the form always offers some)."""
    columns = [fields.get(name, []) for name in ("cp_point", "cp_name_zh", "cp_name_en")]
    rows = []
    for index in range(max(len(column) for column in columns)):
        point, name_zh, name_en = (column[index].strip() if index < len(column) else "" for column in columns)
        if point or name_zh or name_en:
            rows.append({"point": point, "name_zh": name_zh, "name_en": name_en})
    return {
        "checkpoints": rows,
        **{name: bool(first_value(fields, name)) for name in _SETTING_SWITCHES},
        **{name: first_value(fields, name) for name in _SETTING_FIELDS},
    }


def _settings_data(values: dict) -> dict:
    data: dict = {
        "checkpoints": [
            {"point": row["point"], "name_zh": row["name_zh"], "name_en": row["name_en"] or None}
            for row in values["checkpoints"]
        ],
        **{name: values[name] for name in _SETTING_SWITCHES},
    }
    # A blank number keeps the model's default, as the API does when the field is left out; full-width digits (typed
    # with a Chinese input method) are read as digits.
    data.update({name: unicodedata.normalize("NFKC", values[name]) for name in _SETTING_FIELDS if values[name]})
    return data


def _settings_problems(error: InvalidInput, language: str) -> dict[str, str]:
    """Problems by field: ``checkpoint_<n>`` for the n-th checkpoint row, else the field's own name."""
    problems: dict[str, str] = {}
    for raw, message in problem_messages(error, language):
        location = [part for part in raw.get("loc", ()) if part != "body"]
        if location[:1] == ["checkpoints"] and len(location) > 1:
            if location[2:] == ["point"] and raw.get("type") == "string_pattern_mismatch":
                message = translate("field.checkpoint_id", language)  # the API's words name no allowed characters
            problems.setdefault(f"checkpoint_{location[1]}", message)
        else:
            problems.setdefault(str(location[0]) if location else "settings", message)
    return problems


def _checkin_page(
    principal: Principal,
    store: Store,
    event_id: str,
    status: int = 200,
    *,
    values: dict | None = None,
    errors: dict[str, str] | None = None,
    staff_form: dict | None = None,
    staff_errors: dict[str, str] | None = None,
    message: str | None = None,
) -> Response:
    language = routes.language()
    event, roles = checkin_service.staff_of(store, principal, event_id)
    points = checkin_service.station(store, principal, event_id).points
    names = unit_names(store, language)
    values = values or _settings_values(event.checkin)
    rows = list(values["checkpoints"])
    rows += [{"point": "", "name_zh": "", "name_en": ""}] * max(
        min(_BLANK_CHECKPOINT_ROWS, MAX_CHECKPOINTS - len(rows)), 0
    )
    point_names = {point.point_id: point_name(point, language) for point in points}
    staff = []
    for role in roles:
        shown = staff_out(role, names)
        staff.append({"role": shown, "points": [point_names.get(point, point) for point in shown.points]})
    done = _DONE.get(routes.query("done") or "")
    return routes.show_event(
        "checkin_manage.html",
        principal,
        event,
        status,
        points=_point_rows(event, points, language),
        point_kind=_point_kind(points),
        labels=checkin_labels,
        values=values,
        checkpoint_rows=rows,
        max_checkpoints=MAX_CHECKPOINTS,
        errors=errors or {},
        staff=staff,
        staff_form=staff_form or {"staff_no": "", "points": []},
        staff_errors=staff_errors or {},
        message=message,
        done=done,
    )


@routes.route("/admin/events/{event_id}/checkin", access=Access.UNIT_ADMIN)
def checkin_page(principal: Principal, event_id: str):
    """The event's check-in points, settings and staff, with links to the stations, venue screens and attendance."""
    return _checkin_page(principal, get_store(), event_id)


@routes.route("/admin/events/{event_id}/checkin/settings", methods=("POST",), access=Access.UNIT_ADMIN)
def checkin_settings(principal: Principal, event_id: str):
    """Save checkpoints, the completion threshold and venue self check-in."""
    fields = read_form_lists(routes.current_request, MAX_FORM_FIELDS)
    store = get_store()
    language = routes.language()
    values = _posted_settings(fields)
    try:
        body = validated(CheckinSettingsIn, _settings_data(values))
        checkin_service.set_settings(store, principal, event_id, body.settings(), now())
    except InvalidInput as error:
        problems = _settings_problems(error, language)
        return _checkin_page(principal, store, event_id, 400, values=values, errors=problems)
    except Conflict as error:
        message = error_message(error, language)
        return _checkin_page(principal, store, event_id, error.status, values=values, message=message)
    return redirect(_checkin_path(event_id, "?done=settings"))


@routes.route("/admin/events/{event_id}/checkin/staff", methods=("POST",), access=Access.UNIT_ADMIN)
def checkin_staff_add(principal: Principal, event_id: str):
    """Name a member check-in staff by 工号, for every point or the ticked ones."""
    fields = read_form_lists(routes.current_request, MAX_FORM_FIELDS)
    store = get_store()
    language = routes.language()
    form = {"staff_no": first_value(fields, "staff_no"), "points": [p for p in fields.get("points", []) if p]}
    try:
        body = validated(StaffIn, form)
        checkin_service.name_staff(store, principal, event_id, body.staff_no, body.points, now())
    except InvalidInput as error:
        problems: dict[str, str] = {}
        for raw, problem in problem_messages(error, language):
            location = [part for part in raw.get("loc", ()) if part != "body"]
            problems.setdefault("points" if location[:1] == ["points"] else "staff_no", problem)
        return _checkin_page(principal, store, event_id, 400, staff_form=form, staff_errors=problems)
    return redirect(_checkin_path(event_id, "?done=staff_added"))


@routes.route("/admin/events/{event_id}/checkin/staff/remove", methods=("POST",), access=Access.UNIT_ADMIN)
def checkin_staff_remove(principal: Principal, event_id: str):
    fields = read_form_lists(routes.current_request, MAX_FORM_FIELDS)
    store = get_store()
    try:
        checkin_service.remove_staff(store, principal, event_id, first_value(fields, "staff_no"))
    except NotFound:
        message = translate("checkin.manage.staff.not_staff", routes.language())
        return _checkin_page(principal, store, event_id, 404, message=message)
    return redirect(_checkin_path(event_id, "?done=staff_removed"))


# ---- the venue display --------------------------------------------------------------------------------------------


def _venue_svg(
    event_id: str, point_id: str, principal: Principal, at: datetime
) -> tuple[checkin_service.VenueDisplay, str]:
    """The code to show at ``at`` (the service checks who may show it) and its QR code as inline SVG."""
    from chalicelib.http.qr import absolute_url, qr_svg  # qrcode loads only here

    key = checkin_service.venue_key(get_settings().session_key)
    shown = checkin_service.venue_display(get_store(), principal, event_id, point_id, key, at)
    return shown, qr_svg(absolute_url(routes.current_request, f"{VENUE_PATH}{shown.code}"))


@routes.route("/admin/events/{event_id}/checkin/venue", access=Access.MEMBER)
def venue(principal: Principal, event_id: str):
    """A full-screen QR code members scan to check themselves in; it changes every 30 seconds (organisers and the
    point's check-in staff)."""
    language = routes.language()
    found = checkin_service.station(get_store(), principal, event_id)
    point_id = routes.query("point") or found.allowed[0]
    others = [
        {"name": point_name(p, language), "href": _checkin_path(event_id, "/venue?" + urlencode({"point": p.point_id}))}
        for p in found.points
        if p.point_id in found.allowed and p.point_id != point_id
    ]
    context: dict[str, Any] = {"event": found.event, "title": event_title(found.event, language), "others": others}
    organiser = can_manage_event(principal, found.event.owner_unit_id)
    at = now()
    try:
        shown, svg = _venue_svg(event_id, point_id, principal, at)
    except Conflict as error:
        message = translate(error.code, language)
        return routes.show("checkin_venue.html", principal, error.status, off=message, organiser=organiser, **context)
    query = urlencode({"point": point_id})
    return routes.show(
        "checkin_venue.html",
        principal,
        off=None,
        organiser=organiser,
        point=point_name(shown.point, language),
        svg=svg,
        expires_at=shown.expires_at.isoformat(),
        seconds_left=math.ceil((shown.expires_at - at).total_seconds()),
        server_now=int(at.timestamp() * 1000),
        code_url=f"/api/events/{quote(event_id)}/checkin/venue-code?{query}",
        svg_url=_checkin_path(event_id, f"/venue.svg?{query}"),
        **context,
    )


@routes.route("/admin/events/{event_id}/checkin/venue.svg", access=Access.MEMBER)
def venue_svg(principal: Principal, event_id: str):
    """The venue code of this moment as SVG, fetched by the venue display each time its code expires."""
    _, svg = _venue_svg(event_id, routes.query("point") or "", principal, now())
    return Response(body=svg, headers={"Content-Type": SVG_TYPE, "Cache-Control": "no-store"})


# ---- attendance ---------------------------------------------------------------------------------------------------


def _conflict_note(conflict: CheckinConflict, labels: dict[str, str], people: dict[str, str], language: str) -> str:
    """The conflict's details in words: the first check-in of a double admission, or the state of an ended
    registration."""
    details = conflict.details or {}
    if conflict.kind == ConflictKind.DOUBLE_ADMIT and details.get("first_at"):
        first = datetime.fromisoformat(details["first_at"])
        return translate(
            "checkin.manage.conflict.first",
            language,
            at=local_text(first),
            by=people.get(details.get("first_by") or "", details.get("first_by") or ""),
            station=details.get("first_station") or "—",
        )
    if conflict.kind == ConflictKind.NOT_ADMITTED and details.get("state"):
        state = labels.get(details["state"], details["state"])
        return translate("checkin.manage.conflict.state", language, state=state)
    return ""


@routes.route("/admin/events/{event_id}/attendance", access=Access.UNIT_ADMIN)
def attendance(principal: Principal, event_id: str):
    """Who came, where, when and by whom; no-shows; per unit; and, for the organisers, conflicts to look at. A unit
    admin of another unit sees their own units' members only (the service narrows the report)."""
    language = routes.language()
    store = get_store()
    report = checkin_service.attendance(store, principal, event_id)
    event = report.event
    organiser = can_manage_event(principal, event.owner_unit_id)
    names = unit_names(store, language)
    points = _point_rows(event, report.points, language)
    point_names = {row["point"]: row["name"] for row in points}
    by_names = checkin_views.checked_in_by(store, report.check_ins, report.conflicts)
    arrived = Counter(c.point_id for c in report.check_ins)
    totals = [
        {
            **point,
            "checked_in": arrived[point["point"]],
            "expected": sum(point["point"] in line.expected for line in report.lines),
            "no_shows": [
                {"name": line.name, "staff_no": line.staff_no, "unit": names.get(line.unit_id, line.unit_id)}
                for line in no_shows(report.lines, point["point"])
            ],
        }
        for point in points
    ]
    members = [
        {
            "line": line,
            "unit": names.get(line.unit_id, line.unit_id),
            "marks": [
                "" if p["point"] not in line.expected else ("yes" if p["point"] in line.attended else "no")
                for p in points
            ],
        }
        for line in report.lines
    ]
    check_ins = [
        {
            "check_in": c,
            "at": local_text(c.at),
            "unit": names.get(c.unit_id, c.unit_id),
            "point": point_names.get(c.point_id, c.point_id),
            "by": by_names.get(c.by, c.by),
            "undo": undo_path(event_id, c.point_id, c.staff_no),
        }
        for c in sorted(report.check_ins, key=lambda c: c.at, reverse=True)
    ]
    labels = state_labels(language, event.allocation)
    conflicts = [
        {
            "conflict": c,
            "at": local_text(c.at),
            "point": point_names.get(c.point_id, c.point_id),
            "by": by_names.get(c.by, c.by),
            "note": _conflict_note(c, labels, by_names, language),
        }
        for c in sorted(report.conflicts, key=lambda c: c.at)
    ]
    rule = completion_rule(report.points)
    export = f"/api/events/{quote(event_id)}/attendance/export"
    return routes.show_event(
        "checkin_attendance.html",
        principal,
        event,
        organiser=organiser,
        points=totals,
        members=members,
        units=[{"unit": names.get(u.unit_id, u.unit_id), "tally": u} for u in unit_attendance(report.lines)],
        check_ins=check_ins,
        conflicts=conflicts,
        labels=checkin_labels,
        completion=translate(
            "checkin.manage.completion.share" if rule is CompletionRule.SHARE else "checkin.manage.completion.all",
            language,
            percent=event.checkin.completion_percent,
        ),
        export_xlsx=f"{export}?format=xlsx",
        export_csv=f"{export}?format=csv",
        checkin_page=_checkin_path(event_id),
    )
