"""Organiser pages of allocation: approving and rejecting, the lottery draw, unit quotas, teams, and unit admins
entering their own members into events of other units.

As chalicelib.api.allocation does, form posts are validated with the API's models (chalicelib.api.event_schemas)
and carried out by the services, which decide who may do what (chalicelib.domain.access): a page never allows more
than the API. A refusal (the last place taken meanwhile, a unit's quota used up, a roster that breaks the team rule)
is shown on the page it came from, in words, next to what caused it. What a page shows comes from
chalicelib.services.allocation_views.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from chalicelib.api.event_schemas import QuotaPlanIn, RejectionIn, TeamChanges, TeamIn
from chalicelib.domain.access import Access, Principal, administers, can_manage_event
from chalicelib.domain.calendar import now
from chalicelib.domain.entries import may_change_roster, roster_deadline
from chalicelib.domain.event_rules import RegistrationPhase, registration_phase
from chalicelib.domain.records import (
    SERIES,
    Allocation,
    EntryType,
    Event,
    Member,
    RegistrationState,
    Team,
    TeamState,
    normalise_staff_no,
)
from chalicelib.errors import AppError, Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.i18n import N_, translate
from chalicelib.services import allocation_views as views
from chalicelib.services import event_views
from chalicelib.services import lottery as lottery_service
from chalicelib.services import quotas as quota_service
from chalicelib.services import registration as registration_service
from chalicelib.services import teams as team_service
from chalicelib.services.events import managed_event
from chalicelib.services.organisation_views import unit_names
from chalicelib.storage import Store, get_store
from chalicelib.web.forms import first_value, read_form_lists, redirect, validated
from chalicelib.web.links import entry_href
from chalicelib.web.manage_common import (
    MAX_FORM_FIELDS,
    error_message,
    event_title,
    local_input,
    local_text,
    problem_messages,
    state_labels,
)
from chalicelib.web.manage_labels import ENTRIES_PHASE, GENDER, LABELS
from chalicelib.web.manage_registration_pages import enter_member, registrations_page
from chalicelib.web.render import Pages, format_when

routes = Pages(__name__)

# 工号 in a roster: one a line, or separated by commas, semicolons, 、 or spaces.
_ROSTER_SEPARATORS = re.compile(r"[\s,;、]+")
_DONE = {
    "quotas": N_("alloc.manage.done.quotas"),
    "entered": N_("alloc.manage.done.entered"),
    "entered_waiting": N_("alloc.manage.done.entered_waiting"),
    "entered_pending": N_("alloc.manage.done.entered_pending"),
    "team_entered": N_("alloc.manage.done.team_entered"),
    "team_changed": N_("alloc.manage.done.team_changed"),
    "team_withdrawn": N_("alloc.manage.done.team_withdrawn"),
    "approved": N_("alloc.manage.done.approved"),
    "rejected": N_("alloc.manage.done.rejected"),
}


# ---- helpers ------------------------------------------------------------------------------------------------------


def _done() -> str | None:
    return _DONE.get(routes.query("done") or "")


def _refusal(error: AppError, language: str, names: dict[str, str] | None = None) -> str:
    """A service's refusal in words; unit ids in its parameters are shown as unit names."""
    if isinstance(error, Forbidden) and error.code == "forbidden":
        return translate("alloc.manage.not_yours", language)
    if error.code == "quota_below_use" and names is not None:
        return translate(error.code, language, unit=names.get(str(error.params.get("unit")), error.params.get("unit")))
    if isinstance(error, Conflict | NotFound):
        return error_message(error, language)
    return translate(error.code, language, **error.params)


# ---- approve, reject, draw ----------------------------------------------------------------------------------------


def _decision_refused(
    principal: Principal, store: Store, event_id: str, back: str, staff_no: str, status: int, message: str
):
    event = views.current_event(store, principal, event_id)
    if back == "enter" or not can_manage_event(principal, event.owner_unit_id):
        return _enter_page(principal, store, event, status, message=message, decide_errors={staff_no: message})
    return registrations_page(principal, store, event, status, message=message, decide_errors={staff_no: message})


def _decided(event_id: str, back: str, done: str):
    target = "enter" if back == "enter" else "registrations"
    return redirect(f"/admin/events/{quote(event_id)}/{target}?" + urlencode({"done": done}))


