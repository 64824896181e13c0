"""Classes (issue 17 item 7) over HTTP: the API refuses single sessions to a member holding the term, and the term
to a member holding sessions ahead, in zh and en; the register page offers no session that has started and nothing
that clashes with what the member holds."""

from __future__ import annotations

import json
import re
from html import unescape

from tests.http.browsing import get_page
from tests.http.test_ticket_api import class_event, organiser_of


def _register(client, caller, event, scope, lang="zh"):
    headers = caller.headers(**{"Content-Type": "application/json", "Accept-Language": lang})
    body = json.dumps({"scope": scope})
    return client.http.post(f"/api/events/{event.event_id}/registrations", headers=headers, body=body)


def _offered(client, caller, event):
    html = unescape(get_page(client, f"/events/{event.event_id}/register", caller).body.decode())
    return re.findall(r'<input type="radio" name="scope" value="([^"]+)"', html)


def test_term_and_sessions_are_not_held_together_and_started_sessions_are_not_offered(client, callers):
    event = class_event(organiser_of(callers), "太极拳班（单次课测试）", capacity=10)  # s01 began ten minutes ago
    member, other = callers["member"], callers["unit_admin"]
    assert _offered(client, member, event) == ["series", "s02", "s03"]
    started = _register(client, other, event, "s01")
    assert started.status_code == 409 and started.json_body["error"]["code"] == "session_started"
    assert started.json_body["error"]["message"] == "这次课已经开始，不能再报名"
    assert _register(client, member, event, "series").status_code == 201
    refused = _register(client, member, event, "s02")
    assert refused.status_code == 409 and refused.json_body["error"]["code"] == "holds_term"
    assert refused.json_body["error"]["message"] == "你已报名整个学期，无需再报名单次课"
    english = _register(client, member, event, "s03", lang="en").json_body["error"]["message"]
    assert english == "You hold a place for the whole term: single sessions are already yours"
    assert _offered(client, member, event) == []  # the page offers nothing more
    assert _register(client, other, event, "s03").status_code == 201
    term = _register(client, other, event, "series", lang="en")
    assert term.status_code == 409 and term.json_body["error"]["code"] == "holds_sessions"
    assert term.json_body["error"]["message"].startswith("You hold single sessions of this class")
    assert _offered(client, other, event) == ["s02"]
