"""The contest screen in the hall (大屏, issue 19 item 8): who is on stage, who comes next, and each contestant's
score, shown only once the organiser has revealed it (公布得分).

The rule for a reveal: an entry of a judged stage that is open for marks, whose every judge has marked it (no judge
still owes it a mark: fairness.missing) and which has a score. A revealed score is final: its judges may no longer
change their marks (chalicelib.services.competition.submit_marks refuses ``score_revealed``). Once the stage closes
every score is shown. The contestant on stage is the first in the order of appearance whose score is not revealed
yet; the next is the one after.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

from chalicelib.domain.competition.judging import JudgingError
from chalicelib.domain.competition.setup import StageRun, StageState


def reveal_problem(run: StageRun, entry_id: str, owed: Collection[str], score: Decimal | None) -> JudgingError | None:
    """Why ``entry_id``'s score may not be revealed now (``owed``: the judges still owing it a mark; ``score``: its
    score, None while it cannot be worked out), or None when it may. Revealing it again is no problem (nothing
    changes)."""
    if run.state == StageState.PENDING:
        return JudgingError("stage_not_open", "the stage is not open for marks")
    if run.state == StageState.CLOSED:
        return JudgingError("stage_closed", "the stage is closed: every score is shown")
    if entry_id not in run.entries:
        return JudgingError("entry_not_in_stage", f"{entry_id} is not in this stage")
    if owed or score is None:
        return JudgingError("reveal_marks_missing", f"{len(owed)} judges still owe {entry_id} a mark")
    return None


def revealed_after(run: StageRun, entry_id: str) -> tuple[str, ...]:
    """The stage's revealed entries once ``entry_id`` is revealed too, in the order they were revealed."""
    return run.revealed if entry_id in run.revealed else (*run.revealed, entry_id)


def shown(run: StageRun) -> frozenset[str]:
    """The entries whose score the hall may show: the revealed ones, or every entry once the stage is closed."""
    if run.state == StageState.CLOSED:
        return frozenset(run.entries)
    return frozenset(run.revealed)


class HallLine(NamedTuple):
    """An entry in the order of appearance: its number, and its score when it may be shown (else None)."""

    entry_id: str
    number: int
    score: Decimal | None
    place: int | None = None  # among the scores shown so far (equal scores share a place)


class Hall(NamedTuple):
    lines: list[HallLine]  # in the order of appearance
    on_stage: HallLine | None  # the first whose score is not revealed (None before the stage opens, after the last)
    next: HallLine | None
    latest: HallLine | None  # the last score revealed
    standings: list[HallLine]  # the scores shown so far, best first


def hall(run: StageRun, numbers: Mapping[str, int], scores: Mapping[str, Decimal | None]) -> Hall:
    """The hall screen of a judged stage: ``numbers`` (entry → number of appearance), ``scores`` (entry → score as
    the panel has marked it so far)."""
    visible = shown(run)
    lines = _lines(numbers, {entry: score for entry, score in scores.items() if entry in visible})
    by_entry = {line.entry_id: line for line in lines}
    waiting = [line for line in lines if line.entry_id not in visible] if run.state == StageState.DRAWN else []
    latest = next((by_entry[e] for e in reversed(run.revealed) if e in by_entry), None)
    standings = sorted((line for line in lines if line.score is not None), key=lambda line: (line.place, line.number))
    return Hall(
        lines=lines,
        on_stage=waiting[0] if waiting else None,
        next=waiting[1] if len(waiting) > 1 else None,
        latest=latest if run.state == StageState.DRAWN else None,
        standings=standings,
    )


def _lines(numbers: Mapping[str, int], shown_scores: Mapping[str, Decimal | None]) -> list[HallLine]:
    """Every entry in the order of appearance, with its score and place when its score may be shown."""
    places = _places(shown_scores)
    order = sorted(numbers, key=numbers.__getitem__)
    return [HallLine(e, numbers[e], shown_scores.get(e), places.get(e)) for e in order]


def _places(scores: Mapping[str, Decimal | None]) -> dict[str, int]:
    """Place by score, best first; equal scores share a place (1, 2, 2, 4)."""
    ordered: Sequence[tuple[str, Decimal]] = sorted(
        ((e, s) for e, s in scores.items() if s is not None), key=lambda item: -item[1]
    )
    places: dict[str, int] = {}
    for index, (entry, score) in enumerate(ordered):
        previous = ordered[index - 1] if index else None
        places[entry] = places[previous[0]] if previous and previous[1] == score else index + 1
    return places


def public_order(run: StageRun, ranked: Sequence[str], numbers: Mapping[str, int]) -> list[tuple[str, bool]]:
    """A judged stage's entries as the public competition page lists them, each with whether its score may be shown
    (the hall screen's rule): the shown ones in ranking order, then the others by number of appearance, so the order
    of the list gives away no score before it is revealed."""
    visible = shown(run)
    first = [entry for entry in ranked if entry in visible]
    rest = sorted((entry for entry in ranked if entry not in visible), key=lambda entry: numbers.get(entry, 0))
    return [(entry, True) for entry in first] + [(entry, False) for entry in rest]