@routes.route("/admin/events/{event_id}/registrations/approve", methods=("POST",), access=Access.UNIT_ADMIN)
def registration_approve(principal: Principal, event_id: str):
    """Approve a pending registration (the organisers; with quotas, also the admins of the member's unit)."""
    fields = read_form_lists(routes.current_request, MAX_FORM_FIELDS)
    store = get_store()
    registration_service.visible_event(store, principal, event_id)
    staff_no, back = normalise_staff_no(first_value(fields, "staff_no")), first_value(fields, "back")
    try:
        registration_service.approve(store, principal, event_id, staff_no, now())
    except (Conflict, NotFound) as error:
        message = _refusal(error, routes.language())
        return _decision_refused(principal, store, event_id, back, staff_no, error.status, message)
    return _decided(event_id, back, "approved")


@routes.route("/admin/events/{event_id}/registrations/reject", methods=("POST",), access=Access.UNIT_ADMIN)
def registration_reject(principal: Principal, event_id: str):
    """Reject a pending registration with a reason the member is shown."""
    fields = read_form_lists(routes.current_request, MAX_FORM_FIELDS)
    store = get_store()
    registration_service.visible_event(store, principal, event_id)
    language = routes.language()
    staff_no, back = normalise_staff_no(first_value(fields, "staff_no")), first_value(fields, "back")
    try:
        body = validated(RejectionIn, {"reason": first_value(fields, "reason")})
    except InvalidInput:
        message = translate("alloc.manage.reject_reason_needed", language)
        return _decision_refused(principal, store, event_id, back, staff_no, 400, message)
    try:
        registration_service.reject(store, principal, event_id, staff_no, body.reason, now())
    except (Conflict, NotFound) as error:
        return _decision_refused(principal, store, event_id, back, staff_no, error.status, _refusal(error, language))
    return _decided(event_id, back, "rejected")


@routes.route("/admin/events/{event_id}/draw", methods=("POST",), access=Access.UNIT_ADMIN)
def draw(principal: Principal, event_id: str):
    """Run a lottery event's draw, once, after registration has closed (the form has no fields)."""
    store = get_store()
    event = managed_event(store, principal, event_id)
    try:
        lottery_service.draw(store, principal, event, now())
    except Conflict as error:
        fresh = views.reread_event(store, event)
        return registrations_page(principal, store, fresh, error.status, message=_refusal(error, routes.language()))
    return redirect(f"/admin/events/{quote(event_id)}/registrations?done=drawn")


# ---- quotas -------------------------------------------------------------------------------------------------------


def _number(text: str) -> int | None:
    folded = unicodedata.normalize("NFKC", text).strip()
    return int(folded) if folded.isdigit() else None


def _quota_page(
    principal: Principal,
    store: Store,
    event: Event,
    values: dict | None = None,
    status: int = 200,
    errors: dict[str, str] | None = None,
    message: str | None = None,
):
    language = routes.language()
    names = unit_names(store, language)
    view = views.quota_view(store, principal, event)
    organiser, places = view.organiser, view.places
    values = values or _stored_quota_values(event, places)
    rows = [
        {
            "unit": names.get(place.unit_id, place.unit_id),
            "quota": place.quota,
            "used": place.used,
            "left": None if place.quota is None else max(place.quota - place.used, 0),
        }
        for place in places
    ]
    typed = [_number(text) for text in values["fixed"].values()]
    return routes.show_event(
        "alloc_quotas.html",
        principal,
        event,
        status,
        organiser=organiser,
        settable=organiser and event.allocation is not Allocation.FIRST_COME,
        units=[(unit.unit_id, names.get(unit.unit_id, unit.unit_id)) for unit in view.units],
        values=values,
        total=sum(number for number in typed if number is not None),
        rows=rows,
        totals={name: sum(row[name] or 0 for row in rows) for name in ("quota", "used", "left")},
        released=event.quota_release_at is not None and now() >= event.quota_release_at,
        release_at=format_when(event.quota_release_at, language) if event.quota_release_at else None,
        errors=errors or {},
        message=message,
        done=_done(),
        labels=LABELS,
    )


def _stored_quota_values(event: Event, places: list) -> dict:
    """The quota form as the stored quotas fill it."""
    return {
        "mode": "fixed",
        "fixed": {place.unit_id: str(place.quota) for place in places if place.quota is not None},
        "minimum": "0",
        "units": [],
        "release_at": local_input(event.quota_release_at),
    }


