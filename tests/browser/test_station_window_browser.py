"""The station of a term class in headless Chromium at 390x844 (issue 17 item 3), zh and en, against the app over
real HTTP: it opens on today's session (marked), and on a session a week ahead it shows the window banner, refuses a
scan with the window in the verdict, and after the organiser's confirmation admits it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.checkin import ticket_url
from chalicelib.domain.records import SCHOOL_UNIT_ID, SERIES, EventFormat, Gender, Member, Unit, UnitKind
from chalicelib.services import accounts
from chalicelib.storage import get_store
from devtools.devserver import serving_in_thread
from devtools.tables import drop_tables, ensure_tables
from tests.browser.test_station_browser import browser  # noqa: F401  (the headless Chromium fixture)
from tests.factories import published_event, register_all

ORGANISER = "E0001"
GUESTS = [f"E{n:04d}" for n in range(2, 6)]


@pytest.fixture(scope="module")
def term(dynamodb):
    """A class of six weekly sessions whose third began ten minutes ago; its organiser signed in; four members."""
    drop_tables(dynamodb)
    ensure_tables(dynamodb, streams=False)
    store = get_store()
    store.units.put_many([Unit(SCHOOL_UNIT_ID, UnitKind.SCHOOL, "校工会"),
                          Unit("cs", UnitKind.SUB, "计算机学院分工会", parent_id=SCHOOL_UNIT_ID)])  # fmt: skip
    admin = Member(ORGANISER, "王组织", Gender.MALE, date(1980, 1, 1), "cs", admin_units=frozenset({"cs"}))
    guests = [Member(no, f"来宾{i}", Gender.FEMALE, date(1985, 1, 1), "cs") for i, no in enumerate(GUESTS, 1)]
    store.members.put_many([admin, *guests])
    (issued,) = accounts.issue_activation_codes(store, dynamodb, [admin])
    token = accounts.activate(store, dynamodb, ORGANISER, issued.code, "Window@2026!x", "127.0.0.1").token
    organiser = Principal(staff_no=ORGANISER, unit_id="cs", admin_of=frozenset({"cs"}))
    start = now() - timedelta(days=14, minutes=10)
    sessions = [{"starts_at": start + timedelta(days=7 * n), "ends_at": start + timedelta(days=7 * n, hours=2)}
                for n in range(6)]  # fmt: skip
    event = published_event(organiser, store=store, owner_unit_id="cs", title_zh="太极拳班（秋季学期）",
                            title_en="Tai chi (autumn term)", capacity=20, format=EventFormat.CLASS,
                            sessions=sessions, starts_at=start, ends_at=start + timedelta(days=40),
                            registration_closes_at=now() + timedelta(days=1))  # fmt: skip
    register_all(event.event_id, guests, store=store)
    with serving_in_thread() as base:
        yield {"base": base, "token": token, "event": event, "store": store}


def _open(driver, term, language, query=""):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})  # fmt: skip
    driver.get(term["base"] + "/events")
    driver.add_cookie({"name": "session", "value": term["token"], "path": "/"})
    driver.add_cookie({"name": "lang", "value": language, "path": "/"})
    driver.get(f"{term['base']}/events/{term['event'].event_id}/checkin{query}")
    return WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "scan-input"))


def _verdict(driver, verdict):
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "verdict").get_attribute("data-verdict") == verdict)
    return driver.find_element(By.ID, "verdict").text


@pytest.mark.parametrize(("language", "guest", "marker", "refusal"), [
    ("zh", GUESTS[0], "· 当前", "本场次不在签到时间"),
    ("en", GUESTS[1], "· now", "Not check-in time for this point"),
])  # fmt: skip
def test_the_station_opens_on_today_and_confirms_a_session_ahead(browser, term, language, guest, marker, refusal):  # noqa: F811
    _open(browser, term, language)
    selected = browser.find_element(By.CSS_SELECTOR, "#point-select option:checked")
    assert selected.get_attribute("value") == "s03" and selected.text.endswith(marker)
    assert not browser.find_elements(By.ID, "window-banner")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390  # no sideways scrolling

    box = _open(browser, term, language, "?point=s04")
    banner = browser.find_element(By.ID, "window-banner")
    assert banner.get_attribute("data-confirmed") == "no" and banner.is_displayed()
    store, event = term["store"], term["event"]
    code = ticket_url(term["base"], store.registrations.get(event.event_id, SERIES, guest).ticket)
    box.send_keys(code + Keys.ENTER)
    assert refusal in _verdict(browser, "outside_window")
    assert store.check_ins.get(event.event_id, "s04", guest) is None

    browser.find_element(By.ID, "confirm-window").click()
    confirmed = "var b = document.getElementById('window-banner'); return b && b.dataset.confirmed"
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(confirmed) == "yes")  # the page, reloaded
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "scan-input")).send_keys(code + Keys.ENTER)
    _verdict(browser, "admitted")
    assert store.check_ins.get(event.event_id, "s04", guest) is not None
