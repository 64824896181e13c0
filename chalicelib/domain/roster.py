"""Member roster import: read an uploaded XLSX or CSV and check every row before anything is stored.

Any problem rejects the whole file, so the admin gets every problem at once (row, column and a message in Chinese and
English) and can fix the file in one go. Storage and permissions are not handled here.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from chalicelib.domain.language import N_
from chalicelib.domain.records import Gender, Member, MemberStatus
from chalicelib.domain.xlsx_guard import XlsxLimits, XlsxRefused, check_workbook

MAX_ROSTER_BYTES = 5 * 1024 * 1024
MAX_ROSTER_ROWS = 20_000  # member rows per import: twice the largest university's membership (~10,000)
# Rows a sheet may have, blank ones included: data, a title and header above, and formatted blank rows below; rows
# past it are never read (a CSV or XLSX with data beyond it is refused, never cut short silently).
MAX_SHEET_ROWS = 50_000
MAX_CELL_CHARS = 1_000  # longer text is cut as it is read: no roster field is valid past 254 characters
# The archive and sheet limits for an uploaded workbook (chalicelib.domain.xlsx_guard explains each).
XLSX_LIMITS = XlsxLimits(rows=MAX_SHEET_ROWS)
MAX_REPORTED_PROBLEMS = 500
MIN_AGE = 16
MAX_AGE = 100
MAX_NAME_LENGTH = 40

# Input syntax, not text a person reads: the header each column is written with in Chinese and in English. The
# template CSV's header row is the Chinese one (a file format people fill in); the parser accepts either, and the
# _HEADER_SYNONYMS below. Pages name the columns by COLUMN_NAMES.
COLUMN_HEADERS: dict[str, tuple[str, str]] = {
    "staff_no": ("工号", "Staff No"),
    "name": ("姓名", "Name"),
    "gender": ("性别", "Gender"),
    "birth_date": ("出生日期", "Date of birth"),
    "unit": ("二级工会", "Sub-union"),
    "phone": ("手机号", "Mobile"),
    "email": ("邮箱", "Email"),
    "status": ("状态", "Status"),
}
# What a page calls each column: message ids, a member's fields in the words of the member pages.
COLUMN_NAMES: dict[str, str] = {
    "staff_no": N_("member.field.staff_no"),
    "name": N_("member.field.name"),
    "gender": N_("member.field.gender"),
    "birth_date": N_("member.field.birth_date"),
    "unit": N_("member.field.unit_id"),
    "phone": N_("member.field.phone"),
    "email": N_("member.field.email"),
    "status": N_("member.field.status"),
}
REQUIRED_COLUMNS = ("staff_no", "name", "gender", "birth_date", "unit")

# Headers other systems and hand-made sheets use, besides the COLUMN_HEADERS themselves.
_HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "staff_no": ("职工号", "教工号", "员工号", "staff_no", "staff number", "employee no", "employee number", "id"),
    "name": (),
    "gender": ("sex",),
    "birth_date": ("出生年月日", "生日", "birth_date", "birth date", "dob", "birthday"),
    "unit": ("分工会", "部门工会", "所在单位", "单位", "unit", "department"),
    "phone": ("手机", "手机号码", "联系电话", "phone"),
    "email": ("电子邮箱", "e-mail"),
    "status": ("人员状态",),
}

_GENDERS = {
    "男": Gender.MALE,
    "男性": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "女": Gender.FEMALE,
    "女性": Gender.FEMALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
}
_STATUSES = {
    "在职": MemberStatus.ACTIVE,
    "在岗": MemberStatus.ACTIVE,
    "active": MemberStatus.ACTIVE,
    "退休": MemberStatus.RETIRED,
    "retired": MemberStatus.RETIRED,
    "离职": MemberStatus.LEFT,
    "调离": MemberStatus.LEFT,
    "left": MemberStatus.LEFT,
}

_ZIP_MAGIC = b"PK\x03\x04"
# Compound File Binary: legacy .xls, and also any password-protected .xlsx, which Excel wraps in this container.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # Excel's "Unicode text" export
_CSV_DELIMITERS = (",", ";", "\t")
# A title row or two above the header is common in hand-made Chinese rosters ("XX大学工会会员名册").
_HEADER_SEARCH_ROWS = 10

# Zero-width characters and soft hyphens arrive with text pasted from web pages and chat apps; NFKC keeps them.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
_WHITESPACE = re.compile(r"\s+")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HEADER_NOISE = re.compile(r"[\s_\-.*]")  # "*" marks required columns in many templates

_STAFF_NO = re.compile(r"[A-Z0-9-]{3,20}")

_CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Variants of the separator in transliterated minority and foreign names, as typed with different input methods.
_NAME_DOTS = re.compile("[\u00b7\u2022\u2027\u2219\u22c5\u2e31\u30fb]")
_FULL_STOP_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s*\.\s*(?=[{_CJK}])")
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}·])\s+(?=[{_CJK}·])")
_NAME_FORBIDDEN = re.compile(r"[\d\x00-\x1f\x7f-\x9f]")

_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Excel's 1900 date system counts from 1899-12-31 but includes a 29 February 1900 that never happened (kept from
# Lotus 1-2-3): serial 60 is that day, and from 61 on the count behaves as if it started on 1899-12-30.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_PHANTOM_LEAP_DAY = 60
_EXCEL_SERIALS = range(1, 100_000)  # up to the year 2173; larger numbers are no one's birth date

_MOBILE = re.compile(r"(?:\+?86|0086)?(1[3-9]\d{9})")
# Area codes 010 and 020-029 have three digits, all others four: that splits a landline however it was punctuated.
_LANDLINE = re.compile(r"(01\d|02\d|0[3-9]\d{2})([2-9]\d{6,7})")
_PHONE_NOISE = re.compile(r"[\s()\-]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_MAX_EMAIL_LENGTH = 254

_SHOWN_VALUE_LENGTH = 50


def mobile_number(text: str) -> str | None:
    """The 11-digit mainland mobile number ``text`` is (a prefix +86 and spaces or dashes allowed), else None."""
    found = _MOBILE.fullmatch(_PHONE_NOISE.sub("", text))
    return found.group(1) if found else None


def email_address(text: str) -> str | None:
    """``text`` as an e-mail address (lower case, no spaces) if it is one, else None."""
    email = text.strip().lower()
    return email if len(email) <= _MAX_EMAIL_LENGTH and _EMAIL.fullmatch(email) else None


class RosterRow(NamedTuple):
    """One valid row, normalised; ``row_number`` is the row as the admin sees it in the file (header is row 1)."""

    row_number: int
    staff_no: str
    name: str
    gender: Gender
    birth_date: date
    unit_id: str
    phone: str | None
    email: str | None
    status: MemberStatus

    def to_member(self) -> Member:
        return Member(
            staff_no=self.staff_no,
            name=self.name,
            gender=self.gender,
            birth_date=self.birth_date,
            unit_id=self.unit_id,
            status=self.status,
            phone=self.phone,
            email=self.email,
        )


@dataclass(frozen=True)
class RosterProblem:
    """One reason the file is rejected.

    ``row`` is 0 for problems with the file as a whole, the header's row for header problems, else the data row;
    ``column`` is a key of COLUMN_HEADERS, or "" for the file as a whole.
    """

    row: int
    column: str
    code: str
    message: str  # a message id, worded with ``params`` by chalicelib.services.roster_import.problem_text
    params: Mapping[str, object] = field(default_factory=dict)
    value: str = ""
    # The message says what is wrong with the cell at (row, column); the wording puts "row N, column:" before it.
    in_cell: bool = False


class RosterResult(NamedTuple):
    rows: tuple[RosterRow, ...]
    problems: tuple[RosterProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


class RosterFileError(Exception):
    """The upload cannot be read as a table at all (too large, not a spreadsheet, empty)."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.message = message  # a message id, worded with ``params``
        self.params = params


