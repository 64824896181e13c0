"""Unit totals of a meet run in gender x age groups (issue 19 item 6) through the test client: the competition page,
the workbook, the API and the certificates show a table per age group, per gender and overall, with fewer places scored
when fewer took part (a DNS not counting); the set-up form keeps the meet's rule. Chinese first, English under
?lang=en."""

from __future__ import annotations

import io
import json
import re
from html import unescape

import pytest
from openpyxl import load_workbook

from chalicelib.domain.calendar import now
from chalicelib.domain.records import EventFormat, EventKind, MemberStatus
from chalicelib.services import competition as service
from chalicelib.services import meet as meet_service
from chalicelib.storage import get_store
from tests.factories import published_event, register_all
from tests.http.browsing import get_page, post_form

BANDS = [
    {"code": "A", "name_zh": "甲组", "name_en": "Group A", "max_age": 35},
    {"code": "B", "name_zh": "乙组", "name_en": "Group B", "min_age": 36},
]


def _html(response) -> str:
    return unescape(response.body.decode())


@pytest.fixture(scope="module")
def units(demo_union, callers):
    """Three active members of each of four units (P, Q, R, S) who are none of the callers."""
    taken = {caller.staff_no for caller in callers.values()}
    by_unit: dict[str, list] = {}
    for member in demo_union.members:
        if member.status is MemberStatus.ACTIVE and member.staff_no not in taken:
            by_unit.setdefault(member.unit_id, []).append(member)
    chosen = [unit for unit, members in sorted(by_unit.items()) if len(members) >= 3][:4]
    return {letter: by_unit[unit][:3] for letter, unit in zip("PQRS", chosen, strict=True)}


@pytest.fixture(scope="module")
def meet(organiser, units):
    """9-7-6-5-4-3-2-1, fewer places when fewer took part. 男子甲组100米: P Q R S run, S's second runner DNS (four
    took part: three places, 9-7-6); 男子乙组100米: Q R P (two places, 9-7); 女子跳远 (by gender only): R P S (9-7).
    Overall R 22, P and Q 16 each with one 1st and one 2nd place (a shared rank), S 0."""
    store = get_store()
    p, q, r, s = (units[letter] for letter in "PQRS")
    fields = {"owner_unit_id": "cs", "kind": EventKind.SPORTS, "format": EventFormat.MEET, "title_zh": "分组团体赛"}
    event = published_event(organiser, days=10, hours=3, title_en="Grouped meet", capacity=40, **fields)
    register_all(event.event_id, [member for members in units.values() for member in members])
    a_runners = [p[0], q[0], r[0], s[0], s[1]]
    b_runners = [q[1], r[1], p[1]]
    jumpers = [r[2], p[2], s[2]]
    disciplines = [
        {"code": "M-A-100m", "name_zh": "男子甲组100米", "name_en": "Men Group A 100 m", "measure": "time",
         "group": "M-A", "entries": [m.staff_no for m in a_runners]},
        {"code": "M-B-100m", "name_zh": "男子乙组100米", "name_en": "Men Group B 100 m", "measure": "time",
         "group": "M-B", "entries": [m.staff_no for m in b_runners]},
        {"code": "F-lj", "name_zh": "女子跳远", "name_en": "Women's long jump", "measure": "distance",
         "group": "F", "entries": [m.staff_no for m in jumpers]},
    ]  # fmt: skip
    setup = {"disciplines": disciplines, "place_points": [9, 7, 6, 5, 4, 3, 2, 1], "bands": BANDS,
             "fewer_entries": "minus_one"}  # fmt: skip
    stages = [{"stage_id": "meet", "kind": "measured", "name_zh": "田径", "name_en": "Athletics", "meet": setup}]
    service.configure(store, organiser, event.event_id, {"stages": stages}, now())
    service.open_stage(store, organiser, event.event_id, "meet", now())
    marks = {
        "M-A-100m": zip(a_runners, ["12.10", "12.50", "12.90", "13.40", "DNS"], strict=True),
        "M-B-100m": zip(b_runners, ["13.00", "13.30", "13.90"], strict=True),
        "F-lj": zip(jumpers, ["4.50", "4.20", "3.10"], strict=True),
    }
    for code, marked in marks.items():
        for member, mark in marked:
            meet_service.enter_performance(
                store, organiser, event.event_id, "meet", code, member.staff_no, [mark], now()
            )
    service.close_stage(store, organiser, event.event_id, "meet", now())
    service.publish(store, organiser, event.event_id, True, now())
    return event.event_id


