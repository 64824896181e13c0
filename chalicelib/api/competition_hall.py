"""A judged stage's contest screen (大屏) and the fair-judging actions: the screen's data (who is on stage, who is next,
the scores revealed), revealing a score (公布得分) and drawing the order of appearance by lot.

The routes parse, call chalicelib.services.competition_fairness and hall_views (which decide who may) and shape the
answer like the screen (chalicelib.web.hall_pages): contestants by number of appearance, name and unit, scores
only once revealed.
"""

from typing import Annotated

from pydantic import Field

from chalicelib.api.competition import competition_out
from chalicelib.api.competition_schemas import CompetitionOut
from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.competition.hall import HallLine
from chalicelib.domain.competition.setup import StageState
from chalicelib.http.routing import ApiRoutes
from chalicelib.http.schemas import ApiModel, InputModel
from chalicelib.services import competition_fairness, hall_views
from chalicelib.services.hall_views import HallView
from chalicelib.storage import get_store

routes = ApiRoutes(__name__, tag="competition")
API_LANGUAGE = "zh"  # unit names as the rest of the competition API gives them (chalicelib.api.events.unit_names)


class HallLineOut(ApiModel):
    number: int = Field(description="Number of appearance (1 = first on stage).")
    name: str
    unit_name: str
    score: str | None = Field(description="The score (two decimals) once revealed or the stage closed; else null.")
    place: int | None = Field(description="Place among the scores shown so far (equal scores share a place).")


class HallOut(ApiModel):
    stage_id: str
    name_zh: str
    name_en: str | None
    state: StageState
    published: bool
    on_stage: HallLineOut | None = Field(description="The first in the order whose score is not revealed yet.")
    next: HallLineOut | None = Field(description="The one after them.")
    latest: HallLineOut | None = Field(description="The score revealed last (while the stage is open).")
    lines: list[HallLineOut] = Field(description="Every contestant in the order of appearance.")
    standings: list[HallLineOut] = Field(description="The scores shown so far, best first.")


class RevealIn(InputModel):
    number: Annotated[int, Field(ge=1, le=10_000, description="The contestant's number of appearance.")]


def _line(view: HallView, line: HallLine | None) -> HallLineOut | None:
    if line is None:
        return None
    return HallLineOut(
        number=line.number,
        name=view.names.get(line.entry_id, line.entry_id),
        unit_name=view.units.get(line.entry_id, ""),
        score=f"{line.score:.2f}" if line.score is not None else None,
        place=line.place,
    )


def hall_out(view: HallView) -> HallOut:
    shown = view.hall
    return HallOut(
        stage_id=view.stage.stage_id,
        name_zh=view.stage.name_zh,
        name_en=view.stage.name_en,
        state=view.run.state,
        published=view.state.competition.published,
        on_stage=_line(view, shown.on_stage),
        next=_line(view, shown.next),
        latest=_line(view, shown.latest),
        lines=[out for out in (_line(view, line) for line in shown.lines) if out is not None],
        standings=[out for out in (_line(view, line) for line in shown.standings) if out is not None],
    )


@routes.route(
    "/events/{event_id}/competition/stages/{stage_id}/hall",
    access=Access.PUBLIC,
    summary="A judged stage's contest screen: on stage, next, the scores revealed",
    response=HallOut,
    errors=(404,),
)
def show_hall(principal: Principal, event_id: str, stage_id: str) -> HallOut:
    """What the hall screen shows (/events/{event_id}/competition/hall/{stage_id}), with the public competition
    page's visibility: published for everyone, before that the organisers and the event's officials. Scores are
    null until the organiser reveals them (every score once the stage closes)."""
    return hall_out(hall_views.hall_view(get_store(), principal, event_id, stage_id, API_LANGUAGE))


@routes.route(
    "/events/{event_id}/competition/stages/{stage_id}/reveal",
    method="POST",
    access=Access.UNIT_ADMIN,
    summary="Reveal a contestant's score on the contest screen (公布得分)",
    body=RevealIn,
    response=HallOut,
    errors=(404, 409),
)
def reveal(principal: Principal, event_id: str, stage_id: str, body: RevealIn) -> HallOut:
    """For the event's organisers, while the stage is open: 409 ``reveal_marks_missing`` (``details.judges``) until
    every judge has marked the contestant, ``stage_not_open``, ``stage_closed``; 404 ``entry_not_found`` for a
    number nobody has. Revealing again changes nothing. Afterwards the judges may not change that contestant's marks
    (409 ``score_revealed``)."""
    store = get_store()
    competition_fairness.reveal_score(store, principal, event_id, stage_id, body.number, now())
    return hall_out(hall_views.hall_view(store, principal, event_id, stage_id, API_LANGUAGE))


@routes.route(
    "/events/{event_id}/competition/stages/{stage_id}/order",
    method="POST",
    access=Access.UNIT_ADMIN,
    summary="Draw a judged stage's order of appearance by lot (again until its first mark)",
    response=CompetitionOut,
    errors=(404, 409),
)
def draw_order(principal: Principal, event_id: str, stage_id: str) -> CompetitionOut:
    """A new recorded seed each time; the order is ascending SHA-256(seed:entry_id), published on the competition
    page and in ``stages[].order`` / ``order_seed``. 409 ``order_after_marks`` once a judge has marked,
    ``stage_closed``; 404 ``stage_not_found`` for a stage that is not judged."""
    state = competition_fairness.draw_order(get_store(), principal, event_id, stage_id, now())
    return competition_out(state, principal)
