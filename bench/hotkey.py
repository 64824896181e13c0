"""One event's hot keys under real DynamoDB's per-partition limits: a discrete-event simulator (issue 22 item 5).

Pure Python, standard library only, deterministic for a seed; no DynamoDB is involved. It answers "how long until
10,000 members who register for 100 places within a minute all have an answer", for the app's design (one pool item
per event) and for a counter split across shards. docs/scale.md explains the figures and what they mean for the app.

What is modelled, and where each number comes from:

- **Partitions.** Each hot key is a token bucket of ``LIMIT_WCU`` = 1,000 write units a second (and 3,000 read
  units for the event item's reads): DynamoDB's per-partition limit, in both capacity modes, which adaptive capacity
  and split-for-heat cannot lift for one key ("each individual partition is limited to 1,000 write units per second
  and 3,000 read units per second", developerguide/warm-throughput-scenarios.html). How DynamoDB meters within the
  second is not documented: the bucket holds one second's units and starts full.
- **Transactions cost double.** "DynamoDB performs two underlying reads or writes of every item in the transaction:
  one to prepare the transaction and one to commit" (developerguide/transaction-apis.html): 2 WCU per item of 1 KB
  or less. A transaction cancelled by a failed condition is charged 1 WCU per item (the prepare only: an assumption,
  AWS does not say), a throttled one nothing.
- **The keys one registration writes.** The pool item (``events``, key the event) gets 2 WCU. The registration item
  gets 2 WCU **on the event's partition too**: ``registrations`` is keyed by ``event_id`` (docs/data-model.md), so
  one event's registrations are one item collection; DynamoDB may split a hot collection by sort key
  ("split for heat") but not on a one-minute timescale, so it is modelled as one partition unless
  ``registration_partitions`` says otherwise. A waiting join also writes its ``by_queue`` index entry, hash
  ``<event>#<scope>``: 1 WCU on that index partition (index writes are not transactional), and a throttled index
  throttles the table's writes.
- **Reading first.** Every registration reads the event (0.5 RCU, eventually consistent); a read after a conflict is
  strongly consistent (1 RCU). A sharded design reads its shards in the same request.
- **Retries.** A throttled request is answered at once and retried as botocore's *standard* mode does for throttling
  errors (botocore 1.44, ``botocore/retries/standard.py`` ``ExponentialBackoff``: ``rand(0, 1) x min(1 s x 2^(n-1),
  20 s)`` before attempt n+1), up to the attempts allowed: 3 in the app (``chalicelib/storage/binding.py``
  ``MAX_RETRY_ATTEMPTS = 2`` retries; botocore's own default for DynamoDB is 4). The retry quota (500 tokens per
  client, 5 per throttling retry) is left out: a Lambda container serves one request at a time. **But** a throttled
  *transaction* does not come back as ``ProvisionedThroughputExceededException``: DynamoDB cancels it
  (``TransactionCanceledException`` with the reason ``ThrottlingError`` on on-demand tables), a code botocore's
  standard mode does not retry (its throttling codes are ``ThrottlingException``, ``ProvisionedThroughputExceeded
  Exception``, ``TransactionInProgressException`` …). ``NO_RETRY`` models that: today's app answers the member with
  an error at the first throttled transaction. ``PATIENT`` is the fix: the app retries a ``ThrottlingError``
  cancellation itself with the same back-off, up to 12 attempts.
- **Races.** A place whose condition fails (taken meanwhile) or a waiting join whose exact-position condition fails
  (``exact_positions``: the pool's ``waiting_seq`` must be what was read, issue 22 part R) gets the pool's values back
  (``ReturnValuesOnConditionCheckFailure``) and tries again as ``chalicelib/services/placing.py`` does: at once for
  the first ``QUIET_ATTEMPTS`` = 3 lost races, then after ``uniform(0, 4 ms x (n - 3))``, at most ``PLACE_ATTEMPTS``
  = 40 attempts (then the app answers 503 ``registration_busy``). Its per-process turns (``pool_turns``) are left
  out: a Lambda container serves one request at a time, so on Lambda every join races every other. ``hold_s`` > 0
  also models ``TransactionConflict``: a transaction arriving while another holds the item between prepare and
  commit is cancelled, and the app reads again (consistently, after ``uniform(0, 4 ms x n)``) before trying again.
  How long DynamoDB holds an item is not documented.
- **Shards.** ``shards`` pool items, the places split evenly. A member reads them all, takes a random shard that
  had room; if its condition fails it reads them all again (one request; hopping from shard to shard would pay a
  cancelled transaction on each) and chooses again, never that shard (a full shard stays full: nobody cancels
  during a rush); if none had room it joins the waiting list on a random shard, answering the position ``1 + the
  waiting counts it read``.
- **Network.** Each request takes ``rtt_s`` there and back (half each way); DynamoDB's own service time is inside it.

Printed: for each case the time until the last member has an answer (a place, a waiting position or an error),
p50/p99 of the members' latencies (arrival to answer), places given, waiting, errors (``gave_up``: a request's
attempts exceeded), throttled requests, SDK retries, races lost, the largest number of registrations in flight at
once (each one a Lambda invocation: the concurrency it needs), the hottest partition's write units a second (its
units over the seconds it was written plus the second of units its bucket starts with), how many of the first
``places`` members to arrive got no place (not for a burst: they all arrive at once), and the share of waiting
members whose answered position was their true place in the queue (the order of the commits). The last line is
``hotkey single_s=<n> sharded_s=<n> shards=<n>``: the burst at t=0 with throttled transactions retried
(``PATIENT``), one pool item against shards with the registrations and the queue index spread as well.

    python bench/hotkey.py [--members 10000] [--places 100] [--shards 10] [--rtt-ms 5] [--seed 7]
"""

