"""Binding table definitions to a configuration, and the ``Store`` the app talks to."""

from __future__ import annotations

import functools
import time
from typing import TYPE_CHECKING

from pynamodb.exceptions import DoesNotExist, PynamoDBException

from chalicelib.errors import DependencyUnavailable
from chalicelib.settings import get_settings
from chalicelib.storage.binding import bind_tables
from chalicelib.storage.repositories import EventRepository, MemberRepository, UnitRepository
from chalicelib.storage.tables import TABLES

if TYPE_CHECKING:
    from chalicelib.storage.accounts import AccountRepository, SignInThrottle
    from chalicelib.storage.allocation import Draws, UnitPlacesRepository
    from chalicelib.storage.audit import AuditLog
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
    from chalicelib.storage.stats import StatsRepository
    from chalicelib.storage.teams import Teams

# No item has this key; reading it proves the table answers without touching real data.
_HEALTH_CHECK_KEY = "__health_check__"


class Store:
    """The repositories, each made, and its module imported, on first use: a cold request loads the storage code it
    touches, not all of it (a registration never imports the competition engine or the delivery channels; see
    docs/benchmarks.md, "Cold start"). The table models themselves are all bound at once, in ``get_store``."""

    def __init__(self) -> None:
        self.units = UnitRepository()
        self.members = MemberRepository()
        self.events = EventRepository()

    @functools.cached_property
    def sessions(self) -> Sessions:
        from chalicelib.storage.registrations import Sessions

        return Sessions()

    @functools.cached_property
    def registrations(self) -> Registrations:
        from chalicelib.storage.registrations import Registrations

        return Registrations()

    @functools.cached_property
    def unit_places(self) -> UnitPlacesRepository:
        from chalicelib.storage.allocation import UnitPlacesRepository

        return UnitPlacesRepository()

    @functools.cached_property
    def draws(self) -> Draws:
        from chalicelib.storage.allocation import Draws

        return Draws()

    @functools.cached_property
    def teams(self) -> Teams:
        from chalicelib.storage.teams import Teams

        return Teams()

    @functools.cached_property
    def check_ins(self) -> CheckIns:
        from chalicelib.storage.checkin import CheckIns

        return CheckIns()

    @functools.cached_property
    def event_roles(self) -> EventRoles:
        from chalicelib.storage.checkin import EventRoles

        return EventRoles()

    @functools.cached_property
    def competitions(self) -> Competitions:
        from chalicelib.storage.competition import Competitions

        return Competitions()

    @functools.cached_property
    def lineups(self) -> Lineups:
        from chalicelib.storage.lineups import Lineups

        return Lineups()

    @functools.cached_property
    def notifications(self) -> Notifications:
        from chalicelib.storage.notifications import Notifications

        return Notifications()

    @functools.cached_property
    def member_prefs(self) -> MemberPrefsRepository:
        from chalicelib.storage.member_prefs import MemberPrefsRepository

        return MemberPrefsRepository()

    @functools.cached_property
    def idempotency(self) -> IdempotencyRecords:
        from chalicelib.storage.idempotency import IdempotencyRecords

        return IdempotencyRecords()

    @functools.cached_property
    def accounts(self) -> AccountRepository:
        from chalicelib.storage.accounts import AccountRepository

        return AccountRepository()

    @functools.cached_property
    def audit(self) -> AuditLog:
        from chalicelib.storage.audit import AuditLog

        return AuditLog()

    @functools.cached_property
    def organisation(self) -> Organisation:
        from chalicelib.storage.organisation import Organisation

        return Organisation(self.units, self.members)

    @functools.cached_property
    def sign_in_throttle(self) -> SignInThrottle:
        from chalicelib.storage.accounts import SignInThrottle

        return SignInThrottle()

    @functools.cached_property
    def calendar_feeds(self) -> CalendarFeeds:
        from chalicelib.storage.calendar_feeds import CalendarFeeds

        return CalendarFeeds()

    @functools.cached_property
    def deliveries(self) -> Deliveries:
        from chalicelib.storage.deliveries import Deliveries

        return Deliveries()

    @functools.cached_property
    def delivery_report(self) -> DeliveryReport:
        from chalicelib.storage.delivery_report import DeliveryReport

        return DeliveryReport()

    @functools.cached_property
    def stats(self) -> StatsRepository:
        from chalicelib.storage.stats import StatsRepository

        return StatsRepository()

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
    return Store()
