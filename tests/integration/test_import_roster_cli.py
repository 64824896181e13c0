"""The command-line roster import (devtools.import_roster) against the tests' DynamoDB Local."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from chalicelib.domain.records import SCHOOL_UNIT_ID, Gender, Member, MemberStatus, Unit, UnitKind
from devtools.import_roster import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_REFUSED,
    ProgressBar,
    main,
    run_import,
)

UNION_ADMIN = "U0001"
CS_ADMIN = "A0001"
PLAIN_MEMBER = "M0001"
HEADER = ["序号", "工号", "姓名", "性别", "出生日期", "二级工会", "手机号", "邮箱", "状态"]
ROWS = [
    ["1", "2011042", "张晓燕", "女", "1985-06-01", "计算机学院", "13800138000", "", "在职"],
    ["2", "2015007", "王　磊", "男", "1990/3/7", "计算机科学与技术学院分工会", "139 0013 9000", "", ""],
    ["3", "2003011", "李建国", "M", "1968年10月2日", "数学学院", "", "2003011@demo.edu.cn", "退休"],
    ["4", "2019020", "陈思琪", "F", "19930215", "math", "+86 13700137000", "", "在职"],
    [
        "5",
        "2021033",
        "买买提•艾力",
        "男",
        "1988.12.30",
        "School of Mathematics and Statistics Union Branch",
        "",
        "",
        "",
    ],
]
ROSTER_STAFF_NOS = [row[1] for row in ROWS]


def csv_bytes(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def person(staff_no: str, unit_id: str, **extra: object) -> Member:
    return Member(staff_no, "管理员" + staff_no[-1], Gender.FEMALE, date(1978, 5, 4), unit_id, **extra)


@pytest.fixture
def union(empty_store):
    """The school, two sub-unions and three people to act as: a union admin, the admin of cs, a plain member."""
    empty_store.units.put_many(
        [
            Unit(SCHOOL_UNIT_ID, UnitKind.SCHOOL, "示范大学工会", "Demo University Trade Union", "校工会"),
            Unit(
                "cs",
                UnitKind.SUB,
                "计算机科学与技术学院分工会",
                "School of Computer Science Union Branch",
                "计算机学院",
                parent_id=SCHOOL_UNIT_ID,
                position=1,
                admins=frozenset({CS_ADMIN}),
            ),
            Unit(
                "math",
                UnitKind.SUB,
                "数学与统计学院分工会",
                "School of Mathematics and Statistics Union Branch",
                "数学学院",
                parent_id=SCHOOL_UNIT_ID,
                position=2,
            ),
        ]
    )
    empty_store.members.put_many(
        [
            person(UNION_ADMIN, "cs", roles=frozenset({"union_admin"})),
            person(CS_ADMIN, "cs", admin_units=frozenset({"cs"})),
            person(PLAIN_MEMBER, "math"),
        ]
    )
    return empty_store


def imported(store) -> list[str]:
    """工号 of the roster's members that are stored."""
    return [staff_no for staff_no in ROSTER_STAFF_NOS if store.members.get(staff_no) is not None]


def roster_audit(store) -> list[object]:
    return [entry for unit in ("cs", "math") for entry in store.audit.for_unit(unit) if entry.action == "roster.import"]


def test_a_valid_file_is_imported_and_importing_it_again_changes_nothing(union, capsys):
    data = csv_bytes(ROWS)

    assert run_import(union, UNION_ADMIN, data, "会员名册.csv", False, None) == EXIT_OK
    assert "5 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert imported(union) == ROSTER_STAFF_NOS
    assert union.members.get("2015007") == Member(
        "2015007", "王磊", Gender.MALE, date(1990, 3, 7), "cs", MemberStatus.ACTIVE, "13900139000"
    )
    assert union.members.get("2021033").name == "买买提·艾力"
    assert union.members.get("2003011").status is MemberStatus.RETIRED
    assert {entry.actor for entry in roster_audit(union)} == {UNION_ADMIN}
    audit_entries = len(roster_audit(union))

    assert run_import(union, UNION_ADMIN, data, "会员名册.csv", False, None) == EXIT_OK
    assert "0 created, 0 updated, 5 unchanged" in capsys.readouterr().out
    assert len(roster_audit(union)) == audit_entries  # nothing changed, nothing audited

    moved = [row.copy() for row in ROWS]
    moved[0][5] = "数学学院"  # 张晓燕 moves to the maths sub-union
    assert run_import(union, UNION_ADMIN, csv_bytes(moved), "会员名册.csv", False, None) == EXIT_OK
    assert "0 created, 1 updated, 4 unchanged" in capsys.readouterr().out
    assert union.members.get("2011042").unit_id == "math"


