"""Delivery records against DynamoDB Local (chalicelib/storage/deliveries.py): the conditional claim and marks that
make each notification go out once per channel, the due queue (retries, quiet hours, abandoned claims) and the
failures the union admin sees and retries; and the notifications table's stream, which delivery reads."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from chalicelib.domain.notify import Channel, DeliveryState, delivery_key
from chalicelib.storage.deliveries import Deliveries
from chalicelib.storage.tables import NotificationTable

NOW = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)
LEASE = timedelta(seconds=90)


@pytest.mark.streams
def test_notifications_table_has_a_stream_of_new_images(dynamodb, empty_store):
    client = boto3.client("dynamodb", endpoint_url=dynamodb.dynamodb_endpoint, region_name=dynamodb.aws_region)
    table = client.describe_table(TableName=NotificationTable.Meta.table_name)["Table"]
    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    assert table["LatestStreamArn"]


def test_concurrent_claims_let_exactly_one_worker_send(store):
    deliveries = Deliveries()
    barrier = threading.Barrier(8)
    results: list[int | None] = []

    def claim():
        barrier.wait()
        results.append(deliveries.start("R0001", "nt-race", Channel.EMAIL, "promoted", NOW, LEASE))

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=str) == [1] + [None] * 7
    key = delivery_key("R0001", "nt-race")
    assert deliveries.sent(key, Channel.EMAIL, 1, NOW)
    # Sent: neither the stream read again nor the retry job takes it.
    assert deliveries.start("R0001", "nt-race", Channel.EMAIL, "promoted", NOW + timedelta(days=1), LEASE) is None
    assert deliveries.due(Channel.EMAIL, NOW + timedelta(days=1), 100) == []
    assert deliveries.get(key, Channel.EMAIL).state is DeliveryState.SENT


def test_an_abandoned_claim_is_due_when_its_lease_ends_and_the_late_mark_is_refused(store):
    deliveries = Deliveries()
    key = delivery_key("R0002", "nt-crash")
    assert deliveries.start("R0002", "nt-crash", Channel.WECOM, "drawn", NOW, LEASE) == 1
    assert deliveries.start("R0002", "nt-crash", Channel.WECOM, "drawn", NOW + timedelta(seconds=30), LEASE) is None
    assert [d.notification_id for d in deliveries.due(Channel.WECOM, NOW + timedelta(seconds=30), 100)] == []
    later = NOW + LEASE + timedelta(seconds=1)
    assert [d.notification_id for d in deliveries.due(Channel.WECOM, later, 100)] == ["nt-crash"]
    assert deliveries.claim(key, Channel.WECOM, later, LEASE) == 2
    assert deliveries.claim(key, Channel.WECOM, later, LEASE) is None
    assert not deliveries.sent(key, Channel.WECOM, 1, later)  # the first worker's mark: no longer its claim
    assert deliveries.sent(key, Channel.WECOM, 2, later)


def test_retries_then_failure_then_the_admins_retry(store):
    deliveries = Deliveries()
    key = delivery_key("R0003", "nt-fail")
    assert deliveries.start("R0003", "nt-fail", Channel.SMS, "promoted", NOW, LEASE) == 1
    assert deliveries.retry_at(key, Channel.SMS, 1, NOW + timedelta(minutes=1), "unreachable", NOW)
    assert deliveries.due(Channel.SMS, NOW, 100) == []
    soon = NOW + timedelta(minutes=1)
    (due,) = deliveries.due(Channel.SMS, soon, 100)
    assert (due.state, due.attempts, due.code) == (DeliveryState.RETRY, 1, "unreachable")
    assert deliveries.claim(key, Channel.SMS, soon, LEASE) == 2
    assert deliveries.failed(key, Channel.SMS, 2, "rejected", soon)
    assert deliveries.due(Channel.SMS, NOW + timedelta(days=1), 100) == []
    failures, cursor = deliveries.failures(100)
    mine = [f for f in failures if f.staff_no == "R0003"]
    assert [(f.notification_id, f.channel, f.code, f.kind) for f in mine] == [
        ("nt-fail", Channel.SMS, "rejected", "promoted")
    ]
    assert cursor is None
    later = NOW + timedelta(hours=1)
    assert deliveries.retry_now(key, Channel.SMS, later)
    assert not deliveries.retry_now(key, Channel.SMS, later)  # no longer failed: a second click does nothing
    assert [d.attempts for d in deliveries.due(Channel.SMS, later, 100)] == [0]
    assert deliveries.claim(key, Channel.SMS, later, LEASE) == 1


def test_held_and_skipped_deliveries(store):
    deliveries = Deliveries()
    seven = datetime(2026, 12, 7, 23, 0, tzinfo=UTC)
    assert deliveries.hold("R0004", "nt-night", Channel.EMAIL, "drawn", seven, NOW, "quiet_hours")
    assert not deliveries.hold("R0004", "nt-night", Channel.EMAIL, "drawn", seven, NOW, "quiet_hours")
    # The stream read again at night does not send it early.
    assert deliveries.start("R0004", "nt-night", Channel.EMAIL, "drawn", NOW, LEASE) is None
    assert deliveries.skip("R0004", "nt-night", Channel.SMS, "drawn", "no_address", NOW)
    assert deliveries.start("R0004", "nt-night", Channel.SMS, "drawn", seven, LEASE) is None
    states = {d.channel: (d.state, d.code) for d in deliveries.for_notification("R0004", "nt-night")}
    assert states == {
        Channel.EMAIL: (DeliveryState.RETRY, "quiet_hours"),
        Channel.SMS: (DeliveryState.SKIPPED, "no_address"),
    }
    assert deliveries.start("R0004", "nt-night", Channel.EMAIL, "drawn", seven, LEASE) == 1


def test_failures_come_in_pages_newest_first(empty_store):
    deliveries = Deliveries()
    for n in range(5):
        at = NOW + timedelta(minutes=n)
        assert deliveries.start(f"P{n}", f"nt-{n}", Channel.EMAIL, "promoted", at, LEASE) == 1
        assert deliveries.failed(delivery_key(f"P{n}", f"nt-{n}"), Channel.EMAIL, 1, "rejected", at)
    pages, cursor = [], None
    while True:
        page, cursor = deliveries.failures(2, cursor)
        pages.append([d.staff_no for d in page])
        if cursor is None:
            break
    assert pages == [["P4", "P3"], ["P2", "P1"], ["P0"]]
