"""The year's dashboard as pure rules (chalicelib.domain.year_report) and its SVG charts (chalicelib.web.svg_charts)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from chalicelib.domain import year_report as yr
from chalicelib.web import svg_charts

SVG = "{http://www.w3.org/2000/svg}"

THIS = {
    "t#union": {
        "events": 10,
        "events_cancelled": 1,
        "kind_sports": 6,
        "kind_skills": 3,
        "kind_wellness": 1,
        "month_03": 4,
        "month_11": 6,
        "places": 120,
        "checkins": 90,
        "reached": 60,
        "reached_F": 25,
        "reached_M": 35,
        "reached_retired": 5,
        "age_u35": 10,
        "age_56p": 3,
        "awards": 7,
        "place_1": 2,
    },
    "t#u#a": {"events": 4, "reached": 20, "places": 50, "awards": 3, "place_1": 1, "place_2": 1},
    "t#u#b": {"events": 0, "reached": 10, "places": 20, "awards": 2, "place_1": 1, "place_3": 1},
    "t#u#c": {"events": 6, "reached": 30, "places": 50, "awards": 2, "place_2": 2},
}
LAST = {"t#union": {"events": 8, "places": 150, "kind_sports": 6, "month_03": 2, "reached": 60, "age_u35": 12}}
HEADS = {
    "t#union": {"members": 200, "members_F": 90, "members_M": 110, "members_retired": 20},
    "t#u#a": {"members": 40},
    "t#u#b": {"members": 20},
    "t#u#c": {"members": 100},
}


def test_ranks_share_ties_and_skip():
    assert yr.competition_ranks([50.0, 80.0, 50.0, None, 10.0]) == [2, 1, 2, None, 4]
    assert yr.competition_ranks([]) == []
    assert yr.competition_ranks([None, None]) == [None, None]


def test_rates_round_to_one_decimal_and_need_members():
    assert yr.rate(1, 3) == 33.3
    assert yr.rate(0, 10) == 0.0
    assert yr.rate(5, 0) is None
    assert yr.rate(5, None) is None


def test_comparison_difference_and_percent():
    up = yr.Comparison("events", 10, 8)
    assert (up.difference, up.percent) == (2, 25.0)
    down = yr.Comparison("places", 120, 150)
    assert (down.difference, down.percent) == (-30, -20.0)
    assert yr.Comparison("awards", 7, 0).percent is None
    assert yr.signed(3) == "+3" and yr.signed(-2) == "−2" and yr.signed(0) == "0"
    assert yr.percent_text(None) == "—" and yr.percent_text(25.0) == "25%" and yr.percent_text(33.3) == "33.3%"
    assert yr.percent_text(25.0, sign=True) == "+25%" and yr.percent_text(-14.4, sign=True) == "−14.4%"
    assert yr.percent_text(0.0, sign=True) == "0%"


def test_union_report_totals_kinds_months_and_shares():
    report = yr.build(2026, None, ["a", "b", "c", "d"], THIS, LAST, HEADS)
    totals = {row.key: row for row in report.totals}
    assert (totals["events"].this_year, totals["events"].last_year) == (10, 8)
    assert (totals["places"].difference, totals["waiting"].this_year) == (-30, 0)
    assert report.members == 200
    assert (report.reached.reached, report.reached.members, report.reached.rate) == (60, 200, 30.0)
    assert [(row.key, row.this_year, row.last_year) for row in report.by_kind] == [
        ("sports", 6, 6),
        ("skills", 3, 0),
        ("wellness", 1, 0),
    ]
    assert len(report.by_month) == 12
    assert (report.by_month[2].key, report.by_month[2].this_year, report.by_month[2].last_year) == ("03", 4, 2)
    assert [(share.key, share.rate) for share in report.by_gender] == [("F", 27.8), ("M", 31.8)]
    assert (report.by_age[0].key, report.by_age[0].this_year, report.by_age[0].last_year) == ("u35", 10, 12)
    assert (report.retirees.reached, report.retirees.rate) == (5, 25.0)


def test_units_ranked_by_rate_units_without_members_last():
    report = yr.build(2026, None, ["a", "b", "c", "d"], THIS, LAST, HEADS)
    # a 50%, b 50%, c 30%, d no members
    assert [(row.unit_id, row.rate, row.rank) for row in report.units] == [
        ("a", 50.0, 1),
        ("b", 50.0, 1),
        ("c", 30.0, 3),
        ("d", None, None),
    ]
    assert [(row.unit_id, row.events) for row in report.organisers] == [("c", 6), ("a", 4)]
    assert report.units_organising == 2
    # golds first, then silvers, then bronzes
    assert [row.unit_id for row in report.medals] == ["a", "b", "c"]


def test_unit_report_reads_the_units_rollup_and_still_ranks_everyone():
    report = yr.build(2026, "c", ["a", "b", "c"], THIS, LAST, HEADS)
    assert report.unit_id == "c"
    assert {row.key: row.this_year for row in report.totals}["events"] == 6
    assert (report.members, report.reached.rate) == (100, 30.0)
    assert [row.unit_id for row in report.units] == ["a", "b", "c"]


def test_empty_year_reads_as_zeros():
    report = yr.build(2031, None, ["a"], {}, {}, {})
    assert all(row.this_year == 0 and row.percent is None for row in report.totals)
    assert report.reached.rate is None
    assert report.units[0].rank is None and report.organisers == () and report.medals == ()


def _parse(markup: str) -> ET.Element:
    root = ET.fromstring(str(markup))
    assert root.tag == f"{SVG}svg"
    title = root.find(f"{SVG}title")
    assert title is not None and root.get("aria-labelledby") == title.get("id")
    assert "script" not in str(markup) and "style" not in str(markup)
    return root


def test_bar_chart_is_well_formed_scaled_and_escaped():
    bars = [
        svg_charts.Bar("计算机学院", 50.0, "50%"),
        svg_charts.Bar("<b>&附属医院第一临床医学院</b>", 25.0, "25%"),
        svg_charts.Bar("无会员", 0.0, "—"),
    ]
    root = _parse(svg_charts.bar_chart("units", "参与率 <按单位>", bars))
    assert root.find(f"{SVG}title").text == "参与率 <按单位>"
    rects = root.findall(f".//{SVG}rect")
    widths = [float(rect.get("width")) for rect in rects]
    assert widths[0] == svg_charts.WIDTH - svg_charts.BAR_LABEL - svg_charts.BAR_VALUE
    assert widths[1] == widths[0] / 2 and widths[2] == 0
    titles = [group.find(f"{SVG}title").text for group in root.findall(f"{SVG}g")]
    assert titles[1] == "<b>&附属医院第一临床医学院</b>: 25%"  # whole in the tooltip, clipped on the chart
    labels = [text.text for text in root.findall(f".//{SVG}text")]
    assert "<b>&附属医院…" in labels


def test_bar_chart_with_labels_above_gives_long_names_the_whole_width():
    name = "School of Computer Science Union Branch"
    root = _parse(svg_charts.bar_chart("units", "Rates", [svg_charts.Bar(name, 100.0, "100%")], 100.0, True))
    assert root.findall(f".//{SVG}text")[0].text == name
    assert float(root.find(f".//{SVG}rect").get("width")) == svg_charts.WIDTH - svg_charts.BAR_VALUE


def test_bar_chart_with_nothing_to_draw():
    root = _parse(svg_charts.bar_chart("empty", "Nothing", []))
    assert root.findall(f".//{SVG}rect") == []


def test_column_chart_puts_last_year_beside_this_year():
    this = [0] * 12
    this[2], this[10] = 4, 6
    last = [0] * 12
    last[2] = 3
    root = _parse(
        svg_charts.column_chart(
            "months",
            "Events by month",
            [str(month) for month in range(1, 13)],
            [svg_charts.Series("2026", this), svg_charts.Series("2025", last)],
        )
    )
    columns = [rect for rect in root.findall(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    assert len(columns) == 24
    heights = {rect.find(f"{SVG}title").text: float(rect.get("height")) for rect in columns}
    assert heights["11 2026: 6"] == 140 and heights["3 2026: 4"] == round(140 * 4 / 6, 1)
    assert heights["3 2025: 3"] == 70 and heights["1 2025: 0"] == 0
    fills = {rect.find(f"{SVG}title").text: rect.get("fill") for rect in columns}
    assert fills["3 2026: 4"] != fills["3 2025: 3"]
