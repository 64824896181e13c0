"""Rounds of a meet's track disciplines (issue 19 item 2): draw a round (heats and lanes), draw it again before its
first mark (audited), enter a round's marks, close it (who goes on: Q and q), and the meet's programme.

The rules are pure (chalicelib.domain.competition.rounds); a discipline's rounds are one stored item with its own
version (chalicelib.storage.competition.put_rounds): a draw and a close are written over the version read, and each
mark entered bumps it in the same transaction, so a round is never closed over a mark being written; two referees
entering marks in the same round at once both land (the one that loses the race reads again and writes again).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from chalicelib.domain.access import Principal
from chalicelib.domain.competition import marks as mark_rules
from chalicelib.domain.competition import measured as measured_rules
from chalicelib.domain.competition import round_results
from chalicelib.domain.competition import rounds as round_rules
from chalicelib.domain.competition.draws import DrawError
from chalicelib.domain.competition.rounds import DisciplineRounds, RoundRun, RoundSpec
from chalicelib.domain.competition.setup import Discipline, Stage, StageKind, StageState
from chalicelib.domain.competition.stages import new_seed
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.services.competition import (
    CompetitionState,
    _invalid,
    _managed_state,
    _stage,
    refereeing,
)
from chalicelib.services.placing import MAX_ATTEMPTS, back_off
from chalicelib.storage import Store
from chalicelib.storage.audit import audit_item
from chalicelib.storage.writes import TransactionFailed


class RoundPlace(NamedTuple):
    """Where a round stands, as read: the stage and discipline, the round's set-up, its run (None: not drawn), the
    discipline's rounds and their version, and the round's marks (entry → stored marks)."""

    stage: Stage
    discipline: Discipline
    spec: RoundSpec
    drawn: DisciplineRounds
    version: int | None
    marks: dict[str, Mapping[str, Any]]

    @property
    def run(self) -> RoundRun | None:
        return self.drawn.run(self.spec.code)


def _discipline(state: CompetitionState, stage_id: str, discipline_code: str) -> tuple[Stage, Discipline]:
    stage = _stage(state, stage_id)
    if stage.kind != StageKind.MEASURED or stage.meet is None:
        raise NotFound("stage_not_found")
    discipline = next((d for d in stage.meet.disciplines if d.code == discipline_code), None)
    if discipline is None:
        raise NotFound("discipline_not_found")
    return stage, discipline


def round_place(state: CompetitionState, stage_id: str, discipline_code: str, round_code: str) -> RoundPlace:
    stage, discipline = _discipline(state, stage_id, discipline_code)
    spec = next((spec for spec in discipline.rounds if spec.code == round_code), None)
    if spec is None:
        raise NotFound("round.not_found")
    drawn, version = round_results.drawn_rounds(state.rounds, stage_id, discipline_code)
    marks = dict(state.round_marks.get((stage_id, discipline_code), {}).get(round_code, {}))
    return RoundPlace(stage, discipline, spec, drawn, version, marks)


def _open_stage(state: CompetitionState, stage_id: str) -> None:
    if state.competition.run(stage_id).state == StageState.CLOSED:
        raise Conflict("stage_closed")


def parse_attempts(discipline: Discipline, attempts: Sequence[str | None]) -> dict[str, Any]:
    """Attempts as officials write them, read for a discipline (its plausible range): the data stored for a
    performance (chalicelib.domain.competition.marks.parse_performance); refused with the attempt's field problem."""
    if len(attempts) > discipline.attempts:
        raise _invalid("too_many_attempts", "attempts", str(len(attempts)))
    measure = measured_rules.Measure(discipline.measure)
    try:
        return mark_rules.parse_performance(measure, attempts, mark_rules.discipline_range(discipline)).data()
    except measured_rules.MarkInvalid as problem:
        names = {"discipline_zh": discipline.name_zh, "discipline_en": discipline.name_en or discipline.name_zh}
        raise InvalidInput([mark_rules.field_problem(problem, attempts, names)]) from problem


