"""Events and registrations made for tests through the services, as organisers and members make them."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import SCHOOL_UNIT_ID, SERIES, Event, EventFormat, EventKind, EventStatus
from chalicelib.services import events as event_service
from chalicelib.services import registration as registration_service
from chalicelib.storage import get_store


def published_event(
    organiser: Principal, *, days: float = 7, hours: float = 2, sessions=(), store=None, **fields
) -> Event:
    """An event the organiser makes through the events service and publishes: it starts ``days`` days from now
    and lasts ``hours``; ``fields`` as the service takes them (unless they say otherwise, a wellness session of
    the school union)."""
    store = store or get_store()
    start = now() + timedelta(days=days)
    values = {
        "owner_unit_id": SCHOOL_UNIT_ID,
        "kind": EventKind.WELLNESS,
        "format": EventFormat.SESSION,
        "title_zh": "健康讲座",
        "starts_at": start,
        "ends_at": start + timedelta(hours=hours),
        **fields,
    }
    return _created(store, organiser, values, sessions, publish=True)


def tournament(organiser: Principal, title: str, *, publish: bool = True, store=None, **fields) -> Event:
    """A sports tournament of the cs unit that the organiser makes (and, unless ``publish`` is false, publishes)
    through the events service, read back consistently: it starts 10 days from now on a whole second (so a form
    shows it as it was typed), lasts 3 hours, at 东区体育馆; ``fields`` as the service takes them."""
    store = store or get_store()
    start = now().replace(microsecond=0) + timedelta(days=10)
    values = {
        "owner_unit_id": "cs",
        "kind": EventKind.SPORTS,
        "format": EventFormat.TOURNAMENT,
        "title_zh": title,
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "venue": "东区体育馆",
        **fields,
    }
    event = _created(store, organiser, values, (), publish=publish)
    return store.events.get(event.event_id, consistent=True)


def _created(store, organiser: Principal, values: dict, sessions, *, publish: bool) -> Event:
    event = event_service.create_event(store, organiser, values, list(sessions), now())
    if not publish:
        return event
    return event_service.change_status(store, organiser, event.event_id, EventStatus.PUBLISHED, now())


def register_all(event_id: str, members, *, store=None) -> None:
    """Each member registers for the whole event as themselves, in order, answering nothing."""
    store = store or get_store()
    for member in members:
        principal = Principal(staff_no=member.staff_no, unit_id=member.unit_id)
        registration_service.register(store, principal, event_id, SERIES, {}, now())
