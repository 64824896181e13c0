"""The members' check-in API over the test client: tickets (URL, PNG and SVG QR codes with their Accept rules, a new
code), and venue self check-in. The PNG is decoded with an independent QR decoder (zxing-cpp) and the decoded URL
is followed to the ticket page."""

from __future__ import annotations

import io
import json
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.checkin import ticket_from_code, venue_code
from chalicelib.domain.records import (
    SCHOOL_UNIT_ID,
    SERIES,
    CheckinSettings,
    EventFormat,
    EventKind,
    EventStatus,
    MemberStatus,
    RegistrationState,
)
from chalicelib.services import events as event_service
from chalicelib.services import registration as registration_service
from chalicelib.services.checkin import venue_key
from chalicelib.storage import get_store

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def organiser_of(callers) -> Principal:
    return Principal(staff_no=callers["union_admin"].staff_no, unit_id=SCHOOL_UNIT_ID, union_admin=True)


def others_of(demo_union, callers) -> list:
    """Active demo members who are none of the signed-in callers."""
    taken = {caller.staff_no for caller in callers.values()}
    return [m for m in demo_union.members if m.status is MemberStatus.ACTIVE and m.staff_no not in taken]


def class_event(organiser: Principal, title: str, capacity: int = 2, starts_in: timedelta = timedelta(minutes=-10)):
    """A class of three weekly sessions, by default its first begun ten minutes ago, with venue self check-in on."""
    start = now().replace(microsecond=0) + starts_in
    week = timedelta(days=7)
    sessions = [{"starts_at": start + n * week, "ends_at": start + n * week + timedelta(hours=1)} for n in range(3)]
    fields = {
        "owner_unit_id": SCHOOL_UNIT_ID,
        "kind": EventKind.WELLNESS,
        "format": EventFormat.CLASS,
        "title_zh": title,
        "starts_at": start,
        "ends_at": start + timedelta(days=15),
        "registration_closes_at": start + timedelta(days=14),
        "capacity": capacity,
        "waiting_list": True,
        "single_sessions": True,
        "checkin": CheckinSettings(self_checkin=True),
    }
    store = get_store()
    event = event_service.create_event(store, organiser, fields, sessions, now())
    return event_service.change_status(store, organiser, event.event_id, EventStatus.PUBLISHED, now())


def register(staff_no: str, event, scope: str = SERIES):
    return registration_service.register(get_store(), Principal(staff_no=staff_no), event.event_id, scope, {}, now())


@pytest.fixture(scope="module")
def lecture(demo_union, callers):
    """The member holds a place for the whole term; another member holds the last place; a third waits."""
    others = others_of(demo_union, callers)
    event = class_event(organiser_of(callers), "票务接口测试课")
    register(callers["member"].staff_no, event)
    register(others[0].staff_no, event)
    register(others[1].staff_no, event)
    return event, others


def _ticket(client, callers, event, caller="member", scope=SERIES):
    return client.http.get(f"/api/me/tickets/{event.event_id}/{scope}", headers=callers[caller].headers())


def _qr(client, callers, event, accept, fmt="png"):
    path = f"/api/me/tickets/{event.event_id}/{SERIES}/qr?format={fmt}"
    return client.http.get(path, headers=callers["member"].headers(Accept=accept))


def _header(response, name):
    return {key.lower(): value for key, value in response.headers.items()}.get(name.lower(), "")


def _scan(client, callers, event, code, point="s01"):
    body = {"point": point, "scan_id": uuid.uuid4().hex, "code": code}
    response = client.http.post(
        f"/api/events/{event.event_id}/checkin",
        headers=callers["union_admin"].headers(**{"Content-Type": "application/json"}),
        body=json.dumps(body),
    )
    assert response.status_code == 200, response.body
    return response.json_body


def test_ticket_url_and_png_decoded_by_an_independent_reader(client, callers, lecture):
    import PIL.Image
    import zxingcpp

    event, _ = lecture
    response = _ticket(client, callers, event)
    assert response.status_code == 200
    found = response.json_body
    assert found["event_title"] == "票务接口测试课" and found["scope"] == SERIES
    url = found["url"]
    assert urlsplit(url).path.startswith("/t/") and callers["member"].staff_no not in url

    png = _qr(client, callers, event, "image/png")
    assert png.status_code == 200 and _header(png, "content-type") == "image/png"
    assert png.body.startswith(PNG_SIGNATURE)
    (decoded,) = zxingcpp.read_barcodes(PIL.Image.open(io.BytesIO(png.body)))
    assert decoded.text == url

    # The decoded ticket is this member's registration for this event...
    holder = get_store().check_ins.holder(ticket_from_code(decoded.text))
    assert (holder.event_id, holder.staff_no, holder.scope) == (event.event_id, callers["member"].staff_no, SERIES)
    # ... and opening the decoded URL shows the ticket page (chalicelib.web.station_pages).
    page = client.http.get(urlsplit(decoded.text).path, headers={"Cookie": f"session={callers['member'].token}"})
    assert page.status_code == 200 and "票务接口测试课" in page.body.decode()