def test_an_invalid_file_writes_nothing_and_reports_row_and_column(union, capsys):
    rows = [row.copy() for row in ROWS]
    rows[1][4] = "1990-02-30"  # row 3 of the file: no such day
    rows[3][5] = "物理学院"  # row 5: no such sub-union

    assert run_import(union, UNION_ADMIN, csv_bytes(rows), "会员名册.csv", False, None) == EXIT_INVALID
    report = capsys.readouterr().out
    assert "nothing was written" in report
    assert "第 3 行 row 3，列 column “出生日期” Date of birth" in report
    assert "Row 3, Date of birth: cannot read the date" in report
    assert "第 5 行 row 5，列 column “二级工会” Sub-union" in report
    assert "“物理学院”" in report
    assert imported(union) == []
    assert roster_audit(union) == []


def test_a_file_that_cannot_be_read_is_reported_as_a_whole(union, capsys):
    assert run_import(union, UNION_ADMIN, b"", "empty.csv", False, None) == EXIT_INVALID
    assert "文件 file" in capsys.readouterr().out
    assert imported(union) == []


def test_a_unit_admin_may_not_import_rows_of_another_unit(union, capsys):
    progress_calls: list[tuple[int, int]] = []

    code = run_import(
        union, CS_ADMIN, csv_bytes(ROWS), "会员名册.csv", False, lambda *call: progress_calls.append(call)
    )

    assert code == EXIT_REFUSED
    assert "nothing was written" in capsys.readouterr().err
    assert imported(union) == []  # not even the rows of their own unit
    assert roster_audit(union) == []
    assert progress_calls == []

    own_rows = [row for row in ROWS if row[5] in ("计算机学院", "计算机科学与技术学院分工会")]
    assert run_import(union, CS_ADMIN, csv_bytes(own_rows), "cs.csv", False, None) == EXIT_OK
    assert imported(union) == ["2011042", "2015007"]


@pytest.mark.parametrize("actor", [PLAIN_MEMBER, "X9999"])
def test_only_known_admins_may_import(union, capsys, actor):
    assert run_import(union, actor, csv_bytes(ROWS), "会员名册.csv", False, None) == EXIT_REFUSED
    assert actor in capsys.readouterr().err
    assert imported(union) == []


def test_a_dry_run_checks_everything_and_writes_nothing(union, capsys):
    calls: list[tuple[int, int]] = []

    assert run_import(union, UNION_ADMIN, csv_bytes(ROWS), "会员名册.csv", True, lambda *c: calls.append(c)) == EXIT_OK
    assert "dry run: 5 rows are valid" in capsys.readouterr().out
    assert calls == []
    assert imported(union) == []
    assert roster_audit(union) == []

    # The permission check runs in a dry run too.
    assert run_import(union, CS_ADMIN, csv_bytes(ROWS), "会员名册.csv", True, None) == EXIT_REFUSED


def test_progress_is_reported_after_every_chunk(union):
    calls: list[tuple[int, int]] = []

    code = run_import(union, UNION_ADMIN, csv_bytes(ROWS), "m.csv", False, lambda *c: calls.append(c), chunk_rows=2)

    assert code == EXIT_OK
    assert calls == [(0, 5), (2, 5), (4, 5), (5, 5)]
    assert imported(union) == ROSTER_STAFF_NOS


def test_the_progress_bar_is_plain_text():
    stream = io.StringIO()
    bar = ProgressBar(stream, width=10)
    bar(0, 5000)
    bar(2000, 5000)
    bar(5000, 5000)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2  # not a terminal: one line per update, none before the first rows are written
    assert lines[0].startswith("[####......] 2,000/5,000 rows ")
    assert lines[0].endswith(" rows/s")
    assert lines[1].startswith("[##########] 5,000/5,000 rows ")


def test_the_command_line_imports_a_file_as_the_given_admin(union, tmp_path, capsys):
    roster = tmp_path / "会员名册.csv"
    roster.write_bytes(csv_bytes(ROWS))

    assert main([str(roster), "--as", UNION_ADMIN.lower(), "--dry-run"]) == EXIT_OK
    assert imported(union) == []
    assert main([str(roster), "--as", UNION_ADMIN]) == EXIT_OK
    captured = capsys.readouterr()
    assert "5 created" in captured.out
    assert "5/5 rows" in captured.err
    assert imported(union) == ROSTER_STAFF_NOS
    assert main([str(tmp_path / "missing.csv"), "--as", UNION_ADMIN]) == EXIT_REFUSED
