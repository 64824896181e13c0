"""Fair judging (issue 19 item 8) for a judged contest's organisers: no contestant named judge of her own contest,
the order of appearance drawn by lot and published, and the marks still missing before a panel closes. The rules
are chalicelib.domain.competition.judging and .fairness; the judge's sheet and the scores apply them too
(chalicelib.services.competition.judge_sheet, outcome)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.domain.access import Principal
from chalicelib.domain.competition import fairness, judging
from chalicelib.domain.competition.setup import Stage, StageState
from chalicelib.domain.competition.stages import new_seed
from chalicelib.domain.records import Event
from chalicelib.errors import Conflict, InvalidInput
from chalicelib.services.competition import (
    CompetitionState,
    _judged_stage,
    _load,
    _managed_state,
    _save,
    _stage_entries,
    event_entries,
)
from chalicelib.storage import Store


def refuse_contestant_judge(store: Store, event: Event, staff_no: str, name: str) -> None:
    """InvalidInput ``judge_is_contestant`` at ``staff_no`` when the member is in one of the event's entries (as
    set up for its competition, or as entered since: a pair's partner, a team's roster)."""
    state = _load(store, event)
    entries = {entry.entry_id: entry for entry in event_entries(store, event)}
    if state is not None:
        entries.update({entry.entry_id: entry for entry in state.competition.entries})
    people = {entry_id: judging.entry_people(entry_id, entry.members) for entry_id, entry in entries.items()}
    own = judging.own_entries(staff_no, people)
    if own:
        entry_name = entries[own[0]].name
        raise InvalidInput(
            [
                {
                    "type": "judge_is_contestant",
                    "loc": ("staff_no",),
                    "msg": staff_no,
                    "ctx": {"input": staff_no, "name": name, "entry": entry_name},
                }
            ]
        )


def draw_order(
    store: Store, principal: Principal, event_id: str, stage_id: str, at: datetime, *, seed: str | None = None
) -> CompetitionState:
    """Draw a judged stage's order of appearance by lot (judging.appearance_order) from a new seed (or ``seed``),
    stored in its run and audited; drawn again freely until the stage's first mark."""
    state = _managed_state(store, principal, event_id)
    stage = _judged_stage(state, stage_id)
    run = state.competition.run(stage_id)
    if run.state == StageState.CLOSED:
        raise Conflict("stage_closed")
    if any(item.stage_id == stage_id for item in state.marks):
        raise Conflict("order_after_marks")
    entries = run.entries if run.state == StageState.DRAWN else tuple(_stage_entries(state, stage))
    seed = seed or new_seed()
    order = tuple(judging.appearance_order(seed, entries))
    competition = state.competition.with_run(stage_id, order=order, order_seed=seed)
    version = _save(store, state, competition, principal.staff_no or "", at, "competition.order", None,
                    {"stage": stage_id, "seed": seed, "order": list(order)})  # fmt: skip
    return replace(state, competition=competition, version=version)


def numbers(state: CompetitionState, stage: Stage) -> dict[str, int]:
    """Entry → number of appearance (1..n) in a judged stage: the drawn order, else the stage's own order."""
    run = state.competition.run(stage.stage_id)
    entries = run.entries or tuple(entry.entry_id for entry in state.competition.entries)
    return judging.appearance_numbers(run.order, entries)


def missing_marks(state: CompetitionState, stage: Stage) -> dict[str, list[str]]:
    """Judge → the entries they may mark and have not yet: what closing the panel now would leave unmarked."""
    marked = {(item.judge, item.entry_id) for item in state.marks if item.stage_id == stage.stage_id}
    return fairness.missing(state.competition, stage, state.judges, marked)
