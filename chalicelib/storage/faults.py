"""Telling an outage of DynamoDB (try again shortly: 503) from a fault of ours (500).

botocore raises ``EndpointConnectionError``, ``ConnectTimeoutError``, ``ReadTimeoutError`` and
``ConnectionClosedError`` when the database cannot be reached or does not answer in time, and ``ClientError``
with a throttling or server-side code when it is overloaded; PynamoDB wraps all of them (``GetError``,
``PutError``, ``TransactWriteError`` …, the original as ``cause``). This module imports neither: if botocore was
never imported, no failure can have come from it, so the error middleware may ask without loading the stack.
"""

from __future__ import annotations

import sys

# Error codes DynamoDB answers when it is overloaded or failing on its side; the request may simply be retried.
TRANSIENT_CODES = frozenset(
    {
        "InternalServerError",
        "InternalFailure",
        "LimitExceededException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "ServiceUnavailable",
        "ThrottlingException",
        "TransactionInProgressException",
    }
)


def _causes(error: BaseException):
    """The error and every error behind it (``raise … from``, implicit context, PynamoDB's ``cause``)."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        cause = getattr(current, "cause", None)
        pending.extend([current.__cause__, current.__context__, cause if isinstance(cause, BaseException) else None])


def is_outage(error: BaseException) -> bool:
    """True when ``error`` (or what caused it) says DynamoDB was unreachable, too slow or overloaded."""
    botocore_errors = sys.modules.get("botocore.exceptions")
    if botocore_errors is None:
        return False
    unreachable = (botocore_errors.ConnectionError, botocore_errors.HTTPClientError)
    for cause in _causes(error):
        if isinstance(cause, unreachable):
            return True
        if (
            isinstance(cause, botocore_errors.ClientError)
            and cause.response.get("Error", {}).get("Code") in TRANSIENT_CODES
        ):
            return True
    return False
