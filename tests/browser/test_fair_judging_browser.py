"""Fair judging on a phone (issue 19 item 8), in headless Chromium at 390x844 over real HTTP, in Chinese and
English: a judge who entered the contest after being named sees the others by number only (no names), her own
entry listed as one she does not mark, and saves a mark for No. n; the organiser's page shows the order of
appearance drawn by lot with its seed, and closing the panel with marks missing lists who owes which numbers
before a second button closes it. Nothing is wider than the screen. Screenshots go to ``SHOTS_DIR`` when set.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import SERIES, EventFormat, EventKind, EventStatus, Gender, Member
from chalicelib.services import competition as competition_service
from chalicelib.services import competition_fairness, competition_officials
from chalicelib.services import events as event_service
from chalicelib.services import registration as registration_service
from devtools.devserver import serving_in_thread
from tests.browser.site import PHONE, UNIT_ID, chromium, open_as, small_union, wait_gone
from tests.factories import published_event

SINGERS = [Member(f"S000{n}", name, Gender.FEMALE, date(1990, 1, n), UNIT_ID) for n, name in ((1, "孙一"), (2, "李二"))]
JUDGE = Member("J0001", "周评委", Gender.FEMALE, date(1980, 2, 2), UNIT_ID)
OTHER = Member("J0002", "吴评委", Gender.MALE, date(1980, 3, 3), UNIT_ID)
WORDS = {
    "zh": {"excused": "您本人参赛", "number": "号", "missing": "以下评委还有选手未评分", "confirm": "仍然结束评分"},
    "en": {"excused": "you are in this entry", "number": "No.", "missing": "have not marked", "confirm": "anyway"},
}


@pytest.fixture(scope="module")
def site(dynamodb):
    union = small_union(dynamodb, [*SINGERS, JUDGE, OTHER], signed_in=[JUDGE.staff_no])
    event = published_event(
        union.organiser, days=7, hours=4, store=union.store, owner_unit_id=UNIT_ID, kind=EventKind.SKILLS,
        format=EventFormat.CONTEST, title_zh="青年歌手大赛", title_en="Young singers' contest", capacity=20,
    )  # fmt: skip
    event_service.change_status(union.store, union.organiser, event.event_id, EventStatus.REGISTRATION_OPEN, now())
    for judge in (JUDGE, OTHER):
        competition_officials.name_official(
            union.store, union.organiser, event.event_id, judge.staff_no, "judge", now()
        )
    for singer in (*SINGERS, JUDGE):  # the judge enters after being named
        registration_service.register(union.store, Principal(staff_no=singer.staff_no), event.event_id, SERIES, {},
                                      now())  # fmt: skip
    criteria = [{"code": "voice", "name_zh": "演唱", "name_en": "Singing", "weight": 1}]
    stage = {"stage_id": "final", "kind": "judged", "name_zh": "决赛", "name_en": "Final",
             "judging": {"criteria": criteria, "aggregation": "mean"}}  # fmt: skip
    competition_service.configure(union.store, union.organiser, event.event_id, {"stages": [stage]}, now())
    competition_service.open_stage(union.store, union.organiser, event.event_id, "final", now())
    competition_fairness.draw_order(union.store, union.organiser, event.event_id, "final", now(), seed="c0ffee")
    with serving_in_thread() as base:
        yield {"base": base, "union": union, "event": event}


def _shot(driver, name: str) -> None:
    if os.environ.get("SHOTS_DIR"):
        driver.save_screenshot(str(Path(os.environ["SHOTS_DIR"]) / name))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_judge_marks_by_number_and_the_organiser_is_warned_of_missing_marks(site, language):
    union, event, words = site["union"], site["event"], WORDS[language]
    with chromium(size=PHONE, mobile=True) as driver:
        open_as(driver, site["base"], union.tokens[JUDGE.staff_no], f"/events/{event.event_id}/judging/final", language)
        page = driver.find_element(By.TAG_NAME, "main").text
        assert words["excused"] in driver.find_element(By.ID, "excused").text
        assert not any(singer.name in page for singer in SINGERS) and words["number"] in page
        form = driver.find_elements(By.CSS_SELECTOR, "form.entrant")[0]
        field = form.find_element(By.CSS_SELECTOR, "input[name=m_voice]")
        field.clear()
        field.send_keys("88")
        save = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
        save.click()
        wait_gone(driver, save)
        assert 'value="88"' in driver.page_source
        assert driver.execute_script("return document.scrollingElement.scrollWidth") <= PHONE[0]
        _shot(driver, f"judge-sheet-{language}.png")

        open_as(driver, site["base"], union.tokens["A0001"], f"/admin/events/{event.event_id}/competition", language)
        assert "c0ffee" in driver.find_element(By.ID, "order-final").text
        close = driver.find_element(By.CSS_SELECTOR, "#stage-final button[value=close]")
        driver.execute_script("arguments[0].removeAttribute('data-confirm')", close)  # the page's own confirm()
        close.click()
        warning = WebDriverWait(driver, 10).until(
            expected_conditions.presence_of_element_located((By.ID, "missing-marks"))
        )
        assert words["missing"] in warning.text and OTHER.staff_no in warning.text and words["confirm"] in warning.text
        assert driver.execute_script("return document.scrollingElement.scrollWidth") <= PHONE[0]
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", warning)
        _shot(driver, f"close-warning-{language}.png")
    state = competition_service.managed(union.store, union.organiser, event.event_id)[1]
    assert state.competition.run("final").state == "drawn"  # warned, not closed
