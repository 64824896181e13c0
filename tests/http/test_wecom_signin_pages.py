"""Signing in inside 企业微信 (WeCom) through its silent web OAuth against a local WeCom (tests/wecom_fake.py): the
redirect to the authorize page with a state bound to this browser, the code WeCom sends back (used once), the session
for userid = 工号, the silent redirect of pages inside WeCom, and every refusal on the sign-in page in zh and en."""

from __future__ import annotations

import http.client
import os
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from chalicelib.services import wecom as wecom_service
from chalicelib.settings import get_settings
from tests.http.browsing import HOST, get_page, header
from tests.wecom_fake import AUTHORIZE_PATH, TOKEN_PATH, USERINFO_PATH, FakeWecom, serving, settings_env

MEMBER = "2014001"  # a demo member with an account (tests/http/conftest.py)
SETTINGS = ("WECOM_CORP_ID", "WECOM_AGENT_ID", "WECOM_SECRET", "WECOM_API_BASE", "WECOM_OAUTH_BASE")
WECOM_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 "
    "wxwork/4.1.26 MicroMessenger/7.0.1 Language/zh ColorScheme/Light"
)


def _configure(values: dict[str, str] | None) -> None:
    for name in SETTINGS:
        os.environ.pop(name, None)
    os.environ.update(values or {})
    get_settings.cache_clear()
    wecom_service._client.cache_clear()


@pytest.fixture
def wecom(demo_union):
    with serving(FakeWecom(users={MEMBER, "9999999"})) as fake:
        _configure(settings_env(fake))
        fake.signed_in = MEMBER
        try:
            yield fake
        finally:
            _configure(None)


def _cookies(response) -> list[str]:
    found = header(response, "Set-Cookie") or []
    return [found] if isinstance(found, str) else list(found)


def _cookie(response, name: str) -> str | None:
    line = next((c for c in _cookies(response) if c.startswith(f"{name}=")), None)
    return None if line is None else line.split(";")[0]


def _to_wecom(client, path: str = "/signin/wecom?next=/me/registrations") -> tuple[str, str]:
    """(WeCom's authorize address our site sends the browser to, the state cookie it set)."""
    response = get_page(client, path)
    assert response.status_code == 303
    state_cookie = _cookie(response, "wecom_state")
    assert state_cookie is not None
    line = next(c for c in _cookies(response) if c.startswith("wecom_state="))
    assert "HttpOnly" in line and "Path=/signin/wecom" in line and "SameSite=Lax" in line
    return header(response, "Location"), state_cookie


def _authorize(location: str) -> str:
    """The person's WeCom app following the authorize address: where WeCom sends the browser back."""
    parts = urlsplit(location)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    connection.request("GET", f"{parts.path}?{parts.query}")
    answer = connection.getresponse()
    assert answer.status == 302, answer.status
    return answer.getheader("Location")


def _back(client, location: str, state_cookie: str | None, **headers):
    parts = urlsplit(location)
    assert parts.netloc == HOST and parts.scheme == "https"
    cookies = {"Cookie": state_cookie} if state_cookie else {}
    return get_page(client, f"{parts.path}?{parts.query}", **cookies, **headers)


def test_off_until_configured_no_button_no_route_no_silent_redirect(client, demo_union):
    _configure(None)
    assert get_page(client, "/signin/wecom").status_code == 404
    assert "/signin/wecom" not in get_page(client, "/signin").body.decode()
    inside = get_page(client, "/me/registrations", **{"User-Agent": WECOM_UA})
    assert inside.status_code == 303 and header(inside, "Location").startswith("/signin?next=")


def test_the_sign_in_page_offers_wecom_keeping_where_to_go(client, wecom):
    html = get_page(client, "/signin?next=/me/registrations").body.decode()
    assert 'href="/signin/wecom?next=/me/registrations"' in html and "企业微信登录" in html
    assert "Sign in with WeCom" in get_page(client, "/signin?lang=en").body.decode()


def test_the_whole_dance_signs_the_member_in_and_goes_where_they_were_going(client, wecom):
    location, state_cookie = _to_wecom(client)
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}" == wecom.base_url and parts.path == AUTHORIZE_PATH
    assert location.endswith("#wechat_redirect")
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}
    assert query["appid"] == wecom.corp_id and query["agentid"] == str(wecom.agent_id)
    assert query["scope"] == "snsapi_base" and query["response_type"] == "code"
    assert query["redirect_uri"] == f"https://{HOST}/signin/wecom"
    assert state_cookie.startswith(f"wecom_state={query['state']}.")
    back = _back(client, _authorize(location), state_cookie)
    assert back.status_code == 303 and header(back, "Location") == "/me/registrations"
    session = _cookie(back, "session")
    assert session is not None and _cookie(back, "wecom_state") == "wecom_state="  # the state is used up
    me = client.http.get("/me", headers={"Host": HOST, "Cookie": session})
    assert me.status_code == 200 and MEMBER in me.body.decode()
    assert wecom.requests[TOKEN_PATH] == 1 and wecom.requests[USERINFO_PATH] == 1


