"""Reading one item by key, and copying between table items and domain records.

Most fields of a record are stored as they are, in an attribute of the same name: ``record_from`` and
``item_from`` copy those, and each caller names only the fields it converts (an enum stored as its value, JSON
text, a key made of several fields). A field with no attribute of its name keeps its default unless given.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from pynamodb.exceptions import DoesNotExist
from pynamodb.models import Model

# (record type, table) -> the names they share; a handful of pairs, filled on first use.
_SHARED: dict[tuple[type, type], tuple[str, ...]] = {}


def _shared_names(record_type: type, table: type[Model]) -> tuple[str, ...]:
    """The fields of ``record_type`` (a NamedTuple or a dataclass) that ``table`` has an attribute of that name for."""
    shared = _SHARED.get((record_type, table))
    if shared is None:
        if dataclasses.is_dataclass(record_type):
            names = tuple(field.name for field in dataclasses.fields(record_type) if field.init)
        else:
            names = record_type._fields  # type: ignore[attr-defined]
        attributes = table.get_attributes()
        shared = _SHARED[(record_type, table)] = tuple(name for name in names if name in attributes)
    return shared


def record_from[R](record_type: type[R], item: Model, **converted: Any) -> R:
    """A ``record_type`` whose fields take the item's attributes of the same name, but for ``converted``."""
    shared = _shared_names(record_type, type(item))
    return record_type(**{name: getattr(item, name) for name in shared if name not in converted}, **converted)


def item_from[M: Model](table: type[M], record: Any, **converted: Any) -> M:
    """A ``table`` item whose attributes take the record's fields of the same name, but for ``converted``."""
    shared = _shared_names(type(record), table)
    return table(**{name: getattr(record, name) for name in shared if name not in converted}, **converted)


def get_or_none[M: Model](
    table: type[M], hash_key: Any, range_key: Any = None, consistent_read: bool = False
) -> M | None:
    """The item with this key, or None when there is none."""
    try:
        return table.get(hash_key, range_key, consistent_read=consistent_read)
    except DoesNotExist:
        return None


def json_or_none(text: str | None) -> Any:
    """What a JSON attribute holds; None when it is absent or empty."""
    return json.loads(text) if text else None
