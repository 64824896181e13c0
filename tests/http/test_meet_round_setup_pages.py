"""A discipline's rounds set by clicking (issue 19 item 2): the organiser picks a preset and the lanes on the rounds
page, saved through the competition's set-up; refused once the meet is under way (its first round drawn may
follow); members and other units' admins cannot; zh and en."""

from __future__ import annotations

from html import unescape

import pytest

from chalicelib.domain.calendar import now
from chalicelib.domain.records import MemberStatus
from chalicelib.services import competition as competition_service
from chalicelib.storage import get_store
from tests.http.browsing import get_page, post_form
from tests.http.test_marks_pages import _registered


@pytest.fixture(scope="module")
def meet(organiser, demo_union, callers):
    taken = {caller.staff_no for caller in callers.values()}
    members = [m for m in demo_union.members if m.status is MemberStatus.ACTIVE and m.staff_no not in taken][:5]
    event_id = _registered(organiser, "轮次设置运动会", members)
    m200 = {"code": "m200", "name_zh": "男子200米", "name_en": "Men's 200 m", "measure": "time", "event": "200m",
            "entries": [m.staff_no for m in members]}  # fmt: skip
    stages = [{"stage_id": "meet", "kind": "measured", "name_zh": "田径", "name_en": "Athletics",
               "meet": {"disciplines": [m200]}}]  # fmt: skip
    competition_service.configure(get_store(), organiser, event_id, {"stages": stages}, now())
    return event_id


def _html(response) -> str:
    return unescape(response.body.decode())


def _rounds(organiser, event_id):
    competition = competition_service.managed(get_store(), organiser, event_id)[1].competition
    return competition.stages[0].meet.disciplines[0].rounds


def test_rounds_set_by_preset_then_refused_once_drawn(client, callers, organiser, meet):
    admin = callers["unit_admin"]
    path = f"/admin/events/{meet}/competition/stages/meet/disciplines/m200/rounds"
    discipline_page = _html(get_page(client, path.removesuffix("/rounds"), admin))
    assert f'href="{path}"' in discipline_page  # the discipline's page links its rounds' set-up
    page = _html(get_page(client, path, admin))
    assert "设置轮次" in page and "预赛+半决赛+决赛" in page and "分组计时决赛" in page
    assert "Heats and final" in _html(get_page(client, path + "?lang=en", admin))
    saved = post_form(client, path, admin, {"action": "set", "preset": "heats_final", "lanes": "8"})
    assert saved.status_code == 303
    rounds = _rounds(organiser, meet)
    assert [(r.code, r.lanes, r.by_place, r.by_time, r.heats) for r in rounds] == [
        ("h", 8, 2, 2, None),
        ("f", 8, 0, 0, 1),
    ]
    assert "已设置轮次" in _html(get_page(client, path + "?done=set", admin))
    bad = post_form(client, path, admin, {"action": "set", "preset": "heats_final", "lanes": "40"})
    assert bad.status_code == 400 and len(_rounds(organiser, meet)) == 2
    timed = post_form(client, path, admin, {"action": "set", "preset": "timed", "lanes": "6"})
    assert timed.status_code == 303 and [(r.code, r.lanes) for r in _rounds(organiser, meet)] == [("f", 6)]
    competition_service.open_stage(get_store(), organiser, meet, "meet", now())
    assert "设置轮次" not in _html(get_page(client, path, admin))
    refused = post_form(client, path, admin, {"action": "set", "preset": "one", "lanes": "8"})
    assert refused.status_code == 409 and [r.code for r in _rounds(organiser, meet)] == ["f"]
    english = post_form(client, path + "?lang=en", admin, {"action": "set", "preset": "one", "lanes": "8"})
    assert english.status_code == 409 and 'role="alert"' in _html(english)


def test_only_the_organiser_sets_rounds(client, callers, organiser, meet):
    path = f"/admin/events/{meet}/competition/stages/meet/disciplines/m200/rounds"
    before = _rounds(organiser, meet)
    assert (
        post_form(client, path, callers["member"], {"action": "set", "preset": "one", "lanes": "8"}).status_code == 403
    )
    other = post_form(client, path, callers["other_unit_admin"], {"action": "set", "preset": "one", "lanes": "8"})
    assert other.status_code == 403 and _rounds(organiser, meet) == before
