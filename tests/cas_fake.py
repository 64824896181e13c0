"""A local CAS server (CAS protocol 3.0, as the campus 统一身份认证 runs it: Apereo CAS and its Chinese vendors), over
real HTTP on 127.0.0.1, under ``/cas`` like the real ones (``fake.base_url`` is what ``CAS_BASE_URL`` names).

- ``GET /cas/login?service=URL``: a login form (username, password); with ``fake.signed_in_as`` set (a browser that
  already has a CAS session) it sends the browser straight back. ``POST /cas/login`` checks the password against
  ``fake.users`` and redirects (302) to ``service`` with ``ticket=ST-…`` added to its query.
- ``GET /cas/p3/serviceValidate?service=&ticket=``: ``<cas:serviceResponse>`` with ``<cas:authenticationSuccess>``
  (``cas:user`` and ``cas:attributes``) or ``<cas:authenticationFailure code="…">``: ``INVALID_REQUEST`` (a
  parameter missing), ``INVALID_TICKET`` (unknown, or already validated: tickets are single use),
  ``INVALID_SERVICE`` (the ticket was issued for another service address; it is used up too, as the protocol
  says).
- Failure modes for tests: ``answer_next(kind)`` makes the next validation answer ``"garbage"`` (not XML),
  ``"doctype"`` (an XML bomb with entity declarations), ``"huge"`` (over 64 KiB), ``"http500"``, or ``"stall"``
  (nothing for 5 s)."""

from __future__ import annotations

import contextlib
import html
import secrets
import threading
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from tests.local_http import QuietHandler, serving_handler

NS = "http://www.yale.edu/tp/cas"


class FakeCas:
    def __init__(self, users: dict[str, str] | None = None) -> None:
        # username → password; attributes per user (employeeNumber: the 工号 when the CAS user is a login name)
        self.users = dict(users or {})
        self.attributes: dict[str, dict[str, str]] = {}
        self.signed_in_as: str | None = None
        self.tickets: dict[str, tuple[str, str]] = {}  # ticket → (service, user), removed once validated
        self.validations: list[tuple[str, str]] = []  # (service, ticket) as asked
        self.base_url = ""
        self._next: list[str] = []
        self._lock = threading.Lock()

    def issue(self, service: str, user: str) -> str:
        ticket = f"ST-{len(self.tickets) + 1}-{secrets.token_urlsafe(24)}-cas"
        with self._lock:
            self.tickets[ticket] = (service, user)
        return ticket

    def answer_next(self, kind: str) -> None:
        with self._lock:
            self._next.append(kind)

    def validate(self, query: dict[str, str]) -> tuple[int, bytes]:
        with self._lock:
            kind = self._next.pop(0) if self._next else None
            self.validations.append((query.get("service", ""), query.get("ticket", "")))
        if kind is not None:
            return _broken(kind)
        service, ticket = query.get("service"), query.get("ticket")
        if not service or not ticket:
            return 200, _failure("INVALID_REQUEST", "service and ticket are required")
        with self._lock:
            issued = self.tickets.pop(ticket, None)
        if issued is None:
            return 200, _failure("INVALID_TICKET", f"Ticket {ticket[:20]} not recognized")
        if issued[0] != service:
            return 200, _failure("INVALID_SERVICE", "the ticket was issued for another service")
        user = issued[1]
        attributes = "".join(
            f"<cas:{name}>{html.escape(value)}</cas:{name}>" for name, value in self.attributes.get(user, {}).items()
        )
        body = (
            f'<cas:serviceResponse xmlns:cas="{NS}">\n  <cas:authenticationSuccess>\n'
            f"    <cas:user>{html.escape(user)}</cas:user>\n"
            f"    <cas:attributes>{attributes}</cas:attributes>\n"
            "  </cas:authenticationSuccess>\n</cas:serviceResponse>\n"
        )
        return 200, body.encode()


