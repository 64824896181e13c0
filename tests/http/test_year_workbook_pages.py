"""The year-end workbook and its CSVs through the test client (issue 21 item 4): a year's contributions written
through the stats storage (as the stream consumers' swaps write them), then the files opened with openpyxl and the
csv module as the union admin, a unit admin (their unit's members only, every unit's ranking), another unit's
admin, a member and nobody; totals agree with the rollups; bad years and sheet names answered clearly."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.http.media import CSV_TYPE, XLSX_TYPE
from chalicelib.storage import get_store
from tests.http.browsing import get_page

YEAR = 2031  # a year no demo history touches
SCOPE = f"y#{YEAR}"
AT = datetime(2031, 12, 30, 4, tzinfo=UTC)


def _event(owner, title, starts_at, **values):
    return {"title_zh": title, "title_en": f"{title} (en)", "kind": "sports", "format": "tournament", "owner": owner,
            "starts_at": starts_at, "status": "finished", "places": 0, "waiting": 0, "checkins": 0, "attendees": 0,
            "completions": 0, "completed": [], "awards": [], **values}  # fmt: skip


def _member(name, unit, places, checkins):
    return {"name": name, "unit": unit, "gender": "F", "age_band": "36_45", "retired": False, "events": 1,
            "places": places, "checkins": checkins}  # fmt: skip


@pytest.fixture(scope="module")
def year(demo_union):
    """Two events (the cs unit's cup with an award, the hospital's class), two cs members and one hospital member,
    each swapped in with its rollups as a stream consumer's recount would."""
    store = get_store()
    cs = [m for m in demo_union.members if m.unit_id == "cs"][:2]
    hospital = next(m for m in demo_union.members if m.unit_id == "hospital")
    award = {"place": 1, "tier": None, "label_zh": "冠军", "label_en": "Champion", "entry": "计算机一队", "unit": "cs",
             "members": [m.staff_no for m in cs]}  # fmt: skip
    cup = _event("cs", "年度羽毛球赛", "2031-05-10T01:30:00+00:00", places=2, checkins=2, attendees=2, awards=[award])
    cup_counts = {"events": 1, "kind_sports": 1, "format_tournament": 1, "month_05": 1}
    cup_data = {"t#union": {**cup_counts, "places": 2, "checkins": 2, "awards": 1, "place_1": 1},
                "t#u#cs": {**cup_counts, "places": 2, "checkins": 2, "awards": 1, "place_1": 1}}  # fmt: skip
    yoga = _event("hospital", "瑜伽班", "2031-09-01T02:00:00+00:00", places=1, checkins=3, attendees=1,
                  completions=1, completed=[hospital.staff_no])  # fmt: skip
    yoga_counts = {"events": 1, "kind_sports": 1, "format_tournament": 1, "month_09": 1}
    yoga_data = {"t#union": {**yoga_counts, "places": 1, "checkins": 3, "completions": 1},
                 "t#u#hospital": {**yoga_counts, "places": 1, "checkins": 3, "completions": 1}}  # fmt: skip
    sources = [("e#ev-wb-cup", cup, cup_data), ("e#ev-wb-yoga", yoga, yoga_data)]
    for member, checkins in ((cs[0], 1), (cs[1], 1), (hospital, 3)):
        data = {"t#union": {"reached": 1, "attendees": 1}, f"t#u#{member.unit_id}": {"reached": 1, "attendees": 1}}
        sources.append((f"m#{member.staff_no}", _member(member.name, member.unit_id, 1, checkins), data))
        # On the roster now (the headcount), unless the demo's rebuild counted them already.
        heads = {"t#union": {"members": 1}, f"t#u#{member.unit_id}": {"members": 1}}
        if store.stats.get("h", f"m#{member.staff_no}") is None:
            assert store.stats.swap("h", f"m#{member.staff_no}", None, heads, {}, heads, AT)
    for item, summary, data in sources:
        if store.stats.get(SCOPE, item) is None:
            assert store.stats.swap(SCOPE, item, None, data, summary, data, AT)
    return {"cs": cs, "hospital": hospital}


def _get(client, path, caller):
    return get_page(client, path, caller, Accept="*/*")


