"""Roster import: reading XLSX/CSV uploads and validating every row, with files built in memory."""

from __future__ import annotations

import csv
import io
import random
import re
import time
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from chalicelib.domain.records import Gender, Member, MemberStatus
from chalicelib.domain.roster import (
    COLUMN_HEADERS,
    MAX_REPORTED_PROBLEMS,
    MAX_ROSTER_BYTES,
    MAX_ROSTER_ROWS,
    RosterFileError,
    RosterResult,
    parse_roster,
    read_table,
    unit_lookup_key,
    validate_roster,
)
from chalicelib.services.roster_import import problem_text

TODAY = date(2025, 6, 1)
UNITS = {
    unit_lookup_key(name): unit_id
    for unit_id, names in {
        "u-cs": ("计算机学院工会", "计算机", "School of Computer Science", "u-cs"),
        "u-me": ("机械学院工会", "机械", "School of Mechanical Engineering", "u-me"),
    }.items()
    for name in names
}
HEADER = ["工号", "姓名", "性别", "出生日期", "二级工会", "手机号", "邮箱", "状态"]
GOOD = ["2011042", "张三", "男", "1985-06-01", "计算机学院工会", "13800138000", "zhang@example.edu.cn", "在职"]
CHINESE = re.compile("[\u4e00-\u9fff]")


def csv_bytes(rows: list[list[object]], *, encoding: str = "utf-8-sig", delimiter: str = ",") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_cell(column: str, value: object, row: list[object] = GOOD) -> list[object]:
    """A copy of ``row`` with the cell under the given Chinese header replaced."""
    changed = list(row)
    changed[HEADER.index(column)] = value
    return changed


def check(*rows: list[object], today: date = TODAY, header: list[object] = HEADER) -> RosterResult:
    return validate_roster([header, *rows], UNITS, today)


def only_problem(result: RosterResult):
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


# -- reading files ---------------------------------------------------------------------------------------------------


def test_utf8_csv_with_bom_imports():
    result = parse_roster(csv_bytes([HEADER, GOOD]), "members.csv", UNITS, TODAY)
    assert result.ok
    assert result.rows[0].to_member() == Member(
        staff_no="2011042",
        name="张三",
        gender=Gender.MALE,
        birth_date=date(1985, 6, 1),
        unit_id="u-cs",
        status=MemberStatus.ACTIVE,
        phone="13800138000",
        email="zhang@example.edu.cn",
    )
    assert result.rows[0].to_member().roles == frozenset()


