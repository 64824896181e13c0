"""A unit admin enters a dragon boat crew in headless Chromium on a 390x844 phone over real HTTP (issue 19 item 5):
the crews page speaks of a boat (龙舟队, 桨手, 鼓手, 舵手); ten paddlers with only three women come back with the
rule's message on the crew; with four women the crew is saved and listed with its drummer and helm; nothing is wider
than the screen; in Chinese and English. Screenshots go to ``SHOTS_DIR`` when it is set.

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
from tests.browser.site import PHONE, UNIT_ID, chromium, open_as, page_text, press, small_union
from tests.factories import published_event

WOMEN = [Member(f"W00{n:02d}", f"女{n}", Gender.FEMALE, date(1985, 3, n), UNIT_ID) for n in range(1, 6)]
MEN = [Member(f"M00{n:02d}", f"男{n}", Gender.MALE, date(1982, 4, n), UNIT_ID) for n in range(1, 10)]
BOAT = {"code": "DB200", "name_zh": "200米直道竞速", "name_en": "200 m straight", "measure": "time", "relay": True,
        "legs": 10, "reserves": 1, "crew_roles": ["drummer", "helm"], "relay_rule": {"min_women": 4}}  # fmt: skip
RULE_BROKEN = {"zh": "组队规则：至少 4 名女队员，现有 3 名", "en": "at least 4 wom"}
SAVED = {"zh": "龙舟队已保存", "en": "Crew saved"}
TITLE = {"zh": "龙舟队报名", "en": "Dragon boat crews"}


@pytest.fixture(scope="module")
def site(dynamodb):
    union = small_union(dynamodb, [*WOMEN, *MEN])
    event = published_event(
        union.organiser, days=30, hours=6, store=union.store, owner_unit_id=UNIT_ID, kind=EventKind.SPORTS,
        format=EventFormat.MEET, title_zh="教职工龙舟赛", title_en="Staff dragon boat race", capacity=50,
    )  # fmt: skip
    stages = [{"stage_id": "boats", "kind": "measured", "name_zh": "龙舟", "meet": {"disciplines": [BOAT]}}]
    competition_service.configure(union.store, union.organiser, event.event_id, {"stages": stages}, now())
    with serving_in_thread() as base:
        yield {"base": base, "token": next(iter(union.tokens.values())), "event_id": event.event_id}


def _submit(driver, paddlers, drummer, helm) -> None:
    for n, staff_no in enumerate(paddlers, start=1):
        Select(driver.find_element(By.ID, f"f-DB200-new-leg{n}")).select_by_value(staff_no)
    Select(driver.find_element(By.ID, "f-DB200-new-drummer")).select_by_value(drummer)
    Select(driver.find_element(By.ID, "f-DB200-new-helm")).select_by_value(helm)
    save = driver.find_element(By.CSS_SELECTOR, "#form-DB200-new button[value=save]")
    press(driver, save)


def _shot(driver, name: str) -> None:
    if shots := os.environ.get("SHOTS_DIR"):
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True})
        Path(shots, name).write_bytes(base64.b64decode(shot["data"]))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_unit_admin_enters_a_crew_of_twelve_on_a_phone(site, language):
    three_women = [w.staff_no for w in WOMEN[:3]] + [m.staff_no for m in MEN[:7]]
    four_women = [w.staff_no for w in WOMEN[:4]] + [m.staff_no for m in MEN[:6]]
    with chromium(size=PHONE, mobile=True) as driver:
        open_as(driver, site["base"], site["token"], f"/admin/events/{site['event_id']}/relays", language)
        assert TITLE[language] in driver.find_element(By.TAG_NAME, "h1").text
        if language == "zh":
            _submit(driver, three_women, "M0008", "M0009")
            assert RULE_BROKEN["zh"] in driver.find_element(By.ID, "e-team").text
            _shot(driver, "crew-refused-zh.png")
        _submit(driver, four_women, "M0008", "M0009")
        body = driver.find_element(By.TAG_NAME, "body").text
        assert (
            SAVED[language] in body and ("鼓手：男8（M0008）" if language == "zh" else "Drummer: 男8（M0008）") in body
        )
        assert driver.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
        _shot(driver, f"crew-{language}.png")
        if language == "zh":  # withdraw the crew for the English run
            press(driver, driver.find_element(By.CSS_SELECTOR, "button[value=withdraw]"))
            WebDriverWait(driver, 10).until(lambda d: "龙舟队已撤销" in page_text(d))