def _seed_marks(discipline: Discipline, texts: Mapping[str, str]) -> dict[str, Decimal]:
    measure = measured_rules.Measure(discipline.measure)
    marks = {}
    for entry_id, text in texts.items():
        if entry_id not in discipline.entries:
            raise _invalid("entry_not_found", f"seed_marks.{entry_id}", entry_id)
        if text.strip():
            try:
                marks[entry_id] = measured_rules.parse_mark(measure, text)
            except measured_rules.MarkInvalid as problem:
                raise _invalid(problem.code, f"seed_marks.{entry_id}", text) from problem
    return marks


def _write(store: Store, state: CompetitionState, place: RoundPlace, run: RoundRun, by: str, at: datetime,
           audit: Any = None) -> None:  # fmt: skip
    drawn = DisciplineRounds(runs={**place.drawn.runs, run.code: run})
    try:
        store.competitions.put_rounds(state.event.event_id, state.version, place.stage.stage_id,
                                      place.discipline.code, drawn.model_dump(mode="json"), place.version, by, at,
                                      audit)  # fmt: skip
    except TransactionFailed as failure:
        raise Conflict("round.changed_meanwhile") from failure


def draw(
    store: Store, principal: Principal, event_id: str, stage_id: str, discipline_code: str, round_code: str,
    at: datetime, *, seed: str | None = None, seed_marks: Mapping[str, str] | None = None,
) -> RoundRun:  # fmt: skip
    """Draw a round's heats and lanes (organisers): the first round from the discipline's entries (seeded by the
    seed marks given), a later one from who went on from the round before, once it is closed. Drawn again until
    its first mark, audited with both seeds."""
    state = _managed_state(store, principal, event_id)
    _open_stage(state, stage_id)
    place = round_place(state, stage_id, discipline_code, round_code)
    before = place.run
    if before is not None and before.closed:
        raise Conflict("round.closed")
    if place.marks:
        raise Conflict("round.marks_entered")
    measure = measured_rules.Measure(place.discipline.measure)
    marks = _seed_marks(place.discipline, seed_marks or {})
    seed = seed or new_seed()
    first = round_rules.previous_round(place.discipline.rounds, round_code) is None
    try:
        entries = round_rules.round_entries(place.discipline.rounds, place.drawn, round_code, place.discipline.entries)
        heats = round_rules.draw_round(measure, place.spec, entries, seed, first=first, seed_marks=marks)
    except DrawError as problem:
        raise Conflict(problem.code, details={"message": problem.message}, **problem.params) from problem
    by = principal.member_no
    run = RoundRun(code=place.spec.code, seed=seed, heats=heats, drawn_at=at, drawn_by=by,
                   redraws=before.redraws + 1 if before else 0)  # fmt: skip
    audit = None
    if before is not None:
        target = f"{event_id}/{stage_id}/{discipline_code}/{round_code}"
        audit = audit_item(state.event.owner_unit_id, by, "competition.round_redraw", target,
                           before={"seed": before.seed}, after={"seed": seed})  # fmt: skip
    _write(store, state, place, run, by, at, audit)
    return run


def enter_marks(
    store: Store, principal: Principal, event_id: str, stage_id: str, discipline_code: str, round_code: str,
    entry_id: str, attempts: Sequence[str | None], at: datetime,
) -> dict[str, Any]:  # fmt: skip
    """Record an entry's marks in a round (organisers and referees), read as ``enter_performance`` reads them.
    Refused for an entry not on the round's start list, a round not drawn or closed."""
    for attempt in range(MAX_ATTEMPTS):
        state = refereeing(store, principal, event_id)
        _open_stage(state, stage_id)
        place = round_place(state, stage_id, discipline_code, round_code)
        run = place.run
        if run is None or place.version is None:
            raise Conflict("round.not_drawn")
        if run.closed:
            raise Conflict("round.closed")
        if run.heat_of(entry_id) is None:
            raise NotFound("round.entry_not_in_round")
        data = parse_attempts(place.discipline, attempts)
        try:
            store.competitions.put_round_mark(event_id, state.version, stage_id, discipline_code, round_code,
                                              entry_id, data, place.version, principal.staff_no or "", at)  # fmt: skip
        except TransactionFailed:
            back_off(attempt)  # another mark or a close landed first: read again
            continue
        return data
    raise Conflict("round.changed_meanwhile")