def _names(units) -> dict[str, str]:
    return {letter: get_store().units.get(members[0].unit_id).name_zh for letter, members in units.items()}


def _row(rank, unit, points, places, note=""):
    cells = "".join(f'<td class="num">{count}</td>' for count in places)
    row = f'<tr><td>{rank}</td><td>{unit}</td><td class="num"><strong>{points}</strong></td>{cells}</tr>'
    if not note:
        return row
    # the tie note is a row of its own under the unit's, so the place columns fit a 390-wide screen
    span = 2 + len(places)
    return row + f'<tr class="tie-row"><td></td><td colspan="{span}"><small class="tie-note">{note}</small></td></tr>'


def _section(html: str, title: str) -> str:
    start = html.index(f">{title}</h3>")
    return html[start : html.index("</table>", start)]


def test_the_page_has_a_table_per_group_per_gender_and_overall(client, meet, units):
    names = _names(units)
    html = _html(get_page(client, f"/events/{meet}/competition"))
    assert "名次分：9-7-6-5-4-3-2-1" in html and "参赛不足8人（队）时，按实际参赛人数减一录取计分" in html
    titles = ["男子甲组团体总分", "男子乙组团体总分", "男子团体总分", "女子团体总分", "总团体总分"]
    positions = [html.index(f">{title}</h3>") for title in titles]
    assert positions == sorted(positions)
    # Four took part in the 甲组 100 m (the DNS does not count): three places score.
    group_a = _section(html, "男子甲组团体总分")
    assert _row(1, names["P"], 9, [1, 0, 0, 0, 0, 0, 0, 0]) in group_a
    assert _row(3, names["R"], 6, [0, 0, 1, 0, 0, 0, 0, 0]) in group_a
    assert _row(4, names["S"], 0, [0] * 8) in group_a
    men = _section(html, "男子团体总分")
    assert (
        _row(1, names["Q"], 16, [1, 1, 0, 0, 0, 0, 0, 0]) in men
        and _row(2, names["R"], 13, [0, 1, 1, 0, 0, 0, 0, 0]) in men
    )
    women = _section(html, "女子团体总分")
    assert names["Q"] not in women and _row(1, names["R"], 9, [1, 0, 0, 0, 0, 0, 0, 0]) in women
    overall = _section(html, "总团体总分")
    assert _row(1, names["R"], 22, [1, 1, 1, 0, 0, 0, 0, 0]) in overall
    shared = "同分且各名次数相同，并列"
    assert _row(2, names["P"], 16, [1, 1, 0, 0, 0, 0, 0, 0], shared) in overall
    assert _row(2, names["Q"], 16, [1, 1, 0, 0, 0, 0, 0, 0], shared) in overall
    english = _html(get_page(client, f"/events/{meet}/competition?lang=en"))
    for title in ("Unit totals: Men Group A", "Unit totals: Men Group B", "Unit totals: Men", "Unit totals: Women"):
        assert f">{title}</h3>" in english
    assert ">Overall unit totals</h3>" in english and "Equal points and places: rank shared" in english
    assert "With fewer than 8 entries taking part, one place fewer than the entries scores" in english


def test_the_api_shows_the_same_tables(client, callers, meet, units):
    names = _names(units)
    answer = json.loads(get_page(client, f"/api/events/{meet}/competition", Accept="application/json").body)
    tables = answer["stages"][0]["unit_tables"]
    assert [(table["scope"], table["code"]) for table in tables] == [
        ("group", "M-A"), ("group", "M-B"), ("gender", "M"), ("gender", "F"), ("overall", "")
    ]  # fmt: skip
    overall = {line["unit_name"]: line for line in tables[-1]["units"]}
    assert overall[names["R"]]["points"] == "22" and overall[names["R"]]["rank"] == 1
    assert (
        overall[names["P"]]["shared"] and overall[names["P"]]["rank"] == 2 and overall[names["P"]]["decided_by"] is None
    )
    assert answer["stages"][0]["units"] == tables[-1]["units"]


