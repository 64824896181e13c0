"""``chalice local`` with one difference: a path that no route matches answers 404 in the app's error format.

Chalice's local server mimics API Gateway's default (403 "Missing Authentication Token") for unknown paths;
deployed, API Gateway's gateway responses are set to answer the same 404 as here (see infra/). Everything else
is Chalice's own local server, configured from .chalice/config.json for the given stage.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from chalice.cli import factory as chalice_factory
from chalice.local import (
    ChaliceRequestHandler,
    CustomLocalChalice,
    ForbiddenError,
    LocalChalice,
    LocalDevServer,
    LocalGatewayException,
    ThreadedHTTPServer,
)

ROOT = Path(__file__).resolve().parent.parent


class _RequestHandler(ChaliceRequestHandler):
    # Chalice writes the headers and the body separately; with Nagle's algorithm on, every response then waits
    # ~40 ms for the client's delayed ACK (measured: one station's scan p50 60 ms -> 16 ms).
    disable_nagle_algorithm = True

    def _send_error_response(self, error: LocalGatewayException) -> None:
        if not isinstance(error, ForbiddenError):
            super()._send_error_response(error)
            return
        from chalicelib.http.middleware import unknown_route_response

        url = urlsplit(self.path)
        lang_cookie = None
        try:
            jar = SimpleCookie(self.headers.get("cookie", ""))
            lang_cookie = jar["lang"].value if "lang" in jar else None
        except CookieError:
            pass
        response = unknown_route_response(
            url.path.rstrip("/") or "/",
            (parse_qs(url.query).get("lang") or [None])[0],
            lang_cookie,
            self.headers.get("accept-language"),
        )
        body = response.body.encode("utf-8") if isinstance(response.body, str) else response.body
        self._send_http_response(response.status_code, response.headers, body)


class _Server(ThreadedHTTPServer):
    # The socketserver default (5 waiting connections) resets connections when a room full of phones opens the
    # same link at once; the kernel caps this at net.core.somaxconn anyway.
    request_queue_size = 128


def create_server(host: str, port: int, stage: str = "dev") -> LocalDevServer:
    """Load the app as ``chalice local --stage`` does (stage environment set before import) and serve it."""
    factory = chalice_factory.CLIFactory(project_dir=str(ROOT), environ=os.environ)
    config = factory.create_config_obj(chalice_stage_name=stage)
    app = config.chalice_app
    # As chalice.local.create_local_server does: make the app safe to serve from several threads. The app module
    # is imported once per process, so a second server in the same process (tests) finds it already wrapped.
    if not isinstance(app, CustomLocalChalice):
        CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
        app.__class__ = CustomLocalChalice
    return LocalDevServer(app, config, host, port, handler_cls=_RequestHandler, server_cls=_Server)


@contextmanager
def serving_in_thread(stage: str = "test") -> Iterator[str]:
    """The app served from a thread of this process on a free local port (tests); yields its base URL and stops
    the server when the block ends."""
    from devtools.dynamodb_local import free_port

    port = free_port()
    server = create_server("127.0.0.1", port, stage=stage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
