"""The timetable of an event's competition: the venue, the scheduler run over the matches, and moves by hand.

Organisers of the event only. The rules are pure (chalicelib.domain.competition.timetable over the scheduler in
chalicelib.domain.competition.schedule); this module reads the competition (one query: the timetable item lives in
its partition), asks them, and writes the timetable item over the version it read. The timetable has a version of
its own, so scheduling never conflicts with referees entering results; two organisers changing it at once cannot
both win: the second reads again and applies its change to what the first wrote (a move, a swap, a lock), or is
refused after too many rounds (``schedule_busy``).

Moves that break a rule are allowed (organisers know things the app does not) and flagged in the view; a match
already played is never moved. Every write is audited, like the competition's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from pydantic import ValidationError

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.competition import timetable as rules
from chalicelib.domain.competition.model import Match, MatchStatus
from chalicelib.domain.competition.schedule import Referee, job_id
from chalicelib.domain.competition.setup import Competition, Stage
from chalicelib.domain.competition.timetable import MatchPlacement, Timetable, Venue
from chalicelib.domain.language import N_
from chalicelib.domain.records import Event
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.services.competition import REFEREE_ROLE, CompetitionState, load
from chalicelib.services.events import managed_event
from chalicelib.services.placing import MAX_ATTEMPTS, back_off
from chalicelib.storage import Store
from chalicelib.storage.audit import audit_item
from chalicelib.storage.writes import TransactionFailed

PLAYED, READY, WAITING = "played", "ready", "waiting"
NO_VENUE = N_("schedule_no_venue")
POSTPONED = N_("schedule_postponed")
NOT_SCHEDULED = N_("schedule_not_scheduled")


class TimetableRow(NamedTuple):
    """One match that takes court time (not a bye, not void), as the timetable places it."""

    key: str  # "<stage_id>/<match_id>" (schedule.job_id)
    match: Match
    stage: Stage
    home_name: str | None
    away_name: str | None
    court: str | None  # the court's id
    court_name: str | None
    starts_at: datetime | None
    ends_at: datetime | None
    referee: str | None  # 工号
    referee_name: str | None
    locked: bool
    postponed_to: date | None
    status: str  # played / ready / waiting
    conflicts: tuple[str, ...]  # the kinds (message ids) of the conflicts it is in


class TimetableView(NamedTuple):
    event: Event
    competition: Competition
    venue: Venue | None
    rows: list[TimetableRow]
    unplaced: list[tuple[str, str]]  # (key, reason message id): not placed, and why (no venue, postponed ...)
    conflicts: list[tuple[str, tuple[str, ...]]]  # (kind message id, the keys in it)
    version: int | None
    days_outside_event: tuple[date, ...] = ()  # days of open sessions that are not the event's (rules.days_outside)


# ---- reading ------------------------------------------------------------------------------------------------


def _state(store: Store, event: Event) -> CompetitionState:
    state = load(store, event)
    if state is None:
        raise NotFound("competition_not_set_up")
    return state


def _referees(store: Store, event: Event) -> list[tuple[Referee, str]]:
    """The event's referees (their unit, and their name), by 工号."""
    roles = [role for role in store.event_roles.for_event(event.event_id) if REFEREE_ROLE in role.roles]
    return [(Referee(role.staff_no, role.unit_id), role.name) for role in sorted(roles, key=lambda r: r.staff_no)]


def _played_matches(state: CompetitionState) -> dict[str, list[Match]]:
    return {
        stage_id: [match for match in matches if rules.played(match)] for stage_id, matches in state.matches.items()
    }


def _status(match: Match) -> str:
    return {MatchStatus.DONE: PLAYED, MatchStatus.READY: READY}.get(match.status, WAITING)


