"""A competition's timetable: the venue an organiser sets up, each match's placement, and the rules between them.

The venue (``Venue``) names the courts (pitches, tables), the sessions they are open, how long a match takes in each
stage, the rest an entry has between matches, whether a round's matches are kept together and whether the event's
referees are assigned; a league adds each entry's home courts and the times its matchdays are played. A
``MatchPlacement`` is one match's court, start, referee, whether it is locked by hand and the date a postponed
match moved to. The scheduler itself is ``schedule`` (a greedy list schedule with repair, measured in
bench/schedule.py); this module turns a competition's current matches into its jobs (``jobs``), keeps what must not
move (``fixed``: locked placements, and matches played or already started), turns a plan back into placements
(``planned``), and lists the rules the placements break (``conflicts``). Everything here is pure: no storage, no
clock (the moment "now" is passed in).
"""

import itertools
import logging
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, NamedTuple, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.competition.model import Match, MatchStatus
from chalicelib.domain.competition.schedule import (
    Conflict,
    Court,
    Job,
    Options,
    Placement,
    Plan,
    Referee,
    Session,
    job_id,
    jobs_from_matches,
    schedule,
    schedule_conflicts,
)
from chalicelib.domain.competition.setup import MATCH_KINDS, Competition, StageKind

_log = logging.getLogger(__name__)
COURT_ID = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$"
STAGE_ID = r"^[a-z][a-z0-9_-]{0,23}$"
DEFAULT_SLOT_MINUTES = 50  # a three-rubber badminton tie (the demo cup): two doubles of ~20 minutes and changeovers
MAX_SESSION = timedelta(hours=16)
MAX_SPAN = timedelta(days=366)
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)  # the days a timetable may name


def _in_range(day: date) -> None:
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"a day from {EARLIEST} to {LATEST}")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class VenueCourt(_Frozen):
    court_id: Annotated[str, Field(pattern=COURT_ID)]
    name_zh: Annotated[str, Field(min_length=1, max_length=20)]
    name_en: Annotated[str | None, Field(min_length=1, max_length=40)] = None


class OpenSession(_Frozen):
    """A time the courts are open; ``courts`` empty: all of them."""

    start: AwareDatetime
    end: AwareDatetime
    courts: Annotated[tuple[Annotated[str, Field(pattern=COURT_ID)], ...], Field(max_length=64)] = ()

    @model_validator(mode="after")
    def _sane(self) -> Self:
        if self.end <= self.start:
            raise ValueError("a session ends after it starts")
        if self.end - self.start > MAX_SESSION:
            raise ValueError("a session is at most 16 hours")
        _in_range(self.start.date())  # in its own offset: converting a year-1 time could overflow
        _in_range(self.end.date())
        return self


class MatchdayTime(_Frozen):
    """A window a league's matchday is played in, on each matchday's date (China time)."""

    start: time
    end: time

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError("a matchday window ends after it starts")
        return self


class HomeVenue(_Frozen):
    entry_id: Annotated[str, Field(min_length=1, max_length=64)]
    courts: Annotated[tuple[Annotated[str, Field(pattern=COURT_ID)], ...], Field(min_length=1, max_length=64)]


class StageMinutes(_Frozen):
    stage_id: Annotated[str, Field(pattern=STAGE_ID)]
    minutes: Annotated[int, Field(ge=10, le=600)]


class Venue(_Frozen):
    """Where and when the matches are played, and the rules the scheduler keeps."""

    courts: Annotated[tuple[VenueCourt, ...], Field(min_length=1, max_length=64)]
    sessions: Annotated[tuple[OpenSession, ...], Field(max_length=60)] = ()
    slot_minutes: Annotated[int, Field(ge=10, le=600)] = DEFAULT_SLOT_MINUTES
    stage_minutes: Annotated[tuple[StageMinutes, ...], Field(max_length=6)] = ()
    rest_minutes: Annotated[int, Field(ge=0, le=240)] = 0
    together: bool = False
    referees: bool = False
    home_venues: Annotated[tuple[HomeVenue, ...], Field(max_length=256)] = ()
    matchday_times: Annotated[tuple[MatchdayTime, ...], Field(max_length=4)] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        ids = [court.court_id for court in self.courts]
        if len(set(ids)) != len(ids):
            raise ValueError("court ids must differ")
        named = {c for s in self.sessions for c in s.courts} | {c for h in self.home_venues for c in h.courts}
        if named - set(ids):
            raise ValueError(f"unknown courts: {', '.join(sorted(named - set(ids)))}")
        if len({m.stage_id for m in self.stage_minutes}) != len(self.stage_minutes):
            raise ValueError("one slot length per stage")
        return self

    @model_validator(mode="after")
    def _some_time(self) -> Self:
        if not self.sessions and not self.matchday_times:
            raise ValueError("a venue needs its sessions (or, for a league, its matchday times)")
        if self.sessions and max(s.end for s in self.sessions) - min(s.start for s in self.sessions) > MAX_SPAN:
            raise ValueError("the sessions span at most a year")
        return self

    def court(self, court_id: str) -> VenueCourt | None:
        return next((court for court in self.courts if court.court_id == court_id), None)

    def minutes(self, stage_id: str) -> int:
        return next((m.minutes for m in self.stage_minutes if m.stage_id == stage_id), self.slot_minutes)

    def home_courts(self, entry_id: str | None) -> tuple[str, ...]:
        return next((home.courts for home in self.home_venues if home.entry_id == entry_id), ())


