"""Registration rush: 1,000 members register for one event with 100 places at the same moment, over HTTP.

Starts DynamoDB Local in memory and the app on the dev server ``make run`` uses (``python -m devtools.devserver``
with ``--workers`` processes, default ``WORKERS`` else one per core, in a subprocess), each on a free port, and
stops both however the run ends. Seeds the school union, a few sub-unions, the members with their accounts and a
union admin straight through the storage layer, and mints each a session token with the signing key (no scrypt
sign-ins). As the union admin, over HTTP, it creates an event with ``--capacity`` places and a waiting list,
registration open now, and publishes it; spare members register for another event until every worker has served a
registration (warm, as Lambda containers in a rush are). Then ``--clients`` threads, each with its own keep-alive
connection, open the event's page for each of their members (members wait on it for registration to open; the
worker that will serve their tap identifies them; ``--cold-callers`` leaves this out), and, released together by a
barrier, send one ``POST .../registrations`` per member, each with its own ``Idempotency-Key``.

It reads the result back through the organiser API and from the store, and checks: confirmed = capacity, the rest
waiting, nobody registered twice, nobody confirmed past capacity, no 5xx (or unanswered) requests, the event's
counters equal to the registrations counted, waiting positions 1..n without gaps, and (once the pools carry
``waiting_seq``, issue 22) each waiting position answered equal to the member's place in the final order. It prints
p50/p99 latency and registrations per second.

Then the raw side, in the same run and from the same number of threads: every member registers again, for a second
event made the same way, with the minimal registration itself, straight to DynamoDB Local through boto3's low-level
client: the same two-item TransactWriteItems the app's registration makes (the registration put on a free key and
the pool counter's ``ADD 1`` with its capacity, waiting-list and open-window conditions), into the app's own tables.
Both raw sides run (the exact waiting join of issue 22, taking turns, and the waiting counter's ADD alone); the
ratio is against the one the app under test makes. It prints their rates and p50/p99, checks their events, and on
Linux prints the CPU per registration of the app, DynamoDB Local and the client in each phase. The last line is
``rush confirmed=.. oversold=.. duplicates=.. errors=.. rush_ratio=<app rate / raw rate>``; the exit status is 1 if
any check fails.

    python bench/rush.py [--members 1000] [--capacity 100] [--clients 50] [--workers N] [--cold-callers]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.people import SUB_UNIONS, build_units, draw_name, years_before  # noqa: E402
from chalicelib.domain.calendar import now  # noqa: E402
from chalicelib.domain.passwords import hash_password  # noqa: E402
from chalicelib.domain.records import SCHOOL_UNIT_ID, EventStatus, Gender, Member, RegistrationState  # noqa: E402
from chalicelib.domain.tokens import issue_session_token, session_entry  # noqa: E402
from chalicelib.settings import get_settings  # noqa: E402
from chalicelib.storage import get_store  # noqa: E402
from chalicelib.storage.registrations import queue_name  # noqa: E402
from chalicelib.storage.tables import AccountTable, EventTable, RegistrationTable  # noqa: E402
from devtools import dynamodb_local  # noqa: E402
from devtools.devserver import worker_count  # noqa: E402
from devtools.tables import use_database  # noqa: E402

TABLE_PREFIX = "union-events-rush-"
ADMIN_STAFF_NO = "U0001"
SEED = 20_261_111
SUB_UNION_COUNT = 6
HOST = "127.0.0.1"
# Every member starts with session version 1, as after activating their account; tokens carry the same version.
SESSION_VERSION = 1
# Every minted token names this session, listed as live on each account (a token is honoured only while it is).
SESSION_ID = "rush-bench"
ISSUED_AT = int(time.time())
# Generous: on a 2-core machine, 50 requests queue behind one another in one Python process.
REQUEST_TIMEOUT = 120
SERVER_START_TIMEOUT = 60
# Spare members registering for a warm-up event until every worker has served a registration (warm_workers).
WARM_UP_MEMBERS_PER_WORKER = 8
# Environment the app server must see as we set it: chalice applies the dev stage's own values over it on load.
_SERVER_KEEPS = ("APP_STAGE", "TABLE_PREFIX", "DYNAMODB_ENDPOINT")


# ---- the app server ---------------------------------------------------------------------------------------


@dataclass
class AppServer:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    workers: int = 1  # processes serving requests
    warmed: int = 0  # of them, how many answered before the measurement (X-Worker)

    def stop(self, timeout: float = 10) -> None:
        """Stop the server's whole process group (it was started in its own session; its workers are in it)."""
        dynamodb_local.stop_process_group(self.process, timeout)

    def log_lines(self) -> list[str]:
        return self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()


def start_app_server(port: int, workers: int | None = None) -> AppServer:
    """Start ``python -m devtools.devserver`` (what ``make run`` serves) with ``workers`` processes (default:
    ``WORKERS``, else one per core, as ``make run``) in a subprocess with this process's environment; return once
    every worker has answered /api/health (warm, as warm Lambda containers), or what answered in time."""
    count = workers if workers is not None else worker_count(os.environ.get("WORKERS"))
    log_path = Path(tempfile.gettempdir()) / f"union-events-rush-app-{port}.log"
    environment = os.environ | {"PYTHONPATH": str(ROOT), "WORKERS": str(count)}
    command = [sys.executable, "-m", "devtools.devserver", "--host", HOST, "--port", str(port), "--stage", "dev"]
    # Loading the dev stage sets TABLE_PREFIX and DYNAMODB_ENDPOINT to ``make run``'s; the workers keep ours.
    command += [argument for name in _SERVER_KEEPS for argument in ("--keep", name)]
    with open(log_path, "wb") as log:
        # Its own session: Ctrl-C in the terminal reaches only us, and our finally stops it.
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = AppServer(process, port, log_path, workers=count)
    try:
        server.warmed = _wait_until_healthy(server)
    except BaseException:  # Ctrl-C while waiting, too: the caller only stops a server it got back
        server.stop()
        raise
    return server


