"""``chalice local`` with two differences: a path that no route matches answers 404 in the app's error format, and
the app can be served by several worker processes on one port, as Lambda runs one process per concurrent request.

Chalice's local server mimics API Gateway's default (403 "Missing Authentication Token") for unknown paths;
deployed, API Gateway's gateway responses are set to answer the same 404 as here (see infra/). Everything else
is Chalice's own local server, configured from .chalice/config.json for the given stage.

Workers (``WORKERS``, default one per core; ``WORKERS=1`` serves from the calling process itself, for pdb): each is
a fresh Python process that imports the app once and keeps its own caches, like a warm Lambda container, and
serves with threads (a phone's keep-alive connection holds a thread, not the whole worker). A sign-out or a
password change reaches the other workers' identity caches within IDENTITY_TTL_SECONDS, as it reaches other
containers deployed (chalicelib/services/identity.py). Each worker adds ``X-Worker: <its pid>`` to its answers (the
tests see which process answered; never deployed: Lambda does not run this file).

    python -m devtools.devserver [--host 127.0.0.1] [--port 8000] [--stage dev] [--keep NAME ...]
"""

from __future__ import annotations

import argparse
import functools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from typing import Any
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
# More processes than this per core only add memory: each worker already serves with threads while it waits on
# DynamoDB, and the cores are what the processes share.
WORKERS_PER_CORE_LIMIT = 4
# A worker that exits sooner than this after it started failed to start (an import error, a bad configuration):
# starting it again would fail again, so the server stops. One that dies later is reported and replaced, as Lambda
# replaces a container that crashed.
START_FAILURE_SECONDS = 5.0


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


class _NamedRequestHandler(_RequestHandler):
    """Answers name the process that served them (``serve`` and worker processes only)."""

    def end_headers(self) -> None:
        self.send_header("X-Worker", str(os.getpid()))
        super().end_headers()


class _Server(ThreadedHTTPServer):
    # The socketserver default (5 waiting connections) resets connections when a room full of phones opens the
    # same link at once; the kernel caps this at net.core.somaxconn anyway.
    request_queue_size = 128

    def __init__(self, address: Any, handler: Any, listening: socket.socket | None = None) -> None:
        if listening is None:
            super().__init__(address, handler)
            return
        # Serve on a socket bound already (by this process, or by the parent of a worker).
        super().__init__(address, handler, bind_and_activate=False)
        self.socket.close()
        self.socket = listening
        self.server_address = listening.getsockname()
        self.server_name = socket.getfqdn(self.server_address[0])
        self.server_port = self.server_address[1]

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = self.socket.accept()
        # A worker's listening socket is non-blocking (see WorkerPool); the connection must not be: the handler
        # reads the request with blocking reads (and on BSD/macOS, accept() passes O_NONBLOCK on).
        connection.setblocking(True)
        return connection, address


