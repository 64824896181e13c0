"""Competitions: set-up, draws, results, judges' marks, measured performances, stages, publishing, officials.

The routes parse, call chalicelib.services.competition (which decides who may do what: organisers, the event's
referees and judges) and shape what it returns. Judges' marks stay out of every answer until the panel closes,
except a judge's own; while it is open only the organisers see judged scores and ranks.
"""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from chalice import Response
from pydantic import Field

from chalicelib.api.competition_schemas import (
    CompetitionOut,
    CriterionOut,
    DisciplineOut,
    EntryOut,
    ExcusedOut,
    JudgedOut,
    JudgingSheetOut,
    MarksIn,
    MarksOut,
    MatchOut,
    OfficialIn,
    OfficialList,
    OfficialOut,
    PerformanceIn,
    PerformanceOut,
    PerformanceSaved,
    PlacingOut,
    PublishIn,
    ReasonOut,
    ResultIn,
    ResultOut,
    SeedsIn,
    SetupIn,
    SetupOut,
    SheetEntryOut,
    SideOut,
    StageOut,
    StandingOut,
    TableOut,
    TierOut,
    UnitTableOut,
    UnitTotalOut,
)
from chalicelib.domain.access import Access, Principal, can_manage_event
from chalicelib.domain.calendar import now
from chalicelib.domain.competition import fairness
from chalicelib.domain.competition.elimination import round_names
from chalicelib.domain.competition.formats import match_format, stage_format
from chalicelib.domain.competition.judging import marks_visible_to
from chalicelib.domain.competition.marks import attempt_text
from chalicelib.domain.competition.measured import Measure, format_mark
from chalicelib.domain.competition.model import AWAY, HOME, Match, Result, Slot
from chalicelib.domain.competition.scoring import ScoreFormat
from chalicelib.domain.competition.setup import (
    KNOCKOUT_KINDS,
    MATCH_KINDS,
    Competition,
    Judging,
    Stage,
    StageKind,
    StageState,
)
from chalicelib.domain.competition.stages import StageOutcome
from chalicelib.domain.competition.standings import Standing
from chalicelib.domain.competition.unit_tables import UnitLine
from chalicelib.domain.records import StaffRole
from chalicelib.http.routing import ApiRoutes
from chalicelib.http.schemas import QueryModel
from chalicelib.services import competition as competition_service
from chalicelib.services import competition_fairness, competition_officials, organisation_views
from chalicelib.services import meet as meet_service
from chalicelib.services.competition import OFFICIAL_ROLES, CompetitionState
from chalicelib.storage import get_store

routes = ApiRoutes(__name__, tag="competition")

# What groups of routes share, declared once: the organisers' stage actions answer with the whole competition;
# set-up changes with the set-up; officials (referees, judges) enter results, marks and performances; the
# officials' list is the organisers'.
stage_action = routes.sharing(method="POST", access=Access.UNIT_ADMIN, response=CompetitionOut, errors=(404, 409))
setup_change = routes.sharing(access=Access.UNIT_ADMIN, response=SetupOut)
officials_entry = routes.sharing(method="PUT", access=Access.MEMBER, errors=(404, 409))
officials_route = routes.sharing(access=Access.UNIT_ADMIN, errors=(404,))

_HUNDREDTH = Decimal("0.01")


class CloseQuery(QueryModel):
    confirm: bool = Field(default=False, description="Close a judged stage even though marks are missing.")


def points_text(points: Fraction) -> str:
    """Meet points as text: whole ("7") or rounded half up to at most two places ("4.5", "2.33")."""
    if points.denominator == 1:
        return str(points.numerator)
    rounded = (Decimal(points.numerator) / Decimal(points.denominator)).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)
    return str(rounded).rstrip("0").rstrip(".")


# ---- shaping -------------------------------------------------------------------------------------------------


def entries_out(competition: Competition, units: Mapping[str, str]) -> list[EntryOut]:
    return [
        EntryOut(
            entry_id=e.entry_id, name=e.name, unit_id=e.unit_id, unit_name=units.get(e.unit_id, e.unit_id), seed=e.seed
        )
        for e in competition.entries
    ]


