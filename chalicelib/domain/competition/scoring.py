"""Match formats and score validation: games to a points target, plain scores, walkovers, retirements, team ties.

**Games.** A game is over at the first rally after which a side has the target and a lead of ``win_by`` points, or
has reached the ``cap``. A final score is valid when that holds and it did not hold one rally earlier, so a game
cannot be "played on" past its end:

- Badminton (BWF Laws of Badminton, Law 7): best of 3 games to 21; at 20-all the first to a 2-point lead wins
  (7.4); at 29-all the 30th point wins (7.5). So 21–19, 22–20, 29–27, 30–28 and 30–29 are finished games; 21–20 is
  not finished; 23–20 and 30–27 cannot happen (the game was over at 22–20 and 29–27); 31–29 is over the cap.
- Table tennis (ITTF Laws 2.11 and 2.12): games to 11, at 10-all the first to a 2-point lead; best of an odd number.
- Volleyball (FIVB Official Volleyball Rules 6.2 and 6.3): sets to 25 with a 2-point lead and no cap; the deciding
  5th set to 15 with a 2-point lead, so after a long deuce a deciding set can end 25–23 (but not 25–20).
- Air volleyball (气排球, Chinese rules): best of 3 sets to 21, deciding set to 15, 2-point lead, no cap.

A best-of-N match is won by the side that first wins the majority of games. Usually play stops there
(``stop_when_decided``); some events play every game anyway, and the side with more games still wins.

**Walkovers and retirements** (``Outcome``): a walkover has no games and the winner is credited the games (or
rubbers) needed to win with 0 points; a football or basketball forfeit is scored 3–0 (FIFA Disciplinary Code) or 20–0
(FIBA Official Basketball Rules, Art. 20). Standings read ``Result.outcome`` to score walkovers their own way (the
ITTF gives 0 match points for one), so the credited figures only matter where a table shows games. In a retirement
the games so far stand, the last one may be unfinished, and the side that did not retire wins; ``home``/``away``
count completed games only.

**Team ties** are matches made of rubbers (individual matches) in a fixed order: badminton 3 or 5 rubbers of
singles and doubles; table tennis five singles A–X, B–Y, C–Z, A–Y, B–X or the Olympic format with the doubles first
(ITTF Handbook, team match systems). A tie is won by the majority of rubbers; ``home``/``away`` count rubbers won.

**How a score is shown** is part of the format: ``score_unit`` says what the numbers count (rally points inside
games, basketball points, football goals), so a football table says "goal difference" where the others say "points
difference" (FIFA competition regulations rank on goals scored and goal difference); ``game_unit`` says what a game
is called: volleyball and air volleyball play sets (FIVB rules 6.2 and 6.3), badminton and table tennis games.

``validate_result`` re-checks a Result that arrives as JSON by recomputing it from its games or rubbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from chalicelib.domain.competition.model import AWAY, CARD_KINDS, HOME, Cards, Outcome, Result
from chalicelib.domain.language import N_


class ScoreInvalid(ValueError):
    """``code`` names the problem for the service layer; ``message`` explains it. ``rubber`` (a rubber's code) and
    ``game`` (numbered from 1) say where the problem is, when it is inside a tie or a match; ``score`` is that
    game's score as given; ``reason`` is the problem inside a rubber (``code`` is then ``rubber_invalid``)."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        rubber: str | None = None,
        game: int | None = None,
        score: tuple[int, int] | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.rubber = rubber
        self.game = game
        self.score = score
        self.reason = reason
        self.others: tuple[ScoreInvalid, ...] = ()  # more problems found with this one (other rubbers)

    def in_rubber(self, number: int, spec: RubberSpec) -> ScoreInvalid:
        """This problem of a rubber's play as a problem of the tie: ``rubber_invalid`` in rubber ``number``."""
        return ScoreInvalid(
            "rubber_invalid",
            f"rubber {number} ({spec.code}): {self.message}",
            rubber=spec.code,
            game=self.game,
            score=self.score,
            reason=self.reason or self.code,
        )


class ScoreUnit(StrEnum):
    """What the numbers of a score count, so that a page words a score difference in the sport's own terms."""

    POINTS = "points"
    GOALS = "goals"


class GameUnit(StrEnum):
    """What a format calls its games."""

    GAMES = "games"
    SETS = "sets"


class _Named:
    """A preset's name is a message id with parameters: a page or the API shows
    ``translate(fmt.name, language, **fmt.name_params())``."""

    name: str

    def name_params(self) -> dict[str, str]:
        return {}


@dataclass(frozen=True)
class GameFormat(_Named):
    """Best of ``best_of`` games (sets) to ``points`` with a lead of ``win_by``; at ``cap`` (None: no cap) the first
    side to reach it wins. ``deciding_points`` is the target of the last possible game (None: the same target)."""

    code: str
    name: str  # message id (chalicelib.i18n)
    best_of: int
    points: int
    win_by: int = 2
    cap: int | None = None
    deciding_points: int | None = None
    stop_when_decided: bool = True
    game_unit: GameUnit = GameUnit.GAMES

    def __post_init__(self) -> None:
        # An even best_of could end level when every game is played, and a match needs a winner.
        if self.best_of < 1 or self.best_of % 2 == 0:
            raise ScoreInvalid("format_invalid", f"{self.code}: best_of must be an odd number, not {self.best_of}")
        if self.points < 1 or self.win_by < 1 or (self.deciding_points is not None and self.deciding_points < 1):
            raise ScoreInvalid("format_invalid", f"{self.code}: targets and the winning lead must be at least 1")
        if self.cap is not None and self.cap <= max(self.points, self.deciding_points or 0):
            raise ScoreInvalid("format_invalid", f"{self.code}: the cap {self.cap} must be above every game's target")

    @property
    def games_to_win(self) -> int:
        return self.best_of // 2 + 1

    def target(self, deciding: bool) -> int:
        return self.deciding_points if deciding and self.deciding_points is not None else self.points

    @property
    def score_unit(self) -> ScoreUnit:
        """Games are won by rally points."""
        return ScoreUnit.POINTS


@dataclass(frozen=True)
class ScoreFormat(_Named):
    """A sport scored without games (goals, points). ``forfeit_score`` is (winner's, loser's) score of a walkover."""

    code: str
    name: str  # message id (chalicelib.i18n)
    draws_allowed: bool
    forfeit_score: tuple[int, int]
    score_unit: ScoreUnit = ScoreUnit.POINTS

    @property
    def game_unit(self) -> GameUnit:
        """No games are played; a table that shows games anyway (a game-counting tie-break) calls them games."""
        return GameUnit.GAMES


class RubberGender(StrEnum):
    """Who may play a rubber (chalicelib.domain.competition.lineups checks a line-up against it): men's and women's
    events, mixed doubles (one man and one woman), or anyone (S1/D/S2, table tennis)."""

    ANY = "any"
    MEN = "men"
    WOMEN = "women"
    MIXED = "mixed"


@dataclass(frozen=True)
class RubberSpec(_Named):
    """One rubber of a team tie. ``home_label``/``away_label`` name the players by their order letters where the
    format fixes them (table tennis A–X); badminton leaves them empty. ``gender``: who may play it."""

    code: str
    name: str  # message id (chalicelib.i18n)
    players: int
    home_label: str = ""
    away_label: str = ""
    gender: RubberGender = RubberGender.ANY

    def name_params(self) -> dict[str, str]:
        """The order letters of the players, for a name such as "Singles {home}–{away}"."""
        return {"home": self.home_label, "away": self.away_label}

    def __post_init__(self) -> None:
        if self.players not in (1, 2):
            raise ScoreInvalid(
                "format_invalid", f"rubber {self.code}: 1 (singles) or 2 (doubles) players, not {self.players}"
            )


@dataclass(frozen=True)
class TieFormat(_Named):
    code: str
    name: str  # message id (chalicelib.i18n)
    rubbers: tuple[RubberSpec, ...]
    game: GameFormat
    stop_when_decided: bool

    def __post_init__(self) -> None:
        if len(self.rubbers) % 2 == 0:
            raise ScoreInvalid("format_invalid", f"{self.code}: a tie needs an odd number of rubbers to have a winner")
        if len({rubber.code for rubber in self.rubbers}) != len(self.rubbers):
            raise ScoreInvalid("format_invalid", f"{self.code}: rubber codes must be different")

    @property
    def wins_needed(self) -> int:
        return len(self.rubbers) // 2 + 1

    @property
    def score_unit(self) -> ScoreUnit:
        """A tie's rubbers are scored like its ``game`` format."""
        return self.game.score_unit

    @property
    def game_unit(self) -> GameUnit:
        return self.game.game_unit


type MatchFormat = GameFormat | ScoreFormat | TieFormat


def _other(side: str) -> str:
    return AWAY if side == HOME else HOME


def _side(value: str | None, what: str) -> str:
    if value not in (HOME, AWAY):
        raise ScoreInvalid("no_winner", f"{what} must be 'home' or 'away', not {value!r}")
    return value


def _walkover(winner: str, winner_score: int, loser_score: int) -> Result:
    home, away = (winner_score, loser_score) if winner == HOME else (loser_score, winner_score)
    return Result(home=home, away=away, winner=winner, outcome=Outcome.WALKOVER)


# ---------------------------------------------------------------- games


def _game_over(fmt: GameFormat, target: int, leader: int, trailer: int) -> bool:
    return leader > trailer and (leader == fmt.cap or (leader >= target and leader - trailer >= fmt.win_by))


def _game_state(fmt: GameFormat, home: int, away: int, deciding: bool) -> str | None:
    """The winner of a game standing at home–away, or None while it is still in play. Raises for a score no game
    can reach: negative, over the cap, or past the rally that ended the game."""
    score = f"{home}–{away}"
    if home < 0 or away < 0:
        raise ScoreInvalid("negative_score", f"{score}: points cannot be negative")
    if fmt.cap is not None and max(home, away) > fmt.cap:
        raise ScoreInvalid("over_cap", f"{score}: a game ends when a side reaches {fmt.cap}")
    target = fmt.target(deciding)
    # The last rally went to the side ahead (either side at a level score); the game must have been on before it.
    before = (home - 1, away) if home > away else (home, away - 1)
    if home + away > 0 and _game_over(fmt, target, max(before), min(before)):
        raise ScoreInvalid("overshoot", f"{score} cannot happen: the game was over at {before[0]}–{before[1]}")
    if not _game_over(fmt, target, max(home, away), min(home, away)):
        return None
    return HOME if home > away else AWAY


def game_winner(fmt: GameFormat, home: int, away: int, deciding: bool) -> str:
    """``"home"`` or ``"away"``: who won a finished game; ``deciding`` says it is the last possible game."""
    winner = _game_state(fmt, home, away, deciding)
    if winner is None:
        target, lead = fmt.target(deciding), fmt.win_by
        raise ScoreInvalid(
            "game_not_finished",
            f"{home}–{away} is not a finished game: it takes {target} points and a {lead}-point lead",
        )
    return winner


def _retired_side(
    games: Sequence[tuple[int, int]], outcome: Outcome, retired: str | None, walkover_winner: str | None
) -> str | None:
    """The side that retired (None for a played match), checked against the outcome of a match with games."""
    if outcome == Outcome.RETIRED:
        if walkover_winner is not None:
            raise ScoreInvalid("bad_outcome", "a retirement has no walkover winner")
        side = _side(retired, "the side that retired")
        if not games:
            raise ScoreInvalid("no_games", "a retirement happens during play: give the games so far, or a walkover")
        return side
    if retired is not None or walkover_winner is not None:
        raise ScoreInvalid("bad_outcome", "a played match has no retired side and no walkover winner")
    return None


def _games_won(fmt: GameFormat, games: Sequence[tuple[int, int]], last_may_be_unfinished: bool) -> dict[str, int]:
    """Games won by each side, each game checked against the format (the last one may be unfinished after a
    retirement); with ``stop_when_decided`` no game is played after the match is decided."""
    won = {HOME: 0, AWAY: 0}
    for number, (home, away) in enumerate(games, start=1):
        if fmt.stop_when_decided and max(won.values()) >= fmt.games_to_win:
            raise ScoreInvalid(
                "played_after_decided",
                f"game {number}: the match was decided {won[HOME]}–{won[AWAY]} before it",
                game=number,
                score=(home, away),
            )
        may_be_unfinished = last_may_be_unfinished and number == len(games)
        try:
            state = _game_state if may_be_unfinished else game_winner
            game_won_by = state(fmt, home, away, number == fmt.best_of)
        except ScoreInvalid as err:
            raise ScoreInvalid(err.code, f"game {number}: {err.message}", game=number, score=(home, away)) from err
        if game_won_by is not None:
            won[game_won_by] += 1
    return won


def match_result(
    fmt: GameFormat,
    games: Sequence[tuple[int, int]],
    outcome: Outcome = Outcome.PLAYED,
    retired: str | None = None,
    walkover_winner: str | None = None,
) -> Result:
    """The result of a match played in games. PLAYED: every game finished, the match decided (and, without
    ``stop_when_decided``, every game played). WALKOVER: no games, ``walkover_winner`` wins. RETIRED: ``retired``
    stopped during play; the last game may be unfinished and the other side wins."""
    games = tuple((home, away) for home, away in games)
    if outcome == Outcome.WALKOVER:
        if retired is not None:
            raise ScoreInvalid("bad_outcome", "a walkover has no retired side")
        winner = _side(walkover_winner, "a walkover's winner")
        if games:
            raise ScoreInvalid("walkover_with_play", "a walkover has no games; record a retirement instead")
        return _walkover(winner, fmt.games_to_win, 0)
    retired = _retired_side(games, outcome, retired, walkover_winner)
    if len(games) > fmt.best_of:
        raise ScoreInvalid("too_many_games", f"{len(games)} games given; the match is best of {fmt.best_of}")
    won = _games_won(fmt, games, last_may_be_unfinished=outcome == Outcome.RETIRED)
    completed = won[HOME] + won[AWAY]
    over = max(won.values()) >= fmt.games_to_win if fmt.stop_when_decided else completed == fmt.best_of
    if outcome == Outcome.RETIRED:
        if over:
            raise ScoreInvalid("already_decided", f"the match was over at {won[HOME]}–{won[AWAY]}; nobody can retire")
        assert retired is not None  # a retirement names its side (checked above)
        return Result(home=won[HOME], away=won[AWAY], winner=_other(retired), games=games, outcome=Outcome.RETIRED)
    if not over:
        needed = f"a side to win {fmt.games_to_win}" if fmt.stop_when_decided else f"all {fmt.best_of} games played"
        # The first game still wanted is where the score form points (a 2–1 in a best-of-five final: game 4).
        raise ScoreInvalid(
            "not_decided", f"{won[HOME]}–{won[AWAY]} in games: the match needs {needed}", game=len(games) + 1
        )
    return Result(home=won[HOME], away=won[AWAY], winner=HOME if won[HOME] > won[AWAY] else AWAY, games=games)


# ---------------------------------------------------------------- scores without games


def score_result(
    fmt: ScoreFormat, home: int, away: int, outcome: Outcome = Outcome.PLAYED, walkover_winner: str | None = None
) -> Result:
    """A goals/points result. A walkover is given as 0–0 and scored with the format's forfeit score."""
    if outcome == Outcome.WALKOVER:
        winner = _side(walkover_winner, "a walkover's winner")
        if home or away:
            raise ScoreInvalid("walkover_with_play", f"a walkover has no score ({home}–{away} given)")
        return _walkover(winner, *fmt.forfeit_score)
    if outcome != Outcome.PLAYED:
        raise ScoreInvalid("bad_outcome", f"{fmt.code} has no retirements: record the score, or a walkover")
    if walkover_winner is not None:
        raise ScoreInvalid("bad_outcome", "a played match has no walkover winner")
    if home < 0 or away < 0:
        raise ScoreInvalid("negative_score", f"{home}–{away}: a score cannot be negative")
    if home == away:
        if not fmt.draws_allowed:
            raise ScoreInvalid("draw_not_allowed", f"{home}–{away}: {fmt.code} has no draws")
        return Result(home=home, away=away, winner=None)
    return Result(home=home, away=away, winner=HOME if home > away else AWAY)


# ---------------------------------------------------------------- team ties


def tie_result(fmt: TieFormat, rubbers: Sequence[Result | None]) -> Result:
    """A team tie's result from one entry per rubber in order (None: not played). Each rubber is checked against
    the tie's game format. With ``stop_when_decided`` the rubbers after the decision are not played; without it,
    all are. Result.rubbers holds the played rubbers, in order."""
    if len(rubbers) != len(fmt.rubbers):
        raise ScoreInvalid("rubber_count", f"{fmt.code} has {len(fmt.rubbers)} rubbers; {len(rubbers)} given")
    won = {HOME: 0, AWAY: 0}
    played: list[Result] = []
    for number, (spec, rubber) in enumerate(zip(fmt.rubbers, rubbers, strict=True), start=1):
        where = f"rubber {number} ({spec.code})"  # the engine's own words; people see FIELD_MESSAGES
        decided = max(won.values()) >= fmt.wins_needed
        if rubber is None:
            if decided and fmt.stop_when_decided:
                continue
            if any(later is not None for later in rubbers[number:]):
                raise ScoreInvalid("rubber_missing", f"{where} was not played but later ones were", rubber=spec.code)
            needed = f"a side to win {fmt.wins_needed}" if fmt.stop_when_decided else "every rubber played"
            raise ScoreInvalid(
                "not_decided",
                f"{where} not played: {won[HOME]}–{won[AWAY]} and the tie needs {needed}",
                rubber=spec.code,
            )
        if decided and fmt.stop_when_decided:
            raise ScoreInvalid(
                "played_after_decided",
                f"{where}: the tie was decided {won[HOME]}–{won[AWAY]} before it",
                rubber=spec.code,
            )
        try:
            checked = validate_result(fmt.game, rubber)
        except ScoreInvalid as err:
            raise err.in_rubber(number, spec) from err
        assert checked.winner is not None  # match_result gives every game-format result a winner
        won[checked.winner] += 1
        played.append(checked)
    # An odd number of rubbers, all played or stopped at the majority: one side has more.
    winner = HOME if won[HOME] > won[AWAY] else AWAY
    return Result(home=won[HOME], away=won[AWAY], winner=winner, rubbers=tuple(played))


def tie_walkover(fmt: TieFormat, winner: str | None) -> Result:
    """A whole tie given to ``winner`` without play: credited the rubbers needed to win."""
    return _walkover(_side(winner, "a walkover's winner"), fmt.wins_needed, 0)


# ---------------------------------------------------------------- stored and posted results


def validate_result(fmt: MatchFormat, result: Result) -> Result:
    """Re-check a Result (from storage or the API) against its format: recompute it from its games, score or
    rubbers and refuse it unless it is exactly what they give. Returns the recomputed Result."""
    match fmt:
        case GameFormat():
            if result.outcome == Outcome.RETIRED:
                retired = _other(_side(result.winner, "a retirement's winner"))
                expected = match_result(fmt, result.games, Outcome.RETIRED, retired=retired)
            elif result.outcome == Outcome.WALKOVER:
                expected = match_result(fmt, result.games, Outcome.WALKOVER, walkover_winner=result.winner)
            else:
                expected = match_result(fmt, result.games)
        case ScoreFormat():
            if result.outcome == Outcome.WALKOVER:
                expected = score_result(fmt, 0, 0, Outcome.WALKOVER, walkover_winner=result.winner)
            else:
                expected = score_result(fmt, result.home, result.away, result.outcome)
        case TieFormat():
            if result.outcome == Outcome.WALKOVER:
                expected = tie_walkover(fmt, result.winner)
            elif result.outcome == Outcome.RETIRED:
                raise ScoreInvalid("bad_outcome", "a team tie is not retired: record the rubber retired in")
            else:
                unplayed = len(fmt.rubbers) - len(result.rubbers)
                expected = tie_result(fmt, [*result.rubbers, *[None] * unplayed])
        case _:
            raise TypeError(f"not a match format: {fmt!r}")
    if expected != result:
        raise ScoreInvalid(
            "result_mismatch",
            f"the result says {result.home}–{result.away} (winner {result.winner}) but its play gives "
            f"{expected.home}–{expected.away} (winner {expected.winner})",
        )
    return expected


# ---------------------------------------------------------------- presets

_BADMINTON = GameFormat("badminton", N_("competition.format.badminton"), best_of=3, points=21, cap=30)
_TABLE_TENNIS = GameFormat("table_tennis", N_("competition.format.table_tennis"), best_of=5, points=11)

GAME_PRESETS: dict[str, GameFormat | ScoreFormat] = {
    fmt.code: fmt
    for fmt in (
        _BADMINTON,
        GameFormat(
            "badminton_single_game", N_("competition.format.badminton_single_game"), best_of=1, points=21, cap=30
        ),
        _TABLE_TENNIS,
        GameFormat("table_tennis_bo7", N_("competition.format.table_tennis_bo7"), best_of=7, points=11),
        GameFormat("table_tennis_bo3", N_("competition.format.table_tennis_bo3"), best_of=3, points=11),
        GameFormat(
            "volleyball",
            N_("competition.format.volleyball"),
            best_of=5,
            points=25,
            deciding_points=15,
            game_unit=GameUnit.SETS,
        ),
        GameFormat(
            "air_volleyball",
            N_("competition.format.air_volleyball"),
            best_of=3,
            points=21,
            deciding_points=15,
            game_unit=GameUnit.SETS,
        ),
        ScoreFormat(
            "football",
            N_("competition.format.football"),
            draws_allowed=True,
            forfeit_score=(3, 0),
            score_unit=ScoreUnit.GOALS,
        ),
        ScoreFormat("basketball", N_("competition.format.basketball"), draws_allowed=False, forfeit_score=(20, 0)),
    )
}


def _singles(home: str, away: str) -> RubberSpec:
    return RubberSpec(f"{home}{away}", N_("competition.rubber.singles_between"), 1, home, away)


TIE_PRESETS: dict[str, TieFormat] = {
    fmt.code: fmt
    for fmt in (
        TieFormat(
            "badminton_5",
            N_("competition.format.badminton_5"),
            (
                RubberSpec("MS", N_("competition.rubber.ms"), 1, gender=RubberGender.MEN),
                RubberSpec("WS", N_("competition.rubber.ws"), 1, gender=RubberGender.WOMEN),
                RubberSpec("MD", N_("competition.rubber.md"), 2, gender=RubberGender.MEN),
                RubberSpec("WD", N_("competition.rubber.wd"), 2, gender=RubberGender.WOMEN),
                RubberSpec("XD", N_("competition.rubber.xd"), 2, gender=RubberGender.MIXED),
            ),
            _BADMINTON,
            stop_when_decided=False,
        ),
        TieFormat(
            "badminton_3",
            N_("competition.format.badminton_3"),
            (
                RubberSpec("S1", N_("competition.rubber.s1"), 1),
                RubberSpec("D", N_("competition.rubber.d"), 2),
                RubberSpec("S2", N_("competition.rubber.s2"), 1),
            ),
            _BADMINTON,
            stop_when_decided=True,
        ),
        TieFormat(
            "badminton_mixed_3",
            N_("competition.format.badminton_mixed_3"),
            (
                RubberSpec("MD", N_("competition.rubber.md"), 2, gender=RubberGender.MEN),
                RubberSpec("WD", N_("competition.rubber.wd"), 2, gender=RubberGender.WOMEN),
                RubberSpec("XD", N_("competition.rubber.xd"), 2, gender=RubberGender.MIXED),
            ),
            _BADMINTON,
            stop_when_decided=True,
        ),
        TieFormat(
            "table_tennis_swaythling",
            N_("competition.format.table_tennis_swaythling"),
            tuple(_singles(home, away) for home, away in ("AX", "BY", "CZ", "AY", "BX")),
            _TABLE_TENNIS,
            stop_when_decided=True,
        ),
        TieFormat(
            "table_tennis_olympic",
            N_("competition.format.table_tennis_olympic"),
            (
                RubberSpec("D", N_("competition.rubber.doubles_between"), 2, "BC", "YZ"),
                *(_singles(home, away) for home, away in ("AX", "CZ", "AY", "BX")),
            ),
            _TABLE_TENNIS,
            stop_when_decided=True,
        ),
    )
}


def format_by_code(code: str) -> MatchFormat:
    """The game, score or tie preset with this code (what a stored competition config names)."""
    found = GAME_PRESETS.get(code) or TIE_PRESETS.get(code)
    if found is None:
        raise ScoreInvalid("unknown_format", f"no match format {code!r}")
    return found


def result_from_input(fmt: MatchFormat, payload: Mapping[str, Any]) -> Result:
    """A result as a referee enters it, checked against the format:

    ``{"games": [[21, 15], [19, 21], [21, 17]]}``; ``{"outcome": "walkover", "winner": "away"}``;
    ``{"outcome": "retired", "retired": "home", "games": [[21, 15], [8, 3]]}``; ``{"score": [3, 1]}`` where there
    are no games, with the cards shown where the sport has them (``{"score": [2, 2], "cards": {"home": {"yellow":
    2}, "away": {"yellow": 3}}}``, football's fair-play points); and for a team tie ``{"rubbers": [<a rubber as
    above> or null, ...]}`` or a whole-tie walkover."""
    outcome = _outcome(payload.get("outcome"))
    if payload.get("cards") and not isinstance(fmt, ScoreFormat):
        raise ScoreInvalid("cards_invalid", f"{fmt.code} has no cards: they are entered where a match has a score")
    if isinstance(fmt, TieFormat):
        if outcome == Outcome.WALKOVER:
            return tie_walkover(fmt, _side(payload.get("winner"), "a walkover's winner"))
        rubbers = payload.get("rubbers")
        if not isinstance(rubbers, list):
            raise ScoreInvalid("rubbers_missing", "a team tie is entered rubber by rubber")
        return tie_result(fmt, _rubbers_from_input(fmt, rubbers))
    if isinstance(fmt, ScoreFormat):
        score = payload.get("score") or (0, 0)
        home, away = _pair(score, "score")
        result = score_result(fmt, home, away, outcome, payload.get("winner"))
        return result._replace(cards=cards_from_input(payload.get("cards")))
    games = payload.get("games") or []
    if not isinstance(games, list):
        raise ScoreInvalid("games_invalid", "games are a list of [home, away] points")
    return match_result(
        fmt,
        [_game_from_input(number, game) for number, game in enumerate(games, start=1)],
        outcome,
        retired=payload.get("retired"),
        walkover_winner=payload.get("winner"),
    )


def cards_from_input(value: Any) -> tuple[Cards, Cards] | None:
    """The cards of a football match as entered, ``{"home": {"yellow": 2}, "away": {"direct_red": 1}}`` (each
    side's counts by kind, ``model.CARD_KINDS``, 0 where left out); None when none were entered."""
    if value is None:
        return None
    if not isinstance(value, Mapping) or set(value) - {HOME, AWAY}:
        raise ScoreInvalid("cards_invalid", "cards are given per side: home and away")
    sides = [value.get(side) or {} for side in (HOME, AWAY)]
    for counts in sides:
        if not isinstance(counts, Mapping) or set(counts) - set(CARD_KINDS):
            raise ScoreInvalid("cards_invalid", f"a side's cards are counted by kind: {', '.join(CARD_KINDS)}")
        if any(type(count) is not int or not 0 <= count <= 99 for count in counts.values()):
            raise ScoreInvalid("cards_invalid", "a count of cards is a whole number from 0 to 99")
    return Cards.from_dict(dict(sides[0])), Cards.from_dict(dict(sides[1]))


def _rubbers_from_input(fmt: TieFormat, rubbers: list[Any]) -> list[Result | None]:
    """A tie's rubbers as entered; when some are wrong, the first one's problem is raised with the others in its
    ``others``, so that every wrong rubber is shown at once."""
    parsed: list[Result | None] = []
    problems: list[ScoreInvalid] = []
    for number, rubber in enumerate(rubbers, start=1):
        try:
            parsed.append(_rubber_from_input(fmt, number, rubber))
        except ScoreInvalid as err:
            problems.append(err)
    if problems:
        problems[0].others = tuple(problems[1:])
        raise problems[0]
    return parsed


def _rubber_from_input(fmt: TieFormat, number: int, payload: Any) -> Result | None:
    """Rubber ``number`` of a tie as entered (None: not played); a problem in it names the rubber."""
    if payload is None or number > len(fmt.rubbers):  # more rubbers than the format has: tie_result says so
        return None
    if not isinstance(payload, Mapping):
        raise ScoreInvalid("rubbers_missing", "a team tie is entered rubber by rubber")
    try:
        return result_from_input(fmt.game, payload)
    except ScoreInvalid as err:
        raise err.in_rubber(number, fmt.rubbers[number - 1]) from err


def _game_from_input(number: int, value: Any) -> tuple[int, int]:
    try:
        return _pair(value, "game")
    except ScoreInvalid as err:
        raise ScoreInvalid(err.code, f"game {number}: {err.message}", game=number) from err


def _outcome(value: Any) -> Outcome:
    try:
        return Outcome(value or Outcome.PLAYED.value)
    except ValueError as problem:
        raise ScoreInvalid("bad_outcome", f"no outcome {value!r}") from problem


def _pair(value: Any, what: str) -> tuple[int, int]:
    if (
        not isinstance(value, list | tuple)
        or len(value) != 2
        or not all(isinstance(side, int) and not isinstance(side, bool) for side in value)
    ):
        raise ScoreInvalid(f"{what}_invalid", f"a {what} is two whole numbers [home, away], not {value!r}")
    return int(value[0]), int(value[1])
