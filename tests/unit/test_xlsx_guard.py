"""XLSX bombs and oversized tables are refused before a parser spends the request on them, with a clear message in
both languages; ordinary files still read. The bombs are built here (devtools.xlsx_bombs); bench/xlsx_bomb.py times
them. Each refusal is asserted by its code: a bomb that got through to openpyxl would instead be read (or fail with
not_a_spreadsheet after many seconds)."""

from __future__ import annotations

import csv
import io
import struct
import zipfile
from datetime import date

import openpyxl
import pytest

from chalicelib.domain.roster import (
    MAX_CELL_CHARS,
    MAX_SHEET_ROWS,
    XLSX_LIMITS,
    RosterFileError,
    RosterProblem,
    parse_roster,
    read_table,
)
from chalicelib.domain.xlsx_guard import MIB, XlsxLimits, XlsxRefused, check_workbook
from chalicelib.services.roster_import import problem_text, spreadsheet_problem
from devtools import xlsx_bombs

TODAY = date(2026, 5, 1)
UNITS = {"计算机学院": "cs"}
HEADER = ["工号", "姓名", "性别", "出生日期", "二级工会"]
GOOD = ["T0001", "张三", "男", "1985-04-17", "计算机学院"]


def refusal(data: bytes, filename: str = "roster.xlsx") -> RosterFileError | RosterProblem:
    """How the file is refused: the reader's error, or a sheet past a limit as the import words it."""
    with pytest.raises((RosterFileError, XlsxRefused)) as raised:
        read_table(data, filename)
    error = raised.value
    return spreadsheet_problem(error) if isinstance(error, XlsxRefused) else error


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# -- the two bombs of the issue --------------------------------------------------------------------------------------


def test_a_100_mb_shared_string_in_a_100_kb_file_is_refused_from_the_archive_directory():
    bomb = xlsx_bombs.shared_string_bomb(100)
    assert len(bomb) < 200_000
    refused = refusal(bomb)
    assert refused.code == "part_too_large"
    assert "xl/sharedStrings.xml" in problem_text(refused, "zh") and "100.0 MB" in problem_text(refused, "zh")
    assert "16.0 MB" in problem_text(refused, "en") and "split the file" in problem_text(refused, "en")


def test_a_million_empty_rows_are_refused_while_counting_rows():
    bomb = xlsx_bombs.empty_rows_bomb(1_000_000)
    assert len(bomb) < 3 * MIB
    refused = refusal(bomb)
    assert refused.code == "too_many_rows"
    assert f"{MAX_SHEET_ROWS:,}" in problem_text(refused, "zh") and "空行" in problem_text(refused, "zh")
    assert "blank rows" in problem_text(refused, "en")


def test_the_refusal_reaches_the_import_report_as_a_file_problem():
    with pytest.raises(XlsxRefused) as raised:
        parse_roster(xlsx_bombs.empty_rows_bomb(60_000), "roster.xlsx", UNITS, TODAY)
    assert (raised.value.code, raised.value.params["limit"]) == ("too_many_rows", MAX_SHEET_ROWS)
    problem = spreadsheet_problem(raised.value)  # what services.roster_import.check_roster reports
    assert (problem.row, problem.column, problem.code) == (0, "", "too_many_rows")
    assert f"{MAX_SHEET_ROWS:,}" in problem_text(problem, "zh") and "blank rows" in problem_text(problem, "en")


# -- each limit ------------------------------------------------------------------------------------------------------


def test_a_row_numbered_past_the_limit_is_refused_not_cut_short():
    # A 2 KB file whose one data row sits at row 1,000,000: a reader would walk 999,998 empty rows, or stop early
    # and lose the row without a word.
    refused = refusal(xlsx_bombs.far_row_workbook(1_000_000))
    assert refused.code == "too_many_rows" and "1,000,000" in problem_text(refused, "en")


def test_a_part_that_packs_too_tightly_is_refused():
    refused = refusal(xlsx_bombs.shared_string_bomb(8))  # under the 16 MB shared-string limit, but ~1,000 to 1
    assert refused.code == "compression_ratio"
    assert "xl/sharedStrings.xml" in problem_text(refused, "en")


def test_too_many_members_are_refused():
    assert refusal(xlsx_bombs.many_parts(XLSX_LIMITS.parts)).code == "too_many_parts"


