"""Issue 20 end to end on a phone (390x844, headless Chromium, real HTTP), in Chinese: the delivery pipeline runs as
``make run`` runs it (the notifications table's stream on DynamoDB Local read by devtools/stream_poller.py, fed to
services/delivery.py), with 企业微信 and e-mail pointed at local servers speaking their protocols
(tests/wecom_fake.py, tests/smtp_server.py).

The organiser writes to the event's confirmed members by clicking (preview with the count, send): each member with a
企业微信 account gets one card (userid = 工号) and one e-mail (its Chinese subject decodes to the event's title); a
member 企业微信 does not know fails there. The member sees the unread badge, opens 通知 (the badge clears, the
notice links to its event), turns e-mail off on 通知方式, and the next message arrives on 企业微信 only. The union
admin opens 通知发送情况 from 管理, sees the failure and presses 重试.

Screenshots go to ``SHOTS_DIR`` when it is set (docs/img/notify-*.png, in docs/notifications.md, are
these, made 390 pixels wide).
No skipping: a machine without chromium fails here (``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import time
from datetime import date, datetime

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.notify import Channel, DeliveryState, delivery_key, held_until
from chalicelib.domain.records import Gender, Member
from chalicelib.services import registration
from chalicelib.services.channels import configured
from chalicelib.services.delivery import deliver_records, retry_due
from chalicelib.settings import get_settings
from devtools import stream_poller
from devtools.devserver import serving_in_thread
from tests import smtp_server, wecom_fake
from tests.browser.site import (
    ORGANISER,
    PHONE,
    UNIT_ID,
    chromium,
    fits_phone,
    guests,
    open_as,
    screenshot,
    small_union,
    wait_gone,
)
from tests.factories import published_event

# Delivery's clock: noon in China, outside quiet hours whatever the time of day the test runs.
NOON = datetime(2026, 12, 7, 12, 0, tzinfo=CHINA_TZ)
TITLE = "教工羽毛球友谊赛"
ADMIN = "U0001"


def _until(condition, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"the pipeline did not deliver in time: {what}"
        time.sleep(0.1)


@pytest.fixture
def world(dynamodb, monkeypatch):
    """The small union (three confirmed members, the organiser, a union admin), 企业微信 knowing two of the members,
    the SMTP relay, the app served with both configured and the delivery pipeline running."""
    known, also, stranger = (
        member._replace(email=f"{member.staff_no.lower()}@example.edu.cn") for member in guests("会员", 3)
    )
    admin = Member(ADMIN, "校工会管理员", Gender.FEMALE, date(1975, 1, 1), UNIT_ID, roles=frozenset({"union_admin"}))
    union = small_union(dynamodb, [known, also, stranger, admin], signed_in=[known.staff_no, ADMIN], streams=True)
    event = published_event(union.organiser, store=union.store, owner_unit_id=UNIT_ID, capacity=10,
                            title_zh=TITLE, title_en="Staff badminton")  # fmt: skip
    for member in (known, also, stranger):
        who = Principal(staff_no=member.staff_no, unit_id=UNIT_ID)
        registration.register(union.store, who, event.event_id, "series", {}, now())
    with (
        wecom_fake.serving(wecom_fake.FakeWecom([known.staff_no, also.staff_no])) as wecom,
        smtp_server.serving() as smtp,
        serving_in_thread() as base,
    ):
        links = {"PUBLIC_BASE_URL": base}  # the links in cards and e-mails lead to this app
        for name, value in {**wecom_fake.settings_env(wecom), **smtp.environment(), **links}.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        settings = get_settings()
        senders = configured(settings)
        assert set(senders) == {Channel.WECOM, Channel.EMAIL}

        def handler(event, _context):
            deliver_records(union.store, settings, event["Records"], NOON, senders)

        thread, stop = stream_poller.start(handler)
        try:
            yield {"union": union, "event": event, "wecom": wecom, "smtp": smtp, "base": base,
                   "settings": settings, "senders": senders, "members": (known, also, stranger)}  # fmt: skip
        finally:
            stop.set()
            thread.join(10)
            monkeypatch.undo()
            get_settings.cache_clear()


def _write_to_confirmed(driver, world, text: str) -> None:
    """The organiser, from the event's hub: 发通知, 已确认的会员, the text, 预览 (the count), 确认发送."""
    open_as(driver, world["base"], world["union"].tokens[ORGANISER], f"/admin/events/{world['event'].event_id}/edit")
    driver.find_element(By.LINK_TEXT, "发通知").click()
    driver.find_element(By.ID, "a-confirmed").click()
    driver.find_element(By.ID, "f-text").send_keys(text)
    button = driver.find_element(By.CSS_SELECTOR, "button[value=preview]")
    button.click()
    wait_gone(driver, button)
    preview = driver.find_element(By.ID, "preview-title").find_element(By.XPATH, "..").text
    assert text in preview and "将发给 3 人" in preview
    fits_phone(driver)
    if "周六" in text:
        screenshot(driver, "compose-preview.png")
    send = driver.find_element(By.CSS_SELECTOR, "button[value=send]")
    assert send.text == "确认发送给 3 人"
    send.click()
    wait_gone(driver, send)
    assert "已发送给 3 人" in driver.find_element(By.TAG_NAME, "body").text


