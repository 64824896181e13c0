"""Signing in through the campus CAS (统一身份认证): ``/signin/cas`` sends the browser to the university's CAS login
and is also where CAS sends it back with a ticket (the service address registered with the campus CAS).

The service address carries the page to return to (``next``, a path on this site only), so it is the same string
when the ticket is validated as when it was issued: CAS binds a ticket to it. A refusal (a ticket CAS does not
take, a 工号 that is not a member who may sign in, CAS not answering) shows the sign-in page with the reason, so the
member can try again or use the 工号 and password."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from chalicelib.domain.access import Access, Principal
from chalicelib.errors import DependencyUnavailable, Unauthenticated
from chalicelib.http.context import request_language
from chalicelib.http.routing import PageRoutes
from chalicelib.i18n import translate
from chalicelib.settings import get_settings
from chalicelib.web.forms import local_target, redirect

routes = PageRoutes(__name__)

AFTER_SIGN_IN = "/me"


def _service(request, target: str) -> str:
    """This page's address as CAS sends browsers back to it (the configured public address, else the Host)."""
    from chalicelib.http.qr import absolute_url

    path = f"/signin/cas?{urlencode({'next': target})}"
    base = get_settings().public_base_url
    return f"{base.rstrip('/')}{path}" if base else absolute_url(request, path)


@routes.route("/signin/cas", access=Access.PUBLIC)
def cas_sign_in(principal: Principal):
    from chalicelib.api.auth import session_cookies
    from chalicelib.services import cas  # the sign-in service (scrypt, tokens) loads only here
    from chalicelib.storage import get_store
    from chalicelib.web.account_pages import sign_in_page

    request = routes.current_request
    query: Mapping[str, str] = request.query_params or {}
    settings = get_settings()
    target = local_target(query.get("next"), AFTER_SIGN_IN)
    service = _service(request, target)
    ticket = query.get("ticket")
    if ticket is None:
        return redirect(cas.start(settings, service))
    try:
        session = cas.sign_in(get_store(), settings, service, ticket)
    except (Unauthenticated, DependencyUnavailable) as refused:
        message = translate(refused.code, request_language(request))
        return sign_in_page(request, principal, refused.status, message=message, next=target)
    response = redirect(target)
    response.headers["Set-Cookie"] = session_cookies(session)
    return response
