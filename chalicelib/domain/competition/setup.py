"""A competition's set-up and state: its stages, formats, entries, draws and what each stage has produced.

One event has one competition, made of stages played in order: a group stage then a knockout; a preliminary round
whose top N go to the final; a single bracket; a league; an athletics meet of many disciplines. The set-up is
stored as one JSON document (chalicelib.storage.competition) and checked here with pydantic, so an organiser's
set-up that cannot be played (a knockout after a judged round, 3 qualifiers from groups of 2 ...) is refused before
anything is written.
"""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from chalicelib.domain.competition.marks import EVENTS
from chalicelib.domain.competition.rounds import RoundSpec, check_rounds

STAGE_ID = r"^[a-z][a-z0-9_-]{0,23}$"
CODE = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$"
BAND = r"^[A-Z][A-Z0-9]?$"
GROUP = r"^[MF](-[A-Z][A-Z0-9]?)?$"  # a gender, then an age band: M-A, F-B, M


class StageKind(StrEnum):
    SINGLE_ELIMINATION = "single_elimination"
    DOUBLE_ELIMINATION = "double_elimination"
    ROUND_ROBIN = "round_robin"
    GROUPS = "groups"  # round robin in groups; the top ``qualifiers`` of each group go on
    SWISS = "swiss"
    LEAGUE = "league"  # a round robin over a season, one round per matchday
    JUDGED = "judged"  # a panel marks each entry (singer contest, teaching contest)
    MEASURED = "measured"  # times and distances (athletics, dragon boat)


MATCH_KINDS = frozenset(
    {
        StageKind.SINGLE_ELIMINATION,
        StageKind.DOUBLE_ELIMINATION,
        StageKind.ROUND_ROBIN,
        StageKind.GROUPS,
        StageKind.SWISS,
        StageKind.LEAGUE,
    }
)
KNOCKOUT_KINDS = frozenset({StageKind.SINGLE_ELIMINATION, StageKind.DOUBLE_ELIMINATION})
TABLE_KINDS = frozenset({StageKind.ROUND_ROBIN, StageKind.GROUPS, StageKind.SWISS, StageKind.LEAGUE})


class EntryKind(StrEnum):
    INDIVIDUAL = "individual"
    PAIR = "pair"
    TEAM = "team"


class StageState(StrEnum):
    PENDING = "pending"  # not drawn yet
    DRAWN = "drawn"  # matches exist; the draw may be redone until the first result
    CLOSED = "closed"  # ranked; its qualifiers have gone on


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Criterion(_Frozen):
    code: Annotated[str, Field(pattern=CODE)]
    name_zh: Annotated[str, Field(min_length=1, max_length=40)]
    name_en: Annotated[str | None, Field(max_length=80)] = None
    weight: Annotated[float, Field(gt=0, le=1)]
    max_mark: Annotated[float, Field(gt=0, le=1000)] = 100


class Tier(_Frozen):
    code: Annotated[str, Field(pattern=CODE)]
    name_zh: Annotated[str, Field(min_length=1, max_length=20)]
    name_en: Annotated[str | None, Field(max_length=40)] = None
    count: Annotated[int | None, Field(ge=0, le=1000)] = None
    share: Annotated[float | None, Field(gt=0, le=1)] = None  # of the field

    @model_validator(mode="after")
    def _count_or_share(self) -> Self:
        # Neither: the rest of the field (优秀奖), allowed for the last tier only (checked by Judging).
        if self.count is not None and self.share is not None:
            raise ValueError("a tier has a count or a share, not both")
        return self


class Panel(_Frozen):
    """Judges and the entries they mark. Without panels every judge of the event marks every entry."""

    panel_id: Annotated[str, Field(pattern=CODE)]
    name_zh: Annotated[str, Field(min_length=1, max_length=40)]
    judges: Annotated[tuple[str, ...], Field(min_length=1, max_length=30)]
    entries: tuple[str, ...] = ()


