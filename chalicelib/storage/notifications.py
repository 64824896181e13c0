"""Members' notifications. Each is written in the transaction of the change it reports where one item suffices
(a promotion, a removal); changes that concern every registrant of an event are written in batches after it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta

from chalicelib.domain.ids import sortable_id
from chalicelib.domain.records import Notification, NotificationKind
from chalicelib.storage.tables import NotificationTable

# Old notifications expire by TTL: a year covers any event's registration and aftermath.
KEEP_FOR = timedelta(days=365)


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
    def record(item: NotificationTable) -> Notification:
        return Notification(
            staff_no=item.staff_no,
            notification_id=item.notification_id,
            at=item.at,
            kind=NotificationKind(item.kind),
            event_id=item.event_id,
            event_title=item.event_title,
            details=json.loads(item.details) if item.details else {},
        )

    def for_member(self, staff_no: str, limit: int = 50) -> list[Notification]:
        query = NotificationTable.query(staff_no, scan_index_forward=False, limit=limit)
        return [self.record(item) for item in query]

    def put_many(self, items: Iterable[NotificationTable]) -> None:
        with NotificationTable.batch_write() as batch:
            for item in items:
                batch.save(item)
