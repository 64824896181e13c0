"""The scanning station page in headless Chromium (Debian's chromium and chromedriver) against the app over real
HTTP: typed codes get green, amber and red verdicts; with the network cut, codes are verified on the device and
queued; when it returns, the queue is uploaded and the server records those check-ins as offline.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import hashlib

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from chalicelib.domain.checkin import ticket_digest, ticket_url
from chalicelib.domain.records import SERIES
from chalicelib.storage import get_store
from devtools.devserver import serving_in_thread
from tests.browser.site import ORGANISER, chromium, guests, open_as, set_offline, small_union, verdict_after
from tests.factories import published_event, register_all

GUESTS = [f"M{n:04d}" for n in range(1, 6)]


@pytest.fixture(scope="module")
def site(dynamodb):
    """Fresh tables with one unit, its admin (signed in) and an event with five confirmed registrations; the app
    served over HTTP from a thread."""
    union = small_union(dynamodb, guests("来宾", 5))
    store, organiser = union.store, union.organiser
    # Starts in a quarter of an hour: the station's check-in window (from 30 minutes before the start) is open.
    event = published_event(
        organiser, days=0.01, store=store, owner_unit_id="cs", title_zh="浏览器签到讲座", capacity=10
    )
    register_all(event.event_id, [store.members.get(no) for no in GUESTS], store=store)
    tickets = {no: store.registrations.get(event.event_id, SERIES, no).ticket for no in GUESTS}

    with serving_in_thread() as base:
        yield {
            "base": base,
            "token": union.tokens[ORGANISER],
            "organiser": organiser,
            "event": event,
            "tickets": tickets,
        }


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def _scan(driver, code):
    box = driver.find_element(By.ID, "scan-input")
    assert driver.switch_to.active_element == box  # the handheld scanner types into the focused input
    box.send_keys(code + Keys.ENTER)


def _text(driver, element_id):
    return driver.find_element(By.ID, element_id).text


def test_station_scans_online_then_offline_then_uploads(site, browser):
    driver, base, event, tickets = browser, site["base"], site["event"], site["tickets"]
    codes = {no: ticket_url(base, ticket) for no, ticket in tickets.items()}
    open_as(driver, base, site["token"], f"/events/{event.event_id}/checkin")
    # The list is synced before anything else: five entries expected, nobody in yet.
    WebDriverWait(driver, 10).until(lambda d: _text(d, "count-expected") == "5")
    assert _text(driver, "count-in") == "0"
    assert driver.find_element(By.ID, "sync-state").get_attribute("data-state") == "online"

    _scan(driver, codes["M0001"])
    panel = verdict_after(driver, 1)
    assert (panel.get_attribute("data-tone"), panel.get_attribute("data-verdict")) == ("ok", "admitted")
    assert "签到成功" in panel.text and "来宾1" in panel.text and "计算机学院分工会" in panel.text
    _scan(driver, codes["M0001"].upper())  # a scanner with caps lock on
    panel = verdict_after(driver, 2)
    assert panel.get_attribute("data-tone") == "warn" and "已签到过" in panel.text and "王组织" in panel.text
    _scan(driver, "hello, not a ticket")
    panel = verdict_after(driver, 3)
    assert panel.get_attribute("data-tone") == "bad" and "无法识别" in panel.text
    assert _text(driver, "count-in") == "1"

    # The offline check computes the digests as the server does (Web Crypto: 127.0.0.1 is a secure context).
    digests = driver.execute_async_script(
        "var done = arguments[arguments.length - 1], station = window.checkinStation;"
        "Promise.all([station.digestOf(arguments[0], crypto.subtle), station.sha256('x'.repeat(200), crypto.subtle)])"
        ".then(done);",
        codes["M0002"],
    )
    assert digests == [ticket_digest(tickets["M0002"]), hashlib.sha256(b"x" * 200).hexdigest()]

    set_offline(driver, True)
    _scan(driver, codes["M0002"])
    panel = verdict_after(driver, 4)
    assert (panel.get_attribute("data-tone"), panel.get_attribute("data-offline")) == ("ok", "true")
    assert "签到成功（离线）" in panel.text and "来宾2" in panel.text
    _scan(driver, codes["M0003"])
    panel = verdict_after(driver, 5)
    assert panel.get_attribute("data-tone") == "ok" and "来宾3" in panel.text
    _scan(driver, codes["M0002"])  # already queued on this device
    assert verdict_after(driver, 6).get_attribute("data-tone") == "warn"
    _scan(driver, codes["M0001"])  # admitted online earlier: the device remembers
    assert verdict_after(driver, 7).get_attribute("data-tone") == "warn"
    _scan(driver, base + "/t/" + "a" * 26)
    panel = verdict_after(driver, 8)
    assert panel.get_attribute("data-tone") == "bad" and "无法识别（离线）" in panel.text
    assert _text(driver, "queue-count") == "2" and _text(driver, "count-in") == "3"
    state = driver.find_element(By.ID, "sync-state")
    assert state.get_attribute("data-state") == "offline" and "离线 · 待上传 2 条" in state.text
    # A page without Web Crypto (plain http from another machine) says why it cannot check a ticket offline.
    driver.execute_script(
        "Object.defineProperty(Crypto.prototype, 'subtle', {get: () => undefined, configurable: true})"
    )
    _scan(driver, codes["M0004"])
    panel = verdict_after(driver, 9)
    assert (panel.get_attribute("data-tone"), panel.get_attribute("data-offline")) == ("bad", "true")
    assert "HTTPS" in panel.text and "来宾4" not in panel.text and _text(driver, "queue-count") == "2"
    store = get_store()
    assert store.check_ins.get(event.event_id, "entry", "M0002") is None  # nothing reached the server

    set_offline(driver, False)
    WebDriverWait(driver, 20).until(
        lambda d: (
            _text(d, "queue-count") == "0"
            and d.find_element(By.ID, "sync-state").get_attribute("data-state") == "online"
        )
    )
    assert "在线 · 已同步" in _text(driver, "sync-state")
    station_name = driver.find_element(By.ID, "station-name").get_attribute("value")
    for staff_no in ("M0002", "M0003"):
        check_in = store.check_ins.get(event.event_id, "entry", staff_no)
        assert check_in is not None and check_in.offline and check_in.station == station_name
    first = store.check_ins.get(event.event_id, "entry", "M0001")
    assert not first.offline and first.by == ORGANISER
    assert store.check_ins.count(event.event_id, "entry") == 3 and store.check_ins.conflicts(event.event_id) == []


# Holds the page's answer to the scan whose body names ``arguments[0]`` for 1.5 s (the server answers at once):
# a slow answer at the door, arriving after the scans made after it.
_SLOW_ANSWER = """
var real = window.fetch, slow = arguments[0];
window.fetch = function (url, options) {
  var answer = real.apply(this, arguments);
  if (!options || !options.body || options.body.indexOf(slow) < 0) return answer;
  return answer.then(function (r) { return new Promise(function (done) { setTimeout(done, 1500, r); }); });
};
window.keyGaps = [];
var last = null;
document.addEventListener('keydown', function (e) {
  if (last !== null) window.keyGaps.push(e.timeStamp - last);
  last = e.timeStamp;
}, true);
"""


def _recent(driver):
    """The list under the panel: (scan number, tone, text) of each earlier scan, as shown (read in one go: the page
    redraws the list whenever an answer comes)."""
    read = "return [].map.call(document.querySelectorAll('#recent-verdicts li'), function (li) {"
    read += " return [li.getAttribute('data-seq'), li.getAttribute('data-tone'), li.textContent]; })"
    return [tuple(item) for item in driver.execute_script(read)]


def test_verdicts_stay_in_scan_order_at_scanner_speed_and_a_burst_in_the_look_up_is_a_scan(site, browser):
    driver, base = browser, site["base"]
    store = get_store()
    # Starts in a quarter of an hour: the door is open.
    event = published_event(
        site["organiser"], days=0.01, store=store, owner_unit_id="cs", title_zh="扫码顺序讲座", capacity=10
    )
    register_all(event.event_id, [store.members.get(no) for no in GUESTS], store=store)
    tickets = {no: store.registrations.get(event.event_id, SERIES, no).ticket for no in GUESTS}
    codes = {no: ticket_url(base, ticket) for no, ticket in tickets.items()}
    open_as(driver, base, site["token"], f"/events/{event.event_id}/checkin?point=entry")
    WebDriverWait(driver, 10).until(lambda d: _text(d, "count-expected") == "5")
    driver.execute_script(_SLOW_ANSWER, tickets["M0001"])

    # Four codes at scanner speed, one typing of the handheld scanner: the first answer comes last.
    box = driver.find_element(By.ID, "scan-input")
    box.send_keys(
        "".join(code + Keys.ENTER for code in (codes["M0001"], "rubbish-not-a-ticket", codes["M0002"], codes["M0003"]))
    )
    panel = verdict_after(driver, 4)
    assert (panel.get_attribute("data-tone"), panel.get_attribute("data-verdict")) == ("ok", "admitted")
    assert "来宾3" in panel.text
    WebDriverWait(driver, 10).until(lambda d: [tone for _, tone, _ in _recent(d)] == ["ok", "bad", "ok"])
    recent = _recent(driver)
    assert [seq for seq, _, _ in recent] == ["3", "2", "1"]  # latest scan first
    assert "来宾2" in recent[0][2] and "无法识别" in recent[1][2] and "来宾1" in recent[2][2]
    # The slow answer for the first scan went to the list: the big verdict is still the last scan's.
    assert panel.get_attribute("data-seq") == "4" and "来宾3" in panel.text and "来宾1" not in panel.text
    assert max(driver.execute_script("return window.keyGaps")) < 35  # it was typed at scanner speed
    for no in ("M0001", "M0002", "M0003"):
        assert store.check_ins.get(event.event_id, "entry", no) is not None

    # Someone types in the look-up; a scanner burst arrives while it has focus: a scan, and the field keeps its text.
    lookup = driver.find_element(By.ID, "lookup-input")
    lookup.click()
    for key in "M00":
        lookup.send_keys(key)
        driver.execute_script("return new Promise(function (done) { setTimeout(done, 150); })")
    lookup.send_keys(codes["M0004"] + Keys.ENTER)
    panel = verdict_after(driver, 5)
    assert panel.get_attribute("data-tone") == "ok" and "来宾4" in panel.text
    assert lookup.get_attribute("value") == "M00" and _text(driver, "lookup-results") == ""
    assert driver.switch_to.active_element == box and box.get_attribute("value") == ""
    assert store.check_ins.get(event.event_id, "entry", "M0004") is not None
    # Typing in the look-up still works: Enter pressed by a person searches.
    lookup.click()
    driver.execute_script("return new Promise(function (done) { setTimeout(done, 200); })")
    lookup.send_keys(Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: "来宾" in _text(d, "lookup-results"))
    assert panel.get_attribute("data-seq") == "5"
