"""Issue 15, item 8: security headers on every answer, and pages a CSP without 'unsafe-inline' leaves whole.

(Every answer of every HTTP test is also checked by the autouse fixture in tests/http/conftest.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from chalice import Response

from chalicelib.http.headers import CONTENT_SECURITY_POLICY, HSTS, secure, security_headers
from chalicelib.http.middleware import unknown_route_response
from chalicelib.web.assets import ASSETS, STATIC_DIR, asset_url, load
from chalicelib.web.competition_manage_pages import TEMPLATES
from tests.http.page_policy import header, inline_problems

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "chalicelib" / "web" / "templates"


def _get(client, path, caller=None, **headers):
    return client.http.get(path, headers={**(caller.headers() if caller else {}), **headers})


def _assert_secured(response, cache_control="no-store"):
    assert header(response.headers, "Content-Security-Policy") == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY and "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert header(response.headers, "X-Content-Type-Options") == "nosniff"
    assert header(response.headers, "Referrer-Policy") == "same-origin"
    assert header(response.headers, "X-Frame-Options") == "DENY"
    assert header(response.headers, "Cache-Control") == cache_control
    assert header(response.headers, "Strict-Transport-Security") is None  # tests run as stage "test"


def test_pages_api_answers_errors_and_redirects_all_carry_the_headers(client, callers):
    member, admin = callers["member"], callers["union_admin"]
    for path, caller, status in (
        ("/", None, 200),
        ("/events", None, 200),
        ("/me", member, 200),
        ("/admin/events", admin, 200),
        ("/admin", None, 303),  # to the sign-in page
        ("/admin/units", member, 403),
        ("/events/ev-nothing-here", None, 404),
        ("/api/health", None, 200),
        ("/api/me", member, 200),
        ("/api/me", None, 401),
        ("/api/events/ev-nothing-here", None, 404),
    ):
        response = _get(client, path, caller)
        assert response.status_code == status, path
        _assert_secured(response)


def test_unknown_paths_answer_a_secured_404_page_or_json():
    for path, content_type in (("/nowhere", "text/html"), ("/api/nowhere", "application/json")):
        response = unknown_route_response(path, None, None, None)
        assert response.status_code == 404 and response.headers["Content-Type"].startswith(content_type)
        _assert_secured(response)
        if content_type == "text/html":
            assert inline_problems(response.body) == []


def test_hsts_only_in_prod_and_a_route_keeps_its_own_cache_control():
    assert security_headers("prod")["Strict-Transport-Security"] == HSTS
    assert "Strict-Transport-Security" not in security_headers("dev")
    assert "Strict-Transport-Security" not in security_headers("test")
    kept = secure(Response(body="", headers={"cache-control": "private, no-store"}), "prod")
    assert kept.headers["cache-control"] == "private, no-store" and "Cache-Control" not in kept.headers
    assert kept.headers["Strict-Transport-Security"] == HSTS


def test_static_files_are_served_with_their_type_and_cached_for_good_under_their_hash(client, callers):
    for name in ASSETS:
        response = _get(client, asset_url(name), callers["member"])
        assert response.status_code == 200, name
        expected = "text/css; charset=utf-8" if name.endswith(".css") else "text/javascript; charset=utf-8"
        assert header(response.headers, "Content-Type") == expected
        assert response.body.decode() == (STATIC_DIR / name).read_text()
        _assert_secured(response, cache_control="public, max-age=31536000, immutable")
        assert header(response.headers, "ETag") == f'"{load(name).digest}"'
    # The bare name, or an old hash after a deployment: the current file, revalidated each time.
    for path in ("/static/base.css", "/static/base.000000000000.css"):
        response = _get(client, path)
        assert response.status_code == 200 and response.body.decode() == (STATIC_DIR / "base.css").read_text()
        assert header(response.headers, "Cache-Control") == "public, no-cache"
    unchanged = _get(client, "/static/base.css", **{"If-None-Match": load("base.css").etag})
    assert unchanged.status_code == 304 and unchanged.body == b""


@pytest.mark.parametrize(
    "path",
    [
        "/static/nothere.css",
        "/static/assets.py",
        "/static/..%2Fassets.py",
        "/static/base.css.map",
        "/static/BASE.CSS",
        "/static/vendor%2Fjsqr.js",
        "/static/jsqr.LICENSE",
    ],
)
def test_nothing_but_the_listed_files_is_served(client, path):
    response = _get(client, path)
    assert response.status_code == 404
    _assert_secured(response)


def test_the_listed_files_are_the_static_directory_and_every_one_is_used():
    files = {p.relative_to(STATIC_DIR).as_posix() for p in STATIC_DIR.rglob("*") if p.is_file()}
    licences = {name for name in files if name.startswith("vendor/") and name.endswith(".LICENSE")}
    assert sorted(ASSETS) == sorted(files - licences)
    # Every vendored script ships with its licence, and every asset is served under a name of its own.
    vendored = {name.removesuffix(".js") for name in ASSETS if name.startswith("vendor/")}
    assert vendored == {name.removesuffix(".LICENSE") for name in licences} and vendored
    assert len({name.rsplit("/", 1)[-1] for name in ASSETS}) == len(ASSETS)
    linked = set()
    for template in TEMPLATE_DIR.glob("*.html"):
        linked |= set(re.findall(r"asset\('([^']+)'\)", template.read_text()))
    assert linked == set(ASSETS)


def test_no_template_has_inline_scripts_styles_or_handlers():
    found = {t.name: inline_problems(t.read_text()) for t in sorted(TEMPLATE_DIR.glob("*.html"))}
    assert {name: problems for name, problems in found.items() if problems} == {}
    assert "onclick" not in (STATIC_DIR / "app.js").read_text()  # handlers are added with addEventListener


def test_the_competition_set_up_styles_cover_every_template():
    css = (STATIC_DIR / "competition_manage.css").read_text()
    for template in TEMPLATES:
        assert f"form.setup:has(#tpl-{template}:checked) .tpl-{template}{{display:block}}" in css


EMPTY_ICON = '<link rel="icon" href="data:,">'


def test_pages_load_only_the_apps_own_files(client, callers, demo_union):
    event_id = demo_union.events[0].event_id
    admin = callers["union_admin"]
    seen = set()
    for path in ("/", "/signin", f"/events/{event_id}", f"/events/{event_id}/poster", f"/admin/events/{event_id}/edit"):
        html = _get(client, path, admin).body.decode()
        linked = re.findall(r'<script src="([^"]+)"', html) + re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        assert linked and all(re.fullmatch(r"/static/[a-z0-9_]+\.[0-9a-f]{12}\.(css|js)", url) for url in linked)
        # Besides the app's own files only the empty icon (data:, nothing fetched) may be linked.
        assert "<link" not in html.replace('<link rel="stylesheet" href="/static/', "").replace(EMPTY_ICON, "")
        seen |= set(linked)
    for url in seen:
        assert _get(client, url).status_code == 200
    assert asset_url("app.js") in seen and asset_url("base.css") in seen and asset_url("manage_event.js") in seen
