"""Staff are named by name at the door and in the exports: a check-in stores the name of whoever scanned it (from
their own identity: no read of its own), the "already" verdict and the offline list carry it, and check-ins written
before names were kept fall back to a read of the few staff, or the 工号. Through the test client on the demo union."""

from __future__ import annotations

import io
import json
import uuid
from datetime import timedelta

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.records import SERIES, CheckIn, CheckinMethod, MemberStatus
from chalicelib.services import registration as registration_service
from chalicelib.storage import get_store
from tests.factories import published_event


def _json(**extra):
    return {"Content-Type": "application/json", **extra}


@pytest.fixture(scope="module")
def door(demo_union, callers, organiser):
    """An event of computer science starting in a quarter of an hour (the door is open) with three registered
    members; the cs unit admin (a demo account, signed in) scans."""
    event = published_event(organiser, days=0.01, owner_unit_id="cs", title_zh="签到署名测试", capacity=20)
    taken = {account.staff_no for account in demo_union.accounts}
    guests = [
        m
        for m in demo_union.members
        if m.unit_id == "cs" and m.status is MemberStatus.ACTIVE and m.staff_no not in taken
    ][:3]
    for guest in guests:
        principal = Principal(staff_no=guest.staff_no, unit_id="cs")
        registration_service.register(get_store(), principal, event.event_id, SERIES, {}, now())
    return event, guests


def _scan(client, caller, event, staff_no, station="东门"):
    body = {"point": "entry", "scan_id": uuid.uuid4().hex, "staff_no": staff_no, "station": station}
    answer = client.http.post(
        f"/api/events/{event.event_id}/checkin", headers=caller.headers(**_json()), body=json.dumps(body)
    )
    assert answer.status_code == 200, answer.body
    return answer.json_body


def _name(staff_no):
    return get_store().members.get(staff_no).name


def test_a_check_in_stores_the_scanners_name_and_already_names_them(client, callers, door):
    event, guests = door
    admin = callers["unit_admin"]
    admitted = _scan(client, admin, event, guests[0].staff_no)
    assert admitted["verdict"] == "admitted"
    assert admitted["check_in"]["by"] == admin.staff_no and admitted["check_in"]["by_name"] == _name(admin.staff_no)
    stored = get_store().check_ins.get(event.event_id, "entry", guests[0].staff_no)
    assert (stored.by, stored.by_name) == (admin.staff_no, _name(admin.staff_no))

    # Scanned again at another station by someone else: "already ... by <name> · 东门", the API still gives the 工号.
    again = _scan(client, callers["union_admin"], event, guests[0].staff_no, station="西门")
    assert again["verdict"] == "already"
    first = again["check_in"]
    assert (first["by"], first["by_name"], first["station"]) == (admin.staff_no, _name(admin.staff_no), "东门")


def test_the_offline_list_says_who_checked_each_member_in(client, callers, door):
    event, guests = door
    admin = callers["unit_admin"]
    _scan(client, admin, event, guests[1].staff_no, station="北门")
    # A check-in written before names were kept (no by_name): named by a read of that staff member.
    union_admin = callers["union_admin"].staff_no
    at = now() - timedelta(minutes=1)
    older = CheckIn(event.event_id, "entry", guests[2].staff_no, guests[2].name, "cs", at, at, union_admin,
                    CheckinMethod.MANUAL, uuid.uuid4().hex, "南门")  # fmt: skip
    get_store().check_ins.put_many([older])
    listed = client.http.get(f"/api/events/{event.event_id}/checkin/list?point=entry", headers=admin.headers())
    assert listed.status_code == 200, listed.body
    by = listed.json_body["checked_in_by"]
    assert by[guests[1].staff_no] == {"by": admin.staff_no, "by_name": _name(admin.staff_no), "station": "北门"}
    assert by[guests[2].staff_no] == {"by": union_admin, "by_name": _name(union_admin), "station": "南门"}
    assert set(by) == set(listed.json_body["checked_in"])


def test_the_api_documents_by_name(client):
    schema = client.http.get("/api/openapi.json").json_body["components"]["schemas"]
    assert "by_name" in schema["CheckInOut"]["properties"] and "by" in schema["CheckInOut"]["required"]
    assert "checked_in_by" in schema["StationListOut"]["properties"]


def _workbook(response):
    from openpyxl import load_workbook

    assert response.status_code == 200, response.body
    return load_workbook(io.BytesIO(response.body))


def test_attendance_workbook_names_staff_and_has_date_cells(client, callers, door):
    event, guests = door
    admin = callers["unit_admin"]
    _scan(client, admin, event, guests[0].staff_no)  # admitted by the first test, or now
    path = f"/api/events/{event.event_id}/attendance/export"
    sheet = _workbook(client.http.get(f"{path}?format=xlsx", headers=admin.headers(Accept="*/*")))["签到记录"]
    rows = {row[2].value: row for row in sheet.iter_rows(min_row=2)}
    first = rows[guests[0].staff_no]
    stored = get_store().check_ins.get(event.event_id, "entry", guests[0].staff_no)
    assert first[6].value == f"{_name(admin.staff_no)}（{admin.staff_no}）"
    assert first[5].is_date and first[5].number_format == "yyyy-mm-dd hh:mm"
    assert first[5].value == stored.at.astimezone(CHINA_TZ).replace(tzinfo=None, microsecond=0)
    # The one written before names were kept: named by a read of the member who scanned it.
    union_admin = callers["union_admin"].staff_no
    assert rows[guests[2].staff_no][6].value == f"{_name(union_admin)}（{union_admin}）"


def test_registration_workbook_names_who_entered_a_member_and_has_date_cells(client, callers, door, demo_union):
    event, guests = door
    admin = callers["unit_admin"]
    principal = Principal(staff_no=admin.staff_no, unit_id="cs", admin_of=frozenset({"cs"}))
    taken = {account.staff_no for account in demo_union.accounts} | {guest.staff_no for guest in guests}
    entered = next(
        m
        for m in demo_union.members
        if m.unit_id == "cs" and m.status is MemberStatus.ACTIVE and m.staff_no not in taken
    )
    registration_service.add_for_member(get_store(), principal, event.event_id, SERIES, entered.staff_no, {}, now())
    response = client.http.get(f"/api/events/{event.event_id}/export?format=xlsx", headers=admin.headers(Accept="*/*"))
    sheet = _workbook(response)["已确认"]
    headers = [cell.value for cell in sheet[1]]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    row = rows[entered.staff_no]
    assert row[headers.index("登记人")].value == f"{_name(admin.staff_no)}（{admin.staff_no}）"
    for column in ("报名时间", "更新时间"):
        cell = row[headers.index(column)]
        assert cell.is_date and cell.number_format == "yyyy-mm-dd hh:mm"
    # The CSV keeps times as text in China time.
    csv_text = client.http.get(f"/api/events/{event.event_id}/export?format=csv", headers=admin.headers(Accept="*/*"))
    registered = get_store().registrations.get(event.event_id, SERIES, entered.staff_no).registered_at
    assert registered.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M") in csv_text.body.decode("utf-8-sig")
