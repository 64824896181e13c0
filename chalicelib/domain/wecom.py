"""企业微信 (WeCom) rules that need no network: the text card a notification becomes, what each of WeCom's answers
means for a delivery, the web OAuth address, and who is inside WeCom.

WeCom's documentation ("发送应用消息", "全局错误码", "构造网页授权链接"): a text card has a title of at most 128
bytes, a description of at most 512 bytes (WeCom renders a few HTML tags in it, so our text is escaped), a URL of at
most 2048 bytes and a button text of at most 4 characters; a text message at most 2048 bytes. With
``enable_duplicate_check`` WeCom drops a message whose content equals one sent within ``duplicate_check_interval``
seconds: the card's URL (or the text's last line) carries a short digest of the delivery's key, so a resend of the
same delivery is dropped and two different notifications never are.
Talking to WeCom is chalicelib.services.wecom; sending a notification is chalicelib.services.channels.wecom.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import re
from typing import Any
from urllib.parse import quote, urlencode

from chalicelib.domain.wechat import WECOM_USER_AGENT_MARK

TITLE_MAX_BYTES = 128
DESCRIPTION_MAX_BYTES = 512
URL_MAX_BYTES = 2048
BUTTON_MAX_CHARS = 4
TEXT_MAX_BYTES = 2048
DUPLICATE_CHECK_SECONDS = 1800
ELLIPSIS = "…"

# WeCom's codes for an access token it no longer takes: invalid secret/credential, invalid token, token expired.
TOKEN_REFUSED = frozenset({40001, 40014, 42001})
# Busy or over a limit: the same message may go through later.
RETRYABLE = {
    -1: "wecom_busy",
    45009: "wecom_rate_limited",  # the API's call frequency limit
    45033: "wecom_rate_limited",  # too many concurrent calls
    45047: "wecom_rate_limited",  # a member's messages per day
}
# The deployment's set-up is wrong: nothing goes until an administrator fixes it, so never retried by itself.
CONFIGURATION = {
    60020: "wecom_ip_not_trusted",  # the server's address is not in the app's 企业可信IP
    40056: "wecom_agent_invalid",  # no such AgentId
    301002: "wecom_agent_forbidden",  # the app may not send to these people (可见范围)
    40013: "wecom_corp_invalid",  # no such CorpID
    40001: "wecom_secret_invalid",  # gettoken: the Secret is wrong
    40091: "wecom_secret_invalid",
    48002: "wecom_api_forbidden",
}
# Nobody in the organisation has this userid (81013: every recipient invalid; 60111: no such userid).
NO_ACCOUNT = frozenset({81013, 60111})


def inside_wecom(user_agent: str | None) -> bool:
    """Whether a request comes from WeCom's in-app browser ("... wxwork/4.1.22 MicroMessenger/7.0.1 ...")."""
    return WECOM_USER_AGENT_MARK in (user_agent or "").lower()


def failure_code(errcode: int | None) -> tuple[str, bool]:
    """(short code, retryable) for a WeCom refusal; ``None``: no usable answer (timeout, unreachable, garbage)."""
    if errcode is None:
        return "wecom_unreachable", True
    if errcode in NO_ACCOUNT:
        return "wecom_no_account", False
    if errcode in RETRYABLE:
        return RETRYABLE[errcode], True
    if errcode in CONFIGURATION:
        return CONFIGURATION[errcode], False
    return f"wecom_error_{errcode}", True  # unknown: tried again with back-off, then failed and shown


def _bounded(text: str, max_bytes: int) -> str:
    """``text`` cut at a character boundary so its UTF-8 fits ``max_bytes``, marked with an ellipsis when cut."""
    if len(text.encode("utf-8")) <= max_bytes:
        return text
    room = max_bytes - len(ELLIPSIS.encode("utf-8"))
    return text.encode("utf-8")[:room].decode("utf-8", errors="ignore") + ELLIPSIS


def _escaped_within(text: str, max_bytes: int) -> str:
    """``text`` HTML-escaped within ``max_bytes`` of UTF-8, cut between characters (never inside an entity)."""
    escaped = html.escape(text, quote=False)
    if len(escaped.encode("utf-8")) <= max_bytes:
        return escaped
    room, used, kept = max_bytes - len(ELLIPSIS.encode("utf-8")), 0, []
    for char in text:
        piece = html.escape(char, quote=False)
        used += len(piece.encode("utf-8"))
        if used > room:
            break
        kept.append(piece)
    return "".join(kept) + ELLIPSIS


