"""What `make run` starts besides the web server (devtools/run.py start_workers): the stream poller as a thread,
delivering a new notification through the real handler to a local SMS provider (tests/sms_fake.py), resuming from
its checkpoint after a restart without sending again; a poller thread per stream (start_all), the statistics' kept
from the members table's stream with a checkpoint per table; and the scheduled jobs at their rates
(devtools/local_jobs.py)."""

from __future__ import annotations

import json
import time
from datetime import date

import pytest

from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.records import SCHOOL_UNIT_ID, Gender, Member, NotificationKind, Unit, UnitKind
from chalicelib.settings import get_settings
from chalicelib.storage.notifications import Notifications
from devtools import local_jobs, stream_poller
from tests.polling import within
from tests.sms_fake import FakeAliyunSms, serving, settings_for

# Every write read from its stream, from the module's first (tests/conftest.py fresh_tables).
pytestmark = pytest.mark.streams


@pytest.fixture
def sms_configured(monkeypatch):
    with serving(FakeAliyunSms()) as fake:
        for name, value in settings_for(fake).items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        yield fake
    get_settings.cache_clear()


def _notify(store, staff_no: str) -> None:
    # Urgent (an event moved): quiet hours hold nothing whatever time the test runs.
    item = Notifications.item(staff_no, NotificationKind.EVENT_CHANGED, "ev-9", "健步走", now())
    store.notifications.put_many([item])


def test_the_poller_thread_delivers_and_resumes_from_its_checkpoint(empty_store, sms_configured, tmp_path):
    store, provider = empty_store, sms_configured
    store.members.put_many(
        [Member(f"L000{n}", "会员", Gender.MALE, date(1980, 1, 1), "cs", phone=f"1391234500{n}") for n in range(2)]
    )
    checkpoint = tmp_path / "checkpoint.json"
    _notify(store, "L0000")
    thread, stop = stream_poller.start(checkpoint=checkpoint)
    try:
        assert within(lambda: len(provider.sent) == 1, 30), "the poller thread delivered nothing"
    finally:
        stop.set()
        thread.join(10)
    saved = json.loads(checkpoint.read_text())
    assert saved["stream"] and saved["shards"]
    _notify(store, "L0001")
    thread, stop = stream_poller.start(checkpoint=checkpoint)
    try:
        assert within(lambda: len(provider.sent) == 2, 30)
        time.sleep(1)  # nothing else comes: the first notification is behind the checkpoint
    finally:
        stop.set()
        thread.join(10)
    assert [sent.phone for sent in provider.sent] == ["13912345000", "13912345001"]


def test_every_stream_has_its_poller_thread_and_checkpoint(empty_store, tmp_path):
    store = empty_store
    store.members.put_many([Member(f"L100{n}", "会员", Gender.FEMALE, date(1980, 1, 1), "cs") for n in range(3)])
    threads, stop = stream_poller.start_all(tmp_path)
    try:
        assert len(threads) == 6 and all(thread.is_alive() for thread in threads)

        def members() -> int:
            return store.stats.rollups("h").get("t#union", {}).get("members", 0)

        assert within(lambda: members() == 3, 30), "the statistics' poller of the members table counted nothing"
    finally:
        stop.set()
        for thread in threads:
            thread.join(10)
    assert not any(thread.is_alive() for thread in threads)
    saved = json.loads((tmp_path / "stream-checkpoint-members.json").read_text())
    assert saved["stream"] and saved["shards"]
    assert store.stats.rollups("h")["t#u#cs"]["members_F"] == 3


def test_a_database_older_than_the_statistics_has_them_counted_once_at_start(store):
    from chalicelib.storage.tables import StatsTable
    from devtools.run import count_statistics

    school = Unit(SCHOOL_UNIT_ID, UnitKind.SCHOOL, "校工会")
    store.units.put_many([school, Unit("l2", UnitKind.SUB, "分工会", parent_id=SCHOOL_UNIT_ID)])
    store.members.put_many([Member("L2001", "会员", Gender.MALE, date(1970, 1, 1), "l2")])
    assert store.stats.get("h", "m#L2001") is None
    just_made = [StatsTable.Meta.table_name]
    # The table was there already, or the demo was loaded just now (the loader counts it): nothing to do.
    assert count_statistics(store, [], "Demo data already present", now()) == []
    assert count_statistics(store, just_made, {"members": 1}, now()) == []
    assert store.stats.get("h", "m#L2001") is None
    lines = count_statistics(store, just_made, "Demo data already present", now())
    year = now().astimezone(CHINA_TZ).year
    assert [line.split(":")[0] for line in lines] == [
        f"Statistics counted for {year - 1}",
        f"Statistics counted for {year}",
    ]
    assert store.stats.get("h", "m#L2001") is not None  # the headcount too


def test_local_jobs_are_the_apps_schedules_at_their_rates(store):
    found = {job.name: job.every for job in local_jobs.jobs()}
    assert found["retry_deliveries"] == 60 and found["draw_due_lotteries"] == 600
    retry = next(job for job in local_jobs.jobs() if job.name == "retry_deliveries")
    assert local_jobs.run_job(retry) == {}  # nothing due, nothing configured: nothing sent, no error
