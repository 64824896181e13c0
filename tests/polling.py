"""Waiting in tests for something another process or thread does (a poller, a server's workers)."""

from __future__ import annotations

import time
from collections.abc import Callable


def within(condition: Callable[[], bool], timeout: float) -> bool:
    """Whether ``condition()`` holds within ``timeout`` seconds (asked every 0.05 s, and once more at the end)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()
