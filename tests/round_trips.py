"""Counting the DynamoDB round trips a piece of code makes: every API call the store's botocore clients send
(``before-parameter-build`` events, one per call, on each client of ``chalicelib.storage.binding.connections``),
against the real database. Counting only: nothing is changed or answered in their place."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from chalicelib.settings import get_settings
from chalicelib.storage import get_store
from chalicelib.storage.binding import connections


class Calls:
    """The operations sent (``GetItem``, ``Query``, ``TransactWriteItems`` ...), in order."""

    def __init__(self) -> None:
        self.operations: list[str] = []
        self.tables: list[str] = []  # the table (or tables, comma-separated) of each call, by short name
        self._lock = threading.Lock()

    def count(self, model, params, **_) -> None:
        with self._lock:
            self.operations.append(model.name)
            self.tables.append(_tables(params))

    def __len__(self) -> int:
        return len(self.operations)


def _tables(params) -> str:
    """The tables a call names (PynamoDB's low-level parameters), by their short names."""
    names = [params["TableName"]] if "TableName" in params else list(params.get("RequestItems", {}))
    names += [request["TableName"] for action in params.get("TransactItems", []) for request in action.values()]
    return ",".join(name.removeprefix(get_settings().table_prefix) for name in names)


@contextmanager
def round_trips() -> Iterator[Calls]:
    """The calls made inside the block, by any thread, to the database the store is bound to."""
    get_store()  # bound
    calls = Calls()
    unique = f"count-{uuid.uuid4().hex}"
    clients = [connection.client for connection in connections()]
    for client in clients:
        client.meta.events.register("before-parameter-build.dynamodb", calls.count, unique_id=unique)
    try:
        yield calls
    finally:
        for client in clients:
            client.meta.events.unregister("before-parameter-build.dynamodb", unique_id=unique)
