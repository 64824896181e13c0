"""A whole-union message through the local delivery pipeline, with the delivery worker killed halfway.

DynamoDB Local (in memory, a free port), ``--members`` members each reachable on two channels: 企业微信 (userid =
工号) and e-mail, served by local servers speaking their protocols (tests/wecom_fake.py, tests/smtp_server.py with
STARTTLS and AUTH). One organiser message to all of them is written as part E's service writes it (a notification
per member, batch-written; marked urgent so that quiet hours hold nothing whatever time the benchmark runs). The
notifications table's stream is read by devtools/stream_poller.py in a process of its own, as Lambda reads it
deployed; once half the messages have arrived it is killed (SIGKILL) and started again, resuming from its
checkpoint. A claim the killed worker held is the retry job's once its lease ends (run here with the clock moved on
by the lease). Then everything is counted at the receiving servers by idempotency key: per 企业微信 user (the card
re-sent under the same key is dropped by WeCom's duplicate check and shown as ``resent``) and per e-mail
Message-ID (the delivery's key).

Last line: ``notify delivered=<n> duplicates=<n> lost=<n> per_s=<n>``; exit status 1 unless duplicates and lost
are 0.

    python -m bench.notify [--members 5000]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from chalicelib.domain.calendar import now
from chalicelib.domain.records import Gender, Member, NotificationKind
from chalicelib.settings import Settings
from chalicelib.storage import get_store
from chalicelib.storage.notifications import Notifications
from devtools import dynamodb_local
from devtools.tables import use_database
from tests import smtp_server, wecom_fake
from tests.polling import within

ROOT = Path(__file__).resolve().parent.parent
TEXT = "各位会员：本周六上午九时在东区体育馆举行教职工趣味运动会，请准时参加。"


def _members(count: int) -> list[Member]:
    return [
        Member(
            f"N{n:05d}",
            f"会员{n}",
            Gender.FEMALE if n % 2 else Gender.MALE,
            date(1970 + n % 30, 1, 1),
            "school",
            email=f"n{n:05d}@example.edu.cn",
        )
        for n in range(count)
    ]


def _worker(env: dict[str, str], checkpoint: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "devtools.stream_poller", "--checkpoint", str(checkpoint)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


def _wait_settled(arrived, expected: int, before: int, timeout: float, quiet: float = 5.0) -> None:
    """Until everything arrived, or the restarted worker got going and then nothing more came for ``quiet``
    seconds (what is left are the killed worker's claims: the retry job's once their lease ends)."""
    deadline, last, changed = time.monotonic() + timeout, arrived(), time.monotonic()
    while time.monotonic() < deadline and last < expected:
        time.sleep(0.1)
        current = arrived()
        if current != last:
            last, changed = current, time.monotonic()
        elif last > before and time.monotonic() - changed > quiet:
            return


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for every message")
    args = parser.parse_args(argv)
    members = _members(args.members)
    staff = [m.staff_no for m in members]
    expected = 2 * len(members)
    with (
        dynamodb_local.running(dynamodb_local.free_port()) as database,
        wecom_fake.serving(wecom_fake.FakeWecom(staff)) as wecom,
        smtp_server.serving() as smtp,
        tempfile.TemporaryDirectory(prefix="bench-notify-") as directory,
    ):
        use_database(database.endpoint, "union-events-notify-")
        store = get_store()
        store.members.put_many(members)
        channel_env = {**wecom_fake.settings_env(wecom), **smtp.environment()}
        env = {**os.environ, **channel_env}

        def arrived() -> int:
            return len(wecom.messages) + len(smtp.messages)

        details = {"text": TEXT, "from": "校工会", "unit": "校工会", "urgent": True}
        started = time.monotonic()
        stamp = now()
        items = [Notifications.item(s, NotificationKind.ORGANISER_MESSAGE, "", "", stamp, details) for s in staff]
        store.notifications.put_many(items)
        written = time.monotonic() - started
        print(f"notify wrote {len(items)} notifications in {written:.1f}s; worker started", flush=True)
        checkpoint = Path(directory) / "checkpoint.json"
        worker = _worker(env, checkpoint)
        try:
            within(lambda: arrived() >= expected // 2, args.timeout)
            worker.send_signal(signal.SIGKILL)
            worker.wait(30)
            halfway = arrived()
            print(f"notify worker killed after {halfway} of {expected} messages ({time.monotonic() - started:.1f}s)")
            worker = _worker(env, checkpoint)
            _wait_settled(arrived, expected, halfway, args.timeout)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(30)
        elapsed = time.monotonic() - started
        print(f"notify worker restarted: {arrived()} of {expected} messages after {elapsed:.1f}s", flush=True)

        # Claims the killed worker held: the retry job takes them over once their lease ends.
        from chalicelib.services import delivery

        settings = Settings.from_env({**channel_env, "APP_STAGE": "test"})
        later = now() + delivery.LEASE + timedelta(seconds=1)
        taken_over = delivery.retry_due(store, settings, later)
        print(f"notify retry job after the lease: {dict(taken_over)}")

    # 企业微信: the cards each user was shown (a card re-sent under the same key is in wecom.dropped, not shown).
    wecom_users = Counter(message["touser"] for message in wecom.messages)
    # E-mail: the distinct messages (Message-IDs) each mailbox got; the same Message-ID again is the same message
    # re-sent (RFC 5322 3.6.4), counted as resent, and two Message-IDs for one member would be a duplicate.
    mail_ids = Counter(str(message["Message-ID"]) for message in smtp.messages)
    mailboxes: dict[str, set[str]] = {}
    for envelope, message in zip(smtp.envelopes, smtp.messages, strict=True):
        for rcpt in envelope.rcpt_tos:
            mailboxes.setdefault(rcpt, set()).add(str(message["Message-ID"]))
    delivered = len(wecom_users) + sum(len(ids) for ids in mailboxes.values())
    duplicates = sum(c - 1 for c in wecom_users.values()) + sum(len(ids) - 1 for ids in mailboxes.values())
    lost = len(set(staff) - set(wecom_users)) + (len(members) - len(mailboxes))
    resent = len(wecom.dropped) + sum(c - 1 for c in mail_ids.values())
    print(
        f"notify members={len(members)} channels=2 wecom={len(wecom_users)} email={len(mailboxes)} halfway={halfway} "
        f"resent_same_key={resent} seconds={elapsed:.1f}"
    )
    print(f"notify delivered={delivered} duplicates={duplicates} lost={lost} per_s={delivered / elapsed:.0f}")
    return 0 if duplicates == 0 and lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
