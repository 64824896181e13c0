"""The contest screen in the hall (大屏) of a judged stage, for its page and its API: who is on stage, who comes next,
and the scores the organiser has revealed (chalicelib.domain.competition.hall). Who may see it is the public
competition page's rule (published competitions for everyone, unpublished ones for organisers and officials)."""

from __future__ import annotations

from typing import NamedTuple

from chalicelib.domain.access import Principal, can_manage_event
from chalicelib.domain.competition import hall
from chalicelib.domain.competition.setup import Stage, StageRun, StageState
from chalicelib.errors import NotFound
from chalicelib.services import competition_fairness
from chalicelib.services.competition import CompetitionState, _judged_stage
from chalicelib.services.competition_views import public_competition
from chalicelib.storage import Store


class HallView(NamedTuple):
    """A judged stage as the hall sees it; ``names`` and ``units`` (entry → unit name in the reader's language) as
    the public page shows them; ``organiser``: the reader may reveal scores."""

    state: CompetitionState
    stage: Stage
    run: StageRun
    hall: hall.Hall
    names: dict[str, str]
    units: dict[str, str]
    organiser: bool


def hall_view(store: Store, principal: Principal, event_id: str, stage_id: str, language: str) -> HallView:
    """404 ``competition_not_published`` (and the like) for a reader who may not see the competition yet,
    ``stage_not_found`` for a stage that is not judged."""
    shown = public_competition(store, principal, event_id, language)
    state = shown.state
    if state is None:
        raise NotFound("competition_not_published")
    stage = _judged_stage(state, stage_id)
    run = state.competition.run(stage_id)
    # A later round before the one before it closes: its contestants are not known yet.
    known = run.state != StageState.PENDING or state.competition.previous_stage(stage_id) is None
    numbers = competition_fairness.numbers(state, stage) if known else {}
    scores = competition_fairness.scores(state, stage) if run.state != StageState.PENDING else {}
    units = {entry: shown.unit_names.get(unit, unit) for entry, unit in state.entry_units().items()}
    return HallView(
        state=state,
        stage=stage,
        run=run,
        hall=hall.hall(run, numbers, scores),
        names=state.entry_names(),
        units=units,
        organiser=can_manage_event(principal, state.event.owner_unit_id),
    )
