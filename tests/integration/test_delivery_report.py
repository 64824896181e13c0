"""The union admin's delivery counts and the notifications failures are about (storage/delivery_report.py)."""

from datetime import UTC, datetime, timedelta

from chalicelib.domain.notify import Channel, delivery_key
from chalicelib.domain.records import NotificationKind
from chalicelib.storage.deliveries import Deliveries
from chalicelib.storage.delivery_report import DeliveryReport
from tests.round_trips import round_trips

AT = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


def test_counts_per_channel_and_the_failures_notifications(empty_store):
    deliveries, report = Deliveries(), DeliveryReport()
    items = [
        empty_store.notifications.item(f"R{n:03d}", NotificationKind.PROMOTED, "ev-1", "篮球赛", AT) for n in range(6)
    ]
    empty_store.notifications.put_many(items)
    for n, item in enumerate(items):
        channel = (Channel.EMAIL, Channel.SMS, Channel.EMAIL)[n % 3]
        attempt = deliveries.start(item.staff_no, item.notification_id, channel, "promoted", AT, LEASE)
        key = delivery_key(item.staff_no, item.notification_id)
        if n < 3:
            assert deliveries.failed(key, channel, attempt, "email_relay_unreachable", AT)
        # the others stay claimed: waiting (due when their lease ends)
    assert report.failed_by_channel(1000) == {Channel.WECOM: 0, Channel.EMAIL: 2, Channel.SMS: 1}
    assert sum(report.failed_by_channel(2).values()) == 2  # reads no more than asked
    assert (report.waiting(Channel.EMAIL, 1000), report.waiting(Channel.SMS, 1000)) == (2, 1)
    assert report.waiting(Channel.EMAIL, 1) == 1
    keys = [(item.staff_no, item.notification_id) for item in items[:3]] + [("R999", "nt-gone")]
    with round_trips() as calls:
        found = report.notifications(keys)
    assert sorted(found) == sorted(keys[:3]) and {n.event_title for n in found.values()} == {"篮球赛"}
    assert calls.operations == ["BatchGetItem"]
