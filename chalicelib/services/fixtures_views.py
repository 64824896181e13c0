"""What a tournament day's screens show, read through the services: a court board (now playing, next), an entry's
fixtures, the printable order of play per court, and a member's own next match on their pages.

Who may see a competition is decided once, by chalicelib.services.competition.view (through
competition_views.public_competition: published competitions for everyone, unpublished ones for organisers and
officials); what is on a court, and when, by the pure chalicelib.domain.competition.board from the matches as read,
whatever scheduled them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from chalicelib.domain.access import Principal
from chalicelib.domain.competition import board
from chalicelib.domain.competition.board import CourtBoard
from chalicelib.domain.competition.model import Match
from chalicelib.domain.competition.setup import CompetitionEntry
from chalicelib.domain.records import Event, EventFormat, Registration, RegistrationState
from chalicelib.errors import NotFound
from chalicelib.services import competition as competition_service
from chalicelib.services.competition import CompetitionState
from chalicelib.services.competition_views import public_competition
from chalicelib.storage import Store


class Shown(NamedTuple):
    """A competition as the reader may see it: None when it is not set up or not published (the page says so)."""

    event: Event
    state: CompetitionState | None
    unit_names: dict[str, str]

    def court_labels(self, language: str) -> dict[str, str]:
        """Each court as the reader's language names it: the venue's English name where it has one (a match names
        its court in Chinese, as the timetable lays it over the matches); without a venue, as the match names it."""
        venue = self.state.timetable.venue if self.state is not None else None
        if venue is None or language == "zh":
            return {}
        return {court.name_zh: court.name_en for court in venue.courts if court.name_en}

    def matches(self) -> list[Match]:
        """Every match of every stage, stage by stage in the competition's order."""
        if self.state is None:
            return []
        return [m for stage in self.state.competition.stages for m in self.state.stage_matches(stage.stage_id)]


def _shown(store: Store, principal: Principal, event_id: str, language: str) -> Shown:
    shown = public_competition(store, principal, event_id, language)
    return Shown(shown.event, shown.state, shown.unit_names)


class Board(NamedTuple):
    """A court board (``court`` set) or the overview of every court: the boards at the moment asked."""

    shown: Shown
    courts: list[str]
    boards: list[CourtBoard]
    at: datetime


def court_board(
    store: Store, principal: Principal, event_id: str, court: str | None, at: datetime, language: str
) -> Board:
    """Now playing and next on one court (404 ``court_not_found`` for a court no match is on), or on every court."""
    shown = _shown(store, principal, event_id, language)
    matches = shown.matches()
    courts = board.courts(matches)
    if court is not None and shown.state is not None and court not in courts:
        raise NotFound("court_not_found")
    chosen = courts if court is None else [court]
    return Board(shown, courts, [board.court_board(matches, name, at) for name in chosen] if shown.state else [], at)


class EntryFixtures(NamedTuple):
    """Every match of one entry (a team, a pair or a member) across stages, in time order."""

    shown: Shown
    entry: CompetitionEntry | None
    matches: list[Match]


def entry_fixtures(store: Store, principal: Principal, event_id: str, entry_id: str, language: str) -> EntryFixtures:
    """An entry's fixtures (404 ``competition_entry_not_found`` for an entry the competition does not have)."""
    shown = _shown(store, principal, event_id, language)
    if shown.state is None:
        return EntryFixtures(shown, None, [])
    entry = next((e for e in shown.state.competition.entries if e.entry_id == entry_id), None)
    if entry is None:
        raise NotFound("competition_entry_not_found")
    return EntryFixtures(shown, entry, board.entry_matches(shown.matches(), entry_id))


class OrderOfPlay(NamedTuple):
    """The order of play: each court (or the one asked for) with its matches in time order, and the referee the
    timetable gives a match (by ``job_id``: ``<stage_id>/<match_id>``), by name."""

    shown: Shown
    courts: list[tuple[str, list[Match]]]
    all_courts: list[str]
    referees: dict[str, str]


def _referee_names(store: Store, state: CompetitionState) -> dict[str, str]:
    """Each placed match's referee by name: one read of the event's roles, none when the timetable names nobody."""
    wanted = {key: spot.referee for key, spot in state.timetable.placements.items() if spot.referee}
    if not wanted:
        return {}
    names = {role.staff_no: role.name for role in store.event_roles.for_event(state.event.event_id)}
    return {key: names.get(staff_no, staff_no) for key, staff_no in wanted.items()}


def order_of_play(store: Store, principal: Principal, event_id: str, court: str | None, language: str) -> OrderOfPlay:
    """Every court's order of play, or one court's (404 ``court_not_found`` for a court no match is on)."""
    shown = _shown(store, principal, event_id, language)
    plan = board.order_of_play(shown.matches())
    names = [name for name, _ in plan]
    if court is not None and shown.state is not None:
        if court not in names:
            raise NotFound("court_not_found")
        plan = [(name, matches) for name, matches in plan if name == court]
    referees = _referee_names(store, shown.state) if shown.state is not None else {}
    return OrderOfPlay(shown, plan, names, referees)


# ---- a member's own next match ---------------------------------------------------------------------------------

# The registrations that put a member into a competition: confirmed (a member or a pair) or on a team's roster.
_COMPETING = frozenset({RegistrationState.CONFIRMED, RegistrationState.TEAM})


class NextMatch(NamedTuple):
    """A member's next match in one event's competition: their entry, the match, and the entries' names."""

    event_id: str
    entry_id: str
    match: Match
    names: dict[str, str]


def _plays(registration: Registration, event: Event, at: datetime) -> bool:
    """Whether a registration may put its member on a court: a tournament not over, entered or on a roster."""
    return event.format is EventFormat.TOURNAMENT and event.ends_at >= at and registration.state in _COMPETING


def next_matches(store: Store, mine: Iterable[tuple[Registration, Event]], at: datetime) -> dict[str, NextMatch]:
    """The member's next match per event, for the tournaments not over that they play in (as a member, a pair's
    member or on a team's roster) whose competition is published: one competition read per such event, nothing
    else (the registrations and events are the caller's)."""
    found: dict[str, NextMatch] = {}
    seen: set[str] = set()
    for registration, event in mine:
        if event.event_id in seen or not _plays(registration, event, at):
            continue
        seen.add(event.event_id)
        state = competition_service.load(store, event)
        if state is None or not state.competition.published:
            continue
        candidates = {registration.staff_no, registration.partner, registration.team_id} - {None}
        entry = next((e.entry_id for e in state.competition.entries if e.entry_id in candidates), None)
        matches = [m for stage in state.competition.stages for m in state.stage_matches(stage.stage_id)]
        match = board.next_match(matches, entry) if entry else None
        if entry and match:
            found[event.event_id] = NextMatch(event.event_id, entry, match, state.entry_names())
    return found
