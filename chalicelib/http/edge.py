"""Checks every request passes before the caller is identified or the store is touched.

- **Path ids.** Every path parameter of every route has a kind in ``PATH_IDS``: a pattern and a length that no
  stored id exceeds, far under DynamoDB's key limits (2048 bytes for a partition key, 1024 for a sort key). An id
  that cannot exist is a 404 at once; a route whose path names a parameter not in the table cannot be declared
  (``check_route_path`` runs when the route module is imported, and so when the route table is generated).
- **Body size.** JSON and form bodies up to ``MAX_BODY_BYTES``; files (CSV, XLSX, multipart) up to
  ``MAX_UPLOAD_BYTES``, which holds the largest roster the import accepts. Larger bodies are a 413.
- **JSON.** Nesting deeper than ``MAX_JSON_DEPTH`` is refused by a linear scan before the parser recurses (the
  standard parser recurses once per level and raises RecursionError near 1,000); duplicate keys and the non-JSON
  constants NaN and Infinity are refused too: each is a 400.
- **Same origin.** An unsafe request (POST, PUT, PATCH, DELETE) that carries the session cookie and no Bearer
  token must come from this site's own pages: ``Origin`` (or, without it, ``Referer``) names this site, or the
  browser says ``Sec-Fetch-Site: same-origin`` (or ``none``: typed by the person). SameSite=Lax sends the cookie
  from every subdomain of the university (the same *site*), so the cookie alone proves nothing. A request
  without the cookie proves nothing with it either, but one whose ``Origin`` or ``Sec-Fetch-Site`` says another
  site (a sign-in form posted from elsewhere) is refused as well. Bearer tokens are never sent by a browser on
  its own, so Bearer requests pass. This site is ``PUBLIC_BASE_URL`` when it is set (behind a CDN that rewrites
  ``Host``), else the ``Host`` the request was sent to.
"""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from chalice.app import Request

from chalicelib.errors import AppError, BadRequest, Forbidden, NotFound
from chalicelib.http.auth import SESSION_COOKIE, bearer_token
from chalicelib.http.context import cookie
from chalicelib.settings import get_settings

# ---- path ids --------------------------------------------------------------------------------------------------


class IdKind(NamedTuple):
    pattern: str  # a Python regular expression that is also an ECMA one (OpenAPI), anchored
    max_length: int
    description: str


_SLUG = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"

