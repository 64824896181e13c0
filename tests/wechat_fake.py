"""A local stand-in for WeChat's server API, speaking its documented protocol over real HTTP (127.0.0.1).

``GET /cgi-bin/token?grant_type=client_credential&appid=&secret=`` → ``{"access_token", "expires_in"}``;
``GET /cgi-bin/ticket/getticket?access_token=&type=jsapi`` → ``{"errcode": 0, "errmsg": "ok", "ticket",
"expires_in"}``; failures are ``{"errcode", "errmsg"}`` with WeChat's codes: 40013 unknown AppID, 40125 wrong
AppSecret, 40001 an access token it does not take (never issued, or revoked by ``revoke_tokens``). ``refuse(path,
errcode)`` makes the next request to a path answer that code (45009 daily quota, -1 busy …). Every request is
counted by path, so tests see what was cached."""

from __future__ import annotations

import contextlib
import json
import threading
from collections import Counter
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

from tests.local_http import QuietHandler, serving_handler

APP_ID = "wx00112233445566ff"
APP_SECRET = "0123456789abcdef0123456789abcdef"
TOKEN_PATH = "/cgi-bin/token"
TICKET_PATH = "/cgi-bin/ticket/getticket"


class FakeWechat:
    def __init__(self, app_id: str = APP_ID, secret: str = APP_SECRET, expires_in: int = 7200) -> None:
        self.app_id, self.secret, self.expires_in = app_id, secret, expires_in
        self.ticket_expires_in = expires_in
        self.requests: Counter[str] = Counter()
        self.valid_tokens: set[str] = set()
        self.tickets: list[str] = []
        self.queued: dict[str, list[int]] = {}
        self.base_url = ""
        self._lock = threading.Lock()

    def refuse(self, path: str, errcode: int) -> None:
        """The next request to ``path`` answers ``errcode``."""
        with self._lock:
            self.queued.setdefault(path, []).append(errcode)

    def revoke_tokens(self) -> None:
        """As when another holder of the secret fetched a new token: every token issued so far stops working."""
        with self._lock:
            self.valid_tokens.clear()

    @property
    def ticket(self) -> str:
        return self.tickets[-1]

    def answer(self, path: str, query: dict[str, str]) -> dict:
        with self._lock:
            self.requests[path] += 1
            queued = self.queued.get(path)
            if queued:
                return {"errcode": queued.pop(0), "errmsg": "refused by the test"}
            if path == TOKEN_PATH:
                return self._token(query)
            if path == TICKET_PATH:
                return self._ticket(query)
            return {"errcode": 404, "errmsg": "no such API"}

    def _token(self, query: dict[str, str]) -> dict:
        if query.get("grant_type") != "client_credential":
            return {"errcode": 40002, "errmsg": "invalid grant_type"}
        if query.get("appid") != self.app_id:
            return {"errcode": 40013, "errmsg": "invalid appid"}
        if query.get("secret") != self.secret:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        token = f"token-{self.requests[TOKEN_PATH]}"
        self.valid_tokens.add(token)
        return {"access_token": token, "expires_in": self.expires_in}

    def _ticket(self, query: dict[str, str]) -> dict:
        if query.get("type") != "jsapi":
            return {"errcode": 40097, "errmsg": "invalid args"}
        if query.get("access_token") not in self.valid_tokens:
            return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest"}
        self.tickets.append(f"jsapi-ticket-{len(self.tickets) + 1}-kgt8ON7yVITDhtdwci0qeZ")
        return {"errcode": 0, "errmsg": "ok", "ticket": self.ticket, "expires_in": self.ticket_expires_in}


@contextlib.contextmanager
def serving(fake: FakeWechat) -> Iterator[FakeWechat]:
    """``fake`` on a free port of 127.0.0.1 (``fake.base_url``) until the block ends."""

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {name: values[0] for name, values in parse_qs(parts.query).items()}
            body = json.dumps(fake.answer(parts.path, query)).encode()
            self.send_body(200, body, "application/json; charset=utf-8")  # errors too: 200 and an errcode

    with serving_handler(Handler) as address:
        fake.base_url = address
        yield fake
