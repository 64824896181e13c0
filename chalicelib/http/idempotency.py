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
from typing import Any

from chalice import Response
from chalice.app import Request
from pydantic import BaseModel

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.errors import BadRequest, Conflict, Unprocessable
from chalicelib.http.context import actual_path, body_bytes
from chalicelib.http.routing import json_response
from chalicelib.observability import log
from chalicelib.storage import get_store
from chalicelib.storage.idempotency import KeyTaken, StoredResponse

_resumed_since: ContextVar[datetime | None] = ContextVar("resumed_since", default=None)


def resumed_since() -> datetime | None:
    """In a view run under an ``Idempotency-Key`` that an earlier attempt held and did not finish: when that
    attempt began (whatever it wrote is not older). None otherwise."""
    return _resumed_since.get()


def _fingerprint(request: Request) -> str:
    digest = hashlib.sha256(f"{request.method} {actual_path(request)}\n".encode())
    digest.update(body_bytes(request))
    return digest.hexdigest()


class KeyInWrite:
    """The request's Idempotency-Key, to be written by the view's own transaction together with its outcome and
    its answer (``answer_in_write``), instead of a claim before the view and the answer after it: two round trips
    fewer on the registration rush. ``status``: the route's success status."""

    def __init__(self, record_key: str, fingerprint: str, at: datetime, status: int) -> None:
        self.record_key, self.fingerprint, self.at, self.status = record_key, fingerprint, at, status
        self.written = False


_key_in_write: ContextVar[KeyInWrite | None] = ContextVar("key_in_write", default=None)


def answer_in_write[O](render: Callable[[O], BaseModel]) -> Callable[[O], tuple[Any, Any]] | None:
    """For a view whose route writes its key in its own transaction: how to make the key's record from the outcome
    the transaction writes (``render`` gives the answer's body from it), for the service to add to the
    transaction. None when the request has no Idempotency-Key (or its route claims keys the usual way)."""
    key = _key_in_write.get()
    if key is None:
        return None

    def record(outcome: O) -> tuple[Any, Any]:
        response = _stored(json_response(render(outcome), key.status))
        assert response is not None  # a JSON body
        key.written = True
        return get_store().idempotency.answered(key.record_key, key.fingerprint, key.at, response)

    return record


def once(
    request: Request,
    principal: Principal,
    key: str,
    run: Callable[[], Response],
    in_write_status: int | None = None,
) -> Response:
    """Run the view once per key. ``in_write_status``: the route's view writes the key in its own transaction
    (``answer_in_write``); its success status. A view that answered without writing it has it stored after."""
    if not 1 <= len(key) <= 100 or not key.isascii() or not key.isprintable():
        raise BadRequest("bad_idempotency_key")
    records = get_store().idempotency
    record_key = f"{principal.staff_no}#{key}"
    fingerprint = _fingerprint(request)
    if in_write_status is not None:
        in_write = KeyInWrite(record_key, fingerprint, now(), in_write_status)
        response = _run_in_write(in_write, run)
        if response is not None:
            return response
    claim = records.claim(record_key, fingerprint, now())
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
    answered = _stored(response)
    if answered is not None:
        _finish(lambda: records.complete(record_key, claimed_at, answered))
    else:
        _finish(lambda: records.fail(record_key, claimed_at))
    return response


def _run_in_write(in_write: KeyInWrite, run: Callable[[], Response]) -> Response | None:
    """Run a view that writes its key in its own transaction; None when the key was taken (by an earlier request
    with it, answered or still running: ``once`` then answers as for any key). A view that answered without
    writing the key (no transaction of its own) has it stored now."""
    token = _key_in_write.set(in_write)
    try:
        response = run()
    except KeyTaken:
        return None
    finally:
        _key_in_write.reset(token)
    kept = _stored(response)
    if not in_write.written and kept is not None and response.status_code < 300:
        answered = kept
        records = get_store().idempotency
        _finish(lambda: records.store_answer(in_write.record_key, in_write.fingerprint, in_write.at, answered))
    return response


def _stored(response: Response) -> StoredResponse | None:
    """The response as its key keeps it; None for one not kept (a server error, a body that is not text)."""
    if response.status_code >= 500 or not isinstance(response.body, str):
        return None
    content_type = response.headers.get("Content-Type", "")
    if isinstance(content_type, list):  # Chalice allows a header several values; ours has one
        content_type = ", ".join(content_type)
    return StoredResponse(response.status_code, content_type, response.body)


def _finish(write: Callable[[], object]) -> None:
    """Record how the request ended. If the database is gone by now, the request's own answer (or its error)
    still goes out: the key stays pending and is claimed again once abandoned."""
    try:
        write()
    except Exception as error:  # whatever failed here must not replace the request's own outcome
        log(logging.WARNING, "idempotency_key_not_recorded", error=repr(error))
