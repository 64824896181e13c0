"""DynamoDB Local, fetched from the npm registry and run with Java on a loopback port.

AWS publishes DynamoDB Local as a Java program; the npm package ``amplify-dynamodb-simulator`` carries it. We
fetch that package once with ``npm pack`` (no install, no scripts run), check its SHA-256, and unpack the
emulator into ``.cache/`` (ignored by git).

    python -m devtools.dynamodb_local fetch
    python -m devtools.dynamodb_local serve --port 8001 --db-path .data/dynamodb   # foreground, Ctrl-C stops

``make run`` records the process it starts (``.data/dynamodb.pid``: pid, port, data folder). If the web server
dies without stopping it, the next run finds that record: it reuses the process when it is still that DynamoDB
Local (same command line, port and data) and answers, and otherwise stops exactly that process, never anyone
else's. On Linux the process is also tied to its parent, so it stops when the web server dies at all.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import ctypes.util
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "amplify-dynamodb-simulator"
VERSION = "2.9.30"  # carries DynamoDB Local 1.25.1
TARBALL_SHA256 = "3503ffac19f183407909fecdacf4db51ab1fdad1da7b2f177016670b2d80e4b9"

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / ".cache" / "dynamodb-local" / VERSION


class LauncherError(RuntimeError):
    """Something the developer must fix; the message says what."""


def _require(tool: str, advice: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise LauncherError(f"'{tool}' was not found on PATH. {advice}")
    return path


def java_path() -> str:
    return _require(
        "java",
        "DynamoDB Local needs Java 17 or newer: on Debian/Ubuntu run "
        "'apt-get install -y openjdk-17-jre-headless'; on macOS 'brew install openjdk@17'.",
    )


def emulator_dir() -> Path:
    """The unpacked emulator, fetching and verifying it first if it is not cached."""
    jar = CACHE_DIR / "DynamoDBLocal.jar"
    if jar.exists():
        return CACHE_DIR
    npm = _require(
        "npm",
        "It is used only to download DynamoDB Local from the npm registry: on Debian/Ubuntu run "
        "'apt-get install -y npm' (or install Node.js 18+ from nodejs.org).",
    )
    CACHE_DIR.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE_DIR.parent) as scratch:
        print(f"Fetching {PACKAGE}@{VERSION} (about 57 MB, once) ...", flush=True)
        subprocess.run(
            [npm, "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", scratch, "--silent"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        tarball = Path(scratch) / f"{PACKAGE}-{VERSION}.tgz"
        digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
        if digest != TARBALL_SHA256:
            raise LauncherError(f"{tarball.name} has SHA-256 {digest}, expected {TARBALL_SHA256}; refusing to use it.")
        unpacked = Path(scratch) / "unpacked"
        with tarfile.open(tarball) as archive:
            members = [m for m in archive.getmembers() if m.name.startswith("package/emulator/")]
            archive.extractall(unpacked, members=members, filter="data")
        # Rename into place last, so an interrupted fetch never leaves a half-unpacked cache behind.
        os.replace(unpacked / "package" / "emulator", CACHE_DIR)
    return CACHE_DIR


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _answers(endpoint: str) -> bool:
    """True once the server answers a DynamoDB API call (any HTTP answer to a ListTables POST)."""
    request = urllib.request.Request(
        endpoint,
        data=b"{}",
        headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "DynamoDB_20120810.ListTables",
            "Authorization": "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, "
            "SignedHeaders=host, Signature=0",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=1):
            return True
    except urllib.error.HTTPError:
        return True  # it answered, even if it disliked the fake signature
    except OSError:
        return False


def stop_process_group(process: subprocess.Popen, timeout: float = 10) -> None:
    """Stop a process started in its own session and everything it started: politely, then firmly."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive, and certainly not ours
    return True


def stop_pid(pid: int, timeout: float = 10) -> None:
    """Stop a process we started earlier but no longer hold (no Popen): its group, politely, then firmly."""
    for signum in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signum)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)  # reap it if it happens to be our child
            if not _alive(pid):
                return
            time.sleep(0.1)


