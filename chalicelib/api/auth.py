"""Sign-in, activation, password change and "me"."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from chalicelib.api.views import MemberOut, member_out
from chalicelib.domain.access import Access, Principal
from chalicelib.http.auth import (
    DEVICE_COOKIE,
    cleared_session_cookie,
    device_cookie,
    session_cookie,
    session_token,
)
from chalicelib.http.context import client_address, cookie
from chalicelib.http.routing import ApiRoutes, json_response
from chalicelib.http.schemas import ApiModel, InputModel
from chalicelib.services import organisation_views
from chalicelib.settings import get_settings
from chalicelib.storage import get_store

if TYPE_CHECKING:
    from chalice.app import Request

    # services.accounts (scrypt, tokens) is imported inside the views that sign people in, not at cold start.
    from chalicelib.services import accounts

routes = ApiRoutes(__name__, tag="auth")


class SignInRequest(InputModel):
    staff_no: str = Field(min_length=1, max_length=40, description="工号")
    password: str = Field(min_length=1, max_length=256)


class ActivateRequest(InputModel):
    staff_no: str = Field(min_length=1, max_length=40, description="工号")
    code: str = Field(min_length=6, max_length=40, description="The one-time activation code from the unit admin.")
    password: str = Field(min_length=1, max_length=256, description="The new password (at least 8 characters).")


class ChangePasswordRequest(InputModel):
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


class SessionOut(ApiModel):
    token: str = Field(description="Send as 'Authorization: Bearer <token>'. Also set as an HttpOnly cookie.")
    token_type: Literal["Bearer"] = "Bearer"
    expires_at: datetime
    member: MemberOut


class SignedOut(ApiModel):
    signed_out: bool


def session_cookies(session: accounts.Session) -> list[str]:
    """The Set-Cookie values after signing in: the session, and the known-device cookie when there is a new one."""
    from chalicelib.domain.throttle import FAMILIAR_FOR_SECONDS

    cookies = [session_cookie(session.token, get_settings().session_ttl_seconds)]
    if session.device_token:
        cookies.append(device_cookie(session.device_token, FAMILIAR_FOR_SECONDS))
    return cookies


def _session_response(principal_for_view: Principal, session: accounts.Session):
    body = SessionOut(
        token=session.token, expires_at=session.expires_at, member=member_out(principal_for_view, session.member)
    )
    return json_response(body, headers={"Set-Cookie": session_cookies(session)})


def _started(body: SignInRequest | ActivateRequest):
    """Start a session from this request (sign in, or activate and sign in) and answer it."""
    session = start_session(routes.current_request, body)
    return _session_response(_self(session.member), session)


def _signed_out():
    return json_response(SignedOut(signed_out=True), headers={"Set-Cookie": cleared_session_cookie()})


def _self(member) -> Principal:
    return Principal(staff_no=member.staff_no, unit_id=member.unit_id)


def start_session(request: Request, body: SignInRequest | ActivateRequest) -> accounts.Session:
    """Sign in, or activate the account and sign in, from this request: its client address and known-device cookie
    decide the throttling (used by the API and by the sign-in and activation pages)."""
    from chalicelib.services import accounts

    source = _source(request)
    if isinstance(body, ActivateRequest):
        return accounts.activate(get_store(), get_settings(), body.staff_no, body.code, body.password, *source)
    return accounts.sign_in(get_store(), get_settings(), body.staff_no, body.password, *source)


def password_changed_session(request: Request, principal: Principal, body: ChangePasswordRequest) -> accounts.Session:
    """Change the signed-in member's password from this request: a new session, the member's others end (used by
    the API and by the profile page). NotFound when the member went away after the session began."""
    from chalicelib.services import accounts

    store = get_store()
    member = organisation_views.member(store, principal.member_no)
    current, new = body.current_password, body.new_password
    return accounts.change_password(store, get_settings(), member, current, new, *_source(request))


def _source(request: Request) -> tuple[str, str | None]:
    """Where a sign-in comes from, for throttling: the client address and the known-device cookie."""
    return client_address(request), cookie(request, DEVICE_COOKIE)


# Signing in and activating both start a session from a public form; both ways of signing out answer the same.
session_start = routes.sharing(method="POST", access=Access.PUBLIC, response=SessionOut)
sign_out_route = routes.sharing(method="POST", response=SignedOut)


@session_start("/auth/sign-in", summary="Sign in with 工号 and password", body=SignInRequest, errors=(401, 429))
def sign_in(body: SignInRequest):
    """Wrong passwords make further attempts wait, with growing delays per account and source (429
    ``sign_in_throttled`` with ``Retry-After`` in seconds). A browser that signed in to the account before (the
    ``known_device`` cookie) or an address it signed in from is not delayed by strangers' failures."""
    return _started(body)


@session_start(
    "/auth/activate", summary="Activate an account with a one-time code", body=ActivateRequest, errors=(429,)
)
def activate(body: ActivateRequest):
    """Sets the member's first password and signs them in. A code works once and expires after 30 days."""
    return _started(body)


@sign_out_route(
    "/auth/sign-out",
    access=Access.PUBLIC,
    summary="Sign out: ends this session on the server and clears the session cookie",
)
def sign_out():
    """The session of the Bearer token (or else the session cookie) stops working at once."""
    from chalicelib.services import accounts

    accounts.sign_out(get_store(), get_settings(), session_token(routes.current_request))
    return _signed_out()


@sign_out_route(
    "/auth/sign-out-everywhere",
    access=Access.MEMBER,
    summary="Sign out everywhere: ends every session of the signed-in member, this one included",
)
def sign_out_everywhere(principal: Principal):
    from chalicelib.services import accounts

    accounts.sign_out_everywhere(get_store(), principal.member_no)
    return _signed_out()


@routes.route("/me", access=Access.MEMBER, summary="The signed-in member's own profile", response=MemberOut)
def me(principal: Principal) -> MemberOut:
    return member_out(principal, organisation_views.member(get_store(), principal.member_no))


@routes.route(
    "/me/password",
    "POST",
    access=Access.MEMBER,
    summary="Change my password (ends my other sessions)",
    body=ChangePasswordRequest,
    response=SessionOut,
    errors=(429,),
)
def change_password(principal: Principal, body: ChangePasswordRequest):
    session = password_changed_session(routes.current_request, principal, body)
    return _session_response(principal, session)
