"""The audit log: entries are added inside the transaction of the change they describe."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from chalicelib.domain.calendar import calendar_month, months_before, now
from chalicelib.domain.ids import sortable_id
from chalicelib.domain.records import AuditEntry
from chalicelib.storage.convert import json_or_none, record_from
from chalicelib.storage.tables import AuditTable


def _json(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def audit_item(unit_id: str, actor: str, action: str, target: str, before=None, after=None) -> AuditTable:
    """An audit item to save in the same transaction as the change it records."""
    at = now()
    return AuditTable(
        unit_id,
        sortable_id("au-"),
        month=calendar_month(at),
        at=at,
        actor=actor,
        action=action,
        target=target,
        before=_json(before),
        after=_json(after),
    )


class AuditLog:
    @staticmethod
    def _record(item: AuditTable) -> AuditEntry:
        return record_from(AuditEntry, item, before=json_or_none(item.before), after=json_or_none(item.after))

    def for_unit(self, unit_id: str, limit: int = 50, before_entry: str | None = None) -> list[AuditEntry]:
        """Newest first. ``before_entry`` continues a previous page."""
        condition = AuditTable.entry_id < before_entry if before_entry else None
        query = AuditTable.query(unit_id, condition, scan_index_forward=False, limit=limit)
        return [self._record(item) for item in query]

    def everything(self, until: datetime, limit: int = 50, months_back: int = 12) -> list[AuditEntry]:
        """The whole union's log, newest first, month partition by month partition."""
        found: list[AuditEntry] = []
        for month in months_before(until, months_back):
            remaining = limit - len(found)
            if remaining <= 0:
                break
            query = AuditTable.by_month.query(month, scan_index_forward=False, limit=remaining)
            found.extend(self._record(item) for item in query)
        return found

    def add(self, unit_id: str, actor: str, action: str, target: str, before=None, after=None) -> None:
        """An entry about something that is not itself a stored change (e.g. sign-in throttling)."""
        audit_item(unit_id, actor, action, target, before, after).save()
