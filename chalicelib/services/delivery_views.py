"""The union admin's 通知发送情况 page: how many deliveries wait or failed on each channel, the failures (whose,
about what, why) a page at a time, and retrying them. Union admins only: a failure is most often the deployment's
(a channel's set-up, the relay, the provider), which the union's admins fix, and the page lists members of every
unit. A unit admin fixes a member's address from the member's page, which a failure row links to."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import NamedTuple

from chalicelib.domain.access import Principal, require
from chalicelib.domain.notify import DELIVERY_CHANNELS, Channel, Delivery, delivery_key
from chalicelib.domain.records import Member, Notification
from chalicelib.storage import Store

log = logging.getLogger(__name__)

FAILURES_PER_PAGE = 50
# The counts read at most this many items each; the page shows "1000+" beyond.
COUNT_CAP = 1000
# One "retry all" click retries at most this many failures (the rest: click again).
RETRY_ALL_LIMIT = 500


class ChannelCounts(NamedTuple):
    channel: Channel
    configured: bool
    waiting: int
    failed: int


class FailureRow(NamedTuple):
    delivery: Delivery
    member: Member | None  # None: no longer on the roster
    notification: Notification | None  # None: expired


class DeliveryOverview(NamedTuple):
    counts: tuple[ChannelCounts, ...]
    failures: tuple[FailureRow, ...]
    next_cursor: str | None


def overview(
    store: Store, principal: Principal, configured: tuple[Channel, ...], cursor: str | None
) -> DeliveryOverview:
    require(principal.union_admin)
    failed = store.delivery_report.failed_by_channel(COUNT_CAP)
    counts = tuple(
        ChannelCounts(
            channel, channel in configured, store.delivery_report.waiting(channel, COUNT_CAP), failed[channel]
        )
        for channel in DELIVERY_CHANNELS
    )
    page, next_cursor = store.deliveries.failures(FAILURES_PER_PAGE, cursor)
    members = store.organisation.members_by_staff_no(d.staff_no for d in page)
    notifications = store.delivery_report.notifications((d.staff_no, d.notification_id) for d in page)
    rows = tuple(
        FailureRow(d, members.get(d.staff_no), notifications.get((d.staff_no, d.notification_id))) for d in page
    )
    return DeliveryOverview(counts, rows, next_cursor)


def retry(store: Store, principal: Principal, key: str, channel: Channel, at: datetime) -> bool:
    """Send one failed delivery again (the retry job takes it at once, with all its attempts). False if it is not
    failed any more (retried meanwhile, by another admin or another click)."""
    require(principal.union_admin)
    done = store.deliveries.retry_now(key, channel, at)
    log.info("delivery retry by union admin", extra={"by": principal.member_no, "channel": channel.value, "ok": done})
    return done


def retry_all(store: Store, principal: Principal, at: datetime) -> int:
    """Send every failed delivery again (up to RETRY_ALL_LIMIT a call): how many were put back in line."""
    require(principal.union_admin)
    done, cursor = 0, None
    while done < RETRY_ALL_LIMIT:
        page, cursor = store.deliveries.failures(min(100, RETRY_ALL_LIMIT - done), cursor)
        for delivery in page:
            key = delivery_key(delivery.staff_no, delivery.notification_id)
            done += store.deliveries.retry_now(key, delivery.channel, at)
        if not page or cursor is None:
            break
    log.info("delivery retry of all failures by union admin", extra={"by": principal.member_no, "count": done})
    return done