def _view(
    state: CompetitionState, timetable: Timetable, version: int | None, referees: list[tuple[Referee, str]],
    unplaced: Mapping[str, str] | None = None,
) -> TimetableView:  # fmt: skip
    venue, placements = timetable.venue, timetable.placements
    matches = _played_matches(state)
    refs = [referee for referee, _ in referees]
    found = [] if venue is None else rules.conflicts(state.competition, matches, venue, placements, refs)
    flagged = rules.conflicts_by_match(found)
    names, referee_names = state.entry_names(), {referee.referee_id: name for referee, name in referees}
    rows, left_out = [], []
    for stage in state.competition.stages:
        for match in matches.get(stage.stage_id, ()):
            key = job_id(match)
            spot = placements.get(key, MatchPlacement())
            rows.append(_row(match, stage, venue, spot, names, referee_names, tuple(flagged.get(key, ()))))
            if not spot.placed and match.status != MatchStatus.DONE:
                left_out.append((key, _reason(venue, spot, (unplaced or {}).get(key))))
    conflicts = [(conflict.kind, conflict.matches) for conflict in found]
    outside = rules.days_outside(venue, state.event.starts_at, state.event.ends_at) if venue else ()
    return TimetableView(state.event, state.competition, venue, rows, left_out, conflicts, version, outside)


def _row(
    match: Match, stage: Stage, venue: Venue | None, spot: MatchPlacement, names: Mapping[str, str],
    referee_names: Mapping[str, str], conflicts: tuple[str, ...],
) -> TimetableRow:  # fmt: skip
    court = venue.court(spot.court) if venue and spot.court else None
    starts = spot.starts_at.astimezone(CHINA_TZ) if spot.starts_at else None
    ends = starts + timedelta(minutes=venue.minutes(stage.stage_id)) if starts and venue else None
    return TimetableRow(
        key=job_id(match), match=match, stage=stage, home_name=names.get(match.home.entry or ""),
        away_name=names.get(match.away.entry or ""), court=spot.court,
        court_name=court.name_zh if court else spot.court, starts_at=starts, ends_at=ends, referee=spot.referee,
        referee_name=referee_names.get(spot.referee or ""), locked=spot.locked, postponed_to=spot.postponed_to,
        status=_status(match), conflicts=conflicts,
    )  # fmt: skip


def _reason(venue: Venue | None, spot: MatchPlacement, reason: str | None) -> str:
    """Why a match has no court and time (a message id): no venue yet, why the scheduler left it out, postponed, or
    not scheduled yet (drawn since, or taken off by hand)."""
    if venue is None:
        return NO_VENUE
    if reason is not None:
        return reason
    return POSTPONED if spot.postponed_to is not None else NOT_SCHEDULED


def timetable(store: Store, principal: Principal, event_id: str) -> TimetableView:
    """The competition's timetable for its organisers: every match with its court, time, referee and conflicts."""
    event = managed_event(store, principal, event_id)
    state = _state(store, event)
    return _view(state, state.timetable, state.timetable_version, _referees(store, event))


# ---- writing ------------------------------------------------------------------------------------------------

Changed = tuple[Timetable, dict[str, str]]  # the new timetable, and why matches were left out (key -> message id)
Edit = Callable[[CompetitionState, Timetable, list[tuple[Referee, str]]], tuple[Timetable, dict[str, str]]]


def _change(
    store: Store, principal: Principal, event_id: str, at: datetime, action: str, target: str, edit: Edit,
    needs_referees: bool = True,
) -> TimetableView:  # fmt: skip
    """Read, apply ``edit`` (the new timetable, and why matches were left out), write over the version read; on a
    race, read again and apply it again."""
    event = managed_event(store, principal, event_id)
    referees = _referees(store, event) if needs_referees else []
    for attempt in range(MAX_ATTEMPTS):
        state = _state(store, event)
        changed, unplaced = edit(state, state.timetable, referees)
        before, after = _audited(state.timetable, changed, target)
        audit = audit_item(event.owner_unit_id, principal.member_no, action, f"{event_id}/{target}", before, after)
        data = changed.model_dump(mode="json", exclude_defaults=True)
        try:
            version = store.competitions.save_timetable(
                event_id, data, state.timetable_version, principal.staff_no or "", at, audit
            )
        except TransactionFailed as failure:
            if not failure.contended and not failure.failed:
                raise
            back_off(attempt)
            continue
        return _view(state, changed, version, referees, unplaced)
    raise Conflict("schedule_busy")


