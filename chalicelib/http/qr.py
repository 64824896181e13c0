"""QR codes of app URLs (event posters, member tickets, venue codes) and the absolute URLs they carry.

``qrcode`` is imported inside the functions: only the few views that draw a code pay for it at cold start. PNGs
are written by ``pypng`` (pure Python) rather than Pillow, which keeps the Lambda package small.
"""

from __future__ import annotations

import base64
import io
import re

from chalice.app import Request

_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?")
_LOCAL_HOSTS = ("localhost", "127.0.0.1")
_SVG_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')
# Light modules around every code: ISO/IEC 18004 asks for 4; with fewer, readers fail on a dark page or frame
# (a phone screen's bezel, a poster's border). Every QR the app draws (tickets, venue codes, posters) comes from
# ``_code``, so this is the one place that sets it.
QUIET_ZONE_MODULES = 4


def absolute_url(request: Request, path: str) -> str:
    """``path`` on this site as people outside it reach it (share links and QR codes)."""
    host = (request.headers.get("host") or "").strip()
    if not _HOST.fullmatch(host):
        host = "localhost"
    scheme = "http" if host.lower().startswith(_LOCAL_HOSTS) else "https"
    return f"{scheme}://{host}{path}"


def _code(text: str):
    import qrcode  # only views that draw a code need it (cold start)

    # Level M survives a scratched or glare-spotted phone screen; higher levels make denser, slower codes.
    code = qrcode.QRCode(border=QUIET_ZONE_MODULES, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    return code


def qr_svg(text: str) -> str:
    """The text as a QR code, an inline SVG sized by the page's CSS."""
    import qrcode.image.svg

    svg = _code(text).make_image(image_factory=qrcode.image.svg.SvgPathImage).to_string(encoding="unicode")
    return _SVG_SIZE.sub("", svg, count=2).replace("<svg", '<svg class="qr" role="img" aria-hidden="true"', 1)


def qr_png(text: str, box_size: int = 10) -> bytes:
    import qrcode.image.pure

    code = _code(text)
    code.box_size = box_size
    out = io.BytesIO()
    code.make_image(image_factory=qrcode.image.pure.PyPNGImage).save(out)
    return out.getvalue()


def png_data_url(png: bytes) -> str:
    """A PNG inside the page itself: saved with a long press (WeChat) or a download link, and never subject to
    API Gateway's rule that a binary body is only sent as binary when the first Accept value asks for it."""
    return "data:image/png;base64," + base64.b64encode(png).decode()
