"""``make run``: DynamoDB Local with persistent data, tables, the demo union, and the app on http://127.0.0.1:8000.

An empty database gets the demo union loaded through the services (devtools.demo.loader, about a minute); the
marker ``.data/demo-loaded`` is written last, so an interrupted load is recognised and never taken for a whole one.

Ctrl-C (or SIGTERM) stops the web server and DynamoDB Local; no Java process is left behind. If this process dies
without that (SIGKILL, a crash), DynamoDB Local stops with it on Linux; elsewhere the next ``make run`` finds it in
``.data/dynamodb.pid`` and reuses it, or stops exactly that process (devtools.dynamodb_local.start_or_reuse).
The app is served by WORKERS processes (default one per core; WORKERS=1 serves from this process, for pdb;
devtools/devserver.py); the stream pollers and scheduled jobs run once, in this process. Ctrl-C stops the workers
too, and they exit by themselves if this process dies.
Environment: PORT (web, default 8000), DYNAMODB_PORT (default 8001), HOST (default 127.0.0.1), WORKERS.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from devtools import dynamodb_local

if TYPE_CHECKING:
    from datetime import date, datetime

    from chalicelib.settings import Settings
    from chalicelib.storage import Store
    from devtools.demo.loader import DemoAccount

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / ".data"
PID_FILE = DATA_DIR / "dynamodb.pid"
LOADED_MARKER = DATA_DIR / "demo-loaded"  # written once the whole demo union is loaded


def _stop_on_signals() -> None:
    """Ctrl-C and SIGTERM both take the clean shutdown path (KeyboardInterrupt)."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # Installed explicitly: a process started from a non-interactive shell inherits SIGINT as ignored.
    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


def database_line(endpoint: str, data_dir: Path | str, tables_created: int) -> str:
    return f"DynamoDB Local: {endpoint} (data in {data_dir}); tables created: {tables_created}"


def seeded_line(seeded: Mapping[str, int]) -> str:
    return "Demo union seeded: " + ", ".join(f"{count} {name}" for name, count in seeded.items())


def running_text(host: str, port: int, seconds: float) -> str:
    """What ``make run`` prints once it serves (README.md shows it; tests/unit/test_readme.py holds them equal)."""
    return (
        f"\nunion-events is running ({seconds:.1f}s to start):\n"
        f"  首页 Home page      http://{host}:{port}/\n"
        f"  English             http://{host}:{port}/?lang=en\n"
        f"  活动报名 Events      http://{host}:{port}/events?open=1\n"
        f"  我的报名 Mine        http://{host}:{port}/me/registrations\n"
        f"  活动管理 Organise    http://{host}:{port}/admin/events\n"
        f"  健康检查 Health      http://{host}:{port}/api/health\n"
        f"  接口文档 API docs    http://{host}:{port}/api/docs\n"
        f"  OpenAPI             http://{host}:{port}/api/openapi.json\n"
        f"  登录 Sign in        http://{host}:{port}/signin"
    )


def account_line(account: DemoAccount) -> str:
    """One demo account: 工号, password, name and role."""
    return f"  {account.staff_no:<10} {account.password:<12} {account.name} · {account.role}"


def load_if_empty(store: Store, settings: Settings, today: date, marker: Path = LOADED_MARKER) -> dict[str, int] | str:
    """Load the demo union into an empty database, write ``marker`` last and return the counts; otherwise say what
    is there."""
    from devtools.demo.loader import load_demo, read_organisation
    from devtools.demo.union import counts, read_union

    school = read_organisation(today).units[0]
    if store.units.get(school.unit_id) is not None:
        if marker.exists():
            return "Demo data already present (delete .data/ to start over)."
        return "Demo data present but not completely loaded (an interrupted load?); delete .data/ to start over."
    organisation = load_demo(store, settings, today)
    loaded = counts(read_union(store, organisation, today))
    marker.write_text(f"{today.isoformat()}\n", encoding="utf-8")
    return loaded


