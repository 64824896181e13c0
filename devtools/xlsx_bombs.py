"""Hostile XLSX files built in memory, for the tests and bench/xlsx_bomb.py (never shipped).

Each is a minimal but valid workbook (openpyxl opens it) written member by member with zipfile, streaming, so that
building a "100 MB" part costs no 100 MB of memory:

- ``shared_string_bomb``: one shared string of ``megabytes`` MB of one repeated letter (~100 KB compressed per
  100 MB), referenced from cell A1;
- ``empty_rows_bomb``: a sheet of ``rows`` empty rows (``<row r="n"/>``) under a one-cell header; a million rows
  compress to about 2 MB;
- ``far_row_workbook``: a header and one data row at row ``row``, nothing between: a tiny file whose rows a
  reader would otherwise walk one by one;
- ``wide_workbook``: ``rows`` x ``columns`` cells of distinct numbers (many cells in a small file);
- ``many_parts``: a valid workbook with ``parts`` extra empty members.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = "</sheetData></worksheet>"
EMPTY_STRINGS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>'
)
_CHUNK = 1 << 20


def _workbook(sheet: Iterable[str], shared_strings: Iterable[str] = (EMPTY_STRINGS,), extra_parts: int = 0) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for name, pieces in (("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", shared_strings)):
            with archive.open(name, "w", force_zip64=True) as part:
                for piece in pieces:
                    part.write(piece.encode("utf-8"))
        for index in range(extra_parts):
            archive.writestr(f"customXml/item{index}.xml", "")
    return output.getvalue()


def shared_string_bomb(megabytes: int = 100) -> bytes:
    def strings() -> Iterable[str]:
        yield (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
        )
        for _ in range(megabytes):
            yield "A" * _CHUNK
        yield "</t></si></sst>"

    sheet = (SHEET_START, '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', SHEET_END)
    return _workbook(sheet, strings())


def empty_rows_bomb(rows: int = 1_000_000) -> bytes:
    def sheet() -> Iterable[str]:
        yield SHEET_START + '<row r="1"><c r="A1" t="inlineStr"><is><t>工号</t></is></c></row>'
        batch = 10_000
        for start in range(2, rows + 2, batch):
            yield "".join(f'<row r="{n}"/>' for n in range(start, min(start + batch, rows + 2)))
        yield SHEET_END

    return _workbook(sheet())


def far_row_workbook(row: int = 1_000_000) -> bytes:
    header = '<row r="1"><c r="A1" t="inlineStr"><is><t>工号</t></is></c></row>'
    far = f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>T0001</t></is></c></row>'
    return _workbook((SHEET_START, header, far, SHEET_END))


def wide_workbook(rows: int, columns: int) -> bytes:
    def sheet() -> Iterable[str]:
        yield SHEET_START
        for row in range(rows):
            yield "<row>" + "".join(f"<c><v>{row * columns + column}</v></c>" for column in range(columns)) + "</row>"
        yield SHEET_END

    return _workbook(sheet())


def many_parts(parts: int) -> bytes:
    return _workbook((SHEET_START, SHEET_END), extra_parts=parts)
