"""The union's year in numbers at size (issue 21): a synthetic year built through the services, its statistics kept
from the tables' streams, then the dashboard, the workbook and the rebuild timed, and the aggregates compared with
a full recount.

DynamoDB Local (in memory) and the app on the dev server, started and stopped as ``bench/rush.py`` does. Through the
services, each step at its own moment of the year (every service takes the time it acts at): the 40 sub-unions of
``bench/import_roster.py`` and a roster of 5,000 members through the roster import (retired and departed members
among them); 200 events over the year (sports, skills and wellness, owned in turn by the school union and the
sub-unions), each made and published by the union admin two weeks before it starts; 30,000 registrations (each
event's members register in turn; past its capacity they wait; one in fifty cancels two days before, which
promotes the first in line); 20,000 check-ins (the organiser's look-up by 工号 at the entry, ten minutes after the
start). Threads share the work by event.

The five statistics streams are then read to their end by ``devtools.stream_poller.drain`` through the Lambda
handlers (``stats_from_<table>``), timed. Then: the dashboard, ``GET /api/reports/{year}`` as the union admin over
HTTP (p50 of 20 after one to warm up; ``chalicelib.services.year_report.dashboard`` in process when the route is
not there), the workbook (``GET /admin/reports/workbook.xlsx?year=``, or ``year_workbook.workbook_file``), and
``chalicelib.services.stats.rebuild`` of the year, whose differences must be none (``exact=yes``).

Last line: ``report dashboard_p50_ms=<n> workbook_s=<n> exact=yes|no``; exit status 1 unless exact.

    python -m bench.report [--scale 1.0] [--threads 4] [--year 2025]

``--scale`` multiplies members, events, registrations and check-ins (the 40 units stay).
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bench.import_roster import bench_units, build_roster
from bench.rush import (
    HOST,
    REQUEST_TIMEOUT,
    AppServer,
    mint_tokens,
    percentile,
    run_stack,
    write_accounts,
)
from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.checkin import ENTRY_POINT
from chalicelib.domain.records import (
    SCHOOL_UNIT_ID,
    SERIES,
    EventFormat,
    EventKind,
    EventStatus,
    Gender,
    Member,
    MemberStatus,
)
from chalicelib.services.stats import rebuild
from chalicelib.storage import get_store
from chalicelib.storage.store import Store
from devtools import stream_poller

TABLE_PREFIX = "union-events-report-"
ADMIN_STAFF_NO = "U0001"
SEED = 20_261_206
MEMBERS, EVENTS, REGISTRATIONS, CHECKINS = 5_000, 200, 30_000, 20_000
CANCEL_SHARE = 0.02
DASHBOARD_REQUESTS = 20
# What each kind of event is run as (formats whose registration needs nothing more than the member).
FORMATS = {
    EventKind.SPORTS: EventFormat.TOURNAMENT,
    EventKind.SKILLS: EventFormat.CONTEST,
    EventKind.WELLNESS: EventFormat.SESSION,
}
TITLES = {EventKind.SPORTS: "教职工羽毛球赛", EventKind.SKILLS: "青年教师教学竞赛", EventKind.WELLNESS: "健康讲座"}


@dataclass
class Planned:
    """One event of the synthetic year and what happens to it."""

    event_id: str
    starts_at: datetime
    registrants: list[Member]  # in the order they register
    cancelling: list[Member]
    checked_in: list[Member]  # of those who hold a place at the start


class Progress:
    """Counts done across threads and prints a line every ``every``."""

    def __init__(self, what: str, total: int, every: int) -> None:
        self.what, self.total, self.every = what, total, every
        self.done, self.refused, self.started = 0, 0, time.perf_counter()
        self._lock = threading.Lock()

    def step(self, refused: bool = False) -> None:
        with self._lock:
            self.done += 1
            self.refused += refused
            if self.done % self.every == 0 or self.done == self.total:
                seconds = time.perf_counter() - self.started
                print(
                    f"report {self.what}: {self.done}/{self.total} ({self.refused} refused) "
                    f"{seconds:.0f}s {self.done / max(seconds, 1e-9):.0f}/s",
                    flush=True,
                )


def _scaled(count: int, scale: float) -> int:
    return max(1, round(count * scale))


def seed_union(store: Store, members: int, today: Any) -> tuple[Principal, list[Member]]:
    """The 40 sub-unions, the union admin (with an account for the HTTP requests) and a roster of ``members``
    imported through the roster import; returns the admin and the members who may register (not departed)."""
    from chalicelib.services.roster_import import import_roster

    units = bench_units()
    store.units.put_many(units)
    admin = Member(
        ADMIN_STAFF_NO, "周建华", Gender.MALE, today.replace(year=today.year - 48), SCHOOL_UNIT_ID,
        roles=frozenset({"union_admin"}),
    )  # fmt: skip
    store.members.put_many([admin])
    write_accounts([admin])
    acting = Principal(staff_no=admin.staff_no, unit_id=SCHOOL_UNIT_ID, union_admin=True)
    started = time.perf_counter()
    report = import_roster(store, acting, build_roster(members, today).data, "roster.csv")
    if report.outcome is None:
        raise SystemExit(f"report: the roster was refused: {[p.message_en for p in report.problems][:3]}")
    crowd = [m for unit in units for m in store.members.in_unit(unit.unit_id) if m.staff_no != ADMIN_STAFF_NO]
    print(f"report roster: {len(crowd)} members imported in {time.perf_counter() - started:.1f}s", flush=True)
    return acting, [m for m in crowd if m.status is not MemberStatus.LEFT]


def plan_year(year: int, events: int, registrations: int, crowd: list[Member]) -> list[tuple]:
    """Each event's start (spread over the year, 14:00 China time), kind, owner, capacity and its registrants in
    order: ``registrations`` in all, deterministic."""
    rng = random.Random(SEED)
    owners = [SCHOOL_UNIT_ID, *sorted({m.unit_id for m in crowd})]
    first = datetime(year, 1, 3, 14, 0, tzinfo=CHINA_TZ)
    per_event = registrations // events
    plans = []
    for index in range(events):
        kind = (EventKind.SPORTS, EventKind.SKILLS, EventKind.WELLNESS)[index % 3]
        starts_at = first + timedelta(days=index * 360 // events)
        size = per_event + (1 if index < registrations % events else 0)
        registrants = rng.sample(crowd, size)
        capacity = max(1, size - size // 20)  # about one in twenty waits
        plans.append((starts_at, kind, owners[index % len(owners)], capacity, registrants))
    return plans


def create_events(store: Store, acting: Principal, plans: list[tuple]) -> list[Planned]:
    from chalicelib.services.events import change_status, create_event

    rng = random.Random(SEED + 1)
    planned = []
    for starts_at, kind, owner, capacity, registrants in plans:
        created_at = starts_at - timedelta(days=14)
        fields = {
            "owner_unit_id": owner,
            "kind": kind,
            "format": FORMATS[kind],
            "title_zh": f"{TITLES[kind]}（{starts_at:%m月%d日}）",
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=2),
            "capacity": capacity,
            "waiting_list": True,
        }
        event = create_event(store, acting, fields, [], created_at)
        change_status(store, acting, event.event_id, EventStatus.PUBLISHED, created_at)
        cancelling = [m for m in registrants if rng.random() < CANCEL_SHARE]
        planned.append(Planned(event.event_id, starts_at, registrants, cancelling, []))
    return planned


def choose_checkins(planned: list[Planned], checkins: int, capacity_of: Callable[[Planned], int]) -> None:
    """Spread ``checkins`` over the events in proportion to their places, among those holding one at the start."""
    rng = random.Random(SEED + 2)
    holders = {}
    for plan in planned:
        gone = {m.staff_no for m in plan.cancelling}
        holders[plan.event_id] = [m for m in plan.registrants if m.staff_no not in gone][: capacity_of(plan)]
    total = sum(len(h) for h in holders.values())
    left = checkins
    for number, plan in enumerate(planned):
        share = left if number == len(planned) - 1 else round(checkins * len(holders[plan.event_id]) / total)
        share = min(share, len(holders[plan.event_id]), left)
        plan.checked_in = rng.sample(holders[plan.event_id], share)
        left -= share


def _in_threads(threads: int, planned: list[Planned], work: Callable[[Planned], None]) -> None:
    """``work`` for every event, the events shared among ``threads`` threads; the first error is raised."""
    errors: list[BaseException] = []
    queue = list(reversed(planned))
    lock = threading.Lock()

    def run() -> None:
        while not errors:
            with lock:
                if not queue:
                    return
                plan = queue.pop()
            try:
                work(plan)
            except BaseException as error:
                errors.append(error)

    workers = [threading.Thread(target=run, name=f"report-{n}") for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise errors[0]


def register_all(store: Store, planned: list[Planned], threads: int, progress: Progress) -> None:
    from chalicelib.errors import AppError
    from chalicelib.services.registration import cancel, register

    def work(plan: Planned) -> None:
        opened = plan.starts_at - timedelta(days=13)
        for number, member in enumerate(plan.registrants):
            principal = Principal(staff_no=member.staff_no, unit_id=member.unit_id)
            try:
                register(store, principal, plan.event_id, SERIES, {}, opened + timedelta(seconds=number))
            except AppError:
                progress.step(refused=True)
                continue
            progress.step()
        for member in plan.cancelling:
            principal = Principal(staff_no=member.staff_no, unit_id=member.unit_id)
            cancel(store, principal, plan.event_id, SERIES, plan.starts_at - timedelta(days=2))

    _in_threads(threads, planned, work)


def check_in_all(store: Store, acting: Principal, planned: list[Planned], threads: int, progress: Progress) -> None:
    from chalicelib.services.checkin import Scan, check_in

    def work(plan: Planned) -> None:
        at = plan.starts_at + timedelta(minutes=10)
        for member in plan.checked_in:
            scan = Scan(uuid.uuid4().hex, ENTRY_POINT, staff_no=member.staff_no)
            result = check_in(store, acting, plan.event_id, scan, "gate-1", at)
            progress.step(refused=result.verdict.value != "admitted")

    _in_threads(threads, planned, work)


def _get(server: AppServer, path: str, token: str) -> tuple[int, bytes]:
    import http.client

    connection = http.client.HTTPConnection(HOST, server.port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("GET", path, headers={"Authorization": f"Bearer {token}", "Accept": "*/*"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def time_dashboard(store: Store, server: AppServer, token: str, acting: Principal, year: int) -> tuple[float, str]:
    """p50 milliseconds of ``DASHBOARD_REQUESTS`` dashboards after one to warm up, and how they were asked."""
    status, _ = _get(server, f"/api/reports/{year}", token)
    if status == 200:
        timings = []
        for _ in range(DASHBOARD_REQUESTS):
            started = time.perf_counter()
            status, _ = _get(server, f"/api/reports/{year}", token)
            timings.append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise SystemExit(f"report: GET /api/reports/{year} answered {status}")
        return percentile(timings, 0.5), "GET /api/reports/{year} over HTTP"
    from chalicelib.services.year_report import dashboard

    dashboard(store, acting, year, None, now())
    timings = []
    for _ in range(DASHBOARD_REQUESTS):
        started = time.perf_counter()
        dashboard(store, acting, year, None, now())
        timings.append((time.perf_counter() - started) * 1000)
    return percentile(timings, 0.5), f"services.year_report.dashboard in process (the API answered {status})"


def time_workbook(store: Store, server: AppServer, token: str, acting: Principal, year: int) -> tuple[float, int, str]:
    """Seconds to download the year's workbook as the union admin, its size, and how it was asked."""
    path = f"/admin/reports/workbook.xlsx?year={year}"
    started = time.perf_counter()
    status, body = _get(server, path, token)
    seconds = time.perf_counter() - started
    if status == 200 and body.startswith(b"PK"):
        return seconds, len(body), f"GET {path} over HTTP"
    from chalicelib.services.year_workbook import workbook_file
    from chalicelib.web.report_export_pages import VALUE_NAMES

    started = time.perf_counter()
    found = workbook_file(store, acting, year, None, VALUE_NAMES, "zh", now())
    seconds = time.perf_counter() - started
    return seconds, len(found.body), f"services.year_workbook.workbook_file in process (the page answered {status})"


