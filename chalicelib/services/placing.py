"""Where a new registration goes and writing it there: a place while places last, the waiting list after, or
pending (approval, lottery). One transaction per attempt (chalicelib.storage.registrations ``enter``); after a lost
race the decision is taken again from the pool as the failed write found it, a bounded number of times.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from chalicelib.domain.event_rules import Placement, placement, registration_refusal
from chalicelib.domain.forms import limited_picks
from chalicelib.domain.quotas import quotas_bind
from chalicelib.domain.records import SERIES, Allocation, Event, EventSession, Registration, RegistrationState
from chalicelib.errors import Conflict, DependencyUnavailable, NotFound
from chalicelib.services.pool_turns import waiting_lists
from chalicelib.storage import Store
from chalicelib.storage.idempotency import KeyTaken
from chalicelib.storage.registrations import (
    CLASH,
    EVENT_OPEN,
    GROUP,
    IDEMPOTENCY_KEY,
    OPTION_PREFIX,
    PARTNER,
    POOL,
    REGISTRATION,
    UNIT_PLACE,
    GroupLimit,
    Pick,
    QueueTurn,
    UnitPlace,
    waiting_queue_key,
)
from chalicelib.storage.writes import TransactionFailed

# Attempts before giving up under extreme contention (each failed attempt means another request won a race).
MAX_ATTEMPTS = 12
# Taking a place or joining a waiting list: a join is written only while the waiting list is as it read it
# (QueueTurn), so in a rush a join may lose several races to other processes' joins, each retried at once from
# what the failure returned; after QUIET_ATTEMPTS lost in a row, with a growing random pause.
PLACE_ATTEMPTS = 40
QUIET_ATTEMPTS = 3


class Outcome(NamedTuple):
    registration: Registration
    position: int | None  # place on the waiting list (1 = next), None when confirmed


def back_off(attempt: int) -> None:
    """Back off a little, with jitter, before reading again after losing a race."""
    time.sleep(random.uniform(0, 0.004 * (attempt + 1)))


def _counts(event: Event, session: EventSession | None) -> tuple[int | None, int, int]:
    if session is None:
        return event.capacity, event.confirmed_count, event.waiting_count
    return session.capacity, session.confirmed_count, session.waiting_count


def picks_of(event: Event, answers: dict[str, Any]) -> list[Pick]:
    return [Pick(question, option, limit) for question, option, limit in limited_picks(event.form, answers)]


def refusal_of(event: Event, failure: TransactionFailed, scope: str = SERIES) -> Conflict | None:
    """The member-facing reason a registration's transaction failed, or None when it is worth reading again."""
    failed = failure.failed
    if REGISTRATION in failed:
        return Conflict("already_registered")
    if CLASH in failed:  # the member took the other kind of place of the class meanwhile
        return Conflict("holds_sessions" if scope == SERIES else "holds_term")
    if PARTNER in failed:
        return Conflict("partner_already_entered")
    full = sorted(label for label in failed if label.startswith(OPTION_PREFIX))
    if full:
        question, _, option = full[0].removeprefix(OPTION_PREFIX).partition(":")
        return Conflict("option_full", question=question, option=option)
    if GROUP in failed:
        return Conflict("entry_group_limit", limit=event.entry_group_limit)
    if f"{GROUP}:{PARTNER}" in failed:
        return Conflict("partner_entry_group_limit", limit=event.entry_group_limit)
    if UNIT_PLACE in failed:
        return Conflict("quota_used")
    if EVENT_OPEN in failed:
        return Conflict("registration_closed")
    return None


def unit_place(event: Event, unit_id: str, at: datetime) -> UnitPlace | None:
    """The unit quota a confirmation counts against (a condition while the quotas bind)."""
    if not event.quotas:
        return None
    return UnitPlace(unit_id, binding=quotas_bind(event.quota_release_at, at))


def initial_state(event: Event, session: EventSession | None, direct: bool) -> RegistrationState:
    """Where a new registration goes: a place, the waiting list, or pending (approval, lottery before the draw).
    An organiser's own entry into an approval event is approved by entering it."""
    if event.allocation is Allocation.APPROVAL and not direct:
        return RegistrationState.PENDING
    if event.allocation is Allocation.LOTTERY and event.lottery_drawn_at is None:
        return RegistrationState.PENDING
    capacity, confirmed, waiting = _counts(event, session)
    decision = placement(capacity, confirmed, waiting, event.waiting_list)
    if decision is Placement.FULL:
        raise Conflict("event_full")
    return RegistrationState.CONFIRMED if decision is Placement.CONFIRMED else RegistrationState.WAITING


