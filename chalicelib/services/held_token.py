"""A credential a server hands out for a while (WeChat's and WeCom's access_token, a jsapi_ticket), held by this
container until shortly before it expires, on a monotonic clock."""

from __future__ import annotations

from typing import Any, NamedTuple

# Renewed this long before the server says it expires (at most half its life).
RENEW_MARGIN_SECONDS = 300


class Held(NamedTuple):
    value: str
    renew_at: float  # on the holder's monotonic clock

    def due(self, now: float) -> bool:
        return now >= self.renew_at


def held_from(answer: dict[str, Any], field: str, now: float) -> Held | None:
    """``answer[field]`` held for ``answer["expires_in"]`` seconds from ``now``; None when the answer lacks either."""
    value, expires_in = answer.get(field), answer.get("expires_in")
    if not isinstance(value, str) or not value or not isinstance(expires_in, int) or expires_in <= 0:
        return None
    return Held(value, now + expires_in - min(RENEW_MARGIN_SECONDS, expires_in // 2))
