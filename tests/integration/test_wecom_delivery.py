"""Notifications delivered on 企业微信 end to end: delivery (chalicelib/services/delivery.py) on DynamoDB Local with the
WeCom sender configured from the settings, talking to a local WeCom (tests/wecom_fake.py). The card reaches the
member's userid = 工号 once, however often the stream is read; a 工号 WeCom does not know fails for good with its
reason; a WeCom that is down delays only its own messages and they go out when it is back."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.notify import Channel, DeliveryState, delivery_key
from chalicelib.domain.records import Gender, Member, Notification, NotificationKind
from chalicelib.services import delivery
from chalicelib.services.channels import configured
from chalicelib.settings import Settings
from chalicelib.storage.notifications import Notifications
from tests.wecom_fake import SEND_PATH, FakeWecom, serving, settings_env

NOON = datetime(2026, 12, 7, 12, 0, tzinfo=CHINA_TZ)


@pytest.fixture
def wecom():
    with serving(FakeWecom(users={"W0001", "W0003"})) as fake:
        yield fake


@pytest.fixture
def senders(wecom):
    settings = Settings.from_env({**settings_env(wecom), "PUBLIC_BASE_URL": "https://union.example.edu.cn"})
    found = configured(settings)
    assert Channel.WECOM in found
    return settings, {Channel.WECOM: found[Channel.WECOM]}


def _member(staff_no: str) -> Member:
    return Member(staff_no, f"会员{staff_no}", Gender.MALE, date(1979, 3, 1), "cs")


def _notify(store, staff_no: str) -> Notification:
    item = Notifications.item(staff_no, NotificationKind.PROMOTED, "ev-42", "羽毛球赛", NOON)
    store.notifications.put_many([item])
    found = Notifications.record(item)
    assert found is not None
    return found


def _state(store, n: Notification) -> tuple[DeliveryState, str]:
    found = store.deliveries.get(delivery_key(n.staff_no, n.notification_id), Channel.WECOM)
    assert found is not None
    return found.state, found.code


def test_a_card_reaches_the_member_once_and_an_unknown_userid_fails_with_its_reason(store, wecom, senders):
    settings, chosen = senders
    store.members.put_many([_member("W0001"), _member("W0002")])
    known, unknown = _notify(store, "W0001"), _notify(store, "W0002")
    counts = delivery.deliver(store, settings, [known, unknown], NOON, chosen)
    assert counts == {"wecom.sent": 1, "wecom.failed": 1}
    [card] = wecom.delivered_to("W0001")
    assert card["msgtype"] == "textcard" and card["textcard"]["title"] == "羽毛球赛"
    assert card["textcard"]["url"].startswith("https://union.example.edu.cn/events/ev-42#m=")
    assert _state(store, known) == (DeliveryState.SENT, "")
    assert _state(store, unknown) == (DeliveryState.FAILED, "wecom_no_account")
    again = delivery.deliver(store, settings, [known, unknown], NOON + timedelta(minutes=1), chosen)
    assert "wecom.sent" not in again and len(wecom.messages) == 1  # read again: nothing goes out twice


def test_a_wecom_that_is_down_delays_its_messages_and_loses_none(store, wecom, senders):
    settings, chosen = senders
    store.members.put_many([_member("W0003")])
    note = _notify(store, "W0003")
    wecom.refuse(SEND_PATH, -1)  # busy
    assert delivery.deliver(store, settings, [note], NOON, chosen) == {"wecom.retry": 1}
    assert _state(store, note) == (DeliveryState.RETRY, "wecom_busy") and wecom.messages == []
    assert delivery.retry_due(store, settings, NOON + timedelta(hours=2), chosen) == {"wecom.sent": 1}
    assert len(wecom.delivered_to("W0003")) == 1 and _state(store, note) == (DeliveryState.SENT, "")
