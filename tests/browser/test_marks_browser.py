"""Marks as officials write them, in headless Chromium on a 390x844 phone over real HTTP (issue 19 item 4): on a
100 m's entry page a referee types 999999 for one runner and is refused at that input with the 100 m's range
(9.58 s to 100 s) named, nothing written; then DNF for another, which is saved and shown in its box and in the
placings; the legend of codes is on the page; nothing is wider than the screen; in Chinese and English.
Screenshots go to ``SHOTS_DIR`` when it is set.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

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
from chalicelib.services import registration as registration_service
from devtools.devserver import serving_in_thread
from tests.browser.site import ORGANISER, PHONE, UNIT_ID, chromium, open_as, small_union, wait_gone
from tests.factories import published_event

RUNNERS = [Member(f"R000{n}", name, Gender.MALE, date(1990, 1, n), UNIT_ID) for n, name in ((1, "赵一"), (2, "钱二"))]
RANGE = {"zh": "男子100米的成绩应在 9.58 秒到 100 秒之间", "en": "A time in Men's 100 m is between 9.58 s and 100 s"}
LEGEND = {"zh": "代码：DNS 未起跑（弃权）", "en": "Codes: DNS did not start"}


@pytest.fixture(scope="module")
def site(dynamodb):
    union = small_union(dynamodb, RUNNERS)
    event = published_event(
        union.organiser, days=7, hours=4, store=union.store, owner_unit_id=UNIT_ID, kind=EventKind.SPORTS,
        format=EventFormat.MEET, title_zh="秋季田径运动会", title_en="Autumn athletics meet", capacity=20,
    )  # fmt: skip
    event_service.change_status(union.store, union.organiser, event.event_id, EventStatus.REGISTRATION_OPEN, now())
    for runner in RUNNERS:
        who = Principal(staff_no=runner.staff_no, unit_id=UNIT_ID)
        registration_service.register(union.store, who, event.event_id, SERIES, {}, now())
    discipline = {"code": "m100", "name_zh": "男子100米", "name_en": "Men's 100 m", "measure": "time",
                  "entries": [runner.staff_no for runner in RUNNERS]}  # fmt: skip
    stages = [{"stage_id": "meet", "kind": "measured", "name_zh": "田径", "meet": {"disciplines": [discipline]}}]
    competition_service.configure(union.store, union.organiser, event.event_id, {"stages": stages}, now())
    competition_service.open_stage(union.store, union.organiser, event.event_id, "meet", now())
    path = f"/admin/events/{event.event_id}/competition/stages/meet/disciplines/m100"
    with serving_in_thread() as base:
        yield {"base": base, "token": union.tokens[ORGANISER], "path": path, "union": union, "event": event}


def _save(driver, runner: Member, typed: str) -> None:
    field = driver.find_element(By.ID, f"f-{runner.staff_no}-0")
    field.clear()
    field.send_keys(typed)
    save = driver.find_element(By.CSS_SELECTOR, f"#entry-{runner.staff_no} button[type=submit]")
    save.click()
    wait_gone(driver, save)


def _entered(site) -> dict:
    state = competition_service.managed(site["union"].store, site["union"].organiser, site["event"].event_id)[1]
    return state.performances.get("meet", {}).get("m100", {})


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_referee_types_codes_and_an_absurd_time_on_a_phone(site, language):
    first, second = RUNNERS
    with chromium(size=PHONE, mobile=True) as driver:
        open_as(driver, site["base"], site["token"], site["path"], language)
        assert LEGEND[language] in driver.find_element(By.ID, "codes").text
        assert driver.find_element(By.ID, "mark-range").text == RANGE[language]

        _save(driver, first, "999999")
        (marked,) = driver.find_elements(By.CSS_SELECTOR, "input[aria-invalid=true]")
        assert (marked.get_attribute("id"), marked.get_attribute("value")) == (f"f-{first.staff_no}-0", "999999")
        error = driver.find_element(By.ID, marked.get_attribute("aria-describedby"))
        assert RANGE[language] in error.text and error.is_displayed()
        assert first.staff_no not in _entered(site)  # nothing written
        assert driver.execute_script("return document.scrollingElement.scrollWidth") <= PHONE[0]
        if os.environ.get("SHOTS_DIR"):
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", error)
            driver.save_screenshot(str(Path(os.environ["SHOTS_DIR"]) / f"marks-refused-{language}.png"))

        _save(driver, second, "dnf" if language == "zh" else "ＤＮＦ")
        assert driver.find_element(By.ID, f"f-{second.staff_no}-0").get_attribute("value") == "DNF"
        placings = driver.find_element(By.CSS_SELECTOR, "section.card table").text
        assert second.name in placings and "DNF" in placings
        assert _entered(site)[second.staff_no] == {"attempts": [], "status": "DNF"}
        assert driver.execute_script("return document.scrollingElement.scrollWidth") <= PHONE[0]
        if os.environ.get("SHOTS_DIR"):
            driver.execute_script("window.scrollTo(0, 0)")
            driver.save_screenshot(str(Path(os.environ["SHOTS_DIR"]) / f"marks-dnf-{language}.png"))
