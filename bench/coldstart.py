"""Cold-start import cost of the app against the floor of its stack.

Runs, alternately, fresh interpreters importing:

- ``floor``: ``import chalice, boto3, pynamodb.models, pydantic``, what this stack cannot go below;
- ``models``: the floor and pydantic's model machinery (``from pydantic import BaseModel, Field``; the floor's
  ``import pydantic`` is lazy and loads none of it), which any request validated by a pydantic model loads: the
  settings and every API body are such models;
- ``first``: ``import app, chalicelib.api.events``, what a cold registration request loads (the app and its route
  group, the heaviest one);
- ``app``: ``import app``;

and prints the median wall time of each and its ratio to the floor. Both sides run from compiled bytecode (see
docs/benchmarks.md). Budgets: ``first`` at 1.2x the floor or less (the line before the last says whether it is),
``import_ratio=<app/floor>`` (the last line) at 1.3 or below; import heavy modules (jinja2, qrcode, openpyxl, ...)
and code few routes use where they are used.

With ``--package build/deploy-prod/deployment.zip`` (made by ``python -m devtools.deploy_check``) it also imports
``first`` from the unpacked Lambda package, as the runtime does (``python -S``: no site-packages; nothing written),
with the package's bytecode and with its ``.py`` files alone, which is what every cold start compiled before the
package shipped bytecode.

    python bench/coldstart.py [--runs 15] [--package build/deploy-prod/deployment.zip]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = "import app"
FLOOR = "import chalice, boto3, pynamodb.models, pydantic"
MODELS = f"{FLOOR}; from pydantic import BaseModel, Field"
# What a cold registration request loads on top: app.py imports no route module (chalicelib.http.lazy); the
# first request imports its own group, here the heaviest one (events: models, services, storage).
FIRST_REQUEST = "import app, chalicelib.api.events"
FIRST_BUDGET = 1.2


def wall_time(statement: str, environment: dict[str, str], *options: str, cwd: Path = ROOT) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, *options, "-c", statement], cwd=cwd, check=True, env=environment)
    return time.perf_counter() - started


def local_figures(runs: int) -> dict[str, float]:
    """Median milliseconds of each statement, from the project's tree."""
    statements = (APP, FLOOR, MODELS, FIRST_REQUEST)
    with tempfile.TemporaryDirectory() as pycache:
        # Both sides run from compiled bytecode, as installed packages do: the warm-up runs compile everything
        # into a private cache (the project itself is never written to), the measured runs only read it.
        environment = os.environ | {"PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": pycache}
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        for statement in statements:
            wall_time(statement, environment)
        times: dict[str, list[float]] = {statement: [] for statement in statements}
        for _ in range(runs):
            # Alternate, so that any drift in machine load falls on every side alike.
            for statement in statements:
                times[statement].append(wall_time(statement, environment))
    return {statement: statistics.median(found) * 1000 for statement, found in times.items()}


def package_figures(package: Path, runs: int) -> tuple[float, float]:
    """Median milliseconds of ``first`` from the unpacked package: with its bytecode, and from its sources alone."""
    with tempfile.TemporaryDirectory() as compiled, tempfile.TemporaryDirectory() as sources:
        with zipfile.ZipFile(package) as archive:
            names = archive.namelist()
            if not any(name.endswith(".pyc") for name in names):
                raise SystemExit(f"{package} holds no bytecode: build it with python -m devtools.deploy_check")
            archive.extractall(compiled)
            archive.extractall(sources, [name for name in names if "/__pycache__/" not in f"/{name}"])
        trees = (Path(compiled), Path(sources))
        # /var/task is read-only: the runtime writes no bytecode, so a module without it compiles on every start.
        environment = {"PATH": os.environ.get("PATH", ""), "PYTHONDONTWRITEBYTECODE": "1"}
        for tree in trees:
            wall_time(FIRST_REQUEST, environment | {"PYTHONPATH": str(tree)}, "-S", cwd=tree)
        times: dict[Path, list[float]] = {tree: [] for tree in trees}
        for _ in range(runs):
            for tree in trees:
                times[tree].append(wall_time(FIRST_REQUEST, environment | {"PYTHONPATH": str(tree)}, "-S", cwd=tree))
    return statistics.median(times[trees[0]]) * 1000, statistics.median(times[trees[1]]) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--package", type=Path, help="a deployment.zip to import `first` from, too")
    args = parser.parse_args()
    if args.runs < 10:
        parser.error("use at least 10 runs")
    figures = local_figures(args.runs)
    floor_ms, first_ms = figures[FLOOR], figures[FIRST_REQUEST]
    print(f"python {sys.version.split()[0]}, {args.runs} runs each (median wall time, fresh interpreter)")
    print(f"floor  {FLOOR!r}: {floor_ms:.0f} ms")
    models_ms = figures[MODELS]
    print(f"models '+ from pydantic import BaseModel, Field': {models_ms:.0f} ms (ratio {models_ms / floor_ms:.2f})")
    print(f"first  {FIRST_REQUEST!r}: {first_ms:.0f} ms (ratio {first_ms / floor_ms:.2f})")
    print(f"app    {APP!r}: {figures[APP]:.0f} ms")
    if args.package:
        with_bytecode, from_source = package_figures(args.package, args.runs)
        print(f"package first: {with_bytecode:.0f} ms with its bytecode, {from_source:.0f} ms from source alone")
    verdict = "passes" if first_ms / floor_ms <= FIRST_BUDGET else "fails"
    print(f"first_ratio={first_ms / floor_ms:.2f} {verdict} (budget {FIRST_BUDGET:.1f}x the floor)")
    print(f"import_ratio={figures[APP] / floor_ms:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
