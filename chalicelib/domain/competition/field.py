"""Field events with a final (issue 19 item 2): three attempts for everyone, three more for the best eight.

The rule, as World Athletics writes it (Technical Rules, Book C2.1, TR 25.5 and TR 25.6; older IAAF Rule 180.5):

- Except for the vertical jumps, when more than eight athletes compete, each has three trials and the eight with
  the best valid performances get three additional trials (``Discipline.final_after`` = 3 trials, then the best
  ``Discipline.final_size`` = 8). With eight athletes or fewer, everyone has all the trials.
- A tie for the last place in the eight is first broken by the next best marks (TR 25.22, ``measured.rank_attempts``);
  athletes still tied all go on (so the final may hold more than eight). An athlete with no valid mark after the
  first trials has no "best valid performance" and does not go on, even when fewer than eight have one.
- The order of the first trials is drawn by lot (TR 25.5): here ascending ``SHA-256(seed + ":" + entry_id)`` with the
  seed recorded when the meet was opened (``StageRun.seed``) joined with the discipline's code, the same key as the
  judged contests' order of appearance (``judging.appearance_order``), so anyone holding the seed can check it.
- The 4th and 5th trials go in the reverse order of the ranking after three trials, and the final (6th) trial in the
  reverse order of the ranking after five (TR 25.6 as amended for 2020; the older Rule 180.5 kept the order after
  three for all three last trials). Athletes tied in a ranking keep the drawn order between them.

Marks are entered per athlete (all their attempts at once); for a discipline with a final, what is saved must keep
the final consistent (``final_problem``): attempts after the first three only once every athlete has had those
three (a mark, a code, a retirement ``r`` or a result code such as DNS), only for the best eight, and no correction
of the first three that would put out of the eight an athlete who already has later attempts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from chalicelib.domain.competition.judging import appearance_order
from chalicelib.domain.competition.marks import RETIRED, attempt_mark
from chalicelib.domain.competition.measured import Measure, Placing, rank_attempts
from chalicelib.domain.competition.setup import Discipline
from chalicelib.domain.language import N_

DEFAULT_FINAL_SIZE = 8  # TR 25.6: the best eight


@dataclass(frozen=True)
class FieldProblem:
    """Why a performance cannot be saved: ``code`` a message id, ``index`` the attempt it is about (0-based)."""

    code: str
    index: int
    params: dict[str, str] = field(default_factory=dict)


class FieldRound(NamedTuple):
    """One round of trials (1-based ``number``): who throws or jumps in it, in order, and the standing after it."""

    number: int
    order: tuple[str, ...]
    standing: tuple[Placing, ...]
    complete: bool  # every athlete of the round has this trial recorded


class FieldCard(NamedTuple):
    """A field discipline with a final as the organiser follows it: the drawn order, the rounds, the best eight."""

    draw: tuple[str, ...]
    final_after: int
    final_size: int
    finalists: tuple[str, ...] | None  # None: not known until every athlete has had the first trials
    rounds: tuple[FieldRound, ...]
    waiting: int = 0  # athletes who still owe one of the first trials


def has_final(discipline: Discipline) -> bool:
    """Whether the discipline is run with a final after its first trials (a field event of ``final_after`` + more)."""
    return (
        discipline.measure != "time"
        and discipline.final_after is not None
        and discipline.attempts > discipline.final_after
    )


def final_size(discipline: Discipline) -> int:
    return discipline.final_size or DEFAULT_FINAL_SIZE


def start_order(seed: str, discipline: Discipline) -> list[str]:
    """The order of the first trials, drawn by lot from the meet's recorded seed and the discipline's code."""
    return appearance_order(f"{seed}:{discipline.code}", discipline.entries)


def _attempts(data: Mapping[str, object] | None) -> list[str | None]:
    attempts = data.get("attempts") if data else None
    return [value if isinstance(value, str) else None for value in attempts] if isinstance(attempts, list) else []


def _done(data: Mapping[str, object] | None, trials: int) -> bool:
    """Whether an athlete's first ``trials`` are recorded: a result code (DNS ...), a retirement, or each trial."""
    if data is None:
        return False
    if isinstance(data.get("status"), str):
        return True
    attempts = _attempts(data)
    if RETIRED in attempts[:trials]:
        return True
    return len(attempts) >= trials and all(value is not None for value in attempts[:trials])


