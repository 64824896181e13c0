"""Running an event's competition: set-up, draws (redone before play, audited), results entered by referees,
judges' marks, measured performances, closing stages, publishing.

The rules are pure (chalicelib.domain.competition); this module reads, asks them, and writes with conditions:
every write checks the set-up's ``version`` it was made from, so a result cannot land in a draw that was redone
meanwhile, and two referees entering the same match cannot both win (each match item has its own version).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, Final, NamedTuple

from pydantic import ValidationError

from chalicelib.domain.access import Principal, can_manage_event
from chalicelib.domain.competition import contests as contest_rules
from chalicelib.domain.competition import fairness, round_results, scoring
from chalicelib.domain.competition import marks as mark_rules
from chalicelib.domain.competition import relays as relay_rules
from chalicelib.domain.competition.formats import format_problems, match_format
from chalicelib.domain.competition.model import Match, MatchStatus, Result
from chalicelib.domain.competition.progress import ProgressError, correct, record, started
from chalicelib.domain.competition.setup import (
    MATCH_KINDS,
    Competition,
    CompetitionEntry,
    Criterion,
    EntryKind,
    Stage,
    StageKind,
    StageRun,
    StageState,
)
from chalicelib.domain.competition.stages import (
    StageError,
    StageOutcome,
    draw_stage,
    group_places_problems,
    judged_outcome,
    knockout_outcome,
    measured_outcome,
    new_seed,
    next_swiss_round,
    qualifiers,
    table_outcome,
)
from chalicelib.domain.competition.standings import PRESETS
from chalicelib.domain.competition.timetable import Timetable, overlay, stored_timetable
from chalicelib.domain.ids import sortable_id
from chalicelib.domain.records import (
    EntryType,
    Event,
    RegistrationState,
    TeamState,
)
from chalicelib.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.services.events import managed_event
from chalicelib.services.placing import MAX_ATTEMPTS, back_off
from chalicelib.services.registration import visible_event
from chalicelib.storage import Store
from chalicelib.storage.audit import audit_item
from chalicelib.storage.competition import StoredMarks
from chalicelib.storage.writes import TransactionFailed

REFEREE_ROLE: Final = "referee"
JUDGE_ROLE: Final = "judge"
OFFICIAL_ROLES: Final = (REFEREE_ROLE, JUDGE_ROLE)
_BRACKET_ORDER = {"W": 0, "3P": 1, "L": 2, "GF": 3}


def _invalid(code: str, location: str, message: str) -> InvalidInput:
    return InvalidInput([{"type": code, "loc": (location,), "msg": message, "ctx": {"input": message}}])


def _match_order(match: Match) -> tuple[Any, ...]:
    return (_BRACKET_ORDER.get(match.bracket, 9), match.bracket, match.round, match.order, match.leg)


@dataclass(frozen=True)
class CompetitionState:
    """An event's competition as read: set-up, the matches of each stage's current draw, marks, performances."""

    event: Event
    competition: Competition
    version: int
    matches: dict[str, list[Match]] = field(default_factory=dict)
    match_versions: dict[tuple[str, str], int] = field(default_factory=dict)
    marks: list[StoredMarks] = field(default_factory=list)
    # stage → discipline → entry
    performances: dict[str, dict[str, dict[str, dict[str, Any]]]] = field(default_factory=dict)
    timetable: Timetable = field(default_factory=Timetable)  # venue and placements, applied to ``matches``
    timetable_version: int | None = None
    judges: dict[str, str] = field(default_factory=dict)  # the event's judges: 工号 → unit (judged contests only)
    rounds: round_results.StoredRounds = field(default_factory=dict)  # heats and finals (services/meet_rounds.py)
    round_marks: round_results.StoredRoundMarks = field(default_factory=dict)

    def stage_matches(self, stage_id: str) -> list[Match]:
        return self.matches.get(stage_id, [])

    def stage_marks(self, stage_id: str) -> dict[str, dict[str, dict[str, float]]]:
        """entry → judge → criterion → mark."""
        marks: dict[str, dict[str, dict[str, float]]] = {}
        for item in self.marks:
            if item.stage_id == stage_id:
                marks.setdefault(item.entry_id, {})[item.judge] = item.marks
        return marks

    def entry_names(self) -> dict[str, str]:
        return {entry.entry_id: entry.name for entry in self.competition.entries}

    def entry_units(self) -> dict[str, str]:
        return {entry.entry_id: entry.unit_id for entry in self.competition.entries}


def _load(store: Store, event: Event) -> CompetitionState | None:
    items = store.competitions.get(event.event_id)
    if items is None:
        return None
    competition = Competition.model_validate(items.setup)
    draws = {stage_id: run.draw_id for stage_id, run in competition.runs.items() if run.draw_id}
    matches: dict[str, list[Match]] = {}
    versions: dict[tuple[str, str], int] = {}
    for stored in items.matches:
        if draws.get(stored.stage_id) == stored.draw_id:
            matches.setdefault(stored.stage_id, []).append(stored.match)
            versions[(stored.stage_id, stored.match.match_id)] = stored.version
    timetable = stored_timetable(items.timetable)
    for stage_id, stage_matches in matches.items():
        matches[stage_id] = overlay(sorted(stage_matches, key=_match_order), timetable.venue, timetable.placements)
    performances: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
    for item in items.performances:
        performances.setdefault(item.stage_id, {}).setdefault(item.discipline, {})[item.entry_id] = item.data
    rounds = {(item.stage_id, item.discipline): (item.data, item.version) for item in items.rounds}
    round_marks: dict[tuple[str, str], dict[str, dict[str, dict[str, Any]]]] = {}
    for mark in items.round_marks:
        by_round = round_marks.setdefault((mark.stage_id, mark.discipline), {})
        by_round.setdefault(mark.round_code, {})[mark.entry_id] = mark.data
    judges = {}
    if any(stage.kind == StageKind.JUDGED for stage in competition.stages):  # conflicts of interest need their units
        judges = {r.staff_no: r.unit_id for r in store.event_roles.for_event(event.event_id) if JUDGE_ROLE in r.roles}
    return CompetitionState(event, competition, items.version, matches, versions, items.marks, performances,
                            timetable, items.timetable_version, judges, rounds, round_marks)  # fmt: skip


def load(store: Store, event: Event) -> CompetitionState | None:
    """The competition of an event the caller has read and may see, or None when none is set up: one read, for the
    member's own pages (chalicelib.services.fixtures_views.next_matches: published competitions only)."""
    return _load(store, event)


