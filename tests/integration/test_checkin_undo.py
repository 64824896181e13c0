"""Removing a mistaken check-in (撤销签到) against DynamoDB Local: who may, the reason in the audit log, the count
dropping, a second removal answering "not checked in", the member checked in again, two staff removing it at the
same moment, the deadline after the event, and the year's numbers following through the attendance stream."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.domain.calendar import now
from chalicelib.domain.checkin import UNDO_DAYS, Verdict
from chalicelib.domain.records import SCHOOL_UNIT_ID, CheckinSettings, Checkpoint
from chalicelib.domain.stats import unit_key, year_of, year_scope
from chalicelib.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.services import checkin as service
from chalicelib.services.stats import rebuild
from devtools import stream_poller
from tests.integration.test_checkin import code_of, scan
from tests.integration.test_registration import ADMIN, in_threads, open_event, principal, register

# Every write read from its stream, from the module's first (tests/conftest.py fresh_tables).
pytestmark = pytest.mark.streams

WALK = CheckinSettings(checkpoints=(Checkpoint("start", "起点"), Checkpoint("finish", "终点")))


@pytest.fixture
def walk(union):
    store, members = union
    event = open_event(store, capacity=10, checkin=WALK, days=0.01)  # starts in a quarter of an hour
    for member in members[:3]:
        register(store, member, event)
    return store, members, event


def undo(store, event, member, point="start", by=ADMIN, reason="扫错了人", at=None):
    return service.undo_check_in(store, by, event.event_id, point, member.staff_no, reason, at or now())


def test_an_organiser_removes_a_check_in_with_a_reason_and_the_member_can_be_checked_in_again(walk):
    store, members, event = walk
    for member in members[:2]:
        assert scan(store, event, code_of(store, event, member), point="start").verdict is Verdict.ADMITTED
    assert store.check_ins.count(event.event_id, "start") == 2
    removed = undo(store, event, members[0])
    assert (removed.staff_no, removed.point_id, removed.by) == (members[0].staff_no, "start", ADMIN.staff_no)
    assert store.check_ins.count(event.event_id, "start") == 1  # the live count drops
    assert store.check_ins.get(event.event_id, "start", members[0].staff_no) is None
    assert store.check_ins.get(event.event_id, "start", members[1].staff_no) is not None  # the other stays
    entry = next(e for e in store.audit.for_unit(SCHOOL_UNIT_ID, limit=20) if e.action == "checkin.undo")
    assert entry.actor == ADMIN.staff_no and entry.target == f"{event.event_id}/start/{members[0].staff_no}"
    assert entry.after == {"reason": "扫错了人"} and entry.before["by"] == ADMIN.staff_no
    # A second removal (a double tap, another organiser) answers "not checked in" and writes nothing.
    with pytest.raises(NotFound) as second:
        undo(store, event, members[0])
    assert second.value.code == "not_checked_in"
    assert store.check_ins.count(event.event_id, "start") == 1
    # Never checked in at that point: the same answer.
    with pytest.raises(NotFound):
        undo(store, event, members[0], point="finish")
    # The member may be checked in again with their (unchanged) code.
    again = scan(store, event, code_of(store, event, members[0]), point="start")
    assert again.verdict is Verdict.ADMITTED and not again.replayed
    assert store.check_ins.count(event.event_id, "start") == 2


def test_only_organisers_and_the_points_staff_remove_check_ins(walk):
    store, members, event = walk
    for point in ("start", "finish"):
        scan(store, event, code_of(store, event, members[0]), point=point)
    stranger = principal(members[5])
    with pytest.raises(Forbidden):
        undo(store, event, members[0], by=stranger)
    with pytest.raises(Forbidden):  # the member themself neither
        undo(store, event, members[0], by=principal(members[0]))
    service.name_staff(store, ADMIN, event.event_id, members[5].staff_no, ["finish"], now())
    with pytest.raises(Forbidden):  # staff of the finish only
        undo(store, event, members[0], point="start", by=stranger)
    assert undo(store, event, members[0], point="finish", by=stranger).point_id == "finish"
    assert store.check_ins.count(event.event_id, "start") == 1
    with pytest.raises(InvalidInput):  # a point the event does not have
        undo(store, event, members[0], point="nowhere")


def test_a_reason_is_needed(walk):
    store, members, event = walk
    scan(store, event, code_of(store, event, members[0]), point="start")
    for blank in ("", "   "):
        with pytest.raises(InvalidInput):
            undo(store, event, members[0], reason=blank)
    assert store.check_ins.count(event.event_id, "start") == 1


def test_two_staff_removing_the_same_check_in_at_once_remove_it_once(walk):
    store, members, event = walk
    scan(store, event, code_of(store, event, members[1]), point="start")
    results = in_threads([lambda: undo(store, event, members[1]) for _ in range(6)])
    removed = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, NotFound)]
    assert len(removed) == 1 and len(refused) == 5
    entries = [e for e in store.audit.for_unit(SCHOOL_UNIT_ID, limit=50) if e.action == "checkin.undo"]
    assert len([e for e in entries if e.target.endswith(f"/start/{members[1].staff_no}")]) == 1  # one audit line


def test_check_ins_stand_once_the_event_ended_more_than_the_undo_days_ago(walk):
    store, members, event = walk
    scan(store, event, code_of(store, event, members[2]), point="start")
    late = event.ends_at + timedelta(days=UNDO_DAYS, minutes=1)
    with pytest.raises(Conflict) as closed:
        undo(store, event, members[2], at=late)
    assert closed.value.code == "checkin_undo_closed" and closed.value.params == {"days": UNDO_DAYS}
    assert store.check_ins.count(event.event_id, "start") == 1
    assert undo(store, event, members[2], at=event.ends_at + timedelta(days=UNDO_DAYS - 1)).staff_no


def test_the_years_numbers_follow_a_removed_check_in_through_the_stream(walk):
    store, members, event = walk
    for member in members[:2]:
        scan(store, event, code_of(store, event, member), point="start")
    scan(store, event, code_of(store, event, members[0]), point="finish")
    year = year_scope(year_of(event))
    stream_poller.drain()
    before = store.stats.rollups(year)
    unit = unit_key(members[0].unit_id)
    undo(store, event, members[0], point="finish")
    assert stream_poller.drain() > 0  # the attendance stream's record of the removal, handed to stats_from_attendance
    after = store.stats.rollups(year)
    assert after["t#union"]["checkins"] == before["t#union"]["checkins"] - 1  # 人次
    assert after[unit]["checkins"] == before[unit]["checkins"] - 1
    assert after["t#union"].get("completions", 0) == before["t#union"].get("completions", 0) - 1  # both points: no more
    assert after["t#union"]["attendees"] == before["t#union"]["attendees"]  # still checked in at the start
    assert rebuild(store, year_of(event), now()).differences == []
