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
from chalicelib.domain.records import SERIES, Gender, Member
from chalicelib.services import checkin as checkin_service
from chalicelib.services.checkin import Scan
from devtools.devserver import serving_in_thread
from tests.browser.site import (
    ORGANISER,
    PHONE,
    UNIT_ID,
    chromium,
    guests,
    open_as,
    set_offline,
    small_union,
    verdict_after,
)
from tests.factories import published_event, register_all

COLLEAGUE = "N0002"


@pytest.fixture(scope="module")
def site(dynamodb):
    """A lecture starting in a quarter of an hour (the door is open) with two registered guests; its organiser
    (signed in here) and a colleague, 李老师, who checked the first guest in at 西门 from another station."""
    colleague = Member(COLLEAGUE, "李老师", Gender.FEMALE, date(1982, 1, 1), UNIT_ID, admin_units=frozenset({UNIT_ID}))
    people = guests("来宾", 2)
    union = small_union(dynamodb, [colleague, *people])
    event = published_event(
        union.organiser, days=0.01, store=union.store, owner_unit_id=UNIT_ID, title_zh="署名讲座", capacity=10
    )
    register_all(event.event_id, people, store=union.store)
    # 李老师 as the app identifies her (services.identity.principal_for carries her name).
    other = Principal(staff_no=COLLEAGUE, unit_id=UNIT_ID, admin_of=frozenset({UNIT_ID}), name="李老师")
    scan = Scan(uuid.uuid4().hex, "entry", staff_no=people[0].staff_no)
    checkin_service.check_in(union.store, other, event.event_id, scan, "西门", now())
    ticket = union.store.registrations.get(event.event_id, SERIES, people[0].staff_no).ticket
    with serving_in_thread() as base:
        yield {"base": base, "token": union.tokens[ORGANISER], "event": event, "code": ticket_url(base, ticket)}


@pytest.fixture(scope="module")
def browser():
    with chromium(size=PHONE, mobile=True) as driver:
        yield driver


def test_offline_already_names_who_checked_the_member_in(site, browser):
    driver = browser
    open_as(driver, site["base"], site["token"], f"/events/{site['event'].event_id}/checkin")
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "count-expected").text == "2")
    set_offline(driver, True)
    try:
        driver.find_element(By.ID, "scan-input").send_keys(site["code"] + Keys.ENTER)
        panel = verdict_after(driver, 1)
        assert panel.get_attribute("data-verdict") == "already" and panel.get_attribute("data-tone") == "warn"
        assert panel.get_attribute("data-offline") == "true"
        assert "来宾1" in panel.text and "李老师 · 西门" in panel.text and COLLEAGUE not in panel.text
    finally:
        set_offline(driver, False)