def test_gb18030_csv_from_chinese_windows_excel_imports():
    data = csv_bytes([HEADER, with_cell("姓名", "欧阳娜娜")], encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = parse_roster(data, "会员.csv", UNITS, TODAY)
    assert result.ok
    assert result.rows[0].name == "欧阳娜娜"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiter_is_sniffed(delimiter):
    result = parse_roster(csv_bytes([HEADER, GOOD], encoding="utf-8", delimiter=delimiter), "m.csv", UNITS, TODAY)
    assert result.ok


def test_excel_unicode_text_export_utf16_imports():
    data = "\r\n".join("\t".join(row) for row in [HEADER, GOOD]).encode("utf-16")
    assert parse_roster(data, "members.txt", UNITS, TODAY).ok


def test_xlsx_with_date_cell_serial_number_and_int_staff_no():
    data = xlsx_bytes(
        [
            HEADER,
            with_cell("工号", 2011042, with_cell("出生日期", datetime(1985, 6, 1))),
            with_cell("工号", 2011043.0, with_cell("出生日期", 32874, with_cell("手机号", 13900139000))),
        ]
    )
    result = parse_roster(data, "members.xlsx", UNITS, TODAY)
    assert result.ok, result.problems
    first, second = result.rows
    assert (first.staff_no, first.birth_date) == ("2011042", date(1985, 6, 1))
    assert (second.staff_no, second.birth_date, second.phone) == ("2011043", date(1990, 1, 1), "13900139000")
    assert [row.row_number for row in result.rows] == [2, 3]


def test_xlsx_detected_by_content_whatever_its_name():
    assert parse_roster(xlsx_bytes([HEADER, GOOD]), "members.csv", UNITS, TODAY).ok


def test_title_rows_above_the_header_and_blank_rows_keep_file_row_numbers():
    data = xlsx_bytes(
        [
            ["某某大学工会会员名册"],
            [],
            HEADER,
            GOOD,
            [],
            with_cell("工号", "2011043", with_cell("出生日期", "2023-02-30")),
        ]
    )
    problem = only_problem(parse_roster(data, "members.xlsx", UNITS, TODAY))
    assert (problem.row, problem.column, problem.code) == (6, "birth_date", "bad_date")


def test_extra_columns_are_ignored():
    result = check([1, *GOOD, "工会积极分子"], header=["序号", *HEADER, "备注"])
    assert result.ok
    assert result.rows[0].staff_no == "2011042"


def test_too_large_file_is_refused_before_parsing():
    data = b"\0" * (20 * 1024 * 1024)
    with pytest.raises(RosterFileError) as raised:
        read_table(data, "members.xlsx")
    assert raised.value.code == "too_large"
    problem = only_problem(parse_roster(data, "members.xlsx", UNITS, TODAY))
    assert (problem.row, problem.column, problem.code) == (0, "", "too_large")
    assert "20.0 MB" in problem_text(problem, "zh") and "20.0 MB" in problem_text(problem, "en")
    assert "5.0 MB" in problem_text(problem, "en")


def test_file_at_the_size_limit_is_read():
    data = csv_bytes([HEADER, GOOD])
    blank_lines = (b" " * 1023 + b"\n") * ((MAX_ROSTER_BYTES - len(data)) // 1024)
    data += blank_lines + b" " * (MAX_ROSTER_BYTES - len(data) - len(blank_lines))
    assert len(data) == MAX_ROSTER_BYTES
    assert parse_roster(data, "m.csv", UNITS, TODAY).ok


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (PNG, "members.xlsx"),
        (PNG, "members.csv"),
        (random.Random(7).randbytes(4096), "members.csv"),
        (bytes(range(1, 256)) * 16, "members.csv"),
        (b"name,staff\n\x01\x02\x03", "members.csv"),
        (b"\xfd\xff\xfe" * 100, "members"),
        (b"staff_no,name\n2011042,x\n", "members.xlsx"),  # a CSV renamed .xlsx: Excel would refuse it too
        (b"PK\x03\x04 this is not really a zip", "members.xlsx"),
    ],
    ids=[
        "png-as-xlsx",
        "png-as-csv",
        "random",
        "control-bytes",
        "control-in-text",
        "undecodable",
        "text-as-xlsx",
        "bad-zip",
    ],
)
def test_files_that_are_not_spreadsheets(data, filename):
    problem = only_problem(parse_roster(data, filename, UNITS, TODAY))
    assert (problem.row, problem.column, problem.code) == (0, "", "not_a_spreadsheet")
    assert CHINESE.search(problem_text(problem, "zh")) and problem_text(problem, "en")


def test_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert only_problem(parse_roster(buffer.getvalue(), "m.docx", UNITS, TODAY)).code == "not_a_spreadsheet"


def test_legacy_xls_is_refused_with_advice_to_save_as_xlsx():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024
    problem = only_problem(parse_roster(data, "members.xls", UNITS, TODAY))
    assert problem.code == "not_a_spreadsheet"
    assert ".xlsx" in problem_text(problem, "zh") and ".xlsx" in problem_text(problem, "en")


def test_html_table_named_xls_is_refused():
    data = "<html><body><table><tr><td>工号</td></tr></table></body></html>".encode()
    problem = only_problem(parse_roster(data, "export.xls", UNITS, TODAY))
    assert problem.code == "not_a_spreadsheet"
    assert ".xlsx" in problem_text(problem, "en")


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b" \r\n,,,\r\n\r\n", xlsx_bytes([])])
def test_empty_files(data):
    with pytest.raises(RosterFileError) as raised:
        read_table(data, "members.xlsx" if data.startswith(b"PK") else "members.csv")
    assert raised.value.code == "empty_file"
    assert only_problem(parse_roster(data, "m.csv", UNITS, TODAY)).code == "empty_file"


def test_header_without_members_is_not_ok():
    problem = only_problem(parse_roster(csv_bytes([HEADER]), "m.csv", UNITS, TODAY))
    assert (problem.row, problem.code) == (0, "empty_file")


# -- header ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        ["Staff No", "Name", "Gender", "Date of birth", "Sub-union", "Mobile", "Email", "Status"],
        ["staff_no", "name", "sex", "birth_date", "unit", "phone", "e-mail", "status"],
        ["Employee Number", "NAME", "Gender", "DOB", "Department", "mobile", "E-Mail", "STATUS"],
        ["ID", "Name", "Gender", "Birth Date", "SUB-UNION", "Phone", "Email", "Status"],
        ["职工号", "姓 名", "性别", "出生年月日", "分工会", "手机号码", "电子邮箱", "人员状态"],
        ["*工号", "姓名*", "性别", "生日", "所在单位", "联系电话", "邮箱", "状态"],
        ["ｓｔａｆｆ＿ｎｏ", "　姓名　", "性别", "出生日期", "部门工会", "手机", "ＥＭＡＩＬ", "状态"],
        [label for label, _ in COLUMN_HEADERS.values()],
        [label for _, label in COLUMN_HEADERS.values()],
    ],
)
def test_header_synonyms_in_chinese_and_english(header):
    assert check(GOOD, header=header).ok


