"""``Idempotency-Key`` for signed-in POST and PUT requests: a retried tap gets the first answer, not a second write.

The key is claimed with one conditional write before the view runs. A retry with the same key and the same
request gets the stored response (with ``Idempotent-Replayed: true``); the same key with a different request is
refused (422); a retry while the first is still running gets 409. A request that fails marks its key failed, so
that it can be retried for real; one whose process died or whose database went down leaves it pending, and it is
claimed again once older than any request can run (chalicelib.storage.idempotency).

An earlier attempt that failed or was abandoned may have committed its write before it failed (the database went
down before the answer was stored). The view of the retry can ask ``resumed_since()`` when that attempt began and
answer with what it wrote (the registration service does) instead of refusing a duplicate.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime

from chalice import Response
from chalice.app import Request

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.errors import BadRequest, Conflict, Unprocessable
from chalicelib.http.context import actual_path, body_bytes
from chalicelib.observability import log
from chalicelib.storage import get_store
from chalicelib.storage.idempotency import StoredResponse

_resumed_since: ContextVar[datetime | None] = ContextVar("resumed_since", default=None)


def resumed_since() -> datetime | None:
    """In a view run under an ``Idempotency-Key`` that an earlier attempt held and did not finish: when that
    attempt began (whatever it wrote is not older). None otherwise."""
    return _resumed_since.get()


def _fingerprint(request: Request) -> str:
    digest = hashlib.sha256(f"{request.method} {actual_path(request)}\n".encode())
    digest.update(body_bytes(request))
    return digest.hexdigest()


def once(request: Request, principal: Principal, key: str, run: Callable[[], Response]) -> Response:
    if not 1 <= len(key) <= 100 or not key.isascii() or not key.isprintable():
        raise BadRequest("bad_idempotency_key")
    records = get_store().idempotency
    record_key = f"{principal.staff_no}#{key}"
    claim = records.claim(record_key, _fingerprint(request), now())
    if not claim.claimed:
        if not claim.same_request:
            raise Unprocessable("idempotency_key_reused")
        if claim.response is None:
            raise Conflict("request_in_progress")
        stored = claim.response
        return Response(
            body=stored.body,
            status_code=stored.status_code,
            headers={"Content-Type": stored.content_type, "Idempotent-Replayed": "true"},
        )
    claimed_at = claim.claimed_at
    assert claimed_at is not None  # a claim that is ours has its time
    token = _resumed_since.set(claim.resumed_since)
    try:
        response = run()
    except BaseException:
        _finish(lambda: records.fail(record_key, claimed_at))
        raise
    finally:
        _resumed_since.reset(token)
    if response.status_code < 500 and isinstance(response.body, str):
        content_type = response.headers.get("Content-Type", "")
        if isinstance(content_type, list):  # Chalice allows a header several values; ours has one
            content_type = ", ".join(content_type)
        stored = StoredResponse(response.status_code, content_type, response.body)
        _finish(lambda: records.complete(record_key, claimed_at, stored))
    else:
        _finish(lambda: records.fail(record_key, claimed_at))
    return response


def _finish(write: Callable[[], None]) -> None:
    """Record how the request ended. If the database is gone by now, the request's own answer (or its error)
    still goes out: the key stays pending and is claimed again once abandoned."""
    try:
        write()
    except Exception as error:  # whatever failed here must not replace the request's own outcome
        log(logging.WARNING, "idempotency_key_not_recorded", error=repr(error))
