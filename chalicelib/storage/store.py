"""Binding table definitions to a configuration, and the ``Store`` the app talks to."""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

from pynamodb.exceptions import DoesNotExist, PynamoDBException

from chalicelib.errors import DependencyUnavailable
from chalicelib.settings import get_settings
from chalicelib.storage.accounts import AccountRepository, SignInThrottle
from chalicelib.storage.allocation import Draws, UnitPlacesRepository
from chalicelib.storage.audit import AuditLog
from chalicelib.storage.binding import bind_tables
from chalicelib.storage.calendar_feeds import CalendarFeeds
from chalicelib.storage.checkin import CheckIns, EventRoles
from chalicelib.storage.competition import Competitions
from chalicelib.storage.deliveries import Deliveries
from chalicelib.storage.delivery_report import DeliveryReport
from chalicelib.storage.idempotency import IdempotencyRecords
from chalicelib.storage.lineups import Lineups
from chalicelib.storage.member_prefs import MemberPrefsRepository
from chalicelib.storage.notifications import Notifications
from chalicelib.storage.organisation import Organisation
from chalicelib.storage.registrations import Registrations, Sessions
from chalicelib.storage.repositories import EventRepository, MemberRepository, UnitRepository
from chalicelib.storage.stats import StatsRepository
from chalicelib.storage.tables import TABLES
from chalicelib.storage.teams import Teams

# No item has this key; reading it proves the table answers without touching real data.
_HEALTH_CHECK_KEY = "__health_check__"


@dataclass(frozen=True)
class Store:
    units: UnitRepository
    members: MemberRepository
    events: EventRepository
    sessions: Sessions
    registrations: Registrations
    unit_places: UnitPlacesRepository
    draws: Draws
    teams: Teams
    check_ins: CheckIns
    event_roles: EventRoles
    competitions: Competitions
    lineups: Lineups
    notifications: Notifications
    member_prefs: MemberPrefsRepository
    idempotency: IdempotencyRecords
    accounts: AccountRepository
    audit: AuditLog
    organisation: Organisation
    sign_in_throttle: SignInThrottle
    calendar_feeds: CalendarFeeds
    deliveries: Deliveries
    delivery_report: DeliveryReport
    stats: StatsRepository

    def ping(self) -> dict[str, float]:
        """Read one (absent) item from every table; returns milliseconds per table or raises 503."""
        timings = {}
        for model in TABLES:
            started = time.perf_counter()
            try:
                range_key = _HEALTH_CHECK_KEY if model._range_keyname else None
                model.get(_HEALTH_CHECK_KEY, range_key)
            except DoesNotExist:
                pass
            except PynamoDBException as exc:
                raise DependencyUnavailable(details={"table": model.Meta.table_name}) from exc
            timings[model.short_name] = round((time.perf_counter() - started) * 1000, 2)
        return timings


@functools.cache
def get_store() -> Store:
    bind_tables(get_settings())
    units, members = UnitRepository(), MemberRepository()
    return Store(
        units=units,
        members=members,
        events=EventRepository(),
        sessions=Sessions(),
        registrations=Registrations(),
        unit_places=UnitPlacesRepository(),
        draws=Draws(),
        teams=Teams(),
        check_ins=CheckIns(),
        event_roles=EventRoles(),
        competitions=Competitions(),
        lineups=Lineups(),
        notifications=Notifications(),
        member_prefs=MemberPrefsRepository(),
        idempotency=IdempotencyRecords(),
        accounts=AccountRepository(),
        audit=AuditLog(),
        organisation=Organisation(units, members),
        sign_in_throttle=SignInThrottle(),
        calendar_feeds=CalendarFeeds(),
        deliveries=Deliveries(),
        delivery_report=DeliveryReport(),
        stats=StatsRepository(),
    )
