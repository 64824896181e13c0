"""A meet's disciplines run in rounds, as read: their stored rounds and marks turned into the disciplines' placings
(chalicelib.domain.competition.rounds.discipline_placings), for ``stages.measured_outcome``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.domain.competition import marks as mark_rules
from chalicelib.domain.competition.measured import Measure, Placing, best_of_attempts
from chalicelib.domain.competition.rounds import DisciplineRounds, discipline_placings
from chalicelib.domain.competition.setup import Discipline, Stage

# (stage, discipline) → stored rounds (DisciplineRounds data) and their version
StoredRounds = Mapping[tuple[str, str], tuple[Mapping[str, Any], int]]
# (stage, discipline) → round → entry → stored marks (attempts, status, rule)
StoredRoundMarks = Mapping[tuple[str, str], Mapping[str, Mapping[str, Mapping[str, Any]]]]


def drawn_rounds(rounds: StoredRounds, stage_id: str, discipline: str) -> tuple[DisciplineRounds, int | None]:
    """A discipline's drawn rounds and their version (None: nothing drawn yet)."""
    stored = rounds.get((stage_id, discipline))
    if stored is None:
        return DisciplineRounds(), None
    return DisciplineRounds.model_validate(stored[0]), stored[1]


def best_marks(
    measure: Measure, entered: Mapping[str, Mapping[str, Mapping[str, Any]]]
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, str]]]:
    """round → entry → best mark (None: no valid mark), and round → entry → result code (DNS, DNF ...)."""
    attempts, codes = mark_rules.meet_marks(entered)
    best = {
        code: {entry: best_of_attempts(measure, marks) for entry, marks in rows.items()}
        for code, rows in attempts.items()
    }
    return best, codes


def placings(
    stage_id: str, discipline: Discipline, rounds: StoredRounds, marks: StoredRoundMarks
) -> tuple[list[Placing], bool]:
    """A discipline's placings across its rounds and whether its final is closed."""
    drawn, _ = drawn_rounds(rounds, stage_id, discipline.code)
    measure = Measure(discipline.measure)
    best, codes = best_marks(measure, marks.get((stage_id, discipline.code), {}))
    final = drawn.run("f")
    placed = discipline_placings(measure, discipline.rounds, drawn, best, codes, discipline.entries)
    return placed, final is not None and final.closed


def stage_placings(
    stage: Stage, rounds: StoredRounds, marks: StoredRoundMarks
) -> dict[str, tuple[list[Placing], bool]]:
    """The placings of a meet's disciplines run in rounds (discipline → placings, final closed)."""
    if stage.meet is None:
        return {}
    return {d.code: placings(stage.stage_id, d, rounds, marks) for d in stage.meet.disciplines if d.rounds}
