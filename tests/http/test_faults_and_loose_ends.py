"""Through chalice.test.Client on the demo union: a registration retried after its first attempt was interrupted
answers with what that attempt wrote; a member who checked in cannot cancel (an organiser may remove)."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import SERIES
from chalicelib.services import registration as registration_service
from chalicelib.storage import get_store
from chalicelib.storage.idempotency import ABANDONED_AFTER
from tests.http.browsing import header
from tests.http.conftest import published_event

FORM = "application/x-www-form-urlencoded"
SAME_SITE = {"Origin": "https://union.example.edu.cn", "Host": "union.example.edu.cn"}


def _post(client, caller, path, body, **headers):
    return client.http.post(
        path, headers=caller.headers(**{"Content-Type": "application/json", **headers}), body=json.dumps(body).encode()
    )


@pytest.fixture
def event_id(client, callers):
    return published_event(client, callers["unit_admin"], "健康讲座")


# ---- idempotency keys left behind by an interrupted request -----------------------------------------------------


def _fingerprint(path: str, body: bytes) -> str:
    """What chalicelib.http.idempotency records for a request (method, path, body)."""
    digest = hashlib.sha256(f"POST {path}\n".encode())
    digest.update(body)
    return digest.hexdigest()


def _interrupted(caller, path: str, body: dict, key: str, *, seconds_ago: float) -> datetime:
    """A request whose key was claimed ``seconds_ago`` and that never finished (its process died)."""
    started = now() - timedelta(seconds=seconds_ago)
    claim = get_store().idempotency.claim(
        f"{caller.staff_no}#{key}", _fingerprint(path, json.dumps(body).encode()), started
    )
    assert claim.claimed
    return started


def test_a_retry_finds_the_registration_its_interrupted_attempt_wrote(client, callers, event_id):
    member, key, body = callers["member"], str(uuid.uuid4()), {"answers": {}}
    path = f"/api/events/{event_id}/registrations"
    started = _interrupted(member, path, body, key, seconds_ago=ABANDONED_AFTER.total_seconds() + 5)
    # The interrupted attempt committed its registration, then the database went down before its answer was kept.
    principal = Principal(staff_no=member.staff_no, unit_id="cs")
    written = registration_service.register(get_store(), principal, event_id, SERIES, {}, started).registration

    retry = _post(client, member, path, body, **{"Idempotency-Key": key})
    assert retry.status_code == 201, retry.body
    assert retry.json_body["state"] == written.state.value == "confirmed"
    assert datetime.fromisoformat(retry.json_body["registered_at"]) == written.registered_at
    again = _post(client, member, path, body, **{"Idempotency-Key": key})
    assert again.status_code == 201 and header(again, "Idempotent-Replayed") == "true"
    assert again.json_body == retry.json_body
    # Without the key it is a plain duplicate, as before.
    assert _post(client, member, path, body).json_body["error"]["code"] == "already_registered"


def test_a_retry_of_an_interrupted_attempt_that_wrote_nothing_registers(client, callers, event_id):
    member, key, body = callers["member"], str(uuid.uuid4()), {"answers": {}}
    path = f"/api/events/{event_id}/registrations"
    _interrupted(member, path, body, key, seconds_ago=ABANDONED_AFTER.total_seconds() + 5)
    retry = _post(client, member, path, body, **{"Idempotency-Key": key})
    assert retry.status_code == 201, retry.body
    assert retry.json_body["staff_no"] == member.staff_no


def test_a_key_still_held_by_a_running_request_answers_409_in_progress(client, callers, event_id):
    member, key, body = callers["member"], str(uuid.uuid4()), {"answers": {}}
    path = f"/api/events/{event_id}/registrations"
    _interrupted(member, path, body, key, seconds_ago=1)
    retry = _post(client, member, path, body, **{"Idempotency-Key": key, "Accept-Language": "en"})
    assert retry.status_code == 409
    assert retry.json_body["error"]["code"] == "request_in_progress"


def test_an_older_registration_is_not_mistaken_for_the_interrupted_attempt(client, callers, event_id):
    member, body = callers["member"], {"answers": {}}
    path = f"/api/events/{event_id}/registrations"
    assert _post(client, member, path, body).status_code == 201
    key = str(uuid.uuid4())
    _interrupted(member, path, body, key, seconds_ago=ABANDONED_AFTER.total_seconds() + 5)
    # The registration is newer than that attempt's start, so it counts as its own: the answer is 201 ...
    assert _post(client, member, path, body, **{"Idempotency-Key": key}).status_code == 201
    # ... but a key whose first attempt began after the registration was made gets the duplicate's 409.
    later = str(uuid.uuid4())
    _interrupted(member, path, body, later, seconds_ago=0)
    get_store().idempotency.fail(f"{member.staff_no}#{later}", _claimed_at(member, later))
    duplicate = _post(client, member, path, body, **{"Idempotency-Key": later})
    assert duplicate.status_code == 409 and duplicate.json_body["error"]["code"] == "already_registered"


def _claimed_at(caller, key: str) -> datetime:
    from chalicelib.storage.tables import IdempotencyTable

    return IdempotencyTable.get(f"{caller.staff_no}#{key}", consistent_read=True).claimed_at


# ---- cancelling after check-in ----------------------------------------------------------------------------------


def _checked_in(client, callers, event_id):
    member = callers["member"]
    registered = _post(client, member, f"/api/events/{event_id}/registrations", {"answers": {}})
    assert registered.status_code == 201, registered.body
    # The event is days ahead, outside the check-in window: the organiser confirms the check-in.
    scan = {
        "point": "entry",
        "scan_id": f"s-{uuid.uuid4().hex[:12]}",
        "staff_no": member.staff_no,
        "confirm_outside_window": True,
    }
    admitted = _post(client, callers["unit_admin"], f"/api/events/{event_id}/checkin", scan)
    assert admitted.status_code == 200 and admitted.json_body["verdict"] == "admitted", admitted.body
    return member


def test_a_member_who_checked_in_cannot_cancel_in_chinese_or_english(client, callers, event_id):
    member = _checked_in(client, callers, event_id)
    zh = client.http.delete(f"/api/me/registrations/{event_id}", headers=member.headers())
    assert zh.status_code == 409
    assert zh.json_body["error"]["code"] == "already_checked_in"
    assert zh.json_body["error"]["message"].startswith("您已签到")
    en = client.http.delete(f"/api/me/registrations/{event_id}", headers=member.headers(**{"Accept-Language": "en"}))
    assert en.json_body["error"]["message"].startswith("You have already checked in")
    stored = get_store().registrations.get(event_id, SERIES, member.staff_no)
    assert stored is not None and stored.state.value == "confirmed"


def test_the_cancel_page_says_why_and_an_organiser_may_still_remove(client, callers, event_id):
    member = _checked_in(client, callers, event_id)
    page = client.http.post(
        f"/events/{event_id}/cancel",
        headers={"Content-Type": FORM, "Cookie": f"session={member.token}", "Accept-Language": "en", **SAME_SITE},
        body=urlencode({"scope": SERIES}),
    )
    assert page.status_code == 409
    assert "You have already checked in" in page.body.decode()
    removed = client.http.delete(
        f"/api/events/{event_id}/registrations/{member.staff_no}?reason=left%20early",
        headers=callers["unit_admin"].headers(),
    )
    assert removed.status_code == 200, removed.body
    assert removed.json_body["state"] == "removed"
