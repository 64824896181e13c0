"""The contest screen in the hall (大屏) of a judged stage, and the organiser's page that reveals each score on it.

The screen (public, with the competition page's visibility) shows who is on stage and who comes next in the order of
appearance, the score just revealed and the standings so far, white on black in type that reads from across the
hall, reloaded by a meta refresh (no script). A score appears only once the organiser has revealed it (公布得分),
which their page allows once every judge has marked that contestant (chalicelib.domain.competition.hall).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.competition.hall import HallLine
from chalicelib.domain.competition.setup import StageState
from chalicelib.domain.language import localized
from chalicelib.errors import Conflict, Forbidden, NotFound
from chalicelib.i18n import N_
from chalicelib.services import competition_fairness, hall_views
from chalicelib.services.hall_views import HallView
from chalicelib.storage import get_store
from chalicelib.web.competition_common import competition_path, item_name, refusal
from chalicelib.web.forms import first_value, read_form_lists, redirect
from chalicelib.web.render import Pages

routes = Pages(__name__)

REFRESH_SECONDS = 10  # how often the contest screen reloads itself (<meta http-equiv="refresh">, no script)


def hall_href(event_id: str, stage_id: str) -> str:
    """A judged stage's contest screen."""
    return f"/events/{quote(event_id, safe='')}/competition/hall/{quote(stage_id, safe='')}"


def reveal_href(event_id: str, stage_id: str) -> str:
    """The organiser's page revealing a judged stage's scores on its contest screen."""
    return f"/admin{hall_href(event_id, stage_id)}"


def _score(line: HallLine | None) -> str:
    return f"{line.score:.2f}" if line is not None and line.score is not None else ""


def _line(view: HallView, line: HallLine | None) -> dict[str, Any] | None:
    """An entry as the screen shows it: number, name and unit as on the public page, its score once shown."""
    if line is None:
        return None
    return {
        "number": line.number,
        "name": view.names.get(line.entry_id, line.entry_id),
        "unit": view.units.get(line.entry_id, ""),
        "score": _score(line),
        "place": line.place,
    }


@routes.route("/events/{event_id}/competition/hall/{stage_id}", access=Access.PUBLIC)
def hall_screen(principal: Principal, event_id: str, stage_id: str):
    """A judged stage's contest screen: on stage, next, the score just revealed, the standings so far."""
    language = routes.language()
    view = hall_views.hall_view(get_store(), principal, event_id, stage_id, language)
    shown = view.hall
    return routes.show(
        "hall_screen.html",
        principal,
        title=localized(view.state.event, "title", language),
        stage_name=item_name(view.stage, language),
        state=view.run.state.value,
        on_stage=_line(view, shown.on_stage),
        next=_line(view, shown.next),
        latest=_line(view, shown.latest),
        standings=[_line(view, line) for line in shown.standings],
        lines=[_line(view, line) for line in shown.lines],
        clock=now().astimezone(CHINA_TZ).strftime("%H:%M"),
        refresh=REFRESH_SECONDS,
        published=view.state.competition.published,
        competition_href=f"/events/{quote(event_id, safe='')}/competition?stage={quote(stage_id, safe='')}",
        reveal_href=reveal_href(event_id, stage_id) if view.organiser else None,
    )


def _reveal_page(principal: Principal, event_id: str, stage_id: str, status: int = 200, message: str | None = None):
    language = routes.language()
    store = get_store()
    view = hall_views.hall_view(store, principal, event_id, stage_id, language)
    if not view.organiser:
        raise Forbidden()  # the public screen is the way for everyone else
    missing = competition_fairness.missing_marks(view.state, view.stage) if view.run.state == StageState.DRAWN else {}
    judges = competition_fairness.judge_counts(view.state, view.stage)
    scores = competition_fairness.scores(view.state, view.stage) if view.run.state != StageState.PENDING else {}
    rows = []
    for line in view.hall.lines:
        owed = sum(line.entry_id in entries for entries in missing.values())
        expected = judges.get(line.entry_id, 0)
        rows.append(
            {
                **(_line(view, line) or {}),
                "score": f"{scores[line.entry_id]:.2f}" if scores.get(line.entry_id) is not None else "",
                "revealed": line.entry_id in view.run.revealed,
                "marked": expected - owed,
                "judges": expected,
                "can_reveal": view.run.state == StageState.DRAWN
                and not owed
                and scores.get(line.entry_id) is not None
                and line.entry_id not in view.run.revealed,
                "on_stage": view.hall.on_stage is not None and view.hall.on_stage.entry_id == line.entry_id,
            }
        )
    return routes.show_event(
        "hall_reveal.html",
        principal,
        view.state.event,
        status,
        stage_name=item_name(view.stage, language),
        state=view.run.state.value,
        rows=rows,
        screen_href=hall_href(event_id, stage_id),
        manage_href=competition_path(event_id, f"#stage-{quote(stage_id, safe='')}"),
        action=reveal_href(event_id, stage_id),
        message=message,
        done=N_("hall.manage.done") if routes.query("done") == "reveal" else None,
    )


@routes.route("/admin/events/{event_id}/competition/hall/{stage_id}", methods=("GET", "POST"), access=Access.UNIT_ADMIN)
def reveal_page(principal: Principal, event_id: str, stage_id: str):
    """The organiser's list of a judged stage's contestants in the order of appearance, with how many judges have
    marked each, the score, and a 公布得分 button once every judge has marked that contestant."""
    if routes.current_request.method == "GET":
        return _reveal_page(principal, event_id, stage_id)
    fields = read_form_lists(routes.current_request)
    number = first_value(fields, "number")
    try:
        if not (number.isdigit() and len(number) <= 5):
            raise NotFound("entry_not_found")
        competition_fairness.reveal_score(get_store(), principal, event_id, stage_id, int(number), now())
    except (Conflict, NotFound) as error:
        return _reveal_page(principal, event_id, stage_id, error.status, message=refusal(error, routes.language()))
    return redirect(reveal_href(event_id, stage_id) + f"?done=reveal#entry-{quote(number, safe='')}")
