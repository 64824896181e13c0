"""The SMS channel (chalicelib.services.channels.sms) against a local server speaking Alibaba Cloud SMS's protocol
(tests/sms_fake.py), which checks each request's signature and parameters as the provider does."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest

from chalicelib.domain.notify import Channel, Outgoing, SendFailed
from chalicelib.domain.sms import out_id
from chalicelib.services.channels import sms as sms_channel
from chalicelib.settings import Settings
from tests.sms_fake import KEY_ID, KEY_SECRET, SIGN_NAME, TEMPLATE_CODE, FakeAliyunSms, serving, settings_for


@pytest.fixture
def provider():
    with serving(FakeAliyunSms()) as fake:
        yield fake


def _sender(fake: FakeAliyunSms, **changes: str) -> sms_channel.SmsSender:
    sender = sms_channel.sender(Settings.from_env({**settings_for(fake), **changes}))
    assert sender is not None
    return sender


def _message(address: str = "+86 139-1234-5678", key: str = "2014001#n-1#sms", title: str = "羽毛球赛") -> Outgoing:
    return Outgoing(
        key=key,
        channel=Channel.SMS,
        staff_no="2014001",
        address=address,
        title=title,
        text="你已从候补转为正式报名。",
        url="https://union.example.edu.cn/events/ev-42",
    )


def test_off_until_configured(provider):
    assert sms_channel.sender(Settings()) is None
    assert sms_channel.sender(Settings.from_env(settings_for(provider))) is not None


def test_a_message_goes_out_signed_with_the_template_and_its_parameters(provider):
    _sender(provider).send(_message())
    [sent] = provider.sent
    assert sent.phone == "13912345678"  # +86 and separators dropped, as the provider wants 11 digits
    assert (sent.sign_name, sent.template_code) == (SIGN_NAME, TEMPLATE_CODE)
    assert sent.params == {"title": "羽毛球赛", "link": "/events/ev-42"}
    assert sent.out_id == out_id("2014001#n-1#sms")
    assert provider.methods == ["POST"]


def test_every_request_is_signed_afresh(provider):
    sender = _sender(provider)
    for n in range(3):
        sender.send(_message(key=f"2014001#n-{n}#sms", title="运动会" * 10))
    assert len(provider.sent) == 3 and {len(s.params["title"]) for s in provider.sent} == {20}


def test_a_replayed_request_is_refused_by_its_nonce(provider):
    aliyun = _sender(provider).provider
    assert isinstance(aliyun, sms_channel.AliyunSms)
    request = aliyun.signed("13912345678", {"title": "t", "link": "/me"}, "x", datetime.now(UTC), "nonce-1")
    assert provider.handle("POST", request)[0] == 200
    status, body = provider.handle("POST", request)
    assert status == 400 and json.loads(body)["Code"] == "SignatureNonceUsed"
    assert len(provider.sent) == 1


def test_a_wrong_secret_is_refused_as_the_access_key_and_not_retried(provider):
    with pytest.raises(SendFailed) as refused:
        _sender(provider, SMS_ACCESS_KEY_SECRET="SomeOtherSecret0123").send(_message())
    assert (refused.value.code, refused.value.retryable) == ("sms_access_key_refused", False)
    assert "SomeOtherSecret" not in str(refused.value) + refused.value.detail
    assert provider.sent == []


@pytest.mark.parametrize(
    ("changes", "failure"),
    [
        ({"SMS_SIGN_NAME": "别的签名"}, "sms_sign_name_refused"),
        ({"SMS_TEMPLATE_CODE": "SMS_000000001"}, "sms_template_refused"),
        ({"SMS_ACCESS_KEY_ID": "LTAIunknownKey99"}, "sms_access_key_refused"),
    ],
)
def test_a_set_up_the_provider_refuses_is_final_and_named(provider, changes, failure):
    with pytest.raises(SendFailed) as refused:
        _sender(provider, **changes).send(_message())
    assert (refused.value.code, refused.value.retryable) == (failure, False)
    assert provider.sent == []


def test_an_invalid_number_is_refused_before_anything_is_sent(provider):
    for address in ("12912345678", "1391234567", "010-62751234", "not a phone"):
        with pytest.raises(SendFailed) as refused:
            _sender(provider).send(_message(address=address))
        assert (refused.value.code, refused.value.retryable) == ("sms_invalid_number", False)
    assert provider.requests == 0


@pytest.mark.parametrize(
    ("code", "failure", "retryable"),
    [
        ("isv.BUSINESS_LIMIT_CONTROL", "sms_rate_limited", True),
        ("Throttling.User", "sms_rate_limited", True),
        ("isp.SYSTEM_ERROR", "sms_provider_busy", True),
        ("isv.MOBILE_NUMBER_ILLEGAL", "sms_invalid_number", False),
        ("isv.AMOUNT_NOT_ENOUGH", "sms_out_of_credit", True),
    ],
)
def test_each_refusal_of_the_provider(provider, code, failure, retryable):
    provider.refuse(code)
    sender = _sender(provider)
    with pytest.raises(SendFailed) as refused:
        sender.send(_message())
    assert (refused.value.code, refused.value.retryable) == (failure, retryable)
    assert refused.value.detail == code and provider.sent == []
    sender.send(_message())  # the next answer is the provider's usual one
    assert len(provider.sent) == 1


def test_garbage_a_gateway_error_and_a_timeout_are_retried(provider):
    sender = _sender(provider)
    provider.garble()
    with pytest.raises(SendFailed) as garbled:
        sender.send(_message())
    assert (garbled.value.code, garbled.value.retryable) == ("sms_provider_garbled", True)
    provider.fail_http(502)
    with pytest.raises(SendFailed) as gateway:
        sender.send(_message())
    assert (gateway.value.code, gateway.value.retryable) == ("sms_provider_busy", True)
    sender = sms_channel.SmsSender(
        sms_channel.AliyunSms(provider.base_url, KEY_ID, KEY_SECRET, SIGN_NAME, TEMPLATE_CODE, timeout=0.3)
    )
    provider.stall(1.0)
    started = time.monotonic()
    with pytest.raises(SendFailed) as slow:
        sender.send(_message())
    assert (slow.value.code, slow.value.retryable) == ("sms_provider_timeout", True)
    assert time.monotonic() - started < 0.9
    assert provider.sent == []


def test_a_provider_that_is_not_there_is_retried():
    with serving(FakeAliyunSms()) as gone:
        settings = Settings.from_env(settings_for(gone))
    sender = sms_channel.sender(settings)
    assert sender is not None
    with pytest.raises(SendFailed) as unreachable:
        sender.send(_message())
    assert (unreachable.value.code, unreachable.value.retryable) == ("sms_provider_unreachable", True)