def place(
    store: Store,
    event: Event,
    session: EventSession | None,
    base: Registration,
    at: datetime,
    *,
    extra: Callable[[Registration], tuple[Any, ...]] = lambda registration: (),
    by_organiser: bool = False,
    direct: bool = False,
    group: GroupLimit | None = None,
    confirms_pair: bool = False,
    clashes: tuple[str, ...] = (),
    answer: Callable[[Outcome], tuple[Any, Any]] | None = None,
) -> Outcome:
    """Decide where ``base`` goes and write it; after losing a race, decide again from the pool as the failed
    write found it. Joins to a waiting list take turns within this process (chalicelib.services.pool_turns).
    ``answer``: makes the request's Idempotency-Key record from the outcome, written in the same transaction."""
    entry = _Entry(
        base, picks_of(event, base.answers), at, extra, by_organiser, direct, group, confirms_pair, clashes, answer
    )
    key = (event.event_id, base.scope)
    seen_at = time.monotonic()
    joined = _join_together(store, entry, key, event, session, seen_at) if _gathers(entry, event, session) else None
    if joined is not None:
        return joined
    # Not a simple join, or a place came free meanwhile: this registration decides alone.
    for attempt in range(PLACE_ATTEMPTS):
        joins = initial_state(event, session, direct) is RegistrationState.WAITING
        with waiting_lists.turn(key) if joins else contextlib.nullcontext():
            if joins:  # the newest this process knows: the join before ours may have left it
                event = waiting_lists.newest(key, event, seen_at) if session is None else event
                session = waiting_lists.newest(key, session, seen_at) if session is not None else None
            try:
                return _write(store, entry, event, session)
            except TransactionFailed as failure:
                if IDEMPOTENCY_KEY in failure.failed:
                    raise KeyTaken() from failure
                reason = refusal_of(event, failure, base.scope)
                if reason is not None:
                    raise reason from failure
                event, session = _found_again(store, event, session, failure, attempt)
                seen_at = time.monotonic()
                waiting_lists.saw(key, event if session is None else session, seen_at, read=True)
        refusal = registration_refusal(event, session.starts_at if session else None, at)
        if not by_organiser and refusal is not None:
            raise Conflict(refusal)
    raise DependencyUnavailable("registration_busy")


class _Entry(NamedTuple):
    """What stays the same from one attempt to place a registration to the next (``place``'s arguments)."""

    base: Registration
    picks: list[Pick]
    at: datetime
    extra: Callable[[Registration], tuple[Any, ...]]
    by_organiser: bool
    direct: bool
    group: GroupLimit | None
    confirms_pair: bool
    clashes: tuple[str, ...]
    answer: Callable[[Outcome], tuple[Any, Any]] | None


def _write(store: Store, entry: _Entry, event: Event, session: EventSession | None) -> Outcome:
    """One attempt: decide from ``event`` and ``session`` as read, and write (TransactionFailed if they changed)."""
    state = initial_state(event, session, entry.direct)
    pool: Event | EventSession = event if session is None else session
    turn = QueueTurn(pool.waiting_count, pool.waiting_seq) if state is RegistrationState.WAITING else None
    registration = entry.base._replace(state=state, queue_key=turn.queue_key if turn else None)
    outcome = Outcome(registration, turn.position if turn else None)
    with waiting_lists.own_write(event.event_id):
        store.registrations.enter(
            registration,
            entry.picks,
            entry.at,
            by_organiser=entry.by_organiser,
            extra=entry.extra(registration),
            unit_place=unit_place(event, registration.unit_id, entry.at),
            group=entry.group,
            confirms_pair=entry.confirms_pair,
            clashes=entry.clashes,
            turn=turn,
            keyed=entry.answer(outcome) if entry.answer else None,
        )
    if state is not RegistrationState.PENDING:
        waiting_lists.saw((event.event_id, registration.scope), _taken(pool, turn is not None))
    return outcome


# Joins written together at most (DynamoDB takes 100 items in a transaction: two per join, and the pool).
MAX_TOGETHER = 40


class _Join:
    """One member's join waiting in line for its pool's turn; the thread with the turn writes it."""

    def __init__(self, entry: _Entry) -> None:
        self.entry = entry
        self.done = False
        self.outcome: Outcome | None = None  # None when done: not a join any more (a place came free)
        self.error: Exception | None = None

    def finish(self, outcome: Outcome | None = None, error: Exception | None = None) -> None:
        self.outcome, self.error, self.done = outcome, error, True


def _gathers(entry: _Entry, event: Event, session: EventSession | None) -> bool:
    """A member's own simple join, which may be written together with others: no limited option, entry group,
    class clash or pair, not an organiser's entry (those are audited, one by one); and the pool, as read, full."""
    simple = not (entry.by_organiser or entry.direct or entry.picks or entry.group or entry.clashes) and not (
        entry.confirms_pair or entry.base.added_by
    )
    return simple and initial_state(event, session, False) is RegistrationState.WAITING


