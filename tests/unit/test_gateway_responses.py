"""Deployed, API Gateway's own answers (an unknown path, throttling, a failed Lambda) come in the app's envelope."""

from __future__ import annotations

import json

import pytest

from chalicelib.http.headers import security_headers
from chalicelib.i18n import message_text
from devtools import infra

SAMPLE = {
    "$context.requestId": "c0ffee-1",
    "$context.error.responseType": "THROTTLED",
    "$context.error.messageString": '"Too Many Requests"',
}


def _rendered(template: str) -> str:
    """What API Gateway's Velocity engine makes of the template for one request."""
    for variable, value in sorted(SAMPLE.items(), key=lambda item: -len(item[0])):
        template = template.replace(variable, value)
    assert "$" not in template
    return template


@pytest.fixture(scope="module")
def responses():
    return infra.resources("prod")["Resources"]["RestAPI"]["Properties"]["GatewayResponses"]


def test_an_unknown_path_is_the_app_s_404_not_missing_authentication_token(responses):
    missing = responses["MISSING_AUTHENTICATION_TOKEN"]
    assert missing["StatusCode"] == "404"
    body = json.loads(_rendered(missing["ResponseTemplates"]["application/json"]))
    assert body["error"]["code"] == "not_found" and body["error"]["request_id"] == "c0ffee-1"
    zh, en = message_text("not_found", "zh"), message_text("not_found", "en")
    assert zh and en and zh in body["error"]["message"] and en in body["error"]["message"]
    page = _rendered(missing["ResponseTemplates"]["text/html"])
    assert zh in page and "Missing Authentication Token" not in page


def test_other_gateway_failures_keep_their_status_in_the_envelope(responses):
    for response_type, code in (("DEFAULT_4XX", "bad_request"), ("DEFAULT_5XX", "internal_error")):
        entry = responses[response_type]
        assert "StatusCode" not in entry  # 413, 429, 502, 504 … stay what API Gateway says
        body = json.loads(_rendered(entry["ResponseTemplates"]["application/json"]))
        assert body["error"]["code"] == code and body["error"]["details"]["type"] == "THROTTLED"
        assert entry["ResponseParameters"]["Headers"]["Cache-Control"] == "'no-store'"
    throttled = json.loads(_rendered(responses["DEFAULT_4XX"]["ResponseTemplates"]["application/json"]))
    assert throttled["error"]["details"]["reason"] == "Too Many Requests"


def test_every_stage_template_carries_them(responses):
    for stage in ("dev", "prod"):
        found = infra.resources(stage)["Resources"]["RestAPI"]["Properties"]["GatewayResponses"]
        assert found.keys() == responses.keys()
        for response_type, entry in found.items():
            assert entry["ResponseTemplates"] == responses[response_type]["ResponseTemplates"]


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_gateway_s_answers_carry_the_app_s_security_headers(stage):
    """The same headers as every answer of the app in that stage (HSTS in prod), as static mapping values."""
    found = infra.resources(stage)["Resources"]["RestAPI"]["Properties"]["GatewayResponses"]
    expected = {**security_headers(stage), "Cache-Control": "no-store"}
    for response_type, entry in found.items():
        headers = entry["ResponseParameters"]["Headers"]
        # A static value is what lies between the outer pair of single quotes (the CSP's own quotes stay inside).
        assert all(value[0] == value[-1] == "'" for value in headers.values()), response_type
        assert {name: value[1:-1] for name, value in headers.items()} == expected, response_type
    assert ("Strict-Transport-Security" in expected) is (stage == "prod")
    assert "frame-ancestors 'none'" in expected["Content-Security-Policy"]
