"""The year's statistics (table ``stats``): contributions of sources and the rollups they add up to.

A source's contribution is swapped in ONE transaction: the contribution item is put on the condition that its
``version`` is still the one it was read with (or that it does not exist yet), and ``new - old`` is ADDed to every
rollup item it touches. A lost race (another worker swapped first) fails the condition and writes nothing: the
caller recounts and tries again. Rollup counters are top-level Number attributes ``c_<counter>``, which the table
definition does not declare, so they are written and read here through PynamoDB's low-level expressions and
connection.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

from pynamodb.expressions.operand import Path

from chalicelib.storage.tables import TABLES, StatsTable
from chalicelib.storage.writes import LabelledTransaction, TransactionFailed

COUNTER_PREFIX = "c_"
ROLLUP_PREFIX = "t#"
# TransactWriteItems takes at most 100 items: the contribution and 99 rollups. An event touches its owner's, every
# participant unit's and the union's rollups: at most 62 with 60 sub-unions.
MAX_ROLLUPS_PER_SWAP = 99


class StoredContribution(NamedTuple):
    data: dict[str, dict[str, int]]
    summary: dict[str, Any]
    version: int


def _counters(item: Mapping[str, Any]) -> dict[str, int]:
    """The counters of a low-level rollup item (``{"c_places": {"N": "3"}}`` → ``{"places": 3}``); zeros left out."""
    found = {}
    for name, value in item.items():
        if name.startswith(COUNTER_PREFIX) and isinstance(value, dict) and "N" in value:
            amount = int(value["N"])
            if amount:
                found[name[len(COUNTER_PREFIX) :]] = amount
    return found


def short_table_name(name: str) -> str:
    """The short name (``registrations``) of a table by its bound or deployed name (``union-events-prod-…``), as a
    stream record's ``eventSourceARN`` names it; the name itself when it is none of ours."""
    for model in TABLES:
        if name in (model.Meta.table_name, model.short_name):
            return model.short_name
    return next((m.short_name for m in TABLES if name.endswith(f"-{m.short_name}")), name)


def _added(counter: str, amount: int) -> Any:
    """``ADD c_<counter> :amount`` (the counter is not declared on the model: a low-level path)."""
    return Path(f"{COUNTER_PREFIX}{counter}").add({"N": str(amount)})


class StatsRepository:
    def get(self, scope: str, item: str) -> StoredContribution | None:
        """A source's stored contribution, read consistently (the version its swap will be conditioned on)."""
        try:
            found = StatsTable.get(scope, item, consistent_read=True)
        except StatsTable.DoesNotExist:
            return None
        return StoredContribution(
            data=json.loads(found.data or "{}"),
            summary=json.loads(found.summary or "{}"),
            version=int(found.version or 0),
        )

    def swap(
        self,
        scope: str,
        item: str,
        read_version: int | None,
        data: Mapping[str, Mapping[str, int]],
        summary: Mapping[str, Any],
        deltas: Mapping[str, Mapping[str, int]],
        at: datetime,
    ) -> bool:
        """Replace a source's contribution (read at ``read_version``; None: there was none) and add ``deltas`` to
        the rollups, in one transaction. False, with nothing written, when another swap came first (or the
        transaction met a concurrent one on the same items): recount and try again."""
        touched = {rollup: counters for rollup, counters in deltas.items() if any(counters.values())}
        if len(touched) > MAX_ROLLUPS_PER_SWAP:
            raise ValueError(f"a contribution touching {len(touched)} rollups does not fit one transaction")
        tx = LabelledTransaction()
        version = (read_version or 0) + 1
        condition = StatsTable.item.does_not_exist() if read_version is None else StatsTable.version == read_version
        contribution = StatsTable(
            scope,
            item,
            data=json.dumps(data, sort_keys=True),
            summary=json.dumps(summary, ensure_ascii=False, sort_keys=True),
            version=version,
            updated_at=at,
        )
        if data or summary:
            tx.put("contribution", contribution, condition=condition)
        else:  # no contribution any more (a draft, an event moved to another year, a member with no part): no item
            tx.delete("contribution", contribution, condition=condition)
        for rollup, counters in touched.items():
            actions = [_added(counter, amount) for counter, amount in sorted(counters.items()) if amount]
            tx.update(f"rollup:{rollup}", StatsTable(scope, rollup), actions)
        try:
            tx.commit()
        except TransactionFailed:
            return False
        return True

    def _query(self, scope: str, prefix: str, consistent: bool) -> list[dict[str, Any]]:
        """Every item of ``scope`` whose key starts with ``prefix``, all pages, as the low-level answer has them."""
        connection = StatsTable._get_connection()
        found: list[dict[str, Any]] = []
        start: dict[str, Any] | None = None
        while True:
            answer = connection.query(
                scope,
                range_key_condition=StatsTable.item.startswith(prefix),
                consistent_read=consistent,
                exclusive_start_key=start,
            )
            found.extend(answer.get("Items", []))
            start = answer.get("LastEvaluatedKey")
            if not start:
                return found

    def rollups(self, scope: str, consistent: bool = False) -> dict[str, dict[str, int]]:
        """Every rollup of a scope (``t#union``, ``t#u#<unit>``) with its counters: one Query, all pages."""
        return {item["item"]["S"]: _counters(item) for item in self._query(scope, ROLLUP_PREFIX, consistent)}

    def summaries(self, scope: str, prefix: str) -> list[tuple[str, dict[str, Any]]]:
        """(item, summary) of every contribution of a scope whose key starts with ``prefix`` (``e#`` or ``m#``),
        in key order: what the workbook reads instead of recounting."""
        return [
            (found.item, json.loads(found.summary or "{}"))
            for found in StatsTable.query(scope, StatsTable.item.startswith(prefix))
        ]

    def contributions(self, scope: str, prefix: str) -> dict[str, StoredContribution]:
        """Every stored contribution of a scope whose key starts with ``prefix``, by item (rebuild)."""
        return {
            found.item: StoredContribution(
                data=json.loads(found.data or "{}"),
                summary=json.loads(found.summary or "{}"),
                version=int(found.version or 0),
            )
            for found in StatsTable.query(scope, StatsTable.item.startswith(prefix), consistent_read=True)
        }

    def add_to_rollups(self, scope: str, deltas: Mapping[str, Mapping[str, int]]) -> None:
        """ADD each delta to its rollup's counter, one UpdateItem per rollup (``rebuild --fix``: what ADD adds
        commutes with the swaps' own, so nothing a consumer writes meanwhile is lost)."""
        for rollup, counters in deltas.items():
            actions = [_added(counter, amount) for counter, amount in sorted(counters.items()) if amount]
            if actions:
                StatsTable(scope, rollup).update(actions=actions)

    def put_rollups(self, scope: str, rollups: Mapping[str, Mapping[str, int]]) -> None:
        """Overwrite these rollups whole with the given counters (a rollup given no counters is deleted): for tests
        and repairs by hand; ``rebuild --fix`` adds instead (add_to_rollups)."""
        connection = StatsTable._get_connection()
        for rollup, counters in rollups.items():
            values = {f"{COUNTER_PREFIX}{c}": {"N": str(n)} for c, n in sorted(counters.items()) if n}
            if values:
                connection.put_item(scope, rollup, attributes=values)
            else:
                connection.delete_item(scope, rollup)
