"""Tables read and written past PynamoDB and every model, as damaged or old items are made in tests."""

from __future__ import annotations

from typing import Any

import boto3

from chalicelib import caching


class RawTable:
    """A boto3 Table. Its writes are this process's too: like every write the app's own connections send
    (chalicelib.storage.binding), each tells this process's caches which partition changed (chalicelib.caching)."""

    def __init__(self, model, table) -> None:
        self._model, self._table = model, table

    def __getattr__(self, name: str) -> Any:
        return getattr(self._table, name)

    def _written(self, write, key: dict, **kwargs) -> Any:
        try:
            return write(**kwargs)
        finally:
            caching.changed(self._model.short_name, key[self._model._hash_keyname])

    def put_item(self, **kwargs) -> Any:
        return self._written(self._table.put_item, kwargs["Item"], **kwargs)

    def update_item(self, **kwargs) -> Any:
        return self._written(self._table.update_item, kwargs["Key"], **kwargs)

    def delete_item(self, **kwargs) -> Any:
        return self._written(self._table.delete_item, kwargs["Key"], **kwargs)


def raw_table(table) -> RawTable:
    """The table itself through boto3, past PynamoDB and every model (DynamoDB Local takes any credentials)."""
    meta = table.Meta
    resource = boto3.resource(
        "dynamodb",
        endpoint_url=meta.host,
        region_name=meta.region,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    return RawTable(table, resource.Table(meta.table_name))