def _quota_problems(error: InvalidInput, language: str) -> dict[str, str]:
    problems: dict[str, str] = {}
    for raw, message in problem_messages(error, language):
        location = [str(part) for part in raw.get("loc", ()) if part != "body"]
        if location[:1] == ["fixed"] and len(location) > 1:
            name = f"quota_{location[1]}"
        elif location[:1] == ["proportional"]:
            name = "units" if location[1:2] == ["unit_ids"] else "minimum"
        elif location[:1] == ["release_at"]:
            name = "release_at"
        else:
            name = "quotas"
        problems.setdefault(name, message)
    return problems


@routes.route("/admin/events/{event_id}/quotas", methods=("GET", "POST"), access=Access.UNIT_ADMIN)
def quotas(principal: Principal, event_id: str):
    """Each unit's quota and use (a unit admin: their own units'); the organisers share the places out here."""
    request = routes.current_request
    store = get_store()
    event = registration_service.visible_event(store, principal, event_id)
    if request.method == "GET":
        return _quota_page(principal, store, event)
    event = managed_event(store, principal, event_id)
    fields = read_form_lists(request, MAX_FORM_FIELDS)
    language = routes.language()
    values = _posted_quota_values(fields, views.sharing_units(store, event))
    data = _quota_data(event, values)
    try:
        body = validated(QuotaPlanIn, data)
        quota_service.set_quotas(store, principal, event, body.plan(), now())
    except InvalidInput as error:
        return _quota_page(principal, store, event, values, 400, errors=_quota_problems(error, language))
    except Conflict as error:
        message = _refusal(error, language, unit_names(store, language))
        return _quota_page(principal, store, event, values, error.status, message=message)
    return redirect(f"/admin/events/{quote(event_id)}/quotas?done=quotas")


def _posted_quota_values(fields: dict[str, list[str]], units: list) -> dict[str, Any]:
    return {
        "mode": "proportional" if first_value(fields, "mode") == "proportional" else "fixed",
        "fixed": {unit.unit_id: first_value(fields, f"quota_{unit.unit_id}") for unit in units},
        "minimum": first_value(fields, "minimum"),
        "units": [value.strip() for value in fields.get("units", []) if value.strip()],
        "release_at": first_value(fields, "release_at"),
    }


def _quota_data(event: Event, values: dict[str, Any]) -> dict:
    """The request body the API would take for the posted quota form."""
    data: dict = {"release_at": values["release_at"] or None}
    if event.quota_release_at is not None and local_input(event.quota_release_at) == values["release_at"]:
        data["release_at"] = event.quota_release_at  # untouched: keeps its stored seconds
    if values["mode"] == "fixed":
        data["fixed"] = {
            unit_id: unicodedata.normalize("NFKC", text) for unit_id, text in values["fixed"].items() if text
        }
    else:
        data["proportional"] = {
            "unit_ids": values["units"] or None,
            "minimum": unicodedata.normalize("NFKC", values["minimum"]) or 0,
        }
    return data


# ---- teams --------------------------------------------------------------------------------------------------------


def _roster_list(text: str) -> list[str]:
    return [part for part in _ROSTER_SEPARATORS.split(unicodedata.normalize("NFKC", text)) if part]


def _rule_lines(event: Event, language: str) -> list[str]:
    """The event's team rule in words."""
    rule = event.team_rule
    lines = [translate("alloc.manage.rule.size", language, min=rule.min_size, max=rule.max_size)]
    if rule.min_women:
        lines.append(translate("alloc.manage.rule.min_women", language, count=rule.min_women))
    if rule.min_men:
        lines.append(translate("alloc.manage.rule.min_men", language, count=rule.min_men))
    if rule.older_age is not None and rule.max_older is not None:
        lines.append(translate("alloc.manage.rule.older", language, age=rule.older_age, count=rule.max_older))
    if rule.min_age is not None:
        lines.append(translate("alloc.manage.rule.min_age", language, age=rule.min_age))
    lines.append(translate("alloc.manage.rule.per_unit", language, count=rule.teams_per_unit))
    lines.append(translate("alloc.manage.rule.deadline", language, at=format_when(roster_deadline(event), language)))
    return lines


def _player_line(index: int, staff_no: str, members: dict[str, Member], message: str, language: str) -> dict:
    member = members.get(staff_no)
    return {
        "label": translate("alloc.manage.teams.player", language, number=index + 1, staff_no=staff_no),
        "name": member.name if member else "",
        "message": message,
    }


