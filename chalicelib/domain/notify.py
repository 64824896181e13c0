"""Notifications leaving the app: the channels a member can be reached on and one message for one channel.

A notification is written in its cause's transaction (the outbox, ``chalicelib.storage.notifications``); delivery
reads it from the table's stream and sends it on every channel the member has and wants (``services/delivery.py``).
Senders (``services/channels/``) take an ``Outgoing`` and either return or raise ``SendFailed``."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Channel(StrEnum):
    IN_APP = "in_app"  # the notifications table itself: always on
    WECOM = "wecom"  # 企业微信 application message to userid = 工号
    EMAIL = "email"  # the university's SMTP relay
    SMS = "sms"  # a provider's template message


# Channels a notification is sent on besides the app, in the order they are tried.
DELIVERY_CHANNELS: tuple[Channel, ...] = (Channel.WECOM, Channel.EMAIL, Channel.SMS)


@dataclass(frozen=True)
class Outgoing:
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
