"""The 企业微信 channel (chalicelib.services.channels.wecom over services/wecom.py) against a local server speaking
WeCom's gettoken and message/send protocol (tests/wecom_fake.py): the card that arrives, the token it holds and
renews, and what each of WeCom's answers makes of a delivery."""

from __future__ import annotations

import html
import logging

import pytest

from chalicelib.domain.notify import Channel, Outgoing, SendFailed
from chalicelib.services import channels
from chalicelib.services.channels import wecom as wecom_channel
from chalicelib.services.channels.wecom import WecomSender
from chalicelib.services.wecom import WecomClient
from chalicelib.settings import Settings
from tests.wecom_fake import AGENT_ID, CORP_ID, SECRET, SEND_PATH, TOKEN_PATH, FakeWecom, serving

MEMBER = "2014001"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def wecom():
    with serving(FakeWecom(users={MEMBER, "2009001"})) as fake:
        yield fake


def _sender(fake: FakeWecom, clock: Clock | None = None, timeout: float = 1.0, secret: str = SECRET) -> WecomSender:
    client = WecomClient(fake.base_url, CORP_ID, AGENT_ID, secret, clock=clock or Clock(), timeout=timeout)
    return WecomSender(client, "查看详情")


def _message(n: int = 1, staff_no: str = MEMBER, text: str = "您已从候补转为正式报名：羽毛球团体赛。") -> Outgoing:
    return Outgoing(
        key=f"{staff_no}#n{n:04d}#wecom",
        channel=Channel.WECOM,
        staff_no=staff_no,
        address=staff_no,
        title="羽毛球团体赛",
        text=text,
        url="https://union.example.edu.cn/me/registrations",
    )


def test_a_notification_arrives_as_a_text_card_to_the_members_userid(wecom):
    settings = Settings(
        wecom_corp_id=CORP_ID, wecom_agent_id=AGENT_ID, wecom_secret=SECRET, wecom_api_base=wecom.base_url
    )
    sender = channels.configured(settings)[Channel.WECOM]
    sender.send(_message())
    [card] = wecom.delivered_to(MEMBER)
    assert card["msgtype"] == "textcard" and card["agentid"] == AGENT_ID and card["touser"] == MEMBER
    assert card["textcard"]["title"] == "羽毛球团体赛" and card["textcard"]["btntxt"] == "查看详情"
    assert card["textcard"]["description"] == "您已从候补转为正式报名：羽毛球团体赛。"
    assert card["textcard"]["url"].startswith("https://union.example.edu.cn/me/registrations#m=")
    assert card["enable_duplicate_check"] == 1 and card["duplicate_check_interval"] == 1800


def test_wecom_is_not_a_channel_until_configured():
    assert wecom_channel.sender(Settings()) is None
    assert Channel.WECOM not in channels.configured(Settings())
    assert channels.CHANNEL_MODULES[Channel.WECOM] == "chalicelib.services.channels.wecom"


def test_html_and_a_long_text_are_escaped_and_cut_to_wecoms_limits(wecom):
    text = "<b>请带好</b> & 证件。" + "长" * 400
    _sender(wecom).send(_message(text=text))
    [card] = wecom.messages
    description = card["textcard"]["description"]
    assert description.startswith("&lt;b&gt;请带好&lt;/b&gt; &amp; 证件。") and "<b>" not in description
    assert len(description.encode()) <= 512 and description.endswith("…")
    assert html.unescape(description[:-1]) in text


def test_one_token_serves_many_messages_and_is_renewed_before_it_expires(wecom):
    clock = Clock()
    sender = _sender(wecom, clock)
    for n in range(5):
        sender.send(_message(n))
    assert wecom.requests == {TOKEN_PATH: 1, SEND_PATH: 5} and len(wecom.messages) == 5
    clock.now += 7200 - 299  # within five minutes of the end: a new token first
    sender.send(_message(6))
    assert wecom.requests == {TOKEN_PATH: 2, SEND_PATH: 6}


@pytest.mark.parametrize("make_it_stale", [FakeWecom.revoke_tokens, FakeWecom.expire_tokens])
def test_a_token_wecom_no_longer_takes_is_fetched_again_once(wecom, make_it_stale):
    sender = _sender(wecom)
    sender.send(_message(1))
    make_it_stale(wecom)  # 40014 or 42001 on the next send
    sender.send(_message(2))
    assert wecom.requests == {TOKEN_PATH: 2, SEND_PATH: 3} and len(wecom.messages) == 2
    wecom.refuse(SEND_PATH, 40014, times=2)  # refused again after the new token: not a loop
    with pytest.raises(SendFailed) as failed:
        sender.send(_message(3))
    assert failed.value.code == "wecom_error_40014" and wecom.requests[TOKEN_PATH] == 3


