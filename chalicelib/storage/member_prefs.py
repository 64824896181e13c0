"""Members' notification choices (``member_prefs``): the channels each turned off and the newest notification each
has seen. Every change is one conditional or idempotent write: no read-then-write."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from chalicelib.domain.member_prefs import MemberPrefs, mutable_channels
from chalicelib.domain.notify import Channel
from chalicelib.storage.convert import get_or_none
from chalicelib.storage.notifications import ONCE_ID_MAX_AGE, notification_id_at
from chalicelib.storage.tables import MemberPrefsTable, NotificationTable
from chalicelib.storage.writes import written

# BatchGetItem takes at most 100 keys a call.
_BATCH = 100


class MemberPrefsRepository:
    @staticmethod
    def _record(item: MemberPrefsTable) -> MemberPrefs:
        return MemberPrefs(
            staff_no=item.staff_no,
            muted=mutable_channels(item.muted or ()),
            seen_at=item.seen_at,
            updated_at=item.updated_at,
        )

    def get(self, staff_no: str) -> MemberPrefs:
        """The member's choices; a member who never chose has every channel on and has seen nothing."""
        item = get_or_none(MemberPrefsTable, staff_no)
        return MemberPrefs(staff_no) if item is None else self._record(item)

    def muted_channels(self, staff_nos: Iterable[str]) -> dict[str, frozenset[Channel]]:
        """The channels each of these members turned off (BatchGetItem, 100 keys a call); members who never chose
        are left out (nothing muted)."""
        keys = list(dict.fromkeys(staff_nos))
        found: dict[str, frozenset[Channel]] = {}
        for start in range(0, len(keys), _BATCH):
            for item in MemberPrefsTable.batch_get(keys[start : start + _BATCH]):
                muted = mutable_channels(item.muted or ())
                if muted:
                    found[item.staff_no] = muted
        return found

    def set_muted(self, staff_no: str, muted: Iterable[Channel], at: datetime) -> None:
        """Replace the member's muted channels (the whole choice, as the form sends it: idempotent)."""
        values = {channel.value for channel in mutable_channels(c.value for c in muted)}
        MemberPrefsTable(staff_no).update(
            actions=[
                MemberPrefsTable.muted.set(values) if values else MemberPrefsTable.muted.remove(),
                MemberPrefsTable.updated_at.set(at),
            ]
        )

    def mark_seen(self, staff_no: str, at: datetime) -> bool:
        """The member looked at their notifications at ``at`` (when the list was read). Only moves forward: False
        (nothing written) when a later look was already marked (another tab, an older page answering late)."""
        return written(
            MemberPrefsTable(staff_no).update,
            actions=[MemberPrefsTable.seen_at.set(at)],
            condition=MemberPrefsTable.seen_at.does_not_exist() | (MemberPrefsTable.seen_at < at),
        )

    def unread_count(self, prefs: MemberPrefs, limit: int) -> int:
        """How many of the member's notifications were written after they last looked, counting at most ``limit``:
        one Query with Select COUNT. Never looked: every notification. Otherwise the key range starts
        ``ONCE_ID_MAX_AGE`` before the look (ids written at most once may be that much older than their write) and
        the filter keeps those whose time is after it: the range holds a day of the member's notifications, usually
        a handful."""
        if prefs.seen_at is None:
            return min(NotificationTable.count(prefs.staff_no, limit=limit), limit)
        floor = notification_id_at(prefs.seen_at - ONCE_ID_MAX_AGE)
        found = NotificationTable.count(
            prefs.staff_no,
            NotificationTable.notification_id > floor,
            filter_condition=NotificationTable.at > prefs.seen_at,
            limit=limit,
        )
        return min(found, limit)
