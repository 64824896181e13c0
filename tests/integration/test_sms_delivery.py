"""Notifications delivered by SMS end to end: delivery (chalicelib/services/delivery.py) on DynamoDB Local with the
SMS sender configured from the settings, talking to a local Alibaba Cloud SMS (tests/sms_fake.py), which checks
each request's signature. The SMS reaches the member's mobile once however often the stream is read; a member
without a number is skipped, one with a landline is skipped as invalid; a refused number fails for good with its
reason; a provider over its limit delays only its own messages and they go out later, once."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.notify import Channel, DeliveryState, delivery_key, outgoing_key
from chalicelib.domain.records import Gender, Member, Notification, NotificationKind
from chalicelib.domain.sms import out_id
from chalicelib.services import delivery
from chalicelib.services.channels import configured
from chalicelib.settings import Settings
from chalicelib.storage.notifications import Notifications
from tests.sms_fake import FakeAliyunSms, serving, settings_for

NOON = datetime(2026, 12, 7, 12, 0, tzinfo=CHINA_TZ)


@pytest.fixture
def provider():
    with serving(FakeAliyunSms()) as fake:
        yield fake


@pytest.fixture
def senders(provider):
    settings = Settings.from_env({**settings_for(provider), "PUBLIC_BASE_URL": "https://union.example.edu.cn"})
    found = configured(settings)
    assert Channel.SMS in found
    return settings, {Channel.SMS: found[Channel.SMS]}


def _member(staff_no: str, phone: str | None) -> Member:
    return Member(staff_no, f"会员{staff_no}", Gender.FEMALE, date(1980, 5, 1), "cs", phone=phone)


def _notify(store, staff_no: str) -> Notification:
    item = Notifications.item(staff_no, NotificationKind.PROMOTED, "ev-42", "羽毛球赛", NOON)
    store.notifications.put_many([item])
    found = Notifications.record(item)
    assert found is not None
    return found


def _state(store, n: Notification) -> tuple[DeliveryState, str]:
    found = store.deliveries.get(delivery_key(n.staff_no, n.notification_id), Channel.SMS)
    assert found is not None
    return found.state, found.code


def test_the_sms_reaches_the_member_once_and_others_are_skipped_or_failed_with_reasons(store, provider, senders):
    settings, chosen = senders
    store.members.put_many(
        [
            _member("S0001", "+86 139 1234 5678"),
            _member("S0002", None),
            _member("S0003", "010-62751234"),
            _member("S0004", "13800000000"),
        ]
    )
    provider.refuse("isv.MOBILE_NUMBER_ILLEGAL")  # the provider's answer to the first number it is asked about
    notes = [_notify(store, s) for s in ("S0004", "S0001", "S0002", "S0003")]
    counts = delivery.deliver(store, settings, notes, NOON, chosen, workers=1)
    assert counts == {"sms.sent": 1, "sms.failed": 1, "sms.skipped": 2}
    [sms] = provider.sent
    assert sms.phone == "13912345678" and sms.params == {"title": "羽毛球赛", "link": "/events/ev-42"}
    assert sms.out_id == out_id(outgoing_key("S0001", notes[1].notification_id, Channel.SMS))
    assert _state(store, notes[0]) == (DeliveryState.FAILED, "sms_invalid_number")
    assert _state(store, notes[1]) == (DeliveryState.SENT, "")
    assert _state(store, notes[2])[0] is DeliveryState.SKIPPED
    assert _state(store, notes[3])[0] is DeliveryState.SKIPPED
    again = delivery.deliver(store, settings, notes, NOON + timedelta(minutes=1), chosen)
    assert "sms.sent" not in again and len(provider.sent) == 1  # the stream read again: nothing sent twice


def test_a_provider_over_its_limit_delays_its_messages_and_loses_none(store, provider, senders):
    settings, chosen = senders
    store.members.put_many([_member("S0005", "13712345678")])
    note = _notify(store, "S0005")
    provider.refuse("isv.BUSINESS_LIMIT_CONTROL")
    assert delivery.deliver(store, settings, [note], NOON, chosen) == {"sms.retry": 1}
    assert _state(store, note) == (DeliveryState.RETRY, "sms_rate_limited") and provider.sent == []
    assert delivery.retry_due(store, settings, NOON + timedelta(hours=2), chosen) == {"sms.sent": 1}
    assert [s.phone for s in provider.sent] == ["13712345678"] and _state(store, note) == (DeliveryState.SENT, "")
    assert delivery.retry_due(store, settings, NOON + timedelta(hours=4), chosen) == {}
    assert len(provider.sent) == 1
