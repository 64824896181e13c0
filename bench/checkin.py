"""Check-in at the door: 20 stations scan 2,000 tickets (and 10 % of them a second time) at once, over HTTP.

Starts DynamoDB Local in memory and the app on the dev server (``devtools.devserver``), as ``bench/rush.py`` does
and with its helpers, and stops both however the run ends. Seeds the members (with accounts) and a union admin
through the storage layer; as the union admin, over HTTP, creates and publishes an event and names ``--stations``
members its check-in staff. Then, straight through the storage layer (registering is not what is measured), it
gives ``--members`` of them a confirmed registration, each with its own ticket.

``--stations`` threads, each with its own keep-alive connection and its staff member's session token, released
together by a barrier, scan every ticket once and ``--repeat-share`` of them a second time: the repeats are shuffled
into the queues after their first scan, half at the same station, half at another one (someone trying a second
gate, a screenshot passed on). Each scan is ``POST /api/events/{id}/checkin`` with the ticket's URL, as a camera or
a handheld scanner reads it from the QR code, and a new ``scan_id``.

Checks: every ticket admitted exactly once (``double_admits``: tickets admitted more than once), every other scan of
a ticket answered "already" naming the station that admitted it, no answer other than 200 (``errors`` counts those
and every wrong verdict), the server's count (``GET .../checkin/count``) and the stored check-ins equal to the
tickets, each stored check-in the one whose scan was answered "admitted".

Then, in the same run and against the same DynamoDB Local, the raw operations one check-in needs, on a separate
event's registrations and from the same number of threads: the ticket index query and the two-item transaction
(the registration still admits; no check-in yet), i.e. ``store.check_ins.holder`` and ``store.check_ins.admit``.
The last line is ``checkin admitted=.. double_admits=.. errors=.. p99_ms=.. checkin_ratio=<app p50 / raw p50>``;
the exit status is 1 if a check fails.

    python -m bench.checkin [--members 2000] [--stations 20] [--repeat-share 0.1]
"""

from __future__ import annotations

import argparse
import http.client
import random
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from bench.rush import (
    HOST,
    REQUEST_TIMEOUT,
    AppServer,
    Checks,
    call,
    create_published_event,
    expect,
    mint_tokens,
    open_connection,
    percentile,
    run_stack,
    run_threads,
    seed,
    server_trouble,
)
from chalicelib.domain.calendar import now
from chalicelib.domain.checkin import ENTRY_POINT, new_ticket, ticket_url
from chalicelib.domain.records import SERIES, CheckIn, CheckinMethod, Member, Registration, RegistrationState
from chalicelib.storage import get_store
from chalicelib.storage.tables import EventTable

TABLE_PREFIX = "union-events-checkin-"
SEED = 20_261_112
# The raw operations run on registrations of an event of their own, so they never meet the app's check-ins.
RAW_EVENT_ID = "ev-bench-raw-checkin"


# ---- seeding ----------------------------------------------------------------------------------------------


def seed_registrations(event_id: str, members: list[Member], at: datetime) -> list[str]:
    """A confirmed registration with a new ticket for each member, written as they are; returns the tickets."""
    tickets = [new_ticket() for _ in members]
    registrations = [
        Registration(
            event_id=event_id,
            scope=SERIES,
            staff_no=member.staff_no,
            name=member.name,
            unit_id=member.unit_id,
            state=RegistrationState.CONFIRMED,
            registered_at=at,
            updated_at=at,
            ticket=ticket,
        )
        for member, ticket in zip(members, tickets, strict=True)
    ]
    get_store().registrations.put_many(registrations, {})
    return tickets


