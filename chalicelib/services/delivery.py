"""Delivery of notifications outside the app: the outbox's consumer.

A notification is written in its cause's transaction; the notifications table's stream hands each new one to
``deliver_records`` (deployed: Lambda's DynamoDB event source, chalicelib/jobs.py; locally: devtools/stream_poller.py
feeding records of the same shape). For each channel this deployment configured (``services/channels``), the member
is skipped (no or an invalid address, or they turned the channel off), held (quiet hours) or sent the message once:
a conditional claim before sending, a conditional mark after (``storage/deliveries.py``). A failure the channel may
get over waits with back-off for ``retry_due`` (the ``retry_deliveries`` schedule); a final one is shown to the
union admin, who may retry it.

Channels run side by side, one thread each: a channel that is down or slow delays only its own messages. After
``DOWN_AFTER`` retryable failures in a row in one run, a channel's other messages are put off without an attempt.
Logs carry codes and counts, never addresses, names, message text or secrets.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from chalicelib.domain.notify import (
    BACKOFF_MINUTES,
    SKIP_INVALID_ADDRESS,
    SKIP_MUTED,
    SKIP_NO_ADDRESS,
    Channel,
    Outgoing,
    SendFailed,
    address_for,
    delivery_key,
    held_until,
    is_urgent,
    next_attempt_at,
    notification_path,
    outgoing_key,
)
from chalicelib.domain.records import Member, Notification
from chalicelib.observability import log
from chalicelib.services.channels import Sender, configured
from chalicelib.settings import Settings
from chalicelib.storage import Store

# A claim's lease: longer than the delivery function may run (its Lambda timeout, .chalice/config.json) plus a
# margin. A claim older than this has no worker any more and the retry job takes it over.
LEASE = timedelta(seconds=90)
# Retryable failures in a row after which a channel counts as down for the rest of a run.
DOWN_AFTER = 2
# A channel that is down is tried again after the first back-off.
DOWN_WAIT = timedelta(minutes=BACKOFF_MINUTES[0])
# Messages sent at once on one channel (threads sharing its sender: the database's round trips overlap the
# channel's; a sender is thread-safe, and the e-mail sender keeps its one SMTP connection to itself).
WORKERS_PER_CHANNEL = 4
# Due deliveries read per channel at a time by the retry job, page after page for up to RETRY_BUDGET of its 60 s
# (a whole union's messages held by quiet hours go out from 07:00 in a few runs, not 200 a minute).
DUE_BATCH = 200
RETRY_BUDGET = timedelta(seconds=40)
QUIET_HOURS = "quiet_hours"
CHANNEL_DOWN = "channel_down"
SKIP_NO_MEMBER = "no_member"


class _Clock:
    """The run's time: the moment it was given, moving on as the run goes (a lease starts when its claim is made)."""

    def __init__(self, start: datetime) -> None:
        self._start, self._started = start, time.monotonic()

    def __call__(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._started)


@dataclass
class _Run:
    """One channel's share of a run: its sender, the run's clock and what became of each message."""

    store: Store
    settings: Settings
    channel: Channel
    sender: Sender
    clock: Callable[[], datetime]
    counts: Counter[str] = field(default_factory=Counter)
    failures_in_a_row: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def down(self) -> bool:
        return self.failures_in_a_row >= DOWN_AFTER

    def count(self, outcome: str) -> None:
        with self.lock:
            self.counts[outcome] += 1

    def answered(self, ok: bool) -> None:
        """A send came back: a success puts the channel back up, a retryable failure counts towards down."""
        with self.lock:
            self.failures_in_a_row = 0 if ok else self.failures_in_a_row + 1

    def each[T](self, items: Iterable[T], work: Callable[[T], None], workers: int) -> Counter[str]:
        """``work`` on every item, ``workers`` at a time (the sender is shared: senders are thread-safe)."""
        if workers <= 1:
            for item in items:
                work(item)
        else:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"delivery-{self.channel.value}") as pool:
                list(pool.map(work, items))
        return self.counts


class _Recipient(NamedTuple):
    member: Member | None
    muted: frozenset[Channel]


