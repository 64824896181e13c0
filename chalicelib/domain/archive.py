"""The archive of past events (issue 18 item 9; issue 21, the year in numbers, reads a year the same way): which
listed events a filter keeps, the stretch of time a page reads, newest first, and the cursor where the next page
starts.

Pure rules: chalicelib.services.archive reads the calendar index one month at a time (or a unit's events, when a unit
is chosen) and asks these functions what to keep and where to go on.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from chalicelib.domain.calendar import CHINA_TZ, months_before
from chalicelib.domain.event_rules import displayed_status, publicly_listed
from chalicelib.domain.records import Event, EventFormat, EventKind, EventStatus
from chalicelib.errors import BadRequest

FIRST_YEAR = 2000
LAST_YEAR = 2100
TEXT_MAX = 40
CURSOR_MAX = 120
_TICK = timedelta(microseconds=1)  # the stored start times' precision (PynamoDB's UTCDateTimeAttribute)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CURSOR = re.compile(r"^(\d{1,17})(?:~([A-Za-z0-9][A-Za-z0-9_-]{0,39}))?$")


class ArchiveStatus(StrEnum):
    FINISHED = "finished"  # over by now (or marked finished), not cancelled
    CANCELLED = "cancelled"
    ALL = "all"  # every listed event of the year: finished, running, coming and cancelled


class ArchiveFilter(NamedTuple):
    """What a person asked the archive for (already checked at the edge: a known kind, format and unit)."""

    year: int
    month: int | None = None
    kind: EventKind | None = None
    format: EventFormat | None = None
    unit_id: str | None = None
    status: ArchiveStatus = ArchiveStatus.FINISHED
    text: str = ""


class Position(NamedTuple):
    """Where a page starts: events starting before ``before``, or, with ``after_event``, the events that follow that
    one in the index (it started at ``before``; newest first)."""

    before: datetime
    after_event: str | None = None


def kept(event: Event, wanted: ArchiveFilter, at: datetime) -> bool:
    """Whether the archive shows ``event`` for this filter at ``at`` (the year, month and unit are chosen by the
    reads; a draft is never shown, whoever asks: the organisers' own list has their drafts)."""
    if not publicly_listed(event):
        return False
    if wanted.kind is not None and event.kind is not wanted.kind:
        return False
    if wanted.format is not None and event.format is not wanted.format:
        return False
    if wanted.unit_id is not None and event.owner_unit_id != wanted.unit_id:
        return False
    shown = displayed_status(event, at)
    if wanted.status is ArchiveStatus.FINISHED and shown is not EventStatus.FINISHED:
        return False
    if wanted.status is ArchiveStatus.CANCELLED and shown is not EventStatus.CANCELLED:
        return False
    return matches_text(event, wanted.text)


def matches_text(event: Event, text: str) -> bool:
    """Whether the Chinese or English title holds ``text`` (case and width folded; blank matches all)."""
    needle = _folded(text)
    return not needle or needle in _folded(event.title_zh) or needle in _folded(event.title_en or "")


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def window(wanted: ArchiveFilter, at: datetime, start: Position | None) -> tuple[datetime, datetime]:
    """The start times a page may read, ``[low, high)``: the year (or its month), cut at ``at`` when only finished
    events are wanted (one that is over started before now), and at the cursor."""
    if wanted.month is None:
        low, high = _china(wanted.year, 1), _china(wanted.year + 1, 1)
    else:
        low = _china(wanted.year, wanted.month)
        high = _china(wanted.year + wanted.month // 12, wanted.month % 12 + 1)
    if wanted.status is ArchiveStatus.FINISHED:
        high = max(low, min(high, at + _TICK))
    if start is not None:
        high = min(high, start.before + _TICK if start.after_event else start.before)
    return low, high


def months_newest_first(low: datetime, high: datetime) -> list[str]:
    """The calendar months (``"2026-11"``) that ``[low, high)`` touches, newest first: at most 12 for a year."""
    if high <= low:
        return []
    last = high - _TICK
    count = (last.astimezone(CHINA_TZ).year - low.astimezone(CHINA_TZ).year) * 12
    count += last.astimezone(CHINA_TZ).month - low.astimezone(CHINA_TZ).month + 1
    return months_before(last, count)


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The first instant of the calendar month ``"2026-11"`` and of the next one, China time."""
    year, number = int(month[:4]), int(month[5:])
    return _china(year, number), _china(year + number // 12, number % 12 + 1)


def _china(year: int, month: int) -> datetime:
    return datetime(year, month, 1, tzinfo=CHINA_TZ)


# ---- the cursor -------------------------------------------------------------------------------------------------


def encode_position(position: Position) -> str:
    """An opaque token for ``position`` (base64 of the start time in microseconds and the event id)."""
    micros = (position.before - _EPOCH) // _TICK
    text = f"{micros}~{position.after_event}" if position.after_event else str(micros)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_position(token: str, wanted: ArchiveFilter, at: datetime) -> Position:
    """The position a token names, if it is one this filter's pages could have made: well formed and inside the
    year (or month) asked for; anything else is a 400, never a read elsewhere."""
    position = _parsed(token)
    low, high = window(wanted, at, None)
    if position is None:
        raise BadRequest("archive.bad_cursor")
    inside = low <= position.before < high if position.after_event else low < position.before <= high
    if not inside:
        raise BadRequest("archive.bad_cursor")
    return position


def _parsed(token: str) -> Position | None:
    if not 0 < len(token) <= CURSOR_MAX or not re.fullmatch(r"[A-Za-z0-9_-]+", token):
        return None
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    found = _CURSOR.match(text)
    if found is None:
        return None
    try:
        before = _EPOCH + int(found.group(1)) * _TICK
    except OverflowError:
        return None
    return Position(before, found.group(2))
