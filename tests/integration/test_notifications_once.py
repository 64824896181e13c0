"""Notifications written at most once (storage/notifications.py once_id + put_once), against DynamoDB Local:
the same id for the same subject and moment, and of many writers released together exactly one writes."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from chalicelib.domain.records import NotificationKind
from chalicelib.storage.notifications import Notifications, once_id

DUE = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def test_once_id_is_stable_time_ordered_and_differs_by_subject():
    assert once_id("reminder#ev-1#2026-12-07", DUE) == once_id("reminder#ev-1#2026-12-07", DUE)
    assert once_id("reminder#ev-1#2026-12-07", DUE) != once_id("reminder#ev-2#2026-12-07", DUE)
    later = datetime(2026, 12, 7, 10, 0, 1, tzinfo=UTC)
    assert once_id("zzz", DUE) < once_id("aaa", later)  # ordered by the moment first, like sortable_id
    assert once_id("x", DUE).startswith("nt-") and len(once_id("x", DUE)) == 29


def test_put_once_writes_once_even_when_many_writers_race(union):
    store, members = union
    staff_no = members[0].staff_no
    notification_id = once_id(f"test#{staff_no}", DUE)

    def item():
        return Notifications.item(
            staff_no, NotificationKind.REMINDER, "ev-x", "晨跑", DUE, {"when": "x"}, notification_id=notification_id
        )

    barrier = threading.Barrier(8)
    results: list[bool] = []

    def write():
        barrier.wait()
        results.append(store.notifications.put_once(item()))

    threads = [threading.Thread(target=write) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]
    assert store.notifications.put_once(item()) is False
    written = [n for n in store.notifications.for_member(staff_no) if n.notification_id == notification_id]
    assert len(written) == 1 and written[0].kind is NotificationKind.REMINDER
