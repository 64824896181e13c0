"""A unit admin's relay-teams page in headless Chromium on a 390x844 phone, over real HTTP (issue 19 item 3): the
rule is shown above the form, a member's select per leg; four men against a rule that wants a woman come back with
the rule's message on the team, a good team is saved and listed with its runners in order; nothing is wider than
the screen; in Chinese and English. Screenshots go to ``SHOTS_DIR`` when it is set.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import base64
import os
from datetime import date
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from chalicelib.domain.calendar import now
from chalicelib.domain.records import EventFormat, EventKind, Gender, Member
from chalicelib.services import competition as competition_service
from devtools.devserver import serving_in_thread
from tests.browser.site import PHONE, UNIT_ID, chromium, open_as, page_text, small_union, wait_gone
from tests.factories import published_event

RUNNERS = [("R0001", "李明", Gender.MALE, 1999), ("R0002", "王强", Gender.MALE, 1990),
           ("R0003", "张伟", Gender.MALE, 1988), ("R0004", "赵军", Gender.MALE, 1975),
           ("R0005", "刘芳", Gender.FEMALE, 1989)]  # fmt: skip
RULE = {"bands": [{"max_age": 29, "min_runners": 1, "max_runners": 1},
                  {"min_age": 30, "max_age": 40, "min_runners": 2, "max_runners": 2},
                  {"min_age": 41, "min_runners": 1, "max_runners": 1}], "min_women": 1}  # fmt: skip
RULE_BROKEN = {
    "zh": "组队规则：至少 1 名女队员，现有 0 名",
    "en": "Composition rule: at least 1 woman/women, the team has 0",
}
SAVED = {"zh": "接力队已保存", "en": "The team is saved"}


@pytest.fixture(scope="module")
def site(dynamodb):
    members = [Member(s, name, gender, date(year, 6, 1), UNIT_ID) for s, name, gender, year in RUNNERS]
    union = small_union(dynamodb, members)
    event = published_event(
        union.organiser, days=7, hours=4, store=union.store, owner_unit_id=UNIT_ID, kind=EventKind.SPORTS,
        format=EventFormat.MEET, title_zh="秋季田径运动会", title_en="Autumn athletics meet", capacity=50,
    )  # fmt: skip
    relay = {"code": "X4X100", "name_zh": "混合4×100米接力", "name_en": "Mixed 4 × 100 m relay", "measure": "time",
             "relay": True, "reserves": 1, "relay_rule": RULE}  # fmt: skip
    stages = [{"stage_id": "meet", "kind": "measured", "name_zh": "田径", "meet": {"disciplines": [relay]}}]
    competition_service.configure(union.store, union.organiser, event.event_id, {"stages": stages}, now())
    with serving_in_thread() as base:
        yield {"base": base, "token": next(iter(union.tokens.values())), "event_id": event.event_id}


def _submit(driver, legs) -> None:
    for n, staff_no in enumerate(legs, start=1):
        Select(driver.find_element(By.ID, f"f-X4X100-new-leg{n}")).select_by_value(staff_no)
    save = driver.find_element(By.CSS_SELECTOR, "#form-X4X100-new button[value=save]")
    save.click()
    wait_gone(driver, save)


def _shot(driver, name: str) -> None:
    if shots := os.environ.get("SHOTS_DIR"):
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True})
        Path(shots, name).write_bytes(base64.b64decode(shot["data"]))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_unit_admin_enters_a_relay_team_on_a_phone(site, language):
    with chromium(size=PHONE, mobile=True) as driver:
        open_as(driver, site["base"], site["token"], f"/admin/events/{site['event_id']}/relays", language)
        body = driver.find_element(By.TAG_NAME, "body").text
        assert ("1 runner(s) aged ≤29" if language == "en" else "≤29 岁的队员 1 名") in body
        legs = ["R0001", "R0002", "R0003", "R0004"] if language == "zh" else ["R0001", "R0005", "R0003", "R0004"]
        if language == "zh":
            _submit(driver, legs)
            assert RULE_BROKEN["zh"] in driver.find_element(By.ID, "e-team").text
            _shot(driver, "relay-refused-zh.png")
            legs = ["R0001", "R0005", "R0003", "R0004"]
        _submit(driver, legs)
        body = driver.find_element(By.TAG_NAME, "body").text
        assert SAVED[language] in body and "李明（R0001） → 刘芳（R0005）" in body
        assert driver.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
        _shot(driver, f"relay-{language}.png")
        if language == "zh":  # the team is entered: withdraw it for the English run
            withdraw = driver.find_element(By.CSS_SELECTOR, "button[value=withdraw]")
            withdraw.click()
            wait_gone(driver, withdraw)
            WebDriverWait(driver, 10).until(lambda d: "接力队已撤销" in page_text(d))
