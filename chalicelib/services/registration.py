"""Registering, cancelling, removing and promoting: the rules decide, one transaction writes, conditions guard.

Every write is a single DynamoDB transaction whose conditions make it correct under any concurrency
(chalicelib.storage.registrations). When a condition fails because places changed meanwhile, the state is read
again and the decision taken again, a bounded number of times.
"""

from __future__ import annotations

import random
import time
from datetime import datetime
from typing import Any, NamedTuple

from chalicelib.domain.access import Principal, can_manage_event, require
from chalicelib.domain.event_rules import (
    Placement,
    RegistrationPhase,
    ineligibility,
    may_cancel,
    placement,
    registration_phase,
)
from chalicelib.domain.forms import limited_picks, validate_answers
from chalicelib.domain.ids import sortable_id
from chalicelib.domain.records import (
    SERIES,
    Event,
    EventSession,
    Member,
    NotificationKind,
    Registration,
    RegistrationState,
)
from chalicelib.errors import Conflict, DependencyUnavailable, Forbidden, InvalidInput, NotFound
from chalicelib.storage import Store
from chalicelib.storage.audit import audit_item
from chalicelib.storage.registrations import (
    EVENT_OPEN,
    OPTION_PREFIX,
    POOL,
    PROMOTED,
    REGISTRATION,
    Pick,
    WaitingEntry,
)
from chalicelib.storage.writes import TransactionFailed

# Attempts before giving up under extreme contention (each failed attempt means another request won a race).
MAX_ATTEMPTS = 12


class Outcome(NamedTuple):
    registration: Registration
    position: int | None  # place on the waiting list (1 = next), None when confirmed


def _pause(attempt: int) -> None:
    """Back off a little, with jitter, before reading again after losing a race."""
    time.sleep(random.uniform(0, 0.004 * (attempt + 1)))


def visible_event(store: Store, principal: Principal, event_id: str) -> Event:
    """The event, if the principal may see it: drafts only by their organisers."""
    event = store.events.get(event_id)
    if event is None or (event.status.value == "draft" and not can_manage_event(principal, event.owner_unit_id)):
        raise NotFound()
    return event


def _pool_of(store: Store, event: Event, scope: str) -> EventSession | None:
    if scope == SERIES:
        return None
    if not event.single_sessions:
        raise Conflict("single_sessions_not_allowed")
    session = store.sessions.get(event.event_id, scope)
    if session is None:
        raise NotFound()
    return session


def _counts(event: Event, session: EventSession | None) -> tuple[int | None, int, int]:
    if session is None:
        return event.capacity, event.confirmed_count, event.waiting_count
    return session.capacity, session.confirmed_count, session.waiting_count


def _answer_problems(problems: list[Any]) -> InvalidInput:
    return InvalidInput(
        [
            {"type": f"answer_{p.code}", "loc": ("answers", p.question_id), "ctx": dict(p.params), "msg": p.code}
            for p in problems
        ]
    )


def picks_of(event: Event, answers: dict[str, Any]) -> list[Pick]:
    return [Pick(question, option, limit) for question, option, limit in limited_picks(event.form, answers)]


def _member(store: Store, staff_no: str) -> Member:
    member = store.members.get(staff_no)
    if member is None:
        raise NotFound()
    return member


def register(
    store: Store, principal: Principal, event_id: str, scope: str, raw_answers: dict[str, Any], at: datetime
) -> Outcome:
    """A member registers themself for the whole event (``SERIES``) or one session."""
    event = visible_event(store, principal, event_id)
    phase = registration_phase(event, at)
    if phase is not RegistrationPhase.OPEN:
        raise Conflict(f"registration_{phase.value}")
    member = _member(store, principal.staff_no)
    reason = ineligibility(event, member)
    if reason:
        raise Forbidden(f"ineligible_{reason}")
    session = _pool_of(store, event, scope)
    answers, problems = validate_answers(event.form, raw_answers)
    if problems:
        raise _answer_problems(problems)
    return _enter(store, event, session, member, answers, at)


