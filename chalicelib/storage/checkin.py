"""Check-ins, check-in conflicts, tickets and per-event roles.

A check-in is one transaction: the registration still admits (its ticket is the one scanned and its state holds a
place; for a pair's partner, the lead's too) and no check-in exists yet for the member at that point. Whoever
scans at the same moment, one of them writes it; the others fail on ``attendance`` and report "already".
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import NamedTuple

from pynamodb.expressions.condition import Condition

from chalicelib.domain.checkin import ADMITTING_STATES, ticket_digest
from chalicelib.domain.records import (
    CheckIn,
    CheckinConflict,
    CheckinMethod,
    ConflictKind,
    RegistrationState,
    StaffRole,
)
from chalicelib.storage.convert import get_or_none, item_from, json_or_none, record_from
from chalicelib.storage.registrations import entry_key
from chalicelib.storage.salvage import Salvage
from chalicelib.storage.tables import (
    AttendanceTable,
    AuditTable,
    EventRoleTable,
    RegistrationTable,
    RevokedTicketTable,
)
from chalicelib.storage.writes import LabelledTransaction, save_all, written

REGISTRATION = "registration"
LEAD = "lead"
ATTENDANCE = "attendance"
REVOKED = "revoked"

_CHECK_IN = "a#"
_CONFLICT = "c#"
_ADMITTING = tuple(state.value for state in ADMITTING_STATES)


def check_in_mark(point_id: str, staff_no: str) -> str:
    return f"{_CHECK_IN}{point_id}#{staff_no}"


class TicketHolder(NamedTuple):
    """What the ticket index says about a scanned ticket (eventually consistent; the write checks the item)."""

    event_id: str
    scope: str
    staff_no: str
    name: str
    unit_id: str
    state: RegistrationState
    partner: str | None


class RevokedTicket(NamedTuple):
    """A ticket replaced by a new one, known by its digest: the old code answers "revoked"."""

    digest: str
    event_id: str
    scope: str


class CheckIns:
    @staticmethod
    def record(item: AttendanceTable) -> CheckIn:
        return record_from(
            CheckIn,
            item,
            staff_no=item.staff_no or "",
            name=item.name or "",
            unit_id=item.unit_id or "",
            method=CheckinMethod(item.method or CheckinMethod.SCAN.value),
            offline=bool(item.offline),
        )

    @staticmethod
    def item(check_in: CheckIn) -> AttendanceTable:
        return item_from(
            AttendanceTable,
            check_in,
            mark=check_in_mark(check_in.point_id, check_in.staff_no),
            member=check_in.staff_no,
            method=check_in.method.value,
        )

    # ---- tickets ----------------------------------------------------------------------------------------------

    def holder(self, ticket: str) -> TicketHolder | None:
        for item in RegistrationTable.by_ticket.query(ticket, limit=1):
            # A damaged registration (chalicelib.storage.salvage) reads as cancelled: the scan says so, never a 500.
            fix = Salvage("registrations", f"{item.event_id}/{item.entry}", item.unreadable)
            scope, _, staff_no = item.entry.partition("#")
            state = fix.choice("state", item.state, RegistrationState, RegistrationState.CANCELLED)
            name, unit_id = fix.text("name", item.name, staff_no), fix.text("unit_id", item.unit_id, "")
            fix.flag(item)  # logged
            return TicketHolder(item.event_id, scope, staff_no, name, unit_id, state, item.partner)
        return None

    def replace_ticket(self, event_id: str, scope: str, staff_no: str, old: str, new: str, at: datetime) -> bool:
        """Give a registration a new ticket; the old code stops working and, in the same transaction, is kept (its
        digest) as revoked. False (nothing written) unless the registration still admits and still has ``old``;
        ``TransactionFailed`` (contended) when another write to the registration got in the way: try again."""
        tx = LabelledTransaction()
        tx.update(
            REGISTRATION,
            RegistrationTable(event_id, entry_key(scope, staff_no)),
            actions=[RegistrationTable.ticket.set(new), RegistrationTable.updated_at.set(at)],
            condition=(RegistrationTable.ticket == old) & RegistrationTable.state.is_in(*_ADMITTING),
        )
        revoked = RevokedTicketTable(ticket_digest(old), event_id=event_id, scope=scope, revoked_at=at)
        tx.put(REVOKED, revoked, condition=RevokedTicketTable.digest.does_not_exist())
        return tx.commit_unless_refused()

    def revoked(self, digest: str) -> RevokedTicket | None:
        """The replaced ticket with this digest, read by key (consistently: a code replaced a moment ago is known)."""
        item = get_or_none(RevokedTicketTable, digest, consistent_read=True)
        return None if item is None else RevokedTicket(item.digest, item.event_id, item.scope)

    def revoked_for_event(self, event_id: str) -> list[RevokedTicket]:
        """The event's replaced tickets (digests and scopes only), for its stations' offline lists."""
        return [
            RevokedTicket(item.digest, item.event_id, item.scope)
            for item in RevokedTicketTable.by_event.query(event_id)
        ]

    # ---- check-ins --------------------------------------------------------------------------------------------

    def admit(self, check_in: CheckIn, scope: str, ticket: str | None, lead: str | None) -> None:
        """Write the check-in if the member's registration (in ``scope``) still admits and none exists yet.

        ``ticket``: the scanned ticket must still be the registration's. ``lead``: a pair's partner is admitted
        only while the pair's place (on the lead's registration) is confirmed. Fails with ``TransactionFailed``
        on ``registration``, ``lead`` or ``attendance``."""
        condition: Condition = RegistrationTable.state.is_in(*_ADMITTING)
        if ticket is not None:
            condition &= RegistrationTable.ticket == ticket
        tx = LabelledTransaction()
        tx.condition_check(
            REGISTRATION, RegistrationTable, check_in.event_id, condition, range_key=entry_key(scope, check_in.staff_no)
        )
        if lead is not None:
            tx.condition_check(
                LEAD,
                RegistrationTable,
                check_in.event_id,
                RegistrationTable.state == RegistrationState.CONFIRMED.value,
                range_key=entry_key(scope, lead),
            )
        tx.put(ATTENDANCE, self.item(check_in), condition=AttendanceTable.mark.does_not_exist())
        tx.commit()

    def get(self, event_id: str, point_id: str, staff_no: str) -> CheckIn | None:
        item = get_or_none(AttendanceTable, event_id, check_in_mark(point_id, staff_no), consistent_read=True)
        return None if item is None else self.record(item)

    def any_of(self, event_id: str, point_ids: Iterable[str], staff_nos: Iterable[str]) -> bool:
        """Whether any of these members checked in at any of these points (read by key, consistently)."""
        keys = [(event_id, check_in_mark(point, staff_no)) for point in point_ids for staff_no in staff_nos]
        return bool(keys) and any(True for _ in AttendanceTable.batch_get(keys, consistent_read=True))

    def for_event(self, event_id: str, point_id: str | None = None, consistent: bool = False) -> list[CheckIn]:
        """``consistent``: a strongly consistent read (the statistics recount an event right after a write)."""
        prefix = f"{_CHECK_IN}{point_id}#" if point_id else _CHECK_IN
        query = AttendanceTable.query(event_id, AttendanceTable.mark.startswith(prefix), consistent_read=consistent)
        return [self.record(item) for item in query]

    def count(self, event_id: str, point_id: str) -> int:
        return AttendanceTable.count(event_id, AttendanceTable.mark.startswith(f"{_CHECK_IN}{point_id}#"))

    def for_member(self, staff_no: str, limit: int = 200) -> list[CheckIn]:
        query = AttendanceTable.by_member.query(staff_no, scan_index_forward=False, limit=limit)
        return [self.record(item) for item in query]

    def remove(self, event_id: str, point_id: str, staff_no: str, audit: AuditTable) -> bool:
        """Remove a mistaken check-in and record who did it, in one transaction. False (nothing written) when there
        is no such check-in (never made, or removed a moment ago); ``TransactionFailed`` (contended): try again."""
        tx = LabelledTransaction()
        tx.delete(
            ATTENDANCE,
            AttendanceTable(event_id, check_in_mark(point_id, staff_no)),
            condition=AttendanceTable.mark.exists(),
        )
        tx.put("audit", audit)
        return tx.commit_unless_refused()

    def for_member_between(self, staff_no: str, low: datetime, high: datetime) -> list[CheckIn]:
        """A member's check-ins at or after ``low`` and before ``high``, oldest first, every page (the by_member
        index: a member's year)."""
        moments = AttendanceTable.at.between(low, high - timedelta(microseconds=1))
        return [self.record(item) for item in AttendanceTable.by_member.query(staff_no, moments)]

    def put_many(self, check_ins: Iterable[CheckIn]) -> None:
        """Write check-ins as they are (for a loader)."""
        save_all(AttendanceTable, map(self.item, check_ins))

    # ---- conflicts --------------------------------------------------------------------------------------------

    def add_conflict(self, conflict: CheckinConflict) -> bool:
        """Record a conflict once per scan: False if this scan's conflict was recorded before (a replayed upload)."""
        item = item_from(
            AttendanceTable,
            conflict,
            mark=f"{_CONFLICT}{conflict.scan_id}",
            offline=True,
            kind=conflict.kind.value,
            details=json.dumps(conflict.details, ensure_ascii=False, default=str),
        )
        return written(item.save, condition=AttendanceTable.mark.does_not_exist())

    def conflicts(self, event_id: str) -> list[CheckinConflict]:
        return [
            record_from(CheckinConflict, item, kind=ConflictKind(item.kind), details=json_or_none(item.details) or {})
            for item in AttendanceTable.query(event_id, AttendanceTable.mark.startswith(_CONFLICT))
        ]


class EventRoles:
    @staticmethod
    def record(item: EventRoleTable) -> StaffRole:
        return record_from(StaffRole, item, roles=frozenset(item.roles or ()))

    def get(self, event_id: str, staff_no: str) -> StaffRole | None:
        item = get_or_none(EventRoleTable, event_id, staff_no)
        return None if item is None else self.record(item)

    def for_event(self, event_id: str) -> list[StaffRole]:
        return [self.record(item) for item in EventRoleTable.query(event_id)]

    def for_staff(self, staff_no: str) -> list[StaffRole]:
        return [self.record(item) for item in EventRoleTable.by_staff.query(staff_no)]

    @staticmethod
    def item(role: StaffRole) -> EventRoleTable:
        return item_from(EventRoleTable, role, roles=set(role.roles))

    def put(self, role: StaffRole, audit: AuditTable) -> None:
        tx = LabelledTransaction()
        tx.put("role", self.item(role))
        tx.put("audit", audit)
        tx.commit()

    def delete(self, event_id: str, staff_no: str, audit: AuditTable) -> None:
        tx = LabelledTransaction()
        tx.delete("role", EventRoleTable(event_id, staff_no), condition=EventRoleTable.staff_no.exists())
        tx.put("audit", audit)
        tx.commit()
