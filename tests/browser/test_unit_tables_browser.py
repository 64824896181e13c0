"""A meet's unit tables on a 390x844 phone in headless Chromium, over real HTTP (issue 19 item 6): the public
competition page shows the fewer-entries rule, then a table per age group, per gender and overall, each with its
title, and the tie note on a shared rank; the page is no wider than the screen (a wide table scrolls in its own box);
in Chinese and English. Screenshots go to ``SHOTS_DIR`` when it is set.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import base64
import os
from datetime import date
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from chalicelib.domain.calendar import now
from chalicelib.domain.records import SCHOOL_UNIT_ID, EventFormat, EventKind, Gender, Member, Unit, UnitKind
from chalicelib.services import competition as competition_service
from chalicelib.services import meet as meet_service
from devtools.devserver import serving_in_thread
from tests.browser.site import PHONE, UNIT_ID, chromium, open_as, small_union
from tests.factories import published_event, register_all

UNITS = {"ee": "电气工程学院分工会", "math": "数学学院分工会"}
ATHLETES = [("C1", "cs", Gender.MALE), ("E1", "ee", Gender.MALE), ("H1", "math", Gender.MALE),
            ("C2", "cs", Gender.MALE), ("E2", "ee", Gender.MALE), ("H2", "math", Gender.MALE),
            ("C3", "cs", Gender.FEMALE), ("E3", "ee", Gender.FEMALE)]  # fmt: skip
TITLES = {
    "zh": ["男子甲组团体总分", "男子乙组团体总分", "男子团体总分", "女子团体总分", "总团体总分"],
    "en": ["Unit totals: Men Group A", "Unit totals: Men Group B", "Unit totals: Men", "Unit totals: Women",
           "Overall unit totals"],
}  # fmt: skip
RULE = {
    "zh": "参赛不足8人（队）时，按实际参赛人数减一录取计分",
    "en": "With fewer than 8 entries taking part, one place fewer than the entries scores",
}


@pytest.fixture(scope="module")
def site(dynamodb):
    members = [Member(s, f"选手{s}", gender, date(1985, 6, 1), unit) for s, unit, gender in ATHLETES]
    union = small_union(dynamodb)
    extra = [Unit(unit_id, UnitKind.SUB, name, parent_id=SCHOOL_UNIT_ID) for unit_id, name in UNITS.items()]
    union.store.units.put_many(extra)
    union.store.members.put_many(members)
    event = published_event(
        union.organiser, days=7, hours=4, store=union.store, owner_unit_id=UNIT_ID, kind=EventKind.SPORTS,
        format=EventFormat.MEET, title_zh="秋季田径运动会", title_en="Autumn athletics meet", capacity=50,
    )  # fmt: skip
    register_all(event.event_id, members, store=union.store)
    bands = [{"code": "A", "name_zh": "甲组", "name_en": "Group A", "max_age": 45},
             {"code": "B", "name_zh": "乙组", "name_en": "Group B", "min_age": 46}]  # fmt: skip
    disciplines = [
        {"code": "MA100", "name_zh": "男子甲组100米", "name_en": "Men Group A 100 m", "measure": "time",
         "group": "M-A", "entries": ["C1", "E1", "H1"]},
        {"code": "MB100", "name_zh": "男子乙组100米", "name_en": "Men Group B 100 m", "measure": "time",
         "group": "M-B", "entries": ["C2", "E2", "H2"]},
        {"code": "WLJ", "name_zh": "女子跳远", "name_en": "Women's long jump", "measure": "distance",
         "group": "F", "entries": ["C3", "E3"]},
    ]  # fmt: skip
    meet = {"disciplines": disciplines, "place_points": [9, 7, 6, 5, 4, 3, 2, 1], "bands": bands,
            "fewer_entries": "minus_one"}  # fmt: skip
    stages = [{"stage_id": "meet", "kind": "measured", "name_zh": "田径", "name_en": "Athletics", "meet": meet}]
    store, organiser, event_id = union.store, union.organiser, event.event_id
    competition_service.configure(store, organiser, event_id, {"stages": stages}, now())
    competition_service.open_stage(store, organiser, event_id, "meet", now())
    marks = {"MA100": {"C1": "12.10", "E1": "12.40", "H1": "12.90"}, "MB100": {"E2": "13.00", "C2": "13.20",
             "H2": "13.80"}, "WLJ": {"C3": "4.10", "E3": "3.90"}}  # fmt: skip
    for code, by_entry in marks.items():
        for entry, mark in by_entry.items():
            meet_service.enter_performance(store, organiser, event_id, "meet", code, entry, [mark], now())
    competition_service.close_stage(store, organiser, event_id, "meet", now())
    competition_service.publish(store, organiser, event_id, True, now())
    with serving_in_thread() as base:
        yield {"base": base, "token": next(iter(union.tokens.values())), "event_id": event_id}


def _shot(driver, name: str) -> None:
    if shots := os.environ.get("SHOTS_DIR"):
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True})
        Path(shots, name).write_bytes(base64.b64decode(shot["data"]))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_unit_tables_on_a_phone(site, language):
    with chromium(size=PHONE, mobile=True) as driver:
        open_as(driver, site["base"], site["token"], f"/events/{site['event_id']}/competition", language)
        headings = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "section.stage h3")]
        assert [text for text in headings if text in TITLES[language]] == TITLES[language]
        body = driver.find_element(By.TAG_NAME, "body").text
        assert RULE[language] in body
        # cs 9 (甲组 1st) + 7 (乙组 2nd) + 9 (跳远 1st) = 25; ee 7 + 9 = 16 (one 1st, one 2nd, as cs less one 1st).
        overall = driver.find_element(By.ID, "units-overall")
        table = overall.find_element(By.XPATH, "following-sibling::div[1]")
        rows = [row.text for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
        assert rows[0].startswith("1") and "计算机学院分工会" in rows[0] and "25" in rows[0]
        assert "电气工程学院分工会" in rows[1] and "16" in rows[1]
        width = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= PHONE[0], width
        _shot(driver, f"unit-tables-{language}.png")