def _set_up(store: Store, event: Event) -> CompetitionState:
    """The event's competition, or 404 when none is set up."""
    state = _load(store, event)
    if state is None:
        raise NotFound("competition_not_set_up")
    return state


# ---- who may do what -----------------------------------------------------------------------------------------


def _roles(store: Store, principal: Principal, event: Event) -> frozenset[str]:
    """The caller's roles for this event, read by key; an organiser named judge of their own event is a judge."""
    if not principal.signed_in:
        return frozenset()
    role = store.event_roles.get(event.event_id, principal.staff_no or "")
    return role.roles if role else frozenset()


def _may_referee(store: Store, principal: Principal, event: Event) -> bool:
    return can_manage_event(principal, event.owner_unit_id) or REFEREE_ROLE in _roles(store, principal, event)


def _is_judge(store: Store, principal: Principal, event: Event) -> bool:
    return JUDGE_ROLE in _roles(store, principal, event)


def view(store: Store, principal: Principal, event_id: str) -> CompetitionState:
    """The competition for its pages: published ones for everyone, unpublished ones for organisers and officials."""
    event = visible_event(store, principal, event_id)
    state = _set_up(store, event)
    if not state.competition.published and not (
        can_manage_event(principal, event.owner_unit_id) or _roles(store, principal, event) & set(OFFICIAL_ROLES)
    ):
        raise NotFound("competition_not_published")
    return state


def refereeing(store: Store, principal: Principal, event_id: str) -> CompetitionState:
    """The competition for entering results (its pages): the event's organisers and referees; Forbidden for others."""
    event = visible_event(store, principal, event_id)
    if not _may_referee(store, principal, event):
        raise Forbidden()
    state = _set_up(store, event)
    return state


