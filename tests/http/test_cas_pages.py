"""Signing in through the campus CAS (统一身份认证, CAS 3.0) against a local CAS server (tests/cas_fake.py): the
redirect to its login, the ticket validated for exactly our service address and used once, the session, and every
refusal shown on the sign-in page in Chinese and English."""

from __future__ import annotations

import http.client
import os
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from chalicelib.settings import get_settings
from tests.cas_fake import FakeCas, serving
from tests.http.browsing import HOST, get_page, header

MEMBER = "2014001"  # a demo member with an account (tests/http/conftest.py)
SETTINGS = ("CAS_BASE_URL", "CAS_STAFF_NO_ATTRIBUTE")


def _configure(values: dict[str, str] | None) -> None:
    for name in SETTINGS:
        os.environ.pop(name, None)
    os.environ.update(values or {})
    get_settings.cache_clear()


@pytest.fixture
def cas(demo_union):
    with serving(FakeCas({MEMBER: "cas-password", "zhangsan": "cas-password", "9999999": "cas-password"})) as fake:
        _configure({"CAS_BASE_URL": fake.base_url})
        try:
            yield fake
        finally:
            _configure(None)


def _to_cas(client, path: str = "/signin/cas?next=/me/registrations", **headers) -> str:
    """The service address our site sends to CAS (the 303 to CAS's login page must carry it)."""
    response = get_page(client, path, **headers)
    assert response.status_code == 303
    location = header(response, "Location")
    assert location.startswith(f"{get_settings().cas_base_url}/login?service=")
    return parse_qs(urlsplit(location).query)["service"][0]


