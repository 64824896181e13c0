"""A meet's measured disciplines: the attempts officials enter (marks, attempt codes, result codes).

The rules are pure (chalicelib.domain.competition.marks, measured); this module reads, asks them, and writes with
a condition on the competition's ``version``, so a mark cannot land in a set-up that changed meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from chalicelib.domain.access import Principal
from chalicelib.domain.competition import marks as mark_rules
from chalicelib.domain.competition import measured as measured_rules
from chalicelib.domain.competition.setup import StageKind, StageState
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.services import field_events
from chalicelib.services.competition import _invalid, _stage, refereeing
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
    if len(attempts) > discipline.attempts:
        raise _invalid("too_many_attempts", "attempts", str(len(attempts)))
    measure = measured_rules.Measure(discipline.measure)
    bounds = mark_rules.discipline_range(discipline)
    try:
        data = mark_rules.parse_performance(measure, attempts, bounds).data()
    except measured_rules.MarkInvalid as problem:
        names = {"discipline_zh": discipline.name_zh, "discipline_en": discipline.name_en or discipline.name_zh}
        raise InvalidInput([mark_rules.field_problem(problem, attempts, names)]) from problem
    field_events.check_final(state, stage_id, discipline, entry_id, data)
    try:
        store.competitions.put_performance(event_id, state.version, stage_id, discipline_code, entry_id, data,
                                           principal.staff_no or "", at)  # fmt: skip
    except TransactionFailed as failure:
        raise Conflict("competition_changed_meanwhile") from failure
    return data