def managed(store: Store, principal: Principal, event_id: str) -> tuple[Event, CompetitionState | None]:
    event = managed_event(store, principal, event_id)
    return event, _load(store, event)


def _managed_state(store: Store, principal: Principal, event_id: str) -> CompetitionState:
    return _set_up(store, managed_event(store, principal, event_id))


# ---- entries -------------------------------------------------------------------------------------------------


def event_entries(store: Store, event: Event) -> list[CompetitionEntry]:
    """Who competes, from the event's entries: its teams, its confirmed pairs (by the lead) or its confirmed
    members, in the order they entered."""
    if event.entry_type == EntryType.TEAM:
        teams = [team for team in store.teams.for_event(event.event_id) if team.state == TeamState.ENTERED]
        teams.sort(key=lambda team: team.created_at)
        return [CompetitionEntry(entry_id=team.team_id, name=team.name, unit_id=team.unit_id, members=team.roster)
                for team in teams]  # fmt: skip
    registrations = [
        registration
        for registration in store.registrations.for_event(event.event_id)
        if registration.state == RegistrationState.CONFIRMED
    ]
    registrations.sort(key=lambda registration: registration.registered_at)
    if event.entry_type == EntryType.PAIR:
        return [
            CompetitionEntry(
                entry_id=r.staff_no,
                name=f"{r.name} / {r.partner_name or r.partner or ''}".strip(" /"),
                unit_id=r.unit_id,
                members=(r.staff_no, r.partner) if r.partner else (),
            )
            for r in registrations
        ]
    return [CompetitionEntry(entry_id=r.staff_no, name=r.name, unit_id=r.unit_id) for r in registrations]


def _entry_kind(event: Event) -> EntryKind:
    return {EntryType.TEAM: EntryKind.TEAM, EntryType.PAIR: EntryKind.PAIR}.get(event.entry_type, EntryKind.INDIVIDUAL)


# ---- set-up --------------------------------------------------------------------------------------------------


def _save(
    store: Store, state_or_event: CompetitionState | Event, competition: Competition, by: str, at: datetime,
    action: str, before: dict[str, Any] | None, after: dict[str, Any] | None,
) -> int:  # fmt: skip
    event = state_or_event.event if isinstance(state_or_event, CompetitionState) else state_or_event
    expected = state_or_event.version if isinstance(state_or_event, CompetitionState) else None
    audit = audit_item(event.owner_unit_id, by, action, event.event_id, before=before, after=after)
    try:
        return store.competitions.save_setup(
            event.event_id, competition.model_dump(mode="json"), expected, by, at, audit
        )
    except TransactionFailed as failure:
        raise Conflict("competition_changed_meanwhile") from failure


def configure(
    store: Store, principal: Principal, event_id: str, setup: dict[str, Any], at: datetime,
    *, expected_version: int | None = None,
) -> Competition:  # fmt: skip
    """Set up (or change) the competition of an event before anything is drawn. Entries are taken from the
    event's registrations or teams; seeds given by the organiser (entry → seed) are kept. ``expected_version``: the
    set-up version a caller built ``setup`` from (a review page); another version → competition_changed_meanwhile."""
    event, state = managed(store, principal, event_id)
    _check_configurable(state, expected_version)
    seeds: Mapping[str, int] = setup.get("seeds") or {}
    entries = [entry.model_copy(update={"seed": seeds.get(entry.entry_id)}) for entry in event_entries(store, event)]
    stored = state.competition if state is not None else None
    setup, relay_teams = relay_rules.kept_relays(stored, setup)
    setup, entries = contest_rules.kept_entrants(stored, setup, entries)
    entries += relay_teams
    unknown = sorted(set(seeds) - {entry.entry_id for entry in entries})
    if unknown:
        raise _invalid("unknown_entries", "seeds", ",".join(unknown))
    document = {key: value for key, value in setup.items() if key != "seeds"}
    try:
        competition = Competition.model_validate(
            {**document, "event_id": event_id, "entry_kind": _entry_kind(event), "entries": entries}
        )
    except ValidationError as problem:  # a set-up that cannot be played (a knockout leading on ...) is bad input
        raise InvalidInput(problem.errors(include_url=False)) from problem
    _check_seeds(competition)
    _check_meet_entries(competition)
    before = state.competition.model_dump(mode="json", exclude={"entries", "runs"}) if state else None
    after = competition.model_dump(mode="json", exclude={"entries", "runs"})
    _save(store, state or event, competition, principal.staff_no or "", at, "competition.setup", before, after)
    return competition


