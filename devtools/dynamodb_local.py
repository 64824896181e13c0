"""DynamoDB Local, fetched from the npm registry and run with Java on a loopback port.

AWS publishes DynamoDB Local as a Java program; the npm package ``amplify-dynamodb-simulator`` carries it. We
fetch that package once with ``npm pack`` (no install, no scripts run), check its SHA-256, and unpack the
emulator into ``.cache/`` (ignored by git).

    python -m devtools.dynamodb_local fetch
    python -m devtools.dynamodb_local serve --port 8001 --db-path .data/dynamodb   # foreground, Ctrl-C stops
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
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


@dataclass
class DynamoDBLocal:
    """A running DynamoDB Local process. Use as a context manager, or call ``stop()``."""

    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self, timeout: float = 10) -> None:
        # Java was started in its own process group; signal the group so no child survives.
        stop_process_group(self.process, timeout)

    def __enter__(self) -> DynamoDBLocal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start(port: int, db_path: Path | None = None, log_path: Path | None = None, wait: float = 60) -> DynamoDBLocal:
    """Start DynamoDB Local on 127.0.0.1:``port``; in memory unless ``db_path`` is given. Waits until it answers."""
    java = java_path()
    home = emulator_dir()
    if port_in_use(port):
        raise LauncherError(
            f"Port {port} is already in use. Stop whatever listens there (a DynamoDB Local left from an earlier "
            f"run? try: pkill -f DynamoDBLocal.jar) or choose another port."
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