def missing(place: RoundPlace) -> list[str]:
    """The entries of a drawn round without marks yet, in heat and lane order."""
    run = place.run
    return [entry for entry in (run.entries() if run else []) if entry not in place.marks]


def close(
    store: Store, principal: Principal, event_id: str, stage_id: str, discipline_code: str, round_code: str,
    at: datetime, *, missing_ok: bool = False,
) -> RoundRun:  # fmt: skip
    """Close a round (organisers): its marks are final and who goes on is settled (Q, q; a tie at the last lanes by
    lot). Entries without a mark are named and the close refused (``round.marks_missing``) unless ``missing_ok``."""
    state = _managed_state(store, principal, event_id)
    _open_stage(state, stage_id)
    place = round_place(state, stage_id, discipline_code, round_code)
    run = place.run
    if run is None:
        raise Conflict("round.not_drawn")
    if run.closed:
        raise Conflict("round.closed")
    absent = missing(place)
    if absent and not missing_ok:
        names = state.entry_names()
        raise Conflict("round.marks_missing", details={"missing": absent}, count=len(absent),
                       names="、".join(names.get(entry, entry) for entry in absent))  # fmt: skip
    measure = measured_rules.Measure(place.discipline.measure)
    best, _codes = round_results.best_marks(measure, {round_code: place.marks})
    rounds = place.discipline.rounds
    index = [str(spec.code) for spec in rounds].index(round_code)
    changes: dict[str, Any] = {"closed": True, "closed_at": at}
    if index + 1 < len(rounds):
        heats = [[lane.entry_id for lane in heat] for heat in run.heats]
        try:
            going = round_rules.going_on(measure, place.spec, heats, best.get(round_code, {}), run.seed,
                                         round_rules.capacity(rounds[index + 1]))  # fmt: skip
        except DrawError as problem:
            raise Conflict(problem.code, details={"message": problem.message}, **problem.params) from problem
        changes |= {"qualified": going.by_place, "by_time": going.by_time, "by_lot": going.by_lot}
    closed = run.model_copy(update=changes)
    _write(store, state, place, closed, principal.member_no, at)
    return closed


def enter_heat(
    store: Store, principal: Principal, event_id: str, stage_id: str, discipline_code: str, round_code: str,
    marks: Mapping[str, str], at: datetime,
) -> int:  # fmt: skip
    """Several entries' marks at once (a heat's sheet; blanks skipped): every mark is read first and nothing is
    written when one is refused (its problem at ``marks.<entry>``). Returns how many were entered."""
    state = refereeing(store, principal, event_id)
    place = round_place(state, stage_id, discipline_code, round_code)
    run = place.run
    if run is None:
        raise Conflict("round.not_drawn")
    given = {entry: text.strip() for entry, text in marks.items() if text.strip()}
    problems: list[dict[str, Any]] = []
    for entry, text in given.items():
        if run.heat_of(entry) is None:
            raise NotFound("round.entry_not_in_round")
        try:
            parse_attempts(place.discipline, [text])
        except InvalidInput as refused:
            problems += [{**problem, "loc": ("marks", entry)} for problem in refused.problems]
    if problems:
        raise InvalidInput(problems)
    for entry, text in given.items():
        enter_marks(store, principal, event_id, stage_id, discipline_code, round_code, entry, [text], at)
    return len(given)