def _cas_login(fake: FakeCas, service: str, user: str, password: str = "cas-password") -> str:
    """The member signs in on CAS's own page: where CAS sends the browser back (``service`` with a ticket)."""
    parts = urlsplit(fake.base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    body = urlencode({"service": service, "username": user, "password": password})
    connection.request("POST", "/cas/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
    answer = connection.getresponse()
    assert answer.status == 302
    return answer.getheader("Location")


def _back(client, location: str, **headers):
    """The browser following CAS's redirect back to our site."""
    parts = urlsplit(location)
    assert parts.netloc == HOST and parts.scheme == "https"
    return get_page(client, f"{parts.path}?{parts.query}", **headers)


def _cookie_line(response) -> str:
    cookies = header(response, "Set-Cookie")
    cookies = [cookies] if isinstance(cookies, str) else cookies
    return next(c for c in cookies if c.startswith("session="))


def _cookie(response) -> str:
    return _cookie_line(response).split(";")[0]


def test_off_until_configured_no_button_and_no_route(client, demo_union):
    _configure(None)
    assert get_page(client, "/signin/cas").status_code == 404
    assert "/signin/cas" not in get_page(client, "/signin").body.decode()


def test_the_sign_in_page_offers_cas_keeping_where_to_go(client, cas):
    html = get_page(client, "/signin?next=/me/registrations").body.decode()
    assert 'href="/signin/cas?next=/me/registrations"' in html and "统一身份认证登录" in html
    assert "Sign in with the university" in get_page(client, "/signin?lang=en").body.decode()


def test_the_whole_dance_signs_the_member_in_and_goes_where_they_were_going(client, cas):
    service = _to_cas(client)
    assert service == f"https://{HOST}/signin/cas?next=%2Fme%2Fregistrations"
    back = _back(client, _cas_login(cas, service, MEMBER))
    assert back.status_code == 303 and header(back, "Location") == "/me/registrations"
    assert "HttpOnly" in _cookie_line(back) and "SameSite=Lax" in _cookie_line(back)
    me = client.http.get("/me", headers={"Host": HOST, "Cookie": _cookie(back)})
    assert me.status_code == 200 and MEMBER in me.body.decode()
    [(validated_for, ticket)] = cas.validations
    assert validated_for == service and ticket.startswith("ST-")


def test_a_ticket_is_used_once(client, cas):
    location = _cas_login(cas, _to_cas(client), MEMBER)
    assert _back(client, location).status_code == 303
    again = _back(client, location)
    assert again.status_code == 401 and header(again, "Set-Cookie") is None
    assert "统一身份认证没有确认这次登录" in again.body.decode()
    english = _back(client, location + "&lang=en")
    assert english.status_code == 401 and "did not confirm this sign-in" in english.body.decode()


def test_a_ticket_issued_for_another_page_is_refused(client, cas):
    location = _cas_login(cas, _to_cas(client, "/signin/cas?next=/me"), MEMBER)
    forged = location.replace("next=%2Fme", "next=%2Fadmin")
    refused = _back(client, forged)
    assert refused.status_code == 401 and cas.validations[-1][0].endswith("next=%2Fadmin")
    assert "统一身份认证没有确认这次登录" in refused.body.decode()


@pytest.mark.parametrize("target", ["//evil.example.com/x", "https://evil.example.com/", "/\\evil.example.com"])
def test_never_sends_people_to_another_site(client, cas, target):
    service = _to_cas(client, f"/signin/cas?{urlencode({'next': target})}")
    assert service == f"https://{HOST}/signin/cas?next=%2Fme"
    back = _back(client, _cas_login(cas, service, MEMBER))
    assert header(back, "Location") == "/me"


def test_a_member_cas_knows_but_the_union_does_not_is_refused(client, cas):
    refused = _back(client, _cas_login(cas, _to_cas(client), "9999999"))
    assert refused.status_code == 401 and header(refused, "Set-Cookie") is None
    assert "工会名册中没有这个工号" in refused.body.decode()


def test_the_staff_number_can_come_from_an_attribute(client, cas):
    _configure({"CAS_BASE_URL": cas.base_url, "CAS_STAFF_NO_ATTRIBUTE": "employeeNumber"})
    cas.attributes["zhangsan"] = {"employeeNumber": MEMBER, "cn": "张三"}
    back = _back(client, _cas_login(cas, _to_cas(client), "zhangsan"))
    assert back.status_code == 303
    me = client.http.get("/me", headers={"Host": HOST, "Cookie": _cookie(back)})
    assert me.status_code == 200 and MEMBER in me.body.decode()


def test_a_malformed_ticket_is_refused_without_asking_cas(client, cas):
    for ticket in ("abc", "ST-" + "x" * 300, "ST-<script>"):
        refused = get_page(client, f"/signin/cas?{urlencode({'next': '/me', 'ticket': ticket})}")
        assert refused.status_code == 401
    assert cas.validations == []


@pytest.mark.parametrize("kind", ["garbage", "doctype", "huge", "http500"])
def test_a_cas_answering_nonsense_is_unavailable_not_a_sign_in(client, cas, kind):
    location = _cas_login(cas, _to_cas(client), MEMBER)
    cas.answer_next(kind)
    refused = _back(client, location)
    assert refused.status_code == 503 and header(refused, "Set-Cookie") is None
    assert "暂时无法连接学校统一身份认证" in refused.body.decode()


def test_a_slow_cas_is_given_up_on(client, cas):
    location = _cas_login(cas, _to_cas(client), MEMBER)
    cas.answer_next("stall")
    started = time.monotonic()
    refused = _back(client, location + "&lang=en")
    assert refused.status_code == 503 and "cannot be reached right now" in refused.body.decode()
    assert time.monotonic() - started < 4.9


def test_a_cas_that_is_down_is_unavailable(client, demo_union):
    with serving(FakeCas()) as gone:
        base = gone.base_url
    _configure({"CAS_BASE_URL": base})
    try:
        refused = get_page(client, "/signin/cas?next=%2Fme&ticket=ST-1-abcdefabcdefabcdef-cas")
        assert refused.status_code == 503 and "暂时无法连接学校统一身份认证" in refused.body.decode()
    finally:
        _configure(None)