def _header(response, name):
    return {key.lower(): value for key, value in response.headers.items()}.get(name.lower())


def _book(response):
    assert response.status_code == 200, response.body[:300]
    assert _header(response, "Content-Type") == XLSX_TYPE
    return load_workbook(io.BytesIO(response.body))


def _rows(book, title):
    return [list(row) for row in book[title].iter_rows(values_only=True)]


def _csv(response):
    assert response.status_code == 200, response.body[:300]
    assert _header(response, "Content-Type") == CSV_TYPE
    assert response.body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.body.decode("utf-8-sig"))))


def test_union_admin_downloads_the_whole_unions_workbook(client, callers, year):
    response = _get(client, f"/admin/reports/workbook.xlsx?year={YEAR}", callers["union_admin"])
    book = _book(response)
    assert unquote(_header(response, "Content-Disposition")).endswith(f"年度工作簿-{YEAR}.xlsx")
    assert book.sheetnames == ["汇总", "活动", "单位", "会员", "获奖"]
    union = get_store().stats.rollups(SCOPE, consistent=True)["t#union"]
    summary = {row[0]: row[1:] for row in _rows(book, "汇总")[1:]}
    assert summary["举办活动"][0] == union["events"] == 2
    assert summary["报名人次"][0] == union["places"]
    assert summary["签到人次"][0] == union["checkins"] == 5
    assert summary["参与会员"][0] == union["reached"] == 3
    assert all(isinstance(value, int) for value in summary["签到人次"])
    events = _rows(book, "活动")
    assert [row[0] for row in events[1:]] == ["年度羽毛球赛", "瑜伽班"]
    assert events[1][6:] == [2, 0, 2, 2, 0, 1]
    members = {row[0]: row for row in _rows(book, "会员")[1:]}
    assert set(members) == {m.staff_no for m in year["cs"]} | {year["hospital"].staff_no}
    assert members[year["hospital"].staff_no][3:] == [1, 1, 3, 1, 0]
    assert members[year["cs"][0].staff_no][3:] == [1, 1, 1, 0, 1]
    awards = _rows(book, "获奖")
    assert awards[1][:3] == ["年度羽毛球赛", "冠军", 1]
    units = {row[0]: row for row in _rows(book, "单位")[1:]}
    assert len(units) == len(get_store().units.children("school"))
    cs_name = get_store().units.get("cs").name_zh
    cs_row = next(row for row in book["单位"].iter_rows(min_row=2) if row[0].value == cs_name)
    heads = get_store().stats.rollups("h", consistent=True)["t#u#cs"]["members"]
    assert [cell.value for cell in cs_row[1:3]] == [heads, 2] and cs_row[7].value == 1 and cs_row[9].value == 1
    assert cs_row[3].value == pytest.approx(round(200 / heads, 1) / 100) and cs_row[3].number_format == "0.0%"


def test_a_unit_admins_workbook_holds_their_units_members_and_every_units_ranking(client, callers, year):
    book = _book(_get(client, f"/admin/reports/workbook.xlsx?year={YEAR}", callers["unit_admin"]))
    members = [row[0] for row in _rows(book, "会员")[1:]]
    assert members == sorted(m.staff_no for m in year["cs"])
    assert year["hospital"].staff_no not in repr(_rows(book, "会员") + _rows(book, "获奖") + _rows(book, "活动"))
    assert [row[0] for row in _rows(book, "活动")[1:]] == ["年度羽毛球赛"]
    assert len(_rows(book, "单位")) - 1 == len(get_store().units.children("school"))
    summary = {row[0]: row[1:] for row in _rows(book, "汇总")[1:]}
    assert summary["签到人次"][0] == get_store().stats.rollups(SCOPE)["t#u#cs"]["checkins"] == 2
    other = _get(client, f"/admin/reports/workbook.xlsx?year={YEAR}&unit=hospital", callers["unit_admin"])
    assert other.status_code == 403 and "text/html" in _header(other, "Content-Type")
    own = _book(_get(client, f"/admin/reports/workbook.xlsx?year={YEAR}", callers["other_unit_admin"]))
    assert [row[0] for row in _rows(own, "会员")[1:]] == [year["hospital"].staff_no]


