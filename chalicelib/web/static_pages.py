"""``GET /static/{asset}``: the styles and scripts of the pages (chalicelib.web.assets), from the app itself.

``GET /checkin-sw.js``: the check-in station's service worker (chalicelib.web.service_worker), revalidated on each
visit (``no-cache``, ETag: its release) and allowed to control ``/events/``.

A URL with the file's content hash (what pages link) is cached for a year as immutable; the bare name, or an old
hash after a deployment, is answered with the current file and must be revalidated (``ETag``). Nothing else is
served. Static files carry no personal data and do not depend on the caller, so the route reads no session (no
database call, whoever asks).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice import Response

from chalicelib.errors import NotFound
from chalicelib.http.routing import PAGE_CONTENT_TYPES, _RouteGroup
from chalicelib.web import service_worker
from chalicelib.web.assets import requested

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, no-cache"


class AssetRoutes(_RouteGroup):
    """Public GET routes that never identify the caller."""

    def route(self, path: str) -> Callable[[Callable[..., Any]], Any]:
        def register(view: Callable[..., Any]) -> Callable[..., Any]:
            self._add("GET", path, view.__name__, PAGE_CONTENT_TYPES, view)
            return view

        return register


routes = AssetRoutes(__name__)


@routes.route("/static/{asset}")
def static_file(asset: str) -> Response:
    found = requested(asset)
    if found is None:
        raise NotFound()
    file, current = found
    headers: dict[str, str | list[str]] = {
        "Content-Type": file.content_type,
        "Cache-Control": IMMUTABLE if current else REVALIDATE,
        "ETag": file.etag,
    }
    request = routes.current_request
    if request.headers.get("if-none-match") == file.etag:
        return Response(body="", status_code=304, headers=headers)
    return Response(body=file.text, status_code=200, headers=headers)


@routes.route("/checkin-sw.js")  # service_worker.PATH (the route scanners read literal paths)
def checkin_service_worker() -> Response:
    release = service_worker.release()
    headers: dict[str, str | list[str]] = {
        "Content-Type": "text/javascript; charset=utf-8",
        "Cache-Control": REVALIDATE,
        "ETag": f'"{release}"',
        "Service-Worker-Allowed": service_worker.SCOPE,
    }
    if routes.current_request.headers.get("if-none-match") == headers["ETag"]:
        return Response(body="", status_code=304, headers=headers)
    return Response(body=service_worker.script(release), status_code=200, headers=headers)
