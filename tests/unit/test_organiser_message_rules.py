"""Organiser messages' pure rules (chalicelib.domain.organiser_messages): who may write to whom, the text's bounds,
message ids, rate windows and which registrations an event audience reaches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.ids import sortable_id, sortable_millis
from chalicelib.domain.organiser_messages import (
    PER_DAY,
    PER_HOUR,
    TEXT_MAX_CHARS,
    Audience,
    AudienceKind,
    clean_text,
    event_recipients,
    may_mark_urgent,
    may_message,
    message_id_fresh,
    rate_windows,
    retry_after,
    text_head,
    text_problem,
)
from chalicelib.domain.records import Registration, RegistrationState

AT = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)  # 17:30 in Beijing
UNION = Principal(staff_no="A1", union_admin=True)
CS_ADMIN = Principal(staff_no="C1", unit_id="cs", admin_of=frozenset({"cs"}))
MEMBER = Principal(staff_no="M1", unit_id="cs")


def test_who_may_write_to_whom():
    event = Audience(AudienceKind.CONFIRMED, event_id="ev-1")
    assert may_message(CS_ADMIN, event, "cs") and may_message(UNION, event, "cs")
    assert not may_message(CS_ADMIN, event, "math") and not may_message(MEMBER, event, "cs")
    assert not may_message(CS_ADMIN, event)  # no owner known: refused
    cs, math = Audience(AudienceKind.UNIT, unit_id="cs"), Audience(AudienceKind.UNIT, unit_id="math")
    assert may_message(CS_ADMIN, cs) and not may_message(CS_ADMIN, math) and may_message(UNION, math)
    union = Audience(AudienceKind.UNION)
    assert may_message(UNION, union) and not may_message(CS_ADMIN, union)
    assert may_mark_urgent(UNION) and not may_mark_urgent(CS_ADMIN)


def test_an_audience_names_exactly_what_it_needs():
    with pytest.raises(ValueError):
        Audience(AudienceKind.WAITING)
    with pytest.raises(ValueError):
        Audience(AudienceKind.UNIT, event_id="ev-1", unit_id="cs")
    with pytest.raises(ValueError):
        Audience(AudienceKind.UNION, unit_id="cs")
    assert Audience(AudienceKind.UNION).target == "school"
    assert Audience(AudienceKind.UNIT, unit_id="cs").target == "cs"


def test_text_bounds_and_html_kept_as_typed():
    assert text_problem(clean_text("  \r\n ")) == "message_text_empty"
    assert text_problem("好" * TEXT_MAX_CHARS) is None
    assert text_problem("好" * (TEXT_MAX_CHARS + 1)) == "message_text_too_long"
    assert text_problem("x" * 10_000) == "message_text_too_long"
    assert clean_text("bell\x07\ud800 \x85") == "bell"  # controls and lone surrogates (not UTF-8) removed
    assert clean_text(" <b>明天</b>\r\n改到 3 号场 ") == "<b>明天</b>\n改到 3 号场"
    assert text_problem("<script>alert(1)</script>") is None  # plain text: shown as typed, never rendered
    assert text_head("第一行\n第二行") == "第一行 第二行"
    assert len(text_head("长" * 100)) == 40


def test_message_ids_from_the_last_day_only():
    made = int(AT.timestamp() * 1000)
    fresh = sortable_id("om-", millis=made - 60_000)
    assert sortable_millis(fresh, "om-") == made - 60_000
    assert message_id_fresh(fresh, AT)
    assert not message_id_fresh(sortable_id("om-", millis=made - 2 * 86_400_000), AT)
    assert not message_id_fresh(sortable_id("om-", millis=made + 3_600_000), AT)  # from the future
    assert not message_id_fresh(sortable_id("nt-", millis=made), AT)
    assert not message_id_fresh("om-not-an-id", AT) and not message_id_fresh("om-" + "I" * 26, AT)


def test_rate_windows_are_beijing_hours_and_days():
    hour, day = rate_windows("C1", AT)
    assert hour.bucket == "message-hour:C1:2026120617" and hour.limit == PER_HOUR
    assert day.bucket == "message-day:C1:20261206" and day.limit == PER_DAY
    assert retry_after(hour, AT) == 30 * 60
    assert retry_after(day, AT) == int(timedelta(hours=6, minutes=30).total_seconds())


def _registration(staff_no: str, state: RegistrationState, scope: str = "series", partner: str | None = None):
    return Registration("ev-1", scope, staff_no, staff_no, "cs", state, AT, AT, partner=partner)


def test_event_audiences():
    registrations = [
        _registration("1", RegistrationState.CONFIRMED),
        _registration("2", RegistrationState.WAITING),
        _registration("3", RegistrationState.PARTNER, partner="1"),
        _registration("4", RegistrationState.PARTNER, partner="2"),  # partner of a waiting pair
        _registration("5", RegistrationState.CANCELLED),
        _registration("6", RegistrationState.TEAM),
        _registration("1", RegistrationState.CONFIRMED, scope="s-2"),  # a class session: counted once
        _registration("7", RegistrationState.PENDING),
    ]
    assert event_recipients(AudienceKind.CONFIRMED, registrations, set()) == ["1", "3", "6"]
    assert event_recipients(AudienceKind.WAITING, registrations, set()) == ["2"]
    assert event_recipients(AudienceKind.CHECKED_IN, registrations, {"9", "1"}) == ["1", "9"]