class Judging(_Frozen):
    """How a judged stage is marked and awarded."""

    criteria: Annotated[tuple[Criterion, ...], Field(min_length=1, max_length=10)]
    aggregation: Literal["mean", "drop_high_low", "closest_pair"] = "drop_high_low"
    tie_rule: Literal["shared", "criteria", "lot"] = "criteria"
    tiers: tuple[Tier, ...] = ()
    rounding: Literal["floor", "half_up", "ceil"] = "half_up"
    panels: Annotated[tuple[Panel, ...], Field(max_length=20)] = ()
    exclude_own_unit: bool = False  # a judge marks no entry of their own unit either (judging.excused_reason)

    def judges_entry(self, judge: str, entry_id: str) -> bool:
        """Whether a judge of the event marks this entry: their panel's entries (a panel listing none: every entry of
        the stage, as a contest event's panel), or all when there are no panels."""
        if not self.panels:
            return True
        return any(judge in panel.judges and (not panel.entries or entry_id in panel.entries) for panel in self.panels)

    @model_validator(mode="after")
    def _weights(self) -> Self:
        if abs(sum(criterion.weight for criterion in self.criteria) - 1) > 1e-9:
            raise ValueError("criterion weights must add up to 1")
        if len({criterion.code for criterion in self.criteria}) != len(self.criteria):
            raise ValueError("criterion codes must differ")
        if any(tier.count is None and tier.share is None for tier in self.tiers[:-1]):
            raise ValueError("only the last award tier may take the rest of the field")
        return self


class RelayBand(_Frozen):
    """How many of a relay team's runners are of an age band, by age on the meet day (under 30: max_age 29)."""

    min_age: Annotated[int, Field(ge=0, le=120)] = 0
    max_age: Annotated[int | None, Field(ge=0, le=120)] = None
    min_runners: Annotated[int, Field(ge=0, le=30)] = 0
    max_runners: Annotated[int | None, Field(ge=0, le=30)] = None


class RelayRule(_Frozen):
    """A relay team's composition (issue 19 item 3, chalicelib.domain.competition.relays): runners per age band,
    at least so many women and men among the runners of the legs."""

    bands: Annotated[tuple[RelayBand, ...], Field(max_length=6)] = ()
    min_women: Annotated[int, Field(ge=0, le=30)] = 0
    min_men: Annotated[int, Field(ge=0, le=30)] = 0


class Discipline(_Frozen):
    """One measured event of a meet (男子青年组 100 米), with its own entries."""

    code: Annotated[str, Field(pattern=CODE)]
    name_zh: Annotated[str, Field(min_length=1, max_length=40)]
    name_en: Annotated[str | None, Field(max_length=80)] = None
    measure: Literal["time", "distance", "points"]
    attempts: Annotated[int, Field(ge=1, le=6)] = 1
    lanes: Annotated[int | None, Field(ge=2, le=12)] = None  # heats then a final by time, when set
    final_size: Annotated[int | None, Field(ge=2, le=12)] = None
    relay: bool = False  # a unit's team: scores once for the unit
    # A relay's teams (chalicelib.domain.competition.relays): runners of the legs, reserves, the composition rule.
    # A dragon boat's crew is a relay team too: ``legs`` its paddlers (20 in a standard boat, 10 in a small one),
    # ``crew_roles`` the places besides them (鼓手 drummer, 舵手 helm), the rule counting the paddlers.
    legs: Annotated[int, Field(ge=2, le=30)] = 4
    reserves: Annotated[int, Field(ge=0, le=10)] = 2
    crew_roles: Annotated[tuple[Literal["drummer", "helm"], ...], Field(max_length=2)] = ()
    teams_per_unit: Annotated[int, Field(ge=1, le=4)] = 1
    relay_rule: RelayRule | None = None
    entries: tuple[str, ...] = ()
    # The gender/age group a discipline is run in (M-A: men of band A; F: women, all ages), set when generated from
    # the registrations (chalicelib.domain.competition.meet_entries); None: typed by hand.
    group: Annotated[str | None, Field(pattern=GROUP)] = None
    # Plausible marks (issue 19 item 4, chalicelib.domain.competition.marks): ``event`` names a row of its table
    # (100m, long_jump ...; else the name is read), min_mark/max_mark override it (seconds, metres or points).
    event: Annotated[str | None, Field(max_length=32)] = None
    min_mark: Annotated[Decimal | None, Field(ge=0, le=100_000, decimal_places=2)] = None
    max_mark: Annotated[Decimal | None, Field(gt=0, le=100_000, decimal_places=2)] = None
    # Heats, semi-finals, final (issue 19 item 2, chalicelib.domain.competition.rounds.check_rounds); none: one round.
    rounds: Annotated[tuple[RoundSpec, ...], Field(max_length=3)] = ()
    # A field event's final (chalicelib.domain.competition.field): after ``final_after`` trials the best
    # ``final_size`` (default 8) have the remaining ones; None: every athlete has every trial.
    final_after: Annotated[int | None, Field(ge=1, le=5)] = None

    @model_validator(mode="after")
    def _field_final(self) -> Self:
        if self.final_after is not None and (self.measure == "time" or self.final_after >= self.attempts):
            raise ValueError("a final after some trials is for a field event with more trials than that")
        if len(set(self.crew_roles)) != len(self.crew_roles):
            raise ValueError("a crew role is named once")
        return self

    @model_validator(mode="after")
    def _rounds(self) -> Self:
        check_rounds(self.rounds)
        return self

    @model_validator(mode="after")
    def _mark_range(self) -> Self:
        if self.event is not None and self.event not in EVENTS:
            raise ValueError(f"unknown event {self.event!r}: one of {', '.join(EVENTS)}")
        if self.min_mark is not None and self.max_mark is not None and self.min_mark >= self.max_mark:
            raise ValueError("a discipline's lowest plausible mark must be below its highest")
        return self


