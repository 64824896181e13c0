"""Playing results through a bracket: winners (and losers, in double elimination) move on, byes advance without a
match, a grand-final reset is needed only when the losers'-bracket champion wins the first final, and a result can
be corrected until a match that depends on it has been played.

Every function takes the matches of one stage by id and returns only the matches it changed, so the caller writes
exactly those (each on the condition that it has not changed since it was read).
"""

from __future__ import annotations

from collections import ChainMap, deque
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from typing import cast

from chalicelib.domain.competition.model import (
    AWAY,
    HOME,
    LOSER_OF,
    WINNER_OF,
    CompetitionError,
    Match,
    MatchStatus,
    Result,
    Slot,
    initial_status,
)

# Brackets whose matches must produce a winner: they feed later matches or decide places.
_KNOCKOUT = frozenset({"W", "L", "GF", "3P"})


class ProgressError(CompetitionError):
    def __init__(self, code: str, message: str, matches: tuple[str, ...] = ()):
        super().__init__(code, message)
        self.matches = matches  # the matches that stand in the way (played dependents)


def _source_slot(source: str, matches: Mapping[str, Match]) -> Slot:
    """What a ``W:``/``L:`` source currently sends: an entry, a bye, or nothing yet."""
    wanted, _, match_id = source.partition(":")
    feeder = matches[match_id]
    if feeder.status == MatchStatus.BYE:
        if f"{wanted}:" == LOSER_OF:
            return Slot(source=source, bye=True)  # the loser of a bye match is the bye itself
        winner = feeder.winner
        return Slot(entry=winner, source=source) if winner else Slot(source=source, bye=True)
    entry = feeder.winner if f"{wanted}:" == WINNER_OF else feeder.loser
    return Slot(entry=entry, source=source)


def _is_reset(match: Match, matches: Mapping[str, Match]) -> Match | None:
    """The first grand final, if ``match`` is the reset played only when the first final's away side (the
    losers'-bracket champion) wins it."""
    source = match.home.source or ""
    if match.bracket != "GF" or not source.startswith(LOSER_OF):
        return None
    first = matches.get(source[len(LOSER_OF) :])
    return first if first is not None and first.bracket == "GF" else None


def _resolved(match: Match, matches: Mapping[str, Match]) -> Match:
    if match.status == MatchStatus.DONE:
        return match
    home = _source_slot(match.home.source, matches) if match.home.source else match.home
    away = _source_slot(match.away.source, matches) if match.away.source else match.away
    first_final = _is_reset(match, matches)
    if first_final is not None and first_final.result is not None and first_final.result.winner == HOME:
        status = MatchStatus.VOID
    else:
        status = initial_status(home, away)
    if (home, away, status) == (match.home, match.away, match.status):
        return match  # nothing new: most of the matches a result's change spreads to
    return match._replace(home=home, away=away, status=status)


Feeds = Mapping[str, Sequence[str]]


def _over(changes: dict[str, Match], matches: Mapping[str, Match]) -> Mapping[str, Match]:
    """``matches`` with ``changes`` on top, without copying the whole stage for each result (only ``changes`` is
    ever written to)."""
    return ChainMap(changes, cast("MutableMapping[str, Match]", matches))


def feeds(matches: Mapping[str, Match]) -> dict[str, list[str]]:
    """Match id → the ids of the matches its winner or loser is sent to. Slots keep their sources from the draw
    on, so a caller recording many results of one stage (a bench, a loader) builds this once and passes it on."""
    fed: dict[str, list[str]] = {}
    for match in matches.values():
        for slot in (match.home, match.away):
            if slot.source:
                fed.setdefault(slot.source.partition(":")[2], []).append(match.match_id)
    return fed


def settle(
    matches: Mapping[str, Match], changed_ids: Iterable[str] | None = None, fed: Feeds | None = None
) -> dict[str, Match]:
    """Fill slots from what their source matches have decided and decide bye matches. With ``changed_ids`` only
    the matches downstream of those are looked at (a result touches a handful, not the whole bracket); without,
    every match is (a new draw). ``fed`` is ``feeds(matches)`` if the caller has it. Returns the changed matches."""
    fed = feeds(matches) if fed is None else fed
    changed: dict[str, Match] = {}
    current = _over(changed, matches)
    pending = deque(matches if changed_ids is None else (m for c in changed_ids for m in fed.get(c, ())))
    while pending:
        match_id = pending.popleft()
        resolved = _resolved(current[match_id], current)
        if resolved != current[match_id]:
            changed[match_id] = resolved
            pending.extend(fed.get(match_id, ()))
    return changed


def _check_result(match: Match, result: Result) -> None:
    if result.winner not in (HOME, AWAY, None):
        raise ProgressError("invalid_winner", "The winner must be home, away or none (a draw).")
    if result.winner is None and match.bracket in _KNOCKOUT:
        raise ProgressError("winner_required", "A knockout match needs a winner.", (match.match_id,))