def measure(
    endpoint: str, server: AppServer, began: float, scale: float, threads: int, year: int
) -> tuple[float, float, bool]:
    store = get_store()
    today = now().date()
    members, events = _scaled(MEMBERS, scale), _scaled(EVENTS, scale)
    registrations, checkins = _scaled(REGISTRATIONS, scale), _scaled(CHECKINS, scale)
    acting, crowd = seed_union(store, members, today)
    plans = plan_year(year, events, registrations, crowd)
    started = time.perf_counter()
    planned = create_events(store, acting, plans)
    capacity = {plan.event_id: plans[n][3] for n, plan in enumerate(planned)}
    print(f"report events: {len(planned)} made and published in {time.perf_counter() - started:.1f}s", flush=True)
    choose_checkins(planned, checkins, lambda plan: capacity[plan.event_id])
    register_all(store, planned, threads, Progress("registrations", registrations, max(1, registrations // 20)))
    check_in_all(store, acting, planned, threads, Progress("check-ins", checkins, max(1, checkins // 10)))
    built = time.perf_counter() - began

    started = time.perf_counter()
    reported = [0]

    def drained_so_far(records: int) -> None:
        if records - reported[0] >= 2_000:
            reported[0] = records
            print(f"report streams: {records} records in {time.perf_counter() - started:.0f}s", flush=True)

    records = stream_poller.drain(progress=drained_so_far)
    drained = time.perf_counter() - started
    print(f"report streams: {records} records drained in {drained:.1f}s (the year built in {built:.0f}s)", flush=True)

    token = mint_tokens([ADMIN_STAFF_NO])[ADMIN_STAFF_NO]
    dashboard_ms, how = time_dashboard(store, server, token, acting, year)
    print(f"report dashboard: p50 {dashboard_ms:.0f} ms over {DASHBOARD_REQUESTS} ({how})", flush=True)
    workbook_s, size, how = time_workbook(store, server, token, acting, year)
    print(f"report workbook: {workbook_s:.1f}s, {size // 1024} KB ({how})", flush=True)
    started = time.perf_counter()
    rebuilt = rebuild(store, year, now())
    print(
        f"report rebuild: {time.perf_counter() - started:.1f}s, {rebuilt.events} events, {rebuilt.members} members, "
        f"{len(rebuilt.differences)} differences",
        flush=True,
    )
    for difference in rebuilt.differences[:10]:
        print(f"report difference: {difference}", flush=True)
    counted = store.stats.rollups(f"y#{year}").get("t#union", {})
    print(
        "report union: "
        + " ".join(f"{name}={counted.get(name, 0)}" for name in ("events", "places", "waiting", "checkins", "reached")),
        flush=True,
    )
    return dashboard_ms, workbook_s, not rebuilt.differences


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the full size (members, events, ...)")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--year", type=int, default=now().year - 1, help="the synthetic year (default: last year)")
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 1 or args.threads < 1:
        parser.error("--scale must be in (0, 1] and --threads positive")
    found: list[tuple[float, float, bool]] = []

    def run(endpoint: str, server: AppServer, began: float) -> int:
        found.append(measure(endpoint, server, began, args.scale, args.threads, args.year))
        return 0

    status = run_stack(TABLE_PREFIX, run)
    if status or not found:
        return status or 1
    dashboard_ms, workbook_s, exact = found[0]
    print(f"report dashboard_p50_ms={dashboard_ms:.0f} workbook_s={workbook_s:.1f} exact={'yes' if exact else 'no'}")
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
