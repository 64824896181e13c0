"""Request and response models of competitions.

Requests refuse unknown fields and bound every size. The set-up's stages are the engine's own ``Stage`` model
(chalicelib.domain.competition.setup), so the API accepts exactly what the engine can play.

Exact engine numbers are strings on the wire, never floats: a judged score is a Decimal with its two places
("88.00"); meet points are Fractions, written as a whole number ("7") or rounded half up to at most two places
("4.5", "2.33"); a measured mark as results show it ("12.34", "1:02.35", "5.62"), or a result code as officials
write it (DNS, DNF, DQ, NM; X, -, r per attempt: chalicelib.domain.competition.marks). Judges' marks are plain JSON
numbers (they are stored with two places).
"""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from chalicelib.domain.competition.judging import Excused
from chalicelib.domain.competition.model import MatchStatus, Outcome
from chalicelib.domain.competition.scoring import GAME_PRESETS, TIE_PRESETS
from chalicelib.domain.competition.setup import (
    CODE,
    ContestEvent,
    EntryKind,
    LineupSettings,
    Stage,
    StageKind,
    StageState,
    UnitAwards,
)
from chalicelib.domain.competition.standings import PRESETS
from chalicelib.http.schemas import ApiModel, InputModel

EntryId = Annotated[str, Field(min_length=1, max_length=64)]
Code = Annotated[str, Field(pattern=CODE, max_length=32)]
Seed = Annotated[int, Field(ge=1, le=64)]
Points = Annotated[int, Field(ge=0, le=999)]
Side = Literal["home", "away"]


class _Input(InputModel):
    """Competition requests: InputModel's rules (unknown fields and null where not allowed are refused)."""


# ---- requests ------------------------------------------------------------------------------------------------


class SetupIn(_Input):
    """The competition's set-up. Entries come from the event's confirmed registrations or entered teams."""

    match_format: Code = Field(
        default="badminton",
        description="A match format code: " + ", ".join([*GAME_PRESETS, *TIE_PRESETS]) + ".",
        examples=[*GAME_PRESETS, *TIE_PRESETS],
    )
    tiebreak: Code = Field(
        default="badminton",
        description="A tie-break preset: " + ", ".join(PRESETS) + ".",
        examples=list(PRESETS),
    )
    stages: list[Stage] = Field(min_length=1, max_length=60, description="at most 6 but in a contest of events")
    seeds: dict[EntryId, Seed] = Field(default_factory=dict, max_length=64, description="entry → seed (1 = top)")
    contests: list[ContestEvent] = Field(
        default_factory=list,
        max_length=40,
        description="A multi-event skill contest's events (each judged by the stages naming it in ``contest``); "
        "their entrants are entered by units (/admin/events/{id}/contest-entries) and kept by a changed set-up.",
    )
    unit_awards: UnitAwards | None = Field(default=None, description="points per tier and the 优秀组织奖 rule")
    lineups: LineupSettings | None = Field(
        default=None,
        description="Line-ups of team ties: required, deadline minutes before a match's start, most rubbers per "
        "player (null: the format's), the one-singles rule. Null or absent: the defaults.",
    )


class SeedsIn(_Input):
    seeds: dict[EntryId, Seed] = Field(max_length=64, description="entry → seed (1 = top); others unseeded")


class RubberIn(_Input):
    """One rubber of a team tie, or a whole match: as ``scoring.result_from_input`` reads it."""

    games: list[tuple[Points, Points]] | None = Field(default=None, max_length=7, description="[[home, away], ...]")
    score: tuple[Points, Points] | None = Field(default=None, description="Where there are no games (football).")
    outcome: Outcome | None = None
    winner: Side | None = Field(default=None, description="A walkover's winner.")
    retired: Side | None = Field(default=None, description="Who retired.")


CardCount = Annotated[int, Field(ge=0, le=99)]


class SideCardsIn(_Input):
    """One side's cards in a match, each player counted once in his most serious category (FIFA fair play)."""

    yellow: CardCount = 0
    indirect_red: CardCount = Field(default=0, description="A second yellow card.")
    direct_red: CardCount = 0
    yellow_direct_red: CardCount = Field(default=0, description="A yellow card, then a direct red card.")


class CardsIn(_Input):
    home: SideCardsIn = Field(default_factory=SideCardsIn)
    away: SideCardsIn = Field(default_factory=SideCardsIn)


class ResultIn(RubberIn):
    rubbers: list[RubberIn | None] | None = Field(
        default=None, max_length=9, description="A team tie, rubber by rubber (null: not played)."
    )
    cards: CardsIn | None = Field(
        default=None, description="Cards shown (football: fair-play points), where the match has a score."
    )
    correct: bool = Field(default=False, description="Replace a result already entered.")


