"""Signing in inside 企业微信 (WeCom): ``/signin/wecom`` sends the browser to WeCom's silent OAuth and is also where
WeCom sends it back with a code (the redirect_uri, on the domain set as the app's 可信域名).

A page that needs a signed-in member, opened inside WeCom while the deployment has 企业微信 configured, comes here
instead of the password form (chalicelib.http.middleware). A refusal (a state from another browser or too old, a
code WeCom does not take, someone outside the organisation, a 工号 that may not sign in, WeCom not answering) shows
the sign-in page with the reason, so the member can use the 工号 and password; it never redirects again, so a
refusal cannot loop."""

from __future__ import annotations

import time
from collections.abc import Mapping

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.wecom import STATE_SECONDS
from chalicelib.errors import DependencyUnavailable, Unauthenticated
from chalicelib.http.context import cookie, request_language
from chalicelib.http.routing import PageRoutes
from chalicelib.i18n import translate
from chalicelib.settings import get_settings
from chalicelib.web.forms import local_target, redirect

routes = PageRoutes(__name__)

AFTER_SIGN_IN = "/me"
PATH = "/signin/wecom"
STATE_COOKIE = "wecom_state"


def _callback(request) -> str:
    """This page's address as WeCom sends browsers back to it (the configured public address, else the Host)."""
    from chalicelib.http.qr import absolute_url

    base = get_settings().public_base_url
    return f"{base.rstrip('/')}{PATH}" if base else absolute_url(request, PATH)


def _state_cookie(value: str, max_age: int) -> str:
    secure = "; Secure" if get_settings().stage == "prod" else ""
    return f"{STATE_COOKIE}={value}; Path={PATH}; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"


@routes.route("/signin/wecom", access=Access.PUBLIC)
def wecom_sign_in(principal: Principal):
    from chalicelib.api.auth import session_cookies
    from chalicelib.services import wecom_signin  # the sign-in service (tokens, WeCom's client) loads only here
    from chalicelib.storage import get_store
    from chalicelib.web.account_pages import sign_in_page

    request = routes.current_request
    query: Mapping[str, str] = request.query_params or {}
    settings = get_settings()
    code = query.get("code")
    if code is None:
        target = local_target(query.get("next"), AFTER_SIGN_IN)
        location, bound = wecom_signin.start(settings, _callback(request), target, int(time.time()))
        return redirect(location, _state_cookie(bound, STATE_SECONDS))
    state, held, at = query.get("state"), cookie(request, STATE_COOKIE), int(time.time())
    try:
        session, target = wecom_signin.finish(get_store(), settings, code, state, held, at)
    except (Unauthenticated, DependencyUnavailable) as refused:
        message = translate(refused.code, request_language(request))
        going = local_target(wecom_signin.returning_to(settings, held, state, at), AFTER_SIGN_IN)
        return _with_cookies(sign_in_page(request, principal, refused.status, message=message, next=going))
    return _with_cookies(redirect(local_target(target, AFTER_SIGN_IN)), *session_cookies(session))


def _with_cookies(response, *cookies: str):
    """``response`` with ``cookies`` and the used state cookie cleared, besides any cookie it already sets."""
    already = response.headers.get("Set-Cookie")
    kept = [already] if isinstance(already, str) else list(already or [])
    response.headers["Set-Cookie"] = [*kept, *cookies, _state_cookie("", 0)]
    return response