def setup_out(competition: Competition, units: Mapping[str, str]) -> SetupOut:
    return SetupOut(
        event_id=competition.event_id,
        entry_kind=competition.entry_kind,
        match_format=competition.match_format,
        tiebreak=competition.tiebreak,
        stages=list(competition.stages),
        entries=entries_out(competition, units),
        published=competition.published,
        published_at=competition.published_at,
        lineups=competition.lineups,
        contests=list(competition.contests),
        unit_awards=competition.unit_awards,
    )


def _side(slot: Slot, names: Mapping[str, str]) -> SideOut:
    return SideOut(
        entry_id=slot.entry, name=names.get(slot.entry) if slot.entry else None, bye=slot.bye, source=slot.source
    )


def result_out(result: Result) -> ResultOut:
    return ResultOut(
        home=result.home,
        away=result.away,
        winner="home" if result.winner == HOME else "away" if result.winner == AWAY else None,
        outcome=result.outcome,
        games=list(result.games),
        rubbers=[result_out(rubber) for rubber in result.rubbers],
    )


def match_out(
    match: Match, names: Mapping[str, str], rounds: Mapping[str, int] | None, competition: Competition | None = None
) -> MatchOut:
    """``rounds``: a knockout's number of rounds per bracket (its rounds are named back from the final); None in
    other stages, whose rounds are numbered (a twelfth group is "L", not the losers' bracket). The match's own
    format (formats.match_format) tells a client that the final is best of five."""
    return MatchOut(
        match_id=match.match_id,
        bracket=match.bracket,
        round=match.round,
        round_key=round_names(match.bracket, match.round, rounds[match.bracket])
        if rounds is not None
        else f"round_{match.round}",
        order=match.order,
        leg=match.leg,
        home=_side(match.home, names),
        away=_side(match.away, names),
        status=match.status,
        result=result_out(match.result) if match.result else None,
        winner=match.winner,
        matchday=match.matchday,
        court=match.court,
        starts_at=match.starts_at,
        match_format=match_format(competition, match).code if competition else None,
    )


def bracket_rounds(stage: Stage, matches: list[Match]) -> dict[str, int] | None:
    if stage.kind not in KNOCKOUT_KINDS:
        return None
    rounds: dict[str, int] = {}
    for match in matches:
        rounds[match.bracket] = max(rounds.get(match.bracket, 0), match.round)
    return rounds


def _standing(row: Standing, names: Mapping[str, str]) -> StandingOut:
    reason = row.reason
    return StandingOut(
        rank=row.rank,
        entry_id=row.entry_id,
        name=names.get(row.entry_id, row.entry_id),
        played=row.played,
        won=row.won,
        drawn=row.drawn,
        lost=row.lost,
        match_points=row.match_points,
        rubbers_for=row.rubbers_for,
        rubbers_against=row.rubbers_against,
        games_for=row.games_for,
        games_against=row.games_against,
        points_for=row.points_for,
        points_against=row.points_against,
        fair_play=row.fair_play,
        reason=ReasonOut(
            rule=reason.rule.value,
            against=reason.against,
            among=list(reason.among),
            value=reason.value,
            against_value=reason.against_value,
            among_tied_only=reason.among_tied_only,
        )
        if reason
        else None,
    )


def _criteria(judging: Judging | None) -> list[CriterionOut]:
    if judging is None:
        return []
    return [
        CriterionOut(code=c.code, name_zh=c.name_zh, name_en=c.name_en, weight=c.weight, max_mark=c.max_mark)
        for c in judging.criteria
    ]


def _attempts_text(measure: Measure, attempts: list[str | None]) -> list[str | None]:
    return [attempt_text(measure, value) if value is not None else None for value in attempts]


def _judged(
    state: CompetitionState, stage: Stage, outcome: StageOutcome, principal: Principal, unit_of: Mapping[str, str]
) -> list[JudgedOut]:
    run = state.competition.run(stage.stage_id)
    names = state.entry_names()
    scores_shown = run.panel_closed or can_manage_event(principal, state.event.owner_unit_id)
    marks = state.stage_marks(stage.stage_id)
    return [
        JudgedOut(
            entry_id=line.entry_id,
            name=names.get(line.entry_id, line.entry_id),
            unit_name=unit_of.get(line.entry_id, ""),
            rank=(line.rank or None) if scores_shown else None,
            score=str(line.score) if scores_shown and line.score is not None else None,
            award=line.award if scores_shown else None,
            judges=line.judges,
            # The organisers too see marks only once the panel closes: no one steers a panel while it marks.
            marks=marks_visible_to(principal.staff_no or "", False, run.panel_closed, marks.get(line.entry_id, {}))
            or None,
        )
        for line in outcome.judged
    ]


