"""Organiser messages (issue 20 item 4): preview (who gets it, how many, as members will read it) and send (one
``organiser_message`` notification per member, written so that a retried or half-done send never notifies twice).

Rules in chalicelib.domain.organiser_messages; the claim (audit entry + rate windows) in
chalicelib.storage.organiser_messages; delivery to 企业微信, e-mail and SMS follows from the notifications table's
stream (chalicelib.services.delivery), nothing channel-specific here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from chalicelib.domain.access import Principal, require
from chalicelib.domain.ids import sortable_id
from chalicelib.domain.notify import Channel, address_for
from chalicelib.domain.organiser_messages import (
    EVENT_AUDIENCES,
    MESSAGE_ID_PREFIX,
    PER_DAY,
    PER_HOUR,
    TEXT_MAX_CHARS,
    Audience,
    AudienceKind,
    clean_text,
    event_recipients,
    may_mark_urgent,
    may_message,
    message_id_fresh,
    rate_windows,
    retry_after,
    text_digest,
    text_head,
    text_problem,
)
from chalicelib.domain.records import SCHOOL_UNIT_ID, Event, Member, MemberStatus, NotificationKind, Unit
from chalicelib.errors import BadRequest, Forbidden, InvalidInput, NotFound, RateLimited, Unprocessable
from chalicelib.services.registration import visible_event
from chalicelib.storage.notifications import once_id
from chalicelib.storage.organiser_messages import AlreadyClaimed, OrganiserMessages, SentMessage, WindowFull
from chalicelib.storage.store import Store

# The messages' claims and history (audit and rate-limit items; stateless, like the store's repositories).
_MESSAGES = OrganiserMessages()


@dataclass(frozen=True)
class Recipients:
    audience: Audience
    members: list[Member]  # active and retired members (not those who have left), each once
    partition: str  # the audit partition: the event's owner, the unit, or the school union
    event: Event | None
    unit: Unit | None  # the unit the message comes from (the event's owner, the unit, the school union)

    @property
    def count(self) -> int:
        return len(self.members)

    def reachable(self, channel: Channel) -> int:
        """How many have a usable address on ``channel`` (whether they muted it is theirs to change)."""
        found = 0
        for member in self.members:
            try:
                found += address_for(member, channel) is not None
            except ValueError:
                continue
        return found


class Preview(NamedTuple):
    message_id: str
    recipients: Recipients
    text: str
    urgent: bool
    sender: str  # the sender's name
    sender_unit: str  # the unit the message comes from


@dataclass(frozen=True)
class Sent:
    message_id: str
    count: int
    resumed: bool  # a retry of a send that had been claimed: its notifications written again, nothing twice


def new_message_id() -> str:
    """The id a compose form carries from its first preview to its send (``send`` checks it is from the last day)."""
    return sortable_id(MESSAGE_ID_PREFIX)


def _active(members: Iterable[Member]) -> list[Member]:
    seen: dict[str, Member] = {}
    for member in members:
        if member.status is not MemberStatus.LEFT:
            seen.setdefault(member.staff_no, member)
    return list(seen.values())


def _event_recipients(store: Store, principal: Principal, audience: Audience) -> Recipients:
    assert audience.event_id is not None
    event = visible_event(store, principal, audience.event_id)
    require(may_message(principal, audience, event.owner_unit_id))
    registrations = store.registrations.for_event(event.event_id)
    checked_in: set[str] = set()
    if audience.kind is AudienceKind.CHECKED_IN:
        checked_in = {check_in.staff_no for check_in in store.check_ins.for_event(event.event_id)}
    staff_nos = event_recipients(audience.kind, registrations, checked_in)
    found = store.organisation.members_by_staff_no(staff_nos)
    members = _active(found[staff_no] for staff_no in staff_nos if staff_no in found)
    owner = store.units.get(event.owner_unit_id)
    return Recipients(audience, members, event.owner_unit_id, event, owner)


def recipients(store: Store, principal: Principal, audience: Audience) -> Recipients:
    """Whom ``audience`` reaches, read by key and index queries (registrations and check-ins by event, members by
    unit); 403 unless the principal may write to them, 404 for an unknown event or unit."""
    if audience.kind in EVENT_AUDIENCES:
        return _event_recipients(store, principal, audience)
    if audience.kind is AudienceKind.UNIT:
        assert audience.unit_id is not None
        require(may_message(principal, audience))
        unit = store.units.get(audience.unit_id)
        if unit is None:
            raise NotFound()
        return Recipients(audience, _active(store.members.in_unit(unit.unit_id)), unit.unit_id, None, unit)
    require(may_message(principal, audience))
    units = store.units.whole_union()
    members = _active(member for unit in units for member in store.members.in_unit(unit.unit_id))
    school = next((unit for unit in units if unit.unit_id == SCHOOL_UNIT_ID), None)
    return Recipients(audience, members, SCHOOL_UNIT_ID, None, school)


def checked_text(text: str) -> str:
    """The text as sent; ``InvalidInput`` on the field ``text`` when it cannot be (empty, over 500 characters,
    control characters)."""
    cleaned = clean_text(text)
    problem = text_problem(cleaned)
    if problem is not None:
        context = {"max": TEXT_MAX_CHARS, "length": len(cleaned)}
        raise InvalidInput([{"type": problem, "loc": ("text",), "msg": problem, "ctx": context}])
    return cleaned


def _check_urgent(principal: Principal, urgent: bool) -> None:
    if urgent and not may_mark_urgent(principal):
        raise Forbidden("message_urgent_refused")


def _sender(store: Store, principal: Principal) -> str:
    if principal.name:
        return principal.name
    member = store.members.get(principal.member_no)
    return member.name if member else principal.member_no


def preview(
    store: Store, principal: Principal, audience: Audience, text: str, urgent: bool, message_id: str | None = None
) -> Preview:
    """The message as members will read it and whom it reaches; a new message id to send it with (or the one
    given, when a compose form previews again)."""
    cleaned = checked_text(text)
    _check_urgent(principal, urgent)
    found = recipients(store, principal, audience)
    unit_name = found.unit.name_zh if found.unit else found.partition
    chosen = message_id if message_id and message_id.startswith(MESSAGE_ID_PREFIX) else new_message_id()
    return Preview(chosen, found, cleaned, urgent, _sender(store, principal), unit_name)


def _facts(shown: Preview, principal: Principal) -> dict[str, object]:
    audience = shown.recipients.audience
    return {
        "message_id": shown.message_id,
        "audience": audience.kind.value,
        "event_id": audience.event_id,
        "unit_id": audience.unit_id,
        "count": shown.recipients.count,
        "urgent": shown.urgent,
        "text_head": text_head(shown.text),
        "text_sha256": text_digest(shown.text),
        "sender": shown.sender,
        "sender_unit": shown.sender_unit,
        "by": principal.member_no,
    }


def _same_message(stored: SentMessage, facts: dict[str, object]) -> bool:
    keys = ("audience", "event_id", "unit_id", "urgent", "text_sha256", "by")
    return all(stored.facts.get(key) == facts[key] for key in keys)


def _claim(store: Store, principal: Principal, shown: Preview, at: datetime) -> tuple[datetime, bool]:
    """Claim the message (audit entry + rate windows): when it was first claimed, and whether this is a retry."""
    facts = _facts(shown, principal)
    audience = shown.recipients.audience
    message = SentMessage(shown.message_id, shown.recipients.partition, principal.member_no, at, audience.target, facts)
    try:
        _MESSAGES.claim(message, rate_windows(principal.member_no, at))
    except AlreadyClaimed as claimed:
        stored = claimed.message
        if stored is None or not _same_message(stored, facts):
            raise Unprocessable("message_id_reused") from claimed
        return stored.at, True
    except WindowFull as full:
        wait = retry_after(full.window, at)
        raise RateLimited("message_rate_limited", retry_after=wait, per_hour=PER_HOUR, per_day=PER_DAY) from full
    return at, False


def send(
    store: Store,
    principal: Principal,
    audience: Audience,
    text: str,
    message_id: str,
    now: datetime,
    urgent: bool = False,
) -> Sent:
    """Send ``text`` to ``audience``: one ``organiser_message`` notification per member, ids derived from the
    message id and the member (``once_id``), so sending the same message id again (a retried request, a send cut
    off halfway) writes the same items and nobody is notified twice. Claimed first (audit entry, rate windows:
    429 ``message_rate_limited`` with Retry-After); ``message_id`` must come from a preview of the last day."""
    if not message_id_fresh(message_id, now):
        raise BadRequest("message_id_stale")
    shown = preview(store, principal, audience, text, urgent, message_id)
    if not shown.recipients.members:
        raise Unprocessable("message_no_recipients")
    at, resumed = _claim(store, principal, shown, now)
    event = shown.recipients.event
    details: dict[str, object] = {"text": shown.text, "from": shown.sender, "unit": shown.sender_unit}
    if shown.urgent:
        details["urgent"] = True
    event_id, title = (event.event_id, event.title_zh) if event else ("", "")
    items = (
        store.notifications.item(
            member.staff_no,
            NotificationKind.ORGANISER_MESSAGE,
            event_id,
            title,
            at,
            details,
            notification_id=once_id(f"organiser_message#{shown.message_id}#{member.staff_no}", at),
        )
        for member in shown.recipients.members
    )
    # Unconditional batch writes: a rerun puts items identical to those already there (same key, same content),
    # which changes nothing; the delivery of each is claimed per channel (storage/deliveries.py) in any case.
    store.notifications.put_many(items)
    return Sent(shown.message_id, shown.recipients.count, resumed)


def history(store: Store, principal: Principal, audience: Audience, at: datetime) -> list[SentMessage]:
    """The messages sent to the event (any of its audiences), to the unit, or to the whole union, newest first."""
    return _MESSAGES.history(recipients_scope(store, principal, audience), audience.target, at)


def message_event(store: Store, principal: Principal, event_id: str) -> Event:
    """The event whose members the principal writes to (its compose page): 404 unknown, 403 not its organiser."""
    event = visible_event(store, principal, event_id)
    require(may_message(principal, Audience(AudienceKind.CONFIRMED, event_id=event_id), event.owner_unit_id))
    return event


def recipients_scope(store: Store, principal: Principal, audience: Audience) -> str:
    """The audit partition of ``audience``'s messages, after the same access check as sending (no member read)."""
    if audience.kind in EVENT_AUDIENCES:
        assert audience.event_id is not None
        return message_event(store, principal, audience.event_id).owner_unit_id
    require(may_message(principal, audience))
    return audience.unit_id or SCHOOL_UNIT_ID
