"""A competition's timetable: the venue, the scheduler, and moves by hand (organisers of the event only).

The routes parse, call chalicelib.services.schedule and shape its view: every match that takes court time with
its court, start, referee, lock, postponement and the conflicts it is in. Moves that break a rule are allowed and
flagged (``conflicts``); a played match is never moved (409 ``schedule_match_played``).
"""

from __future__ import annotations

from chalicelib.api.schedule_schemas import (
    ConflictOut,
    LockIn,
    MatchIn,
    MoveIn,
    PostponeIn,
    SessionOut,
    SideOut,
    SwapIn,
    TimetableOut,
    TimetableRowOut,
    UnplacedOut,
    VenueCourtOut,
    VenueIn,
    VenueOut,
)
from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.competition.timetable import Venue
from chalicelib.errors import NotFound
from chalicelib.http.routing import ApiRoutes
from chalicelib.services import schedule as schedule_service
from chalicelib.services.schedule import TimetableRow, TimetableView
from chalicelib.storage import get_store

routes = ApiRoutes(__name__, tag="competition")

organisers = routes.sharing(access=Access.UNIT_ADMIN, errors=(404, 409))
timetable_change = routes.sharing(method="POST", access=Access.UNIT_ADMIN, response=TimetableOut, errors=(404, 409))


def venue_out(venue: Venue) -> VenueOut:
    return VenueOut(
        courts=[VenueCourtOut(court_id=c.court_id, name_zh=c.name_zh, name_en=c.name_en) for c in venue.courts],
        sessions=[SessionOut(start=s.start, end=s.end, courts=list(s.courts)) for s in venue.sessions],
        slot_minutes=venue.slot_minutes,
        stage_minutes={m.stage_id: m.minutes for m in venue.stage_minutes},
        rest_minutes=venue.rest_minutes,
        together=venue.together,
        referees=venue.referees,
        home_venues={h.entry_id: list(h.courts) for h in venue.home_venues},
        matchday_times=[(w.start, w.end) for w in venue.matchday_times],
    )


def _row(row: TimetableRow) -> TimetableRowOut:
    match = row.match
    return TimetableRowOut(
        key=row.key, stage_id=match.stage_id, match_id=match.match_id, bracket=match.bracket, round=match.round,
        home=SideOut(entry_id=match.home.entry, name=row.home_name),
        away=SideOut(entry_id=match.away.entry, name=row.away_name),
        court=row.court, court_name=row.court_name, starts_at=row.starts_at, ends_at=row.ends_at,
        referee=row.referee, referee_name=row.referee_name, locked=row.locked, postponed_to=row.postponed_to,
        status=row.status, conflicts=list(row.conflicts),
    )  # fmt: skip


def timetable_out(view: TimetableView) -> TimetableOut:
    return TimetableOut(
        venue=venue_out(view.venue) if view.venue else None,
        version=view.version,
        rows=[_row(row) for row in view.rows],
        unplaced=[UnplacedOut(key=key, reason=reason) for key, reason in view.unplaced],
        conflicts=[ConflictOut(kind=kind, matches=list(keys)) for kind, keys in view.conflicts],
    )


@organisers(
    "/events/{event_id}/competition/timetable",
    summary="The competition's timetable: each match's court, time, referee, lock and conflicts",
    response=TimetableOut,
)
def show_timetable(principal: Principal, event_id: str) -> TimetableOut:
    """``unplaced`` lists the matches with no court and time and why (``schedule_no_venue`` before the venue is
    set, ``schedule_postponed``, ``schedule_no_court_time`` ...); ``conflicts`` every rule the placements break."""
    return timetable_out(schedule_service.timetable(get_store(), principal, event_id))


@organisers("/events/{event_id}/competition/venue", summary="The venue the matches are scheduled in", response=VenueOut)
def show_venue(principal: Principal, event_id: str) -> VenueOut:
    """404 ``schedule_no_venue`` until the organisers set it."""
    view = schedule_service.timetable(get_store(), principal, event_id)
    if view.venue is None:
        raise NotFound(schedule_service.NO_VENUE)
    return venue_out(view.venue)


@organisers(
    "/events/{event_id}/competition/venue",
    method="PUT",
    summary="Set the venue: courts, sessions, slot and rest minutes, rounds together, referees, league grounds",
    body=VenueIn,
    response=VenueOut,
)
def set_venue(principal: Principal, event_id: str, body: VenueIn) -> VenueOut:
    """Placements stay; what the new venue makes wrong (a court gone, a session shortened) is flagged in the
    timetable. 400 for a venue that cannot be used (a session ending before it starts, an unknown court or stage)."""
    venue = schedule_service.set_venue(get_store(), principal, event_id, body.model_dump(mode="json"), now())
    return venue_out(venue)


@timetable_change("/events/{event_id}/competition/schedule", summary="Schedule every match not locked or played")
def auto_schedule(principal: Principal, event_id: str) -> TimetableOut:
    """From now on, around the matches locked by hand, played or already started. 409 ``schedule_no_venue``."""
    return timetable_out(schedule_service.auto_schedule(get_store(), principal, event_id, now()))


@timetable_change(
    "/events/{event_id}/competition/schedule/move", summary="Put a match on a court at a time", body=MoveIn
)
def move_match(principal: Principal, event_id: str, body: MoveIn) -> TimetableOut:
    """The match is locked there. A move that breaks a rule is made and flagged in ``conflicts``."""
    view = schedule_service.move(get_store(), principal, event_id, body.match, body.court, body.starts_at, now())
    return timetable_out(view)


@timetable_change(
    "/events/{event_id}/competition/schedule/swap", summary="Swap two matches' courts and times", body=SwapIn
)
def swap_matches(principal: Principal, event_id: str, body: SwapIn) -> TimetableOut:
    """Both are locked. 409 ``schedule_not_placed`` when either has no court and time."""
    return timetable_out(schedule_service.swap(get_store(), principal, event_id, body.first, body.second, now()))


@timetable_change(
    "/events/{event_id}/competition/schedule/lock", summary="Lock a match where it is, or unlock it", body=LockIn
)
def lock_match(principal: Principal, event_id: str, body: LockIn) -> TimetableOut:
    return timetable_out(schedule_service.set_locked(get_store(), principal, event_id, body.match, body.locked, now()))


@timetable_change(
    "/events/{event_id}/competition/schedule/postpone", summary="Postpone a match to a later date", body=PostponeIn
)
def postpone_match(principal: Principal, event_id: str, body: PostponeIn) -> TimetableOut:
    """It leaves its court and time; the scheduler places it again on or after ``to`` (a league match on that
    day's matchday times, at its home ground)."""
    return timetable_out(schedule_service.postpone(get_store(), principal, event_id, body.match, body.to, now()))


@timetable_change(
    "/events/{event_id}/competition/schedule/unschedule", summary="Take a match off the timetable", body=MatchIn
)
def unschedule_match(principal: Principal, event_id: str, body: MatchIn) -> TimetableOut:
    return timetable_out(schedule_service.unschedule(get_store(), principal, event_id, body.match, now()))
