"""The competition engine in memory: creating and fully playing big competitions, standings included.

1. ``double_elimination_256``: 256 entries from 32 units (16 of them seeded) in a double elimination whose grand
   final has a reset: 255 winners'-bracket and 254 losers'-bracket matches and the grand final, played again when
   the losers'-bracket champion wins it; then the final placings. ``double_elimination_1024``: the same with 1,024
   entries from 128 units (16 seeded), 2,047 matches.
2. ``groups_knockout_64``: 64 entries from 16 units (16 seeded) in 16 groups of 4, a round robin in each, the group
   tables ranked with the BWF tie-breaks, the top two of each group crossed into a 32-entry single elimination,
   played out; then its placings.

*Creating* is what an organiser's set-up and draw do: the set-up document (``setup.Competition``, checked by
pydantic) and the draw (``stages.draw_stage``: seeds, byes, same-unit separation, the bracket's matches or the
groups' fixtures). *Playing* is what referees do, match by match as matches become ready: a random valid badminton
result (``bench.people.badminton_games``, checked and scored by ``scoring.match_result``) recorded with
``progress.record``, which moves the winner (and, in double elimination, the loser) on. *Standings* are the group
tables (``stages.table_outcome``) and the placings (``stages.knockout_outcome``). No storage: this is the pure
engine's cost, which every request that enters a result or shows a bracket pays on top of its reads and writes.

The random results come from a fixed seed, so every run plays the same competitions. One line per competition,
each figure the median of ``--repeat`` runs; ``engine_ms`` is wall time (create + play + standings), ``cpu_ms``
the process's CPU time for the same run, which other load on the machine disturbs less:

    <name> entries=.. [groups=..] matches=.. played=.. create_ms=.. play_ms=.. standings_ms=.. cpu_ms=.. engine_ms=..

When ``node`` is on the PATH the same double eliminations (256 and 1,024 entries, grand final with reset, every
match created and played as it becomes ready) run on brackets-manager.js 1.11.1 with brackets-memory-db 1.0.6, which
``npm install`` puts into .cache/bench-node/ the first time (never committed); ``bench/brackets_manager.js`` times
them with ``process.cpuUsage``. Then one line per size, ``bm_ratio`` being our ``cpu_ms`` over theirs (below 1:
ours is faster). Theirs records bare scores; ours also checks and scores each badminton result, and ranks the
placings, so the comparison is if anything unfavourable to us:

    brackets_manager_<n> entries=.. matches=.. played=.. cpu_ms=.. wall_ms=.. bm_ratio=..

    python -m bench.engine [--repeat 5] [--seed bench-engine-2026] [--no-node]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from bench.people import badminton_games, play_out
from chalicelib.domain.competition import scoring
from chalicelib.domain.competition.draws import draw_rng
from chalicelib.domain.competition.model import Match, MatchStatus, Result
from chalicelib.domain.competition.setup import Competition, StageState
from chalicelib.domain.competition.stages import (
    draw_stage,
    knockout_outcome,
    qualifiers,
    table_outcome,
)

BADMINTON = scoring.GAME_PRESETS["badminton"]
ROOT = Path(__file__).resolve().parent.parent
NODE_CACHE = ROOT / ".cache" / "bench-node"
NODE_PACKAGES = {"brackets-manager": "1.11.1", "brackets-memory-db": "1.0.6"}
DOUBLE_ELIMINATION_SIZES = (256, 1024)


def _entries(count: int, units: int, seeds: int) -> list[dict]:
    return [
        {
            "entry_id": f"e{i:03d}",
            "name": f"选手{i:03d}",
            "unit_id": f"u{i % units:02d}",
            "seed": i + 1 if i < seeds else None,
        }
        for i in range(count)
    ]


def _competition(stages: list[dict], entries: list[dict]) -> Competition:
    """The set-up document of an individual competition, checked as an organiser's set-up is."""
    return Competition.model_validate(
        {"event_id": "bench", "entry_kind": "individual", "stages": stages, "entries": entries}
    )


def _results(seed: str) -> Callable[[Match], Result]:
    """Random valid results: each game a coin toss with a slight edge for the home side."""
    rng = draw_rng(seed, "results")
    return lambda match: scoring.match_result(BADMINTON, badminton_games(rng, 0.2))


