"""The check-in station's service worker as the app serves it (issue 17 item 2): its script, headers and release,
and the station page that registers it. What it does in a browser: tests/browser/test_station_offline_browser.py;
its rules: tests/js/checkin_sw.test.js."""

from __future__ import annotations

import re

import pytest

from chalicelib.http.headers import CONTENT_SECURITY_POLICY
from chalicelib.web import service_worker
from chalicelib.web.assets import asset_url, load
from tests.factories import published_event
from tests.http.browsing import get_page, header


def test_the_worker_is_served_with_its_release_allowed_on_events_and_revalidated(client):
    response = client.http.get("/checkin-sw.js")
    assert response.status_code == 200
    release = service_worker.release()
    assert re.fullmatch(r"[0-9a-f]{12}", release)
    text = response.body.decode()
    assert f"core.cacheName('{release}')" in text and service_worker.RELEASE_MARK not in text.split("*/", 1)[1]
    assert header(response, "Content-Type") == "text/javascript; charset=utf-8"
    assert header(response, "Service-Worker-Allowed") == service_worker.SCOPE == "/events/"
    assert header(response, "Cache-Control") == "public, no-cache" and header(response, "ETag") == f'"{release}"'
    # The page's policy is the worker's too: it fetches from this origin only.
    assert header(response, "Content-Security-Policy") == CONTENT_SECURITY_POLICY
    assert "connect-src 'self'" in CONTENT_SECURITY_POLICY and "worker-src 'self'" in CONTENT_SECURITY_POLICY
    unchanged = client.http.get("/checkin-sw.js", headers={"If-None-Match": f'"{release}"'})
    assert unchanged.status_code == 304 and unchanged.body == b""
    assert client.http.get("/checkin-sw.js", headers={"If-None-Match": '"000000000000"'}).status_code == 200


def test_the_release_follows_every_file_and_is_written_once_into_the_worker(monkeypatch):
    source = "/* the server writes __CHECKIN_RELEASE__ */ var CACHE = core.cacheName('__CHECKIN_RELEASE__');"
    assert service_worker.with_release(source, "0123456789ab") == (
        "/* the server writes __CHECKIN_RELEASE__ */ var CACHE = core.cacheName('0123456789ab');"
    )
    for broken in ("var CACHE = 'v1';", source + source):
        with pytest.raises(ValueError):
            service_worker.with_release(broken, "0123456789ab")
    # A deployment that changes any static file is another release.
    current = service_worker.release.__wrapped__()
    assert current == service_worker.release()
    changed = load("checkin_station.js")._replace(digest="000000000000")
    monkeypatch.setattr(service_worker, "load", lambda name: changed if name == changed.name else load(name))
    assert service_worker.release.__wrapped__() != current


def test_the_station_page_registers_the_worker_for_events(client, callers, organiser):
    event = published_event(organiser, days=3, owner_unit_id="cs", title_zh="离线签到页", capacity=20)
    html = get_page(client, f"/events/{event.event_id}/checkin", callers["unit_admin"]).body.decode()
    src, worker, scope = asset_url("checkin_offline.js"), service_worker.PATH, service_worker.SCOPE
    assert f'<script src="{src}" data-worker="{worker}" data-scope="{scope}"></script>' in html
    # No other page registers it.
    assert "checkin_offline" not in get_page(client, f"/events/{event.event_id}", callers["unit_admin"]).body.decode()
