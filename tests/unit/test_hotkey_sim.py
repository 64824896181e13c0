"""bench/hotkey.py's simulator keeps DynamoDB's per-partition limit and the places: demand under the limit passes
untouched, demand over it is throttled to the limit, shards add throughput, and the answers stay consistent."""

from __future__ import annotations

import random
from dataclasses import replace

from bench.hotkey import NO_RETRY, PATIENT, SDK, Partition, Retry, Setup, simulate

SMALL = Setup(members=2_000, places=50, rtt_s=0.005, seed=3)


def test_with_a_limit_far_above_demand_nothing_is_throttled_and_the_last_answer_follows_the_last_arrival():
    result = simulate(replace(SMALL, limit_wcu=1e9, limit_rcu=1e9))
    assert result.throttles == 0 and result.retries == 0 and result.gave_up == 0
    assert (result.confirmed, result.waiting) == (50, 1_950)
    assert 59.0 < result.answered_s < 60.1  # arrivals spread over 60 s, a few round trips each
    assert result.p99_ms < 50


def test_demand_above_the_limit_is_held_to_the_limit():
    result = simulate(replace(SMALL, arrivals="burst", tx_retry=PATIENT, read_retry=PATIENT))
    assert result.throttles > 1_000
    # A token bucket of one second's units, full at t=0: never more than that plus the rate over the time written.
    assert result.hottest_units <= SMALL.limit_wcu * (result.hottest_span_s + 1) + 1e-6
    assert result.sustained_wcu <= SMALL.limit_wcu
    # 2,000 members need at least 2 WCU each on the pool item (most 3: a lost race for a place, then the queue).
    assert result.answered_s >= (2 * SMALL.members - SMALL.limit_wcu) / SMALL.limit_wcu
    assert result.gave_up == 0 and result.confirmed == 50


def test_the_bucket_refills_at_its_rate_and_holds_one_second():
    partition = Partition(100.0)
    assert partition.has(0.0, 100) and not partition.has(0.0, 100.5)
    partition.take(0.0, 100)
    assert not partition.has(0.5, 51) and partition.has(0.5, 50)
    assert partition.has(10.0, 100) and not partition.has(10.0, 101)


def test_shards_raise_throughput_only_when_the_registrations_are_spread_too():
    burst = replace(SMALL, members=4_000, arrivals="burst", tx_retry=PATIENT, read_retry=PATIENT)
    single = simulate(burst)
    counter_only = simulate(replace(burst, shards=10))
    spread = simulate(replace(burst, shards=10, registration_partitions=10, queue_partitions=10))
    assert spread.answered_s < single.answered_s / 2
    assert counter_only.answered_s > spread.answered_s  # the event's registrations partition still binds
    assert spread.confirmed == single.confirmed == 50 and spread.gave_up == 0


def test_without_retries_a_throttled_member_gets_an_error_and_with_them_fewer_do():
    burst = replace(SMALL, arrivals="burst")
    today, sdk = simulate(replace(burst, tx_retry=NO_RETRY)), simulate(replace(burst, tx_retry=SDK))
    assert today.gave_up > sdk.gave_up > 0
    assert today.confirmed == sdk.confirmed == 50


def test_exact_positions_are_exact_and_counted_ones_are_not_under_load():
    front = replace(SMALL, arrivals="front", tx_retry=PATIENT, read_retry=PATIENT)
    exact = simulate(replace(front, exact_positions=True))
    counted = simulate(front)
    assert exact.exact_positions == 1.0
    assert counted.exact_positions is not None and counted.exact_positions < 0.9
    assert exact.races > counted.races


def test_botocore_back_off_stays_within_its_cap():
    rng = random.Random(1)
    retry = Retry(attempts=12)
    delays = [retry.delay(n, rng) for n in range(1, 12) for _ in range(50)]
    assert all(0 <= d <= 20.0 for d in delays)
    assert max(retry.delay(1, rng) for _ in range(200)) <= 1.0


def test_the_same_seed_gives_the_same_figures():
    setup = replace(SMALL, members=800, arrivals="front")
    assert simulate(setup) == simulate(setup)
