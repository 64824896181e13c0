"""A multi-event skill contest's entries and unit results (issue 19 item 7).

Unit admins enter their members in the contest's events in one place (/admin/events/{id}/contest-entries): each
entrant is checked by chalicelib.domain.competition.contests (an open event, the unit's cap, not a judge of it, its
gender) and added to the event's entrants in ONE conditional write of the set-up over the version read; a write
that loses a race with another admin's is read again and checked again, so two admins of a unit entering at once
cannot exceed its cap. A member not yet registered for the event is then registered through
chalicelib.services.registration.add_for_member with the form's answers the unit admin gave for them (the answers
are checked first by chalicelib.domain.forms, so a refusal leaves nothing written; a registration refused for
another reason withdraws the entry again).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, NamedTuple

from chalicelib.domain.access import Principal, administers, can_manage_event
from chalicelib.domain.competition import contests as rules
from chalicelib.domain.competition.setup import Competition, CompetitionEntry, ContestEvent, Stage, StageState
from chalicelib.domain.competition.stages import StageOutcome
from chalicelib.domain.forms import validate_answers
from chalicelib.domain.records import SERIES, Event, EventFormat, Member, MemberStatus, Registration, Unit
from chalicelib.errors import AppError, Conflict, Forbidden, NotFound
from chalicelib.services import registration as registration_service
from chalicelib.services.competition import CompetitionState, _save, load, outcome
from chalicelib.services.event_views import units as all_units
from chalicelib.services.placing import MAX_ATTEMPTS, back_off
from chalicelib.storage import Store


@dataclass(frozen=True)
class ContestEntries:
    """The contest's categories and events for the entries page: ``units`` the caller may enter for, ``unit_id``
    the one shown with its active ``members`` (the choices), ``names`` of every entrant, who is registered."""

    event: Event
    version: int
    competition: Competition
    categories: list[rules.Category]
    units: list[Unit]
    unit_id: str | None
    members: list[Member] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    registered: frozenset[str] = frozenset()
    manages_event: bool = False

    def unit_entrants(self, contest: ContestEvent) -> list[str]:
        units = {entry.entry_id: entry.unit_id for entry in self.competition.entries}
        return [entry_id for entry_id in contest.entries if units.get(entry_id) == self.unit_id]

    def is_open(self, contest: ContestEvent) -> bool:
        return rules.is_open(self.competition, contest)


def _state(store: Store, principal: Principal, event_id: str) -> CompetitionState:
    """The contest for unit admins of any unit, the union's admins and the event's organisers."""
    if not principal.signed_in:
        raise Forbidden()
    event = registration_service.visible_event(store, principal, event_id)
    if not (principal.admin_of or principal.union_admin or can_manage_event(principal, event.owner_unit_id)):
        raise Forbidden()
    state = load(store, event)
    if state is None or not state.competition.contests:
        raise NotFound("contest_not_set_up")
    return state


def _units(every: Mapping[str, Unit], principal: Principal, event: Event) -> list[Unit]:
    if principal.union_admin or can_manage_event(principal, event.owner_unit_id):
        return list(every.values())
    return [unit for unit_id, unit in every.items() if unit_id in principal.admin_of]


def contest_entries(store: Store, principal: Principal, event_id: str, unit_id: str | None = None) -> ContestEntries:
    """Every category and event with the chosen unit's entrants and cap, and its active members to enter."""
    state = _state(store, principal, event_id)
    event = state.event
    units = _units(all_units(store), principal, event)
    ids = [unit.unit_id for unit in units]
    chosen = next((c for c in (unit_id, *sorted(principal.admin_of), principal.unit_id) if c in ids), None)
    members = []
    if chosen is not None:
        members = sorted(
            (m for m in store.members.in_unit(chosen) if m.status == MemberStatus.ACTIVE), key=lambda m: m.staff_no
        )
    names = {entry.entry_id: entry.name for entry in state.competition.entries}
    registered = frozenset(r.staff_no for r in store.registrations.for_event(event_id) if r.state.active)
    manages = can_manage_event(principal, event.owner_unit_id)
    competition = state.competition
    return ContestEntries(event, state.version, competition, rules.categories(competition), units, chosen, members,
                          names, registered, manages)  # fmt: skip


def _member(store: Store, principal: Principal, event: Event, staff_no: str) -> Member:
    member = store.organisation.members_by_staff_no({staff_no}).get(staff_no)
    if member is None:
        raise NotFound("contest.unknown_member", staff_no=staff_no)
    if not (administers(principal, member.unit_id) or can_manage_event(principal, event.owner_unit_id)):
        raise Forbidden("contest.other_unit", name=member.name)
    if member.status != MemberStatus.ACTIVE:
        raise Conflict("contest.member_inactive", name=member.name)
    return member


def _registration(store: Store, event_id: str, staff_no: str) -> Registration | None:
    registration = store.registrations.get(event_id, SERIES, staff_no)
    return registration if registration is not None and registration.state.active else None


def _write(
    store: Store, principal: Principal, event_id: str, at: datetime, action: str, audit: dict[str, Any],
    change: Callable[[CompetitionState], Competition],
) -> CompetitionState:  # fmt: skip
    """Read the contest, ``change`` it (the rules refuse there), write it over the version read; read and change
    again when another write came first."""
    for attempt in range(MAX_ATTEMPTS):
        state = _state(store, principal, event_id)
        competition = change(state)
        try:
            version = _save(store, state, competition, principal.staff_no or "", at, action, None, audit)
        except Conflict as failure:
            if failure.code != "competition_changed_meanwhile" or attempt == MAX_ATTEMPTS - 1:
                raise
            back_off(attempt)
            continue
        return replace(state, competition=competition, version=version)
    raise Conflict("competition_busy")  # pragma: no cover - the loop returns or raises


