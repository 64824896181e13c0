"""Round robins (循环赛) and leagues over a season, scheduled by the circle method (Berger tables).

One entry stays fixed while the others rotate one place per round, so every pair meets exactly once in N−1 rounds
(N even). An odd N adds a phantom entry: whoever meets it sits the round out, so there are N rounds with exactly one
bye each and every entry sits out exactly once. Home and away follow the Berger tables: the fixed entry alternates
every round and the other pairs alternate by board, which keeps every entry's home and away counts within one of
each other and gives the fewest possible runs of two home (or two away) matches in a row. A second leg (home and
away, 主客场) repeats the first with home and away swapped; its rounds continue the numbering.

With an even N the first entry listed plays the last in round 1 (1–N, 2–(N−1), ...), the classic opening round of
a seeded table; with an odd N the first entry sits out round 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from chalicelib.domain.competition.model import CompetitionError, Match, Slot, new_match

Pair = tuple[str, str | None]  # (home, away); (entry, None) = that entry sits the round out


class ScheduleError(CompetitionError):
    """A schedule cannot be made from the input (too few entries, a duplicate, an impossible pairing ...)."""


def checked_entries(entry_ids: Sequence[str], minimum: int = 2) -> list[str]:
    """The entries as a list, refusing blanks, duplicates and fields too small to play."""
    entries = list(entry_ids)
    if any(not entry for entry in entries):
        raise ScheduleError("blank_entry", "An entry id is empty.")
    duplicates = sorted({entry for entry in entries if entries.count(entry) > 1})
    if duplicates:
        raise ScheduleError("duplicate_entry", f"Entries listed more than once: {', '.join(duplicates)}.")
    if len(entries) < minimum:
        raise ScheduleError("too_few_entries", f"At least {minimum} entries are needed, got {len(entries)}.")
    return entries


def _check_legs(legs: int) -> None:
    if legs < 1:
        raise ScheduleError("bad_legs", f"A round robin has at least one leg, got {legs}.")


def round_robin_rounds(entry_ids: Sequence[str], legs: int = 1) -> list[list[Pair]]:
    """The rounds of a round robin, each a list of (home, away) pairs; (entry, None) is that round's bye, listed
    last. N−1 rounds per leg for an even N, N for an odd N."""
    entries = checked_entries(entry_ids)
    _check_legs(legs)
    # An odd field rotates everyone around a phantom: the entry drawn against it sits the round out.
    fixed, rotating = (None, entries) if len(entries) % 2 else (entries[-1], entries[:-1])
    boards = (len(rotating) + 1) // 2
    first_leg: list[list[Pair]] = []
    for round_index in range(len(rotating)):
        pairs: list[Pair] = []
        for board in range(1, boards):
            home, away = rotating[board], rotating[-board]
            pairs.append((away, home) if board % 2 == 0 else (home, away))
        if fixed is None:
            pairs.append((rotating[0], None))
        else:
            pairs.insert(0, (fixed, rotating[0]) if round_index % 2 else (rotating[0], fixed))
        first_leg.append(pairs)
        rotating = rotating[-1:] + rotating[:-1]
    rounds = list(first_leg)
    for leg in range(1, legs):
        rounds += [[_swapped(pair) if leg % 2 else pair for pair in pairs] for pairs in first_leg]
    return rounds


def _swapped(pair: Pair) -> Pair:
    home, away = pair
    return pair if away is None else (away, home)


def round_robin(
    stage_id: str,
    entry_ids: Sequence[str],
    legs: int = 1,
    bracket: str = "RR",
    id_prefix: str | None = None,
) -> list[Match]:
    """The matches of a round robin (no match for a bye), ids ``<prefix><round>-<order>``, all READY."""
    prefix = bracket if id_prefix is None else id_prefix
    rounds = round_robin_rounds(entry_ids, legs)
    per_leg = len(rounds) // legs
    matches = []
    for round_index, pairs in enumerate(rounds):
        round_ = round_index + 1
        played = [(home, away) for home, away in pairs if away is not None]
        for order, (home, away) in enumerate(played, start=1):
            matches.append(
                new_match(
                    stage_id,
                    f"{prefix}{round_}-{order}",
                    bracket,
                    round_,
                    order,
                    Slot(entry=home),
                    Slot(entry=away),
                    leg=round_index // per_leg + 1,
                )
            )
    return matches


def league_fixtures(
    stage_id: str,
    entry_ids: Sequence[str],
    legs: int,
    first_matchday: date,
    days_between: int = 7,
) -> list[Match]:
    """A league over a season: a round robin whose round r is played on ``first_matchday + (r−1)·days_between``."""
    if days_between < 1:
        raise ScheduleError("bad_days_between", f"Matchdays must be at least a day apart, got {days_between}.")
    return [
        match._replace(matchday=(first_matchday + timedelta(days=(match.round - 1) * days_between)).isoformat())
        for match in round_robin(stage_id, entry_ids, legs)
    ]
