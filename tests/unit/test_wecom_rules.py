"""企业微信's rules without the network (chalicelib.domain.wecom): the card within WeCom's limits, what each answer
means for a delivery, the OAuth address and the state cookie that binds a sign-in to its browser."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from chalicelib.domain.wecom import (
    authorize_url,
    failure_code,
    inside_wecom,
    plain_text,
    state_cookie,
    state_target,
    textcard,
)

KEY = b"k" * 32


def _card(**changes):
    fields = {
        "touser": "2014001",
        "agent_id": 1000002,
        "title": "羽毛球团体赛",
        "text": "您已转为正式报名。",
        "url": "https://union.example.edu.cn/events/ev-1",
        "button": "查看详情",
        "delivery_key": "2014001#n1#wecom",
    }
    return textcard(**{**fields, **changes})


def test_a_card_fits_wecoms_byte_limits_whatever_the_text():
    card = _card(title="标题" * 100, text="&<>" * 400 + "长", button="查看详情请点")["textcard"]
    assert len(card["title"].encode()) <= 128 and card["title"].endswith("…")
    assert len(card["description"].encode()) <= 512 and card["description"].endswith("…")
    assert "&amp;&lt;&gt;" in card["description"] and not card["description"].removesuffix("…").endswith("&")
    assert card["btntxt"] == "查看详情"


def test_the_same_delivery_makes_the_same_card_and_another_delivery_another():
    assert _card() == _card()
    assert _card()["textcard"]["url"] != _card(delivery_key="2014001#n2#wecom")["textcard"]["url"]
    assert _card(url="https://x.example/p#top")["textcard"]["url"] == "https://x.example/p#top"


def test_a_text_message_is_bounded_and_carries_the_keys_digest():
    body = plain_text(touser="2014001", agent_id=1, title="t", text="长" * 2000, delivery_key="k1")
    content = body["text"]["content"]
    assert body["msgtype"] == "text" and len(content.encode()) <= 2048
    assert content != plain_text(touser="2014001", agent_id=1, title="t", text="长" * 2000, delivery_key="k2")


@pytest.mark.parametrize(
    ("errcode", "expected"),
    [
        (None, ("wecom_unreachable", True)),
        (81013, ("wecom_no_account", False)),
        (60111, ("wecom_no_account", False)),
        (45009, ("wecom_rate_limited", True)),
        (-1, ("wecom_busy", True)),
        (60020, ("wecom_ip_not_trusted", False)),
        (40001, ("wecom_secret_invalid", False)),
        (99999, ("wecom_error_99999", True)),
    ],
)
def test_each_answer_is_a_named_outcome(errcode, expected):
    assert failure_code(errcode) == expected


def test_who_is_inside_wecom():
    assert inside_wecom("Mozilla/5.0 (iPhone) Mobile/15E148 wxwork/4.1.26 MicroMessenger/7.0.1")
    assert not inside_wecom("Mozilla/5.0 (Linux) MicroMessenger/8.0.47 WeChat/arm64")
    assert not inside_wecom(None)


def test_the_authorize_address_is_wecoms_silent_oauth():
    url = authorize_url(
        "https://open.weixin.qq.com/", "ww0011223344556677", 1000002, "https://u.edu.cn/signin/wecom", "s1"
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "open.weixin.qq.com", "/connect/oauth2/authorize")
    assert parts.fragment == "wechat_redirect"
    assert parse_qs(parts.query) == {
        "appid": ["ww0011223344556677"],
        "redirect_uri": ["https://u.edu.cn/signin/wecom"],
        "response_type": ["code"],
        "scope": ["snsapi_base"],
        "state": ["s1"],
        "agentid": ["1000002"],
    }


def test_the_state_cookie_gives_the_page_back_only_to_its_own_state_in_time():
    nonce = "AbCdEfGhIjKlMnOpQrStUv"
    cookie = state_cookie(KEY, nonce, "/me/registrations?x=1", 2000)
    assert state_target(KEY, cookie, nonce, 1999) == "/me/registrations?x=1"
    assert state_target(KEY, cookie, nonce, 2001) is None  # too late
    assert state_target(KEY, cookie, "AbCdEfGhIjKlMnOpQrStUw", 1999) is None  # another sign-in's state
    assert state_target(b"x" * 32, cookie, nonce, 1999) is None  # signed with another key
    other = state_cookie(KEY, nonce, "/admin", 2000)
    forged = ".".join(cookie.split(".")[:3] + other.split(".")[3:])
    assert state_target(KEY, forged, nonce, 1999) is None
    for broken in (None, "", "a.b.c", "a.b.c.d", cookie + ".x", cookie.replace(".2000.", ".9999.")):
        assert state_target(KEY, broken, nonce, 1999) is None
