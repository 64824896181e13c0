"""Registrations, places and waiting lists. Every change is one DynamoDB transaction with conditions.

A *pool* of places is the event item (whole-event registrations) or a session item (single-session
registrations); each carries ``capacity``, ``confirmed_count`` and ``waiting_count``. The conditions keep two
invariants whatever the timing:

- never more confirmed than capacity (``confirmed_count < capacity`` on every confirmation);
- nobody jumps the queue: a registration is confirmed directly only while nobody waits, and a confirmed
  cancellation without a promotion is written only while nobody waits, so a freed place always goes to the first
  on the waiting list in the same transaction that frees it.

Pending registrations (approval, lottery) hold no place: ``pending_count`` only counts them. Approving one takes a
place under the same conditions. With unit quotas, the unit's ``unit_places`` item is updated in the same
transaction, with ``used < quota`` as its condition while the quotas bind. Events of an entry group count each
member's entries in ``group_entries`` with ``count < limit``.

Each operation is a single attempt: when a condition fails, ``TransactionFailed`` says which one, and the
service (chalicelib.services.registration) reads again and decides.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.checkin import new_ticket
from chalicelib.domain.records import (
    SERIES,
    EventSession,
    EventStatus,
    Registration,
    RegistrationState,
)
from chalicelib.storage.convert import get_or_none, item_from, record_from
from chalicelib.storage.salvage import Salvage
from chalicelib.storage.tables import (
    EventTable,
    GroupEntryTable,
    OptionUseTable,
    RegistrationTable,
    SessionTable,
    UnitPlacesTable,
)
from chalicelib.storage.writes import LabelledTransaction, save_all

REGISTRATION = "registration"
POOL = "pool"
EVENT_OPEN = "event_open"
PROMOTED = "promoted"
PARTNER = "partner"
UNIT_PLACE = "unit_place"
GROUP = "group"
IDEMPOTENCY_KEY = "idempotency_key"  # the request's Idempotency-Key, taken by an earlier request
CLASH = "clash"  # a class: the member's whole-term or single-session registration that must stay free
NOT_DRAWN = "not_drawn"
OPTION_PREFIX = "option:"

# Statuses in which members may register (the time window is checked as well).
_REGISTERING_STATUSES = (EventStatus.PUBLISHED.value, EventStatus.REGISTRATION_OPEN.value)
# Statuses in which organisers may still add registrations by hand.
_ADDING_STATUSES = (*_REGISTERING_STATUSES, EventStatus.REGISTRATION_CLOSED.value, EventStatus.RUNNING.value)
_ENDED_STATES = tuple(state.value for state in RegistrationState if not state.active)


def entry_key(scope: str, staff_no: str) -> str:
    return f"{scope}#{staff_no}"


def queue_name(event_id: str, scope: str) -> str:
    return f"{event_id}#{scope}"


def option_key(scope: str, question_id: str, option_id: str) -> str:
    return f"{scope}#{question_id}#{option_id}"


class Pick(NamedTuple):
    """A chosen form option with a limit: counted in ``option_use`` while the registration is active."""

    question_id: str
    option_id: str
    limit: int


class WaitingEntry(NamedTuple):
    event_id: str
    scope: str
    staff_no: str
    unit_id: str | None = None  # known when read from the registration (needed to count a unit's quota use)


class UnitPlace(NamedTuple):
    """A unit's use of its share, changed with a registration: ``binding`` puts ``used < quota`` as the
    condition; ``limit`` instead puts ``used < limit`` (teams per unit, where no quota item is set up)."""

    unit_id: str
    binding: bool = False
    limit: int | None = None


class GroupLimit(NamedTuple):
    group_id: str
    limit: int


def waiting_queue_key(join: int) -> str:
    """The queue key of the ``join``-th join to a waiting list. ``s-`` sorts after the lottery's ``d-<rank>`` keys
    (drawn before anyone joins) and after the time-ordered ``q-`` keys of joins made before ``waiting_seq``."""
    return f"s-{join:010d}"


class QueueTurn(NamedTuple):
    """A join to a waiting list, as its pool was read: ``waiting_count`` members waiting and ``waiting_seq`` joins
    so far. It is written only while both still hold, so it is join ``waiting_seq + 1``, after every member now
    waiting, and its position is exactly ``waiting_count + 1`` with no count to read; a join that lost the race is
    told the pool's values as DynamoDB found them (``TransactionFailed.found``) and tries again with those."""

    waiting_count: int
    waiting_seq: int

    @property
    def queue_key(self) -> str:
        return waiting_queue_key(self.waiting_seq + 1)

    @property
    def position(self) -> int:
        return self.waiting_count + 1