def test_a_page_opened_inside_wecom_signs_in_silently(client, wecom):
    inside = get_page(client, "/me/registrations", **{"User-Agent": WECOM_UA})
    assert inside.status_code == 303 and header(inside, "Location") == "/signin/wecom?next=/me/registrations"
    location, state_cookie = _to_wecom(client, header(inside, "Location"))
    back = _back(client, _authorize(location), state_cookie, **{"User-Agent": WECOM_UA})
    assert header(back, "Location") == "/me/registrations"
    mine = client.http.get("/me/registrations", headers={"Host": HOST, "Cookie": _cookie(back, "session")})
    assert mine.status_code == 200
    elsewhere = get_page(client, "/me/registrations")  # any other browser still gets the password form
    assert header(elsewhere, "Location") == "/signin?next=/me/registrations"


def test_a_code_is_used_once_and_only_by_the_browser_that_started(client, wecom):
    location, state_cookie = _to_wecom(client)
    back_to_us = _authorize(location)
    stolen = _back(client, back_to_us, None)  # another browser (no state cookie) with the code
    assert stolen.status_code == 401 and _cookie(stolen, "session") is None
    assert "企业微信登录已失效" in stolen.body.decode() and wecom.requests[USERINFO_PATH] == 0
    _, other_cookie = _to_wecom(client)  # a state cookie of another sign-in
    assert _back(client, back_to_us, other_cookie).status_code == 401
    assert _back(client, back_to_us, state_cookie).status_code == 303
    again = _back(client, back_to_us, state_cookie, **{"Accept-Language": "en"})
    assert again.status_code == 401 and "WeCom sign-in has expired" in again.body.decode()
    assert _cookie(again, "session") is None


def test_a_tampered_state_cookie_is_refused(client, wecom):
    location, state_cookie = _to_wecom(client, "/signin/wecom?next=/me")
    nonce, expires, _target, mac = state_cookie.removeprefix("wecom_state=").split(".")
    forged = f"wecom_state={nonce}.{expires}.L2FkbWlu.{mac}"  # "/admin" instead of "/me"
    refused = _back(client, _authorize(location), forged)
    assert refused.status_code == 401 and _cookie(refused, "session") is None


@pytest.mark.parametrize("target", ["//evil.example.com/x", "https://evil.example.com/", "/\\evil.example.com"])
def test_never_sends_people_to_another_site(client, wecom, target):
    location, state_cookie = _to_wecom(client, f"/signin/wecom?{urlencode({'next': target})}")
    back = _back(client, _authorize(location), state_cookie)
    assert header(back, "Location") == "/me"


def test_someone_outside_the_organisation_is_refused(client, wecom):
    wecom.signed_in = "openid:oAbCdEf0123456789"  # WeCom answers an openid, not a userid
    location, state_cookie = _to_wecom(client)
    refused = _back(client, _authorize(location), state_cookie)
    assert refused.status_code == 401 and _cookie(refused, "session") is None
    assert "不是本单位通讯录中的成员" in refused.body.decode() and 'name="password"' in refused.body.decode()
    # the password form still goes where the member was going
    assert 'name="next" value="/me/registrations"' in refused.body.decode()


def test_a_wecom_user_the_union_does_not_know_is_refused(client, wecom):
    wecom.signed_in = "9999999"
    location, state_cookie = _to_wecom(client)
    refused = _back(client, _authorize(location), state_cookie)
    assert refused.status_code == 401 and _cookie(refused, "session") is None
    assert "工会名册中没有这个工号" in refused.body.decode()


@pytest.mark.parametrize("fault", ["garbage", "busy", "slow"])
def test_wecom_not_answering_is_unavailable_not_a_sign_in(client, wecom, fault):
    location, state_cookie = _to_wecom(client)
    back_to_us = _authorize(location)
    if fault == "garbage":
        wecom.garbage(USERINFO_PATH)
    elif fault == "busy":
        wecom.refuse(USERINFO_PATH, -1)
    else:
        wecom.slow(USERINFO_PATH, 5.0)
    refused = _back(client, back_to_us, state_cookie)
    assert refused.status_code == 503 and _cookie(refused, "session") is None
    assert "暂时无法连接企业微信" in refused.body.decode()


def test_a_token_wecom_revoked_is_fetched_again_during_sign_in(client, wecom):
    location, state_cookie = _to_wecom(client)
    assert _back(client, _authorize(location), state_cookie).status_code == 303
    wecom.revoke_tokens()
    location, state_cookie = _to_wecom(client)
    assert _back(client, _authorize(location), state_cookie).status_code == 303
    assert wecom.requests[TOKEN_PATH] == 2


def test_a_malformed_code_is_refused_without_asking_wecom(client, wecom):
    _, state_cookie = _to_wecom(client)
    state = state_cookie.removeprefix("wecom_state=").split(".")[0]
    for code in ("", "a" * 300, "<script>"):
        refused = get_page(client, f"/signin/wecom?{urlencode({'code': code, 'state': state})}", Cookie=state_cookie)
        assert refused.status_code == 401
    assert wecom.requests[USERINFO_PATH] == 0
