"""XLSX bombs against the roster reader: how long each takes to be refused, and what ordinary rosters cost to read.

Each case runs in its own process (so its peak memory is its own) through ``chalicelib.domain.roster.read_table``,
the path every roster upload takes, and prints one line: the file's size, the outcome (rows read, or the refusal's
code), wall and CPU seconds, and the process's peak resident memory. Wall time counts the import of openpyxl
(~0.3 s), which a warm Lambda has already paid. The machine may be shared: CPU seconds are the steadier figure.

Bombs (devtools.xlsx_bombs): a 100 MB shared string (~100 KB file), a million empty rows (~2.4 MB), one data row
at row 1,000,000 (~2 KB), a sheet past the cell limit, 5,000 archive members. Ordinary files: rosters of 10,000
and 20,000 members (bench/import_roster.py's generator, saved as XLSX by openpyxl) with 10 columns.

    python bench/xlsx_bomb.py [--only NAME]
"""

from __future__ import annotations

import argparse
import csv
import io
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CASES = (
    "shared_string_100mb",
    "empty_rows_1m",
    "far_row_1m",
    "cells_over_limit",
    "parts_5000",
    "roster_10000",
    "roster_20000",
)


def build(name: str) -> bytes:
    from chalicelib.domain.roster import XLSX_LIMITS
    from devtools import xlsx_bombs

    if name == "shared_string_100mb":
        return xlsx_bombs.shared_string_bomb(100)
    if name == "empty_rows_1m":
        return xlsx_bombs.empty_rows_bomb(1_000_000)
    if name == "far_row_1m":
        return xlsx_bombs.far_row_workbook(1_000_000)
    if name == "cells_over_limit":
        return xlsx_bombs.wide_workbook(XLSX_LIMITS.cells // 30 + 1, 30)
    if name == "parts_5000":
        return xlsx_bombs.many_parts(5_000)
    if name.startswith("roster_"):
        return roster_xlsx(int(name.split("_")[1]))
    raise SystemExit(f"unknown case {name}")


def roster_xlsx(rows: int) -> bytes:
    import openpyxl

    sys.path.insert(0, str(ROOT / "bench"))
    from import_roster import build_roster

    table = list(csv.reader(io.StringIO(build_roster(rows, date(2026, 5, 1)).data.decode("utf-8-sig"))))
    workbook = openpyxl.Workbook()
    for row in table:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def run_case(name: str) -> None:
    """In a child process: build the file, then time read_table on it alone."""
    from chalicelib.domain.roster import RosterFileError, read_table
    from chalicelib.domain.xlsx_guard import XlsxRefused

    data = build(name)
    built_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        outcome = f"read {len(read_table(data, 'roster.xlsx')):,} rows"
    except (RosterFileError, XlsxRefused) as refused:
        outcome = f"refused {refused.code}"
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"{name:<22} file={len(data) / 1024:>9,.0f} KB  {outcome:<28} wall={wall:5.2f}s cpu={cpu:5.2f}s "
        f"peak_rss={peak / 1024:5.0f} MB (building the file: {built_rss / 1024:.0f} MB)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=CASES)
    parser.add_argument("--case", help=argparse.SUPPRESS)  # the child process's own case
    arguments = parser.parse_args()
    if arguments.case:
        run_case(arguments.case)
        return
    for name in [arguments.only] if arguments.only else CASES:
        subprocess.run([sys.executable, __file__, "--case", name], check=True)


if __name__ == "__main__":
    main()
