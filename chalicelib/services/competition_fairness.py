"""Fair judging (issue 19 item 8) for a judged contest's organisers: no contestant named judge of her own contest,
the order of appearance drawn by lot and published, and the marks still missing before a panel closes. The rules
are chalicelib.domain.competition.judging and .fairness; the judge's sheet and the scores apply them too
(chalicelib.services.competition.judge_sheet, outcome). The hall screen's reveals (公布得分) and the close warning
(chalicelib.domain.competition.hall) are here too."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from chalicelib.domain.access import Principal
from chalicelib.domain.competition import fairness, hall, judging
from chalicelib.domain.competition.setup import Stage, StageState
from chalicelib.domain.competition.stages import new_seed
from chalicelib.domain.records import Event
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.services.competition import (
    CompetitionState,
    _judged_stage,
    _load,
    _managed_state,
    _save,
    _stage_entries,
    close_stage,
    event_entries,
    outcome,
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
    entries = run.entries or state.competition.first_entries(stage)  # a contest event's own entrants (item 7)
    return judging.appearance_numbers(run.order, entries)


def missing_marks(state: CompetitionState, stage: Stage) -> dict[str, list[str]]:
    """Judge → the entries they may mark and have not yet: what closing the panel now would leave unmarked."""
    marked = {(item.judge, item.entry_id) for item in state.marks if item.stage_id == stage.stage_id}
    return fairness.missing(state.competition, stage, state.judges, marked)


def judge_counts(state: CompetitionState, stage: Stage) -> dict[str, int]:
    """Entry → how many judges mark it: its panel's (or every judge's), less those excused from it."""
    counts: dict[str, int] = {}
    for judge in fairness.stage_judges(stage, state.judges):
        for entry in fairness.may_mark(state.competition, stage, state.judges, judge):
            counts[entry] = counts.get(entry, 0) + 1
    return counts


def scores(state: CompetitionState, stage: Stage) -> dict[str, Decimal | None]:
    """Entry → its score as the panel has marked it so far (None while it cannot be worked out)."""
    return {line.entry_id: line.score for line in outcome(state, stage).judged}


def reveal_score(
    store: Store, principal: Principal, event_id: str, stage_id: str, number: int, at: datetime
) -> CompetitionState:
    """Show the score of the contestant with this number of appearance on the hall screen (公布得分): once every
    judge has marked them (409 ``reveal_marks_missing`` with ``details.judges``), while the stage is open. Stored
    in the stage's run over the version read, audited; revealing it again changes nothing. Its judges may not change
    their marks afterwards (services.competition.submit_marks)."""
    state = _managed_state(store, principal, event_id)
    stage = _judged_stage(state, stage_id)
    run = state.competition.run(stage_id)
    entry_id = next((entry for entry, n in numbers(state, stage).items() if n == number), None)
    if entry_id is None:
        raise NotFound("entry_not_found")
    owed = sorted(judge for judge, entries in missing_marks(state, stage).items() if entry_id in entries)
    score = scores(state, stage).get(entry_id)
    problem = hall.reveal_problem(run, entry_id, owed, score)
    if problem is not None and problem.code == "entry_not_in_stage":
        raise NotFound("entry_not_found")
    if problem is not None:
        raise Conflict(problem.code, details={"judges": owed} if owed else None)
    if entry_id in run.revealed:
        return state
    competition = state.competition.with_run(stage_id, revealed=hall.revealed_after(run, entry_id))
    version = _save(store, state, competition, principal.staff_no or "", at, "competition.reveal", None,
                    {"stage": stage_id, "entry": entry_id, "number": number, "score": str(score)})  # fmt: skip
    return replace(state, competition=competition, version=version)


def close_judged(
    store: Store, principal: Principal, event_id: str, stage_id: str, at: datetime, *, confirm: bool = False
) -> CompetitionState:
    """Close a stage, warning first when it is a judged stage with marks missing: 409 ``marks_missing`` with
    ``details.missing`` (judge → the numbers they have not marked) unless ``confirm``."""
    if not confirm:
        state = _managed_state(store, principal, event_id)
        stage = state.competition.stage(stage_id)
        if stage is not None and stage.judging is not None:
            owed = missing_marks(state, stage)
            if owed:
                numbered = numbers(state, stage)
                missing = [
                    {"judge": judge, "numbers": [numbered[e] for e in entries]} for judge, entries in owed.items()
                ]
                raise Conflict("marks_missing", details={"missing": missing})
    return close_stage(store, principal, event_id, stage_id, at)