def enter(
    store: Store, principal: Principal, event_id: str, code: str, staff_no: str, raw_answers: Mapping[str, Any],
    at: datetime,
) -> CompetitionEntry:  # fmt: skip
    """Enter a member of the caller's unit (any unit: the union's admins, the event's organisers) in event ``code``,
    registering them for the event with ``raw_answers`` when they are not yet."""
    state = _state(store, principal, event_id)
    member = _member(store, principal, state.event, staff_no.strip())
    entrant = CompetitionEntry(entry_id=member.staff_no, name=member.name, unit_id=member.unit_id)
    registered = _registration(store, event_id, member.staff_no) is not None
    if not registered:
        _answers, problems = validate_answers(state.event.form, dict(raw_answers))
        if problems:
            raise registration_service._answer_problems(problems)

    def add(current: CompetitionState) -> Competition:
        refusal = rules.entry_refusal(current.competition, code, entrant, member.gender.value)
        if refusal is not None:
            error = NotFound if refusal[0] == rules.UNKNOWN_EVENT else Conflict
            raise error(refusal[0], **refusal[1])
        return rules.entered(current.competition, code, entrant)

    audit = {"contest": code, "entry": entrant.entry_id, "unit": entrant.unit_id}
    _write(store, principal, event_id, at, "contest.enter", audit, add)
    if registered:
        return entrant
    try:
        registration_service.add_for_member(store, principal, event_id, SERIES, member.staff_no, dict(raw_answers), at)
    except AppError:
        _withdraw(store, principal, event_id, code, member.staff_no, at)
        raise
    return entrant


def _withdraw(store: Store, principal: Principal, event_id: str, code: str, entry_id: str, at: datetime) -> None:
    def remove(current: CompetitionState) -> Competition:
        contest = current.competition.contest(code)
        if contest is None:
            raise NotFound(rules.UNKNOWN_EVENT, event=code)
        if entry_id not in contest.entries:
            raise NotFound(rules.NOT_ENTERED)
        if not rules.is_open(current.competition, contest):
            raise Conflict(rules.EVENT_STARTED, event_zh=contest.name_zh, event_en=contest.name_en or contest.name_zh)
        return rules.withdrawn(current.competition, code, entry_id)

    _write(store, principal, event_id, at, "contest.withdraw", {"contest": code, "entry": entry_id}, remove)


def withdraw(store: Store, principal: Principal, event_id: str, code: str, entry_id: str, at: datetime) -> None:
    """Withdraw an entrant of the caller's unit from event ``code`` while it has not started (they stay registered
    for the event: their unit may enter them in another)."""
    state = _state(store, principal, event_id)
    entry = state.competition.entry(entry_id)
    if entry is None:
        raise NotFound(rules.NOT_ENTERED)
    if not (administers(principal, entry.unit_id) or can_manage_event(principal, state.event.owner_unit_id)):
        raise Forbidden("contest.other_unit", name=entry.name)
    _withdraw(store, principal, event_id, code, entry_id, at)


# ---- results -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventResult:
    """One event's results as of now: its stages' judged lines (the last stage's awards count for the units)."""

    contest: ContestEvent
    stages: list[tuple[Stage, StageOutcome]]
    closed: bool
    states: dict[str, StageState] = field(default_factory=dict)

    def state_of(self, stage: Stage) -> StageState:
        return self.states.get(stage.stage_id, StageState.PENDING)


class ContestResults(NamedTuple):
    competition: Competition
    categories: list[rules.Category]
    events: dict[str, EventResult]
    units: list[rules.UnitResult]


def results(state: CompetitionState) -> ContestResults:
    """Each event's results and the units' ranking with 优秀组织奖, from a contest the caller may see (every unit
    that entered someone is ranked)."""
    competition = state.competition
    events: dict[str, EventResult] = {}
    tiers: dict[str, dict[str, str | None]] = {}
    for contest in competition.contests:
        lines = []
        for stage in competition.chain(contest.code):
            result = outcome(state, stage)
            lines.append((stage, result))
            tiers[stage.stage_id] = {line.entry_id: line.award for line in result.judged}
        last = rules.last_stage(competition, contest)
        closed = last is not None and competition.run(last.stage_id).state == StageState.CLOSED
        states = {stage.stage_id: competition.run(stage.stage_id).state for stage, _ in lines}
        events[contest.code] = EventResult(contest, lines, closed, states)
    awards = rules.event_awards(competition, tiers)
    return ContestResults(competition, rules.categories(competition), events, rules.unit_results(competition, awards))


def my_contest_events(store: Store, principal: Principal, events: Iterable[Event]) -> dict[str, list[ContestEvent]]:
    """Event → the contest events the member is entered in, for their registrations page: one competition read per
    contest-format event of theirs (none for other formats)."""
    found: dict[str, list[ContestEvent]] = {}
    for event in {event.event_id: event for event in events if event.format is EventFormat.CONTEST}.values():
        state = load(store, event)
        if state is not None and principal.staff_no:
            mine = [contest for contest in state.competition.contests if principal.staff_no in contest.entries]
            if mine:
                found[event.event_id] = mine
    return found
