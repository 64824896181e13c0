"""Organiser messages (issue 20 item 4): who may write to whom, what a message may say, how often.

An organiser writes to an event's confirmed, waiting or checked-in members, a unit admin to their unit's members,
a union admin to any unit or to the whole union. A message is plain text of 1-500 characters (HTML is kept as the
characters typed and shown as text, never rendered), sent as one ``organiser_message`` notification per member,
which delivery then sends on every channel the member has (chalicelib.services.delivery).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from chalicelib.domain.access import Principal, administers, can_manage_event
from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.forms import plain_text
from chalicelib.domain.ids import sortable_millis
from chalicelib.domain.language import N_
from chalicelib.domain.records import SCHOOL_UNIT_ID, Registration, RegistrationState

# A notice that fits a phone screen; channels with shorter limits (a WeCom text card, an SMS template parameter)
# cut their copy and link to the whole text in the app. Longer news belongs on the event page.
TEXT_MAX_CHARS = 500
# Per organiser (工号), fixed windows: enough for a day of real notices, not for a flood.
PER_HOUR = 5
PER_DAY = 20
MESSAGE_ID_PREFIX = "om-"
# A message id (made by the preview, sent back with the message) older than this is refused: the preview is stale.
MESSAGE_ID_MAX_AGE = timedelta(days=1)
_MESSAGE_ID_SKEW = timedelta(minutes=5)
HEAD_CHARS = 40  # what the audit log and the history keep of the text (with its SHA-256)


class AudienceKind(StrEnum):
    CONFIRMED = "confirmed"  # an event's members with a place (a confirmed pair's partner, a team's roster too)
    WAITING = "waiting"  # an event's waiting list
    CHECKED_IN = "checked_in"  # an event's members checked in at any point
    UNIT = "unit"  # one unit's members (not those who have left)
    UNION = "union"  # every unit's members


EVENT_AUDIENCES: tuple[AudienceKind, ...] = (AudienceKind.CONFIRMED, AudienceKind.WAITING, AudienceKind.CHECKED_IN)

AUDIENCE_LABELS: dict[AudienceKind, str] = {
    AudienceKind.CONFIRMED: N_("message.audience.confirmed"),
    AudienceKind.WAITING: N_("message.audience.waiting"),
    AudienceKind.CHECKED_IN: N_("message.audience.checked_in"),
    AudienceKind.UNIT: N_("message.audience.unit"),
    AudienceKind.UNION: N_("message.audience.union"),
}


@dataclass(frozen=True)
class Audience:
    kind: AudienceKind
    event_id: str | None = None  # the event audiences
    unit_id: str | None = None  # UNIT

    def __post_init__(self) -> None:
        if (self.kind in EVENT_AUDIENCES) != (self.event_id is not None):
            raise ValueError("an event audience names its event, and only it")
        if (self.kind is AudienceKind.UNIT) != (self.unit_id is not None):
            raise ValueError("a unit audience names its unit, and only it")

    @property
    def target(self) -> str:
        """What the message is about in the audit log: the event, the unit, or the school union."""
        return self.event_id or self.unit_id or SCHOOL_UNIT_ID


def may_message(principal: Principal, audience: Audience, owner_unit_id: str | None = None) -> bool:
    """An event's members: its organisers (``can_manage_event`` on ``owner_unit_id``, the event's owner); a unit's
    members: that unit's admins and the union admins; the whole union: the union admins."""
    if audience.kind in EVENT_AUDIENCES:
        return owner_unit_id is not None and can_manage_event(principal, owner_unit_id)
    if audience.kind is AudienceKind.UNIT:
        return audience.unit_id is not None and administers(principal, audience.unit_id)
    return principal.union_admin


def may_mark_urgent(principal: Principal) -> bool:
    """Urgent messages are sent during quiet hours (22:00-07:00) too: waking members is the union admins' call."""
    return principal.union_admin


def clean_text(text: str) -> str:
    """The text as it is stored and sent: the long-text rule of forms (``\n`` line breaks, control characters and
    lone surrogates removed, trimmed); HTML stays as typed (every page escapes it, every channel sends plain text)."""
    return plain_text(text)


def text_problem(text: str) -> str | None:
    """Why a (cleaned) text cannot be sent, as a problem code (its message: chalicelib.http.field_messages, with
    ``max`` and ``length``); None if it can."""
    if not text:
        return "message_text_empty"
    if len(text) > TEXT_MAX_CHARS:
        return "message_text_too_long"
    return None


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def text_head(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= HEAD_CHARS else line[: HEAD_CHARS - 1] + "…"


def message_id_fresh(message_id: str, at: datetime) -> bool:
    """Whether ``message_id`` is a message id (``sortable_id("om-")``) made in the last day: a retried send finds
    its message again; an id made up for another day, or one kept for weeks, is refused."""
    millis = sortable_millis(message_id, MESSAGE_ID_PREFIX)
    if millis is None:
        return False
    made = datetime.fromtimestamp(millis / 1000, tz=at.tzinfo)
    return at - MESSAGE_ID_MAX_AGE <= made <= at + _MESSAGE_ID_SKEW


class RateWindow(NamedTuple):
    bucket: str  # the counter's key (chalicelib.storage RateLimitTable)
    limit: int
    ends_at: datetime


def rate_windows(staff_no: str, at: datetime) -> tuple[RateWindow, ...]:
    """The fixed windows an organiser's message counts in: this hour and this day (Beijing time)."""
    local = at.astimezone(CHINA_TZ)
    hour = local.replace(minute=0, second=0, microsecond=0)
    day = hour.replace(hour=0)
    return (
        RateWindow(f"message-hour:{staff_no}:{hour:%Y%m%d%H}", PER_HOUR, hour + timedelta(hours=1)),
        RateWindow(f"message-day:{staff_no}:{day:%Y%m%d}", PER_DAY, day + timedelta(days=1)),
    )


def retry_after(window: RateWindow, at: datetime) -> int:
    """Whole seconds until ``window`` ends (at least 1)."""
    return max(1, int((window.ends_at - at).total_seconds() + 0.999))


def _confirmed_leads(registrations: list[Registration]) -> set[tuple[str, str]]:
    return {(r.scope, r.staff_no) for r in registrations if r.state is RegistrationState.CONFIRMED}


def event_recipients(kind: AudienceKind, registrations: list[Registration], checked_in: set[str]) -> list[str]:
    """The 工号s an event audience reaches, each once, in 工号 order: CONFIRMED = a place held (confirmed, the
    partner of a confirmed pair, on a team's roster); WAITING = on the waiting list; CHECKED_IN = checked in at
    any point (``checked_in``)."""
    if kind is AudienceKind.CHECKED_IN:
        return sorted(checked_in)
    if kind is AudienceKind.WAITING:
        return sorted({r.staff_no for r in registrations if r.state is RegistrationState.WAITING})
    leads = _confirmed_leads(registrations)
    chosen = {
        r.staff_no
        for r in registrations
        if r.state in (RegistrationState.CONFIRMED, RegistrationState.TEAM)
        or (r.state is RegistrationState.PARTNER and r.partner is not None and (r.scope, r.partner) in leads)
    }
    return sorted(chosen)