def _join_together(
    store: Store, entry: _Entry, key: tuple[str, str], event: Event, session: EventSession | None, seen_at: float
) -> Outcome | None:
    """Join the waiting list with the members waiting in line in this process for the same turn: whoever has the
    turn writes the line (up to MAX_TOGETHER) in one transaction, each join with its exact position. A rush's
    joins then cost a transaction per turn, not per member (and race other processes' far less)."""
    join = _Join(entry)
    waiting_lists.wait_in_line(key, join)
    while not join.done:
        with waiting_lists.turn(key):
            if not join.done:
                event = waiting_lists.newest(key, event, seen_at) if session is None else event
                session = waiting_lists.newest(key, session, seen_at) if session is not None else None
                line = waiting_lists.take_line(key, MAX_TOGETHER)
                try:
                    _write_line(store, line, key, event, session)
                except Exception as error:  # the database gone, say: every join taken from the line learns it
                    for taken in line:
                        if not taken.done:
                            taken.finish(error=error)
                    waiting_lists.leave_line(key, join)  # if still in it: nobody would answer for it
                    raise
    if join.error is not None:
        raise join.error
    return join.outcome


def _write_line(
    store: Store, line: list[_Join], key: tuple[str, str], event: Event, session: EventSession | None
) -> None:
    """Write the joins in ``line`` together, deciding again after a lost race; each join is finished."""
    for attempt in range(PLACE_ATTEMPTS):
        if not line:
            return
        try:
            state = initial_state(event, session, False)
        except Conflict as full:  # no waiting list, and no place
            for join in line:
                join.finish(error=full)
            return
        if state is not RegistrationState.WAITING:
            for join in line:
                join.finish()  # each decides alone
            return
        pool: Event | EventSession = event if session is None else session
        try:
            outcomes = _write_joins(store, line, event.event_id, pool)
        except TransactionFailed as failure:
            line = _refused(line, failure)
            if EVENT_OPEN in failure.failed:
                line = _refused(line, failure, Conflict("registration_closed"))
            elif POOL in failure.failed or failure.contended:
                event, session = _found_again(store, event, session, failure, attempt)
                waiting_lists.saw(key, event if session is None else session, read=True)
            continue
        for join, outcome in zip(line, outcomes, strict=True):
            join.finish(outcome)
        return
    for join in line:
        join.finish(error=DependencyUnavailable("registration_busy"))


def _write_joins(store: Store, line: list[_Join], event_id: str, pool: Event | EventSession) -> list[Outcome]:
    turn = QueueTurn(pool.waiting_count, pool.waiting_seq)
    outcomes = [
        Outcome(
            join.entry.base._replace(
                state=RegistrationState.WAITING, queue_key=waiting_queue_key(turn.waiting_seq + 1 + index)
            ),
            turn.position + index,
        )
        for index, join in enumerate(line)
    ]
    keyed = [
        join.entry.answer(outcome) if join.entry.answer else None for join, outcome in zip(line, outcomes, strict=True)
    ]
    registrations = [outcome.registration for outcome in outcomes]
    with waiting_lists.own_write(event_id):
        store.registrations.join_many(registrations, turn, min(join.entry.at for join in line), keyed)
    scope = registrations[0].scope
    after = pool
    for _ in line:
        after = _taken(after, True)
    waiting_lists.saw((event_id, scope), after)
    return outcomes


def _refused(line: list[_Join], failure: TransactionFailed, every: Conflict | None = None) -> list[_Join]:
    """Finish the joins the failure refused (already registered, key taken; ``every``: all of them, so); the
    others, to try again."""
    kept = []
    for index, join in enumerate(line):
        if every is not None:
            join.finish(error=every)
        elif f"{IDEMPOTENCY_KEY}:{index}" in failure.failed:
            join.finish(error=KeyTaken())
        elif f"{REGISTRATION}:{index}" in failure.failed:
            join.finish(error=Conflict("already_registered"))
        else:
            kept.append(join)
    return kept


def _taken(pool: Event | EventSession, joined: bool) -> Event | EventSession:
    """The pool as a registration leaves it: a place taken, or (``joined``) a join to its waiting list."""
    confirmed = pool.confirmed_count + (0 if joined else 1)
    waiting, joins = pool.waiting_count + joined, pool.waiting_seq + joined
    return pool._replace(confirmed_count=confirmed, waiting_count=waiting, waiting_seq=joins)


def _found_again(
    store: Store, event: Event, session: EventSession | None, failure: TransactionFailed, attempt: int
) -> tuple[Event, EventSession | None]:
    """The event and session to decide again from after a lost race: the pool as the failed write found it, or
    (a transaction conflict, or no pool returned) read again after a short back-off."""
    found = failure.found.get(POOL)
    if found is not None and not failure.contended:
        if attempt >= QUIET_ATTEMPTS:
            back_off(attempt - QUIET_ATTEMPTS)  # many lost races in a row: let the others through
        if session is None:
            return store.events.found(found), None
        return event, store.sessions.found(found)
    back_off(attempt)
    fresh = store.events.get(event.event_id, consistent=True)
    if fresh is None:
        raise NotFound() from failure
    return fresh, store.sessions.get(event.event_id, session.session_id) if session is not None else None