# What a registration's time reads as when it and its last change are both damaged.
_LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def _answers(data: Any) -> dict:
    if not isinstance(data, dict):
        raise ValueError("answers: expected an object")
    return data


def optional_int(value: float | None) -> int | None:
    """A NumberAttribute that may be absent, as the int it holds (DynamoDB numbers come back as floats)."""
    return None if value is None else int(value)


def _pool(event_id: str, scope: str) -> tuple[type[EventTable] | type[SessionTable], Any]:
    if scope == SERIES:
        return EventTable, EventTable(event_id)
    return SessionTable, SessionTable(event_id, scope)


def has_room(model: type[EventTable] | type[SessionTable]) -> Any:
    """The pool has a free place: it has no capacity, or fewer confirmed than its capacity."""
    return model.capacity.does_not_exist() | (model.confirmed_count < model.capacity)


def open_condition(at: datetime, by_organiser: bool, session: bool = False) -> Any:
    """The event still takes registrations at ``at``: members within its window, organisers until it ends.
    ``session``: for a single session, whose places close when it starts (a condition on the session's item, see
    ``session_not_started``), not when term registration closes."""
    if by_organiser:
        return EventTable.status.is_in(*_ADDING_STATUSES)
    opened = EventTable.registration_opens_at.does_not_exist() | (EventTable.registration_opens_at <= at)
    if session:
        return EventTable.status.is_in(*_REGISTERING_STATUSES) & opened
    not_closed = (EventTable.registration_closes_at.exists() & (EventTable.registration_closes_at > at)) | (
        EventTable.registration_closes_at.does_not_exist() & (EventTable.starts_at > at)
    )
    return EventTable.status.is_in(*_REGISTERING_STATUSES) & opened & not_closed


def session_not_started(at: datetime, by_organiser: bool) -> Any:
    """A single session's places are open to members until it starts (organisers may add people later)."""
    return None if by_organiser else SessionTable.starts_at > at


def _join_pool(
    tx: LabelledTransaction,
    model: type[EventTable] | type[SessionTable],
    pool: Any,
    turn: QueueTurn,
    joins: int,
    in_time: Any,
    is_open: Any,
) -> None:
    """``joins`` joins to the pool's waiting list, written only while its waiting_count and waiting_seq are what
    ``turn`` read (and it is full or queued, its list kept, its registration open); the pool as found comes back
    when they are not."""
    seen = (model.waiting_count == turn.waiting_count) & (
        model.waiting_seq == turn.waiting_seq
        if turn.waiting_seq
        else model.waiting_seq.does_not_exist() | (model.waiting_seq == 0)
    )
    full_or_queued = ((model.confirmed_count >= model.capacity) | (model.waiting_count > 0)) & seen
    tx.update(
        POOL,
        pool,
        actions=[model.waiting_count.add(joins), model.waiting_seq.add(joins)],
        condition=in_time(full_or_queued)
        if model is SessionTable
        else full_or_queued & (EventTable.waiting_list == True) & is_open,  # noqa: E712
        old_on_failure=True,
    )


