"""What the competition pages show, read through the services: the organisers' workbook, the names of the officials
on a score sheet, the units of a competition's entries in the reader's language.

The pages call these and never the store; chalicelib.services.competition decides who may see what.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from chalicelib.domain.access import Principal
from chalicelib.domain.competition.model import Match
from chalicelib.domain.competition.setup import CompetitionEntry, Discipline, Stage, StageState, UnitAwards
from chalicelib.domain.competition.stages import DisciplineResult, StageOutcome
from chalicelib.domain.competition.unit_tables import UnitTable
from chalicelib.domain.records import Event, StaffRole
from chalicelib.errors import NotFound
from chalicelib.services import competition as competition_service
from chalicelib.services import competition_export as export
from chalicelib.services import competition_officials
from chalicelib.services import contests as contest_service
from chalicelib.services.competition import CompetitionState
from chalicelib.services.organisation_views import unit_names
from chalicelib.services.registration import visible_event
from chalicelib.storage import Store


class ExportFile(NamedTuple):
    """The organisers' competition workbook (draw sheet, matches and results, standings, awards) as a download."""

    filename: str
    body: bytes


def workbook(store: Store, principal: Principal, event_id: str, language: str) -> ExportFile:
    """The workbook of an event's competition, for its organisers (404 before the competition is set up)."""
    event, state = competition_service.managed(store, principal, event_id)
    if state is None:
        raise NotFound("competition_not_set_up")
    outcomes = {
        stage.stage_id: competition_service.outcome(state, stage)
        for stage in state.competition.stages
        if state.competition.run(stage.stage_id).state != StageState.PENDING
    }
    body = export.competition_xlsx(state, outcomes, unit_names(store, language), drawer_names(store, state), language)
    return ExportFile(filename=export.export_filename(event, language), body=body)


def drawer_names(store: Store, state: CompetitionState) -> dict[str, str]:
    """Names of the few organisers who made the draws (runs keep their 工号)."""
    staff_nos = {run.drawn_by for run in state.competition.runs.values() if run.drawn_by}
    members = {staff_no: store.members.get(staff_no) for staff_no in staff_nos}
    return {staff_no: member.name for staff_no, member in members.items() if member is not None}


def event_staff(store: Store, state: CompetitionState) -> list[StaffRole]:
    """Everyone with a role at the competition's event (its judges among them), for the printed sheets."""
    return store.event_roles.for_event(state.event.event_id)


def entry_unit_names(store: Store, state: CompetitionState, language: str) -> dict[str, str]:
    """Each entry's unit name in ``language`` (the unit's id when the unit is unknown)."""
    names = unit_names(store, language)
    return {entry: names.get(unit, unit) for entry, unit in state.entry_units().items()}


class Official(NamedTuple):
    """A member named to officiate at the event: their role record, unit name and competition roles."""

    role: StaffRole
    unit: str
    roles: list[str]


class ManagedCompetition(NamedTuple):
    """What the organisers' competition page shows: the event, its competition (None before the set-up), the
    entries (the competition's, or the event's before the set-up) with names and unit names, and the officials."""

    event: Event
    state: CompetitionState | None
    entries: list[CompetitionEntry]
    names: dict[str, str]
    units: dict[str, str]
    officials: list[Official]


def managed_competition(store: Store, principal: Principal, event_id: str, language: str) -> ManagedCompetition:
    """The organisers' view of an event's competition (competition_service.managed decides who may see it)."""
    event, state = competition_service.managed(store, principal, event_id)
    units_by_id = unit_names(store, language)
    if state is not None:
        entries = list(state.competition.entries)
        names = state.entry_names()
        units = {entry: units_by_id.get(unit, unit) for entry, unit in state.entry_units().items()}
    else:
        entries = competition_service.event_entries(store, event)
        names = {entry.entry_id: entry.name for entry in entries}
        units = {entry.entry_id: units_by_id.get(entry.unit_id, entry.unit_id) for entry in entries}
    officials = [
        Official(
            role=role,
            unit=units_by_id.get(role.unit_id, role.unit_id),
            roles=sorted(set(role.roles) & set(competition_service.OFFICIAL_ROLES)),
        )
        for role in competition_officials.officials(store, principal, event_id)
    ]
    return ManagedCompetition(event, state, entries, names, units, officials)


class DisciplineSheet(NamedTuple):
    """A meet's discipline as its recording page shows it: the performances entered and the placings so far."""

    state: CompetitionState
    stage: Stage
    discipline: Discipline
    entered: dict[str, Any]
    result: DisciplineResult
    names: dict[str, str]
    units: dict[str, str]


def discipline_sheet(
    store: Store, principal: Principal, event_id: str, stage_id: str, code: str, language: str
) -> DisciplineSheet:
    """A discipline of a meet for the event's organisers and referees (404 for an unknown stage or discipline)."""
    state = competition_service.refereeing(store, principal, event_id)
    stage = state.competition.stage(stage_id)
    discipline = next((d for d in stage.meet.disciplines if d.code == code), None) if stage and stage.meet else None
    if stage is None or discipline is None:
        raise NotFound("discipline_not_found")
    result = next(r for r in competition_service.outcome(state, stage).disciplines if r.discipline.code == code)
    return DisciplineSheet(
        state=state,
        stage=stage,
        discipline=discipline,
        entered=state.performances.get(stage_id, {}).get(code, {}),
        result=result,
        names=state.entry_names(),
        units=entry_unit_names(store, state, language),
    )