def add_by_organiser(
    store: Store,
    principal: Principal,
    event_id: str,
    scope: str,
    staff_no: str,
    raw_answers: dict[str, Any],
    at: datetime,
) -> Outcome:
    """An organiser enters a member by hand: past the registration window and audience rules, but never past
    capacity, a duplicate or an option's limit. Audited; the member is notified."""
    event = visible_event(store, principal, event_id)
    require(can_manage_event(principal, event.owner_unit_id))
    member = _member(store, staff_no)
    session = _pool_of(store, event, scope)
    answers, problems = validate_answers(event.form, raw_answers)
    # An organiser entering someone at the desk may not know every answer; what they do give must be valid.
    problems = [problem for problem in problems if problem.code != "required"]
    if problems:
        raise _answer_problems(problems)
    return _enter(store, event, session, member, answers, at, organiser=principal.staff_no)


def _enter(
    store: Store,
    event: Event,
    session: EventSession | None,
    member: Member,
    answers: dict[str, Any],
    at: datetime,
    organiser: str | None = None,
) -> Outcome:
    scope = SERIES if session is None else session.session_id
    picks = picks_of(event, answers)
    for attempt in range(MAX_ATTEMPTS):
        capacity, confirmed, waiting = _counts(event, session)
        decision = placement(capacity, confirmed, waiting, event.waiting_list)
        if decision is Placement.FULL:
            raise Conflict("event_full")
        state = RegistrationState.CONFIRMED if decision is Placement.CONFIRMED else RegistrationState.WAITING
        registration = Registration(
            event_id=event.event_id,
            scope=scope,
            staff_no=member.staff_no,
            name=member.name,
            unit_id=member.unit_id,
            state=state,
            registered_at=at,
            updated_at=at,
            answers=answers,
            queue_key=sortable_id("q-") if state is RegistrationState.WAITING else None,
            added_by=organiser,
        )
        extra = ()
        if organiser:
            extra = (
                audit_item(
                    event.owner_unit_id,
                    organiser,
                    "registration.add",
                    f"{event.event_id}/{scope}/{member.staff_no}",
                    after={"state": state.value},
                ),
                store.notifications.item(
                    member.staff_no, NotificationKind.ADDED, event.event_id, event.title_zh, at, {"state": state.value}
                ),
            )
        try:
            store.registrations.enter(registration, picks, at, by_organiser=organiser is not None, extra=extra)
        except TransactionFailed as failure:
            if REGISTRATION in failure.failed:
                raise Conflict("already_registered") from failure
            full = sorted(label for label in failure.failed if label.startswith(OPTION_PREFIX))
            if full:
                question, _, option = full[0].removeprefix(OPTION_PREFIX).partition(":")
                raise Conflict("option_full", question=question, option=option) from failure
            if EVENT_OPEN in failure.failed:
                raise Conflict("registration_closed") from failure
            # Places or the event changed since they were read: read again and decide again.
            _pause(attempt)
            event = store.events.get(event.event_id, consistent=True)
            if event is None:
                raise NotFound() from failure
            if organiser is None and registration_phase(event, at) is not RegistrationPhase.OPEN:
                raise Conflict("registration_closed") from failure
            if session is not None:
                session = store.sessions.get(event.event_id, session.session_id)
            continue
        position = store.registrations.waiting_position(registration)
        return Outcome(registration, position)
    raise DependencyUnavailable("registration_busy")


def cancel(store: Store, principal: Principal, event_id: str, scope: str, at: datetime) -> Registration:
    """A member cancels their own registration before the cancellation deadline."""
    event = visible_event(store, principal, event_id)
    registration = store.registrations.get(event_id, scope, principal.staff_no)
    if registration is None or not registration.state.active:
        raise NotFound("not_registered")
    if not may_cancel(event, at):
        raise Conflict("cancel_deadline_passed")
    return _leave(store, event, registration, RegistrationState.CANCELLED, at)