@dataclass(frozen=True)
class _Issue:
    """What is wrong with one cell, before it is placed at a row and column."""

    code: str
    message: str  # a message id, worded with ``params``
    params: Mapping[str, object] = field(default_factory=dict)


def unit_lookup_key(text: str) -> str:
    """How a sub-union is named in a roster and in the lookup: case, width and spacing do not matter."""
    return _WHITESPACE.sub("", _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).casefold())


def parse_roster(data: bytes, filename: str, unit_lookup: Mapping[str, str], today: date) -> RosterResult:
    """Read and validate an upload; a file that cannot be read becomes a problem at row 0 instead of an exception.

    A sheet past a limit (chalicelib.domain.xlsx_guard) raises ``XlsxRefused``: its code and figures, which the
    service words (``chalicelib.services.roster_import.spreadsheet_problem``)."""
    try:
        table = read_table(data, filename)
    except RosterFileError as error:
        return _file_problem(error)
    return validate_roster(table, unit_lookup, today)


# -- reading ---------------------------------------------------------------------------------------------------------


def read_table(data: bytes, filename: str) -> list[list[object]]:
    """The cells of the first sheet of an XLSX, or of a CSV, row by row; blank rows kept so row numbers match."""
    if len(data) > MAX_ROSTER_BYTES:
        size, limit = _megabytes(len(data)), _megabytes(MAX_ROSTER_BYTES)
        raise RosterFileError("too_large", N_("roster.file.too_large"), size=size, limit=limit)
    if not data:
        raise _empty_file()
    if data.startswith(_OLE_MAGIC):
        raise RosterFileError("not_a_spreadsheet", N_("roster.file.old_or_encrypted"))
    if data.startswith(_ZIP_MAGIC):
        table = _read_xlsx(data)
    elif filename.lower().endswith((".xlsx", ".xlsm")):
        raise RosterFileError("not_a_spreadsheet", N_("roster.file.not_a_workbook"))
    else:
        table = _read_csv(data)
    if not table:
        raise _empty_file()
    return table


