"""Short per-container caches of items read from the store (the one TTL cache of the app).

A Lambda container (or the local server's process) keeps what it read for at most ``ttl_seconds`` on the monotonic
clock, in a bounded dict (the oldest entries go first). Staleness is bounded two ways:

* every write this process makes to a table (any repository, any transaction) forgets the cached entries of the
  item's partition at once: ``chalicelib.storage.binding`` calls ``changed(table, partition key)`` after each write
  it sends, and binding the tables (to a database) forgets everything. So the container that made a change never
  reads it stale, and tests, which run in one process, never see a stale entry;
* another container's write reaches this one when the entry expires: at most ``ttl_seconds`` later.

Only reads whose staleness is acceptable for that long use a cache (docs/security.md, "Per-container caches"); a
write that must hold against the current state (a place, a check-in) still relies on its conditional write.
Thread-safe: the local server serves requests from several threads.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Protocol

# The caches that follow writes to each table (by its short name, e.g. "members").
_followers: dict[str, weakref.WeakSet[TtlCache]] = {}
_every: weakref.WeakSet[TtlCache] = weakref.WeakSet()
_lock = threading.Lock()


class TtlCache[V]:
    """Values by key for at most ``ttl_seconds``, at most ``max_entries`` of them.

    ``follows``: the tables whose writes (in this process) forget entries: an entry's key is the partition key
    written, or a tuple starting with it. A cache made without ``follows`` stands for another container's: only
    its clock makes it forget (tests of the staleness bound build one)."""

    def __init__(
        self,
        ttl_seconds: float,
        max_entries: int,
        follows: tuple[str, ...] = (),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()
        self._forgotten = 0  # counts forgetting, so that a read that raced a write is not kept
        with _lock:
            for table in follows:
                _followers.setdefault(table, weakref.WeakSet()).add(self)
            if follows:
                _every.add(self)

    def get(self, key: Hashable, load: Callable[[], V], keep: Callable[[V], bool] = lambda _: True) -> V:
        """The cached value, or ``load()`` (kept if ``keep`` says so and nothing was forgotten meanwhile)."""
        now = self._clock()
        with self._lock:
            found = self._entries.get(key)
            if found is not None and found[0] > now:
                return found[1]
            forgotten = self._forgotten
        value = load()
        if keep(value):
            with self._lock:
                if forgotten == self._forgotten:
                    self._entries.pop(key, None)
                    self._entries[key] = (now + self.ttl_seconds, value)
                    while len(self._entries) > self.max_entries:
                        self._entries.popitem(last=False)
        return value

    def forget(self, partition: Hashable) -> None:
        """Forget the entry ``partition`` and every entry whose key is a tuple starting with it."""
        with self._lock:
            self._forgotten += 1
            for key in [k for k in self._entries if k == partition or (isinstance(k, tuple) and k[0] == partition)]:
                del self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self._forgotten += 1
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


class Forgetting(Protocol):
    """What follows a table's writes besides a TtlCache (chalicelib.services.pool_turns)."""

    def forget(self, partition: Hashable) -> None: ...

    def clear(self) -> None: ...


_others: dict[str, list[Forgetting]] = {}


def follow(table: str, keeper: Forgetting) -> None:
    """``keeper`` forgets a partition when this process writes ``table`` in it, and everything when the tables are
    bound again, as a TtlCache made with ``follows`` does. For module-level keepers (kept for the process's life)."""
    with _lock:
        _others.setdefault(table, []).append(keeper)


def changed(table: str, partition: Hashable) -> None:
    """This process wrote an item of ``table`` in ``partition``: the caches that follow the table forget it."""
    with _lock:
        followers: list[TtlCache | Forgetting] = [*_followers.get(table, ()), *_others.get(table, ())]
    for cache in followers:
        cache.forget(partition)


def forget_everything() -> None:
    """The tables were bound to a database (again): nothing read before may be served from a cache."""
    with _lock:
        caches: list[TtlCache | Forgetting] = [*_every, *(keeper for kept in _others.values() for keeper in kept)]
    for cache in caches:
        cache.clear()
