"""``make run``'s DynamoDB Local after the web server died: recorded, reused or stopped, never anyone else's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devtools import dynamodb_local

ROOT = Path(__file__).resolve().parent.parent.parent


def _gone(pid: int, within: float = 15) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def paths(tmp_path):
    return tmp_path / "dynamodb", tmp_path / "dynamodb.log", tmp_path / "dynamodb.pid"


def test_a_left_over_database_is_reused_when_healthy_and_stopped_when_on_another_port(paths):
    db_path, log_path, pid_file = paths
    port = dynamodb_local.free_port()
    first, reused = dynamodb_local.start_or_reuse(port, db_path, log_path, pid_file)
    try:
        assert not reused
        record = dynamodb_local.read_pid_record(pid_file)
        assert record == dynamodb_local.PidRecord(first.pid, port, str(db_path.resolve()))
        # The web server died and left it running: the next run takes it over.
        again, reused = dynamodb_local.start_or_reuse(port, db_path, log_path, pid_file)
        assert reused and again.pid == first.pid and dynamodb_local.port_in_use(port)
        # A run on another port stops exactly that process and starts its own.
        other_port = dynamodb_local.free_port()
        moved, reused = dynamodb_local.start_or_reuse(other_port, db_path, log_path, pid_file)
        try:
            assert not reused and moved.pid != first.pid
            assert _gone(first.pid)
            assert dynamodb_local.read_pid_record(pid_file).port == other_port
        finally:
            moved.stop()
        assert _gone(moved.pid)
    finally:
        first.stop()


def test_a_recorded_pid_that_is_not_our_database_is_left_alone(paths):
    db_path, log_path, pid_file = paths
    stranger = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], start_new_session=True)
    try:
        port = dynamodb_local.free_port()
        pid_file.write_text(f'{{"pid": {stranger.pid}, "port": {port}, "db_path": "{db_path.resolve()}"}}')
        assert not dynamodb_local.is_ours(stranger.pid, port, db_path)
        server, reused = dynamodb_local.start_or_reuse(port, db_path, log_path, pid_file)
        try:
            assert not reused and stranger.poll() is None  # still running: not ours to stop
            assert dynamodb_local.read_pid_record(pid_file).pid == server.pid
        finally:
            server.stop()
    finally:
        stranger.kill()
        stranger.wait()


def test_a_busy_port_is_explained_without_stopping_everyone_s_databases(unused_port):
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", unused_port))
        listener.listen()
        with pytest.raises(dynamodb_local.LauncherError) as refused:
            dynamodb_local.start(unused_port)
    message = str(refused.value)
    assert "pkill" not in message and f"lsof -nP -iTCP:{unused_port}" in message


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")
def test_the_database_stops_when_the_process_that_started_it_is_killed(paths):
    db_path, log_path, pid_file = paths
    port = dynamodb_local.free_port()
    script = (
        "import sys, time; from pathlib import Path; from devtools import dynamodb_local as d; "
        f"s, _ = d.start_or_reuse({port}, Path({str(db_path)!r}), Path({str(log_path)!r}), Path({str(pid_file)!r})); "
        "print(s.pid, flush=True); time.sleep(120)"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        java_pid = int(parent.stdout.readline())
        assert dynamodb_local.is_ours(java_pid, port, db_path)
        parent.send_signal(signal.SIGKILL)  # `make run` dies without cleaning up
        parent.wait()
        assert _gone(java_pid), "DynamoDB Local outlived the process that started it"
        assert not dynamodb_local.port_in_use(port)
    finally:
        if parent.poll() is None:
            parent.kill()
        record = dynamodb_local.read_pid_record(pid_file)
        if record and dynamodb_local.is_ours(record.pid, port, db_path):
            dynamodb_local.stop_pid(record.pid)
