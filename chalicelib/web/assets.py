"""The app's own static files (styles and scripts of the pages), by name, with a content hash for their URLs.

Pages load their styles and scripts from ``/static/`` (chalicelib.web.static_pages) because the
Content-Security-Policy (chalicelib.http.headers) refuses inline ones. A page links a file as
``{{ asset('event.css') }}``, which gives ``/static/event.<hash>.css``: the hash is of the file's content, so a
browser may keep the file for good, and a new deployment that changes the file changes its URL.

Only the files named in ``ASSETS`` are ever served (a test checks that the list and the directory agree).
Third-party scripts are kept as published under ``static/vendor/`` beside their licence and named here by that
path (``vendor/jsqr.js``); they are served under their file name like the others (``/static/jsqr.<hash>.js``).
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path
from typing import NamedTuple

STATIC_DIR = Path(__file__).parent / "static"
CONTENT_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
ASSETS = (
    "app.js",
    "admin_import.js",
    "alloc_quotas.js",
    "checkin_station.js",
    "checkin_offline.js",
    "checkin_venue.js",
    "event_page.js",
    "event_register.js",
    "manage_event.js",
    "ticket_page.js",
    "checkin_wechat.js",
    "vendor/jweixin.js",
    "checkin_codes.js",
    "checkin_location.js",
    "vendor/qrcode.js",
    "checkin_camera.js",
    "checkin_qr_worker.js",
    "vendor/jsqr.js",
    "base.css",
    "common.css",
    "event.css",
    "manage.css",
    "ticket.css",
    "checkin_attendance.css",
    "checkin_manage.css",
    "checkin_station.css",
    "checkin_ticket.css",
    "checkin_venue.css",
    "competition_manage.css",
    "competition_public.css",
    "schedule.css",
    "poster.css",
    "score_sheets.css",
    "court_board.css",
    "hall_screen.css",
    "fixtures.css",
    "certificates.css",
    "print.css",
    "reports.css",
)
DIGEST_LENGTH = 12
# The served name of each asset (its file name: "vendor/jsqr.js" is served as "jsqr.js").
_SERVED = {Path(name).name: name for name in ASSETS}
# "event.css" or "event.0123456789ab.css"
_REQUESTED = re.compile(r"^(?P<stem>[a-z0-9_]{1,40})(?:\.(?P<digest>[0-9a-f]{12}))?(?P<ext>\.css|\.js)$")


class Asset(NamedTuple):
    name: str
    text: str
    digest: str
    content_type: str

    @property
    def url(self) -> str:
        stem, ext = Path(self.name).name.rsplit(".", 1)
        return f"/static/{stem}.{self.digest}.{ext}"

    @property
    def etag(self) -> str:
        return f'"{self.digest}"'


@functools.cache
def load(name: str) -> Asset:
    """The file ``name`` of ``ASSETS`` (read once per process); KeyError for any other name."""
    if name not in ASSETS:
        raise KeyError(name)
    data = (STATIC_DIR / name).read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH]
    return Asset(name, data.decode("utf-8"), digest, CONTENT_TYPES[Path(name).suffix])


def asset_url(name: str) -> str:
    """The URL a page links ``name`` with (templates: ``{{ asset('event.css') }}``)."""
    return load(name).url


def requested(path_name: str) -> tuple[Asset, bool] | None:
    """The asset a ``/static/{name}`` request asks for, and whether the URL names its current content (so it may
    be cached for good); None for anything not in ``ASSETS``."""
    match = _REQUESTED.match(path_name)
    if match is None:
        return None
    name = _SERVED.get(match["stem"] + match["ext"])
    if name is None:
        return None
    found = load(name)
    return found, match["digest"] == found.digest
