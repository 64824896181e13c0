"""Stored responses of POST requests sent with an ``Idempotency-Key`` (one conditional write claims the key)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from pynamodb.exceptions import DoesNotExist, PutError

from chalicelib.storage.tables import IdempotencyTable

# How long a key is remembered: far longer than any client retries a tap.
KEEP_FOR = timedelta(hours=24)


class StoredResponse(NamedTuple):
    status_code: int
    content_type: str
    body: str


class Claim(NamedTuple):
    """The outcome of claiming a key: ``claimed`` (go ahead), else what the earlier request with it left."""

    claimed: bool
    same_request: bool = True
    response: StoredResponse | None = None  # None while the earlier request is still running


class IdempotencyRecords:
    def claim(self, key: str, fingerprint: str, at: datetime) -> Claim:
        try:
            IdempotencyTable(key, fingerprint=fingerprint, state="pending", expires_at=at + KEEP_FOR).save(
                condition=IdempotencyTable.key.does_not_exist()
            )
            return Claim(claimed=True)
        except PutError as error:
            if getattr(error, "cause_response_code", None) != "ConditionalCheckFailedException":
                raise
        try:
            item = IdempotencyTable.get(key, consistent_read=True)
        except DoesNotExist:  # released between our write and this read: the caller may simply retry
            return Claim(claimed=False)
        if item.fingerprint != fingerprint:
            return Claim(claimed=False, same_request=False)
        if item.state != "done":
            return Claim(claimed=False)
        return Claim(
            claimed=False, response=StoredResponse(int(item.status_code), item.content_type or "", item.body or "")
        )

    def complete(self, key: str, response: StoredResponse) -> None:
        IdempotencyTable(key).update(
            actions=[
                IdempotencyTable.state.set("done"),
                IdempotencyTable.status_code.set(response.status_code),
                IdempotencyTable.content_type.set(response.content_type),
                IdempotencyTable.body.set(response.body),
            ]
        )

    def release(self, key: str) -> None:
        """Forget a key whose request failed, so that a retry runs again."""
        IdempotencyTable(key).delete()
