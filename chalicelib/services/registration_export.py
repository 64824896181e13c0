"""An event's registrations as files organisers download: an XLSX workbook, a CSV table and a per-unit summary.

Pure: records in, bytes out; the caller reads storage, checks permissions and sends the headers. Every cell goes
through chalicelib.domain.cells.safe_cell as it is written (names, form answers, titles and reasons come from people:
they are data, never formulas, and hold only what an XLSX can). CSV files are UTF-8 with a BOM so that Excel and WPS
open the Chinese intact.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.cells import XLSX_TIME_FORMAT, csv_bytes, csv_cell, safe_row, xlsx_row
from chalicelib.domain.records import SERIES, Event, Registration, RegistrationState
from chalicelib.i18n import N_, answer_text, translate

# The workbook is in Chinese (EXPORT_LANGUAGE); headers, sheet names and labels are message ids.
EXPORT_LANGUAGE = "zh"
BASE_HEADERS = (
    N_("export.registrations.col.number"),
    N_("export.registrations.col.staff_no"),
    N_("export.registrations.col.name"),
    N_("export.registrations.col.unit"),
    N_("export.registrations.col.session"),
    N_("export.registrations.col.state"),
    N_("export.registrations.col.waiting_position"),
    N_("export.registrations.col.registered_at"),
    N_("export.registrations.col.updated_at"),
    N_("export.registrations.col.added_by"),
    N_("export.registrations.col.reason"),
)
INFO_SHEET = N_("export.registrations.sheet.info")
WHOLE_EVENT = N_("export.registrations.whole_event")
NO_LIMIT = N_("export.registrations.no_limit")

# Also the order of rows and of sheets (a sheet's name: at most 31 characters, none of []:*?/\\).
STATE_LABELS: dict[RegistrationState, str] = {
    RegistrationState.CONFIRMED: N_("export.registrations.state.confirmed"),
    RegistrationState.WAITING: N_("export.registrations.state.waiting"),
    RegistrationState.PENDING: N_("export.registrations.state.pending"),
    RegistrationState.AWAITING_PARTNER: N_("export.registrations.state.awaiting_partner"),
    RegistrationState.INVITED: N_("export.registrations.state.invited"),
    RegistrationState.PARTNER: N_("export.registrations.state.partner"),
    RegistrationState.TEAM: N_("export.registrations.state.team"),
    RegistrationState.CANCELLED: N_("export.registrations.state.cancelled"),
    RegistrationState.REMOVED: N_("export.registrations.state.removed"),
    RegistrationState.REJECTED: N_("export.registrations.state.rejected"),
}
_STATE_ORDER = {state: index for index, state in enumerate(STATE_LABELS)}

FILENAME_TITLE_LENGTH = 40
FILENAME_PREFIX = N_("export.registrations.filename")
_TIME_FORMAT = "%Y-%m-%d %H:%M"

# Not allowed in file names on Windows (the strictest of the systems organisers use), plus controls.
_FILENAME_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_FALLBACK_STEM = "registrations"
_ASCII_SAFE_FILENAME = re.compile(r"[A-Za-z0-9._()\- ]+")

_MIN_WIDTH = 6
_MAX_WIDTH = 50


# -- rows ------------------------------------------------------------------------------------------------------------


def registration_rows(
    event: Event,
    registrations: Sequence[Registration],
    unit_names: Mapping[str, str],
    session_labels: Mapping[str, str],
    positions: Mapping[tuple[str, str], int] | None = None,
    staff_names: Mapping[str, str] | None = None,
) -> tuple[list[str], list[list[object]]]:
    """Headers and rows of all registrations, numbered 1..n in 序号, as values (the writers make the cells safe).

    Rows come in state order (confirmed, waiting, cancelled, removed), then by scope (the whole event first, then
    sessions in the order of ``session_labels``, then any other scope by id), then by registration time; waiting
    rows whose position is known come in waiting-list order. ``positions`` maps (scope, staff_no) to the place on
    the waiting list (1 = next). ``staff_names``: names of the admins who entered members (录入人), by 工号.
    Times are ``datetime`` values: the writers make them date cells (XLSX) or text (CSV), in China time.
    """
    headers = _headers(event)
    rows: list[list[object]] = []
    grouped = _grouped_rows(event, registrations, unit_names, session_labels, positions or {}, staff_names or {})
    for group in grouped.values():
        rows.extend(group)
    return headers, _numbered(rows)


def registrations_csv(
    event: Event,
    registrations: Sequence[Registration],
    unit_names: Mapping[str, str],
    session_labels: Mapping[str, str],
    positions: Mapping[tuple[str, str], int] | None = None,
    staff_names: Mapping[str, str] | None = None,
) -> bytes:
    """All registrations in one table (the 状态 column tells them apart): UTF-8 with a BOM, CRLF line ends."""
    headers, rows = registration_rows(event, registrations, unit_names, session_labels, positions, staff_names)
    return csv_bytes(headers, rows)


def registrations_xlsx(
    event: Event,
    registrations: Sequence[Registration],
    unit_names: Mapping[str, str],
    session_labels: Mapping[str, str],
    positions: Mapping[tuple[str, str], int] | None = None,
    staff_names: Mapping[str, str] | None = None,
) -> bytes:
    """A workbook: "活动信息" first, then one sheet per state that has registrations (序号 counts from 1 on each).

    With no registrations at all there is still an "已确认" sheet holding only the headers.
    """
    # Imported here: openpyxl is slow to import and only exports need it, so other requests start faster on Lambda.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    headers = _headers(event)
    groups = _grouped_rows(event, registrations, unit_names, session_labels, positions or {}, staff_names or {})
    if not groups:
        groups = {RegistrationState.CONFIRMED: []}

    workbook = Workbook()
    info = workbook.worksheets[0]  # the sheet a new workbook starts with
    info.title = _text(INFO_SHEET)
    for label, value in _event_info(event, registrations):
        info.append(safe_row([label, value]))
    for row in info.iter_rows(min_col=1, max_col=1):
        for cell in row:
            cell.font = Font(bold=True)
    for row in info.iter_rows(min_col=2, max_col=2):
        for cell in row:
            cell.alignment = Alignment(horizontal="left", wrap_text=True)
    info.column_dimensions["A"].width = 14
    info.column_dimensions["B"].width = 60

    for state, rows in groups.items():
        table_sheet(workbook, _text(STATE_LABELS[state]), headers, _numbered(rows))
    return workbook_bytes(workbook)


def table_sheet(workbook: Any, title: str, headers: Sequence[object], rows: Sequence[Sequence[object]]) -> None:
    """A new sheet holding one table (the exports' one writer): a bold header row, frozen, with a filter, and columns
    as wide as their text. ``workbook``: an openpyxl Workbook (imported only by exports)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    sheet.append(safe_row(headers))
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    for values in rows:
        sheet.append(xlsx_row(values))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime):  # a time: a date cell shown to the minute (chalicelib.domain.cells)
                cell.number_format = XLSX_TIME_FORMAT
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    for index, width in enumerate(column_widths(headers, rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def workbook_bytes(workbook: Any) -> bytes:
    """The saved .xlsx file."""
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _text(key: str, **params: object) -> str:
    """A message of the workbook, in its language."""
    return translate(key, EXPORT_LANGUAGE, **params)


def _headers(event: Event) -> list[str]:
    return [*map(_text, BASE_HEADERS), *(question.label_zh for question in event.form)]


def _grouped_rows(
    event: Event,
    registrations: Sequence[Registration],
    unit_names: Mapping[str, str],
    session_labels: Mapping[str, str],
    positions: Mapping[tuple[str, str], int],
    staff_names: Mapping[str, str],
) -> dict[RegistrationState, list[list[object]]]:
    """Rows without 序号 (a placeholder 0 in its place), by state in state order; states without rows left out."""
    scope_order = {scope: index for index, scope in enumerate(session_labels)}

    def order(registration: Registration) -> tuple[Any, ...]:
        state = RegistrationState(registration.state)
        scope = registration.scope
        scope_key = (0, 0, "") if scope == SERIES else (1, scope_order.get(scope, len(scope_order)), scope)
        position = positions.get((scope, registration.staff_no)) if state == RegistrationState.WAITING else None
        return (
            _STATE_ORDER[state],
            scope_key,
            position if position is not None else math.inf,
            _utc(registration.registered_at),
            registration.staff_no,
        )

    groups: dict[RegistrationState, list[list[object]]] = {}
    for registration in sorted(registrations, key=order):
        state = RegistrationState(registration.state)
        row = _row(event, registration, unit_names, session_labels, positions, staff_names)
        groups.setdefault(state, []).append(row)
    return groups


def _row(
    event: Event,
    registration: Registration,
    unit_names: Mapping[str, str],
    session_labels: Mapping[str, str],
    positions: Mapping[tuple[str, str], int],
    staff_names: Mapping[str, str],
) -> list[object]:
    state = RegistrationState(registration.state)
    scope = registration.scope
    position: object = ""
    if state == RegistrationState.WAITING:
        known = positions.get((scope, registration.staff_no))
        position = known if known is not None else ""
    answers = registration.answers or {}
    return [
        0,  # 序号, set once the rows are in their final order
        registration.staff_no,
        registration.name,
        unit_names.get(registration.unit_id, registration.unit_id),
        _text(WHOLE_EVENT) if scope == SERIES else session_labels.get(scope, scope),
        _text(STATE_LABELS[state]),
        position,
        registration.registered_at,
        registration.updated_at,
        staff_cell(registration.added_by, staff_names),
        registration.reason or "",
        *(answer_text(question, answers.get(question.question_id), "zh") for question in event.form),
    ]


def _numbered(rows: Sequence[Sequence[object]]) -> list[list[object]]:
    return [[number, *row[1:]] for number, row in enumerate(rows, start=1)]


# -- file names ------------------------------------------------------------------------------------------------------


def export_filename(event: Event, suffix: str, prefix: str | None = None) -> str:
    """E.g. "报名名单-教职工羽毛球赛.xlsx"; ``suffix`` is the extension, with or without its dot.

    The title is cut to 40 characters and characters file systems refuse are replaced by "_".
    """
    title = _FILENAME_FORBIDDEN.sub("_", unicodedata.normalize("NFC", event.title_zh).strip())
    title = title[:FILENAME_TITLE_LENGTH].strip(" .") or _FILENAME_FORBIDDEN.sub("_", event.event_id)
    extension = suffix if suffix.startswith(".") or not suffix else f".{suffix}"
    return f"{prefix or _text(FILENAME_PREFIX)}-{title}{extension}"


def content_disposition(filename: str, fallback_stem: str = _FALLBACK_STEM) -> str:
    """An attachment header (RFC 6266) with an ASCII ``filename`` for old clients (``fallback_stem`` and the
    extension when the name is not ASCII) and the real name in ``filename*`` (RFC 5987, UTF-8, percent-encoded)."""
    extension = PurePath(filename).suffix
    if _ASCII_SAFE_FILENAME.fullmatch(filename):
        fallback = filename
    elif re.fullmatch(r"\.[A-Za-z0-9]{1,10}", extension):
        fallback = fallback_stem + extension
    else:
        fallback = fallback_stem
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _utc(moment: datetime) -> datetime:
    # Storage hands back aware datetimes; a naive one is taken as UTC rather than as the server's local time.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def staff_cell(staff_no: str | None, names: Mapping[str, str]) -> str:
    """A staff member as the exports name them: "王老师（A0001）", or the 工号 alone when the name is unknown."""
    if not staff_no:
        return ""
    name = names.get(staff_no)
    return f"{name}（{staff_no}）" if name and name != staff_no else staff_no


def china_time(moment: datetime | None) -> str:
    return "" if moment is None else _utc(moment).astimezone(CHINA_TZ).strftime(_TIME_FORMAT)


def _event_info(event: Event, registrations: Sequence[Registration]) -> list[tuple[str, object]]:
    counts = dict.fromkeys(STATE_LABELS, 0)
    for registration in registrations:
        counts[RegistrationState(registration.state)] += 1
    venue = " ".join(part for part in (event.campus, event.venue) if part)
    info: list[tuple[str, object]] = [(_text(N_("export.registrations.info.title")), event.title_zh)]
    if event.title_en:
        info.append((_text(N_("export.registrations.info.title_en")), event.title_en))
    info += [
        (_text(N_("export.registrations.info.time")), _time_range(event.starts_at, event.ends_at)),
        (_text(N_("export.registrations.info.venue")), venue),
        (
            _text(N_("export.registrations.info.capacity")),
            event.capacity if event.capacity is not None else _text(NO_LIMIT),
        ),
        *(
            (_text(N_("export.registrations.info.count"), state=_text(label)), counts[state])
            for state, label in STATE_LABELS.items()
        ),
    ]
    return info


def _time_range(starts_at: datetime, ends_at: datetime) -> str:
    start = _utc(starts_at).astimezone(CHINA_TZ)
    end = _utc(ends_at).astimezone(CHINA_TZ)
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
    return _text(N_("export.registrations.time_range"), start=f"{start:%Y-%m-%d %H:%M}", end=f"{end:%Y-%m-%d %H:%M}")


def column_widths(headers: Sequence[object], rows: Sequence[Sequence[object]]) -> list[float]:
    """Widths in Excel's units (about one Latin character), counting a Chinese character as two, within bounds."""
    widths = [_display_width(header) for header in headers]
    for row in rows:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _display_width(value))
    return [min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH) for width in widths]


def _display_width(value: object) -> int:
    lines = str(csv_cell(value)).splitlines() or [""]  # a time as it shows (2026-04-18 08:05)
    return max(sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line) for line in lines)
