"""Members' notifications. Each is written in the transaction of the change it reports where one item suffices
(a promotion, a removal); changes that concern every registrant of an event are written in batches after it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from chalicelib.domain.ids import sortable_id
from chalicelib.domain.records import Notification, NotificationKind
from chalicelib.storage.salvage import Salvage
from chalicelib.storage.tables import NotificationTable
from chalicelib.storage.writes import save_all, written

# Old notifications expire by TTL: a year covers any event's registration and aftermath.
KEEP_FOR = timedelta(days=365)
# What a notification's time reads as when it is damaged.
_LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)
# How much older than its write a ``once_id`` can be: a reminder is written within its catch-up hour, a waiting
# list's notice within a day of closing (domain/reminders.py), an organiser's message resumed within a day of its
# first send (domain/organiser_messages.py); an hour more for the job's interval (tests/unit/test_unread_window.py
# holds it above those). The unread count looks this far back (storage/member_prefs.py).
ONCE_ID_MAX_AGE = timedelta(hours=25)


def once_id(about: str, due: datetime) -> str:
    """The id of a notification that must be written at most once: the same ``about`` (what it is about, e.g.
    ``"reminder#<event>#<moment>"``) and ``due`` (when it was due, not when it is written) give the same id, so a
    job that runs twice, or in two containers at once, writes the same key and the second write is refused
    (``Notifications.put_once``). Time-ordered like every notification id (``sortable_id``): ``due`` gives the
    milliseconds, a hash of ``about`` the 80 bits that are random elsewhere."""
    digest = int.from_bytes(hashlib.sha256(about.encode()).digest()[:10], "big")
    return sortable_id("nt-", millis=int(due.timestamp() * 1000), randomness=digest)


def notification_id_at(moment: datetime) -> str:
    """The lowest notification id made at ``moment``: the start of a key range of notifications by time."""
    return sortable_id("nt-", millis=int(moment.timestamp() * 1000), randomness=0)


def _details(data: object) -> dict:
    if not isinstance(data, dict):
        raise ValueError("details: expected an object")
    return data


class Notifications:
    @staticmethod
    def item(
        staff_no: str,
        kind: NotificationKind,
        event_id: str,
        event_title: str,
        at: datetime,
        details=None,
        notification_id: str | None = None,
    ) -> NotificationTable:
        """``notification_id``: a fixed id (``once_id``) for a notification written with ``put_once``."""
        return NotificationTable(
            staff_no,
            notification_id or sortable_id("nt-"),
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
                # "" is no event (sign-in slowed, an organiser's message to a unit or the union), not damage
                event_id="" if item.event_id == "" else fix.text("event_id", item.event_id, ""),
                event_title=(
                    "" if item.event_id == "" else fix.text("event_title", item.event_title, item.event_id or "")
                ),
                details=fix.data("details", item.details, _details, {}),
            )
        )
        return notification if kind is not None else None

    def for_member(self, staff_no: str, limit: int = 50) -> list[Notification]:
        query = NotificationTable.query(staff_no, scan_index_forward=False, limit=limit)
        return [found for found in map(self.record, query) if found is not None]

    def put_many(self, items: Iterable[NotificationTable]) -> None:
        save_all(NotificationTable, items)

    @staticmethod
    def existing(keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of these (工号, notification id) keys are written: a job that runs every few minutes checks its
        fixed ids in batches before writing, rather than paying a refused conditional write for each."""
        wanted = set(keys)
        if not wanted:
            return set()
        found = NotificationTable.batch_get(wanted, attributes_to_get=["staff_no", "notification_id"])
        return {(item.staff_no, item.notification_id) for item in found}

    @staticmethod
    def put_once(item: NotificationTable) -> bool:
        """Write a notification whose id is ``once_id``, unless one with that key exists (a rerun, or another
        container running the same job): True when this call wrote it."""
        return written(item.save, condition=NotificationTable.notification_id.does_not_exist())
