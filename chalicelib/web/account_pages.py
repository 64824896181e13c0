"""A member's own pages: sign in, activate an account, sign out, my profile and password."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from chalicelib.api.auth import (
    ActivateRequest,
    ChangePasswordRequest,
    SignInRequest,
    password_changed_session,
    start_session,
)
from chalicelib.domain.access import Access, Principal
from chalicelib.errors import BadRequest, InvalidInput, RateLimited, Unauthenticated
from chalicelib.http.auth import cleared_session_cookie, session_token
from chalicelib.http.context import query_param, request_language
from chalicelib.http.routing import PageRoutes
from chalicelib.i18n import N_, translate
from chalicelib.services import organisation_views
from chalicelib.settings import get_settings
from chalicelib.storage import get_store
from chalicelib.web import member_labels
from chalicelib.web.forms import field_problems, local_target, read_form, redirect
from chalicelib.web.render import page

if TYPE_CHECKING:
    # services.accounts (scrypt, tokens) is imported inside the views that sign people in, not at cold start.
    from chalicelib.services import accounts

routes = PageRoutes(__name__)

AFTER_SIGN_IN = "/me"


def _signed_in(target: str, session: accounts.Session):
    from chalicelib.api.auth import session_cookies

    response = redirect(target)
    response.headers["Set-Cookie"] = session_cookies(session)
    return response


# ---- sign in ------------------------------------------------------------------------------------------------


def sign_in_page(request, principal: Principal, status: int = 200, **context: Any):
    """The sign-in page: 工号 and password, and a button for each outside sign-in this deployment configured."""
    context = {"form": {}, "errors": {}, "message": None, "notice": None, **context}
    settings = get_settings()
    outside = {"cas_sign_in": bool(settings.cas_base_url), "wecom_sign_in": settings.wecom is not None}
    return page(request, "signin.html", status, principal=principal, **outside, **context)


@routes.route("/signin", methods=("GET", "POST"), access=Access.PUBLIC)
def signin(principal: Principal):
    request = routes.current_request
    if request.method == "GET":
        query: Mapping[str, str] = request.query_params or {}
        target = local_target(query.get("next"), AFTER_SIGN_IN)
        notice = N_("signin.signed_out_everywhere") if query.get("signed_out") == "everywhere" else None
        return sign_in_page(request, principal, next=target, notice=notice)
    form = read_form(request)
    target = local_target(form.get("next"), AFTER_SIGN_IN)
    language = request_language(request)
    shown = {"staff_no": form.get("staff_no", "").strip()}

    def again(status: int, message: str | None = None, errors: dict[str, str] | None = None):
        return sign_in_page(request, principal, status, form=shown, errors=errors or {}, message=message, next=target)

    try:
        body = SignInRequest.model_validate({"staff_no": shown["staff_no"], "password": form.get("password", "")})
    except ValidationError as error:
        return again(400, errors=field_problems(error, language))
    try:
        session = start_session(request, body)
    except Unauthenticated as error:
        return again(401, translate(error.code, language))
    except RateLimited as error:
        return _retry_after(again(429, translate(error.code, language, **error.params)), error)
    return _signed_in(target, session)


# ---- activation ---------------------------------------------------------------------------------------------


@routes.route("/activate", methods=("GET", "POST"), access=Access.PUBLIC)
def activate(principal: Principal):
    request = routes.current_request
    if request.method == "GET":
        return page(request, "activate.html", principal=principal, form={}, errors={}, message=None)
    form = read_form(request)
    language = request_language(request)
    shown = {"staff_no": form.get("staff_no", "").strip(), "code": form.get("code", "").strip()}

    def again(status: int, message: str | None = None, errors: dict[str, str] | None = None):
        context = {"form": shown, "errors": errors or {}, "message": message}
        return page(request, "activate.html", status, principal=principal, **context)

    password = form.get("password", "")
    errors: dict[str, str] = {}
    try:
        body = ActivateRequest.model_validate({**shown, "password": password})
    except ValidationError as error:
        errors = field_problems(error, language)
    if password != form.get("password_confirm", ""):
        errors.setdefault("password_confirm", translate("account.password_mismatch", language))
    if errors:
        return again(400, errors=errors)
    try:
        session = start_session(request, body)
    except InvalidInput as error:  # the password is too weak
        return again(400, errors=field_problems(error, language))
    except (BadRequest, RateLimited) as error:
        return _retry_after(again(error.status, translate(error.code, language, **error.params)), error)
    return _signed_in(AFTER_SIGN_IN, session)


# ---- sign out -----------------------------------------------------------------------------------------------


@routes.route("/signout", methods=("POST",), access=Access.PUBLIC)
def signout():
    """Ends this browser's session on the server, not only its cookie. The form has no fields; that no other site
    may sign people out is checked for every post at the edge (chalicelib.http.edge)."""
    request = routes.current_request
    from chalicelib.services import accounts

    accounts.sign_out(get_store(), get_settings(), session_token(request))
    return redirect("/", cleared_session_cookie())


@routes.route("/signout/everywhere", methods=("POST",), access=Access.MEMBER)
def signout_everywhere(principal: Principal):
    """退出所有设备: every session of the member ends, on phones and computers alike, this one included."""
    from chalicelib.services import accounts

    accounts.sign_out_everywhere(get_store(), principal.member_no)
    return redirect("/signin?signed_out=everywhere", cleared_session_cookie())


def _retry_after(response, error: Exception):
    """A throttled attempt's page says when to come back, and so does its Retry-After header."""
    retry_after = getattr(error, "params", {}).get("retry_after")
    if isinstance(retry_after, int):
        response.headers["Retry-After"] = str(retry_after)
    return response


# ---- my profile ---------------------------------------------------------------------------------------------


def _me_page(principal: Principal, status: int = 200, **context):
    request = routes.current_request
    view = organisation_views.profile(get_store(), principal)
    return page(
        request,
        "me.html",
        status,
        principal=principal,
        member=view.member,
        unit=view.unit,
        administered=view.administered,
        labels=member_labels,
        saved=query_param(request, "saved") == "password",
        **{"errors": {}, "message": None, **context},
    )


@routes.route("/me", access=Access.MEMBER)
def me(principal: Principal):
    return _me_page(principal)


# The password fields of the page's form, by the names the service and the API model use.
_PASSWORD_FIELDS = {"current_password": "current_password", "new_password": "new_password", "password": "new_password"}


@routes.route("/me/password", methods=("POST",), access=Access.MEMBER)
def change_password(principal: Principal):
    request = routes.current_request
    form = read_form(request)
    language = request_language(request)
    new_password = form.get("new_password", "")
    errors: dict[str, str] = {}
    try:
        body = ChangePasswordRequest.model_validate(
            {"current_password": form.get("current_password", ""), "new_password": new_password}
        )
    except ValidationError as error:
        errors = field_problems(error, language)
    if new_password != form.get("new_password_confirm", ""):
        errors.setdefault("new_password_confirm", translate("account.password_mismatch", language))
    if errors:
        return _me_page(principal, 400, errors=errors)
    try:
        session = password_changed_session(request, principal, body)
    except InvalidInput as error:
        problems = field_problems(error, language)
        return _me_page(principal, 400, errors={_PASSWORD_FIELDS.get(k, k): v for k, v in problems.items()})
    except Unauthenticated:  # the current password is wrong
        return _me_page(
            principal, 400, errors={"current_password": translate("account.current_password_wrong", language)}
        )
    except RateLimited as error:
        return _retry_after(_me_page(principal, 429, message=translate(error.code, language, **error.params)), error)
    return _signed_in("/me?saved=password", session)