def record(matches: Mapping[str, Match], match_id: str, result: Result, fed: Feeds | None = None) -> dict[str, Match]:
    """Record the result of a ready match; the winner (and loser) move on. ``fed`` is ``feeds(matches)`` if the
    caller has it. Returns the changed matches."""
    match = matches.get(match_id)
    if match is None:
        raise ProgressError("unknown_match", f"No match {match_id}.")
    if match.status == MatchStatus.DONE:
        raise ProgressError("already_played", "This match has a result; correct it instead.", (match_id,))
    if match.status != MatchStatus.READY:
        raise ProgressError("not_ready", "This match cannot be played: its players are not both known.", (match_id,))
    _check_result(match, result)
    played = match._replace(status=MatchStatus.DONE, result=result)
    changed = settle(_over({match_id: played}, matches), [match_id], fed)
    return {match_id: played, **changed}


def dependents(matches: Mapping[str, Match], match_id: str) -> list[Match]:
    """The matches a match sends its winner or loser to (directly)."""
    sources = {f"{WINNER_OF}{match_id}", f"{LOSER_OF}{match_id}"}
    return [m for m in matches.values() if m.home.source in sources or m.away.source in sources]


def correct(matches: Mapping[str, Match], match_id: str, result: Result) -> dict[str, Match]:
    """Replace a recorded result. If the winner stays the same only the match changes; if it changes, the new
    winner and loser are sent on, which is refused once a match they were sent to has been played."""
    match = matches.get(match_id)
    if match is None:
        raise ProgressError("unknown_match", f"No match {match_id}.")
    if match.status != MatchStatus.DONE or match.result is None:
        raise ProgressError("not_played", "Only a recorded result can be corrected.", (match_id,))
    _check_result(match, result)
    corrected = match._replace(result=result)
    if corrected.winner == match.winner and corrected.loser == match.loser:
        return {match_id: corrected}
    played = tuple(m.match_id for m in dependents(matches, match_id) if m.status == MatchStatus.DONE)
    if played:
        raise ProgressError(
            "dependents_played",
            "Matches that depend on this result have been played; correct those first.",
            played,
        )
    # Matches not played yet are re-derived from their slots, so a reset made void by the old result comes back.
    return {match_id: corrected, **settle(_over({match_id: corrected}, matches), [match_id])}


def started(matches: Iterable[Match]) -> bool:
    """Whether any match has been played: a draw can be redone only before this."""
    return any(match.status == MatchStatus.DONE for match in matches)


def _medallists(by_bracket: Mapping[str, list[Match]]) -> list[list[str]]:
    """The top places of placings: champion and runner-up from the last final, then the third-place match."""
    finals = [m for m in by_bracket.get("GF", []) if m.status == MatchStatus.DONE]
    winners_final = max(by_bracket["W"], key=lambda m: m.round)
    final = max(finals, key=lambda m: m.round) if finals else winners_final
    ordered: list[list[str]] = []
    if final.winner:
        ordered.append([final.winner])
        if "L" in by_bracket and "GF" not in by_bracket:
            # No grand final: the losers' bracket champion is second.
            losers_final = max(by_bracket["L"], key=lambda m: m.round)
            if losers_final.winner:
                ordered.append([losers_final.winner])
        elif final.loser:
            ordered.append([final.loser])
    third = next((m for m in by_bracket.get("3P", []) if m.status == MatchStatus.DONE), None)
    if third is not None and third.winner and third.loser:  # done: both sides known
        ordered.extend([[third.winner], [third.loser]])
    return ordered


def _knocked_out(by_bracket: Mapping[str, list[Match]], placed: set[str]) -> list[list[str]]:
    """The places after the medallists: the losers of the bracket where a loss ends the run (the losers' bracket
    when there is one), latest round first; those knocked out in the same round share a place."""
    eliminating = "L" if "L" in by_bracket else "W"
    rounds: dict[int, list[str]] = {}
    for match in by_bracket[eliminating]:
        if match.loser and match.loser not in placed:
            rounds.setdefault(match.round, []).append(match.loser)
    ordered: list[list[str]] = []
    for round_ in sorted(rounds, reverse=True):
        ordered.append(sorted(set(rounds[round_]) - placed))
        placed.update(rounds[round_])
    return ordered


def placings(matches: Mapping[str, Match]) -> list[tuple[int, str]]:
    """Final places of a finished (or partly finished) elimination stage, best first, as (place, entry).

    The champion and runner-up come from the last final (a grand-final reset if it was played, else the first
    grand final, else the winners' final); with a third-place match its winner and loser are 3rd and 4th.
    Everyone else is placed by how far they got: entries knocked out in the same round share a place."""
    by_bracket: dict[str, list[Match]] = {}
    for match in matches.values():
        by_bracket.setdefault(match.bracket, []).append(match)
    if not by_bracket.get("W"):
        return []
    ordered = _medallists(by_bracket)
    ordered += _knocked_out(by_bracket, {entry for group in ordered for entry in group})
    result: list[tuple[int, str]] = []
    place = 1
    for group in ordered:
        result.extend((place, entry) for entry in group)
        place += len(group)
    return result
