"""Joins to one waiting list take turns within a process, starting from the newest values this process has seen.

A join to a waiting list is written only while the pool's ``waiting_count`` and ``waiting_seq`` are what it read
(chalicelib.storage.registrations ``QueueTurn``): that is what makes its position exact without counting. Joins
that raced each other would all but one fail and try again, so within one process (a Lambda container, a worker
of the local server) joins to the same pool wait for each other here, and each starts from the newest pool this
process knows: its own read, the pool as the previous join here left it, or as a failed join was told it. Only
other processes' joins can then make a join try again. Nothing here decides a write: the condition does.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from chalicelib.domain.records import Event, EventSession

Pool = Event | EventSession
PoolKey = tuple[str, str]  # (event id, scope)

MAX_POOLS = 256  # pools remembered per process; the oldest go first


class _Turns:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pools: OrderedDict[PoolKey, tuple[threading.Lock, float, Pool | None]] = OrderedDict()

    def _entry(self, key: PoolKey) -> tuple[threading.Lock, float, Pool | None]:
        with self._lock:
            entry = self._pools.get(key)
            if entry is None:
                entry = (threading.Lock(), 0.0, None)
                self._pools[key] = entry
                while len(self._pools) > MAX_POOLS:
                    self._pools.popitem(last=False)
            self._pools.move_to_end(key)
            return entry

    @contextmanager
    def turn(self, key: PoolKey) -> Iterator[None]:
        """Hold the pool's turn for the length of the block."""
        lock = self._entry(key)[0]
        with lock:
            yield

    def newest[P: Pool](self, key: PoolKey, pool: P, seen_at: float) -> P:
        """``pool`` (read at ``seen_at``, on the monotonic clock) or what this process saw of it later."""
        _, at, known = self._entry(key)
        if known is not None and at > seen_at and type(known) is type(pool):
            return known
        return pool

    def saw(self, key: PoolKey, pool: Pool, seen_at: float | None = None) -> None:
        """Remember ``pool`` as this process saw it (now, unless ``seen_at``)."""
        at = time.monotonic() if seen_at is None else seen_at
        with self._lock:
            lock, known_at, _ = self._pools.get(key, (threading.Lock(), 0.0, None))
            if at >= known_at:
                self._pools[key] = (lock, at, pool)


waiting_lists = _Turns()
