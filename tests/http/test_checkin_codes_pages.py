"""Codes a photo cannot beat, through the test client: the settings (page and API) with their errors, the venue
screen's step, self check-in by page (the venue pass, the location fields) and API (stale refused, too far), live
tickets on the ticket page, in the API and at stations (the offline list carries the live keys)."""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta
from html import unescape
from urllib.parse import quote, urlencode

import pytest

from chalicelib.domain.calendar import now
from chalicelib.domain.checkin import ticket_url, venue_code
from chalicelib.domain.checkin_codes import live_code
from chalicelib.domain.records import SERIES, CheckinSettings
from chalicelib.services import checkin as checkin_service
from chalicelib.services import checkin_live
from chalicelib.storage import get_store
from tests.http.browsing import get_page, post_form
from tests.http.test_ticket_api import class_event, organiser_of, register

HALL = (23.0662, 113.3893)
FORM = "application/x-www-form-urlencoded"
SAME_SITE = {"Origin": "https://union.example.edu.cn", "Host": "union.example.edu.cn"}


def _settings(organiser, event, **changes):
    settings = get_store().events.get(event.event_id).checkin._replace(**changes)
    return checkin_service.set_settings(get_store(), organiser, event.event_id, settings, now())


def _api(client, caller, method, path, body=None):
    headers = caller.headers(**{"Content-Type": "application/json"})
    call = getattr(client.http, method)
    return call(path, headers=headers, body=json.dumps(body)) if body is not None else call(path, headers=headers)


def _post_page(client, path, caller, fields):
    headers = {"Content-Type": FORM, **SAME_SITE, "Cookie": f"session={caller.token}"}
    return client.http.post(path, headers=headers, body=urlencode(fields))


@pytest.fixture(scope="module")
def key(dynamodb):
    return checkin_service.venue_key(dynamodb.session_key)


# ---- settings ----------------------------------------------------------------------------------------------------


def test_settings_page_saves_the_step_location_and_live_tickets_and_says_what_is_wrong(client, callers):
    event = class_event(organiser_of(callers), "签到码设置测试课")
    path = f"/admin/events/{event.event_id}/checkin/settings"
    page = get_page(client, f"/admin/events/{event.event_id}/checkin", callers["union_admin"]).body.decode()
    assert 'name="venue_code_seconds"' in page and 'id="use-position"' in page and 'name="live_tickets"' in page
    assert "/static/checkin_location." in page
    base = {"self_checkin": "1", "completion_percent": "80"}
    too_fast = post_form(client, path, callers["union_admin"], base | {"venue_code_seconds": "5"})
    assert too_fast.status_code == 400
    html = unescape(too_fast.body.decode())
    assert 'id="e-venue_code_seconds"' in html and "10" in html[html.index('id="e-venue_code_seconds"') :][:200]
    no_place = post_form(client, path, callers["union_admin"], base | {"location_check": "1", "venue_lat": "23.06"})
    assert no_place.status_code == 400
    assert "开启位置核验需要填写场地的经纬度" in unescape(no_place.body.decode())
    radius = post_form(client, path, callers["union_admin"], base | {"venue_radius_m": "20"})
    assert radius.status_code == 400 and 'id="e-venue_radius_m"' in radius.body.decode()
    assert get_store().events.get(event.event_id).checkin == CheckinSettings(self_checkin=True)  # nothing saved
    fields = base | {
        "venue_code_seconds": "１５",  # full-width digits from a Chinese input method
        "location_check": "1",
        "venue_lat": str(HALL[0]),
        "venue_lng": str(HALL[1]),
        "venue_radius_m": "300",
        "live_tickets": "1",
    }
    assert post_form(client, path, callers["union_admin"], fields).status_code == 303
    saved = get_store().events.get(event.event_id).checkin
    assert (saved.venue_code_seconds, saved.location_check, saved.venue_radius_m, saved.live_tickets) == (
        15, True, 300, True,
    )  # fmt: skip
    assert (saved.venue_lat, saved.venue_lng) == HALL
    again = get_page(client, f"/admin/events/{event.event_id}/checkin", callers["union_admin"]).body.decode()
    assert 'value="15"' in again and f'value="{HALL[0]}"' in again


def test_settings_api_validates_and_answers_the_new_settings(client, callers):
    event = class_event(organiser_of(callers), "签到码设置接口测试课")
    path = f"/api/events/{event.event_id}/checkin/settings"
    admin = callers["union_admin"]
    refused = _api(client, admin, "put", path, {"venue_code_seconds": 61})
    assert refused.status_code == 400 and refused.json_body["error"]["details"][0]["field"] == "venue_code_seconds"
    lonely = _api(client, admin, "put", path, {"location_check": True})
    assert lonely.status_code == 400
    assert [d["problem"] for d in lonely.json_body["error"]["details"]] == ["venue_position_needed"]
    assert "经纬度" in lonely.json_body["error"]["details"][0]["message"]
    body = {"self_checkin": True, "venue_code_seconds": 10, "location_check": True, "venue_lat": HALL[0],
            "venue_lng": HALL[1], "venue_radius_m": 80, "live_tickets": True}  # fmt: skip
    saved = _api(client, admin, "put", path, body)
    assert saved.status_code == 200, saved.body
    assert {name: saved.json_body[name] for name in body} == body


