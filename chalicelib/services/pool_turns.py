"""Joins to one waiting list take turns within a process, starting from the newest values this process has seen;
and a member's registration may start from the event as this process read it within the last second.

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
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from chalicelib.caching import follow
from chalicelib.domain.records import Event, EventSession

Pool = Event | EventSession
PoolKey = tuple[str, str]  # (event id, scope)

MAX_POOLS = 256  # pools remembered per process; the oldest go first
# How long a whole event this process read (its title, form, audience, window) stands in for reading it again when
# a member registers: in a rush a process reads each event about once a second instead of once per registration.
# What decides a place is not taken from it: capacity, counters, status and window are conditions of the write.
FIELDS_FRESH_SECONDS = 1.0


@dataclass
class _Known:
    lock: threading.Lock = field(default_factory=threading.Lock)
    pool: Pool | None = None
    seen_at: float = 0.0  # when its counters were seen (read, written by this process, or found by a failed write)
    read_at: float = 0.0  # when the item itself was last read whole from the store
    line: list[Any] = field(default_factory=list)  # joins waiting for the turn, first come first (placing)


class _Turns:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pools: OrderedDict[PoolKey, _Known] = OrderedDict()
        self._own = threading.local()  # the event id this thread is writing a registration for, if any

    @contextmanager
    def own_write(self, event_id: str) -> Iterator[None]:
        """A registration's write for ``event_id`` by this thread: its change of the pool's counters is known here
        (``saw``), and does not make the event's fields stale as another write of the event would."""
        self._own.event_id = event_id
        try:
            yield
        finally:
            self._own.event_id = None

    def forget(self, partition: Hashable) -> None:
        """This process wrote the event ``partition`` (chalicelib.caching): its fields must be read again."""
        if getattr(self._own, "event_id", None) == partition:
            return
        with self._lock:
            for key, known in self._pools.items():
                if key[0] == partition:
                    known.read_at = 0.0

    def clear(self) -> None:
        with self._lock:
            for known in self._pools.values():
                known.pool, known.seen_at, known.read_at = None, 0.0, 0.0

    def _entry(self, key: PoolKey) -> _Known:
        with self._lock:
            known = self._pools.get(key)
            if known is None:
                known = self._pools[key] = _Known()
                while len(self._pools) > MAX_POOLS:
                    self._pools.popitem(last=False)
            self._pools.move_to_end(key)
            return known

    @contextmanager
    def turn(self, key: PoolKey) -> Iterator[None]:
        """Hold the pool's turn for the length of the block."""
        with self._entry(key).lock:
            yield

    def wait_in_line(self, key: PoolKey, join: object) -> None:
        """``join`` waits for the pool's turn; whoever has the turn writes the joins in line together."""
        known = self._entry(key)
        with self._lock:
            known.line.append(join)

    def take_line(self, key: PoolKey, limit: int) -> list[Any]:
        """The first ``limit`` joins in line (taken out of it), in the order they came."""
        known = self._entry(key)
        with self._lock:
            taken, known.line[:] = known.line[:limit], known.line[limit:]
            return taken

    def leave_line(self, key: PoolKey, join: object) -> None:
        """``join`` gives up waiting (if it still is)."""
        known = self._entry(key)
        with self._lock:
            if join in known.line:
                known.line.remove(join)

    def newest[P: Pool](self, key: PoolKey, pool: P, seen_at: float) -> P:
        """``pool`` (its counters seen at ``seen_at``, on the monotonic clock) or what this process saw later."""
        known = self._entry(key)
        if known.pool is not None and known.seen_at > seen_at and type(known.pool) is type(pool):
            return known.pool
        return pool

    def recent(self, key: PoolKey) -> Event | None:
        """The whole event as this process knows it, if it was read whole within ``FIELDS_FRESH_SECONDS``."""
        known = self._entry(key)
        fresh = time.monotonic() - known.read_at <= FIELDS_FRESH_SECONDS
        return known.pool if fresh and isinstance(known.pool, Event) else None

    def saw(self, key: PoolKey, pool: Pool, seen_at: float | None = None, *, read: bool = False) -> None:
        """Remember ``pool`` as this process saw it (now, unless ``seen_at``); ``read``: read whole from the store
        (or returned whole by a failed write), not made from an earlier one by this process's own write."""
        at = time.monotonic() if seen_at is None else seen_at
        known = self._entry(key)
        with self._lock:
            if at >= known.seen_at:
                known.pool, known.seen_at = pool, at
                if read:
                    known.read_at = at


waiting_lists = _Turns()
follow("events", waiting_lists)
