"""WeChat's own scanner on the station page, in headless Chromium with WeChat's User-Agent, against the app over real
HTTP and a local server speaking WeChat's token and getticket protocol (tests/wechat_fake.py).

Outside WeChat there is no ``WeixinJSBridge`` (the native side of the JS-SDK), so the test puts a stand-in on the
page before any script runs: it records what ``wx.config`` hands WeChat to verify (the test verifies the signature
as WeChat would, from the ticket the fake issued) and answers ``scanQRCode`` with a ticket's code. Everything else —
the vendored jweixin.js, checkin_wechat.js, the signing route, the station's scan path — is the real thing.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from chalicelib.domain.access import Principal
from chalicelib.domain.checkin import ticket_url
from chalicelib.domain.records import SCHOOL_UNIT_ID, SERIES, Gender, Member, Unit, UnitKind
from chalicelib.domain.wechat import jsapi_signature
from chalicelib.services import accounts, wechat_mp
from chalicelib.settings import get_settings
from chalicelib.storage import get_store
from devtools.devserver import serving_in_thread
from devtools.tables import drop_tables, ensure_tables
from tests.factories import published_event, register_all
from tests.wechat_fake import APP_ID, APP_SECRET, TICKET_PATH, TOKEN_PATH, FakeWechat, serving

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ORGANISER = "W0001"
PASSWORD = "Wechat@2026!"
GUESTS = ["W0101", "W0102"]
WECHAT_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 "
    "Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 "
    "Weixin NetType/WIFI Language/zh_CN ABI/arm64"
)
SHOTS = Path("/tmp/s4/shots-B")
# WeChat's native side as far as the station uses it: verify wx.config (recorded), scan (answers window.__wx.next).
BRIDGE = """
window.__wx = {configs: [], scans: 0, next: null};
window.WeixinJSBridge = {
  invoke: function (name, args, callback) {
    if (name === 'preVerifyJSAPI') {
      window.__wx.configs.push(args);
      setTimeout(function () { callback({err_msg: 'config:ok'}); }, 0);
    } else if (name === 'scanQRCode') {
      window.__wx.scans += 1;
      var text = window.__wx.next;
      setTimeout(function () {
        callback(text ? {err_msg: 'scanQRCode:ok', resultStr: text} : {err_msg: 'scanQRCode:cancel'});
      }, 0);
    }
  },
  on: function () {}
};
"""


@pytest.fixture(scope="module")
def wechat():
    with serving(FakeWechat()) as fake:
        os.environ.update(
            {"WECHAT_MP_APP_ID": APP_ID, "WECHAT_MP_APP_SECRET": APP_SECRET, "WECHAT_API_BASE": fake.base_url}
        )
        get_settings.cache_clear()
        wechat_mp._client.cache_clear()
        try:
            yield fake
        finally:
            for name in ("WECHAT_MP_APP_ID", "WECHAT_MP_APP_SECRET", "WECHAT_API_BASE"):
                os.environ.pop(name, None)
            get_settings.cache_clear()
            wechat_mp._client.cache_clear()


@pytest.fixture(scope="module")
def site(dynamodb, wechat):
    """Fresh tables with one unit, its admin (signed in) and an event with two confirmed registrations; the app
    served over HTTP from a thread, configured with an Official Account whose API is the fake."""
    drop_tables(dynamodb)
    ensure_tables(dynamodb)
    store = get_store()
    school = Unit(SCHOOL_UNIT_ID, UnitKind.SCHOOL, "校工会")
    store.units.put_many([school, Unit("cs", UnitKind.SUB, "计算机学院分工会", parent_id=SCHOOL_UNIT_ID)])
    admin = Member(ORGANISER, "微组织", Gender.MALE, date(1980, 1, 1), "cs", admin_units=frozenset({"cs"}))
    guests = [Member(no, f"微来宾{i}", Gender.FEMALE, date(1985, 1, 1), "cs") for i, no in enumerate(GUESTS, 1)]
    store.members.put_many([admin, *guests])
    (issued,) = accounts.issue_activation_codes(store, dynamodb, [admin])
    token = accounts.activate(store, dynamodb, ORGANISER, issued.code, PASSWORD, "127.0.0.1").token
    organiser = Principal(staff_no=ORGANISER, unit_id="cs", admin_of=frozenset({"cs"}))
    # Starting in a quarter of an hour: inside the station's check-in window (30 minutes before the start).
    event = published_event(organiser, days=0.01, store=store, owner_unit_id="cs", title_zh="微信扫码讲座", capacity=10)
    register_all(event.event_id, guests, store=store)
    tickets = {no: store.registrations.get(event.event_id, SERIES, no).ticket for no in GUESTS}
    with serving_in_thread() as base:
        yield {"base": base, "token": token, "event": event, "tickets": tickets}


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--window-size=390,844", f"--user-agent={WECHAT_UA}"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": BRIDGE})
    try:
        yield driver
    finally:
        driver.quit()


def _open_station(driver, site, lang):
    driver.get(site["base"] + "/events")
    driver.add_cookie({"name": "session", "value": site["token"], "path": "/"})
    driver.add_cookie({"name": "lang", "value": lang, "path": "/"})
    driver.get(f"{site['base']}/events/{site['event'].event_id}/checkin#scan")
    button = driver.find_element(By.ID, "wechat-scan")
    WebDriverWait(driver, 10).until(lambda _: button.get_attribute("data-ready") == "yes" and button.is_displayed())
    return button


def _verdict_after(driver, seq):
    panel = driver.find_element(By.ID, "verdict")
    WebDriverWait(driver, 10).until(
        lambda _: panel.get_attribute("data-seq") == str(seq) and panel.get_attribute("data-tone") != "busy"
    )
    return panel


def test_wechat_scanner_checks_a_member_in_with_a_signature_wechat_accepts(site, wechat, browser):
    driver, base, event = browser, site["base"], site["event"]
    button = _open_station(driver, site, "zh")
    assert button.text == "微信扫一扫"
    # What the SDK handed WeChat to verify: our AppID, the scanner only, and a signature of this page's address
    # (without '#scan') made with the ticket WeChat issued.
    (config,) = driver.execute_script("return window.__wx.configs")
    assert config["verifyAppId"] == APP_ID and config["verifyJsApiList"] == ["scanQRCode"]
    page = driver.current_url.split("#", 1)[0]
    assert page == f"{base}/events/{event.event_id}/checkin"
    expected = jsapi_signature(wechat.ticket, config["verifyNonceStr"], int(config["verifyTimestamp"]), page)
    assert config["verifySignature"] == expected and config["verifySignType"] == "sha1"
    assert wechat.requests == {TOKEN_PATH: 1, TICKET_PATH: 1}

    driver.execute_script("window.__wx.next = arguments[0]", ticket_url(base, site["tickets"]["W0101"]))
    button.click()
    panel = _verdict_after(driver, 1)
    assert (panel.get_attribute("data-tone"), panel.get_attribute("data-verdict")) == ("ok", "admitted")
    assert "签到成功" in panel.text and "微来宾1" in panel.text
    check_in = get_store().check_ins.get(event.event_id, "entry", "W0101")
    assert check_in is not None and check_in.by == ORGANISER and not check_in.offline
    button.click()  # the same code again: the station says so
    assert _verdict_after(driver, 2).get_attribute("data-tone") == "warn"
    driver.execute_script("window.__wx.next = null")  # the scanner closed without reading anything
    button.click()
    WebDriverWait(driver, 5).until(lambda d: d.execute_script("return window.__wx.scans") == 3)
    assert driver.find_element(By.ID, "verdict").get_attribute("data-seq") == "2"
    assert get_store().check_ins.count(event.event_id, "entry") == 1
    # Nothing came from another host: every resource the page fetched is the app's own.
    fetched = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert fetched and all(url.startswith(base + "/") for url in fetched)
    assert any("/static/jweixin." in url for url in fetched)
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / "station-wechat-zh.png"))

    button = _open_station(driver, site, "en")
    assert button.text == "Scan with WeChat"
    driver.execute_script("window.__wx.next = arguments[0]", ticket_url(base, site["tickets"]["W0102"]))
    button.click()
    panel = _verdict_after(driver, 1)
    assert panel.get_attribute("data-tone") == "ok" and "微来宾2" in panel.text
    driver.save_screenshot(str(SHOTS / "station-wechat-en.png"))
    assert wechat.requests == {TOKEN_PATH: 1, TICKET_PATH: 1}  # the second page load reused the ticket


def test_a_refusal_from_wechat_is_said_and_the_station_still_scans(site, wechat, browser):
    driver = browser
    wechat_mp._client.cache_clear()  # a new container, whose first ticket request meets WeChat's daily quota
    wechat.refuse(TOKEN_PATH, 45009)
    driver.get(site["base"] + "/events")
    driver.add_cookie({"name": "lang", "value": "zh", "path": "/"})
    driver.get(f"{site['base']}/events/{site['event'].event_id}/checkin")
    note = driver.find_element(By.ID, "wechat-note")
    WebDriverWait(driver, 10).until(lambda _: note.is_displayed())
    assert "45009" in note.text and "微信" in note.text
    assert not driver.find_element(By.ID, "wechat-scan").is_displayed()
    assert driver.execute_script("return window.__wx.configs.length") == 0
    assert driver.switch_to.active_element == driver.find_element(By.ID, "scan-input")  # the scanner still works
    driver.save_screenshot(str(SHOTS / "station-wechat-refused-zh.png"))
