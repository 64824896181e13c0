"""A unit admin enters people across a skill contest's events on a 390x844 phone in headless Chromium, over real HTTP
(issue 19 item 7): the event and the member chosen from selects, the registration form's required question answered
for a member not yet registered (left blank: marked on the field), the same member then entered in a second event
without answering again; the unit's count against each event's cap; nothing wider than the screen; in Chinese and
English. Screenshots go to ``SHOTS_DIR`` when it is set.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import base64
import os
from datetime import date
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.forms import Question, QuestionKind
from chalicelib.domain.records import SCHOOL_UNIT_ID, EventFormat, EventKind, Gender, Member
from chalicelib.services import competition as competition_service
from devtools.devserver import serving_in_thread
from tests.browser.site import PHONE, UNIT_ID, chromium, open_as, small_union, wait_gone
from tests.factories import published_event

PEOPLE = [("S0001", "李明", Gender.MALE), ("S0002", "王芳", Gender.FEMALE), ("S0003", "张伟", Gender.MALE)]
CRITERIA = [{"code": "skill", "name_zh": "技能", "weight": 1}]
WORDS = {
    "zh": {"page": "报名（按项目）", "entered": "已报名。", "cook": "本单位已报 1/2 人", "weld": "本单位已报 1/1 人"},
    "en": {"page": "Entries by event", "entered": "Entered.", "cook": "your unit: 1 of 2", "weld": "your unit: 1 of 1"},
}  # fmt: skip


@pytest.fixture(scope="module")
def site(dynamodb):
    members = [Member(s, name, gender, date(1985, 6, 1), UNIT_ID) for s, name, gender in PEOPLE]
    union = small_union(dynamodb, members)
    admin = Principal(staff_no="A0001", unit_id=SCHOOL_UNIT_ID, union_admin=True)
    job = Question("job", QuestionKind.TEXT, "岗位", "Job", required=True)
    event = published_event(
        admin, days=7, hours=4, store=union.store, owner_unit_id=SCHOOL_UNIT_ID, kind=EventKind.SKILLS,
        format=EventFormat.CONTEST, title_zh="职工岗位技能竞赛", title_en="Staff skills contest", capacity=50,
        form=(job,),
    )  # fmt: skip
    stages = [{"stage_id": code, "kind": "judged", "name_zh": code, "contest": code, "judging": {"criteria": CRITERIA}}
              for code in ("cook", "weld")]  # fmt: skip
    contests = [
        {"code": "cook", "category": "food", "category_zh": "餐饮类", "category_en": "Catering", "name_zh": "中式烹调",
         "name_en": "Chinese cooking", "cap_per_unit": 2},
        {"code": "weld", "category": "works", "category_zh": "工程类", "category_en": "Engineering", "name_zh": "焊工",
         "name_en": "Welding", "cap_per_unit": 1},
    ]  # fmt: skip
    competition_service.configure(union.store, admin, event.event_id, {"stages": stages, "contests": contests}, now())
    with serving_in_thread() as base:
        yield {"base": base, "token": next(iter(union.tokens.values())), "event_id": event.event_id}


def _enter(driver, code: str, staff_no: str, job: str | None) -> None:
    Select(driver.find_element(By.ID, "f-contest")).select_by_value(code)
    Select(driver.find_element(By.ID, "f-member")).select_by_value(staff_no)
    field = driver.find_element(By.ID, "f-job")
    field.clear()
    if job is not None:
        field.send_keys(job)
    else:  # the browser would refuse an empty required field: let the server say it
        driver.execute_script("arguments[0].removeAttribute('required')", field)
    button = driver.find_element(By.CSS_SELECTOR, "#add button[value=enter]")
    button.click()
    wait_gone(driver, button)


def _shot(driver, name: str) -> None:
    if shots := os.environ.get("SHOTS_DIR"):
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True})
        Path(shots, name).write_bytes(base64.b64decode(shot["data"]))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_unit_admin_enters_people_across_events_on_a_phone(site, language):
    words = WORDS[language]
    person = "S0001" if language == "zh" else "S0002"
    path = f"/admin/events/{site['event_id']}/contest-entries"
    with chromium(size=PHONE, mobile=True) as driver:
        open_as(driver, site["base"], site["token"], path, language)
        assert words["page"] in driver.find_element(By.TAG_NAME, "h1").text
        _enter(driver, "cook", person, None)  # the form's question left blank: marked on it, nothing written
        assert driver.find_element(By.ID, "f-job").get_attribute("aria-invalid") == "true"
        assert driver.find_element(By.ID, "e-job").text
        _shot(driver, f"contest-entries-refused-{language}.png")
        _enter(driver, "cook", person, "厨师")
        body = driver.find_element(By.TAG_NAME, "body").text
        assert words["entered"] in body and words["cook"] in body
        _enter(driver, "weld", person, None)  # registered now: no answer needed
        body = driver.find_element(By.TAG_NAME, "body").text
        assert words["entered"] in body and words["weld"] in body
        assert driver.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
        _shot(driver, f"contest-entries-{language}.png")
        if language == "zh":  # withdraw both for the English run
            for _ in range(2):
                button = driver.find_element(By.CSS_SELECTOR, "button[value=withdraw]")
                button.click()
                wait_gone(driver, button)