def _audited(before: Timetable, after: Timetable, target: str) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """What an audit entry records: the venue when it changes, else the placements that changed."""
    if before.venue != after.venue:
        old = before.venue.model_dump(mode="json") if before.venue else None
        return ({"venue": old} if old else None), {
            "venue": after.venue.model_dump(mode="json") if after.venue else None
        }
    keys = sorted(key for key in {*before.placements, *after.placements}
                  if before.placements.get(key) != after.placements.get(key))  # fmt: skip
    return {key: _dump(before, key) for key in keys}, {"target": target, **{key: _dump(after, key) for key in keys}}


def _dump(table: Timetable, key: str) -> dict[str, Any] | None:
    return table.placements[key].model_dump(mode="json") if key in table.placements else None


def set_venue(store: Store, principal: Principal, event_id: str, venue: Mapping[str, Any], at: datetime) -> Venue:
    """Set (or change) the venue: its courts, sessions and the rules the scheduler keeps. Placements stay; what the
    new venue makes wrong (a court gone, a session shortened) is flagged."""
    try:
        checked = Venue.model_validate(venue)
    except ValidationError as problem:
        raise InvalidInput(problem.errors(include_url=False)) from problem

    def edit(state: CompetitionState, table: Timetable, _refs: list[tuple[Referee, str]]) -> Changed:
        _check_venue(state.competition, checked)
        return table.model_copy(update={"venue": checked}), {}

    _change(store, principal, event_id, at, "competition.schedule.venue", "venue", edit, needs_referees=False)
    return checked


def _problem(code: str, location: tuple[str | int, ...], value: str) -> dict[str, Any]:
    return {"type": code, "loc": location, "msg": value, "ctx": {"input": value}}


def _check_venue(competition: Competition, venue: Venue) -> None:
    """The stages and entries the venue names are the competition's."""
    stages = {stage.stage_id for stage in competition.stages}
    entries = {entry.entry_id for entry in competition.entries}
    problems = [
        _problem("unknown_stage", ("stage_minutes", i, "stage_id"), m.stage_id)
        for i, m in enumerate(venue.stage_minutes)
        if m.stage_id not in stages
    ] + [
        _problem("unknown_entries", ("home_venues", i, "entry_id"), h.entry_id)
        for i, h in enumerate(venue.home_venues)
        if h.entry_id not in entries
    ]
    if problems:
        raise InvalidInput(problems)


def _venue(table: Timetable) -> Venue:
    if table.venue is None:
        raise Conflict(NO_VENUE)
    return table.venue


def auto_schedule(store: Store, principal: Principal, event_id: str, at: datetime) -> TimetableView:
    """Schedule every match not locked, played or started, from ``at`` on, around those that are."""

    def edit(state: CompetitionState, table: Timetable, refs: list[tuple[Referee, str]]) -> Changed:
        venue = _venue(table)
        done = rules.planned(
            state.competition, _played_matches(state), venue, table.placements, [r for r, _ in refs], at
        )
        return table.model_copy(update={"placements": done.placements}), dict(done.unplaced)

    return _change(store, principal, event_id, at, "competition.schedule.auto", "all", edit)


def _match(state: CompetitionState, key: str) -> Match:
    match = next((m for ms in _played_matches(state).values() for m in ms if job_id(m) == key), None)
    if match is None:
        raise NotFound("match_not_found")
    return match


def _movable(state: CompetitionState, key: str) -> Match:
    match = _match(state, key)
    if match.status == MatchStatus.DONE:
        raise Conflict("schedule_match_played", details={"matches": [key]})
    return match


def _placed(table: Timetable, key: str) -> MatchPlacement:
    spot = table.placements.get(key, MatchPlacement())
    if not spot.placed:
        raise Conflict("schedule_not_placed", details={"matches": [key]})
    return spot


