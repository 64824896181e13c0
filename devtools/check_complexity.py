"""Complexity and size gate for chalicelib/: no function above cyclomatic complexity 15, no module above 800 lines.

Cyclomatic complexity is radon's (``radon.complexity.cc_visit``), the same number ``radon cc -s`` prints; a module's
size is its number of lines. Offenders are printed worst first.

    python -m devtools.check_complexity            # print offenders; exit 1 if any (strict)
    python -m devtools.check_complexity --report   # print offenders; exit 0 (while a refactoring is under way)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from radon.complexity import cc_visit

ROOT = Path(__file__).resolve().parent.parent
MAX_COMPLEXITY = 15
MAX_LINES = 800


@dataclass(frozen=True)
class Offence:
    """One function too complex or one module too long, as ``path:line name measure (limit)``."""

    path: str
    line: int
    name: str
    measure: int
    limit: int
    unit: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.name}: {self.measure} {self.unit} (limit {self.limit})"


def _functions(blocks: Iterable[Any]) -> Iterator[Any]:
    """Every function in radon's blocks: functions, methods, closures and the methods of inner classes."""
    for block in blocks:
        if hasattr(block, "methods"):  # a class: its own complexity is not a function's
            yield from _functions(block.methods)
            yield from _functions(block.inner_classes)
        else:
            yield block
            yield from _functions(block.closures)


def source_offences(
    source: str, path: str, max_complexity: int = MAX_COMPLEXITY, max_lines: int = MAX_LINES
) -> list[Offence]:
    """The offences in one module's source: each function, method or closure above max_complexity, and the module
    itself if it has more than max_lines lines."""
    offences = []
    top_level = [block for block in cc_visit(source) if hasattr(block, "methods") or not block.is_method]
    for function in _functions(top_level):
        if function.complexity > max_complexity:
            offences.append(
                Offence(path, function.lineno, function.fullname, function.complexity, max_complexity, "cyclomatic")
            )
    lines = len(source.splitlines())
    if lines > max_lines:
        offences.append(Offence(path, 1, "module", lines, max_lines, "lines"))
    return offences


def tree_offences(root: Path, max_complexity: int = MAX_COMPLEXITY, max_lines: int = MAX_LINES) -> list[Offence]:
    """Every offence in the Python files under root, worst first (complexity, then size)."""
    offences = []
    for file in sorted(root.rglob("*.py")):
        relative = file.relative_to(root.parent).as_posix()
        offences += source_offences(file.read_text(encoding="utf-8"), relative, max_complexity, max_lines)
    return sorted(offences, key=lambda o: (o.unit != "cyclomatic", -o.measure, o.path, o.line))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.check_complexity", description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true", help="print the offenders but exit 0")
    args = parser.parse_args(argv)
    offences = tree_offences(ROOT / "chalicelib")
    for offence in offences:
        print(offence)
    if not offences:
        print(f"complexity: no function above {MAX_COMPLEXITY}, no module above {MAX_LINES} lines in chalicelib/")
        return 0
    print(
        f"complexity: {len(offences)} offences in chalicelib/ (functions above {MAX_COMPLEXITY}, modules above "
        f"{MAX_LINES} lines){' — report only' if args.report else ''}"
    )
    return 0 if args.report else 1


if __name__ == "__main__":
    sys.exit(main())
