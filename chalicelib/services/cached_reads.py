"""Reads that may be up to a minute old, kept per container (chalicelib.caching): what a check-in station needs
besides the ticket and the write (issue 17 item 9).

Each is forgotten at once when this container writes the item (any repository, any transaction), and at the
latest ``TTL_SECONDS`` after another container wrote it. That is the bound written down in docs/security.md
("Per-container caches"): a removed check-in staff member may scan for at most a minute on a container that read
their role before; a changed event (its points, its check-in settings) reaches every station within a minute.
Nothing here decides a write by itself: a check-in's transaction still checks the registration and the ticket.

Callers pass another ``cache`` only to stand for another container (tests of the bound).
"""

from __future__ import annotations

from chalicelib.caching import TtlCache
from chalicelib.domain.records import Event, EventSession, Member, StaffRole, Unit
from chalicelib.storage import Store

TTL_SECONDS = 60

events: TtlCache[Event | None] = TtlCache(TTL_SECONDS, 256, follows=("events",))
event_sessions: TtlCache[tuple[EventSession, ...]] = TtlCache(TTL_SECONDS, 256, follows=("sessions",))
event_roles: TtlCache[StaffRole | None] = TtlCache(TTL_SECONDS, 4096, follows=("event_roles",))
units: TtlCache[Unit | None] = TtlCache(TTL_SECONDS, 512, follows=("units",))
members: TtlCache[Member | None] = TtlCache(TTL_SECONDS, 4096, follows=("members",))


def _found(value: object) -> bool:
    return value is not None


def event(store: Store, event_id: str, cache: TtlCache[Event | None] = events) -> Event | None:
    """The event, read by key at most once a minute (an unknown id is read every time). Its counters may be old:
    callers use its times, points, owner and check-in settings, never its places."""
    return cache.get(event_id, lambda: store.events.get(event_id), keep=_found)


def sessions(store: Store, event_id: str) -> list[EventSession]:
    """A class's sessions (one query at most once a minute)."""
    return list(event_sessions.get(event_id, lambda: tuple(store.sessions.for_event(event_id))))


def event_role(
    store: Store, event_id: str, staff_no: str, cache: TtlCache[StaffRole | None] = event_roles
) -> StaffRole | None:
    """A member's roles for the event (check-in staff, referee, judge), or None: named or removed in another
    container, this one sees it within a minute."""
    return cache.get((event_id, staff_no), lambda: store.event_roles.get(event_id, staff_no))


def unit(store: Store, unit_id: str) -> Unit | None:
    """A unit (for its name on a verdict), read by key at most once a minute."""
    return units.get(unit_id, lambda: store.units.get(unit_id), keep=_found)


def member(store: Store, staff_no: str, cache: TtlCache[Member | None] = members) -> Member | None:
    """A member, read by key at most once a minute: the caller's own registration takes them from here, as the
    identification read them (``fresh_member``; issue 22). A change of unit, role or status made in another container
    reaches this one within the minute; a registration's conditions do not depend on it (its unit's quota place
    is counted against the unit it names)."""
    return cache.get(staff_no, lambda: store.members.get(staff_no), keep=_found)


def fresh_member(store: Store, staff_no: str) -> Member | None:
    """The member read now, and kept for ``member``: the identification of a caller reads them so, so that their
    registration in the same minute needs no read and the member kept is never older than the identification
    (both bounded by the same minute)."""
    members.forget(staff_no)
    return member(store, staff_no)
