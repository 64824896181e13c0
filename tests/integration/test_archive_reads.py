"""The archive's reads against DynamoDB Local (issue 18 item 9): EventRepository.starting_between on the calendar and
owner indexes (newest first, Limit, resuming after an event, drafts), and services.archive paging a year of its own
(2031, which no other test writes) with every page's rows once and the bound on its queries."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from chalicelib.domain.archive import ArchiveFilter, ArchiveStatus
from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.records import Event, EventFormat, EventKind, EventStatus
from chalicelib.errors import BadRequest
from chalicelib.services import archive
from tests.round_trips import round_trips

YEAR = 2031
UNIT = "archive-test-unit"
AT = datetime(YEAR + 1, 6, 1, tzinfo=CHINA_TZ)  # every 2031 event is over


def _event(number: int, month: int, day: int, **fields) -> Event:
    start = datetime(YEAR, month, day, 9, number % 60, tzinfo=CHINA_TZ)
    values = {
        "event_id": f"ev-ARCHIVETEST{number:04d}",
        "owner_unit_id": UNIT,
        "kind": EventKind.SPORTS if number % 2 else EventKind.WELLNESS,
        "format": EventFormat.SESSION,
        "title_zh": f"档案测试活动{number}",
        "title_en": f"Archive test {number}",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "status": EventStatus.PUBLISHED,
        **fields,
    }
    return Event(**values)


@pytest.fixture(scope="module")
def year_of_events(dynamodb):
    from chalicelib.storage import get_store

    store = get_store()
    events = [_event(n, month=1 + n % 12, day=1 + n // 12) for n in range(30)]
    events.append(_event(90, 5, 20, status=EventStatus.DRAFT, title_zh="档案测试草稿"))
    events.append(_event(91, 5, 21, status=EventStatus.CANCELLED, title_zh="档案测试取消"))
    store.events.put_many(events)
    return store, [e for e in events if e.status is not EventStatus.DRAFT]


def _newest_first(events):
    return [e.event_id for e in sorted(events, key=lambda e: e.starts_at, reverse=True)]


def test_a_month_of_the_calendar_index_newest_first_a_limit_at_a_time(year_of_events):
    store, listed = year_of_events
    low, high = datetime(YEAR, 5, 1, tzinfo=CHINA_TZ), datetime(YEAR, 6, 1, tzinfo=CHINA_TZ)
    may = _newest_first(e for e in listed if e.starts_at.month == 5)
    first, more = store.events.starting_between(low, high, 2, month=f"{YEAR}-05")
    assert [e.event_id for e in first] == may[:2] and more
    last = first[-1]
    rest, more = store.events.starting_between(
        low, high, 50, month=f"{YEAR}-05", start_after=(last.starts_at, last.event_id)
    )
    assert [e.event_id for e in rest] == may[2:] and not more
    assert "ev-ARCHIVETEST0090" not in may  # the draft is not in the calendar index


def test_a_units_events_from_the_owner_index_drafts_included(year_of_events):
    store, listed = year_of_events
    low, high = datetime(YEAR, 1, 1, tzinfo=CHINA_TZ), datetime(YEAR + 1, 1, 1, tzinfo=CHINA_TZ)
    found, more = store.events.starting_between(low, high, 100, unit_id=UNIT)
    assert not more
    assert [e.event_id for e in found if e.status is not EventStatus.DRAFT] == _newest_first(listed)
    assert "ev-ARCHIVETEST0090" in {e.event_id for e in found}


def test_the_service_pages_a_year_without_duplicates_or_gaps_within_its_bound(year_of_events):
    store, listed = year_of_events
    wanted = ArchiveFilter(YEAR, status=ArchiveStatus.ALL)
    seen, cursor = [], None
    for _ in range(20):
        with round_trips() as calls:
            page = archive.archive_page(store, wanted, AT, 4, cursor)
        queries = [op for op in calls.operations if op == "Query"]
        assert page.queries <= archive.QUERIES_PER_PAGE and len(queries) <= archive.QUERIES_PER_PAGE + 1
        assert len(page.events) <= 4
        seen += [e.event_id for e in page.events]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == _newest_first(listed)


def test_the_service_filters_and_refuses_a_cursor_of_another_year(year_of_events):
    store, listed = year_of_events
    sports = archive.archive_page(
        store, ArchiveFilter(YEAR, kind=EventKind.SPORTS, status=ArchiveStatus.ALL), AT, 50, None
    )
    assert [e.event_id for e in sports.events] == _newest_first(e for e in listed if e.kind is EventKind.SPORTS)
    cancelled = archive.archive_page(store, ArchiveFilter(YEAR, status=ArchiveStatus.CANCELLED), AT, 50, None)
    assert [e.event_id for e in cancelled.events] == ["ev-ARCHIVETEST0091"]
    finished = archive.archive_page(store, ArchiveFilter(YEAR, month=5), AT, 50, None)
    assert "ev-ARCHIVETEST0091" not in {e.event_id for e in finished.events}
    assert all(e.starts_at.astimezone(CHINA_TZ).month == 5 for e in finished.events) and finished.events
    words = archive.archive_page(
        store, ArchiveFilter(YEAR, text="ARCHIVE TEST 7", status=ArchiveStatus.ALL), AT, 50, None
    )
    assert [e.event_id for e in words.events] == ["ev-ARCHIVETEST0007"]
    first = archive.archive_page(store, ArchiveFilter(YEAR, status=ArchiveStatus.ALL), AT, 1, None)
    assert first.next_cursor
    with pytest.raises(BadRequest):
        archive.archive_page(store, ArchiveFilter(YEAR - 1, status=ArchiveStatus.ALL), AT, 1, first.next_cursor)
    with pytest.raises(BadRequest):
        archive.archive_page(store, ArchiveFilter(YEAR, month=1, status=ArchiveStatus.ALL), AT, 1, first.next_cursor)
