"""The check-in station's service worker (``checkin_sw.js`` beside this module), as ``GET /checkin-sw.js`` serves it.

A worker's scope can be at most its own directory unless its answer carries ``Service-Worker-Allowed``. It is
served from the site's root with ``Service-Worker-Allowed: /events/`` and the station page registers it for the scope
``/events/`` (static/checkin_offline.js): the narrowest prefix that covers every event's station page
(``/events/<id>/checkin``), and the worker lets every other request of that scope pass untouched.

The script's URL never changes (a registration follows one URL); its text carries the release, a hash of the
script and of every static asset's content (chalicelib.web.assets). A deployment that changes a page's script or
style changes the release, so browsers see a new worker (they compare its bytes on each visit to a station), whose
cache has a new name, fetches the station pages afresh, and deletes the caches of the release before.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from chalicelib.web.assets import ASSETS, DIGEST_LENGTH, load

PATH = "/checkin-sw.js"
SCOPE = "/events/"
SOURCE = Path(__file__).with_name("checkin_sw.js")
RELEASE_MARK = "__CHECKIN_RELEASE__"


@functools.cache
def release() -> str:
    """What names this deployment's cache: a hash of the worker's source and of every static asset's content."""
    digest = hashlib.sha256(SOURCE.read_bytes())
    for name in sorted(ASSETS):
        digest.update(f"\n{name}:{load(name).digest}".encode())
    return digest.hexdigest()[:DIGEST_LENGTH]


@functools.cache
def script(release_name: str) -> str:
    """The worker's text for ``release_name``."""
    return with_release(SOURCE.read_text(encoding="utf-8"), release_name)


def with_release(source: str, release_name: str) -> str:
    """``source`` with its one quoted release mark replaced by ``release_name`` (a ValueError unless it has one)."""
    mark = f"'{RELEASE_MARK}'"
    if source.count(mark) != 1:
        raise ValueError(f"the worker must quote {RELEASE_MARK} exactly once")
    return source.replace(mark, f"'{release_name}'")
