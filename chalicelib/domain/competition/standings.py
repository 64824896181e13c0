"""Group tables (积分榜) with ordered tie-break rules, and the reason behind every place.

A table ranks the listed entries on the DONE matches among them (byes and void matches do not count). Each
criterion gives every entry a figure, higher is better; ties on one criterion go to the next. How ties go down the
list depends on the sport's regulations (``Mode``):

* ``SEQUENTIAL`` — FIVB, football, basketball, air volleyball: criteria in order over all matches. A head-to-head
  criterion counts only the matches among the entries still tied, and when it separates some of them, the run of
  head-to-head criteria starts again for those still tied, among themselves only (UEFA Regulations art. 17.01,
  FIBA Internal Regulations D.1.3, FIVB's "result of the match between the tied teams").
* ``BWF`` — badminton, individual and team (BWF General Competition Regulations, section 16 on round robins):
  matches (ties) won; two entries level are separated by the match between them; three or more go down the list
  (teams: rubber difference first, then game difference, point difference), and whenever a step leaves exactly two
  level, the match between those two decides; finally a draw of lots. ``HEAD_TO_HEAD`` in the list marks that the
  two-entry rule applies; it never ranks three or more.
* ``ITTF`` — table tennis (ITTF Handbook 3.7.5): 2 match points for a win, 1 for a loss, 0 for a walkover. Entries
  level on match points are ranked by the matches among them only: match points, then (teams) the ratio of
  individual matches won to lost, games ratio, points ratio. As soon as a step separates some, the ones still
  level start again from match points, counting only the matches among themselves (3.7.5.5). Every criterion after
  the first is counted among the tied only.

Figures. A team tie (a Result with rubbers) counts rubbers won and lost from Result.home/away, and games and points
from its rubbers; a tie given by walkover lists no rubbers and counts as a team tie when the table's other ties
are. A game-scored match (``counts_games``) counts games from Result.home/away and points from the per-game scores.
Where there are no games (football, basketball: ``counts_games=False``) Result.home/away are goals or points and
count as points: GOAL_DIFF and GOALS_FOR read the same figures as POINT_DIFF and POINTS_FOR and exist so that a
football table explains itself in football words. FAIR_PLAY counts the cards a result records
(``Result.cards``, ``Cards.fair_play``: yellow −1, indirect red −3, direct red −4, yellow and direct red −5); a
result without cards counts 0. A walkover counts as a match played and lost by the side that did
not turn up, with the games or rubbers the result credits, and earns that side ``walkover_loss``.

Ratios are compared exactly (fractions.Fraction). Anything won with nothing lost is infinite and ranks above any
finite ratio, as the FIVB treats a set ratio with no set lost. 0/0 counts as 0, level with having won nothing:
infinity must be earned by winning something, and 0/0 only arises from not having played or from walkovers.

The lot is reproducible: entries level at the end rank by ascending ``SHA-256(lot_seed + ":" + entry_id)``, the same
key as the lottery (``chalicelib.domain.lottery.draw_key``), so anyone holding the recorded seed can check it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, astuple, dataclass
from enum import StrEnum
from fractions import Fraction
from functools import cache
from itertools import pairwise
from math import inf
from typing import Any, NamedTuple

from chalicelib.domain.competition.model import (
    AWAY,
    HOME,
    Cards,
    CompetitionError,
    Match,
    MatchStatus,
    Outcome,
    Result,
)
from chalicelib.domain.language import N_
from chalicelib.domain.lottery import draw_key


class StandingsError(CompetitionError):
    """A table cannot be worked out from these matches and rules."""


class Criterion(StrEnum):
    MATCH_POINTS = "match_points"
    WINS = "wins"
    HEAD_TO_HEAD = "head_to_head"  # match points in the matches among the tied only
    HEAD_TO_HEAD_GOAL_DIFF = "head_to_head_goal_diff"
    HEAD_TO_HEAD_GOALS_FOR = "head_to_head_goals_for"
    RUBBER_DIFF = "rubber_diff"
    RUBBER_RATIO = "rubber_ratio"
    GAME_DIFF = "game_diff"
    GAME_RATIO = "game_ratio"
    POINT_DIFF = "point_diff"
    POINT_RATIO = "point_ratio"
    POINTS_FOR = "points_for"
    GOAL_DIFF = "goal_diff"
    GOALS_FOR = "goals_for"
    FAIR_PLAY = "fair_play"  # cards: yellow −1, indirect red −3, direct red −4, yellow and direct red −5
    LOT = "lot"


HEAD_TO_HEAD_CRITERIA = frozenset(
    {Criterion.HEAD_TO_HEAD, Criterion.HEAD_TO_HEAD_GOAL_DIFF, Criterion.HEAD_TO_HEAD_GOALS_FOR}
)

# A criterion in words, for the sentences that explain a tie-break.
CRITERION_LABELS: dict[Criterion, str] = {
    Criterion.MATCH_POINTS: N_("competition.criterion.match_points"),
    Criterion.WINS: N_("competition.criterion.wins"),
    Criterion.HEAD_TO_HEAD: N_("competition.criterion.head_to_head"),
    Criterion.HEAD_TO_HEAD_GOAL_DIFF: N_("competition.criterion.head_to_head_goal_diff"),
    Criterion.HEAD_TO_HEAD_GOALS_FOR: N_("competition.criterion.head_to_head_goals_for"),
    Criterion.RUBBER_DIFF: N_("competition.criterion.rubber_diff"),
    Criterion.RUBBER_RATIO: N_("competition.criterion.rubber_ratio"),
    Criterion.GAME_DIFF: N_("competition.criterion.game_diff"),
    Criterion.GAME_RATIO: N_("competition.criterion.game_ratio"),
    Criterion.POINT_DIFF: N_("competition.criterion.point_diff"),
    Criterion.POINT_RATIO: N_("competition.criterion.point_ratio"),
    Criterion.POINTS_FOR: N_("competition.criterion.points_for"),
    Criterion.GOAL_DIFF: N_("competition.criterion.goal_diff"),
    Criterion.GOALS_FOR: N_("competition.criterion.goals_for"),
    Criterion.FAIR_PLAY: N_("competition.criterion.fair_play"),
    Criterion.LOT: N_("competition.criterion.lot"),
}


class Mode(StrEnum):
    SEQUENTIAL = "sequential"
    BWF = "bwf"
    ITTF = "ittf"


class PointsScheme(NamedTuple):
    """Match points for a result. ``deciding_game``, when set, replaces win/loss for a win by one game after the
    loser won at least one (FIVB: 3–2 gives 2 and 1 instead of 3 and 0)."""

    win: int
    loss: int = 0
    draw: int = 0
    walkover_loss: int = 0
    deciding_game: tuple[int, int] | None = None  # (winner, loser)


@dataclass(frozen=True)
class TieBreakRules:
    criteria: tuple[Criterion, ...]
    points: PointsScheme
    mode: Mode = Mode.SEQUENTIAL
    counts_games: bool = True  # False: Result.home/away are goals or points (football, basketball)
    label: str = ""  # message id of the preset's name ("": none); a page shows ``translate(rules.label, language)``

    def __post_init__(self) -> None:
        criteria = self.criteria
        if not criteria:
            raise StandingsError("no_criteria", "A table needs at least one ranking criterion.")
        if len(set(criteria)) != len(criteria):
            raise StandingsError("duplicate_criterion", "A criterion is listed twice.")
        if Criterion.LOT in criteria[:-1]:
            raise StandingsError("lot_not_last", "The drawing of lots can only be the last criterion.")
        if criteria[0] in HEAD_TO_HEAD_CRITERIA or criteria[0] == Criterion.LOT:
            raise StandingsError("bad_first_criterion", "The first criterion must rank the whole table.")

    def to_dict(self) -> dict[str, Any]:
        data = {**asdict(self), "points": self.points._asdict()}
        data["points"]["deciding_game"] = list(self.points.deciding_game) if self.points.deciding_game else None
        return {**data, "criteria": [str(criterion) for criterion in self.criteria], "mode": str(self.mode)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TieBreakRules:
        try:
            points = dict(data["points"])
            deciding_game = points.pop("deciding_game", None)
            scheme = PointsScheme(**points, deciding_game=tuple(deciding_game) if deciding_game else None)
            criteria = tuple(Criterion(criterion) for criterion in data["criteria"])
            mode = Mode(data.get("mode", Mode.SEQUENTIAL))
        except (KeyError, TypeError, ValueError) as error:
            raise StandingsError("bad_rules", f"Unreadable tie-break rules: {error}.") from error
        return cls(
            criteria=criteria,
            points=scheme,
            mode=mode,
            counts_games=bool(data.get("counts_games", True)),
            label=str(data.get("label", "")),
        )


_C = Criterion
# Football's comparison among the teams level only: their points, goal difference and goals scored in the matches
# between them (FIFA and UEFA order them differently against the overall figures, never among themselves).
_HEAD_TO_HEAD_GOALS = (_C.HEAD_TO_HEAD, _C.HEAD_TO_HEAD_GOAL_DIFF, _C.HEAD_TO_HEAD_GOALS_FOR)
PRESETS: dict[str, TieBreakRules] = {
    "badminton": TieBreakRules(
        (_C.WINS, _C.HEAD_TO_HEAD, _C.GAME_DIFF, _C.POINT_DIFF, _C.LOT),
        PointsScheme(win=1),
        Mode.BWF,
        label=N_("competition.tiebreak.badminton"),
    ),
    "badminton_team": TieBreakRules(
        (_C.WINS, _C.HEAD_TO_HEAD, _C.RUBBER_DIFF, _C.GAME_DIFF, _C.POINT_DIFF, _C.LOT),
        PointsScheme(win=1),
        Mode.BWF,
        label=N_("competition.tiebreak.badminton_team"),
    ),
    "table_tennis": TieBreakRules(
        (_C.MATCH_POINTS, _C.HEAD_TO_HEAD, _C.RUBBER_RATIO, _C.GAME_RATIO, _C.POINT_RATIO, _C.LOT),
        PointsScheme(win=2, loss=1, walkover_loss=0),
        Mode.ITTF,
        label=N_("competition.tiebreak.table_tennis"),
    ),
    "volleyball": TieBreakRules(
        (_C.WINS, _C.MATCH_POINTS, _C.GAME_RATIO, _C.POINT_RATIO, _C.HEAD_TO_HEAD, _C.LOT),
        PointsScheme(win=3, loss=0, walkover_loss=0, deciding_game=(2, 1)),
        label=N_("competition.tiebreak.volleyball"),
    ),
    "air_volleyball": TieBreakRules(
        (_C.MATCH_POINTS, _C.POINT_RATIO, _C.GAME_RATIO, _C.HEAD_TO_HEAD, _C.LOT),
        PointsScheme(win=2, loss=1, walkover_loss=0),
        label=N_("competition.tiebreak.air_volleyball"),
    ),
    # FIFA World Cup 2026 Regulations, art. 13: points; among the teams level, head-to-head points, goal difference
    # and goals scored (again among those still level); then goal difference and goals scored in all group matches;
    # fair-play points; then (instead of FIFA's world ranking, which a union's tournament has not) a drawing of lots.
    "football_fifa": TieBreakRules(
        (
            _C.MATCH_POINTS,
            *_HEAD_TO_HEAD_GOALS,
            _C.GOAL_DIFF,
            _C.GOALS_FOR,
            _C.FAIR_PLAY,
            _C.LOT,
        ),
        PointsScheme(win=3, draw=1),
        counts_games=False,
        label=N_("competition.tiebreak.football_fifa"),
    ),
    # FIFA World Cup 2018 and 2022 Regulations (2018: art. 32.5): points, goal difference, goals scored in all
    # group matches; then among the teams level, head-to-head points, goal difference, goals scored; fair-play
    # points; a drawing of lots.
    "football_fifa_2022": TieBreakRules(
        (
            _C.MATCH_POINTS,
            _C.GOAL_DIFF,
            _C.GOALS_FOR,
            *_HEAD_TO_HEAD_GOALS,
            _C.FAIR_PLAY,
            _C.LOT,
        ),
        PointsScheme(win=3, draw=1),
        counts_games=False,
        label=N_("competition.tiebreak.football_fifa_2022"),
    ),
    "football_uefa": TieBreakRules(
        (
            _C.MATCH_POINTS,
            *_HEAD_TO_HEAD_GOALS,
            _C.GOAL_DIFF,
            _C.GOALS_FOR,
            _C.LOT,
        ),
        PointsScheme(win=3, draw=1),
        counts_games=False,
        label=N_("competition.tiebreak.football_uefa"),
    ),
    "basketball": TieBreakRules(
        (_C.MATCH_POINTS, _C.HEAD_TO_HEAD, _C.POINT_DIFF, _C.POINTS_FOR, _C.LOT),
        PointsScheme(win=2, loss=1, walkover_loss=0),
        counts_games=False,
        label=N_("competition.tiebreak.basketball"),
    ),
}


@dataclass(frozen=True)
class Figures:
    """What an entry did in a set of matches."""

    played: int = 0
    won: int = 0
    drawn: int = 0
    lost: int = 0
    walkovers_lost: int = 0
    match_points: int = 0
    rubbers_for: int = 0
    rubbers_against: int = 0
    games_for: int = 0
    games_against: int = 0
    points_for: int = 0
    points_against: int = 0
    fair_play: int = 0  # 0 or less: cards (Cards.fair_play)

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(mine + theirs for mine, theirs in zip(astuple(self), astuple(other), strict=True)))


class TieReason(NamedTuple):
    """Why an entry is ranked right above ``against``: ``rule`` separated them when ``among`` (listed in final order)
    were level on everything before it. ``among_tied_only``: the rule counted only the matches among ``among``.
    ``value``/``against_value`` are the two figures for display ("+5", "∞", "1.250"; a lot shows its key's start)."""

    rule: Criterion
    against: str
    among: tuple[str, ...]
    value: str
    against_value: str
    among_tied_only: bool


class Standing(NamedTuple):
    entry_id: str
    rank: int
    played: int
    won: int
    drawn: int
    lost: int
    walkovers_lost: int
    match_points: int
    rubbers_for: int
    rubbers_against: int
    games_for: int
    games_against: int
    points_for: int
    points_against: int
    fair_play: int
    reason: TieReason | None  # None: simply ahead on the first criterion, or last


def shows_fair_play(rules: TieBreakRules, rows: Iterable[Standing]) -> bool:
    """Whether a table shows its fair-play points (cards): when its tie-break order uses them, or once any card
    was entered (a table, the workbook's standings sheet)."""
    return Criterion.FAIR_PLAY in rules.criteria or any(row.fair_play for row in rows)


def standings(
    entry_ids: Sequence[str], matches: Iterable[Match], rules: TieBreakRules, lot_seed: str
) -> list[Standing]:
    """The table of ``entry_ids``, best first, every rank distinct."""
    entries = tuple(entry_ids)
    if len(set(entries)) != len(entries):
        raise StandingsError("duplicate_entry", "An entry is listed twice in the table.")
    if not entries:
        return []
    listed = set(entries)
    counted = [
        match
        for match in matches
        if match.status == MatchStatus.DONE
        and match.home.entry in listed
        and match.away.entry in listed
        and match.home.entry != match.away.entry
    ]
    for match in counted:
        if match.result is None:
            raise StandingsError("result_missing", f"Match {match.match_id} is done but has no result.")
    table = _Table(rules, counted, lot_seed, frozenset(entries))
    order, reasons = table.resolve(entries, 0, tied=False)
    overall = table.figures(table.everyone)
    return [
        Standing(entry_id=entry, rank=rank, reason=reason, **asdict(overall[entry]))
        for rank, (entry, reason) in enumerate(zip(order, [*reasons, None], strict=True), start=1)
    ]


Value = int | Fraction | float  # float only for infinity

_MEASURES: dict[Criterion, Callable[[Figures], Value]] = {
    Criterion.MATCH_POINTS: lambda f: f.match_points,
    Criterion.WINS: lambda f: f.won,
    Criterion.HEAD_TO_HEAD: lambda f: f.match_points,
    Criterion.HEAD_TO_HEAD_GOAL_DIFF: lambda f: f.points_for - f.points_against,
    Criterion.HEAD_TO_HEAD_GOALS_FOR: lambda f: f.points_for,
    Criterion.RUBBER_DIFF: lambda f: f.rubbers_for - f.rubbers_against,
    Criterion.RUBBER_RATIO: lambda f: _ratio(f.rubbers_for, f.rubbers_against),
    Criterion.GAME_DIFF: lambda f: f.games_for - f.games_against,
    Criterion.GAME_RATIO: lambda f: _ratio(f.games_for, f.games_against),
    Criterion.POINT_DIFF: lambda f: f.points_for - f.points_against,
    Criterion.POINT_RATIO: lambda f: _ratio(f.points_for, f.points_against),
    Criterion.POINTS_FOR: lambda f: f.points_for,
    Criterion.GOAL_DIFF: lambda f: f.points_for - f.points_against,
    Criterion.GOALS_FOR: lambda f: f.points_for,
    Criterion.FAIR_PLAY: lambda f: f.fair_play,
}
_DIFFERENCES = frozenset({_C.HEAD_TO_HEAD_GOAL_DIFF, _C.RUBBER_DIFF, _C.GAME_DIFF, _C.POINT_DIFF, _C.GOAL_DIFF})
_CARDS_NONE = (Cards(), Cards())


def _ratio(won: int, lost: int) -> Value:
    if lost:
        return Fraction(won, lost)
    return inf if won else Fraction(0)


def _display(criterion: Criterion, value: Value) -> str:
    if value == inf:
        return "∞"
    if isinstance(value, Fraction):
        return f"{float(value):.3f}"
    if criterion in _DIFFERENCES and value:
        return f"{value:+d}"
    return str(value)


class _Table:
    """Ranks groups of entries, recursively, as the rules' mode says."""

    def __init__(self, rules: TieBreakRules, matches: list[Match], lot_seed: str, everyone: frozenset[str]) -> None:
        self.rules = rules
        self.criteria = rules.criteria if rules.criteria[-1] == Criterion.LOT else (*rules.criteria, Criterion.LOT)
        results = [(match.home.entry, match.away.entry, match.result) for match in matches if match.result]
        # A tie given by walkover lists no rubbers: it is a team tie because the table's other ties are.
        team_ties = any(result.rubbers for _, _, result in results)
        self.sides = [
            (home, away, _side(result, HOME, rules, team_ties), _side(result, AWAY, rules, team_ties))
            for home, away, result in results
        ]
        self.lot_seed = lot_seed
        self.everyone = everyone
        self.figures = cache(self._figures)

    def _figures(self, group: frozenset[str]) -> dict[str, Figures]:
        """Every entry's figures over the matches played within ``group``."""
        totals = dict.fromkeys(group, Figures())
        for home, away, home_figures, away_figures in self.sides:
            if home in group and away in group:
                totals[home] += home_figures
                totals[away] += away_figures
        return totals

    def resolve(self, group: Sequence[str], start: int, tied: bool) -> tuple[list[str], list[TieReason | None]]:
        """``group`` in order, and for each entry but the last the reason it is above the next. ``start``: the first
        criterion still to apply; ``tied``: the group is level on something already (False for the whole table)."""
        if len(group) == 1:
            return [group[0]], []
        bwf = self.rules.mode == Mode.BWF
        two_entry_rule = bwf and len(group) == 2 and Criterion.HEAD_TO_HEAD in self.criteria
        for index in range(start, len(self.criteria)):
            criterion = self.criteria[index]
            if two_entry_rule and (tied or index > 0):
                two_entry_rule = False
                buckets, values = self._split(group, Criterion.HEAD_TO_HEAD, among_tied_only=True)
                if len(buckets) > 1:
                    return self._join(Criterion.HEAD_TO_HEAD, True, buckets, values, index, explained=True)
            if criterion == Criterion.LOT:
                break
            if bwf and criterion == Criterion.HEAD_TO_HEAD:
                continue  # it only ever separates two, just above
            separated = self._separate(group, index, tied)
            if separated is not None:
                return separated
        return self._by_lot(group)

    def _separate(
        self, group: Sequence[str], index: int, tied: bool
    ) -> tuple[list[str], list[TieReason | None]] | None:
        """``group`` resolved from ``criteria[index]`` on, or None if that criterion leaves them all level."""
        criterion = self.criteria[index]
        among_tied_only = criterion in HEAD_TO_HEAD_CRITERIA or (self.rules.mode == Mode.ITTF and index > 0)
        buckets, values = self._split(group, criterion, among_tied_only)
        if len(buckets) == 1:
            return None
        # Being ahead on the table's first criterion needs no explanation.
        explained = tied or index > 0
        return self._join(criterion, among_tied_only, buckets, values, self._next_start(index), explained)

    def _next_start(self, index: int) -> int:
        """Where the entries still level after ``criteria[index]`` separated some of them carry on."""
        if self.rules.mode == Mode.ITTF:
            return 1  # from match points again, among the ones still level only
        if self.rules.mode == Mode.SEQUENTIAL and self.criteria[index] in HEAD_TO_HEAD_CRITERIA:
            while index > 0 and self.criteria[index - 1] in HEAD_TO_HEAD_CRITERIA:
                index -= 1
            return index  # the head-to-head run again, among the ones still level only
        return index + 1

    def _split(
        self, group: Sequence[str], criterion: Criterion, among_tied_only: bool
    ) -> tuple[list[list[str]], dict[str, Value]]:
        """``group`` in buckets of equal ``criterion``, best first, and each entry's value."""
        figures = self.figures(frozenset(group) if among_tied_only else self.everyone)
        values = {entry: _MEASURES[criterion](figures[entry]) for entry in group}
        levels = sorted(set(values.values()), reverse=True)
        return [[entry for entry in group if values[entry] == level] for level in levels], values

    def _join(
        self,
        criterion: Criterion,
        among_tied_only: bool,
        buckets: list[list[str]],
        values: dict[str, Value],
        next_start: int,
        explained: bool,
    ) -> tuple[list[str], list[TieReason | None]]:
        """The buckets' entries in order, each bucket resolved in turn; ``criterion`` is the reason at the boundaries
        between buckets (when ``explained``)."""
        order: list[str] = []
        reasons: list[TieReason | None] = []
        boundaries = []
        for bucket in buckets:
            bucket_order, bucket_reasons = self.resolve(bucket, next_start, tied=True)
            if order:
                if explained:
                    boundaries.append(len(reasons))
                reasons.append(None)
            order += bucket_order
            reasons += bucket_reasons
        for boundary in boundaries:
            above, below = order[boundary], order[boundary + 1]
            reasons[boundary] = TieReason(
                rule=criterion,
                against=below,
                among=tuple(order),
                value=_display(criterion, values[above]),
                against_value=_display(criterion, values[below]),
                among_tied_only=among_tied_only,
            )
        return order, reasons

    def _by_lot(self, group: Sequence[str]) -> tuple[list[str], list[TieReason | None]]:
        keys = {entry: draw_key(self.lot_seed, entry) for entry in group}
        order = sorted(group, key=keys.__getitem__)
        reasons: list[TieReason | None] = [
            TieReason(
                rule=Criterion.LOT,
                against=below,
                among=tuple(order),
                value=keys[above][:8],
                against_value=keys[below][:8],
                among_tied_only=False,
            )
            for above, below in pairwise(order)
        ]
        return order, reasons


def _side(result: Result, side: str, rules: TieBreakRules, team_ties: bool) -> Figures:
    """One side's figures from one match; ``team_ties``: the table's matches are team ties."""
    mine, theirs = (result.home, result.away) if side == HOME else (result.away, result.home)
    won, drawn = result.winner == side, result.winner is None
    walkover_lost = not won and not drawn and result.outcome == Outcome.WALKOVER
    games = points = rubbers = (0, 0)
    if team_ties:
        rubbers = (mine, theirs)
        games = _sum_pairs(_oriented(rubber.home, rubber.away, side) for rubber in result.rubbers)
        points = _sum_pairs(_oriented(*game, side) for rubber in result.rubbers for game in rubber.games)
    elif rules.counts_games:
        games, points = (mine, theirs), _sum_pairs(_oriented(*game, side) for game in result.games)
    else:
        points = (mine, theirs)
    return Figures(
        played=1,
        won=int(won),
        drawn=int(drawn),
        lost=int(not won and not drawn),
        walkovers_lost=int(walkover_lost),
        match_points=_match_points(rules.points, won, drawn, walkover_lost, mine, theirs),
        rubbers_for=rubbers[0],
        rubbers_against=rubbers[1],
        games_for=games[0],
        games_against=games[1],
        points_for=points[0],
        points_against=points[1],
        fair_play=(result.cards or _CARDS_NONE)[0 if side == HOME else 1].fair_play,
    )


def _oriented(home: int, away: int, side: str) -> tuple[int, int]:
    return (home, away) if side == HOME else (away, home)


def _sum_pairs(pairs: Iterable[tuple[int, int]]) -> tuple[int, int]:
    mine = theirs = 0
    for for_, against in pairs:
        mine, theirs = mine + for_, theirs + against
    return mine, theirs


def _match_points(scheme: PointsScheme, won: bool, drawn: bool, walkover_lost: bool, mine: int, theirs: int) -> int:
    if drawn:
        return scheme.draw
    if walkover_lost:
        return scheme.walkover_loss
    winner_games, loser_games = (mine, theirs) if won else (theirs, mine)
    if scheme.deciding_game is not None and loser_games >= 1 and winner_games - loser_games == 1:
        return scheme.deciding_game[0 if won else 1]
    return scheme.win if won else scheme.loss
