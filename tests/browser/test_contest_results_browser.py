"""A skill contest's 项目与成绩 and 项目设置 on a 390x844 phone in headless Chromium, over real HTTP (issue 19 item 7):
after two events are judged and closed, the public results page shows the units' ranking with 优秀组织奖 and each
event's awards; the organiser's set-up page shows the stored events; nothing is wider than the screen, in Chinese and
English. Screenshots go to ``SHOTS_DIR`` when it is set.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import base64
import os
from datetime import date
from pathlib import Path

from selenium.webdriver.common.by import By

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import SCHOOL_UNIT_ID, EventFormat, EventKind, Gender, Member
from chalicelib.services import competition as competition_service
from chalicelib.services import contests as contest_service
from devtools.devserver import serving_in_thread
from tests.browser.site import PHONE, UNIT_ID, chromium, open_as, small_union
from tests.factories import published_event

CRITERIA = [{"code": "skill", "name_zh": "技能", "weight": 1}]
TIERS = [
    {"code": "first", "name_zh": "一等奖", "name_en": "First prize", "count": 1},
    {"code": "second", "name_zh": "二等奖", "name_en": "Second prize", "count": 1},
]


def test_results_and_set_up_pages_fit_a_phone(dynamodb):
    members = [
        Member(f"S000{n}", name, Gender.MALE, date(1985, 6, 1), UNIT_ID)
        for n, name in ((1, "李明"), (2, "王强"), (3, "张伟"))
    ]
    union = small_union(dynamodb, members)
    admin = Principal(staff_no="A0001", unit_id=SCHOOL_UNIT_ID, union_admin=True)
    event = published_event(
        admin,
        days=7,
        hours=4,
        store=union.store,
        owner_unit_id=UNIT_ID,
        kind=EventKind.SKILLS,
        format=EventFormat.CONTEST,
        title_zh="职工岗位技能竞赛",
        title_en="Staff skills contest",
        capacity=50,
    )
    stages = [
        {
            "stage_id": c,
            "kind": "judged",
            "name_zh": n,
            "contest": c,
            "judging": {"criteria": CRITERIA, "aggregation": "mean", "tiers": TIERS},
        }
        for c, n in (("cook", "中式烹调"), ("weld", "焊工"))
    ]
    contests = [
        {
            "code": "cook",
            "category": "food",
            "category_zh": "餐饮类",
            "category_en": "Catering",
            "name_zh": "中式烹调",
            "name_en": "Chinese cooking",
            "cap_per_unit": 2,
        },
        {
            "code": "weld",
            "category": "works",
            "category_zh": "工程类",
            "category_en": "Engineering",
            "name_zh": "焊工",
            "name_en": "Welding",
            "cap_per_unit": 2,
        },
    ]
    awards = {"tier_points": [{"tier": "first", "points": 5}, {"tier": "second", "points": 3}], "top": 1}
    competition_service.configure(
        union.store,
        union.organiser,
        event.event_id,
        {"stages": stages, "contests": contests, "unit_awards": awards},
        now(),
    )
    for code, people in (("cook", ["S0001", "S0002"]), ("weld", ["S0003"])):
        for p in people:
            contest_service.enter(union.store, union.organiser, event.event_id, code, p, {}, now())
    state = None
    for code in ("cook", "weld"):
        state = competition_service.open_stage(union.store, union.organiser, event.event_id, code, now())
    for code, people in (("cook", ["S0001", "S0002"]), ("weld", ["S0003"])):
        for i, p in enumerate(people):
            union.store.competitions.put_marks(event.event_id, state.version, code, p, "J1", {"skill": 90 - i}, now())
    for code in ("cook", "weld"):
        competition_service.close_stage(union.store, union.organiser, event.event_id, code, now())
    competition_service.publish(union.store, union.organiser, event.event_id, True, now())
    token = next(iter(union.tokens.values()))
    with serving_in_thread() as base, chromium(size=PHONE, mobile=True) as driver:
        for lang in ("zh", "en"):
            for name, path in (
                ("results", f"/events/{event.event_id}/competition/contest"),
                ("setup", f"/admin/events/{event.event_id}/contest-setup"),
            ):
                open_as(driver, base, token, path, lang)
                body = driver.find_element(By.TAG_NAME, "body").text
                assert driver.execute_script("return document.documentElement.scrollWidth") <= PHONE[0], (name, lang)
                if name == "results":
                    award = "优秀组织奖" if lang == "zh" else "Excellent Organisation Award"
                    assert award in body and ("一等奖" if lang == "zh" else "First prize") in body
                else:
                    assert ("项目设置" if lang == "zh" else "Contest events") in body
                    assert driver.find_element(By.ID, "f-1-name_zh").get_attribute("value") == "焊工"
                if shots := os.environ.get("SHOTS_DIR"):
                    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True})
                    Path(shots, f"contest-{name}-{lang}.png").write_bytes(base64.b64decode(shot["data"]))
