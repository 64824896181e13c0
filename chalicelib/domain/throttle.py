"""How long a failed sign-in makes the next attempt wait: growing delays per account, address and device.

Three counters watch every attempt, each counting failures in fixed windows:

- ``PAIR``: one account from one source (a known device, else the client address). Whoever mistypes their own
  password waits a little more each time; it never affects anyone else.
- ``UNFAMILIAR``: one account from every source that has never signed in to it successfully (no known-device
  cookie for it, no past success from the address). This is what bounds guessing from many addresses, and it
  delays only unfamiliar sources: the owner on their own device or address is let through.
- ``ADDRESS``: one client address across all accounts. A campus reaches the internet through a few NAT addresses
  shared by thousands of people, so it allows many failures and caps the delay at a minute; a known device skips it.

Delays double with every failure past a free allowance, up to a cap, and count from the last failure. Refused
attempts (429) are not password checks and do not count. The figures are argued in docs/security.md.
"""

from __future__ import annotations

import ipaddress
from typing import NamedTuple


class Limit(NamedTuple):
    scope: str  # names the counter in storage
    window_seconds: int  # failures are counted per fixed window of this length
    free: int  # failures in a window that cost no delay
    base_seconds: int  # the delay after the first failure past the free ones; doubles with each further failure
    cap_seconds: int

    def delay_after(self, failures: int) -> int:
        """Seconds the next attempt waits after the ``failures``-th failure of a window."""
        if failures < self.free:
            return 0
        doublings = failures - self.free
        # Past the cap no need to compute huge powers of two.
        if doublings >= self.cap_seconds.bit_length():
            return self.cap_seconds
        return min(self.cap_seconds, self.base_seconds << doublings)  # doublings >= 0: times 2**doublings

    def window(self, at: int) -> int:
        return at // self.window_seconds

    def window_ends(self, at: int) -> int:
        return (self.window(at) + 1) * self.window_seconds

    def started_delaying(self, failures: int) -> bool:
        """True for the failure that makes the next attempt wait for the first time in a window (audit, notify)."""
        return failures == self.free


DAY = 24 * 3600

PAIR = Limit("signin-pair", window_seconds=DAY, free=5, base_seconds=2, cap_seconds=3600)
UNFAMILIAR = Limit("signin-unfamiliar", window_seconds=DAY, free=10, base_seconds=4, cap_seconds=3600)
ADDRESS = Limit("signin-address", window_seconds=3600, free=100, base_seconds=1, cap_seconds=60)

# How long a device or address stays familiar to an account after a successful sign-in from it.
FAMILIAR_FOR_SECONDS = 180 * DAY


class Counter(NamedTuple):
    failures: int = 0
    last_at: int = 0  # epoch seconds of the last failure


def wait_for(limit: Limit, counter: Counter, now: int) -> int:
    """Seconds until ``counter`` lets another attempt through (0: now)."""
    delay = limit.delay_after(counter.failures)
    # No delay is no delay, even if the last failure's clock ran a little ahead of this one's.
    return max(0, counter.last_at + delay - now) if delay else 0


class Attempt(NamedTuple):
    """The counters that apply to one attempt. ``unfamiliar`` is None when the source is familiar to the account;
    ``address`` is None when the attempt comes from a device known to the account."""

    pair: Counter
    unfamiliar: Counter | None
    address: Counter | None


def retry_after(attempt: Attempt, now: int) -> int:
    """Seconds the attempt must wait before its password is even checked (0: go ahead)."""
    waits = [wait_for(PAIR, attempt.pair, now)]
    if attempt.unfamiliar is not None:
        waits.append(wait_for(UNFAMILIAR, attempt.unfamiliar, now))
    if attempt.address is not None:
        waits.append(wait_for(ADDRESS, attempt.address, now))
    return max(waits)


def attempts_per_window(limit: Limit) -> int:
    """The most password checks one counter admits in one window, to an attacker who retries the moment it may."""
    at, failures, attempts = 0, 0, 0
    while at < limit.window_seconds:
        attempts += 1
        failures += 1
        at += max(1, limit.delay_after(failures))
    return attempts


def address_key(address: str) -> str:
    """The client address as counted: IPv6 by its /64 (one subscriber's whole prefix), IPv4 as it is."""
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)
