"""Removing a mistaken check-in (撤销签到) through the test client: the links from the station and the attendance
page, the list and its confirm step (a small form, no script), the reason, the removal, a second removal, zh and en;
and the API route with the live count."""

from __future__ import annotations

import json
import uuid
from urllib.parse import quote

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import SERIES, CheckinSettings, EventFormat, EventKind, MemberStatus
from chalicelib.services import checkin as checkin_service
from chalicelib.services import registration as registration_service
from chalicelib.services.checkin import Scan
from chalicelib.storage import get_store
from tests.factories import published_event
from tests.http.browsing import get_page, header, post_form


@pytest.fixture(scope="module")
def cs_members(demo_union, callers):
    """Active cs members who are none of the callers."""
    taken = {caller.staff_no for caller in callers.values()}
    found = [m for m in demo_union.members if m.unit_id == "cs" and m.status is MemberStatus.ACTIVE]
    return [m for m in found if m.staff_no not in taken][:3]


def _checked_in_event(organiser, members):
    """A cs event ten days ahead with ``members`` registered and checked in at the entry (confirmed outside its
    window, as the organiser may)."""
    fields = {"owner_unit_id": "cs", "kind": EventKind.SPORTS, "format": EventFormat.MASS, "title_zh": "撤销测试"}
    event = published_event(organiser, days=10, hours=3, capacity=20, checkin=CheckinSettings(), **fields)
    store = get_store()
    for member in members:
        who = Principal(staff_no=member.staff_no, unit_id=member.unit_id)
        registration_service.register(store, who, event.event_id, SERIES, {}, now())
        scan = Scan(uuid.uuid4().hex, "entry", staff_no=member.staff_no, confirmed=True)
        checkin_service.check_in(store, organiser, event.event_id, scan, "东门", now())
    return event


def test_organiser_finds_undo_confirms_with_a_reason_and_the_member_is_out(client, callers, organiser, cs_members):
    event = _checked_in_event(organiser, cs_members[:2])
    admin = callers["unit_admin"]
    first, second = cs_members[:2]
    undo = f"/events/{event.event_id}/checkin/undo"
    # Where an organiser looks: the station and each line of the attendance page's log.
    station = get_page(client, f"/events/{event.event_id}/checkin?point=entry", admin).body.decode()
    assert f'href="{undo}?point=entry"' in station
    attendance = get_page(client, f"/admin/events/{event.event_id}/attendance", admin).body.decode()
    assert f"{undo}?point=entry&amp;staff_no={first.staff_no}" in attendance
    listed = get_page(client, f"{undo}?point=entry", admin)
    assert listed.status_code == 200
    html = listed.body.decode()
    assert "本签到点已签到 2 人" in html and first.name in html and second.name in html
    assert 'id="undo-confirm"' not in html  # nothing to post before choosing whom
    confirm = get_page(client, f"{undo}?point=entry&staff_no={first.staff_no}", admin).body.decode()
    assert "撤销这条签到？" in confirm and f'name="staff_no" value="{first.staff_no}"' in confirm
    assert 'name="reason"' in confirm and "<script>" not in confirm
    # No reason: the confirm step again, saying so; nothing removed.
    blank = post_form(client, undo, admin, {"point": "entry", "staff_no": first.staff_no, "reason": " "})
    assert blank.status_code == 400 and 'id="e-reason"' in blank.body.decode()
    assert get_store().check_ins.count(event.event_id, "entry") == 2
    done = post_form(client, undo, admin, {"point": "entry", "staff_no": first.staff_no, "reason": "扫错了人"})
    assert done.status_code == 303
    location = header(done, "Location")
    assert location == f"{undo}?point=entry&done={quote(first.staff_no)}"
    after = get_page(client, location, admin).body.decode()
    assert f"已撤销工号 {first.staff_no} 的签到" in after and "本签到点已签到 1 人" in after
    assert first.name not in after and second.name in after
    assert get_store().check_ins.count(event.event_id, "entry") == 1
    # Sent again (a double tap): not checked in, on the list.
    again = post_form(client, undo, admin, {"point": "entry", "staff_no": first.staff_no, "reason": "扫错了人"})
    assert again.status_code == 404 and "没有签到" in again.body.decode()
    # A stale confirm link says so too.
    stale = get_page(client, f"{undo}?point=entry&staff_no={first.staff_no}", admin)
    assert stale.status_code == 404 and "撤销这条签到？" not in stale.body.decode()


def test_the_page_in_english_and_refused_to_others(client, callers, organiser, cs_members):
    event = _checked_in_event(organiser, cs_members[2:3])
    member = cs_members[2]
    path = f"/events/{event.event_id}/checkin/undo?point=entry&staff_no={member.staff_no}&lang=en"
    english = get_page(client, path, callers["unit_admin"]).body.decode()
    assert "Remove this check-in?" in english and "Reason" in english and "Remove the check-in" in english
    for who in ("member", "other_unit_admin"):
        assert get_page(client, path, callers[who]).status_code == 403
        fields = {"point": "entry", "staff_no": member.staff_no, "reason": "x"}
        assert post_form(client, f"/events/{event.event_id}/checkin/undo", callers[who], fields).status_code == 403
    assert get_store().check_ins.count(event.event_id, "entry") == 1


def test_api_removes_once_and_answers_the_count(client, callers, organiser, cs_members):
    event = _checked_in_event(organiser, cs_members[:2])
    api = f"/api/events/{event.event_id}/checkin/undo"
    body = json.dumps({"point": "entry", "staff_no": cs_members[0].staff_no, "reason": "wrong person"})
    admin = callers["unit_admin"].headers(**{"Content-Type": "application/json"})
    member = callers["member"].headers(**{"Content-Type": "application/json"})
    assert client.http.post(api, headers=member, body=body).status_code == 403
    first = client.http.post(api, headers=admin, body=body)
    assert first.status_code == 200, first.body
    answer = json.loads(first.body)
    assert answer["staff_no"] == cs_members[0].staff_no and answer["checked_in"] == 1
    assert answer["removed"]["point"] == "entry" and answer["removed"]["station"] == "东门"
    second = client.http.post(api, headers=admin, body=body)
    assert second.status_code == 404 and json.loads(second.body)["error"]["code"] == "not_checked_in"
    extra = json.dumps({"point": "entry", "staff_no": cs_members[1].staff_no, "reason": "x", "force": True})
    assert client.http.post(api, headers=admin, body=extra).status_code == 400  # unknown fields refused
    long = json.dumps({"point": "entry", "staff_no": cs_members[1].staff_no, "reason": "x" * 201})
    assert client.http.post(api, headers=admin, body=long).status_code == 400
    assert get_store().check_ins.count(event.event_id, "entry") == 1
