"""What a value may look like in a spreadsheet cell the app writes: the one rule for every CSV and XLSX export.

``safe_cell`` makes any value safe for a cell of either format:

- characters an XLSX file cannot hold are removed: C0 controls other than tab and line breaks, lone surrogates and
  the non-characters U+FFFE and U+FFFF (openpyxl refuses the first, and the others cannot be encoded as XML); line
  breaks become ``\\n``, as Excel writes them inside a cell (an XML reader turns a CR into LF anyway);
- formula injection is neutralised (OWASP, "CSV Injection"): text that a spreadsheet would run, i.e. text starting
  with ``=`` ``+`` ``-`` ``@``, tab, CR or LF, or with one of the first four after leading whitespace (which some
  importers trim), full-width forms included (Chinese input methods type them), gets a leading single quote; plain
  numbers such as ``-3`` or ``-2.5`` stay as they are, and non-text values (numbers, dates) are never touched;
- text is cut to 32,767 characters, the most a cell holds in Excel.

The cleaning happens before the formula check, so ``"\\x00=1+1"`` cannot slip past it. CSV files are UTF-8 with a
BOM (Excel and WPS then open the Chinese intact) and CRLF line ends (``csv_bytes``).

Times (``datetime`` values in a row) are written in China time, as the app shows every time: in an XLSX as real
date cells (``xlsx_cell``; the writer gives them the number format ``XLSX_TIME_FORMAT``), so that organisers can
sort, filter and subtract them; in a CSV, which has no types, as text like ``2026-04-18 08:05`` (``csv_cell``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from chalicelib.domain.calendar import CHINA_TZ

CELL_LIMIT = 32_767  # characters in one cell (Excel's specification)

# Tab (\x09), line feed (\x0a) and carriage return (\x0d) are the only C0 controls XML 1.0 allows.
_NOT_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAK = re.compile("\r\n?")
_FORMULA_START = frozenset("=+-@＝＋－＠")
_BLANK_START = frozenset("\t\n")  # OWASP's tab and CR (a CR is a LF by now)
_LEADING_SPACE = " \t\n\u3000"
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")  # "-3" is a number to every spreadsheet, not a formula
_BOM = "\ufeff"
XLSX_TIME_FORMAT = "yyyy-mm-dd hh:mm"  # a date cell's number format (Excel's and WPS's codes)
CSV_TIME_FORMAT = "%Y-%m-%d %H:%M"


def safe_cell(value: object) -> object:
    """``value`` as it may be written to a CSV or XLSX cell (see the module's docstring); non-text unchanged."""
    if not isinstance(value, str) or not value:
        return value
    text = _LINE_BREAK.sub("\n", _NOT_IN_XLSX.sub("", value))
    first = text.lstrip(_LEADING_SPACE)[:1]
    if text[:1] in _BLANK_START or (first in _FORMULA_START and first and not _PLAIN_NUMBER.fullmatch(text)):
        text = "'" + text
    return text[:CELL_LIMIT]


def safe_row(values: Iterable[object]) -> list[object]:
    return [safe_cell(value) for value in values]


def local_time(moment: datetime) -> datetime:
    """The moment in China time without its zone (an XLSX date cell holds none), to the second; a naive moment is
    taken as UTC, as storage means it."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return aware.astimezone(CHINA_TZ).replace(tzinfo=None, microsecond=0)


def xlsx_cell(value: object) -> object:
    """``value`` as written to an XLSX cell: a moment a date cell's value (``local_time``), anything else
    ``safe_cell``."""
    return local_time(value) if isinstance(value, datetime) else safe_cell(value)


def xlsx_row(values: Iterable[object]) -> list[object]:
    return [xlsx_cell(value) for value in values]


def csv_cell(value: object) -> object:
    """``value`` as written to a CSV cell: a moment as China time text (``CSV_TIME_FORMAT``), anything else
    ``safe_cell``."""
    return local_time(value).strftime(CSV_TIME_FORMAT) if isinstance(value, datetime) else safe_cell(value)


def csv_text(headers: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """A CSV table with every cell made safe, starting with a BOM (sent as UTF-8), CRLF line ends (what Excel
    writes and expects)."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(safe_row(headers))
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return _BOM + text.getvalue()


def csv_bytes(headers: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """``csv_text`` as UTF-8."""
    return csv_text(headers, rows).encode("utf-8")
