"""SMS: a notification becomes the deployment's approved template message (parameters ``title`` and ``link``) to the
member's mainland mobile number, through a provider adapter (``SmsProvider``; Alibaba Cloud SMS today).

Off unless the deployment names the provider, its keys, signature and template (``SMS_*`` settings). The number is
checked before anything is sent (a number the provider could never take is final: ``sms_invalid_number``); what
the provider answers decides the rest (``chalicelib.domain.sms.failure_for``); an answer that is not the provider's
JSON, a refused connection or a timeout is tried again later. ``OutId`` carries a hash of the delivery key, so the
provider's receipts can be matched to deliveries. The provider does not deduplicate by it: a request that timed
out after the provider took it may reach the phone twice (the delivery record keeps every other case to once)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import urlencode

from chalicelib.domain.notify import Channel, Outgoing, SendFailed
from chalicelib.domain.roster import mobile_number
from chalicelib.domain.sms import API_VERSION, failure_for, out_id, rpc_signature, template_params
from chalicelib.settings import Settings

TIMEOUT_SECONDS = 5.0
MAX_ANSWER_BYTES = 64 * 1024


class SmsProvider(Protocol):
    def send(self, phone: str, params: dict[str, str], out_id: str) -> None:
        """Send the template with ``params`` to ``phone`` (11 digits) or raise ``SendFailed``."""


class AliyunSms:
    """Alibaba Cloud SMS (dysmsapi) ``SendSms``, RPC style: a signed form POST answered by JSON with a ``Code``."""

    def __init__(
        self, api_base: str, key_id: str, key_secret: str, sign_name: str, template_code: str, timeout: float
    ) -> None:
        self._url = f"{api_base}/"
        self._key_id, self._secret = key_id, key_secret
        self._sign_name, self._template_code, self._timeout = sign_name, template_code, timeout

    def signed(self, phone: str, params: dict[str, str], out_id: str, at: datetime, nonce: str) -> dict[str, str]:
        """The request's parameters with their ``Signature`` (the time and nonce given, for tests)."""
        query = {
            "AccessKeyId": self._key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "OutId": out_id,
            "PhoneNumbers": phone,
            "RegionId": "cn-hangzhou",
            "SignName": self._sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce,
            "SignatureVersion": "1.0",
            "TemplateCode": self._template_code,
            "TemplateParam": json.dumps(params, ensure_ascii=False, separators=(",", ":")),
            "Timestamp": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": API_VERSION,
        }
        return {**query, "Signature": rpc_signature(self._secret, "POST", query)}

    def send(self, phone: str, params: dict[str, str], out_id: str) -> None:
        body = urlencode(self.signed(phone, params, out_id, datetime.now(UTC), uuid.uuid4().hex)).encode()
        request = urllib.request.Request(
            self._url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}, method="POST"
        )
        code = _answer_code(self._post(request))
        if code != "OK":
            failure, retryable = failure_for(code)
            raise SendFailed(failure, retryable, code[:60])

    def _post(self, request: urllib.request.Request) -> bytes:
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                return bytes(response.read(MAX_ANSWER_BYTES + 1))
        except urllib.error.HTTPError as error:  # signature and throttling errors come as 4xx with the same JSON
            if error.code >= 500:
                raise SendFailed("sms_provider_busy", True, f"HTTP {error.code}") from None
            return bytes(error.read(MAX_ANSWER_BYTES + 1))
        except TimeoutError:
            raise SendFailed("sms_provider_timeout", True) from None
        except (urllib.error.URLError, OSError) as error:
            if isinstance(getattr(error, "reason", None), TimeoutError):
                raise SendFailed("sms_provider_timeout", True) from None
            raise SendFailed("sms_provider_unreachable", True, type(error).__name__) from None


def _answer_code(raw: bytes) -> str:
    """The ``Code`` of an answer; anything that is not the provider's JSON is a retryable failure."""
    try:
        if len(raw) > MAX_ANSWER_BYTES:
            raise ValueError("too long")
        answer = json.loads(raw)
        code = answer["Code"]
        if not isinstance(code, str) or not code:
            raise ValueError("no code")
    except (ValueError, KeyError, TypeError):
        raise SendFailed("sms_provider_garbled", True, f"{len(raw)} bytes") from None
    return code


class SmsSender:
    channel = Channel.SMS

    def __init__(self, provider: SmsProvider) -> None:
        self.provider = provider

    def send(self, message: Outgoing) -> None:
        phone = mobile_number(message.address)
        if phone is None:
            raise SendFailed("sms_invalid_number", False)
        self.provider.send(phone, template_params(message.title, message.url), out_id(message.key))


def sender(settings: Settings) -> SmsSender | None:
    if not settings.sms_enabled:
        return None
    assert settings.sms_access_key_id and settings.sms_access_key_secret  # the settings allow SMS only whole
    assert settings.sms_sign_name and settings.sms_template_code
    provider = AliyunSms(
        settings.sms_api_base,
        settings.sms_access_key_id,
        settings.sms_access_key_secret,
        settings.sms_sign_name,
        settings.sms_template_code,
        TIMEOUT_SECONDS,
    )
    return SmsSender(provider)