def refereed_match(
    store: Store, principal: Principal, event_id: str, stage_id: str, match_id: str
) -> tuple[CompetitionState, Stage, Match]:
    """A match for its score page: the event's organisers and referees only (404 for an unknown stage or match)."""
    state = competition_service.refereeing(store, principal, event_id)
    stage = state.competition.stage(stage_id)
    match = next((m for m in state.stage_matches(stage_id) if m.match_id == match_id), None)
    if stage is None or match is None:
        raise NotFound("match_not_found")
    return state, stage, match


# The refusals that mean "no competition to show yet": the public page says so instead of an error.
NOT_SHOWN = frozenset({"competition_not_set_up", "competition_not_published"})


class PublicCompetition(NamedTuple):
    """The public competition page's data: the competition as the reader may see it (None when it is not set up or
    not published yet, and the page says so), and every unit's name in the reader's language."""

    event: Event
    state: CompetitionState | None
    unit_names: dict[str, str]


def public_competition(store: Store, principal: Principal, event_id: str, language: str) -> PublicCompetition:
    """An event's competition for its public page (competition_service.view decides what the reader may see; the
    API's GET /api/events/{event_id}/competition answers from the same function)."""
    try:
        state = competition_service.view(store, principal, event_id)
    except NotFound as missing:
        if missing.code not in NOT_SHOWN:
            raise
        return PublicCompetition(event=visible_event(store, principal, event_id), state=None, unit_names={})
    return PublicCompetition(event=state.event, state=state, unit_names=unit_names(store, language))


# ---- awards -------------------------------------------------------------------------------------------------------

PODIUM = 3  # a knockout's or table's places that win an award (冠军, 亚军, 季军)


class Award(NamedTuple):
    """One award of a competition, as its closed last stage decided it: a judged stage's tier (``tier``: its code), a
    meet discipline's place (``discipline``) among those that score points, a unit's place on the podium of a meet's
    unit table (``unit_table``; ``entry_id`` is the unit's id; ``sole_table``: the meet has no other), or a
    knockout's or table's final place on the podium. The certificates and the results booklet word them."""

    stage: Stage
    entry_id: str
    place: int | None = None
    tier: str | None = None
    discipline: Discipline | None = None
    unit_table: UnitTable | None = None
    sole_table: bool = False
    organisation: UnitAwards | None = None  # a skill contest's 优秀组织奖 to the unit ``entry_id`` (place: its rank)


def awards(state: CompetitionState) -> list[Award]:
    """Every award of the competition in the order it is announced (tiers best first; a meet by discipline, then
    place); none until its last stage is closed (the results are final then). A skill contest of several events:
    each event's awards once its own last round is closed (issue 19 item 7)."""
    if state.competition.contests:
        return _contest_awards(state)
    last = state.competition.stages[-1]
    if state.competition.run(last.stage_id).state != StageState.CLOSED:
        return []
    outcome = competition_service.outcome(state, last)
    if last.judging is not None:
        return _judged_awards(last, outcome)
    if last.meet is not None:
        return _meet_awards(last, outcome)
    placed = outcome.placings or [(row.rank, row.entry_id) for table in outcome.tables[:1] for row in table.rows]
    return [Award(last, entry_id, place) for place, entry_id in placed if place <= PODIUM]


def _contest_awards(state: CompetitionState) -> list[Award]:
    """A skill contest's awards, event by event in the set-up's order: each closed event's final round's tiers; then,
    once every event is closed, 优秀组织奖 to the units its rule names (services/contests.results)."""
    found: list[Award] = []
    competition = state.competition
    closed = 0
    for contest in competition.contests:
        chain = competition.chain(contest.code)
        if chain and competition.run(chain[-1].stage_id).state == StageState.CLOSED:
            closed += 1
            found += _judged_awards(chain[-1], competition_service.outcome(state, chain[-1]))
    rule = competition.unit_awards
    if rule is not None and closed == len(competition.contests):
        units = contest_service.results(state).units
        found += [Award(competition.stages[-1], u.unit_id, u.rank, organisation=rule) for u in units if u.award]
    return found


def _judged_awards(stage: Stage, outcome: StageOutcome) -> list[Award]:
    """A judged stage's awards, tier by tier (best first), by rank within a tier."""
    assert stage.judging is not None
    order = {tier.code: index for index, tier in enumerate(stage.judging.tiers)}
    judged = sorted((line for line in outcome.judged if line.award in order), key=lambda line: order[line.award or ""])
    return [Award(stage, line.entry_id, line.rank, line.award) for line in judged]


def _meet_awards(stage: Stage, outcome: StageOutcome) -> list[Award]:
    """A meet's awards: each discipline's places that score points (as many as the meet's place points), then the
    first three units of each unit table that scored (团体总分第一名 ...: per group, per gender, overall)."""
    assert stage.meet is not None
    depth = len(stage.meet.place_points)
    places = [
        Award(stage, placing.entry_id, placing.place, discipline=result.discipline)
        for result in outcome.disciplines
        for placing in result.placings
        if placing.place is not None and placing.place <= depth
    ]
    sole = len(outcome.unit_tables) == 1
    return places + [
        Award(stage, line.unit_id, line.rank, unit_table=table, sole_table=sole)
        for table in outcome.unit_tables
        for line in table.lines
        if line.rank <= PODIUM and line.points > 0
    ]