class Registrations:
    @staticmethod
    def record(item: RegistrationTable) -> Registration:
        """The registration; a damaged field reads as a fallback named in ``damaged`` (chalicelib.storage.salvage).
        The scope and 工号 always come from the key; a damaged state reads as cancelled (it holds no place, and
        the event's counters, which are kept apart, are not touched by reading it)."""
        fix = Salvage("registrations", f"{item.event_id}/{item.entry}", item.unreadable)
        scope, _, staff_no = item.entry.partition("#")
        registered_at = fix.moment("registered_at", item.registered_at, item.updated_at or _LONG_AGO)
        return fix.flag(
            Registration(
                event_id=item.event_id,
                scope=scope,
                staff_no=staff_no,
                name=fix.text("name", item.name, staff_no),
                unit_id=fix.text("unit_id", item.unit_id, ""),
                state=fix.choice("state", item.state, RegistrationState, RegistrationState.CANCELLED),
                registered_at=registered_at,
                updated_at=fix.moment("updated_at", item.updated_at, registered_at),
                answers=fix.data("answers", item.answers, _answers, {}),
                queue_key=item.queue_key,
                promoted_at=item.promoted_at,
                added_by=item.added_by,
                reason=item.reason,
                partner=item.partner,
                partner_name=item.partner_name,
                team_id=item.team_id,
                tier=fix.optional("tier", item.tier, int),
                ticket=item.ticket,
            )
        )

    # ---- reads --------------------------------------------------------------------------------------------

    def get(self, event_id: str, scope: str, staff_no: str) -> Registration | None:
        item = get_or_none(RegistrationTable, event_id, entry_key(scope, staff_no), consistent_read=True)
        return None if item is None else self.record(item)

    def for_event(self, event_id: str, scope: str | None = None, consistent: bool = False) -> list[Registration]:
        """``consistent``: a strongly consistent read (the statistics recount an event right after a write)."""
        condition = RegistrationTable.entry.startswith(f"{scope}#") if scope else None
        query = RegistrationTable.query(event_id, condition, consistent_read=consistent)
        return [self.record(item) for item in query]

    def of_member_for_event(self, event_id: str, staff_no: str, scopes: list[str]) -> list[Registration]:
        """A member's registrations for one event in the given scopes (the whole event, sessions), read by key
        and consistently: a page shown right after registering must see it, and an event's other registrations
        are never read for it."""
        keys = [(event_id, entry_key(scope, staff_no)) for scope in scopes]
        return [self.record(item) for item in RegistrationTable.batch_get(keys, consistent_read=True)]

    def for_member(self, staff_no: str, limit: int = 100) -> list[Registration]:
        query = RegistrationTable.by_member.query(staff_no, scan_index_forward=False, limit=limit)
        return [self.record(item) for item in query]

    def for_member_between(self, staff_no: str, low: datetime, high: datetime) -> list[Registration]:
        """A member's registrations made at or after ``low`` and before ``high``, oldest first, every page (the
        by_member index: a member's year)."""
        moments = RegistrationTable.registered_at.between(low, high - timedelta(microseconds=1))
        return [self.record(item) for item in RegistrationTable.by_member.query(staff_no, moments)]

    def first_waiting(self, event_id: str, scope: str) -> WaitingEntry | None:
        # The index is eventually consistent: a stale first entry fails the promotion's condition and is retried.
        for item in RegistrationTable.by_queue.query(queue_name(event_id, scope), limit=1):
            scope_part, _, staff_no = item.entry.partition("#")
            return WaitingEntry(item.event_id, scope_part, staff_no)
        return None

    def waiting_position(self, registration: Registration) -> int | None:
        """1 for the first on the waiting list; None when not waiting."""
        if registration.state is not RegistrationState.WAITING or not registration.queue_key:
            return None
        ahead = RegistrationTable.by_queue.count(
            queue_name(registration.event_id, registration.scope),
            RegistrationTable.queue_key < registration.queue_key,
        )
        return ahead + 1

    def option_use(self, event_id: str) -> dict[str, int]:
        """Uses of every limited option of an event, by ``option_key``."""
        return {item.option_key: int(item.uses) for item in OptionUseTable.query(event_id)}

    # ---- writes -------------------------------------------------------------------------------------------

    @staticmethod
    def item(registration: Registration) -> RegistrationTable:
        waiting = registration.state is RegistrationState.WAITING
        return item_from(
            RegistrationTable,
            registration,
            entry=entry_key(registration.scope, registration.staff_no),
            state=registration.state.value,
            answers=json.dumps(registration.answers, ensure_ascii=False) if registration.answers else None,
            queue=queue_name(registration.event_id, registration.scope) if waiting else None,
            queue_key=registration.queue_key if waiting else None,
            ticket=registration.ticket or new_ticket(),
        )

    def put_many(self, registrations: list[Registration], option_use: dict[tuple[str, str], int]) -> None:
        """Write registrations and option counts as they are (benchmarks, which set the counters themselves)."""
        save_all(RegistrationTable, map(self.item, registrations))
        save_all(
            OptionUseTable, (OptionUseTable(event_id, key, uses=count) for (event_id, key), count in option_use.items())
        )

    @staticmethod
    def _count_picks(tx: LabelledTransaction, event_id: str, scope: str, picks: list[Pick], step: int) -> None:
        for pick in picks:
            key = option_key(scope, pick.question_id, pick.option_id)
            condition = None
            if step > 0:
                condition = OptionUseTable.uses.does_not_exist() | (OptionUseTable.uses < pick.limit)
            tx.update(
                f"{OPTION_PREFIX}{pick.question_id}:{pick.option_id}",
                OptionUseTable(event_id, key),
                actions=[OptionUseTable.uses.add(step)],
                condition=condition,
            )

    @staticmethod
    def use_unit_place(
        tx: LabelledTransaction, event_id: str, place: UnitPlace, step: int, label: str = UNIT_PLACE
    ) -> None:
        condition = None
        if step > 0 and place.binding:
            condition = UnitPlacesTable.used < UnitPlacesTable.quota
        elif step > 0 and place.limit is not None:
            condition = UnitPlacesTable.used.does_not_exist() | (UnitPlacesTable.used < place.limit)
        tx.update(
            label,
            UnitPlacesTable(event_id, place.unit_id),
            actions=[UnitPlacesTable.used.add(step)],
            condition=condition,
        )

    @staticmethod
    def _count_group(tx: LabelledTransaction, group: GroupLimit, staff_no: str, step: int, label: str) -> None:
        condition = None
        if step > 0:
            condition = GroupEntryTable.entries.does_not_exist() | (GroupEntryTable.entries < group.limit)
        tx.update(
            label,
            GroupEntryTable(group.group_id, staff_no),
            actions=[GroupEntryTable.entries.add(step)],
            condition=condition,
        )

    @staticmethod
    def new_entry() -> Any:
        """The registration's key is free: never used, or only by a registration that has ended."""
        return RegistrationTable.entry.does_not_exist() | RegistrationTable.state.is_in(*_ENDED_STATES)

    def enter(
        self,
        registration: Registration,
        picks: list[Pick],
        at: datetime,
        *,
        by_organiser: bool = False,
        extra: tuple[Any, ...] = (),
        unit_place: UnitPlace | None = None,
        group: GroupLimit | None = None,
        confirms_pair: bool = False,
        clashes: tuple[str, ...] = (),
        turn: QueueTurn | None = None,
        keyed: tuple[Any, Any] | None = None,
    ) -> None:
        """Write a new CONFIRMED, WAITING or PENDING registration and take its place (or queue slot, or pending
        count), its options, its unit's quota place and its entry-group count. A WAITING registration joins with
        its ``turn`` (its queue key is the turn's); the pool's values come back in the failure when its condition
        fails. ``keyed``: the request's Idempotency-Key record and its condition (chalicelib.storage.idempotency
        ``answered``), written in the same transaction; fails on ``idempotency_key`` when the key is taken.

        ``confirms_pair``: the registration is a pair's, until now AWAITING_PARTNER, and its partner confirms
        (their INVITED registration becomes PARTNER in the same transaction); the group was counted at the
        invitation.

        Fails on ``registration`` (the member already has an active one), ``pool`` (places changed since they
        were read: read again and decide again), ``event_open`` (registration has closed), ``unit_place`` (the
        unit's quota is used up), ``group`` (the member's entry-group limit), ``partner`` (the invitation is no
        longer open) or ``option:<q>:<o>``. ``extra`` items (audit entry, notification) are written in the same
        transaction. ``clashes``: scopes whose registration of the same member must be free (a class's whole term
        against its sessions, chalicelib.domain.event_rules.clashing_scopes); fails on ``clash``.
        """
        tx = LabelledTransaction()
        for scope in clashes:
            key = entry_key(scope, registration.staff_no)
            tx.condition_check(CLASH, RegistrationTable, registration.event_id, self.new_entry(), range_key=key)
        if confirms_pair:
            tx.put(
                REGISTRATION,
                self.item(registration),
                condition=RegistrationTable.state == RegistrationState.AWAITING_PARTNER.value,
            )
            tx.update(
                PARTNER,
                RegistrationTable(registration.event_id, entry_key(registration.scope, registration.partner or "")),
                actions=[
                    RegistrationTable.state.set(RegistrationState.PARTNER.value),
                    RegistrationTable.updated_at.set(at),
                ],
                condition=RegistrationTable.state == RegistrationState.INVITED.value,
            )
        else:
            tx.put(REGISTRATION, self.item(registration), condition=self.new_entry())
            if group is not None:
                self._count_group(tx, group, registration.staff_no, +1, GROUP)
        self._take_pool(tx, registration, at, by_organiser, turn)
        if keyed is not None:
            tx.put(IDEMPOTENCY_KEY, keyed[0], condition=keyed[1])
        if unit_place is not None and registration.state is RegistrationState.CONFIRMED:
            self.use_unit_place(tx, registration.event_id, unit_place, +1, UNIT_PLACE)
        self._count_picks(tx, registration.event_id, registration.scope, picks, +1)
        tx.put_extra(extra)
        tx.commit()

    def join_many(self, registrations: list[Registration], turn: QueueTurn, at: datetime, keyed: list[Any]) -> None:
        """Several members' joins to one waiting list in one transaction (chalicelib.services.pool_turns gathers the
        joins that wait for the same turn): join i is number ``turn.waiting_seq + 1 + i`` at position
        ``turn.waiting_count + 1 + i``. Only simple joins: no limited options, entry group, class clash or pair.
        ``keyed[i]``: join i's Idempotency-Key record and condition, or None. Fails on ``pool``,
        ``registration:<i>`` or ``idempotency_key:<i>`` (that join alone is refused), or ``event_open``."""
        first = registrations[0]
        tx = LabelledTransaction()
        for index, (registration, key) in enumerate(zip(registrations, keyed, strict=True)):
            assert registration.queue_key == waiting_queue_key(turn.waiting_seq + 1 + index)
            tx.put(f"{REGISTRATION}:{index}", self.item(registration), condition=self.new_entry())
            if key is not None:
                tx.put(f"{IDEMPOTENCY_KEY}:{index}", key[0], condition=key[1])
        model, pool = _pool(first.event_id, first.scope)
        is_open = open_condition(at, False, session=model is SessionTable)
        started = session_not_started(at, False)
        in_time = (lambda condition: condition & started) if started is not None else (lambda condition: condition)
        _join_pool(tx, model, pool, turn, len(registrations), in_time, is_open)
        if model is SessionTable:
            tx.condition_check(EVENT_OPEN, EventTable, first.event_id, condition=is_open)
        tx.commit()

    @staticmethod
    def _take_pool(
        tx: LabelledTransaction,
        registration: Registration,
        at: datetime,
        by_organiser: bool,
        turn: QueueTurn | None,
    ) -> None:
        model, pool = _pool(registration.event_id, registration.scope)
        is_open = open_condition(at, by_organiser, session=model is SessionTable)
        # A session's own item carries its start: members' places close then.
        started = session_not_started(at, by_organiser)
        in_time = (lambda condition: condition & started) if started is not None else (lambda condition: condition)
        if registration.state is RegistrationState.CONFIRMED:
            condition = has_room(model) & (model.waiting_count == 0)
            tx.update(
                POOL,
                pool,
                actions=[model.confirmed_count.add(1)],
                condition=in_time(condition) if model is SessionTable else condition & is_open,
                old_on_failure=True,
            )
        elif registration.state is RegistrationState.WAITING:
            assert turn is not None and registration.queue_key == turn.queue_key  # a join knows its turn
            _join_pool(tx, model, pool, turn, 1, in_time, is_open)
        else:  # PENDING: approval and lottery take whole-event registrations only
            tx.update(POOL, pool, actions=[EventTable.pending_count.add(1)], condition=is_open)
        if model is SessionTable:
            tx.condition_check(EVENT_OPEN, EventTable, registration.event_id, condition=is_open)

    def invite(
        self,
        lead: Registration,
        partner: Registration,
        at: datetime,
        *,
        groups: GroupLimit | None = None,
        extra: tuple[Any, ...] = (),
    ) -> None:
        """A pair entry: the lead's registration AWAITING_PARTNER and the partner's INVITED, both keys taken so
        that neither can enter with someone else meanwhile. No place is taken until the partner confirms.

        Fails on ``registration`` (the lead already entered), ``partner`` (the partner already entered),
        ``event_open`` or ``group`` / ``group:partner`` (entry-group limits)."""
        tx = LabelledTransaction()
        tx.put(REGISTRATION, self.item(lead), condition=self.new_entry())
        tx.put(PARTNER, self.item(partner), condition=self.new_entry())
        tx.condition_check(EVENT_OPEN, EventTable, lead.event_id, condition=open_condition(at, False))
        if groups is not None:
            self._count_group(tx, groups, lead.staff_no, +1, GROUP)
            self._count_group(tx, groups, partner.staff_no, +1, f"{GROUP}:{PARTNER}")
        tx.put_extra(extra)
        tx.commit()

    def leave(
        self,
        registration: Registration,
        new_state: RegistrationState,
        picks: list[Pick],
        at: datetime,
        *,
        promote: WaitingEntry | None = None,
        reason: str | None = None,
        extra: tuple[Any, ...] = (),
        unit_place: UnitPlace | None = None,
        group: GroupLimit | None = None,
        before_draw: bool = False,
    ) -> None:
        """End an active registration (cancelled, removed or rejected), give its place to ``promote`` (the first
        on the waiting list), release its options, quota place and group counts, and end the partner's
        registration of a pair, all in one transaction.

        ``before_draw``: a lottery application may be withdrawn only while the draw has not been made.

        Fails on ``registration`` (it changed since it was read), ``pool`` (someone joined the waiting list: a
        confirmed place must go to them; or the draw was made meanwhile) or ``promoted`` (that entry is no
        longer waiting).
        """
        tx = LabelledTransaction()
        actions = [
            RegistrationTable.state.set(new_state.value),
            RegistrationTable.updated_at.set(at),
            RegistrationTable.queue.remove(),
            RegistrationTable.queue_key.remove(),
        ]
        if reason:
            actions.append(RegistrationTable.reason.set(reason))
        tx.update(
            REGISTRATION,
            RegistrationTable(registration.event_id, entry_key(registration.scope, registration.staff_no)),
            actions=actions,
            condition=RegistrationTable.state == registration.state.value,
        )
        self._release_place(tx, registration, promote, at, before_draw)
        if unit_place is not None and registration.state is RegistrationState.CONFIRMED:
            self._release_unit_place(tx, registration.event_id, unit_place, promote)
        if registration.partner:
            tx.update(
                PARTNER,
                RegistrationTable(registration.event_id, entry_key(registration.scope, registration.partner)),
                actions=[RegistrationTable.state.set(new_state.value), RegistrationTable.updated_at.set(at)],
                condition=RegistrationTable.state.is_in(
                    RegistrationState.INVITED.value, RegistrationState.PARTNER.value
                ),
            )
        if group is not None:
            self._count_group(tx, group, registration.staff_no, -1, GROUP)
            if registration.partner:
                self._count_group(tx, group, registration.partner, -1, f"{GROUP}:{PARTNER}")
        self._count_picks(tx, registration.event_id, registration.scope, picks, -1)
        tx.put_extra(extra)
        tx.commit()

    def _release_place(
        self,
        tx: LabelledTransaction,
        registration: Registration,
        promote: WaitingEntry | None,
        at: datetime,
        before_draw: bool,
    ) -> None:
        """leave's counter update on the pool: one fewer waiting or pending (an application only before the draw),
        or one fewer confirmed when nobody waits; or the place goes to ``promote``, who leaves the waiting list."""
        model, pool = _pool(registration.event_id, registration.scope)
        state = registration.state
        if state is RegistrationState.WAITING:
            tx.update(POOL, pool, actions=[model.waiting_count.add(-1)])
        elif state is RegistrationState.PENDING:
            tx.update(
                POOL,
                pool,
                actions=[EventTable.pending_count.add(-1)],
                condition=EventTable.lottery_drawn_at.does_not_exist() if before_draw else None,
            )
        elif state is RegistrationState.CONFIRMED and promote is None:
            tx.update(POOL, pool, actions=[model.confirmed_count.add(-1)], condition=model.waiting_count == 0)
        elif state is RegistrationState.CONFIRMED and promote is not None:
            self._promote_into(tx, promote, at)
            tx.update(POOL, pool, actions=[model.waiting_count.add(-1)], condition=model.waiting_count > 0)

    def _release_unit_place(
        self, tx: LabelledTransaction, event_id: str, unit_place: UnitPlace, promote: WaitingEntry | None
    ) -> None:
        """A confirmed place leaves its unit's quota, unless ``promote`` of the same unit takes it; one of another
        unit uses their own unit's quota."""
        if promote is None or promote.unit_id != unit_place.unit_id:
            self.use_unit_place(tx, event_id, unit_place, -1, UNIT_PLACE)
        if promote is not None and promote.unit_id != unit_place.unit_id:
            promoted_place = UnitPlace(promote.unit_id or "")
            self.use_unit_place(tx, event_id, promoted_place, +1, f"{UNIT_PLACE}:{PROMOTED}")

    def approve(
        self,
        registration: Registration,
        at: datetime,
        *,
        unit_place: UnitPlace | None = None,
        extra: tuple[Any, ...] = (),
    ) -> None:
        """A pending registration takes a place: ``confirmed_count < capacity`` and, while quotas bind, the
        unit's ``used < quota``, in one transaction, so two organisers approving the last place at once cannot
        both succeed.

        Fails on ``registration`` (no longer pending), ``pool`` (no place left) or ``unit_place`` (the unit's
        quota is used up)."""
        tx = LabelledTransaction()
        tx.update(
            REGISTRATION,
            RegistrationTable(registration.event_id, entry_key(registration.scope, registration.staff_no)),
            actions=[
                RegistrationTable.state.set(RegistrationState.CONFIRMED.value),
                RegistrationTable.updated_at.set(at),
            ],
            condition=RegistrationTable.state == RegistrationState.PENDING.value,
        )
        tx.update(
            POOL,
            EventTable(registration.event_id),
            actions=[EventTable.confirmed_count.add(1), EventTable.pending_count.add(-1)],
            condition=has_room(EventTable),
        )
        if unit_place is not None:
            self.use_unit_place(tx, registration.event_id, unit_place, +1, UNIT_PLACE)
        tx.put_extra(extra)
        tx.commit()

    def promote(self, entry: WaitingEntry, at: datetime, extra: tuple[Any, ...] = (), quotas: bool = False) -> None:
        """Confirm the first on the waiting list into a free place (after capacity grew).

        Fails on ``pool`` (no free place any more) or ``promoted`` (no longer waiting).
        """
        model, pool = _pool(entry.event_id, entry.scope)
        tx = LabelledTransaction()
        self._promote_into(tx, entry, at)
        tx.update(
            POOL,
            pool,
            actions=[model.confirmed_count.add(1), model.waiting_count.add(-1)],
            condition=has_room(model) & (model.waiting_count > 0),
        )
        if quotas and entry.unit_id:
            self.use_unit_place(tx, entry.event_id, UnitPlace(entry.unit_id), +1, UNIT_PLACE)
        tx.put_extra(extra)
        tx.commit()

    @staticmethod
    def _promote_into(tx: LabelledTransaction, entry: WaitingEntry, at: datetime) -> None:
        tx.update(
            PROMOTED,
            RegistrationTable(entry.event_id, entry_key(entry.scope, entry.staff_no)),
            actions=[
                RegistrationTable.state.set(RegistrationState.CONFIRMED.value),
                RegistrationTable.promoted_at.set(at),
                RegistrationTable.updated_at.set(at),
                RegistrationTable.queue.remove(),
                RegistrationTable.queue_key.remove(),
            ],
            condition=RegistrationTable.state == RegistrationState.WAITING.value,
        )

    def settle_draw(self, placed: list[Registration], at: datetime, extra: tuple[Any, ...] = ()) -> None:
        """Move drawn applications from PENDING to their drawn state (CONFIRMED, or WAITING with the draw's
        queue key), with their notifications. The draw itself, counters included, is already recorded
        (chalicelib.storage.draws), so this may be repeated for whatever is still pending."""
        tx = LabelledTransaction()
        for registration in placed:
            waiting = registration.state is RegistrationState.WAITING
            actions = [
                RegistrationTable.state.set(registration.state.value),
                RegistrationTable.updated_at.set(at),
            ]
            if waiting:
                assert registration.queue_key is not None  # a waiting registration has its place in the queue
                actions += [
                    RegistrationTable.queue.set(queue_name(registration.event_id, registration.scope)),
                    RegistrationTable.queue_key.set(registration.queue_key),
                ]
            elif registration.reason:
                actions.append(RegistrationTable.reason.set(registration.reason))
            tx.update(
                f"drawn:{registration.staff_no}",
                RegistrationTable(registration.event_id, entry_key(registration.scope, registration.staff_no)),
                actions=actions,
                condition=RegistrationTable.state == RegistrationState.PENDING.value,
            )
        tx.put_extra(extra)
        tx.commit()