class MeetBand(_Frozen):
    """An age band of a meet (甲组 ≤35), by age on the meet day; ``code`` is a capital letter or two (A, B, C)."""

    code: Annotated[str, Field(pattern=BAND)]
    name_zh: Annotated[str, Field(min_length=1, max_length=12)]
    name_en: Annotated[str | None, Field(max_length=24)] = None
    min_age: Annotated[int, Field(ge=0, le=120)] = 0
    max_age: Annotated[int | None, Field(ge=0, le=120)] = None


class MeetEvent(_Frozen):
    """An event members choose on the registration form (its option id is ``code``: an ``EVENTS`` code such as 100m,
    or the meet's own code for a 趣味 event); generated into one discipline per gender (and age band, ``by_age``)."""

    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_]{0,23}$")]
    name_zh: Annotated[str, Field(min_length=1, max_length=20)]
    name_en: Annotated[str | None, Field(max_length=40)] = None
    measure: Literal["time", "distance", "points"]
    attempts: Annotated[int, Field(ge=1, le=6)] = 1
    by_age: bool = True  # run in the meet's age bands; else by gender only
    genders: Annotated[tuple[Literal["M", "F"], ...], Field(min_length=1, max_length=2)] = ("M", "F")


class MeetMerge(_Frozen):
    """The organiser's merge of a group into another (M-C into M-B when too few), for one event or all."""

    group: Annotated[str, Field(pattern=GROUP)]
    into: Annotated[str, Field(pattern=GROUP)]
    event: Annotated[str | None, Field(max_length=24)] = None  # None: every event run in age groups


class Meet(_Frozen):
    disciplines: Annotated[tuple[Discipline, ...], Field(max_length=200)] = ()
    place_points: Annotated[tuple[int, ...], Field(min_length=1, max_length=12)] = (7, 5, 4, 3, 2, 1)
    relay_factor: Annotated[int, Field(ge=1, le=4)] = 2  # relays often score double
    # Places that score when a discipline has few entries (issue 19 item 6, chalicelib.domain.competition.unit_tables):
    # "all" every place of the table, "minus_one" 按实际参赛人数减一录取; fewer than min_entries: no points.
    fewer_entries: Literal["all", "minus_one"] = "all"
    min_entries: Annotated[int, Field(ge=0, le=12)] = 0
    # Set up from the registrations (issue 19 item 1, chalicelib.domain.competition.meet_entries): the age bands,
    # the events members choose, at most ``individual_limit`` individual events each (relays on top), the merges.
    bands: Annotated[tuple[MeetBand, ...], Field(max_length=8)] = ()
    events: Annotated[tuple[MeetEvent, ...], Field(max_length=40)] = ()
    individual_limit: Annotated[int | None, Field(ge=1, le=10)] = None
    merges: Annotated[tuple[MeetMerge, ...], Field(max_length=100)] = ()
    # Entries the organiser took out of an event: "工号/event" (2014001/100m), kept when the entries are made again.
    dropped: Annotated[tuple[Annotated[str, Field(pattern=r"^[^/]{1,64}/[A-Za-z0-9_]{1,24}$")], ...],
                       Field(max_length=500)] = ()  # fmt: skip