@dataclass
class DynamoDBLocal:
    """A running DynamoDB Local process. Use as a context manager, or call ``stop()``.

    ``process`` is None for one started by an earlier ``make run`` and taken over by this one (``pid`` only)."""

    process: subprocess.Popen[bytes] | None
    port: int
    log_path: Path
    adopted_pid: int | None = None

    @property
    def pid(self) -> int:
        return self.process.pid if self.process is not None else int(self.adopted_pid or 0)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self, timeout: float = 10) -> None:
        # Java was started in its own process group; signal the group so no child survives.
        if self.process is not None:
            stop_process_group(self.process, timeout)
        elif self.adopted_pid:
            stop_pid(self.adopted_pid, timeout)

    def __enter__(self) -> DynamoDBLocal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _die_with_parent() -> None:
    """In the child, before Java starts (Linux): receive SIGTERM when the process that started us dies."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    pr_set_pdeathsig = 1
    libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)


def start(
    port: int,
    db_path: Path | None = None,
    log_path: Path | None = None,
    wait: float = 60,
    *,
    die_with_parent: bool = False,
) -> DynamoDBLocal:
    """Start DynamoDB Local on 127.0.0.1:``port``; in memory unless ``db_path`` is given. Waits until it answers.

    ``die_with_parent`` (Linux): the process stops when the one that started it dies, even by SIGKILL. Start it
    from the main thread then: the kernel watches the thread that started it."""
    java = java_path()
    home = emulator_dir()
    if port_in_use(port):
        raise LauncherError(
            f"Port {port} is already in use by another program. Choose another port, or find what listens there "
            f"(lsof -nP -iTCP:{port} -sTCP:LISTEN, or ss -ltnp 'sport = :{port}') and stop that process by its pid."
        )
    storage = ["-inMemory"]
    if db_path is not None:
        db_path.mkdir(parents=True, exist_ok=True)
        storage = ["-dbPath", str(db_path)]
    log_path = log_path or Path(tempfile.gettempdir()) / f"dynamodb-local-{port}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    command = [
        java,
        "-Xms64m",
        "-Xmx1g",
        f"-Djava.library.path={home / 'DynamoDBLocal_lib'}",
        "-jar",
        str(home / "DynamoDBLocal.jar"),
        "-port",
        str(port),
        "-sharedDb",  # every credential and region sees the same tables
        "-disableTelemetry",  # no network calls home (and none are reachable from many networks)
        *storage,
    ]
    with open(log_path, "wb") as log:
        # DynamoDB Local writes a metadata file into its working directory; keep it out of the project.
        process = subprocess.Popen(
            command,
            cwd=db_path or tempfile.gettempdir(),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent if die_with_parent and sys.platform.startswith("linux") else None,
        )
    server = DynamoDBLocal(process=process, port=port, log_path=log_path)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LauncherError(f"DynamoDB Local exited with code {process.returncode}; see {log_path}")
        if _answers(server.endpoint):
            return server
        time.sleep(0.2)
    server.stop()
    raise LauncherError(f"DynamoDB Local did not answer on port {port} within {wait:.0f}s; see {log_path}")


# ---- the process `make run` started: recorded, reused or stopped, never someone else's ---------------------------


@dataclass(frozen=True)
class PidRecord:
    pid: int
    port: int
    db_path: str


def read_pid_record(pid_file: Path) -> PidRecord | None:
    try:
        data = json.loads(pid_file.read_text())
        return PidRecord(int(data["pid"]), int(data["port"]), str(data["db_path"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_pid_record(pid_file: Path, server: DynamoDBLocal, db_path: Path) -> None:
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    record = {"pid": server.pid, "port": server.port, "db_path": str(db_path.resolve())}
    pid_file.write_text(json.dumps(record) + "\n")


def command_line(pid: int) -> list[str] | None:
    """The arguments a process was started with, or None if it is gone or cannot be read."""
    proc = Path(f"/proc/{pid}/cmdline")
    if proc.exists():
        with contextlib.suppress(OSError):
            return [part.decode(errors="replace") for part in proc.read_bytes().split(b"\0") if part]
        return None
    try:  # macOS and other systems without /proc
        found = subprocess.run(["ps", "-o", "command=", "-p", str(pid)], capture_output=True, text=True, check=False)
    except OSError:
        return None
    return found.stdout.split() or None


def is_ours(pid: int, port: int, db_path: Path) -> bool:
    """Whether ``pid`` is a DynamoDB Local serving ``port`` from ``db_path`` (a recycled pid is not)."""
    arguments = command_line(pid) if _alive(pid) else None
    if not arguments or not any(argument.endswith("DynamoDBLocal.jar") for argument in arguments):
        return False

    def value(flag: str) -> str | None:
        index = arguments.index(flag) if flag in arguments else -1
        return arguments[index + 1] if 0 <= index < len(arguments) - 1 else None

    return value("-port") == str(port) and value("-dbPath") == str(db_path.resolve())


def start_or_reuse(port: int, db_path: Path, log_path: Path, pid_file: Path) -> tuple[DynamoDBLocal, bool]:
    """DynamoDB Local for ``make run``: the one an earlier run left behind if it is still healthy on this port and
    data, else a new one (after stopping exactly the left-over one). Returns it and whether it was reused."""
    db_path = db_path.resolve()
    record = read_pid_record(pid_file)
    if record is not None:
        if is_ours(record.pid, record.port, Path(record.db_path)):
            if record.port == port and Path(record.db_path) == db_path and _answers(f"http://127.0.0.1:{port}"):
                return DynamoDBLocal(process=None, port=port, log_path=log_path, adopted_pid=record.pid), True
            stop_pid(record.pid)  # ours, but on another port or data, or not answering
        pid_file.unlink(missing_ok=True)  # stopped, gone, or the pid now belongs to someone else
    server = start(port, db_path=db_path, log_path=log_path, die_with_parent=True)
    write_pid_record(pid_file, server, db_path)
    return server, False


@contextlib.contextmanager
def running(port: int, db_path: Path | None = None) -> Iterator[DynamoDBLocal]:
    server = start(port, db_path)
    try:
        yield server
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.dynamodb_local", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("fetch", help="download and verify DynamoDB Local into .cache/")
    serve = commands.add_parser("serve", help="run DynamoDB Local in the foreground until Ctrl-C")
    serve.add_argument("--port", type=int, default=8001)
    serve.add_argument("--db-path", type=Path, help="persist data in this folder (default: in memory)")
    args = parser.parse_args(argv)
    try:
        if args.command == "fetch":
            print(f"DynamoDB Local ready in {emulator_dir()}")
            return 0
        with running(args.port, args.db_path) as server:
            print(f"DynamoDB Local answering on {server.endpoint} (Ctrl-C stops it)", flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                server.process.wait()
        return 0
    except LauncherError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