def _wait_until_healthy(server: AppServer) -> int:
    """Poll /api/health on fresh connections until every worker has answered (each names itself in X-Worker) or
    the time is up; returns how many did. An error if none answered."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    answered: set[str] = set()
    while time.monotonic() < deadline and len(answered) < server.workers:
        if server.process.poll() is not None:
            raise dynamodb_local.LauncherError(
                f"the app server exited with code {server.process.returncode}; see {server.log_path}"
            )
        with contextlib.suppress(OSError, http.client.HTTPException):
            # Until the deadline: a worker's first answer can take seconds on a loaded machine, and a probe that
            # gave up would leave a broken pipe in the server's log.
            timeout = max(1.0, deadline - time.monotonic())
            connection = http.client.HTTPConnection(HOST, server.port, timeout=timeout)
            try:
                connection.request("GET", "/api/health")
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    answered.add(response.getheader("X-Worker") or "")
                    continue
            finally:
                connection.close()
        time.sleep(0.2)
    if not answered:
        raise dynamodb_local.LauncherError(f"the app server did not answer /api/health in time; see {server.log_path}")
    return len(answered)


# ---- seeding ----------------------------------------------------------------------------------------------


def seed(members: int) -> tuple[Member, list[Member]]:
    """The school union, a few sub-unions, ``members`` distinct members and a union admin, each with an account.

    Accounts are written in one batch rather than through sign-up: a token is valid when the member exists and
    the account's session version matches the token's. They share one password hash (one scrypt call, not 1,000).
    """
    store = get_store()
    today = now().date()
    rng = random.Random(SEED)
    units = build_units(SUB_UNIONS[:SUB_UNION_COUNT])
    store.units.put_many(units)
    subs = [unit.unit_id for unit in units if unit.unit_id != SCHOOL_UNIT_ID]
    crowd = []
    for index in range(1, members + 1):
        gender = rng.choice((Gender.FEMALE, Gender.MALE))
        age = rng.randint(24, 59)
        born = years_before(today, age) - timedelta(days=rng.randint(1, 364))
        staff_no = f"R{index:05d}"
        crowd.append(Member(staff_no, draw_name(rng, gender, age), gender, born, rng.choice(subs)))
    admin = Member(
        ADMIN_STAFF_NO,
        "周建华",
        Gender.MALE,
        years_before(today, 48),
        SCHOOL_UNIT_ID,
        roles=frozenset({"union_admin"}),
    )
    store.members.put_many([admin, *crowd])
    write_accounts([admin, *crowd])
    return admin, crowd


def write_accounts(members: list[Member]) -> None:
    """An account for each member holding the session ``mint_tokens`` signs for, in one batch, sharing one password
    hash (one scrypt call, not 1,000)."""
    password_hash = hash_password("Rush@2026-not-used")
    stamp = now()
    with AccountTable.batch_write() as batch:
        for member in members:
            batch.save(
                AccountTable(
                    member.staff_no,
                    password_hash=password_hash,
                    session_version=SESSION_VERSION,
                    sessions={session_entry(SESSION_ID, ISSUED_AT + get_settings().session_ttl_seconds)},
                    updated_at=stamp,
                )
            )


def mint_tokens(staff_nos: list[str]) -> dict[str, str]:
    """Session tokens as sign-in would issue them, signed with the configured (development) key."""
    settings = get_settings()
    key, ttl = settings.session_key.encode(), settings.session_ttl_seconds
    return {
        staff_no: issue_session_token(staff_no, SESSION_VERSION, key, ISSUED_AT, ttl, SESSION_ID)
        for staff_no in staff_nos
    }


# ---- HTTP -------------------------------------------------------------------------------------------------


def call(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    token: str | None = None,
    body: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
) -> tuple[int, Any, dict[str, str]]:
    """One JSON request; returns status, parsed body (or text) and the response headers (lower-case names)."""
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    connection.request(method, path, body=payload, headers=headers)
    response = connection.getresponse()
    raw = response.read()
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw.decode("utf-8", errors="replace")
    return response.status, parsed, {name.lower(): value for name, value in response.getheaders()}


def expect(status: int, wanted: int, parsed: Any, what: str) -> Any:
    if status != wanted:
        raise SystemExit(f"{what}: expected HTTP {wanted}, got {status}: {parsed}")
    return parsed


def create_published_event(port: int, admin_token: str, capacity: int) -> str:
    """As the union admin: an event with ``capacity`` places and a waiting list, registration open now; published.

    The create call carries an Idempotency-Key, so the server has loaded everything a registration uses before the
    rush (a warm server, as a warm Lambda would be).
    """
    at = now()
    starts = (at + timedelta(days=3)).replace(hour=6, minute=30, second=0, microsecond=0)  # 14:30 China time
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        new_event = {
            "owner_unit_id": SCHOOL_UNIT_ID,
            "kind": "wellness",
            "format": "session",
            "title_zh": "名医讲座：颈椎与腰椎的日常保健",
            "title_en": "Doctor's talk: looking after your neck and back",
            "venue": "图书馆报告厅",
            "capacity": capacity,
            "waiting_list": True,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "registration_opens_at": (at - timedelta(minutes=1)).isoformat(),
            "registration_closes_at": (starts - timedelta(days=1)).isoformat(),
        }
        status, created, _ = call(connection, "POST", "/api/events", admin_token, new_event, uuid.uuid4().hex)
        event_id = expect(status, 201, created, "create event")["event_id"]
        status, published, _ = call(
            connection, "POST", f"/api/events/{event_id}/status", admin_token, {"status": "published"}
        )
        phase = expect(status, 200, published, "publish event")["registration"]
        if phase != "open":
            raise SystemExit(f"the published event's registration is {phase!r}, not open")
        return event_id
    finally:
        connection.close()


# ---- the rush ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    staff_no: str
    status: int  # 0: no HTTP answer (connection dropped, timeout)
    ms: float
    state: str | None = None  # confirmed / waiting, on 201
    position: int | None = None  # waiting position given in the 201 response
    error_code: str | None = None  # the error envelope's code, or the transport error
    request_id: str | None = None
    nth: int = 0  # 1 for the first request on its connection
    at_s: float = 0.0  # when it was sent, in seconds after the barrier's release


@dataclass
class Rush:
    attempts: list[Attempt] = field(default_factory=list)
    seconds: float = 0.0
    cpu: list[Any] = field(default_factory=list)  # the CPU samples at the release and at the end


def run_threads(
    clients: int, work: Callable[[int, threading.Barrier], None], released: Callable[[], None] = lambda: None
) -> float:
    """Run ``work(index, barrier)`` on ``clients`` threads; each sets itself up, then waits at the barrier.

    Returns the wall time from the barrier's release until the last thread finishes. The threads are daemons and
    the main thread joins with a timeout, so Ctrl-C still interrupts the run (the servers are stopped by main).
    """
    barrier = threading.Barrier(clients + 1)
    failures: list[BaseException] = []

    def guarded(index: int) -> None:
        try:
            work(index, barrier)
        except threading.BrokenBarrierError:
            pass
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=guarded, args=(index,), daemon=True) for index in range(clients)]
    for thread in threads:
        thread.start()
    try:
        barrier.wait(timeout=120)
    except threading.BrokenBarrierError:
        raise RuntimeError(f"a client thread failed while setting up: {failures[:1]!r}") from None
    released()  # e.g. a CPU sample: what the threads did before the barrier is not the run's
    started = time.perf_counter()
    for thread in threads:
        while thread.is_alive():
            thread.join(0.2)
    seconds = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{len(failures)} client thread(s) failed: {failures[0]!r}") from failures[0]
    return seconds


def open_connection(port: int, event_id: str, attempts: int = 5) -> http.client.HTTPConnection:
    """A keep-alive connection the server has answered on (one untimed public GET), so the rush starts on
    established connections.

    The dev server listens with socketserver's backlog of 5: when 50 clients connect at once, the kernel drops
    the overflow and some handshakes only *look* complete to the client; a request sent on one much later is
    answered with a reset. The GET proves the connection was accepted; a reset here is set-up, so it is retried.
    """
    for attempt in range(attempts):
        connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        try:
            status, parsed, _ = call(connection, "GET", f"/api/events/{event_id}")
            expect(status, 200, parsed, "warm-up GET")
            return connection
        except (OSError, http.client.HTTPException):
            connection.close()
            if attempt == attempts - 1:
                raise
            time.sleep(0.1 * (attempt + 1))
    raise AssertionError("unreachable")


def warm_workers(server: AppServer, event_id: str, tokens: dict[str, str]) -> int:
    """Register spare members (``tokens``) for a warm-up event, ``server.workers`` at once on fresh connections,
    until every worker has answered a registration (X-Worker) or the spares run out; returns how many workers did.

    A worker's first registration imports and caches what registering needs (seconds on a loaded machine, which
    would land in the rush's p99): warm, as Lambda containers that have served registrations before are.
    """
    path = f"/api/events/{event_id}/registrations"
    warmed: set[str] = set()
    spares = list(tokens)
    while spares and len(warmed) < server.workers:
        batch, spares = spares[: server.workers], spares[server.workers :]

        def work(index: int, barrier: threading.Barrier, batch: list[str] = batch) -> None:
            connection = http.client.HTTPConnection(HOST, server.port, timeout=REQUEST_TIMEOUT)
            barrier.wait()
            try:
                body = {"scope": "series", "answers": {}}
                status, parsed, headers = call(connection, "POST", path, tokens[batch[index]], body, uuid.uuid4().hex)
                expect(status, 201, parsed, "warm-up registration")
                warmed.add(headers.get("x-worker", ""))
            finally:
                connection.close()

        run_threads(len(batch), work)
    return len(warmed)


def rush(
    port: int,
    event_id: str,
    tokens: dict[str, str],
    clients: int,
    page_open: bool = True,
    sample: Callable[[], Any] = lambda: None,
) -> Rush:
    """Every member in ``tokens`` registers once; member i goes to thread i % clients. ``page_open``: before the
    release, each member opens the event (``GET /api/events/{id}``) on the connection their tap will use, as members
    wait on the event's page for registration to open: the worker that serves the tap has identified them within
    the minute (chalicelib/services/identity.py). Not timed."""
    result = Rush()
    staff_nos = list(tokens)
    per_thread: list[list[Attempt]] = [[] for _ in range(clients)]
    path = f"/api/events/{event_id}/registrations"
    body = {"scope": "series", "answers": {}}
    released = [0.0]

    def work(index: int, barrier: threading.Barrier) -> None:
        mine = staff_nos[index::clients]
        keys = [uuid.uuid4().hex for _ in mine]  # made before the barrier: only requests are timed
        connection = open_connection(port, event_id)
        for staff_no in mine if page_open else ():
            call(connection, "GET", f"/api/events/{event_id}", tokens[staff_no])
        if barrier.wait() == 0:
            released[0] = time.perf_counter()
        nth = 0
        try:
            for staff_no, key in zip(mine, keys, strict=True):
                nth += 1
                began = time.perf_counter()
                at_s = began - (released[0] or began)
                try:
                    status, parsed, headers = call(connection, "POST", path, tokens[staff_no], body, key)
                except (OSError, http.client.HTTPException) as exc:
                    # No answer: record it and carry on with a fresh connection (not retried: that is the app's job).
                    ms = (time.perf_counter() - began) * 1000
                    per_thread[index].append(Attempt(staff_no, 0, ms, error_code=repr(exc), nth=nth, at_s=at_s))
                    connection.close()
                    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
                    nth = 0
                    continue
                ms = (time.perf_counter() - began) * 1000
                parsed = parsed if isinstance(parsed, dict) else {}
                error = parsed.get("error") or {}
                per_thread[index].append(
                    Attempt(
                        staff_no,
                        status,
                        ms,
                        state=parsed.get("state"),
                        position=parsed.get("waiting_position"),
                        error_code=error.get("code"),
                        request_id=headers.get("x-request-id") or error.get("request_id"),
                        nth=nth,
                        at_s=at_s,
                    )
                )
        finally:
            connection.close()

    result.seconds = run_threads(clients, work, lambda: result.cpu.append(sample()))
    result.cpu.append(sample())
    result.attempts = [attempt for attempts in per_thread for attempt in attempts]
    return result


# ---- checks -----------------------------------------------------------------------------------------------


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class Checks:
    """Named pass/fail checks, printed in order (shared with bench/checkin.py)."""

    checks: list[Check] = field(default_factory=list)

    def check(self, name: str, ok: bool, detail: str) -> None:
        self.checks.append(Check(name, ok, detail))

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def show(self, heading: str) -> None:
        width = max(len(check.name) for check in self.checks)
        print(heading)
        for check in self.checks:
            print(f"  {'ok  ' if check.ok else 'FAIL'} {check.name:<{width}}  {check.detail}")


@dataclass
class Verdict(Checks):
    confirmed: int = 0
    waiting: int = 0
    oversold: int = 0
    duplicates: int = 0
    errors: int = 0
    positions_answered: int = 0  # waiting positions in the 201 answers
    positions_distinct: int = 0
    positions_exact: int = 0  # equal to the member's place in the final order


def verify(port: int, admin_token: str, event_id: str, capacity: int, members: int, attempts: list[Attempt]) -> Verdict:
    """Read everything back (organiser API and store, consistently) and compare with what the rules demand."""
    verdict = Verdict()
    want_confirmed = min(capacity, members)
    want_waiting = members - want_confirmed

    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        status, listing, _ = call(connection, "GET", f"/api/events/{event_id}/registrations", admin_token)
        listed = expect(status, 200, listing, "list registrations")["registrations"]
        status, shown, _ = call(connection, "GET", f"/api/events/{event_id}", admin_token)
        shown = expect(status, 200, shown, "get event")
    finally:
        connection.close()

    # The store, read consistently: the event item's counters and every registration item of the event.
    event = EventTable.get(event_id, consistent_read=True)
    items = list(RegistrationTable.query(event_id, consistent_read=True))
    by_state = Counter(item.state for item in items)
    api_states = Counter(entry["state"] for entry in listed)
    verdict.confirmed, verdict.waiting = by_state["confirmed"], by_state["waiting"]

    verdict.check(
        "confirmed",
        verdict.confirmed == want_confirmed and api_states["confirmed"] == want_confirmed,
        f"store {verdict.confirmed}, API {api_states['confirmed']} (want {want_confirmed})",
    )
    verdict.check(
        "waiting",
        verdict.waiting == want_waiting and api_states["waiting"] == want_waiting,
        f"store {verdict.waiting}, API {api_states['waiting']} (want {want_waiting})",
    )

    # The key allows one item per member and scope; more than one item (any scope), or one listed twice, is a
    # duplicate.
    per_member = Counter(item.staff_no for item in items)
    active_per_member = Counter(item.staff_no for item in items if item.state in ("confirmed", "waiting"))
    listed_per_member = Counter(entry["staff_no"] for entry in listed)
    doubled = {
        staff_no
        for counts in (per_member, active_per_member, listed_per_member)
        for staff_no, count in counts.items()
        if count > 1
    }
    verdict.duplicates = len(doubled)
    verdict.check("duplicates", not doubled, f"{len(doubled)} members with more than one registration")

    verdict.oversold = max(0, verdict.confirmed - capacity, int(event.confirmed_count) - capacity)
    verdict.check("oversold", verdict.oversold == 0, f"{verdict.oversold} confirmed beyond capacity {capacity}")

    statuses = Counter(attempt.status for attempt in attempts)
    server_errors = sum(count for status, count in statuses.items() if status >= 500)
    unanswered = statuses[0]
    verdict.errors = server_errors + unanswered
    verdict.check("errors", verdict.errors == 0, f"{server_errors} answered 5xx, {unanswered} got no answer")
    refused = sum(count for status, count in statuses.items() if 400 <= status < 500)
    verdict.check(
        "all registered",
        statuses[201] == members and len(items) == members,
        f"{statuses[201]} answered 201, {refused} refused (4xx), {len(items)} registration items",
    )

    counters = (int(event.confirmed_count), int(event.waiting_count))
    verdict.check(
        "counters",
        counters == (verdict.confirmed, verdict.waiting) and (shown["confirmed"], shown["waiting"]) == counters,
        f"event item {counters[0]} confirmed / {counters[1]} waiting, API {shown['confirmed']} / {shown['waiting']}, "
        f"counted {verdict.confirmed} / {verdict.waiting}",
    )

    positions = sorted(entry["waiting_position"] for entry in listed if entry["state"] == "waiting")
    queue = list(RegistrationTable.by_queue.query(queue_name(event_id, "series")))
    queued = {item.entry.partition("#")[2] for item in queue}
    waiting_staff = {item.staff_no for item in items if item.state == "waiting"}
    queue_keys = [item.queue_key for item in items if item.state == "waiting"]
    verdict.check(
        "waiting positions",
        positions == list(range(1, verdict.waiting + 1))
        and len(queue) == verdict.waiting
        and queued == waiting_staff
        and len(set(queue_keys)) == len(queue_keys),
        f"API positions 1..{positions[-1] if positions else 0} over {len(positions)} entries; queue index holds "
        f"{len(queue)} entries, {len(set(queue_keys))} distinct queue keys",
    )

    check_positions_exact(verdict, items, attempts)

    stored_state = {item.staff_no: item.state for item in items}
    disagree = [a.staff_no for a in attempts if a.status == 201 and stored_state.get(a.staff_no) != a.state]
    verdict.check("responses = store", not disagree, f"{len(disagree)} 201 responses whose state differs from store")
    return verdict


def check_positions_exact(verdict: Verdict, items: list[RegistrationTable], attempts: list[Attempt]) -> None:
    """Each waiting position answered (201) is the member's place in the final order (the queue keys' order).

    A check once the pools carry ``waiting_seq`` (issue 22: the position taken in the joining transaction); before
    that the answer was counted when it was made, and the figure is only printed (see docs/benchmarks.md).
    """
    waiting = sorted((item for item in items if item.state == "waiting"), key=lambda item: item.queue_key or "")
    place = {item.staff_no: position for position, item in enumerate(waiting, start=1)}
    answered = {a.staff_no: a.position for a in attempts if a.status == 201 and a.state == "waiting"}
    verdict.positions_answered = len(answered)
    verdict.positions_distinct = len({position for position in answered.values() if position is not None})
    verdict.positions_exact = sum(place.get(staff_no) == position for staff_no, position in answered.items())
    if hasattr(EventTable, "waiting_seq"):
        verdict.check(
            "positions exact",
            verdict.positions_exact == verdict.positions_distinct == len(answered) == len(waiting),
            f"{verdict.positions_exact} of {len(answered)} answered waiting positions equal the final order, "
            f"{verdict.positions_distinct} distinct ({len(waiting)} waiting)",
        )


# ---- the floor: the minimal registration, raw ------------------------------------------------------------


@dataclass
class RawRush:
    """The raw side's result: per registration, the time from its first transaction to the one that held."""

    ms: list[float] = field(default_factory=list)
    seconds: float = 0.0
    transactions: int = 0
    conflicts: int = 0  # cancelled as TransactionConflict (another transaction on the pool item) and sent again
    moved_to_waiting: int = 0  # a confirmation refused by the pool's condition, sent again as a waiting one
    lost_turns: int = 0  # exact joins refused because the pool had moved on, sent again with what it returned