# ---- venue codes and self check-in -----------------------------------------------------------------------------------


def test_the_venue_code_api_gives_the_events_step(client, callers):
    event = class_event(organiser_of(callers), "十秒现场码测试课")
    _settings(organiser_of(callers), event, venue_code_seconds=10)
    shown = _api(client, callers["union_admin"], "get", f"/api/events/{event.event_id}/checkin/venue-code?point=s01")
    assert shown.status_code == 200 and shown.json_body["seconds"] == 10
    page = get_page(client, f"/admin/events/{event.event_id}/checkin/venue?point=s01", callers["union_admin"])
    assert 'id="venue-left">' in page.body.decode()
    left = int(re.search(r'id="venue-left">(\d+)<', page.body.decode()).group(1))
    assert 0 <= left <= 10  # the screen counts down the event's step, not 30 s


def test_self_check_in_page_passes_a_member_who_opened_a_current_code(client, callers, key):
    event = class_event(organiser_of(callers), "现场码凭证测试课")
    _settings(organiser_of(callers), event, venue_code_seconds=10)
    member = callers["member"]
    register(member.staff_no, event)
    code = venue_code(key, event.event_id, "s01", now(), seconds=10)
    path = "/v/" + quote(code, safe="")
    form = get_page(client, path, member).body.decode()
    venue_pass = re.search(r'name="venue_pass" value="([0-9]+\.[0-9a-f]{32})"', form).group(1)
    scan_id = re.search(r'name="scan_id" value="([0-9a-f]{32})"', form).group(1)
    assert 'name="lat"' not in form and "checkin_location" not in form  # no location asked when it is off
    # A stale step opened without a pass is refused at once, in red.
    old = venue_code(key, event.event_id, "s01", now() - timedelta(seconds=20), seconds=10)
    stale = get_page(client, "/v/" + quote(old, safe=""), member).body.decode()
    assert 'data-tone="bad"' in stale and "已过期" in stale
    done = _post_page(client, path, member, {"scan_id": scan_id, "venue_pass": venue_pass})
    assert 'data-tone="ok"' in done.body.decode()
    stored = get_store().check_ins.get(event.event_id, "s01", member.staff_no)
    assert stored.venue_step == int(code.split(".")[2])


def test_self_check_in_with_the_location_check(client, callers, key):
    event = class_event(organiser_of(callers), "位置核验测试课")
    _settings(organiser_of(callers), event, location_check=True, venue_lat=HALL[0], venue_lng=HALL[1],
              venue_radius_m=100)  # fmt: skip
    member = callers["member"]
    register(member.staff_no, event)
    code = venue_code(key, event.event_id, "s01", now())
    path = "/v/" + quote(code, safe="")
    form = get_page(client, path, member).body.decode()
    assert "data-location" in form and 'name="lat"' in form and "/static/checkin_location." in form
    fields = {
        "scan_id": uuid.uuid4().hex,
        "venue_pass": re.search(r'name="venue_pass" value="([^"]+)"', form).group(1),
        "lat": "",
        "lng": "",
        "accuracy": "",
        "location_error": "denied",
    }
    denied = unescape(_post_page(client, path, member, fields).body.decode())
    assert 'data-tone="bad"' in denied and "浏览器未允许获取位置" in denied
    far = fields | {"location_error": "", "lat": str(HALL[0] + 0.01), "lng": str(HALL[1]), "accuracy": "20"}
    assert "您离活动场地太远" in unescape(_post_page(client, path, member, far).body.decode())
    # The API says the same, in English too.
    body = {"code": code, "scan_id": uuid.uuid4().hex, "lat": HALL[0] + 0.01, "lng": HALL[1]}
    answer = _api(client, member, "post", "/api/checkin/venue?lang=en", body)
    assert answer.json_body["verdict"] == "too_far" and "too far" in answer.json_body["message"]
    needed = _api(client, member, "post", "/api/checkin/venue", {"code": code, "scan_id": uuid.uuid4().hex})
    assert needed.json_body["verdict"] == "location_needed"
    near = fields | {"location_error": "", "lat": str(HALL[0] + 0.0002), "lng": str(HALL[1]), "accuracy": "25"}
    assert 'data-tone="ok"' in _post_page(client, path, member, near).body.decode()
    assert get_store().check_ins.get(event.event_id, "s01", member.staff_no).distance_m == 22
    # The organisers see the distance in the attendance log.
    log = get_page(client, f"/admin/events/{event.event_id}/attendance", callers["union_admin"]).body.decode()
    assert "距场地 22 米" in log


