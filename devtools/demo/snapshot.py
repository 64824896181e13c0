"""The tables' items, read once and written back: loading the demo union through the services takes a minute, so a
test session loads it once, keeps its items, and gives each module that needs a fresh union the same items again.

Test and development set-up only, never a request path: ``read_items`` scans every table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.storage.binding import bind_tables
from chalicelib.storage.tables import TABLES
from devtools.tables import ensure_tables

if TYPE_CHECKING:
    from chalicelib.settings import Settings

Items = dict[str, list[dict[str, Any]]]  # table name → items in DynamoDB's own form


def _client(settings: Settings) -> Any:
    import boto3

    return boto3.client("dynamodb", endpoint_url=settings.dynamodb_endpoint, region_name=settings.aws_region)


def read_items(settings: Settings) -> Items:
    """Every item of every table (a consistent scan, page after page)."""
    bind_tables(settings)
    client = _client(settings)
    items: Items = {}
    for model in TABLES:
        name = model.Meta.table_name
        pages = client.get_paginator("scan").paginate(TableName=name, ConsistentRead=True)
        items[name] = [item for page in pages for item in page["Items"]]
    return items


def restore(settings: Settings, items: Items) -> None:
    """The tables holding exactly ``items``: every item there now deleted, then ``items`` written. (Dropping and
    creating the 18 tables again takes DynamoDB Local about 14 s; emptying and refilling them about 3 s.)"""
    ensure_tables(settings)
    client = _client(settings)
    for name, table_items in items.items():
        _write(client, name, [{"DeleteRequest": {"Key": key}} for key in _keys(client, name)])
        _write(client, name, [{"PutRequest": {"Item": item}} for item in table_items])


def _keys(client: Any, name: str) -> list[dict[str, Any]]:
    """The key of every item in the table."""
    schema = client.describe_table(TableName=name)["Table"]["KeySchema"]
    names = {f"#k{number}": key["AttributeName"] for number, key in enumerate(schema)}
    pages = client.get_paginator("scan").paginate(
        TableName=name, ProjectionExpression=", ".join(names), ExpressionAttributeNames=names, ConsistentRead=True
    )
    return [{key: item[key] for key in names.values()} for page in pages for item in page["Items"]]


def _write(client: Any, name: str, requests: list[dict[str, Any]]) -> None:
    """Batch writes of 25, until DynamoDB has processed every one."""
    for start in range(0, len(requests), 25):
        batch: dict[str, Any] = {name: requests[start : start + 25]}
        while batch:
            batch = client.batch_write_item(RequestItems=batch).get("UnprocessedItems") or {}
