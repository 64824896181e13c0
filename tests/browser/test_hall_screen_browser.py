"""The contest screen in the hall (issue 19 item 8) in headless Chromium over real HTTP: the organiser, on a phone at
390x844, goes from the competition page's stage card to 公布得分 and reveals No. 1's score; the screen (at 390x844
and on a 1920x1080 TV, in Chinese and English) then shows it, while No. 2's score, marked but not revealed, stays
hidden; nothing is wider than the screen. Screenshots go to ``SHOTS_DIR`` when set.

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
from chalicelib.services import competition_fairness, competition_officials
from chalicelib.services import events as event_service
from chalicelib.services import registration as registration_service
from devtools.devserver import serving_in_thread
from tests.browser.site import PHONE, UNIT_ID, chromium, open_as, press, small_union, wait_gone
from tests.factories import published_event

SINGERS = [
    Member(f"S000{n}", name, Gender.FEMALE, date(1990, 1, n), UNIT_ID)
    for n, name in ((1, "孙一"), (2, "李二"), (3, "张三"), (4, "赵四"))
]
JUDGES = [Member("J0001", "周评委", Gender.FEMALE, date(1980, 2, 2), UNIT_ID),
          Member("J0002", "吴评委", Gender.MALE, date(1980, 3, 3), UNIT_ID)]  # fmt: skip
TV = (1920, 1080)
WORDS = {
    "zh": {"on_stage": "正在比赛", "latest": "最新公布", "waiting": "待公布"},
    "en": {"on_stage": "On stage", "latest": "Just revealed", "waiting": "To come"},
}


@pytest.fixture(scope="module")
def site(dynamodb):
    union = small_union(dynamodb, [*SINGERS, *JUDGES])
    event = published_event(
        union.organiser, days=7, hours=4, store=union.store, owner_unit_id=UNIT_ID, kind=EventKind.SKILLS,
        format=EventFormat.CONTEST, title_zh="青年歌手大赛", title_en="Young singers' contest", capacity=20,
    )  # fmt: skip
    event_service.change_status(union.store, union.organiser, event.event_id, EventStatus.REGISTRATION_OPEN, now())
    for judge in JUDGES:
        competition_officials.name_official(union.store, union.organiser, event.event_id, judge.staff_no, "judge",
                                            now())  # fmt: skip
    for singer in SINGERS:
        registration_service.register(union.store, Principal(staff_no=singer.staff_no), event.event_id, SERIES, {},
                                      now())  # fmt: skip
    criteria = [{"code": "voice", "name_zh": "演唱", "name_en": "Singing", "weight": 1}]
    stage = {"stage_id": "final", "kind": "judged", "name_zh": "决赛", "name_en": "Final",
             "judging": {"criteria": criteria, "aggregation": "mean"}}  # fmt: skip
    competition_service.configure(union.store, union.organiser, event.event_id, {"stages": [stage]}, now())
    competition_service.publish(union.store, union.organiser, event.event_id, True, now())
    competition_service.open_stage(union.store, union.organiser, event.event_id, "final", now())
    state = competition_fairness.draw_order(union.store, union.organiser, event.event_id, "final", now(), seed="c0ffee")
    order = state.competition.run("final").order
    for judge, marks in zip(JUDGES, ((91, 84), (94, 80)), strict=True):  # No. 1: 92.50, No. 2: 82.00
        for entry, mark in zip(order[:2], marks, strict=True):
            competition_service.submit_marks(union.store, Principal(staff_no=judge.staff_no), event.event_id, "final",
                                             entry, {"voice": mark}, now())  # fmt: skip
    names = {singer.staff_no: singer.name for singer in SINGERS}
    with serving_in_thread() as base:
        yield {"base": base, "union": union, "event": event, "order": [names[e] for e in order]}


def _shot(driver, name: str) -> None:
    if os.environ.get("SHOTS_DIR"):
        driver.save_screenshot(str(Path(os.environ["SHOTS_DIR"]) / name))


def _fits(driver, width: int) -> bool:
    return driver.execute_script("return document.scrollingElement.scrollWidth") <= width


def test_the_organiser_reveals_a_score_from_the_stage_card(site):
    union, event = site["union"], site["event"]
    with chromium(size=PHONE, mobile=True) as driver:
        open_as(driver, site["base"], union.tokens["A0001"], f"/admin/events/{event.event_id}/competition", "zh")
        press(driver, driver.find_element(By.CSS_SELECTOR, "#hall-final a[href^='/admin/']"))
        rows = driver.find_element(By.ID, "reveal-rows").text
        assert "评委已评 2/2" in rows and "92.50" in rows and "评委已评 0/2" in rows
        assert _fits(driver, PHONE[0])
        _shot(driver, "hall-reveal-zh.png")
        button = driver.find_element(By.CSS_SELECTOR, "#entry-1 button[type=submit]")
        button.click()
        wait_gone(driver, button)
        assert "得分已公布" in driver.find_element(By.TAG_NAME, "main").text
        assert not driver.find_elements(By.CSS_SELECTOR, "#entry-1 button[type=submit]")  # revealed: no button
        assert driver.find_elements(By.CSS_SELECTOR, "#entry-2 button[type=submit]")  # marked, not revealed yet
        assert not driver.find_elements(By.CSS_SELECTOR, "#entry-3 button[type=submit]")  # not marked yet
    run = competition_service.managed(union.store, union.organiser, event.event_id)[1].competition.run("final")
    assert len(run.revealed) == 1


@pytest.mark.parametrize(("language", "size"), [("zh", PHONE), ("en", PHONE), ("zh", TV), ("en", TV)])
def test_the_screen_shows_the_revealed_score_only(site, language, size):
    union, event, words, order = site["union"], site["event"], WORDS[language], site["order"]
    run = competition_service.managed(union.store, union.organiser, event.event_id)[1].competition.run("final")
    if not run.revealed:  # run alone: reveal No. 1 as the organiser's page would
        competition_fairness.reveal_score(union.store, union.organiser, event.event_id, "final", 1, now())
    with chromium(size=size, mobile=size == PHONE) as driver:
        open_as(driver, site["base"], union.tokens["A0001"], f"/events/{event.event_id}/competition", language)
        press(driver, driver.find_element(By.ID, "hall-link"))
        text = driver.find_element(By.TAG_NAME, "body").text
        headings = text.lower()  # the headings are shown in capitals (text-transform)
        assert all(words[key].lower() in headings for key in ("on_stage", "latest", "waiting"))
        assert driver.find_element(By.ID, "latest").text.endswith("92.50") and order[0] in text
        assert order[1] in driver.find_element(By.ID, "on-stage").text
        assert "82.00" not in text  # marked, not revealed
        assert driver.find_element(By.CSS_SELECTOR, "meta[http-equiv=refresh]").get_attribute("content") == "10"
        assert _fits(driver, size[0])
        _shot(driver, f"hall-screen-{language}-{size[0]}.png")