def remove(
    store: Store, principal: Principal, event_id: str, scope: str, staff_no: str, reason: str, at: datetime
) -> Registration:
    """An organiser removes a registration (audited, the member is notified); the place goes to the next in line."""
    event = visible_event(store, principal, event_id)
    require(can_manage_event(principal, event.owner_unit_id))
    registration = store.registrations.get(event_id, scope, staff_no)
    if registration is None or not registration.state.active:
        raise NotFound("not_registered")
    target = f"{event_id}/{scope}/{staff_no}"
    return _leave(
        store,
        event,
        registration,
        RegistrationState.REMOVED,
        at,
        reason=reason,
        extra=lambda current: (
            audit_item(
                event.owner_unit_id,
                principal.staff_no,
                "registration.remove",
                target,
                before={"state": current.state.value},
                after={"state": RegistrationState.REMOVED.value, "reason": reason},
            ),
            store.notifications.item(
                staff_no, NotificationKind.REMOVED, event_id, event.title_zh, at, {"reason": reason}
            ),
        ),
    )


def _leave(
    store: Store,
    event: Event,
    registration: Registration,
    new_state: RegistrationState,
    at: datetime,
    reason: str | None = None,
    extra=lambda current: (),
) -> Registration:
    picks = picks_of(event, registration.answers)
    for attempt in range(MAX_ATTEMPTS):
        promote: WaitingEntry | None = None
        if registration.state is RegistrationState.CONFIRMED:
            promote = _next_in_line(store, event, registration.scope)
        items = tuple(extra(registration))
        if promote is not None:
            notice = NotificationKind.PROMOTED
            items += (store.notifications.item(promote.staff_no, notice, event.event_id, event.title_zh, at),)
        try:
            store.registrations.leave(registration, new_state, picks, at, promote=promote, reason=reason, extra=items)
        except TransactionFailed as failure:
            _pause(attempt)
            if REGISTRATION in failure.failed:
                current = store.registrations.get(event.event_id, registration.scope, registration.staff_no)
                if current is None or not current.state.active:
                    raise NotFound("not_registered") from failure
                registration = current
            # POOL: someone joined the waiting list meanwhile; PROMOTED: the index showed a stale first entry.
            continue
        return registration._replace(state=new_state, updated_at=at, reason=reason, queue_key=None)
    raise DependencyUnavailable("registration_busy")


def _next_in_line(store: Store, event: Event, scope: str) -> WaitingEntry | None:
    """The first on the waiting list, if anyone waits (counted on the pool item, read consistently)."""
    if scope == SERIES:
        fresh = store.events.get(event.event_id, consistent=True)
        waiting = fresh.waiting_count if fresh else 0
    else:
        session = store.sessions.get(event.event_id, scope)
        waiting = session.waiting_count if session else 0
    if waiting == 0:
        return None
    # The queue index may lag a just-written entry by a moment; the pool's condition catches a wrong "nobody".
    return store.registrations.first_waiting(event.event_id, scope)


def fill_places(store: Store, event: Event, scope: str, at: datetime) -> int:
    """Promote from the waiting list while places are free (after capacity grew). Returns how many moved up."""
    promoted = 0
    for attempt in range(event.waiting_count + MAX_ATTEMPTS):
        fresh = store.events.get(event.event_id, consistent=True)
        pool = fresh if scope == SERIES else store.sessions.get(event.event_id, scope)
        if pool is None or pool.waiting_count == 0:
            break
        if pool.capacity is not None and pool.confirmed_count >= pool.capacity:
            break
        entry = store.registrations.first_waiting(event.event_id, scope)
        if entry is None:
            _pause(attempt)
            continue
        notice = store.notifications.item(entry.staff_no, NotificationKind.PROMOTED, event.event_id, event.title_zh, at)
        try:
            store.registrations.promote(entry, at, extra=(notice,))
        except TransactionFailed as failure:
            if POOL in failure.failed and PROMOTED not in failure.failed:
                break
            _pause(attempt)
            continue
        promoted += 1
    return promoted


def my_registrations(store: Store, principal: Principal, limit: int = 100) -> list[tuple[Registration, int | None]]:
    """The member's registrations, newest first, each with its waiting-list position."""
    return [
        (registration, store.registrations.waiting_position(registration))
        for registration in store.registrations.for_member(principal.staff_no, limit)
    ]
