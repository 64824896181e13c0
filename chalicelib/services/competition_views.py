"""What the competition pages show, read through the services: the organisers' workbook, the names of the officials
on a score sheet, the units of a competition's entries in the reader's language.

The pages call these and never the store; chalicelib.services.competition decides who may see what.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.access import Principal
from chalicelib.domain.competition.setup import StageState
from chalicelib.domain.records import StaffRole
from chalicelib.errors import NotFound
from chalicelib.services import competition as competition_service
from chalicelib.services import competition_export as export
from chalicelib.services.competition import CompetitionState
from chalicelib.services.organisation_views import unit_names
from chalicelib.storage import Store


@dataclass(frozen=True)
class Workbook:
    """The organisers' competition workbook (draw sheet, matches and results, standings, awards) as a download."""

    filename: str
    body: bytes


def workbook(store: Store, principal: Principal, event_id: str, language: str) -> Workbook:
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
    return Workbook(filename=export.export_filename(event, language), body=body)


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