def _disciplines(
    state: CompetitionState, stage: Stage, outcome: StageOutcome, unit_of: Mapping[str, str]
) -> list[DisciplineOut]:
    names = state.entry_names()
    performances = state.performances.get(stage.stage_id, {})
    disciplines = []
    for result in outcome.disciplines:
        discipline = result.discipline
        measure = Measure(discipline.measure)
        attempts = performances.get(discipline.code, {})
        placings = [
            PerformanceOut(
                entry_id=placing.entry_id,
                name=names.get(placing.entry_id, placing.entry_id),
                unit_name=unit_of.get(placing.entry_id, ""),
                place=placing.place,
                mark=format_mark(measure, placing.mark) if placing.mark is not None else None,
                status=placing.status,
                points=points_text(result.points[placing.entry_id]) if placing.entry_id in result.points else None,
                attempts=_attempts_text(measure, attempts.get(placing.entry_id, {}).get("attempts", [])),
            )
            for placing in result.placings
        ]
        disciplines.append(
            DisciplineOut(
                code=discipline.code,
                name_zh=discipline.name_zh,
                name_en=discipline.name_en,
                measure=discipline.measure,
                attempts=discipline.attempts,
                relay=discipline.relay,
                placings=placings,
            )
        )
    return disciplines


def stage_out(state: CompetitionState, stage: Stage, principal: Principal, units: Mapping[str, str]) -> StageOut:
    """A stage as ``principal`` may see it (see the module's docstring for judged stages)."""
    run = state.competition.run(stage.stage_id)
    names = state.entry_names()
    matches = state.stage_matches(stage.stage_id)
    rounds = bracket_rounds(stage, matches)
    outcome = competition_service.outcome(state, stage) if run.state != StageState.PENDING else None
    return StageOut(
        stage_id=stage.stage_id,
        kind=stage.kind,
        name_zh=stage.name_zh,
        name_en=stage.name_en,
        state=run.state,
        seed=run.seed,
        drawn_at=run.drawn_at,
        redraws=run.redraws,
        panel_closed=run.panel_closed,
        order=list(run.order),
        order_seed=run.order_seed,
        **_format_out(state, stage),
        qualified=list(run.qualified),
        matches=[match_out(match, names, rounds, state.competition) for match in matches],
        criteria=_criteria(stage.judging),
        tiers=[TierOut(code=t.code, name_zh=t.name_zh, name_en=t.name_en) for t in stage.judging.tiers]
        if stage.judging
        else [],
        **_results_out(state, stage, outcome, principal, units),
    )


def _format_out(state: CompetitionState, stage: Stage) -> dict[str, Any]:
    """A match stage's format as it plays (formats.stage_format), and its final's own."""
    if stage.kind not in MATCH_KINDS:
        return {}
    fmt = stage_format(state.competition, stage)
    stop = None if isinstance(fmt, ScoreFormat) else fmt.stop_when_decided
    return {"match_format": fmt.code, "stop_when_decided": stop, "final_format": stage.final_format}


def _results_out(
    state: CompetitionState, stage: Stage, outcome: StageOutcome | None, principal: Principal, units: Mapping[str, str]
) -> dict[str, Any]:
    """A stage's results once drawn: tables, placings, judged lines, disciplines and unit totals (empty before)."""
    if outcome is None:
        empty: dict[str, Any] = {key: [] for key in ("tables", "placings", "judged", "disciplines", "units")}
        return {"complete": False, **empty, "unit_tables": []}
    names = state.entry_names()
    unit_of = {entry: units.get(unit, unit) for entry, unit in state.entry_units().items()}
    return {
        "complete": outcome.complete,
        "tables": [
            TableOut(group=table.group, rows=[_standing(row, names) for row in table.rows]) for table in outcome.tables
        ],
        "placings": [
            PlacingOut(place=place, entry_id=entry, name=names.get(entry, entry)) for place, entry in outcome.placings
        ],
        "judged": _judged(state, stage, outcome, principal, unit_of) if stage.kind == StageKind.JUDGED else [],
        "disciplines": _disciplines(state, stage, outcome, unit_of) if stage.kind == StageKind.MEASURED else [],
        "units": [_unit_total(line, units) for line in outcome.units],
        "unit_tables": [
            UnitTableOut(scope=t.scope, code=t.code, units=[_unit_total(line, units) for line in t.lines])
            for t in outcome.unit_tables
        ],
    }


