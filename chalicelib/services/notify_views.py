"""A member's notification choices (which channels besides the app), the unread count in the navigation, and
marking notifications seen. Pages and the API render what these return; the rules are in domain/member_prefs.py
and domain/notify.py."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from chalicelib.domain.access import Principal
from chalicelib.domain.member_prefs import UNREAD_SHOWN, masked, unread_label
from chalicelib.domain.notify import DELIVERY_CHANNELS, SKIP_INVALID_ADDRESS, SKIP_NO_ADDRESS, Channel, address_for
from chalicelib.domain.records import Member, Notification
from chalicelib.errors import BadRequest
from chalicelib.services import event_views
from chalicelib.settings import Settings
from chalicelib.storage.faults import is_outage
from chalicelib.storage.store import Store

log = logging.getLogger(__name__)


def configured_channels(settings: Settings) -> tuple[Channel, ...]:
    """The channels this deployment sends on besides the app, in delivery order: read from the settings alone, so
    a page asking never imports a sender (services/channels)."""
    on = {
        Channel.WECOM: settings.wecom is not None,
        Channel.EMAIL: settings.smtp_enabled,
        Channel.SMS: settings.sms_enabled,
    }
    return tuple(channel for channel in DELIVERY_CHANNELS if on[channel])


class ChannelChoice(NamedTuple):
    channel: Channel
    enabled: bool  # the member has not turned it off
    address: str | None  # masked; None: the member has none, or what they have is not usable
    problem: str | None  # SKIP_NO_ADDRESS, SKIP_INVALID_ADDRESS or None


class NotifySettings(NamedTuple):
    """The member's choices page: the app (always on) and each channel the deployment configured."""

    channels: tuple[ChannelChoice, ...]


def _choice(member: Member, channel: Channel, muted: frozenset[Channel]) -> ChannelChoice:
    try:
        address = address_for(member, channel)
    except ValueError:
        return ChannelChoice(channel, channel not in muted, None, SKIP_INVALID_ADDRESS)
    if address is None:
        return ChannelChoice(channel, channel not in muted, None, SKIP_NO_ADDRESS)
    return ChannelChoice(channel, channel not in muted, masked(channel, address), None)


def notify_settings(store: Store, settings: Settings, principal: Principal) -> NotifySettings:
    from chalicelib.services.organisation_views import member

    found = member(store, principal.member_no)
    muted = store.member_prefs.get(found.staff_no).muted
    return NotifySettings(tuple(_choice(found, channel, muted) for channel in configured_channels(settings)))


def save_notify_settings(
    store: Store, settings: Settings, principal: Principal, enabled: Iterable[Channel], at: datetime
) -> NotifySettings:
    """Keep the channels in ``enabled`` on and turn the other configured ones off. A channel the deployment has not
    configured cannot be chosen (400 ``channel_not_configured``): the member would believe it works."""
    offered = configured_channels(settings)
    wanted = frozenset(enabled)
    unknown = sorted(channel.value for channel in wanted if channel not in offered)
    if unknown:
        raise BadRequest("channel_not_configured", details={"channels": unknown})
    store.member_prefs.set_muted(principal.member_no, [c for c in offered if c not in wanted], at)
    return notify_settings(store, settings, principal)


def unread_badge(store: Store, principal: Principal) -> str | None:
    """What the navigation's 通知 link shows for a signed-in member: None, "3" or "99+". Two small reads (the
    member's seen marker, then a COUNT of the notifications after it, at most 100). A page still renders when the
    database cannot answer them: without a badge (logged)."""
    if not principal.signed_in:
        return None
    try:
        prefs = store.member_prefs.get(principal.member_no)
        return unread_label(store.member_prefs.unread_count(prefs, UNREAD_SHOWN + 1))
    except Exception as error:
        if not is_outage(error):
            raise
        log.warning("unread badge skipped: database unavailable")
        return None


def notifications_seen(store: Store, principal: Principal, at: datetime) -> list[Notification]:
    """The member's notifications, newest first, as the list shows them; every one written before ``at`` (taken
    before the read) is seen from now on: the navigation's count clears (only moves forward)."""
    shown = event_views.notifications(store, principal)
    store.member_prefs.mark_seen(principal.member_no, at)
    return shown
