"""The local server with several worker processes (devtools/devserver.py), run as `make run` runs it, in a process
of its own against the tests' DynamoDB Local: two workers both answer, each from its own process; a worker that
dies is replaced, one that dies as it starts stops the server; SIGTERM stops them at once and killing the server
(SIGKILL, no clean-up) leaves no worker behind; WORKERS=1 serves from the one process; a bad WORKERS is refused.
Workers name themselves in an ``X-Worker`` header (the local server only)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from devtools import dynamodb_local
from devtools.devserver import START_FAILURE_SECONDS
from tests.polling import within

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60


def _children(pid: int) -> set[int]:
    """Live processes whose parent is ``pid`` (from /proc; zombies count as gone)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, parent = stat.rsplit(")", 1)[1].split()[:2]
        if int(parent) == pid and state not in "ZX":
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in "ZX"


def _health(base: str) -> tuple[int, str | None, dict]:
    """One GET /api/health on a new connection: status, the X-Worker header, the body."""
    # Generous: a worker's first request imports the routes it needs, slow on a busy machine (measured 5.7 s).
    with urllib.request.urlopen(base + "/api/health", timeout=60) as response:
        return response.status, response.headers.get("X-Worker"), json.loads(response.read())


@contextmanager
def _server(workers: str, log: Path) -> Iterator[tuple[subprocess.Popen, str, float]]:
    """``python -m devtools.devserver`` on a free port (stage test: the tests' database, from this environment);
    yields the process, its base URL and when it was started (monotonic) once /api/health answers."""
    port = dynamodb_local.free_port()
    launched = time.monotonic()
    command = [sys.executable, "-m", "devtools.devserver", "--port", str(port), "--stage", "test"]
    with open(log, "wb") as out:
        # Its own session, so that the clean-up below can stop whatever is left of it, workers included.
        process = subprocess.Popen(
            command, cwd=ROOT, env=os.environ | {"WORKERS": workers}, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:

        def healthy() -> bool:
            assert process.poll() is None, log.read_text()
            try:
                return _health(base)[0] == 200
            except OSError:
                return False

        assert within(healthy, START_TIMEOUT), log.read_text()
        yield process, base, launched
    finally:
        dynamodb_local.stop_process_group(process)


def _answering_workers(base: str, wanted: set[str], limit: int = 200) -> set[str]:
    """Send concurrent requests (each on a new connection), 10 at a time, until every worker in ``wanted`` has
    answered, or ``limit`` requests; returns the workers seen."""
    seen: set[str] = set()
    with ThreadPoolExecutor(10) as pool:
        for _ in range(limit // 10):
            for status, worker, body in pool.map(lambda _: _health(base), range(10)):
                assert status == 200 and body["dynamodb"]["ok"] is True
                assert worker is not None
                seen.add(worker)
            if wanted <= seen:
                break
    return seen


def test_two_workers_answer_each_from_its_own_process_a_dead_one_is_replaced_and_sigterm_stops_them(dynamodb, tmp_path):
    log = tmp_path / "server.log"
    with _server("2", log) as (process, base, launched):
        workers = _children(process.pid)
        assert len(workers) == 2
        names = {str(pid) for pid in workers}
        assert _answering_workers(base, names) == names  # both, and not the parent: it only watches

        # A worker that dies once it has served is reported and replaced (one that dies as it starts stops all).
        time.sleep(max(0.0, START_FAILURE_SECONDS + 1 - (time.monotonic() - launched)))
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        assert within(lambda: len(_children(process.pid) - workers) == 1, 30), log.read_text()
        (replacement,) = _children(process.pid) - workers
        assert _children(process.pid) == workers - {victim} | {replacement}
        assert str(replacement) in _answering_workers(base, {str(replacement)}) and process.poll() is None
        assert f"Worker process {victim} was killed by SIGKILL" in log.read_text()

        # SIGTERM (as Ctrl-C): the workers, which have served, stop at once, not when the parent gives up on them.
        stopping = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0
        alive = _children(process.pid) | {pid for pid in (workers - {victim}) | {replacement} if _alive(pid)}
        assert not alive and time.monotonic() - stopping < 5


def test_killing_the_server_leaves_no_worker_alive(dynamodb, tmp_path):
    with _server("2", tmp_path / "server.log") as (process, _, _):
        workers = _children(process.pid)
        assert len(workers) == 2
        # No clean-up at all: only the pipe it held tells the workers.
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        assert within(lambda: not any(_alive(pid) for pid in workers), 10), [p for p in workers if _alive(p)]


def test_one_worker_serves_from_the_server_process_itself(dynamodb, tmp_path):
    with _server("1", tmp_path / "server.log") as (process, base, _):
        assert _answering_workers(base, {str(process.pid)}, limit=30) == {str(process.pid)}
        assert _children(process.pid) == set()


def test_a_bad_workers_value_is_refused_with_a_clear_error():
    command = [sys.executable, "-m", "devtools.devserver", "--port", str(dynamodb_local.free_port())]
    for value in ("0", "abc", "999"):
        done = subprocess.run(
            command, cwd=ROOT, env=os.environ | {"WORKERS": value}, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 2
        assert f"error: WORKERS must be a whole number from 1 to {4 * (os.cpu_count() or 1)}" in done.stderr
        assert repr(value) in done.stderr


def test_a_worker_that_dies_as_it_starts_stops_the_server(tmp_path):
    # A module the app imports and the server's own process does not, broken: every worker fails on import.
    (tmp_path / "pydantic.py").write_text('raise ImportError("broken on purpose")\n')
    command = [sys.executable, "-m", "devtools.devserver", "--port", str(dynamodb_local.free_port())]
    environment = os.environ | {"WORKERS": "2", "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "ImportError: broken on purpose" in done.stderr
    assert "as it started; stopping (its error is above)" in done.stderr
