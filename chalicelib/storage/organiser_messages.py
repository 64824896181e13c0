"""Organiser messages (chalicelib.domain.organiser_messages): the claim of a message and its history.

A message is claimed once, before any notification is written, in one transaction: its audit entry (key derived
from the message id, put on condition that it does not exist) and one count in each of the sender's rate windows
(``rate_limits`` items, updated on condition that the window is below its limit). A retried send finds the audit
entry and writes the same notifications again (ids derived from the message id and the member: nothing twice)
without counting again. The history is the audit partition's ``message.send`` entries (a Query, newest first).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from chalicelib.domain.calendar import calendar_month
from chalicelib.domain.ids import sortable_id
from chalicelib.domain.organiser_messages import MESSAGE_ID_PREFIX, RateWindow
from chalicelib.storage.convert import get_or_none
from chalicelib.storage.tables import AuditTable, RateLimitTable
from chalicelib.storage.writes import LabelledTransaction, TransactionFailed

ACTION = "message.send"
_CLAIM = "claim"
# How far back the history looks (a key condition: the partition's entries of these days are read and filtered).
HISTORY_DAYS = 90


def entry_id(message_id: str) -> str:
    """The audit entry's key: time-ordered with the other entries (the message id is a ``sortable_id``)."""
    return "au-" + message_id.removeprefix(MESSAGE_ID_PREFIX)


class SentMessage(NamedTuple):
    """A claimed message as its audit entry holds it."""

    message_id: str
    partition: str  # the audit partition: the event's owner unit, the unit, or "school"
    actor: str
    at: datetime
    target: str
    facts: dict[str, Any]  # audience, event_id, unit_id, count, urgent, text_head, text_sha256, sender names


class AlreadyClaimed(Exception):
    def __init__(self, message: SentMessage | None) -> None:
        super().__init__("message already claimed")
        self.message = message


class WindowFull(Exception):
    def __init__(self, window: RateWindow) -> None:
        super().__init__(window.bucket)
        self.window = window


def _message(item: AuditTable) -> SentMessage:
    facts = json.loads(item.after) if item.after else {}
    return SentMessage(
        message_id=str(facts.get("message_id") or ""),
        partition=item.unit_id,
        actor=item.actor,
        at=item.at,
        target=item.target,
        facts=facts,
    )


class OrganiserMessages:
    @staticmethod
    def get(partition: str, message_id: str) -> SentMessage | None:
        item = get_or_none(AuditTable, partition, entry_id(message_id), consistent_read=True)
        return None if item is None or item.action != ACTION else _message(item)

    def claim(self, message: SentMessage, windows: tuple[RateWindow, ...]) -> None:
        """Write the message's audit entry and count it in ``windows``, all or nothing. ``AlreadyClaimed`` (with
        the stored message) when its entry exists, ``WindowFull`` when a window is at its limit."""
        tx = LabelledTransaction()
        item = AuditTable(
            message.partition,
            entry_id(message.message_id),
            month=calendar_month(message.at),
            at=message.at,
            actor=message.actor,
            action=ACTION,
            target=message.target,
            after=json.dumps(message.facts, ensure_ascii=False, sort_keys=True, default=str),
        )
        tx.put(_CLAIM, item, condition=AuditTable.entry_id.does_not_exist())
        for window in windows:
            tx.update(
                window.bucket,
                RateLimitTable(window.bucket),
                [RateLimitTable.failures.add(1), RateLimitTable.expires_at.set(window.ends_at)],
                condition=RateLimitTable.failures.does_not_exist() | (RateLimitTable.failures < window.limit),
            )
        try:
            tx.commit()
        except TransactionFailed as failure:
            if _CLAIM in failure.failed:
                raise AlreadyClaimed(self.get(message.partition, message.message_id)) from failure
            for window in windows:
                if window.bucket in failure.failed:
                    raise WindowFull(window) from failure
            raise

    @staticmethod
    def history(partition: str, target: str | None, at: datetime, limit: int = 20) -> list[SentMessage]:
        """The newest messages audited in ``partition`` (about ``target`` if given) in the ``HISTORY_DAYS``
        before ``at``, newest first."""
        since = "au-" + sortable_id("", millis=int((at - timedelta(days=HISTORY_DAYS)).timestamp() * 1000))[:10]
        condition = AuditTable.action == ACTION
        if target is not None:
            condition &= AuditTable.target == target
        query = AuditTable.query(
            partition, AuditTable.entry_id >= since, filter_condition=condition, scan_index_forward=False, limit=limit
        )
        return [_message(item) for item in query]
