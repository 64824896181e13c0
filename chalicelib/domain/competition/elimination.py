"""Knockout brackets built from a drawn line (see ``draws.draw_bracket``): single and double elimination.

Only the structure is built here: which match sends its winner (and, in double elimination, its loser) where.
Moving entries along it, byes included, is ``progress``'s job.

Single elimination: position 2k-1 meets 2k in round 1, and the winners of matches 2k-1 and 2k meet in the next round,
so the draw's halves and quarters stay apart until the final and the semi-finals. An optional third-place match
(bronze match) pairs the semi-final losers.

Double elimination follows the usual structure (as brackets-manager.js builds it): the losers' bracket (LB) starts
with the losers of winners'-bracket (WB) round 1 in pairs; then a *minor* round, where LB survivors meet the losers
dropping from the next WB round, alternates with a *major* round, where LB survivors play each other, until the
LB final, in which the last LB survivor meets the loser of the WB final.

The order in which losers drop in decides how soon two entries can meet a second time. The losers of WB round 2
drop in reversed order, those of round 3 with the halves swapped, those of round 4 with each half reversed, and later
ones with neighbours swapped. This is brackets-manager.js's set of orders, in the combination that, of all
combinations of them (checked for 8 to 256 entries), makes the first possible rematch in the LB come latest: not
before LB round 3 with 8 entries, 4 with 16, 5 with 32, 7 with 64, 8 with 128 and 9 with 256 (with 4 entries the
LB final, round 2, can be a rematch: that cannot be helped).

The WB champion and the LB champion then meet in a grand final, played once, or with a reset (a second final) that
is only needed when the LB champion wins the first; or there is no grand final and the WB champion wins outright.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from chalicelib.domain.competition.model import BYE, CompetitionError, Match, Slot, loser_of, new_match, winner_of

WINNERS, LOSERS, GRAND_FINAL, THIRD_PLACE = "W", "L", "GF", "3P"


class BracketError(CompetitionError):
    """A bracket cannot be made from these entries."""


class GrandFinal(StrEnum):
    NONE = "none"  # the WB champion wins; the LB champion is second
    SINGLE = "single"  # one final between the WB and LB champions
    RESET = "reset"  # a second final when the LB champion wins the first, so both have lost once


def round_count(size: int) -> int:
    """Rounds of a knockout of ``size`` positions (a power of two): log2(size)."""
    if size < 2 or size & (size - 1):
        raise BracketError("bad_size", f"A bracket has a power of two positions, at least 2, not {size}.")
    return size.bit_length() - 1


def round_names(bracket: str, round: int, total_rounds: int) -> str:
    """The key naming a round for the pages to translate: ``final``, ``semi_final``, ``quarter_final``,
    ``round_of_16`` (``round_of_<entries>`` further out) in the winners' bracket; ``round_<n>`` and ``final`` in the
    losers' bracket; ``grand_final`` / ``grand_final_reset``; ``third_place``; ``round_<n>`` anywhere else."""
    if not 1 <= round <= total_rounds:
        raise BracketError("bad_round", f"Round {round} is not one of rounds 1 to {total_rounds}.")
    if bracket == WINNERS:
        from_final = total_rounds - round
        return ("final", "semi_final", "quarter_final")[from_final] if from_final < 3 else f"round_of_{2 << from_final}"
    if bracket == LOSERS and round == total_rounds:
        return "final"
    if bracket == GRAND_FINAL:
        return "grand_final" if round == 1 else "grand_final_reset"
    if bracket == THIRD_PLACE:
        return "third_place"
    return f"round_{round}"


def _match_id(bracket: str, round_: int, order: int) -> str:
    return f"{bracket}{round_}-{order}"