def test_missing_columns_are_each_reported_and_rows_are_not_checked():
    header = [column for column in HEADER if column not in ("出生日期", "二级工会")]
    result = check(["bad", "", "x"], header=header)
    assert [(p.row, p.column, p.code) for p in result.problems] == [
        (1, "birth_date", "missing_column"),
        (1, "unit", "missing_column"),
    ]
    assert "出生日期" in problem_text(result.problems[0], "zh")
    assert "Date of birth" in problem_text(result.problems[0], "en")
    assert result.rows == ()


def test_optional_columns_may_be_left_out():
    result = check(GOOD[:5], header=HEADER[:5])
    assert result.ok
    row = result.rows[0]
    assert (row.phone, row.email, row.status) == (None, None, MemberStatus.ACTIVE)


def test_a_column_given_twice_is_a_problem():
    problem = only_problem(check([*GOOD, "13900139000"], header=[*HEADER, "联系电话"]))
    assert (problem.row, problem.column, problem.code) == (1, "phone", "duplicate_column")
    assert "联系电话" in problem_text(problem, "zh") and "手机号" in problem_text(problem, "zh")


# -- staff numbers ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "staff_no"),
    [
        ("２０１１０４２", "2011042"),
        (" 2011 042 ", "2011042"),
        (2011042, "2011042"),
        (2011042.0, "2011042"),
        ("t-2011-42", "T-2011-42"),
        ("ｊｓ００１", "JS001"),
    ],
)
def test_staff_no_is_normalised(cell, staff_no):
    result = check(with_cell("工号", cell))
    assert result.ok
    assert result.rows[0].staff_no == staff_no


@pytest.mark.parametrize("cell", ["12", "2011/042", "工号123", "A" * 21, 2011042.5])
def test_bad_staff_no(cell):
    problem = only_problem(check(with_cell("工号", cell)))
    assert (problem.row, problem.column, problem.code) == (2, "staff_no", "bad_staff_no")


def test_duplicate_staff_no_names_the_first_row():
    result = check(
        GOOD,
        with_cell("工号", "2011043"),
        with_cell("工号", "２０１１０４２", with_cell("姓名", "李四")),
    )
    problem = only_problem(result)
    assert (problem.row, problem.column, problem.code) == (4, "staff_no", "duplicate_staff_no")
    assert "第 2 行" in problem_text(problem, "zh") and "row 2" in problem_text(problem, "en")
    assert problem.value == "2011042"
    assert [row.row_number for row in result.rows] == [2, 3]
    assert not result.ok


# -- names -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "name"),
    [
        ("阿依古丽・买买提", "阿依古丽·买买提"),
        ("阿依古丽･买买提", "阿依古丽·买买提"),
        ("阿依古丽•买买提", "阿依古丽·买买提"),
        ("阿依古丽‧买买提", "阿依古丽·买买提"),
        ("阿依古丽．买买提", "阿依古丽·买买提"),
        ("阿依古丽.买买提", "阿依古丽·买买提"),
        ("阿依古丽 · 买买提", "阿依古丽·买买提"),
        ("王　芳", "王芳"),
        (" 王 芳 ", "王芳"),
        ("欧阳\u200b娜娜", "欧阳娜娜"),
        ("Ｊｏｈｎ　　Ｓｍｉｔｈ", "John Smith"),
        ("Mary Ann O'Neil", "Mary Ann O'Neil"),
        ("J. Smith", "J. Smith"),
        ("张\n三", "张三"),
    ],
)
def test_names_are_normalised(cell, name):
    result = check(with_cell("姓名", cell))
    assert result.ok, result.problems
    assert result.rows[0].name == name


@pytest.mark.parametrize("cell", ["张三3", "张三２", "张\x07三", "名" * 41])
def test_bad_names(cell):
    problem = only_problem(check(with_cell("姓名", cell)))
    assert (problem.column, problem.code) == ("name", "bad_name")