def _with(table: Timetable, changed: Mapping[str, MatchPlacement | None]) -> Timetable:
    placements = dict(table.placements)
    for key, spot in changed.items():
        if spot is None:
            placements.pop(key, None)
        else:
            placements[key] = spot
    return table.model_copy(update={"placements": placements})


def move(
    store: Store, principal: Principal, event_id: str, key: str, court: str, starts_at: datetime, at: datetime
) -> TimetableView:
    """Put a match on a court at a time, by hand; it is locked there (the scheduler keeps it)."""
    if starts_at.tzinfo is None:
        raise InvalidInput([_problem("timezone_aware", ("starts_at",), str(starts_at))])

    def edit(state: CompetitionState, table: Timetable, _refs: list[tuple[Referee, str]]) -> Changed:
        venue = _venue(table)
        _movable(state, key)
        if venue.court(court) is None:
            raise InvalidInput([_problem("unknown_court", ("court",), court)])
        spot = table.placements.get(key, MatchPlacement())
        moved = _checked({**spot.model_dump(), "court": court, "starts_at": starts_at, "locked": True})
        return _with(table, {key: moved}), {}

    return _change(store, principal, event_id, at, "competition.schedule.move", key, edit)


def swap(
    store: Store, principal: Principal, event_id: str, first_key: str, second_key: str, at: datetime
) -> TimetableView:
    """Exchange two placed matches' courts and times (their referees stay with the slot); both are locked."""

    def edit(state: CompetitionState, table: Timetable, _refs: list[tuple[Referee, str]]) -> Changed:
        _venue(table)
        _movable(state, first_key)
        _movable(state, second_key)
        first, second = _placed(table, first_key), _placed(table, second_key)
        return _with(table, {first_key: first.model_copy(update=_slot(second)),
                             second_key: second.model_copy(update=_slot(first))}), {}  # fmt: skip

    return _change(store, principal, event_id, at, "competition.schedule.swap", f"{first_key}+{second_key}", edit)


def _checked(placement: Mapping[str, Any]) -> MatchPlacement:
    """A placement given by hand, within the days a timetable may name (400 otherwise)."""
    try:
        return MatchPlacement.model_validate(placement)
    except ValidationError as problem:
        raise InvalidInput(problem.errors(include_url=False)) from problem


def _slot(spot: MatchPlacement) -> dict[str, Any]:
    return {"court": spot.court, "starts_at": spot.starts_at, "referee": spot.referee, "locked": True}


def set_locked(
    store: Store, principal: Principal, event_id: str, key: str, locked: bool, at: datetime
) -> TimetableView:
    """Lock a placed match where it is (the scheduler keeps it), or let the scheduler move it again."""

    def edit(state: CompetitionState, table: Timetable, _refs: list[tuple[Referee, str]]) -> Changed:
        _match(state, key)
        spot = _placed(table, key)
        return _with(table, {key: spot.model_copy(update={"locked": locked})}), {}

    return _change(store, principal, event_id, at, "competition.schedule.lock", key, edit)


def postpone(
    store: Store, principal: Principal, event_id: str, key: str, new_date: date, at: datetime
) -> TimetableView:
    """Take a match off its court and time: the scheduler places it again on or after ``new_date`` (a league match
    on that day's matchday times, at its home courts)."""

    def edit(state: CompetitionState, table: Timetable, _refs: list[tuple[Referee, str]]) -> Changed:
        _movable(state, key)
        return _with(table, {key: _checked({"postponed_to": new_date})}), {}

    return _change(store, principal, event_id, at, "competition.schedule.postpone", key, edit)


def unschedule(store: Store, principal: Principal, event_id: str, key: str, at: datetime) -> TimetableView:
    """Take a match off the timetable: unplaced until the scheduler runs again."""

    def edit(state: CompetitionState, table: Timetable, _refs: list[tuple[Referee, str]]) -> Changed:
        _movable(state, key)
        return _with(table, {key: None}), {}

    return _change(store, principal, event_id, at, "competition.schedule.unschedule", key, edit)