class MarksIn(_Input):
    marks: dict[Code, Annotated[float, Field(ge=0, le=1000, allow_inf_nan=False)]] = Field(
        min_length=1, max_length=10, description="criterion → mark"
    )


class PerformanceIn(_Input):
    attempts: list[Annotated[str, Field(max_length=24)] | None] = Field(
        min_length=1,
        max_length=6,
        description='Marks as officials write them: "12.34", "1:02.35", "5.62" (within the discipline\'s plausible '
        'range, else 400 mark_implausible_<measure> naming it); per field attempt "X" (foul), "-" (pass), "r" '
        '(retired); or one result code alone, the other attempts empty: "DNS", "DNF", "DQ" (optionally with a rule: '
        '"DQ TR 17.3"), "NM". Lower case, full-width letters and 弃权/未完成/取消资格/犯规/免跳 are read alike. '
        "Empty or null: no attempt.",
    )


class PublishIn(_Input):
    published: bool


class OfficialIn(_Input):
    staff_no: Annotated[str, Field(min_length=1, max_length=20)]
    role: Literal["referee", "judge"]


# ---- responses -----------------------------------------------------------------------------------------------


class EntryOut(ApiModel):
    entry_id: str
    name: str
    unit_id: str
    unit_name: str
    seed: int | None


class SetupOut(ApiModel):
    event_id: str
    entry_kind: EntryKind
    match_format: str
    tiebreak: str
    stages: list[Stage]
    entries: list[EntryOut]
    published: bool
    published_at: datetime | None
    lineups: LineupSettings | None = None
    contests: list[ContestEvent] = Field(default_factory=list)
    unit_awards: UnitAwards | None = None


class SideOut(ApiModel):
    entry_id: str | None = Field(description="None: not known yet, or a bye.")
    name: str | None
    bye: bool
    source: str | None = Field(description='Where the entry comes from: "W:<match_id>" (winner) or "L:<match_id>".')


class ResultOut(ApiModel):
    home: int = Field(description="Games, rubbers, or goals/points won by the home side.")
    away: int
    winner: Side | None
    outcome: Outcome
    games: list[tuple[int, int]]
    rubbers: list["ResultOut"]


class MatchOut(ApiModel):
    match_id: str
    bracket: str = Field(description="W, L, GF, 3P (knockouts), a group letter, RR, S (Swiss), or a league's.")
    round: int
    round_key: str = Field(description="final, semi_final, quarter_final, round_of_16, grand_final, round_<n> ...")
    order: int
    leg: int
    home: SideOut
    away: SideOut
    status: MatchStatus
    result: ResultOut | None
    winner: str | None = Field(description="The winning entry, once decided.")
    matchday: str | None
    court: str | None
    starts_at: str | None
    match_format: str | None = Field(
        default=None,
        description="The format this match is scored in (a scoring preset code): its stage's, or the knockout's "
        "final format for the final (a best-of-five final in a best-of-three stage).",
    )


class ReasonOut(ApiModel):
    """Why a row is right above ``against``: ``rule`` separated them when ``among`` were level on the rules before."""

    rule: str
    against: str
    among: list[str]
    value: str
    against_value: str
    among_tied_only: bool


class StandingOut(ApiModel):
    rank: int
    entry_id: str
    name: str
    played: int
    won: int
    drawn: int
    lost: int
    match_points: int
    rubbers_for: int
    rubbers_against: int
    games_for: int
    games_against: int
    points_for: int
    points_against: int
    fair_play: int = Field(
        default=0, description="Fair-play points from the cards entered (0 or less: yellow −1, direct red −4 ...)."
    )
    reason: ReasonOut | None


class TableOut(ApiModel):
    group: str = Field(description='"A", "B" ... or "" for a single table.')
    rows: list[StandingOut]


class PlacingOut(ApiModel):
    place: int
    entry_id: str
    name: str


class CriterionOut(ApiModel):
    code: str
    name_zh: str
    name_en: str | None
    weight: float
    max_mark: float


class TierOut(ApiModel):
    code: str
    name_zh: str
    name_en: str | None


class JudgedOut(ApiModel):
    entry_id: str
    name: str
    unit_name: str
    rank: int | None = Field(description="None: not fully marked, or hidden while the panel is open.")
    score: str | None = Field(description='Decimal as text, e.g. "88.00".')
    award: str | None = Field(description="A tier code (see the stage's tiers).")
    judges: int = Field(description="How many judges' marks count.")
    marks: dict[str, dict[str, float]] | None = Field(
        description="judge → criterion → mark; only once the panel is closed (a judge sees their own before)."
    )