class MatchPlacement(_Frozen):
    """One match's place in the timetable. No court or start: not placed (yet, or postponed)."""

    court: Annotated[str | None, Field(pattern=COURT_ID)] = None
    starts_at: AwareDatetime | None = None
    referee: Annotated[str | None, Field(min_length=1, max_length=20)] = None
    locked: bool = False
    postponed_to: date | None = None

    @model_validator(mode="after")
    def _sane(self) -> Self:
        for day in (self.starts_at.date() if self.starts_at else None, self.postponed_to):
            if day is not None:
                _in_range(day)
        return self

    @property
    def placed(self) -> bool:
        return self.court is not None and self.starts_at is not None


class Timetable(_Frozen):
    """What is stored: the venue (None until set) and the placements by job key (``schedule.job_id``)."""

    venue: Venue | None = None
    placements: dict[str, MatchPlacement] = Field(default_factory=dict)


class Scheduled(NamedTuple):
    """``planned``'s answer: the new placements, and the keys left out with why (message ids)."""

    placements: dict[str, MatchPlacement]
    unplaced: tuple[tuple[str, str], ...]


def played(match: Match) -> bool:
    """Matches that take court time: byes and void matches do not."""
    return match.status not in (MatchStatus.BYE, MatchStatus.VOID)


def _day_start(day: date, venue: Venue) -> datetime:
    first = min((window.start for window in venue.matchday_times), default=time(0, 0))
    return datetime.combine(day, first, CHINA_TZ)


def jobs(
    competition: Competition,
    matches: Mapping[str, Sequence[Match]],
    venue: Venue,
    placements: Mapping[str, MatchPlacement],
) -> list[Job]:
    """One job per played match of the stages' current draws. A stage after another follows all of its matches (a
    knockout after its groups); a league match is held to its home entry's courts (when given) and to its matchday
    (its postponed date, when moved)."""
    units = {entry.entry_id: entry.unit_id for entry in competition.entries}
    stages = [stage for stage in competition.stages if stage.kind in MATCH_KINDS]
    feeds = {later.stage_id: [earlier.stage_id] for earlier, later in itertools.pairwise(stages)}
    minutes = {stage.stage_id: venue.minutes(stage.stage_id) for stage in stages}
    league = {stage.stage_id for stage in stages if stage.kind == StageKind.LEAGUE}
    all_matches = [match for stage in stages for match in matches.get(stage.stage_id, ())]
    by_key = {job_id(match): match for match in all_matches}
    return [
        _held(job, by_key[job.match_id], venue, placements.get(job.match_id), job.stage_id in league)
        for job in jobs_from_matches(all_matches, units, minutes, feeds)
    ]


def _held(job: Job, match: Match, venue: Venue, placement: MatchPlacement | None, league: bool) -> Job:
    """A job held to its league ground and matchday, or to its postponed date."""
    moved_to = placement.postponed_to if placement else None
    if league:
        day = moved_to or (date.fromisoformat(match.matchday) if match.matchday else None)
        return job._replace(courts=venue.home_courts(match.home.entry),
                       not_before=_day_start(day, venue) if day else None)  # fmt: skip
    if moved_to is not None:
        return job._replace(not_before=datetime.combine(moved_to, time(0, 0), CHINA_TZ))
    return job


def sessions(venue: Venue, matches: Mapping[str, Sequence[Match]], placements: Mapping[str, MatchPlacement]) -> list[
    Session
]:  # fmt: skip
    """The venue's sessions, and for a league each matchday's (and postponed date's) windows on every court."""
    found = [Session(s.start, s.end, s.courts) for s in venue.sessions]
    if venue.matchday_times:
        days = {date.fromisoformat(m.matchday) for ms in matches.values() for m in ms if m.matchday}
        days |= {p.postponed_to for p in placements.values() if p.postponed_to is not None}
        for day in sorted(days):
            found.extend(
                Session(datetime.combine(day, w.start, CHINA_TZ), datetime.combine(day, w.end, CHINA_TZ))
                for w in venue.matchday_times
            )
    return found


def courts(venue: Venue) -> list[Court]:
    return [Court(court.court_id, court.name_zh) for court in venue.courts]


def options(venue: Venue, referees: Sequence[Referee]) -> Options:
    return Options(venue.rest_minutes, venue.together, tuple(referees) if venue.referees else ())


