from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.calendar import CHINA_TZ, calendar_month, months_from
from chalicelib.domain.ids import sortable_id


def test_ids_sort_by_time_and_have_fixed_length():
    earlier = sortable_id("ev-", millis=1_700_000_000_000, randomness=(1 << 80) - 1)
    later = sortable_id("ev-", millis=1_700_000_000_001, randomness=0)
    assert earlier < later
    assert len(earlier) == len(later) == 3 + 26


def test_ids_are_random_within_a_millisecond():
    assert sortable_id("x", millis=5) != sortable_id("x", millis=5)


def test_id_timestamp_must_fit_48_bits():
    with pytest.raises(ValueError):
        sortable_id("x", millis=1 << 48)


def test_calendar_month_is_taken_in_china_time():
    # 16:30 UTC on 31 October is already 1 November in Beijing.
    assert calendar_month(datetime(2026, 10, 31, 16, 30, tzinfo=UTC)) == "2026-11"
    assert calendar_month(datetime(2026, 10, 31, 15, 59, tzinfo=UTC)) == "2026-10"


def test_months_from_wraps_the_year():
    start = datetime(2026, 11, 21, 9, 0, tzinfo=CHINA_TZ)
    assert months_from(start, 4) == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert months_from(start - timedelta(days=365), 1) == ["2025-11"]