def deliver_records(
    store: Store,
    settings: Settings,
    records: Iterable[Mapping[str, Any]],
    now: datetime,
    senders: Mapping[Channel, Sender] | None = None,
    workers: int | None = None,
) -> Counter[str]:
    """Deliver the notifications inserted in a batch of stream records (Lambda's DynamoDB event ``Records``);
    other records (a TTL removal, an update) are ignored. Returns counts by outcome and channel. ``senders``: the
    configured channels' (``services.channels.configured``) unless given."""
    notifications = []
    for record in records:
        image = record.get("dynamodb", {}).get("NewImage")
        if record.get("eventName") == "INSERT" and image:
            notification = store.deliveries.notification_in(image)
            if notification is not None:
                notifications.append(notification)
    return deliver(store, settings, notifications, now, senders, workers)


def deliver(
    store: Store,
    settings: Settings,
    notifications: list[Notification],
    now: datetime,
    senders: Mapping[Channel, Sender] | None = None,
    workers: int | None = None,
) -> Counter[str]:
    """Send new notifications on every configured channel (see the module's description), ``workers`` at a time
    on each channel (``WORKERS_PER_CHANNEL``; 1: one after the other, in order)."""
    workers = WORKERS_PER_CHANNEL if workers is None else workers
    if not notifications:
        return Counter()
    if senders is None:
        with _configured(settings) as own:
            return deliver(store, settings, notifications, now, own, workers)
    if not senders:
        return Counter()
    staff_nos = {n.staff_no for n in notifications}
    members = store.members.get_many(staff_nos)
    muted = store.member_prefs.muted_channels(staff_nos)
    recipients = {s: _Recipient(members.get(s), muted.get(s, frozenset())) for s in staff_nos}
    clock = _Clock(now)

    def run(channel: Channel, sender: Sender) -> Counter[str]:
        state = _Run(store, settings, channel, sender, clock)
        return state.each(notifications, lambda n: _first_attempt(state, n, recipients[n.staff_no]), workers)

    return _side_by_side(senders, run)


def retry_due(
    store: Store,
    settings: Settings,
    now: datetime,
    senders: Mapping[Channel, Sender] | None = None,
    workers: int | None = None,
    batch: int = DUE_BATCH,
) -> Counter[str]:
    """Send what is due: retries whose time came, messages held by quiet hours or a channel that was down, claims
    whose worker died (``DUE_BATCH`` per channel and run)."""
    clock = _Clock(now)
    workers = WORKERS_PER_CHANNEL if workers is None else workers

    def run(channel: Channel, sender: Sender) -> Counter[str]:
        state = _Run(store, settings, channel, sender, clock)
        while True:
            # Each one taken leaves the due queue (claimed until its lease ends, sent, put off): pages move on.
            due = store.deliveries.due(channel, clock(), batch)
            state.each(due, lambda d: _due_attempt(state, d.staff_no, d.notification_id), workers)
            if len(due) < batch or clock() - now >= RETRY_BUDGET:
                return state.counts

    if senders is None:
        with _configured(settings) as own:
            return _side_by_side(own, run)
    return _side_by_side(senders, run)


@contextmanager
def _configured(settings: Settings) -> Iterator[dict[Channel, Sender]]:
    """This deployment's senders for one run, closed after it (an SMTP connection is kept for the run only)."""
    senders = configured(settings)
    try:
        yield senders
    finally:
        for sender in senders.values():
            close = getattr(sender, "close", None)
            if callable(close):
                close()


def _side_by_side(senders: Mapping[Channel, Sender], run: Callable[[Channel, Sender], Counter[str]]) -> Counter[str]:
    total: Counter[str] = Counter()
    if not senders:
        return total
    with ThreadPoolExecutor(max_workers=len(senders), thread_name_prefix="delivery") as pool:
        futures = {channel: pool.submit(run, channel, sender) for channel, sender in senders.items()}
    for channel, future in futures.items():
        counts = future.result()
        for outcome, count in counts.items():
            total[f"{channel.value}.{outcome}"] += count
        log(logging.INFO, "delivery.run", channel=channel.value, counts=dict(counts))
    return total


def _skip_reason(recipient: _Recipient, channel: Channel) -> tuple[str | None, str | None]:
    """(why not to send on ``channel``, the address otherwise)."""
    if recipient.member is None:
        return SKIP_NO_MEMBER, None
    if channel in recipient.muted:
        return SKIP_MUTED, None
    try:
        address = address_for(recipient.member, channel)
    except ValueError:
        return SKIP_INVALID_ADDRESS, None
    return (None, address) if address else (SKIP_NO_ADDRESS, None)


