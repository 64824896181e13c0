"""Organiser messages over HTTP (issue 20 item 4): the compose pages linked from the organiser hub and /admin, the
preview with its count, HTML shown as text, 10,000 characters and an empty text refused with a clear message in zh
and en, a send posted twice notifying once, other units' admins refused; the JSON API the same way, with 429 and
Retry-After past the rate limit."""

from __future__ import annotations

import re
from html import unescape

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.organiser_messages import PER_HOUR
from chalicelib.domain.records import MemberStatus, NotificationKind
from chalicelib.services import registration
from chalicelib.storage import get_store
from tests.factories import published_event
from tests.http.browsing import SAME_SITE, get_page, header, post_form


def _text(response) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", response.body.decode()))


def _messages(staff_no: str):
    found = get_store().notifications.for_member(staff_no)
    return [n for n in found if n.kind is NotificationKind.ORGANISER_MESSAGE]


def _message_id(response) -> str:
    match = re.search(r'name="message_id" value="(om-[0-9A-Z]{26})"', response.body.decode())
    assert match, response.body.decode()[:2000]
    return match.group(1)


@pytest.fixture(scope="module")
def event(organiser, demo_union):
    """A cs event with 4 cs members registered (capacity 3: three confirmed, one waiting)."""
    store = get_store()
    created = published_event(organiser, store=store, owner_unit_id="cs", capacity=3, waiting_list=True,
                              title_zh="教工羽毛球友谊赛")  # fmt: skip
    cs = [m for m in demo_union.members if m.unit_id == "cs" and m.status is MemberStatus.ACTIVE][-4:]
    for member in cs:
        who = Principal(staff_no=member.staff_no, unit_id=member.unit_id)
        registration.register(store, who, created.event_id, "series", {}, now())
    return created


def test_linked_from_the_hub_and_admin(client, callers, event):
    hub = get_page(client, f"/admin/events/{event.event_id}/edit", callers["unit_admin"])
    assert f'href="/admin/events/{event.event_id}/messages"' in hub.body.decode()
    admin = get_page(client, "/admin", callers["unit_admin"])
    assert 'href="/admin/messages"' in admin.body.decode()


def test_preview_send_twice_and_html_as_text(client, callers, event):
    path = f"/admin/events/{event.event_id}/messages"
    caller = callers["unit_admin"]
    page = get_page(client, path, caller)
    assert page.status_code == 200 and "发通知" in _text(page)
    message_id = _message_id(page)
    fields = {"audience": "confirmed", "text": "<b>周六</b>改到 3 号场", "message_id": message_id, "action": "preview"}
    preview = post_form(client, path, caller, fields)
    body = preview.body.decode()
    assert preview.status_code == 200
    assert "&lt;b&gt;周六&lt;/b&gt;改到 3 号场" in body and "<b>周六</b>" not in body
    assert "将发给 3 人" in _text(preview) and "确认发送给 3 人" in _text(preview)
    assert _message_id(preview) == message_id
    sent = {**fields, "action": "send"}
    first = post_form(client, path, caller, sent)
    again = post_form(client, path, caller, sent)  # a double tap, or the browser resending
    assert first.status_code == again.status_code == 303
    assert header(first, "Location") == f"{path}?sent=3"
    confirmed = [
        r.staff_no for r in get_store().registrations.for_event(event.event_id) if r.state.value == "confirmed"
    ]
    for staff_no in confirmed:
        found = _messages(staff_no)
        assert len(found) == 1 and found[0].details["text"] == "<b>周六</b>改到 3 号场"
    done = get_page(client, f"{path}?sent=3", caller)
    assert "已发送给 3 人" in _text(done) and "<b>周六</b>改到 3 号场" in _text(done)  # in the history


def test_bad_text_refused_clearly_in_both_languages(client, callers, event):
    path = f"/admin/events/{event.event_id}/messages"
    caller = callers["unit_admin"]
    long = {"audience": "waiting", "text": "长" * 10_000, "message_id": "", "action": "preview"}
    refused = post_form(client, path, caller, long)
    assert refused.status_code == 400 and "通知内容最多 500 个字，现在有 10000 个字" in _text(refused)
    assert 'aria-invalid="true"' in refused.body.decode()
    english = post_form(client, path + "?lang=en", caller, {**long, "text": "   "})
    assert english.status_code == 400 and "Write the message." in _text(english)


