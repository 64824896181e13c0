"""What the union admin's delivery page reads besides ``Deliveries.failures``: how many deliveries wait and how
many failed, per channel, and the notifications the failures are about. Reads only (Queries on the sparse
``by_queue`` index and a BatchGetItem); the writes stay in storage/deliveries.py."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from chalicelib.domain.notify import DELIVERY_CHANNELS, Channel
from chalicelib.domain.records import Notification
from chalicelib.storage.deliveries import FAILED_QUEUE, due_queue
from chalicelib.storage.notifications import Notifications
from chalicelib.storage.tables import DeliveryTable, NotificationTable

_BATCH = 100


class DeliveryReport:
    @staticmethod
    def waiting(channel: Channel, cap: int) -> int:
        """Deliveries on ``channel`` waiting (a retry's back-off, quiet hours, a claim in flight), counted up to
        ``cap``: one Query COUNT of the channel's due queue."""
        return min(DeliveryTable.by_queue.count(due_queue(channel), limit=cap), cap)

    @staticmethod
    def failed_by_channel(cap: int) -> dict[Channel, int]:
        """Failed deliveries per channel, reading at most ``cap`` of them (the failed queue, keys and channel)."""
        found: Counter[Channel] = Counter()
        query = DeliveryTable.by_queue.query(FAILED_QUEUE, limit=cap, attributes_to_get=["channel"])
        for item in query:
            if item.channel in {c.value for c in DELIVERY_CHANNELS}:
                found[Channel(item.channel)] += 1
        return {channel: found[channel] for channel in DELIVERY_CHANNELS}

    @staticmethod
    def notifications(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Notification]:
        """The notifications of these (工号, notification id) keys that still exist (BatchGetItem, 100 a call)."""
        wanted = list(dict.fromkeys(keys))
        found: dict[tuple[str, str], Notification] = {}
        for start in range(0, len(wanted), _BATCH):
            for item in NotificationTable.batch_get(wanted[start : start + _BATCH]):
                record = Notifications.record(item)
                if record is not None:
                    found[(record.staff_no, record.notification_id)] = record
        return found