def fixed(
    matches: Mapping[str, Sequence[Match]], placements: Mapping[str, MatchPlacement], now: datetime
) -> dict[str, Placement]:
    """What the scheduler keeps as it is: locked placements, and matches played or already started (their start
    before ``now``)."""
    kept = {}
    for stage_matches in matches.values():
        for match in stage_matches:
            key, placement = job_id(match), placements.get(job_id(match))
            if placement is None or placement.court is None or placement.starts_at is None:
                continue
            if placement.locked or match.status == MatchStatus.DONE or placement.starts_at <= now:
                kept[key] = Placement(placement.court, placement.starts_at, placement.referee)
    return kept


def planned(
    competition: Competition,
    matches: Mapping[str, Sequence[Match]],
    venue: Venue,
    placements: Mapping[str, MatchPlacement],
    referees: Sequence[Referee],
    now: datetime,
) -> Scheduled:
    """Schedule every match not kept (``fixed``), none before ``now``; postponed matches on or after their date. A
    match played without ever being placed stays unplaced (it needs no court any more)."""
    keep = fixed(matches, placements, now)
    done = {job_id(match) for stage in matches.values() for match in stage if match.status == MatchStatus.DONE}
    found = [
        job if job.match_id in keep else job._replace(not_before=max(job.not_before or now, now))
        for job in jobs(competition, matches, venue, placements)
        if job.match_id in keep or job.match_id not in done  # played with no placement: nothing left to place
    ]
    plan: Plan = schedule(found, courts(venue), sessions(venue, matches, placements), options(venue, referees), keep)
    result: dict[str, MatchPlacement] = {}
    for job in found:
        before = placements.get(job.match_id, MatchPlacement())
        if job.match_id in keep:
            result[job.match_id] = before
        elif job.match_id in plan.placed:
            spot = plan.placed[job.match_id]
            result[job.match_id] = before.model_copy(
                update={"court": spot.court, "starts_at": spot.start.astimezone(CHINA_TZ), "referee": spot.referee}
            )
        elif before.postponed_to is not None or before.locked:
            result[job.match_id] = before.model_copy(update={"court": None, "starts_at": None, "referee": None})
    unplaced = tuple((miss.match_id, miss.reason) for miss in plan.unplaced)
    return Scheduled(result, unplaced)


def conflicts(
    competition: Competition,
    matches: Mapping[str, Sequence[Match]],
    venue: Venue,
    placements: Mapping[str, MatchPlacement],
    referees: Sequence[Referee],
) -> list[Conflict]:
    """Every rule the placements break (``schedule_conflicts``): as scheduled, or as moved by hand."""
    placed = {
        key: Placement(placement.court, placement.starts_at, placement.referee)
        for key, placement in placements.items()
        if placement.court is not None and placement.starts_at is not None
    }
    return schedule_conflicts(
        jobs(competition, matches, venue, placements),
        placed,
        courts(venue),
        sessions(venue, matches, placements),
        options(venue, referees),
    )


def conflicts_by_match(found: Sequence[Conflict]) -> dict[str, list[str]]:
    """Each flagged match's conflict kinds (message ids), each once, in the order found."""
    kinds: dict[str, list[str]] = {}
    for conflict in found:
        for key in conflict.matches:
            listed = kinds.setdefault(key, [])
            if conflict.kind not in listed:
                listed.append(conflict.kind)
    return kinds


def stored_timetable(data: Mapping[str, Any] | None) -> Timetable:
    """The timetable as stored (none yet: an empty one). One that no longer reads is logged and read as empty, so
    the competition's pages stay up; the organiser sets the venue again."""
    if not data:
        return Timetable()
    try:
        return Timetable.model_validate(data)
    except ValidationError:
        _log.warning("timetable unreadable, read as empty", exc_info=True)
        return Timetable()


def overlay(matches: Sequence[Match], venue: Venue | None, placements: Mapping[str, MatchPlacement]) -> list[Match]:
    """The matches with their court (its Chinese name) and start as the timetable places them, for every page that
    shows them. Once a venue is set the timetable alone says where and when: a match it does not place shows none.
    Without a venue the matches keep what they had."""
    if venue is None:
        return list(matches)
    shown = []
    for match in matches:
        placement = placements.get(job_id(match))
        if placement is not None and placement.court is not None and placement.starts_at is not None:
            court = venue.court(placement.court)
            name, starts = (court.name_zh if court else placement.court), placement.starts_at.astimezone(CHINA_TZ)
            shown.append(match._replace(court=name, starts_at=starts.isoformat()))
        else:
            shown.append(match._replace(court=None, starts_at=None))
    return shown


def days_outside(venue: Venue, starts_at: datetime, ends_at: datetime) -> tuple[date, ...]:
    """The days (China time) of the venue's open sessions that are not days of the event: matches placed there
    would be on a day the event is not held. The organiser is told, not refused (a postponed league match may be
    played after the season's announced end)."""
    first, last = starts_at.astimezone(CHINA_TZ).date(), ends_at.astimezone(CHINA_TZ).date()
    days = {moment.astimezone(CHINA_TZ).date() for session in venue.sessions for moment in (session.start, session.end)}
    return tuple(sorted(day for day in days if not first <= day <= last))
