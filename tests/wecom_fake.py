"""A local stand-in for 企业微信 (WeCom)'s server API and web OAuth, speaking its documented protocol over real HTTP.

``GET /cgi-bin/gettoken?corpid=&corpsecret=`` → ``{"errcode": 0, "access_token", "expires_in"}`` (40013 unknown
CorpID, 40001 wrong Secret); ``POST /cgi-bin/message/send?access_token=`` with a text card → ``{"errcode": 0,
"invaliduser"}`` (userids the organisation does not have; 81013 when none is known), 40014 a token it never issued
or revoked, 42001 one it expired, 40056 another AgentId, 44004/45002 an empty or too long card; with
``enable_duplicate_check`` the same content to the same people within the interval is taken and dropped, as WeCom
documents. ``GET /connect/oauth2/authorize?...`` plays the person's side of the silent OAuth: it redirects to
``redirect_uri`` with a one-time code for ``fake.signed_in`` (a userid, or ``openid:...`` for someone outside the
organisation) and the state; ``GET /cgi-bin/auth/getuserinfo?access_token=&code=`` answers ``{"userid"}`` or
``{"openid"}`` (40029 an unknown or used code).

Faults for tests and the benchmark: ``refuse(path, errcode)`` queues answers, ``slow(path, seconds)`` delays the
next answer, ``garbage(path)`` answers something that is not JSON, ``revoke_tokens()``/``expire_tokens()``. What
arrived is kept: ``messages`` (delivered cards), ``dropped`` (duplicates), ``requests`` (count per path)."""

from __future__ import annotations

import contextlib
import json
import secrets
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.local_http import QuietHandler, serving_handler

CORP_ID = "ww0011223344556677"
AGENT_ID = 1000002
SECRET = "Vbq3-_aZ" * 5 + "abc"
TOKEN_PATH = "/cgi-bin/gettoken"
SEND_PATH = "/cgi-bin/message/send"
USERINFO_PATH = "/cgi-bin/auth/getuserinfo"
AUTHORIZE_PATH = "/connect/oauth2/authorize"


