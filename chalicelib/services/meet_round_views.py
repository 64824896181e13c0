"""What the pages and the API show of a meet's rounds: a discipline's rounds with their start lists (heat, lane, name,
unit), marks, Q/q and the discipline's placings; the meet's programme (竞赛日程: each round's day and time)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Literal, NamedTuple

from chalicelib.domain.access import Principal
from chalicelib.domain.competition import marks as mark_rules
from chalicelib.domain.competition import measured as measured_rules
from chalicelib.domain.competition import round_results
from chalicelib.domain.competition import rounds as round_rules
from chalicelib.domain.competition.rounds import RoundRun, RoundSpec
from chalicelib.domain.competition.setup import Discipline, Stage
from chalicelib.errors import NotFound
from chalicelib.services import competition as competition_service
from chalicelib.services.competition import CompetitionState
from chalicelib.services.competition_views import entry_unit_names
from chalicelib.services.meet_rounds import RoundPlace, missing, round_place
from chalicelib.storage import Store

RoundState = Literal["pending", "drawn", "closed"]


class LaneLine(NamedTuple):
    heat: int
    lane: int
    entry_id: str
    name: str
    unit: str
    mark: str  # as results show it (12.34, 1:02.35) or its code (DNS ...); "" none yet
    typed: list[str]  # as an official would type it again (the marks form)
    place: int | None  # in the heat
    going: str  # Q, q or ""
    by_lot: bool


class RoundView(NamedTuple):
    spec: RoundSpec
    name: str  # message id (预赛, 半决赛, 决赛, 分组计时决赛)
    state: RoundState
    run: RoundRun | None
    heats: list[list[LaneLine]]
    missing: list[str]  # names of entries without a mark yet
    drawable: bool  # the round before is closed (or there is none) and no mark is in yet


class PlacingLine(NamedTuple):
    place: int | None
    name: str
    unit: str
    mark: str


class DisciplineRoundsView(NamedTuple):
    state: CompetitionState
    stage: Stage
    discipline: Discipline
    rounds: list[RoundView]
    placings: list[PlacingLine]


def _state(run: RoundRun | None) -> RoundState:
    return "pending" if run is None else "closed" if run.closed else "drawn"


def _heats(place: RoundPlace, names: Mapping[str, str], units: Mapping[str, str]) -> list[list[LaneLine]]:
    run = place.run
    if run is None:
        return []
    measure = measured_rules.Measure(place.discipline.measure)
    best, codes = round_results.best_marks(measure, {run.code: place.marks})
    going = round_rules.going_on_marks(run)
    heats = []
    for number, heat in enumerate(run.heats, 1):
        marks = {lane.entry_id: best.get(run.code, {}).get(lane.entry_id) for lane in heat}
        in_heat = {p.entry_id: p.place for p in measured_rules.rank_performances(measure, marks)}
        heats.append([_line(place, measure, number, lane.lane, lane.entry_id, names, units, in_heat, going,
                            codes.get(run.code, {}), run) for lane in heat])  # fmt: skip
    return heats


def _line(
    place: RoundPlace, measure: measured_rules.Measure, heat: int, lane: int, entry: str, names: Mapping[str, str],
    units: Mapping[str, str], in_heat: Mapping[str, int | None], going: Mapping[str, str], codes: Mapping[str, str],
    run: RoundRun,
) -> LaneLine:  # fmt: skip
    data: Mapping[str, Any] = place.marks.get(entry, {})
    typed = mark_rules.performance_texts(measure, data) if data else []
    best = measured_rules.best_of_attempts(measure, [mark_rules.attempt_mark(a) for a in data.get("attempts", [])])
    shown = measured_rules.format_mark(measure, best) if best is not None else codes.get(entry, "")
    return LaneLine(heat, lane, entry, names.get(entry, entry), units.get(entry, ""), shown, typed,
                    in_heat.get(entry) if data else None, going.get(entry, ""), entry in run.by_lot)  # fmt: skip


def _round_view(
    state: CompetitionState, place: RoundPlace, names: Mapping[str, str], units: Mapping[str, str]
) -> RoundView:
    rounds = place.discipline.rounds
    before = round_rules.previous_round(rounds, place.spec.code)
    before_run = place.drawn.run(before.code) if before else None
    ready = before is None or (before_run is not None and before_run.closed)
    run = place.run
    return RoundView(
        spec=place.spec,
        name=round_rules.round_name(rounds, place.spec.code),
        state=_state(run),
        run=run,
        heats=_heats(place, names, units),
        missing=[names.get(entry, entry) for entry in missing(place)],
        drawable=ready and not place.marks and not (run and run.closed),
    )


def discipline_rounds(
    store: Store, state: CompetitionState, stage_id: str, code: str, language: str, *, officials: bool = False
) -> DisciplineRoundsView:
    """A discipline's rounds from a competition read by the caller (refereeing for officials, view for everyone);
    officials see a discipline without rounds too (its organiser may give it some)."""
    names = state.entry_names()
    units = entry_unit_names(store, state, language)
    places = []
    for spec in _discipline_of(state, stage_id, code).rounds:
        places.append(round_place(state, stage_id, code, spec.code))
    if not places:
        if not officials:
            raise NotFound("round.not_found")
        return _no_rounds(state, stage_id, code)
    stage, discipline = places[0].stage, places[0].discipline
    measure = measured_rules.Measure(discipline.measure)
    placed, _closed = round_results.placings(stage_id, discipline, state.rounds, state.round_marks)
    drawn_any = any(place.run for place in places)
    lines = [
        PlacingLine(p.place, names.get(p.entry_id, p.entry_id), units.get(p.entry_id, ""),
                    measured_rules.format_mark(measure, p.mark) if p.mark is not None else p.status or "")
        for p in placed if drawn_any and (p.place is not None or p.status)
    ]  # fmt: skip
    return DisciplineRoundsView(state, stage, discipline, [_round_view(state, p, names, units) for p in places], lines)


def _no_rounds(state: CompetitionState, stage_id: str, code: str) -> DisciplineRoundsView:
    """A discipline run as one round, for its officials (who may give it rounds)."""
    discipline = _discipline_of(state, stage_id, code)
    stage = state.competition.stage(stage_id)
    assert stage is not None  # _discipline_of found the discipline in it
    return DisciplineRoundsView(state, stage, discipline, [], [])


def _discipline_of(state: CompetitionState, stage_id: str, code: str) -> Discipline:
    stage = state.competition.stage(stage_id)
    discipline = next((d for d in stage.meet.disciplines if d.code == code), None) if stage and stage.meet else None
    if discipline is None:
        raise NotFound("discipline_not_found")
    return discipline


def official_rounds(
    store: Store, principal: Principal, event_id: str, stage_id: str, code: str, language: str
) -> DisciplineRoundsView:
    """For the event's organisers and referees (Forbidden for others)."""
    return discipline_rounds(store, competition_service.refereeing(store, principal, event_id), stage_id, code,
                             language, officials=True)  # fmt: skip


