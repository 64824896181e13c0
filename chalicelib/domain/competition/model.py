"""What every competition format shares: entries, the slots of a match, matches and their results.

A match has two slots, *home* and *away*. A slot either holds an entry already (drawn into it), is a bye, or waits
for the entry that another match sends it: ``W:<match_id>`` (that match's winner) or ``L:<match_id>`` (its loser).
That is all ``progress`` needs to move winners on, so every bracket shape is just a list of matches.

Everything here is immutable and converts to and from plain JSON-able dicts for storage.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NamedTuple

HOME, AWAY = "home", "away"
WINNER_OF, LOSER_OF = "W:", "L:"


class CompetitionError(ValueError):
    """A competition rule refused the input: ``code`` names the problem for the service layer, ``message`` explains
    it, ``params`` fill in the code's message (the numbers it names). Each module raises its own subclass."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params


class MatchStatus(StrEnum):
    WAITING = "waiting"  # at least one side is not known yet
    READY = "ready"  # both sides known, not played
    DONE = "done"  # result recorded
    BYE = "bye"  # one side (or both) is a bye: decided without play
    VOID = "void"  # not needed after all (a grand-final reset when the winners' side won the first final)


class Outcome(StrEnum):
    PLAYED = "played"
    WALKOVER = "walkover"  # the loser did not turn up: no games
    RETIRED = "retired"  # the loser stopped during play: the games so far stand


class Entry(NamedTuple):
    """Who competes: a member, a pair (by its lead's 工号) or a team (by its team id)."""

    entry_id: str
    name: str
    unit_id: str
    seed: int | None = None  # 1 = top seed; None = unseeded


class Slot(NamedTuple):
    entry: str | None = None  # the entry in this slot, once known
    source: str | None = None  # "W:<match_id>" / "L:<match_id>": where the entry comes from
    bye: bool = False

    @property
    def known(self) -> bool:
        return self.bye or self.entry is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            key: value for key, value in (("entry", self.entry), ("source", self.source), ("bye", self.bye)) if value
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Slot:
        return cls(entry=data.get("entry"), source=data.get("source"), bye=bool(data.get("bye")))


BYE = Slot(bye=True)


def winner_of(match_id: str) -> Slot:
    return Slot(source=f"{WINNER_OF}{match_id}")


def loser_of(match_id: str) -> Slot:
    return Slot(source=f"{LOSER_OF}{match_id}")


class Cards(NamedTuple):
    """The cards one side was shown in a match, each player counted once in his most serious category (FIFA World
    Cup regulations, "fair play" conduct): a yellow; a second yellow (indirect red); a direct red; a yellow and then
    a direct red."""

    yellow: int = 0
    indirect_red: int = 0
    direct_red: int = 0
    yellow_direct_red: int = 0

    @property
    def fair_play(self) -> int:
        """Fair-play points, never above 0: yellow −1, indirect red −3, direct red −4, yellow and direct red −5."""
        return -(self.yellow + 3 * self.indirect_red + 4 * self.direct_red + 5 * self.yellow_direct_red)

    def to_dict(self) -> dict[str, int]:
        return {name: value for name, value in self._asdict().items() if value}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Cards:
        return cls(**{name: int(data.get(name, 0)) for name in CARD_KINDS})


CARD_KINDS = ("yellow", "indirect_red", "direct_red", "yellow_direct_red")


class Result(NamedTuple):
    """A match's result. ``home``/``away`` are what decides it: games (sets) won, rubbers won in a team tie, or goals
    and points where there are no games. ``games`` are the per-game points; ``rubbers`` a team tie's matches.
    ``winner`` is ``"home"``, ``"away"`` or None for a draw (leagues that allow draws). ``cards``: (home, away)
    cards shown, where the sport has them and they were entered (football's fair-play points)."""

    home: int
    away: int
    winner: str | None
    games: tuple[tuple[int, int], ...] = ()
    rubbers: tuple[Result, ...] = ()
    outcome: Outcome = Outcome.PLAYED
    cards: tuple[Cards, Cards] | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "home": self.home,
            "away": self.away,
            "winner": self.winner,
            "outcome": self.outcome.value,
        }
        if self.games:
            data["games"] = [list(game) for game in self.games]
        if self.rubbers:
            data["rubbers"] = [rubber.to_dict() for rubber in self.rubbers]
        if self.cards is not None:
            data["cards"] = {"home": self.cards[0].to_dict(), "away": self.cards[1].to_dict()}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Result:
        return cls(
            home=int(data["home"]),
            away=int(data["away"]),
            winner=data.get("winner"),
            games=tuple((int(h), int(a)) for h, a in data.get("games", ())),
            rubbers=tuple(cls.from_dict(rubber) for rubber in data.get("rubbers", ())),
            outcome=Outcome(data.get("outcome", Outcome.PLAYED.value)),
            cards=(Cards.from_dict(cards["home"]), Cards.from_dict(cards["away"]))
            if (cards := data.get("cards"))
            else None,
        )


