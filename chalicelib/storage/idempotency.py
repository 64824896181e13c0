"""Stored responses of POST requests sent with an ``Idempotency-Key`` (one conditional write claims the key).

A key is ``pending`` while a request with it runs, ``done`` with the response once it answered, and ``failed``
when it raised (the request may run again). A process that dies, or a database that goes down, leaves the key
``pending`` with nobody to finish it: once it is older than any request can run (``ABANDONED_AFTER``), the next
request with the same key claims it again, with a conditional write on the time of the claim it saw, so that
of two retries racing for an abandoned key exactly one runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, NamedTuple

from pynamodb.exceptions import DoesNotExist

from chalicelib.storage.tables import IdempotencyTable
from chalicelib.storage.writes import written

# How long a key is remembered: far longer than any client retries a tap.
KEEP_FOR = timedelta(hours=24)
# Lambda stops a request after 15 s (.chalice/config.json ``lambda_timeout``); a claim older than that plus a
# margin for clock differences between containers has nobody working on it any more.
REQUEST_TIMEOUT = timedelta(seconds=15)
ABANDONED_AFTER = REQUEST_TIMEOUT + timedelta(seconds=5)

PENDING, DONE, FAILED = "pending", "done", "failed"


class KeyTaken(Exception):
    """A write that carried its request's Idempotency-Key record (``answered``) found the key already taken: an
    earlier request with the key answered, or runs now. Nothing was written."""


class StoredResponse(NamedTuple):
    status_code: int
    content_type: str
    body: str


class Claim(NamedTuple):
    """The outcome of claiming a key: ``claimed`` (go ahead), else what the earlier request with it left.

    ``resumed_since``: the key was claimed before by the same request, which failed or was abandoned, possibly
    after it had written something; the time its first attempt began (what it wrote is not older)."""

    claimed: bool
    same_request: bool = True
    response: StoredResponse | None = None  # None while the earlier request is still running
    claimed_at: datetime | None = None  # this claim's time: completing or failing the key checks it is still ours
    resumed_since: datetime | None = None


def _claimed_at(item: IdempotencyTable) -> datetime:
    # Keys written before claims carried their time: the claim was KEEP_FOR before the key expires.
    return item.claimed_at or item.expires_at - KEEP_FOR


class IdempotencyRecords:
    def claim(self, key: str, fingerprint: str, at: datetime, abandoned_after: timedelta = ABANDONED_AFTER) -> Claim:
        claim = IdempotencyTable(
            key, fingerprint=fingerprint, state=PENDING, claimed_at=at, started_at=at, expires_at=at + KEEP_FOR
        )
        if written(claim.save, condition=IdempotencyTable.key.does_not_exist()):
            return Claim(claimed=True, claimed_at=at)
        try:
            item = IdempotencyTable.get(key, consistent_read=True)
        except DoesNotExist:  # forgotten between our write and this read: the caller may simply retry
            return Claim(claimed=False)
        held = self._held(item, fingerprint, at, abandoned_after)
        if held is not None:
            return held
        return self._reclaim(item, fingerprint, at)

    @staticmethod
    def _held(item: IdempotencyTable, fingerprint: str, at: datetime, abandoned_after: timedelta) -> Claim | None:
        """The answer for a key another request holds: done (its response, if the same request), or still running;
        None when it failed or was abandoned, and may be claimed again."""
        same_request = item.fingerprint == fingerprint
        if item.state == DONE:
            if not same_request:
                return Claim(claimed=False, same_request=False)
            return Claim(
                claimed=False, response=StoredResponse(int(item.status_code), item.content_type or "", item.body or "")
            )
        if item.state == PENDING and not same_request:
            return Claim(claimed=False, same_request=False)
        if item.state == PENDING and at - _claimed_at(item) < abandoned_after:
            return Claim(claimed=False)  # still running
        return None

    @staticmethod
    def _reclaim(item: IdempotencyTable, fingerprint: str, at: datetime) -> Claim:
        """Claim a failed or abandoned key again, unless another retry just did."""
        same_request = item.fingerprint == fingerprint
        claimed_at = _claimed_at(item)
        seen = (
            IdempotencyTable.claimed_at == claimed_at
            if item.claimed_at is not None
            else IdempotencyTable.claimed_at.does_not_exist() & (IdempotencyTable.expires_at == item.expires_at)
        )
        reclaimed = written(
            item.update,
            actions=[
                IdempotencyTable.state.set(PENDING),
                IdempotencyTable.fingerprint.set(fingerprint),
                IdempotencyTable.claimed_at.set(at),
                IdempotencyTable.started_at.set((item.started_at or claimed_at) if same_request else at),
                IdempotencyTable.expires_at.set(at + KEEP_FOR),
            ],
            condition=(IdempotencyTable.state == item.state) & seen,
        )
        if not reclaimed:
            return Claim(claimed=False)  # another retry claimed it first and runs now
        # A failed request that is sent again with other content (a corrected form) starts afresh.
        resumed_since = (item.started_at or claimed_at) if same_request else None
        return Claim(claimed=True, claimed_at=at, resumed_since=resumed_since)

    @staticmethod
    def answered(key: str, fingerprint: str, at: datetime, response: StoredResponse) -> tuple[IdempotencyTable, Any]:
        """The record of a key whose request answered ``response``, and the condition to write it with (the key is
        new): for a request whose own transaction writes its key with its outcome, without claiming it first
        (chalicelib.http.idempotency ``answer_in_write``)."""
        item = IdempotencyTable(
            key,
            fingerprint=fingerprint,
            state=DONE,
            claimed_at=at,
            started_at=at,
            expires_at=at + KEEP_FOR,
            status_code=response.status_code,
            content_type=response.content_type,
            body=response.body,
        )
        return item, IdempotencyTable.key.does_not_exist()

    def store_answer(self, key: str, fingerprint: str, at: datetime, response: StoredResponse) -> bool:
        """Write ``answered``'s record on its own (a request that meant to write it with its outcome but answered
        without a write); False when the key was taken meanwhile."""
        item, condition = self.answered(key, fingerprint, at, response)
        return written(item.save, condition=condition)

    def complete(self, key: str, claimed_at: datetime, response: StoredResponse) -> None:
        """Store the answer of the request that holds the key (nothing, if its claim was taken over meanwhile)."""
        self._finish(
            key,
            claimed_at,
            [
                IdempotencyTable.state.set(DONE),
                IdempotencyTable.status_code.set(response.status_code),
                IdempotencyTable.content_type.set(response.content_type),
                IdempotencyTable.body.set(response.body),
            ],
        )

    def fail(self, key: str, claimed_at: datetime) -> None:
        """Mark a key whose request failed, so that a retry runs again (and may find what the failure left)."""
        self._finish(key, claimed_at, [IdempotencyTable.state.set(FAILED)])

    @staticmethod
    def _finish(key: str, claimed_at: datetime, actions: list) -> None:
        written(
            IdempotencyTable(key).update,
            actions=actions,
            condition=(IdempotencyTable.state == PENDING) & (IdempotencyTable.claimed_at == claimed_at),
        )
