"""WeChat's own scanner on the station page, in headless Chromium with WeChat's User-Agent, against the app over real
HTTP and a local server speaking WeChat's token and getticket protocol (tests/wechat_fake.py).

Outside WeChat there is no ``WeixinJSBridge`` (the native side of the JS-SDK), so the test puts a stand-in on the
page before any script runs: it records what ``wx.config`` hands WeChat to verify (the test verifies the signature
as WeChat would, from the ticket the fake issued) and answers ``scanQRCode`` with a ticket's code. Everything else —
the vendored jweixin.js, checkin_wechat.js, the signing route, the station's scan path — is the real thing.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from chalicelib.domain.checkin import ticket_url
from chalicelib.domain.records import SERIES
from chalicelib.domain.wechat import jsapi_signature
from chalicelib.services import wechat_mp
from chalicelib.settings import get_settings
from chalicelib.storage import get_store
from devtools.devserver import serving_in_thread
from tests.browser.site import ORGANISER, PHONE, chromium, guests, open_as, small_union, verdict_after
from tests.factories import published_event, register_all
from tests.wechat_fake import APP_ID, APP_SECRET, TICKET_PATH, TOKEN_PATH, FakeWechat, serving

WECHAT_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 "
    "Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 "
    "Weixin NetType/WIFI Language/zh_CN ABI/arm64"
)
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
    members = guests("微来宾", 2)
    union = small_union(dynamodb, members, organiser_name="微组织")
    event = published_event(
        union.organiser, days=0.01, store=union.store, owner_unit_id="cs", title_zh="微信扫码讲座", capacity=10
    )
    register_all(event.event_id, members, store=union.store)
    tickets = {no: union.store.registrations.get(event.event_id, SERIES, no).ticket for no in ("M0001", "M0002")}
    with serving_in_thread() as base:
        yield {"base": base, "token": union.tokens[ORGANISER], "event": event, "tickets": tickets}


@pytest.fixture(scope="module")
def browser():
    with chromium(f"--user-agent={WECHAT_UA}", size=PHONE) as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": BRIDGE})
        yield driver


def _open_station(driver, site, lang):
    open_as(driver, site["base"], site["token"], f"/events/{site['event'].event_id}/checkin#scan", lang)
    button = driver.find_element(By.ID, "wechat-scan")
    WebDriverWait(driver, 10).until(lambda _: button.get_attribute("data-ready") == "yes" and button.is_displayed())
    return button


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

    driver.execute_script("window.__wx.next = arguments[0]", ticket_url(base, site["tickets"]["M0001"]))
    button.click()
    panel = verdict_after(driver, 1)
    assert (panel.get_attribute("data-tone"), panel.get_attribute("data-verdict")) == ("ok", "admitted")
    assert "签到成功" in panel.text and "微来宾1" in panel.text
    check_in = get_store().check_ins.get(event.event_id, "entry", "M0001")
    assert check_in is not None and check_in.by == ORGANISER and not check_in.offline
    button.click()  # the same code again: the station says so
    assert verdict_after(driver, 2).get_attribute("data-tone") == "warn"
    driver.execute_script("window.__wx.next = null")  # the scanner closed without reading anything
    button.click()
    WebDriverWait(driver, 5).until(lambda d: d.execute_script("return window.__wx.scans") == 3)
    assert driver.find_element(By.ID, "verdict").get_attribute("data-seq") == "2"
    assert get_store().check_ins.count(event.event_id, "entry") == 1
    # Nothing came from another host: every resource the page fetched is the app's own.
    fetched = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert fetched and all(url.startswith(base + "/") for url in fetched)
    assert any("/static/jweixin." in url for url in fetched)

    button = _open_station(driver, site, "en")
    assert button.text == "Scan with WeChat"
    driver.execute_script("window.__wx.next = arguments[0]", ticket_url(base, site["tickets"]["M0002"]))
    button.click()
    panel = verdict_after(driver, 1)
    assert panel.get_attribute("data-tone") == "ok" and "微来宾2" in panel.text
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
