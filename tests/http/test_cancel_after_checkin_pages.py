"""Through chalice.test.Client on the demo union: once a member has checked in, their pages (the event page and
"my registrations") no longer offer the cancel button, and say why, in Chinese and English; before, they do. The
pages ask the same rule as the cancel request (registration.cancel_refusal)."""

from __future__ import annotations

import json
import re
import uuid

import pytest

from chalicelib.domain.calendar import now
from chalicelib.domain.records import SERIES
from chalicelib.services import registration as registration_service
from chalicelib.storage import get_store
from tests.http.conftest import published_event

LINE_ZH = "已签到，不能取消报名；如需退出请联系组织者"
LINE_EN = "Checked in: this registration can no longer be cancelled"


def _post(client, caller, path, body):
    headers = caller.headers(**{"Content-Type": "application/json"})
    return client.http.post(path, headers=headers, body=json.dumps(body).encode())


@pytest.fixture
def event_id(client, callers):
    event_id = published_event(client, callers["unit_admin"], "签到后取消测试")
    registered = _post(client, callers["member"], f"/api/events/{event_id}/registrations", {"answers": {}})
    assert registered.status_code == 201, registered.body
    return event_id


def _page(client, caller, path, language="zh"):
    page = client.http.get(path, headers={"Cookie": f"session={caller.token}", "Accept-Language": language})
    assert page.status_code == 200, page.body
    return page.body.decode()


def _cancel_forms(html: str, event_id: str) -> list[str]:
    return re.findall(rf'<form[^>]*action="/events/{re.escape(event_id)}/cancel"', html)


def _check_in(client, callers, event_id):
    member = callers["member"]
    # The event is days ahead: the organiser confirms checking in outside its window.
    scan = {"point": "entry", "scan_id": f"s-{uuid.uuid4().hex[:12]}", "staff_no": member.staff_no,
            "confirm_outside_window": True}  # fmt: skip
    admitted = _post(client, callers["unit_admin"], f"/api/events/{event_id}/checkin", scan)
    assert admitted.status_code == 200 and admitted.json_body["verdict"] == "admitted", admitted.body


def test_the_pages_offer_cancel_until_check_in_and_then_say_why_not(client, callers, event_id):
    member = callers["member"]
    event_path = f"/events/{event_id}"
    mine_path = f"/me/registrations?done={event_id}"  # read the event directly: the member index lags a write
    for path in (event_path, mine_path):
        html = _page(client, member, path)
        assert len(_cancel_forms(html, event_id)) == 1, path
        assert LINE_ZH not in html

    _check_in(client, callers, event_id)

    for path in (event_path, mine_path):
        zh = _page(client, member, path)
        assert _cancel_forms(zh, event_id) == [], path
        assert LINE_ZH in zh, path
        en = _page(client, member, path, language="en")
        assert _cancel_forms(en, event_id) == [], path
        assert LINE_EN in en, path
    # The page and the request agree: the cancel request is refused for the same reason.
    refused = client.http.delete(f"/api/me/registrations/{event_id}", headers=member.headers())
    assert refused.status_code == 409 and refused.json_body["error"]["code"] == "already_checked_in"


def test_the_page_and_the_cancel_request_ask_one_rule(client, callers, event_id):
    store, at = get_store(), now()
    event = store.events.get(event_id)
    registration = store.registrations.get(event_id, SERIES, callers["member"].staff_no)
    assert registration_service.cancel_refusal(store, event, registration, at) is None
    assert registration_service.cancel_refusal(store, event, registration, event.starts_at) == "cancel_deadline_passed"
    _check_in(client, callers, event_id)
    assert registration_service.cancel_refusal(store, event, registration, at) == "already_checked_in"