class Sessions:
    @staticmethod
    def record(item: SessionTable) -> EventSession:
        return record_from(
            EventSession,
            item,
            capacity=int(item.capacity) if item.capacity is not None else None,
            confirmed_count=int(item.confirmed_count or 0),
            waiting_count=int(item.waiting_count or 0),
            waiting_seq=int(item.waiting_seq or 0),
        )

    @staticmethod
    def item(session: EventSession) -> SessionTable:
        return item_from(SessionTable, session, day=session.starts_at.astimezone(CHINA_TZ).date().isoformat())

    def starting_between(self, low: datetime, high: datetime) -> list[EventSession]:
        """Sessions of every class starting in ``[low, high)``: one by_day query per China day the range touches
        (the reminders job; meant for a few days). Sessions written before the index are not among them."""
        last = high - timedelta(microseconds=1)
        days = [low.astimezone(CHINA_TZ).date()]
        while days[-1] < last.astimezone(CHINA_TZ).date():
            days.append(days[-1] + timedelta(days=1))
        condition = SessionTable.starts_at.between(low, last)
        return [self.record(item) for day in days for item in SessionTable.by_day.query(day.isoformat(), condition)]

    def found(self, raw: dict[str, Any]) -> EventSession:
        """The session from the raw item a failed conditional write returned (``TransactionFailed.found``)."""
        return self.record(SessionTable.from_raw_data(raw))

    def for_event(self, event_id: str) -> list[EventSession]:
        return [self.record(item) for item in SessionTable.query(event_id, consistent_read=True)]

    def get(self, event_id: str, session_id: str) -> EventSession | None:
        item = get_or_none(SessionTable, event_id, session_id, consistent_read=True)
        return None if item is None else self.record(item)
