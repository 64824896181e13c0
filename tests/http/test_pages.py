"""Pages through Chalice's test client: Chinese first, English on request, no external assets."""

import re

import pytest

from tests.http.browsing import header


@pytest.fixture(scope="module")
def demo(demo_union):
    """The demo union, its tables restored for this module."""
    return demo_union


def test_home_page_is_chinese_and_lists_upcoming_events_and_units(client, demo):
    response = client.http.get("/")
    assert response.status_code == 200
    assert header(response, "Content-Type") == "text/html; charset=utf-8"
    html = response.body.decode()
    assert '<html lang="zh-CN">' in html
    assert "示范大学工会" in html and "近期活动" in html
    assert "共 26 个二级工会" in html
    assert html.count('<li class="card">') >= 5
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "pages must not load external assets"


def test_home_page_in_english_via_query_and_remembered_in_a_cookie(client, demo):
    response = client.http.get("/?lang=en")
    html = response.body.decode()
    assert '<html lang="en">' in html and "Upcoming events" in html and "26 sub-unions" in html
    assert header(response, "Set-Cookie").startswith("lang=en;")
    again = client.http.get("/", headers={"Cookie": "lang=en"})
    assert "Upcoming events" in again.body.decode()


def test_home_page_follows_accept_language(client, demo):
    html = client.http.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).body.decode()
    assert "Upcoming events" in html


def test_home_page_is_mobile_first(client, demo):
    html = client.http.get("/").body.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1' in html
    assert len(html.encode()) < 40_000