def _failure(code: str, text: str) -> bytes:
    return (
        f'<cas:serviceResponse xmlns:cas="{NS}">\n'
        f'  <cas:authenticationFailure code="{code}">{html.escape(text)}</cas:authenticationFailure>\n'
        "</cas:serviceResponse>\n"
    ).encode()


def _broken(kind: str) -> tuple[int, bytes]:
    if kind == "garbage":
        return 200, b"<html><body>Service Temporarily Unavailable</body></html"
    if kind == "doctype":
        bomb = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        return 200, (
            f'{bomb}<cas:serviceResponse xmlns:cas="{NS}"><cas:authenticationSuccess>'
            "<cas:user>&lol2;</cas:user></cas:authenticationSuccess></cas:serviceResponse>"
        ).encode()
    if kind == "huge":
        return 200, _failure("INVALID_TICKET", "x" * 70_000)
    if kind == "stall":
        time.sleep(5)
        return 200, _failure("INVALID_TICKET", "too late")
    return 500, b"Internal Server Error"


def with_ticket(service: str, ticket: str) -> str:
    parts = urlsplit(service)
    query = f"{parts.query}&" if parts.query else ""
    return urlunsplit(parts._replace(query=f"{query}{urlencode({'ticket': ticket})}"))


_LOGIN_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>统一身份认证</title></head>
<body><h1>统一身份认证</h1>{error}
<form method="post" action="/cas/login">
<input type="hidden" name="service" value="{service}">
<label>用户名 <input name="username" id="username"></label>
<label>密码 <input name="password" id="password" type="password"></label>
<button type="submit" id="login">登录</button></form></body></html>"""


@contextlib.contextmanager
def serving(fake: FakeCas) -> Iterator[FakeCas]:
    """``fake`` on a free port of 127.0.0.1 (``fake.base_url``: ``http://127.0.0.1:<port>/cas``) until the block
    ends."""

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {name: values[0] for name, values in parse_qs(parts.query).items()}
            if parts.path == "/cas/p3/serviceValidate":
                status, body = fake.validate(query)
                self.send_body(status, body, "application/xml; charset=utf-8")
            elif parts.path == "/cas/login" and query.get("service"):
                if fake.signed_in_as:
                    self._redirect(with_ticket(query["service"], fake.issue(query["service"], fake.signed_in_as)))
                else:
                    self._login_page(query["service"])
            else:
                self.send_body(404, b"not found", "text/plain")

        def do_POST(self) -> None:
            length = min(int(self.headers.get("Content-Length") or 0), 16 * 1024)
            form = {name: values[0] for name, values in parse_qs(self.rfile.read(length).decode()).items()}
            service, user = form.get("service", ""), form.get("username", "")
            if urlsplit(self.path).path != "/cas/login" or not service:
                self.send_body(400, b"bad request", "text/plain")
            elif fake.users.get(user) is None or fake.users[user] != form.get("password"):
                self._login_page(service, "<p id='error'>用户名或密码错误</p>", 401)
            else:
                self._redirect(with_ticket(service, fake.issue(service, user)))

        def _login_page(self, service: str, error: str = "", status: int = 200) -> None:
            body = _LOGIN_PAGE.format(error=error, service=html.escape(service, quote=True))
            self.send_body(status, body.encode(), "text/html; charset=utf-8")

        def _redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

    with serving_handler(Handler) as address:
        fake.base_url = address + "/cas"
        yield fake


if __name__ == "__main__":  # a local try-out: python -m tests.cas_fake [工号 ...]
    import sys

    people = sys.argv[1:] or ["2014001", "2009001"]
    with serving(FakeCas(dict.fromkeys(people, "cas"))) as running:
        print(f"Start make run with:\n  export CAS_BASE_URL='{running.base_url}'")
        print(f"CAS accounts (password 'cas'): {', '.join(people)}. Ctrl-C stops.", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
