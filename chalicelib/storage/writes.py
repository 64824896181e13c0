"""Conditional writes: single ones that say whether their condition held, and transactions whose failures say
which item's condition failed.

DynamoDB cancels a whole transaction when one condition fails and returns one reason per item, in the order the
items were sent. PynamoDB sends condition checks, deletes, puts and updates in that order, whatever order they were
added in, so each operation here carries a label and the reasons are mapped back to labels in PynamoDB's order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pynamodb.exceptions import DeleteError, PutError, TransactWriteError, UpdateError
from pynamodb.models import Model

from chalicelib.storage.binding import transaction

# PynamoDB's order of operations within one TransactWriteItems request (pynamodb.connection.base).
_SEND_ORDER = {"condition_check": 0, "delete": 1, "put": 2, "update": 3}
# Cancellation reasons that say "not now" rather than "no": another transaction held an item, or the item's
# partition was over its write limit (a hot event in a rush; botocore does not retry a cancelled transaction).
_TRY_AGAIN = frozenset({"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"})
_METHODS = {"condition_check": "condition_check", "delete": "delete", "put": "save", "update": "update"}


def written(write: Callable[..., Any], **arguments: Any) -> bool:
    """Make one conditional write (an item's ``save``, ``update`` or ``delete`` with a ``condition``): False, with
    nothing written, when the condition did not hold; any other failure is raised."""
    try:
        write(**arguments)
    except (PutError, UpdateError, DeleteError) as error:
        if getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException":
            return False
        raise
    return True


def save_all[M: Model](table: type[M], items: Iterable[M]) -> int:
    """Write items as they are, unconditionally, in batches (loaders). Returns how many."""
    count = 0
    with table.batch_write() as batch:
        for item in items:
            batch.save(item)
            count += 1
    return count


class TransactionFailed(Exception):
    """Nothing was written. ``failed`` holds the labels of the operations whose condition did not hold;
    ``contended`` is true when DynamoDB cancelled for a concurrent transaction on the same item, or throttled an
    item over its partition's limit (retry after a pause).
    ``found``: for a failed update sent with ``old_on_failure``, the item as DynamoDB found it (raw attribute
    values, by label): what to decide again from, without reading it again."""

    def __init__(self, failed: frozenset[str], contended: bool, found: dict[str, dict[str, Any]] | None = None) -> None:
        super().__init__(f"transaction cancelled: failed={sorted(failed)} contended={contended}")
        self.failed = failed
        self.contended = contended
        self.found = found or {}


class LabelledTransaction:
    def __init__(self) -> None:
        self._operations: list[tuple[str, str, Any, dict[str, Any]]] = []

    def put(self, label: str, item: Model, condition: Any = None) -> None:
        self._operations.append(("put", label, item, {"condition": condition}))

    def delete(self, label: str, item: Model, condition: Any = None) -> None:
        self._operations.append(("delete", label, item, {"condition": condition}))

    def update(
        self, label: str, item: Model, actions: list[Any], condition: Any = None, old_on_failure: bool = False
    ) -> None:
        """``old_on_failure``: when the condition fails, DynamoDB returns the item as it found it
        (ReturnValuesOnConditionCheckFailure), in ``TransactionFailed.found``."""
        arguments = {"actions": actions, "condition": condition}
        if old_on_failure:
            arguments["return_values"] = "ALL_OLD"
        self._operations.append(("update", label, item, arguments))

    def put_extra(self, items: Iterable[Model]) -> None:
        """Put the items a change writes along with it (audit entries, notifications), labelled ``extra:<n>``."""
        for label, item in enumerate(items):
            self.put(f"extra:{label}", item)

    def condition_check(self, label: str, model: type[Model], hash_key: str, condition: Any, range_key=None) -> None:
        self._operations.append(
            ("condition_check", label, model, {"hash_key": hash_key, "range_key": range_key, "condition": condition})
        )

    def commit(self) -> None:
        if not self._operations:
            return
        try:
            with transaction() as tx:
                for kind, _label, target, arguments in self._operations:
                    getattr(tx, _METHODS[kind])(target, **arguments)
        except TransactWriteError as error:
            reasons = getattr(error, "cancellation_reasons", None)
            if not reasons:
                raise
            sent = sorted(self._operations, key=lambda operation: _SEND_ORDER[operation[0]])
            refused = [
                (operation[1], reason)
                for operation, reason in zip(sent, reasons, strict=False)
                if reason is not None and reason.code == "ConditionalCheckFailed"
            ]
            failed = frozenset(label for label, _ in refused)
            found = {label: reason.raw_item for label, reason in refused if reason.raw_item}
            contended = any(reason is not None and reason.code in _TRY_AGAIN for reason in reasons)
            if not failed and not contended:
                raise
            raise TransactionFailed(failed, contended, found) from error

    def commit_unless_refused(self) -> bool:
        """Commit; False (nothing written) when a condition did not hold. ``TransactionFailed`` only when contended
        (another transaction on the same items at the same moment): the caller tries again."""
        try:
            self.commit()
        except TransactionFailed as failure:
            if failure.contended:
                raise
            return False
        return True
