"""按报名生成项目 over HTTP (issue 19 item 1): the organiser adds the events question to the meet's registration
form from the page, members register choosing events, the page shows the groups by gender and age in Chinese and
English, an athlete over the limit is refused by name with nothing written, a merge and an apply write the set-up;
unit admins of other units and members are kept out; the hub and the competition page link it."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from html import unescape

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.competition.measured import age_on
from chalicelib.domain.records import SCHOOL_UNIT_ID, EventFormat, EventKind, MemberStatus
from chalicelib.services import competition as competition_service
from chalicelib.services import registration as registration_service
from chalicelib.storage import get_store
from tests.factories import published_event
from tests.http.browsing import get_page, post_form

BANDS = [
    {"code": "A", "name_zh": "甲组", "name_en": "Group A", "max_age": 35},
    {"code": "B", "name_zh": "乙组", "name_en": "Group B", "min_age": 36},
]
EVENTS = [
    {"code": "100m", "name_zh": "100米", "name_en": "100 m", "measure": "time"},
    {"code": "shot_put", "name_zh": "铅球", "name_en": "shot put", "measure": "distance", "attempts": 3,
     "by_age": False},
]  # fmt: skip


def _text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.body.decode())).split())


def _configure(admin, event_id, limit):
    meet = {"bands": BANDS, "events": EVENTS, "individual_limit": limit}
    stages = [{"stage_id": "meet", "kind": "measured", "name_zh": "田径", "meet": meet}]
    competition_service.configure(get_store(), admin, event_id, {"stages": stages}, now())


@pytest.fixture(scope="module")
def meet(callers, demo_union):
    admin = Principal(staff_no=callers["union_admin"].staff_no, unit_id=SCHOOL_UNIT_ID, union_admin=True)
    fields = {"owner_unit_id": SCHOOL_UNIT_ID, "kind": EventKind.SPORTS, "format": EventFormat.MEET}
    event = published_event(admin, days=14, hours=4, title_zh="趣味运动会", capacity=50, **fields)
    _configure(admin, event.event_id, 2)
    day = (now() + timedelta(days=14)).date()
    men = [m for m in demo_union.members if m.gender.value == "M" and m.status is MemberStatus.ACTIVE]
    young = [m for m in men if age_on(m.birth_date, day) <= 35][:2]
    older = [m for m in men if age_on(m.birth_date, day) >= 36][:1]
    return {"event": event, "admin": admin, "young": young, "older": older,
            "path": f"/admin/events/{event.event_id}/competition/meet-entries"}  # fmt: skip


def _register(meet, member, events):
    principal = Principal(staff_no=member.staff_no, unit_id=member.unit_id)
    registration_service.register(get_store(), principal, meet["event"].event_id, "series", {"events": events}, now())


def _setup(meet):
    return get_store().competitions.setup_version(meet["event"].event_id)


def test_question_registrations_review_refusal_merge_and_apply(client, callers, meet):
    admin = callers["union_admin"]
    hub = get_page(client, f"/admin/events/{meet['event'].event_id}/edit", admin)
    assert f'href="{meet["path"]}"' in hub.body.decode()
    manage = get_page(client, f"/admin/events/{meet['event'].event_id}/competition", admin)
    assert f'href="{meet["path"]}"' in manage.body.decode()
    page = get_page(client, meet["path"], admin)
    assert page.status_code == 200 and "报名表还没有“参赛项目”题" in _text(page)
    added = post_form(client, meet["path"], admin, {"do": "question"})
    assert added.status_code in (302, 303)
    form = get_store().events.get(meet["event"].event_id, consistent=True).form
    assert [o.option_id for o in form[-1].options] == ["100m", "shot_put"] and form[-1].max_choices == 2
    young, older = meet["young"], meet["older"]
    _register(meet, young[0], ["100m", "shot_put"])
    _register(meet, young[1], ["100m"])
    _register(meet, older[0], ["100m"])
    page = get_page(client, meet["path"], admin)
    text = _text(page)
    assert "男子甲组100米 · 2 人" in text and "男子乙组100米 · 1 人" in text and "男子铅球 · 1 人" in text
    assert "男子乙组100米只有 1 人报名，可并入男子甲组" in text
    english = _text(get_page(client, meet["path"] + "?lang=en", admin))
    assert "Men's Group A 100 m · 2 entered" in english and "has a single entrant: it could be merged into" in english
    # The limit lowered to one: applying is refused naming the athlete, in both languages, nothing written.
    _configure(meet["admin"], meet["event"].event_id, 1)
    before = _setup(meet)
    refused = post_form(client, meet["path"], admin, {"do": "apply", "version": str(before[1])})
    who = f"{young[0].name}（{young[0].staff_no}）"
    assert refused.status_code == 409 and f"有运动员超出个人项目限报数：{who}" in _text(refused)
    refused_en = post_form(client, meet["path"] + "?lang=en", admin, {"do": "apply", "version": str(before[1])})
    assert "Athletes over the individual event limit" in _text(refused_en) and young[0].staff_no in _text(refused_en)
    assert _setup(meet) == before
    # The organiser takes the shot put out, merges 乙组 into 甲组 and applies.
    dropped = {"do": "drop", "entrant": young[0].staff_no, "event": "shot_put", "version": str(before[1])}
    assert post_form(client, meet["path"], admin, dropped).status_code in (302, 303)
    version = str(_setup(meet)[1])
    merged = {"do": "merge", "group": "M-B", "into": "M-A", "event": "all", "version": version}
    assert post_form(client, meet["path"], admin, merged).status_code in (302, 303)
    stale = post_form(client, meet["path"], admin, {"do": "apply", "version": version})
    assert stale.status_code == 409
    applied = post_form(client, meet["path"], admin, {"do": "apply", "version": str(_setup(meet)[1])})
    assert applied.status_code in (302, 303)
    disciplines = {d["code"]: d["entries"] for d in _setup(meet)[0]["stages"][0]["meet"]["disciplines"]}
    assert disciplines == {"M-A-100m": [m.staff_no for m in (*young, *older)]}
    done = get_page(client, meet["path"] + "?done=applied", admin)
    assert "已按报名生成项目" in _text(done) and "含并入的男子乙组" in _text(done)


def test_only_the_organisers(client, callers, meet):
    for who in ("unit_admin", "member"):
        assert get_page(client, meet["path"], callers[who]).status_code == 403
        assert post_form(client, meet["path"], callers[who], {"do": "apply"}).status_code == 403


def test_the_api_previews_and_applies_with_the_version(client, callers, meet):
    api = f"/api/events/{meet['event'].event_id}/competition/meet-entries"
    admin = callers["union_admin"]
    shown = client.http.get(api, headers=admin.headers())
    assert shown.status_code == 200
    body = shown.json_body
    assert body["has_question"] is True and body["version"] == _setup(meet)[1]
    assert {d["code"] for d in body["disciplines"]} == {"M-A-100m"}
    json_headers = admin.headers(**{"Content-Type": "application/json", "Accept-Language": "en"})
    stale = client.http.post(api, headers=json_headers, body=json.dumps({"version": body["version"] - 1}))
    assert stale.status_code == 409 and stale.json_body["error"]["code"] == "competition_changed_meanwhile"
    unknown = client.http.post(api, headers=json_headers, body=json.dumps({"version": 1, "extra": 1}))
    assert unknown.status_code == 400
    applied = client.http.post(api, headers=json_headers, body=json.dumps({"version": body["version"]}))
    assert applied.status_code == 200 and applied.json_body["disciplines"][0]["changed"] is False
    assert client.http.get(api, headers=callers["unit_admin"].headers()).status_code == 403


def test_the_set_up_form_keeps_the_meet_settings_and_shows_one_blank_row(client, callers, meet):
    """Saving the set-up form (which shows neither the age groups nor the events) keeps them, the merges and each
    generated discipline's group; the form offers one blank discipline row, not two more on each save."""
    admin = callers["union_admin"]
    path = f"/admin/events/{meet['event'].event_id}/competition"
    before, _ = _setup(meet)
    (generated,) = before["stages"][0]["meet"]["disciplines"]
    form = get_page(client, path, admin).body.decode()
    assert form.count('name="d_name_zh"') == 2  # the generated discipline and one blank row
    setup = {
        "action": "setup", "template": "meet", "place_points": "9,7,6,5,4,3,2,1",
        "d_code": [generated["code"], ""], "d_name_zh": [generated["name_zh"], ""],
        "d_name_en": [generated["name_en"], ""], "d_measure": ["time", "time"], "d_attempts": ["1", ""],
        "d_min_mark": ["", ""], "d_max_mark": ["", ""], "d_event": ["100m", ""],
        "d0_entries": generated["entries"],
    }  # fmt: skip
    saved = post_form(client, path, admin, setup)
    assert saved.status_code == 303, _text(saved)[-400:]
    after, _ = _setup(meet)
    stored = after["stages"][0]["meet"]
    assert stored["place_points"] == [9, 7, 6, 5, 4, 3, 2, 1]
    for key in ("bands", "events", "individual_limit", "merges", "dropped"):
        assert stored[key] == before["stages"][0]["meet"][key], key
    assert stored["disciplines"][0]["group"] == "M-A" and stored["disciplines"][0]["entries"] == generated["entries"]
    form = get_page(client, path, admin).body.decode()
    assert form.count('name="d_name_zh"') == 2