# -- dates -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        "2023-04-17",
        "2023/4/17",
        "2023.4.17",
        "2023年4月17日",
        "2023 年 4 月 17 日",
        "２０２３－０４－１７",
        "20230417",
        20230417,
        "2023-4-17 00:00:00",
        "2023/04/17 8:30",
        "45033",
        45033,
        45033.0,
        45033.75,
        datetime(2023, 4, 17, 0, 0),
        date(2023, 4, 17),
    ],
)
def test_birth_date_formats(cell):
    result = check(with_cell("出生日期", cell), today=date(2050, 1, 1))
    assert result.ok, result.problems
    assert result.rows[0].birth_date == date(2023, 4, 17)


@pytest.mark.parametrize(("serial", "day"), [(1, date(1900, 1, 1)), (59, date(1900, 2, 28)), (61, date(1900, 3, 1))])
def test_excel_serials_around_the_phantom_1900_leap_day(serial, day):
    result = check(with_cell("出生日期", serial), today=date(1950, 1, 1))
    assert result.ok, result.problems
    assert result.rows[0].birth_date == day


@pytest.mark.parametrize("cell", ["2023-02-30", "2023-13-01", "17/04/2023", "1985-06", "明年", "0", 60, 100_000, -5])
def test_bad_dates(cell):
    problem = only_problem(check(with_cell("出生日期", cell)))
    assert (problem.row, problem.column, problem.code) == (2, "birth_date", "bad_date")


def test_bad_date_messages_in_both_languages():
    result = check(
        GOOD,
        with_cell("工号", "2011043"),
        with_cell("工号", "2011044"),
        with_cell("工号", "2011045", with_cell("出生日期", "2023-02-30")),
    )
    problem = only_problem(result)
    assert problem_text(problem, "zh") == "第 5 行“出生日期”：无法识别的日期“2023-02-30”，请使用 2023-04-17 这样的格式"
    assert (
        problem_text(problem, "en")
        == 'Row 5, Date of birth: cannot read the date "2023-02-30"; use a format like 2023-04-17'
    )
    assert problem.value == "2023-02-30"


@pytest.mark.parametrize("cell", ["2009-06-02", "1924-06-01", "2030-01-01"])
def test_age_must_be_16_to_100(cell):
    problem = only_problem(check(with_cell("出生日期", cell)))
    assert (problem.column, problem.code) == ("birth_date", "age_out_of_range")


@pytest.mark.parametrize("cell", ["2009-06-01", "1924-06-02"])
def test_age_limits_are_inclusive(cell):
    assert check(with_cell("出生日期", cell)).ok


# -- other columns ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "gender"),
    [("男", Gender.MALE), ("女", Gender.FEMALE), ("M", Gender.MALE), ("f", Gender.FEMALE), ("Female", Gender.FEMALE)],
)
def test_gender(cell, gender):
    assert check(with_cell("性别", cell)).rows[0].gender == gender


@pytest.mark.parametrize("cell", ["1", "未知", "x"])
def test_bad_gender(cell):
    assert only_problem(check(with_cell("性别", cell))).code == "bad_gender"


@pytest.mark.parametrize(
    ("cell", "unit_id"),
    [
        ("计算机学院工会", "u-cs"),
        (" 计算机 学院工会 ", "u-cs"),
        ("计算机", "u-cs"),
        ("school of computer science", "u-cs"),
        ("U-ME", "u-me"),
        ("ｕ－ｍｅ", "u-me"),
    ],
)
def test_unit_by_name_short_name_english_name_or_id(cell, unit_id):
    assert check(with_cell("二级工会", cell)).rows[0].unit_id == unit_id


def test_unknown_unit():
    problem = only_problem(check(with_cell("二级工会", "外星学院工会")))
    assert (problem.column, problem.code, problem.value) == ("unit", "unknown_unit", "外星学院工会")
    assert "外星学院工会" in problem_text(problem, "zh") and "外星学院工会" in problem_text(problem, "en")


def test_unit_lookup_key():
    assert unit_lookup_key("  Ｓchool of\u3000Computer  Science ") == "schoolofcomputerscience"
    assert unit_lookup_key("计算机 学院") == unit_lookup_key("计算机学院")


