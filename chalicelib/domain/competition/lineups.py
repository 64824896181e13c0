"""Line-ups of team ties: who plays which rubber, checked against the tie's format, the team's roster and the
competition's rules, and when the other side may see them (issue 18 item 3).

**What a line-up names.** A badminton tie names its players per rubber: one 工号 for a singles, two for a doubles
(``positions`` are then the rubbers). A table-tennis tie names a player per order letter, A, B, C for the home side
and X, Y, Z for the away side (ITTF team match systems), and each rubber's players follow from the letters: the
Swaythling tie's A–X is the home A against the away X, the Olympic tie's doubles BC–YZ the home B and C against the
away Y and Z (``positions`` are then the letters, ``rubber_players`` gives each rubber's players).

**Rules** (``lineup_problems``), each problem a message id with parameters naming the position and the player:

- every position filled, with its number of players, and no position the format does not have;
- only players on the team's roster, still active members (a player substituted off is not on the roster);
- each rubber's gender (``RubberSpec.gender``): men's events men, women's events women, mixed doubles one man and
  one woman;
- a doubles pair is two different players;
- at most ``max_rubbers`` rubbers per player (``DEFAULT_MAX_RUBBERS``: the Sudirman Cup's two for the five-rubber
  tie; one for S1/D/S2, so that a three-rubber tie is played by four players; two for the three doubles of the
  mixed team tie, since a team needs only two women and its women's and mixed doubles take three places of women);
- no player in two singles (the Thomas and Uber Cup rule), badminton formats (``LineupSettings.one_singles``);
- lettered formats: a player holds one letter only, so no player plays in two positions of a Swaythling tie;
- a rubber already played keeps its players.

**Deadline and visibility.** A line-up may be given or changed until ``deadline`` (the match's start less the
competition's minutes; a match without a start: until its result is entered). A side's line-up is shown to the
other side and the public only when both are in or the deadline has passed (``shown``); the organisers and the
referees see both always, since the referee calls the players to the table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from chalicelib.domain.competition.model import AWAY, HOME
from chalicelib.domain.competition.scoring import RubberGender, RubberSpec, TieFormat
from chalicelib.domain.competition.setup import LineupSettings
from chalicelib.domain.language import N_

MEN, WOMEN = "M", "F"  # records.Gender values

# Rubbers one player may play in a tie, by format, where the format has a limit of its own (see the module doc).
DEFAULT_MAX_RUBBERS: dict[str, int] = {"badminton_5": 2, "badminton_3": 1, "badminton_mixed_3": 2}

type Lineup = Mapping[str, tuple[str, ...]]  # position (rubber code or order letter) → 工号s


class Position(NamedTuple):
    """What a line-up fills: a rubber (``rubber`` set) or an order letter (``rubber`` None)."""

    code: str
    players: int
    gender: RubberGender = RubberGender.ANY
    rubber: RubberSpec | None = None


class Player(NamedTuple):
    """A player of the team's roster as the rules need them: ``gender`` "M" or "F"; ``active`` a member still."""

    staff_no: str
    name: str
    gender: str
    active: bool = True


class LineupRules(NamedTuple):
    max_rubbers: int | None
    one_singles: bool


@dataclass(frozen=True)
class LineupProblem:
    """``code`` a message id; ``position`` the rubber or letter it is about; ``params`` for the message."""

    code: str
    position: str
    params: dict[str, str] = field(default_factory=dict)


def lettered(fmt: TieFormat) -> bool:
    """Whether the format names its players by order letters (table tennis)."""
    return all(rubber.home_label and rubber.away_label for rubber in fmt.rubbers)


def _label(rubber: RubberSpec, side: str) -> str:
    return rubber.home_label if side == HOME else rubber.away_label


def letters(fmt: TieFormat, side: str) -> tuple[str, ...]:
    """A lettered format's order letters of one side, in order (A, B, C or X, Y, Z)."""
    return tuple(sorted({letter for rubber in fmt.rubbers for letter in _label(rubber, side)}))