def listen(host: str, port: int) -> socket.socket:
    """The listening socket for ``host:port`` (raises OSError when the port is taken)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=_Server.request_queue_size)


def load_stage(stage: str) -> tuple[LocalChalice, Any]:
    """Load the app as ``chalice local --stage`` does: the stage's environment variables are set in this process
    (over what was there) before the app is imported. Returns the app, made safe to serve from several threads,
    and its config."""
    factory = chalice_factory.CLIFactory(project_dir=str(ROOT), environ=os.environ)
    config = factory.create_config_obj(chalice_stage_name=stage)
    app = config.chalice_app
    # As chalice.local.create_local_server does. The app module is imported once per process, so a second server in
    # the same process (tests) finds it already wrapped.
    if not isinstance(app, CustomLocalChalice):
        CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
        app.__class__ = CustomLocalChalice
    return app, config


def create_server(
    host: str,
    port: int,
    stage: str = "dev",
    listening: socket.socket | None = None,
    name_process: bool = False,
) -> LocalDevServer:
    """The app of ``stage`` served from this process, on ``listening`` if given (else ``host:port`` is bound now);
    ``name_process``: answers carry ``X-Worker: <pid>``."""
    app, config = load_stage(stage)
    handler = _NamedRequestHandler if name_process else _RequestHandler
    server_cls = functools.partial(_Server, listening=listening)
    return LocalDevServer(app, config, host, port, handler_cls=handler, server_cls=server_cls)


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


# ---- several worker processes ------------------------------------------------------------------------------


class WorkerCountError(ValueError):
    """WORKERS is not a number of processes this machine should run."""


def worker_count(value: str | None, cores: int | None = None) -> int:
    """The number of worker processes ``WORKERS`` asks for: unset or empty means one per core; otherwise a whole
    number from 1 to WORKERS_PER_CORE_LIMIT per core. Anything else ("0", "abc", "999" on two cores) is an error
    saying so, not a guess: a typo should not quietly serve with some other number."""
    cores = cores or os.cpu_count() or 1
    if value is None or not value.strip():
        return cores
    limit = WORKERS_PER_CORE_LIMIT * cores
    text = value.strip()
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= limit):
        raise WorkerCountError(
            f"WORKERS must be a whole number from 1 to {limit} ({WORKERS_PER_CORE_LIMIT} per core, {cores} cores "
            f"here; unset: one per core); got {value!r}"
        )
    return int(text)


def workers_line(count: int) -> str:
    """The console line that says how the app is served."""
    if count == 1:
        return "Serving from this one process (WORKERS=1: breakpoints and pdb work)"
    return f"Serving with {count} worker processes (WORKERS={count}; WORKERS=1 to debug)"


class WorkerFailed(RuntimeError):
    """A worker process exited right after it started; the server stops rather than start it again and again."""


def _exit_status(code: int) -> str:
    if code < 0:
        return f"was killed by {signal.Signals(-code).name}"
    return f"exited with code {code}"


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    started: float


class WorkerPool:
    """``count`` worker processes serving the app of ``stage`` on one listening socket bound by this process.

    Pre-fork, not SO_REUSEPORT: the socket is bound once here, so a port already in use is one clear error (with
    SO_REUSEPORT a second server of the same user binds the same port without complaint and takes half the
    connections), it works alike on Linux and macOS (where SO_REUSEPORT does not spread connections), and a
    connection goes to whichever worker accepts first, an idle one, rather than to the one a hash of its address
    picks. Connections that arrive while the workers import the app wait in the socket's queue.

    Workers are started fresh (``python -m devtools.devserver --worker``), not forked from this process, which has
    threads and open connections to DynamoDB a fork would copy. Each gets the socket and the read end of a pipe
    whose write end only this process holds: when this process ends, however it ends (Ctrl-C, SIGTERM, SIGKILL, a
    crash), the pipe reads end-of-file and the worker exits. ``keep`` names environment variables whose values as
    this process has them win over the stage's config in the workers (loading the stage sets its own).
    """

    def __init__(self, listening: socket.socket, stage: str, count: int, keep: Sequence[str] = ()) -> None:
        self.listening = listening
        self.stage = stage
        self.count = count
        self.keep = tuple(keep)
        self._workers: list[_Worker] = []
        self._stopping = False
        self._parent_alive_read, self._parent_alive_write = os.pipe()

    @property
    def pids(self) -> list[int]:
        return [worker.process.pid for worker in self._workers]

    def start(self) -> None:
        # Non-blocking (the flag is shared by every process holding the socket): a worker that wakes for a
        # connection another worker took gets "would block" instead of hanging in accept().
        self.listening.setblocking(False)
        self._workers = [self._spawn() for _ in range(self.count)]

    def _spawn(self) -> _Worker:
        fds = (self.listening.fileno(), self._parent_alive_read)
        command = [sys.executable, "-m", "devtools.devserver", "--worker", "--stage", self.stage]
        command += ["--listening-fd", str(fds[0]), "--parent-alive-fd", str(fds[1])]
        command += [argument for name in self.keep for argument in ("--keep", name)]
        # The same process group: a terminal's Ctrl-C reaches the workers too (they leave it to us and wait for
        # our SIGTERM), and whoever stops our group stops them.
        process = subprocess.Popen(command, cwd=ROOT, pass_fds=fds, stdin=subprocess.DEVNULL)
        return _Worker(process, time.monotonic())

    def check(self) -> None:
        """Report a worker that exited and start another in its place; raise WorkerFailed if it had only just
        started."""
        for index, worker in enumerate(self._workers):
            code = worker.process.poll()
            if code is None or self._stopping:
                continue
            lived = time.monotonic() - worker.started
            what = f"Worker process {worker.process.pid} {_exit_status(code)} after {lived:.1f}s"
            if lived < START_FAILURE_SECONDS:
                raise WorkerFailed(f"{what}, as it started; stopping (its error is above)")
            print(f"{what}; starting another.", file=sys.stderr, flush=True)
            self._workers[index] = self._spawn()

    def wait(self, interval: float = 0.5) -> None:
        """Watch the workers until interrupted (KeyboardInterrupt) or one fails to start (WorkerFailed)."""
        while True:
            self.check()
            time.sleep(interval)

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM to every worker, SIGKILL to any still there after ``timeout``."""
        self._stopping = True
        for worker in self._workers:
            if worker.process.poll() is None:
                worker.process.terminate()
        deadline = time.monotonic() + timeout
        for worker in self._workers:
            try:
                worker.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
        for fd in (self._parent_alive_read, self._parent_alive_write):
            with suppress(OSError):
                os.close(fd)