from __future__ import annotations

import argparse
import functools
import heapq
import math
import random
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

LIMIT_WCU = 1000.0  # per partition, per second
LIMIT_RCU = 3000.0
TX_WCU = 2  # per item of <= 1 KB in a transaction: prepare + commit
CANCELLED_WCU = 1  # per item of a transaction cancelled by a condition (the prepare; an assumption)
INDEX_WCU = 1  # the by_queue entry of a waiting join
READ_RCU = 0.5  # eventually consistent GetItem of <= 4 KB
CONSISTENT_RCU = 1.0
APP_ATTEMPTS = 40  # chalicelib/services/placing.py PLACE_ATTEMPTS
QUIET_ATTEMPTS = 3  # lost races retried at once before pausing (placing.py)
APP_JITTER_S = 0.004  # placing.back_off(attempt): uniform(0, 4 ms x (attempt + 1))


@dataclass(frozen=True)
class Retry:
    """How a throttled request is retried: botocore standard mode's back-off for throttling errors."""

    attempts: int  # in all, the first included
    base_s: float = 1.0
    cap_s: float = 20.0

    def delay(self, failed_attempt: int, rng: random.Random) -> float:
        """The pause after attempt ``failed_attempt`` (1-based) was throttled."""
        return rng.random() * min(self.base_s * 2 ** (failed_attempt - 1), self.cap_s)


SDK = Retry(3)  # reads, and any request-level throttle: botocore with the app's MAX_RETRY_ATTEMPTS = 2
NO_RETRY = Retry(1)  # a TransactionCanceledException [ThrottlingError]: botocore does not retry it
PATIENT = Retry(12)  # the app retrying a ThrottlingError cancellation itself


@dataclass(frozen=True)
class Setup:
    members: int = 10_000
    places: int = 100
    arrivals: str = "spread"  # "spread": uniform over span_s; "burst": all at t=0; "front": exponential, mean 5 s
    span_s: float = 60.0
    rtt_s: float = 0.005
    shards: int = 1
    registration_partitions: int = 1
    queue_partitions: int = 1
    exact_positions: bool = False
    hold_s: float = 0.0
    tx_retry: Retry = SDK
    read_retry: Retry = SDK
    limit_wcu: float = LIMIT_WCU
    limit_rcu: float = LIMIT_RCU
    app_attempts: int = APP_ATTEMPTS  # races lost before the app gives up
    seed: int = 7


