"""SMS through a provider's template messages, as pure rules: what a template's parameters are, how a request to
Alibaba Cloud SMS (dysmsapi ``SendSms``, RPC style) is signed, and what its answer codes mean for delivery.

A provider sends only texts from an approved template (模板) under an approved signature (签名): the app fills the
template's parameters, ``title`` (what it is about) and ``link`` (the path of the page; the template holds the site's
address), each within the provider's length limit for a variable."""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote, urlsplit

# Alibaba Cloud limits a template variable of the kind 其他 to 35 characters; a longer value is refused
# (isv.PARAM_LENGTH_LIMIT). The title is cut shorter so the whole text stays within one 70-character SMS.
TITLE_LIMIT = 20
LINK_LIMIT = 35
FALLBACK_PATH = "/me/notifications"

API_VERSION = "2017-05-25"


def template_params(title: str, url: str) -> dict[str, str]:
    """The template's parameters for a notification: its title cut to ``TITLE_LIMIT`` (an ellipsis marks the cut;
    line breaks and the characters a template refuses become spaces) and the path of ``url`` (the member's
    notifications if the path is too long for a variable)."""
    clean = " ".join("".join(" " if ch in "${}【】\r\n\t" else ch for ch in title).split())
    short = clean if len(clean) <= TITLE_LIMIT else clean[: TITLE_LIMIT - 1] + "…"
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return {"title": short or "-", "link": path if 0 < len(path) <= LINK_LIMIT else FALLBACK_PATH}


def out_id(delivery_key: str) -> str:
    """``OutId`` of a message: a short hash of its delivery key (the provider's receipts name it; no personal data)."""
    return hashlib.sha256(delivery_key.encode()).hexdigest()[:32]


# ---- Alibaba Cloud RPC signature (SignatureMethod HMAC-SHA1, SignatureVersion 1.0) ---------------------------------


def percent_encode(text: str) -> str:
    """RFC 3986 encoding of UTF-8, as Alibaba Cloud signs it: only A-Z a-z 0-9 - _ . ~ stay; space is %20, * %2A."""
    return quote(text, safe="~")


def string_to_sign(method: str, params: dict[str, str]) -> str:
    """``METHOD&%2F&`` + the percent-encoded canonical query (parameters sorted by name, each name=value encoded)."""
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"


def rpc_signature(secret: str, method: str, params: dict[str, str]) -> str:
    """Base64 of HMAC-SHA1 over ``string_to_sign`` with the key ``<AccessKey Secret>&``."""
    digest = hmac.new(f"{secret}&".encode(), string_to_sign(method, params).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


# ---- what Alibaba Cloud's answer codes mean ----------------------------------------------------------------------

# Tried again later (back-off): limits per number and per second, the provider's own trouble, an empty balance.
_RETRYABLE: dict[str, str] = {
    "isv.BUSINESS_LIMIT_CONTROL": "sms_rate_limited",
    "isv.DAY_LIMIT_CONTROL": "sms_rate_limited",
    "Throttling": "sms_rate_limited",
    "Throttling.User": "sms_rate_limited",
    "Throttling.Api": "sms_rate_limited",
    "isv.AMOUNT_NOT_ENOUGH": "sms_out_of_credit",
    "isv.OUT_OF_SERVICE": "sms_out_of_credit",
    "isp.SYSTEM_ERROR": "sms_provider_busy",
    "ServiceUnavailable": "sms_provider_busy",
    "InternalError": "sms_provider_busy",
}
# Never sent, whatever the retries: the number, or the deployment's own set-up (signature, template, keys).
_FINAL: dict[str, str] = {
    "isv.MOBILE_NUMBER_ILLEGAL": "sms_invalid_number",
    "isv.MOBILE_COUNT_OVER_LIMIT": "sms_invalid_number",
    "isv.BLACK_KEY_CONTROL_LIMIT": "sms_content_refused",
    "isv.SMS_SIGNATURE_ILLEGAL": "sms_sign_name_refused",
    "isv.SIGN_NAME_ILLEGAL": "sms_sign_name_refused",
    "isv.SMS_SIGN_ILLEGAL": "sms_sign_name_refused",
    "isv.SMS_TEMPLATE_ILLEGAL": "sms_template_refused",
    "isv.TEMPLATE_MISSING_PARAMETERS": "sms_template_parameters_refused",
    "isv.TEMPLATE_PARAMS_ILLEGAL": "sms_template_parameters_refused",
    "isv.PARAM_LENGTH_LIMIT": "sms_template_parameters_refused",
    "isv.INVALID_JSON_PARAM": "sms_template_parameters_refused",
    "isv.INVALID_PARAMETERS": "sms_request_refused",
    "MissingParameter": "sms_request_refused",
    "SignatureDoesNotMatch": "sms_access_key_refused",
    "IncompleteSignature": "sms_access_key_refused",
    "InvalidAccessKeyId.NotFound": "sms_access_key_refused",
    "InvalidAccessKeyId.Inactive": "sms_access_key_refused",
    "Forbidden.RAM": "sms_access_key_refused",
    "isp.RAM_PERMISSION_DENY": "sms_access_key_refused",
    "InvalidTimeStamp.Expired": "sms_clock_wrong",
    "SignatureNonceUsed": "sms_request_refused",
}


def failure_for(code: str) -> tuple[str, bool]:
    """(SendFailed code, retryable) for an answer code other than "OK". The provider's own errors (``isp.``) and
    codes not known here are tried again: the back-off ends them as failed, visible to the union admin, if they
    persist; a known refusal of the number or of the set-up is final at once."""
    if code in _FINAL:
        return _FINAL[code], False
    if code in _RETRYABLE:
        return _RETRYABLE[code], True
    return ("sms_refused", not code.startswith("isv."))
