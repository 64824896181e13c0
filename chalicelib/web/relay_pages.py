"""Relay teams (issue 19 item 3): a unit admin's page to enter, change and withdraw their unit's teams for the
relays of an event's meet, choosing a member of the unit for each leg; the union's admins and the event's
organisers choose the unit. Problems are marked on the leg or reserve they are about, the rule's on the team.
A dragon boat (item 5, a discipline with crew roles) is entered here too: its crew (龙舟队) of paddlers, a drummer
(鼓手) and a helm (舵手), in the words of a boat."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.competition.relays import ROLE_NAMES, ages_label, is_boat, seats
from chalicelib.domain.competition.setup import CompetitionEntry, Discipline
from chalicelib.domain.records import Unit
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.i18n import N_, translate
from chalicelib.services import relays as service
from chalicelib.storage import get_store
from chalicelib.web.competition_common import item_name, refusal
from chalicelib.web.forms import first_value, read_form_lists, redirect
from chalicelib.web.render import Pages

routes = Pages(__name__)
NEW = "new"


def relays_path(event_id: str, unit_id: str | None = None, **query: str) -> str:
    path = f"/admin/events/{quote(event_id, safe='')}/relays"
    params = {**({"unit": unit_id} if unit_id else {}), **query}
    return f"{path}?{urlencode(params)}" if params else path


def _rule_lines(discipline: Discipline, language: str) -> list[str]:
    counts = {"legs": discipline.legs, "reserves": discipline.reserves, "teams": discipline.teams_per_unit}
    if is_boat(discipline):
        roles = "、".join(translate(ROLE_NAMES[role], language) for role in discipline.crew_roles)
        lines = [translate("crew.page.legs", language, roles=roles, **counts)]
    else:
        lines = [translate("relay.page.legs", language, **counts)]
    rule = discipline.relay_rule
    if rule is None:
        return lines
    if is_boat(discipline):
        lines.append(translate("crew.page.rule_paddlers", language))
    for band in rule.bands:
        ages = ages_label(band)
        if band.max_runners == band.min_runners:
            lines.append(translate("relay.page.rule.band_exact", language, ages=ages, n=band.min_runners))
            continue
        if band.min_runners:
            lines.append(translate("relay.page.rule.band_min", language, ages=ages, n=band.min_runners))
        if band.max_runners is not None:
            lines.append(translate("relay.page.rule.band_max", language, ages=ages, n=band.max_runners))
    if rule.min_women:
        lines.append(translate("relay.page.rule.women", language, n=rule.min_women))
    if rule.min_men:
        lines.append(translate("relay.page.rule.men", language, n=rule.min_men))
    return lines


def _form(
    discipline: Discipline, key: str, team: CompetitionEntry | None, values: dict[str, str] | None,
    errors: dict[str, str], language: str,
) -> dict[str, Any]:  # fmt: skip
    given = list(team.members) if team else []
    names = [f"leg{n}" for n in range(1, discipline.legs + 1)] + list(discipline.crew_roles)
    names += [f"reserve{n}" for n in range(1, discipline.reserves + 1)]
    chosen = values or {name: given[index] if index < len(given) else "" for index, name in enumerate(names)}
    leg_label = N_("crew.page.paddler") if is_boat(discipline) else N_("relay.page.leg")
    slots = [(f"leg{n}", translate(leg_label, language, n=n)) for n in range(1, discipline.legs + 1)]
    slots += [(role, translate(ROLE_NAMES[role], language)) for role in discipline.crew_roles]
    slots += [
        (f"reserve{n}", translate("relay.page.reserve", language, n=n)) for n in range(1, discipline.reserves + 1)
    ]
    return {
        "key": key,
        "entry": team.entry_id if team else "",
        "name": team.name if team else "",
        "slots": [{"name": name, "label": label, "value": chosen.get(name, "")} for name, label in slots],
        "errors": errors,
    }


def _unit_name(unit: Unit, language: str) -> str:
    return unit.name_en if language == "en" and unit.name_en else unit.name_zh


def _relay_card(
    view: service.RelayTeams, relay: service.Relay, failed: str | None, values: dict[str, str] | None,
    errors: dict[str, str], language: str,
) -> dict[str, Any]:  # fmt: skip
    """One relay: its rule, its teams with their runners, the unit's forms (its teams', a new team's) while open."""
    discipline = relay.discipline
    own = [team for team in relay.teams if team.unit_id == view.unit_id]
    forms = []
    if relay.open and view.unit_id is not None:
        keyed: list[tuple[str, CompetitionEntry | None]] = [(f"{discipline.code}/{t.entry_id}", t) for t in own]
        if len(own) < discipline.teams_per_unit:
            keyed.append((f"{discipline.code}/{NEW}", None))
        for key, team in keyed:
            mine = failed == key
            forms.append(_form(discipline, key, team, values if mine else None, errors if mine else {}, language))
    return {
        "code": discipline.code,
        "name": item_name(discipline, language),
        "rules": _rule_lines(discipline, language),
        "open": relay.open,
        "boat": is_boat(discipline),
        "teams": [_team_lines(view, discipline, team, language) for team in relay.teams],
        "forms": forms,
    }


