"""Writing generated files, or with ``--check`` only comparing them: one way for every generator in devtools."""

from __future__ import annotations

import sys
from pathlib import Path


def stale_files(files: dict[Path, str]) -> list[Path]:
    """The files whose text is not (or not yet) the wanted one."""
    return [path for path, text in files.items() if not path.exists() or path.read_text(encoding="utf-8") != text]


def write_or_check(files: dict[Path, str], check: bool, command: str) -> int:
    """Write every file its wanted text; with ``check``, write nothing and fail (1) naming the stale files and
    ``command``, which renews them."""
    if check:
        stale = stale_files(files)
        if stale:
            print(f"out of date: {', '.join(path.name for path in stale)}; run: {command}", file=sys.stderr)
            return 1
        return 0
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return 0