def _check_configurable(state: CompetitionState | None, expected_version: int | None) -> None:
    """A set-up may change before anything is drawn, and only over the version its caller read (when it says)."""
    if expected_version is not None and (state is None or state.version != expected_version):
        raise Conflict("competition_changed_meanwhile")
    if state is not None and any(run.state != StageState.PENDING for run in state.competition.runs.values()):
        raise Conflict("competition_drawn")


def _check_meet_entries(competition: Competition) -> None:
    """A meet's disciplines list entries of the competition: their units make the team totals."""
    known = {entry.entry_id for entry in competition.entries}
    named = {entry for stage in competition.stages if stage.meet for d in stage.meet.disciplines for entry in d.entries}
    if named - known:
        raise _invalid("unknown_entries", "stages", ",".join(sorted(named - known)))


def _check_seeds(competition: Competition) -> None:
    seeds = sorted(entry.seed for entry in competition.entries if entry.seed)
    if seeds != list(range(1, len(seeds) + 1)):
        raise _invalid("seeds_not_consecutive", "seeds", ",".join(map(str, seeds)))
    problems = [*format_problems(competition), *group_places_problems(competition)]
    if problems:
        raise InvalidInput(
            [
                {"type": p.code, "loc": p.location, "msg": p.value, "ctx": {"input": p.value, **(p.params or {})}}
                for p in problems
            ]
        )
    if competition.tiebreak not in PRESETS:
        raise _invalid("unknown_tiebreak", "tiebreak", competition.tiebreak)


# ---- draws ---------------------------------------------------------------------------------------------------


def _stage(state: CompetitionState, stage_id: str) -> Stage:
    stage = state.competition.stage(stage_id)
    if stage is None:
        raise NotFound("stage_not_found")
    return stage


def _stage_entries(state: CompetitionState, stage: Stage) -> list[str]:
    previous = state.competition.previous_stage(stage.stage_id)
    if previous is None:  # every entry; a contest event's own entrants (issue 19 item 7)
        return list(state.competition.first_entries(stage))
    run = state.competition.run(previous.stage_id)
    if run.state != StageState.CLOSED:
        raise Conflict("previous_stage_open")
    return list(run.qualified)


def draw(
    store: Store, principal: Principal, event_id: str, stage_id: str, at: datetime, *, seed: str | None = None,
    draw_id: str | None = None,
) -> CompetitionState:  # fmt: skip
    """Draw a stage (or redo its draw, until a result is entered). A new seed is made and recorded; the old
    draw's seed stays in the audit log. ``seed`` and ``draw_id`` fix them instead (the demo union's draws)."""
    state = _managed_state(store, principal, event_id)
    stage = _stage(state, stage_id)
    return _draw(store, state, stage, principal.staff_no or "", at, seed=seed or new_seed(), draw_id=draw_id)