@dataclass
class Turn:
    """Exact joins: the waiting list's pool as this process last knew it (``waiting_count``, ``waiting_seq``), and
    the lock joins take turns on (as chalicelib.services.pool_turns within one process)."""

    count: int = 0
    seq: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


# UTCDateTimeAttribute's stored form, so the conditions compare like the app's.
_STORED_MOMENT = "%Y-%m-%dT%H:%M:%S.%f+0000"
# A registration's key is free when never used or used only by an ended one (Registrations.new_entry).
_ENDED_STATES = tuple(state.value for state in RegistrationState if not state.active)
# Registration is open (open_condition for members): the event's status and window, on the pool item.
_OPEN = (
    "#status IN (:published, :registration_open) AND (attribute_not_exists(#opens) OR #opens <= :at) "
    "AND ((attribute_exists(#closes) AND #closes > :at) OR (attribute_not_exists(#closes) AND #starts > :at))"
)
# _take_pool's conditions: a confirmation while a place is free and nobody waits; a waiting entry once full or
# queued, on an event with a waiting list; an exact join (issue 22) only while the pool's waiting_count and
# waiting_seq are what it knew.
_CONFIRM = f"(attribute_not_exists(#capacity) OR #confirmed < #capacity) AND #waiting = :zero AND {_OPEN}"
_WAIT = f"(#confirmed >= #capacity OR #waiting > :zero) AND #waiting_list = :true AND {_OPEN}"
_SEEN = "#waiting = :count AND (#seq = :seq OR (:seq = :zero AND attribute_not_exists(#seq)))"
RAW_ATTEMPTS = 20