def _team_lines(
    view: service.RelayTeams, discipline: Discipline, team: CompetitionEntry, language: str
) -> dict[str, Any]:
    """A team as listed: its runners (a boat's paddlers), a boat's drummer and helm, its reserves."""

    def named(staff_no: str) -> str:
        return f"{view.names.get(staff_no, staff_no)}（{staff_no}）"

    crew = team.members[discipline.legs : seats(discipline)]
    return {
        "name": team.name,
        "unit": team.unit_id,
        "runners": [named(s) for s in team.members[: discipline.legs]],
        "roles": [
            translate("crew.page.role_line", language, role=translate(ROLE_NAMES[role], language), name=named(s))
            for role, s in zip(discipline.crew_roles, crew, strict=False)
        ],
        "reserves": [named(s) for s in team.members[seats(discipline) :]],
    }


def _page(
    principal: Principal, view: service.RelayTeams, status: int = 200, *, failed: str | None = None,
    values: dict[str, str] | None = None, errors: dict[str, str] | None = None, message: str | None = None,
):  # fmt: skip
    language = routes.language()
    event_id = view.event.event_id
    relays = [_relay_card(view, relay, failed, values, errors or {}, language) for relay in view.relays]
    names = {unit_id: _unit_name(unit, language) for unit_id, unit in view.unit_names.items()}
    units = [(unit.unit_id, names[unit.unit_id]) for unit in view.units]
    return routes.show_event(
        "relays.html",
        principal,
        view.event,
        status,
        relays=relays,
        boats=bool(relays) and all(relay["boat"] for relay in relays),
        units=units,
        unit_id=view.unit_id,
        unit_names=names,
        members=[(m.staff_no, f"{m.name}（{m.staff_no}）") for m in view.members],
        version=str(view.version),
        action=relays_path(event_id, view.unit_id),
        self_path=relays_path(event_id),
        done=routes.query("done"),
        message=message,
        back=f"/admin/events/{quote(event_id, safe='')}/edit"
        if view.manages_event
        else f"/events/{quote(event_id, safe='')}",
    )


def _errors(error: InvalidInput, language: str) -> dict[str, str]:
    """The problems by field (leg1 ..., reserve1 ..., team), each in words; the engine's codes are message ids."""
    errors: dict[str, str] = {}
    for problem in error.problems:
        location = tuple(problem.get("loc", ()))
        name = str(location[0]) if location else "team"
        text = translate(str(problem.get("type")), language, **(problem.get("ctx") or {}))
        errors[name] = f"{errors[name]} {text}" if name in errors else text
    return errors


def _runners(view: service.RelayTeams, code: str, values: dict[str, str]) -> tuple[list[str], list[str], list[str]]:
    """The legs', reserves' and a boat's roles' selects of the relay's form, in order (blank: none chosen)."""
    relay = next((r.discipline for r in view.relays if r.discipline.code == code), None)
    if relay is None:
        raise NotFound("relay_not_found")
    legs = [values.get(f"leg{n}", "") for n in range(1, relay.legs + 1)]
    roles = [values.get(role, "") for role in relay.crew_roles]
    return legs, [values.get(f"reserve{n}", "") for n in range(1, relay.reserves + 1)], roles


@routes.route("/admin/events/{event_id}/relays", methods=("GET", "POST"), access=Access.UNIT_ADMIN)
def relay_teams(principal: Principal, event_id: str):
    """The meet's relays with the unit's teams: a form per team and one for a new team while the relay is open."""
    store = get_store()
    request = routes.current_request
    if request.method == "GET":
        return _page(principal, service.relay_teams(store, principal, event_id, routes.query("unit")))
    fields = read_form_lists(request)
    code, entry, unit_id = (first_value(fields, name) for name in ("relay", "entry", "unit"))
    version_text = first_value(fields, "version")
    version = int(version_text) if version_text.isdigit() else None
    language = routes.language()
    key = f"{code}/{entry or NEW}"
    values = {
        name: first_value(fields, name) for name in fields if name.startswith(("leg", "reserve", "drummer", "helm"))
    }
    try:
        if first_value(fields, "do") == "withdraw":
            service.withdraw_team(store, principal, event_id, code, entry, version, now())
            return redirect(relays_path(event_id, unit_id, done="withdrawn"))
        legs, reserves, roles = _runners(service.relay_teams(store, principal, event_id, unit_id), code, values)
        service.enter_team(store, principal, event_id, code, unit_id, legs, reserves, version, now(),
                           entry_id=entry or None, roles=roles)  # fmt: skip
    except InvalidInput as error:
        view = service.relay_teams(store, principal, event_id, unit_id)
        return _page(principal, view, 400, failed=key, values=values, errors=_errors(error, language))
    except (Conflict, NotFound) as error:
        view = service.relay_teams(store, principal, event_id, unit_id)
        return _page(principal, view, error.status, message=refusal(error, language))
    return redirect(relays_path(event_id, unit_id, done="saved"))
