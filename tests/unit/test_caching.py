"""The per-container TTL cache (chalicelib.caching): expiry on its clock, its bound, forgetting what this process
wrote (and nothing else), a read that raced a write not kept, and many threads at once."""

from __future__ import annotations

import threading

from chalicelib import caching
from chalicelib.caching import TtlCache


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def loader(values: dict, reads: list):
    def load(key):
        reads.append(key)
        return values.get(key)

    return load


def test_a_value_is_read_once_until_its_time_is_up():
    clock, reads = Clock(), []
    cache = TtlCache(60, 8, clock=clock)
    load = loader({"a": 1}, reads)
    assert [cache.get("a", lambda: load("a")) for _ in range(3)] == [1, 1, 1]
    clock.now += 59.9
    assert cache.get("a", lambda: load("a")) == 1 and reads == ["a"]
    clock.now += 0.2
    assert cache.get("a", lambda: load("a")) == 1 and reads == ["a", "a"]


def test_what_keep_refuses_is_read_every_time():
    reads = []
    cache = TtlCache(60, 8, clock=Clock())
    load = loader({}, reads)
    for _ in range(3):
        assert cache.get("gone", lambda: load("gone"), keep=lambda value: value is not None) is None
    assert reads == ["gone"] * 3 and len(cache) == 0


def test_it_holds_at_most_max_entries_dropping_the_oldest():
    reads = []
    cache = TtlCache(60, 3, clock=Clock())
    load = loader({n: n for n in range(5)}, reads)
    for n in range(5):
        cache.get(n, lambda n=n: load(n))
    assert len(cache) == 3
    cache.get(4, lambda: load(4))
    cache.get(0, lambda: load(0))
    assert reads == [0, 1, 2, 3, 4, 0]


def test_a_write_in_this_process_forgets_the_partition_in_the_caches_that_follow_its_table():
    followers = TtlCache(60, 16, follows=("event_roles",), clock=Clock())
    other_table = TtlCache(60, 16, follows=("units",), clock=Clock())
    other_container = TtlCache(60, 16, clock=Clock())
    for cache in (followers, other_table, other_container):
        for key in (("ev-1", "M1"), ("ev-1", "M2"), ("ev-2", "M1")):
            cache.get(key, lambda: "role")
    caching.changed("event_roles", "ev-1")
    assert len(followers) == 1 and len(other_table) == 3 and len(other_container) == 3
    caching.forget_everything()
    assert len(followers) == len(other_table) == 0 and len(other_container) == 3


def test_a_read_that_raced_a_write_is_not_kept():
    cache = TtlCache(60, 8, follows=("members",), clock=Clock())

    def read_then_written_meanwhile():
        caching.changed("members", "M1")  # another thread wrote the member while this read was on its way
        return "old"

    assert cache.get("M1", read_then_written_meanwhile) == "old"
    assert cache.get("M1", lambda: "new") == "new"


def test_many_threads_at_once():
    cache = TtlCache(60, 50, follows=("units",))
    errors = []

    def work(n):
        try:
            for i in range(300):
                key = (n * 7 + i) % 80
                assert cache.get(key, lambda key=key: key * 2) == key * 2
                if i % 17 == 0:
                    caching.changed("units", key)
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(cache) <= 50
