"""Notifications in the app on a phone (390x844) in headless Chromium over real HTTP, in Chinese and English
(issue 20 items 1 and 6, part A2): the navigation's unread count, 我的通知 clearing it and linking each notification
to its event, 通知方式 (masked addresses, untick and save), and the union admin's 通知发送情况 with a retry. Nothing is
wider than the screen.

No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from chalicelib.domain.calendar import now
from chalicelib.domain.notify import Channel, delivery_key
from chalicelib.domain.records import Gender, Member, NotificationKind
from chalicelib.settings import get_settings
from devtools.devserver import serving_in_thread
from tests.browser.site import PHONE, UNIT_ID, chromium, guests, open_as, small_union

SHOTS = os.environ.get("NOTIFY_SHOTS")  # a directory to keep the screenshots in, when looking at them by hand
CHANNELS = {
    "SMTP_HOST": "smtp.example.edu.cn",
    "SMTP_FROM": "校工会 <union@example.edu.cn>",
    "SMS_PROVIDER": "aliyun",
    "SMS_ACCESS_KEY_ID": "LTAI5tTestKeyId01",
    "SMS_ACCESS_KEY_SECRET": "TestKeySecret0123",
    "SMS_SIGN_NAME": "某大学工会",
    "SMS_TEMPLATE_CODE": "SMS_123456789",
}


def _fits(driver) -> None:
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE[0], f"page {width}px wide on a {PHONE[0]}px screen"


def _shot(driver, name: str) -> None:
    if SHOTS:
        driver.save_screenshot(os.path.join(SHOTS, f"{name}.png"))


@pytest.fixture
def channels(monkeypatch):
    for name, value in CHANNELS.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.mark.parametrize("language", ["zh", "en"])
def test_badge_list_choices_and_the_admin_page_on_a_phone(dynamodb, channels, language):
    member = guests("通知会员", 1)[0]._replace(email="tongzhi@example.edu.cn", phone="13812345678")
    admin = Member("U0001", "校工会管理员", Gender.FEMALE, date(1975, 1, 1), UNIT_ID, roles=frozenset({"union_admin"}))
    union = small_union(dynamodb, [member, admin], signed_in=[member.staff_no, admin.staff_no])
    store = union.store
    items = [
        store.notifications.item(
            member.staff_no, NotificationKind.PROMOTED, "ev-browser-1", "羽毛球赛", now() + timedelta(seconds=n)
        )
        for n in range(3)
    ]
    store.notifications.put_many(items)
    words = {
        "zh": ("通知", "通知方式", "已保存", "通知发送情况", "已重新排队 1 条"),
        "en": ("Notices", "How you are notified", "Saved.", "Notification delivery", "1 put back in line"),
    }[language]
    with serving_in_thread() as base, chromium(size=PHONE, mobile=True) as driver:
        wait = WebDriverWait(driver, 10)
        open_as(driver, base, union.tokens[member.staff_no], "/events", language)
        link = driver.find_element(By.CSS_SELECTOR, 'header nav a[href="/me/notifications"]')
        assert link.is_displayed() and link.text.replace("\n", "") == f"{words[0]}3"
        assert link.find_element(By.CSS_SELECTOR, ".badge").is_displayed()
        _fits(driver)
        _shot(driver, f"badge-{language}")
        link.click()
        wait.until(lambda d: d.current_url.endswith("/me/notifications"))
        assert not driver.find_elements(By.CSS_SELECTOR, "header nav .badge")
        assert len(driver.find_elements(By.CSS_SELECTOR, 'main a[href="/events/ev-browser-1"]')) == 3
        _fits(driver)
        driver.get(base + "/me")
        driver.find_element(By.CSS_SELECTOR, 'main a[href="/me/notify-settings"]').click()
        wait.until(lambda d: d.current_url.endswith("/me/notify-settings"))
        assert driver.find_element(By.TAG_NAME, "h1").text == words[1]
        page = driver.find_element(By.TAG_NAME, "main").text
        assert "t***@example.edu.cn" in page and "138****5678" in page and "13812345678" not in page
        _fits(driver)
        _shot(driver, f"choices-{language}")
        driver.find_element(By.ID, "c-sms").click()
        driver.find_element(By.CSS_SELECTOR, 'form[action="/me/notify-settings"] button').click()
        wait.until(lambda d: "saved=1" in d.current_url)
        assert words[2] in driver.find_element(By.CSS_SELECTOR, ".notice").text
        assert not driver.find_element(By.ID, "c-sms").is_selected()
        assert driver.find_element(By.ID, "c-email").is_selected()
        assert store.member_prefs.get(member.staff_no).muted == frozenset({Channel.SMS})

        # The union admin: a failed e-mail shows on 通知发送情况, reached from 管理, and is retried.
        notice = items[0]
        started = store.deliveries.start(
            member.staff_no, notice.notification_id, Channel.EMAIL, "promoted", now(), timedelta(minutes=2)
        )
        key = delivery_key(member.staff_no, notice.notification_id)
        assert store.deliveries.failed(key, Channel.EMAIL, started, "email_address_refused", now())
        many = [
            store.notifications.item(admin.staff_no, NotificationKind.PROMOTED, "ev-browser-1", "羽毛球赛", now())
            for _ in range(120)
        ]
        store.notifications.put_many(many)
        driver.delete_all_cookies()
        open_as(driver, base, union.tokens[admin.staff_no], "/admin", language)
        assert driver.find_element(By.CSS_SELECTOR, "header nav .badge").text == "99+"
        _fits(driver)  # the longest navigation: 管理 and 99+
        _shot(driver, f"admin-{language}")
        driver.find_element(By.CSS_SELECTOR, 'main a[href="/admin/deliveries"]').click()
        wait.until(lambda d: d.current_url.endswith("/admin/deliveries"))
        assert driver.find_element(By.TAG_NAME, "h1").text == words[3]
        assert member.name in driver.find_element(By.TAG_NAME, "main").text
        _fits(driver)
        _shot(driver, f"deliveries-{language}")
        driver.find_element(By.CSS_SELECTOR, 'form[action="/admin/deliveries/retry"] button').click()
        wait.until(lambda d: "retried=1" in d.current_url)
        assert words[4] in driver.find_element(By.CSS_SELECTOR, ".notice").text
        assert store.deliveries.get(key, Channel.EMAIL).state.value == "retry"
        _fits(driver)