class ContestEvent(_Frozen):
    """One event of a multi-event skill contest (issue 19 item 7, chalicelib.domain.competition.contests): its
    category, names, how many people each unit may enter (None: no cap), who may enter (gender), and its entrants'
    entry ids (their 工号) as the units entered them. Its judged stages name it (Stage.contest)."""

    code: Annotated[str, Field(pattern=CODE)]
    category: Annotated[str, Field(pattern=CODE)]
    category_zh: Annotated[str, Field(min_length=1, max_length=40)]
    category_en: Annotated[str | None, Field(max_length=80)] = None
    name_zh: Annotated[str, Field(min_length=1, max_length=40)]
    name_en: Annotated[str | None, Field(max_length=80)] = None
    cap_per_unit: Annotated[int | None, Field(ge=1, le=100)] = None
    gender: Literal["F", "M"] | None = None  # records.Gender: an event for women (F) or men (M) only
    entries: Annotated[tuple[str, ...], Field(max_length=2000)] = ()


class TierPoints(_Frozen):
    tier: Annotated[str, Field(pattern=CODE)]  # a Tier code of the contest events' final stages
    points: Annotated[int, Field(ge=0, le=100)]


class UnitAwards(_Frozen):
    """How a multi-event contest ranks its units and gives 优秀组织奖 (contests.unit_results): points per award
    tier; ``rule``: by points (ties: most awards of the first tier, then the next ...), by participation (events
    entered, then entrants) or both (points plus ``participation_points`` per event entered); the ``top`` places
    get the award (units tied on a place share it), among units that entered at least ``min_events`` events."""

    tier_points: Annotated[tuple[TierPoints, ...], Field(max_length=10)] = ()
    rule: Literal["points", "participation", "both"] = "points"
    participation_points: Annotated[int, Field(ge=0, le=100)] = 1
    top: Annotated[int, Field(ge=0, le=100)] = 3
    min_events: Annotated[int, Field(ge=0, le=100)] = 0
    name_zh: Annotated[str, Field(min_length=1, max_length=40)] = "优秀组织奖"
    name_en: Annotated[str | None, Field(max_length=80)] = "Excellent Organisation Award"


class Stage(_Frozen):
    stage_id: Annotated[str, Field(pattern=STAGE_ID)]
    kind: StageKind
    name_zh: Annotated[str, Field(min_length=1, max_length=40)]
    name_en: Annotated[str | None, Field(max_length=80)] = None
    groups: Annotated[int, Field(ge=0, le=32)] = 0
    legs: Annotated[int, Field(ge=1, le=2)] = 1
    third_place: bool = False
    grand_final: Literal["none", "single", "reset"] = "single"
    qualifiers: Annotated[int, Field(ge=0, le=256)] = 0  # per group for GROUPS; the top N otherwise
    rounds: Annotated[int, Field(ge=0, le=20)] = 0  # Swiss
    first_matchday: date | None = None
    days_between: Annotated[int, Field(ge=1, le=60)] = 7
    seeds: Annotated[int | None, Field(ge=0, le=64)] = None  # how many are seeded; None: the BWF's count
    judging: Judging | None = None
    meet: Meet | None = None
    # The stage's own match format (issue 18 item 5): a scoring code (None: the competition's); stop_when_decided
    # changes that format's rule (a five-rubber tie played in full in the groups stops at three wins in the
    # knockout); final_format: a knockout's final in another format (best of five). See formats.py.
    match_format: Annotated[str | None, Field(pattern=CODE)] = None
    stop_when_decided: bool | None = None
    final_format: Annotated[str | None, Field(pattern=CODE)] = None
    contest: Annotated[str | None, Field(pattern=CODE)] = None  # the contest event (ContestEvent.code) it judges

    @model_validator(mode="after")
    def _own_format(self) -> Self:
        owned = (self.match_format, self.stop_when_decided, self.final_format)
        if self.kind not in MATCH_KINDS and any(value is not None for value in owned):
            raise ValueError("only a stage of matches has a match format")
        if self.final_format is not None and self.kind not in KNOCKOUT_KINDS:
            raise ValueError("only a knockout has a final")
        return self

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.kind == StageKind.GROUPS and self.groups < 1:
            raise ValueError("a group stage needs at least one group")
        if self.kind == StageKind.JUDGED and self.judging is None:
            raise ValueError("a judged stage needs its criteria")
        if self.kind == StageKind.MEASURED and self.meet is None:
            raise ValueError("a measured stage needs its disciplines")
        if self.kind == StageKind.LEAGUE and self.first_matchday is None:
            raise ValueError("a league needs its first matchday")
        return self


