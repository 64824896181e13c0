"""Signing in inside 企业微信 on a phone (390x844) in headless Chromium with WeCom's User-Agent, over real HTTP, in
Chinese and English: a page that needs sign-in goes silently through WeCom's OAuth (tests/wecom_fake.py, another
host, playing the person's WeCom app) and comes back signed in on that page; outside WeCom the sign-in page offers
the 企业微信登录 button; someone outside the organisation lands on the sign-in page with the reason; nothing is
wider than the screen.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from chalicelib.services import wecom as wecom_service
from chalicelib.settings import get_settings
from devtools.devserver import serving_in_thread
from tests.browser.site import PHONE, chromium, guests, small_union
from tests.wecom_fake import AUTHORIZE_PATH, FakeWecom, serving, settings_env

SHOTS = os.environ.get("WECOM_SHOTS")  # a directory to keep the screenshots in, when looking at them by hand
WECOM_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 "
    "wxwork/4.1.26 MicroMessenger/7.0.1 Language/zh ColorScheme/Light"
)


def _fits(driver) -> None:
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE[0], f"page {width}px wide on a {PHONE[0]}px screen"


def _shot(driver, name: str) -> None:
    if SHOTS:
        driver.save_screenshot(os.path.join(SHOTS, f"{name}.png"))


@pytest.fixture
def wecom():
    with serving(FakeWecom()) as fake:
        os.environ.update(settings_env(fake))
        get_settings.cache_clear()
        wecom_service._client.cache_clear()
        try:
            yield fake
        finally:
            for name in settings_env(fake):
                os.environ.pop(name, None)
            get_settings.cache_clear()
            wecom_service._client.cache_clear()


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_member_inside_wecom_is_signed_in_silently_on_a_phone(dynamodb, wecom, language):
    # A member who never activated an account: 企业微信 alone lets them in.
    (member,) = guests("企业微信会员", 1)
    small_union(dynamodb, [member])
    wecom.users.add(member.staff_no)
    wecom.signed_in = member.staff_no
    with serving_in_thread() as base, chromium(f"--user-agent={WECOM_UA}", size=PHONE, mobile=True) as driver:
        wait = WebDriverWait(driver, 10)
        driver.get(f"{base}/events?lang={language}")  # the language is remembered in a cookie
        driver.get(f"{base}/me/registrations")
        # (the fragment of WeCom's address, #wechat_redirect, stays on through the redirects, as browsers do)
        wait.until(lambda d: d.current_url.split("#")[0] == f"{base}/me/registrations")
        assert wecom.requests[AUTHORIZE_PATH] == 1
        _fits(driver)
        _shot(driver, f"wecom-signed-in-{language}")
        driver.get(f"{base}/me")  # the member's own page: signed in as them
        assert member.name in driver.page_source and member.staff_no in driver.page_source
        assert wecom.requests[AUTHORIZE_PATH] == 1  # the session holds: no second trip to WeCom


@pytest.mark.parametrize("language", ["zh", "en"])
def test_outside_wecom_a_button_and_a_refusal_says_why(dynamodb, wecom, language):
    small_union(dynamodb, [])
    wecom.signed_in = "openid:oAbCdEf0123456789"  # someone from outside the organisation
    with serving_in_thread() as base, chromium(size=PHONE, mobile=True) as driver:
        wait = WebDriverWait(driver, 10)
        driver.get(f"{base}/signin?next=/me/registrations&lang={language}")
        button = driver.find_element(By.CSS_SELECTOR, 'a[href="/signin/wecom?next=/me/registrations"]')
        assert button.text == ("企业微信登录" if language == "zh" else "Sign in with WeCom (企业微信)")
        assert button.is_displayed()
        _fits(driver)
        _shot(driver, f"wecom-signin-{language}")
        button.click()
        alert = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "p.notice.bad[role=alert]"))
        expected = "不是本单位通讯录中的成员" if language == "zh" else "not in this organisation's directory"
        assert expected in alert.text
        assert driver.find_element(By.NAME, "password").is_displayed()  # the password form is right there
        _fits(driver)
        _shot(driver, f"wecom-refused-{language}")
