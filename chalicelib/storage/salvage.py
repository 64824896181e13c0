"""Reading damaged items: the one place where stored values that are missing, null, of the wrong type or invalid
become a fallback instead of an exception.

Write models refuse such values (chalicelib.http.schemas.InputModel), but an item may still be damaged: written
before that rule, by hand in the console, by a script or by an older version. One damaged item must never take a
whole list down (a unit's members, the units, quotas, activation codes), and an admin must be able to open it and
repair it. So:

- ``Salvaged`` is a mixin for the table models of records admins repair (units, members): PynamoDB turns each
  attribute into a Python value separately, and an attribute it cannot read (``{"N": "5"}`` where text belongs, a
  date that is not one) is left unset instead of failing the whole item;
- ``Salvage`` converts an item's values into a record's fields with a fallback for each field that is missing or
  invalid, and notes the field. The record carries the names (``damaged``) so that pages and the API can flag it,
  and one warning is logged per damaged item read, naming the table, key and fields.

Saving the record (any edit) writes the fallbacks, or the values the admin chose in their place, so the item is
whole again.

Records that lists are built from use the same two: units, members, events, registrations, accounts (a damaged
account reads as one with no live session: its tokens are refused, never a 500) and notifications (one whose kind
cannot be read is left out of the member's list: there is nothing true to say about it).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import Any

from chalicelib.observability import log


class Salvaged:
    """Mixin for a PynamoDB ``Model``: an attribute that cannot be read is skipped (and named in ``unreadable``),
    not fatal for the item."""

    unreadable: tuple[str, ...] = ()

    @classmethod
    def _instantiate(cls, attribute_values: dict[str, dict[str, Any]]) -> Any:
        try:
            return super()._instantiate(attribute_values)  # type: ignore[misc]
        except Exception:  # an attribute could not be read: read them one by one below
            pass
        instance = cls(_user_instantiated=False)  # type: ignore[call-arg]
        unreadable = []
        for name, attr in cls.get_attributes().items():  # type: ignore[attr-defined]
            value = attribute_values.get(attr.attr_name)
            if not value or "NULL" in value:
                continue
            try:
                setattr(instance, name, attr.deserialize(attr.get_value(value)))
            except Exception:  # a damaged attribute reads as missing
                unreadable.append(name)
        instance.unreadable = tuple(unreadable)
        return instance


class Salvage:
    """Converts one item's values into record fields, with a fallback for any that is missing or invalid."""

    def __init__(self, table: str, key: str, unreadable: tuple[str, ...] = ()) -> None:
        self.table = table
        self.key = key
        self.damaged: list[str] = list(unreadable)

    def _fallback(self, field: str, fallback: Any) -> Any:
        if field not in self.damaged:
            self.damaged.append(field)
        return fallback

    def value[T](self, field: str, raw: Any, convert: Callable[[Any], T], fallback: T) -> T:
        """``convert(raw)``, or ``fallback`` (noted) when ``raw`` is None or ``convert`` refuses it."""
        if raw is None:
            return self._fallback(field, fallback)
        try:
            return convert(raw)
        except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError):
            return self._fallback(field, fallback)

    def optional[T](self, field: str, raw: Any, convert: Callable[[Any], T]) -> T | None:
        """None stays None (the field may be absent); a value ``convert`` refuses reads as None (noted)."""
        return None if raw is None else self.value(field, raw, convert, None)

    def data[T](self, field: str, raw: Any, convert: Callable[[Any], T], fallback: T) -> T:
        """A JSON text attribute: absent → ``fallback`` (not damage), unreadable → ``fallback`` (noted)."""
        return fallback if raw is None else self.value(field, raw, lambda text: convert(json.loads(text)), fallback)

    def moment(self, field: str, raw: Any, fallback: datetime) -> datetime:
        """A required time (PynamoDB has read it already, or left it unset when it could not)."""
        return self.value(field, raw, _moment, fallback)

    def text(self, field: str, raw: Any, fallback: str) -> str:
        return self.value(field, raw, _non_empty_text, fallback)

    def choice[E: Enum](self, field: str, raw: Any, kind: type[E], fallback: E) -> E:
        return self.value(field, raw, kind, fallback)

    def iso_date(self, field: str, raw: Any, fallback: date) -> date:
        return self.value(field, raw, date.fromisoformat, fallback)

    def integer(self, field: str, raw: Any, fallback: int) -> int:
        return self.value(field, raw, _whole_number, fallback)

    def flag[R](self, record: R) -> R:
        """``record`` with the damaged fields named in its ``damaged`` (logged once, when there are any)."""
        if not self.damaged:
            return record
        log(logging.WARNING, "damaged_item", table=self.table, key=self.key, fields=sorted(self.damaged))
        if "damaged" in getattr(record, "_fields", ()):  # a NamedTuple
            return record._replace(damaged=frozenset(self.damaged))  # type: ignore[attr-defined]
        if hasattr(record, "damaged"):
            object.__setattr__(record, "damaged", frozenset(self.damaged))  # a frozen dataclass, init=False field
        return record


def _non_empty_text(raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError("not text")
    return raw


def _moment(raw: Any) -> datetime:
    if not isinstance(raw, datetime):
        raise TypeError("not a time")
    return raw


def _whole_number(raw: Any) -> int:
    if isinstance(raw, bool) or int(raw) != raw:
        raise ValueError("not a whole number")
    return int(raw)
