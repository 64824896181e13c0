"""From a registration change to an e-mail in a real SMTP server, through the whole local pipeline: a member cancels
(services/registration.py), the next on the waiting list is promoted and notified in the same transaction, the
notifications table's stream on DynamoDB Local is read by the local poller (devtools/stream_poller.py), delivery
(services/delivery.py) claims and sends it on the e-mail channel (services/channels/email.py) to the local relay
(tests/smtp_server.py). A second poller reading the whole stream again (a worker restarted without its checkpoint)
sends nothing twice."""

from __future__ import annotations

import time
from datetime import date, datetime

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.notify import Channel, DeliveryState, delivery_key
from chalicelib.domain.records import SCHOOL_UNIT_ID, SERIES, Gender, Member, NotificationKind
from chalicelib.i18n import notification_text
from chalicelib.services import registration
from chalicelib.services.channels.email import sender
from chalicelib.services.delivery import deliver_records
from chalicelib.settings import Settings
from devtools import stream_poller
from tests.factories import published_event
from tests.smtp_server import serving

# Every write read from its stream, from the module's first (tests/conftest.py fresh_tables).
pytestmark = pytest.mark.streams

ADMIN = Principal(staff_no="A0001", unit_id=SCHOOL_UNIT_ID, union_admin=True)
NOON = datetime(2026, 12, 7, 12, 0, tzinfo=CHINA_TZ)  # outside quiet hours, whatever the clock says
BASE = "https://union.example.edu.cn"


@pytest.fixture
def relay():
    with serving() as server:
        yield server


def _member(staff_no: str, email: str | None) -> Member:
    return Member(staff_no, f"会员{staff_no}", Gender.MALE, date(1980, 1, 1), "cs", email=email)


def _principal(member: Member) -> Principal:
    return Principal(staff_no=member.staff_no, unit_id=member.unit_id)


def _run_poller(handler, until, timeout: float = 20.0) -> None:
    """Run the local stream poller (from the start of the stream, no checkpoint) until ``until()`` holds."""
    thread, stop = stream_poller.start(handler)
    try:
        deadline = time.monotonic() + timeout
        while not until():
            assert time.monotonic() < deadline, "the pipeline did not deliver in time"
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(10)


def test_a_promotion_from_the_waiting_list_arrives_as_one_email(union, relay):
    store, _ = union
    leaving, waiting, behind = (
        _member("E0001", "leaving@example.edu.cn"),
        _member("E0002", "Promoted.Member@Example.edu.cn"),
        _member("E0003", None),
    )
    store.members.put_many([leaving, waiting, behind])
    settings = Settings.from_env(relay.environment() | {"PUBLIC_BASE_URL": BASE})
    email = sender(settings)
    assert email is not None
    outcomes: list[dict] = []

    def handler(event, _context):
        outcomes.append(dict(deliver_records(store, settings, event["Records"], NOON, {Channel.EMAIL: email})))

    event = published_event(
        ADMIN, store=store, owner_unit_id=SCHOOL_UNIT_ID, capacity=1, waiting_list=True, title_zh="教职工羽毛球团体赛"
    )
    for member in (leaving, waiting, behind):
        registration.register(store, _principal(member), event.event_id, SERIES, {}, now())
    registration.cancel(store, _principal(leaving), event.event_id, SERIES, now())

    (notice,) = [n for n in store.notifications.for_member(waiting.staff_no) if n.event_id == event.event_id]
    assert notice.kind is NotificationKind.PROMOTED
    key = delivery_key(waiting.staff_no, notice.notification_id)

    def sent() -> bool:
        found = store.deliveries.get(key, Channel.EMAIL)
        return found is not None and found.state is DeliveryState.SENT

    _run_poller(handler, sent)
    mine = [m for m in relay.wait_for(1) if m["To"].lower() == "promoted.member@example.edu.cn"]
    assert len(mine) == 1
    (mail,) = mine
    assert mail["Subject"] == "教职工羽毛球团体赛" == notice.event_title
    body = mail.get_body(("plain",)).get_content()
    assert notification_text(notice, "zh") in body and f"{BASE}/events/{event.event_id}" in body
    assert mail["List-Unsubscribe"] == f"<{BASE}/me/notify-settings>"

    # A worker that lost its checkpoint reads the whole stream again: the delivery record sends nothing twice.
    count = len(relay.messages)
    batches = len(outcomes)
    _run_poller(handler, lambda: len(outcomes) > batches)
    time.sleep(0.5)
    assert len(relay.messages) == count
    assert store.deliveries.get(key, Channel.EMAIL).state is DeliveryState.SENT
    # Only the promoted member was written to (the address as the roster normalises it, lower case).
    assert {e.rcpt_tos for e in relay.envelopes} == {("promoted.member@example.edu.cn",)}
