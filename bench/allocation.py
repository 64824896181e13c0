"""Allocation at scale, against DynamoDB Local (started in memory on a free port, stopped however the run ends).

1. A lottery retreat: ``--applicants`` pending applications from members of ``--units`` sub-unions, places
   shared among them in proportion to their members; the draw is timed (recorded in one transaction, then every
   application settled in batches), its published result verified, and the counters checked.
2. Approvals under contention: ``--threads`` organisers approve the same pending applications of an event with
   ``--places`` places and unit quotas at once; checks that no unit and no event is oversold.

The last line is ``allocation draw_ms=.. settle_per_s=.. approvals_per_s=.. oversold=.. verified=..``; the exit
status is 1 if a check fails.

    python -m bench.allocation [--applicants 2000] [--units 40] [--places 300] [--threads 20]
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections import Counter
from datetime import date, timedelta

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.lottery import verify_draw
from chalicelib.domain.records import (
    SCHOOL_UNIT_ID,
    SERIES,
    Allocation,
    EventFormat,
    EventKind,
    EventStatus,
    Gender,
    Member,
    Registration,
    RegistrationState,
    Unit,
    UnitKind,
)
from chalicelib.errors import Conflict
from chalicelib.storage import get_store
from devtools import dynamodb_local
from devtools.tables import use_database

ADMIN = Principal(staff_no="B0000", unit_id=SCHOOL_UNIT_ID, union_admin=True)


def _setup(store, units: int, members_per_unit: int) -> list[Member]:
    store.units.put_many(
        [Unit(SCHOOL_UNIT_ID, UnitKind.SCHOOL, "校工会")]
        + [Unit(f"u{i:02d}", UnitKind.SUB, f"单位{i}", parent_id=SCHOOL_UNIT_ID, position=i) for i in range(units)]
    )
    members = [
        Member(
            f"B{u:02d}{n:04d}", f"会员{u}-{n}", Gender.FEMALE if n % 2 else Gender.MALE, date(1980, 1, 1), f"u{u:02d}"
        )
        for u in range(units)
        for n in range(members_per_unit + u % 7 * 3)  # units of different sizes
    ]
    store.members.put_many(members)
    return members


def _event(store, capacity: int, allocation: Allocation):
    from chalicelib.services import events as event_service

    start = now() + timedelta(days=30)
    fields = {
        "owner_unit_id": SCHOOL_UNIT_ID,
        "kind": EventKind.WELLNESS,
        "format": EventFormat.RETREAT,
        "title_zh": "疗休养",
        "starts_at": start,
        "ends_at": start + timedelta(days=4),
        "capacity": capacity,
        "allocation": allocation,
    }
    event = event_service.create_event(store, ADMIN, fields, [], now())
    return event_service.change_status(store, ADMIN, event.event_id, EventStatus.PUBLISHED, now())


def _pending(store, event, members: list[Member]) -> None:
    """Applications written straight through the storage layer (the rush benchmark measures registering)."""
    at = now()
    store.registrations.put_many(
        [
            Registration(
                event.event_id, SERIES, m.staff_no, m.name, m.unit_id, RegistrationState.PENDING, at, at, tier=0
            )
            for m in members
        ],
        {},
    )
    from chalicelib.storage.tables import EventTable

    EventTable(event.event_id).update(actions=[EventTable.pending_count.set(len(members))])


def bench_draw(store, members: list[Member], applicants: int, places: int) -> tuple[float, float, bool]:
    from chalicelib.services import events as event_service
    from chalicelib.services import lottery, quotas

    event = _event(store, places, Allocation.LOTTERY)
    units = sorted({m.unit_id for m in members})
    quotas.set_quotas(store, ADMIN, event, quotas.QuotaPlan(proportional_units=units, minimum=1), now())
    _pending(store, event, members[:applicants])
    event_service.update_event(store, ADMIN, event.event_id, {"registration_closes_at": now()}, False, now())
    time.sleep(0.01)
    event = store.events.get(event.event_id, consistent=True)
    started = time.perf_counter()
    summary = lottery.draw(store, ADMIN, event, now())
    elapsed = time.perf_counter() - started
    fresh = store.events.get(event.event_id, consistent=True)
    published = lottery.published(store, fresh).data
    states = Counter(r.state for r in store.registrations.for_event(event.event_id))
    checks = (
        verify_draw(published, expected_commitment=event.lottery_commitment) == []
        and summary.winners == places
        and states[RegistrationState.CONFIRMED] == fresh.confirmed_count == places
        and states[RegistrationState.WAITING] == fresh.waiting_count == applicants - places
        and fresh.pending_count == 0
    )
    print(f"draw applicants={applicants} places={places} ms={elapsed * 1000:.0f} settled={summary.settled}")
    return elapsed * 1000, summary.settled / elapsed, checks


def bench_approvals(store, members: list[Member], places: int, threads: int) -> tuple[float, int]:
    from chalicelib.services import quotas
    from chalicelib.services import registration as service

    event = _event(store, places, Allocation.APPROVAL)
    units = sorted({m.unit_id for m in members})
    quotas.set_quotas(store, ADMIN, event, quotas.QuotaPlan(proportional_units=units, minimum=1), now())
    # Spread over every unit, twice as many as there are places: quotas and capacity both run out.
    applicants = members[:: max(len(members) // (places * 2), 1)][: places * 2]
    _pending(store, event, applicants)
    event = store.events.get(event.event_id, consistent=True)
    chunks = [applicants[i::threads] for i in range(threads)]
    barrier = threading.Barrier(threads)
    refused = Counter()

    def organiser(chunk: list[Member]) -> None:
        barrier.wait()
        for member in chunk:
            try:
                service.approve(store, ADMIN, event.event_id, member.staff_no, now())
            except Conflict as error:
                refused[error.code] += 1

    workers = [threading.Thread(target=organiser, args=(chunk,)) for chunk in chunks]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    confirmed = [r for r in store.registrations.for_event(event.event_id) if r.state is RegistrationState.CONFIRMED]
    shares = {p.unit_id: p for p in store.unit_places.for_event(event.event_id)}
    per_unit = Counter(r.unit_id for r in confirmed)
    oversold = sum(max(per_unit[u] - shares[u].quota, 0) for u in shares) + max(len(confirmed) - places, 0)
    oversold += sum(per_unit[u] != shares[u].used for u in shares)  # counters that drifted from the truth
    rate = len(applicants) / elapsed
    print(
        f"approvals decided={len(applicants)} confirmed={len(confirmed)} refused={dict(refused)} "
        f"threads={threads} per_s={rate:.0f}"
    )
    return rate, oversold


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=2000)
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--places", type=int, default=300)
    parser.add_argument("--threads", type=int, default=20)
    args = parser.parse_args(argv)
    with dynamodb_local.running(dynamodb_local.free_port()) as server:
        use_database(server.endpoint, "union-events-alloc-")
        store = get_store()
        per_unit = max(args.applicants // args.units, 1)
        members = _setup(store, args.units, per_unit)
        draw_ms, settle_rate, verified = bench_draw(store, members, min(args.applicants, len(members)), args.places)
        approvals_rate, oversold = bench_approvals(store, members, args.places, args.threads)
    print(
        f"allocation draw_ms={draw_ms:.0f} settle_per_s={settle_rate:.0f} approvals_per_s={approvals_rate:.0f} "
        f"oversold={oversold} verified={str(verified).lower()}"
    )
    return 0 if verified and oversold == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