def _unit_total(line: UnitLine, units: Mapping[str, str]) -> UnitTotalOut:
    return UnitTotalOut(
        unit_id=line.unit_id,
        unit_name=units.get(line.unit_id, line.unit_id),
        rank=line.rank,
        points=points_text(line.points),
        places=list(line.places),
        decided_by=line.decided_by,
        shared=line.shared,
    )


def competition_out(state: CompetitionState, principal: Principal) -> CompetitionOut:
    competition = state.competition
    units = organisation_views.unit_names(get_store(), "zh")
    return CompetitionOut(
        event_id=state.event.event_id,
        event_title=state.event.title_zh,
        entry_kind=competition.entry_kind,
        match_format=competition.match_format,
        tiebreak=competition.tiebreak,
        published=competition.published,
        published_at=competition.published_at,
        entries=entries_out(competition, units),
        stages=[stage_out(state, stage, principal, units) for stage in competition.stages],
    )


def official_out(role: StaffRole, units: Mapping[str, str]) -> OfficialOut:
    return OfficialOut(
        staff_no=role.staff_no,
        name=role.name,
        unit_name=units.get(role.unit_id, role.unit_id),
        roles=sorted(name for name in OFFICIAL_ROLES if name in role.roles),
        granted_by=role.granted_by,
        granted_at=role.granted_at,
    )


# ---- reading -------------------------------------------------------------------------------------------------


@routes.route(
    "/events/{event_id}/competition",
    access=Access.PUBLIC,
    summary="An event's competition: entries, draws, matches, tables, placings, judged ranking, meet results",
    response=CompetitionOut,
    errors=(404,),
)
def show_competition(principal: Principal, event_id: str) -> CompetitionOut:
    """Published: everyone. Before that: the organisers and the event's referees and judges (others get 404).
    Judges' marks appear once a stage's panel closes (a judge sees their own before); judged scores and ranks
    while the panel marks only to the organisers."""
    state = competition_service.view(get_store(), principal, event_id)
    return competition_out(state, principal)


# ---- set-up and draws ----------------------------------------------------------------------------------------


@setup_change(
    "/events/{event_id}/competition",
    method="PUT",
    summary="Set up (or change) the competition before anything is drawn",
    body=SetupIn,
    errors=(404, 409),
)
def configure(principal: Principal, event_id: str, body: SetupIn) -> SetupOut:
    """Entries are the event's confirmed registrations (pairs by their lead) or entered teams, in the order they
    entered. 409 ``competition_drawn`` once a stage is drawn or opened."""
    store = get_store()
    competition = competition_service.configure(store, principal, event_id, body.model_dump(mode="json"), now())
    return setup_out(competition, organisation_views.unit_names(get_store(), "zh"))


@setup_change(
    "/events/{event_id}/competition/seeds",
    method="PUT",
    summary="Seed entries (1 = top seed) before the first draw",
    body=SeedsIn,
    errors=(404, 409),
)
def set_seeds(principal: Principal, event_id: str, body: SeedsIn) -> SetupOut:
    """Seeds must run 1, 2, 3 … without gaps; entries not listed are unseeded."""
    competition = competition_service.set_seeds(get_store(), principal, event_id, body.seeds, now())
    return setup_out(competition, organisation_views.unit_names(get_store(), "zh"))


@stage_action(
    "/events/{event_id}/competition/stages/{stage_id}/draw",
    summary="Draw a stage, or redo its draw before the first result",
)
def draw(principal: Principal, event_id: str, stage_id: str) -> CompetitionOut:
    """Every draw gets a new recorded seed (the old one stays in the audit log). 409 ``stage_started`` once a
    result is in, ``previous_stage_open`` before the stage before it closes, ``too_few_entries``."""
    state = competition_service.draw(get_store(), principal, event_id, stage_id, now())
    return competition_out(state, principal)


