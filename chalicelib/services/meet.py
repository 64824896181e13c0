"""A meet's measured disciplines: the attempts officials enter (marks, attempt codes, result codes).

The rules are pure (chalicelib.domain.competition.marks, measured); this module reads, asks them, and writes with
a condition on the competition's ``version``, so a mark cannot land in a set-up that changed meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from chalicelib.domain.access import Principal
from chalicelib.domain.competition.setup import StageKind, StageState
from chalicelib.errors import Conflict, NotFound
from chalicelib.services import field_events, meet_rounds
from chalicelib.services.competition import _stage, refereeing
from chalicelib.storage import Store
from chalicelib.storage.writes import TransactionFailed


def enter_performance(
    store: Store, principal: Principal, event_id: str, stage_id: str, discipline_code: str, entry_id: str,
    attempts: Sequence[str | None], at: datetime,
) -> dict[str, Any]:  # fmt: skip
    """Record an entry's attempts in a discipline: marks ("12.34", "1:02.35", "5.62") within the discipline's
    plausible range, attempt codes (X, -, r) or one result code (DNS, DNF, DQ [rule], NM), as
    chalicelib.domain.competition.marks reads what officials type; blank = no attempt."""
    state = refereeing(store, principal, event_id)
    stage = _stage(state, stage_id)
    if stage.kind != StageKind.MEASURED or stage.meet is None:
        raise NotFound("stage_not_found")
    if state.competition.run(stage_id).state == StageState.CLOSED:
        raise Conflict("stage_closed")
    discipline = next((d for d in stage.meet.disciplines if d.code == discipline_code), None)
    if discipline is None:
        raise NotFound("discipline_not_found")
    if entry_id not in discipline.entries:
        raise NotFound("entry_not_found")
    if discipline.rounds:  # its marks go to its rounds (services/meet_rounds.py)
        raise Conflict("round.discipline_in_rounds")
    data = meet_rounds.parse_attempts(discipline, attempts)
    field_events.check_final(state, stage_id, discipline, entry_id, data)
    try:
        store.competitions.put_performance(event_id, state.version, stage_id, discipline_code, entry_id, data,
                                           principal.staff_no or "", at)  # fmt: skip
    except TransactionFailed as failure:
        raise Conflict("competition_changed_meanwhile") from failure
    return data