def positions(fmt: TieFormat, side: str) -> tuple[Position, ...]:
    """What a side's line-up fills: its order letters (one player each), or the rubbers."""
    if lettered(fmt):
        return tuple(Position(letter, 1) for letter in letters(fmt, side))
    return tuple(Position(rubber.code, rubber.players, rubber.gender, rubber) for rubber in fmt.rubbers)


def rubber_players(fmt: TieFormat, side: str, lineup: Lineup) -> dict[str, tuple[str, ...]]:
    """Each rubber's players of one side, from the line-up (lettered formats: from the letters); rubbers the
    line-up does not fill are left out."""
    if not lettered(fmt):
        return {rubber.code: tuple(lineup[rubber.code]) for rubber in fmt.rubbers if lineup.get(rubber.code)}
    players: dict[str, tuple[str, ...]] = {}
    for rubber in fmt.rubbers:
        named = tuple(player for letter in _label(rubber, side) for player in lineup.get(letter, ()))
        if len(named) == len(_label(rubber, side)):
            players[rubber.code] = named
    return players


def rules_for(fmt: TieFormat, settings: LineupSettings | None) -> LineupRules:
    """The competition's rules for this format: its own maximum or the format's, and the one-singles rule for
    formats without letters (a Swaythling tie's letters have each player in two singles)."""
    settings = settings or LineupSettings()
    maximum = settings.max_rubbers if settings.max_rubbers is not None else DEFAULT_MAX_RUBBERS.get(fmt.code)
    return LineupRules(max_rubbers=maximum, one_singles=settings.one_singles and not lettered(fmt))


def _shape_problems(fmt: TieFormat, side: str, lineup: Lineup) -> list[LineupProblem]:
    wanted = {position.code: position for position in positions(fmt, side)}
    problems = [
        LineupProblem(N_("lineup.unknown_position"), code, {"position": code}) for code in lineup if code not in wanted
    ]
    for code, position in wanted.items():
        given = lineup.get(code, ())
        if not given:
            problems.append(LineupProblem(N_("lineup.position_missing"), code, {"position": code}))
        elif len(given) != position.players:
            problem = LineupProblem(N_("lineup.player_count"), code, {"position": code, "count": str(position.players)})
            problems.append(problem)
        elif len(set(given)) != len(given):
            problems.append(LineupProblem(N_("lineup.same_player"), code, {"position": code}))
    return problems


def _gender_problem(position: Position, players: list[Player]) -> str | None:
    genders = sorted(player.gender for player in players)
    if position.gender == RubberGender.MEN and genders != [MEN] * len(players):
        return N_("lineup.gender_men")
    if position.gender == RubberGender.WOMEN and genders != [WOMEN] * len(players):
        return N_("lineup.gender_women")
    if position.gender == RubberGender.MIXED and genders != [WOMEN, MEN]:
        return N_("lineup.gender_mixed")
    return None


def _player_problems(fmt: TieFormat, side: str, lineup: Lineup, roster: Mapping[str, Player]) -> list[LineupProblem]:
    problems = []
    for position in positions(fmt, side):
        given = lineup.get(position.code, ())
        players = []
        for staff_no in given:
            player = roster.get(staff_no)
            params = {"position": position.code, "staff_no": staff_no, "name": player.name if player else staff_no}
            if player is None:
                problems.append(LineupProblem(N_("lineup.not_rostered"), position.code, params))
            elif not player.active:
                problems.append(LineupProblem(N_("lineup.player_inactive"), position.code, params))
            else:
                players.append(player)
        gender = _gender_problem(position, players) if len(players) == position.players else None
        if gender is not None:
            problems.append(LineupProblem(gender, position.code, {"position": position.code}))
    return problems


def _name(roster: Mapping[str, Player], staff_no: str) -> str:
    player = roster.get(staff_no)
    return player.name if player else staff_no