def test_union_admin_picks_one_unit(client, callers, year):
    response = _get(client, f"/admin/reports/members.csv?year={YEAR}&unit=hospital", callers["union_admin"])
    rows = _csv(response)
    assert rows[0][:3] == ["工号", "姓名", "单位"]
    assert [row[0] for row in rows[1:]] == [year["hospital"].staff_no]
    assert rows[1][3:] == ["1", "1", "3", "1", "0"]
    assert "hospital" in unquote(_header(response, "Content-Disposition")) or "医院" in unquote(
        _header(response, "Content-Disposition")
    )


def test_every_sheet_as_a_csv_in_both_languages(client, callers, year):
    for sheet, first in (("summary", "项目"), ("events", "活动名称"), ("units", "单位"), ("awards", "活动")):
        rows = _csv(_get(client, f"/admin/reports/{sheet}.csv?year={YEAR}", callers["union_admin"]))
        assert rows[0][0] == first
    english = _csv(_get(client, f"/admin/reports/events.csv?year={YEAR}&lang=en", callers["union_admin"]))
    assert english[0][:2] == ["Event", "Kind"] and english[1][0] == "年度羽毛球赛 (en)"
    assert english[1][4] == "2031-05-10 09:30"  # China time


@pytest.mark.parametrize("who, status", [("member", 403), ("anonymous", 303)])
def test_members_and_strangers_get_no_workbook(client, callers, year, who, status):
    for path in (f"/admin/reports/workbook.xlsx?year={YEAR}", f"/admin/reports/units.csv?year={YEAR}"):
        response = _get(client, path, callers[who])
        assert response.status_code == status
        assert b"PK" not in response.body[:2] and b"\xef\xbb\xbf" not in response.body[:3]


def test_bad_year_and_unknown_sheet(client, callers, year):
    admin = callers["union_admin"]
    bad = _get(client, "/admin/reports/workbook.xlsx?year=1800", admin)
    assert bad.status_code == 400 and "text/html" in _header(bad, "Content-Type")
    assert _get(client, "/admin/reports/secrets.csv?year=2031", admin).status_code == 404
    assert _get(client, "/admin/reports/units.xlsx", admin).status_code == 404
    assert _get(client, f"/admin/reports/workbook.xlsx?year={YEAR}&unit=nowhere", admin).status_code == 400


def test_the_demo_years_workbook_agrees_with_its_rollups(client, callers, year):
    """The demo's own year (its history loaded through the services and counted): the events sheet, the units
    sheet and the awards sheet add up to the union's rollup."""
    this_year = now().astimezone(CHINA_TZ).year
    book = _book(_get(client, f"/admin/reports/workbook.xlsx?year={this_year}", callers["union_admin"]))
    union = get_store().stats.rollups(f"y#{this_year}", consistent=True)["t#union"]
    summary = {row[0]: row[1:] for row in _rows(book, "汇总")[1:]}
    assert summary["举办活动"][0] == union["events"] > 0
    counted = [row for row in _rows(book, "活动")[1:] if row[5] not in ("已取消", "草稿")]
    assert len(counted) == union["events"]
    assert sum(row[6] for row in counted) == union["places"]
    assert sum(row[8] for row in counted) == union.get("checkins", 0)
    assert sum(row[5] for row in _rows(book, "单位")[1:]) == union["places"]
    assert len(_rows(book, "获奖")) - 1 == union.get("awards", 0)
    assert len(_rows(book, "会员")) - 1 >= union["reached"]


def test_the_dashboard_links_the_workbook_and_each_csv(client, callers, year):
    html = _get(client, f"/admin/reports?year={YEAR}", callers["unit_admin"]).body.decode()
    assert f'href="/admin/reports/workbook.xlsx?year={YEAR}&amp;unit=cs"' in html and "下载年度工作簿" in html
    for sheet in ("summary", "events", "units", "members", "awards"):
        assert f'href="/admin/reports/{sheet}.csv?year={YEAR}&amp;unit=cs"' in html
    union = _get(client, f"/admin/reports?year={YEAR}&lang=en", callers["union_admin"]).body.decode()
    assert f'href="/admin/reports/workbook.xlsx?year={YEAR}"' in union and "Download the workbook" in union
