"""``Idempotency-Key`` for signed-in POST and PUT requests: a retried tap gets the first answer, not a second write.

The key is claimed with one conditional write before the view runs. A retry with the same key and the same
request gets the stored response (with ``Idempotent-Replayed: true``); the same key with a different request is
refused (422); a retry while the first is still running gets 409. A request that fails releases its key, so that
it can be retried for real.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from chalice import Response
from chalice.app import Request

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.errors import BadRequest, Conflict, Unprocessable
from chalicelib.http.context import actual_path
from chalicelib.storage import get_store
from chalicelib.storage.idempotency import StoredResponse


def _fingerprint(request: Request) -> str:
    digest = hashlib.sha256(f"{request.method} {actual_path(request)}\n".encode())
    digest.update(request.raw_body or b"")
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
    try:
        response = run()
    except BaseException:
        records.release(record_key)
        raise
    if response.status_code < 500 and isinstance(response.body, str):
        content_type = response.headers.get("Content-Type", "")
        records.complete(record_key, StoredResponse(response.status_code, content_type, response.body))
    else:
        records.release(record_key)
    return response
