"""Notifications leaving the app: the channels a member can be reached on and one message for one channel.

A notification is written in its cause's transaction (the outbox, ``chalicelib.storage.notifications``); delivery
reads it from the table's stream and sends it on every channel the member has and wants (``services/delivery.py``).
Senders (``services/channels/``) take an ``Outgoing`` and either return or raise ``SendFailed``."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import NamedTuple
from urllib.parse import quote

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.records import Member, Notification, NotificationKind
from chalicelib.domain.roster import email_address, mobile_number


class Channel(StrEnum):
    IN_APP = "in_app"  # the notifications table itself: always on
    WECOM = "wecom"  # 企业微信 application message to userid = 工号
    EMAIL = "email"  # the university's SMTP relay
    SMS = "sms"  # a provider's template message


# Channels a notification is sent on besides the app, in the order they are tried.
DELIVERY_CHANNELS: tuple[Channel, ...] = (Channel.WECOM, Channel.EMAIL, Channel.SMS)


class Outgoing(NamedTuple):
    """One notification for one channel, ready to send."""

    key: str  # "<工号>#<notification id>#<channel>": the delivery's idempotency key (Message-ID, OutId …)
    channel: Channel
    staff_no: str
    address: str  # the WeCom userid, the e-mail address or the phone number
    title: str  # short: a text card's title, a subject
    text: str  # the notification as plain sentences
    url: str  # absolute link to what it is about
    urgent: bool = False


class SendFailed(Exception):
    """A channel did not take the message. ``retryable``: try again later (busy, rate limited, unreachable);
    otherwise it never will (no such user, invalid address, configuration refused). ``code`` is short and has no
    personal data or secret in it (it is stored and shown to the union admin)."""

    def __init__(self, code: str, retryable: bool, detail: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.retryable = retryable
        self.detail = detail[:200]


# ---- rules of delivery (pure: chalicelib/services/delivery.py applies them) ------------------------------------

# Nothing leaves the app between 22:00 and 07:00 China time unless it is urgent: it is held until 07:00.
QUIET_FROM = time(22, 0)
QUIET_UNTIL = time(7, 0)

# Urgent kinds are sent at night too: a cancelled or moved event may change what the member does before 07:00
# (set off early, not travel at all), and sign-in slowed by wrong passwords from an unfamiliar place may be someone
# trying the member's account now. Everything else (a place, a partner's answer, a lottery) can wait for morning.
URGENT_KINDS: frozenset[str] = frozenset(
    {NotificationKind.EVENT_CANCELLED, NotificationKind.EVENT_CHANGED, NotificationKind.SIGN_IN_THROTTLED}
)

# Minutes to wait after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure is final (failed: the union admin
# sees it and may retry it). About 81 minutes in all: an SMTP relay's restart or WeCom's hourly rate limit.
BACKOFF_MINUTES: tuple[int, ...] = (1, 5, 15, 60)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1

# Why a channel was not used for a notification (kept on the delivery record).
SKIP_NO_ADDRESS = "no_address"
SKIP_INVALID_ADDRESS = "invalid_address"
SKIP_MUTED = "muted"

# A WeCom userid: 1-64 letters, digits and _-.@ (企业微信 API 文档, 成员 userid). The app's userid is the 工号.
_WECOM_USERID = re.compile(r"[A-Za-z0-9_.@-]{1,64}")


def is_urgent(notification: Notification) -> bool:
    """Sent at night too: an urgent kind, or a message its organiser marked urgent (``details["urgent"]``, which
    only those allowed to may set: chalicelib.domain.organiser_messages.may_mark_urgent)."""
    return notification.kind in URGENT_KINDS or notification.details.get("urgent") is True


def held_until(moment: datetime, urgent: bool) -> datetime | None:
    """When a message due at ``moment`` may be sent, if quiet hours hold it (07:00 China time next); None: now."""
    if urgent:
        return None
    local = moment.astimezone(CHINA_TZ)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return None
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_UNTIL, tzinfo=CHINA_TZ)


def next_attempt_at(attempts: int, moment: datetime) -> datetime | None:
    """After ``attempts`` failed attempts (1 or more) at ``moment``: when to try again, or None: give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return moment + timedelta(minutes=BACKOFF_MINUTES[max(attempts, 1) - 1])


def address_for(member: Member, channel: Channel) -> str | None:
    """Where ``member`` is reached on ``channel``: the WeCom userid (工号), the e-mail address or the mobile number;
    None if the member has none. Raises ValueError if what the member has is not a usable address."""
    if channel is Channel.WECOM:
        if not _WECOM_USERID.fullmatch(member.staff_no):
            raise ValueError(SKIP_INVALID_ADDRESS)
        return member.staff_no
    if channel is Channel.EMAIL:
        raw = member.email
        valid = email_address(raw) if raw else None
    elif channel is Channel.SMS:
        raw = member.phone
        valid = mobile_number(raw) if raw else None
    else:
        return None
    if raw and valid is None:
        raise ValueError(SKIP_INVALID_ADDRESS)
    return valid


def notification_path(notification: Notification) -> str:
    """The page a notification is about: its event's page; wrong passwords tried on the account: the page to change
    the password; anything else (a message to the whole union): the member's notifications. Delivery links to it
    and the member's notifications list (/me/notifications) does too."""
    if notification.event_id:
        return f"/events/{quote(notification.event_id, safe='')}"
    if notification.kind is NotificationKind.SIGN_IN_THROTTLED:
        return "/me/password"
    return "/me/notifications"


def delivery_key(staff_no: str, notification_id: str) -> str:
    """The delivery record's key of one notification: "<工号>#<notification id>" (one record per channel)."""
    return f"{staff_no}#{notification_id}"


def outgoing_key(staff_no: str, notification_id: str, channel: Channel) -> str:
    """The idempotency key a sender passes to the receiving side (Message-ID, WeCom duplicate check, SMS OutId)."""
    return f"{delivery_key(staff_no, notification_id)}#{channel.value}"


class DeliveryState(StrEnum):
    CLAIMED = "claimed"  # a worker is sending it (until its lease ends)
    SENT = "sent"
    RETRY = "retry"  # waiting: a failed attempt's back-off, quiet hours, or its channel was down
    FAILED = "failed"  # gave up after MAX_ATTEMPTS, or the channel refused it for good: the union admin sees it
    SKIPPED = "skipped"  # not sent on this channel: no address, an invalid one, or the member turned it off


class Delivery(NamedTuple):
    """A notification's delivery on one channel (chalicelib.storage.deliveries)."""

    staff_no: str
    notification_id: str
    channel: Channel
    state: DeliveryState
    attempts: int
    kind: str
    code: str  # the last failure's code, or why it was skipped or held
    due_at: datetime | None  # a retry's time, a claim's lease end, or when it failed
    updated_at: datetime
