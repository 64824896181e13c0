"""A local stand-in for Alibaba Cloud SMS (dysmsapi, API version 2017-05-25), speaking its RPC protocol over real
HTTP on 127.0.0.1, and checking a request as the provider does before it sends anything.

``SendSms`` (GET query or POST form) is checked in the provider's order: the common parameters (Format, Version,
SignatureMethod HMAC-SHA1, SignatureVersion 1.0, a Timestamp within 15 minutes, a SignatureNonce not used before),
the AccessKeyId, the Signature (recomputed here from the request's own parameters with the secret, independently of
the app's code: ``SignatureDoesNotMatch``), then the business rules: the signature name and template approved
(``isv.SMS_SIGNATURE_ILLEGAL``, ``isv.SMS_TEMPLATE_ILLEGAL``), ``TemplateParam`` JSON holding exactly the
template's variables, each at most 35 characters (``isv.TEMPLATE_MISSING_PARAMETERS``, ``isv.PARAM_LENGTH_LIMIT``),
and an 11-digit mainland mobile number (``isv.MOBILE_NUMBER_ILLEGAL``). An accepted message is recorded in
``sent`` and answered ``{"Code": "OK", "Message": "OK", "BizId", "RequestId"}``.

A test makes the next answers fail: ``refuse(code)`` (a business error such as isv.BUSINESS_LIMIT_CONTROL, with
the HTTP status the provider uses for it), ``garble()`` (a body that is not JSON), ``stall(seconds)`` (no answer
for that long: the client's timeout), ``fail_http(status)`` (a gateway error)."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote, urlsplit

from tests.local_http import QuietHandler, serving_handler

KEY_ID = "LTAI5tLocalTestKey01"
KEY_SECRET = "LocalTestSecret0123456789abcdef"
SIGN_NAME = "示例大学工会"
TEMPLATE_CODE = "SMS_465300001"
TEMPLATE_VARIABLES = ("title", "link")
VARIABLE_LIMIT = 35

# The HTTP status Alibaba Cloud answers each refusal with (business errors of an accepted request are 200).
_HTTP_STATUS = {
    "SignatureDoesNotMatch": 400,
    "IncompleteSignature": 400,
    "InvalidAccessKeyId.NotFound": 404,
    "InvalidTimeStamp.Expired": 400,
    "SignatureNonceUsed": 400,
    "MissingParameter": 400,
    "Throttling.User": 400,
    "InvalidVersion": 400,
}


@dataclass(frozen=True)
class Sent:
    phone: str
    sign_name: str
    template_code: str
    params: dict[str, str]
    out_id: str
    biz_id: str


class FakeAliyunSms:
    def __init__(self, key_id: str = KEY_ID, secret: str = KEY_SECRET) -> None:
        self.key_id, self.secret = key_id, secret
        self.sign_names = {SIGN_NAME}
        self.templates = {TEMPLATE_CODE: TEMPLATE_VARIABLES}
        self.sent: list[Sent] = []
        self.requests = 0
        self.methods: list[str] = []
        self.base_url = ""
        self._nonces: set[str] = set()
        self._queued: list[tuple[str, object]] = []
        self._lock = threading.Lock()

    # ---- what the next answers are ---------------------------------------------------------------------------

    def refuse(self, code: str, times: int = 1) -> None:
        with self._lock:
            self._queued.extend([("refuse", code)] * times)

    def garble(self) -> None:
        with self._lock:
            self._queued.append(("garble", None))

    def stall(self, seconds: float) -> None:
        with self._lock:
            self._queued.append(("stall", seconds))

    def fail_http(self, status: int) -> None:
        with self._lock:
            self._queued.append(("http", status))

    # ---- the protocol ----------------------------------------------------------------------------------------

    def handle(self, method: str, params: dict[str, str]) -> tuple[int, bytes]:
        with self._lock:
            self.requests += 1
            self.methods.append(method)
            queued = self._queued.pop(0) if self._queued else None
        if queued is not None:
            kind, value = queued
            if kind == "garble":
                return 200, b"<html><body>502 Bad Gateway</body></html>"
            if kind == "stall":
                time.sleep(float(value))  # type: ignore[arg-type]
            elif kind == "http":
                return int(value), b"upstream error"  # type: ignore[call-overload]
            else:
                return self._error(str(value))
        code = self._check(method, params)
        if code is not None:
            return self._error(code)
        biz_id = f"{int(time.time())}^{uuid.uuid4().int % 10**10}"
        with self._lock:
            self.sent.append(
                Sent(
                    params["PhoneNumbers"],
                    params["SignName"],
                    params["TemplateCode"],
                    json.loads(params["TemplateParam"]),
                    params.get("OutId", ""),
                    biz_id,
                )
            )
        return 200, self._json({"Code": "OK", "Message": "OK", "BizId": biz_id})

    def _error(self, code: str) -> tuple[int, bytes]:
        return _HTTP_STATUS.get(code, 200), self._json({"Code": code, "Message": f"refused: {code}"})

    @staticmethod
    def _json(answer: dict) -> bytes:
        return json.dumps({**answer, "RequestId": str(uuid.uuid4()).upper()}).encode()

    def _check(self, method: str, params: dict[str, str]) -> str | None:
        return self._check_common(params) or self._check_signature(method, params) or self._check_message(params)

    def _check_common(self, params: dict[str, str]) -> str | None:
        required = ("AccessKeyId", "Action", "Format", "SignatureMethod", "SignatureNonce", "SignatureVersion")
        if any(not params.get(name) for name in (*required, "Timestamp", "Version", "Signature")):
            return "MissingParameter"
        if params["Version"] != "2017-05-25" or params["Action"] != "SendSms":
            return "InvalidVersion"
        if params["SignatureMethod"] != "HMAC-SHA1" or params["SignatureVersion"] != "1.0":
            return "IncompleteSignature"
        try:
            at = datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        except ValueError:
            return "InvalidTimeStamp.Format"
        if abs((datetime.now(UTC) - at).total_seconds()) > 15 * 60:
            return "InvalidTimeStamp.Expired"
        with self._lock:
            if params["SignatureNonce"] in self._nonces:
                return "SignatureNonceUsed"
            self._nonces.add(params["SignatureNonce"])
        if params["AccessKeyId"] != self.key_id:
            return "InvalidAccessKeyId.NotFound"
        return None

    def _check_signature(self, method: str, params: dict[str, str]) -> str | None:
        signed = {name: value for name, value in params.items() if name != "Signature"}

        def enc(text: str) -> str:  # RFC 3986, as the provider documents it
            return quote(text, safe="-_.~", encoding="utf-8")

        canonical = "&".join(f"{enc(k)}={enc(signed[k])}" for k in sorted(signed))
        text = f"{method}&{enc('/')}&{enc(canonical)}"
        expected = base64.b64encode(hmac.new(f"{self.secret}&".encode(), text.encode(), hashlib.sha1).digest())
        return None if hmac.compare_digest(expected.decode(), params["Signature"]) else "SignatureDoesNotMatch"

    def _check_message(self, params: dict[str, str]) -> str | None:
        if params.get("SignName") not in self.sign_names:
            return "isv.SMS_SIGNATURE_ILLEGAL"
        variables = self.templates.get(params.get("TemplateCode", ""))
        if variables is None:
            return "isv.SMS_TEMPLATE_ILLEGAL"
        try:
            values = json.loads(params.get("TemplateParam", ""))
        except ValueError:
            return "isv.INVALID_JSON_PARAM"
        if not isinstance(values, dict) or set(values) != set(variables):
            return "isv.TEMPLATE_MISSING_PARAMETERS"
        if any(not isinstance(v, str) or len(v) > VARIABLE_LIMIT for v in values.values()):
            return "isv.PARAM_LENGTH_LIMIT"
        if not re.fullmatch(r"1[3-9]\d{9}", params.get("PhoneNumbers", "")):
            return "isv.MOBILE_NUMBER_ILLEGAL"
        return None


@contextlib.contextmanager
def serving(fake: FakeAliyunSms) -> Iterator[FakeAliyunSms]:
    """``fake`` on a free port of 127.0.0.1 (``fake.base_url``) until the block ends."""

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            self._answer("GET", urlsplit(self.path).query)

        def do_POST(self) -> None:
            length = min(int(self.headers.get("Content-Length") or 0), 64 * 1024)
            self._answer("POST", self.rfile.read(length).decode())

        def _answer(self, method: str, form: str) -> None:
            params = dict(parse_qsl(form, keep_blank_values=True))
            status, body = fake.handle(method, params)
            self.send_body(status, body, "application/json;charset=utf-8")

    with serving_handler(Handler) as address:
        fake.base_url = address
        yield fake


def settings_for(fake: FakeAliyunSms) -> dict[str, str]:
    """The environment variables that point the app's SMS channel at ``fake``."""
    return {
        "SMS_PROVIDER": "aliyun",
        "SMS_ACCESS_KEY_ID": fake.key_id,
        "SMS_ACCESS_KEY_SECRET": fake.secret,
        "SMS_SIGN_NAME": SIGN_NAME,
        "SMS_TEMPLATE_CODE": TEMPLATE_CODE,
        "SMS_API_BASE": fake.base_url,
    }


if __name__ == "__main__":  # a local try-out: python -m tests.sms_fake
    with serving(FakeAliyunSms()) as running:
        print("Start make run with:")
        for name, value in settings_for(running).items():
            print(f"  export {name}='{value}'")
        print("Each SMS that arrives is printed here (Ctrl-C stops).", flush=True)
        shown = 0
        try:
            while True:
                time.sleep(0.5)
                for sent in running.sent[shown:]:
                    print(f"SMS to {sent.phone}: {json.dumps(sent.params, ensure_ascii=False)} OutId={sent.out_id}")
                shown = len(running.sent)
        except KeyboardInterrupt:
            pass