def _draw(
    store: Store, state: CompetitionState, stage: Stage, by: str, at: datetime, seed: str, draw_id: str | None = None
) -> CompetitionState:
    competition = state.competition
    run = competition.run(stage.stage_id)
    if run.state == StageState.CLOSED:
        raise Conflict("stage_closed")
    if started(state.stage_matches(stage.stage_id)) or run.panel_closed:
        raise Conflict("stage_started")
    entry_ids = _stage_entries(state, stage)
    try:
        drawn = draw_stage(competition, stage, entry_ids, seed)
    except StageError as problem:
        raise Conflict(problem.code, details={"message": problem.message}, **problem.params) from problem
    draw_id = draw_id or sortable_id("d")
    store.competitions.put_matches(state.event.event_id, stage.stage_id, draw_id, drawn.matches, at)
    updated = competition.with_run(
        stage.stage_id,
        state=StageState.DRAWN,
        entries=tuple(entry_ids),
        draw_id=draw_id,
        seed=seed,
        drawn_at=at,
        drawn_by=by,
        redraws=run.redraws + (1 if run.draw_id else 0),
        groups=drawn.groups,
        line=drawn.line,
        swiss_round=1 if stage.kind == StageKind.SWISS else 0,
    )
    action = "competition.redraw" if run.draw_id else "competition.draw"
    before = {"stage": stage.stage_id, "seed": run.seed, "draw_id": run.draw_id} if run.draw_id else None
    after = {"stage": stage.stage_id, "seed": seed, "draw_id": draw_id, **drawn.audited()}
    try:
        version = _save(store, state, updated, by, at, action, before, after)
    except Conflict:
        store.competitions.delete_draw(state.event.event_id, stage.stage_id, draw_id)
        raise
    if run.draw_id:
        store.competitions.delete_draw(state.event.event_id, stage.stage_id, run.draw_id)
    matches = {**state.matches, stage.stage_id: sorted(drawn.matches, key=_match_order)}
    versions = {key: value for key, value in state.match_versions.items() if key[0] != stage.stage_id}
    versions.update({(stage.stage_id, match.match_id): 0 for match in drawn.matches})
    return replace(state, competition=updated, version=version, matches=matches, match_versions=versions)


def next_round(store: Store, principal: Principal, event_id: str, stage_id: str, at: datetime) -> list[Match]:
    """Pair the next round of a Swiss stage from the table so far."""
    state = _managed_state(store, principal, event_id)
    stage = _stage(state, stage_id)
    run = state.competition.run(stage_id)
    if stage.kind != StageKind.SWISS or run.state != StageState.DRAWN:
        raise Conflict("not_a_running_swiss_stage")
    try:
        matches = next_swiss_round(stage, state.stage_matches(stage_id), run.entries, state.competition.tiebreak,
                                   run.seed or "")  # fmt: skip
    except StageError as problem:
        raise Conflict(problem.code) from problem
    store.competitions.put_matches(event_id, stage_id, run.draw_id or "", matches, at)
    updated = state.competition.with_run(stage_id, swiss_round=run.swiss_round + 1)
    _save(store, state, updated, principal.staff_no or "", at, "competition.swiss_round", None,
          {"stage": stage_id, "round": run.swiss_round + 1})  # fmt: skip
    return matches


# ---- results -------------------------------------------------------------------------------------------------


def parse_result(competition: Competition, match: Match, payload: Mapping[str, Any]) -> Result:
    """A result as posted: games (or a score), an outcome, rubbers for a team tie; checked against the match's
    format (its stage's, formats.match_format)."""
    fmt = match_format(competition, match)
    try:
        return scoring.result_from_input(fmt, payload)
    except scoring.ScoreInvalid as problem:
        raise InvalidInput([score_problem(fmt, each) for each in (problem, *problem.others)]) from problem


def score_problem(fmt: scoring.MatchFormat, problem: scoring.ScoreInvalid) -> dict[str, Any]:
    """A score refused, as an InvalidInput problem that says where: the rubber of a tie (its number, code and name,
    a message id with its parameters) and the game (its number and score), ``loc`` the path of that game in the
    posted result. A page marks that game with it; the API names it (chalicelib.http.middleware)."""
    where: dict[str, Any] = {"rubber": problem.rubber, "game": problem.game}
    loc: list[str | int] = ["result"]
    rubbers = fmt.rubbers if isinstance(fmt, scoring.TieFormat) else ()
    codes = [spec.code for spec in rubbers]
    if problem.rubber in codes:
        index = codes.index(problem.rubber)
        spec = rubbers[index]
        where |= {"rubber_number": index + 1, "rubber_name": spec.name, "rubber_name_params": spec.name_params()}
        loc += ["rubbers", index]
    if problem.game is not None:
        loc += ["games", problem.game - 1]
    if problem.score is not None:
        where["score"] = "{}:{}".format(*problem.score)
    kind = problem.reason or problem.code
    return {"type": kind, "loc": tuple(loc), "msg": str(problem), "ctx": {"input": str(problem), **where}}


