"""iCalendar files (RFC 5545) for calendar apps: one event, one registration, or a member's subscription feed.

Pure: entries in, text out. Times are written in China time with ``TZID=Asia/Shanghai`` and the zone itself in a
VTIMEZONE (UTC+8 all year, no daylight saving since 1991), so every calendar app shows the same wall-clock time;
DTSTAMP is UTC as the RFC requires. Lines end with CRLF and are folded at 75 octets without splitting a UTF-8
character; TEXT values are escaped (backslash, semicolon, comma, newline), so a title such as
``羽毛球赛；第一轮, 2号场`` cannot break the file or add a property.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import NamedTuple

from chalicelib.domain.calendar import CHINA_TZ

CONTENT_TYPE = "text/calendar; charset=utf-8"
TZID = "Asia/Shanghai"
PRODUCT_ID = "-//union-events//union-events 1.0//ZH"
UID_DOMAIN = "union-events"
LINE_OCTETS = 75  # RFC 5545 3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break
# How often a subscribed calendar app should read the feed again (RFC 7986 REFRESH-INTERVAL and the older
# X-PUBLISHED-TTL most apps honour).
REFRESH = "PT1H"

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # not allowed in a TEXT value (tab and newline are handled)

# The zone as RFC 5545 3.6.5 wants it: one STANDARD observance, +08:00 on both sides.
_VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "X-LIC-LOCATION:Asia/Shanghai",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "END:STANDARD",
    "END:VTIMEZONE",
)


class CalendarEntry(NamedTuple):
    """One VEVENT. ``uid`` must stay the same for the same thing in every file (an event's own .ics, a
    registration's and the feed), so that a calendar app updates its copy instead of adding a second one."""

    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str | None = None
    description: str | None = None
    url: str | None = None
    cancelled: bool = False  # STATUS:CANCELLED (the event was called off)
    tentative: bool = False  # STATUS:TENTATIVE (on the waiting list, awaiting approval or the draw)


def uid(*parts: str) -> str:
    """A stable UID from ids (event, session, match): ``<parts joined by ->@union-events``; ids only, never names."""
    return "-".join(parts) + "@" + UID_DOMAIN


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, any line break as ``\\n``, other
    control characters dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    value = _CONTROL.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _uri(value: str) -> str:
    """A URI value is not escaped, but nothing in it may end the line."""
    return _CONTROL.sub("", value.replace("\r", "").replace("\n", "").replace("\t", ""))


def fold(line: str) -> str:
    """One content line folded at 75 octets (RFC 5545 3.1): a CRLF and a space before each further part, never in
    the middle of a UTF-8 character. The continuation's leading space counts towards its 75."""
    encoded = line.encode("utf-8")
    if len(encoded) <= LINE_OCTETS:
        return line
    parts: list[str] = []
    current: list[str] = []
    size = 0
    limit = LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _local(moment: datetime) -> str:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(CHINA_TZ).strftime("%Y%m%dT%H%M%S")


def _utc(moment: datetime) -> str:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _vevent(entry: CalendarEntry, stamp: datetime) -> list[str]:
    ends_at = max(entry.ends_at, entry.starts_at)  # DTEND before DTSTART is invalid; zero length is allowed
    lines = [
        "BEGIN:VEVENT",
        f"UID:{_uri(entry.uid)}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART;TZID={TZID}:{_local(entry.starts_at)}",
        f"DTEND;TZID={TZID}:{_local(ends_at)}",
        f"SUMMARY:{escape_text(entry.summary)}",
    ]
    if entry.location:
        lines.append(f"LOCATION:{escape_text(entry.location)}")
    if entry.description:
        lines.append(f"DESCRIPTION:{escape_text(entry.description)}")
    if entry.url:
        lines.append(f"URL:{_uri(entry.url)}")
    if entry.cancelled:
        lines.append("STATUS:CANCELLED")
    elif entry.tentative:
        lines.append("STATUS:TENTATIVE")
    else:
        lines.append("STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def calendar(entries: Iterable[CalendarEntry], *, name: str, stamp: datetime, feed: bool = False) -> str:
    """A whole VCALENDAR: the zone, then one VEVENT per entry; ``name`` is the calendar's name in apps that show
    one; ``feed`` adds how often a subscribed app should read it again."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"NAME:{escape_text(name)}",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{TZID}",
    ]
    if feed:
        lines += [f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}", f"X-PUBLISHED-TTL:{REFRESH}"]
    lines += _VTIMEZONE
    for entry in entries:
        lines += _vevent(entry, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
