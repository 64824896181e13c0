"""Rounds of a meet's track disciplines (issue 19 item 2): a discipline's rounds with start lists, marks and Q/q; the
meet's programme; drawing a round, entering a round's marks, closing a round. The routes parse, call
chalicelib.services.meet_rounds (which decides who may) and shape the answer like the pages (web/meet_round_pages)."""

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.http.routing import ApiRoutes
from chalicelib.http.schemas import ApiModel, InputModel
from chalicelib.services import meet_round_views as views
from chalicelib.services import meet_rounds as service
from chalicelib.storage import get_store

routes = ApiRoutes(__name__, tag="competition")
API_LANGUAGE = "zh"  # unit names as the rest of the competition API gives them
RoundCode = Literal["h", "sf", "f"]
_ROUNDS = "/events/{event_id}/competition/stages/{stage_id}/disciplines/{discipline}/rounds"


class LaneOut(ApiModel):
    lane: int
    entry_id: str
    name: str
    unit_name: str
    mark: str = Field(
        description='The mark as results show it ("12.34", "1:02.35") or its code (DNS ...); "" none yet.'
    )
    place: int | None = Field(description="Place in the heat (equal marks share a place); null without a mark.")
    going_on: str = Field(description="Q: through by place in the heat; q: by time; '' not (yet).")
    by_lot: bool = Field(description="Went on by lot at a tie for the last lanes of the next round.")


class RoundOut(ApiModel):
    code: RoundCode = Field(description="h heats, sf semi-finals, f final.")
    state: Literal["pending", "drawn", "closed"]
    lanes: int
    heats_planned: int | None = Field(description="Heats fixed by the set-up; null: as few as the lanes allow.")
    by_place: int
    by_time: int
    day: date | None
    time: str | None
    seed: str | None = Field(description="The draw's seed: rounds.draw_round(seed) gives the same heats and lanes.")
    redraws: int
    heats: list[list[LaneOut]] = Field(description="Each heat's lanes in lane order.")
    missing: list[str] = Field(description="Names of the entries without a mark yet.")


class PlacingOut(ApiModel):
    place: int | None
    name: str
    unit_name: str
    mark: str


class DisciplineRoundsOut(ApiModel):
    discipline: str
    name_zh: str
    name_en: str | None
    rounds: list[RoundOut]
    placings: list[PlacingOut] = Field(description="The discipline's places: the final's, then by the round run last.")


class ProgrammeLineOut(ApiModel):
    """One round in the programme."""

    day: date | None
    time: str | None
    stage_id: str
    discipline: str
    name_zh: str
    name_en: str | None
    round: RoundCode
    state: Literal["pending", "drawn", "closed"]
    heats: int = Field(description="Heats drawn (0: not drawn yet).")


class ProgrammeOut(ApiModel):
    rounds: list[ProgrammeLineOut]


class DrawIn(InputModel):
    round: RoundCode
    seed_marks: dict[Annotated[str, Field(max_length=64)], Annotated[str, Field(max_length=24)]] = Field(
        default_factory=dict,
        max_length=500,
        description='Entry id → seed mark (报名成绩, "12.34") for seeding the first round; others come after by lot.',
    )


class RoundMarksIn(InputModel):
    round: RoundCode
    entry_id: Annotated[str, Field(min_length=1, max_length=64)]
    attempts: list[Annotated[str, Field(max_length=24)] | None] = Field(
        min_length=1, max_length=6, description="As for a performance: a time, or DNS, DNF, DQ [rule]."
    )


class CloseRoundIn(InputModel):
    round: RoundCode
    missing_ok: bool = Field(default=False, description="Close although some entries have no mark (they do not go on).")


def _rounds_out(view: views.DisciplineRoundsView) -> DisciplineRoundsOut:
    rounds = []
    for shown in view.rounds:
        run = shown.run
        heats = [[LaneOut(lane=line.lane, entry_id=line.entry_id, name=line.name, unit_name=line.unit, mark=line.mark,
                          place=line.place, going_on=line.going or "", by_lot=line.by_lot) for line in heat]
                 for heat in shown.heats]  # fmt: skip
        spec = shown.spec
        rounds.append(RoundOut(code=spec.code, state=shown.state, lanes=spec.lanes, heats_planned=spec.heats,
                               by_place=spec.by_place, by_time=spec.by_time, day=spec.day, time=spec.time,
                               seed=run.seed if run else None, redraws=run.redraws if run else 0, heats=heats,
                               missing=shown.missing))  # fmt: skip
    placings = [PlacingOut(place=p.place, name=p.name, unit_name=p.unit, mark=p.mark) for p in view.placings]
    d = view.discipline
    return DisciplineRoundsOut(
        discipline=d.code, name_zh=d.name_zh, name_en=d.name_en, rounds=rounds, placings=placings
    )