@pytest.mark.parametrize(
    ("cell", "phone"),
    [
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("8613800138000", "13800138000"),
        (13800138000, "13800138000"),
        (13800138000.0, "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("027-87650101", "027-87650101"),
        ("02787650101", "027-87650101"),
        ("(027) 8765 0101", "027-87650101"),
        ("010-62751234", "010-62751234"),
        ("0710-3456789", "0710-3456789"),
        ("", None),
    ],
)
def test_phone(cell, phone):
    assert check(with_cell("手机号", cell)).rows[0].phone == phone


@pytest.mark.parametrize("cell", ["12345678901", "1380013800", "87650101", "138001380001", "电话"])
def test_bad_phone(cell):
    assert only_problem(check(with_cell("手机号", cell))).code == "bad_phone"


@pytest.mark.parametrize(
    ("cell", "email"),
    [
        ("Zhang.San@Example.EDU.cn", "zhang.san@example.edu.cn"),
        ("ｚｓ＠ｅｘａｍｐｌｅ．ｃｎ", "zs@example.cn"),
        ("", None),
    ],
)
def test_email(cell, email):
    assert check(with_cell("邮箱", cell)).rows[0].email == email


@pytest.mark.parametrize("cell", ["zhang", "zhang@", "zhang@example", "a@b@c.cn", "a@x.cn;b@y.cn"])
def test_bad_email(cell):
    assert only_problem(check(with_cell("邮箱", cell))).code == "bad_email"


@pytest.mark.parametrize(
    ("cell", "status"),
    [
        ("", MemberStatus.ACTIVE),
        ("在职", MemberStatus.ACTIVE),
        ("在岗", MemberStatus.ACTIVE),
        ("Active", MemberStatus.ACTIVE),
        ("退休", MemberStatus.RETIRED),
        ("retired", MemberStatus.RETIRED),
        ("离职", MemberStatus.LEFT),
        ("调离", MemberStatus.LEFT),
        ("LEFT", MemberStatus.LEFT),
    ],
)
def test_status(cell, status):
    assert check(with_cell("状态", cell)).rows[0].status == status


def test_bad_status():
    assert only_problem(check(with_cell("状态", "病休"))).code == "bad_status"


@pytest.mark.parametrize(("column", "key"), [("工号", "staff_no"), ("姓名", "name"), ("二级工会", "unit")])
def test_required_cells(column, key):
    problem = only_problem(check(with_cell(column, "　")))
    assert (problem.column, problem.code) == (key, "required")


# -- the report ------------------------------------------------------------------------------------------------------


def test_all_problems_of_all_rows_are_reported_in_both_languages():
    result = check(
        with_cell("性别", "?", with_cell("邮箱", "no-at-sign")),
        with_cell("工号", "2011043"),
        with_cell("工号", "2011044", with_cell("出生日期", "someday", with_cell("二级工会", "无"))),
        with_cell("工号", "2011045", with_cell("手机号", "123", with_cell("状态", "?"))),
    )
    assert [(p.row, p.code) for p in result.problems] == [
        (2, "bad_gender"),
        (2, "bad_email"),
        (4, "bad_date"),
        (4, "unknown_unit"),
        (5, "bad_phone"),
        (5, "bad_status"),
    ]
    assert [row.row_number for row in result.rows] == [3]
    for problem in result.problems:
        zh_label, en_label = COLUMN_HEADERS[problem.column]
        assert problem_text(problem, "zh").startswith(f"第 {problem.row} 行“{zh_label}”：")
        assert problem_text(problem, "en").startswith(f"Row {problem.row}, {en_label}: ")


def test_long_values_are_truncated_in_the_report():
    problem = only_problem(check(with_cell("二级工会", "很长" * 100)))
    assert len(problem.value) <= 51
    assert problem.value.endswith("…")


def test_problems_are_capped_with_a_final_note():
    rows = [with_cell("工号", f"S{index:05d}", with_cell("性别", "?")) for index in range(MAX_REPORTED_PROBLEMS + 20)]
    result = check(*rows)
    assert len(result.problems) == MAX_REPORTED_PROBLEMS + 1
    note = result.problems[-1]
    assert (note.row, note.column, note.code) == (0, "", "more_problems")
    assert "20" in problem_text(note, "zh") and "20" in problem_text(note, "en")


def test_too_many_rows():
    rows = [with_cell("工号", f"S{index:06d}") for index in range(MAX_ROSTER_ROWS + 1)]
    problem = only_problem(parse_roster(csv_bytes([HEADER, *rows]), "m.csv", UNITS, TODAY))
    assert (problem.row, problem.code) == (0, "too_many_rows")
    assert only_problem(check(*rows)).code == "too_many_rows"


def test_five_thousand_rows_validate_quickly():
    rows = [
        with_cell("工号", f"2{index:06d}", with_cell("姓名", f"会员{chr(0x4E00 + index)}")) for index in range(5000)
    ]
    data = csv_bytes([HEADER, *rows])
    started = time.perf_counter()
    result = parse_roster(data, "members.csv", UNITS, TODAY)
    elapsed = time.perf_counter() - started
    assert result.ok
    assert len(result.rows) == 5000
    assert result.rows[-1].row_number == 5001
    assert elapsed < 1.0


def test_result_without_rows_is_not_ok():
    assert not RosterResult((), ()).ok