def public_rounds(
    store: Store, principal: Principal, event_id: str, stage_id: str, code: str, language: str
) -> DisciplineRoundsView:
    """For everyone once the competition is published."""
    return discipline_rounds(store, competition_service.view(store, principal, event_id), stage_id, code, language)


class ProgrammeLine(NamedTuple):
    day: date | None
    time: str | None
    stage_id: str
    discipline: Discipline
    spec: RoundSpec
    name: str  # message id of the round
    state: RoundState
    heats: int  # how many heats drawn (0: not drawn yet)


def programme(state: CompetitionState) -> list[ProgrammeLine]:
    """Every round of the meet's disciplines by day and time (rounds without a time last, in set-up order)."""
    lines = []
    for stage in state.competition.stages:
        for discipline in stage.meet.disciplines if stage.meet else ():
            drawn, _ = round_results.drawn_rounds(state.rounds, stage.stage_id, discipline.code)
            for spec in discipline.rounds:
                run = drawn.run(spec.code)
                lines.append(ProgrammeLine(spec.day, spec.time, stage.stage_id, discipline, spec,
                                           round_rules.round_name(discipline.rounds, spec.code), _state(run),
                                           len(run.heats) if run else 0))  # fmt: skip
    order = {id(line): n for n, line in enumerate(lines)}
    return sorted(lines, key=lambda line: (line.day is None, line.day or date.min, line.time or "99", order[id(line)]))


def public_programme(store: Store, principal: Principal, event_id: str) -> tuple[CompetitionState, list[ProgrammeLine]]:
    """The meet's programme for everyone once the competition is published."""
    state = competition_service.view(store, principal, event_id)
    return state, programme(state)