def _read_xlsx(data: bytes) -> list[list[object]]:
    """The first sheet's cells, once the archive has passed the limits (XLSX bombs: parts that unpack to far more
    than they weigh, a sheet of a million rows), read only up to MAX_SHEET_ROWS."""
    # Imported here: openpyxl is slow to import and only imports need it, so other requests start faster on Lambda.
    from openpyxl import load_workbook

    # openpyxl fails on damaged packages and on zips that are not workbooks (.docx, .ods, .zip) with many different
    # exception types; for the admin they all mean the same thing.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_workbook(archive, XLSX_LIMITS)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except XlsxRefused:
        raise
    except Exception as error:
        raise _not_a_spreadsheet() from error
    try:
        if not workbook.worksheets:
            return []
        sheet = workbook.worksheets[0]
        # The size a sheet declares is often wrong in files written by other tools; trust the cells instead.
        sheet.reset_dimensions()
        return _collect(sheet.iter_rows(max_row=MAX_SHEET_ROWS, values_only=True))
    except (XlsxRefused, RosterFileError):
        raise
    except Exception as error:
        raise _not_a_spreadsheet() from error
    finally:
        workbook.close()


def _read_csv(data: bytes) -> list[list[object]]:
    text = _decode(data)
    if text.lstrip().startswith("<"):
        # Many office systems export an HTML or XML table named .xls; Excel opens it, we cannot.
        raise RosterFileError("not_a_spreadsheet", N_("roster.file.web_page"))
    try:
        return _collect(csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text)))
    except csv.Error as error:
        raise _not_a_spreadsheet() from error


def _decode(data: bytes) -> str:
    if data.startswith(_UTF16_BOMS):
        encodings: tuple[str, ...] = ("utf-16",)
    elif b"\x00" in data:
        raise _not_a_spreadsheet()
    else:
        # Excel on Chinese Windows saves "CSV" in the ANSI code page (GBK), which gb18030 includes.
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            break
        return text
    raise _not_a_spreadsheet()