def test_qr_answers_by_accept_header_and_format(client, callers, lecture):
    event, _ = lecture
    refused = _qr(client, callers, event, "application/json")
    assert refused.status_code == 406
    assert refused.json_body["error"]["code"] and "request_id" in refused.json_body["error"]
    anything = _qr(client, callers, event, "*/*")
    assert anything.status_code == 200 and anything.body.startswith(PNG_SIGNATURE)
    svg = _qr(client, callers, event, "image/svg+xml", fmt="svg")
    assert svg.status_code == 200 and _header(svg, "content-type").startswith("image/svg+xml")
    assert "<svg" in svg.body.decode()


def test_waiting_and_cancelled_registrations_have_no_ticket(client, callers, demo_union):
    organiser, member = organiser_of(callers), callers["member"]
    full = class_event(organiser, "候补无码测试课", capacity=1)
    register(others_of(demo_union, callers)[0].staff_no, full)
    assert register(member.staff_no, full).registration.state is RegistrationState.WAITING
    waiting = _ticket(client, callers, full)
    assert waiting.status_code == 409 and waiting.json_body["error"]["code"] == "no_ticket"

    event = class_event(organiser, "取消后无码测试课", capacity=5, starts_in=timedelta(days=7))  # may still cancel
    register(member.staff_no, event)
    assert _ticket(client, callers, event).status_code == 200
    registration_service.cancel(get_store(), Principal(staff_no=member.staff_no), event.event_id, SERIES, now())
    cancelled = _ticket(client, callers, event)
    assert cancelled.status_code == 409 and cancelled.json_body["error"]["code"] == "no_ticket"


def test_someone_elses_event_or_scope_is_not_found(client, callers, lecture):
    event, _ = lecture
    assert _ticket(client, callers, event, caller="unit_admin").status_code == 404  # no registration of theirs
    assert _ticket(client, callers, event, scope="s02").status_code == 404  # the member registered for the term
    nowhere = client.http.get(f"/api/me/tickets/ev-nosuch/{SERIES}", headers=callers["member"].headers())
    assert nowhere.status_code == 404 and nowhere.json_body["error"]["code"] == "not_found"


def test_replacing_the_ticket_kills_the_old_code(client, callers, lecture):
    event, _ = lecture
    old = _ticket(client, callers, event).json_body["url"]
    response = client.http.post(
        f"/api/me/tickets/{event.event_id}/{SERIES}/replace", headers=callers["member"].headers()
    )
    assert response.status_code == 200
    new = response.json_body["url"]
    assert new != old and _ticket(client, callers, event).json_body["url"] == new
    assert _scan(client, callers, event, old)["verdict"] == "revoked"  # not "unknown": show the new code
    assert _scan(client, callers, event, new)["verdict"] == "admitted"


def _venue(client, callers, code, caller="member", scan_id=None):
    body = {"code": code, "scan_id": scan_id or uuid.uuid4().hex}
    return client.http.post(
        "/api/checkin/venue",
        headers=callers[caller].headers(**{"Content-Type": "application/json"}),
        body=json.dumps(body),
    )


def test_venue_self_check_in_fresh_old_garbage_and_huge_codes(client, callers, dynamodb, demo_union):
    event = class_event(organiser_of(callers), "现场签到接口测试课", capacity=5)
    register(callers["member"].staff_no, event)
    key = venue_key(dynamodb.session_key)
    fresh = venue_code(key, event.event_id, "s01", now())
    admitted = _venue(client, callers, fresh)
    assert admitted.status_code == 200
    assert (admitted.json_body["verdict"], admitted.json_body["tone"]) == ("admitted", "ok")
    assert admitted.json_body["check_in"]["method"] == "self"
    old = venue_code(key, event.event_id, "s01", now() - timedelta(seconds=95))
    assert _venue(client, callers, old).json_body["verdict"] == "expired"
    assert _venue(client, callers, "not-a-venue-code").json_body["verdict"] == "unknown"
    huge = _venue(client, callers, "x" * 10_240)
    assert huge.status_code == 400 and huge.json_body["error"]["code"] == "validation_failed"
