"""Every QR code the app draws has the quiet zone ISO/IEC 18004 asks for: 4 light modules on each side.

The codes are read back as module matrices (the SVG's path, the PNG's pixels), checked for a light border of exactly
four modules, and decoded with an independent reader (zxing-cpp) to the text they were made from."""

from __future__ import annotations

import io
import re
from pathlib import Path

import PIL.Image
import png
import pytest
import zxingcpp

from chalicelib.http.qr import QUIET_ZONE_MODULES, qr_png, qr_svg

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    "https://union.example.edu.cn/t/0123456789abcdef0123456789abcdef",  # a ticket
    "https://union.example.edu.cn/c/v1.ev-2026-01.entry.12345678.0123456789abcdef",  # a venue code's shape
    "https://union.example.edu.cn/events/ev-2026-0042",  # a poster's event link
]
_SVG_MODULE = re.compile(r"M(\d+),(\d+)H")
_SVG_VIEWBOX = re.compile(r'viewBox="0 0 (\d+) (\d+)"')


def _svg_matrix(svg: str) -> list[list[bool]]:
    """Dark (True) and light modules of an SVG drawn by qr_svg: one square path segment per dark module."""
    width, height = map(int, _SVG_VIEWBOX.search(svg).groups())
    assert width == height
    matrix = [[False] * width for _ in range(height)]
    for x, y in _SVG_MODULE.findall(svg):
        matrix[int(y)][int(x)] = True
    return matrix


def _png_matrix(data: bytes, box: int) -> list[list[bool]]:
    """The PNG's modules, sampled at each box's centre, after checking every box is one colour."""
    width, height, rows, _ = png.Reader(bytes=data).asRGB8()
    pixels = [list(row) for row in rows]
    assert width == height and width % box == 0
    size = width // box
    matrix = []
    for my in range(size):
        line = []
        for mx in range(size):
            corner = pixels[my * box][mx * box * 3]
            centre = pixels[my * box + box // 2][(mx * box + box // 2) * 3]
            assert corner == centre  # whole modules, no anti-aliasing
            line.append(centre < 128)
        matrix.append(line)
    return matrix


def _quiet_zone(matrix: list[list[bool]]) -> int:
    """How many light modules surround the dark ones, the same on all four sides (or the test fails)."""
    size = len(matrix)
    dark_rows = [y for y, row in enumerate(matrix) if any(row)]
    dark_cols = [x for x in range(size) if any(row[x] for row in matrix)]
    sides = {dark_rows[0], dark_cols[0], size - 1 - dark_rows[-1], size - 1 - dark_cols[-1]}
    assert len(sides) == 1, sides
    return sides.pop()


def _decoded(matrix: list[list[bool]]) -> str:
    scale = 8
    image = PIL.Image.new("L", (len(matrix) * scale, len(matrix) * scale), 255)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                image.paste(0, (x * scale, y * scale, (x + 1) * scale, (y + 1) * scale))
    (found,) = zxingcpp.read_barcodes(image)
    return found.text


def test_the_standard_quiet_zone():
    assert QUIET_ZONE_MODULES == 4


@pytest.mark.parametrize("text", TEXTS)
def test_svg_has_four_light_modules_around_and_decodes(text):
    matrix = _svg_matrix(qr_svg(text))
    assert _quiet_zone(matrix) == 4
    # A QR symbol is 17 + 4 × version modules wide; the rest is the quiet zone.
    assert (len(matrix) - 2 * 4 - 17) % 4 == 0
    assert _decoded(matrix) == text


@pytest.mark.parametrize("box", [10, 4])
@pytest.mark.parametrize("text", TEXTS)
def test_png_has_four_light_modules_around_and_decodes(text, box):
    data = qr_png(text, box_size=box)
    assert _quiet_zone(_png_matrix(data, box)) == 4
    (found,) = zxingcpp.read_barcodes(PIL.Image.open(io.BytesIO(data)))
    assert found.text == text


def test_svg_and_png_draw_the_same_symbol():
    text = TEXTS[0]
    assert _svg_matrix(qr_svg(text)) == _png_matrix(qr_png(text, box_size=5), 5)


def test_every_qr_code_is_drawn_by_the_one_helper():
    """Tickets, venue codes and posters all come from chalicelib/http/qr.py: no other module imports qrcode, so the
    quiet zone (and the error correction level) is set in one place."""
    drawing = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "chalicelib").rglob("*.py")
        if re.search(r"^\s*(?:import qrcode|from qrcode)", path.read_text(encoding="utf-8"), re.MULTILINE)
    )
    assert drawing == ["chalicelib/http/qr.py"]
