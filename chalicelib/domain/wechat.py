"""The WeChat JS-SDK's rules that need no network: the page signature and who is inside WeChat.

A page inside WeChat may call the JS-SDK (here only ``wx.scanQRCode``) after ``wx.config`` with a signature the
server made from the Official Account's jsapi_ticket (WeChat's documentation, 附录1 "JS-SDK使用权限签名算法"): the
fields ``jsapi_ticket``, ``noncestr``, ``timestamp`` and ``url`` (the page's full URL without ``#`` and what follows),
sorted by name, joined as ``key=value`` pairs with ``&``, unescaped, and hashed with SHA-1 (hex). Fetching and caching
the ticket is chalicelib.services.wechat_mp.
"""

from __future__ import annotations

import hashlib

# WeChat's in-app browser says so in its User-Agent ("... MicroMessenger/8.0.47 ..."). WeCom (企业微信) says
# MicroMessenger too, with "wxwork": its JS-SDK takes a corporation's signature, not an Official Account's.
WECHAT_USER_AGENT_MARK = "micromessenger"
WECOM_USER_AGENT_MARK = "wxwork"


def signed_url(url: str) -> str:
    """The URL as the signature covers it: everything before the first ``#``."""
    return url.split("#", 1)[0]


def jsapi_signature(ticket: str, nonce_str: str, timestamp: int, url: str) -> str:
    """``wx.config``'s signature for ``url`` (the fragment is dropped here, as the documentation asks)."""
    fields = {"jsapi_ticket": ticket, "noncestr": nonce_str, "timestamp": str(timestamp), "url": signed_url(url)}
    text = "&".join(f"{name}={fields[name]}" for name in sorted(fields))
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()  # WeChat's protocol asks for SHA-1


def inside_wechat(user_agent: str | None) -> bool:
    """Whether a request's User-Agent is WeChat's in-app browser (where an Official Account's ``wx.scanQRCode``
    can work): not WeCom's."""
    agent = (user_agent or "").lower()
    return WECHAT_USER_AGENT_MARK in agent and WECOM_USER_AGENT_MARK not in agent
