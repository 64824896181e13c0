"""Heats and a final over HTTP (issue 19 item 2): the organiser draws the heats, enters a heat's marks (a refused mark
marks its field, nothing of the heat written), closes the heats (warned about a missing mark), draws the final; the
printable start list; the public programme and rounds pages; who may do what, zh and en."""

from __future__ import annotations

from html import unescape

import pytest

from chalicelib.domain.calendar import now
from chalicelib.domain.records import MemberStatus
from chalicelib.services import competition as competition_service
from chalicelib.storage import get_store
from tests.http.browsing import get_page, post_form
from tests.http.test_marks_pages import _registered

ROUNDS = [{"code": "h", "lanes": 4, "by_place": 1, "by_time": 2, "day": "2026-10-20", "time": "09:00"},
          {"code": "f", "lanes": 4, "heats": 1, "day": "2026-10-20", "time": "15:30"}]  # fmt: skip


@pytest.fixture(scope="module")
def sprinters(demo_union, callers):
    taken = {caller.staff_no for caller in callers.values()}
    return [m.staff_no for m in demo_union.members if m.status is MemberStatus.ACTIVE and m.staff_no not in taken][:7]


@pytest.fixture(scope="module")
def meet(organiser, sprinters, demo_union):
    store = get_store()
    members = {m.staff_no: m for m in demo_union.members}
    event_id = _registered(organiser, "百米预决赛运动会", [members[s] for s in sprinters])
    m100 = {"code": "m100", "name_zh": "男子100米", "name_en": "Men's 100 m", "measure": "time", "event": "100m",
            "entries": sprinters, "rounds": ROUNDS}  # fmt: skip
    stages = [{"stage_id": "meet", "kind": "measured", "name_zh": "田径", "name_en": "Athletics",
               "meet": {"disciplines": [m100]}}]  # fmt: skip
    competition_service.configure(store, organiser, event_id, {"stages": stages}, now())
    competition_service.open_stage(store, organiser, event_id, "meet", now())
    competition_service.publish(store, organiser, event_id, True, now())
    return event_id


def _html(response) -> str:
    return unescape(response.body.decode())


def _path(event_id: str) -> str:
    return f"/admin/events/{event_id}/competition/stages/meet/disciplines/m100/rounds"


def _rounds(organiser, event_id):
    state = competition_service.managed(get_store(), organiser, event_id)[1]
    return state.rounds, state.round_marks


def test_heats_to_final_through_the_page(client, callers, organiser, meet, sprinters):
    admin = callers["unit_admin"]
    path = _path(meet)
    page = _html(get_page(client, path, admin))
    assert "预赛" in page and "决赛" in page and "编排分组和道次" in page and "上一轮结束后才能编排本轮" in page
    early = post_form(client, path, admin, {"action": "draw", "round": "f"})
    assert early.status_code == 409 and "上一轮尚未结束" in _html(early)
    drawn = post_form(client, path, admin, {"action": "draw", "round": "h"})
    assert drawn.status_code == 303
    page = _html(get_page(client, path + "?done=draw", admin))
    assert "已编排分组和道次" in page and "第 1 组" in page and "第 2 组" in page
    rounds, _ = _rounds(organiser, meet)
    heats = rounds[("meet", "m100")][0]["runs"]["h"]["heats"]
    first = [lane["entry_id"] for lane in heats[0]]
    second = [lane["entry_id"] for lane in heats[1]]
    # a refused mark marks its field and writes nothing of the heat
    bad = {"action": "marks", "round": "h"}
    bad |= {f"m-{entry}": "12.40" for entry in first} | {f"m-{first[0]}": "999999"}
    refused = post_form(client, path, admin, bad)
    assert refused.status_code == 400 and 'aria-invalid="true"' in _html(refused)
    assert _rounds(organiser, meet)[1] == {}
    times = {entry: f"12.{n}0" for n, entry in enumerate([*first, *second])}
    post_form(client, path, admin, {"action": "marks", "round": "h"} | {f"m-{e}": times[e] for e in first})
    post_form(client, path, admin, {"action": "marks", "round": "h"} | {f"m-{e}": times[e] for e in second[:-1]})
    warned = post_form(client, path, admin, {"action": "close", "round": "h"})
    html = _html(warned)
    assert warned.status_code == 409 and "还有 1 名（队）没有成绩" in html and "仍然结束本轮" in html
    english = post_form(client, path + "?lang=en", admin, {"action": "close", "round": "h"})
    assert "1 entries have no mark yet" in _html(english) and "Close the round anyway" in _html(english)
    closed = post_form(client, path, admin, {"action": "close", "round": "h", "missing_ok": "1"})
    assert closed.status_code == 303
    page = _html(get_page(client, path, admin))
    assert '<span class="tag done">Q</span>' in page and '<span class="tag done">q</span>' in page
    final = post_form(client, path, admin, {"action": "draw", "round": "f"})
    assert final.status_code == 303
    rounds, _ = _rounds(organiser, meet)
    finalists = {lane["entry_id"] for lane in rounds[("meet", "m100")][0]["runs"]["f"]["heats"][0]}
    assert finalists == {first[0], second[0], first[1], first[2]}  # the heat winners, then the two fastest others
    sheet = _html(get_page(client, path + "/start-list?round=f", admin))
    assert "检录单" in sheet and "决赛" in sheet and "道次" in sheet
    assert "决赛 · 第 1 组" not in sheet  # a round of one heat is called by its name
    page = _html(get_page(client, path, admin))
    assert "<h3>决赛</h3>" in page and "<h3>第 1 组</h3>" in page  # the final's one heat; the heats keep numbers
    public = _html(get_page(client, f"/events/{meet}/competition/stages/meet/disciplines/m100/rounds?lang=en"))
    assert "Heats" in public and "Final" in public and "Heat 2" in public
    programme = _html(get_page(client, f"/events/{meet}/competition/programme"))
    assert "竞赛日程" in programme and "2026-10-20 09:00" in programme and "男子100米" in programme


def test_only_organisers_draw_and_members_cannot_enter(client, callers, meet):
    path = _path(meet)
    member = post_form(client, path, callers["member"], {"action": "draw", "round": "h"})
    assert member.status_code == 403
    other = get_page(client, path, callers["other_unit_admin"])
    assert other.status_code == 403
    anonymous = get_page(client, f"/events/{meet}/competition/programme")
    assert anonymous.status_code == 200
