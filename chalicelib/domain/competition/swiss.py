"""Swiss system (瑞士制): every round pairs entries of similar standing, nobody meets the same opponent twice.

The caller ranks the field before each round (score first, then its tie-breaks); this module pairs down that list
the way the Monrad variant does: 1st v 2nd, 3rd v 4th, ... When that would force a rematch further down, the pairing
backtracks and takes the next opponent down the list for the highest entry it has to, so the result is the
rematch-free pairing that stays closest to the ranking (compared pair by pair from the top). With an odd field the
lowest-ranked entry who has not had a bye sits out and scores as a win (FIDE Handbook C.04.1: no rematches, at most
one bye each; as in FIDE's Dutch system, the bye goes to the lowest-ranked eligible entry whose absence still lets
the others be paired).

Enough rounds to find a clear winner: ⌈log₂ N⌉ (``swiss_round_count``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import cache

from chalicelib.domain.competition.model import BYE, Match, Slot, new_match
from chalicelib.domain.competition.round_robin import ScheduleError, checked_entries

BRACKET = "S"


def swiss_round(
    stage_id: str,
    round_: int,
    ranking: Sequence[str],
    played: Collection[frozenset[str]],
    had_bye: Collection[str],
) -> list[Match]:
    """The matches of Swiss round ``round_`` for ``ranking`` (best first): boards ``S<round>-1`` ... top down, the bye
    (if the field is odd) last as a match against BYE."""
    entries = checked_entries(ranking)
    if round_ < 1:
        raise ScheduleError("bad_round", f"Rounds count from 1, got {round_}.")
    met = {frozenset(pair) for pair in played}

    @cache
    def pairing(remaining: tuple[str, ...]) -> tuple[tuple[str, str], ...] | None:
        """Pairs the best remaining entry with the first opponent down the list that leaves the rest pairable."""
        if not remaining:
            return ()
        top, rest = remaining[0], remaining[1:]
        for index, opponent in enumerate(rest):
            if frozenset((top, opponent)) in met:
                continue
            tail = pairing(rest[:index] + rest[index + 1 :])
            if tail is not None:
                return ((top, opponent), *tail)
        return None

    bye: str | None = None
    if len(entries) % 2:
        sat_out = set(had_bye)
        candidates = [entry for entry in reversed(entries) if entry not in sat_out]
        if not candidates:
            raise ScheduleError("no_bye", "Every entry has had a bye already; an odd field cannot be paired.")
        pairs = None
        for bye in candidates:
            pairs = pairing(tuple(entry for entry in entries if entry != bye))
            if pairs is not None:
                break
    else:
        pairs = pairing(tuple(entries))
    if pairs is None:
        raise ScheduleError("no_pairing", f"Round {round_} cannot be paired without a rematch.")
    matches = [
        new_match(stage_id, f"{BRACKET}{round_}-{board}", BRACKET, round_, board, Slot(entry=home), Slot(entry=away))
        for board, (home, away) in enumerate(pairs, start=1)
    ]
    if bye is not None:
        board = len(matches) + 1
        matches.append(new_match(stage_id, f"{BRACKET}{round_}-{board}", BRACKET, round_, board, Slot(entry=bye), BYE))
    return matches


def swiss_round_count(n: int) -> int:
    """⌈log₂ n⌉: the rounds after which at most one entry can have won every match."""
    if n < 1:
        raise ScheduleError("too_few_entries", f"A Swiss needs at least one entry, got {n}.")
    return (n - 1).bit_length()