def serve(host: str, port: int, stage: str = "dev", workers: int | None = None, keep: Sequence[str] = ()) -> None:
    """Serve the app of ``stage`` on ``host:port`` until this process is stopped (benchmarks' and tests' servers).
    ``workers``: processes (default: ``WORKERS``, else one per core); 1 serves from this process. ``keep``: see
    WorkerPool. SIGTERM here stops the workers politely; however else this process ends, they follow it."""
    count = workers if workers is not None else worker_count(os.environ.get("WORKERS"))
    serve_on(listen(host, port), stage, count, keep)


def serve_on(listening: socket.socket, stage: str, count: int, keep: Sequence[str] = ()) -> None:
    """``serve`` on a socket bound already."""
    if count == 1:
        kept = {name: os.environ[name] for name in keep if name in os.environ}
        host, port = listening.getsockname()[:2]
        server = create_server(host, port, stage, listening=listening, name_process=True)
        _use_environment(kept)
        server.server.serve_forever()
        return
    pool = WorkerPool(listening, stage, count, keep)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)
    pool.start()
    try:
        pool.wait()
    except KeyboardInterrupt:
        pass
    finally:
        pool.stop()
        listening.close()


def _use_environment(values: dict[str, str]) -> None:
    """Set ``values`` over the stage's, before the first request reads the settings."""
    from chalicelib.settings import get_settings
    from chalicelib.storage import get_store

    os.environ.update(values)
    get_settings.cache_clear()
    get_store.cache_clear()


def _exit_now(*_: object) -> None:
    """End this worker at once, as Lambda ends a container: requests in flight are cut off (the parent is going away
    or stopping us), the log lines printed so far are kept. Not ``sys.exit``: once the app has served a request,
    the interpreter's exit waits on a thread of its own (measured: a worker still there when SIGKILL came, 10 s on)."""
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):
            stream.flush()
    os._exit(0)


def _watch_parent(parent_alive_fd: int) -> None:
    """Exit when the parent process has gone: its end of the pipe is closed then, and read() returns b""."""

    def watch() -> None:
        while os.read(parent_alive_fd, 1):
            pass
        _exit_now()

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _run_worker(stage: str, listening_fd: int, parent_alive_fd: int, keep: Sequence[str]) -> None:
    """A worker process: the app loaded once, then served until the parent stops us or goes away."""
    # Ctrl-C in a terminal reaches the whole process group; the parent answers it and stops us with SIGTERM.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_now)
    _watch_parent(parent_alive_fd)
    kept = {name: os.environ[name] for name in keep if name in os.environ}
    listening = socket.socket(fileno=listening_fd)
    listening.setblocking(False)  # the parent set the flag on the socket; this object must know it
    host, port = listening.getsockname()[:2]
    server = create_server(host, port, stage, listening=listening, name_process=True)
    _use_environment(kept)
    server.server.serve_forever()  # not LocalDevServer's, which prints a "Serving on" line per worker


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.devserver", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--stage", default="dev")
    parser.add_argument("--keep", action="append", default=[], metavar="NAME", help="see WorkerPool")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--listening-fd", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--parent-alive-fd", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _run_worker(args.stage, args.listening_fd, args.parent_alive_fd, args.keep)
        return 0
    try:
        count = worker_count(os.environ.get("WORKERS"))
    except WorkerCountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        listening = listen(args.host, args.port)
    except OSError as exc:
        print(f"error: cannot serve on {args.host}:{args.port} ({exc.strerror})", file=sys.stderr)
        return 1
    print(workers_line(count), flush=True)
    try:
        serve_on(listening, args.stage, count, args.keep)
    except WorkerFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
