"""Codes a photo cannot beat, in headless Chromium (Debian's chromium and chromedriver) against the app over real
HTTP, on a 390x844 phone in Chinese and English: a live ticket's QR code is drawn by the page and changes at the
next 30-second step (each one decoded from the screen and checked by the server's rules); the venue screen counts
down the event's 10-second step and changes its code; self check-in with the location check asks the browser for
its position (emulated) and is refused far away, admitted near the venue; an offline station refuses an old live
code and admits the current one; "use my current position" fills in the venue's position on the settings page.

Screenshots go to ``SHOTS_DIR`` when it is set."""

from __future__ import annotations

import io
import os
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from chalicelib.domain.calendar import now
from chalicelib.domain.checkin import ticket_from_code, ticket_url, venue_code
from chalicelib.domain.checkin_codes import live_code
from chalicelib.domain.records import SERIES, CheckinSettings, Gender, Member
from chalicelib.services import checkin as checkin_service
from chalicelib.services import checkin_live
from chalicelib.settings import get_settings
from chalicelib.storage import get_store
from devtools.devserver import serving_in_thread
from tests.browser.site import (
    ORGANISER,
    PHONE,
    UNIT_ID,
    chromium,
    open_as,
    set_offline,
    small_union,
    verdict_after,
)
from tests.factories import published_event, register_all

MEMBER, GUEST = "L0002", "L0003"
HALL = (23.0662, 113.3893)


@pytest.fixture(scope="module")
def site(dynamodb):
    """The small union with a member (signed in) and a guest, and a lecture of the organiser starting in a quarter
    of an hour with live tickets, a 10-second venue code and the location check; the app served over HTTP."""
    member = Member(MEMBER, "李会员", Gender.FEMALE, date(1985, 1, 1), UNIT_ID)
    guest = Member(GUEST, "张来宾", Gender.MALE, date(1990, 1, 1), UNIT_ID)
    union = small_union(dynamodb, [member, guest], signed_in=[MEMBER])
    settings = CheckinSettings(
        self_checkin=True, venue_code_seconds=10, location_check=True, venue_lat=HALL[0], venue_lng=HALL[1],
        venue_radius_m=100, live_tickets=True,
    )  # fmt: skip
    event = published_event(union.organiser, days=0.01, store=union.store, owner_unit_id=UNIT_ID,
                            title_zh="实时票码讲座", title_en="Live ticket lecture", capacity=10,
                            checkin=settings)  # fmt: skip
    register_all(event.event_id, [member, guest], store=union.store)
    tickets = {no: union.store.registrations.get(event.event_id, SERIES, no).ticket for no in (MEMBER, GUEST)}
    with serving_in_thread() as base:
        yield {"base": base, "tokens": union.tokens, "event": event, "ticket": tickets[MEMBER],
               "guest_ticket": tickets[GUEST]}  # fmt: skip


@pytest.fixture(scope="module")
def browser():
    with chromium(size=PHONE, mobile=True) as driver:
        yield driver


def _open(driver, site, who, language, path):
    open_as(driver, site["base"], site["tokens"][who], path, language)


def _shot(driver, name):
    if os.environ.get("SHOTS_DIR"):  # screenshots for a person to look at
        driver.save_screenshot(str(Path(os.environ["SHOTS_DIR"]) / name))


def _decoded(driver, selector):
    """The text of the QR code shown in ``selector``, read from a screenshot of it by an independent reader."""
    import PIL.Image
    import zxingcpp

    png = driver.find_element(By.CSS_SELECTOR, selector).screenshot_as_png
    (found,) = zxingcpp.read_barcodes(PIL.Image.open(io.BytesIO(png)))
    return found.text


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_live_ticket_changes_every_30_seconds_and_each_code_is_current(site, browser, language):
    event, ticket = site["event"], site["ticket"]
    _open(browser, site, MEMBER, language, f"/me/tickets/{event.event_id}/{SERIES}")
    first = _decoded(browser, "#ticket-qr svg")
    assert ticket_from_code(first) == ticket and "?r=" in first
    assert checkin_live.live_problem(event, ticket, first, now()) is None  # the server's code, current
    left = browser.find_element(By.ID, "ticket-live-left").text
    assert ("秒后更换" if language == "zh" else "Changes in") in left
    assert not browser.find_elements(By.CSS_SELECTOR, 'a[download][href^="data:image"]')  # no picture to save
    _shot(browser, f"ticket-live-{language}-1.png")
    # The page draws the next step's code itself (Web Crypto HMAC and the vendored encoder).
    WebDriverWait(browser, 40, poll_frequency=0.5).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#ticket-qr svg[data-step]")
    )
    second = _decoded(browser, "#ticket-qr svg")
    assert second != first and ticket_from_code(second) == ticket
    assert checkin_live.live_problem(event, ticket, second, now()) is None
    step = int(browser.find_element(By.CSS_SELECTOR, "#ticket-qr svg").get_attribute("data-step"))
    assert second.endswith(f"?r={step}.{second.rsplit('.', 1)[1]}") and step == int(now().timestamp()) // 30
    # The first one, a screenshot now, is refused once the 5 seconds of skew after its step are over.
    later = now() + timedelta(seconds=6)
    assert checkin_live.live_problem(event, ticket, first, later).value == "ticket_stale"
    _shot(browser, f"ticket-live-{language}-2.png")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_venue_screen_follows_the_events_10_second_step(site, browser, language):
    event = site["event"]
    _open(browser, site, ORGANISER, language, f"/admin/events/{event.event_id}/checkin/venue?point=entry")
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#venue-qr svg"))
    first = _decoded(browser, "#venue-qr")
    assert int(browser.find_element(By.ID, "venue-left").text) <= 10
    _shot(browser, f"venue-10s-{language}.png")
    WebDriverWait(browser, 15, poll_frequency=0.5).until(lambda d: _decoded(d, "#venue-qr") != first)
    second = _decoded(browser, "#venue-qr")
    key = checkin_service.venue_key(get_settings().session_key)
    code = second.rsplit("/v/", 1)[1]
    assert code == venue_code(key, event.event_id, "entry", now(), seconds=10) or code == venue_code(
        key, event.event_id, "entry", datetime.fromtimestamp(now().timestamp() - 10, tz=now().tzinfo), seconds=10
    )


