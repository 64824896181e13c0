"""Live (rotating) tickets: the keys and codes of chalicelib.domain.checkin_codes, under the app's secret.

The live key of a registration is derived from its ticket under a key of its own, itself derived from the app's
secret (``SESSION_KEY``): it is never stored, a ticket replaced gets a new one, and a live key can never pass as a
venue code's or a session's key. The station check (``live_problem``) is asked by chalicelib.services.checkin for
every scanned ticket of an event with live tickets, online and in uploads of offline scans.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from functools import cache

from chalicelib.domain.checkin import Verdict
from chalicelib.domain.checkin_codes import live_code, live_key, live_verdict
from chalicelib.domain.records import Event


@cache
def _secret(session_key: str) -> bytes:
    return hmac.new(session_key.encode(), b"union-events live tickets", hashlib.sha256).digest()


def ticket_live_key(ticket: str) -> str:
    """The registration's live key (hex), what the member's page and the event's offline stations hold."""
    from chalicelib.settings import get_settings  # the app's secret, as the API's venue key is made from it

    return live_key(_secret(get_settings().session_key), ticket)


def current_code(base_url: str, ticket: str, at: datetime) -> str:
    """The live ticket's code at ``at`` (drawn by the server for the page's first view and for the API's QR)."""
    return live_code(base_url, ticket, ticket_live_key(ticket), at)


def live_problem(event: Event, ticket: str, code: str, at: datetime) -> Verdict | None:
    """For an event with live tickets: why ``code`` (scanned at ``at``) does not admit, or None if it is current."""
    if not event.checkin.live_tickets:
        return None
    return live_verdict(ticket_live_key(ticket), ticket, code, at)
