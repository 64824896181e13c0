"""Members' calendar subscriptions: which feed id belongs to whom, and the digest of its secret.

Two items per member with a feed, written and removed together in one transaction:
``f#<feed id>`` (what the feed URL looks up: one key get; the member's 工号 and the SHA-256 of the secret, never
the secret) and ``m#<工号>`` (the member's current feed id, for their own page and for replacing it). A new link
replaces the old one in the same transaction, on condition that the member's current feed is still the one read,
so two renewals at once leave exactly one live feed.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from chalicelib.storage.convert import get_or_none
from chalicelib.storage.tables import CalendarFeedTable
from chalicelib.storage.writes import LabelledTransaction, TransactionFailed

_FEED = "f#"
_MEMBER = "m#"


class Feed(NamedTuple):
    feed_id: str
    staff_no: str
    digest: str  # hex SHA-256 of the secret
    created_at: datetime


class FeedChanged(Exception):
    """The member's feed changed between reading and writing (another renewal or revocation): read again."""


class CalendarFeeds:
    @staticmethod
    def by_id(feed_id: str) -> Feed | None:
        """The feed a URL names (one consistent key get)."""
        item = get_or_none(CalendarFeedTable, _FEED + feed_id, consistent_read=True)
        if item is None or not item.staff_no or not item.digest:
            return None
        return Feed(feed_id, item.staff_no, item.digest, item.created_at)

    @staticmethod
    def of_member(staff_no: str) -> Feed | None:
        """The member's current feed, or None."""
        pointer = get_or_none(CalendarFeedTable, _MEMBER + staff_no, consistent_read=True)
        if pointer is None or not pointer.feed_id:
            return None
        return Feed(pointer.feed_id, staff_no, pointer.digest or "", pointer.created_at)

    @staticmethod
    def replace(staff_no: str, current: str | None, new: Feed | None) -> None:
        """Make ``new`` the member's feed (None: no feed) and delete ``current``, on condition that ``current`` is
        still the member's feed; FeedChanged otherwise, with nothing written."""
        tx = LabelledTransaction()
        pointer = CalendarFeedTable(_MEMBER + staff_no)
        still = CalendarFeedTable.key.does_not_exist() if current is None else (CalendarFeedTable.feed_id == current)
        if current is not None:
            tx.delete("old", CalendarFeedTable(_FEED + current), condition=CalendarFeedTable.staff_no == staff_no)
        if new is None:
            if current is None:
                return
            tx.delete("pointer", pointer, condition=still)
        else:
            tx.put(
                "feed",
                CalendarFeedTable(_FEED + new.feed_id, staff_no=staff_no, digest=new.digest, created_at=new.created_at),
                condition=CalendarFeedTable.key.does_not_exist(),
            )
            pointer.feed_id = new.feed_id
            pointer.digest = new.digest
            pointer.created_at = new.created_at
            tx.put("pointer", pointer, condition=still)
        try:
            tx.commit()
        except TransactionFailed as failed:
            raise FeedChanged() from failed
