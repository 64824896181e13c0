"""A tournament day as the hall and the players see it: what is on a court now and next, a court's order of play, an
entry's own fixtures and its next match.

Everything works from the matches as read (their ``court`` and ``starts_at``, however they were scheduled) and a
moment given by the caller: pure, no storage, no clock. A match is *to play* while it is ready or still waiting for
a side (a knockout match whose sides come later); a bye or a void match is never played, and a done one is over.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.competition.model import Match, MatchStatus

NEXT_COUNT = 2  # how many matches a court board lists after the one being played
_TO_PLAY = frozenset({MatchStatus.READY, MatchStatus.WAITING})
_NOT_PLAYED = frozenset({MatchStatus.BYE, MatchStatus.VOID})
_DIGITS = re.compile(r"(\d+)")


def start_of(match: Match) -> datetime | None:
    """When a match starts, with its time zone (a time written without one is China time); None when unscheduled."""
    if not match.starts_at:
        return None
    moment = datetime.fromisoformat(match.starts_at)
    return moment if moment.tzinfo else moment.replace(tzinfo=CHINA_TZ)


def _time_order(match: Match) -> tuple[bool, datetime]:
    start = start_of(match)
    return (start is None, start or datetime.min.replace(tzinfo=CHINA_TZ))


def in_time_order(matches: Iterable[Match]) -> list[Match]:
    """The matches that are played (byes and void matches left out), earliest first, unscheduled ones last; matches
    at the same time (or unscheduled) keep the order given (the service's: stage by stage, round by round)."""
    return sorted((m for m in matches if m.status not in _NOT_PLAYED), key=_time_order)


def court_key(court: str) -> tuple[tuple[int, int | str], ...]:
    """Courts in the order people count them: 2号场 before 10号场, Court 9 before Court 10."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in _DIGITS.split(court) if part)


def courts(matches: Iterable[Match]) -> list[str]:
    """Every court a played match is on, in counting order."""
    return sorted({m.court for m in matches if m.court and m.status not in _NOT_PLAYED}, key=court_key)


class CourtBoard(NamedTuple):
    """A court at a moment: the match being played (None between matches), the next ones, and the last result."""

    court: str
    now: Match | None
    next: tuple[Match, ...]
    last: Match | None


def court_board(matches: Iterable[Match], court: str, at: datetime, upcoming: int = NEXT_COUNT) -> CourtBoard:
    """What a court's screen shows at ``at``. *Now playing* is the earliest ready match on the court whose start has
    come (its result not entered yet: the referee enters it when it ends); *next* are the court's following matches
    to play, earliest first, ready or still waiting for a side; *last* is the court's latest finished match."""
    on_court = in_time_order(m for m in matches if m.court == court)
    started = [m for m in on_court if m.status == MatchStatus.READY and (start := start_of(m)) and start <= at]
    playing = started[0] if started else None
    to_play = [m for m in on_court if m.status in _TO_PLAY and m is not playing]
    done = [m for m in on_court if m.status == MatchStatus.DONE]
    return CourtBoard(court, playing, tuple(to_play[:upcoming]), done[-1] if done else None)


def order_of_play(matches: Iterable[Match]) -> list[tuple[str, list[Match]]]:
    """Each court with its matches in time order (byes and void matches left out), courts in counting order;
    matches without a court are not on the order of play."""
    played = in_time_order(m for m in matches if m.court)
    return [(court, [m for m in played if m.court == court]) for court in courts(played)]


def entry_matches(matches: Iterable[Match], entry_id: str) -> list[Match]:
    """Every match an entry plays (or has played), in time order."""
    return in_time_order(m for m in matches if entry_id in m.entries)


def next_match(matches: Sequence[Match], entry_id: str) -> Match | None:
    """The entry's next match: its earliest match still to play (a late one first), or None when it has none."""
    return next((m for m in entry_matches(matches, entry_id) if m.status in _TO_PLAY), None)
