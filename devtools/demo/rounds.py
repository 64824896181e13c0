"""The demo meet's heats and finals (issue 19 item 2), through chalicelib.services.meet_rounds as officials work them.

In ``competitions.json`` a discipline's ``rounds`` give each round's day as days from the event's first day
(``"day": 1``), turned into its date when the set-up is configured (``with_round_days``). The steps:
``round_draw`` (the organiser draws a round from a fixed seed, so the demo's heats and lanes stay the same; the
heats seeded by the entrants' ``seed_marks``),
``round_marks`` (the referees' marks of a round: entry key → attempts; the marks of a final are given for every
entrant of the heats, and only those who reached it are entered) and ``round_close`` (the organiser closes the
round: who goes on is settled).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from chalicelib.domain.access import Principal
    from chalicelib.storage import Store


def with_round_days(setup: dict[str, Any], first_day: date) -> dict[str, Any]:
    """The set-up with each round's ``day`` (days from the first day) as a date."""
    stages = []
    for stage in setup["stages"]:
        meet = stage.get("meet")
        if meet:
            disciplines = [
                {**d, "rounds": [_dated(spec, first_day) for spec in d["rounds"]]} if d.get("rounds") else d
                for d in meet["disciplines"]
            ]
            stage = {**stage, "meet": {**meet, "disciplines": disciplines}}
        stages.append(stage)
    return {**setup, "stages": stages}


def _dated(spec: dict[str, Any], first_day: date) -> dict[str, Any]:
    if isinstance(spec.get("day"), int):
        return {**spec, "day": (first_day + timedelta(days=spec["day"])).isoformat()}
    return spec


def draw(
    store: Store, by: Principal, event_id: str, step: dict[str, Any], entry: Callable[[str], str]
) -> Callable[[datetime], object]:
    """The organiser draws a round from the step's seed, the first round seeded by ``seed_marks`` (报名成绩)."""
    from chalicelib.services.meet_rounds import draw as draw_round

    seed_marks = {entry(key): mark for key, mark in step.get("seed_marks", {}).items()}
    return lambda at: draw_round(store, by, event_id, step["stage"], step["discipline"], step["round"], at,
                                 seed=step["seed"], seed_marks=seed_marks)  # fmt: skip


def marks(
    store: Store, by: Principal, event_id: str, step: dict[str, Any], entry: Callable[[str], str]
) -> Callable[[datetime], object]:
    from chalicelib.services import competition
    from chalicelib.services.meet_rounds import enter_marks, round_place

    def enter(at: datetime) -> None:
        state = competition.view(store, by, event_id)
        run = round_place(state, step["stage"], step["discipline"], step["round"]).run
        assert run is not None, f"{step['discipline']} {step['round']}: not drawn"
        running = set(run.entries())
        for key, attempts in step["marks"].items():
            if entry(key) in running:
                enter_marks(store, by, event_id, step["stage"], step["discipline"], step["round"], entry(key),
                            attempts, at)  # fmt: skip

    return enter


def close(store: Store, by: Principal, event_id: str, step: dict[str, Any]) -> Callable[[datetime], object]:
    from chalicelib.services.meet_rounds import close as close_round

    return lambda at: close_round(store, by, event_id, step["stage"], step["discipline"], step["round"], at)