def test_the_api_refuses_a_stale_venue_code(client, callers, key):
    event = class_event(organiser_of(callers), "过期现场码接口测试课")
    _settings(organiser_of(callers), event, venue_code_seconds=10)
    register(callers["member"].staff_no, event)
    old = venue_code(key, event.event_id, "s01", now() - timedelta(seconds=14), seconds=10)
    answer = _api(client, callers["member"], "post", "/api/checkin/venue", {"code": old, "scan_id": uuid.uuid4().hex})
    assert answer.json_body["verdict"] == "expired" and answer.json_body["tone"] == "bad"
    # A forged pass (another member's, or a moment changed) does not help.
    forged = {"code": old, "scan_id": uuid.uuid4().hex, "venue_pass": f"{int(now().timestamp()) - 14}.{'0' * 32}"}
    assert _api(client, callers["member"], "post", "/api/checkin/venue", forged).json_body["verdict"] == "expired"


# ---- live tickets ------------------------------------------------------------------------------------------------


def _live_class(callers, title):
    """A class with live tickets whose whole term the member holds: the event and the member's ticket."""
    organiser = organiser_of(callers)
    event = class_event(organiser, title)
    _settings(organiser, event, live_tickets=True)
    register(callers["member"].staff_no, event)
    return event, get_store().registrations.get(event.event_id, SERIES, callers["member"].staff_no).ticket


def test_live_tickets_on_the_ticket_page_the_api_and_the_station(client, callers):
    event, ticket = _live_class(callers, "实时票码测试课")
    member = callers["member"]
    page = get_page(client, f"/me/tickets/{event.event_id}/{SERIES}", member).body.decode()
    config = json.loads(unescape(re.search(r'id="ticket-config">(.*?)</script>', page).group(1)))
    assert config["ticket"] == ticket and config["key"] == checkin_live.ticket_live_key(ticket)
    assert "/static/qrcode." in page and "/static/checkin_codes." in page
    assert "data:image/png" not in page and "实时票码" in page  # no picture to save: it would be stale
    api = _api(client, member, "get", f"/api/me/tickets/{event.event_id}/{SERIES}").json_body
    assert api["live_key"] == config["key"]
    admin = callers["union_admin"]

    def scan(code):
        body = {"point": "s01", "scan_id": uuid.uuid4().hex, "code": code}
        return _api(client, admin, "post", f"/api/events/{event.event_id}/checkin", body).json_body

    stale = scan(ticket_url("https://union.example.edu.cn", ticket))
    assert stale["verdict"] == "ticket_stale" and stale["message"] == "此码已过期，请出示实时票码"
    screenshot = live_code("https://union.example.edu.cn", ticket, config["key"], now() - timedelta(seconds=45))
    assert scan(screenshot)["verdict"] == "ticket_stale"
    listed = _api(client, admin, "get", f"/api/events/{event.event_id}/checkin/list?point=s01").json_body
    assert listed["live_tickets"] is True
    (entry,) = [e for e in listed["entries"] if e["staff_no"] == member.staff_no]
    assert entry["live_key"] == config["key"] and ticket not in json.dumps(listed)  # the key, never the ticket
    assert scan(live_code("https://union.example.edu.cn", ticket, config["key"], now()))["verdict"] == "admitted"


def test_events_without_live_tickets_keep_the_plain_ticket_and_list(client, callers):
    event = class_event(organiser_of(callers), "普通票码测试课")
    register(callers["member"].staff_no, event)
    page = get_page(client, f"/me/tickets/{event.event_id}/{SERIES}", callers["member"]).body.decode()
    assert "ticket-config" not in page and "data:image/png" in page and "/static/qrcode." not in page
    listed = _api(client, callers["union_admin"], "get", f"/api/events/{event.event_id}/checkin/list?point=s01")
    assert listed.json_body["live_tickets"] is False
    assert all(entry["live_key"] is None for entry in listed.json_body["entries"])


def test_a_live_ticket_opened_by_staff_with_a_phone_camera(client, callers):
    _, ticket = _live_class(callers, "实时票码手机扫码测试课")
    code = checkin_live.current_code("https://union.example.edu.cn", ticket, now())
    path = code.replace("https://union.example.edu.cn", "")
    page = get_page(client, path, callers["union_admin"]).body.decode()
    action = re.search(r'action="(/t/[^"]+)"', page).group(1)
    assert unescape(action) == path  # the live part is kept for the check-in
    scan_id = re.search(r'name="scan_id" value="([0-9a-f]{32})"', page).group(1)
    done = _post_page(client, unescape(action), callers["union_admin"], {"point": "s01", "scan_id": scan_id})
    assert "签到成功" in done.body.decode()
    plain = get_page(client, f"/t/{ticket}", callers["union_admin"]).body.decode()
    scan_id = re.search(r'name="scan_id" value="([0-9a-f]{32})"', plain).group(1)
    refused = _post_page(client, f"/t/{ticket}", callers["union_admin"], {"point": "s01", "scan_id": scan_id})
    assert "此码已过期，请出示实时票码" in refused.body.decode()