def _letter_problems(fmt: TieFormat, side: str, lineup: Lineup, roster: Mapping[str, Player]) -> list[LineupProblem]:
    """A player in two letters, placed on the second."""
    problems = []
    held: Counter[str] = Counter()
    for letter in letters(fmt, side):
        for staff_no in lineup.get(letter, ()):
            held[staff_no] += 1
            if held[staff_no] == 2:
                params = {"position": letter, "name": _name(roster, staff_no)}
                problems.append(LineupProblem(N_("lineup.letter_twice"), letter, params))
    return problems


def _load_problems(
    fmt: TieFormat, side: str, lineup: Lineup, roster: Mapping[str, Player], rules: LineupRules
) -> list[LineupProblem]:
    """Too many rubbers for a player, a player in two singles, a player in two letters: placed on the last
    position that breaks the rule."""
    problems = _letter_problems(fmt, side, lineup, roster) if lettered(fmt) else []
    played: Counter[str] = Counter()
    singles: Counter[str] = Counter()
    spec = {rubber.code: rubber for rubber in fmt.rubbers}
    letter_of = {staff_no: letter for letter, named in lineup.items() for staff_no in named} if lettered(fmt) else {}
    for code, players in rubber_players(fmt, side, lineup).items():
        for staff_no in set(players):
            where = letter_of.get(staff_no, code)
            played[staff_no] += 1
            singles[staff_no] += int(spec[code].players == 1)
            params = {"position": where, "name": _name(roster, staff_no)}
            if rules.max_rubbers is not None and played[staff_no] == rules.max_rubbers + 1:
                params["max"] = str(rules.max_rubbers)
                problems.append(LineupProblem(N_("lineup.too_many_rubbers"), where, params))
            if rules.one_singles and spec[code].players == 1 and singles[staff_no] == 2:
                problems.append(LineupProblem(N_("lineup.two_singles"), where, params))
    return problems


def lineup_problems(
    fmt: TieFormat,
    side: str,
    lineup: Lineup,
    roster: Mapping[str, Player],
    rules: LineupRules,
    played: Mapping[str, tuple[str, ...]] | None = None,
) -> list[LineupProblem]:
    """Everything wrong with a side's line-up, at once. ``roster``: the team's players by 工号; ``played``: the
    rubbers already played with their players (rubber code → 工号s), which the line-up may not change."""
    if side not in (HOME, AWAY):
        raise ValueError(f"a side is home or away, not {side!r}")
    problems = _shape_problems(fmt, side, lineup)
    problems += _player_problems(fmt, side, lineup, roster)
    if not problems:
        problems += _load_problems(fmt, side, lineup, roster, rules)
    given = rubber_players(fmt, side, lineup)
    for code, players in (played or {}).items():
        if given.get(code) != tuple(players):
            problems.append(LineupProblem(N_("lineup.rubber_played"), code, {"position": code}))
    return problems


# ---- deadline and visibility -----------------------------------------------------------------------------------


def deadline(starts_at: datetime | None, settings: LineupSettings | None) -> datetime | None:
    """When line-ups close: the match's start less the competition's minutes; None for a match without a start
    (its line-ups close when its result is entered)."""
    if starts_at is None:
        return None
    return starts_at - timedelta(minutes=(settings or LineupSettings()).deadline_minutes)


def closed(now: datetime, closes_at: datetime | None, result_entered: bool) -> bool:
    """Whether a tie's line-ups can no longer be given or changed."""
    return result_entered or (closes_at is not None and now >= closes_at)


def shown(side: str, submitted: frozenset[str], own_sides: frozenset[str], official: bool, is_closed: bool) -> bool:
    """Whether a viewer sees a side's line-up: their own side always; the organisers and referees (``official``)
    always; anyone else (the other side, the public) once both are in or the line-ups have closed."""
    if side not in submitted:
        return False
    return official or side in own_sides or submitted >= {HOME, AWAY} or is_closed
