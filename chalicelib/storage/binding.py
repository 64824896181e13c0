"""Pointing the table definitions at a configuration, and transactions on the same endpoint."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from pynamodb.connection import Connection
from pynamodb.transactions import TransactWrite

from chalicelib import caching
from chalicelib.settings import Settings
from chalicelib.storage.tables import TABLES

# Timeouts and retries, so that a database that does not answer fails the request well inside Lambda's 15 s
# (.chalice/config.json ``lambda_timeout``) with a 503 rather than a timeout with no answer at all:
#
#   worst case of one call = attempts x (connect + read) + backoff
#                          = 3 x (1 s + 2 s) + (25 ms + 50 ms)   ~ 9.1 s   (host dropping packets, then hanging)
#   a hung database (connects, never answers) = 3 x 2 s + 0.1 s   ~ 6.1 s
#   a stopped database (connection refused)   = 3 x ~0 s + 0.1 s  < 0.2 s
#
# The backoff is botocore's "standard" mode: rand(0, 1) x 25 ms x 2^attempt for DynamoDB, except throttling
# (base 1 s: at most 1 s + 2 s more, and the calls themselves answer at once). DynamoDB answers in
# milliseconds; 2 s of silence is an outage, not a slow query. Before, it was 4 attempts x 5 s = 20 s.
#
# DynamoDB Local (dev and tests, no Lambda timeout) shares two CPU cores with the app and the test suite and
# pauses for garbage collection; it gets a longer read timeout so that a busy laptop is not reported as an outage.
CONNECT_TIMEOUT_SECONDS = 1
READ_TIMEOUT_SECONDS = 2
LOCAL_READ_TIMEOUT_SECONDS = 10
MAX_RETRY_ATTEMPTS = 2  # retries after the first attempt: 3 attempts in all

_bound: dict[str, Connection] = {}
# Deployed table name -> (short name, partition key attribute), for telling the caches what was written.
_written_tables: dict[str, tuple[str, str]] = {}
_WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"})


def _partitions(operation: str, params: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(table, partition key) of every item a write request names, from PynamoDB's low-level parameters."""
    if operation == "BatchWriteItem":
        for table, requests in params.get("RequestItems", {}).items():
            for request in requests:
                for kind in request.values():
                    yield table, kind.get("Item") or kind.get("Key") or {}
    elif operation == "TransactWriteItems":
        for action in params.get("TransactItems", []):
            for kind, request in action.items():
                if kind != "ConditionCheck":
                    yield request.get("TableName", ""), request.get("Item") or request.get("Key") or {}
    else:
        yield params.get("TableName", ""), params.get("Item") or params.get("Key") or {}


def _forget_written(operation: str, params: dict[str, Any]) -> None:
    for table, item in _partitions(operation, params):
        found = _written_tables.get(table)
        value = item.get(found[1]) if found else None
        if found and isinstance(value, dict) and value:
            caching.changed(found[0], next(iter(value.values())))


class _Connection(Connection):
    """PynamoDB's connection, telling this process's caches (chalicelib.caching) about every write it sends."""

    def dispatch(self, operation_name: str, operation_kwargs: dict[str, Any]) -> dict[str, Any]:
        try:
            answer: dict[str, Any] = super().dispatch(operation_name, operation_kwargs)
            return answer
        finally:
            # After the write (also a failed one: forgetting is always safe), so that a read racing it in
            # another thread cannot put the old item back (chalicelib.caching.TtlCache.get).
            if operation_name in _WRITES:
                _forget_written(operation_name, operation_kwargs)


def _connection(settings: Settings) -> Connection:
    # DynamoDB Local accepts any credentials but insists on some; elsewhere the default chain (the Lambda
    # role) must be used, so no fixed credentials are ever set for a real endpoint.
    local_credentials = "local" if settings.dynamodb_endpoint else None
    return _Connection(
        region=settings.aws_region,
        host=settings.dynamodb_endpoint,
        connect_timeout_seconds=CONNECT_TIMEOUT_SECONDS,
        read_timeout_seconds=read_timeout(settings),
        max_retry_attempts=MAX_RETRY_ATTEMPTS,
        aws_access_key_id=local_credentials,
        aws_secret_access_key=local_credentials,
    )


def read_timeout(settings: Settings) -> int:
    return LOCAL_READ_TIMEOUT_SECONDS if settings.dynamodb_endpoint else READ_TIMEOUT_SECONDS


def bind_tables(settings: Settings) -> None:
    """Point every table definition at the configured names and endpoint.

    PynamoDB fills ``Meta`` defaults when a class is defined; setting them here and dropping the cached
    connection lets the same definitions serve every stage (and the tests' own DynamoDB Local).
    """
    local_credentials = "local" if settings.dynamodb_endpoint else None  # see _connection
    _written_tables.clear()
    for model in TABLES:
        meta = model.Meta
        meta.table_name = settings.table_name(model.short_name)
        meta.host = settings.dynamodb_endpoint
        meta.region = settings.aws_region
        # Fail fast inside a Lambda invocation rather than hang until its timeout (see above).
        meta.connect_timeout_seconds = CONNECT_TIMEOUT_SECONDS
        meta.read_timeout_seconds = read_timeout(settings)
        meta.max_retry_attempts = MAX_RETRY_ATTEMPTS
        meta.aws_access_key_id = local_credentials
        meta.aws_secret_access_key = local_credentials
        model._connection = None
        # The model's connection (made now, its botocore client on first use) is ours, so that its writes reach
        # the caches; it keeps the table's description that PynamoDB gave it (no DescribeTable call).
        table = model._get_connection()
        connection = _connection(settings)
        connection.add_meta_table(table.connection.get_meta_table(meta.table_name))
        table.connection = connection
        _written_tables[meta.table_name] = (model.short_name, model._hash_keyname or "")
    # PynamoDB's TransactWrite does not follow the models' Meta.host: transactions get their own connection,
    # made once per binding. Making one per transaction cost ~250 ms (a new botocore session and client) on
    # every registration; one botocore client serves every thread.
    _bound["connection"] = _connection(settings)
    # What was read from the database bound before is not this one's.
    caching.forget_everything()


def connections() -> list[Connection]:
    """Every connection the tables use (for counting the calls a request makes: tests and benchmarks)."""
    return [model._get_connection().connection for model in TABLES] + [_bound["connection"]]


def transaction() -> TransactWrite:
    """A write transaction on the bound endpoint.

    Each carries its own client request token: when botocore retries a transaction whose answer was lost (a read
    timeout, a dropped connection) after DynamoDB had committed it, DynamoDB recognises the token and answers
    success instead of running it again, where its conditions (``attribute_not_exists`` …) would now fail and a
    member who was registered would be told "already registered"."""
    return TransactWrite(connection=_bound["connection"], client_request_token=uuid.uuid4().hex)
