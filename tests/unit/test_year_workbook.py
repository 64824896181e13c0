"""The year-end workbook's layout (issue 21 item 4) from hand-made rollups and summaries: sheet names and headers in
both languages, numbers as numbers, rates as percent cells, start times as date cells, totals as the rollups hold
them, a unit's workbook without other units' members, awards or events, formula injection neutralised, CSV with a
BOM."""

import csv
import io
from datetime import datetime

from openpyxl import load_workbook

from chalicelib.domain.records import Unit, UnitKind
from chalicelib.services import year_workbook
from chalicelib.services.year_workbook import ValueNames, YearData
from chalicelib.web import manage_labels, member_labels

NAMES = ValueNames(kind=member_labels.EVENT_KIND, format=manage_labels.FORMAT, status=manage_labels.STATUS)
UNITS = [
    Unit("school", UnitKind.SCHOOL, "校工会", "University union"),
    Unit("cs", UnitKind.SUB, "计算机学院", "Computer Science", parent_id="school"),
    Unit("med", UnitKind.SUB, "医学院", "Medicine", parent_id="school"),
    Unit("lib", UnitKind.SUB, "图书馆", None, parent_id="school"),
]


def _event(owner, title, starts_at, **counts):
    return {
        "title_zh": title,
        "title_en": title + " (en)",
        "kind": "sports",
        "format": "tournament",
        "owner": owner,
        "starts_at": starts_at,
        "status": "finished",
        "places": 0,
        "waiting": 0,
        "checkins": 0,
        "attendees": 0,
        "completions": 0,
        "completed": [],
        "awards": [],
        **counts,
    }


def _member(name, unit, events=1, places=1, checkins=0):
    return {"name": name, "unit": unit, "gender": "F", "age_band": "36_45", "retired": False, "events": events,
            "places": places, "checkins": checkins}  # fmt: skip


AWARD = {
    "place": 1,
    "tier": None,
    "label_zh": "冠军",
    "label_en": "Champion",
    "entry": "计算机一队",
    "unit": "cs",
    "members": ["1001", "1002", "2001"],
}  # fmt: skip (a team with a member of another unit)
MED_AWARD = {"place": 2, "tier": None, "label_zh": "亚军", "label_en": "Runner-up", "entry": "=HYPERLINK(1)",
             "unit": "med", "members": ["2001"]}  # fmt: skip
EVENTS = [
    ("ev-b", _event("cs", "羽毛球赛", "2026-05-10T01:30:00+00:00", places=3, checkins=3, attendees=3,
                    awards=[AWARD, MED_AWARD])),
    ("ev-a", _event("school", "=cmd|' /C calc'!A0", "2026-03-01T02:00:00+00:00", places=2, waiting=1, checkins=4,
                    attendees=2, completions=1, completed=["2001"])),
    ("ev-c", _event("med", "瑜伽班", "2026-09-01T02:00:00+00:00", places=1)),
]  # fmt: skip
MEMBERS = [
    ("1001", _member("任波", "cs", events=1, places=1, checkins=1)),
    ("1002", _member("邓昊", "cs", events=2, places=2, checkins=2)),
    ("2001", _member("何家豪", "med", events=3, places=3, checkins=4)),
    ("3001", _member("无参与", "lib", events=0, places=0, checkins=0)),
]
THIS = {
    "t#union": {"events": 3, "kind_sports": 3, "month_03": 1, "month_05": 1, "month_09": 1, "places": 6,
                "waiting": 1, "checkins": 7, "reached": 3, "awards": 2, "place_1": 1, "place_2": 1},
    "t#u#cs": {"events": 1, "places": 3, "checkins": 3, "reached": 2, "awards": 1, "place_1": 1},
    "t#u#med": {"events": 1, "places": 3, "checkins": 4, "reached": 1, "awards": 1, "place_2": 1},
    "t#u#school": {"events": 1},
}  # fmt: skip
LAST = {"t#union": {"events": 2, "places": 10, "reached": 5}, "t#u#cs": {"events": 2, "reached": 4}}
HEADCOUNT = {"t#union": {"members": 8, "members_F": 5, "members_M": 3}, "t#u#cs": {"members": 4},
             "t#u#med": {"members": 2}, "t#u#lib": {"members": 2}}  # fmt: skip


def _data(unit_id=None):
    return YearData(
        year=2026,
        unit_id=unit_id,
        units=UNITS,
        this_year=THIS,
        last_year=LAST,
        headcount=HEADCOUNT,
        events=EVENTS,
        members=MEMBERS,
        ranked_units=["cs", "med", "lib"],
    )


def _open(data, language="zh"):
    return load_workbook(io.BytesIO(year_workbook.workbook_xlsx(data, NAMES, language)))