# One row per path parameter name used by any route. Where the id is made (chalicelib.domain.ids, services):
PATH_IDS: dict[str, IdKind] = {
    # events "ev-" + 26 (domain.ids.sortable_id); teams "tm-" + 26; units: lower-case codes (api.organisation)
    "event_id": IdKind(_SLUG, 40, "Event id, e.g. ev-01J…"),
    "team_id": IdKind(_SLUG, 40, "Team id, e.g. tm-01J…"),
    "unit_id": IdKind(_SLUG, 40, "Unit code, e.g. cs"),
    # 工号: 3–20 letters, digits or "-" (domain.roster); case and full-width forms are folded by the services
    "staff_no": IdKind(r"^[A-Za-z0-9][A-Za-z0-9-]*$", 40, "工号 (staff number)"),
    # a competition entry: a team id or a 工号 (services.competition.event_entries)
    "entry_id": IdKind(_SLUG, 64, "Competition entry: a team id or a 工号"),
    # competition set-up codes (domain.competition.setup STAGE_ID, CODE) and engine match ids ("W1-2", "A3-1")
    "stage_id": IdKind(r"^[a-z][a-z0-9_-]*$", 24, "Stage id"),
    "match_id": IdKind(_SLUG, 32, "Match id, e.g. W1-2"),
    "discipline": IdKind(_SLUG, 32, "Discipline code"),
    # a side of a match (domain.competition.model HOME, AWAY): a team tie's line-up (api.lineups)
    "side": IdKind(r"^(home|away)$", 4, "Side of a match: home or away"),
    # a court (pitch, table) as a match names it, often Chinese ("1号场"): any characters but "/" and controls, as
    # sent (percent-encoded: 9 characters a Chinese one, so 160 hold a name of 17; web.fixtures_pages decodes it)
    "court": IdKind(r"^[^/\x00-\x1f\x7f]+$", 160, "Court, e.g. 1号场 (URL-encoded)"),
    # per-event roles (services.competition OFFICIAL_ROLES, checkin "checkin@<point>")
    "role": IdKind(r"^[a-z][a-z0-9_@-]*$", 40, "Role, e.g. referee"),
    # a registration's scope: the whole event or one session (services.events: "s01" …)
    "scope": IdKind(r"^(series|s[0-9]{2})$", 6, "series or a session id (s01)"),
    # check-in tickets: 26 base32 characters (domain.checkin); anything else shaped like one is a friendly 404
    "ticket": IdKind(_SLUG, 64, "Ticket"),
    # venue codes "<event>.<point>.<step>.<mac>" (domain.checkin.venue_code): about 100 characters
    "code": IdKind(r"^[A-Za-z0-9_.-]+$", 160, "Venue code"),
    # a member's calendar subscription "<feed id>.<secret>.ics" (services.calendars): anything else is the same 404
    "feed": IdKind(r"^[a-z2-7]{16}\.[a-z2-7]{32}\.ics$", 53, "Calendar subscription, e.g. <16>.<32>.ics"),
    # a year of the union's numbers (issue 21: reports, a member's year): digits; the range is the route's 400
    "year": IdKind(r"^[0-9]+$", 6, "Year, e.g. 2026"),
    # a sheet of the year-end workbook as a CSV (services.year_workbook.SHEETS)
    "sheet": IdKind(r"^(summary|events|units|members|awards)\.csv$", 12, "Workbook sheet, e.g. units.csv"),
    # the pages' static files (chalicelib.web.assets): "event.css" or "event.<12 hex>.css"
    "asset": IdKind(r"^[a-z0-9_]+(\.[0-9a-f]{12})?\.(css|js)$", 60, "Static file, e.g. event.0123456789ab.css"),
}

_COMPILED = {name: re.compile(kind.pattern) for name, kind in PATH_IDS.items()}
_PATH_PARAM = re.compile(r"{(\w+)}")


def check_route_path(path: str) -> None:
    """Refuse to declare a route whose path names a parameter ``PATH_IDS`` does not know."""
    unknown = [name for name in _PATH_PARAM.findall(path) if name not in PATH_IDS]
    if unknown:
        raise ValueError(
            f"route {path!r}: path parameter(s) {', '.join(unknown)} have no id kind; "
            "add them to PATH_IDS in chalicelib/http/edge.py"
        )


def valid_path_id(name: str, value: str) -> bool:
    kind = PATH_IDS.get(name)
    return kind is not None and len(value) <= kind.max_length and _COMPILED[name].fullmatch(value) is not None


def check_path_params(path_params: dict[str, str]) -> None:
    """404 for any path id that cannot be one of ours, before anything looks it up."""
    for name, value in path_params.items():
        if not isinstance(value, str) or not valid_path_id(name, value):
            raise NotFound()


# ---- body size -------------------------------------------------------------------------------------------------

# The largest JSON body a route takes is an event with its form (30 questions of 50 bilingual options) or an
# offline upload of 200 scans: well under 256 KB. 1 MiB leaves room and still parses in milliseconds.
MAX_BODY_BYTES = 1024 * 1024
# A roster file is at most 5 MB (domain.roster.MAX_ROSTER_BYTES, which answers over it with its own message);
# 1 MiB more leaves room for multipart framing. Behind API Gateway a Lambda request is at most 6 MB in all.
MAX_UPLOAD_BYTES = 6 * 1024 * 1024
_SMALL_BODY_TYPES = ("application/json", "application/x-www-form-urlencoded", "text/plain", "")


