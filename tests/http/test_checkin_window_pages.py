"""Stations open on the session happening now and refuse points outside their window unless the organiser confirms
(issue 17 item 3): the API's verdicts with and without confirmation, offline uploads, the station page's default
point and banner, and the ticket page's confirm button, in zh and en."""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta
from html import unescape

import pytest

from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.checkin import ticket_url
from chalicelib.domain.records import SERIES
from chalicelib.storage import get_store
from tests.http.browsing import get_page, post_form
from tests.http.test_ticket_api import class_event, organiser_of, others_of, register


@pytest.fixture(scope="module")
def term(demo_union, callers):
    """A class of three weekly sessions, the first begun ten minutes ago; two members hold the term."""
    event = class_event(organiser_of(callers), "签到时间测试课", capacity=5)
    people = others_of(demo_union, callers)[:3]
    for person in people:
        register(person.staff_no, event)
    return event, people


def _code(event, person):
    ticket = get_store().registrations.get(event.event_id, SERIES, person.staff_no).ticket
    return ticket_url("https://union.example.edu.cn", ticket)


def _scan(client, callers, event, body, lang="zh"):
    headers = callers["union_admin"].headers(**{"Content-Type": "application/json", "Accept-Language": lang})
    return client.http.post(f"/api/events/{event.event_id}/checkin", headers=headers, body=json.dumps(body))


def _window_text(event, session_id):
    session = get_store().sessions.get(event.event_id, session_id)
    opens = (session.starts_at - timedelta(minutes=30)).astimezone(CHINA_TZ)
    closes = session.ends_at.astimezone(CHINA_TZ)
    # A window that ends on another day (a test run late in the evening) names that day too.
    closing = closes.strftime("%H:%M" if closes.date() == opens.date() else "%m-%d %H:%M")
    return f"{opens.strftime('%m-%d %H:%M')}–{closing}"


def _config(html):
    blob = html.split('<script type="application/json" id="station-config">', 1)[1].split("</script>", 1)[0]
    return json.loads(blob)


def test_the_api_refuses_a_session_a_week_ahead_until_the_organiser_confirms(client, callers, term):
    event, people = term
    body = {"point": "s02", "scan_id": uuid.uuid4().hex, "code": _code(event, people[0])}
    refused = _scan(client, callers, event, body)
    assert refused.status_code == 200
    answer = refused.json_body
    assert (answer["verdict"], answer["tone"], answer["name"]) == ("outside_window", "bad", None)
    assert answer["message"] == f"本场次不在签到时间（{_window_text(event, 's02')}），如需签到请确认"
    assert answer["window_opens_at"] and answer["window_closes_at"]
    english = _scan(client, callers, event, {**body, "scan_id": uuid.uuid4().hex}, lang="en").json_body
    assert english["message"].startswith("Not check-in time for this point (")
    confirmed = _scan(client, callers, event, {**body, "scan_id": uuid.uuid4().hex, "confirm_outside_window": True})
    assert confirmed.json_body.get("verdict") == "admitted", confirmed.json_body
    # The session happening now needs no confirmation.
    now_body = {"point": "s01", "scan_id": uuid.uuid4().hex, "code": _code(event, people[0])}
    assert _scan(client, callers, event, now_body).json_body["verdict"] == "admitted"
    # Manual look-up admits by 工号 under the same rule.
    manual = {"point": "s03", "scan_id": uuid.uuid4().hex, "staff_no": people[1].staff_no}
    assert _scan(client, callers, event, manual).json_body["verdict"] == "outside_window"
    # The flag is a boolean, validated at the edge.
    bad = _scan(client, callers, event, {**body, "scan_id": uuid.uuid4().hex, "confirm_outside_window": [1]})
    assert bad.status_code == 400 and bad.json_body["error"]["code"] == "validation_failed"


def test_offline_uploads_are_judged_by_when_the_scan_was_made(client, callers, term):
    event, people = term
    during = (now() - timedelta(minutes=5)).isoformat()
    scans = [
        {"scan_id": "w-upload-1", "point": "s01", "at": during, "code": _code(event, people[2])},
        {"scan_id": "w-upload-2", "point": "s03", "at": during, "code": _code(event, people[2])},
        {"scan_id": "w-upload-3", "point": "s02", "at": during, "staff_no": people[2].staff_no,
         "confirm_outside_window": True},
    ]  # fmt: skip
    headers = callers["union_admin"].headers(**{"Content-Type": "application/json"})
    answer = client.http.post(
        f"/api/events/{event.event_id}/checkin/upload", headers=headers, body=json.dumps({"scans": scans})
    ).json_body
    assert [(r["outcome"], r["verdict"]) for r in answer["results"]] == [
        ("recorded", "admitted"),
        ("refused", "outside_window"),
        ("recorded", "admitted"),
    ]


def test_the_station_opens_on_the_session_now_and_warns_on_another(client, callers, term):
    event, _ = term
    path = f"/events/{event.event_id}/checkin"
    html = unescape(get_page(client, path, callers["union_admin"]).body.decode())
    config = _config(html)
    assert config["point"] == "s01" and config["confirm_outside_window"] is False
    assert re.search(r'<option value="s01" selected>[^<]* · 当前</option>', html)
    assert 'id="window-banner"' not in html
    ahead = unescape(get_page(client, path + "?point=s02", callers["union_admin"]).body.decode())
    assert _config(ahead)["point"] == "s02" and _config(ahead)["confirm_outside_window"] is False
    assert 'id="window-banner" data-confirmed="no"' in ahead
    assert f"现在不是本场次的签到时间（{_window_text(event, 's02')}）" in ahead and 'id="confirm-window"' in ahead
    assert '<option value="s01">' in ahead and "· 当前" in ahead  # the current one is still marked
    confirmed = unescape(get_page(client, path + "?point=s02&confirm=1", callers["union_admin"]).body.decode())
    assert _config(confirmed)["confirm_outside_window"] is True
    assert 'data-confirmed="yes"' in confirmed and "已确认" in confirmed and 'id="confirm-window"' not in confirmed
    # ?confirm=1 on the session happening now changes nothing.
    assert (
        _config(get_page(client, path + "?point=s01&confirm=1", callers["union_admin"]).body.decode())[
            "confirm_outside_window"
        ]
        is False
    )
    english = unescape(get_page(client, path + "?point=s02&lang=en", callers["union_admin"]).body.decode())
    assert "It is not check-in time for this point (" in english and "Check in at this point anyway" in english
    assert "· now</option>" in english


def test_the_ticket_page_offers_to_confirm_a_refused_check_in(client, callers, term, demo_union):
    event, people = term
    staff = callers["union_admin"]
    ticket_path = "/t/" + _code(event, people[1]).rsplit("/t/", 1)[1]
    refused = unescape(
        post_form(client, ticket_path, staff, {"point": "s03", "scan_id": uuid.uuid4().hex}).body.decode()
    )
    assert 'data-verdict="outside_window"' in refused and "本场次不在签到时间" in refused
    form = refused.split('id="confirm-window-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="confirm_outside_window" value="1"' in form and 'name="point" value="s03"' in form
    scan_id = re.search(r'name="scan_id" value="([0-9a-f]{32})"', form).group(1)
    fields = {"point": "s03", "scan_id": scan_id, "confirm_outside_window": "1"}
    done = unescape(post_form(client, ticket_path, staff, fields).body.decode())
    assert 'data-verdict="admitted"' in done and 'id="confirm-window-form"' not in done
    assert get_store().check_ins.get(event.event_id, "s03", people[1].staff_no) is not None
