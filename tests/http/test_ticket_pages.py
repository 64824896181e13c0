"""The members' check-in pages: the ticket (inline SVG and a PNG to save, decoded with zxing-cpp), the ticket link on
"my registrations", a new code, venue self check-in, "my attendance" and "my duties"."""

from __future__ import annotations

import base64
import io
import re
from datetime import timedelta
from html import unescape
from urllib.parse import quote, urlencode

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.checkin import venue_code
from chalicelib.domain.records import SERIES, RegistrationState
from chalicelib.services import checkin as checkin_service
from chalicelib.storage import get_store
from tests.http.test_ticket_api import class_event, organiser_of, others_of, register

FORM = "application/x-www-form-urlencoded"
# A browser posting a form from this site names the site in Origin (chalicelib.http.edge).
SAME_SITE = {"Origin": "https://union.example.edu.cn", "Host": "union.example.edu.cn"}


def _cookie(caller):
    return {"Cookie": f"session={caller.token}"} if caller.token else {}


def _get(client, path, caller):
    return client.http.get(path, headers=_cookie(caller))


def _post(client, path, caller, fields, **headers):
    headers = {"Content-Type": FORM, **SAME_SITE, **_cookie(caller), **headers}
    return client.http.post(path, headers=headers, body=urlencode(fields))


def _row(html, title):
    """The card of one event on "my registrations"."""
    at = html.index(title)
    return html[html.rindex("<li", 0, at) : html.index("</li>", at)]


def _decode_data_url(html):
    import PIL.Image
    import zxingcpp

    data = re.search(r'href="data:image/png;base64,([A-Za-z0-9+/=]+)"', html).group(1)
    (decoded,) = zxingcpp.read_barcodes(PIL.Image.open(io.BytesIO(base64.b64decode(data))))
    return decoded.text


@pytest.fixture(scope="module")
def me(demo_union, callers):
    return next(m for m in demo_union.members if m.staff_no == callers["member"].staff_no)


@pytest.fixture(scope="module")
def lecture(demo_union, callers):
    """A class (first session began ten minutes ago, self check-in on) the member holds a place in for the term."""
    event = class_event(organiser_of(callers), "票务页面测试课", capacity=3)
    register(callers["member"].staff_no, event)
    return event


def test_ticket_page_shows_a_qr_to_scan_and_a_png_to_save(client, callers, me, lecture):
    member = callers["member"]
    response = _get(client, f"/me/tickets/{lecture.event_id}/{SERIES}", member)
    assert response.status_code == 200
    html = response.body.decode()
    assert "<svg" in html and "data:image/png;base64," in html and 'download="ticket-' in html
    assert "票务页面测试课" in html and me.name in html and "全程" in html and "亮度" in html
    assert "换一个新码" in html and "保存图片" in html
    if me.phone:
        assert me.phone not in html  # nothing personal beyond the name
    url = client.http.get(f"/api/me/tickets/{lecture.event_id}/{SERIES}", headers=member.headers()).json_body["url"]
    assert _decode_data_url(html) == url


def test_single_session_ticket_names_its_session(client, callers, demo_union):
    event = class_event(organiser_of(callers), "单次课入场码测试", capacity=3)
    register(callers["member"].staff_no, event, scope="s02")
    html = _get(client, f"/me/tickets/{event.event_id}/s02", callers["member"]).body.decode()
    session = get_store().sessions.get(event.event_id, "s02")
    assert session.starts_at.astimezone(CHINA_TZ).strftime("%m-%d %H:%M") in html and "全程" not in html


def test_my_registrations_links_the_ticket_only_for_a_place_held(client, callers, demo_union, lecture):
    member = callers["member"]
    full = class_event(organiser_of(callers), "候补无入场码测试", capacity=1)
    register(others_of(demo_union, callers)[0].staff_no, full)
    assert register(member.staff_no, full).registration.state is RegistrationState.WAITING
    html = _get(client, "/me/registrations", member).body.decode()
    assert f'href="/me/tickets/{lecture.event_id}/{SERIES}"' in _row(html, "票务页面测试课")
    assert "/me/tickets/" not in _row(html, "候补无入场码测试")
    # Opened anyway, the waiting registration's ticket page says why there is none, in words.
    refused = _get(client, f"/me/tickets/{full.event_id}/{SERIES}", member)
    assert refused.status_code == 409
    page = refused.body.decode()
    assert "没有入场码" in page and "<svg" not in page and 'href="/me/registrations"' in page


