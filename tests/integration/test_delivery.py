"""Delivery of notifications (chalicelib/services/delivery.py) against DynamoDB Local and a real channel: the SMS
sender talking to a local server speaking Alibaba Cloud SMS's protocol (tests/sms_fake.py). Each message goes out
once per channel, however often the stream is read; members without an address, with an invalid one or who turned
the channel off are skipped with the reason kept; quiet hours hold until 07:00 unless urgent; a failing provider
is retried with back-off and then shown as failed, and the union admin's retry sends it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.notify import MAX_ATTEMPTS, Channel, DeliveryState, delivery_key
from chalicelib.domain.records import Gender, Member, Notification, NotificationKind
from chalicelib.domain.sms import out_id
from chalicelib.services import delivery
from chalicelib.services.channels import sms as sms_channel
from chalicelib.settings import Settings
from chalicelib.storage.notifications import Notifications
from tests.sms_fake import FakeAliyunSms, serving, settings_for

NOON = datetime(2026, 12, 7, 12, 0, tzinfo=CHINA_TZ)
NIGHT = datetime(2026, 12, 7, 23, 0, tzinfo=CHINA_TZ)
MORNING = datetime(2026, 12, 8, 7, 0, 30, tzinfo=CHINA_TZ)


@pytest.fixture
def provider():
    with serving(FakeAliyunSms()) as fake:
        yield fake


@pytest.fixture
def channels(provider):
    settings = Settings.from_env({**settings_for(provider), "PUBLIC_BASE_URL": "https://union.example.edu.cn"})
    sender = sms_channel.sender(settings)
    assert sender is not None
    return settings, {Channel.SMS: sender}


def _member(staff_no: str, phone: str | None) -> Member:
    return Member(staff_no, f"会员{staff_no}", Gender.FEMALE, date(1980, 5, 1), "cs", phone=phone)


def _notify(store, staff_no: str, kind: NotificationKind = NotificationKind.PROMOTED) -> Notification:
    """Write a notification as its cause's transaction does, and read it back as the stream hands it over."""
    item = Notifications.item(staff_no, kind, "ev-42", "羽毛球赛", NOON)
    store.notifications.put_many([item])
    found = Notifications.record(item)
    assert found is not None
    return found


def _stream_records(notifications: list[Notification]) -> list[dict]:
    """Stream records of these notifications as Lambda hands them to the handler (INSERT, NEW_IMAGE)."""
    from chalicelib.storage.tables import NotificationTable

    records = []
    for n in notifications:
        image = NotificationTable.get(n.staff_no, n.notification_id).serialize()
        records.append({"eventName": "INSERT", "dynamodb": {"NewImage": image}})
    return records


def _state(store, n: Notification, channel: Channel = Channel.SMS) -> tuple[DeliveryState, int, str]:
    found = store.deliveries.get(delivery_key(n.staff_no, n.notification_id), channel)
    assert found is not None
    return found.state, found.attempts, found.code


def test_each_member_gets_the_message_once_or_the_reason_it_was_not_sent(store, provider, channels):
    settings, senders = channels
    store.members.put_many(
        [
            _member("D0001", "13912345678"),
            _member("D0002", None),
            _member("D0003", "010-62751234"),  # a landline: no SMS
            _member("D0004", "13800138000"),
        ]
    )
    store.member_prefs.set_muted("D0004", [Channel.SMS], NOON)
    notes = [_notify(store, s) for s in ("D0001", "D0002", "D0003", "D0004")]
    records = _stream_records(notes)
    # An update or a TTL removal on the stream is not a new notification.
    ignored = [{"eventName": "REMOVE", "dynamodb": {}}, {"eventName": "MODIFY", "dynamodb": records[0]["dynamodb"]}]
    counts = delivery.deliver_records(store, settings, [*records, *ignored], NOON, senders)
    assert counts == {"sms.sent": 1, "sms.skipped": 3}
    [sent] = provider.sent
    assert sent.phone == "13912345678" and sent.out_id == out_id(f"D0001#{notes[0].notification_id}#sms")
    assert sent.params == {"title": "羽毛球赛", "link": "/events/ev-42"}
    assert [_state(store, n) for n in notes] == [
        (DeliveryState.SENT, 1, ""),
        (DeliveryState.SKIPPED, 0, "no_address"),
        (DeliveryState.SKIPPED, 0, "invalid_address"),
        (DeliveryState.SKIPPED, 0, "muted"),
    ]
    # The stream read again (a worker restarted before its checkpoint): nothing goes out twice.
    again = delivery.deliver_records(store, settings, records, NOON + timedelta(minutes=5), senders)
    assert again == {"sms.taken": 4} and len(provider.sent) == 1
    assert delivery.retry_due(store, settings, NOON + timedelta(days=1), senders) == {}
    assert len(provider.sent) == 1


