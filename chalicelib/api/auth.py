"""Sign-in, activation, password change and "me"."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from chalicelib.api.views import MemberOut, member_out
from chalicelib.domain.access import Access, Principal
from chalicelib.errors import NotFound
from chalicelib.http.auth import cleared_session_cookie, session_cookie
from chalicelib.http.context import client_address
from chalicelib.http.routing import ApiRoutes, json_response
from chalicelib.http.schemas import ApiModel, InputModel
from chalicelib.settings import get_settings
from chalicelib.storage import get_store

if TYPE_CHECKING:
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


def _session_response(principal_for_view: Principal, session: accounts.Session):
    ttl = get_settings().session_ttl_seconds
    body = SessionOut(
        token=session.token, expires_at=session.expires_at, member=member_out(principal_for_view, session.member)
    )
    return json_response(body, headers={"Set-Cookie": session_cookie(session.token, ttl)})


def _self(member) -> Principal:
    return Principal(staff_no=member.staff_no, unit_id=member.unit_id)


@routes.route(
    "/auth/sign-in",
    "POST",
    access=Access.PUBLIC,
    summary="Sign in with 工号 and password",
    body=SignInRequest,
    response=SessionOut,
    errors=(401, 429),
)
def sign_in(body: SignInRequest):
    """Failed attempts are limited per account and per client address (429 ``rate_limited``)."""
    from chalicelib.services import accounts

    session = accounts.sign_in(
        get_store(), get_settings(), body.staff_no, body.password, client_address(routes.current_request)
    )
    return _session_response(_self(session.member), session)


@routes.route(
    "/auth/activate",
    "POST",
    access=Access.PUBLIC,
    summary="Activate an account with a one-time code",
    body=ActivateRequest,
    response=SessionOut,
    errors=(429,),
)
def activate(body: ActivateRequest):
    """Sets the member's first password and signs them in. A code works once and expires after 30 days."""
    from chalicelib.services import accounts

    session = accounts.activate(
        get_store(), get_settings(), body.staff_no, body.code, body.password, client_address(routes.current_request)
    )
    return _session_response(_self(session.member), session)


@routes.route(
    "/auth/sign-out", "POST", access=Access.PUBLIC, summary="Sign out (clears the session cookie)", response=SignedOut
)
def sign_out():
    return json_response(SignedOut(signed_out=True), headers={"Set-Cookie": cleared_session_cookie()})


@routes.route("/me", access=Access.MEMBER, summary="The signed-in member's own profile", response=MemberOut)
def me(principal: Principal) -> MemberOut:
    member = get_store().members.get(principal.staff_no)
    if member is None:
        raise NotFound()
    return member_out(principal, member)


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
    store = get_store()
    member = store.members.get(principal.staff_no)
    from chalicelib.services import accounts

    session = accounts.change_password(
        store,
        get_settings(),
        member,
        body.current_password,
        body.new_password,
        client_address(routes.current_request),
    )
    return _session_response(principal, session)
