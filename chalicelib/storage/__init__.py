"""The storage layer: the only code that imports PynamoDB or talks to DynamoDB.

``tables`` defines every table once; ``bind_tables`` points those definitions at the configured endpoint and
names; the repositories translate between table items and ``chalicelib.domain.records``.
"""

from chalicelib.storage.store import Store, get_store

__all__ = ["Store", "get_store"]
