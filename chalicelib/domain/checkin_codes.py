"""Codes that a photo passed on cannot reuse: the venue pass, live (rotating) tickets, and the location check.

Pure: no storage, no framework. The threat model and what is left are in docs/security.md ("Venue codes and live
tickets"). The station script mirrors ``live_part`` and ``live_verdict`` (static/checkin_codes.js); the cases in
tests/js/checkin_codes.json are checked against both.

- A **venue pass** is what the self check-in page hands a member who opened a current venue code: an HMAC of the
  member, the code's event, point and step, and the moment it was opened. The check-in it then sends is judged by
  that moment, so the member may take a minute to tap the button (and answer the browser's location prompt), while a
  code opened after its step is refused. It names the member: a pass passed on admits nobody else.
- A **live ticket** (an event's ``live_tickets``) is the member's ticket URL with ``?r=<step>.<mac>``: the step of
  ``LIVE_STEP_SECONDS`` running when it was drawn and an HMAC of (ticket, step) under the registration's live key.
  The member's page draws a new code every step; a station accepts only the current step (give or take
  ``LIVE_SKEW_SECONDS``), online and offline. The live key is derived from the ticket under the app's secret: the
  server needs no new data, the member's page and the event's offline station list carry it, and it admits at this
  registration's event only (its ticket is one registration's).
- The **location check** (an event's ``location_check``): the position the member's browser gives must be within the
  organiser's radius of the venue (great-circle distance). A browser's position can be faked; it raises the bar, no
  more.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
from datetime import datetime
from typing import NamedTuple

from chalicelib.domain.checkin import TICKET_PATH, VenueCode, Verdict, step_is_current, ticket_url
from chalicelib.domain.records import CheckinSettings

# ---- the venue pass ----------------------------------------------------------------------------------------------

# How long after opening a current venue code the member may still tap "check in" (and answer the location prompt).
VENUE_PASS_SECONDS = 120
_PASS = re.compile(r"^(\d{1,12})\.([0-9a-f]{32})$")


def _pass_mac(key: bytes, staff_no: str, venue: VenueCode, opened: int) -> str:
    text = f"venue-pass:{staff_no}:{venue.event_id}:{venue.point_id}:{venue.step}:{opened}"
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:32]


def venue_pass(key: bytes, staff_no: str, venue: VenueCode, opened: datetime) -> str:
    """The pass for ``staff_no``, who opened ``venue`` (already found current) at ``opened``."""
    moment = int(opened.timestamp())
    return f"{moment}.{_pass_mac(key, staff_no, venue, moment)}"


def venue_pass_opened(key: bytes, text: str, staff_no: str, venue: VenueCode, at: datetime) -> datetime | None:
    """When ``staff_no`` opened ``venue``, if ``text`` is their pass for it and it is still good at ``at``."""
    found = _PASS.match(text.strip())
    if found is None:
        return None
    moment = int(found[1])
    if not hmac.compare_digest(found[2], _pass_mac(key, staff_no, venue, moment)):
        return None
    if not 0 <= at.timestamp() - moment <= VENUE_PASS_SECONDS:
        return None
    return datetime.fromtimestamp(moment, tz=at.tzinfo)


# ---- live tickets ------------------------------------------------------------------------------------------------

LIVE_STEP_SECONDS = 30
# Either side of a live code's step: the member's page and an offline station keep the server's time from when they
# last heard from it (a phone's clock drifts well under a second an hour), and a scan takes a moment to reach the
# server. A screenshot is refused 30-35 s after it was taken.
LIVE_SKEW_SECONDS = 5
LIVE_PARAM = "r"
_LIVE = re.compile(r"[?&]r=(\d{1,12})\.([0-9a-f]{16})(?:[&#]|$)")


class LivePart(NamedTuple):
    step: int
    mac: str


def live_key(secret: bytes, ticket: str) -> str:
    """The registration's live key (hex): derived from its ticket under the app's secret, never stored."""
    return hmac.new(secret, f"live-ticket:{ticket}".encode(), hashlib.sha256).hexdigest()[:32]


def live_mac(key: str, ticket: str, step: int) -> str:
    return hmac.new(bytes.fromhex(key), f"{ticket}.{step}".encode(), hashlib.sha256).hexdigest()[:16]


def live_code(base_url: str, ticket: str, key: str, at: datetime) -> str:
    """The live ticket's code at ``at``: the ticket URL with its step and MAC (nothing personal)."""
    step = int(at.timestamp()) // LIVE_STEP_SECONDS
    return f"{ticket_url(base_url, ticket)}?{LIVE_PARAM}={step}.{live_mac(key, ticket, step)}"


def live_part(code: str) -> LivePart | None:
    """The step and MAC a scanned ticket code carries after its ticket (any case: a scanner's caps lock), if any."""
    text = code.strip().lower()
    at = text.rfind(TICKET_PATH)
    found = _LIVE.search(text, at) if at >= 0 else None
    return LivePart(int(found[1]), found[2]) if found else None


def live_verdict(key: str, ticket: str, code: str, at: datetime) -> Verdict | None:
    """None if ``code`` is the live ticket's current code; TICKET_STALE for an old one or the plain (static) ticket
    code; UNKNOWN for a MAC that is not the ticket's (made up)."""
    part = live_part(code)
    if part is None:
        return Verdict.TICKET_STALE
    if not hmac.compare_digest(part.mac, live_mac(key, ticket, part.step)):
        return Verdict.UNKNOWN
    if not step_is_current(part.step, at, LIVE_STEP_SECONDS, LIVE_SKEW_SECONDS):
        return Verdict.TICKET_STALE
    return None


# ---- the location check ------------------------------------------------------------------------------------------

EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG)
RADIUS_MIN_M, RADIUS_MAX_M = 50, 2000
# A phone indoors may report its position as only good to 50-150 m: up to this much of the accuracy it reports is
# given to the member, so that standing in the hall is never "too far".
ACCURACY_ALLOWANCE_M = 100
LOCATION_ERRORS = ("denied", "unavailable")


class Position(NamedTuple):
    lat: float
    lng: float
    accuracy_m: float | None = None


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """The great-circle distance in metres between two WGS-84 positions (haversine, on a sphere: within 0.5 %)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lng2 - lng1) / 2
    h = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def location_verdict(
    settings: CheckinSettings, position: Position | None, error: str | None = None
) -> tuple[Verdict | None, int | None]:
    """Whether a self check-in passes the event's location check, and the distance (metres) when one was measured.

    ``error``: why the browser gave no position ("denied" by the member, or "unavailable")."""
    if not settings.location_check or settings.venue_lat is None or settings.venue_lng is None:
        return None, None
    if position is None:
        return (Verdict.LOCATION_DENIED if error == "denied" else Verdict.LOCATION_NEEDED), None
    distance = distance_m(settings.venue_lat, settings.venue_lng, position.lat, position.lng)
    allowance = min(max(position.accuracy_m or 0.0, 0.0), ACCURACY_ALLOWANCE_M)
    verdict = Verdict.TOO_FAR if distance - allowance > settings.venue_radius_m else None
    return verdict, round(distance)


def location_settings_problems(settings: CheckinSettings) -> list[tuple[str, str]]:
    """(field, code) for each problem of the location check's settings: turned on without the venue's position."""
    if settings.location_check and (settings.venue_lat is None or settings.venue_lng is None):
        return [("venue_lat", "venue_position_needed")]
    return []
