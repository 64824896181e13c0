"""Entries by event for a multi-event skill contest (issue 19 item 7, 报名（按项目）): a unit admin's one page listing
every category and event with the unit's cap and entrants, to enter members of the unit in an event (answering the
event's registration form for those not yet registered) and to withdraw them; the union's admins and the event's
organisers choose the unit. The rules are chalicelib.services.contests'."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import SERIES
from chalicelib.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.i18n import translate
from chalicelib.services import contests as service
from chalicelib.storage import get_store
from chalicelib.web.competition_common import item_name, refusal
from chalicelib.web.events.register_pages import (
    MAX_REGISTRATION_FIELDS,
    _answer_errors,
    _question_views,
    _raw_answers,
)
from chalicelib.web.forms import first_value, read_form_lists, redirect
from chalicelib.web.render import Pages

routes = Pages(__name__)


def entries_path(event_id: str, unit_id: str | None = None, **query: str) -> str:
    path = f"/admin/events/{quote(event_id, safe='')}/contest-entries"
    params = {**({"unit": unit_id} if unit_id else {}), **query}
    return f"{path}?{urlencode(params)}" if params else path


def _event_card(view: service.ContestEntries, contest: Any, language: str) -> dict[str, Any]:
    entrants = view.unit_entrants(contest)
    count = len(entrants)
    cap = contest.cap_per_unit
    return {
        "code": contest.code,
        "name": item_name(contest, language),
        "count": count,
        "cap": cap,
        "full": cap is not None and count >= cap,
        "open": view.is_open(contest),
        "total": len(contest.entries),
        "gender": contest.gender,
        "entrants": [(staff_no, view.names.get(staff_no, staff_no)) for staff_no in entrants],
    }


def _page(
    principal: Principal, view: service.ContestEntries, status: int = 200, *, chosen: str = "", member: str = "",
    values: dict[str, list[str]] | None = None, errors: dict[str, str] | None = None, message: str | None = None,
):  # fmt: skip
    language = routes.language()
    event = view.event
    categories = [
        {
            "code": category.code,
            "name": category.name_en if language == "en" and category.name_en else category.name_zh,
            "events": [_event_card(view, contest, language) for contest in category.events],
        }
        for category in view.categories
    ]
    units = [(unit.unit_id, item_name(unit, language)) for unit in view.units]
    unit_names = dict(units)
    questions = _question_views(event, [SERIES], SERIES, values or {}, errors or {}, {}, language)
    return routes.show_event(
        "contest_entries.html",
        principal,
        event,
        status,
        categories=categories,
        units=units,
        unit_id=view.unit_id,
        unit_name=unit_names.get(view.unit_id or "", ""),
        members=[(m.staff_no, f"{m.name}（{m.staff_no}）", m.staff_no in view.registered) for m in view.members],
        questions=questions,
        chosen=chosen or routes.query("event") or "",
        member=member,
        action=entries_path(event.event_id, view.unit_id),
        self_path=entries_path(event.event_id),
        done=routes.query("done"),
        message=message,
        back=f"/admin/events/{quote(event.event_id, safe='')}/edit" if view.manages_event else "/admin/entries",
        results=f"/events/{quote(event.event_id, safe='')}/competition",
    )


@routes.route("/admin/events/{event_id}/contest-entries", methods=("GET", "POST"), access=Access.UNIT_ADMIN)
def contest_entries(principal: Principal, event_id: str):
    """Every category and event with the unit's cap and entrants; a form to enter a member of the unit in an event
    (with the registration form's questions for a member not yet registered); a button to withdraw each entrant."""
    store = get_store()
    request = routes.current_request
    if request.method == "GET":
        return _page(principal, service.contest_entries(store, principal, event_id, routes.query("unit")))
    fields = read_form_lists(request, MAX_REGISTRATION_FIELDS)
    code, staff_no, unit_id = (first_value(fields, name) for name in ("contest", "staff_no", "unit"))
    language = routes.language()
    view = service.contest_entries(store, principal, event_id, unit_id or None)
    try:
        if first_value(fields, "do") == "withdraw":
            service.withdraw(store, principal, event_id, code, staff_no, now())
            return redirect(entries_path(event_id, view.unit_id, done="withdrawn"))
        if not staff_no:
            raise InvalidInput([{"type": "missing", "loc": ("staff_no",), "msg": "staff_no"}])
        service.enter(store, principal, event_id, code, staff_no, _raw_answers(view.event, fields), now())
    except InvalidInput as error:
        answers, general = _answer_errors(error, view.event, language)
        missing = any(tuple(p.get("loc") or ()) == ("staff_no",) for p in error.problems)
        message = translate("contest.entries.choose_member", language) if missing else " ".join(general) or None
        return _page(principal, view, 400, chosen=code, member=staff_no, values=fields, errors=answers,
                     message=message or translate("contest.entries.check", language))  # fmt: skip
    except (Conflict, NotFound, Forbidden) as error:
        if isinstance(error, Forbidden) and not error.code.startswith("contest."):
            raise
        status = 403 if isinstance(error, Forbidden) else error.status
        return _page(principal, view, status, chosen=code, member=staff_no, values=fields,
                     message=refusal(error, language))  # type: ignore[arg-type]  # fmt: skip
    return redirect(entries_path(event_id, view.unit_id, done="entered"))
