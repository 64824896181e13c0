"""The organiser's 发通知 page in headless Chromium on a 390x844 phone, over real HTTP (issue 20 item 4): from the
organiser hub, choose the waiting list, write a message with HTML in it, preview (the sentence as members read it,
the HTML as text, the count), send, and see it in the history; a member's 我的通知 shows it. Nothing is wider than
the screen; in Chinese and English. Screenshots go to ``SHOTS_DIR`` when it is set.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.services import registration
from devtools.devserver import serving_in_thread
from tests.browser.site import ORGANISER, PHONE, UNIT_ID, chromium, guests, open_as, small_union, wait_gone
from tests.factories import published_event

WORDS = {
    "zh": {"link": "发通知", "count": "将发给 2 人", "send": "确认发送给 2 人", "sent": "已发送给 2 人"},
    "en": {"link": "Send a message", "count": "To 2 members", "send": "Send to 2 members",
           "sent": "Sent to 2 members"},
}  # fmt: skip


@pytest.fixture(scope="module")
def site(dynamodb):
    members = guests("会员", 4)
    union = small_union(dynamodb, members, signed_in=["M0003"])
    event = published_event(union.organiser, store=union.store, owner_unit_id=UNIT_ID, capacity=2,
                            waiting_list=True, title_zh="教工羽毛球友谊赛", title_en="Staff badminton")  # fmt: skip
    for member in members:
        who = Principal(staff_no=member.staff_no, unit_id=UNIT_ID)
        registration.register(union.store, who, event.event_id, "series", {}, now())
    with serving_in_thread() as base:
        yield {"base": base, "tokens": union.tokens, "event_id": event.event_id}


def _shot(driver, name: str) -> None:
    if shots := os.environ.get("SHOTS_DIR"):
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True})
        Path(shots, name).write_bytes(base64.b64decode(shot["data"]))


def _fits(driver) -> None:
    assert driver.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_an_organiser_messages_the_waiting_list_on_a_phone(site, language):
    words = WORDS[language]
    text = f"<b>{language}</b> 候补的各位：周六有人退赛会再通知"
    with chromium(size=PHONE, mobile=True) as driver:
        open_as(driver, site["base"], site["tokens"][ORGANISER], f"/admin/events/{site['event_id']}/edit", language)
        driver.find_element(By.LINK_TEXT, words["link"]).click()
        driver.find_element(By.ID, "a-waiting").click()
        driver.find_element(By.ID, "f-text").send_keys(text)
        _fits(driver)
        _shot(driver, f"message-compose-{language}.png")
        button = driver.find_element(By.CSS_SELECTOR, "button[value=preview]")
        button.click()
        wait_gone(driver, button)
        preview = driver.find_element(By.ID, "preview-title").find_element(By.XPATH, "..").text
        assert text in preview and words["count"] in preview
        assert not driver.find_elements(By.CSS_SELECTOR, ".prose b")  # the HTML is text, not markup
        _fits(driver)
        _shot(driver, f"message-preview-{language}.png")
        send = driver.find_element(By.CSS_SELECTOR, "button[value=send]")
        assert send.text == words["send"]
        send.click()
        wait_gone(driver, send)
        body = driver.find_element(By.TAG_NAME, "body").text
        assert words["sent"] in body and text in body  # the notice, and the message in the history
        _fits(driver)
        _shot(driver, f"message-sent-{language}.png")
        open_as(driver, site["base"], site["tokens"]["M0003"], "/me/notifications", language)
        assert text in driver.find_element(By.TAG_NAME, "body").text
        _fits(driver)
        _shot(driver, f"message-member-{language}.png")