def _first_attempt(state: _Run, notification: Notification, recipient: _Recipient) -> None:
    deliveries, channel, kind = state.store.deliveries, state.channel, notification.kind.value
    staff_no, notification_id = notification.staff_no, notification.notification_id
    reason, address = _skip_reason(recipient, channel)
    if reason is not None or address is None:
        written = deliveries.skip(staff_no, notification_id, channel, kind, reason or SKIP_NO_ADDRESS, state.clock())
        state.count("skipped" if written else "taken")
        return
    now = state.clock()
    until = held_until(now, is_urgent(notification))
    if until is not None or state.down:
        code = QUIET_HOURS if until is not None else CHANNEL_DOWN
        written = deliveries.hold(staff_no, notification_id, channel, kind, until or now + DOWN_WAIT, now, code)
        state.count("held" if written else "taken")
        return
    attempt = deliveries.start(staff_no, notification_id, channel, kind, now, LEASE)
    if attempt is None:
        state.count("taken")  # another worker has it, or it was handled before (a stream record read again)
        return
    _send(state, notification, address, attempt)


def _due_attempt(state: _Run, staff_no: str, notification_id: str) -> None:
    deliveries, channel = state.store.deliveries, state.channel
    key = delivery_key(staff_no, notification_id)
    attempt = deliveries.claim(key, channel, state.clock(), LEASE)
    if attempt is None:
        state.count("taken")
        return
    notification = deliveries.notification(staff_no, notification_id)
    if notification is None:  # expired, or unreadable: nothing true to send
        deliveries.failed(key, channel, attempt, "notification_gone", state.clock())
        state.count("failed")
        return
    member = state.store.members.get(staff_no)
    recipient = _Recipient(member, state.store.member_prefs.get(staff_no).muted)
    reason, address = _skip_reason(recipient, channel)
    if reason is not None or address is None:
        deliveries.skipped(key, channel, attempt, reason or SKIP_NO_ADDRESS, state.clock())
        state.count("skipped")
        return
    now = state.clock()
    until = held_until(now, is_urgent(notification))
    if until is not None or state.down:
        code = QUIET_HOURS if until is not None else CHANNEL_DOWN
        deliveries.put_back(key, channel, attempt, until or now + DOWN_WAIT, code, now)
        state.count("held")
        return
    _send(state, notification, address, attempt)


def _outgoing(state: _Run, notification: Notification, address: str) -> Outgoing:
    from chalicelib.i18n import notification_text, translate

    language = state.settings.default_language
    base = (state.settings.public_base_url or "").rstrip("/")
    return Outgoing(
        key=outgoing_key(notification.staff_no, notification.notification_id, state.channel),
        channel=state.channel,
        staff_no=notification.staff_no,
        address=address,
        title=notification.event_title or translate("app.name", language),
        text=notification_text(notification, language),
        url=base + notification_path(notification),
        urgent=is_urgent(notification),
    )


def _send(state: _Run, notification: Notification, address: str, attempt: int) -> None:
    deliveries, channel = state.store.deliveries, state.channel
    key = delivery_key(notification.staff_no, notification.notification_id)
    try:
        state.sender.send(_outgoing(state, notification, address))
    except SendFailed as failure:
        _failed(state, key, attempt, failure)
        return
    except Exception as error:  # a sender's bug must not stop the other messages; its type is logged, not its text
        log(logging.ERROR, "delivery.sender_error", channel=channel.value, error=type(error).__name__)
        _failed(state, key, attempt, SendFailed("sender_error", retryable=True))
        return
    state.answered(ok=True)
    if deliveries.sent(key, channel, attempt, state.clock()):
        state.count("sent")
    else:  # our lease ended and another worker took it over: it sends with the same idempotency key
        log(logging.WARNING, "delivery.lease_lost", channel=channel.value, attempt=attempt)
        state.count("lease_lost")


def _failed(state: _Run, key: str, attempt: int, failure: SendFailed) -> None:
    deliveries, channel, now = state.store.deliveries, state.channel, state.clock()
    log(logging.WARNING, "delivery.failed", channel=channel.value, code=failure.code, retryable=failure.retryable)
    later = next_attempt_at(attempt, now) if failure.retryable else None
    if failure.retryable:
        state.answered(ok=False)
    if later is not None:
        deliveries.retry_at(key, channel, attempt, later, failure.code, now)
        state.count("retry")
    else:
        deliveries.failed(key, channel, attempt, failure.code, now)
        state.count("failed")
