"""按报名生成项目 in headless Chromium on a 390x844 phone, over real HTTP (issue 19 item 1): the organiser sets the
age groups and events, the members' chosen events make a discipline per gender and age group, a lone entrant's
group is merged into its neighbour and the disciplines are applied; nothing is wider than the screen; in Chinese
and English. Screenshots go to ``SHOTS_DIR`` when it is set.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import base64
import os
from datetime import date
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import EventFormat, EventKind, Gender, Member
from chalicelib.services import competition as competition_service
from chalicelib.services import meet_entries as meet_entries_service
from chalicelib.services import registration as registration_service
from devtools.devserver import serving_in_thread
from tests.browser.site import PHONE, UNIT_ID, chromium, open_as, page_text, small_union, wait_gone
from tests.factories import published_event

ATHLETES = [("K0001", "李明", Gender.MALE, 1998, ["100m", "shot_put"]),
            ("K0002", "王强", Gender.MALE, 1996, ["100m"]),
            ("K0003", "赵军", Gender.MALE, 1985, ["100m"]),
            ("K0004", "刘芳", Gender.FEMALE, 1989, ["shot_put"])]  # fmt: skip
WORDS = {
    "zh": ("男子甲组100米", "男子乙组100米只有 1 人报名，可并入男子甲组", "已按报名生成项目", "含并入的男子乙组"),
    "en": ("Men's Group A 100 m", "has a single entrant: it could be merged into Men's Group A",
           "The disciplines are applied", "with Men's Group B merged in"),
}  # fmt: skip


@pytest.fixture(scope="module")
def site(dynamodb):
    members = [Member(s, name, gender, date(year, 6, 1), UNIT_ID) for s, name, gender, year, _ in ATHLETES]
    union = small_union(dynamodb, members)
    events = {}
    for language in ("zh", "en"):
        event = published_event(
            union.organiser, days=7, hours=4, store=union.store, owner_unit_id=UNIT_ID, kind=EventKind.SPORTS,
            format=EventFormat.MEET, title_zh=f"秋季田径运动会{language}", title_en="Autumn meet", capacity=50,
        )  # fmt: skip
        stages = [{"stage_id": "meet", "kind": "measured", "name_zh": "田径", "meet": {}}]
        competition_service.configure(union.store, union.organiser, event.event_id, {"stages": stages}, now())
        events[language] = event.event_id
    with serving_in_thread() as base:
        yield {"base": base, "token": next(iter(union.tokens.values())), "events": events, "union": union}


def _shot(driver, name: str) -> None:
    if shots := os.environ.get("SHOTS_DIR"):
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True})
        Path(shots, name).write_bytes(base64.b64decode(shot["data"]))


def _press(driver, css: str) -> None:
    button = driver.find_element(By.CSS_SELECTOR, css)
    driver.execute_script("arguments[0].scrollIntoView()", button)
    button.click()
    wait_gone(driver, button)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_organiser_makes_the_meet_from_its_registrations_on_a_phone(site, language):
    event_id = site["events"][language]
    store = site["union"].store
    with chromium(size=PHONE, mobile=True) as driver:
        open_as(driver, site["base"], site["token"], f"/admin/events/{event_id}/competition/meet-entries", language)
        driver.find_element(By.CSS_SELECTOR, "#rules details summary").click()
        driver.find_element(By.ID, "s-cuts").send_keys("35,45")
        driver.find_element(By.ID, "s-limit").send_keys("2")
        for code in ("100m", "shot_put"):
            driver.find_element(By.CSS_SELECTOR, f"input[name=events][value='{code}']").click()
        _press(driver, "#settings button[value=settings]")
        _press(driver, "#rules button[value=question]")
        for staff_no, _name, _gender, _year, events in ATHLETES:
            principal = Principal(staff_no=staff_no, unit_id=UNIT_ID)
            registration_service.register(store, principal, event_id, "series", {"events": events}, now())
        driver.refresh()
        body = driver.find_element(By.TAG_NAME, "body").text
        assert WORDS[language][0] in body and WORDS[language][1] in body
        _shot(driver, f"meet-entries-review-{language}.png")
        Select(driver.find_element(By.ID, "m-group")).select_by_value("M-B")
        Select(driver.find_element(By.ID, "m-into")).select_by_value("M-A")
        _press(driver, "#merges button[value=merge]")
        _press(driver, "#apply button[value=apply]")
        WebDriverWait(driver, 10).until(lambda d: WORDS[language][2] in page_text(d))
        assert WORDS[language][3] in driver.find_element(By.TAG_NAME, "body").text
        assert driver.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
        _shot(driver, f"meet-entries-applied-{language}.png")
    meet = meet_entries_service.preview(store, site["union"].organiser, event_id).meet
    assert {d.code: d.entries for d in meet.disciplines} == {
        "M-A-100m": ("K0001", "K0002", "K0003"),
        "M-shot_put": ("K0001",),
        "F-shot_put": ("K0004",),
    }
