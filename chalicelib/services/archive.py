"""The archive of past events (issue 18 item 9): a year's listed events, newest first, filtered, a page at a time, on
the page ``/events/archive`` and in ``GET /api/events/archive``. Issue 21 (the year in numbers) reads a year through
``archive_page`` as well.

Only key and index queries (docs/data-model.md): the calendar index (by_calendar, listed events only) one month at a
time, newest month first; the organising unit's events (by_owner, start time within the year) when a unit is chosen.
Bound: a page makes at most ``QUERIES_PER_PAGE`` index queries, each asking for no more events than the page still
lacks (DynamoDB's Limit), so a request reads at most ``QUERIES_PER_PAGE`` × page size events, each one either shown or
left out by a filter, never one past a full page. Then one BatchGetItem for the shown competitions' set-ups (the
results links) and the units (cached per container). A page that ran out of queries before it filled says how far
back it looked, and its cursor goes on from there.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from chalicelib.domain.archive import (
    ArchiveFilter,
    Position,
    decode_position,
    encode_position,
    kept,
    month_bounds,
    months_newest_first,
    window,
)
from chalicelib.domain.records import COMPETITION_FORMATS, Event, Unit
from chalicelib.errors import BadRequest
from chalicelib.services.event_views import units as union_units
from chalicelib.storage import Store

QUERIES_PER_PAGE = 12
PAGE_SIZE = 20
PAGE_MAX = 50


class ArchivePage(NamedTuple):
    """One page of the archive: its events newest first, which have published results, the units (for names) and
    where the next page starts (None: this was the last)."""

    wanted: ArchiveFilter
    events: list[Event]
    with_results: frozenset[str]
    units: dict[str, Unit]
    next_cursor: str | None
    reached: datetime | None  # where the reads stopped, when the page is not the last (the next page starts there)
    queries: int  # index queries made (the bound above)


class _Segment(NamedTuple):
    """One stretch of the reads: a calendar month of the index, or the unit's events of the whole window."""

    month: str | None
    low: datetime
    high: datetime


def archive_page(store: Store, wanted: ArchiveFilter, at: datetime, size: int, cursor: str | None) -> ArchivePage:
    """The page of ``wanted`` that starts at ``cursor`` (None: the newest), of at most ``size`` events."""
    if not 1 <= size <= PAGE_MAX:
        raise BadRequest("archive.bad_size")
    known = union_units(store)
    if wanted.unit_id is not None and wanted.unit_id not in known:
        raise BadRequest("archive.unknown_unit")
    start = decode_position(cursor, wanted, at) if cursor else None
    reader = _Reader(store, wanted, at, size)
    reader.read(_segments(wanted, at, start), start)
    formats = [e.event_id for e in reader.shown if e.format in COMPETITION_FORMATS]
    results = frozenset(store.competitions.published_among(formats)) if formats else frozenset()
    following = reader.following
    return ArchivePage(
        wanted,
        reader.shown,
        results,
        known,
        encode_position(following) if following else None,
        following.before if following else None,
        reader.queries,
    )


def _segments(wanted: ArchiveFilter, at: datetime, start: Position | None) -> list[_Segment]:
    low, high = window(wanted, at, start)
    if wanted.unit_id is not None:
        return [_Segment(None, low, high)] if low < high else []
    segments = []
    for month in months_newest_first(low, high):
        first, after_last = month_bounds(month)
        segments.append(_Segment(month, max(low, first), min(high, after_last)))
    return segments


class _Reader:
    """Reads segments newest first until the page is full or the queries run out; remembers where to go on."""

    def __init__(self, store: Store, wanted: ArchiveFilter, at: datetime, size: int) -> None:
        self.store, self.wanted, self.at, self.size = store, wanted, at, size
        self.shown: list[Event] = []
        self.queries = 0
        self.following: Position | None = None

    def read(self, segments: list[_Segment], start: Position | None) -> None:
        after = (start.before, start.after_event) if start is not None and start.after_event else None
        for index, segment in enumerate(segments):
            last, more = self._read_segment(segment, after)
            after = None
            if more:  # the page filled, or the queries ran out, inside this segment
                self.following = Position(last[0], last[1]) if last else self.following
                return
            if index + 1 < len(segments) and (len(self.shown) == self.size or self.queries == QUERIES_PER_PAGE):
                self.following = Position(segment.low)  # the next segment, from its newest event
                return

    def _read_segment(
        self, segment: _Segment, after: tuple[datetime, str] | None
    ) -> tuple[tuple[datetime, str] | None, bool]:
        """The last event read in the segment, and whether the segment may hold more than was read."""
        last = after
        while True:
            room = self.size - len(self.shown)
            if room == 0 or self.queries == QUERIES_PER_PAGE:
                return last, True
            found, more = self.store.events.starting_between(
                segment.low,
                segment.high,
                room,
                month=segment.month,
                unit_id=self.wanted.unit_id,
                start_after=last,
            )
            self.queries += 1
            for event in found:
                last = (event.starts_at, event.event_id)
                if kept(event, self.wanted, self.at):
                    self.shown.append(event)
            if not more:
                return last, False