@stage_action(
    "/events/{event_id}/competition/stages/{stage_id}/open",
    summary="Open a judged stage or a meet for marks (a match stage is drawn)",
)
def open_stage(principal: Principal, event_id: str, stage_id: str) -> CompetitionOut:
    state = competition_service.open_stage(get_store(), principal, event_id, stage_id, now())
    return competition_out(state, principal)


@stage_action(
    "/events/{event_id}/competition/stages/{stage_id}/close",
    summary="Close a stage: its ranking is fixed and its qualifiers go on",
    query=CloseQuery,
)
def close_stage(principal: Principal, event_id: str, stage_id: str, query: CloseQuery) -> CompetitionOut:
    """A knockout after groups is drawn at once by the crossing (A1–B2, B1–A2 …); a judged final opens with its
    finalists; a judged stage's marks become visible. 409 ``stage_unfinished`` while matches or marks are missing.
    A judged stage some judge has not marked every contestant of answers 409 ``marks_missing`` with
    ``details.missing`` ([{judge, numbers}]) and closes nothing, unless ``?confirm=true``."""
    state = competition_fairness.close_judged(get_store(), principal, event_id, stage_id, now(), confirm=query.confirm)
    return competition_out(state, principal)


@stage_action(
    "/events/{event_id}/competition/stages/{stage_id}/next-round", summary="Pair the next round of a Swiss stage"
)
def next_round(principal: Principal, event_id: str, stage_id: str) -> CompetitionOut:
    """409 ``round_unfinished`` until every match of the round is played, ``rounds_complete`` after the last."""
    store = get_store()
    competition_service.next_round(store, principal, event_id, stage_id, now())
    return competition_out(competition_service.view(store, principal, event_id), principal)


@setup_change(
    "/events/{event_id}/competition/publish",
    method="POST",
    summary="Show (or hide) the competition on the public pages",
    body=PublishIn,
    errors=(404,),
)
def publish(principal: Principal, event_id: str, body: PublishIn) -> SetupOut:
    competition = competition_service.publish(get_store(), principal, event_id, body.published, now())
    return setup_out(competition, organisation_views.unit_names(get_store(), "zh"))


# ---- results, marks, performances ----------------------------------------------------------------------------


@officials_entry(
    "/events/{event_id}/competition/stages/{stage_id}/matches/{match_id}/result",
    summary="Enter or correct a match's result",
    body=ResultIn,
    response=MatchOut,
)
def enter_result(principal: Principal, event_id: str, stage_id: str, match_id: str, body: ResultIn) -> MatchOut:
    """For the organisers and the event's referees. The result is checked against the match format (400 with the
    problem's code, e.g. ``game_not_finished`` for 21–20 in badminton); the winner moves on. Entering a played
    match again needs ``correct: true`` (else 409 ``already_played``); a correction that changes who went on is
    refused once they have played their next match (409 ``dependents_played``, ``details.matches``)."""
    store = get_store()
    payload = body.model_dump(mode="json", exclude_none=True)
    match, state = competition_service.enter_result(store, principal, event_id, stage_id, match_id, payload, now())
    stage = state.competition.stage(stage_id)
    assert stage is not None  # the result was just entered in it
    return match_out(
        match, state.entry_names(), bracket_rounds(stage, state.stage_matches(stage_id)), state.competition
    )


