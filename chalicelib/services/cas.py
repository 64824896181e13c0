"""Signing in through the campus CAS (统一身份认证, CAS 3.0): the member signs in at the university's CAS, which sends
the browser back with a service ticket; the app validates the ticket with the CAS server (``/p3/serviceValidate``,
for exactly the service address it was issued to, single use) and starts a session for the 工号 it names
(``accounts.sign_in_identified``).

Off unless ``CAS_BASE_URL`` is set. A ticket CAS refuses is ``cas_ticket_invalid`` (401), a CAS server that does not
answer, answers slowly or answers something that is not CAS is ``cas_unavailable`` (503); the ticket never goes to
the log."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request

from chalicelib.domain.cas import (
    MAX_ANSWER_BYTES,
    CasAnswerInvalid,
    is_service_ticket,
    login_url,
    parse_service_response,
    validate_url,
)
from chalicelib.errors import DependencyUnavailable, NotFound, Unauthenticated
from chalicelib.observability import log
from chalicelib.services import accounts
from chalicelib.settings import Settings
from chalicelib.storage import Store

TIMEOUT_SECONDS = 4.0


def _base(settings: Settings) -> str:
    if not settings.cas_base_url:
        raise NotFound()  # CAS is not configured: the route does not exist for this deployment
    return settings.cas_base_url


def start(settings: Settings, service: str) -> str:
    """Where to send the browser: the CAS login page, which comes back to ``service`` with a ticket."""
    return login_url(_base(settings), service)


def _validation_answer(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            return bytes(response.read(MAX_ANSWER_BYTES + 1))
    except urllib.error.HTTPError as error:
        log(logging.WARNING, "cas.validate.http_error", status=error.code)
    except (TimeoutError, urllib.error.URLError, OSError) as error:
        log(logging.WARNING, "cas.validate.unreachable", error=type(error).__name__)
    raise DependencyUnavailable("cas_unavailable")


def sign_in(store: Store, settings: Settings, service: str, ticket: str) -> accounts.Session:
    """Validate ``ticket`` for ``service`` with the CAS server and sign its member in."""
    base = _base(settings)
    if not is_service_ticket(ticket):
        raise Unauthenticated("cas_ticket_invalid")
    raw = _validation_answer(validate_url(base, service, ticket))
    try:
        answer = parse_service_response(raw, settings.cas_staff_no_attribute)
    except CasAnswerInvalid as invalid:
        log(logging.WARNING, "cas.validate.invalid_answer", reason=str(invalid)[:80])
        raise DependencyUnavailable("cas_unavailable") from None
    if answer.staff_no is None:
        log(logging.INFO, "cas.validate.refused", code=answer.code)
        raise Unauthenticated("cas_ticket_invalid")
    return accounts.sign_in_identified(store, settings, answer.staff_no, "cas")
