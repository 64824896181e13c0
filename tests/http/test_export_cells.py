"""The activation-code sheet is written through the one cell rule (chalicelib.domain.cells): a member whose stored
name is a formula wrapped in control characters comes out as text, never as a formula. The admin page sends the same
service's sheet; the pure exporters are walked in tests/unit/test_cells.py."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from chalicelib.domain.cells import safe_cell
from chalicelib.domain.records import Gender, Member
from chalicelib.storage import get_store

# Names as they may already sit in the table (written before validation tightened, or by a script); DynamoDB holds
# any valid UTF-8, so control characters get through, lone surrogates cannot.
HOSTILE = {
    "T990001": "@SUM(1+1)*cmd|' /C calc'!A0",
    "T990002": '\x00\x01=HYPERLINK("http://evil.example/","点我")\x1f',
    "T990003": "\t-2+3\r\n",
}
FORMULA_START = tuple("=+-@\t\r\n＝＋－＠")


@pytest.fixture(scope="module")
def hostile_members(demo_union):
    members = [Member(no, name, Gender.FEMALE, date(1985, 4, 17), "cs") for no, name in HOSTILE.items()]
    get_store().organisation.import_members("test", members)
    return HOSTILE


def _table(body: str | bytes) -> list[list[str]]:
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def _assert_no_formula(table: list[list[str]]) -> None:
    for row in table:
        for value in row:
            assert not value.lstrip(" ").startswith(FORMULA_START), value


def test_activation_sheet_from_the_api_neutralises_hostile_names(client, callers, hostile_members):
    sheet = client.http.post("/api/units/cs/activation-codes", headers=callers["unit_admin"].headers())
    assert sheet.status_code == 200
    table = _table(sheet.body)
    _assert_no_formula(table)
    names = {row[0]: row[1] for row in table[1:]}
    for staff_no, name in hostile_members.items():
        assert names[staff_no] == safe_cell(name)
    assert names["T990001"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert names["T990002"] == '\'=HYPERLINK("http://evil.example/","点我")'
    assert names["T990003"] == "'\t-2+3\n"