def _sniff_delimiter(text: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    return max(_CSV_DELIMITERS, key=header.count)  # a tie, e.g. a one-column file, keeps the comma


def _collect(rows: Iterable[Sequence[object]]) -> list[list[object]]:
    """Rows as lists, without trailing blank rows, and no more than validation needs to report too_many_rows.

    Blank rows below the data are never materialised; a row with data past MAX_SHEET_ROWS refuses the file, and text
    is cut to MAX_CELL_CHARS.
    """
    table: list[list[object]] = []
    blank_run = 0
    filled = 0
    for number, row in enumerate(rows, start=1):
        if _is_blank(row):
            blank_run += 1
            continue
        if number > MAX_SHEET_ROWS:
            raise XlsxRefused("too_many_rows", rows=number, limit=MAX_SHEET_ROWS)
        table.extend([] for _ in range(blank_run))
        blank_run = 0
        table.append([value[:MAX_CELL_CHARS] if isinstance(value, str) else value for value in row])
        filled += 1
        if filled > MAX_ROSTER_ROWS + _HEADER_SEARCH_ROWS:
            break
    return table


# -- validating ------------------------------------------------------------------------------------------------------


def validate_roster(table: Sequence[Sequence[object]], unit_lookup: Mapping[str, str], today: date) -> RosterResult:
    """Check every row of a table read from a roster file and report all problems, not just the first."""
    numbered = [(index + 1, row) for index, row in enumerate(table) if not _is_blank(row)]
    if not numbered:
        return _file_problem(_empty_file())
    header_at = _find_header(numbered)
    header_row, header = numbered[header_at]
    columns, header_problems = _match_header(header, header_row)
    if header_problems:
        return RosterResult((), tuple(header_problems))
    data = numbered[header_at + 1 :]
    if not data:
        return _file_problem(RosterFileError("empty_file", N_("roster.file.header_only")))
    if len(data) > MAX_ROSTER_ROWS:
        too_many = RosterFileError(
            "too_many_rows", N_("roster.file.too_many_rows"), rows=len(data), limit=MAX_ROSTER_ROWS
        )
        return _file_problem(too_many)

    rows: list[RosterRow] = []
    problems: list[RosterProblem] = []
    first_row_of: dict[str, int] = {}
    for row_number, cells in data:
        row, row_problems = _validate_row(row_number, cells, columns, unit_lookup, today, first_row_of)
        if row is not None:
            rows.append(row)
        problems.extend(row_problems)

    if len(problems) > MAX_REPORTED_PROBLEMS:
        hidden = len(problems) - MAX_REPORTED_PROBLEMS
        problems = problems[:MAX_REPORTED_PROBLEMS]
        problems.append(RosterProblem(0, "", "more_problems", N_("roster.more_problems"), {"count": hidden}))
    return RosterResult(tuple(rows), tuple(problems))


def _find_header(numbered: Sequence[tuple[int, Sequence[object]]]) -> int:
    """Index of the header among the non-blank rows: the first that names two known columns, else the first row."""
    for index, (_, cells) in enumerate(numbered[:_HEADER_SEARCH_ROWS]):
        if len({_HEADER_KEYS.get(_header_key(_text(cell))) for cell in cells} - {None}) >= 2:
            return index
    return 0


def _match_header(header: Sequence[object], row: int) -> tuple[dict[str, int], list[RosterProblem]]:
    positions: dict[str, int] = {}
    problems: list[RosterProblem] = []
    for index, cell in enumerate(header):
        text = _text(cell)
        column = _HEADER_KEYS.get(_header_key(text))
        if column is None:
            continue  # extra columns such as 序号 or 备注 are the admin's own business
        if column in positions:
            zh, en = COLUMN_HEADERS[column]
            first = _text(header[positions[column]])
            params = {"row": row, "first": first, "text": text, "header_zh": zh, "header_en": en}
            problems.append(
                RosterProblem(row, column, "duplicate_column", N_("roster.header.duplicate"), params, _shown(text))
            )
            continue
        positions[column] = index
    for column in REQUIRED_COLUMNS:
        if column not in positions:
            zh, en = COLUMN_HEADERS[column]
            params = {"row": row, "header_zh": zh, "header_en": en}
            problems.append(RosterProblem(row, column, "missing_column", N_("roster.header.missing"), params))
    return positions, problems


def _validate_row(
    row_number: int,
    cells: Sequence[object],
    columns: Mapping[str, int],
    unit_lookup: Mapping[str, str],
    today: date,
    first_row_of: dict[str, int],
) -> tuple[RosterRow | None, list[RosterProblem]]:
    """The row, if valid, and its problems; records the row's staff number in ``first_row_of`` for duplicates."""
    raw = {column: cells[index] if index < len(cells) else None for column, index in columns.items()}
    problems: list[RosterProblem] = []

    def check[T](column: str, parse: Callable[[object], T | _Issue]) -> T | None:
        value = raw.get(column)
        if column in REQUIRED_COLUMNS and _text(value) == "":
            result: T | _Issue = _Issue("required", N_("roster.cell.required"))
        else:
            result = parse(value)
        if isinstance(result, _Issue):
            problems.append(_row_problem(row_number, column, result, value))
            return None
        return result

    staff_no = check("staff_no", _parse_staff_no)
    name = check("name", _parse_name)
    gender = check("gender", _parse_gender)
    birth_date = check("birth_date", lambda value: _parse_birth_date(value, today))
    unit_id = check("unit", lambda value: _parse_unit(value, unit_lookup))
    phone = check("phone", _parse_phone)
    email = check("email", _parse_email)
    status = check("status", _parse_status)

    if staff_no is not None:
        first = first_row_of.setdefault(staff_no, row_number)
        if first != row_number:
            issue = _Issue(
                "duplicate_staff_no", N_("roster.cell.duplicate_staff_no"), {"staff_no": staff_no, "first": first}
            )
            problems.append(_row_problem(row_number, "staff_no", issue, raw["staff_no"]))

    if problems:
        return None, problems
    # No problem: every required column was read (check() records a problem for each one it could not read).
    assert staff_no is not None and name is not None and gender is not None and birth_date is not None
    assert unit_id is not None and status is not None
    return RosterRow(row_number, staff_no, name, gender, birth_date, unit_id, phone, email, status), []


def _parse_staff_no(value: object) -> str | _Issue:
    staff_no = _WHITESPACE.sub("", _text(value)).upper()
    if _STAFF_NO.fullmatch(staff_no):
        return staff_no
    shown = _shown(staff_no)
    return _Issue("bad_staff_no", N_("roster.cell.bad_staff_no"), {"value": shown})


def _parse_name(value: object) -> str | _Issue:
    name = _WHITESPACE.sub(" ", _text(value))
    name = _NAME_DOTS.sub("·", name)
    name = _FULL_STOP_BETWEEN_CJK.sub("·", name)
    name = _SPACE_BETWEEN_CJK.sub("", name)
    if _NAME_FORBIDDEN.search(name):
        return _Issue("bad_name", N_("roster.cell.name_characters"))
    if len(name) > MAX_NAME_LENGTH:
        return _Issue("bad_name", N_("roster.cell.name_too_long"), {"limit": MAX_NAME_LENGTH})
    return name


def _parse_gender(value: object) -> Gender | _Issue:
    text = _text(value)
    gender = _GENDERS.get(text.casefold())
    if gender is not None:
        return gender
    shown = _shown(text)
    return _Issue("bad_gender", N_("roster.cell.bad_gender"), {"value": shown})


def _parse_birth_date(value: object, today: date) -> date | _Issue:
    born = _to_date(value)
    if born is None:
        shown = _shown(_text(value))
        return _Issue("bad_date", N_("roster.cell.bad_date"), {"value": shown})
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if not MIN_AGE <= age <= MAX_AGE:
        params = {"born": born.isoformat(), "age": age, "min": MIN_AGE, "max": MAX_AGE}
        return _Issue("age_out_of_range", N_("roster.cell.age_out_of_range"), params)
    return born


def _to_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _date_from_number(value)
    text = _text(value)
    if match := _DATE.fullmatch(text):
        return _calendar_date(*(int(part) for part in match.groups()))
    if _NUMBER.fullmatch(text):
        return _date_from_number(float(text))
    return None


def _date_from_number(number: float) -> date | None:
    """An 8-digit number as yyyymmdd (typed into a number cell), anything else as an Excel date serial."""
    whole = int(number)
    if 10_000_000 <= whole <= 99_999_999:
        return _calendar_date(whole // 10_000, whole // 100 % 100, whole % 100)
    if whole not in _EXCEL_SERIALS or whole == _EXCEL_PHANTOM_LEAP_DAY:
        return None
    return _EXCEL_EPOCH + timedelta(days=whole if whole > _EXCEL_PHANTOM_LEAP_DAY else whole + 1)


def _calendar_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _parse_unit(value: object, unit_lookup: Mapping[str, str]) -> str | _Issue:
    text = _text(value)
    unit_id = unit_lookup.get(unit_lookup_key(text))
    if unit_id is not None:
        return unit_id
    shown = _shown(text)
    return _Issue("unknown_unit", N_("roster.cell.unknown_unit"), {"value": shown})


def _parse_phone(value: object) -> str | _Issue | None:
    text = _text(value)
    if not text:
        return None
    digits = _PHONE_NOISE.sub("", text)
    if mobile := _MOBILE.fullmatch(digits):
        return mobile.group(1)
    if landline := _LANDLINE.fullmatch(digits):
        return "-".join(landline.groups())
    shown = _shown(text)
    return _Issue("bad_phone", N_("roster.cell.bad_phone"), {"value": shown})


def _parse_email(value: object) -> str | _Issue | None:
    email = _WHITESPACE.sub("", _text(value)).lower()
    if not email:
        return None
    if len(email) <= _MAX_EMAIL_LENGTH and _EMAIL.fullmatch(email):
        return email
    shown = _shown(email)
    return _Issue("bad_email", N_("roster.cell.bad_email"), {"value": shown})


def _parse_status(value: object) -> MemberStatus | _Issue:
    text = _text(value)
    if not text:
        return MemberStatus.ACTIVE
    status = _STATUSES.get(text.casefold())
    if status is not None:
        return status
    shown = _shown(text)
    return _Issue("bad_status", N_("roster.cell.bad_status"), {"value": shown})


# -- helpers ---------------------------------------------------------------------------------------------------------


def _text(value: object) -> str:
    """A cell as text: full-width letters, digits and spaces made half-width, invisible characters and edges removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number cell can come back as 2011042.0; 工号 and 手机号 want just the digits
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", str(value))).strip()


def _is_blank(row: Sequence[object]) -> bool:
    return all(_text(cell) == "" for cell in row)


def _header_key(text: str) -> str:
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text).casefold())


_HEADER_KEYS: dict[str, str] = {
    _header_key(header): column
    for column, synonyms in _HEADER_SYNONYMS.items()
    for header in (*COLUMN_HEADERS[column], *synonyms)
}


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN_VALUE_LENGTH else text[:_SHOWN_VALUE_LENGTH] + "…"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _row_problem(row: int, column: str, issue: _Issue, value: object) -> RosterProblem:
    return RosterProblem(row, column, issue.code, issue.message, issue.params, _shown(_text(value)), in_cell=True)


def _not_a_spreadsheet() -> RosterFileError:
    return RosterFileError("not_a_spreadsheet", N_("roster.file.unreadable"))


def refusal_message(refused: XlsxRefused) -> tuple[str, dict[str, object]]:
    """The message id and parameters that word a sheet past a limit (sizes in MB), for the service to translate."""
    params = {
        name: _megabytes(value)
        if isinstance(value, int) and name in ("size", "limit") and refused.code in _BYTE_LIMITS
        else value
        for name, value in refused.params.items()
    }
    return SPREADSHEET_MESSAGES[refused.code], params


_BYTE_LIMITS = ("part_too_large", "too_large_unpacked")
# A workbook refused by chalicelib.domain.xlsx_guard, by the refusal's code.
SPREADSHEET_MESSAGES = {
    "too_many_parts": N_("spreadsheet.too_many_parts"),
    "part_too_large": N_("spreadsheet.part_too_large"),
    "too_large_unpacked": N_("spreadsheet.too_large_unpacked"),
    "compression_ratio": N_("spreadsheet.compression_ratio"),
    "too_many_rows": N_("spreadsheet.too_many_rows"),
    "too_many_cells": N_("spreadsheet.too_many_cells"),
}


def _empty_file() -> RosterFileError:
    return RosterFileError("empty_file", N_("roster.file.empty"))


def _file_problem(error: RosterFileError) -> RosterResult:
    return RosterResult((), (RosterProblem(0, "", error.code, error.message, error.params),))
