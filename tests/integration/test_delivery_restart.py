"""Exactly once across a worker restart: notifications written as their causes write them, the notifications
table's stream read by devtools/stream_poller.py in a process of its own (the same handler Lambda calls deployed),
the process killed (SIGKILL) halfway and started again, 企业微信 and e-mail served by local servers speaking their
protocols (tests/wecom_fake.py, tests/smtp_server.py). Every member gets each message once on each channel; a
message the killed worker was sending is taken over by the retry job after its lease, with the same idempotency key
(the card's duplicate check at 企业微信, the Message-ID of the e-mail)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from chalicelib.domain.calendar import now
from chalicelib.domain.notify import Channel, DeliveryState
from chalicelib.domain.records import Gender, Member, NotificationKind
from chalicelib.services import delivery
from chalicelib.services.channels import configured
from chalicelib.settings import Settings
from chalicelib.storage.notifications import Notifications
from tests import smtp_server, wecom_fake
from tests.polling import within

# Every write read from its stream, from the module's first (tests/conftest.py fresh_tables).
pytestmark = pytest.mark.streams

ROOT = Path(__file__).resolve().parents[2]
MEMBERS = 60


def _poller(env: dict[str, str], checkpoint: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "devtools.stream_poller", "--checkpoint", str(checkpoint)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_every_message_once_per_channel_across_a_killed_worker(empty_store, tmp_path):
    store = empty_store
    staff = [f"K{n:04d}" for n in range(MEMBERS)]
    store.members.put_many(
        [Member(s, f"会员{s}", Gender.MALE, date(1980, 1, 1), "cs", email=f"{s.lower()}@example.edu.cn") for s in staff]
    )
    with wecom_fake.serving(wecom_fake.FakeWecom(staff)) as wecom, smtp_server.serving() as smtp:
        channel_env = {**wecom_fake.settings_env(wecom), **smtp.environment()}
        env = {**os.environ, **channel_env}
        # Urgent (a moved event), so that quiet hours hold nothing whatever time of day the test runs.
        stamp = now()
        store.notifications.put_many(
            [Notifications.item(s, NotificationKind.EVENT_CHANGED, "ev-7", "教职工羽毛球赛", stamp) for s in staff]
        )
        checkpoint = tmp_path / "stream-checkpoint.json"
        worker = _poller(env, checkpoint)
        try:
            if not within(lambda: len(wecom.messages) + len(smtp.messages) >= MEMBERS // 2, 60):
                worker.kill()
                raise AssertionError(f"nothing delivered: {worker.communicate()[1].decode()[-2000:]}")
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
            halfway = len(wecom.messages) + len(smtp.messages)
            assert halfway < 2 * MEMBERS  # killed with work left
            worker = _poller(env, checkpoint)
            # The restarted worker reads the batch again from the checkpoint: what was sent is not sent again. What
            # it cannot take are the killed worker's claims (at most WORKERS_PER_CHANNEL a channel).
            left = 2 * delivery.WORKERS_PER_CHANNEL
            within(lambda: len(wecom.messages) + len(smtp.messages) >= 2 * MEMBERS - left, 60)
            time.sleep(2)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(10)
        # A claim the killed worker held (it may have sent before it died) is the retry job's once its lease ends.
        settings = Settings.from_env({**channel_env, "APP_STAGE": "test"})
        later = now() + delivery.LEASE + timedelta(seconds=1)
        delivery.retry_due(store, settings, later, configured(settings))

        wecom_users = Counter(message["touser"] for message in wecom.messages)
        assert wecom_users == dict.fromkeys(staff, 1)  # a re-send of the same card is dropped by WeCom's check
        mailboxes = Counter(rcpt for envelope in smtp.envelopes for rcpt in envelope.rcpt_tos)
        assert set(mailboxes) == {f"{s.lower()}@example.edu.cn" for s in staff}
        ids = Counter(message["Message-ID"] for message in smtp.messages)
        assert len(ids) == MEMBERS  # one Message-ID per member: a re-sent e-mail is the same message to a mailbox
        resent = [mid for mid, count in ids.items() if count > 1]
        assert len(resent) <= delivery.WORKERS_PER_CHANNEL  # at most those the worker was sending when killed
        for s in staff:
            (note,) = store.notifications.for_member(s)
            states = {d.channel: d.state for d in store.deliveries.for_notification(s, note.notification_id)}
            assert states == {Channel.WECOM: DeliveryState.SENT, Channel.EMAIL: DeliveryState.SENT}