def test_the_organiser_sets_the_groups_and_events_on_the_page(client, callers, meet):
    admin = callers["union_admin"]
    version = str(_setup(meet)[1])
    bad = post_form(client, meet["path"] + "?lang=en", admin, {"do": "settings", "cuts": "40,30", "version": version})
    assert bad.status_code == 400 and "Age group limits are rising whole numbers" in _text(bad)
    assert str(_setup(meet)[1]) == version
    fields = {"do": "settings", "cuts": "35，45", "limit": "２", "events": ["100m", "shot_put"], "by_age": ["100m"],
              "version": version}  # fmt: skip
    saved = post_form(client, meet["path"], admin, fields)
    assert saved.status_code in (302, 303)
    stored = _setup(meet)[0]["stages"][0]["meet"]
    assert [(b["name_zh"], b["max_age"]) for b in stored["bands"]] == [("甲组", 35), ("乙组", 45), ("丙组", None)]
    assert [(e["code"], e["by_age"]) for e in stored["events"]] == [("100m", True), ("shot_put", False)]
    page = _text(get_page(client, meet["path"] + "?done=settings", admin))
    assert "分组和项目已保存" in page and "甲组 35 岁及以下；乙组 36–45；丙组 46 岁及以上" in page


def test_a_meet_without_a_competition_is_set_up_from_the_page(client, callers, meet):
    admin = callers["union_admin"]
    fields = {"owner_unit_id": SCHOOL_UNIT_ID, "kind": EventKind.SPORTS, "format": EventFormat.MEET}
    event = published_event(meet["admin"], days=20, hours=4, title_zh="春季运动会", capacity=50, **fields)
    path = f"/admin/events/{event.event_id}/competition/meet-entries"
    first = get_page(client, path + "?lang=en", admin)
    assert first.status_code == 200 and "Set up as a meet" in _text(first)
    assert post_form(client, path, admin, {"do": "start"}).status_code in (302, 303)
    started = _text(get_page(client, path + "?done=started", admin))
    assert "运动会已设置" in started and "设置分组和项目" in started
    setup, _ = get_store().competitions.setup_version(event.event_id)
    assert setup["stages"][0]["kind"] == "measured" and setup["stages"][0]["name_zh"] == "田径比赛"
    again = post_form(client, path, admin, {"do": "start"})
    assert again.status_code == 409 and "本活动已设置竞赛" in _text(again)
    assert get_page(client, path, callers["member"]).status_code == 403
