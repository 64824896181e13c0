"""Identifiers that sort by creation time (ULID layout: 48-bit milliseconds + 80 random bits, Crockford base32)."""

from __future__ import annotations

import secrets
import time

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _encode(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        value, digit = divmod(value, 32)
        chars.append(_CROCKFORD[digit])
    return "".join(reversed(chars))


def sortable_id(prefix: str, *, millis: int | None = None, randomness: int | None = None) -> str:
    """``prefix`` + 26 characters; ids made later sort after ids made earlier (to the millisecond)."""
    stamp = int(time.time() * 1000) if millis is None else millis
    if not 0 <= stamp < 1 << 48:
        raise ValueError("timestamp out of range")
    noise = secrets.randbits(80) if randomness is None else randomness
    return f"{prefix}{_encode(stamp, 10)}{_encode(noise, 16)}"


def sortable_millis(identifier: str, prefix: str) -> int | None:
    """The milliseconds a ``sortable_id(prefix)`` was made at; None when ``identifier`` is not one."""
    body = identifier.removeprefix(prefix)
    if not identifier.startswith(prefix) or len(body) != 26 or any(char not in _CROCKFORD for char in body):
        return None
    stamp = 0
    for char in body[:10]:
        stamp = stamp * 32 + _CROCKFORD.index(char)
    return stamp if stamp < 1 << 48 else None