def _team_problems(store: Store, error: AppError, roster: list[str], language: str) -> dict:
    """A refused team entry or change, for the page: problems per player (by their place in the roster typed),
    problems of other fields, and a message for the rest."""
    staff_nos = [normalise_staff_no(staff_no) for staff_no in roster]
    members = views.members_by_staff_no(store, staff_nos)
    if isinstance(error, InvalidInput):
        return _input_problems(error, staff_nos, members, language)
    taken = (error.details or {}).get("staff_nos", ()) if error.code == "member_already_entered" else ()
    text = translate("alloc.manage.teams.already_entered", language)
    players = [_player_line(staff_nos.index(s), s, members, text, language) for s in taken if s in staff_nos]
    return {"players": players, "fields": {}, "message": _refusal(error, language)}


def _input_problems(error: InvalidInput, staff_nos: list[str], members: dict[str, Member], language: str) -> dict:
    players: list[dict] = []
    fields: dict[str, str] = {}
    for raw, text in problem_messages(error, language):
        location = [str(part) for part in raw.get("loc", ()) if part != "body"]
        where = location[1] if location[:1] == ["roster"] and len(location) > 1 else ""
        if where.isdigit() and int(where) < len(staff_nos):
            players.append(_player_line(int(where), staff_nos[int(where)], members, text, language))
        else:
            fields.setdefault(location[0] if location else "form", text)
    broken = players or "roster" in fields
    message = translate("alloc.manage.teams.roster_problems", language) if broken else None
    message = message or (fields.pop("form", None) or translate("validation_failed", language))
    return {"players": players, "fields": fields, "message": message}


def _team_view(principal: Principal, event: Event, team: Team, members: dict[str, Member], at: datetime) -> dict:
    language = routes.language()
    entered = team.state is TeamState.ENTERED
    open_roster = entered and may_change_roster(event, at)
    admin = administers(principal, team.unit_id)
    captain = members.get(team.captain or "")
    return {
        "team": team,
        "players": [
            {
                "staff_no": staff_no,
                "name": members[staff_no].name if staff_no in members else "",
                "gender": translate(GENDER[members[staff_no].gender], language) if staff_no in members else "",
                "captain": staff_no == team.captain,
            }
            for staff_no in team.roster
        ],
        "captain": f"{captain.name}（{captain.staff_no}）" if captain else (team.captain or ""),
        "entered": entered,
        "may_change": open_roster and (admin or principal.staff_no == team.captain),
        "may_name_captain": open_roster and admin,
        "may_withdraw": open_roster and admin,
        "roster_text": "\n".join(team.roster),
        "updated_at": local_text(team.updated_at),
    }


def _teams_context(principal: Principal, event: Event, teams: list[Team], members: dict[str, Member]) -> list[dict]:
    at = now()
    return [_team_view(principal, event, team, members, at) for team in teams]


def _teams_page(principal: Principal, store: Store, event: Event, status: int = 200, **context):
    language = routes.language()
    names = unit_names(store, language)
    view = views.teams_view(store, principal, event)
    teams = sorted(
        view.teams, key=lambda team: (team.state is not TeamState.ENTERED, names.get(team.unit_id, ""), team.created_at)
    )
    at = now()
    context = {"enter_form": {}, "enter_errors": None, "team_errors": {}, "team_forms": {}, "message": None, **context}
    return routes.show_event(
        "alloc_teams.html",
        principal,
        event,
        status,
        organiser=can_manage_event(principal, event.owner_unit_id),
        rule_lines=_rule_lines(event, language),
        teams=_teams_context(principal, event, teams, view.members),
        # Each entered team's fixtures, once the competition is published (one read: fixtures_views).
        fixtures_event=event.event_id if event_views.fixtures_published(store, event) else None,
        unit_names=names,
        enter_units=[(unit.unit_id, names.get(unit.unit_id, unit.unit_id)) for unit in view.own_units],
        phase=registration_phase(event, at).value,
        roster_open=may_change_roster(event, at),
        done=_done(),
        labels=LABELS,
        **context,
    )


