"""Marks as officials write them, over HTTP (issue 19 item 4): the discipline page and the API take DNS, DNF, DQ,
NM and a field event's X, -, r, show them on the entry page, the public results and the workbook, and refuse a
mark outside the discipline's plausible range (999999 for a 100 m) naming the range in Chinese and English, with
nothing written."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from html import unescape

import pytest
from openpyxl import load_workbook

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import SERIES, EventFormat, EventKind, EventStatus, MemberStatus
from chalicelib.services import competition as competition_service
from chalicelib.services import events as event_service
from chalicelib.services import registration as registration_service
from chalicelib.storage import get_store
from tests.http.browsing import get_page, post_form

RANGE_ZH = "男子100米的成绩应在 9.58 秒到 100 秒之间"
RANGE_EN = "A time in Men's 100 m is between 9.58 s and 100 s"


@pytest.fixture(scope="module")
def athletes(demo_union, callers):
    taken = {caller.staff_no for caller in callers.values()}
    return [m for m in demo_union.members if m.status is MemberStatus.ACTIVE and m.staff_no not in taken][:4]


def _registered(organiser, title: str, athletes) -> str:
    """A meet event of the cs unit with ``athletes`` registered, no competition set up yet."""
    store = get_store()
    start = now() + timedelta(days=10)
    fields = {"owner_unit_id": "cs", "kind": EventKind.SPORTS, "format": EventFormat.MEET, "title_zh": title,
              "starts_at": start, "ends_at": start + timedelta(hours=3), "capacity": 40}  # fmt: skip
    event = event_service.create_event(store, organiser, fields, [], now())
    for status in (EventStatus.PUBLISHED, EventStatus.REGISTRATION_OPEN):
        event_service.change_status(store, organiser, event.event_id, status, now())
    for member in athletes:
        who = Principal(staff_no=member.staff_no, unit_id=member.unit_id)
        registration_service.register(store, who, event.event_id, SERIES, {}, now())
    return event.event_id


def _meet(organiser, title: str, athletes) -> str:
    store = get_store()
    event_id = _registered(organiser, title, athletes)
    ids = [athlete.staff_no for athlete in athletes]
    disciplines = [
        {"code": "m100", "name_zh": "男子100米", "name_en": "Men's 100 m", "measure": "time", "entries": ids},
        {"code": "lj", "name_zh": "男子跳远", "name_en": "Long jump", "measure": "distance", "attempts": 3,
         "entries": ids},
    ]  # fmt: skip
    stages = [{"stage_id": "meet", "kind": "measured", "name_zh": "田径", "meet": {"disciplines": disciplines}}]
    competition_service.configure(store, organiser, event_id, {"stages": stages}, now())
    competition_service.open_stage(store, organiser, event_id, "meet", now())
    return event_id


def _entered(organiser, event_id: str, discipline: str) -> dict:
    state = competition_service.managed(get_store(), organiser, event_id)[1]
    return state.performances.get("meet", {}).get(discipline, {})


def _html(response) -> str:
    return unescape(response.body.decode())


def test_the_discipline_page_takes_codes_and_refuses_an_implausible_time(client, callers, organiser, athletes):
    admin = callers["unit_admin"]
    ids = [athlete.staff_no for athlete in athletes]
    event_id = _meet(organiser, "成绩代码运动会", athletes)
    m100 = f"/admin/events/{event_id}/competition/stages/meet/disciplines/m100"
    lj = f"/admin/events/{event_id}/competition/stages/meet/disciplines/lj"

    page = _html(get_page(client, m100, admin))
    assert "DNS 未起跑（弃权）" in page and RANGE_ZH in page  # the legend and the range, before anything is typed
    assert "Codes: DNS did not start" in _html(get_page(client, m100 + "?lang=en", admin))

    for typed in ("999999", "9.5", "1:40.01"):
        refused = post_form(client, m100, admin, {"entry": ids[0], "attempt": [typed]})
        html = _html(refused)
        assert refused.status_code == 400 and RANGE_ZH in html and f'value="{typed}"' in html
        assert 'aria-invalid="true"' in html
    english = post_form(client, m100 + "?lang=en", admin, {"entry": ids[0], "attempt": ["999999"]})
    assert english.status_code == 400 and RANGE_EN in _html(english)
    assert ids[0] not in _entered(organiser, event_id, "m100")  # nothing written

    for entry, typed in zip(ids, ("DNF", "12.50", "ｄｎｓ", "dq tr16.8"), strict=True):
        assert post_form(client, m100, admin, {"entry": entry, "attempt": [typed]}).status_code == 303
    assert _entered(organiser, event_id, "m100")[ids[0]] == {"attempts": [], "status": "DNF"}
    assert _entered(organiser, event_id, "m100")[ids[3]] == {"attempts": [], "status": "DQ", "rule": "tr16.8"}
    page = _html(get_page(client, m100, admin))
    assert 'value="DNF"' in page and 'value="DNS"' in page and 'value="DQ tr16.8"' in page
    placings = page[page.index("当前名次") : page.index('id="codes"')]
    order = [placings.index(athlete.name) for athlete in (athletes[1], athletes[0], athletes[3], athletes[2])]
    assert order == sorted(order)  # the placed, then DNF, DQ, DNS
    assert all(code in placings for code in ("DNF", "DQ", "DNS"))

    mixed = post_form(client, lj, admin, {"entry": ids[0], "attempt": ["5.62", "DNS", ""]})
    assert mixed.status_code == 400 and "DNS、DNF、DQ、NM 须单独填写" in _html(mixed)
    assert post_form(client, lj, admin, {"entry": ids[0], "attempt": ["x", "5.62", "免跳"]}).status_code == 303
    assert post_form(client, lj, admin, {"entry": ids[1], "attempt": ["X", "犯规", "-"]}).status_code == 303
    assert post_form(client, lj, admin, {"entry": ids[2], "attempt": ["8.96", "", ""]}).status_code == 400
    assert _entered(organiser, event_id, "lj")[ids[0]] == {"attempts": ["X", "5.62", "-"]}
    page = _html(get_page(client, lj, admin))
    assert 'value="X"' in page and 'value="5.62"' in page and 'value="-"' in page and "NM" in page

    competition_service.publish(get_store(), organiser, event_id, True, now())
    public = _html(get_page(client, f"/events/{event_id}/competition"))
    for code in ("DNF", "DNS", "DQ", "NM"):
        assert f'<td class="num">{code}</td>' in public
    export = get_page(client, f"/admin/events/{event_id}/competition/export.xlsx", admin, Accept="*/*")
    workbook = load_workbook(io.BytesIO(export.body))
    cells = {cell.value for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row}
    assert {"DNF", "DNS", "DQ", "NM", "12.50", "5.62"} <= cells


def test_the_api_takes_codes_and_refuses_an_implausible_time(client, callers, organiser, athletes):
    admin = callers["unit_admin"]
    ids = [athlete.staff_no for athlete in athletes]
    event_id = _meet(organiser, "成绩代码接口", athletes)
    base = f"/api/events/{event_id}/competition"

    def put(discipline, entry, attempts, language="zh"):
        headers = admin.headers(**{"Content-Type": "application/json", "Accept-Language": language})
        body = json.dumps({"attempts": attempts}).encode()
        return client.http.put(f"{base}/stages/meet/performances/{discipline}/{entry}", headers=headers, body=body)

    for language, message in (("zh", RANGE_ZH), ("en", RANGE_EN)):
        refused = put("m100", ids[0], ["999999"], language)
        assert refused.status_code == 400
        (detail,) = refused.json_body["error"]["details"]
        assert (detail["problem"], detail["field"], detail["message"]) == ("mark_implausible_time", "attempts.0",
                                                                           message)  # fmt: skip
    assert put("m100", ids[0], ["X"]).json_body["error"]["details"][0]["problem"] == "attempt_code_time"
    assert _entered(organiser, event_id, "m100") == {}  # nothing written

    saved = put("m100", ids[0], ["DQ TR 17.3"])
    assert saved.status_code == 200
    assert (saved.json_body["attempts"], saved.json_body["status"], saved.json_body["rule"]) == ([], "DQ", "TR 17.3")
    assert put("m100", ids[1], ["11.80"]).status_code == 200
    assert put("m100", ids[2], ["未完成"]).json_body["status"] == "DNF"
    assert put("lj", ids[0], ["x", "6.01", "r"]).json_body["attempts"] == ["X", "6.01", "r"]
    assert put("lj", ids[1], ["X", "-", None]).status_code == 200

    view = client.http.get(base, headers=admin.headers())
    (meet,) = [stage for stage in view.json_body["stages"] if stage["stage_id"] == "meet"]
    by_code = {discipline["code"]: discipline["placings"] for discipline in meet["disciplines"]}
    assert [(p["entry_id"], p["place"], p["mark"], p["status"]) for p in by_code["m100"]] == [
        (ids[1], 1, "11.80", None), (ids[2], None, None, "DNF"), (ids[0], None, None, "DQ"), (ids[3], None, None, None)
    ]  # fmt: skip
    long_jump = {p["entry_id"]: p for p in by_code["lj"]}
    assert long_jump[ids[0]]["attempts"] == ["X", "6.01", "r"] and long_jump[ids[0]]["place"] == 1
    assert (long_jump[ids[1]]["status"], long_jump[ids[1]]["attempts"]) == ("NM", ["X", "-", None])


def test_the_set_up_form_gives_a_discipline_its_own_range(client, callers, organiser, athletes):
    """An older group's 100 m may be walked: the organiser sets 120 s as its slowest plausible time on the set-up
    form; blank keeps the event's default. A range that is not one is refused on the form."""
    admin = callers["unit_admin"]
    event_id = _registered(organiser, "中老年组运动会", athletes)
    path = f"/admin/events/{event_id}/competition"
    setup = {
        "action": "setup", "template": "meet", "place_points": "7,5,4",
        "d_code": ["m100", "lj"], "d_name_zh": ["男子100米", "男子跳远"], "d_name_en": ["Men's 100 m", ""],
        "d_measure": ["time", "distance"], "d_attempts": ["1", "3"], "d_min_mark": ["", ""],
        "d_max_mark": ["120", ""], "d_event": ["", ""],
        "d0_entries": [athlete.staff_no for athlete in athletes], "d1_entries": [athletes[0].staff_no],
    }  # fmt: skip
    bad = post_form(client, path, admin, {**setup, "d_min_mark": ["130", ""]})
    assert bad.status_code == 400 and 'value="130"' in _html(bad)
    assert post_form(client, path, admin, setup).status_code == 303
    meet = competition_service.managed(get_store(), organiser, event_id)[1].competition.stages[0].meet
    assert [(d.min_mark, d.max_mark) for d in meet.disciplines] == [(None, 120), (None, None)]
    form = _html(get_page(client, path, admin))
    assert 'name="d_max_mark" value="120"' in form and "合理成绩上限" in form
    assert post_form(client, path, admin, {"action": "open", "stage": "meet"}).status_code == 303
    m100 = f"{path}/stages/meet/disciplines/m100"
    assert "男子100米的成绩应在 9.58 秒到 120 秒之间" in _html(get_page(client, m100, admin))
    assert post_form(client, m100, admin, {"entry": athletes[0].staff_no, "attempt": ["1:50.2"]}).status_code == 303
    refused = post_form(client, m100, admin, {"entry": athletes[1].staff_no, "attempt": ["2:00.01"]})
    assert refused.status_code == 400 and "9.58 秒到 120 秒之间" in _html(refused)
    lj = _html(get_page(client, f"{path}/stages/meet/disciplines/lj", admin))
    assert "男子跳远的成绩应在 1 米到 8.95 米之间" in lj  # blank: the long jump's default
