"""Members' notifications. Each is written in the transaction of the change it reports where one item suffices
(a promotion, a removal); changes that concern every registrant of an event are written in batches after it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from chalicelib.domain.ids import sortable_id
from chalicelib.domain.records import Notification, NotificationKind
from chalicelib.storage.salvage import Salvage
from chalicelib.storage.tables import NotificationTable
from chalicelib.storage.writes import save_all

# Old notifications expire by TTL: a year covers any event's registration and aftermath.
KEEP_FOR = timedelta(days=365)
# What a notification's time reads as when it is damaged.
_LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def _details(data: object) -> dict:
    if not isinstance(data, dict):
        raise ValueError("details: expected an object")
    return data


class Notifications:
    @staticmethod
    def item(
        staff_no: str, kind: NotificationKind, event_id: str, event_title: str, at: datetime, details=None
    ) -> NotificationTable:
        return NotificationTable(
            staff_no,
            sortable_id("nt-"),
            at=at,
            kind=kind.value,
            event_id=event_id,
            event_title=event_title,
            details=json.dumps(details, ensure_ascii=False, default=str) if details else None,
            expires_at=at + KEEP_FOR,
        )

    @staticmethod
    def record(item: NotificationTable) -> Notification | None:
        """The notification; a damaged field reads as a fallback (chalicelib.storage.salvage). None when its kind
        cannot be read: there is nothing true to tell the member, so the list leaves it out (logged)."""
        fix = Salvage("notifications", f"{item.staff_no}/{item.notification_id}", item.unreadable)
        kind = fix.optional("kind", item.kind, NotificationKind)
        notification = fix.flag(
            Notification(
                staff_no=item.staff_no,
                notification_id=item.notification_id,
                at=fix.moment("at", item.at, _LONG_AGO),
                kind=kind or NotificationKind.EVENT_CHANGED,
                event_id=fix.text("event_id", item.event_id, ""),
                event_title=fix.text("event_title", item.event_title, item.event_id or ""),
                details=fix.data("details", item.details, _details, {}),
            )
        )
        return notification if kind is not None else None

    def for_member(self, staff_no: str, limit: int = 50) -> list[Notification]:
        query = NotificationTable.query(staff_no, scan_index_forward=False, limit=limit)
        return [found for found in map(self.record, query) if found is not None]

    def put_many(self, items: Iterable[NotificationTable]) -> None:
        save_all(NotificationTable, items)