class CompetitionEntry(_Frozen):
    """Who competes, as drawn: a member, a pair (its lead's 工号) or a team."""

    entry_id: Annotated[str, Field(min_length=1, max_length=64)]
    name: Annotated[str, Field(min_length=1, max_length=80)]
    unit_id: Annotated[str, Field(min_length=1, max_length=32)]
    seed: Annotated[int | None, Field(ge=1, le=64)] = None
    members: Annotated[tuple[str, ...], Field(max_length=64)] = ()  # a pair's or team's 工号 (judges' conflicts)


class StageRun(_Frozen):
    """What happened to a stage: its draw (seed, who and when, how often redone), its entries and its outcome."""

    state: StageState = StageState.PENDING
    entries: tuple[str, ...] = ()  # who plays in this stage (all entries for the first, qualifiers after)
    draw_id: str | None = None
    seed: str | None = None
    drawn_at: datetime | None = None
    drawn_by: str | None = None
    redraws: int = 0
    groups: tuple[tuple[str, ...], ...] = ()
    line: tuple[str | None, ...] = ()  # a bracket's first-round positions (None: a bye)
    swiss_round: int = 0
    panel_closed: bool = False
    ranking: tuple[str, ...] = ()  # the stage's final order, set when it closes
    qualified: tuple[str, ...] = ()
    closed_at: datetime | None = None
    # A judged stage's order of appearance, drawn by lot from ``order_seed`` (judging.appearance_order).
    order: tuple[str, ...] = ()
    order_seed: str | None = None
    # The entries whose score the hall screen shows, in the order revealed (公布得分, domain.competition.hall).
    revealed: tuple[str, ...] = ()


class LineupSettings(_Frozen):
    """Line-ups of a team competition's ties (chalicelib.domain.competition.lineups): whether the organiser asks for
    them, until how many minutes before a match's start they may be given or changed (a match without a start:
    until its result), how many rubbers one player may play (None: the format's default) and whether a player may
    play only one singles (the Thomas and Uber Cup rule; badminton formats only)."""

    required: bool = False
    deadline_minutes: Annotated[int, Field(ge=0, le=1440)] = 30
    max_rubbers: Annotated[int | None, Field(ge=1, le=5)] = None
    one_singles: bool = True


