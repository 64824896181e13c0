"""Request and response models of a competition's timetable (chalicelib.api.schedule).

The venue's parts are the engine's own models (chalicelib.domain.competition.timetable), so the API accepts exactly
what the scheduler can use. A match is named by its key, ``<stage_id>/<match_id>`` (match ids are unique only
within their stage). Times are ISO 8601 with their offset (China time, +08:00).
"""

from datetime import date, datetime, time
from typing import Annotated

from pydantic import AwareDatetime, Field

from chalicelib.domain.competition.timetable import (
    DEFAULT_SLOT_MINUTES,
    HomeVenue,
    MatchdayTime,
    OpenSession,
    StageMinutes,
    VenueCourt,
)
from chalicelib.http.schemas import ApiModel, InputModel

MatchKey = Annotated[
    str, Field(pattern=r"^[a-z][a-z0-9_-]{0,23}/[A-Za-z0-9:_-]{1,40}$", examples=["groups/A1-1", "knockout/W3-1"])
]
CourtId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$", examples=["c1"])]


class VenueIn(InputModel):
    """The venue: its courts, the sessions they are open, and the rules the scheduler keeps."""

    courts: list[VenueCourt] = Field(min_length=1, max_length=64)
    sessions: list[OpenSession] = Field(default_factory=list, max_length=60, description="when the courts are open")
    slot_minutes: int = Field(default=DEFAULT_SLOT_MINUTES, ge=10, le=600, description="a match's slot, every stage")
    stage_minutes: list[StageMinutes] = Field(default_factory=list, max_length=6, description="a stage's own slot")
    rest_minutes: int = Field(default=0, ge=0, le=240, description="an entry's minimum rest between matches")
    together: bool = Field(default=False, description="keep each round's matches together")
    referees: bool = Field(default=False, description="assign the event's referees, never to their own unit's match")
    home_venues: list[HomeVenue] = Field(default_factory=list, max_length=256, description="a league: home courts")
    matchday_times: list[MatchdayTime] = Field(default_factory=list, max_length=4, description="a league's matchday")


class MoveIn(InputModel):
    match: MatchKey
    court: CourtId
    starts_at: AwareDatetime


class SwapIn(InputModel):
    first: MatchKey
    second: MatchKey


class LockIn(InputModel):
    match: MatchKey
    locked: bool


class PostponeIn(InputModel):
    match: MatchKey
    to: date = Field(description="the scheduler places it again on or after this date")


class MatchIn(InputModel):
    match: MatchKey


class VenueCourtOut(ApiModel):
    court_id: str
    name_zh: str
    name_en: str | None


class SessionOut(ApiModel):
    start: datetime
    end: datetime
    courts: list[str]


class VenueOut(ApiModel):
    courts: list[VenueCourtOut]
    sessions: list[SessionOut]
    slot_minutes: int
    stage_minutes: dict[str, int]
    rest_minutes: int
    together: bool
    referees: bool
    home_venues: dict[str, list[str]]
    matchday_times: list[tuple[time, time]]


class SideOut(ApiModel):
    entry_id: str | None
    name: str | None


class TimetableRowOut(ApiModel):
    key: str
    stage_id: str
    match_id: str
    bracket: str
    round: int
    home: SideOut
    away: SideOut
    court: str | None
    court_name: str | None
    starts_at: datetime | None
    ends_at: datetime | None
    referee: str | None
    referee_name: str | None
    locked: bool
    postponed_to: date | None
    status: str = Field(description="played, ready or waiting")
    conflicts: list[str] = Field(description="the kinds of the conflicts it is in (schedule_* codes)")


class UnplacedOut(ApiModel):
    key: str
    reason: str


class ConflictOut(ApiModel):
    kind: str
    matches: list[str]


class TimetableOut(ApiModel):
    venue: VenueOut | None
    version: int | None = Field(description="the timetable's own version (results never change it)")
    rows: list[TimetableRowOut]
    unplaced: list[UnplacedOut]
    conflicts: list[ConflictOut]