def _newest(store, staff_no: str):
    return max(store.notifications.for_member(staff_no), key=lambda n: n.notification_id)


def _state(store, staff_no: str, channel: Channel) -> tuple[DeliveryState, str] | None:
    notice = _newest(store, staff_no)
    found = store.deliveries.get(delivery_key(staff_no, notice.notification_id), channel)
    return None if found is None else (found.state, found.code)


def _wecom_states(store, staff_no: str) -> list[DeliveryState]:
    found = [store.deliveries.get(delivery_key(staff_no, n.notification_id), Channel.WECOM)
             for n in store.notifications.for_member(staff_no)]  # fmt: skip
    return sorted(d.state for d in found if d is not None)


def test_an_organiser_message_reaches_members_on_their_channels(world):
    store, wecom, smtp = world["union"].store, world["wecom"], world["smtp"]
    known, also, stranger = world["members"]
    event_path = f"/events/{world['event'].event_id}"
    with chromium(size=PHONE, mobile=True) as driver:
        wait = WebDriverWait(driver, 10)
        _write_to_confirmed(driver, world, "周六上午九点体育馆集合，请带好球拍。")

        # Once per channel at the local servers: a card to each 工号 企业微信 knows, an e-mail to each address.
        _until(lambda: len(wecom.messages) == 2 and len(smtp.messages) == 3, "first message")
        _until(lambda: _state(store, stranger.staff_no, Channel.WECOM) is not None, "the stranger's failure")
        assert [len(wecom.delivered_to(m.staff_no)) for m in (known, also, stranger)] == [1, 1, 0]
        assert _state(store, stranger.staff_no, Channel.WECOM) == (DeliveryState.FAILED, "wecom_no_account")
        assert sorted(e.rcpt_tos[0] for e in smtp.envelopes) == [f"{m.staff_no.lower()}@example.edu.cn"
                                                                 for m in (known, also, stranger)]  # fmt: skip
        assert {mail["Subject"] for mail in smtp.messages} == {TITLE}  # RFC 2047 decoded back to the title
        (card,) = wecom.delivered_to(known.staff_no)
        assert card["msgtype"] == "textcard" and card["textcard"]["url"].startswith(world["base"] + event_path)
        mail = next(m for m in smtp.messages if m["To"] == f"{known.staff_no.lower()}@example.edu.cn")
        assert world["base"] + event_path in mail.get_body(("plain",)).get_content()

        # The member: the badge in the navigation, 通知 clears it, the notice links to its event.
        open_as(driver, world["base"], world["union"].tokens[known.staff_no], "/events")
        link = driver.find_element(By.CSS_SELECTOR, 'header nav a[href="/me/notifications"]')
        assert link.find_element(By.CSS_SELECTOR, ".badge").text == "1"
        fits_phone(driver)
        screenshot(driver, "member-badge.png")
        link.click()
        wait.until(lambda d: d.current_url.endswith("/me/notifications"))
        assert not driver.find_elements(By.CSS_SELECTOR, "header nav .badge")
        assert "周六上午九点体育馆集合" in driver.find_element(By.TAG_NAME, "main").text
        fits_phone(driver)
        screenshot(driver, "member-notifications.png")
        driver.find_element(By.CSS_SELECTOR, f'main a[href="{event_path}"]').click()
        wait.until(lambda d: d.current_url.endswith(event_path))
        assert TITLE in driver.find_element(By.TAG_NAME, "h1").text

        # 通知方式 from /me: e-mail off.
        driver.get(world["base"] + "/me")
        driver.find_element(By.CSS_SELECTOR, 'main a[href="/me/notify-settings"]').click()
        wait.until(lambda d: d.current_url.endswith("/me/notify-settings"))
        driver.find_element(By.ID, "c-email").click()
        driver.find_element(By.CSS_SELECTOR, 'form[action="/me/notify-settings"] button').click()
        wait.until(lambda d: "saved=1" in d.current_url)
        assert not driver.find_element(By.ID, "c-email").is_selected()
        assert driver.find_element(By.ID, "c-wecom").is_selected()
        fits_phone(driver)
        screenshot(driver, "channel-choices.png")

        # The next message: 企业微信 only for that member; the others still get both.
        driver.delete_all_cookies()
        _write_to_confirmed(driver, world, "改到周日上午九点，地点不变。")
        _until(lambda: len(wecom.messages) == 4 and len(smtp.messages) == 5, "second message")
        _until(lambda: _state(store, known.staff_no, Channel.EMAIL) is not None, "the muted e-mail's record")
        assert _state(store, known.staff_no, Channel.EMAIL) == (DeliveryState.SKIPPED, "muted")
        assert len(wecom.delivered_to(known.staff_no)) == 2
        assert [e.rcpt_tos[0] for e in smtp.envelopes].count(f"{known.staff_no.lower()}@example.edu.cn") == 1
        time.sleep(1)  # nothing else arrives late
        assert (len(wecom.messages), len(smtp.messages)) == (4, 5)

        # The union admin: 管理 → 通知发送情况, the stranger's failure, 重试.
        driver.delete_all_cookies()
        open_as(driver, world["base"], world["union"].tokens[ADMIN], "/admin")
        driver.find_element(By.CSS_SELECTOR, 'main a[href="/admin/deliveries"]').click()
        wait.until(lambda d: d.current_url.endswith("/admin/deliveries"))
        page = driver.find_element(By.TAG_NAME, "main").text
        assert stranger.name in page
        fits_phone(driver)
        screenshot(driver, "admin-deliveries.png")
        driver.find_element(By.CSS_SELECTOR, 'form[action="/admin/deliveries/retry"] button').click()
        wait.until(lambda d: "retried=" in d.current_url)
        assert "已重新排队" in driver.find_element(By.CSS_SELECTOR, ".notice").text
        assert _wecom_states(store, stranger.staff_no) == [DeliveryState.FAILED, DeliveryState.RETRY]
    # The retry job (every minute) asks 企业微信 once more; it still does not know that 工号: failed again, once.
    # Due once the page requeued it (the real clock), at a time quiet hours let it go (not a fixed day, which the
    # calendar passes).
    retried_at = now()
    retried_at = held_until(retried_at, urgent=False) or retried_at
    asked = wecom.requests["/cgi-bin/message/send"]
    retry_due(store, world["settings"], retried_at, world["senders"])
    assert wecom.requests["/cgi-bin/message/send"] == asked + 1
    assert _wecom_states(store, stranger.staff_no) == [DeliveryState.FAILED, DeliveryState.FAILED]