def test_the_workbook_has_a_sheet_per_unit_table_with_numbers(client, callers, meet, units):
    names = _names(units)
    path = f"/admin/events/{meet}/competition/export.xlsx"
    workbook = load_workbook(io.BytesIO(get_page(client, path, callers["unit_admin"], Accept="*/*").body))
    assert workbook.sheetnames[-5:] == [
        "男子甲组团体总分",
        "男子乙组团体总分",
        "男子团体总分",
        "女子团体总分",
        "总团体总分",
    ]
    rows = [
        tuple(cell for cell in row if cell is not None) for row in workbook["总团体总分"].iter_rows(values_only=True)
    ]
    assert rows[0] == ("总团体总分",) and rows[1] == ("参赛不足8人（队）时，按实际参赛人数减一录取计分",)
    assert rows[2][:4] == ("名次", "单位", "总分", "第1名数")
    assert rows[3] == (1, names["R"], 22, 1, 1, 1, 0, 0, 0, 0, 0)
    assert rows[4] == (2, names["P"], 16, 1, 1, 0, 0, 0, 0, 0, 0, "同分且各名次数相同，并列")
    english = load_workbook(io.BytesIO(get_page(client, path + "?lang=en", callers["unit_admin"], Accept="*/*").body))
    assert "Unit totals  Men Group A" in english.sheetnames and "Overall unit totals" in english.sheetnames


def test_the_set_up_form_keeps_the_rule_on_fewer_entries(client, callers, organiser, units):
    admin = callers["unit_admin"]
    fields = {"owner_unit_id": "cs", "kind": EventKind.SPORTS, "format": EventFormat.MEET, "title_zh": "减一录取"}
    event = published_event(organiser, days=12, hours=3, capacity=40, **fields)
    runners = units["P"]
    register_all(event.event_id, runners)
    path = f"/admin/events/{event.event_id}/competition"
    form = _html(get_page(client, path, admin))
    assert '<option value="9,7,6,5,4,3,2,1">' in form and 'name="fewer_entries"' in form
    setup = {
        "action": "setup",
        "template": "meet",
        "place_points": "9,7,6,5,4,3,2,1",
        "fewer_entries": "minus_one",
        "min_entries": "3",
        "d_code": ["m100", ""],
        "d_name_zh": ["男子100米", ""],
        "d_name_en": ["", ""],
        "d_measure": ["time", "time"],
        "d_attempts": ["1", ""],
        "d0_entries": [runner.staff_no for runner in runners],
    }
    assert post_form(client, path, admin, setup).status_code == 303
    meet = service.managed(get_store(), organiser, event.event_id)[1].competition.stages[0].meet
    assert (meet.fewer_entries, meet.min_entries) == ("minus_one", 3)
    form = _html(get_page(client, path, admin))
    assert '<option value="minus_one" selected>' in form and 'name="min_entries"' in form and 'value="3"' in form
    assert f'id="unit-totals-link" href="/events/{event.event_id}/competition#units-overall"' in form
    bad = post_form(client, path, admin, {**setup, "fewer_entries": "half", "min_entries": "40"})
    page = _html(bad)
    assert bad.status_code == 400 and 'id="f-fewer_entries" name="fewer_entries" aria-invalid="true"' in page
    english = _html(get_page(client, path + "?lang=en", admin))
    assert "Places that score when an event has few entries" in english


def test_the_first_three_units_of_each_table_get_a_certificate(client, callers, meet, units):
    names = _names(units)
    html = _html(get_page(client, f"/admin/events/{meet}/competition/certificates", callers["unit_admin"]))
    printed = [unescape(text) for text in re.findall(r'<section class="certificate">(.*?)</section>', html, re.S)]
    team = [text for text in printed if "团体总分" in text]
    # 甲组 3 units scored, 乙组 2, men 3, women 2, overall 3 (P and Q share 2nd): S scored nothing anywhere.
    assert len(team) == 13 and not any(names["S"] in text for text in team)
    overall = [text for text in team if "总团体总分" in text]
    assert any(names["R"] in text and "第1名" in text for text in overall)
    assert sum("第2名" in text for text in overall) == 2
    english = _html(get_page(client, f"/admin/events/{meet}/competition/certificates?lang=en", callers["unit_admin"]))
    assert "Overall unit totals" in english and "Unit totals: Men Group A" in english


def test_the_booklet_shows_the_same_tables(client, meet, units):
    names = _names(units)
    booklet = _html(get_page(client, f"/events/{meet}/competition/booklet"))
    assert all(f"<h3>{title}</h3>" in booklet for title in ("男子甲组团体总分", "女子团体总分", "总团体总分"))
    assert f'<td>{names["P"]}</td><td class="num">16</td>' in booklet and "同分且各名次数相同，并列" in booklet
    assert "参赛不足8人（队）时，按实际参赛人数减一录取计分" in booklet
    english = _html(get_page(client, f"/events/{meet}/competition/booklet?lang=en"))
    assert "<h3>Unit totals: Men Group A</h3>" in english and "<h3>Overall unit totals</h3>" in english