def standing(measure: Measure, entries: Sequence[str], entered: Mapping[str, Mapping[str, object]],
             trials: int) -> list[Placing]:  # fmt: skip
    """The ranking after the first ``trials`` trials (countback on the next best marks); no mark: unplaced."""
    marks: dict[str, list[Decimal | None]] = {
        entry: [attempt_mark(value) for value in _attempts(entered.get(entry))[:trials]] for entry in entries
    }
    return rank_attempts(measure, marks)


def finalists(
    measure: Measure, entries: Sequence[str], entered: Mapping[str, Mapping[str, object]], after: int, size: int
) -> tuple[str, ...] | None:
    """Who has the further trials: everyone when ``size`` or fewer compete; else the best ``size`` after ``after``
    trials with ties at the cut all in, each with a valid mark. None while an athlete still owes a first trial."""
    if len(entries) <= size:
        return tuple(entries)
    if not all(_done(entered.get(entry), after) for entry in entries):
        return None
    ranked = standing(measure, entries, entered, after)
    return tuple(p.entry_id for p in ranked if p.place is not None and p.place <= size)


def reverse_order(ranking: Sequence[Placing], among: Sequence[str], draw: Sequence[str]) -> list[str]:
    """``among`` in the reverse order of ``ranking`` (the leader last); tied or unplaced athletes keep the drawn
    order between them."""
    places = {p.entry_id: p.place for p in ranking}
    position = {entry: index for index, entry in enumerate(draw)}
    worst = len(ranking) + 1
    return sorted(among, key=lambda entry: (-(places.get(entry) or worst), position.get(entry, len(position))))


def round_order(discipline: Discipline, seed: str, entered: Mapping[str, Mapping[str, object]],
                number: int) -> list[str]:  # fmt: skip
    """Who takes the ``number``-th trial (1-based), in order: the draw for the first trials; the best eight in the
    reverse order of the ranking after the first trials, the last trial in the reverse order after the one before."""
    draw = start_order(seed, discipline)
    after = discipline.final_after or discipline.attempts
    if not has_final(discipline) or number <= after:
        return draw
    measure = Measure(discipline.measure)
    going_on = finalists(measure, draw, entered, after, final_size(discipline))
    if going_on is None:
        return []
    ranked_after = number - 1 if number == discipline.attempts else after
    return reverse_order(standing(measure, draw, entered, ranked_after), going_on, draw)


def card(discipline: Discipline, seed: str, entered: Mapping[str, Mapping[str, object]]) -> FieldCard:
    """The discipline's field card: the draw, each round's order and the standing after it, the best eight."""
    measure = Measure(discipline.measure)
    draw = start_order(seed, discipline)
    after = discipline.final_after or discipline.attempts
    size = final_size(discipline)
    going_on = finalists(measure, draw, entered, after, size) if has_final(discipline) else tuple(draw)
    rounds = []
    for number in range(1, discipline.attempts + 1):
        order = round_order(discipline, seed, entered, number)
        complete = bool(order) and all(_done(entered.get(entry), number) for entry in order)
        rounds.append(FieldRound(number, tuple(order), tuple(standing(measure, draw, entered, number)), complete))
    waiting = sum(not _done(entered.get(entry), after) for entry in draw)
    return FieldCard(tuple(draw), after, size, going_on, tuple(rounds), waiting)


def final_problem(
    discipline: Discipline, entered: Mapping[str, Mapping[str, object]], entry_id: str, data: Mapping[str, object]
) -> FieldProblem | None:
    """Why ``data`` (an athlete's performance as it would be saved) breaks the final, or None. ``entered``: every
    athlete's performance as stored now."""
    if not has_final(discipline):
        return None
    after = discipline.final_after or discipline.attempts
    size = final_size(discipline)
    measure = Measure(discipline.measure)
    changed = {**entered, entry_id: data}
    later = [entry for entry, row in changed.items() if any(v is not None for v in _attempts(row)[after:])]
    if not later:
        return None
    going_on = finalists(measure, discipline.entries, changed, after, size)
    params = {"after": str(after), "size": str(size), "first": str(after + 1)}
    if going_on is None:
        waiting = [entry for entry in discipline.entries if not _done(changed.get(entry), after)]
        return FieldProblem(N_("field_final.not_ready"), after, {**params, "count": str(len(waiting))})
    if entry_id in later and entry_id not in going_on:
        return FieldProblem(N_("field_final.not_in_final"), after, params)
    out = [entry for entry in later if entry not in going_on]
    if out:
        return FieldProblem(N_("field_final.would_change"), 0, {**params, "count": str(len(out))})
    return None
