"""A member's notification choices (/me/notify-settings and its API), the unread badge in the navigation, and
notifications that link to what they are about (issue 20 items 1 and 6, part A2)."""

from __future__ import annotations

import json

import pytest

from chalicelib.domain.calendar import now
from chalicelib.domain.notify import Channel
from chalicelib.domain.records import NotificationKind
from chalicelib.settings import get_settings
from chalicelib.storage import get_store
from tests.http.browsing import SAME_SITE, get_page, header, post_form

CHANNEL_SETTINGS = {
    "WECOM_CORP_ID": "ww0123456789abcdef",
    "WECOM_AGENT_ID": "1000002",
    "WECOM_SECRET": "test-wecom-secret",
    "SMTP_HOST": "smtp.example.edu.cn",
    "SMTP_FROM": "校工会 <union@example.edu.cn>",
    "SMS_PROVIDER": "aliyun",
    "SMS_ACCESS_KEY_ID": "LTAI5tTestKeyId01",
    "SMS_ACCESS_KEY_SECRET": "TestKeySecret0123",
    "SMS_SIGN_NAME": "某大学工会",
    "SMS_TEMPLATE_CODE": "SMS_123456789",
}


@pytest.fixture
def channels(monkeypatch):
    """The deployment configured with every channel (only the settings: these pages never send)."""
    for name, value in CHANNEL_SETTINGS.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def _api(client, method, path, caller, body=None):
    headers = {**caller.headers(), **SAME_SITE, "Content-Type": "application/json"}
    answer = client.http.request(method, path, headers=headers, body=json.dumps(body) if body is not None else b"")
    return answer.status_code, json.loads(answer.body or b"{}")


def _member(callers):
    return get_store().members.get(callers["member"].staff_no)


def test_with_no_channel_configured_the_app_is_the_only_way_and_says_so(client, demo_union, callers):
    me = get_page(client, "/me", callers["member"]).body.decode()
    assert 'href="/me/notify-settings"' in me
    page = get_page(client, "/me/notify-settings", callers["member"])
    assert page.status_code == 200
    body = page.body.decode()
    assert "站内通知" in body and "始终开启" in body and "本站尚未开通企业微信、邮件或短信通知" in body
    assert 'name="enabled"' not in body
    assert _api(client, "GET", "/api/me/notify-settings", callers["member"]) == (
        200,
        {"in_app": True, "channels": []},
    )
    status, answer = _api(client, "PUT", "/api/me/notify-settings", callers["member"], {"enabled": ["email"]})
    assert status == 400 and answer["error"]["code"] == "channel_not_configured", answer
    assert get_page(client, "/me/notify-settings").status_code == 303  # signed out: to the sign-in page


def test_a_member_chooses_channels_and_sees_their_masked_addresses(client, demo_union, callers, channels):
    member = _member(callers)
    assert member.email and member.phone, "the demo member has both"
    page = get_page(client, "/me/notify-settings", callers["member"]).body.decode()
    for label in ("企业微信", "电子邮件", "短信"):
        assert label in page
    assert member.email not in page and member.phone not in page  # masked
    assert f"{member.email[0]}***@{member.email.split('@')[1]}" in page
    assert f"{member.phone[:3]}****{member.phone[-4:]}" in page
    assert page.count("checked") == 4  # the app (always) and the three channels: nothing muted yet

    saved = post_form(client, "/me/notify-settings", callers["member"], [("enabled", "email")])
    assert saved.status_code == 303 and header(saved, "Location") == "/me/notify-settings?saved=1"
    assert get_store().member_prefs.get(member.staff_no).muted == frozenset({Channel.WECOM, Channel.SMS})
    again = get_page(client, "/me/notify-settings?saved=1", callers["member"]).body.decode()
    assert "已保存" in again and again.count("checked") == 2
    english = get_page(client, "/me/notify-settings?lang=en", callers["member"]).body.decode()
    assert "How you are notified" in english and "always on" in english and "Text message (SMS)" in english

    status, answer = _api(client, "GET", "/api/me/notify-settings", callers["member"])
    assert status == 200
    assert [(c["channel"], c["enabled"]) for c in answer["channels"]] == [
        ("wecom", False),
        ("email", True),
        ("sms", False),
    ]
    assert answer["channels"][0]["address"] == member.staff_no  # 企业微信 userid = 工号
    status, answer = _api(client, "PUT", "/api/me/notify-settings", callers["member"], {"enabled": ["wecom", "sms"]})
    assert status == 200 and [c["enabled"] for c in answer["channels"]] == [True, False, True]
    assert get_store().member_prefs.muted_channels([member.staff_no]) == {member.staff_no: frozenset({Channel.EMAIL})}

    for bad in ({"enabled": ["fax"]}, {"enabled": ["in_app"]}, {"enabled": None}, {"enabled": [], "x": 1}, {}):
        status, answer = _api(client, "PUT", "/api/me/notify-settings", callers["member"], bad)
        assert status == 400, (bad, answer)
    refused = post_form(client, "/me/notify-settings", callers["member"], [("enabled", "fax")])
    assert refused.status_code == 400 and "notice bad" in refused.body.decode()
    assert get_store().member_prefs.get(member.staff_no).muted == frozenset({Channel.EMAIL})  # unchanged
    everything = post_form(
        client, "/me/notify-settings", callers["member"], [("enabled", c) for c in ("wecom", "email", "sms")]
    )
    assert everything.status_code == 303
    assert get_store().member_prefs.get(member.staff_no).muted == frozenset()