def name_staff(port: int, admin_token: str, event_id: str, staff: list[Member]) -> None:
    """As the organiser, over HTTP: each station's member becomes check-in staff for every point of the event."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        for member in staff:
            status, parsed, _ = call(
                connection, "PUT", f"/api/events/{event_id}/checkin/staff", admin_token, {"staff_no": member.staff_no}
            )
            expect(status, 200, parsed, f"name {member.staff_no} check-in staff")
    finally:
        connection.close()


def checked_in_count(port: int, token: str, event_id: str) -> int:
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        status, parsed, _ = call(connection, "GET", f"/api/events/{event_id}/checkin/count?point={ENTRY_POINT}", token)
        return expect(status, 200, parsed, "check-in count")["checked_in"]
    finally:
        connection.close()


# ---- the queues at the door -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    ticket: str
    repeat: bool  # planned as a ticket's second scan


def plan_queues(tickets: list[str], stations: int, repeat_share: float, rng: random.Random) -> list[list[Planned]]:
    """Every ticket at one station (people spread over the gates); ``repeat_share`` of them once more, later:
    half at the same station (always after the first scan there), half at another one (about as late there, so
    a repeat may now and then overtake its first scan: which of the two is admitted is then the server's call)."""
    order = tickets[:]
    rng.shuffle(order)
    timed: list[list[tuple[float, Planned]]] = [[] for _ in range(stations)]
    first_at: dict[str, tuple[int, float]] = {}
    for index, ticket in enumerate(order):
        station, slot = index % stations, float(index // stations)
        first_at[ticket] = (station, slot)
        timed[station].append((slot, Planned(ticket, repeat=False)))
    last_slot = (len(order) - 1) // stations
    for ticket in rng.sample(tickets, round(len(tickets) * repeat_share)):
        station, slot = first_at[ticket]
        if stations > 1 and rng.random() < 0.5:
            station = rng.choice([other for other in range(stations) if other != station])
        timed[station].append((rng.uniform(slot + 0.5, last_slot + 1), Planned(ticket, repeat=True)))
    return [[planned for _, planned in sorted(queue, key=lambda pair: pair[0])] for queue in timed]


# ---- scanning ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scanned:
    ticket: str
    repeat: bool
    station: str
    scan_id: str
    status: int  # 0: no HTTP answer
    ms: float
    verdict: str | None = None
    first_station: str | None = None  # "already": the station of the check-in it names
    replayed: bool = False
    error_code: str | None = None
    request_id: str | None = None


def station_name(index: int) -> str:
    return f"gate-{index + 1:02d}"


def scan_all(port: int, event_id: str, queues: list[list[Planned]], tokens: list[str]) -> tuple[list[Scanned], float]:
    """Station i scans its queue with tokens[i] on its own keep-alive connection; returns the scans and the
    wall time from the barrier's release until the last station finished."""
    per_station: list[list[Scanned]] = [[] for _ in queues]
    path = f"/api/events/{event_id}/checkin"
    base_url = f"http://{HOST}:{port}"

    def work(index: int, barrier: threading.Barrier) -> None:
        name = station_name(index)
        # Bodies are made before the barrier: only requests are timed.
        bodies = [
            {"point": ENTRY_POINT, "scan_id": uuid.uuid4().hex, "code": ticket_url(base_url, p.ticket), "station": name}
            for p in queues[index]
        ]
        connection = open_connection(port, event_id)
        barrier.wait()
        try:
            for planned, body in zip(queues[index], bodies, strict=True):
                began = time.perf_counter()
                try:
                    status, parsed, headers = call(connection, "POST", path, tokens[index], body)
                except (OSError, http.client.HTTPException) as exc:
                    ms = (time.perf_counter() - began) * 1000
                    per_station[index].append(
                        Scanned(planned.ticket, planned.repeat, name, body["scan_id"], 0, ms, error_code=repr(exc))
                    )
                    connection.close()
                    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
                    continue
                ms = (time.perf_counter() - began) * 1000
                parsed = parsed if isinstance(parsed, dict) else {}
                error = parsed.get("error") or {}
                per_station[index].append(
                    Scanned(
                        planned.ticket,
                        planned.repeat,
                        name,
                        body["scan_id"],
                        status,
                        ms,
                        verdict=parsed.get("verdict"),
                        first_station=(parsed.get("check_in") or {}).get("station"),
                        replayed=bool(parsed.get("replayed")),
                        error_code=error.get("code"),
                        request_id=headers.get("x-request-id") or error.get("request_id"),
                    )
                )
        finally:
            connection.close()

    seconds = run_threads(len(queues), work)
    return [scanned for scans in per_station for scanned in scans], seconds


# ---- checks -----------------------------------------------------------------------------------------------


@dataclass
class Outcome(Checks):
    admitted: int = 0  # "admitted" answers
    double_admits: int = 0  # tickets admitted more than once
    errors: int = 0  # answers other than 200, and wrong verdicts
    reordered: int = 0  # a planned repeat admitted and its first scan answered "already" (another station won)


def verify(scans: list[Scanned], tickets: list[str], server_count: int, event_id: str) -> Outcome:
    outcome = Outcome()
    by_ticket: dict[str, list[Scanned]] = defaultdict(list)
    for scanned in scans:
        by_ticket[scanned.ticket].append(scanned)
    answered = [s for s in scans if s.status == 200]
    statuses = Counter(s.status for s in scans)
    not_ok = len(scans) - len(answered)

    admitted_at: dict[str, Scanned] = {}
    per_ticket = Counter(s.ticket for s in answered if s.verdict == "admitted")
    for scanned in answered:
        if scanned.verdict == "admitted":
            admitted_at.setdefault(scanned.ticket, scanned)
    outcome.admitted = sum(per_ticket.values())
    outcome.double_admits = sum(1 for count in per_ticket.values() if count > 1)
    never = [t for t in tickets if per_ticket[t] == 0 and all(s.status == 200 for s in by_ticket[t])]
    # Every scan of a ticket other than the one admitted must say "already", naming the station that admitted it.
    wrong = [s for s in answered if s.verdict not in ("admitted", "already")]
    misnamed = [
        s
        for s in answered
        if s.verdict == "already" and s.ticket in admitted_at and s.first_station != admitted_at[s.ticket].station
    ]
    replayed = [s for s in answered if s.replayed]
    outcome.errors = not_ok + len(wrong) + len(misnamed) + len(never) + len(replayed)
    outcome.reordered = sum(1 for s in answered if s.repeat and s.verdict == "admitted")

    repeats = sum(len(group) - 1 for group in by_ticket.values())
    already = sum(1 for s in answered if s.verdict == "already")
    outcome.check(
        "answers",
        not_ok == 0,
        ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
        + (f"; errors: {Counter(s.error_code for s in scans if s.status != 200).most_common(3)}" if not_ok else ""),
    )
    outcome.check(
        "admitted once",
        outcome.admitted == len(tickets) and outcome.double_admits == 0 and not never,
        f"{outcome.admitted} admitted answers for {len(per_ticket)} of {len(tickets)} tickets; "
        f"{outcome.double_admits} admitted twice, {len(never)} never",
    )
    outcome.check(
        "repeats already",
        already == repeats and not wrong,
        f"{already} 'already' answers for {repeats} second scans; {len(wrong)} other verdicts "
        f"{dict(Counter(s.verdict for s in wrong))}",
    )
    outcome.check(
        "already names the gate",
        not misnamed,
        f"{len(misnamed)} 'already' answers naming another station than the one that admitted the ticket",
    )
    outcome.check("no replays", not replayed, f"{len(replayed)} answers marked replayed (every scan id is new)")
    outcome.check("server count", server_count == len(tickets), f"GET .../checkin/count: {server_count}")

    stored = get_store().check_ins.for_event(event_id, ENTRY_POINT)
    admitted_scan_ids = {s.scan_id for s in admitted_at.values()}
    stored_ids = {c.scan_id for c in stored}
    outcome.check(
        "store = answers",
        len(stored) == len({c.staff_no for c in stored}) == len(tickets) and stored_ids == admitted_scan_ids,
        f"{len(stored)} check-ins stored for {len({c.staff_no for c in stored})} members; "
        f"{len(stored_ids & admitted_scan_ids)} of them are the scans answered 'admitted'",
    )
    return outcome


# ---- the floor: the raw DynamoDB operations of one check-in -----------------------------------------------


@dataclass(frozen=True)
class RawTiming:
    query_ms: float
    write_ms: float

    @property
    def ms(self) -> float:
        return self.query_ms + self.write_ms


def raw_check_ins(tickets: list[str], threads: int) -> tuple[list[RawTiming], float, int]:
    """The ticket index query and the check-in transaction for each ticket, from ``threads`` threads sharing the
    store (as the app server's threads do); returns the timings, the wall time and the check-ins counted after."""
    store = get_store()

    def check_in(ticket: str, station: str) -> RawTiming:
        began = time.perf_counter()
        holder = store.check_ins.holder(ticket)
        queried = time.perf_counter()
        if holder is None:
            raise RuntimeError(f"the ticket index does not know {ticket}")
        at = now()
        admitted = CheckIn(
            event_id=holder.event_id,
            point_id=ENTRY_POINT,
            staff_no=holder.staff_no,
            name=holder.name,
            unit_id=holder.unit_id,
            at=at,
            recorded_at=at,
            by="raw",
            method=CheckinMethod.SCAN,
            scan_id=uuid.uuid4().hex,
            station=station,
        )
        store.check_ins.admit(admitted, holder.scope, ticket, None)
        return RawTiming((queried - began) * 1000, (time.perf_counter() - queried) * 1000)

    # PynamoDB makes its botocore clients on first use, and not thread-safely: the first ticket makes them, untimed.
    check_in(tickets[0], "warm-up")
    timings: list[list[RawTiming]] = [[] for _ in range(threads)]

    def work(index: int, barrier: threading.Barrier) -> None:
        mine = tickets[1 + index :: threads]
        barrier.wait()
        for ticket in mine:
            timings[index].append(check_in(ticket, station_name(index)))

    seconds = run_threads(threads, work)
    return [timing for mine in timings for timing in mine], seconds, store.check_ins.count(RAW_EVENT_ID, ENTRY_POINT)


# ---- report -----------------------------------------------------------------------------------------------


def spread(values: list[float]) -> str:
    return f"p50 {percentile(values, 0.50):.1f}  p99 {percentile(values, 0.99):.1f}  max {max(values):.1f}"


def measure(endpoint: str, server: AppServer, began: float, members: int, stations: int, repeat_share: float) -> int:
    print(
        f"DynamoDB Local {endpoint} (in memory), app on http://{HOST}:{server.port} (devtools.devserver, log in "
        f"{server.log_path}), ready in {time.perf_counter() - began:.1f} s",
        flush=True,
    )
    seeded = time.perf_counter()
    admin, crowd = seed(members + stations)
    holders, staff = crowd[:members], crowd[members:]
    admin_token = mint_tokens([admin.staff_no])[admin.staff_no]
    tokens = mint_tokens([member.staff_no for member in staff])
    event_id = create_published_event(server.port, admin_token, members)
    name_staff(server.port, admin_token, event_id, staff)
    at = now()
    tickets = seed_registrations(event_id, holders, at)
    # The event's counter as registering would have left it (check-in itself never reads it), and the door open:
    # the event began ten minutes ago (stations refuse scans outside a point's check-in window).
    EventTable(event_id).update(
        actions=[
            EventTable.confirmed_count.set(members),
            EventTable.starts_at.set(at - timedelta(minutes=10)),
            EventTable.ends_at.set(at + timedelta(hours=2)),
        ]
    )
    raw_tickets = seed_registrations(RAW_EVENT_ID, holders, at)
    # Loads the check-in routes' module on the server (a warm server, as a warm Lambda would be) and shows that
    # nobody is in yet.
    before = checked_in_count(server.port, tokens[staff[0].staff_no], event_id)
    print(
        f"seeded {len(crowd):,} members with accounts, {members:,} confirmed registrations with tickets on event "
        f"{event_id} (and {members:,} on {RAW_EVENT_ID} for the raw operations), {stations} check-in staff named "
        f"over HTTP, in {time.perf_counter() - seeded:.1f} s; checked in before: {before}",
        flush=True,
    )

    queues = plan_queues(tickets, stations, repeat_share, random.Random(SEED))
    scans, seconds = scan_all(server.port, event_id, queues, [tokens[member.staff_no] for member in staff])
    server_count = checked_in_count(server.port, admin_token, event_id)
    outcome = verify(scans, tickets, server_count, event_id)

    repeats = [s for s in scans if s.repeat]
    first_station = {s.ticket: s.station for s in scans if not s.repeat}
    elsewhere = sum(1 for s in repeats if s.station != first_station[s.ticket])
    latencies = [s.ms for s in scans if s.status == 200]
    app_p50, app_p99 = percentile(latencies, 0.50), percentile(latencies, 0.99)
    print(
        f"scanning: {len(scans):,} scans ({len(tickets):,} tickets + {len(repeats)} repeats, {elsewhere} of them at "
        f"another station) from {stations} stations in {seconds:.2f} s: {len(scans) / seconds:,.1f} scans/s"
    )
    print(f"scan-to-verdict ms, all:      {spread(latencies)}")
    for verdict in ("admitted", "already"):
        some = [s.ms for s in scans if s.status == 200 and s.verdict == verdict]
        if some:
            print(f"scan-to-verdict ms, {verdict + ':':<9} {spread(some)}")
    if outcome.reordered:
        print(f"{outcome.reordered} repeats at another station overtook their first scan (that one said 'already')")
    outcome.show(f"checks ({len(tickets):,} tickets):")
    for line in server_trouble(server, scans):  # it reads only .status and .request_id
        print(f"  server log: {line[:2000]}")

    raw, raw_seconds, raw_count = raw_check_ins(raw_tickets, stations)
    raw_p50 = percentile([timing.ms for timing in raw], 0.50)
    print(
        f"raw DynamoDB Local: {len(raw):,} check-ins (ticket index query + 2-item transaction) on {RAW_EVENT_ID} "
        f"from {stations} threads in {raw_seconds:.2f} s: {len(raw) / raw_seconds:,.1f}/s"
    )
    print(f"raw ms, query + transaction: {spread([timing.ms for timing in raw])}")
    print(f"raw ms, query alone:         {spread([timing.query_ms for timing in raw])}")
    print(f"raw ms, transaction alone:   {spread([timing.write_ms for timing in raw])}")
    if raw_count != len(raw_tickets):
        outcome.check("raw check-ins", False, f"{raw_count} stored after {len(raw_tickets)} raw check-ins")
    print(f"total {time.perf_counter() - began:.1f} s")
    print(
        f"checkin admitted={outcome.admitted} double_admits={outcome.double_admits} errors={outcome.errors} "
        f"p99_ms={app_p99:.0f} checkin_ratio={app_p50 / raw_p50:.2f}"
    )
    return 0 if outcome.ok else 1


# ---- main -------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000, help="confirmed registrations (tickets) to scan")
    parser.add_argument("--stations", type=int, default=20, help="concurrent scanning stations")
    parser.add_argument("--repeat-share", type=float, default=0.1, help="share of tickets scanned a second time")
    args = parser.parse_args()
    if args.members < 1 or args.stations < 1 or not 0 <= args.repeat_share <= 1:
        parser.error("--members and --stations must be positive, --repeat-share between 0 and 1")
    return run_stack(
        TABLE_PREFIX,
        lambda endpoint, server, began: measure(
            endpoint, server, began, args.members, args.stations, args.repeat_share
        ),
    )


if __name__ == "__main__":
    sys.exit(main())
