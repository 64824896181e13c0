"""Removing a mistaken check-in (撤销签到): the point's check-ins, newest first, each with 撤销; a confirm step
asking why; the removal.

Linked from the scanning station (check-in staff and organisers) and from each line of the attendance page's log
(organisers). chalicelib.services.checkin.undo_check_in decides who may (as for scanning) and until when; the
form is validated with the API's model (chalicelib.api.checkin_schemas.UndoIn), so the page allows no more than
``POST /api/events/{event_id}/checkin/undo``. No script: the confirm step is a page with a small form.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from chalice import Response

from chalicelib.api.checkin_schemas import UndoIn
from chalicelib.api.checkin_shaping import point_name
from chalicelib.domain.access import Access, Principal, can_manage_event
from chalicelib.domain.calendar import now
from chalicelib.domain.checkin import UNDO_REASON_MAX
from chalicelib.domain.records import CheckIn, normalise_staff_no
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.i18n import translate
from chalicelib.services import checkin as checkin_service
from chalicelib.services import checkin_views
from chalicelib.services.organisation_views import unit_names
from chalicelib.storage import get_store
from chalicelib.web import checkin_labels
from chalicelib.web.forms import first_value, read_form_lists, redirect, validated
from chalicelib.web.links import undo_path
from chalicelib.web.manage_common import MAX_FORM_FIELDS, error_message, local_text, problem_messages
from chalicelib.web.render import Pages

routes = Pages(__name__)


def _rows(event_id: str, point: str, check_ins: list[CheckIn], names: dict[str, str], by_names: dict[str, str]):
    return [
        {
            "check_in": c,
            "at": local_text(c.at),
            "unit": names.get(c.unit_id, c.unit_id),
            "by": by_names.get(c.by, c.by),
            "href": undo_path(event_id, point, c.staff_no),
        }
        for c in check_ins
    ]


def _others(event_id: str, point: str, allowed: list[str], names: dict[str, str]) -> list[dict[str, str]]:
    """The principal's other points, to switch to."""
    return [{"name": names[other], "href": undo_path(event_id, other)} for other in allowed if other != point]


def _undo_page(
    principal: Principal,
    event_id: str,
    point_id: str | None,
    staff_no: str | None,
    status: int = 200,
    *,
    reason: str = "",
    errors: dict[str, str] | None = None,
    message: str | None = None,
) -> Response:
    store = get_store()
    language = routes.language()
    found = checkin_service.station(store, principal, event_id)
    point = point_id if point_id in found.allowed else checkin_service.opening_point(found, now())
    _, check_ins = checkin_service.point_check_ins(store, principal, event_id, point)
    by_names = checkin_views.checked_in_by(store, check_ins, [])
    rows = _rows(event_id, point, check_ins, unit_names(store, language), by_names)
    chosen = next((row for row in rows if staff_no and row["check_in"].staff_no == normalise_staff_no(staff_no)), None)
    if staff_no and chosen is None and message is None:  # a stale link: removed meanwhile, or never checked in
        message, status = translate("not_checked_in", language), 404
    lang_query = {"point": point} | ({"staff_no": chosen["check_in"].staff_no} if chosen else {})
    points = {p.point_id: point_name(p, language) for p in found.points}
    done = routes.query("done")
    attendance = f"/admin/events/{quote(event_id)}/attendance"
    return routes.show_event(
        "checkin_undo.html",
        principal,
        found.event,
        status,
        point=point,
        point_name=points.get(point, point),
        others=_others(event_id, point, found.allowed, points),
        rows=rows,
        chosen=chosen,
        reason=reason,
        reason_max=UNDO_REASON_MAX,
        errors=errors or {},
        message=message,
        done=None if chosen or not done else translate("checkin.undo.done", language, staff_no=done),
        labels=checkin_labels,
        station=f"/events/{quote(event_id)}/checkin?" + urlencode({"point": point}),
        attendance=attendance if can_manage_event(principal, found.event.owner_unit_id) else None,
        lang_query=urlencode(lang_query),
    )


def _form_problems(error: InvalidInput, language: str) -> tuple[dict[str, str], str | None]:
    """The reason's problem next to it; any other (a tampered point or 工号) above the form."""
    errors: dict[str, str] = {}
    others: list[str] = []
    for raw, problem in problem_messages(error, language):
        if "reason" in raw.get("loc", ()):
            errors.setdefault("reason", problem)
        else:
            others.append(problem)
    return errors, "；".join(others) or None


@routes.route("/events/{event_id}/checkin/undo", access=Access.MEMBER)
def undo_page(principal: Principal, event_id: str):
    """The point's check-ins with 撤销 (the event's organisers and the point's check-in staff; anyone else 403);
    ``?staff_no=`` asks to confirm one and why."""
    return _undo_page(principal, event_id, routes.query("point"), routes.query("staff_no"))


@routes.route("/events/{event_id}/checkin/undo", methods=("POST",), access=Access.MEMBER)
def undo(principal: Principal, event_id: str):
    """Remove the check-in; back to the point's list saying so. Problems are shown on the confirm step."""
    fields = read_form_lists(routes.current_request, MAX_FORM_FIELDS)
    form = {name: first_value(fields, name) for name in ("point", "staff_no", "reason")}
    language = routes.language()
    try:
        body = validated(UndoIn, form)
        checkin_service.undo_check_in(get_store(), principal, event_id, body.point, body.staff_no, body.reason, now())
    except InvalidInput as error:
        errors, message = _form_problems(error, language)
        return _undo_page(principal, event_id, form["point"], form["staff_no"], 400, reason=form["reason"],
                          errors=errors, message=message)  # fmt: skip
    except NotFound as error:
        if error.code != "not_checked_in":
            raise
        message = translate("not_checked_in", language)
        return _undo_page(principal, event_id, form["point"], None, 404, message=message)
    except Conflict as error:
        message = error_message(error, language)
        return _undo_page(principal, event_id, form["point"], form["staff_no"], error.status, reason=form["reason"],
                          message=message)  # fmt: skip
    return redirect(undo_path(event_id, body.point, done=body.staff_no))
