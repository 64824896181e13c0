"""The competition engine in memory: creating and fully playing two big competitions, standings included.

1. ``double_elimination_256``: 256 entries from 32 units (16 of them seeded) in a double elimination whose grand
   final has a reset: 255 winners'-bracket and 254 losers'-bracket matches and the grand final, played again when
   the losers'-bracket champion wins it; then the final placings.
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

    python -m bench.engine [--repeat 5] [--seed bench-engine-2026]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable

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


def double_elimination_256(seed: str) -> tuple[dict[str, float], dict[str, int]]:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    competition = _competition(
        [{"stage_id": "main", "kind": "double_elimination", "name_zh": "双败淘汰", "grand_final": "reset"}],
        _entries(256, 32, 16),
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
    assert placed.complete and len(placed.placings) == 256 and placed.placings[0][0] == 1
    done = sum(match.status == MatchStatus.DONE for match in played)
    return timings, {"entries": 256, "matches": len(played), "played": done}


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each competition; the median is printed")
    parser.add_argument("--seed", default="bench-engine-2026", help="the draws' and the random results' seed")
    args = parser.parse_args(argv)
    for name, run in (("double_elimination_256", double_elimination_256), ("groups_knockout_64", groups_knockout_64)):
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
        print(f"{name} {figures} {parts} cpu_ms={cpu_ms:.0f} engine_ms={total * 1000:.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
