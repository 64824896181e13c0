"""A channel that is down delays only its own messages and loses none: 企业微信 (tests/wecom_fake.py) and e-mail
(tests/smtp_server.py) side by side through chalicelib/services/delivery.py, against DynamoDB Local, with the relay
refusing for a while (451), then slow past the sender's timeout."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.notify import Channel, DeliveryState, delivery_key
from chalicelib.domain.records import Gender, Member, Notification, NotificationKind
from chalicelib.services import delivery
from chalicelib.services.channels import configured
from chalicelib.settings import Settings
from chalicelib.storage.notifications import Notifications
from tests import smtp_server, wecom_fake

NOON = datetime(2026, 12, 7, 12, 0, tzinfo=CHINA_TZ)


@pytest.fixture
def servers():
    with wecom_fake.serving(wecom_fake.FakeWecom()) as wecom, smtp_server.serving() as smtp:
        env = {**wecom_fake.settings_env(wecom), **smtp.environment(), "SMTP_TIMEOUT": "1"}
        settings = Settings.from_env(env)
        yield wecom, smtp, settings


def _members(store, wecom, prefix: str, count: int) -> list[Notification]:
    staff = [f"{prefix}{n:03d}" for n in range(count)]
    wecom.users.update(staff)
    store.members.put_many(
        [Member(s, "会员", Gender.MALE, date(1980, 1, 1), "cs", email=f"{s.lower()}@example.edu.cn") for s in staff]
    )
    items = [Notifications.item(s, NotificationKind.DRAWN, "ev-5", "春季健步走", NOON) for s in staff]
    store.notifications.put_many(items)
    return [n for n in map(Notifications.record, items) if n is not None]


def _states(store, notes: list[Notification], channel: Channel) -> Counter[str]:
    found = Counter()
    for n in notes:
        record = store.deliveries.get(delivery_key(n.staff_no, n.notification_id), channel)
        found[record.state.value if record else "none"] += 1
    return found


def test_a_relay_refusing_delays_only_e_mail_and_loses_nothing(store, servers):
    wecom, smtp, settings = servers
    notes = _members(store, wecom, "CD", 8)
    smtp.unavailable()
    counts = delivery.deliver(store, settings, notes, NOON, configured(settings))
    assert counts["wecom.sent"] == 8  # 企业微信 went on as if nothing happened
    assert counts["email.retry"] + counts["email.held"] == 8 and counts["email.held"] > 0
    assert smtp.messages == [] and _states(store, notes, Channel.EMAIL) == {"retry": 8}
    # The relay is back: the retry job sends every e-mail once; 企业微信 sends nothing again.
    smtp.unavailable(False)
    later = NOON + timedelta(minutes=2)
    assert delivery.retry_due(store, settings, later, configured(settings)) == {"email.sent": 8}
    assert Counter(r for e in smtp.envelopes for r in e.rcpt_tos) == {f"cd{n:03d}@example.edu.cn": 1 for n in range(8)}
    assert Counter(m["touser"] for m in wecom.messages) == {f"CD{n:03d}": 1 for n in range(8)}
    assert _states(store, notes, Channel.EMAIL) == {DeliveryState.SENT.value: 8}


def test_a_slow_relay_does_not_hold_up_wecom(store, servers):
    wecom, smtp, settings = servers
    notes = _members(store, wecom, "CS", 6)
    smtp.slow(3)  # past the sender's 1 s timeout on every reply
    started = time.monotonic()
    done = threading.Event()
    result: list = []

    def run():
        result.append(delivery.deliver(store, settings, notes, NOON, configured(settings)))
        done.set()

    threading.Thread(target=run, daemon=True).start()
    deadline = time.monotonic() + 30
    while len(wecom.messages) < 6 and time.monotonic() < deadline:
        time.sleep(0.02)
    wecom_done = time.monotonic() - started
    assert len(wecom.messages) == 6
    assert not done.is_set() or wecom_done < 1.0  # 企业微信 finished while e-mail was still waiting on the relay
    assert done.wait(60)
    counts = result[0]
    assert counts["wecom.sent"] == 6 and counts["email.sent"] == 0
    assert counts["email.retry"] + counts["email.held"] == 6
    smtp.slow(0)
    assert delivery.retry_due(store, settings, NOON + timedelta(minutes=2), configured(settings)) == {"email.sent": 6}
    assert len({m["Message-ID"] for m in smtp.messages}) == 6