@routes.route("/admin/events/{event_id}/teams", methods=("GET", "POST"), access=Access.UNIT_ADMIN)
def teams(principal: Principal, event_id: str):
    """Every team for the organisers; a unit admin's own units' teams, and entering a team for one of them."""
    request = routes.current_request
    store = get_store()
    event = registration_service.visible_event(store, principal, event_id)
    if request.method == "GET":
        return _teams_page(principal, store, event)
    fields = read_form_lists(request, MAX_FORM_FIELDS)
    language = routes.language()
    form = {name: first_value(fields, name) for name in ("unit_id", "name", "captain")}
    form["roster"] = (fields.get("roster") or [""])[0]
    roster = _roster_list(form["roster"])
    data = {"unit_id": form["unit_id"], "name": form["name"], "roster": roster, "captain": form["captain"] or None}
    try:
        body = validated(TeamIn, data)
        team_service.enter_team(store, principal, event, body.unit_id, body.name, body.roster, body.captain, now())
    except (InvalidInput, Conflict, NotFound) as error:
        problems = _team_problems(store, error, roster, language)
        return _teams_page(principal, store, event, error.status, enter_form=form, enter_errors=problems)
    return redirect(f"/admin/events/{quote(event_id)}/teams?done=team_entered")


def _change_team(principal: Principal, store: Store, event: Event, team_id: str, fields: dict[str, list[str]]):
    """Change a team's roster (and name, captain) from a posted form; returns the form and the problems."""
    form = {name: first_value(fields, name) for name in ("name", "captain", "version")}
    form["roster"] = (fields.get("roster") or [""])[0]
    roster = _roster_list(form["roster"])
    data: dict = {"roster": roster, "name": form["name"] or None, "version": form["version"] or None}
    if "captain" in fields:
        data["captain"] = form["captain"]  # empty: no captain
    try:
        body = validated(TeamChanges, data)
        team_service.change_team(
            store, principal, event, team_id, body.roster, body.name, body.captain, now(), version=body.version
        )
    except (InvalidInput, Conflict) as error:
        return form, _team_problems(store, error, roster, routes.language()), error.status
    return form, None, 303


@routes.route("/admin/events/{event_id}/teams/{team_id}/change", methods=("POST",), access=Access.UNIT_ADMIN)
def team_change(principal: Principal, event_id: str, team_id: str):
    fields = read_form_lists(routes.current_request, MAX_FORM_FIELDS)
    store = get_store()
    event = registration_service.visible_event(store, principal, event_id)
    form, problems, status = _change_team(principal, store, event, team_id, fields)
    if problems is not None:
        context = {"team_errors": {team_id: problems}, "team_forms": {team_id: form}}
        return _teams_page(principal, store, event, status, **context)
    return redirect(f"/admin/events/{quote(event_id)}/teams?done=team_changed")


@routes.route("/admin/events/{event_id}/teams/{team_id}/withdraw", methods=("POST",), access=Access.UNIT_ADMIN)
def team_withdraw(principal: Principal, event_id: str, team_id: str):
    store = get_store()
    event = registration_service.visible_event(store, principal, event_id)
    try:
        team_service.withdraw_team(store, principal, event, team_id, now())
    except Conflict as error:
        message = _refusal(error, routes.language())
        return _teams_page(principal, store, event, error.status, team_errors={team_id: {"message": message}})
    return redirect(f"/admin/events/{quote(event_id)}/teams?done=team_withdrawn")


@routes.route("/events/{event_id}/teams/{team_id}", methods=("GET", "POST"), access=Access.MEMBER)
def my_team(principal: Principal, event_id: str, team_id: str):
    """One team, for its players, its captain (who may substitute players) and its unit's admins."""
    request = routes.current_request
    store = get_store()
    event = registration_service.visible_event(store, principal, event_id)
    team = views.visible_team(store, principal, event, team_id)
    form, problems, status = None, None, 200
    if request.method == "POST":
        fields = read_form_lists(request, MAX_FORM_FIELDS)
        form, problems, status = _change_team(principal, store, event, team_id, fields)
        if problems is None:
            return redirect(f"/events/{quote(event_id)}/teams/{quote(team_id)}?done=team_changed")
        team = views.reread_team(store, team)
    language = routes.language()
    view = _teams_context(principal, event, [team], views.team_members(store, [team]))[0]
    return routes.show_event(
        "alloc_team.html",
        principal,
        event,
        status,
        view=view,
        unit_name=unit_names(store, language).get(team.unit_id, team.unit_id),
        rule_lines=_rule_lines(event, language),
        fixtures_href=entry_href(event_id, team_id)
        if view["entered"] and event_views.fixtures_published(store, event)
        else None,
        form=form,
        problems=problems,
        done=_done(),
        labels=LABELS,
    )


# ---- unit admins entering their members ---------------------------------------------------------------------------


