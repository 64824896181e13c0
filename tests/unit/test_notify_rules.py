"""Rules of delivering notifications outside the app: quiet hours, urgency, back-off, addresses, links."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.notify import (
    BACKOFF_MINUTES,
    MAX_ATTEMPTS,
    SKIP_INVALID_ADDRESS,
    Channel,
    address_for,
    delivery_key,
    held_until,
    is_urgent,
    next_attempt_at,
    notification_path,
    outgoing_key,
)
from chalicelib.domain.records import Gender, Member, Notification, NotificationKind


def china(hour: int, minute: int = 0, day: int = 7) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=CHINA_TZ)


def member(**fields) -> Member:
    base = {"staff_no": "2014001", "name": "张三", "gender": Gender.MALE, "birth_date": date(1980, 1, 1)}
    return Member(**{**base, "unit_id": "cs", **fields})


def notification(kind: NotificationKind = NotificationKind.PROMOTED, event_id: str = "ev-1") -> Notification:
    return Notification("2014001", "nt-1", china(12), kind, event_id, "羽毛球赛")


@pytest.mark.parametrize(
    ("moment", "held"),
    [
        (china(21, 59), None),
        (china(22, 0), china(7, day=8)),
        (china(23, 30), china(7, day=8)),
        (china(0, 5, day=8), china(7, day=8)),
        (china(6, 59, day=8), china(7, day=8)),
        (china(7, 0, day=8), None),
        (china(12), None),
    ],
)
def test_quiet_hours_hold_until_seven_china_time(moment: datetime, held: datetime | None) -> None:
    assert held_until(moment, urgent=False) == held
    # The same moment given in UTC is held the same way (15:00 UTC is 23:00 in China).
    assert held_until(moment.astimezone(UTC), urgent=False) == held


def test_urgent_messages_are_not_held_at_night() -> None:
    assert held_until(china(23, 30), urgent=True) is None
    assert is_urgent(notification(NotificationKind.EVENT_CANCELLED))
    assert is_urgent(notification(NotificationKind.EVENT_CHANGED))
    assert is_urgent(notification(NotificationKind.SIGN_IN_THROTTLED, ""))
    assert not is_urgent(notification(NotificationKind.PROMOTED))
    assert not is_urgent(notification(NotificationKind.DRAWN))
    message = notification(NotificationKind.ORGANISER_MESSAGE)
    assert not is_urgent(message)
    assert is_urgent(message._replace(details={"text": "明天停课", "urgent": True}))


def test_backoff_grows_then_gives_up() -> None:
    start = china(12)
    waits = [next_attempt_at(attempts, start) for attempts in range(1, MAX_ATTEMPTS)]
    assert [(at - start) for at in waits if at] == [timedelta(minutes=m) for m in BACKOFF_MINUTES]
    assert next_attempt_at(MAX_ATTEMPTS, start) is None
    assert next_attempt_at(MAX_ATTEMPTS + 3, start) is None


def test_addresses_per_channel() -> None:
    someone = member(email=" Zhang.San@Example.EDU.cn ", phone="+86 138-0013-8000")
    assert address_for(someone, Channel.WECOM) == "2014001"
    assert address_for(someone, Channel.EMAIL) == "zhang.san@example.edu.cn"
    assert address_for(someone, Channel.SMS) == "13800138000"
    assert address_for(someone, Channel.IN_APP) is None


def test_missing_addresses_are_none_and_bad_ones_refused() -> None:
    bare = member()
    assert address_for(bare, Channel.EMAIL) is None
    assert address_for(bare, Channel.SMS) is None
    for bad in (member(email="not an address"), member(phone="010-62751234"), member(staff_no="工号 1")):
        channel = Channel.EMAIL if bad.email else Channel.SMS if bad.phone else Channel.WECOM
        with pytest.raises(ValueError, match=SKIP_INVALID_ADDRESS):
            address_for(bad, channel)


def test_notification_links_to_what_it_is_about() -> None:
    assert notification_path(notification()) == "/events/ev-1"
    assert notification_path(notification(event_id="a/b c")) == "/events/a%2Fb%20c"
    assert notification_path(notification(NotificationKind.SIGN_IN_THROTTLED, "")) == "/me/password"
    assert notification_path(notification(NotificationKind.PROMOTED, "")) == "/me/notifications"


def test_keys() -> None:
    assert delivery_key("2014001", "nt-1") == "2014001#nt-1"
    assert outgoing_key("2014001", "nt-1", Channel.SMS) == "2014001#nt-1#sms"
