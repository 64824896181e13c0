"""The events API through chalice.test.Client: validation, idempotent registration, exports, my registrations."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import timedelta

import pytest

from chalicelib.domain.calendar import now

SCRIPT = "<script>alert(1)</script>"


def _post(client, caller, path, body, **headers):
    return client.http.post(
        path,
        headers=caller.headers(**{"Content-Type": "application/json", **headers}),
        body=json.dumps(body).encode(),
    )


def _new_event(**fields):
    start = now() + timedelta(days=5)
    return {
        "owner_unit_id": "cs",
        "kind": "wellness",
        "format": "session",
        "title_zh": "健康讲座",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
        "capacity": 2,
        **fields,
    }


@pytest.fixture(scope="module")
def event_id(client, callers):
    form = [
        {"question_id": "note", "kind": "text", "label_zh": SCRIPT},
        {
            "question_id": "size",
            "kind": "single_choice",
            "label_zh": "尺码",
            "options": [{"option_id": "M", "label_zh": "M", "limit": 5}],
        },
    ]
    created = _post(client, callers["unit_admin"], "/api/events", _new_event(form=form, description_zh=SCRIPT))
    assert created.status_code == 201, created.body
    event_id = created.json_body["event_id"]
    published = _post(client, callers["unit_admin"], f"/api/events/{event_id}/status", {"status": "published"})
    assert published.status_code == 200, published.body
    return event_id


def test_a_title_of_ten_thousand_characters_is_refused_with_the_field_named(client, callers):
    response = _post(client, callers["unit_admin"], "/api/events", _new_event(title_zh="长" * 10_000))
    assert response.status_code == 400
    assert [d["field"] for d in response.json_body["error"]["details"]] == ["title_zh"]


def test_schedule_problems_name_their_field(client, callers):
    start = now() + timedelta(days=5)
    body = _new_event(ends_at=(start - timedelta(hours=1)).isoformat(), starts_at=start.isoformat())
    response = _post(client, callers["unit_admin"], "/api/events", body)
    assert response.status_code == 400
    details = response.json_body["error"]["details"]
    assert [(d["field"], d["message"]) for d in details] == [("ends_at", "结束时间早于开始时间")]


def test_a_unit_admin_cannot_create_an_event_for_another_unit(client, callers):
    response = _post(client, callers["other_unit_admin"], "/api/events", _new_event())
    assert response.status_code == 403


def test_html_is_stored_and_returned_as_text(client, event_id):
    event = client.http.get(f"/api/events/{event_id}").json_body
    assert event["description_zh"] == SCRIPT
    assert event["form"][0]["label_zh"] == SCRIPT


def test_clearing_a_required_fact_is_a_400_not_a_broken_event(client, callers, event_id):
    response = client.http.request(
        "PATCH",
        f"/api/events/{event_id}",
        headers=callers["unit_admin"].headers(**{"Content-Type": "application/json"}),
        body=json.dumps({"title_zh": None}).encode(),
    )
    assert response.status_code == 400
    assert client.http.get(f"/api/events/{event_id}").json_body["title_zh"] == "健康讲座"


def test_a_retried_tap_with_the_same_idempotency_key_registers_once(client, callers, event_id):
    key = str(uuid.uuid4())
    body = {"answers": {"note": SCRIPT, "size": "M"}}
    first = _post(client, callers["member"], f"/api/events/{event_id}/registrations", body, **{"Idempotency-Key": key})
    again = _post(client, callers["member"], f"/api/events/{event_id}/registrations", body, **{"Idempotency-Key": key})
    assert first.status_code == again.status_code == 201
    assert again.json_body == first.json_body
    assert {k.lower(): v for k, v in again.headers.items()}.get("idempotent-replayed") == "true"
    other = _post(
        client, callers["member"], f"/api/events/{event_id}/registrations", {"answers": {}}, **{"Idempotency-Key": key}
    )
    assert other.status_code == 422
    assert other.json_body["error"]["code"] == "idempotency_key_reused"
    # Without the key, a second tap is a plain duplicate.
    duplicate = _post(client, callers["member"], f"/api/events/{event_id}/registrations", body)
    assert duplicate.status_code == 409
    assert duplicate.json_body["error"]["code"] == "already_registered"
    mine = client.http.get("/api/me/registrations", headers=callers["member"].headers()).json_body["registrations"]
    assert [r["event_id"] for r in mine].count(event_id) == 1
    assert next(r for r in mine if r["event_id"] == event_id)["answers"]["note"] == SCRIPT


def test_answer_out_of_range_and_unknown_option_are_explained(client, callers, event_id):
    response = _post(
        client, callers["union_admin"], f"/api/events/{event_id}/registrations", {"answers": {"size": "XXL"}}
    )
    assert response.status_code == 400
    details = response.json_body["error"]["details"]
    assert [(d["field"], d["problem"]) for d in details] == [("answers.size", "answer_unknown_option")]
    assert details[0]["message"] == "没有这个选项"


def test_members_cannot_see_the_registrations_or_cancel_someone_else(client, callers, event_id):
    member = callers["member"]
    assert client.http.get(f"/api/events/{event_id}/registrations", headers=member.headers()).status_code == 403
    removal = client.http.request(
        "DELETE",
        f"/api/events/{event_id}/registrations/{callers['unit_admin'].staff_no}?reason=x",
        headers=member.headers(),
    )
    assert removal.status_code == 403


def test_exports_as_xlsx_and_csv_with_bom(client, callers, event_id):
    admin = callers["unit_admin"]
    xlsx = client.http.get(f"/api/events/{event_id}/export?format=xlsx", headers=admin.headers(Accept="*/*"))
    assert xlsx.status_code == 200
    assert xlsx.body[:2] == b"PK"
    assert "attachment" in {k.lower(): v for k, v in xlsx.headers.items()}["content-disposition"]
    exported = client.http.get(f"/api/events/{event_id}/export?format=csv", headers=admin.headers(Accept="*/*"))
    assert exported.status_code == 200
    assert exported.body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(exported.body.decode("utf-8-sig"))))
    assert "工号" in rows[0] and SCRIPT in rows[0]
    assert any(callers["member"].staff_no in row for row in rows[1:])


def test_cancel_then_my_registrations_shows_it_cancelled(client, callers, event_id):
    member = callers["member"]
    cancelled = client.http.request("DELETE", f"/api/me/registrations/{event_id}", headers=member.headers())
    assert cancelled.status_code == 200
    assert cancelled.json_body["state"] == "cancelled"
    again = client.http.request("DELETE", f"/api/me/registrations/{event_id}", headers=member.headers())
    assert again.status_code == 404
    summary = client.http.get(f"/api/events/{event_id}/units-summary", headers=callers["unit_admin"].headers())
    assert all(unit["registered"] == unit["confirmed"] + unit["waiting"] for unit in summary.json_body["units"])
