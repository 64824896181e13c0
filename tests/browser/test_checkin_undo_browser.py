"""Removing a mistaken check-in (撤销签到) on a phone, in headless Chromium against the app over real HTTP, at 390x844
in Chinese and English: a member named check-in staff of the door opens it from the station, taps 撤销 on the guest
checked in by mistake, gives a reason and confirms; the list says so and no longer holds the guest, the station's
count drops. Nothing wider than the screen, no script on the way. Screenshots go to SHOTS_DIR when it is set."""

from __future__ import annotations

import uuid

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from chalicelib.domain.calendar import now
from chalicelib.services import checkin as checkin_service
from chalicelib.services.checkin import Scan
from devtools.devserver import serving_in_thread
from tests.browser.site import PHONE, UNIT_ID, chromium, fits_phone, guests, open_as, press, screenshot, small_union
from tests.factories import published_event, register_all

STAFF = "M0001"  # the first guest is the door's check-in staff; the others are registered


@pytest.fixture(scope="module")
def site(dynamodb):
    people = guests("来宾", 5)
    union = small_union(dynamodb, people, signed_in=[STAFF])
    event = published_event(
        union.organiser, days=0.01, store=union.store, owner_unit_id=UNIT_ID, title_zh="撤销讲座", capacity=10
    )
    register_all(event.event_id, people[1:], store=union.store)
    checkin_service.name_staff(union.store, union.organiser, event.event_id, STAFF, ["entry"], now())
    for person in people[1:]:
        scan = Scan(uuid.uuid4().hex, "entry", staff_no=person.staff_no)
        checkin_service.check_in(union.store, union.organiser, event.event_id, scan, "东门", now())
    with serving_in_thread() as base:
        yield {"base": base, "token": union.tokens[STAFF], "event": event, "people": people, "store": union.store}


def _count(driver) -> str:
    WebDriverWait(driver, 10).until(lambda _: driver.find_element(By.ID, "count-in").text not in ("", "–"))
    return driver.find_element(By.ID, "count-in").text


@pytest.mark.parametrize(("language", "guest"), [("zh", 1), ("en", 2)])
def test_staff_remove_a_mistaken_check_in_from_the_station(site, language, guest):
    event, person = site["event"], site["people"][guest]
    with chromium(size=PHONE, mobile=True, scale=1) as driver:
        open_as(driver, site["base"], site["token"], f"/events/{event.event_id}/checkin?point=entry", language)
        before = int(_count(driver))
        press(driver, driver.find_element(By.ID, "undo-link"))
        assert "/checkin/undo?point=entry" in driver.current_url
        assert not driver.find_elements(By.CSS_SELECTOR, "main script")
        fits_phone(driver)
        row = next(r for r in driver.find_elements(By.CSS_SELECTOR, "main tbody tr") if person.staff_no in r.text)
        press(driver, row.find_element(By.CSS_SELECTOR, "a.button"))
        confirm = driver.find_element(By.ID, "undo-confirm")
        assert person.name in confirm.text
        fits_phone(driver)
        screenshot(driver, f"checkin-undo-confirm-390x844-{language}.png")
        confirm.find_element(By.NAME, "reason").send_keys("扫错了人" if language == "zh" else "wrong person")
        press(driver, driver.find_element(By.ID, "undo-submit"))
        done = driver.find_element(By.ID, "undo-done").text
        assert person.staff_no in done
        assert person.staff_no not in driver.find_element(By.CSS_SELECTOR, "main table").text
        fits_phone(driver)
        screenshot(driver, f"checkin-undo-done-390x844-{language}.png")
        assert site["store"].check_ins.get(event.event_id, "entry", person.staff_no) is None
        # Back at the station: its count (first the list it kept, then the server's answer) drops by one.
        driver.get(f"{site['base']}/events/{event.event_id}/checkin?point=entry")
        WebDriverWait(driver, 10).until(lambda _: _count(driver) == str(before - 1))
