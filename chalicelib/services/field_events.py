"""Field events with a final (issue 19 item 2): the best eight after three trials have three more.

The rules are pure (chalicelib.domain.competition.field). ``check_final`` is asked by ``services.meet`` before an
athlete's attempts are written: attempts after the first three only for the best eight, once they are known, and no
correction that would put out of the eight someone who already has later attempts (nothing is written when it
refuses). ``field_card`` is what the organiser's discipline page shows: the order drawn by lot from the meet's
recorded seed, who is in the last three trials and the standing after each round.
"""

from __future__ import annotations

from collections.abc import Mapping

from chalicelib.domain.competition import field as rules
from chalicelib.domain.competition.setup import Discipline
from chalicelib.errors import InvalidInput
from chalicelib.services.competition import CompetitionState


def _seed(state: CompetitionState, stage_id: str) -> str:
    """The seed the order is drawn from: the meet's, recorded when it was opened (before that, the event's id)."""
    return state.competition.run(stage_id).seed or state.competition.event_id


def check_final(
    state: CompetitionState, stage_id: str, discipline: Discipline, entry_id: str, data: Mapping[str, object]
) -> None:
    """Refuse (InvalidInput at ``attempts.<n>``) a performance that breaks the discipline's final."""
    entered = state.performances.get(stage_id, {}).get(discipline.code, {})
    problem = rules.final_problem(discipline, entered, entry_id, data)
    if problem is not None:
        raise InvalidInput(
            [{"type": problem.code, "loc": ("attempts", problem.index), "msg": problem.code, "ctx": problem.params}]
        )


def field_card(state: CompetitionState, stage_id: str, discipline: Discipline) -> rules.FieldCard | None:
    """The discipline's field card, or None for a discipline without a final."""
    if not rules.has_final(discipline):
        return None
    entered = state.performances.get(stage_id, {}).get(discipline.code, {})
    return rules.card(discipline, _seed(state, stage_id), entered)
