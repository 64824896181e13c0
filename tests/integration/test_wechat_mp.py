"""The WeChat client (chalicelib.services.wechat_mp) against a local server speaking WeChat's token and getticket
protocol (tests/wechat_fake.py): what it caches, when it fetches again, and what a refusal becomes."""

from __future__ import annotations

import pytest

from chalicelib.domain.wechat import jsapi_signature
from chalicelib.errors import NotFound
from chalicelib.services import wechat_mp
from chalicelib.services.wechat_mp import WechatClient, WechatUnavailable
from chalicelib.settings import Settings
from tests.wechat_fake import APP_ID, APP_SECRET, TICKET_PATH, TOKEN_PATH, FakeWechat, serving


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def wechat():
    with serving(FakeWechat()) as fake:
        yield fake


def _client(fake: FakeWechat, clock: Clock | None = None, secret: str = APP_SECRET) -> WechatClient:
    return WechatClient(fake.base_url, APP_ID, secret, clock or Clock())


def test_one_token_and_one_ticket_serve_many_signatures(wechat):
    settings = Settings(wechat_mp_app_id=APP_ID, wechat_mp_app_secret=APP_SECRET, wechat_api_base=wechat.base_url)
    configs = [
        wechat_mp.js_config(settings, f"https://union.example.edu.cn/events/e1/checkin?n={n}", 1700000000 + n)
        for n in range(20)
    ]
    assert wechat.requests == {TOKEN_PATH: 1, TICKET_PATH: 1}
    assert len({c.nonce_str for c in configs}) == 20  # a fresh nonce each time
    for n, config in enumerate(configs):
        assert config.app_id == APP_ID and config.timestamp == 1700000000 + n
        url = f"https://union.example.edu.cn/events/e1/checkin?n={n}"
        assert config.signature == jsapi_signature(wechat.ticket, config.nonce_str, config.timestamp, url)


def test_token_and_ticket_are_renewed_shortly_before_they_expire(wechat):
    clock = Clock()
    client = _client(wechat, clock)
    first = client.jsapi_ticket()
    clock.now += 7200 - 301  # still more than the margin left
    assert client.jsapi_ticket() == first and wechat.requests == {TOKEN_PATH: 1, TICKET_PATH: 1}
    clock.now += 2  # within five minutes of the end: both are fetched again
    second = client.jsapi_ticket()
    assert second != first and wechat.requests == {TOKEN_PATH: 2, TICKET_PATH: 2}


def test_a_token_wechat_no_longer_takes_is_fetched_again_once(wechat):
    clock = Clock()
    client = _client(wechat, clock)
    wechat.ticket_expires_in = 1000
    client.jsapi_ticket()
    wechat.revoke_tokens()  # another holder of the secret fetched a new token
    clock.now += 800  # the ticket is due, the token (by our clock) not yet
    assert client.jsapi_ticket() == wechat.ticket
    # getticket with the old token (40001), a new token, getticket again.
    assert wechat.requests == {TOKEN_PATH: 2, TICKET_PATH: 3}


@pytest.mark.parametrize("errcode", [40001, 42001, 40014])
def test_each_token_refusal_is_retried_once_and_only_once(wechat, errcode):
    client = _client(wechat)
    wechat.refuse(TICKET_PATH, errcode)
    assert client.jsapi_ticket() == wechat.ticket
    assert wechat.requests == {TOKEN_PATH: 2, TICKET_PATH: 2}
    clock = Clock()
    again = _client(wechat, clock)
    wechat.refuse(TICKET_PATH, errcode)
    wechat.refuse(TICKET_PATH, errcode)
    with pytest.raises(WechatUnavailable) as refused:  # refused twice: no loop
        again.jsapi_ticket()
    assert refused.value.errcode == errcode and refused.value.status == 503
    assert wechat.requests == {TOKEN_PATH: 4, TICKET_PATH: 4}


@pytest.mark.parametrize("errcode", [45009, -1])
def test_quota_and_busy_are_a_clear_503_and_are_not_cached(wechat, errcode):
    client = _client(wechat)
    wechat.refuse(TICKET_PATH, errcode)
    with pytest.raises(WechatUnavailable) as refused:
        client.jsapi_ticket()
    assert refused.value.code == "wechat.refused" and refused.value.details == {"errcode": errcode}
    assert wechat.requests == {TOKEN_PATH: 1, TICKET_PATH: 1}  # no retry for these
    assert client.jsapi_ticket() == wechat.ticket  # the next call tries again, with the token it holds
    assert wechat.requests == {TOKEN_PATH: 1, TICKET_PATH: 2}


def test_a_wrong_secret_is_refused_and_never_shown(wechat, caplog):
    client = _client(wechat, secret="f" * 32)
    with pytest.raises(WechatUnavailable) as refused:
        client.jsapi_ticket()
    assert refused.value.errcode == 40125 and wechat.requests == {TOKEN_PATH: 1}
    assert "f" * 32 not in repr(refused.value) and "f" * 32 not in str(refused.value.details)
    assert "f" * 32 not in caplog.text


def test_no_answer_is_unreachable_and_off_is_not_found(wechat):
    with serving(FakeWechat()) as gone:
        base = gone.base_url
    client = WechatClient(base, APP_ID, APP_SECRET)  # nothing listens there any more
    with pytest.raises(WechatUnavailable) as refused:
        client.jsapi_ticket()
    assert refused.value.code == "wechat.unreachable" and refused.value.errcode is None
    with pytest.raises(NotFound):
        wechat_mp.js_config(Settings(), "https://union.example.edu.cn/", 1700000000)
