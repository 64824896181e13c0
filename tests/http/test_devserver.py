"""The dev server behind `make run`, over real HTTP: routes work and unknown paths are 404 in the app's format."""

import json
import urllib.error
import urllib.request

import pytest

from devtools.devserver import serving_in_thread


@pytest.fixture(scope="module")
def base_url(dynamodb):
    # The stage config names `make run`'s database; the tests' own settings are already bound, so keep them.
    with serving_in_thread() as base:
        yield base


def _get(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        # Generous: the module's first request imports the routes it needs (measured 5.5-8.4 s at load 10 on two
        # cores, before and after the worker processes: the app's own time, not the server's).
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_health_over_http(base_url):
    status, headers, body = _get(base_url + "/api/health")
    assert status == 200
    assert json.loads(body)["dynamodb"]["ok"] is True
    assert headers["X-Request-Id"]


def test_unknown_api_path_is_json_404(base_url):
    status, headers, body = _get(base_url + "/api/no/such/thing", **{"Accept-Language": "en"})
    assert status == 404
    assert headers["Content-Type"].startswith("application/json")
    error = json.loads(body)["error"]
    assert error["code"] == "not_found" and error["message"] == "The page or resource was not found."


def test_unknown_page_is_a_friendly_chinese_404_page(base_url):
    status, headers, body = _get(base_url + "/no-such-page")
    assert status == 404
    assert headers["Content-Type"].startswith("text/html")
    assert "找不到您要的页面或资源" in body.decode()