def _progressed(by_id: dict[str, Match], match: Match, result: Result, correcting: bool) -> dict[str, Match]:
    """The matches ``result`` changes: recorded for a match not played yet, corrected (when meant) for one played."""
    # A second referee entering the same match must not overwrite the first without meaning to.
    if match.status == MatchStatus.DONE and not correcting:
        raise Conflict("already_played", details={"matches": [match.match_id]})
    try:
        if match.status == MatchStatus.DONE:
            return correct(by_id, match.match_id, result)
        return record(by_id, match.match_id, result)
    except ProgressError as problem:
        raise Conflict(problem.code, details={"matches": list(problem.matches)}) from problem


class EnteredResult(NamedTuple):
    match: Match
    # The competition the result was written over: its entries and rounds are what a response names the match with
    # (a result changes neither), so the caller need not read the event again.
    state: CompetitionState


def enter_result(
    store: Store,
    principal: Principal,
    event_id: str,
    stage_id: str,
    match_id: str,
    payload: Mapping[str, Any],
    at: datetime,
) -> EnteredResult:
    """Record a match's result, or correct it (``"correct": true`` in the payload). Referees of the event and its
    organisers may; the winner moves on. A correction that would change who went on is refused once they have
    played their next match."""
    event = visible_event(store, principal, event_id)
    if not _may_referee(store, principal, event):
        raise Forbidden()
    for attempt in range(MAX_ATTEMPTS):
        state = _set_up(store, event)
        run = state.competition.run(stage_id)
        if run.state == StageState.CLOSED:
            raise Conflict("stage_closed")
        by_id = {match.match_id: match for match in state.stage_matches(stage_id)}
        match = by_id.get(match_id)
        if match is None:
            raise NotFound("match_not_found")
        result = parse_result(state.competition, match, payload)
        changed = _progressed(by_id, match, result, bool(payload.get("correct")))
        audit = audit_item(
            event.owner_unit_id,
            principal.member_no,
            "competition.correct" if match.status == MatchStatus.DONE else "competition.result",
            f"{event_id}/{stage_id}/{match_id}",
            before=match.result.to_dict() if match.result else None,
            after=result.to_dict(),
        )
        writes = [
            (stage_id, run.draw_id or "", changed_match, state.match_versions[(stage_id, changed_match.match_id)])
            for changed_match in changed.values()
        ]
        try:
            store.competitions.save_results(event_id, state.version, writes, principal.staff_no or "", at, audit)
        except TransactionFailed as failure:
            if not failure.contended and not failure.failed:
                raise
            back_off(attempt)
            continue
        return EnteredResult(changed[match_id], state)
    raise Conflict("competition_busy")


# ---- judged stages -------------------------------------------------------------------------------------------


def _judged_stage(state: CompetitionState, stage_id: str) -> Stage:
    stage = _stage(state, stage_id)
    if stage.kind != StageKind.JUDGED or stage.judging is None:
        raise NotFound("stage_not_found")
    return stage


def judge_sheet(
    store: Store, principal: Principal, event_id: str, stage_id: str
) -> tuple[CompetitionState, Stage, StageRun, list[str], dict[str, dict[str, Any]]]:
    """What a judge marks in a stage: their assigned entries and their own marks, never another judge's while the
    panel is open."""
    event = visible_event(store, principal, event_id)
    if not _is_judge(store, principal, event):
        raise Forbidden()
    state = _set_up(store, event)
    stage = _judged_stage(state, stage_id)
    assert stage.judging is not None
    run = state.competition.run(stage_id)
    judge = principal.staff_no or ""
    entries = fairness.may_mark(state.competition, stage, state.judges, judge)  # never their own entry
    own = {item.entry_id: item.marks for item in state.marks if item.stage_id == stage_id and item.judge == judge}
    return state, stage, run, entries, own


