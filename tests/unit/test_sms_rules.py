"""The pure SMS rules: Alibaba Cloud's RPC signature (its documented example), template parameters within the
provider's limits, and what each answer code means for delivery."""

import pytest

from chalicelib.domain.sms import (
    FALLBACK_PATH,
    LINK_LIMIT,
    TITLE_LIMIT,
    failure_for,
    out_id,
    percent_encode,
    rpc_signature,
    string_to_sign,
)
from chalicelib.domain.sms import template_params as params

# The example of Alibaba Cloud's signature documentation (RPC, V2): DescribeRegions, AccessKey testid/testsecret.
DOC_EXAMPLE = {
    "TimeStamp": "2016-02-23T12:46:24Z",
    "Format": "XML",
    "AccessKeyId": "testid",
    "Action": "DescribeRegions",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
    "Version": "2014-05-26",
    "SignatureVersion": "1.0",
}


def test_the_documented_example_signs_to_the_documented_signature():
    assert string_to_sign("GET", DOC_EXAMPLE) == (
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1"
        "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0"
        "%26TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
    )
    assert rpc_signature("testsecret", "GET", DOC_EXAMPLE) == "CT9X0VtwR86fNWSnsc6v8YGOjuE="
    assert rpc_signature("testsecret", "POST", DOC_EXAMPLE) != "CT9X0VtwR86fNWSnsc6v8YGOjuE="


def test_percent_encoding_is_rfc_3986_on_utf_8():
    assert percent_encode("a b*c~d/e+f") == "a%20b%2Ac~d%2Fe%2Bf"
    assert percent_encode("工会") == "%E5%B7%A5%E4%BC%9A"
    assert percent_encode("-_.") == "-_."


def test_template_parameters_stay_within_the_providers_limits():
    short = params("羽毛球赛", "https://union.example.edu.cn/events/ev-123")
    assert short == {"title": "羽毛球赛", "link": "/events/ev-123"}
    long_title = params("第三十届教职工运动会" * 5, "https://u.example/events/e1?tab=2")
    assert len(long_title["title"]) == TITLE_LIMIT and long_title["title"].endswith("…")
    assert long_title["link"] == "/events/e1?tab=2"
    # Without PUBLIC_BASE_URL delivery has only the path: the same parameter.
    assert params("x", "/events/e1")["link"] == "/events/e1"
    too_long = params("x", "https://u.example/" + "e" * LINK_LIMIT)
    assert too_long["link"] == FALLBACK_PATH
    # Characters a template variable may not hold (and line breaks) become spaces; an empty title is a dash.
    assert params("a${b}【c】\r\nd", "https://u.example/me")["title"] == "a b c d"
    assert params("  \n ", "https://u.example/me")["title"] == "-"


def test_out_id_is_short_stable_and_hides_the_key():
    key = "2014001#n-20261206-abc#sms"
    assert out_id(key) == out_id(key) and len(out_id(key)) == 32 and "2014001" not in out_id(key)
    assert out_id(key) != out_id("2014001#n-20261206-abd#sms")


@pytest.mark.parametrize(
    ("code", "failure", "retryable"),
    [
        ("isv.BUSINESS_LIMIT_CONTROL", "sms_rate_limited", True),
        ("Throttling.User", "sms_rate_limited", True),
        ("isp.SYSTEM_ERROR", "sms_provider_busy", True),
        ("isv.AMOUNT_NOT_ENOUGH", "sms_out_of_credit", True),
        ("isv.MOBILE_NUMBER_ILLEGAL", "sms_invalid_number", False),
        ("isv.SMS_SIGNATURE_ILLEGAL", "sms_sign_name_refused", False),
        ("isv.SMS_TEMPLATE_ILLEGAL", "sms_template_refused", False),
        ("isv.PARAM_LENGTH_LIMIT", "sms_template_parameters_refused", False),
        ("SignatureDoesNotMatch", "sms_access_key_refused", False),
        ("InvalidAccessKeyId.NotFound", "sms_access_key_refused", False),
        ("isv.SOMETHING_NEW", "sms_refused", False),
        ("isp.SOMETHING_NEW", "sms_refused", True),
    ],
)
def test_each_answer_code_is_retried_or_final(code: str, failure: str, retryable: bool):
    assert failure_for(code) == (failure, retryable)
