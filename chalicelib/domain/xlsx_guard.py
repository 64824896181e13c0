"""Refusing XLSX bombs before a parser spends the request on them.

An XLSX file is a zip archive of XML parts. A small upload can hold a part that unpacks to hundreds of megabytes (one
shared string of 100 MB compresses to 100 KB) or a sheet of a million empty rows (2.4 MB) that takes a parser longer
than Lambda's 15 seconds. ``check_archive`` looks at the archive's directory only (member count, each member's and the
total declared unpacked size, compression ratio); ``check_parts`` then reads every member as a bounded stream (1 MB
at a time, nothing kept) and counts its rows, its highest row number and its cells, stopping at the first limit
passed. Every member, not only the sheet that will be read: opening a workbook, openpyxl reads each sheet that does
not declare its size up to the end of its data, and a sheet may sit at any path. Both run before openpyxl parses
anything, so a bomb is refused in well under a second (bench/xlsx_bomb.py).

The declared sizes can be trusted as upper bounds: Python's zipfile never returns more bytes for a member than its
central directory entry declares (and checks the CRC), so a member that lies about its size fails to read instead.

The limits, and why they are what they are, are in ``XlsxLimits``; callers pick them for what they read (a roster:
chalicelib.domain.roster). Refusals carry a code and the figures for a message (chalicelib.i18n, ``xlsx.*`` keys).
"""

from __future__ import annotations

import re
import zipfile
from typing import NamedTuple

MIB = 1024 * 1024


class XlsxLimits(NamedTuple):
    """What an uploaded workbook may declare. Defaults are sized for a member roster (see chalicelib.domain.roster).

    For scale: a 20,000-row, 10-column roster saved by openpyxl is a 1.4 MB file whose sheet unpacks to 11 MB (8x);
    with 32 columns, 3 MB unpacking to 37 MB (12x). Excel and WPS write shared strings, which keep sheets smaller.
    """

    parts: int = 1_000  # an ordinary workbook has 10-30 members; each sheet, image or chart adds one or two
    part_bytes: int = 32 * MIB  # any one member, unpacked (a sheet at the cell limit is about 25 MB)
    shared_strings_bytes: int = 16 * MIB  # parsed whole into memory when the workbook is opened, unlike sheets
    total_bytes: int = 64 * MIB  # all members together, unpacked
    ratio: int = 100  # unpacked / packed for a member over ratio_floor_bytes; XML packs 5-20x, bombs 1,000x
    ratio_floor_bytes: int = 1 * MIB  # small members (styles, themes) may pack tighter and cannot hurt
    rows: int = 50_000  # <row> elements, and the highest row number, in any one member
    cells: int = 300_000  # <c> elements in any one member; parsing costs about 10 us each (3 s at the limit)


class XlsxRefused(Exception):
    """The workbook passes a limit: ``code`` names which (an ``xlsx.<code>`` message), ``params`` the figures."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params


def check_workbook(archive: zipfile.ZipFile, limits: XlsxLimits) -> None:
    """``check_archive`` then ``check_parts``."""
    check_archive(archive, limits)
    check_parts(archive, limits)


def check_archive(archive: zipfile.ZipFile, limits: XlsxLimits) -> None:
    """Refuse an archive whose directory declares too many members or too much unpacked data."""
    members = archive.infolist()
    if len(members) > limits.parts:
        raise XlsxRefused("too_many_parts", parts=len(members), limit=limits.parts)
    total = 0
    for member in members:
        size = member.file_size
        limit = limits.shared_strings_bytes if _is_shared_strings(member.filename) else limits.part_bytes
        if size > limit:
            raise XlsxRefused("part_too_large", part=member.filename, size=size, limit=limit)
        if size > limits.ratio_floor_bytes and size > limits.ratio * max(member.compress_size, 1):
            ratio = size // max(member.compress_size, 1)
            raise XlsxRefused("compression_ratio", part=member.filename, ratio=ratio, limit=limits.ratio)
        total += size
        if total > limits.total_bytes:
            raise XlsxRefused("too_large_unpacked", size=total, limit=limits.total_bytes)


def check_parts(archive: zipfile.ZipFile, limits: XlsxLimits) -> None:
    """Refuse an archive with a member of too many rows, a row numbered too high, or too many cells."""
    for member in archive.infolist():
        if not member.is_dir():
            _check_part(archive, member, limits)


# Excel writes <row ...> and <c ...>; other tools may prefix the namespace (<x:row>), looked for only when present
# (a pattern that starts with a literal is searched many times faster).
_ROW = re.compile(rb"<row[\s/>]")
_CELL = re.compile(rb"<c[\s/>]")
_ROW_NUMBER = re.compile(rb"<row\s[^>]*?\br\s*=\s*[\"'](\d{1,12})[\"']")
_PREFIXED_ROW = re.compile(rb"<[A-Za-z_][\w.-]*:row[\s/>]")
_PREFIXED_CELL = re.compile(rb"<[A-Za-z_][\w.-]*:c[\s/>]")
_PREFIXED_ROW_NUMBER = re.compile(rb"<[A-Za-z_][\w.-]*:row\s[^>]*?\br\s*=\s*[\"'](\d{1,12})[\"']")
_CHUNK = 1 * MIB
_LONGEST_TAG = 4096  # a start tag split over two reads is kept for the next one if it is no longer than this


def _check_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: XlsxLimits) -> None:
    rows = last_row = cells = 0
    carry = b""
    with archive.open(member) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            buffer = carry + chunk
            cut = buffer.rfind(b"<") if chunk else -1
            if cut == -1 or len(buffer) - cut > _LONGEST_TAG:
                scanned, carry = buffer, b""
            else:
                scanned, carry = buffer[:cut], buffer[cut:]
            found_rows, numbers, found_cells = _tags(scanned)
            rows += found_rows
            cells += found_cells
            last_row = max([last_row, *numbers])
            if max(rows, last_row) > limits.rows:
                raise XlsxRefused("too_many_rows", part=member.filename, rows=max(rows, last_row), limit=limits.rows)
            if cells > limits.cells:
                raise XlsxRefused("too_many_cells", part=member.filename, cells=cells, limit=limits.cells)
            if not chunk:
                return


def _tags(scanned: bytes) -> tuple[int, list[int], int]:
    rows = len(_ROW.findall(scanned))
    numbers = [int(number) for number in _ROW_NUMBER.findall(scanned)]
    cells = len(_CELL.findall(scanned))
    if b":row" in scanned:
        rows += len(_PREFIXED_ROW.findall(scanned))
        numbers += [int(number) for number in _PREFIXED_ROW_NUMBER.findall(scanned)]
    if b":c" in scanned:
        cells += len(_PREFIXED_CELL.findall(scanned))
    return rows, numbers, cells


def _is_shared_strings(name: str) -> bool:
    return name.rsplit("/", 1)[-1].lower().startswith("sharedstrings")
