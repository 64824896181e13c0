"""Signed-in callers for HTTP tests: the demo union's accounts, loaded once per session and restored once per module."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest

from chalicelib.domain.calendar import now
from chalicelib.storage import get_store
from devtools.demo.snapshot import restore
from devtools.demo.union import DemoUnion


@dataclass(frozen=True)
class Caller:
    name: str
    staff_no: str | None
    token: str | None

    def headers(self, **extra: str) -> dict[str, str]:
        base = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**base, **extra}


@pytest.fixture(scope="module")
def demo_union(dynamodb, loaded_demo) -> DemoUnion:
    """The demo union as loaded once per session, its tables restored for this module."""
    union, items = loaded_demo
    restore(dynamodb, items)
    return union


@pytest.fixture(scope="module")
def callers(demo_union, dynamodb) -> dict[str, Caller]:
    from chalicelib.services.accounts import sign_in

    def caller(name: str, fragment: str) -> Caller:
        account = next(a for a in demo_union.accounts if fragment in a.role)
        session = sign_in(get_store(), dynamodb, account.staff_no, account.password, "10.0.0.1")
        return Caller(name, account.staff_no, session.token)

    return {
        "anonymous": Caller("anonymous", None, None),
        "member": caller("member", "member"),
        "unit_admin": caller("unit_admin", "计算机学院)"),
        "other_unit_admin": caller("other_unit_admin", "附属医院"),
        "union_admin": caller("union_admin", "union admin"),
    }


@pytest.fixture(scope="module")
def organiser(callers):
    """The computer science unit's admin, as the services see them: who organises the events page tests make (a
    module may name someone else its organiser)."""
    from chalicelib.domain.access import Principal

    return Principal(staff_no=callers["unit_admin"].staff_no, unit_id="cs", admin_of=frozenset({"cs"}))


@pytest.fixture(autouse=True)
def every_answer_carries_the_security_headers(monkeypatch):
    """Every answer any HTTP test gets from the test client carries the security headers, and every page is one a
    Content-Security-Policy without 'unsafe-inline' leaves whole: no inline script, style or handler (issue 15)."""
    from chalice.test import TestHTTPClient

    from tests.http.page_policy import response_problems

    request = TestHTTPClient.request

    def checked(self, method, path, *args, **kwargs):
        response = request(self, method, path, *args, **kwargs)
        problems = response_problems(response.status_code, response.headers, response.body)
        assert not problems, f"{method} {path} ({response.status_code}): {problems}"
        return response

    monkeypatch.setattr(TestHTTPClient, "request", checked)


def published_event(client, organiser: Caller, title_zh: str) -> str:
    """A wellness session of 计算机学院 five days ahead with 5 places, created and published through the API."""
    start = now() + timedelta(days=5)
    event = {
        "owner_unit_id": "cs",
        "kind": "wellness",
        "format": "session",
        "title_zh": title_zh,
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
        "capacity": 5,
    }
    headers = organiser.headers(**{"Content-Type": "application/json"})
    created = client.http.post("/api/events", headers=headers, body=json.dumps(event).encode())
    assert created.status_code == 201, created.body
    event_id = created.json_body["event_id"]
    status = json.dumps({"status": "published"}).encode()
    published = client.http.post(f"/api/events/{event_id}/status", headers=headers, body=status)
    assert published.status_code == 200, published.body
    return event_id