def raw_transaction(
    tables: tuple[str, str], event_id: str, member: Member, waiting: bool, turn: Turn | None = None
) -> list[dict[str, Any]]:
    """The two items of a registration's TransactWriteItems, as chalicelib.storage.registrations ``enter`` and
    ``_take_pool`` write them for a whole-event CONFIRMED or WAITING registration without options, quota or group:
    the registration put on a free key (``tables[0]``), and the pool counter's ADD 1 with its condition
    (``tables[1]``). ``turn``: a waiting entry is an exact join (queue key ``s-<seq+1>``, ``waiting_seq`` ADD 1,
    conditioned on the pool as ``turn`` knows it, the pool returned when that fails); else a time-ordered queue key
    and the waiting counter's ADD 1 alone (the app before issue 22)."""
    at = now().astimezone(UTC).strftime(_STORED_MOMENT)
    item: dict[str, Any] = {
        "event_id": {"S": event_id},
        "entry": {"S": f"series#{member.staff_no}"},
        "scope": {"S": "series"},
        "staff_no": {"S": member.staff_no},
        "name": {"S": member.name},
        "unit_id": {"S": member.unit_id},
        "state": {"S": (RegistrationState.WAITING if waiting else RegistrationState.CONFIRMED).value},
        "registered_at": {"S": at},
        "updated_at": {"S": at},
        "ticket": {"S": uuid.uuid4().hex},
    }
    if waiting:  # the sparse waiting-list index's keys
        item["queue"] = {"S": f"{event_id}#series"}
        queue_key = f"s-{turn.seq + 1:010d}" if turn else f"q-{time.time_ns():020d}-{member.staff_no}"
        item["queue_key"] = {"S": queue_key}
    put = {
        "TableName": tables[0],
        "Item": item,
        "ConditionExpression": "attribute_not_exists(#entry) OR #state IN ("
        + ", ".join(f":ended{index}" for index in range(len(_ENDED_STATES)))
        + ")",
        "ExpressionAttributeNames": {"#entry": "entry", "#state": "state"},
        "ExpressionAttributeValues": {f":ended{index}": {"S": state} for index, state in enumerate(_ENDED_STATES)},
    }
    names = {
        "#confirmed": "confirmed_count",
        "#waiting": "waiting_count",
        "#capacity": "capacity",
        "#status": "status",
        "#opens": "registration_opens_at",
        "#closes": "registration_closes_at",
        "#starts": "starts_at",
    }
    values = {
        ":one": {"N": "1"},
        ":zero": {"N": "0"},
        ":at": {"S": at},
        ":published": {"S": EventStatus.PUBLISHED.value},
        ":registration_open": {"S": EventStatus.REGISTRATION_OPEN.value},
    }
    update: dict[str, Any] = {"UpdateExpression": "ADD #confirmed :one", "ConditionExpression": _CONFIRM}
    if waiting:
        names["#waiting_list"] = "waiting_list"
        values[":true"] = {"BOOL": True}
        update = {"UpdateExpression": "ADD #waiting :one", "ConditionExpression": _WAIT}
    if waiting and turn:
        names["#seq"] = "waiting_seq"
        values[":count"] = {"N": str(turn.count)}
        values[":seq"] = {"N": str(turn.seq)}
        update = {
            "UpdateExpression": "ADD #waiting :one, #seq :one",
            "ConditionExpression": f"{_WAIT} AND {_SEEN}",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
    update |= {
        "TableName": tables[1],
        "Key": {"event_id": {"S": event_id}},
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
    }
    return [{"Put": put}, {"Update": update}]


def raw_rush(endpoint: str, event_id: str, crowd: list[Member], clients: int, exact: bool) -> RawRush:
    """Every member of ``crowd`` registers for ``event_id`` with the minimal registration, straight to DynamoDB
    Local with boto3's low-level client, from ``clients`` threads (member i on thread i % clients), into the app's
    own tables (the same keys, indexes and streams).

    No reads: a thread sends a confirmation until some confirmation is refused by the pool's condition (the event is
    full), then waiting entries; a refused confirmation is sent again as a waiting entry and a TransactionConflict
    again as it was, both timed as part of that registration. ``exact``: waiting entries are exact joins that take
    turns (one ``Turn`` for the process, as the app's worker does) and, refused because the pool moved on, are sent
    again with the values DynamoDB returned. Each thread has its own client (botocore's pool of 10 connections would
    otherwise be the bottleneck).
    """
    import boto3

    settings = get_settings()
    tables = (settings.table_name("registrations"), settings.table_name("events"))
    session = boto3.session.Session(aws_access_key_id="local", aws_secret_access_key="local", region_name="cn-north-1")
    # Clients are made here, one after another: creating them concurrently from one session is not thread-safe.
    boto_clients = [session.client("dynamodb", endpoint_url=endpoint) for _ in range(clients)]
    full = threading.Event()
    turn = Turn() if exact else None
    per_thread: list[RawRush] = [RawRush() for _ in range(clients)]

    def send(client: Any, member: Member, waiting: bool, tally: RawRush) -> bool:
        """One transaction; False when it must be sent again (as waiting, when ``full`` is set)."""
        tally.transactions += 1
        try:
            client.transact_write_items(TransactItems=raw_transaction(tables, event_id, member, waiting, turn))
        except client.exceptions.TransactionCanceledException as exc:
            reasons = exc.response.get("CancellationReasons", [])
            codes = [reason.get("Code") for reason in reasons]
            if "TransactionConflict" in codes:
                tally.conflicts += 1
                return False
            if codes[1:] != ["ConditionalCheckFailed"]:
                raise RuntimeError(f"raw registration of {member.staff_no} refused: {codes}") from exc
            if not waiting:
                full.set()
                tally.moved_to_waiting += 1
                return False
            pool = reasons[1].get("Item") if turn else None
            if pool is None:
                raise RuntimeError(f"raw waiting entry of {member.staff_no} refused by the pool") from exc
            assert turn is not None
            turn.count, turn.seq = int(pool["waiting_count"]["N"]), int(pool.get("waiting_seq", {"N": "0"})["N"])
            tally.lost_turns += 1
            return False
        if waiting and turn:
            turn.count, turn.seq = turn.count + 1, turn.seq + 1
        return True

    def work(index: int, barrier: threading.Barrier) -> None:
        client, mine, tally = boto_clients[index], crowd[index::clients], per_thread[index]
        barrier.wait()
        for member in mine:
            began = time.perf_counter()
            sent = False
            for _ in range(RAW_ATTEMPTS):
                waiting = full.is_set()
                if waiting and turn:
                    with turn.lock:
                        sent = send(client, member, waiting, tally)
                else:
                    sent = send(client, member, waiting, tally)
                if sent:
                    break
            if not sent:
                raise RuntimeError(f"raw registration of {member.staff_no}: not written in {RAW_ATTEMPTS} attempts")
            tally.ms.append((time.perf_counter() - began) * 1000)

    seconds = run_threads(clients, work)
    return RawRush(
        ms=[ms for tally in per_thread for ms in tally.ms],
        seconds=seconds,
        transactions=sum(tally.transactions for tally in per_thread),
        conflicts=sum(tally.conflicts for tally in per_thread),
        moved_to_waiting=sum(tally.moved_to_waiting for tally in per_thread),
        lost_turns=sum(tally.lost_turns for tally in per_thread),
    )


def verify_raw(verdict: Checks, name: str, event_id: str, capacity: int, members: int, exact: bool) -> None:
    """The raw side kept the same rules: its event's counters and registration items, read consistently; exact
    joins hold the queue keys s-1..s-n."""
    event = EventTable.get(event_id, consistent_read=True)
    items = list(RegistrationTable.query(event_id, consistent_read=True))
    states = Counter(item.state for item in items)
    want = (min(capacity, members), members - min(capacity, members))
    counters = (int(event.confirmed_count), int(event.waiting_count))
    keys = {item.queue_key for item in items if item.state == "waiting"}
    in_order = not exact or keys == {f"s-{join:010d}" for join in range(1, want[1] + 1)}
    verdict.check(
        name,
        counters == want and (states["confirmed"], states["waiting"]) == want and in_order,
        f"event item {counters[0]} confirmed / {counters[1]} waiting, items {states['confirmed']} / "
        f"{states['waiting']} (want {want[0]} / {want[1]})" + (f", {len(keys)} queue keys s-1..s-n" if exact else ""),
    )


def show_raw(what: str, raw: RawRush, clients: int) -> float:
    rate = len(raw.ms) / raw.seconds
    print(
        f"raw, {what}: {len(raw.ms):,} minimal registrations (registration put + pool counter update, one "
        f"TransactWriteItems) from {clients} threads in {raw.seconds:.2f} s: {rate:,.1f} registrations/s, latency ms "
        f"p50 {percentile(raw.ms, 0.50):.0f} p99 {percentile(raw.ms, 0.99):.0f} max {max(raw.ms):.0f}; "
        f"{raw.transactions:,} transactions ({raw.moved_to_waiting} confirmations refused as full and sent as "
        f"waiting, {raw.lost_turns} joins sent again with the pool returned, {raw.conflicts} conflicts)"
    )
    return rate


# ---- where the CPU goes (Linux /proc; elsewhere nothing is printed) ------------------------------------------


@dataclass(frozen=True)
class CpuSample:
    app: float  # seconds of CPU: the app server and its workers
    database: float  # DynamoDB Local (our other child processes and theirs)
    client: float  # this process: the client threads


def _process_cpu() -> dict[int, tuple[int, float]]:
    """Every process's (parent pid, CPU seconds), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
            found[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    return found


def cpu_sample(server: AppServer) -> CpuSample | None:
    if not Path("/proc/self/stat").exists():
        return None
    processes = _process_cpu()

    def tree(root: int) -> float:
        total, todo = 0.0, [root]
        while todo:
            pid = todo.pop()
            total += processes.get(pid, (0, 0.0))[1]
            todo += [child for child, (parent, _) in processes.items() if parent == pid]
        return total

    ours = [pid for pid, (parent, _) in processes.items() if parent == os.getpid()]
    mine = os.times()
    return CpuSample(
        app=tree(server.process.pid),
        database=sum(tree(pid) for pid in ours if pid != server.process.pid),
        client=mine.user + mine.system,
    )


def show_cpu(what: str, before: CpuSample | None, after: CpuSample | None, count: int, seconds: float) -> None:
    """CPU per registration by process during one phase, against the cores' time it had."""
    if before is None or after is None:
        return
    spent = {
        "app": after.app - before.app,
        "DynamoDB Local": after.database - before.database,
        "client": after.client - before.client,
    }
    cores = os.cpu_count() or 1
    print(
        f"CPU ms per registration, {what}: "
        + ", ".join(f"{name} {1000 * value / count:.1f}" for name, value in spent.items())
        + f" (together {100 * sum(spent.values()) / (seconds * cores):.0f}% of {cores} cores' {seconds:.1f} s)"
    )


# ---- report -----------------------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p99 of 1,000 values is the 990th smallest)."""
    ordered = sorted(values)
    rank = math.ceil(round(fraction * len(ordered), 9))  # rounded first: 0.99 * 1000 must not become 991
    return ordered[min(max(rank, 1), len(ordered)) - 1]


def server_trouble(server: AppServer, attempts: list[Attempt], limit: int = 5) -> list[str]:
    """What the server logged about failed requests: its error entries and the lines of their request ids."""
    failed_ids = {a.request_id for a in attempts if a.status >= 500 and a.request_id}
    lines = server.log_lines()
    shown = [
        line
        for line in lines
        if '"level": "ERROR"' in line or "Traceback" in line or any(rid in line for rid in failed_ids)
    ]
    return shown[:limit]


def report(rush_result: Rush, verdict: Verdict, capacity: int, clients: int) -> float:
    attempts = rush_result.attempts
    latencies = [attempt.ms for attempt in attempts]
    rate = len(attempts) / rush_result.seconds
    statuses = Counter(attempt.status for attempt in attempts)
    codes = Counter(f"{a.status} {a.error_code}" for a in attempts if a.status != 201)
    states = Counter(a.state for a in attempts if a.status == 201)
    positions = [a.position for a in attempts if a.state == "waiting" and a.position is not None]
    print(
        f"rush: {len(attempts):,} registrations from {clients} clients in {rush_result.seconds:.2f} s: "
        f"{rate:,.1f} registrations/s"
    )
    print(
        f"latency ms: p50 {percentile(latencies, 0.50):.0f}  p99 {percentile(latencies, 0.99):.0f}  "
        f"max {max(latencies):.0f}"
    )
    by_state = {
        state: [a.ms for a in attempts if a.status == 201 and a.state == state] for state in ("confirmed", "waiting")
    }
    print(
        "latency ms by answer: "
        + ", ".join(
            f"{state} p50 {percentile(values, 0.50):.0f} p99 {percentile(values, 0.99):.0f}"
            for state, values in by_state.items()
            if values
        )
    )
    print(
        "answers: "
        + ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
        + f" (201: {states['confirmed']} confirmed, {states['waiting']} waiting)"
    )
    if codes:
        print("refusals/errors: " + ", ".join(f"{code} x{count}" for code, count in codes.most_common()))
    unanswered = [a for a in attempts if a.status == 0]
    if unanswered:
        print(
            f"unanswered: {sum(a.nth == 1 for a in unanswered)} of {len(unanswered)} were the first request on their "
            f"connection; sent {min(a.at_s for a in unanswered):.1f}..{max(a.at_s for a in unanswered):.1f} s into "
            f"the rush, failed after {min(a.ms for a in unanswered):.0f}..{max(a.ms for a in unanswered):.0f} ms"
        )
    if positions:
        print(
            f"waiting positions in the 201 answers: {verdict.positions_distinct} distinct of "
            f"{verdict.positions_answered}, {verdict.positions_exact} equal to the final order "
            f"(range {min(positions)}..{max(positions)})"
            + ("" if hasattr(EventTable, "waiting_seq") else "; not a check before the pools' waiting_seq")
        )
    return rate


# ---- main -------------------------------------------------------------------------------------------------


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run(members: int, capacity: int, clients: int, workers: int | None = None, page_open: bool = True) -> int:
    return run_stack(
        TABLE_PREFIX,
        lambda endpoint, server, began: _measure(endpoint, server, members, capacity, clients, began, page_open),
        workers,
    )


def run_stack(table_prefix: str, measure: Callable[[str, AppServer, float], int], workers: int | None = None) -> int:
    """Start DynamoDB Local (in memory, tables prefixed ``table_prefix``) and the app server (``workers``
    processes, see ``start_app_server``), run ``measure(endpoint, server, began)`` and stop both however it ends;
    returns what ``measure`` returns, or 1 when DynamoDB Local does not start and 130 when interrupted (each said in
    one line on stderr)."""
    # A SIGTERM (a CI timeout, kill) takes the same path as Ctrl-C, so the finally blocks stop both servers.
    # SIGINT is set explicitly: a process started from a non-interactive shell inherits it as ignored.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    began = time.perf_counter()
    try:
        database = dynamodb_local.start(dynamodb_local.free_port())
        try:
            use_database(database.endpoint, table_prefix, stage="dev")
            server = start_app_server(dynamodb_local.free_port(), workers)
            try:
                return measure(database.endpoint, server, began)
            finally:
                server.stop()
        finally:
            database.stop()
    except dynamodb_local.LauncherError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; DynamoDB Local and the app server were stopped", file=sys.stderr)
        return 130


def _measure(
    endpoint: str, server: AppServer, members: int, capacity: int, clients: int, began: float, page_open: bool
) -> int:
    print(
        f"DynamoDB Local {endpoint} (in memory), app on http://{HOST}:{server.port} (devtools.devserver, "
        f"{server.workers} worker process{'es' if server.workers > 1 else ''}, {server.warmed} answered before the "
        f"rush, log in {server.log_path}), ready in "
        f"{time.perf_counter() - began:.1f} s",
        flush=True,
    )
    seeded = time.perf_counter()
    admin, everyone = seed(members + WARM_UP_MEMBERS_PER_WORKER * server.workers)
    crowd, spares = everyone[:members], everyone[members:]
    tokens = mint_tokens([member.staff_no for member in crowd])
    admin_token = mint_tokens([admin.staff_no])[admin.staff_no]
    print(
        f"seeded {SUB_UNION_COUNT} sub-unions, {len(crowd):,} members (and {len(spares)} for the warm-up) with "
        "accounts and tokens, union admin "
        f"{admin.staff_no} in {time.perf_counter() - seeded:.1f} s",
        flush=True,
    )
    event_id = create_published_event(server.port, admin_token, capacity)
    # The raw sides' pools: event items made the same way, so their conditions read the same attributes.
    raw_events = {exact: create_published_event(server.port, admin_token, capacity) for exact in (True, False)}
    print(
        f"events {event_id} (the app's), {raw_events[True]} and {raw_events[False]} (the raw sides'): capacity "
        f"{capacity}, waiting list, registration open, published",
        flush=True,
    )
    warm_up_event_id = create_published_event(server.port, admin_token, capacity)
    warmed = warm_workers(server, warm_up_event_id, mint_tokens([member.staff_no for member in spares]))
    print(f"warm-up: {warmed} of {server.workers} workers have served a registration (another event)", flush=True)

    print(
        "callers: each member has the event's page open before the release (identified by the worker serving the tap)"
        if page_open
        else "callers: cold (--cold-callers: no member seen by any worker before the tap)",
        flush=True,
    )
    rush_result = rush(server.port, event_id, tokens, clients, page_open, lambda: cpu_sample(server))
    cpu_before, cpu_after = rush_result.cpu
    verdict = verify(server.port, admin_token, event_id, capacity, members, rush_result.attempts)
    app_rate = report(rush_result, verdict, capacity, clients)
    show_cpu("app", cpu_before, cpu_after, len(rush_result.attempts), rush_result.seconds)
    for line in server_trouble(server, rush_result.attempts):
        print(f"  server log: {line[:2000]}")

    # The ratio's raw side is the transaction the app under test makes: exact joins once the pools carry
    # waiting_seq (issue 22), the waiting counter's ADD alone before. Both are measured and printed.
    app_exact = hasattr(EventTable, "waiting_seq")
    raw_rates: dict[bool, float] = {}
    for exact in (True, False):
        cpu_before = cpu_sample(server)
        raw = raw_rush(endpoint, raw_events[exact], crowd, clients, exact)
        cpu_after = cpu_sample(server)
        what = "exact joins (issue 22)" if exact else "waiting counter ADD only"
        raw_rates[exact] = show_raw(what + (", the app's transaction" if exact == app_exact else ""), raw, clients)
        show_cpu(f"raw, {what}", cpu_before, cpu_after, len(raw.ms), raw.seconds)
        verify_raw(verdict, f"raw side, {what}", raw_events[exact], capacity, members, exact)
    raw_rate = raw_rates[app_exact]
    other = app_rate / raw_rates[not app_exact]
    print(f"rush_ratio {app_rate / raw_rate:.2f} against the app's transaction, {other:.2f} against the other")
    verdict.show(f"checks (capacity {capacity}):")
    print(f"total {time.perf_counter() - began:.1f} s")
    print(
        f"rush confirmed={verdict.confirmed} oversold={verdict.oversold} duplicates={verdict.duplicates} "
        f"errors={verdict.errors} rush_ratio={app_rate / raw_rate:.2f}"
    )
    return 0 if verdict.ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--capacity", type=int, default=100)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument(
        "--workers", type=int, help="app server processes (default: WORKERS, else one per core, as make run)"
    )
    parser.add_argument(
        "--cold-callers",
        action="store_true",
        help="members tap without having opened the event's page first (each identification read from the store)",
    )
    args = parser.parse_args()
    if args.members < 1 or args.capacity < 1 or args.clients < 1 or (args.workers is not None and args.workers < 1):
        parser.error("--members, --capacity, --clients and --workers must be positive")
    return run(args.members, args.capacity, args.clients, args.workers, not args.cold_callers)


if __name__ == "__main__":
    sys.exit(main())
