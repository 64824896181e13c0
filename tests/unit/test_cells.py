"""The one cell-safety rule (chalicelib.domain.cells) and a walk over every file the app writes with a hostile name:
each file is produced, opens (openpyxl for XLSX, the csv module for CSV), and no cell can run as a formula."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from chalicelib.domain import cells
from chalicelib.domain.cells import CELL_LIMIT, csv_bytes, csv_text, safe_cell
from chalicelib.domain.competition import elimination
from chalicelib.domain.competition.setup import Competition
from chalicelib.domain.competition.stages import knockout_outcome
from chalicelib.domain.forms import Question, QuestionKind
from chalicelib.domain.records import RegistrationState
from chalicelib.services.attendance_export import attendance_csv, attendance_xlsx
from chalicelib.services.competition import CompetitionState
from chalicelib.services.competition_export import competition_xlsx
from chalicelib.services.registration_export import registrations_csv, registrations_xlsx
from tests.unit import test_attendance_export as attendance_fixtures
from tests.unit import test_competition_export as competition_fixtures
from tests.unit import test_registration_export as registration_fixtures

ROOT = Path(__file__).resolve().parents[2]
CONTROLS = "".join(chr(code) for code in range(0x20))
# A formula behind every character an XLSX cannot hold, a lone surrogate and a non-character.
HOSTILE = CONTROLS + "@SUM(1+1)*cmd|' /C calc'!A0\ud800\ufffe\uffff"
HOSTILE_NAMES = [
    HOSTILE,
    '=HYPERLINK("http://evil.example/","点我")',
    "\x00=1+1",  # the control character must not hide the formula
    "\ud800-2+3",
    "  +86 138",
    "\t=cmd",
    "\r=cmd",
    "＝1+1",
    "张" * (CELL_LIMIT + 10),
]
FORMULA_START = tuple("=+-@\t\r\n＝＋－＠")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-1+2", "'-1+2"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\nx"),
        ("\nx", "'\nx"),
        (" \n =1", "' \n =1"),
        ("\u3000=1", "'\u3000=1"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("  =1+1", "'  =1+1"),
        ("＝1+1", "'＝1+1"),
        ("＠x", "'＠x"),
        ("-3", "-3"),
        ("-2.5", "-2.5"),
        ("a=b", "a=b"),
        ("张三", "张三"),
        ("第一行\n第二行", "第一行\n第二行"),
        ("", ""),
        ("\x00=1+1", "'=1+1"),
        ("\x01\x02-3", "-3"),
        ("张\x00三\x1f", "张三"),
        ("a\ud800b\udfffc", "abc"),
        ("a\ufffeb\uffff", "ab"),
        ("a\x7fb", "a\x7fb"),  # DEL is allowed in XML
        (7, 7),
        (-3, -3),
        (2.5, 2.5),
        (None, None),
    ],
)
def test_safe_cell(text, expected):
    assert safe_cell(text) == expected


def test_safe_cell_caps_text_at_the_excel_cell_limit_quote_included():
    assert safe_cell("x" * (CELL_LIMIT + 1)) == "x" * CELL_LIMIT
    capped = safe_cell("=" + "x" * CELL_LIMIT)
    assert len(capped) == CELL_LIMIT and capped.startswith("'=")


def test_safe_cell_is_idempotent():
    for name in HOSTILE_NAMES:
        assert safe_cell(safe_cell(name)) == safe_cell(name)


def test_csv_text_has_a_bom_crlf_and_safe_cells():
    text = csv_text(["姓名", "=x"], [[HOSTILE, 3]])
    assert text.startswith("\ufeff") and "\r\n" in text
    table = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert table == [["姓名", "'=x"], [safe_cell(HOSTILE), "3"]]
    assert csv_bytes(["a"], []) == "\ufeffa\r\n".encode()


# -- the walk over every exporter ------------------------------------------------------------------------------------


def assert_safe_csv(data: bytes | str) -> list[list[str]]:
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert table
    for row in table:
        for value in row:
            plain_number = value.lstrip("-").replace(".", "", 1).isdigit()
            assert plain_number or not value.lstrip(" \u3000").startswith(FORMULA_START), value[:40]
            assert value == safe_cell(value), value[:40]
    return table


def assert_safe_xlsx(data: bytes) -> list[object]:
    workbook = load_workbook(io.BytesIO(data))  # opens: nothing an XLSX cannot hold was written
    values = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.lstrip(" \u3000").startswith(FORMULA_START), (sheet.title, cell.coordinate)
                    assert len(cell.value) <= CELL_LIMIT
                values.append(cell.value)
    return values


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_registration_exports_are_safe_with_a_hostile_name_answer_and_label(name):
    reg = registration_fixtures
    event = reg.make_event(form=(Question("note", QuestionKind.TEXT, name),), title_zh=name)
    registrations = [
        reg.make_registration("T1", RegistrationState.CONFIRMED, 1, name=name, answers={"note": name}, reason=name),
        reg.make_registration("T2", RegistrationState.WAITING, 2, name=name),
    ]
    units = {"cs": name}
    table = assert_safe_csv(registrations_csv(event, registrations, units, {}))
    assert safe_cell(name) in table[1]
    values = assert_safe_xlsx(registrations_xlsx(event, registrations, units, {}))
    assert safe_cell(name) in values


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_attendance_exports_are_safe_with_a_hostile_name_and_point_label(name):
    report = attendance_fixtures.walk_report(name_one=name)
    units = {"cs": name, "med": "医学院"}
    labels = {"start": name, "finish": "终点"}
    table = assert_safe_csv(attendance_csv(report, units, labels))
    assert safe_cell(name) in table[1]
    for organiser in (True, False):
        values = assert_safe_xlsx(attendance_xlsx(report, units, labels, organiser=organiser))
        assert safe_cell(name) in values


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_competition_workbook_is_safe_with_a_hostile_entry_stage_and_drawer_name(name):
    fixtures = competition_fixtures
    # The model refuses lone surrogates and long names; people's and units' names come from elsewhere, unchecked.
    typed = "".join(char for char in name if not 0xD800 <= ord(char) <= 0xDFFF)[-80:]
    competition = Competition.model_validate(
        {
            "event_id": "ev-cup",
            "entry_kind": "individual",
            "stages": [{"stage_id": "main", "kind": "single_elimination", "name_zh": typed[-40:], "name_en": "Main"}],
            "entries": [fixtures.entry("p1", typed, "cs"), fixtures.entry("p2", "王五", "med")],
            "runs": {"main": fixtures.run("drawn", ["p1", "p2"], line=["p1", "p2"])},
        }
    )
    bracket = list(elimination.single_elimination("main", ["p1", "p2"]))
    state = CompetitionState(fixtures.event(title=name), competition, 2, {"main": bracket})
    data = competition_xlsx(state, {"main": knockout_outcome(bracket)}, {"cs": name}, {"T001": name}, "zh")
    values = assert_safe_xlsx(data)
    assert safe_cell(typed) in values


# -- every writer goes through the helper ----------------------------------------------------------------------------

WRITERS = ("csv.writer", "Workbook", "csv.DictWriter")


def test_every_module_that_writes_a_csv_or_workbook_uses_the_cell_helper():
    """A new export cannot forget the rule: a module that builds a CSV writer or a Workbook in chalicelib imports
    chalicelib.domain.cells (the one place that may build a CSV writer itself)."""
    writers = []
    for path in sorted((ROOT / "chalicelib").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if path == Path(cells.__file__) or not any(word in source for word in WRITERS):
            continue
        tree = ast.parse(source)
        calls = {
            ast.unparse(node.func)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and ast.unparse(node.func) in WRITERS
        }
        if not calls:
            continue
        writers.append(path.relative_to(ROOT).as_posix())
        imports = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "chalicelib.domain.cells"
            for alias in node.names
        }
        helpers = {"safe_cell", "safe_row", "xlsx_cell", "xlsx_row", "csv_cell", "csv_bytes", "csv_text"}
        assert imports & helpers, f"{path}: writes {calls} without cells"
        assert "csv.writer" not in calls and "csv.DictWriter" not in calls, f"{path}: use cells.csv_text"
    assert {"chalicelib/services/registration_export.py", "chalicelib/services/attendance_export.py"} <= set(writers)
