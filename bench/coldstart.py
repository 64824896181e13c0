"""Cold-start import cost of the app against the floor of its stack.

Runs, alternately, a fresh ``python -c "import app"`` and a fresh
``python -c "import chalice, boto3, pynamodb.models, pydantic"`` (what this stack cannot go below) and prints the
median wall time of each and their ratio. Both sides run from compiled bytecode (see docs/benchmarks.md). The last
line is ``import_ratio=<app/floor>``; keep it at 1.3 or below by importing heavy modules (jinja2, qrcode, openpyxl,
...) where they are used.

    python bench/coldstart.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = "import app"
FLOOR = "import chalice, boto3, pynamodb.models, pydantic"
# What a cold registration request loads on top: app.py imports no route module (chalicelib.http.lazy); the
# first request imports its own group, here the heaviest one (events: models, services, storage).
FIRST_REQUEST = "import app, chalicelib.api.events"


def wall_time(statement: str, environment: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], cwd=ROOT, check=True, env=environment)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    if args.runs < 10:
        parser.error("use at least 10 runs")
    with tempfile.TemporaryDirectory() as pycache:
        # Both sides run from compiled bytecode, as installed packages do: the warm-up runs compile everything
        # into a private cache (the project itself is never written to), the measured runs only read it.
        environment = os.environ | {"PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": pycache}
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        for statement in (APP, FLOOR, FIRST_REQUEST):
            wall_time(statement, environment)
        app_times, floor_times, first_times = [], [], []
        for _ in range(args.runs):
            # Alternate, so that any drift in machine load falls on every side alike.
            app_times.append(wall_time(APP, environment))
            floor_times.append(wall_time(FLOOR, environment))
            first_times.append(wall_time(FIRST_REQUEST, environment))
    app_ms = statistics.median(app_times) * 1000
    floor_ms = statistics.median(floor_times) * 1000
    first_ms = statistics.median(first_times) * 1000
    print(f"python {sys.version.split()[0]}, {args.runs} runs each (median wall time, fresh interpreter)")
    print(f"floor  {FLOOR!r}: {floor_ms:.0f} ms")
    print(f"first  {FIRST_REQUEST!r}: {first_ms:.0f} ms (ratio {first_ms / floor_ms:.2f})")
    print(f"app    {APP!r}: {app_ms:.0f} ms")
    print(f"import_ratio={app_ms / floor_ms:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