def _marks_problems(criteria: Mapping[str, Criterion], marks: Mapping[str, float]) -> list[dict[str, Any]]:
    """A mark missing or out of range for each criterion, and each mark for no criterion, as InvalidInput lists."""
    return [
        {"type": "mark_out_of_range", "loc": ("marks", code), "msg": code, "ctx": {"input": marks.get(code)}}
        for code, criterion in criteria.items()
        if code not in marks or not (0 <= marks[code] <= criterion.max_mark)
    ] + [
        {"type": "unknown_criterion", "loc": ("marks", code), "msg": code, "ctx": {"input": code}}
        for code in marks
        if code not in criteria
    ]


def submit_marks(
    store: Store, principal: Principal, event_id: str, stage_id: str, entry_id: str, marks: Mapping[str, float],
    at: datetime,
) -> dict[str, float]:  # fmt: skip
    state, stage, run, entries, _own = judge_sheet(store, principal, event_id, stage_id)
    assert stage.judging is not None
    if run.state != StageState.DRAWN or run.panel_closed:
        raise Conflict("panel_closed" if run.panel_closed or run.state == StageState.CLOSED else "stage_not_open")
    if entry_id not in entries:
        raise Forbidden("entry_not_assigned")
    if entry_id in run.revealed:  # shown on the hall screen: final (chalicelib.domain.competition.hall)
        raise Conflict("score_revealed")
    criteria = {criterion.code: criterion for criterion in stage.judging.criteria}
    problems = _marks_problems(criteria, marks)
    if problems:
        raise InvalidInput(problems)
    clean = {code: float(Decimal(str(marks[code])).quantize(Decimal("0.01"))) for code in criteria}
    try:
        store.competitions.put_marks(event_id, state.version, stage_id, entry_id, principal.staff_no or "", clean, at)
    except TransactionFailed as failure:
        raise Conflict("panel_closed") from failure
    return clean


# ---- outcomes, closing, publishing ---------------------------------------------------------------------------


def outcome(state: CompetitionState, stage: Stage) -> StageOutcome:
    """A stage's standings, placings, judged ranking with awards, or meet results with unit totals, as of now."""
    competition = state.competition
    run = competition.run(stage.stage_id)
    lot_seed = run.seed or competition.event_id
    if stage.kind in MATCH_KINDS:
        matches = state.stage_matches(stage.stage_id)
        if stage.kind in (StageKind.SINGLE_ELIMINATION, StageKind.DOUBLE_ELIMINATION):
            return knockout_outcome(matches)
        return table_outcome(competition, stage, matches, lot_seed)
    if stage.kind == StageKind.JUDGED:
        assert stage.judging is not None
        marks = state.stage_marks(stage.stage_id)
        return judged_outcome(stage.judging, run.entries, marks, lot_seed,
                              fairness.excused_counts(state.competition, stage, state.judges))  # fmt: skip
    performances, statuses = mark_rules.meet_marks(state.performances.get(stage.stage_id, {}))
    in_rounds = round_results.stage_placings(stage, state.rounds, state.round_marks)
    return measured_outcome(stage, performances, state.entry_units(), statuses, in_rounds)


def close_stage(
    store: Store, principal: Principal, event_id: str, stage_id: str, at: datetime, *, draw_id: str | None = None
) -> CompetitionState:
    """Close a stage: its ranking is fixed, its qualifiers go on, and a knockout after groups is drawn at once
    (the crossing decides it, no lot; ``draw_id`` fixes that draw's id). A judged stage's panel closes with it, and
    its marks become visible."""
    state = _managed_state(store, principal, event_id)
    stage = _stage(state, stage_id)
    run = state.competition.run(stage_id)
    if run.state == StageState.PENDING and stage.kind != StageKind.MEASURED:
        # A judged stage takes marks only once opened: closing it before would rank nobody and end the contest.
        raise Conflict("stage_not_open" if stage.kind == StageKind.JUDGED else "stage_not_drawn")
    if run.state == StageState.CLOSED:
        raise Conflict("stage_closed")
    result = outcome(state, stage)
    if not result.complete:
        raise Conflict("stage_unfinished")
    next_stage = state.competition.next_stage(stage_id)
    qualified = qualifiers(stage, result) if next_stage is not None else []
    competition = state.competition.with_run(
        stage_id,
        state=StageState.CLOSED,
        entries=run.entries or tuple(_stage_entries(state, stage)),
        panel_closed=True,
        ranking=tuple(result.ranking),
        qualified=tuple(qualified),
        closed_at=at,
    )
    version = _save(store, state, competition, principal.staff_no or "", at, "competition.close_stage", None,
                    {"stage": stage_id, "qualified": qualified})  # fmt: skip
    state = replace(state, competition=competition, version=version)
    if next_stage is None:
        return state
    return _start_next(store, state, stage, next_stage, qualified, principal.staff_no or "", at, draw_id)


