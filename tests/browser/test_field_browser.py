"""A field event with a final in headless Chromium on a 390x844 phone over real HTTP (issue 19 item 2): ten long
jumpers have had three trials; the organiser's discipline page shows the field card (the best eight, the 4th round's
order in reverse order of the standing, the standing after each round) and the forms in the drawn order; a 4th trial
typed for the ninth is refused at that input, one for a finalist is saved; nothing is wider than the screen; in
Chinese and English. Screenshots go to ``SHOTS_DIR`` when it is set.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import base64
import os
from datetime import date
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import SERIES, EventFormat, EventKind, EventStatus, Gender, Member
from chalicelib.services import competition as competition_service
from chalicelib.services import events as event_service
from chalicelib.services import meet as meet_service
from chalicelib.services import registration as registration_service
from devtools.devserver import serving_in_thread
from tests.browser.site import ORGANISER, PHONE, UNIT_ID, chromium, open_as, small_union, wait_gone
from tests.factories import published_event

JUMPERS = [Member(f"J00{n:02d}", f"跳远{n}号", Gender.MALE, date(1990, 1, n), UNIT_ID) for n in range(1, 11)]
CARD = {"zh": "进入后 3 次试跳（掷）的运动员（8 名）", "en": "In the last 3 trials (8)"}
REFUSED = {"zh": "此人未进入前 8 名，没有保存", "en": "this athlete is not among them, nothing was saved"}


@pytest.fixture(scope="module")
def site(dynamodb):
    union = small_union(dynamodb, JUMPERS)
    event = published_event(
        union.organiser, days=7, hours=4, store=union.store, owner_unit_id=UNIT_ID, kind=EventKind.SPORTS,
        format=EventFormat.MEET, title_zh="秋季田径运动会", title_en="Autumn athletics meet", capacity=20,
    )  # fmt: skip
    event_service.change_status(union.store, union.organiser, event.event_id, EventStatus.REGISTRATION_OPEN, now())
    for jumper in JUMPERS:
        who = Principal(staff_no=jumper.staff_no, unit_id=UNIT_ID)
        registration_service.register(union.store, who, event.event_id, SERIES, {}, now())
    discipline = {"code": "lj", "name_zh": "男子跳远", "name_en": "Men's long jump", "measure": "distance",
                  "attempts": 6, "final_after": 3, "entries": [jumper.staff_no for jumper in JUMPERS]}  # fmt: skip
    stages = [{"stage_id": "meet", "kind": "measured", "name_zh": "田径", "meet": {"disciplines": [discipline]}}]
    competition_service.configure(union.store, union.organiser, event.event_id, {"stages": stages}, now())
    competition_service.open_stage(union.store, union.organiser, event.event_id, "meet", now(), seed="field-browser")
    for index, jumper in enumerate(JUMPERS):  # 6.00, 5.90 ... 5.10: J0001 leads, J0009 and J0010 are out
        marks = [f"{6 - index / 10:.2f}", "X", "4.50"]
        meet_service.enter_performance(union.store, union.organiser, event.event_id, "meet", "lj",
                                       jumper.staff_no, marks, now())  # fmt: skip
    path = f"/admin/events/{event.event_id}/competition/stages/meet/disciplines/lj"
    with serving_in_thread() as base:
        yield {"base": base, "token": union.tokens[ORGANISER], "path": path}


def _type_fourth(driver, staff_no: str, typed: str) -> None:
    field = driver.find_element(By.ID, f"f-{staff_no}-3")
    field.clear()
    field.send_keys(typed)
    save = driver.find_element(By.CSS_SELECTOR, f"#entry-{staff_no} button[type=submit]")
    save.click()
    wait_gone(driver, save)


def _shot(driver, name: str) -> None:
    if shots := os.environ.get("SHOTS_DIR"):
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True})
        Path(shots, name).write_bytes(base64.b64decode(shot["data"]))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_organiser_follows_the_best_eight_on_a_phone(site, language):
    with chromium(size=PHONE, mobile=True) as driver:
        open_as(driver, site["base"], site["token"], site["path"], language)
        card = driver.find_element(By.ID, "field-card")
        assert CARD[language] in card.text
        finalists = [item.text for item in driver.find_elements(By.CSS_SELECTOR, "#field-finalists li")]
        assert len(finalists) == 8 and finalists[0].startswith("跳远1号") and "跳远9号" not in " ".join(finalists)
        fourth = driver.find_element(By.ID, "field-round-4")
        assert fourth.get_attribute("open") is not None  # the round to come is open
        order = [item.text for item in fourth.find_elements(By.CSS_SELECTOR, "ol li")]
        assert order[0].startswith("跳远8号") and order[-1].startswith("跳远1号")  # the leader jumps last
        _shot(driver, f"field-card-{language}.png")
        _type_fourth(driver, "J0009", "6.50")
        assert REFUSED[language] in driver.find_element(By.ID, "entry-J0009").text
        assert driver.find_element(By.ID, "f-J0009-3").get_attribute("aria-invalid") == "true"
        _shot(driver, f"field-refused-{language}.png")
        _type_fourth(driver, "J0008", "5.80" if language == "zh" else "5.85")
        assert driver.find_element(By.ID, "f-J0008-3").get_attribute("value") in ("5.80", "5.85")
        assert driver.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
