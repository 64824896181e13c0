"""Rounds of a meet's track discipline (issue 19 item 2): the officials' page (draw heats and lanes, a heat's marks,
close a round, draw the next), the printable start list per heat (检录单), and for everyone the meet's programme
(竞赛日程) and each discipline's start lists and results per round."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from chalicelib.domain.access import Access, Principal, can_manage_event
from chalicelib.domain.calendar import now
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.i18n import N_
from chalicelib.services import meet_round_setup
from chalicelib.services import meet_round_views as views
from chalicelib.services import meet_rounds as service
from chalicelib.storage import get_store
from chalicelib.web.competition_common import WORDS, competition_path, discipline_path, item_name, refusal
from chalicelib.web.forms import first_value, read_form_lists, redirect
from chalicelib.web.manage_common import problem_messages
from chalicelib.web.render import Pages

routes = Pages(__name__)
DONE = {
    "draw": N_("meet.rounds.done.draw"),
    "marks": N_("meet.rounds.done.marks"),
    "close": N_("meet.rounds.done.close"),
    "set": N_("meet.rounds.done.set"),
}
PRESET_NAMES = {
    "one": N_("meet.rounds.preset.one"),
    "timed": N_("meet.rounds.preset.timed"),
    "heats_final": N_("meet.rounds.preset.heats_final"),
    "heats_semis_final": N_("meet.rounds.preset.heats_semis_final"),
}


def rounds_path(event_id: str, stage_id: str, code: str, tail: str = "") -> str:
    return discipline_path(event_id, stage_id, code) + "/rounds" + tail


def public_rounds_path(event_id: str, stage_id: str, code: str) -> str:
    return (f"/events/{quote(event_id, safe='')}/competition/stages/{quote(stage_id, safe='')}/disciplines/"
            f"{quote(code, safe='')}/rounds")  # fmt: skip


def programme_path(event_id: str) -> str:
    return f"/events/{quote(event_id, safe='')}/competition/programme"


def _page(
    principal: Principal, event_id: str, stage_id: str, code: str, status: int = 200, *,
    typed: dict[str, str] | None = None, errors: dict[str, str] | None = None, message: str | None = None,
    confirm: str | None = None,
) -> Any:  # fmt: skip
    language = routes.language()
    view = views.official_rounds(get_store(), principal, event_id, stage_id, code, language)
    organiser = can_manage_event(principal, view.state.event.owner_unit_id)
    return routes.show_event(
        "meet_rounds.html",
        principal,
        view.state.event,
        status,
        view=view,
        words=WORDS,
        stage_name=item_name(view.stage, language),
        discipline_name=item_name(view.discipline, language),
        organiser=organiser,
        typed=typed or {},
        errors=errors or {},
        message=message,
        confirm=confirm,
        done=DONE.get(routes.query("done") or ""),
        action=rounds_path(event_id, stage_id, code),
        presets=[(preset, PRESET_NAMES[preset]) for preset in meet_round_setup.PRESETS],
        # the set-up can change only before anything is drawn (competition.configure's rule)
        can_set_rounds=organiser and all(run.state == "pending" for run in view.state.competition.runs.values()),
        attempts_href=discipline_path(event_id, stage_id, code),
        public_href=public_rounds_path(event_id, stage_id, code),
        programme_href=programme_path(event_id),
        back=competition_path(event_id, f"#stage-{stage_id}"),
    )


def _refused_input(
    principal: Principal, event_id: str, stage_id: str, code: str, error: InvalidInput, typed: dict[str, str]
) -> Any:
    """A refused form: field problems by entry (a heat's marks), the others (the rounds' preset) as one message."""
    messages = problem_messages(error, routes.language())
    problems = {raw["loc"][1]: text for raw, text in messages if len(raw["loc"]) > 1}
    general = "; ".join(text for raw, text in messages if len(raw["loc"]) <= 1) or None
    return _page(principal, event_id, stage_id, code, 400, typed=typed, errors=problems, message=general)


def _set_rounds(principal: Principal, event_id: str, stage_id: str, code: str, fields: dict[str, list[str]]) -> None:
    """The organiser's preset of rounds (one round, timed final, heats and final ...) and lanes."""
    lanes = first_value(fields, "lanes") or ""
    meet_round_setup.set_rounds(get_store(), principal, event_id, stage_id, code, first_value(fields, "preset") or "",
                                int(lanes) if lanes.isdigit() and len(lanes) < 4 else 0, now())  # fmt: skip