class PerformanceOut(ApiModel):
    entry_id: str
    name: str
    unit_name: str
    place: int | None = Field(description="None: no valid mark.")
    mark: str | None
    status: str | None = Field(
        default=None, description="Unplaced: NM, DNF, DQ or DNS (listed in that order after the placed)."
    )
    points: str | None
    attempts: list[str | None] = Field(description='Marks as shown ("1:02.35") or "X", "-", "r"; null: none.')


class DisciplineOut(ApiModel):
    code: str
    name_zh: str
    name_en: str | None
    measure: Literal["time", "distance", "points"]
    attempts: int
    relay: bool
    placings: list[PerformanceOut]


class UnitTotalOut(ApiModel):
    unit_id: str
    unit_name: str
    rank: int
    points: str
    places: list[int] = Field(description="How many 1st, 2nd, 3rd ... places (the tie-break).")
    decided_by: int | None = Field(
        default=None,
        description="On equal points: the place (1, 2 ...) whose count ranked it apart from its neighbour.",
    )
    shared: bool = Field(default=False, description="On equal points and equal place counts: the rank is shared.")


class UnitTableOut(ApiModel):
    scope: Literal["group", "gender", "overall"]
    code: str = Field(description='The group (M-A), the gender (M, F), or "" for the overall table.')
    units: list[UnitTotalOut]


class StageOut(ApiModel):
    stage_id: str
    kind: StageKind
    name_zh: str
    name_en: str | None
    state: StageState
    seed: str | None = Field(description="The draw's seed: the draw can be re-run from it.")
    drawn_at: datetime | None
    redraws: int
    panel_closed: bool
    order: list[str] = Field(
        default_factory=list,
        description="A judged stage's order of appearance drawn by lot (entry ids; number n is the n-th): ascending "
        'SHA-256(order_seed + ":" + entry_id), checkable by anyone. Empty until the organiser draws it.',
    )
    order_seed: str | None = Field(default=None, description="The seed the order of appearance was drawn from.")
    complete: bool = Field(description="Every match played, every entry marked or measured.")
    match_format: str | None = Field(
        default=None, description="The stage's match format: its own, else the competition's (None: no matches)."
    )
    stop_when_decided: bool | None = Field(
        default=None, description="Whether its matches (ties) stop once decided, or play every game (rubber)."
    )
    final_format: str | None = Field(default=None, description="A knockout's final in its own format, if set.")
    qualified: list[str]
    matches: list[MatchOut]
    tables: list[TableOut]
    placings: list[PlacingOut]
    criteria: list[CriterionOut]
    tiers: list[TierOut]
    judged: list[JudgedOut]
    disciplines: list[DisciplineOut]
    units: list[UnitTotalOut]
    unit_tables: list[UnitTableOut] = Field(
        default_factory=list,
        description="A meet's unit tables: per age group, per gender (when its groups carry one), then overall "
        "(the same as units); places that score follow the meet's fewer_entries and min_entries.",
    )


class CompetitionOut(ApiModel):
    event_id: str
    event_title: str
    entry_kind: EntryKind
    match_format: str
    tiebreak: str
    published: bool
    published_at: datetime | None
    entries: list[EntryOut]
    stages: list[StageOut]


class SheetEntryOut(ApiModel):
    entry_id: str
    number: int = Field(description="The number of appearance (1..n, the drawn order): judges see contestants by it.")
    name: str | None = Field(description="None until the panel closes: judges mark by number, not by name.")
    unit_name: str | None = Field(description="None until the panel closes.")
    marks: dict[str, float] | None = Field(description="This judge's marks, once given.")


class ExcusedOut(ApiModel):
    number: int
    reason: Excused = Field(
        description="own_entry: the judge is in it; own_unit: their unit's, when the contest excludes those."
    )


class JudgingSheetOut(ApiModel):
    stage_id: str
    name_zh: str
    name_en: str | None
    state: StageState
    panel_closed: bool
    criteria: list[CriterionOut]
    entries: list[SheetEntryOut] = Field(description="In the order of appearance.")
    excused: list[ExcusedOut] = Field(description="The entries this judge does not mark (conflict of interest).")


class MarksOut(ApiModel):
    entry_id: str
    marks: dict[str, float]


class PerformanceSaved(ApiModel):
    discipline: str
    entry_id: str
    attempts: list[str | None] = Field(description='As stored: seconds or metres, or "X", "-", "r" (null: none).')
    status: str | None = Field(default=None, description="DNS, DNF, DQ or NM when one was written.")
    rule: str | None = Field(default=None, description='A DQ\'s rule reference ("TR 17.3").')


class OfficialOut(ApiModel):
    staff_no: str
    name: str
    unit_name: str
    roles: list[Literal["referee", "judge"]]
    granted_by: str
    granted_at: datetime


class OfficialList(ApiModel):
    officials: list[OfficialOut]