class FakeWecom:
    def __init__(
        self,
        users: Iterable[str] = (),
        *,
        corp_id: str = CORP_ID,
        agent_id: int = AGENT_ID,
        secret: str = SECRET,
        expires_in: int = 7200,
        everyone: bool = False,
    ) -> None:
        self.users = set(users)
        self.everyone = everyone  # every userid is in the organisation (a local try-out)
        self.corp_id, self.agent_id, self.secret, self.expires_in = corp_id, agent_id, secret, expires_in
        self.requests: Counter[str] = Counter()
        self.messages: list[dict[str, Any]] = []
        self.dropped: list[dict[str, Any]] = []
        self.valid_tokens: set[str] = set()
        self.expired_tokens: set[str] = set()
        self.codes: dict[str, str] = {}
        self.signed_in: str | None = None  # who the authorize step says is using WeCom
        self.queued: dict[str, list[int | str]] = {}
        self.delays: dict[str, list[float]] = {}
        self.base_url = ""
        self._recent: dict[str, float] = {}
        self._lock = threading.Lock()

    # ---- faults -------------------------------------------------------------------------------------------

    def refuse(self, path: str, errcode: int, times: int = 1) -> None:
        """The next ``times`` requests to ``path`` answer ``errcode``."""
        with self._lock:
            self.queued.setdefault(path, []).extend([errcode] * times)

    def garbage(self, path: str, times: int = 1) -> None:
        """The next ``times`` requests to ``path`` answer an HTML error page instead of JSON."""
        with self._lock:
            self.queued.setdefault(path, []).extend(["garbage"] * times)

    def slow(self, path: str, seconds: float, times: int = 1) -> None:
        with self._lock:
            self.delays.setdefault(path, []).extend([seconds] * times)

    def revoke_tokens(self) -> None:
        """Every token issued so far is invalid (40014), as when the Secret was reset."""
        with self._lock:
            self.valid_tokens.clear()

    def expire_tokens(self) -> None:
        """Every token issued so far has expired (42001), earlier than the client expected."""
        with self._lock:
            self.expired_tokens |= self.valid_tokens
            self.valid_tokens.clear()

    def delivered_to(self, userid: str) -> list[dict[str, Any]]:
        with self._lock:
            return [m for m in self.messages if userid in m["touser"].split("|")]

    # ---- the protocol -------------------------------------------------------------------------------------

    def delay(self, path: str) -> float:
        with self._lock:
            waiting = self.delays.get(path)
            return waiting.pop(0) if waiting else 0.0

    def answer(self, path: str, query: dict[str, str], body: Any) -> dict[str, Any] | str:
        with self._lock:
            self.requests[path] += 1
            queued = self.queued.get(path)
            if queued:
                fault = queued.pop(0)
                return (
                    "<html>502 Bad Gateway</html>" if fault == "garbage" else _error(int(fault), "refused by the test")
                )
            if path == TOKEN_PATH:
                return self._token(query)
            refused = self._token_refusal(query.get("access_token", ""))
            if refused is not None:
                return refused
            if path == SEND_PATH:
                return self._send(body)
            if path == USERINFO_PATH:
                return self._userinfo(query)
            return _error(404, "no such API")

    def authorize(self, query: dict[str, str]) -> tuple[int, str]:
        """(status, Location or message) for the authorize page: back to the app with a code, or an error."""
        with self._lock:
            self.requests[AUTHORIZE_PATH] += 1
            if query.get("appid") != self.corp_id or query.get("agentid") != str(self.agent_id):
                return 400, "appid or agentid wrong"
            if query.get("response_type") != "code" or query.get("scope") != "snsapi_base":
                return 400, "response_type or scope wrong"
            if self.signed_in is None or not query.get("redirect_uri"):
                return 400, "nobody signed in to WeCom"
            code = secrets.token_urlsafe(16)
            self.codes[code] = self.signed_in
            separator = "&" if "?" in query["redirect_uri"] else "?"
            return (
                302,
                f"{query['redirect_uri']}{separator}{urlencode({'code': code, 'state': query.get('state', '')})}",
            )

    def _token(self, query: dict[str, str]) -> dict[str, Any]:
        if query.get("corpid") != self.corp_id:
            return _error(40013, "invalid corpid")
        if query.get("corpsecret") != self.secret:
            return _error(40001, "invalid credential")
        token = f"wecom-token-{self.requests[TOKEN_PATH]}-{secrets.token_hex(4)}"
        self.valid_tokens.add(token)
        return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": self.expires_in}

    def _token_refusal(self, token: str) -> dict[str, Any] | None:
        if token in self.valid_tokens:
            return None
        if token in self.expired_tokens:
            return _error(42001, "access_token expired")
        return _error(40014, "invalid access_token")

    def _send(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict) or body.get("msgtype") not in ("textcard", "text"):
            return _error(40008, "invalid message type")
        if body.get("agentid") != self.agent_id:
            return _error(40056, "invalid agentid")
        problem = _content_problem(body)
        if problem is not None:
            return problem
        wanted = [user for user in str(body.get("touser", "")).split("|") if user]
        known = [user for user in wanted if self.everyone or user in self.users]
        unknown = [user for user in wanted if user not in known]
        if not known:
            return _error(81013, "user & party & tag all invalid")
        message = {**body, "touser": "|".join(known)}
        if self._duplicate(message):
            self.dropped.append(message)
        else:
            self.messages.append(message)
        return {"errcode": 0, "errmsg": "ok", "invaliduser": "|".join(unknown), "msgid": secrets.token_hex(8)}

    def _duplicate(self, message: dict[str, Any]) -> bool:
        if not message.get("enable_duplicate_check"):
            return False
        content = json.dumps([message["touser"], message.get(message["msgtype"])], ensure_ascii=False, sort_keys=True)
        now, interval = time.monotonic(), int(message.get("duplicate_check_interval") or 1800)
        seen = self._recent.get(content)
        if seen is not None and now - seen < interval:
            return True
        self._recent[content] = now
        return False

    def _userinfo(self, query: dict[str, str]) -> dict[str, Any]:
        who = self.codes.pop(query.get("code", ""), None)  # a code works once
        if who is None:
            return _error(40029, "invalid code")
        if who.startswith("openid:"):
            return {"errcode": 0, "errmsg": "ok", "openid": who.removeprefix("openid:")}
        return {"errcode": 0, "errmsg": "ok", "userid": who, "user_ticket": secrets.token_hex(8), "expires_in": 1800}