@dataclass
class Result:
    answered_s: float  # when the last member had an answer
    p50_ms: float
    p99_ms: float
    confirmed: int
    waiting: int
    gave_up: int
    throttles: int
    retries: int
    races: int
    conflicts: int
    peak_inflight: int
    # The hottest partition's units over the seconds it was written plus the one second of units its bucket starts
    # with: never above the limit.
    sustained_wcu: float
    hottest_units: float
    hottest_span_s: float
    fcfs_misses: int | None  # of the first ``places`` members to arrive, how many got no place (None: a burst)
    exact_positions: float | None  # share of waiting members answered their true position (None: nobody waits)


class Partition:
    """A token bucket: ``rate`` units a second, holding at most one second's worth, full at t=0."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.tokens = rate
        self.at = 0.0
        self.used = 0.0
        self.first: float | None = None
        self.last = 0.0

    def has(self, now: float, units: float) -> bool:
        self.tokens = min(self.rate, self.tokens + (now - self.at) * self.rate)
        self.at = now
        return self.tokens >= units

    def take(self, now: float, units: float) -> None:
        self.has(now, 0)
        self.tokens -= units
        self.used += units
        self.first = now if self.first is None else self.first
        self.last = now


@dataclass
class Pool:
    capacity: int
    confirmed: int = 0
    waiting: int = 0
    seq: int = 0
    locked_until: float = 0.0

    def values(self) -> tuple[int, int, int]:
        return self.confirmed, self.waiting, self.seq


@dataclass
class Member:
    number: int
    arrival: float
    registration_partition: int
    wait_shard: int
    seen: list[tuple[int, int, int]] = field(default_factory=list)  # (confirmed, waiting, seq) per shard, as read
    full: set[int] = field(default_factory=set)
    sdk_attempt: int = 0
    app_attempt: int = 0
    answer: str | None = None
    answered_at: float = 0.0
    position: int | None = None
    true_position: int | None = None


class Simulation:
    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.rng = random.Random(setup.seed)
        self.clock = 0.0
        self.queue: list[tuple[float, int, Callable[[], None]]] = []
        self.order = 0
        places = [
            setup.places // setup.shards + (1 if n < setup.places % setup.shards else 0) for n in range(setup.shards)
        ]
        self.pools = [Pool(capacity) for capacity in places]
        self.pool_partitions = [Partition(setup.limit_wcu) for _ in places]
        self.registration_partitions = [Partition(setup.limit_wcu) for _ in range(setup.registration_partitions)]
        self.queue_partitions = [Partition(setup.limit_wcu) for _ in range(setup.queue_partitions)]
        self.read_partition = Partition(setup.limit_rcu)
        self.members: list[Member] = []
        self.queued = 0  # waiting joins committed so far: a member's true position is the order of its commit
        self.inflight = 0
        self.peak_inflight = 0
        self.throttles = self.retries = self.races = self.conflicts = 0

    def at(self, when: float, action: Callable[[], None]) -> None:
        self.order += 1
        heapq.heappush(self.queue, (when, self.order, action))

    def run(self) -> Result:
        setup = self.setup
        for number in range(setup.members):
            if setup.arrivals == "burst":
                arrival = 0.0
            elif setup.arrivals == "front":
                arrival = min(self.rng.expovariate(1 / 5.0), setup.span_s)
            else:
                arrival = self.rng.uniform(0, setup.span_s)
            member = Member(
                number,
                arrival,
                self.rng.randrange(setup.registration_partitions),
                self.rng.randrange(setup.shards),
            )
            self.members.append(member)
            self.at(arrival, functools.partial(self.start, member))
        while self.queue:
            self.clock, _, action = heapq.heappop(self.queue)
            action()
        return self.result()

    # -- one member's registration -------------------------------------------------------------------------------

    def start(self, member: Member) -> None:
        self.inflight += 1
        self.peak_inflight = max(self.peak_inflight, self.inflight)
        self.read(member, READ_RCU)

    def read(self, member: Member, units: float) -> None:
        half = self.setup.rtt_s / 2
        self.at(self.clock + half, lambda: self.read_arrives(member, units))

    def read_arrives(self, member: Member, units: float) -> None:
        half = self.setup.rtt_s / 2
        if not self.read_partition.has(self.clock, units):
            self.throttles += 1
            self.at(self.clock + half, lambda: self.read_throttled(member, units))
            return
        self.read_partition.take(self.clock, units)
        seen = [pool.values() for pool in self.pools]
        self.at(self.clock + half, lambda: self.decide(member, seen))

    def read_throttled(self, member: Member, units: float) -> None:
        member.sdk_attempt += 1
        if member.sdk_attempt >= self.setup.read_retry.attempts:
            self.finish(member, "error")
            return
        self.retries += 1
        pause = self.setup.read_retry.delay(member.sdk_attempt, self.rng)
        self.at(self.clock + pause, lambda: self.read(member, units))

    def decide(self, member: Member, seen: list[tuple[int, int, int]]) -> None:
        """Choose from what was read: a shard with room (and nobody waiting), else the waiting list."""
        member.seen = seen
        member.sdk_attempt = 0
        room = [
            n
            for n, (confirmed, waiting, _) in enumerate(seen)
            if confirmed < self.pools[n].capacity and waiting == 0 and n not in member.full
        ]
        shard = self.rng.choice(room) if room else member.wait_shard
        self.send(member, shard, place=bool(room))

    def send(self, member: Member, shard: int, place: bool) -> None:
        half = self.setup.rtt_s / 2
        self.at(self.clock + half, lambda: self.transaction_arrives(member, shard, place))

    def transaction_arrives(self, member: Member, shard: int, place: bool) -> None:
        setup, now, half = self.setup, self.clock, self.setup.rtt_s / 2
        pool = self.pools[shard]
        partitions = [
            (self.pool_partitions[shard], TX_WCU),
            (self.registration_partitions[member.registration_partition], TX_WCU),
        ]
        if not place:
            partitions.append((self.queue_partitions[shard % setup.queue_partitions], INDEX_WCU))
        if pool.locked_until > now:
            self.conflicts += 1
            self.at(now + half, lambda: self.lost_race(member, shard, place, conflict=True))
            return
        if not all(partition.has(now, units) for partition, units in partitions):
            self.throttles += 1
            self.at(now + half, lambda: self.throttled(member, shard, place))
            return
        expected_seq = member.seen[shard][2]
        if place:
            holds = pool.confirmed < pool.capacity and pool.waiting == 0
        else:
            holds = not setup.exact_positions or pool.seq == expected_seq
        if not holds:
            for partition, _ in partitions[:2]:
                partition.take(now, CANCELLED_WCU)
            values = pool.values()
            self.at(now + half, lambda: self.lost_race(member, shard, place, values=values))
            return
        for partition, units in partitions:
            partition.take(now, units)
        pool.locked_until = now + setup.hold_s
        if place:
            pool.confirmed += 1
            self.at(now + half, lambda: self.finish(member, "confirmed"))
            return
        pool.waiting += 1
        pool.seq += 1
        self.queued += 1
        member.true_position = self.queued
        if setup.exact_positions and setup.shards == 1:
            member.position = pool.waiting  # waiting_count read + 1, exact because the condition held
        else:
            member.position = 1 + sum(waiting for _, waiting, _ in member.seen)
        self.at(now + half, lambda: self.finish(member, "waiting"))

    def throttled(self, member: Member, shard: int, place: bool) -> None:
        member.sdk_attempt += 1
        if member.sdk_attempt >= self.setup.tx_retry.attempts:
            self.finish(member, "error")
            return
        self.retries += 1
        pause = self.setup.tx_retry.delay(member.sdk_attempt, self.rng)
        self.at(self.clock + pause, lambda: self.send(member, shard, place))

    def lost_race(
        self,
        member: Member,
        shard: int,
        place: bool,
        values: tuple[int, int, int] | None = None,
        conflict: bool = False,
    ) -> None:
        """A condition failed (the pool's values came back) or a TransactionConflict (read again)."""
        self.races += 1
        member.app_attempt += 1
        if member.app_attempt >= self.setup.app_attempts:
            self.finish(member, "error")
            return
        if conflict:
            pause = self.rng.uniform(0, APP_JITTER_S * member.app_attempt)
        else:
            pause = self.rng.uniform(0, APP_JITTER_S * max(0, member.app_attempt - QUIET_ATTEMPTS))
        if conflict:
            self.at(self.clock + pause, lambda: self.read(member, CONSISTENT_RCU))
            return
        assert values is not None
        if place:
            member.full.add(shard)
            if self.setup.shards > 1:
                # One shard's values say nothing of the others: read them all again (one request, reads are
                # cheap) rather than hop from shard to shard paying a cancelled transaction on each.
                self.at(self.clock + pause, lambda: self.read(member, READ_RCU))
                return
        seen = list(member.seen)
        seen[shard] = values
        self.at(self.clock + pause, lambda: self.decide(member, seen))

    def finish(self, member: Member, answer: str) -> None:
        member.answer = answer
        member.answered_at = self.clock
        self.inflight -= 1

    # -- figures -------------------------------------------------------------------------------------------------

    def result(self) -> Result:
        members = self.members
        latencies = sorted((m.answered_at - m.arrival) * 1000 for m in members)
        answers = Counter(m.answer for m in members)
        assert answers["confirmed"] == sum(pool.confirmed for pool in self.pools) <= self.setup.places
        partitions = self.pool_partitions + self.registration_partitions + self.queue_partitions
        hottest = max(partitions, key=lambda partition: partition.used)
        span = hottest.last - (hottest.first or 0.0)
        fcfs = None
        if self.setup.arrivals != "burst":
            first = sorted(members, key=lambda m: m.arrival)[: self.setup.places]
            fcfs = sum(1 for m in first if m.answer != "confirmed")
        waiting = [m for m in members if m.answer == "waiting"]
        exact = sum(1 for m in waiting if m.position == m.true_position) / len(waiting) if waiting else None
        return Result(
            answered_s=max(m.answered_at for m in members),
            p50_ms=statistics.median(latencies),
            p99_ms=latencies[min(len(latencies) - 1, math.ceil(0.99 * len(latencies)) - 1)],
            confirmed=answers["confirmed"],
            waiting=answers["waiting"],
            gave_up=answers["error"],
            throttles=self.throttles,
            retries=self.retries,
            races=self.races,
            conflicts=self.conflicts,
            peak_inflight=self.peak_inflight,
            sustained_wcu=hottest.used / (span + 1.0),
            hottest_units=hottest.used,
            hottest_span_s=span,
            fcfs_misses=fcfs,
            exact_positions=exact,
        )


def simulate(setup: Setup) -> Result:
    return Simulation(setup).run()


# -- the report ----------------------------------------------------------------------------------------------------

HEADER = (
    f"{'case':<56} {'last s':>7} {'p50 ms':>7} {'p99 ms':>8} {'placed':>6} {'waiting':>7} {'gave_up':>7} "
    f"{'throttles':>9} {'retries':>7} {'races':>6} {'inflight':>8} {'hot WCU/s':>9} {'fcfs miss':>9} {'exact pos':>9}"
)


def line(case: str, result: Result) -> str:
    fcfs = "-" if result.fcfs_misses is None else str(result.fcfs_misses)
    exact = "-" if result.exact_positions is None else f"{result.exact_positions:.0%}"
    return (
        f"{case:<56} {result.answered_s:>7.1f} {result.p50_ms:>7.0f} {result.p99_ms:>8.0f} {result.confirmed:>6} "
        f"{result.waiting:>7} {result.gave_up:>7} {result.throttles:>9} {result.retries:>7} {result.races:>6} "
        f"{result.peak_inflight:>8} {result.sustained_wcu:>9.0f} {fcfs:>9} {exact:>9}"
    )


def designs(shards: int) -> list[tuple[str, dict]]:
    spread = {"shards": shards, "registration_partitions": shards, "queue_partitions": shards}
    return [
        ("one pool item (the app)", {}),
        (f"{shards} shards, counter only", {"shards": shards}),
        (f"{shards} shards, registrations, queue", spread),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--places", type=int, default=100)
    parser.add_argument("--shards", type=int, default=10)
    parser.add_argument("--rtt-ms", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    base = Setup(members=args.members, places=args.places, rtt_s=args.rtt_ms / 1000, seed=args.seed)
    print(
        f"hotkey: {base.members} members, {base.places} places, one event; {LIMIT_WCU:.0f} WCU/s and "
        f"{LIMIT_RCU:.0f} RCU/s per partition; a transaction costs {TX_WCU} WCU per item; round trip "
        f"{args.rtt_ms:g} ms; seed {base.seed}"
    )
    arrivals = {"spread": "spread over 60 s", "front": "front-loaded (mean 5 s)", "burst": "burst at t=0"}

    print("\n1. Throttled transactions retried like any throttle (botocore standard mode, 3 attempts, as configured)")
    print(HEADER)
    for kind in ("spread", "front", "burst"):
        for name, changes in designs(args.shards):
            result = simulate(replace(base, arrivals=kind, **changes))
            print(line(f"{arrivals[kind]}, {name}", result))

    print("\n2. The burst, by what happens to a throttled transaction (reads: 3 attempts, 12 with the fix)")
    print(HEADER)
    policies = [
        ("not retried (today)", NO_RETRY),
        ("3 attempts", SDK),
        ("12 attempts", PATIENT),
    ]
    finals: dict[str, Result] = {}
    for policy_name, policy in policies:
        for name, changes in designs(args.shards)[::2]:
            # A fix raises the attempts for reads too (one botocore setting); a transaction's first throttle, today,
            # is not retried at all.
            reads = PATIENT if policy is PATIENT else SDK
            result = simulate(replace(base, arrivals="burst", tx_retry=policy, read_retry=reads, **changes))
            print(line(f"{name}: {policy_name}", result))
            if policy is PATIENT:
                finals[name] = result

    print("\n3. Exact waiting positions (condition on waiting_seq, part R) and TransactionConflict, one pool item")
    print(HEADER)
    for kind in ("spread", "front", "burst"):
        for exact, hold, attempts in (
            (False, 0.0, APP_ATTEMPTS),
            (True, 0.0, APP_ATTEMPTS),
            (True, 0.003, APP_ATTEMPTS),
            (True, 0.0, 10**6),
        ):
            setup = replace(
                base,
                arrivals=kind,
                exact_positions=exact,
                hold_s=hold,
                tx_retry=PATIENT,
                read_retry=PATIENT,
                app_attempts=attempts,
            )
            what = ("exact" if exact else "counted") + (f", item held {hold * 1000:g} ms" if hold else "")
            what += "" if attempts == APP_ATTEMPTS else ", races retried without limit"
            print(line(f"{arrivals[kind]}, {what}", simulate(setup)))

    single = finals[designs(args.shards)[0][0]]
    sharded = finals[designs(args.shards)[2][0]]
    print(f"\nhotkey single_s={single.answered_s:.1f} sharded_s={sharded.answered_s:.1f} shards={args.shards}")


if __name__ == "__main__":
    main()
