"""企业微信 (WeCom)'s server API, as much of it as notifications and sign-in need, for one 自建应用.

The protocol (WeCom's developer documentation, 服务端API): ``GET /cgi-bin/gettoken?corpid=&corpsecret=`` answers
``{"errcode": 0, "access_token", "expires_in"}``; ``POST /cgi-bin/message/send?access_token=`` with a message body
answers ``{"errcode": 0, "invaliduser": "a|b", ...}``; ``GET /cgi-bin/auth/getuserinfo?access_token=&code=`` answers
``{"errcode": 0, "userid"}`` for a member of the organisation or ``{"errcode": 0, "openid"}`` for anyone else. A
failure is ``{"errcode": n, "errmsg"}`` (HTTP 200). The token is valid for about two hours and WeCom limits how often
it may be fetched, so each container holds it until shortly before it expires (monotonic clock); a token WeCom no
longer takes (40014 invalid, 42001 expired, 40001) is fetched again once. Short timeouts: a slow WeCom delays only
its own messages. The secret and the token never appear in a log or an error (they travel in the query string, so
the URL is never logged).
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from chalicelib.domain.wecom import TOKEN_REFUSED
from chalicelib.observability import log
from chalicelib.services.held_token import Held, held_from
from chalicelib.settings import Settings

TIMEOUT_SECONDS = 4.0
MAX_ANSWER_BYTES = 64 * 1024


class WecomError(Exception):
    """WeCom refused (``errcode``) or gave no usable answer (``errcode`` None: unreachable, slow, not JSON)."""

    def __init__(self, errcode: int | None) -> None:
        super().__init__("wecom_unreachable" if errcode is None else f"wecom errcode {errcode}")
        self.errcode = errcode


class WecomClient:
    """One 自建应用's access token, held for this container, and the calls made with it."""

    def __init__(
        self,
        api_base: str,
        corp_id: str,
        agent_id: int,
        secret: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self._api_base = api_base.rstrip("/")
        self.corp_id, self.agent_id = corp_id, agent_id
        self._secret = secret
        self._clock, self._timeout = clock, timeout
        self._token: Held | None = None
        self._lock = threading.Lock()

    def send(self, body: dict[str, Any]) -> list[str]:
        """Send one application message; the userids WeCom reported as unknown (``invaliduser``)."""
        answer = self._with_token("POST", "/cgi-bin/message/send", {}, body)
        invalid = answer.get("invaliduser")
        return [user for user in invalid.split("|") if user] if isinstance(invalid, str) else []

    def user_for_code(self, code: str) -> str | None:
        """The userid an OAuth code names; None when it names someone outside the organisation (an openid)."""
        answer = self._with_token("GET", "/cgi-bin/auth/getuserinfo", {"code": code}, None)
        userid = answer.get("userid") or answer.get("UserId")
        return userid if isinstance(userid, str) and userid else None

    def _access_token(self) -> str:
        with self._lock:
            if self._token is None or self._token.due(self._clock()):
                answer = self._call(
                    "GET", "/cgi-bin/gettoken", {"corpid": self.corp_id, "corpsecret": self._secret}, None
                )
                found = held_from(answer, "access_token", self._clock())
                if found is None:
                    raise WecomError(None)
                self._token = found
            return self._token.value

    def _forget(self, token: str) -> None:
        with self._lock:
            if self._token is not None and self._token.value == token:
                self._token = None  # another thread may already hold a newer one: keep that

    def _with_token(self, method: str, path: str, query: dict[str, str], body: dict[str, Any] | None) -> dict[str, Any]:
        token = self._access_token()
        try:
            return self._call(method, path, {**query, "access_token": token}, body)
        except WecomError as refused:
            if refused.errcode not in TOKEN_REFUSED:
                raise
        self._forget(token)  # WeCom no longer takes it: one new token, one more try
        return self._call(method, path, {**query, "access_token": self._access_token()}, body)

    def _call(self, method: str, path: str, query: dict[str, str], body: dict[str, Any] | None) -> dict[str, Any]:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(f"{self._api_base}{path}?{urlencode(query)}", data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json; charset=utf-8")
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                answer = json.loads(response.read(MAX_ANSWER_BYTES))
        except (OSError, ValueError) as error:  # no network, timeout, HTTP error status, not JSON
            log(logging.WARNING, "wecom_unreachable", path=path, error=type(error).__name__)
            raise WecomError(None) from None  # the URL (with the secret or token) stays out of the traceback
        if not isinstance(answer, dict):
            log(logging.WARNING, "wecom_unreachable", path=path, error="not_an_object")
            raise WecomError(None)
        errcode = answer.get("errcode") or 0
        if errcode:
            code = errcode if isinstance(errcode, int) and not isinstance(errcode, bool) else -1
            log(logging.WARNING, "wecom_refused", path=path, errcode=code, errmsg=str(answer.get("errmsg"))[:200])
            raise WecomError(code)
        return answer


@functools.cache
def _client(api_base: str, corp_id: str, agent_id: int, secret: str) -> WecomClient:
    return WecomClient(api_base, corp_id, agent_id, secret)


def client_for(settings: Settings) -> WecomClient | None:
    """This container's client of the configured 自建应用; None when the deployment has no 企业微信."""
    app = settings.wecom
    return None if app is None else _client(settings.wecom_api_base, *app)
