"""What a station's camera sees when a member holds up their ticket: frames of a phone showing the ticket QR, for the
fake-camera browser tests (tests/browser/test_station_camera.py) and the decoding benchmark (bench/qr_decode.py).

The QR is the one the ticket page draws (``chalicelib.http.qr.qr_png`` of the ticket URL, same error correction and
quiet zone), on a white phone screen inside a dark phone body, held over a grey desk, a little off centre, turned a
few degrees and moving slightly from frame to frame like a hand. ``write_y4m`` writes frames as a raw YUV4MPEG2
(4:2:0) video that Chromium plays as its camera (``--use-file-for-fake-video-capture``): no ffmpeg needed.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from pathlib import Path

from PIL import Image, ImageDraw

from chalicelib.http.qr import qr_png

WIDTH, HEIGHT = 640, 480
DESK = (118, 112, 104)
PHONE = (28, 28, 32)
SCREEN = (250, 250, 250)


def ticket_qr(url: str, module_px: int = 5) -> Image.Image:
    """The ticket page's QR code of ``url`` (quiet zone included), ``module_px`` pixels a module."""
    return Image.open(io.BytesIO(qr_png(url, box_size=module_px))).convert("L").convert("RGB")


def phone_frame(qr: Image.Image, step: int, width: int = WIDTH, height: int = HEIGHT, present: bool = True):
    """Frame ``step`` of the scene: the phone showing ``qr`` (or only the desk when not ``present``)."""
    frame = Image.new("RGB", (width, height), DESK)
    if not present:
        return frame
    screen_w = qr.width + 24
    phone = Image.new("RGBA", (screen_w + 24, int(screen_w * 1.9)), (0, 0, 0, 0))
    draw = ImageDraw.Draw(phone)
    draw.rounded_rectangle((0, 0, phone.width - 1, phone.height - 1), radius=28, fill=PHONE)
    top = (phone.height - screen_w) // 2 - 30
    draw.rectangle((12, 40, phone.width - 13, phone.height - 41), fill=SCREEN)
    phone.paste(qr, (12 + (screen_w - qr.width) // 2, top))
    # A hand: a few degrees of tilt and a few pixels of drift, different on every frame.
    turned = phone.rotate(6 * math.sin(step / 5), resample=Image.Resampling.BILINEAR, expand=True)
    x = (width - turned.width) // 2 + int(14 * math.sin(step / 3)) + 30
    y = (height - turned.height) // 2 + int(8 * math.cos(step / 4))
    frame.paste(turned, (x, y), turned)
    return frame


def ticket_frames(url: str, count: int, absent: int = 0, module_px: int = 5) -> list[Image.Image]:
    """``count`` frames: first ``absent`` of the bare desk, then the phone with the ticket of ``url``."""
    qr = ticket_qr(url, module_px)
    return [phone_frame(qr, step, present=step >= absent) for step in range(count)]


def write_y4m(path: Path, frames: Iterable[Image.Image], fps: int = 10) -> Path:
    """``frames`` (RGB, all one size, even sides) as a YUV4MPEG2 C420 video at ``fps`` frames a second."""
    frames = list(frames)
    width, height = frames[0].size
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for frame in frames:
            y, cb, cr = frame.convert("YCbCr").split()
            half = (width // 2, height // 2)
            out.write(b"FRAME\n")
            out.write(y.tobytes())
            out.write(cb.resize(half, Image.Resampling.BOX).tobytes())
            out.write(cr.resize(half, Image.Resampling.BOX).tobytes())
    return path


def rgba(frame: Image.Image) -> bytes:
    """A frame's pixels as the canvas gives them (``ImageData.data``: RGBA, row by row)."""
    return frame.convert("RGBA").tobytes()
