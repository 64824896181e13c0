"""The archive's pure rules (chalicelib.domain.archive): what a filter keeps, the window a page reads, the months
newest first, and the cursor (round trip, and refused when forged, malformed or outside the year asked for)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from chalicelib.domain.archive import (
    ArchiveFilter,
    ArchiveStatus,
    Position,
    decode_position,
    encode_position,
    kept,
    matches_text,
    months_newest_first,
    window,
)
from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.records import Event, EventFormat, EventKind, EventStatus
from chalicelib.errors import BadRequest

AT = datetime(2026, 12, 6, 12, 0, tzinfo=CHINA_TZ)


def _event(status=EventStatus.PUBLISHED, days=-30, **fields) -> Event:
    start = AT + timedelta(days=days)
    values = {
        "event_id": "ev-1",
        "owner_unit_id": "cs",
        "kind": EventKind.SPORTS,
        "format": EventFormat.TOURNAMENT,
        "title_zh": "“园丁杯”羽毛球团体赛",
        "title_en": "Gardeners' Cup",
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "status": status,
        **fields,
    }
    return Event(**values)


def test_a_draft_is_never_kept_and_finished_is_by_the_clock():
    assert not kept(_event(EventStatus.DRAFT), ArchiveFilter(2026, status=ArchiveStatus.ALL), AT)
    assert kept(_event(), ArchiveFilter(2026), AT)  # published, over by the clock: finished
    assert not kept(_event(days=3), ArchiveFilter(2026), AT)
    assert kept(_event(days=3), ArchiveFilter(2026, status=ArchiveStatus.ALL), AT)
    assert not kept(_event(EventStatus.CANCELLED), ArchiveFilter(2026), AT)
    assert kept(_event(EventStatus.CANCELLED), ArchiveFilter(2026, status=ArchiveStatus.CANCELLED), AT)


def test_kind_format_unit_and_words_in_either_title():
    event = _event()
    assert not kept(event, ArchiveFilter(2026, kind=EventKind.WELLNESS), AT)
    assert not kept(event, ArchiveFilter(2026, format=EventFormat.MEET), AT)
    assert not kept(event, ArchiveFilter(2026, unit_id="school"), AT)
    assert kept(event, ArchiveFilter(2026, kind=EventKind.SPORTS, format=EventFormat.TOURNAMENT, unit_id="cs"), AT)
    assert matches_text(event, "园丁杯") and matches_text(event, "gardeners") and matches_text(event, "ＧＡＲＤＥＮ")
    assert matches_text(event, "  ") and not matches_text(event, "足球")


def test_the_window_is_the_year_or_month_cut_at_now_for_finished_and_at_the_cursor():
    assert window(ArchiveFilter(2025, status=ArchiveStatus.ALL), AT, None) == (
        datetime(2025, 1, 1, tzinfo=CHINA_TZ),
        datetime(2026, 1, 1, tzinfo=CHINA_TZ),
    )
    low, high = window(ArchiveFilter(2026, month=12), AT, None)
    assert low == datetime(2026, 12, 1, tzinfo=CHINA_TZ) and high == AT + timedelta(microseconds=1)
    assert window(ArchiveFilter(2027), AT, None)[1] == datetime(2027, 1, 1, tzinfo=CHINA_TZ)  # empty: low == high
    cursor = datetime(2025, 6, 3, 9, tzinfo=CHINA_TZ)
    assert window(ArchiveFilter(2025, status=ArchiveStatus.ALL), AT, Position(cursor))[1] == cursor


def test_months_newest_first_at_most_twelve():
    year = months_newest_first(datetime(2026, 1, 1, tzinfo=CHINA_TZ), datetime(2027, 1, 1, tzinfo=CHINA_TZ))
    assert year == [f"2026-{m:02d}" for m in range(12, 0, -1)]
    assert months_newest_first(datetime(2026, 1, 1, tzinfo=CHINA_TZ), AT) == [f"2026-{m:02d}" for m in range(12, 0, -1)]
    assert months_newest_first(AT, AT) == []


def test_the_cursor_goes_round_and_refuses_what_the_pages_could_not_have_made():
    wanted = ArchiveFilter(2026, status=ArchiveStatus.ALL)
    at_event = Position(datetime(2026, 3, 4, 1, 2, 3, 456789, tzinfo=CHINA_TZ), "ev-01J6NJV89079VVCN85WE2NGK18")
    month_top = Position(datetime(2026, 5, 1, tzinfo=CHINA_TZ))
    for position in (at_event, month_top):
        token = encode_position(position)
        assert token.replace("-", "").replace("_", "").isalnum()
        assert decode_position(token, wanted, AT) == position
    for forged in ("", "x" * 121, "not base64!", "QUJD", encode_position(Position(AT, "ev/../x")).replace("L", "M")):
        with pytest.raises(BadRequest):
            decode_position(forged, wanted, AT)
    with pytest.raises(BadRequest):
        decode_position(encode_position(at_event), ArchiveFilter(2025, status=ArchiveStatus.ALL), AT)
    with pytest.raises(BadRequest):
        decode_position(encode_position(at_event), ArchiveFilter(2026, month=4, status=ArchiveStatus.ALL), AT)