def test_a_member_without_an_address_is_told_whom_to_ask(client, demo_union, callers, channels):
    from chalicelib.domain.access import Principal
    from chalicelib.services import notify_views

    member = demo_union.members[-1]._replace(staff_no="T90001", email=None, phone="12345")
    get_store().members.put_many([member])
    view = notify_views.notify_settings(get_store(), get_settings(), Principal(staff_no=member.staff_no))
    problems = {choice.channel: (choice.address, choice.problem) for choice in view.channels}
    assert problems == {
        Channel.WECOM: ("T90001", None),
        Channel.EMAIL: (None, "no_address"),
        Channel.SMS: (None, "invalid_address"),
    }


def _notify(staff_no, count, title="羽毛球友谊赛"):
    store = get_store()
    at = now()  # written now: the unread count goes by when a notification was written, not by its id
    items = [
        store.notifications.item(staff_no, NotificationKind.PROMOTED, "ev-notify-badge", title, at)
        for _ in range(count)
    ]
    store.notifications.put_many(items)


def test_the_navigation_counts_unread_notifications_until_the_list_is_opened(client, demo_union, callers):
    caller = callers["unit_admin"]
    get_page(client, "/me/notifications", caller)  # whatever the demo left: seen
    assert 'class="badge"' not in get_page(client, "/events", caller).body.decode()
    _notify(caller.staff_no, 3)
    events = get_page(client, "/events", caller).body.decode()
    assert '<span class="badge">3</span>' in events and 'aria-label="通知（3 条未读）"' in events
    english = get_page(client, "/events?lang=en", caller).body.decode()
    assert "Notices" in english and 'aria-label="Notices (3 unread)"' in english
    assert 'class="badge"' not in get_page(client, "/events").body.decode()  # signed out: no count, no read

    listing = get_page(client, "/me/notifications", caller).body.decode()
    assert listing.count('href="/events/ev-notify-badge"') >= 3  # each links to what it is about
    assert 'class="badge"' not in listing
    assert 'class="badge"' not in get_page(client, "/events", caller).body.decode()
    _notify(caller.staff_no, 120)
    assert '<span class="badge">99+</span>' in get_page(client, "/", caller).body.decode()
    get_page(client, "/me/notifications", caller)
    assert 'class="badge"' not in get_page(client, "/", caller).body.decode()
    # The API answers no badge: it never pays for one.
    assert "badge" not in client.http.get("/api/me", headers=caller.headers()).body.decode()


def _failed_delivery(staff_no, channel, code, title="游泳比赛"):
    """A notification whose delivery on ``channel`` failed for good, as delivery leaves it (storage/deliveries)."""
    from datetime import timedelta as span

    from chalicelib.domain.notify import delivery_key

    store = get_store()
    item = store.notifications.item(staff_no, NotificationKind.EVENT_CHANGED, "ev-notify-failed", title, now())
    store.notifications.put_many([item])
    attempt = store.deliveries.start(staff_no, item.notification_id, channel, "event_changed", now(), span(minutes=2))
    key = delivery_key(staff_no, item.notification_id)
    assert attempt == 1 and store.deliveries.failed(key, channel, attempt, code, now())
    return key


def test_the_union_admin_sees_failures_with_their_reason_and_retries_them(client, demo_union, callers, channels):
    member = _member(callers)
    first = _failed_delivery(member.staff_no, Channel.EMAIL, "email_address_refused")
    _failed_delivery(member.staff_no, Channel.SMS, "sms_xyz_unknown", title="乒乓球赛")
    admin = get_page(client, "/admin", callers["union_admin"]).body.decode()
    assert 'href="/admin/deliveries"' in admin
    assert 'href="/admin/deliveries"' not in get_page(client, "/admin", callers["unit_admin"]).body.decode()
    for caller in ("unit_admin", "member"):
        assert get_page(client, "/admin/deliveries", callers[caller]).status_code == 403
        refused = post_form(client, "/admin/deliveries/retry", callers[caller], {"key": first, "channel": "email"})
        assert refused.status_code == 403
    page = get_page(client, "/admin/deliveries", callers["union_admin"])
    assert page.status_code == 200
    body = page.body.decode()
    assert "通知发送情况" in body and "邮件服务器拒收这个地址" in body and "发送失败（sms_xyz_unknown）" in body
    assert member.name in body and "游泳比赛" in body and 'href="/events/ev-notify-failed"' in body
    assert f'href="/admin/members/{member.staff_no}"' in body and "全部重试" in body
    english = get_page(client, "/admin/deliveries?lang=en", callers["union_admin"]).body.decode()
    assert "Notification delivery" in english and "The mail relay refused this address." in english

    retried = post_form(client, "/admin/deliveries/retry", callers["union_admin"], {"key": first, "channel": "email"})
    assert retried.status_code == 303 and header(retried, "Location") == "/admin/deliveries?retried=1"
    again = get_store().deliveries.get(first, Channel.EMAIL)
    assert again.state.value == "retry" and again.attempts == 0
    twice = post_form(client, "/admin/deliveries/retry", callers["union_admin"], {"key": first, "channel": "email"})
    assert header(twice, "Location") == "/admin/deliveries?stale=1"  # not failed any more: nothing done
    bad = post_form(client, "/admin/deliveries/retry", callers["union_admin"], {"key": first, "channel": "fax"})
    assert bad.status_code == 400
    everything = post_form(client, "/admin/deliveries/retry-all", callers["union_admin"], {})
    assert everything.status_code == 303
    assert header(everything, "Location").startswith("/admin/deliveries?retried=")
    assert int(header(everything, "Location").rsplit("=", 1)[1]) >= 1
    after = get_page(client, "/admin/deliveries", callers["union_admin"]).body.decode()
    assert "没有发送失败的通知" in after
    assert get_page(client, "/admin/deliveries?cursor=%%%", callers["union_admin"]).status_code == 400
