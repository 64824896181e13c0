"""The scheduler (``chalicelib.domain.competition.schedule``) on two tournaments, checked by its own checker.

1. ``groups_knockout_200``: 100 entries from 20 units in 25 groups of 4 (150 group matches), the top two of each
   group into a 50-entry single elimination with a third-place match (49 + 1 played matches, 14 byes): 200 matches
   on 8 courts, 30 minutes each, 20 minutes' rest, over two days open 08:00–12:00 and 13:00–20:00.
   ``groups_knockout_200_refs``: the same with each round kept together and 10 referees (from 10 of the 20 units)
   assigned, never to a match of their own unit.
2. ``demo_cup``: the demo's badminton team cup as devtools/demo describes it (its 16 teams and their units from
   ``entries.json``, its stages and seeds from ``competitions.json``, drawn with the demo's seed): 4 groups of 4
   (24 ties), the top two into an 8-team knockout with a third-place match (8 ties), on 4 courts in one day
   (08:30–12:00 and 13:00–18:30), 50 minutes a tie, 20 minutes' rest, rounds kept together.

Both are built with the engine (draw, group tables, crossing); the knockout's entries are dropped from the jobs,
since nobody knows them on the morning the day is planned: its matches follow every group match instead. Each line
prints the median of ``--repeat`` runs of ``schedule`` (``ms``, wall time), how many matches it left out, the
conflicts ``schedule_conflicts`` finds in the result (0 expected) and the ``makespan`` (first start to last end):

    <name> matches=.. courts=.. ms=.. unplaced=.. conflicts=.. makespan=HH:MM end=<day> HH:MM

    python -m bench.schedule [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.people import badminton_games, play_out
from chalicelib.domain.competition import scoring
from chalicelib.domain.competition.draws import draw_rng
from chalicelib.domain.competition.model import Match
from chalicelib.domain.competition.schedule import (
    Court,
    Job,
    Options,
    Referee,
    Session,
    jobs_from_matches,
    schedule,
    schedule_conflicts,
)
from chalicelib.domain.competition.setup import Competition, StageState
from chalicelib.domain.competition.stages import draw_stage, qualifiers, table_outcome

DEMO = Path(__file__).resolve().parents[1] / "devtools" / "demo"
DEMO_CUP = "ev-01J6NJV89079VVCN85WE2NGK18"
DAY = datetime(2026, 12, 5)


def groups_then_knockout(entries: list[dict[str, Any]], groups: int, seeds: dict[str, int], seed: str) -> list[Match]:
    """A group stage (top two go on) and a single elimination with a third-place match, drawn and the groups played
    with random badminton results, as the engine does it; the knockout drawn from the real group tables."""
    stages = [
        {"stage_id": "groups", "kind": "groups", "name_zh": "小组赛", "groups": groups, "qualifiers": 2},
        {"stage_id": "knockout", "kind": "single_elimination", "name_zh": "淘汰赛", "third_place": True},
    ]
    for entry in entries:
        entry["seed"] = seeds.get(entry["entry_id"])
    competition = Competition.model_validate(
        {"event_id": "bench", "entry_kind": "individual", "stages": stages, "entries": entries}
    )
    group_stage, knockout = competition.stages
    entry_ids = [entry["entry_id"] for entry in entries]
    drawn = draw_stage(competition, group_stage, entry_ids, seed)
    competition = competition.with_run(
        "groups", state=StageState.DRAWN, entries=tuple(entry_ids), seed=seed, groups=drawn.groups
    )
    rng, badminton = draw_rng(seed, "results"), scoring.GAME_PRESETS["badminton"]
    assert isinstance(badminton, scoring.GameFormat)
    played = play_out(drawn.matches, lambda match: scoring.match_result(badminton, badminton_games(rng, 0.2)))
    tables = table_outcome(competition, group_stage, played, seed)
    went_on = qualifiers(group_stage, tables)
    competition = competition.with_run(
        "groups", state=StageState.CLOSED, ranking=tuple(tables.ranking), qualified=tuple(went_on)
    )
    return [*drawn.matches, *draw_stage(competition, knockout, went_on, seed).matches]


def morning_jobs(matches: list[Match], units: dict[str, str], minutes: int) -> list[Job]:
    """The jobs as planned before play: knockout sides unknown, the knockout after every group match."""
    jobs = jobs_from_matches(matches, units, {"groups": minutes, "knockout": minutes}, {"knockout": ["groups"]})
    return [job._replace(entries=(), units=()) if job.stage_id == "knockout" else job for job in jobs]


def big_case() -> tuple[list[Job], list[Court], list[Session], Options]:
    entries = [{"entry_id": f"e{i:03d}", "name": f"选手{i:03d}", "unit_id": f"u{i % 20:02d}"} for i in range(100)]
    seeds = {f"e{i:03d}": i + 1 for i in range(16)}
    matches = groups_then_knockout(entries, 25, seeds, "bench-schedule-2026")
    jobs = morning_jobs(matches, {entry["entry_id"]: entry["unit_id"] for entry in entries}, 30)
    courts = [Court(f"c{i}", f"{i}号场") for i in range(1, 9)]
    sessions = [
        Session(DAY + timedelta(days=day, hours=start), DAY + timedelta(days=day, hours=end))
        for day in (0, 1)
        for start, end in ((8, 12), (13, 20))
    ]
    return jobs, courts, sessions, Options(rest_minutes=20)


def big_case_with_referees() -> tuple[list[Job], list[Court], list[Session], Options]:
    jobs, courts, sessions, _ = big_case()
    referees = tuple(Referee(f"r{i}", f"u{i:02d}") for i in range(10))
    return jobs, courts, sessions, Options(rest_minutes=20, together=True, referees=referees)


def demo_cup_case() -> tuple[list[Job], list[Court], list[Session], Options]:
    teams = next(e["teams"] for e in json.loads((DEMO / "entries.json").read_text())["teams"] if e["event"] == DEMO_CUP)
    cup = next(e for e in json.loads((DEMO / "competitions.json").read_text())["events"] if e["event"] == DEMO_CUP)
    draw = next(step for step in cup["competition"]["steps"] if step["do"] == "draw")
    entries = [{"entry_id": team["team_id"], "name": team["name"], "unit_id": team["unit"]} for team in teams]
    setup = cup["competition"]["setup"]
    matches = groups_then_knockout(entries, setup["stages"][0]["groups"], setup["seeds"], draw["seed"])
    jobs = morning_jobs(matches, {team["team_id"]: team["unit"] for team in teams}, 50)
    courts = [Court(f"c{i}", f"{i}号场") for i in range(1, 5)]
    sessions = [
        Session(DAY + timedelta(hours=8, minutes=30), DAY + timedelta(hours=12)),
        Session(DAY + timedelta(hours=13), DAY + timedelta(hours=18, minutes=30)),
    ]
    return jobs, courts, sessions, Options(rest_minutes=20, together=True)


def run(case: tuple[list[Job], list[Court], list[Session], Options], repeat: int) -> dict[str, Any]:
    jobs, courts, sessions, options = case
    times = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        plan = schedule(jobs, courts, sessions, options)
        times.append(time.perf_counter() - started)
    conflicts = schedule_conflicts(jobs, plan.placed, courts, sessions, options)
    first = min((placement.start for placement in plan.placed.values()), default=None)
    span = (plan.end - first) if plan.end and first else timedelta(0)
    hours, minutes = divmod(int(span.total_seconds() // 60), 60)
    return {
        "matches": len(jobs),
        "courts": len(courts),
        "ms": round(statistics.median(times) * 1000, 1),
        "unplaced": len(plan.unplaced),
        "conflicts": len(conflicts),
        "makespan": f"{hours:02d}:{minutes:02d}",
        "end": f"day{(plan.end - DAY).days + 1} {plan.end:%H:%M}" if plan.end else "-",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    failed = False
    cases = (
        ("groups_knockout_200", big_case),
        ("groups_knockout_200_refs", big_case_with_referees),
        ("demo_cup", demo_cup_case),
    )
    for name, case in cases:
        figures = run(case(), args.repeat)
        print(name, " ".join(f"{key}={value}" for key, value in figures.items()), flush=True)
        failed |= bool(figures["conflicts"] or figures["unplaced"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