def card_url(url: str, delivery_key: str) -> str:
    """The page's URL with a short digest of the delivery's key in its fragment (WeCom's duplicate check)."""
    if "#" in url:
        return url
    return f"{url}#m={hashlib.sha256(delivery_key.encode('utf-8')).hexdigest()[:12]}"


def textcard(
    *, touser: str, agent_id: int, title: str, text: str, url: str, button: str, delivery_key: str
) -> dict[str, Any]:
    """The body of ``message/send`` for one member: a text card linking to ``url``."""
    return {
        "touser": touser,
        "msgtype": "textcard",
        "agentid": agent_id,
        "textcard": {
            "title": _bounded(" ".join(title.split()), TITLE_MAX_BYTES),
            "description": _escaped_within(text, DESCRIPTION_MAX_BYTES),
            "url": card_url(url, delivery_key),
            "btntxt": button[:BUTTON_MAX_CHARS],
        },
        "enable_duplicate_check": 1,
        "duplicate_check_interval": DUPLICATE_CHECK_SECONDS,
    }


def plain_text(*, touser: str, agent_id: int, title: str, text: str, delivery_key: str) -> dict[str, Any]:
    """The body of ``message/send`` as plain text, for a notification without an absolute link (the deployment has
    no PUBLIC_BASE_URL): a card without a working URL would be refused or broken. The key's digest ends the text, so
    WeCom's duplicate check drops a resend of the same delivery only."""
    digest = hashlib.sha256(delivery_key.encode("utf-8")).hexdigest()[:6]
    content = _bounded(f"{' '.join(title.split())}\n{text}", TEXT_MAX_BYTES - 16) + f"\n#{digest}"
    return {
        "touser": touser,
        "msgtype": "text",
        "agentid": agent_id,
        "text": {"content": content},
        "enable_duplicate_check": 1,
        "duplicate_check_interval": DUPLICATE_CHECK_SECONDS,
    }


def authorize_url(oauth_base: str, corp_id: str, agent_id: int, redirect_uri: str, state: str) -> str:
    """WeCom's web OAuth address (构造网页授权链接): silent (``snsapi_base``), back to ``redirect_uri`` with a code."""
    query = urlencode(
        {
            "appid": corp_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": "snsapi_base",
            "state": state,
            "agentid": str(agent_id),
        },
        quote_via=quote,
    )
    return f"{oauth_base.rstrip('/')}/connect/oauth2/authorize?{query}#wechat_redirect"


# ---- the OAuth state: bound to the browser that started the sign-in -------------------------------------------

STATE_SECONDS = 600  # the person has ten minutes between leaving for WeCom and coming back
NONCE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def _state_mac(key: bytes, nonce: str, target: str, expires_at: int) -> str:
    message = f"wecom-oauth-state\0{nonce}\0{expires_at}\0{target}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def state_cookie(key: bytes, nonce: str, target: str, expires_at: int) -> str:
    """The cookie value that binds ``nonce`` (the ``state`` sent to WeCom) and the page to return to, signed."""
    encoded = base64.urlsafe_b64encode(target.encode()).decode().rstrip("=")
    return f"{nonce}.{expires_at}.{encoded}.{_state_mac(key, nonce, target, expires_at)}"


def state_target(key: bytes, cookie: str | None, state: str | None, now: int) -> str | None:
    """The page to return to, when ``state`` is the one this browser's unexpired, untampered ``cookie`` holds."""
    parts = (cookie or "").split(".")
    if len(parts) != 4 or not state or not NONCE_PATTERN.match(parts[0]) or not parts[1].isdigit():
        return None
    nonce, expires_at, encoded, mac = parts[0], int(parts[1]), parts[2], parts[3]
    try:
        target = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    if not hmac.compare_digest(mac, _state_mac(key, nonce, target, expires_at)):
        return None
    if not hmac.compare_digest(nonce, state) or now > expires_at:
        return None
    return target