def test_other_units_admins_refused(client, callers, event):
    other = callers["other_unit_admin"]
    assert get_page(client, f"/admin/events/{event.event_id}/messages", other).status_code == 403
    assert get_page(client, f"/admin/events/{event.event_id}/messages", callers["member"]).status_code == 403
    fields = {"audience": "unit", "unit_id": "cs", "text": "你好", "message_id": "", "action": "preview"}
    assert post_form(client, "/admin/messages", other, fields).status_code == 403
    page = get_page(client, "/admin/messages", other)
    assert page.status_code == 200 and 'value="union"' not in page.body.decode()  # no whole-union choice
    too_long = {**fields, "unit_id": "x" * 500}
    assert post_form(client, "/admin/messages", callers["union_admin"], too_long).status_code == 404


def test_unit_message_page_in_english(client, callers):
    caller = callers["unit_admin"]
    page = get_page(client, "/admin/messages?lang=en", caller)
    assert page.status_code == 200 and "Message members" in _text(page)
    fields = {"audience": "unit", "unit_id": "cs", "text": "Health check on Friday", "message_id": _message_id(page),
              "action": "preview"}  # fmt: skip
    preview = post_form(client, "/admin/messages?lang=en", caller, fields)
    assert preview.status_code == 200 and re.search(r"To \d+ members", _text(preview))
    assert "Message from" in _text(preview)


def test_api_preview_send_and_refusals(client, callers, event):
    admin = callers["unit_admin"]
    base = f"/api/events/{event.event_id}/messages"
    json_headers = {"Content-Type": "application/json"}
    shown = client.http.post(f"{base}/preview", headers=admin.headers(**json_headers),
                             body='{"audience": "waiting", "text": "<i>候补</i>名单"}')  # fmt: skip
    assert shown.status_code == 200, shown.body
    answer = shown.json_body
    assert answer["count"] == 1 and answer["text"] == "<i>候补</i>名单" and answer["message_id"].startswith("om-")
    body = {"audience": "waiting", "text": "<i>候补</i>名单", "message_id": answer["message_id"]}
    import json

    first = client.http.post(base, headers=admin.headers(**json_headers), body=json.dumps(body))
    again = client.http.post(base, headers=admin.headers(**json_headers), body=json.dumps(body))
    assert first.status_code == again.status_code == 201
    assert (first.json_body["resumed"], again.json_body["resumed"]) == (False, True)
    long = client.http.post(
        base, headers=admin.headers(**json_headers), body=json.dumps({**body, "text": "x" * 10_000})
    )
    assert long.status_code == 400
    details = long.json_body["error"]["details"]
    assert details[0]["field"] == "text" and details[0]["problem"] == "message_text_too_long"
    other = client.http.post(f"{base}/preview", headers=callers["other_unit_admin"].headers(**json_headers),
                             body='{"audience": "waiting", "text": "hi"}')  # fmt: skip
    assert other.status_code == 403
    urgent = client.http.post(f"{base}/preview", headers=admin.headers(**json_headers),
                              body='{"audience": "waiting", "text": "hi", "urgent": true}')  # fmt: skip
    assert urgent.status_code == 403 and urgent.json_body["error"]["code"] == "message_urgent_refused"
    history = client.http.get(base, headers=admin.headers())
    assert history.status_code == 200 and history.json_body["messages"][0]["text_head"] == "<i>候补</i>名单"


def test_api_rate_limit_answers_429_with_retry_after(client, callers):
    import json

    admin = callers["union_admin"]
    json_headers = {"Content-Type": "application/json"}
    statuses = []
    for n in range(PER_HOUR + 1):
        shown = client.http.post("/api/units/cs/messages/preview", headers=admin.headers(**json_headers),
                                 body=json.dumps({"text": f"通知 {n}"}))  # fmt: skip
        body = {"text": f"通知 {n}", "message_id": shown.json_body["message_id"]}
        sent = client.http.post("/api/units/cs/messages", headers=admin.headers(**json_headers), body=json.dumps(body))
        statuses.append(sent.status_code)
    assert statuses == [201] * PER_HOUR + [429]
    assert sent.json_body["error"]["code"] == "message_rate_limited"
    assert 0 < int(header(sent, "Retry-After")) <= 3600
    assert "每人每小时最多 5 条" in sent.json_body["error"]["message"]
    _ = SAME_SITE
