"""Binding table definitions to a configuration, and the ``Store`` the app talks to."""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

from pynamodb.exceptions import DoesNotExist, PynamoDBException

from chalicelib.errors import DependencyUnavailable
from chalicelib.settings import Settings, get_settings
from chalicelib.storage.repositories import EventRepository, MemberRepository, UnitRepository
from chalicelib.storage.tables import TABLES

# No item has this key; reading it proves the table answers without touching real data.
_HEALTH_CHECK_KEY = "__health_check__"


def bind_tables(settings: Settings) -> None:
    """Point every table definition at the configured names and endpoint.

    PynamoDB fills ``Meta`` defaults when a class is defined; setting them here and dropping the cached
    connection lets the same definitions serve every stage (and the tests' own DynamoDB Local).
    """
    for model in TABLES:
        meta = model.Meta
        meta.table_name = settings.table_name(model.short_name)
        meta.host = settings.dynamodb_endpoint
        meta.region = settings.aws_region
        # Fail fast inside a Lambda invocation rather than hang until its timeout.
        meta.connect_timeout_seconds = 2
        meta.read_timeout_seconds = 5
        meta.max_retry_attempts = 3
        # DynamoDB Local accepts any credentials but insists on some; elsewhere the default chain (the Lambda
        # role) must be used, so no fixed credentials are ever set for a real endpoint.
        local_credentials = "local" if settings.dynamodb_endpoint else None
        meta.aws_access_key_id = local_credentials
        meta.aws_secret_access_key = local_credentials
        model._connection = None


@dataclass(frozen=True)
class Store:
    units: UnitRepository
    members: MemberRepository
    events: EventRepository

    def ping(self) -> dict[str, float]:
        """Read one (absent) item from every table; returns milliseconds per table or raises 503."""
        timings = {}
        for model in TABLES:
            started = time.perf_counter()
            try:
                model.get(_HEALTH_CHECK_KEY)
            except DoesNotExist:
                pass
            except PynamoDBException as exc:
                raise DependencyUnavailable(details={"table": model.Meta.table_name}) from exc
            timings[model.short_name] = round((time.perf_counter() - started) * 1000, 2)
        return timings


@functools.cache
def get_store() -> Store:
    bind_tables(get_settings())
    return Store(units=UnitRepository(), members=MemberRepository(), events=EventRepository())
