"""Attendance exports built from hand-made reports: the sheets an organiser opens, the CSV Excel opens, and cells
that never run as formulas."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from openpyxl import load_workbook

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.checkin import CheckinPoint, MemberAttendance
from chalicelib.domain.records import (
    CheckIn,
    CheckinConflict,
    CheckinMethod,
    CheckinSettings,
    Checkpoint,
    ConflictKind,
    Event,
    EventFormat,
    EventStatus,
)
from chalicelib.services.attendance_export import attendance_csv, attendance_xlsx, export_filename
from chalicelib.services.checkin import Attendance
from tests.unit.event_records import make_event

BOM = b"\xef\xbb\xbf"
INJECTION = '=HYPERLINK("http://evil.example/","点我")'
UNITS = {"cs": "计算机学院", "med": "医学院"}


def cst(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 4, day, hour, minute, tzinfo=CHINA_TZ)


def walk_event(**changes) -> Event:
    fields = {
        "event_id": "ev-walk",
        "owner_unit_id": "school",
        "format": EventFormat.MASS,
        "title_zh": "春季健步走",
        "starts_at": cst(18, 8),
        "ends_at": cst(18, 11),
        "status": EventStatus.REGISTRATION_CLOSED,
        "checkin": CheckinSettings(checkpoints=(Checkpoint("start", "起点"), Checkpoint("finish", "终点"))),
    }
    return make_event(**{**fields, **changes})


WALK_POINTS = [
    CheckinPoint("start", cst(18, 8), cst(18, 11), "起点", "Start"),
    CheckinPoint("finish", cst(18, 8), cst(18, 11), "终点", "Finish"),
]
LABELS = {"start": "起点", "finish": "终点"}


def check_in(staff_no, name, unit_id, point, at, **changes) -> CheckIn:
    fields = {
        "event_id": "ev-walk",
        "point_id": point,
        "staff_no": staff_no,
        "name": name,
        "unit_id": unit_id,
        "at": at,
        "recorded_at": at,
        "by": "A0001",
        "method": CheckinMethod.SCAN,
        "scan_id": f"{staff_no}-{point}",
        "station": "东门",
    }
    return CheckIn(**{**fields, **changes})


def walk_report(name_one: str = "张三") -> Attendance:
    lines = [
        MemberAttendance("C001", name_one, "cs", ("start", "finish"), ("start", "finish"), True),
        MemberAttendance("C002", "李四", "cs", ("start", "finish"), ("start",), False),
        MemberAttendance("M001", "王五", "med", ("start", "finish"), (), False),
    ]
    check_ins = [
        check_in("C001", name_one, "cs", "finish", cst(18, 10, 30), method=CheckinMethod.SELF, by="C001"),
        check_in("C001", name_one, "cs", "start", cst(18, 8, 5)),
        check_in("C002", "李四", "cs", "start", cst(18, 8, 7), offline=True, method=CheckinMethod.MANUAL),
    ]
    conflicts = [
        CheckinConflict(
            event_id="ev-walk",
            scan_id="scan-9",
            kind=ConflictKind.DOUBLE_ADMIT,
            point_id="start",
            at=cst(18, 8, 9),
            recorded_at=cst(18, 9),
            by="A0002",
            station="西门",
            staff_no="C002",
            name="李四",
            details={
                "verdict": "already",
                "first_at": cst(18, 8, 7).isoformat(),
                "first_by": "A0001",
                "first_station": "东门",
            },
        ),
        CheckinConflict(
            event_id="ev-walk",
            scan_id="scan-10",
            kind=ConflictKind.NOT_ADMITTED,
            point_id="finish",
            at=cst(18, 10, 50),
            recorded_at=cst(18, 11),
            by="A0002",
            staff_no="M001",
            name="王五",
            details={"verdict": "not_admitted", "state": "cancelled"},
        ),
    ]
    return Attendance(walk_event(), WALK_POINTS, lines, check_ins, conflicts)


def sheet_rows(workbook, title):
    return [list(row) for row in workbook[title].iter_rows(values_only=True)]


def test_workbook_has_every_sheet_in_chinese_with_what_happened():
    workbook = load_workbook(io.BytesIO(attendance_xlsx(walk_report(), UNITS, LABELS)))
    assert workbook.sheetnames == ["签到记录", "出勤汇总", "缺席", "各单位", "冲突"]

    check_ins = sheet_rows(workbook, "签到记录")
    assert check_ins[0][:6] == ["序号", "姓名", "工号", "单位", "签到点", "签到时间"]
    # In the order they happened, in China time, with who let them in, how, where, and whether offline.
    assert [row[2] for row in check_ins[1:]] == ["C001", "C002", "C001"]
    at = datetime(2026, 4, 18, 8, 5)  # a date cell in China time
    assert check_ins[1] == [1, "张三", "C001", "计算机学院", "起点", at, "A0001", "扫码", "东门", None]
    assert check_ins[2][7:] == ["按工号或姓名查找", "东门", "是"]
    assert check_ins[3][4:8] == ["终点", datetime(2026, 4, 18, 10, 30), "张三（C001）", "现场自助扫码"]

    summary = sheet_rows(workbook, "出勤汇总")
    assert summary[0] == ["工号", "姓名", "单位", "起点", "终点", "出勤次数", "应到次数", "出勤率(%)",
                          "是否完成(全部签到点)"]  # fmt: skip
    assert summary[1] == ["C001", "张三", "计算机学院", "✓", "✓", 2, 2, 100, "是"]
    assert summary[2] == ["C002", "李四", "计算机学院", "✓", "—", 1, 2, 50, "否"]
    assert summary[3] == ["M001", "王五", "医学院", "—", "—", 0, 2, 0, "否"]

    assert sheet_rows(workbook, "缺席")[1:] == [
        ["起点", "M001", "王五", "医学院"],
        ["终点", "C002", "李四", "计算机学院"],
        ["终点", "M001", "王五", "医学院"],
    ]
    assert sheet_rows(workbook, "各单位") == [
        ["单位", "报名人数", "出勤人数", "完成人数", "出勤率(%)"],
        ["计算机学院", 2, 2, 1, 100],
        ["医学院", 1, 0, 0, 0],
        ["合计", 3, 2, 1, 67],
    ]
    conflicts = sheet_rows(workbook, "冲突")
    assert conflicts[1][:4] == ["重复放行（两处都已签到）", "起点", "C002", "李四"]
    assert conflicts[1][4] == datetime(2026, 4, 18, 8, 9)
    assert conflicts[1][7] == "首次签到：2026-04-18 08:07，签到人 A0001，设备 东门"
    assert conflicts[2][0] == "离线放行时报名已失效" and conflicts[2][7] == "报名状态：已取消"


def test_staff_are_named_and_times_are_date_cells():
    """Staff by name and 工号: as the check-in stored the name, else as the caller found it (staff_names); times are
    date cells shown to the minute, in China time."""
    report = walk_report()
    stored = report.check_ins[2]._replace(by="A0003", by_name="孙老师")  # named when it was written
    report = report._replace(check_ins=[*report.check_ins[:2], stored])
    names = {"A0001": "赵组织", "A0002": "钱老师", "A0003": "不用这个"}
    workbook = load_workbook(io.BytesIO(attendance_xlsx(report, UNITS, LABELS, staff_names=names)))
    sheet = workbook["签到记录"]
    assert [sheet[f"G{row}"].value for row in (2, 3, 4)] == ["赵组织（A0001）", "孙老师（A0003）", "张三（C001）"]
    times = [sheet[f"F{row}"] for row in (2, 3, 4)]
    assert all(cell.is_date and cell.number_format == "yyyy-mm-dd hh:mm" for cell in times)
    assert [cell.value for cell in times] == [datetime(2026, 4, 18, 8, 5), datetime(2026, 4, 18, 8, 7),
                                              datetime(2026, 4, 18, 10, 30)]  # fmt: skip
    conflicts = workbook["冲突"]
    assert conflicts["E2"].is_date and conflicts["E2"].number_format == "yyyy-mm-dd hh:mm"
    assert conflicts["F2"].value == "钱老师（A0002）"
    assert conflicts["H2"].value == "首次签到：2026-04-18 08:07，签到人 赵组织（A0001），设备 东门"
    # Numbers stay numbers, not dates.
    assert workbook["各单位"]["B2"].value == 2 and not workbook["各单位"]["B2"].is_date


def test_a_unit_admins_workbook_has_no_conflict_sheet():
    report = walk_report()._replace(conflicts=[])
    workbook = load_workbook(io.BytesIO(attendance_xlsx(report, UNITS, LABELS, organiser=False)))
    assert "冲突" not in workbook.sheetnames and "出勤汇总" in workbook.sheetnames


def test_csv_is_the_per_member_summary_with_a_bom_and_chinese_headers():
    exported = attendance_csv(walk_report(), UNITS, LABELS)
    assert exported.startswith(BOM)
    assert b"\r\n" in exported  # what Excel writes and expects
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    assert rows[0][:5] == ["工号", "姓名", "单位", "起点", "终点"]
    assert rows[2] == ["C002", "李四", "计算机学院", "✓", "—", "1", "2", "50", "否"]
    assert len(rows) == 4


def test_names_that_would_run_as_formulas_are_text_in_both_files():
    report = walk_report(name_one=INJECTION)
    workbook = load_workbook(io.BytesIO(attendance_xlsx(report, UNITS, LABELS)))
    assert sheet_rows(workbook, "签到记录")[1][1] == "'" + INJECTION
    assert sheet_rows(workbook, "出勤汇总")[1][1] == "'" + INJECTION
    assert all(cell.data_type != "f" for row in workbook["出勤汇总"].iter_rows() for cell in row)
    rows = list(csv.reader(io.StringIO(attendance_csv(report, UNITS, LABELS).decode("utf-8-sig"))))
    assert rows[1][1] == "'" + INJECTION


def test_sessions_show_the_threshold_and_leave_uncovered_sessions_blank():
    sessions = [CheckinPoint(f"s0{n}", cst(n, 19), cst(n, 21), session=True) for n in (1, 2, 3)]
    lines = [
        MemberAttendance("C001", "张三", "cs", ("s01", "s02", "s03"), ("s01", "s03"), False),
        MemberAttendance("C002", "李四", "cs", ("s02",), ("s02",), True),  # came for one session only
    ]
    event = walk_event(format=EventFormat.CLASS, checkin=CheckinSettings(completion_percent=75))
    report = Attendance(event, sessions, lines, [], [])
    labels = {"s01": "04-01 19:00", "s02": "04-02 19:00", "s03": "04-03 19:00"}
    rows = list(csv.reader(io.StringIO(attendance_csv(report, UNITS, labels).decode("utf-8-sig"))))
    assert rows[0][3:6] == ["04-01 19:00", "04-02 19:00", "04-03 19:00"]
    assert rows[0][-1] == "是否完成(出勤≥75%)"
    assert rows[1][3:] == ["✓", "—", "✓", "2", "3", "67", "否"]
    assert rows[2][3:] == ["", "✓", "", "1", "1", "100", "是"]


def test_an_empty_report_still_has_headers_on_every_sheet():
    report = Attendance(walk_event(), WALK_POINTS, [], [], [])
    workbook = load_workbook(io.BytesIO(attendance_xlsx(report, UNITS, LABELS)))
    assert all(workbook[name].max_row == 1 for name in workbook.sheetnames)
    assert sheet_rows(workbook, "各单位") == [["单位", "报名人数", "出勤人数", "完成人数", "出勤率(%)"]]


def test_file_names_carry_the_title():
    assert export_filename(walk_event(), "xlsx") == "出勤记录-春季健步走.xlsx"
    assert export_filename(walk_event(title_zh="a/b:c"), "csv") == "出勤记录-a_b_c.csv"
