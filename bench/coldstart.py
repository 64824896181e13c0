"""Cold-start import cost of the app against the floor of its stack.

Runs, alternately, fresh interpreters importing:

- ``floor``: the stack as the app loads it: ``import chalice, boto3, pynamodb.models`` and pydantic's model
  machinery (``from pydantic import BaseModel, Field``), which every request loads: the settings and every API
  body are pydantic models. ``import pydantic`` alone would load none of it (pydantic 2's package is lazy), so a
  floor of bare imports leaves out a part of the stack that costs about a fifth of it (docs/benchmarks.md);
- ``bare``: ``import chalice, boto3, pynamodb.models, pydantic``, the floor this script used before, printed with
  its ratios so that figures stay comparable with the earlier ones;
- ``first``: what a cold registration request loads: ``import app``, then its route group
  (``chalicelib.api.my_registrations``) through the loader every first request of a group goes through
  (``chalicelib.http.lazy.route_module``, which loads it with the garbage collector paused: chalicelib/loading.py);
- ``app``: ``import app``;

and prints the median time of each and its ratio to the floor. Then it loads every route group of the route
table the same way, fewer times each, and prints the heaviest ones: a cold Lambda container serves whichever
route comes first. Each time runs from the interpreter's start until the statement has run (the child says so on
its standard output), not until it exits: a Lambda request never waits for an interpreter's exit. Both sides run
from compiled bytecode (see docs/benchmarks.md).

Budgets: ``first`` at 1.2x the floor or less (``first_ratio=``, the line before the last, says whether it is),
``import_ratio=<app/floor>`` (the last line) at 1.3 or below; import heavy modules (jinja2, qrcode, openpyxl, ...)
and code few routes use where they are used. ``heaviest_ratio`` has no budget yet (docs/benchmarks.md says why).

With ``--package build/deploy-prod/deployment.zip`` (made by ``python -m devtools.deploy_check``) it also imports
``first`` from the unpacked Lambda package, as the runtime does (``python -S``: no site-packages; nothing written),
with the package's bytecode and with its ``.py`` files alone, which is what every cold start compiled before the
package shipped bytecode.

    python bench/coldstart.py [--runs 15] [--group-runs 3] [--package build/deploy-prod/deployment.zip]
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
BARE = "import chalice, boto3, pynamodb.models, pydantic"
FLOOR = "import chalice, boto3, pynamodb.models; from pydantic import BaseModel, Field"
REGISTRATION_GROUP = "chalicelib.api.my_registrations"
FIRST_BUDGET = 1.2
LOADED = b"loaded"


def first_request(group: str) -> str:
    """What the first request of ``group`` loads: the app, then the group through the route loader."""
    return f"import app; from chalicelib.http.lazy import route_module; route_module({group!r})"


FIRST_REQUEST = first_request(REGISTRATION_GROUP)


def route_groups() -> list[str]:
    """Every module the route table loads on a first request."""
    sys.path.insert(0, str(ROOT))
    from chalicelib.route_table import ROUTES

    return sorted({entry.module for entry in ROUTES})


def time_to_load(statement: str, environment: dict[str, str], *options: str, cwd: Path = ROOT) -> float:
    """Seconds from starting an interpreter until it has run ``statement``."""
    code = f"{statement}\nimport sys; sys.stdout.buffer.write({LOADED!r}); sys.stdout.flush()"
    started = time.perf_counter()
    with subprocess.Popen(
        [sys.executable, *options, "-c", code], cwd=cwd, env=environment, stdout=subprocess.PIPE
    ) as child:
        assert child.stdout is not None
        said = child.stdout.read(len(LOADED))
        elapsed = time.perf_counter() - started
        child.stdout.read()
    if said != LOADED or child.returncode != 0:
        raise SystemExit(f"{statement!r} failed (exit status {child.returncode})")
    return elapsed


def compiled_environment(pycache: str) -> dict[str, str]:
    """Both sides run from compiled bytecode, as installed packages do: the warm-up runs compile everything into a
    private cache (the project itself is never written to), the measured runs only read it."""
    environment = os.environ | {"PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": pycache}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


def medians(statements: list[str], runs: int, environment: dict[str, str]) -> dict[str, float]:
    """Median milliseconds of each statement, the statements alternating so that any drift in machine load falls
    on every side alike."""
    for statement in statements:
        time_to_load(statement, environment)
    times: dict[str, list[float]] = {statement: [] for statement in statements}
    for _ in range(runs):
        for statement in statements:
            times[statement].append(time_to_load(statement, environment))
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
            time_to_load(FIRST_REQUEST, environment | {"PYTHONPATH": str(tree)}, "-S", cwd=tree)
        times: dict[Path, list[float]] = {tree: [] for tree in trees}
        for _ in range(runs):
            for tree in trees:
                times[tree].append(time_to_load(FIRST_REQUEST, environment | {"PYTHONPATH": str(tree)}, "-S", cwd=tree))
    return statistics.median(times[trees[0]]) * 1000, statistics.median(times[trees[1]]) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--group-runs", type=int, default=3, help="runs of each route group (median)")
    parser.add_argument("--package", type=Path, help="a deployment.zip to import `first` from, too")
    args = parser.parse_args()
    if args.runs < 10:
        parser.error("use at least 10 runs")
    if args.group_runs < 1:
        parser.error("use at least 1 run per route group")
    groups = route_groups()
    with tempfile.TemporaryDirectory() as pycache:
        environment = compiled_environment(pycache)
        figures = medians([APP, BARE, FLOOR, FIRST_REQUEST], args.runs, environment)
        floor_ms, bare_ms = figures[FLOOR], figures[BARE]
        print(f"python {sys.version.split()[0]}, {args.runs} runs each (median, fresh interpreter until loaded)")
        print(f"floor  {FLOOR!r}: {floor_ms:.0f} ms")
        print(f"bare   {BARE!r}: {bare_ms:.0f} ms (the floor is {floor_ms / bare_ms:.2f} of it)")
        first_ms = figures[FIRST_REQUEST]
        print(
            f"first  registration request, app + {REGISTRATION_GROUP}: {first_ms:.0f} ms "
            f"(ratio {first_ms / floor_ms:.2f}; {first_ms / bare_ms:.2f} of bare)"
        )
        print(f"app    {APP!r}: {figures[APP]:.0f} ms")
        # Every group against a floor measured in the same loop, since this part takes minutes.
        by_group = medians([FLOOR, *(first_request(group) for group in groups)], args.group_runs, environment)
    group_floor = by_group.pop(FLOOR)
    ratios = sorted(((by_group[first_request(group)] / group_floor, group) for group in groups), reverse=True)
    over = sum(ratio > FIRST_BUDGET for ratio, _ in ratios)
    print(
        f"route groups: {len(ratios)}, {args.group_runs} runs each (floor {group_floor:.0f} ms): median ratio "
        f"{statistics.median(ratio for ratio, _ in ratios):.2f}, {over} above {FIRST_BUDGET:.1f}; the heaviest:"
    )
    for ratio, group in ratios[:5]:
        print(f"  {ratio:.2f} {group}")
    if args.package:
        with_bytecode, from_source = package_figures(args.package, args.runs)
        print(f"package first: {with_bytecode:.0f} ms with its bytecode, {from_source:.0f} ms from source alone")
    print(f"heaviest_ratio={ratios[0][0]:.2f} ({ratios[0][1]})")
    verdict = "passes" if first_ms / floor_ms <= FIRST_BUDGET else "fails"
    print(f"first_ratio={first_ms / floor_ms:.2f} {verdict} (budget {FIRST_BUDGET:.1f}x the floor)")
    print(f"import_ratio={figures[APP] / floor_ms:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
