"""Delivery records: one per (notification, channel), written with conditions so that each is sent once.

A record is claimed before its message is sent and marked after; both writes are conditional. ``claimed`` items
sit in the due queue until their lease ends, so a worker that dies between the claim and the mark leaves work the
retry job finds (the sender gets the same idempotency key again). The sparse index ``by_queue`` holds exactly the
items waiting for something: "due#<channel>" (retries, messages held by quiet hours, live claims) and "failed".
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.domain.notify import Channel, Delivery, DeliveryState, delivery_key
from chalicelib.domain.records import Notification
from chalicelib.storage.notifications import Notifications
from chalicelib.storage.organisation import _decode_cursor, _encode_cursor
from chalicelib.storage.tables import DeliveryTable, NotificationTable
from chalicelib.storage.writes import written

# Delivery records expire with their notification (storage/notifications.py KEEP_FOR).
KEEP_FOR = timedelta(days=365)
FAILED_QUEUE = "failed"


def due_queue(channel: Channel) -> str:
    return f"due#{channel.value}"


def _record(item: DeliveryTable) -> Delivery:
    staff_no, _, notification_id = item.delivery_key.partition("#")
    return Delivery(
        staff_no=staff_no,
        notification_id=notification_id,
        channel=Channel(item.channel),
        state=DeliveryState(item.state),
        attempts=int(item.attempts or 0),
        kind=item.kind or "",
        code=item.code or "",
        due_at=item.queue_at,
        updated_at=item.updated_at,
    )


class Deliveries:
    def start(
        self, staff_no: str, notification_id: str, channel: Channel, kind: str, now: datetime, lease: timedelta
    ) -> int | None:
        """Claim a notification's first delivery on ``channel``: the attempt number (1) if this worker is to send
        it; None if another worker has it or had it (already sent, skipped, held, failed), unless that one's claim
        or retry is due: then it is taken over as for the retry job (``claim``)."""
        key = delivery_key(staff_no, notification_id)
        item = self._new(key, channel, kind, DeliveryState.CLAIMED, now)
        item.attempts = 1
        item.queue, item.queue_at = due_queue(channel), now + lease
        if written(item.save, condition=DeliveryTable.delivery_key.does_not_exist()):
            return 1
        return self.claim(key, channel, now, lease)

    def claim(self, key: str, channel: Channel, now: datetime, lease: timedelta) -> int | None:
        """Take a due delivery (a retry whose time came, or a claim whose lease ended): the attempt number, or None
        when it is not due (any more): another worker took it first, or it was sent meanwhile."""
        item = DeliveryTable(key, channel.value)
        condition = (DeliveryTable.queue == due_queue(channel)) & (DeliveryTable.queue_at <= now)
        actions = [
            DeliveryTable.state.set(DeliveryState.CLAIMED.value),
            DeliveryTable.attempts.add(1),
            DeliveryTable.queue_at.set(now + lease),
            DeliveryTable.updated_at.set(now),
        ]
        if not written(item.update, actions=actions, condition=condition):
            return None
        return int(item.attempts)

    def hold(
        self,
        staff_no: str,
        notification_id: str,
        channel: Channel,
        kind: str,
        until: datetime,
        now: datetime,
        code: str,
    ) -> bool:
        """Put a notification's first delivery on ``channel`` off until ``until`` (quiet hours, a channel that is
        down) without counting an attempt. False if it already has a record."""
        item = self._new(delivery_key(staff_no, notification_id), channel, kind, DeliveryState.RETRY, now)
        item.queue, item.queue_at, item.code = due_queue(channel), until, code
        return written(item.save, condition=DeliveryTable.delivery_key.does_not_exist())

    def skip(
        self, staff_no: str, notification_id: str, channel: Channel, kind: str, reason: str, now: datetime
    ) -> bool:
        """Record that ``channel`` is not used for this notification and why (no address, muted ...)."""
        item = self._new(delivery_key(staff_no, notification_id), channel, kind, DeliveryState.SKIPPED, now)
        item.code = reason
        return written(item.save, condition=DeliveryTable.delivery_key.does_not_exist())

    def sent(self, key: str, channel: Channel, attempt: int, now: datetime) -> bool:
        """Mark a claimed delivery sent; False if the claim is no longer this attempt's (its lease ended and
        another worker took it over)."""
        return self._finish(
            key,
            channel,
            attempt,
            [
                DeliveryTable.state.set(DeliveryState.SENT.value),
                DeliveryTable.queue.remove(),
                DeliveryTable.queue_at.remove(),
                DeliveryTable.code.remove(),
                DeliveryTable.updated_at.set(now),
            ],
        )

    def retry_at(self, key: str, channel: Channel, attempt: int, at: datetime, code: str, now: datetime) -> bool:
        """The attempt failed and may be tried again at ``at``."""
        actions = [
            DeliveryTable.state.set(DeliveryState.RETRY.value),
            DeliveryTable.queue_at.set(at),
            DeliveryTable.code.set(code),
            DeliveryTable.updated_at.set(now),
        ]
        return self._finish(key, channel, attempt, actions)

    def put_back(self, key: str, channel: Channel, attempt: int, at: datetime, code: str, now: datetime) -> bool:
        """Give a claim back without counting it as an attempt (quiet hours reached it, its channel is down)."""
        actions = [
            DeliveryTable.state.set(DeliveryState.RETRY.value),
            DeliveryTable.attempts.add(-1),
            DeliveryTable.queue_at.set(at),
            DeliveryTable.code.set(code),
            DeliveryTable.updated_at.set(now),
        ]
        return self._finish(key, channel, attempt, actions)

    def failed(self, key: str, channel: Channel, attempt: int, code: str, now: datetime) -> bool:
        """The attempt failed for good: shown to the union admin (``failures``), who may ``retry_now``."""
        actions = [
            DeliveryTable.state.set(DeliveryState.FAILED.value),
            DeliveryTable.queue.set(FAILED_QUEUE),
            DeliveryTable.queue_at.set(now),
            DeliveryTable.code.set(code),
            DeliveryTable.updated_at.set(now),
        ]
        return self._finish(key, channel, attempt, actions)

    def retry_now(self, key: str, channel: Channel, now: datetime) -> bool:
        """A union admin's retry of a failed delivery: due at once, with all its attempts again. False if it is
        not failed (any more)."""
        item = DeliveryTable(key, channel.value)
        actions = [
            DeliveryTable.state.set(DeliveryState.RETRY.value),
            DeliveryTable.attempts.set(0),
            DeliveryTable.queue.set(due_queue(channel)),
            DeliveryTable.queue_at.set(now),
            DeliveryTable.updated_at.set(now),
        ]
        return written(item.update, actions=actions, condition=DeliveryTable.state == DeliveryState.FAILED.value)

    def due(self, channel: Channel, now: datetime, limit: int) -> list[Delivery]:
        """Deliveries on ``channel`` whose retry time or claim lease has come, oldest first."""
        query = DeliveryTable.by_queue.query(due_queue(channel), DeliveryTable.queue_at <= now, limit=limit)
        return [_record(item) for item in query]

    def failures(self, limit: int, cursor: str | None = None) -> tuple[list[Delivery], str | None]:
        """Failed deliveries, newest first, ``limit`` at a time; the cursor of the next page or None."""
        start: dict[str, Any] | None = None
        if cursor:
            key = _decode_cursor(cursor)
            start = {name: {"S": key.get(name, "")} for name in ("delivery_key", "channel", "queue_at")}
            start["queue"] = {"S": FAILED_QUEUE}
        query = DeliveryTable.by_queue.query(
            FAILED_QUEUE, scan_index_forward=False, limit=limit, last_evaluated_key=start
        )
        items = list(query)
        found = [_record(item) for item in items]
        more = len(items) == limit and query.last_evaluated_key is not None
        last = query.last_evaluated_key if more else None
        next_cursor = _encode_cursor({name: value["S"] for name, value in last.items()}) if last else None
        return found, next_cursor

    def skipped(self, key: str, channel: Channel, attempt: int, reason: str, now: datetime) -> bool:
        """A claimed delivery is not to be sent after all (the member turned the channel off meanwhile ...)."""
        actions = [
            DeliveryTable.state.set(DeliveryState.SKIPPED.value),
            DeliveryTable.queue.remove(),
            DeliveryTable.queue_at.remove(),
            DeliveryTable.code.set(reason),
            DeliveryTable.updated_at.set(now),
        ]
        return self._finish(key, channel, attempt, actions)

    @staticmethod
    def notification_in(image: dict[str, Any]) -> Notification | None:
        """The notification in a stream record's new image (DynamoDB's JSON); None when its kind is unreadable."""
        return Notifications.record(NotificationTable.from_raw_data(image))

    @staticmethod
    def notification(staff_no: str, notification_id: str) -> Notification | None:
        """A notification to retry; None once it expired (or when it cannot be read)."""
        try:
            return Notifications.record(NotificationTable.get(staff_no, notification_id))
        except DoesNotExist:
            return None

    def for_notification(self, staff_no: str, notification_id: str) -> list[Delivery]:
        query = DeliveryTable.query(delivery_key(staff_no, notification_id), consistent_read=True)
        return [_record(item) for item in query]

    def get(self, key: str, channel: Channel) -> Delivery | None:
        try:
            return _record(DeliveryTable.get(key, channel.value, consistent_read=True))
        except DoesNotExist:
            return None

    @staticmethod
    def _new(key: str, channel: Channel, kind: str, state: DeliveryState, now: datetime) -> DeliveryTable:
        return DeliveryTable(
            key, channel.value, state=state.value, attempts=0, kind=kind, updated_at=now, expires_at=now + KEEP_FOR
        )

    @staticmethod
    def _finish(key: str, channel: Channel, attempt: int, actions: list[Any]) -> bool:
        condition = (DeliveryTable.state == DeliveryState.CLAIMED.value) & (DeliveryTable.attempts == attempt)
        return written(DeliveryTable(key, channel.value).update, actions=actions, condition=condition)
