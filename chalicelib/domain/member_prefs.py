"""A member's own choices about notifications, and the unread count in the navigation: plain records and rules.

In the app (``Channel.IN_APP``) is always on: a member may turn off only the channels delivery sends on
(``DELIVERY_CHANNELS``). The unread count is the number of notifications written after the member last looked at
them (by their time, not their id: a notification written at most once carries the id of when it was due, which can
be before the member looked: chalicelib.storage.notifications.once_id); the navigation shows at most
``UNREAD_SHOWN`` and then "99+"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from chalicelib.domain.notify import DELIVERY_CHANNELS, Channel

# The navigation shows a count up to this, then "99+"; the count query reads no more than one past it.
UNREAD_SHOWN = 99


@dataclass(frozen=True)
class MemberPrefs:
    staff_no: str
    muted: frozenset[Channel] = field(default_factory=frozenset)  # channels the member turned off
    seen_at: datetime | None = None  # when the member last opened their notifications
    updated_at: datetime | None = None


def mutable_channels(values: Iterable[str]) -> frozenset[Channel]:
    """The delivery channels among stored or submitted values; anything else (in-app, a retired channel) is left
    out, so a damaged or old item never mutes the app itself."""
    known = {channel.value: channel for channel in DELIVERY_CHANNELS}
    return frozenset(known[value] for value in values if value in known)


def unread_label(count: int) -> str | None:
    """What the navigation badge reads: nothing for none, the count, or "99+"."""
    if count <= 0:
        return None
    return str(count) if count <= UNREAD_SHOWN else f"{UNREAD_SHOWN}+"


def masked(channel: Channel, address: str) -> str:
    """An address as a member's choices page shows it, enough to recognise it over a shoulder or in a screenshot:
    ``z***@example.edu.cn``, ``138****5678``; the WeCom userid (the 工号) as it is."""
    if channel is Channel.EMAIL:
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    if channel is Channel.SMS:
        return f"{address[:3]}****{address[-4:]}" if len(address) >= 8 else "****"
    return address
