"""A member's year on a phone (issue 21 item 3): /me/year and its printable record at 390x844 in Chinese and English,
as the demo's most present member of the yoga class (activated as from an activation sheet) and as the union admin
looking at them: nothing wider than the screen, the class completed, the year's totals, the print view's heading.
Screenshots go to SHOTS_DIR when it is set."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.services import accounts
from chalicelib.settings import get_settings
from chalicelib.storage import get_store
from devtools.demo.snapshot import restore
from devtools.devserver import serving_in_thread
from tests.browser.site import PHONE, chromium, fits_phone, open_as, page_text, screenshot

YOGA = "ev-01J6NHRF00EJJT39TBZN7Y2FB6"


@pytest.fixture(scope="module")
def site(dynamodb, loaded_demo):
    union, items = loaded_demo
    restore(dynamodb, items)
    store, settings = get_store(), get_settings()
    came: dict[str, int] = {}
    for check_in in store.check_ins.for_event(YOGA):
        came[check_in.staff_no] = came.get(check_in.staff_no, 0) + 1
    staff_no = max(sorted(came), key=came.__getitem__)
    member = store.members.get(staff_no)
    (issued,) = accounts.issue_activation_codes(store, settings, [member])
    token = accounts.activate(store, settings, staff_no, issued.code, "Lantern#2048", "10.0.0.7").token
    admin = next(a for a in union.accounts if "union admin" in a.role)
    admin_token = accounts.sign_in(store, settings, admin.staff_no, admin.password, "10.0.0.1").token
    year = store.events.get(YOGA).starts_at.astimezone(CHINA_TZ).year
    with serving_in_thread() as base:
        yield {"base": base, "token": token, "admin": admin_token, "member": member, "year": year}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_my_year_on_a_phone(site, language):
    with chromium(size=PHONE, mobile=True, scale=1) as driver:
        open_as(driver, site["base"], site["token"], f"/me/year?year={site['year']}", language)
        text = page_text(driver)
        assert ("我的年度" if language == "zh" else "My year") in text
        assert ("已完成" if language == "zh" else "Completed") in text
        assert len(driver.find_elements(By.CSS_SELECTOR, "section.card")) >= 2
        fits_phone(driver)
        screenshot(driver, f"member-year-390x844-{language}.png")
        driver.find_element(By.CSS_SELECTOR, 'a[href^="/me/year/print"]').click()
        heading = driver.find_element(By.TAG_NAME, "h1").text
        assert heading == (
            f"{site['year']}年度参与记录证明" if language == "zh" else f"Record of participation, {site['year']}"
        )
        assert site["member"].name in page_text(driver)
        screenshot(driver, f"member-year-print-390x844-{language}.png")


def test_an_admin_looks_at_a_members_year_on_a_phone(site):
    staff_no = site["member"].staff_no
    with chromium(size=PHONE, mobile=True, scale=1) as driver:
        open_as(driver, site["base"], site["admin"], f"/admin/members/{staff_no}/year?year={site['year']}")
        text = page_text(driver)
        assert "年度记录" in text and site["member"].name in text and "已参加" in text
        fits_phone(driver)
        screenshot(driver, "member-year-admin-390x844-zh.png")
