"""项目设置 over HTTP (issue 19 item 7): the organiser finds the page on the event's hub, sets up two categories with an
event each (one with a preliminary and a final, judges, criteria, tiers, a cap) and the units' award rule; a set-up
that cannot be played comes back with its problems in Chinese and English and nothing written; a unit admin who does
not organise the event is kept out."""

from __future__ import annotations

import re
from html import unescape

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.records import SCHOOL_UNIT_ID, EventFormat, EventKind
from chalicelib.storage import get_store
from tests.factories import published_event
from tests.http.browsing import get_page, post_form


def _text(response) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", response.body.decode()))


@pytest.fixture(scope="module")
def event(callers, demo_union):
    union_admin = Principal(staff_no=callers["union_admin"].staff_no, unit_id=SCHOOL_UNIT_ID, union_admin=True)
    fields = {"owner_unit_id": SCHOOL_UNIT_ID, "kind": EventKind.SKILLS, "format": EventFormat.CONTEST}
    return published_event(union_admin, days=20, hours=4, title_zh="岗位技能竞赛", capacity=80, **fields)


def _fields(weight: str = "0.6") -> dict:
    return {
        "e0.category": "teaching", "e0.category_zh": "教学类", "e0.category_en": "Teaching", "e0.code": "teach",
        "e0.name_zh": "课堂教学", "e0.name_en": "Classroom teaching", "e0.cap": "2", "e0.gender": "",
        "e0.judges": "J0001 J0002", "e0.criteria": f"教学设计 {weight}\n课堂实施 0.4", "e0.tiers": "一等奖 1\n二等奖 2",
        "e0.qualifiers": "4",
        "e1.category": "support", "e1.category_zh": "后勤保障类", "e1.code": "cook", "e1.name_zh": "中式烹调",
        "e1.cap": "", "e1.gender": "M", "e1.judges": "", "e1.criteria": "色香味 1", "e1.tiers": "一等奖 1",
        "e1.qualifiers": "",
        "a.points": "5 3", "a.rule": "both", "a.per_event": "1", "a.top": "2", "a.min_events": "1",
    }  # fmt: skip


def test_the_organiser_sets_up_categories_and_events(client, callers, event):
    path = f"/admin/events/{event.event_id}/contest-setup"
    hub = get_page(client, f"/admin/events/{event.event_id}/edit", callers["union_admin"])
    assert f'href="{path}"' in hub.body.decode()
    page = get_page(client, path, callers["union_admin"])
    assert page.status_code == 200 and "项目设置" in _text(page) and 'name="e0.code"' in page.body.decode()
    wrong = post_form(client, path, callers["union_admin"], _fields("0.7"))  # weights add up to 1.1
    assert wrong.status_code == 400 and "请检查以下内容" in _text(wrong) and "教学设计 0.7" in _text(wrong)
    wrong_en = post_form(client, path + "?lang=en", callers["union_admin"], _fields("0.7"))
    assert wrong_en.status_code == 400 and "Please check" in _text(wrong_en)
    assert get_store().competitions.get(event.event_id) is None
    saved = post_form(client, path, callers["union_admin"], _fields())
    assert saved.status_code in (302, 303), _text(saved)[:600]
    setup, _version = get_store().competitions.setup_version(event.event_id)
    assert [(c["code"], c["category_zh"], c["cap_per_unit"], c["gender"]) for c in setup["contests"]] == [
        ("teach", "教学类", 2, None), ("cook", "后勤保障类", None, "M")
    ]  # fmt: skip
    assert [(s["stage_id"], s["contest"], s["qualifiers"]) for s in setup["stages"]] == [
        ("teach-pre", "teach", 4), ("teach-final", "teach", 0), ("cook", "cook", 0)
    ]  # fmt: skip
    final = setup["stages"][1]["judging"]
    assert [p["judges"] for p in final["panels"]] == [["J0001", "J0002"]] and len(final["tiers"]) == 2
    assert setup["unit_awards"]["rule"] == "both" and [t["points"] for t in setup["unit_awards"]["tier_points"]] == [
        5,
        3,
    ]
    shown = get_page(client, path + "?done=saved", callers["union_admin"])
    assert "项目设置已保存" in _text(shown) and 'value="课堂教学"' in shown.body.decode()
    assert "教学设计 0.6" in _text(shown) and "一等奖 1" in _text(shown)


def test_a_unit_admin_who_does_not_organise_it_is_kept_out(client, callers, event):
    assert get_page(client, f"/admin/events/{event.event_id}/contest-setup", callers["unit_admin"]).status_code == 403