class Match(NamedTuple):
    """One match (or team tie). ``bracket`` names where it sits: ``W`` winners' bracket, ``L`` losers' bracket,
    ``GF`` grand final, ``3P`` third-place match, ``RR`` a round robin, a group letter, or ``S`` for Swiss.
    ``round`` counts from 1 within its bracket; ``order`` is its place within the round (from 1, top to bottom)."""

    match_id: str
    stage_id: str
    bracket: str
    round: int
    order: int
    home: Slot
    away: Slot
    status: MatchStatus = MatchStatus.WAITING
    result: Result | None = None
    leg: int = 1
    matchday: str | None = None  # ISO date a league fixture is scheduled for
    court: str | None = None
    starts_at: str | None = None  # ISO datetime, for schedules

    def slot(self, side: str) -> Slot:
        return self.home if side == HOME else self.away

    def with_slot(self, side: str, slot: Slot) -> Match:
        return self._replace(home=slot) if side == HOME else self._replace(away=slot)

    @property
    def winner(self) -> str | None:
        """The winning entry (a bye's opponent wins), or None while undecided, for a draw, or bye against bye."""
        if self.status == MatchStatus.BYE:
            return self.home.entry if self.away.bye else self.away.entry
        if self.status != MatchStatus.DONE or self.result is None or self.result.winner is None:
            return None
        return self.slot(self.result.winner).entry

    @property
    def loser(self) -> str | None:
        if self.status != MatchStatus.DONE or self.result is None or self.result.winner is None:
            return None
        return self.slot(AWAY if self.result.winner == HOME else HOME).entry

    @property
    def entries(self) -> tuple[str, ...]:
        return tuple(slot.entry for slot in (self.home, self.away) if slot.entry)

    def to_dict(self) -> dict[str, Any]:
        data = {
            "match_id": self.match_id,
            "stage_id": self.stage_id,
            "bracket": self.bracket,
            "round": self.round,
            "order": self.order,
            "home": self.home.to_dict(),
            "away": self.away.to_dict(),
            "status": self.status.value,
            "leg": self.leg,
        }
        if self.result is not None:
            data["result"] = self.result.to_dict()
        for key in ("matchday", "court", "starts_at"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Match:
        return cls(
            match_id=data["match_id"],
            stage_id=data["stage_id"],
            bracket=data["bracket"],
            round=int(data["round"]),
            order=int(data["order"]),
            home=Slot.from_dict(data.get("home", {})),
            away=Slot.from_dict(data.get("away", {})),
            status=MatchStatus(data.get("status", MatchStatus.WAITING.value)),
            result=Result.from_dict(data["result"]) if data.get("result") else None,
            leg=int(data.get("leg", 1)),
            matchday=data.get("matchday"),
            court=data.get("court"),
            starts_at=data.get("starts_at"),
        )


def initial_status(home: Slot, away: Slot) -> MatchStatus:
    """A new match's status from its slots: a bye decides it, two known entries make it ready."""
    if home.bye or away.bye:
        return MatchStatus.BYE if (home.known and away.known) else MatchStatus.WAITING
    return MatchStatus.READY if (home.entry and away.entry) else MatchStatus.WAITING


def new_match(
    stage_id: str, match_id: str, bracket: str, round_: int, order: int, home: Slot, away: Slot, **extra: Any
) -> Match:
    return Match(
        match_id=match_id,
        stage_id=stage_id,
        bracket=bracket,
        round=round_,
        order=order,
        home=home,
        away=away,
        status=initial_status(home, away),
        **extra,
    )