def _winners_bracket(stage_id: str, line: Sequence[str | None]) -> list[Match]:
    rounds = round_count(len(line))
    entries = [entry for entry in line if entry is not None]
    if len(set(entries)) != len(entries):
        raise BracketError("duplicate_entry", "An entry appears twice in the draw.")
    matches = []
    for order in range(1, len(line) // 2 + 1):
        home, away = line[2 * order - 2], line[2 * order - 1]
        if home is None and away is None:
            raise BracketError("bye_against_bye", f"Positions {2 * order - 1} and {2 * order} are both byes.")
        home_slot = BYE if home is None else Slot(entry=home)
        away_slot = BYE if away is None else Slot(entry=away)
        matches.append(new_match(stage_id, _match_id(WINNERS, 1, order), WINNERS, 1, order, home_slot, away_slot))
    for round_ in range(2, rounds + 1):
        for order in range(1, (len(line) >> round_) + 1):
            home_from = winner_of(_match_id(WINNERS, round_ - 1, 2 * order - 1))
            away_from = winner_of(_match_id(WINNERS, round_ - 1, 2 * order))
            matches.append(
                new_match(stage_id, _match_id(WINNERS, round_, order), WINNERS, round_, order, home_from, away_from)
            )
    return matches


def single_elimination(stage_id: str, line: Sequence[str | None], third_place: bool = False) -> list[Match]:
    """The matches of a single-elimination bracket, round by round, top to bottom: ``W<round>-<order>``, and
    ``3P`` for the third-place match when asked for and there are semi-finals."""
    matches = _winners_bracket(stage_id, line)
    rounds = round_count(len(line))
    if third_place and rounds >= 2:
        home = loser_of(_match_id(WINNERS, rounds - 1, 1))
        away = loser_of(_match_id(WINNERS, rounds - 1, 2))
        matches.append(new_match(stage_id, THIRD_PLACE, THIRD_PLACE, rounds, 1, home, away))
    return matches


def _dropping_order(wb_round: int, order: int, count: int) -> int:
    """The WB match of round ``wb_round`` whose loser meets LB survivor ``order`` in a minor round of ``count``."""
    survivor, half = order - 1, count // 2
    if count == 1:
        dropping = 0
    elif wb_round == 2:
        dropping = count - 1 - survivor  # reversed
    elif wb_round == 3:
        dropping = (survivor + half) % count  # halves swapped
    elif wb_round == 4:
        dropping = half - 1 - survivor if survivor < half else count - 1 - survivor + half  # each half reversed
    else:
        dropping = survivor ^ 1  # neighbours swapped
    return dropping + 1


def _losers_bracket(stage_id: str, wb_rounds: int) -> list[Match]:
    matches = []

    def add(round_: int, order: int, home: Slot, away: Slot) -> None:
        matches.append(new_match(stage_id, _match_id(LOSERS, round_, order), LOSERS, round_, order, home, away))

    size = 1 << wb_rounds
    for order in range(1, size // 4 + 1):
        add(1, order, loser_of(_match_id(WINNERS, 1, 2 * order - 1)), loser_of(_match_id(WINNERS, 1, 2 * order)))
    for wb_round in range(2, wb_rounds + 1):
        minor, count = 2 * wb_round - 2, size >> wb_round
        for order in range(1, count + 1):
            dropping = loser_of(_match_id(WINNERS, wb_round, _dropping_order(wb_round, order, count)))
            add(minor, order, dropping, winner_of(_match_id(LOSERS, minor - 1, order)))
        if wb_round < wb_rounds:
            for order in range(1, count // 2 + 1):
                home = winner_of(_match_id(LOSERS, minor, 2 * order - 1))
                away = winner_of(_match_id(LOSERS, minor, 2 * order))
                add(minor + 1, order, home, away)
    return matches


def double_elimination(
    stage_id: str, line: Sequence[str | None], grand_final: GrandFinal = GrandFinal.SINGLE
) -> list[Match]:
    """The matches of a double-elimination bracket: the WB (``W<round>-<order>``), the LB (``L<round>-<order>``,
    2·(WB rounds − 1) rounds) and the grand final (``GF1``, and ``GF2`` for a reset), in that order.

    For N (a power of two) positions that makes 2N−3 matches without a grand final, 2N−2 with one and 2N−1 with a
    reset. The losers of WB bye matches are byes in the LB; ``progress`` carries them through."""
    winners = _winners_bracket(stage_id, line)
    wb_rounds = round_count(len(line))
    losers = _losers_bracket(stage_id, wb_rounds)
    wb_final = _match_id(WINNERS, wb_rounds, 1)
    # With two entries there is no LB: the WB final's loser is the LB champion.
    lb_champion = winner_of(losers[-1].match_id) if losers else loser_of(wb_final)
    finals = []
    if grand_final != GrandFinal.NONE:
        finals.append(new_match(stage_id, "GF1", GRAND_FINAL, 1, 1, winner_of(wb_final), lb_champion))
    if grand_final == GrandFinal.RESET:
        finals.append(new_match(stage_id, "GF2", GRAND_FINAL, 2, 1, loser_of("GF1"), winner_of("GF1")))
    return [*winners, *losers, *finals]
