"""The security headers of every response, in one place.

The error middleware (``chalicelib.http.middleware.handle_errors``) applies them to every answer of the app, and
``unknown_route_response`` to the 404 the gateway in front of it gives for unknown paths (the local dev server,
API Gateway's gateway responses), so pages, the API, error pages and 404s all carry them.

- ``Content-Security-Policy``: only this origin's own files run or style a page. No ``'unsafe-inline'``: pages
  load their scripts and styles from ``/static/`` (chalicelib.web.static_pages); data a script needs is in
  ``data-`` attributes or a ``<script type="application/json">`` block (never executed). Images may be ``data:``
  URLs (the QR codes to save). The station's camera (``getUserMedia``) needs no entry; ``worker-src 'self'``
  admits the decoder worker served from ``/static/`` and the station's service worker (``/checkin-sw.js``, which
  carries this policy too, so its own fetches are ``connect-src 'self'``). Nothing may frame a page
  (``frame-ancestors``).
- ``Referrer-Policy: same-origin``: links out of the app never carry a path (paths hold event and member ids).
- ``X-Content-Type-Options: nosniff``: scripts and styles run only when served with their content type.
- ``Strict-Transport-Security`` in prod only (the dev server is plain HTTP on 127.0.0.1).
- ``Cache-Control: no-store`` unless the route set its own: pages and API answers carry personal data or depend on
  who is signed in, and a shared computer or a proxy must not keep them. The only cacheable answers are the
  static assets (their own ``Cache-Control``: content-hashed, immutable).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chalice import Response

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HSTS = "max-age=31536000; includeSubDomains"
NO_STORE = "no-store"

_ALWAYS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    # For browsers that predate frame-ancestors (old in-app browsers).
    "X-Frame-Options": "DENY",
    # The camera is used by the check-in station on this origin only; nothing else is ever asked for.
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=(self), payment=(), usb=()",
}


def security_headers(stage: str) -> dict[str, str]:
    """The headers every response carries in ``stage`` (Cache-Control aside: see ``secure``)."""
    headers = dict(_ALWAYS)
    if stage == "prod":
        headers["Strict-Transport-Security"] = HSTS
    return headers


def secure(response: Response, stage: str) -> Response:
    """Add the security headers to ``response``; ``Cache-Control: no-store`` unless the route chose its own."""
    present = {name.lower() for name in response.headers}
    for name, value in security_headers(stage).items():
        if name.lower() not in present:
            response.headers[name] = value
    if "cache-control" not in present:
        response.headers["Cache-Control"] = NO_STORE
    return response
