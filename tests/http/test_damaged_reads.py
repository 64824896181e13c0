"""Issue 15, item 2 (second half): an event, registration, account or notification item damaged in DynamoDB Local
(a null, missing or wrong-type attribute written with boto3, past every model), or a measured mark stored before
marks had ranges (30 digits), never takes a list or page down: lists answer 200 with the item (flagged where a flag
fits), detail pages show it with fallbacks or give a clear 404/401, never a 500."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import SERIES, EventFormat, EventKind, EventStatus, MemberStatus, RegistrationState
from chalicelib.services import competition as competition_service
from chalicelib.services import events as event_service
from chalicelib.services import meet as meet_service
from chalicelib.services import registration as registration_service
from chalicelib.storage import get_store
from chalicelib.storage.competition import performance_key
from chalicelib.storage.registrations import entry_key
from chalicelib.storage.tables import AccountTable, CompetitionTable, EventTable, NotificationTable, RegistrationTable
from tests.raw_tables import raw_table

HOST = "union.example.edu.cn"


def _get(client, path, caller=None, bearer=False):
    headers = {"Host": HOST, "Accept": "*/*"}
    if caller is not None and caller.token:
        headers.update(caller.headers() if bearer else {"Cookie": f"session={caller.token}"})
    return client.http.get(path, headers=headers)


@pytest.fixture(scope="module")
def people(demo_union, callers):
    taken = {caller.staff_no for caller in callers.values()}
    return [m for m in demo_union.members if m.status is MemberStatus.ACTIVE and m.staff_no not in taken]


def _event(organiser, title: str, event_format: EventFormat = EventFormat.SESSION, entrants=()) -> str:
    store = get_store()
    start = now() + timedelta(days=10)
    fields = {
        "owner_unit_id": "cs",
        "kind": EventKind.SPORTS,
        "format": event_format,
        "title_zh": title,
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "capacity": 40,
    }
    event = event_service.create_event(store, organiser, fields, [], now())
    for status in (EventStatus.PUBLISHED, EventStatus.REGISTRATION_OPEN):
        event_service.change_status(store, organiser, event.event_id, status, now())
    for member in entrants:
        who = Principal(staff_no=member.staff_no, unit_id=member.unit_id)
        registration_service.register(store, who, event.event_id, SERIES, {}, now())
    return event.event_id


# ---- events -----------------------------------------------------------------------------------------------------


def test_a_damaged_event_stays_listed_and_its_pages_answer(client, callers, organiser):
    event_id = _event(organiser, "受损的活动")
    raw_table(EventTable).update_item(
        Key={"event_id": event_id},
        UpdateExpression="SET title_zh = :number, kind = :bad, form = :bad, #capacity = :text, checkin = :bad, "
        "audience_min_age = :text, waiting_list = :text REMOVE description_zh",
        ExpressionAttributeNames={"#capacity": "capacity"},
        ExpressionAttributeValues={":number": 7, ":bad": "galaxy", ":text": "many"},
    )
    event = get_store().events.get(event_id)
    assert event.damaged == {"title_zh", "kind", "form", "capacity", "checkin", "audience_min_age", "waiting_list"}
    assert (event.title_zh, event.capacity, event.form) == (event_id, 0, ())  # no places: fails closed

    listed = _get(client, "/api/events", callers["member"], bearer=True)
    assert listed.status_code == 200
    assert event_id in {e["event_id"] for e in listed.json_body["events"]}
    for path in ("/events", f"/events/{event_id}"):
        assert _get(client, path, callers["member"]).status_code == 200, path
    assert _get(client, f"/api/events/{event_id}", callers["member"], bearer=True).status_code == 200
    admin = callers["unit_admin"]
    managed = _get(client, "/api/units/cs/events", admin, bearer=True)
    assert managed.status_code == 200 and event_id in {e["event_id"] for e in managed.json_body["events"]}
    for path in ("/admin/events", f"/admin/events/{event_id}/edit", f"/admin/events/{event_id}/registrations"):
        assert _get(client, path, admin).status_code == 200, path

    # Registering is refused with a clear answer until the organiser repairs it, not a 500.
    answer = client.http.post(
        f"/api/events/{event_id}/registrations",
        headers={**callers["member"].headers(), "Content-Type": "application/json", "Host": HOST},
        body=json.dumps({"scope": SERIES}),
    )
    assert answer.status_code == 409 and answer.json_body["error"]["code"] == "event_needs_repair", answer.body

    # Saving the event writes every damaged field (its fallback or the organiser's value): whole again.
    event_service.update_event(
        get_store(), organiser, event_id, {"title_zh": "修好的活动", "capacity": 30}, True, now()
    )
    repaired = get_store().events.get(event_id, consistent=True)
    assert repaired.damaged == frozenset() and (repaired.title_zh, repaired.capacity) == ("修好的活动", 30)


def test_an_event_whose_status_is_lost_reads_as_a_draft_until_its_organiser_publishes_it(client, callers, organiser):
    event_id = _event(organiser, "状态丢失的活动")
    raw_table(EventTable).update_item(Key={"event_id": event_id}, UpdateExpression="REMOVE #s",
                                       ExpressionAttributeNames={"#s": "status"})  # fmt: skip
    assert get_store().events.get(event_id).status is EventStatus.DRAFT

    listed = _get(client, "/api/events", callers["member"], bearer=True)
    assert listed.status_code == 200 and event_id not in {e["event_id"] for e in listed.json_body["events"]}
    assert _get(client, f"/api/events/{event_id}", callers["member"], bearer=True).status_code == 404
    assert _get(client, f"/events/{event_id}", callers["member"]).status_code == 404
    assert _get(client, f"/admin/events/{event_id}/edit", callers["unit_admin"]).status_code == 200

    event_service.change_status(get_store(), organiser, event_id, EventStatus.PUBLISHED, now())
    assert get_store().events.get(event_id, consistent=True).damaged == frozenset()
    assert _get(client, f"/api/events/{event_id}", callers["member"], bearer=True).status_code == 200


# ---- registrations ----------------------------------------------------------------------------------------------


def test_a_damaged_registration_keeps_the_lists_and_exports_whole(client, callers, organiser, people):
    member = callers["member"]
    me = get_store().members.get(member.staff_no)
    entrants = people[:3]
    event_id = _event(organiser, "报名受损的活动", entrants=entrants)
    registration_service.register(
        get_store(), Principal(staff_no=me.staff_no, unit_id=me.unit_id), event_id, SERIES, {}, now()
    )
    victim = entrants[1]
    for staff_no in (victim.staff_no, me.staff_no):
        raw_table(RegistrationTable).update_item(
            Key={"event_id": event_id, "entry": entry_key(SERIES, staff_no)},
            UpdateExpression="SET #state = :bad, #name = :number, answers = :bad, updated_at = :bad, tier = :bad",
            ExpressionAttributeNames={"#state": "state", "#name": "name"},
            ExpressionAttributeValues={":bad": "galaxy", ":number": 5},
        )
    read = get_store().registrations.get(event_id, SERIES, victim.staff_no)
    assert read.damaged == {"state", "name", "answers", "updated_at", "tier"}
    assert (read.state, read.name, read.staff_no) == (RegistrationState.CANCELLED, victim.staff_no, victim.staff_no)

    admin = callers["unit_admin"]
    listed = _get(client, f"/api/events/{event_id}/registrations", admin, bearer=True)
    assert listed.status_code == 200
    assert victim.staff_no in json.dumps(listed.json_body, ensure_ascii=False)
    page = _get(client, f"/admin/events/{event_id}/registrations", admin)
    assert page.status_code == 200 and entrants[0].name in page.body.decode()
    for fmt in ("csv", "xlsx"):
        assert _get(client, f"/api/events/{event_id}/export?format={fmt}", admin, bearer=True).status_code == 200
    assert _get(client, f"/api/events/{event_id}/attendance/export", admin, bearer=True).status_code == 200

    mine = _get(client, "/api/me/registrations", member, bearer=True)
    assert mine.status_code == 200 and event_id in json.dumps(mine.json_body)
    assert _get(client, "/me/registrations", member).status_code == 200
    assert _get(client, f"/events/{event_id}", member).status_code == 200
    ticket = _get(client, f"/api/me/tickets/{event_id}/{SERIES}", member, bearer=True)
    assert ticket.status_code in (404, 409), ticket.body  # read as cancelled: no ticket, said clearly

    # A station scanning the damaged registration's ticket is told it is cancelled.
    stored = raw_table(RegistrationTable).get_item(Key={"event_id": event_id, "entry": entry_key(SERIES, me.staff_no)})
    holder = get_store().check_ins.holder(stored["Item"]["ticket"])
    assert (holder.staff_no, holder.name, holder.state) == (me.staff_no, me.staff_no, RegistrationState.CANCELLED)


# ---- notifications ----------------------------------------------------------------------------------------------


def test_damaged_notifications_do_not_take_the_list_down(client, callers):
    member = callers["member"]
    table = raw_table(NotificationTable)
    base = {"staff_no": member.staff_no, "event_id": "ev-x", "expires_at": int(now().timestamp()) + 3600}
    table.put_item(Item={**base, "notification_id": "nt-zz1", "at": "garbage", "kind": "promoted",
                         "event_title": 5, "details": "{not json"})  # fmt: skip
    table.put_item(Item={**base, "notification_id": "nt-zz2", "at": now().isoformat(), "kind": "galaxy",
                         "event_title": "不知所云"})  # fmt: skip
    found = get_store().notifications.for_member(member.staff_no)
    damaged = next(n for n in found if n.notification_id == "nt-zz1")
    assert damaged.event_title == "ev-x" and damaged.details == {}
    assert "nt-zz2" not in {n.notification_id for n in found}  # its kind cannot be read: nothing true to say

    answer = _get(client, "/api/me/notifications", member, bearer=True)
    assert answer.status_code == 200
    assert "nt-zz1" in {n["notification_id"] for n in answer.json_body["notifications"]}
    assert _get(client, "/me/notifications", member).status_code == 200


# ---- accounts ---------------------------------------------------------------------------------------------------


def test_a_damaged_account_signs_its_sessions_out_instead_of_failing(client, callers):
    caller = callers["other_unit_admin"]
    table = raw_table(AccountTable)
    before = table.get_item(Key={"staff_no": caller.staff_no})["Item"]
    assert _get(client, "/api/me", caller, bearer=True).status_code == 200
    try:
        table.update_item(Key={"staff_no": caller.staff_no}, UpdateExpression="SET session_version = :bad",
                          ExpressionAttributeValues={":bad": "galaxy"})  # fmt: skip
        assert get_store().accounts.get(caller.staff_no).sessions == frozenset()
        assert _get(client, "/api/me", caller, bearer=True).status_code == 401
        page = _get(client, "/me/registrations", caller)
        assert page.status_code in (302, 303, 401), page.status_code  # signed out: to the sign-in page
        table.update_item(Key={"staff_no": caller.staff_no}, UpdateExpression="SET sessions = :bad",
                          ExpressionAttributeValues={":bad": 5})  # fmt: skip
        assert _get(client, "/api/me", caller, bearer=True).status_code == 401
    finally:
        table.put_item(Item=before)
    assert _get(client, "/api/me", caller, bearer=True).status_code == 200


# ---- measured marks stored before marks had ranges --------------------------------------------------------------


def test_a_thirty_digit_mark_stored_before_the_range_check_does_not_take_the_meet_down(
    client, callers, organiser, people
):
    store = get_store()
    athletes = people[3:6]
    ids = [athlete.staff_no for athlete in athletes]
    event_id = _event(organiser, "旧成绩的运动会", EventFormat.MEET, athletes)
    disciplines = [
        {"code": "m400", "name_zh": "400米", "name_en": "400 m", "measure": "time", "entries": ids},
        {"code": "lj", "name_zh": "跳远", "name_en": "Long jump", "measure": "distance", "entries": ids},
    ]
    stages = [{"stage_id": "meet", "kind": "measured", "name_zh": "田径", "meet": {"disciplines": disciplines}}]
    competition_service.configure(store, organiser, event_id, {"stages": stages}, now())
    competition_service.open_stage(store, organiser, event_id, "meet", now())
    for code, marks in (("m400", ["58.20", "1:02.35", "1:03.00"]), ("lj", ["5.62", "5.10", "4.90"])):
        for athlete, mark in zip(ids, marks, strict=True):
            meet_service.enter_performance(store, organiser, event_id, "meet", code, athlete, [mark], now())
    huge = "1.000000000000000000000000000E+30"  # what 30 nines typed as a mark were stored as, before MAX_MARKS
    for code in ("m400", "lj"):
        raw_table(CompetitionTable).update_item(
            Key={"event_id": event_id, "item": performance_key("meet", code, ids[1])},
            UpdateExpression="SET #data = :data",
            ExpressionAttributeNames={"#data": "data"},
            ExpressionAttributeValues={":data": json.dumps({"attempts": [huge]})},
        )
    competition_service.publish(store, organiser, event_id, True, now())

    admin = callers["unit_admin"]
    public = _get(client, f"/events/{event_id}/competition")
    assert public.status_code == 200 and "58.20" in public.body.decode() and huge not in public.body.decode()
    for code in ("m400", "lj"):
        entry = _get(client, f"/admin/events/{event_id}/competition/stages/meet/disciplines/{code}", admin)
        assert entry.status_code == 200 and huge not in entry.body.decode()
    assert _get(client, f"/admin/events/{event_id}/competition/export.xlsx", admin).status_code == 200
    api = _get(client, f"/api/events/{event_id}/competition", admin, bearer=True)
    assert api.status_code == 200 and huge not in json.dumps(api.json_body)

    # Entering the attempts again replaces the stored mark.
    meet_service.enter_performance(store, organiser, event_id, "meet", "m400", ids[1], ["59.00"], now())
    assert "59.00" in _get(client, f"/events/{event_id}/competition").body.decode()