@routes.route(_ROUNDS, access=Access.PUBLIC, summary="A discipline's rounds: start lists, marks, Q/q, placings",
              response=DisciplineRoundsOut, errors=(404,))  # fmt: skip
def show_rounds(principal: Principal, event_id: str, stage_id: str, discipline: str) -> DisciplineRoundsOut:
    """With the public competition page's visibility: published for everyone, before that the organisers and the
    event's officials. 404 ``round.not_found`` for a discipline run in one round (no rounds set up)."""
    return _rounds_out(views.public_rounds(get_store(), principal, event_id, stage_id, discipline, API_LANGUAGE))


@routes.route("/events/{event_id}/competition/programme", access=Access.PUBLIC,
              summary="The meet's programme (竞赛日程): every round by day and time", response=ProgrammeOut,
              errors=(404,))  # fmt: skip
def show_programme(principal: Principal, event_id: str) -> ProgrammeOut:
    """Rounds without a day or time come last, in the set-up's order."""
    _state, lines = views.public_programme(get_store(), principal, event_id)
    shown = [
        ProgrammeLineOut(day=line.day, time=line.time, stage_id=line.stage_id, discipline=line.discipline.code,
                         name_zh=line.discipline.name_zh, name_en=line.discipline.name_en, round=line.spec.code,
                         state=line.state, heats=line.heats)
        for line in lines
    ]  # fmt: skip
    return ProgrammeOut(rounds=shown)


def _official_answer(principal: Principal, event_id: str, stage_id: str, discipline: str) -> DisciplineRoundsOut:
    return _rounds_out(views.official_rounds(get_store(), principal, event_id, stage_id, discipline, API_LANGUAGE))


@routes.route(_ROUNDS + "/draw", method="POST", access=Access.UNIT_ADMIN, body=DrawIn, response=DisciplineRoundsOut,
              summary="Draw a round's heats and lanes (again until its first mark)", errors=(404, 409))  # fmt: skip
def draw_round(
    principal: Principal, event_id: str, stage_id: str, discipline: str, body: DrawIn
) -> DisciplineRoundsOut:
    """For the event's organisers. 409 ``round.previous_open`` (a final before its heats are closed),
    ``round.lanes_exceeded`` (more entries than lanes × heats: ``details`` and the message name the numbers),
    ``round.marks_entered`` (drawn again after a mark), ``round.closed``; nothing written on a refusal."""
    service.draw(get_store(), principal, event_id, stage_id, discipline, body.round, now(), seed_marks=body.seed_marks)
    return _official_answer(principal, event_id, stage_id, discipline)


@routes.route(_ROUNDS + "/marks", method="PUT", access=Access.MEMBER, body=RoundMarksIn, response=DisciplineRoundsOut,
              summary="Record an entry's mark in a round", errors=(404, 409))  # fmt: skip
def enter_round_marks(
    principal: Principal, event_id: str, stage_id: str, discipline: str, body: RoundMarksIn
) -> DisciplineRoundsOut:
    """For the organisers and the event's referees. 400 for a mark that cannot be read (as for a performance),
    404 ``round.entry_not_in_round``, 409 ``round.not_drawn``, ``round.closed``."""
    store = get_store()
    service.enter_marks(store, principal, event_id, stage_id, discipline, body.round, body.entry_id, body.attempts,
                        now())  # fmt: skip
    return _official_answer(principal, event_id, stage_id, discipline)


@routes.route(_ROUNDS + "/close", method="POST", access=Access.UNIT_ADMIN, body=CloseRoundIn,
              response=DisciplineRoundsOut, summary="Close a round: who goes on", errors=(404, 409))  # fmt: skip
def close_round(
    principal: Principal, event_id: str, stage_id: str, discipline: str, body: CloseRoundIn
) -> DisciplineRoundsOut:
    """For the event's organisers. 409 ``round.marks_missing`` (``details.missing``: the entries) unless
    ``missing_ok``; ``round.not_drawn``, ``round.closed``, ``round.tie_exceeds_lanes``."""
    service.close(get_store(), principal, event_id, stage_id, discipline, body.round, now(), missing_ok=body.missing_ok)
    return _official_answer(principal, event_id, stage_id, discipline)
