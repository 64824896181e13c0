"""Signing in inside 企业微信 (WeCom) without a password: its web OAuth, silent (``snsapi_base``), userid = 工号.

``start`` sends the browser to WeCom's authorize page with a fresh ``state`` that a signed cookie binds to this
browser and to the page to return to; WeCom sends the browser back with a one-time ``code`` and the state;
``finish`` checks the state against the cookie, asks WeCom who the code names (``/cgi-bin/auth/getuserinfo``) and
starts a session for that member through ``accounts.sign_in_identified`` (one rule for every outside sign-in: unknown
or 离职 refused). Someone outside the organisation (WeCom answers an openid, not a userid) is refused. The code and
the state never go to the log."""

from __future__ import annotations

import hashlib
import re
import secrets

from chalicelib.domain.wecom import STATE_SECONDS, authorize_url, state_cookie, state_target
from chalicelib.errors import DependencyUnavailable, NotFound, Unauthenticated
from chalicelib.services import accounts
from chalicelib.services.wecom import WecomError, client_for
from chalicelib.settings import Settings
from chalicelib.storage import Store

# WeCom's codes are short URL-safe strings; anything else is not one (and is not sent on).
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# The code WeCom answers for a code it does not know, has seen used, or that has expired.
CODE_REFUSED = frozenset({40029, 40163, 42003})


def _state_key(settings: Settings) -> bytes:
    # A key of its own, derived from the session key, so that one secret never serves two purposes directly.
    return hashlib.sha256(b"union-events wecom oauth state\0" + settings.session_key.encode()).digest()


def enabled(settings: Settings) -> bool:
    return settings.wecom is not None


def start(settings: Settings, callback: str, target: str, at: int) -> tuple[str, str]:
    """(where to send the browser: WeCom's authorize page, the state cookie's value) for a sign-in that returns to
    ``callback`` and then to ``target`` (a path on this site, checked by the caller)."""
    app = settings.wecom
    if app is None:
        raise NotFound()  # 企业微信 is not configured: the route does not exist for this deployment
    corp_id, agent_id, _ = app
    nonce = secrets.token_urlsafe(16)
    cookie = state_cookie(_state_key(settings), nonce, target, at + STATE_SECONDS)
    return authorize_url(settings.wecom_oauth_base, corp_id, agent_id, callback, nonce), cookie


def returning_to(settings: Settings, cookie: str | None, state: str | None, at: int) -> str | None:
    """The page this browser's sign-in was going to, when its state cookie is valid (for a refusal's next try)."""
    return state_target(_state_key(settings), cookie, state, at)


def finish(
    store: Store, settings: Settings, code: str, state: str | None, cookie: str | None, at: int
) -> tuple[accounts.Session, str]:
    """(the new session, the page to return to) for the member WeCom's ``code`` names."""
    client = client_for(settings)
    if client is None:
        raise NotFound()
    target = state_target(_state_key(settings), cookie, state, at)
    if target is None or not CODE_PATTERN.match(code):
        raise Unauthenticated("wecom_signin_expired")  # another browser's state, too late, or tampered with
    try:
        userid = client.user_for_code(code)
    except WecomError as refused:
        if refused.errcode in CODE_REFUSED:
            raise Unauthenticated("wecom_signin_expired") from None
        raise DependencyUnavailable("wecom_unavailable") from None
    if userid is None:
        raise Unauthenticated("wecom_signin_not_member")
    return accounts.sign_in_identified(store, settings, userid, "wecom"), target