class Competition(_Frozen):
    event_id: str
    entry_kind: EntryKind
    match_format: Annotated[str, Field(pattern=CODE)] = "badminton"  # a chalicelib.domain.competition.scoring code
    tiebreak: Annotated[str, Field(pattern=CODE)] = "badminton"  # a chalicelib.domain.competition.standings preset
    stages: Annotated[tuple[Stage, ...], Field(min_length=1, max_length=60)]
    entries: tuple[CompetitionEntry, ...] = ()
    runs: dict[str, StageRun] = Field(default_factory=dict)
    published: bool = False
    published_at: datetime | None = None
    lineups: LineupSettings | None = None  # None: line-ups may be given, with the defaults
    # A multi-event skill contest (issue 19 item 7): its events, each judged by the stages naming it, and its units'
    # ranking; a chain of stages (preliminary → final) per contest event.
    contests: Annotated[tuple[ContestEvent, ...], Field(max_length=40)] = ()
    unit_awards: UnitAwards | None = None

    @model_validator(mode="after")
    def _stages_chain(self) -> Self:
        ids = [stage.stage_id for stage in self.stages]
        if len(set(ids)) != len(ids):
            raise ValueError("stage ids must differ")
        if len(self.stages) > 6 and not self.contests:
            raise ValueError("at most 6 stages, except in a contest of several events")
        _check_contests(self)
        for contest in {stage.contest for stage in self.stages}:
            _check_chain(self.chain(contest))
        return self

    def chain(self, contest: str | None) -> tuple[Stage, ...]:
        """The stages played in order one after another: those of one contest event (None: of the competition)."""
        return tuple(stage for stage in self.stages if stage.contest == contest)

    def contest(self, code: str) -> ContestEvent | None:
        return next((contest for contest in self.contests if contest.code == code), None)

    def first_entries(self, stage: Stage) -> tuple[str, ...]:
        """Who a first stage takes: its contest event's entrants, or every entry of the competition."""
        contest = self.contest(stage.contest) if stage.contest else None
        return contest.entries if contest else tuple(entry.entry_id for entry in self.entries)

    def stage(self, stage_id: str) -> Stage | None:
        return next((stage for stage in self.stages if stage.stage_id == stage_id), None)

    def run(self, stage_id: str) -> StageRun:
        return self.runs.get(stage_id, StageRun())

    def with_run(self, stage_id: str, **changes: object) -> Self:
        """The competition with one stage's run changed (drawn, closed ...)."""
        run = self.run(stage_id).model_copy(update=changes)
        return self.model_copy(update={"runs": {**self.runs, stage_id: run}})

    def entry(self, entry_id: str) -> CompetitionEntry | None:
        return next((entry for entry in self.entries if entry.entry_id == entry_id), None)

    def next_stage(self, stage_id: str) -> Stage | None:
        stage = self.stage(stage_id)
        chain = self.chain(stage.contest if stage else None)
        ids = [stage.stage_id for stage in chain]
        index = ids.index(stage_id)
        return chain[index + 1] if index + 1 < len(chain) else None

    def previous_stage(self, stage_id: str) -> Stage | None:
        stage = self.stage(stage_id)
        chain = self.chain(stage.contest if stage else None)
        ids = [stage.stage_id for stage in chain]
        index = ids.index(stage_id)
        return chain[index - 1] if index > 0 else None


def _check_contests(competition: Competition) -> None:
    """A contest's events have different codes, each is judged by stages of its own, and only judged stages
    name a contest event, all of them when there are events."""
    codes = [contest.code for contest in competition.contests]
    if len(set(codes)) != len(codes):
        raise ValueError("contest event codes must differ")
    named = {stage.contest for stage in competition.stages}
    if competition.contests and None in named:
        raise ValueError("every stage of a contest of several events names its event (contest)")
    if named - {None} - set(codes):
        raise ValueError(f"unknown contest event {sorted(c for c in named - set(codes) if c)[0]!r}")
    if set(codes) - named:
        raise ValueError(f"contest event {sorted(set(codes) - named)[0]!r} has no stage")
    if any(stage.contest and stage.kind != StageKind.JUDGED for stage in competition.stages):
        raise ValueError("only a judged stage belongs to a contest event")
    if competition.unit_awards and not competition.contests:
        raise ValueError("unit awards belong to a contest of several events")
    _check_contest_judges(competition)


def _check_contest_judges(competition: Competition) -> None:
    """A judge of a contest event's panels is none of its entrants."""
    for contest in competition.contests:
        for stage in competition.chain(contest.code):
            panels = stage.judging.panels if stage.judging else ()
            judges = {judge for panel in panels for judge in panel.judges}
            if judges & set(contest.entries):
                raise ValueError(f"judge {sorted(judges & set(contest.entries))[0]} is an entrant of {contest.code}")


def _check_chain(stages: tuple[Stage, ...]) -> None:
    for before, after in pairwise(stages):
        if before.kind in KNOCKOUT_KINDS:
            raise ValueError("a knockout is the last stage")
        if before.kind == StageKind.MEASURED:
            raise ValueError("a meet is a single stage")
        if before.qualifiers < 1:
            raise ValueError("a stage that leads to another must name how many go on (qualifiers)")
        if (before.kind == StageKind.JUDGED) != (after.kind == StageKind.JUDGED):
            raise ValueError("a judged round leads only to another judged round")
