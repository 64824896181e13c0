"""Reading who is calling from a request, and the session cookie that pages use."""

from __future__ import annotations

from chalice.app import Request

from chalicelib.domain.access import Access, Principal, may_enter
from chalicelib.errors import Forbidden, Unauthenticated
from chalicelib.http.context import cookie
from chalicelib.settings import get_settings

SESSION_COOKIE = "session"
_PRINCIPAL_KEY = "union_events.identification"


def bearer_token(request: Request) -> str | None:
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def identification(request: Request):
    """Identify the caller once per request (two key lookups when a token is presented)."""
    found = request.context.get(_PRINCIPAL_KEY)
    if found is None:
        from chalicelib.services.identity import identify
        from chalicelib.storage import get_store

        found = identify(get_store(), get_settings(), cookie(request, SESSION_COOKIE), bearer_token(request))
        request.context[_PRINCIPAL_KEY] = found
    return found


def admit(request: Request, access: Access) -> Principal:
    """The caller, if the route's access level lets them in; else 401 (not signed in) or 403."""
    found = identification(request)
    principal = found.principal
    if may_enter(principal, access):
        return principal
    if not principal.signed_in:
        raise Unauthenticated("session_expired" if found.rejected == "expired" else "unauthenticated")
    raise Forbidden()


def session_cookie(token: str, max_age: int) -> str:
    # HttpOnly: scripts cannot read it; SameSite=Lax: other sites cannot post forms with it; Secure outside dev.
    secure = "; Secure" if get_settings().stage == "prod" else ""
    return f"{SESSION_COOKIE}={token}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"


def cleared_session_cookie() -> str:
    return f"{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"


# The known-device cookie (chalicelib.domain.throttle): set at a successful sign-in, it lets the owner through
# delays that wrong passwords from unfamiliar places put on their account. Kept across sign-outs.
DEVICE_COOKIE = "known_device"


def device_cookie(token: str, max_age: int) -> str:
    secure = "; Secure" if get_settings().stage == "prod" else ""
    return f"{DEVICE_COOKIE}={token}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"


def session_token(request: Request) -> str | None:
    """The session token the request presents (Bearer first, then the cookie), whoever it names."""
    return bearer_token(request) or cookie(request, SESSION_COOKIE)
