"""An event's attendance as files organisers download: an XLSX workbook and a CSV table.

Pure: an attendance report (chalicelib.services.checkin.attendance, already narrowed to what the caller may see)
in, bytes out. Every cell goes through chalicelib.domain.cells.safe_cell as it is written: text a spreadsheet would
run as a formula is neutralised, characters an XLSX cannot hold are dropped, CSV is UTF-8 with a BOM and CRLF.

The CSV holds the per-member summary (a column per point, attended, percent, completed): one table can hold only
one thing, and what organisers act on after an event is who attended and who completed (credit hours, certificates,
reminders to no-shows); the full log of check-ins (when, by whom, where) is the workbook's first sheet.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from chalicelib.domain.cells import csv_bytes
from chalicelib.domain.checkin import CompletionRule, MemberAttendance, completion_rule, no_shows, unit_attendance
from chalicelib.domain.records import CheckIn, CheckinConflict, CheckinMethod, ConflictKind, Event, RegistrationState
from chalicelib.i18n import N_, translate
from chalicelib.services.registration_export import (
    EXPORT_LANGUAGE,
    STATE_LABELS,
    china_time,
    staff_cell,
    table_sheet,
    workbook_bytes,
)
from chalicelib.services.registration_export import export_filename as _named_export

if TYPE_CHECKING:  # the report's type only: this module stays free of storage
    from chalicelib.services.checkin import Attendance

# The workbook is in Chinese (EXPORT_LANGUAGE, as the registrations workbook); the names below are message ids.
CHECK_INS_SHEET = N_("export.attendance.sheet.check_ins")
SUMMARY_SHEET = N_("export.attendance.sheet.summary")
NO_SHOWS_SHEET = N_("export.attendance.sheet.no_shows")
UNITS_SHEET = N_("export.attendance.sheet.units")
CONFLICTS_SHEET = N_("export.attendance.sheet.conflicts")
FILENAME_PREFIX = N_("export.attendance.filename")

CHECK_IN_HEADERS = (
    N_("export.attendance.col.number"),
    N_("export.attendance.col.name"),
    N_("export.attendance.col.staff_no"),
    N_("export.attendance.col.unit"),
    N_("export.attendance.col.point"),
    N_("export.attendance.col.checked_in_at"),
    N_("export.attendance.col.by"),
    N_("export.attendance.col.method"),
    N_("export.attendance.col.station"),
    N_("export.attendance.col.offline"),
)
NO_SHOW_HEADERS = (
    N_("export.attendance.col.point"),
    N_("export.attendance.col.staff_no"),
    N_("export.attendance.col.name"),
    N_("export.attendance.col.unit"),
)
UNIT_HEADERS = (
    N_("export.attendance.col.unit"),
    N_("export.attendance.col.registered"),
    N_("export.attendance.col.attended"),
    N_("export.attendance.col.completed"),
    N_("export.attendance.col.rate"),
)
CONFLICT_HEADERS = (
    N_("export.attendance.col.kind"),
    N_("export.attendance.col.point"),
    N_("export.attendance.col.staff_no"),
    N_("export.attendance.col.name"),
    N_("export.attendance.col.at"),
    N_("export.attendance.col.by"),
    N_("export.attendance.col.station"),
    N_("export.attendance.col.note"),
)
TOTAL_LABEL = N_("export.attendance.total")
ATTENDED_MARK = "✓"
ABSENT_MARK = "—"
YES, NO = N_("export.attendance.yes"), N_("export.attendance.no")

METHOD_LABELS = {
    CheckinMethod.SCAN: N_("export.attendance.method.scan"),
    CheckinMethod.MANUAL: N_("export.attendance.method.manual"),
    CheckinMethod.SELF: N_("export.attendance.method.self"),
}
CONFLICT_LABELS = {
    ConflictKind.DOUBLE_ADMIT: N_("export.attendance.conflict.double_admit"),
    ConflictKind.NOT_ADMITTED: N_("export.attendance.conflict.not_admitted"),
    ConflictKind.UNKNOWN: N_("export.attendance.conflict.unknown"),
}


def _text(key: str, **params: object) -> str:
    """A message of the workbook, in its language."""
    return translate(key, EXPORT_LANGUAGE, **params)


def _texts(keys: tuple[str, ...]) -> list[str]:
    return [_text(key) for key in keys]


# -- the workbook ----------------------------------------------------------------------------------------------------


def attendance_xlsx(
    report: Attendance,
    unit_names: Mapping[str, str],
    point_labels: Mapping[str, str],
    *,
    organiser: bool = True,
    staff_names: Mapping[str, str] | None = None,
) -> bytes:
    """Sheets: 签到记录 (every check-in), 出勤汇总 (per member), 缺席 (no-shows per point), 各单位 (per unit) and, for
    the organisers (``organiser``), 冲突 — left out for a unit admin, whose report has no conflicts, so that an
    empty sheet does not read as "none". Staff are named "name（工号）" from ``staff_names`` (by 工号:
    chalicelib.services.checkin_views.checked_in_by); times are date cells in China time."""
    names = staff_names or {}
    # Imported here: openpyxl is slow to import and only exports need it (Lambda cold start).
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the empty sheet a new workbook starts with
    sheets = [
        (CHECK_INS_SHEET, _texts(CHECK_IN_HEADERS), check_in_rows(report, unit_names, point_labels, names)),
        (SUMMARY_SHEET, *summary_rows(report, unit_names, point_labels)),
        (NO_SHOWS_SHEET, _texts(NO_SHOW_HEADERS), no_show_rows(report, unit_names, point_labels)),
        (UNITS_SHEET, _texts(UNIT_HEADERS), unit_rows(report, unit_names)),
    ]
    if organiser:
        sheets.append((CONFLICTS_SHEET, _texts(CONFLICT_HEADERS), conflict_rows(report, point_labels, names)))
    for title, headers, rows in sheets:
        table_sheet(workbook, _text(title), headers, rows)
    return workbook_bytes(workbook)


def attendance_csv(report: Attendance, unit_names: Mapping[str, str], point_labels: Mapping[str, str]) -> bytes:
    """The per-member summary (see the module's docstring for why this table): UTF-8 with a BOM, CRLF line ends."""
    headers, rows = summary_rows(report, unit_names, point_labels)
    return csv_bytes(headers, rows)


def export_filename(event: Event, fmt: str) -> str:
    """E.g. "出勤记录-教职工健步走.xlsx" (the registration export's naming rules)."""
    return _named_export(event, fmt, prefix=_text(FILENAME_PREFIX))


# -- rows ------------------------------------------------------------------------------------------------------------


def check_in_rows(
    report: Attendance,
    unit_names: Mapping[str, str],
    point_labels: Mapping[str, str],
    staff_names: Mapping[str, str] | None = None,
) -> list[list[object]]:
    """Every check-in in the order they happened (the points' order for the same moment), numbered from 1."""
    order = {point.point_id: index for index, point in enumerate(report.points)}
    ordered = sorted(report.check_ins, key=lambda c: (c.at, order.get(c.point_id, len(order)), c.staff_no))
    names = staff_names or {}
    return [_check_in_row(number, c, unit_names, point_labels, names) for number, c in enumerate(ordered, start=1)]


def _check_in_row(
    number: int,
    check_in: CheckIn,
    unit_names: Mapping[str, str],
    point_labels: Mapping[str, str],
    staff_names: Mapping[str, str],
) -> list[object]:
    # Who let them in: as the check-in stored their name, the member themself (self check-in), else as the caller
    # found them, else by 工号.
    names = staff_names
    if check_in.by_name or check_in.by == check_in.staff_no:
        names = {check_in.by: check_in.by_name or check_in.name}
    return [
        number,
        check_in.name,
        check_in.staff_no,
        unit_names.get(check_in.unit_id, check_in.unit_id),
        point_labels.get(check_in.point_id, check_in.point_id),
        check_in.at,
        staff_cell(check_in.by, names),
        _text(METHOD_LABELS[CheckinMethod(check_in.method)]),
        check_in.station or "",
        _text(YES) if check_in.offline else "",
    ]


def summary_rows(
    report: Attendance, unit_names: Mapping[str, str], point_labels: Mapping[str, str]
) -> tuple[list[str], list[list[object]]]:
    """Headers and one row per member: ✓ where they came, — where they were expected and did not, blank where their
    registration does not cover the point (a single session of a class)."""
    point_ids = [point.point_id for point in report.points]
    headers = [
        *_texts(
            (N_("export.attendance.col.staff_no"), N_("export.attendance.col.name"), N_("export.attendance.col.unit"))
        ),
        *(point_labels.get(point, point) for point in point_ids),
        *_texts((N_("export.attendance.col.attended_count"), N_("export.attendance.col.expected_count"))),
        _text(N_("export.attendance.col.rate")),
        _completion_header(report),
    ]
    rows = []
    for line in report.lines:
        marks = [_mark(line, point) for point in point_ids]
        rows.append(
            [
                line.staff_no,
                line.name,
                unit_names.get(line.unit_id, line.unit_id),
                *marks,
                len(line.attended),
                len(line.expected),
                line.percent,
                _text(YES if line.completed else NO),
            ]
        )
    return headers, rows


def _completion_header(report: Attendance) -> str:
    if completion_rule(report.points) is CompletionRule.SHARE:
        return _text(N_("export.attendance.col.completed_share"), percent=report.event.checkin.completion_percent)
    return _text(N_("export.attendance.col.completed_all"))


def _mark(line: MemberAttendance, point_id: str) -> str:
    if point_id not in line.expected:
        return ""
    return ATTENDED_MARK if point_id in line.attended else ABSENT_MARK


def no_show_rows(
    report: Attendance, unit_names: Mapping[str, str], point_labels: Mapping[str, str]
) -> list[list[object]]:
    rows: list[list[object]] = []
    for point in report.points:
        label = point_labels.get(point.point_id, point.point_id)
        for line in no_shows(report.lines, point.point_id):
            rows.append([label, line.staff_no, line.name, unit_names.get(line.unit_id, line.unit_id)])
    return rows


def unit_rows(report: Attendance, unit_names: Mapping[str, str]) -> list[list[object]]:
    """Registered, attended (at least once) and completed per unit, and the whole union's total last."""
    units = unit_attendance(report.lines)
    rows: list[list[object]] = [
        [unit_names.get(u.unit_id, u.unit_id), u.registered, u.attended, u.completed,
         _share(u.attended, u.registered)]
        for u in units
    ]  # fmt: skip
    if units:
        totals = [sum(values) for values in zip(*((u.registered, u.attended, u.completed) for u in units), strict=True)]
        rows.append([_text(TOTAL_LABEL), *totals, _share(totals[1], totals[0])])
    return rows


def _share(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def conflict_rows(
    report: Attendance, point_labels: Mapping[str, str], staff_names: Mapping[str, str] | None = None
) -> list[list[object]]:
    """Late uploads that could not simply be recorded, oldest first, with what the organiser needs to sort them out."""
    names = staff_names or {}
    return [_conflict_row(c, point_labels, names) for c in sorted(report.conflicts, key=lambda c: (c.at, c.scan_id))]


def _conflict_row(conflict: CheckinConflict, point_labels: Mapping[str, str], names: Mapping[str, str]) -> list[object]:
    return [
        _text(CONFLICT_LABELS[ConflictKind(conflict.kind)]),
        point_labels.get(conflict.point_id, conflict.point_id),
        conflict.staff_no or "",
        conflict.name or "",
        conflict.at,
        staff_cell(conflict.by, names),
        conflict.station or "",
        conflict_note(conflict, names),
    ]


def conflict_note(conflict: CheckinConflict, staff_names: Mapping[str, str] | None = None) -> str:
    """What the conflict's details say, in Chinese: the first check-in of a double admission, or the state of a
    registration that had ended."""
    details = conflict.details or {}
    if conflict.kind == ConflictKind.DOUBLE_ADMIT and details.get("first_at"):
        parts = [_text(N_("export.attendance.note.first_at"), at=china_time(_moment(details["first_at"])))]
        if details.get("first_by"):
            by = staff_cell(str(details["first_by"]), staff_names or {})
            parts.append(_text(N_("export.attendance.note.first_by"), by=by))
        if details.get("first_station"):
            parts.append(_text(N_("export.attendance.note.first_station"), station=details["first_station"]))
        return _text(N_("export.attendance.note.separator")).join(parts)
    if conflict.kind == ConflictKind.NOT_ADMITTED and details.get("state"):
        try:
            state = _text(STATE_LABELS[RegistrationState(details["state"])])
        except ValueError:
            state = str(details["state"])
        return _text(N_("export.attendance.note.state"), state=state)
    return ""


def _moment(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
