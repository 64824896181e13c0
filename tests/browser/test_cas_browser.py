"""Signing in through the campus CAS (统一身份认证) on a phone (390x844) in headless Chromium over real HTTP, in
Chinese and English: /signin shows the button, the button leads to the campus CAS's login page (tests/cas_fake.py,
another host), signing in there comes back signed in on the page the member was going to; a ticket used twice
shows the sign-in page with the reason, and nothing is wider than the screen.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from chalicelib.settings import get_settings
from devtools.devserver import serving_in_thread
from tests.browser.site import PHONE, chromium, guests, small_union
from tests.cas_fake import FakeCas, serving

SHOTS = os.environ.get("CAS_SHOTS")  # a directory to keep the screenshots in, when looking at them by hand


def _fits(driver) -> None:
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE[0], f"page {width}px wide on a {PHONE[0]}px screen"


def _shot(driver, name: str) -> None:
    if SHOTS:
        driver.save_screenshot(os.path.join(SHOTS, f"{name}.png"))


@pytest.fixture
def cas():
    with serving(FakeCas()) as fake:
        os.environ["CAS_BASE_URL"] = fake.base_url
        get_settings.cache_clear()
        try:
            yield fake
        finally:
            os.environ.pop("CAS_BASE_URL", None)
            get_settings.cache_clear()


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_member_signs_in_with_the_campus_cas_on_a_phone(dynamodb, cas, language):
    # A member who never activated an account: CAS alone lets them in.
    (member,) = guests("统一认证会员", 1)
    small_union(dynamodb, [member])
    cas.users[member.staff_no] = "campus-password"
    with serving_in_thread() as base, chromium(size=PHONE, mobile=True) as driver:
        wait = WebDriverWait(driver, 10)
        driver.get(f"{base}/signin?next=/me/registrations&lang={language}")
        button = driver.find_element(By.CSS_SELECTOR, 'a[href="/signin/cas?next=/me/registrations"]')
        assert button.text == (
            "统一身份认证登录" if language == "zh" else "Sign in with the university's unified identity (CAS)"
        )
        assert button.is_displayed()
        _fits(driver)
        _shot(driver, f"cas-signin-{language}")
        button.click()
        wait.until(lambda d: d.current_url.startswith(cas.base_url + "/login?service="))
        driver.find_element(By.ID, "username").send_keys(member.staff_no)
        driver.find_element(By.ID, "password").send_keys("campus-password")
        driver.find_element(By.ID, "login").click()
        wait.until(lambda d: d.current_url == f"{base}/me/registrations")
        assert 'href="/signin"' not in driver.page_source  # signed in: the navigation offers no sign-in
        _fits(driver)
        _shot(driver, f"cas-signed-in-{language}")
        driver.find_element(By.CSS_SELECTOR, 'header a[href="/me"]').click()
        wait.until(lambda d: d.current_url == f"{base}/me")
        assert member.name in driver.page_source and member.staff_no in driver.page_source
        [(service, ticket)] = cas.validations
        assert service == f"{base}/signin/cas?next=%2Fme%2Fregistrations"
        # The same ticket again (the back button, a shared link): refused, the sign-in page says why.
        driver.delete_all_cookies()
        driver.get(f"{service}&ticket={ticket}&lang={language}")
        alert = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "p.notice.bad[role=alert]"))
        expected = "统一身份认证没有确认这次登录" if language == "zh" else "did not confirm this sign-in"
        assert expected in alert.text
        assert driver.find_element(By.CSS_SELECTOR, 'a[href="/signin/cas?next=/me/registrations"]').is_displayed()
        _fits(driver)
        _shot(driver, f"cas-refused-{language}")
