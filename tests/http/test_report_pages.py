"""The year's dashboard (issue 21 item 2): /admin/reports, its print view and GET /api/reports/{year}, for the union
admin (the whole union or a unit), a unit admin (their unit; everyone's rankings), a member and a visitor.

The rollups are written as the stats core keeps them (store.stats.put_rollups, what ``rebuild --fix`` writes) for
years no demo event falls in, so the numbers asserted are exactly these."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.storage import get_store
from tests.http.browsing import get_page

YEAR = 2030
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def other_unit(demo_union, callers) -> str:
    admin = get_store().members.get(callers["other_unit_admin"].staff_no)
    assert admin is not None and admin.admin_units and "cs" not in admin.admin_units
    return sorted(admin.admin_units)[0]


@pytest.fixture(scope="module")
def rollups(demo_union, other_unit):
    store = get_store()
    store.stats.put_rollups(
        f"y#{YEAR}",
        {
            "t#union": {
                "events": 7,
                "kind_sports": 4,
                "kind_skills": 2,
                "kind_wellness": 1,
                "month_05": 3,
                "month_11": 4,
                "places": 321,
                "checkins": 250,
                "reached": 180,
                "reached_F": 80,
                "reached_M": 100,
                "reached_retired": 12,
                "age_u35": 40,
                "awards": 9,
                "place_1": 3,
            },
            "t#u#cs": {"events": 3, "kind_sports": 3, "month_05": 3, "places": 111, "reached": 30, "place_1": 2},
            f"t#u#{other_unit}": {"events": 4, "places": 210, "reached": 150, "awards": 5, "place_1": 1},
        },
    )
    store.stats.put_rollups(f"y#{YEAR - 1}", {"t#union": {"events": 5, "places": 300}, "t#u#cs": {"events": 4}})
    headcount = store.stats.rollups("h")
    store.stats.put_rollups(
        "h",
        {
            "t#union": {"members": 600, "members_F": 300, "members_M": 300, "members_retired": 60},
            "t#u#cs": {"members": 60},
            f"t#u#{other_unit}": {"members": 200},
        },
    )
    yield
    store.stats.put_rollups("h", headcount)  # the demo's headcounts again for the modules after this one


def _api(client, path, caller):
    answer = client.http.get(path, headers=caller.headers())
    return answer.status_code, json.loads(answer.body or b"{}")


def _svgs(body: str) -> list[ET.Element]:
    charts = []
    start = body.find("<svg")
    while start != -1:
        end = body.index("</svg>", start) + len("</svg>")
        charts.append(ET.fromstring(body[start:end]))
        start = body.find("<svg", end)
    return charts


def test_the_demo_union_has_this_year_and_last_to_show(client, demo_union, callers):
    """The demo loader ends with a rebuild of both years (part F): the dashboard has real numbers to show."""
    year = now().astimezone(CHINA_TZ).year
    status, report = _api(client, f"/api/reports/{year}", callers["union_admin"])
    assert status == 200, report
    totals = {row["key"]: row for row in report["totals"]}
    assert totals["events"]["this_year"] > 0 and totals["places"]["this_year"] > 0
    assert totals["events"]["last_year"] > 0  # last year's history
    assert report["members"] > 0 and report["reached"]["rate"] is not None
    ranked = [row for row in report["units"] if row["rank"] is not None]
    assert ranked and ranked[0]["rank"] == 1
    assert 0 < sum(row["places"] for row in report["units"]) <= totals["places"]["this_year"]
    page = get_page(client, "/admin/reports", callers["union_admin"])
    assert page.status_code == 200 and len(_svgs(page.body.decode())) == 3


def test_union_admin_sees_the_whole_union_with_charts_and_tables(client, callers, rollups, other_unit):
    page = get_page(client, f"/admin/reports?year={YEAR}", callers["union_admin"])
    assert page.status_code == 200
    body = page.body.decode()
    assert f"{YEAR} 年度统计" in body and "全校" in body
    assert "参与会员 180 人，会员总数 600 人，参与率 30%。" in body
    assert ">321<" in body and ">300<" in body and ">+21<" in body and ">+7%<" in body  # places against last year
    charts = _svgs(body)
    assert len(charts) == 3
    assert all(chart.find(f"{SVG}title") is not None for chart in charts)
    assert "计算机学院" in body  # the rankings name the units
    assert f'href="/admin/reports/print?year={YEAR}"' in body
    assert f'href="/events/archive?year={YEAR}"' in body
    assert '<option value="" selected>全校</option>' in body  # the union admin may pick the whole union or a unit
    assert f'<option value="{other_unit}"' in body
    english = get_page(client, f"/admin/reports?year={YEAR}&lang=en", callers["union_admin"]).body.decode()
    assert f"{YEAR} in numbers" in english and "180 of 600 members took part (30%)." in english


def test_rankings_share_and_order_units_by_rate(client, callers, rollups, other_unit):
    status, report = _api(client, f"/api/reports/{YEAR}", callers["union_admin"])
    assert status == 200, report
    assert report["unit_id"] is None and report["members"] == 600
    assert report["reached"] == {"key": "reached", "reached": 180, "members": 600, "rate": 30.0}
    totals = {row["key"]: row for row in report["totals"]}
    assert totals["events"] == {"key": "events", "this_year": 7, "last_year": 5, "difference": 2, "percent": 40.0}
    assert totals["awards"]["percent"] is None  # none last year
    first, second = report["units"][:2]
    assert (first["unit_id"], first["rate"], first["rank"]) == (other_unit, 75.0, 1)
    assert (second["unit_id"], second["rate"], second["rank"]) == ("cs", 50.0, 2)
    assert all(row["rank"] is None for row in report["units"] if row["members"] == 0)
    assert report["units_organising"] == 2
    assert [row["this_year"] for row in report["by_month"]][4] == 3


def test_union_admin_reads_one_unit(client, callers, rollups):
    status, report = _api(client, f"/api/reports/{YEAR}?unit=cs", callers["union_admin"])
    assert status == 200 and report["unit_id"] == "cs"
    assert {row["key"]: row["this_year"] for row in report["totals"]}["places"] == 111
    assert report["reached"]["rate"] == 50.0
    page = get_page(client, f"/admin/reports?year={YEAR}&unit=cs", callers["union_admin"]).body.decode()
    assert "参与会员 30 人，会员总数 60 人，参与率 50%。" in page


def test_unit_admin_sees_their_unit_and_everyones_rankings_but_not_another_unit(client, callers, rollups, other_unit):
    status, report = _api(client, f"/api/reports/{YEAR}", callers["unit_admin"])
    assert status == 200 and report["unit_id"] == "cs"
    assert {row["unit_id"] for row in report["units"]} >= {"cs", other_unit}  # the rankings: every unit
    page = get_page(client, f"/admin/reports?year={YEAR}", callers["unit_admin"])
    body = page.body.decode()
    assert page.status_code == 200 and "计算机学院" in body and "参与率 50%" in body
    assert "全校</option>" not in body
    status, answer = _api(client, f"/api/reports/{YEAR}?unit=cs", callers["other_unit_admin"])
    assert (status, answer["error"]["code"]) == (403, "forbidden")
    status, answer = _api(client, f"/api/reports/{YEAR}?unit={other_unit}", callers["unit_admin"])
    assert (status, answer["error"]["code"]) == (403, "forbidden")
    refused = get_page(client, f"/admin/reports?year={YEAR}&unit={other_unit}", callers["unit_admin"])
    assert refused.status_code == 403 and "没有权限" in refused.body.decode()


def test_members_and_visitors_are_kept_out(client, callers, rollups):
    status, answer = _api(client, f"/api/reports/{YEAR}", callers["member"])
    assert (status, answer["error"]["code"]) == (403, "forbidden")
    assert get_page(client, "/admin/reports", callers["member"]).status_code == 403
    assert client.http.get(f"/api/reports/{YEAR}").status_code == 401
    signed_out = get_page(client, "/admin/reports")
    assert signed_out.status_code == 303 and "/signin" in signed_out.headers["Location"]


def test_bad_year_or_unit_is_a_clear_400(client, callers, rollups):
    for path, field in (
        ("/api/reports/1999", "year"),
        ("/api/reports/123456", "year"),
        (f"/api/reports/{YEAR}?unit=nosuch", "unit"),
        (f"/api/reports/{YEAR}?unit=bad%20id", "unit"),
        (f"/api/reports/{YEAR}?bogus=1", "bogus"),
    ):
        status, answer = _api(client, path, callers["union_admin"])
        assert status == 400, (path, answer)
        assert [problem["field"] for problem in answer["error"]["details"]] == [field], (path, answer)
    for query, said in (("year=1800", "year"), ("year=abc", "year"), ("unit=nosuch", "unit: 没有这个单位：nosuch")):
        page = get_page(client, f"/admin/reports?{query}", callers["union_admin"])
        assert page.status_code == 400, query
        assert "无法显示年度统计" in page.body.decode() and said in page.body.decode(), query


def test_print_view_has_everything_open_and_no_navigation(client, callers, rollups):
    page = get_page(client, f"/admin/reports/print?year={YEAR}&unit=cs", callers["union_admin"])
    assert page.status_code == 200
    body = page.body.decode()
    assert "<details" not in body and "data-print" in body and 'class="top"' not in body
    assert f'href="/admin/reports?year={YEAR}&amp;unit=cs"' in body
    assert len(_svgs(body)) == 3
    assert get_page(client, "/admin/reports/print", callers["member"]).status_code == 403


def test_admin_home_links_the_dashboard_for_every_admin(client, callers):
    for who in ("union_admin", "unit_admin", "other_unit_admin"):
        assert 'href="/admin/reports"' in get_page(client, "/admin", callers[who]).body.decode(), who