def _enter_page(principal: Principal, store: Store, event: Event, status: int = 200, **context):
    language = routes.language()
    view = views.enter_view(store, principal, event)
    organiser = view.organiser
    names = unit_names(store, language)
    labels = state_labels(language, event.allocation)
    mine = sorted(view.registrations, key=lambda r: (names.get(r.unit_id, ""), r.registered_at, r.staff_no))
    approval = event.allocation is Allocation.APPROVAL
    rows = [
        {
            "registration": r,
            "unit": names.get(r.unit_id, r.unit_id),
            "state": labels[r.state.value],
            "registered_at": local_text(r.registered_at),
            "decide": approval
            and r.state is RegistrationState.PENDING
            and (organiser or (event.quotas and administers(principal, r.unit_id))),
        }
        for r in mine
    ]
    places = [{"unit": names.get(p.unit_id, p.unit_id), "quota": p.quota, "used": p.used} for p in view.places]
    scopes = [(SERIES, translate("manage.regs.series", language))]
    scopes += [(s.session_id, local_text(s.starts_at)) for s in view.sessions]
    context = {"message": None, "form": {}, "error": None, "decide_errors": {}, **context}
    return routes.show_event(
        "alloc_enter.html",
        principal,
        event,
        status,
        organiser=organiser,
        units=[names.get(unit.unit_id, unit.unit_id) for unit in view.units],
        rows=rows,
        places=places,
        scopes=scopes,
        phase=registration_phase(event, now()).value,
        individual=event.entry_type is EntryType.INDIVIDUAL,
        done=_done(),
        labels=LABELS,
        **context,
    )


_ENTERED = {
    RegistrationState.CONFIRMED: "entered",
    RegistrationState.WAITING: "entered_waiting",
    RegistrationState.PENDING: "entered_pending",
}


def _enter_refusal(
    refusal: Forbidden | Conflict | NotFound | InvalidInput | None, staff_no: str, language: str
) -> tuple[int, str]:
    """A unit admin's entry refused by the service, in the enter page's words."""
    assert refusal is not None  # enter_member gives an outcome, a problem or the service's refusal
    if isinstance(refusal, InvalidInput):
        return 400, translate("alloc.manage.enter.answers_needed", language, staff_no=staff_no)
    if refusal.code == "forbidden":
        return 403, translate("alloc.manage.enter.other_unit", language, staff_no=staff_no)
    if isinstance(refusal, Forbidden):
        reason = translate(refusal.code, language, **refusal.params)
    else:
        reason = _refusal(refusal, language)
    return refusal.status, translate("alloc.manage.enter.refused", language, staff_no=staff_no, reason=reason)


@routes.route("/admin/events/{event_id}/enter", methods=("GET", "POST"), access=Access.UNIT_ADMIN)
def enter(principal: Principal, event_id: str):
    """A unit admin enters members of their own units, under the rules the members themselves register by."""
    request = routes.current_request
    store = get_store()
    event = registration_service.visible_event(store, principal, event_id)
    if request.method == "GET":
        return _enter_page(principal, store, event)
    fields = read_form_lists(request, MAX_FORM_FIELDS)
    language = routes.language()
    entry = enter_member(store, principal, event_id, fields, language)
    if entry.outcome is None:
        status, problem = entry.problem or _enter_refusal(entry.refusal, entry.staff_no, language)
        return _enter_page(principal, store, event, status, form=entry.form, error=problem)
    done = _ENTERED.get(entry.outcome.registration.state, "entered")
    return redirect(f"/admin/events/{quote(event_id)}/enter?" + urlencode({"done": done}))


def _phase_label(event: Event, at: datetime, language: str) -> str:
    return translate(ENTRIES_PHASE[registration_phase(event, at)], language)


@routes.route("/admin/entries", access=Access.UNIT_ADMIN)
def entries(principal: Principal):
    """Events of any unit whose audience takes members of the principal's units: where to enter them."""
    language = routes.language()
    store = get_store()
    at = now()
    names = unit_names(store, language)
    rows = [
        {
            "event": event,
            "title": event_title(event, language),
            "owner": names.get(event.owner_unit_id, event.owner_unit_id),
            "phase": _phase_label(event, at, language),
            "open": registration_phase(event, at) is RegistrationPhase.OPEN,
        }
        for event in views.entry_events(store, principal, at)
    ]
    return routes.show("alloc_entries.html", principal, rows=rows, labels=LABELS)