def test_too_many_cells_are_refused():
    columns = 40
    refused = refusal(xlsx_bombs.wide_workbook(XLSX_LIMITS.cells // columns + 1, columns))
    assert refused.code == "too_many_cells" and f"{XLSX_LIMITS.cells:,}" in problem_text(refused, "zh")


def test_the_unpacked_total_is_bounded():
    limits = XlsxLimits(total_bytes=2_000)
    with zipfile.ZipFile(io.BytesIO(xlsx([HEADER, GOOD]))) as archive, pytest.raises(XlsxRefused) as raised:
        check_workbook(archive, limits)
    assert raised.value.code == "too_large_unpacked"


def test_namespace_prefixed_rows_and_cells_are_counted_too():
    sheet = "<x:worksheet><x:sheetData>" + '<x:row r="7"><x:c r="A7"/></x:row>' * 30 + "</x:sheetData></x:worksheet>"
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    with zipfile.ZipFile(output) as archive:
        with pytest.raises(XlsxRefused) as rows:
            check_workbook(archive, XlsxLimits(rows=20))
        with pytest.raises(XlsxRefused) as cells:
            check_workbook(archive, XlsxLimits(cells=20))
    assert (rows.value.code, cells.value.code) == ("too_many_rows", "too_many_cells")


def test_a_row_tag_split_between_two_reads_is_counted_once():
    filler = "<v>1</v>" * 131_000  # about 1 MB, so the tag below straddles the 1 MB read
    sheet = f'<sheetData><row r="1">{filler}</row><row r="99"/></sheetData>'
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("sheet.xml", sheet)
    for cut in range(1, 12):
        shifted = sheet.replace("<sheetData>", "<sheetData>" + " " * (MIB - sheet.index('<row r="99"') - 11 + cut))
        with zipfile.ZipFile(output, "w") as archive:
            archive.writestr("sheet.xml", shifted)
        with zipfile.ZipFile(output) as archive:
            check_workbook(archive, XlsxLimits(rows=99, ratio=10**6))  # row 99 is within the limit
            with pytest.raises(XlsxRefused) as raised:
                check_workbook(archive, XlsxLimits(rows=98, ratio=10**6))
        assert raised.value.params["rows"] == 99


def test_a_member_that_lies_about_its_size_cannot_unpack_more_than_it_declares():
    data = bytearray(xlsx_bombs.shared_string_bomb(8))
    # Declare 1,000 bytes for the shared strings in their central directory entry (uncompressed size at offset 24).
    entry = data.rindex(b"PK\x01\x02", 0, data.rindex(b"xl/sharedStrings.xml"))
    assert struct.unpack_from("<I", data, entry + 24)[0] > 8 * MIB
    struct.pack_into("<I", data, entry + 24, 1_000)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        assert archive.getinfo("xl/sharedStrings.xml").file_size == 1_000
    assert refusal(bytes(data)).code == "not_a_spreadsheet"  # zipfile stops at 1,000 bytes and the CRC fails


# -- ordinary files still read ---------------------------------------------------------------------------------------


def test_an_ordinary_workbook_with_formatted_blank_rows_below_the_data_reads():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(GOOD)
    for row in range(3, 2_000):
        sheet.cell(row=row, column=1).number_format = "@"  # formatted, empty
    output = io.BytesIO()
    workbook.save(output)
    result = parse_roster(output.getvalue(), "roster.xlsx", UNITS, TODAY)
    assert result.ok and [row.staff_no for row in result.rows] == ["T0001"]


def test_long_cells_are_cut_as_they_are_read():
    remark = "备注" * 5_000
    table = read_table(xlsx([[*HEADER, "备注"], [*GOOD, remark]]), "roster.xlsx")
    assert table[1][-1] == remark[:MAX_CELL_CHARS]
    result = parse_roster(xlsx([[*HEADER, "备注"], [*GOOD, remark]]), "roster.xlsx", UNITS, TODAY)
    assert result.ok  # an unknown column's long text does not refuse the file


def csv_bytes(rows: list[list[str]], blank_lines: int = 0, blank_at: int = 2) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows[:blank_at])
    text.write("\r\n" * blank_lines)
    csv.writer(text, lineterminator="\r\n").writerows(rows[blank_at:])
    return ("\ufeff" + text.getvalue()).encode()


def test_a_csv_with_data_past_the_row_limit_is_refused_without_building_the_blank_rows():
    data = csv_bytes([HEADER, GOOD, ["T0002", "李四", "女", "1990-01-01", "计算机学院"]], blank_lines=MAX_SHEET_ROWS)
    refused = refusal(data, "roster.csv")
    assert refused.code == "too_many_rows"


def test_a_csv_with_blank_lines_after_the_data_reads():
    result = parse_roster(csv_bytes([HEADER, GOOD], blank_lines=MAX_SHEET_ROWS + 10), "roster.csv", UNITS, TODAY)
    assert result.ok and len(result.rows) == 1
