"""Times in the exports (chalicelib.domain.cells): date cells in China time in an XLSX, text in a CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta, timezone

from openpyxl import Workbook, load_workbook

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.cells import XLSX_TIME_FORMAT, csv_bytes, csv_cell, local_time, xlsx_cell
from chalicelib.services.registration_export import table_sheet, workbook_bytes

UTC_MOMENT = datetime(2026, 4, 18, 0, 5, 42, 123456, tzinfo=UTC)  # 08:05:42 in China


def test_a_moment_in_china_time_without_its_zone():
    assert local_time(UTC_MOMENT) == datetime(2026, 4, 18, 8, 5, 42)
    assert local_time(UTC_MOMENT.astimezone(timezone(timedelta(hours=-5)))) == datetime(2026, 4, 18, 8, 5, 42)
    assert local_time(datetime(2026, 4, 18, 0, 5)) == datetime(2026, 4, 18, 8, 5)  # naive: UTC, as storage means it
    assert local_time(datetime(2026, 12, 31, 23, 30, tzinfo=CHINA_TZ)).year == 2026


def test_xlsx_cells_hold_times_csv_cells_text():
    assert xlsx_cell(UTC_MOMENT) == datetime(2026, 4, 18, 8, 5, 42)
    assert csv_cell(UTC_MOMENT) == "2026-04-18 08:05"
    # Everything else as safe_cell makes it.
    assert xlsx_cell("=1+1") == csv_cell("=1+1") == "'=1+1"
    assert xlsx_cell(3) == csv_cell(3) == 3 and xlsx_cell(None) is None


def test_the_writers_make_date_cells_and_time_text():
    workbook = Workbook()
    table_sheet(workbook, "表", ["时间", "人数"], [[UTC_MOMENT, 3], [None, 4]])
    sheet = load_workbook(io.BytesIO(workbook_bytes(workbook)))["表"]
    assert sheet["A2"].is_date and sheet["A2"].number_format == XLSX_TIME_FORMAT == "yyyy-mm-dd hh:mm"
    assert sheet["A2"].value == datetime(2026, 4, 18, 8, 5, 42)
    assert sheet["A3"].value is None and sheet["B2"].value == 3 and not sheet["B2"].is_date
    table = list(csv.reader(io.StringIO(csv_bytes(["时间", "人数"], [[UTC_MOMENT, 3]]).decode("utf-8-sig"))))
    assert table == [["时间", "人数"], ["2026-04-18 08:05", "3"]]


def test_a_match_time_is_a_date_cell_in_the_workbook_and_text_on_pages():
    from chalicelib.domain.competition.model import Match, Slot
    from chalicelib.services.competition_export import match_time, match_when

    timed = Match("m1", "s1", "RR", 1, 1, Slot("a"), Slot("b"), starts_at="2026-04-18T01:30:00+00:00")
    assert local_time(match_when(timed)) == datetime(2026, 4, 18, 9, 30) and match_time(timed) == "2026-04-18 09:30"
    league = Match("m2", "s1", "RR", 1, 2, Slot("a"), Slot("b"), matchday="2026-04-25")
    assert match_when(league) == match_time(league) == "2026-04-25"
    assert match_when(Match("m3", "s1", "RR", 1, 3, Slot("a"), Slot("b"))) == ""
