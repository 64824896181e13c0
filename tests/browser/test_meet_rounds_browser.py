"""Heats and a final in headless Chromium on a 390x844 phone over real HTTP (issue 19 item 2): the organiser draws
the heats of a 100 m, enters each heat's times (a refused time marks its input, nothing of the heat is saved),
closes the heats, sees Q and q, draws the final and prints its start list; the public programme lists the rounds;
nothing is wider than the screen; in Chinese and English. Screenshots go to ``SHOTS_DIR`` when it is set.

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
from chalicelib.services import registration as registration_service
from devtools.devserver import serving_in_thread
from tests.browser.site import ORGANISER, PHONE, UNIT_ID, chromium, open_as, press, small_union, wait_gone
from tests.factories import published_event

SPRINTERS = [Member(f"S00{n:02d}", f"短跑{n}号", Gender.MALE, date(1990, 2, n), UNIT_ID) for n in range(1, 11)]
ROUNDS = [{"code": "h", "lanes": 6, "by_place": 2, "by_time": 2, "day": "2026-10-20", "time": "09:00"},
          {"code": "f", "lanes": 6, "heats": 1, "day": "2026-10-20", "time": "15:30"}]  # fmt: skip
WORDS = {
    "zh": {"draw": "编排分组和道次", "save": "保存第 {n} 组成绩", "close": "结束本轮", "heats": "预赛", "final": "决赛",
           "refused": "100米", "programme": "竞赛日程"},
    "en": {"draw": "Draw heats and lanes", "save": "Save heat {n}", "close": "Close the round", "heats": "Heats",
           "final": "Final", "refused": "100", "programme": "Programme"},
}  # fmt: skip


def _site(dynamodb, language: str):
    union = small_union(dynamodb, SPRINTERS)
    event = published_event(
        union.organiser, days=7, hours=4, store=union.store, owner_unit_id=UNIT_ID, kind=EventKind.SPORTS,
        format=EventFormat.MEET, title_zh="秋季田径运动会", title_en="Autumn athletics meet", capacity=20,
    )  # fmt: skip
    event_service.change_status(union.store, union.organiser, event.event_id, EventStatus.REGISTRATION_OPEN, now())
    for sprinter in SPRINTERS:
        who = Principal(staff_no=sprinter.staff_no, unit_id=UNIT_ID)
        registration_service.register(union.store, who, event.event_id, SERIES, {}, now())
    m100 = {"code": "m100", "name_zh": "男子100米", "name_en": "Men's 100 m", "measure": "time", "event": "100m",
            "entries": [s.staff_no for s in SPRINTERS], "rounds": ROUNDS}  # fmt: skip
    stages = [{"stage_id": "meet", "kind": "measured", "name_zh": "田径", "name_en": "Athletics",
               "meet": {"disciplines": [m100]}}]  # fmt: skip
    competition_service.configure(union.store, union.organiser, event.event_id, {"stages": stages}, now())
    competition_service.open_stage(union.store, union.organiser, event.event_id, "meet", now())
    competition_service.publish(union.store, union.organiser, event.event_id, True, now())
    return union, event.event_id


def _shot(driver, name: str) -> None:
    if shots := os.environ.get("SHOTS_DIR"):
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True})
        Path(shots, name).write_bytes(base64.b64decode(shot["data"]))


def _button(driver, text: str):
    return next(b for b in driver.find_elements(By.CSS_SELECTOR, "button[type=submit]") if b.text == text)


def _click(driver, button) -> None:
    button.click()
    wait_gone(driver, button)


def _fill_heat(driver, number: int, times: dict[str, str]) -> None:
    heat = driver.find_element(By.ID, f"heat-h-{number}")
    for field in heat.find_elements(By.CSS_SELECTOR, "input[name^='m-']"):
        entry = field.get_attribute("name")[2:]
        field.clear()
        field.send_keys(times[entry])


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_organiser_runs_heats_and_a_final_on_a_phone(dynamodb, language):
    union, event_id = _site(dynamodb, language)
    words = WORDS[language]
    path = f"/admin/events/{event_id}/competition/stages/meet/disciplines/m100/rounds"
    times = {s.staff_no: f"12.{n:02d}" for n, s in enumerate(SPRINTERS, 10)}  # S0001 fastest
    with serving_in_thread() as base, chromium(size=PHONE, mobile=True) as driver:
        open_as(driver, base, union.tokens[ORGANISER], path, language)
        assert words["heats"] in driver.find_element(By.ID, "round-h").text
        _click(driver, _button(driver, words["draw"]))
        assert driver.find_element(By.ID, "heat-h-2").is_displayed()
        _shot(driver, f"rounds-drawn-{language}.png")
        # a refused time marks its input and saves nothing of the heat
        _fill_heat(driver, 1, {**times, **{entry: "999" for entry in times}})
        _click(driver, _button(driver, words["save"].format(n=1)))
        invalid = driver.find_elements(By.CSS_SELECTOR, "#heat-h-1 input[aria-invalid=true]")
        assert invalid and words["refused"] in driver.find_element(By.ID, "heat-h-1").text
        _shot(driver, f"rounds-refused-{language}.png")
        for number in (1, 2):
            _fill_heat(driver, number, times)
            _click(driver, _button(driver, words["save"].format(n=number)))
        _click(driver, _button(driver, words["close"]))
        tags = [tag.text for tag in driver.find_elements(By.CSS_SELECTOR, "#round-h .tag.done")]
        assert tags.count("Q") == 4 and tags.count("q") == 2
        _click(driver, _button(driver, words["draw"]))
        final = driver.find_element(By.ID, "round-f").text
        assert "S0001" not in final and "短跑1号" in final
        assert driver.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
        _shot(driver, f"rounds-final-{language}.png")
        press(driver, driver.find_element(By.CSS_SELECTOR, "#round-f a[href*='start-list']"))
        assert "短跑1号" in driver.find_element(By.TAG_NAME, "body").text
        _shot(driver, f"rounds-start-list-{language}.png")
        open_as(driver, base, union.tokens[ORGANISER], f"/events/{event_id}/competition/programme", language)
        assert words["programme"] in driver.find_element(By.TAG_NAME, "h1").text
        assert "2026-10-20 15:30" in driver.find_element(By.TAG_NAME, "table").text
        assert driver.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
        _shot(driver, f"rounds-programme-{language}.png")
