"""The member's 日历订阅 page on a phone (390x844) in headless Chromium over real HTTP, in Chinese and English: /me
leads to it, 生成订阅链接 shows the link in a box with the copy button (the page script shows it) and the webcal://
button, nothing is wider than the screen, and the link shown is a feed the icalendar library reads with the
member's registration in it; 停用订阅 makes the same link a 404.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import os
import urllib.error
import urllib.request

import icalendar
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from devtools.devserver import serving_in_thread
from tests.browser.site import PHONE, UNIT_ID, chromium, guests, open_as, small_union
from tests.factories import published_event, register_all

SHOTS = os.environ.get("CALENDAR_SHOTS")  # a directory to keep the screenshots in, when looking at them by hand


def _fits(driver) -> None:
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE[0], f"page {width}px wide on a {PHONE[0]}px screen"


def _read(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_member_makes_copies_and_stops_their_calendar_link_on_a_phone(dynamodb, language):
    members = guests("日历会员", 1)
    union = small_union(dynamodb, members, signed_in=[members[0].staff_no])
    event = published_event(
        union.organiser,
        store=union.store,
        owner_unit_id=UNIT_ID,
        title_zh="日历浏览器讲座，第一讲",
        title_en="Calendar talk",
    )
    register_all(event.event_id, members, store=union.store)
    token = union.tokens[members[0].staff_no]
    with serving_in_thread() as base, chromium(size=PHONE, mobile=True) as driver:
        wait = WebDriverWait(driver, 10)
        open_as(driver, base, token, "/me", language)
        driver.find_element(By.CSS_SELECTOR, '#calendar + section a[href="/me/calendar"]').click()
        wait.until(lambda d: d.current_url.endswith("/me/calendar"))
        _fits(driver)
        driver.find_element(By.CSS_SELECTOR, 'form[action="/me/calendar"] button').click()
        box = wait.until(lambda d: d.find_element(By.ID, "share-url"))
        link = box.get_attribute("value")
        assert "/calendar/" in link and link.endswith(".ics" if language == "zh" else ".ics?lang=en")
        assert driver.find_element(By.ID, "copy-link").is_displayed()
        webcal = driver.find_element(By.CSS_SELECTOR, 'a[href^="webcal://"]')
        assert webcal.get_attribute("href") == "webcal://" + link.split("://", 1)[1]
        assert webcal.is_displayed()
        _fits(driver)
        if SHOTS:
            driver.save_screenshot(os.path.join(SHOTS, f"calendar-{language}.png"))
        # 加入日历 on the event page, in the share card's buttons, still within the screen.
        driver.get(f"{base}/events/{event.event_id}")
        add = driver.find_element(By.CSS_SELECTOR, f'a[href="/events/{event.event_id}/calendar.ics"]')
        assert add.is_displayed() and add.text == ("加入日历" if language == "zh" else "Add to calendar")
        _fits(driver)
        if SHOTS:
            driver.execute_script("arguments[0].scrollIntoView()", add)
            driver.save_screenshot(os.path.join(SHOTS, f"event-{language}.png"))
        status, body = _read(link)
        assert status == 200
        (entry,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
        assert str(entry["SUMMARY"]) == ("日历浏览器讲座，第一讲" if language == "zh" else "Calendar talk")
        driver.get(f"{base}/me/calendar")
        driver.find_element(By.CSS_SELECTOR, 'form[action="/me/calendar/revoke"] button').click()
        wait.until(lambda d: "revoked=1" in d.current_url)
        assert _read(link)[0] == 404
        _fits(driver)
        if SHOTS:
            driver.save_screenshot(os.path.join(SHOTS, f"calendar-revoked-{language}.png"))