def test_a_new_code_replaces_the_old_one_and_needs_a_same_origin_post(client, callers, lecture):
    member = callers["member"]
    path = f"/me/tickets/{lecture.event_id}/{SERIES}"
    before = _decode_data_url(_get(client, path, member).body.decode())
    cross = _post(client, path + "/replace", member, {}, Origin="https://evil.example")
    assert cross.status_code == 403
    assert _decode_data_url(_get(client, path, member).body.decode()) == before
    response = _post(client, path + "/replace", member, {})
    assert response.status_code == 303 and response.headers["Location"] == path + "?replaced=1"
    html = _get(client, path + "?replaced=1", member).body.decode()
    assert "旧码已失效" in html and _decode_data_url(html) != before


def test_venue_page_checks_in_once_then_says_already(client, callers, dynamodb, lecture):
    member = callers["member"]
    key = checkin_service.venue_key(dynamodb.session_key)
    path = "/v/" + quote(venue_code(key, lecture.event_id, "s01", now()), safe="")
    anonymous = client.http.get(path)
    assert anonymous.status_code in (302, 303) and "/signin?next=" in anonymous.headers["Location"]
    form = _get(client, path, member).body.decode()
    assert "票务页面测试课" in form and ">签到</button>" in form
    scan_id = re.search(r'name="scan_id" value="([0-9a-f]{32})"', form).group(1)
    first = _post(client, path, member, {"scan_id": scan_id}).body.decode()
    assert 'data-tone="ok"' in first and "签到成功" in first
    # A double tap sends the same scan id: the same answer, nothing new written.
    assert 'data-tone="ok"' in _post(client, path, member, {"scan_id": scan_id}).body.decode()
    # Scanning the screen again gives a new form, hence a new scan id: already checked in.
    again = _get(client, path, member).body.decode()
    other_id = re.search(r'name="scan_id" value="([0-9a-f]{32})"', again).group(1)
    assert other_id != scan_id
    second = unescape(_post(client, path, member, {"scan_id": other_id}).body.decode())
    assert 'data-tone="warn"' in second and "已签到过" in second and "签到时间" in second
    assert get_store().check_ins.count(lecture.event_id, "s01") == 1


def test_venue_page_shows_an_old_or_bad_code_in_red_at_once(client, callers, dynamodb, lecture):
    member = callers["member"]
    key = checkin_service.venue_key(dynamodb.session_key)
    old = venue_code(key, lecture.event_id, "s01", now() - timedelta(seconds=95))
    expired = _get(client, "/v/" + quote(old, safe=""), member).body.decode()
    assert 'data-tone="bad"' in expired and "已过期" in expired and "<button" not in expired.split("<main>")[1]
    garbage = _get(client, "/v/nonsense", member).body.decode()
    assert 'data-tone="bad"' in garbage and "无法识别" in garbage


def test_my_attendance_lists_the_check_in_with_term_progress(client, callers, dynamodb, demo_union):
    member = callers["member"]
    event = class_event(organiser_of(callers), "签到记录页面测试课", capacity=3)
    register(member.staff_no, event)
    key = checkin_service.venue_key(dynamodb.session_key)
    code = venue_code(key, event.event_id, "s01", now())
    principal = Principal(staff_no=member.staff_no)
    done = checkin_service.self_check_in(get_store(), principal, code, "attend-0001", key, now())
    assert done.result.check_in is not None
    response = _get(client, "/me/attendance", member)
    assert response.status_code == 200
    html = response.body.decode()
    section = html[html.index("签到记录页面测试课") :]
    section = section[: section.index("</section>")]
    assert "现场自助签到" in section and done.event.starts_at.astimezone(CHINA_TZ).strftime("%m-%d %H:%M") in section
    # One of the term's three sessions attended: not completed against the 80 % threshold.
    assert "已出勤 1/3" in section and "未完成" in section
    assert "还没有签到记录" in _get(client, "/me/attendance", callers["unit_admin"]).body.decode()


def test_my_duties_lists_events_the_member_is_staff_for(client, callers, lecture):
    member = callers["member"]
    assert "票务页面测试课" not in _get(client, "/me/duties", member).body.decode()
    checkin_service.name_staff(get_store(), organiser_of(callers), lecture.event_id, member.staff_no, ["s02"], now())
    html = _get(client, "/me/duties", member).body.decode()
    assert "票务页面测试课" in html and f'href="/events/{lecture.event_id}/checkin"' in html
    session = get_store().sessions.get(lecture.event_id, "s02")
    assert session.starts_at.astimezone(CHINA_TZ).strftime("%m-%d %H:%M") in html  # only that session
    me_page = _get(client, "/me", member).body.decode()
    assert 'href="/me/attendance"' in me_page and 'href="/me/duties"' in me_page