def test_a_member_without_a_wecom_account_fails_for_good(wecom):
    with pytest.raises(SendFailed) as failed:
        _sender(wecom).send(_message(staff_no="2099999"))
    assert (failed.value.code, failed.value.retryable) == ("wecom_no_account", False)
    assert wecom.messages == []


def test_invaliduser_in_an_ok_answer_is_no_account(wecom):
    sender = _sender(wecom)
    client = sender._client
    body_users = client.send(
        {
            "touser": f"{MEMBER}|2099999",
            "msgtype": "textcard",
            "agentid": AGENT_ID,
            "textcard": {"title": "t", "description": "d", "url": "https://x.example/", "btntxt": "看"},
        }
    )
    assert body_users == ["2099999"] and [m["touser"] for m in wecom.messages] == [MEMBER]


@pytest.mark.parametrize(
    ("errcode", "code", "retryable"),
    [
        (45009, "wecom_rate_limited", True),
        (45033, "wecom_rate_limited", True),
        (-1, "wecom_busy", True),
        (60020, "wecom_ip_not_trusted", False),
        (40056, "wecom_agent_invalid", False),
        (301002, "wecom_agent_forbidden", False),
        (12345, "wecom_error_12345", True),
    ],
)
def test_each_wecom_refusal_is_named_and_retried_only_when_it_can_pass(wecom, errcode, code, retryable):
    sender = _sender(wecom)
    wecom.refuse(SEND_PATH, errcode)
    with pytest.raises(SendFailed) as failed:
        sender.send(_message())
    assert (failed.value.code, failed.value.retryable) == (code, retryable)
    assert wecom.messages == []
    sender.send(_message())  # the next try goes through: nothing stuck in the client
    assert len(wecom.messages) == 1


def test_a_slow_or_garbled_wecom_is_retryable_and_costs_only_the_timeout(wecom):
    sender = _sender(wecom, timeout=0.3)
    sender.send(_message(1))
    wecom.slow(SEND_PATH, 1.0)
    with pytest.raises(SendFailed) as slow:
        sender.send(_message(2))
    assert (slow.value.code, slow.value.retryable) == ("wecom_unreachable", True)
    wecom.garbage(SEND_PATH)
    with pytest.raises(SendFailed) as garbled:
        sender.send(_message(3))
    assert (garbled.value.code, garbled.value.retryable) == ("wecom_unreachable", True)
    wecom.garbage(TOKEN_PATH)
    with pytest.raises(SendFailed):
        _sender(wecom).send(_message(4))  # a new container whose token fetch gets garbage


def test_a_wrong_secret_is_a_named_configuration_error_that_never_leaks_the_secret(wecom, caplog):
    caplog.set_level(logging.DEBUG)
    wrong = "W" * 43
    with pytest.raises(SendFailed) as failed:
        _sender(wecom, secret=wrong).send(_message())
    assert (failed.value.code, failed.value.retryable) == ("wecom_secret_invalid", False)
    assert wrong not in caplog.text and wrong not in str(failed.value) + failed.value.detail
    assert "wecom-token" not in caplog.text


def test_the_same_delivery_sent_twice_is_dropped_by_wecoms_duplicate_check(wecom):
    sender = _sender(wecom)
    sender.send(_message(1))
    sender.send(_message(1))  # a worker that crashed after sending and before marking it sent
    sender.send(_message(2))  # the same words about another notification still arrive
    assert len(wecom.messages) == 2 and len(wecom.dropped) == 1


def test_a_closed_port_is_retryable():
    with serving(FakeWecom()) as fake:
        base = fake.base_url
    client = WecomClient(base, CORP_ID, AGENT_ID, SECRET, timeout=0.5)
    with pytest.raises(SendFailed) as failed:
        WecomSender(client, "查看详情").send(_message())
    assert (failed.value.code, failed.value.retryable) == ("wecom_unreachable", True)


def test_without_an_absolute_link_the_notification_goes_as_text_not_a_broken_card(wecom):
    sender = _sender(wecom)
    relative = Outgoing(
        key=f"{MEMBER}#n0001#wecom",
        channel=Channel.WECOM,
        staff_no=MEMBER,
        address=MEMBER,
        title="羽毛球团体赛",
        text="您已从候补转为正式报名。",
        url="/me/registrations",
    )
    sender.send(relative)
    sender.send(relative)  # the same delivery again: dropped by WeCom's duplicate check
    [message] = wecom.delivered_to(MEMBER)
    assert message["msgtype"] == "text" and "textcard" not in message
    assert message["text"]["content"].startswith("羽毛球团体赛\n您已从候补转为正式报名。\n#")
    assert len(wecom.dropped) == 1
