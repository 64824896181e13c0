"""WeChat's server API, as much of it as the JS-SDK scanner needs: the Official Account's access_token and its
jsapi_ticket, and the ``wx.config`` a page inside WeChat signs itself in with.

The protocol (WeChat's "获取Access token" and JS-SDK 附录1): ``GET /cgi-bin/token?grant_type=client_credential&appid=
&secret=`` answers ``{"access_token", "expires_in"}``; ``GET /cgi-bin/ticket/getticket?access_token=&type=jsapi``
answers ``{"errcode": 0, "ticket", "expires_in"}``; a failure is ``{"errcode": n, "errmsg"}``. Both are valid for
about two hours and their daily quota is small, so each container keeps them until shortly before they expire
(monotonic clock). An access token that WeChat no longer accepts (40001, 40014, 42001: another holder of the secret
fetched a new one, or it expired early) is fetched again once; any other refusal (45009 daily quota, -1 busy, 40164 a
server IP not on the account's whitelist …) or no answer is ``WechatUnavailable``: a 503 naming WeChat's code, so
the station says so and keeps scanning by other means. The secret never appears in a log or an error.
"""

from __future__ import annotations

import functools
import json
import logging
import secrets
import threading
import time
import urllib.request
from collections.abc import Callable
from typing import Any, NamedTuple
from urllib.parse import urlencode

from chalicelib.domain.language import N_
from chalicelib.domain.wechat import jsapi_signature
from chalicelib.errors import DependencyUnavailable, NotFound
from chalicelib.observability import log
from chalicelib.services.held_token import Held, held_from
from chalicelib.settings import Settings

# WeChat's codes for an access token it no longer takes: invalid credential, invalid token, token expired.
TOKEN_REFUSED = frozenset({40001, 40014, 42001})
TIMEOUT_SECONDS = 3
MAX_ANSWER_BYTES = 64 * 1024


class WechatUnavailable(DependencyUnavailable):
    """WeChat refused (``errcode``) or did not answer (``errcode`` None); a 503 the station can explain."""

    def __init__(self, errcode: int | None) -> None:
        if errcode is None:
            super().__init__(N_("wechat.unreachable"))
        else:
            super().__init__(N_("wechat.refused"), details={"errcode": errcode}, errcode=errcode)
        self.errcode = errcode


class JsConfig(NamedTuple):
    """What ``wx.config`` needs besides the list of interfaces."""

    app_id: str
    timestamp: int
    nonce_str: str
    signature: str


class WechatClient:
    """One Official Account's token and ticket, held for this container."""

    def __init__(self, api_base: str, app_id: str, secret: str, clock: Callable[[], float] = time.monotonic) -> None:
        self._api_base = api_base.rstrip("/")
        self.app_id = app_id
        self._secret = secret
        self._clock = clock
        self._token: Held | None = None
        self._ticket: Held | None = None
        self._lock = threading.Lock()

    def jsapi_ticket(self) -> str:
        """The current jsapi_ticket, fetched (with a token, if need be) only when the held one is about to expire."""
        with self._lock:
            if self._ticket is None or self._ticket.due(self._clock()):
                self._ticket = self._fetch_ticket()
            return self._ticket.value

    def _access_token(self) -> str:
        if self._token is None or self._token.due(self._clock()):
            answer = self._get("/cgi-bin/token", grant_type="client_credential", appid=self.app_id, secret=self._secret)
            self._token = self._held(answer, "access_token")
        return self._token.value

    def _fetch_ticket(self) -> Held:
        try:
            return self._held(self._get("/cgi-bin/ticket/getticket", access_token=self._access_token(), type="jsapi"))
        except WechatUnavailable as refused:
            if refused.errcode not in TOKEN_REFUSED:
                raise
        self._token = None  # WeChat no longer takes it: one new token, one more try
        return self._held(self._get("/cgi-bin/ticket/getticket", access_token=self._access_token(), type="jsapi"))

    def _held(self, answer: dict[str, Any], field: str = "ticket") -> Held:
        found = held_from(answer, field, self._clock())
        if found is None:
            raise WechatUnavailable(None)
        return found

    def _get(self, path: str, **query: str) -> dict[str, Any]:
        url = f"{self._api_base}{path}?{urlencode(query)}"
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
                answer = json.loads(response.read(MAX_ANSWER_BYTES))
        except (OSError, ValueError) as error:  # no network, timeout, HTTP error status, not JSON
            log(logging.WARNING, "wechat_unreachable", path=path, error=type(error).__name__)
            raise WechatUnavailable(None) from None  # the URL (with the secret) stays out of the traceback
        if not isinstance(answer, dict):
            raise WechatUnavailable(None)
        errcode = answer.get("errcode") or 0
        if errcode:
            code = errcode if isinstance(errcode, int) else -1
            log(logging.WARNING, "wechat_refused", path=path, errcode=code, errmsg=str(answer.get("errmsg"))[:200])
            raise WechatUnavailable(code)
        return answer


@functools.cache
def _client(api_base: str, app_id: str, secret: str) -> WechatClient:
    return WechatClient(api_base, app_id, secret)


def client_for(settings: Settings) -> WechatClient:
    """This container's client of the configured Official Account; NotFound when the deployment has none."""
    account = settings.wechat_mp
    if account is None:
        raise NotFound("wechat.off")
    return _client(settings.wechat_api_base, *account)


def js_config(settings: Settings, url: str, timestamp: int) -> JsConfig:
    """``wx.config`` for the page at ``url`` (already checked to be this site's), with a fresh nonce."""
    client = client_for(settings)
    ticket = client.jsapi_ticket()
    nonce = secrets.token_hex(8)
    return JsConfig(client.app_id, timestamp, nonce, jsapi_signature(ticket, nonce, timestamp, url))