def test_quiet_hours_hold_until_seven_unless_urgent(store, provider, channels):
    settings, senders = channels
    store.members.put_many([_member("D0011", "13912340011"), _member("D0012", "13912340012")])
    place = _notify(store, "D0011")
    cancelled = _notify(store, "D0012", NotificationKind.EVENT_CANCELLED)
    counts = delivery.deliver(store, settings, [place, cancelled], NIGHT, senders)
    assert counts == {"sms.held": 1, "sms.sent": 1}
    assert [s.phone for s in provider.sent] == ["13912340012"]  # the cancellation cannot wait for morning
    assert _state(store, place) == (DeliveryState.RETRY, 0, "quiet_hours")
    assert delivery.retry_due(store, settings, NIGHT + timedelta(hours=7), senders) == {}  # 06:00: still held
    assert delivery.retry_due(store, settings, MORNING, senders) == {"sms.sent": 1}
    assert [s.phone for s in provider.sent] == ["13912340012", "13912340011"]
    assert _state(store, place) == (DeliveryState.SENT, 1, "")


def test_a_busy_provider_is_retried_with_back_off_then_failed_then_retried_by_the_admin(store, provider, channels):
    settings, senders = channels
    store.members.put_many([_member("D0021", "13912340021")])
    note = _notify(store, "D0021")
    provider.refuse("isv.BUSINESS_LIMIT_CONTROL", times=MAX_ATTEMPTS)
    at = NOON
    assert delivery.deliver(store, settings, [note], at, senders) == {"sms.retry": 1}
    for attempt in range(2, MAX_ATTEMPTS + 1):
        assert delivery.retry_due(store, settings, at, senders) == {}  # not due before its back-off
        at += timedelta(minutes=61)
        outcome = "failed" if attempt == MAX_ATTEMPTS else "retry"
        assert delivery.retry_due(store, settings, at, senders) == {f"sms.{outcome}": 1}
        assert _state(store, note) == (DeliveryState(outcome), attempt, "sms_rate_limited")
    assert provider.sent == []
    failures, _ = store.deliveries.failures(50)
    assert [(f.staff_no, f.code) for f in failures if f.staff_no == "D0021"] == [("D0021", "sms_rate_limited")]
    assert store.deliveries.retry_now(delivery_key("D0021", note.notification_id), Channel.SMS, at)
    assert delivery.retry_due(store, settings, at, senders) == {"sms.sent": 1}
    assert [s.phone for s in provider.sent] == ["13912340021"]


def test_a_final_refusal_fails_at_once_and_garbage_is_retried(store, provider, channels):
    settings, senders = channels
    store.members.put_many([_member("D0031", "13912340031"), _member("D0032", "13912340032")])
    refused, garbled = _notify(store, "D0031"), _notify(store, "D0032")
    provider.refuse("isv.SMS_TEMPLATE_ILLEGAL")
    provider.garble()
    counts = delivery.deliver(store, settings, [refused, garbled], NOON, senders, workers=1)  # in order
    assert counts == {"sms.failed": 1, "sms.retry": 1}
    assert _state(store, refused) == (DeliveryState.FAILED, 1, "sms_template_refused")
    assert _state(store, garbled)[:2] == (DeliveryState.RETRY, 1)
    assert delivery.retry_due(store, settings, NOON + timedelta(minutes=2), senders) == {"sms.sent": 1}
    assert [s.phone for s in provider.sent] == ["13912340032"]


def test_a_channel_that_keeps_failing_puts_the_rest_off_without_an_attempt(store, provider, channels):
    settings, senders = channels
    staff = [f"D004{n}" for n in range(5)]
    store.members.put_many([_member(s, f"1391234004{n}") for n, s in enumerate(staff)])
    notes = [_notify(store, s) for s in staff]
    provider.refuse("isp.SYSTEM_ERROR", times=delivery.DOWN_AFTER)
    counts = delivery.deliver(store, settings, notes, NOON, senders, workers=1)  # in order: the breaker's count
    assert counts == {"sms.retry": delivery.DOWN_AFTER, "sms.held": 5 - delivery.DOWN_AFTER}
    assert provider.requests == delivery.DOWN_AFTER  # the others were not tried against a provider that is down
    assert {_state(store, n)[2] for n in notes[delivery.DOWN_AFTER :]} == {"channel_down"}
    # Once the provider is back, every message goes out, once.
    assert delivery.retry_due(store, settings, NOON + timedelta(minutes=2), senders) == {"sms.sent": 5}
    assert sorted(s.phone for s in provider.sent) == sorted(f"1391234004{n}" for n in range(5))


def test_a_night_of_held_messages_goes_out_in_one_run_of_the_retry_job_page_after_page(store, provider, channels):
    settings, senders = channels
    staff = [f"D005{n}" for n in range(5)]
    store.members.put_many([_member(s, f"1391234005{n}") for n, s in enumerate(staff)])
    notes = [_notify(store, s) for s in staff]
    assert delivery.deliver(store, settings, notes, NIGHT, senders) == {"sms.held": 5}
    assert delivery.retry_due(store, settings, MORNING, senders, batch=2) == {"sms.sent": 5}
    assert sorted(s.phone for s in provider.sent) == sorted(f"1391234005{n}" for n in range(5))
