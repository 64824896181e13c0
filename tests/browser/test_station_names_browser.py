"""The station's "already" line names the staff member, offline too, in headless Chromium against the app over real
HTTP: a member checked in at another station (by 李老师) is scanned here with the network cut; the synced list says
who let them in, so the verdict reads "… 李老师 · 西门", not a 工号 or a dash.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.checkin import ticket_url
from chalicelib.domain.records import SCHOOL_UNIT_ID, SERIES, Gender, Member, Unit, UnitKind
from chalicelib.services import accounts
from chalicelib.services import checkin as checkin_service
from chalicelib.services.checkin import Scan
from chalicelib.storage import get_store
from devtools.devserver import serving_in_thread
from devtools.tables import drop_tables, ensure_tables
from tests.browser.test_venue_browser import browser  # noqa: F401 - the same headless Chromium
from tests.factories import published_event, register_all

ORGANISER, COLLEAGUE = "N0001", "N0002"


@pytest.fixture(scope="module")
def site(dynamodb):
    """A cs lecture starting in a quarter of an hour (the door is open) with two registered guests; its organiser
    (signed in here) and a colleague, 李老师, who checked the first guest in at 西门 from another station."""
    drop_tables(dynamodb)
    ensure_tables(dynamodb)
    store = get_store()
    store.units.put_many([Unit(SCHOOL_UNIT_ID, UnitKind.SCHOOL, "校工会"),
                          Unit("cs", UnitKind.SUB, "计算机学院分工会", parent_id=SCHOOL_UNIT_ID)])  # fmt: skip
    admin = Member(ORGANISER, "王组织", Gender.MALE, date(1980, 1, 1), "cs", admin_units=frozenset({"cs"}))
    colleague = Member(COLLEAGUE, "李老师", Gender.FEMALE, date(1982, 1, 1), "cs", admin_units=frozenset({"cs"}))
    guests = [Member(f"N01{n:02d}", f"来宾{n}", Gender.FEMALE, date(1985, 1, 1), "cs") for n in (1, 2)]
    store.members.put_many([admin, colleague, *guests])
    (issued,) = accounts.issue_activation_codes(store, dynamodb, [admin])
    token = accounts.activate(store, dynamodb, ORGANISER, issued.code, "Names@2026!x", "127.0.0.1").token
    organiser = Principal(staff_no=ORGANISER, unit_id="cs", admin_of=frozenset({"cs"}))
    event = published_event(organiser, days=0.01, store=store, owner_unit_id="cs", title_zh="署名讲座", capacity=10)
    register_all(event.event_id, guests, store=store)
    # 李老师 as the app identifies her (services.identity.principal_for carries her name).
    other = Principal(staff_no=COLLEAGUE, unit_id="cs", admin_of=frozenset({"cs"}), name="李老师")
    scan = Scan(uuid.uuid4().hex, "entry", staff_no=guests[0].staff_no)
    checkin_service.check_in(store, other, event.event_id, scan, "西门", now())
    ticket = store.registrations.get(event.event_id, SERIES, guests[0].staff_no).ticket
    with serving_in_thread() as base:
        yield {"base": base, "token": token, "event": event, "code": ticket_url(base, ticket)}


def test_offline_already_names_who_checked_the_member_in(site, browser):  # noqa: F811
    driver, base = browser, site["base"]
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
    )
    driver.get(base + "/events")
    driver.add_cookie({"name": "session", "value": site["token"], "path": "/"})
    driver.add_cookie({"name": "lang", "value": "zh", "path": "/"})
    driver.get(f"{base}/events/{site['event'].event_id}/checkin")
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "count-expected").text == "2")

    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    try:
        box = driver.find_element(By.ID, "scan-input")
        box.send_keys(site["code"] + Keys.ENTER)
        panel = driver.find_element(By.ID, "verdict")
        WebDriverWait(driver, 10).until(lambda _: panel.get_attribute("data-verdict") == "already")
        assert panel.get_attribute("data-offline") == "true" and panel.get_attribute("data-tone") == "warn"
        assert "来宾1" in panel.text and "李老师 · 西门" in panel.text and COLLEAGUE not in panel.text
    finally:
        driver.execute_cdp_cmd(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