def count_statistics(store: Store, created: list[str], loaded: dict[str, int] | str, at: datetime) -> list[str]:
    """A ``.data/`` of a version before the year's statistics: its stats table was only just created and the streams
    added (so the pollers see later changes only); count last year and this year from what it holds
    (services/stats.py rebuild --fix). Nothing when the table was there or the demo was loaded just now (the loader
    counts its own)."""
    from chalicelib.domain.stats import china_date
    from chalicelib.services.stats import rebuild
    from chalicelib.storage.tables import StatsTable

    if StatsTable.Meta.table_name not in created or not isinstance(loaded, str):
        return []
    year = china_date(at).year
    found = [rebuild(store, counted, at, fix=True) for counted in (year - 1, year)]
    return [f"Statistics counted for {r.year}: {r.events} events, {r.members} members' years" for r in found]


def start_workers() -> list[threading.Event]:
    """What Lambda runs deployed besides the API: the consumers of DynamoDB Local's streams, the notifications'
    delivery and the year's statistics (devtools/stream_poller.py, a thread per table, each resuming from its
    checkpoint in .data/), and every scheduled job at its rate (devtools/local_jobs.py: lotteries, reminders,
    delivery retries). Returns the events that stop them."""
    from devtools import local_jobs, stream_poller

    _, stop_poller = stream_poller.start_all(DATA_DIR)
    _, stop_jobs = local_jobs.start()
    return [stop_poller, stop_jobs]


def main() -> int:
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    ddb_port = int(os.environ.get("DYNAMODB_PORT", "8001"))
    from devtools import devserver

    try:
        worker_count = devserver.worker_count(os.environ.get("WORKERS"))
    except devserver.WorkerCountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    _stop_on_signals()
    started = time.monotonic()
    try:
        database, reused = dynamodb_local.start_or_reuse(
            ddb_port, DATA_DIR / "dynamodb", DATA_DIR / "dynamodb-local.log", PID_FILE
        )
    except dynamodb_local.LauncherError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if reused:
        print(f"Reusing DynamoDB Local (pid {database.pid}) left running by an earlier make run.")
    workers: list[threading.Event] = []
    pool: devserver.WorkerPool | None = None
    try:
        try:
            listening = devserver.listen(host, port)
        except OSError as exc:
            print(f"error: cannot serve on {host}:{port} ({exc.strerror}); set PORT=... to use another port.")
            return 1
        # WORKERS=1: served from this process, as before (pdb works). Otherwise this process only loads the stage's
        # environment (and the app, which the stream pollers call) and the workers serve.
        server = devserver.create_server(host, port, stage="dev", listening=listening) if worker_count == 1 else None
        if server is None:
            devserver.load_stage("dev")
        # The stage config names the default DynamoDB port; honour DYNAMODB_PORT over it (the workers keep it too).
        os.environ["DYNAMODB_ENDPOINT"] = database.endpoint

        from chalicelib.domain.calendar import now
        from chalicelib.settings import get_settings
        from chalicelib.storage import get_store
        from devtools.demo.loader import read_organisation
        from devtools.tables import ensure_tables, upgrade_tables

        created = ensure_tables(get_settings())
        for change in upgrade_tables(get_settings()):  # a .data/ of an earlier version
            print(f"Table brought up to date: {change}")
        store = get_store()
        loaded = load_if_empty(store, get_settings(), now().date())
        print(database_line(database.endpoint, DATA_DIR / "dynamodb", len(created)))
        print(loaded if isinstance(loaded, str) else seeded_line(loaded))
        for line in count_statistics(store, created, loaded, now()):
            print(line)
        print(running_text(host, port, time.monotonic() - started), flush=True)
        accounts = [a for a in read_organisation(now().date()).accounts if store.members.get(a.staff_no)]
        if accounts:
            print("Demo accounts (工号 / password):")
            for account in accounts:
                print(account_line(account))
        else:
            print("Demo accounts: this database was loaded in an earlier year; delete .data/ to load it again.")
        print(devserver.workers_line(worker_count))
        print("Press Ctrl-C to stop.", flush=True)
        # Once, in this process: the workers only serve requests, as Lambda's API containers do.
        workers = start_workers()
        if server is not None:
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            while thread.is_alive():
                thread.join(0.5)
        else:
            pool = devserver.WorkerPool(listening, "dev", worker_count, keep=("DYNAMODB_ENDPOINT",))
            pool.start()
            pool.wait()
    except KeyboardInterrupt:
        print("\nStopping ...")
    except devserver.WorkerFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if pool is not None:
            pool.stop()
        for stop in workers:
            stop.set()
        database.stop()
        PID_FILE.unlink(missing_ok=True)
        print("DynamoDB Local stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
