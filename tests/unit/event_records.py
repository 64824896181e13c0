"""Event records for pure tests, made without storage or services: a badminton tournament of the computer science
unit on 21 November 2026 unless a test says otherwise."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.records import Event, EventFormat, EventKind, EventStatus


def cst(month: int, day: int, hour: int = 0, minute: int = 0, year: int = 2026) -> datetime:
    """A moment in China time."""
    return datetime(year, month, day, hour, minute, tzinfo=CHINA_TZ)


def make_event(**changes) -> Event:
    """The published tournament, 9:00 to 17:00, with ``changes``."""
    fields = {
        "event_id": "ev-1",
        "owner_unit_id": "cs",
        "kind": EventKind.SPORTS,
        "format": EventFormat.TOURNAMENT,
        "title_zh": "教职工羽毛球赛",
        "starts_at": cst(11, 21, 9),
        "ends_at": cst(11, 21, 17),
        "status": EventStatus.PUBLISHED,
    }
    return Event(**(fields | changes))