class PayloadTooLarge(AppError):
    status = 413
    default_code = "body_too_large"


def body_limit(content_type: str | None) -> int:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return MAX_BODY_BYTES if media in _SMALL_BODY_TYPES or media.endswith("+json") else MAX_UPLOAD_BYTES


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_body_size(request: Request) -> None:
    size = len(request.raw_body or b"")
    limit = body_limit(request.headers.get("content-type"))
    if size > limit:
        raise PayloadTooLarge(size=_megabytes(size), limit=_megabytes(limit), details={"limit_bytes": limit})


# ---- JSON ------------------------------------------------------------------------------------------------------

# A competition result (a team tie of rubbers of games) nests 5 deep, an event's form 4. 32 is generous.
MAX_JSON_DEPTH = 32
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_OPEN = frozenset(b"[{")


def json_depth_exceeds(raw: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``raw`` opens more than ``limit`` arrays or objects inside each other. Linear: strings (where
    brackets mean nothing) are removed, then only the brackets are walked, stopping as soon as it is too deep."""
    return _deepest(_STRING.sub(b"", raw).translate(None, _NOT_BRACKETS), limit) > limit


def _deepest(brackets: bytes, limit: int) -> int:
    depth = deepest = 0
    for byte in brackets:
        if byte in _OPEN:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        else:
            depth -= 1
    return deepest


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return found


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def load_json(raw: bytes) -> Any:
    """The JSON value of a request body; BadRequest (400) for anything but one well-formed, reasonable JSON text."""
    if json_depth_exceeds(raw):
        raise BadRequest("json_too_deep", max_depth=MAX_JSON_DEPTH)
    try:
        return json.loads(raw, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except _DuplicateKey as duplicate:
        shown = duplicate.key if len(duplicate.key) <= 40 else duplicate.key[:40] + "…"
        raise BadRequest("duplicate_json_key", name=shown, details={"key": shown}) from duplicate
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        # ValueError: malformed JSON, NaN/Infinity, an integer of more than 4,300 digits.
        raise BadRequest("invalid_json") from exc


# ---- same origin -----------------------------------------------------------------------------------------------

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_SAME_ORIGIN_FETCH = frozenset({"same-origin", "none"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin_of(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of a URL, lower case, the port filled in; None if it names no web origin."""
    try:
        parts = urlsplit(url.strip())
        scheme, host = parts.scheme.lower(), (parts.hostname or "")
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        return None
    if scheme not in _DEFAULT_PORTS or not host or port is None:
        return None
    return scheme, host, port


def from_own_site(request: Request, claimed: str) -> bool:
    """Whether ``claimed`` (an Origin or a Referer) is this site: the configured public base URL exactly, or,
    without one, the host and port the request was sent to (either scheme: TLS may end before the app)."""
    origin = _origin_of(claimed)
    if origin is None:
        return False
    base = get_settings().public_base_url
    if base:
        return origin == _origin_of(base)
    host = (request.headers.get("host") or "").strip()
    own = _origin_of(f"{origin[0]}://{host}") if host else None
    return own is not None and own[1:] == origin[1:]


def check_same_origin(request: Request) -> None:
    """403 ``cross_site_request`` for an unsafe request another site could have made with the person's cookie."""
    if request.method.upper() not in UNSAFE_METHODS:
        return
    if bearer_token(request) is not None:
        return  # a browser never adds a Bearer token by itself
    headers = request.headers
    origin = headers.get("origin")
    fetch_site = (headers.get("sec-fetch-site") or "").strip().lower()
    if fetch_site in _SAME_ORIGIN_FETCH or (origin is not None and from_own_site(request, origin)):
        return
    if origin is not None or fetch_site:  # the browser said another site sent it
        raise Forbidden("cross_site_request")
    referer = headers.get("referer")
    if referer is not None and from_own_site(request, referer):
        return
    if cookie(request, SESSION_COOKIE):
        raise Forbidden("cross_site_request")