def _values(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_sheets_and_headers_in_chinese_and_english():
    book = _open(_data())
    assert book.sheetnames == ["汇总", "活动", "单位", "会员", "获奖"]
    assert _values(book["汇总"])[0] == ["项目", "2026年", "2025年", "增减"]
    assert _values(book["活动"])[0][:6] == ["活动名称", "类别", "形式", "主办单位", "开始时间", "状态"]
    assert _values(book["会员"])[0][:3] == ["工号", "姓名", "单位"]
    english = _open(_data(), "en")
    assert english.sheetnames == ["Summary", "Events", "Units", "Members", "Awards"]
    assert _values(english["Summary"])[0] == ["Item", "2026", "2025", "Change"]
    assert _values(english["Events"])[1][0] == "'=cmd|' /C calc'!A0 (en)"  # the English title, neutralised


def test_summary_totals_are_the_rollups_numbers_against_last_year():
    rows = {row[0]: row[1:] for row in _values(_open(_data())["汇总"])[1:]}
    assert rows["举办活动"] == [3, 2, 1]
    assert rows["报名人次"] == [6, 10, -4]
    assert rows["签到人次"] == [7, 0, 7]
    assert rows["参与会员"] == [3, 5, -2]
    assert rows["活动·体育赛事"] == [3, 0, 3]
    assert rows["5月开始的活动"] == [1, 0, 1]
    assert rows["自办活动的单位"] == [3, 1, 2]  # cs, med and the school union itself; last year cs
    assert rows["会员总数（现在）"] == [8, None, None]
    sheet = _open(_data())["汇总"]
    rate = next(row for row in sheet.iter_rows(min_row=2) if row[0].value.startswith("参与率"))
    assert rate[1].value == 0.375 and rate[1].number_format == "0.0%"


def test_events_sheet_numbers_and_dates():
    sheet = _open(_data())["活动"]
    rows = _values(sheet)[1:]
    assert [row[0] for row in rows] == ["'=cmd|' /C calc'!A0", "羽毛球赛", "瑜伽班"]  # by start; formula neutralised
    first = rows[0]
    assert first[3] == "校工会" and first[5] == "已结束"
    assert first[4] == datetime(2026, 3, 1, 10, 0)  # China time, a date cell
    assert sheet.cell(row=2, column=5).number_format == "yyyy-mm-dd hh:mm"
    assert first[6:] == [2, 1, 4, 2, 1, 0]
    assert rows[1][6:] == [3, 0, 3, 3, 0, 2]
    assert all(isinstance(value, int) for row in rows for value in row[6:])


def test_units_sheet_ranks_by_rate_with_percent_cells():
    sheet = _open(_data())["单位"]
    rows = _values(sheet)[1:]
    assert [row[0] for row in rows] == ["计算机学院", "医学院", "图书馆"]
    assert rows[0][1:5] == [4, 2, 0.5, 1]
    assert rows[1][1:5] == [2, 1, 0.5, 1]  # a tie shares the rank
    assert rows[2][1:5] == [2, 0, 0, 3]
    assert sheet.cell(row=2, column=4).number_format == "0.0%"
    assert rows[0][5:] == [3, 3, 1, 1, 1, 0, 0]


def test_members_sheet_counts_completions_and_awards_from_the_events():
    rows = _values(_open(_data())["会员"])[1:]
    assert [row[0] for row in rows] == ["1001", "1002", "2001"]  # by unit order, then 工号; no one without a part
    assert rows[2] == ["2001", "何家豪", "医学院", 3, 3, 4, 1, 2]  # in the cs team and the med entry
    assert rows[0] == ["1001", "任波", "计算机学院", 1, 1, 1, 0, 1]


def test_awards_sheet_names_members():
    rows = _values(_open(_data())["获奖"])[1:]
    assert rows[0] == ["羽毛球赛", "冠军", 1, "计算机一队", "计算机学院", "任波（1001）、邓昊（1002）、何家豪（2001）"]
    assert rows[1][3] == "'=HYPERLINK(1)"


def test_a_units_workbook_holds_only_its_members_events_and_awards_but_every_unit_ranked():
    book = _open(_data("cs"))
    members = _values(book["会员"])[1:]
    assert [row[0] for row in members] == ["1001", "1002"]
    assert [row[0] for row in _values(book["活动"])[1:]] == ["羽毛球赛"]
    assert [row[4] for row in _values(book["获奖"])[1:]] == ["计算机学院"]
    assert _values(book["获奖"])[1][5] == "任波（1001）、邓昊（1002）"  # the team's member of another unit left out
    assert len(_values(book["单位"])) == 4  # the rankings: every unit
    summary = {row[0]: row[1:] for row in _values(book["汇总"])[1:]}
    assert summary["举办活动"] == [1, 2, -1]
    assert "自办活动的单位" not in summary
    text = repr(_values(book["会员"])) + repr(_values(book["获奖"]))
    assert "2001" not in text and "何家豪" not in text


def test_csv_sheets_with_bom_and_numbers():
    body = year_workbook.sheet_csv(_data(), NAMES, "zh", "units")
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][3] == "参与率（%）"
    assert rows[2][:5] == ["医学院", "2", "1", "50.0", "1"]
    events = list(csv.reader(io.StringIO(year_workbook.sheet_csv(_data(), NAMES, "en", "events").decode("utf-8-sig"))))
    assert events[0][0] == "Event" and events[1][4] == "2026-03-01 10:00"


def test_filenames():
    assert year_workbook.filename(_data(), "zh", "xlsx") == "年度工作簿-2026.xlsx"
    assert year_workbook.filename(_data("cs"), "zh", "members", "计算机学院") == "年度工作簿-2026-计算机学院-会员.csv"
    assert year_workbook.filename(_data(), "en", "awards") == "year-workbook-2026-Awards.csv"