def _error(errcode: int, errmsg: str) -> dict[str, Any]:
    return {"errcode": errcode, "errmsg": errmsg}


def _content_problem(body: dict[str, Any]) -> dict[str, Any] | None:
    content = body.get(body["msgtype"])
    if not isinstance(content, dict):
        return _error(44004, "empty content")
    if body["msgtype"] == "textcard":
        return _card_problem(content)
    text = str(content.get("content") or "")
    if not text:
        return _error(44004, "empty content")
    return _error(45002, "content size out of limit") if len(text.encode()) > 2048 else None


def _card_problem(card: dict[str, Any]) -> dict[str, Any] | None:
    title, description, url = (str(card.get(name) or "") for name in ("title", "description", "url"))
    if not title or not description or not url:
        return _error(44004, "empty content")
    if len(title.encode()) > 128 or len(description.encode()) > 512 or len(url.encode()) > 2048:
        return _error(45002, "content size out of limit")
    if len(str(card.get("btntxt") or "")) > 4:
        return _error(45002, "btntxt size out of limit")
    return None


@contextlib.contextmanager
def serving(fake: FakeWecom) -> Iterator[FakeWecom]:
    """``fake`` on a free port of 127.0.0.1 (``fake.base_url``, the API and the OAuth host) until the block ends."""

    class Handler(QuietHandler):
        def _answer(self, body: Any) -> None:
            parts = urlsplit(self.path)
            query = {name: values[0] for name, values in parse_qs(parts.query).items()}
            time.sleep(fake.delay(parts.path))
            if parts.path == AUTHORIZE_PATH:
                status, where = fake.authorize(query)
                self.send_response(status)
                self.send_header(
                    "Location" if status == 302 else "Content-Type", where if status == 302 else "text/plain"
                )
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            answer = fake.answer(parts.path, query, body)
            data = answer.encode() if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False).encode()
            # WeCom answers its errors with 200 and an errcode
            self.send_body(200, data, "text/html" if isinstance(answer, str) else "application/json; charset=utf-8")

        def do_GET(self) -> None:
            self._answer(None)

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            self._answer(body)

    with serving_handler(Handler) as address:
        fake.base_url = address
        yield fake


def settings_env(fake: FakeWecom) -> dict[str, str]:
    """The environment that points the app's 企业微信 at ``fake``."""
    return {
        "WECOM_CORP_ID": fake.corp_id,
        "WECOM_AGENT_ID": str(fake.agent_id),
        "WECOM_SECRET": fake.secret,
        "WECOM_API_BASE": fake.base_url,
        "WECOM_OAUTH_BASE": fake.base_url,
    }


def main() -> None:
    """A local 企业微信 for trying the app out: prints the settings to start ``make run`` with, then each message."""
    fake = FakeWecom(everyone=True)
    fake.signed_in = "2014001"  # the demo member the OAuth step signs in
    with serving(fake):
        print("企业微信 (local stand-in) is serving. Start the app with:")
        print(" ".join(f"{name}={value}" for name, value in settings_env(fake).items()), "make run")
        shown = 0
        try:
            while True:
                time.sleep(0.5)
                for message in fake.messages[shown:]:
                    print(json.dumps(message, ensure_ascii=False), flush=True)
                shown = len(fake.messages)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