def test_an_offline_station_accepts_only_the_current_live_code(site, browser):
    event, ticket = site["event"], site["guest_ticket"]
    base = site["base"]
    _open(browser, site, ORGANISER, "zh", f"/events/{event.event_id}/checkin")
    WebDriverWait(browser, 15).until(lambda d: d.find_element(By.ID, "count-expected").text == "2")
    key = checkin_live.ticket_live_key(ticket)
    screenshot = live_code(base, ticket, key, now() - timedelta(seconds=40))
    plain = ticket_url(base, ticket)
    set_offline(browser, True)
    try:
        for seq, code in enumerate((screenshot, plain), start=1):
            browser.find_element(By.ID, "scan-input").send_keys(code + Keys.ENTER)
            panel = verdict_after(browser, seq)
            assert (panel.get_attribute("data-verdict"), panel.get_attribute("data-offline")) == (
                "ticket_stale", "true",
            )  # fmt: skip
            assert "此码已过期，请出示实时票码" in panel.text and "张来宾" in panel.text
        browser.find_element(By.ID, "scan-input").send_keys(live_code(base, ticket, key, now()) + Keys.ENTER)
        panel = verdict_after(browser, 3)
        assert (panel.get_attribute("data-verdict"), panel.get_attribute("data-offline")) == ("admitted", "true")
        _shot(browser, "station-offline-live-zh.png")
        assert browser.find_element(By.ID, "queue-count").text == "1"
    finally:
        set_offline(browser, False)
    # Back online, the upload is judged again by the server at the scan's own time: recorded.
    WebDriverWait(browser, 30).until(lambda d: d.find_element(By.ID, "queue-count").text == "0")
    stored = get_store().check_ins.get(event.event_id, "entry", GUEST)
    assert stored is not None and stored.offline


def _geolocation(driver, site, lat, lng):
    driver.execute_cdp_cmd("Browser.grantPermissions", {"permissions": ["geolocation"]})
    driver.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": lat, "longitude": lng, "accuracy": 20})


def _self_check_in(driver, site, language):
    key = checkin_service.venue_key(get_settings().session_key)
    _open(driver, site, MEMBER, language, "/me")
    # Scanned now: a 10-second code must be opened within its step.
    code = venue_code(key, site["event"].event_id, "entry", now(), seconds=10)
    driver.get(site["base"] + "/v/" + quote(code, safe=""))
    driver.find_element(By.CSS_SELECTOR, "#self-checkin-form button").click()
    verdict = WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".verdict"))[0]
    return verdict.get_attribute("data-tone"), verdict.text


def test_self_check_in_asks_for_the_position_far_then_near(site, browser):
    _geolocation(browser, site, HALL[0] + 0.01, HALL[1])  # over a kilometre away
    tone, text = _self_check_in(browser, site, "zh")
    assert tone == "bad" and "太远" in text
    _shot(browser, "self-checkin-too-far-zh.png")
    assert get_store().check_ins.get(site["event"].event_id, "entry", MEMBER) is None
    _geolocation(browser, site, HALL[0] + 0.0002, HALL[1])  # in the hall
    tone, text = _self_check_in(browser, site, "en")
    assert tone == "ok", text
    _shot(browser, "self-checkin-near-en.png")
    stored = get_store().check_ins.get(site["event"].event_id, "entry", MEMBER)
    assert stored is not None and stored.distance_m == 22


@pytest.mark.parametrize("language", ["zh", "en"])
def test_use_my_current_position_fills_in_the_venue(site, browser, language):
    event = site["event"]
    _geolocation(browser, site, 23.123456, 113.654321)
    _open(browser, site, ORGANISER, language, f"/admin/events/{event.event_id}/checkin")
    button = browser.find_element(By.ID, "use-position")
    assert button.is_displayed()  # shown by the script (hidden without it)
    lat = browser.find_element(By.ID, "f-venue_lat")
    assert lat.get_attribute("value") == str(HALL[0])  # the saved venue
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    WebDriverWait(browser, 10).until(lambda d: lat.get_attribute("value") == "23.123456")
    assert browser.find_element(By.ID, "f-venue_lng").get_attribute("value") == "113.654321"
    status = browser.find_element(By.ID, "position-status").text
    assert ("精度约 20 米" if language == "zh" else "about 20 m") in status
    _shot(browser, f"settings-position-{language}.png")