@routes.route(
    "/admin/events/{event_id}/competition/stages/{stage_id}/disciplines/{discipline}/rounds",
    methods=("GET", "POST"),
    access=Access.MEMBER,
)
def rounds_page(principal: Principal, event_id: str, stage_id: str, discipline: str):
    """A discipline's rounds for its officials: heats and lanes drawn (organisers), each heat's marks (organisers and
    referees), closing a round with who goes on (Q, q), the next round drawn from them."""
    if routes.current_request.method == "GET":
        return _page(principal, event_id, stage_id, discipline)
    fields = read_form_lists(routes.current_request)
    action, round_code = first_value(fields, "action"), first_value(fields, "round")
    language = routes.language()
    store = get_store()
    typed: dict[str, str] = {}
    try:
        if action == "draw":
            service.draw(store, principal, event_id, stage_id, discipline, round_code, now())
        elif action == "close":
            service.close(store, principal, event_id, stage_id, discipline, round_code, now(),
                          missing_ok=first_value(fields, "missing_ok") == "1")  # fmt: skip
        elif action == "set":
            _set_rounds(principal, event_id, stage_id, discipline, fields)
        elif action == "marks":
            typed = {name[2:]: values[0] for name, values in fields.items() if name.startswith("m-") and values}
            service.enter_heat(store, principal, event_id, stage_id, discipline, round_code, typed, now())
        else:
            raise NotFound("round.not_found")
    except InvalidInput as error:
        return _refused_input(principal, event_id, stage_id, discipline, error, typed)
    except (Conflict, NotFound) as error:
        confirm = round_code if error.code == "round.marks_missing" else None
        return _page(principal, event_id, stage_id, discipline, error.status, typed=typed,
                     message=refusal(error, language), confirm=confirm)  # fmt: skip
    return redirect(rounds_path(event_id, stage_id, discipline) + f"?done={action}#round-{round_code}")


@routes.route(
    "/admin/events/{event_id}/competition/stages/{stage_id}/disciplines/{discipline}/rounds/start-list",
    access=Access.MEMBER,
)
def start_list(principal: Principal, event_id: str, stage_id: str, discipline: str):
    """The printable start list of a round (检录单), a sheet per heat: lane, name, unit, a box for the check-in and
    a space for the mark (``?round=h``); A4, the app's own styles only."""
    language = routes.language()
    round_code = routes.query("round") or ""
    view = views.official_rounds(get_store(), principal, event_id, stage_id, discipline, language)
    chosen = next((r for r in view.rounds if r.spec.code == round_code), None)
    if chosen is None:
        raise NotFound("round.not_found")
    if chosen.run is None:
        raise Conflict("round.not_drawn")
    return routes.show_event(
        "meet_start_list.html",
        principal,
        view.state.event,
        view=view,
        chosen=chosen,
        stage_name=item_name(view.stage, language),
        discipline_name=item_name(view.discipline, language),
        back_href=rounds_path(event_id, stage_id, discipline) + f"#round-{round_code}",
    )


@routes.route("/events/{event_id}/competition/stages/{stage_id}/disciplines/{discipline}/rounds", access=Access.PUBLIC)
def public_rounds(principal: Principal, event_id: str, stage_id: str, discipline: str):
    """A discipline's rounds for everyone: each round's time, start lists by heat and lane, marks with Q and q, and
    the discipline's placings."""
    language = routes.language()
    view = views.public_rounds(get_store(), principal, event_id, stage_id, discipline, language)
    return routes.show_event(
        "meet_rounds_public.html",
        principal,
        view.state.event,
        view=view,
        stage_name=item_name(view.stage, language),
        discipline_name=item_name(view.discipline, language),
        programme_href=programme_path(event_id),
        back=f"/events/{quote(event_id, safe='')}/competition",
    )


@routes.route("/events/{event_id}/competition/programme", access=Access.PUBLIC)
def programme(principal: Principal, event_id: str):
    """The meet's programme (竞赛日程): every round of its disciplines by day and time, linking each to its start
    lists and results."""
    language = routes.language()
    state, programme_lines = views.public_programme(get_store(), principal, event_id)
    lines = [
        {
            "line": line,
            "discipline": item_name(line.discipline, language),
            "href": public_rounds_path(event_id, line.stage_id, line.discipline.code) + f"#round-{line.spec.code}",
        }
        for line in programme_lines
    ]
    return routes.show_event(
        "meet_programme.html",
        principal,
        state.event,
        lines=lines,
        back=f"/events/{quote(event_id, safe='')}/competition",
    )
