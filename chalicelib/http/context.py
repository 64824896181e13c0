"""Facts about the current request that every layer above needs: its id, its language, JSON or HTML."""

from __future__ import annotations

import uuid

from chalice.app import Request

from chalicelib.i18n import negotiate_language
from chalicelib.settings import get_settings

API_PREFIX = "/api"


def request_id(request: Request) -> str:
    # API Gateway gives every request an id; chalice local does not, so make one and keep it on the request.
    context = request.context
    if not context.get("requestId"):
        context["requestId"] = uuid.uuid4().hex
    return context["requestId"]


def cookie(request: Request, name: str) -> str | None:
    raw = request.headers.get("cookie")
    if not raw:
        return None
    from http.cookies import CookieError, SimpleCookie  # only requests that carry cookies pay for it

    jar = SimpleCookie()
    try:
        jar.load(raw)
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def query_param(request: Request, name: str) -> str | None:
    """One query parameter (its last value), None when absent."""
    return request.query_params.get(name) if request.query_params else None


def body_bytes(request: Request) -> bytes:
    """The request body; Chalice declares ``raw_body`` as str or bytes and hands bytes."""
    raw = request.raw_body or b""
    return raw.encode("utf-8") if isinstance(raw, str) else raw


def request_language(request: Request) -> str:
    return negotiate_language(
        query_param(request, "lang"),
        cookie(request, "lang"),
        request.headers.get("accept-language"),
        get_settings().default_language,
    )


def actual_path(request: Request) -> str:
    """The path as the browser asked for it. ``request.path`` is the route pattern (``/members/{staff_no}``);
    filling in its parameters gives the same answer behind API Gateway, on chalice local and in the test client."""
    return request.path.format(**(request.uri_params or {}))


def is_api_request(request: Request) -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def client_address(request: Request) -> str:
    return (request.context.get("identity") or {}).get("sourceIp") or "unknown"