def double_elimination(size: int, seed: str) -> tuple[dict[str, float], dict[str, int]]:
    """``size`` entries from ``size / 8`` units, 16 of them seeded, in a double elimination with a reset."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    competition = _competition(
        [{"stage_id": "main", "kind": "double_elimination", "name_zh": "双败淘汰", "grand_final": "reset"}],
        _entries(size, size // 8, 16),
    )
    stage = competition.stages[0]
    drawn = draw_stage(competition, stage, [entry.entry_id for entry in competition.entries], seed)
    timings["create_ms"] = time.perf_counter() - started

    started = time.perf_counter()
    played = play_out(drawn.matches, _results(seed))
    timings["play_ms"] = time.perf_counter() - started

    started = time.perf_counter()
    placed = knockout_outcome(played)
    timings["standings_ms"] = time.perf_counter() - started
    assert placed.complete and len(placed.placings) == size and placed.placings[0][0] == 1
    done = sum(match.status == MatchStatus.DONE for match in played)
    return timings, {"entries": size, "matches": len(played), "played": done}


def groups_knockout_64(seed: str) -> tuple[dict[str, float], dict[str, int]]:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    competition = _competition(
        [
            {"stage_id": "groups", "kind": "groups", "name_zh": "小组赛", "groups": 16, "qualifiers": 2},
            {"stage_id": "knockout", "kind": "single_elimination", "name_zh": "淘汰赛"},
        ],
        _entries(64, 16, 16),
    )
    groups, knockout = competition.stages
    entry_ids = [entry.entry_id for entry in competition.entries]
    drawn = draw_stage(competition, groups, entry_ids, seed)
    competition = competition.with_run(
        "groups", state=StageState.DRAWN, entries=tuple(entry_ids), seed=seed, groups=drawn.groups
    )
    create = time.perf_counter() - started

    results = _results(seed)
    started = time.perf_counter()
    group_matches = play_out(drawn.matches, results)
    play = time.perf_counter() - started

    started = time.perf_counter()
    tables = table_outcome(competition, groups, group_matches, seed)
    went_on = qualifiers(groups, tables)
    standings = time.perf_counter() - started
    assert tables.complete and len(went_on) == 32

    started = time.perf_counter()
    competition = competition.with_run(
        "groups", state=StageState.CLOSED, ranking=tuple(tables.ranking), qualified=tuple(went_on)
    )
    bracket = draw_stage(competition, knockout, went_on, seed)
    create += time.perf_counter() - started

    started = time.perf_counter()
    knockout_matches = play_out(bracket.matches, results)
    play += time.perf_counter() - started

    started = time.perf_counter()
    placed = knockout_outcome(knockout_matches)
    standings += time.perf_counter() - started
    assert placed.complete and len(placed.placings) == 32

    timings.update(create_ms=create, play_ms=play, standings_ms=standings)
    matches = [*group_matches, *knockout_matches]
    done = sum(match.status == MatchStatus.DONE for match in matches)
    return timings, {"entries": 64, "groups": len(tables.tables), "matches": len(matches), "played": done}


def _node_modules(npm: str) -> Path:
    """brackets-manager and brackets-memory-db at the pinned versions in .cache/bench-node/, installed on demand."""
    modules = NODE_CACHE / "node_modules"

    def installed(name: str) -> str | None:
        package = modules / name / "package.json"
        return json.loads(package.read_text())["version"] if package.exists() else None

    if any(installed(name) != version for name, version in NODE_PACKAGES.items()):
        NODE_CACHE.mkdir(parents=True, exist_ok=True)
        wanted = [f"{name}@{version}" for name, version in NODE_PACKAGES.items()]
        subprocess.run(
            [npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(NODE_CACHE), *wanted],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return modules


def brackets_manager(repeat: int) -> list[dict] | None:
    """brackets-manager.js's figures for DOUBLE_ELIMINATION_SIZES, or None without node and npm (or without the
    registry the first time: the install fails and the comparison is skipped, the engine's own figures stand)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return None
    try:
        modules = _node_modules(npm)
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"brackets_manager: npm install failed ({error})", file=sys.stderr)
        return None
    script = ROOT / "bench" / "brackets_manager.js"
    sizes = [str(size) for size in DOUBLE_ELIMINATION_SIZES]
    command = [node, str(script), str(modules), str(max(1, repeat)), *sizes]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each competition; the median is printed")
    parser.add_argument("--seed", default="bench-engine-2026", help="the draws' and the random results' seed")
    parser.add_argument("--no-node", action="store_true", help="skip the brackets-manager.js comparison")
    args = parser.parse_args(argv)
    runs: list[tuple[str, Callable[[str], tuple[dict[str, float], dict[str, int]]]]] = [
        (f"double_elimination_{size}", partial(double_elimination, size)) for size in DOUBLE_ELIMINATION_SIZES
    ]
    runs.append(("groups_knockout_64", groups_knockout_64))
    ours: dict[int, float] = {}
    for name, run in runs:
        samples, cpu = [], []
        for _ in range(max(1, args.repeat)):
            started = time.process_time()
            samples.append(run(args.seed))
            cpu.append(time.process_time() - started)
        counts = samples[0][1]
        assert all(sample[1] == counts for sample in samples), "a fixed seed plays the same competition every time"
        medians = {key: statistics.median(sample[0][key] for sample in samples) for key in samples[0][0]}
        total = statistics.median(sum(sample[0].values()) for sample in samples)
        figures = " ".join(f"{key}={value}" for key, value in counts.items())
        parts = " ".join(f"{key}={value * 1000:.0f}" for key, value in medians.items())
        cpu_ms = statistics.median(cpu) * 1000
        if name.startswith("double_elimination_"):
            ours[counts["entries"]] = cpu_ms
        print(f"{name} {figures} {parts} cpu_ms={cpu_ms:.0f} engine_ms={total * 1000:.0f}", flush=True)
    theirs = None if args.no_node else brackets_manager(args.repeat)
    if theirs is None:
        print("brackets_manager skipped (no node/npm, no npm registry, or --no-node)", flush=True)
    for line in theirs or ():
        ratio = ours[line["entries"]] / line["cpu_ms"]
        print(
            f"brackets_manager_{line['entries']} entries={line['entries']} matches={line['matches']} "
            f"played={line['played']} cpu_ms={line['cpu_ms']:.0f} wall_ms={line['wall_ms']:.0f} bm_ratio={ratio:.2f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