@routes.route(
    "/events/{event_id}/competition/stages/{stage_id}/judging",
    access=Access.MEMBER,
    summary="A judge's sheet: their entries and their own marks",
    response=JudgingSheetOut,
    errors=(404,),
)
def judging_sheet(principal: Principal, event_id: str, stage_id: str) -> JudgingSheetOut:
    """For the event's judges only; never another judge's marks."""
    state, stage, run, entries, own = competition_service.judge_sheet(get_store(), principal, event_id, stage_id)
    names, entry_units, units = (
        state.entry_names(),
        state.entry_units(),
        organisation_views.unit_names(get_store(), "zh"),
    )
    numbers = competition_fairness.numbers(state, stage)
    shown = run.panel_closed  # judges mark by number: names and units once the panel closes
    excused = fairness.excused(state.competition, stage, state.judges, principal.staff_no or "")
    return JudgingSheetOut(
        stage_id=stage.stage_id,
        name_zh=stage.name_zh,
        name_en=stage.name_en,
        state=run.state,
        panel_closed=run.panel_closed,
        criteria=_criteria(stage.judging),
        entries=[
            SheetEntryOut(
                entry_id=entry,
                number=numbers[entry],
                name=names.get(entry, entry) if shown else None,
                unit_name=units.get(entry_units.get(entry, ""), "") if shown else None,
                marks=own.get(entry),
            )
            for entry in sorted(entries, key=numbers.__getitem__)
        ],
        excused=[ExcusedOut(number=numbers[entry], reason=reason) for entry, reason in excused.items()],
    )


@officials_entry(
    "/events/{event_id}/competition/stages/{stage_id}/marks/{entry_id}",
    summary="A judge marks an entry (or changes their marks while the panel is open)",
    body=MarksIn,
    response=MarksOut,
)
def submit_marks(principal: Principal, event_id: str, stage_id: str, entry_id: str, body: MarksIn) -> MarksOut:
    """Every criterion, from 0 to its maximum (400 ``mark_out_of_range``, ``unknown_criterion``); only the judge's
    assigned entries (403 ``entry_not_assigned``); 409 ``panel_closed`` after the stage closes."""
    marks = competition_service.submit_marks(get_store(), principal, event_id, stage_id, entry_id, body.marks, now())
    return MarksOut(entry_id=entry_id, marks=marks)


@officials_entry(
    "/events/{event_id}/competition/stages/{stage_id}/performances/{discipline}/{entry_id}",
    summary="Record an entry's attempts in a measured discipline",
    body=PerformanceIn,
    response=PerformanceSaved,
)
def enter_performance(
    principal: Principal, event_id: str, stage_id: str, discipline: str, entry_id: str, body: PerformanceIn
) -> PerformanceSaved:
    """For the organisers and the event's referees. Marks and codes as officials write them (DNS, DNF, DQ [rule],
    NM alone; X, -, r per field attempt). A mark that cannot be read gives 400 with its code (``attempt_format``,
    ``mark_implausible_time`` naming the discipline's range …) at ``attempts.<n>``, nothing written. The answer
    gives the attempts as stored: seconds or metres, or the codes."""
    saved = meet_service.enter_performance(
        get_store(), principal, event_id, stage_id, discipline, entry_id, body.attempts, now()
    )
    return PerformanceSaved(
        discipline=discipline,
        entry_id=entry_id,
        attempts=saved["attempts"],
        status=saved.get("status"),
        rule=saved.get("rule"),
    )


# ---- officials -----------------------------------------------------------------------------------------------


@officials_route(
    "/events/{event_id}/competition/officials", summary="The event's referees and judges", response=OfficialList
)
def list_officials(principal: Principal, event_id: str) -> OfficialList:
    roles = competition_officials.officials(get_store(), principal, event_id)
    units = organisation_views.unit_names(get_store(), "zh")
    return OfficialList(officials=[official_out(role, units) for role in roles])


@officials_route(
    "/events/{event_id}/competition/officials",
    method="PUT",
    summary="Name a member referee or judge of the event",
    body=OfficialIn,
    response=OfficialOut,
)
def name_official(principal: Principal, event_id: str, body: OfficialIn) -> OfficialOut:
    """Keeps any other role the member holds for the event (check-in staff, the other official role); audited."""
    role = competition_officials.name_official(get_store(), principal, event_id, body.staff_no, body.role, now())
    return official_out(role, organisation_views.unit_names(get_store(), "zh"))


@officials_route(
    "/events/{event_id}/competition/officials/{staff_no}/{role}",
    method="DELETE",
    summary="Take a referee or judge role away",
    status=204,
)
def remove_official(principal: Principal, event_id: str, staff_no: str, role: str) -> Response:
    competition_officials.remove_official(get_store(), principal, event_id, staff_no, role, now())
    return Response(body="", status_code=204)
