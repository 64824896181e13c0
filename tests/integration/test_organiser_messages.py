"""Organiser messages against DynamoDB Local (issue 20 item 4): audiences resolved by key and index reads, one
notification per member with ids derived from the message, a second send of the same message notifies nobody
twice, audit and history, the rate limit, and a whole-union send."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.ids import sortable_id
from chalicelib.domain.organiser_messages import PER_HOUR, Audience, AudienceKind
from chalicelib.domain.records import (
    SCHOOL_UNIT_ID,
    CheckIn,
    CheckinMethod,
    Gender,
    Member,
    MemberStatus,
    NotificationKind,
    RegistrationState,
)
from chalicelib.errors import Forbidden, InvalidInput, NotFound, RateLimited, Unprocessable
from chalicelib.services import organiser_messages as service
from chalicelib.services import registration
from chalicelib.storage.tables import NotificationTable
from tests.factories import published_event

UNION_ADMIN = Principal(staff_no="A0001", unit_id=SCHOOL_UNIT_ID, union_admin=True, name="管理员")
CS_ADMIN = Principal(staff_no="M0000", unit_id="cs", admin_of=frozenset({"cs"}), name="会员0")


def message_id():
    return sortable_id("om-")


def organiser_messages(store, staff_no):
    return [n for n in store.notifications.for_member(staff_no) if n.kind is NotificationKind.ORGANISER_MESSAGE]


@pytest.fixture(scope="module")
def event(union):
    """A cs event with 3 places: 3 confirmed, 2 waiting, one of the confirmed checked in."""
    store, members = union
    created = published_event(CS_ADMIN, store=store, owner_unit_id="cs", capacity=3, waiting_list=True)
    for member in members[:5]:
        who = Principal(staff_no=member.staff_no, unit_id=member.unit_id)
        registration.register(store, who, created.event_id, "series", {}, now())
    first = members[0]
    at = now()
    store.check_ins.put_many(
        [
            CheckIn(
                created.event_id,
                "main",
                first.staff_no,
                first.name,
                first.unit_id,
                at,
                at,
                "M0000",
                CheckinMethod.MANUAL,
                "scan-1",
            )
        ]
    )
    return created


def test_event_audiences_preview_counts(union, event):
    store, _members = union
    states = {r.staff_no: r.state for r in store.registrations.for_event(event.event_id)}
    confirmed = sorted(s for s, state in states.items() if state is RegistrationState.CONFIRMED)
    assert len(confirmed) == 3
    for kind, expected in ((AudienceKind.CONFIRMED, 3), (AudienceKind.WAITING, 2), (AudienceKind.CHECKED_IN, 1)):
        shown = service.preview(
            store, CS_ADMIN, Audience(kind, event_id=event.event_id), " 明天 <b>改到</b> 3 号场 ", False
        )
        assert shown.recipients.count == expected, kind
        assert shown.text == "明天 <b>改到</b> 3 号场" and shown.message_id.startswith("om-")
        assert shown.sender == "会员0" and shown.sender_unit == "cs分工会"


def test_refusals(union, event):
    store, _ = union
    math_admin = Principal(staff_no="M0001", unit_id="math", admin_of=frozenset({"math"}))
    audience = Audience(AudienceKind.CONFIRMED, event_id=event.event_id)
    with pytest.raises(Forbidden):
        service.preview(store, math_admin, audience, "你好", False)  # not their event
    with pytest.raises(Forbidden):
        service.preview(store, CS_ADMIN, Audience(AudienceKind.UNIT, unit_id="math"), "你好", False)
    with pytest.raises(Forbidden):
        service.preview(store, CS_ADMIN, Audience(AudienceKind.UNION), "你好", False)
    with pytest.raises(Forbidden) as urgent:
        service.preview(store, CS_ADMIN, audience, "你好", True)
    assert urgent.value.code == "message_urgent_refused"
    with pytest.raises(NotFound):
        service.preview(store, UNION_ADMIN, Audience(AudienceKind.UNIT, unit_id="nowhere"), "你好", False)
    for text, problem in (("   ", "message_text_empty"), ("字" * 10_000, "message_text_too_long")):
        with pytest.raises(InvalidInput) as bad:
            service.send(store, CS_ADMIN, audience, text, message_id(), now())
        assert bad.value.problems[0]["type"] == problem and bad.value.problems[0]["loc"] == ("text",)
    with pytest.raises(Exception) as stale:
        service.send(store, CS_ADMIN, audience, "你好", sortable_id("om-", millis=1), now())
    assert getattr(stale.value, "code", None) == "message_id_stale"


def test_send_twice_notifies_once_and_is_audited(union, event):
    store, _members = union
    audience = Audience(AudienceKind.WAITING, event_id=event.event_id)
    waiting = sorted(
        r.staff_no for r in store.registrations.for_event(event.event_id) if r.state is RegistrationState.WAITING
    )
    chosen = message_id()
    first = service.send(store, CS_ADMIN, audience, "候补的各位：<i>名额</i>明天公布", chosen, now())
    again = service.send(store, CS_ADMIN, audience, "候补的各位：<i>名额</i>明天公布", chosen, now())
    assert (first.count, first.resumed) == (2, False) and (again.count, again.resumed) == (2, True)
    for staff_no in waiting:
        found = organiser_messages(store, staff_no)
        assert len(found) == 1
        assert found[0].details["text"] == "候补的各位：<i>名额</i>明天公布"
        assert found[0].details["from"] == "会员0" and found[0].event_id == event.event_id
    confirmed_member = next(
        r.staff_no for r in store.registrations.for_event(event.event_id) if r.state is RegistrationState.CONFIRMED
    )
    assert organiser_messages(store, confirmed_member) == []
    # The same id with other words is refused, nothing written.
    with pytest.raises(Unprocessable) as reused:
        service.send(store, CS_ADMIN, audience, "另一段话", chosen, now())
    assert reused.value.code == "message_id_reused"
    history = service.history(store, CS_ADMIN, audience, now())
    assert [h.message_id for h in history][:1] == [chosen]
    facts = history[0].facts
    assert facts["count"] == 2 and facts["audience"] == "waiting" and facts["by"] == "M0000"
    assert facts["text_head"] == "候补的各位：<i>名额</i>明天公布" and len(facts["text_sha256"]) == 64
    audit = store.audit.for_unit("cs", limit=5)
    assert any(entry.action == "message.send" and entry.target == event.event_id for entry in audit)


def test_unit_message_skips_members_who_left(union, capsys):
    store, members = union
    left = Member("L0001", "已离职", Gender.MALE, date(1970, 1, 1), "med", status=MemberStatus.LEFT)
    store.members.put_many([left])
    med_admin = Principal(staff_no="M0002", unit_id="med", admin_of=frozenset({"med"}), name="会员2")
    sent = service.send(store, med_admin, Audience(AudienceKind.UNIT, unit_id="med"), "体检通知", message_id(), now())
    assert sent.count == sum(1 for m in members if m.unit_id == "med")
    assert organiser_messages(store, "L0001") == []
    capsys.readouterr()
    assert organiser_messages(store, "M0002")[0].event_id == ""
    assert "damaged_item" not in capsys.readouterr().out  # no event is not damage (the JSON log line)


def test_rate_limited_per_sender(union):
    store, _ = union
    math_admin = Principal(staff_no="M0004", unit_id="math", admin_of=frozenset({"math"}), name="会员4")
    audience = Audience(AudienceKind.UNIT, unit_id="math")
    for n in range(PER_HOUR):
        service.send(store, math_admin, audience, f"第 {n} 条", message_id(), now())
    with pytest.raises(RateLimited) as limited:
        service.send(store, math_admin, audience, "一条太多", message_id(), now())
    assert limited.value.code == "message_rate_limited" and 0 < limited.value.params["retry_after"] <= 3600
    assert len(service.history(store, math_admin, audience, now())) == PER_HOUR


def test_whole_union_message_reaches_every_member_once(union):
    """Every member of the union, past several batches of writes and reads (the 5,000-member run and its rate are
    bench/notify.py's: a benchmark prints figures, a test asserts what can fail)."""
    store, _ = union
    many = [
        Member(
            f"U{n:05d}",
            f"会员{n}",
            Gender.FEMALE,
            date(1980, 1, 1),
            ("cs", "math", "med")[n % 3],
            email=f"u{n}@example.edu.cn" if n % 2 else None,
        )
        for n in range(600)
    ]
    store.members.put_many(many)
    audience = Audience(AudienceKind.UNION)
    shown = service.preview(store, UNION_ADMIN, audience, "全校通知", False)
    total = shown.recipients.count
    assert total >= 600
    sent = service.send(store, UNION_ADMIN, audience, "全校通知", shown.message_id, now(), urgent=True)
    assert sent.count == total
    assert all(NotificationTable.count(member.staff_no) == 1 for member in many[::97])
    again = service.send(store, UNION_ADMIN, audience, "全校通知", shown.message_id, now(), urgent=True)
    assert again.resumed and NotificationTable.count(many[-1].staff_no) == 1
    notification = organiser_messages(store, many[0].staff_no)[0]
    assert notification.details.get("urgent") is True