def _start_next(
    store: Store, state: CompetitionState, closed: Stage, next_stage: Stage, qualified: list[str], staff_no: str,
    at: datetime, draw_id: str | None = None,
) -> CompetitionState:  # fmt: skip
    """What closing ``closed`` starts: a final round of a judged contest opens with its finalists (nothing to draw);
    a knockout after groups is drawn at once."""
    if next_stage.kind not in MATCH_KINDS:
        competition = state.competition.with_run(next_stage.stage_id, state=StageState.DRAWN, entries=tuple(qualified))
        version = _save(store, state, competition, staff_no, at, "competition.open_stage", None,
                        {"stage": next_stage.stage_id})  # fmt: skip
        return replace(state, competition=competition, version=version)
    if closed.kind == StageKind.GROUPS:
        seed = state.competition.run(closed.stage_id).seed
        return _draw(store, state, next_stage, staff_no, at, seed=seed or new_seed(), draw_id=draw_id)
    return state


def open_stage(
    store: Store, principal: Principal, event_id: str, stage_id: str, at: datetime, *, seed: str | None = None
) -> CompetitionState:
    """Open the first stage of a judged contest or a meet for marks (they have no draw). ``seed`` fixes the seed
    its lots are drawn from (the demo union's)."""
    state = _managed_state(store, principal, event_id)
    stage = _stage(state, stage_id)
    seed = seed or new_seed()
    if stage.kind in MATCH_KINDS:
        return _draw(store, state, stage, principal.staff_no or "", at, seed=seed)
    run = state.competition.run(stage_id)
    if run.state != StageState.PENDING:
        raise Conflict("stage_open")
    entries = tuple(_stage_entries(state, stage))
    competition = state.competition.with_run(
        stage_id, state=StageState.DRAWN, entries=entries, drawn_at=at, drawn_by=principal.staff_no, seed=seed
    )
    version = _save(store, state, competition, principal.staff_no or "", at, "competition.open_stage", None,
                    {"stage": stage_id})  # fmt: skip
    return replace(state, competition=competition, version=version)


def publish(store: Store, principal: Principal, event_id: str, published: bool, at: datetime) -> Competition:
    """Show (or hide) the competition on the public pages: draw, schedule, results, awards."""
    state = _managed_state(store, principal, event_id)
    competition = state.competition.model_copy(
        update={"published": published, "published_at": at if published else None}
    )
    _save(store, state, competition, principal.staff_no or "", at, "competition.publish", None,
          {"published": published})  # fmt: skip
    return competition


def set_seeds(store: Store, principal: Principal, event_id: str, seeds: Mapping[str, int], at: datetime) -> Competition:
    """Seed entries (1 = top seed) before the first draw."""
    state = _managed_state(store, principal, event_id)
    if any(run.state != StageState.PENDING for run in state.competition.runs.values()):
        raise Conflict("competition_drawn")
    unknown = [entry_id for entry_id in seeds if state.competition.entry(entry_id) is None]
    if unknown:
        raise _invalid("unknown_entries", "seeds", ",".join(unknown))
    entries = tuple(entry.model_copy(update={"seed": seeds.get(entry.entry_id)}) for entry in state.competition.entries)
    competition = state.competition.model_copy(update={"entries": entries})
    _check_seeds(competition)
    _save(store, state, competition, principal.staff_no or "", at, "competition.seeds", None, dict(seeds))
    return competition
