"""Pointing the table definitions at a configuration, and transactions on the same endpoint."""

from __future__ import annotations

from pynamodb.connection import Connection
from pynamodb.transactions import TransactWrite

from chalicelib.settings import Settings
from chalicelib.storage.tables import TABLES

_bound: dict[str, Connection] = {}


def bind_tables(settings: Settings) -> None:
    """Point every table definition at the configured names and endpoint.

    PynamoDB fills ``Meta`` defaults when a class is defined; setting them here and dropping the cached
    connection lets the same definitions serve every stage (and the tests' own DynamoDB Local).
    """
    # DynamoDB Local accepts any credentials but insists on some; elsewhere the default chain (the Lambda
    # role) must be used, so no fixed credentials are ever set for a real endpoint.
    local_credentials = "local" if settings.dynamodb_endpoint else None
    for model in TABLES:
        meta = model.Meta
        meta.table_name = settings.table_name(model.short_name)
        meta.host = settings.dynamodb_endpoint
        meta.region = settings.aws_region
        # Fail fast inside a Lambda invocation rather than hang until its timeout.
        meta.connect_timeout_seconds = 2
        meta.read_timeout_seconds = 5
        meta.max_retry_attempts = 3
        meta.aws_access_key_id = local_credentials
        meta.aws_secret_access_key = local_credentials
        model._connection = None
    # PynamoDB's TransactWrite does not follow the models' Meta.host: transactions get their own connection,
    # made once per binding. Making one per transaction cost ~250 ms (a new botocore session and client) on
    # every registration; one botocore client serves every thread.
    _bound["connection"] = Connection(
        region=settings.aws_region,
        host=settings.dynamodb_endpoint,
        connect_timeout_seconds=2,
        read_timeout_seconds=5,
        max_retry_attempts=3,
        aws_access_key_id=local_credentials,
        aws_secret_access_key=local_credentials,
    )


def transaction() -> TransactWrite:
    """A write transaction on the bound endpoint."""
    return TransactWrite(connection=_bound["connection"])
