"""Reminders before events and class sessions, and the word to members left waiting when registration closes
(issue 20 item 3). The scheduled job ``send_reminders`` (chalicelib/jobs.py) runs ``send_due`` every ten minutes;
the rules (when, who) are chalicelib/domain/reminders.py.

Nothing is scanned: events come from the calendar index (the months of the next two days; for the waiting lists,
the months an event whose registration just closed can start in; for matches, the tournaments listed in the last
four months still running), sessions from the sessions' day index, matches from each such tournament's competition
(one read) once it is published.
Each notification has a fixed id (storage: ``once_id``) written on condition that it does not exist, so a second
run, or two containers running at once, write nothing twice; the ids already written are read first in batches,
so the runs within a reminder's catch-up hour cost reads, not refused writes. Delivery outside the app (企业微信,
e-mail, SMS) follows from the notification like any other (services/delivery.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import NamedTuple

from chalicelib.domain.calendar import months_from
from chalicelib.domain.records import (
    SERIES,
    Allocation,
    Event,
    EventFormat,
    EventSession,
    EventStatus,
    NotificationKind,
    Registration,
    ReminderPlan,
)
from chalicelib.domain.reminders import (
    WAITLIST_CATCH_UP,
    Reminder,
    china_time_text,
    due_reminders,
    reminder_about,
    starts_window,
    taking_part,
    waiting_order,
    waitlist_about,
    waitlist_due,
)
from chalicelib.storage import Store
from chalicelib.storage.notifications import Notifications, once_id
from chalicelib.storage.tables import NotificationTable

# How far ahead an event whose registration just closed may start (a retreat's places are settled months before).
WAITLIST_MONTHS_AHEAD = 6
# How long a tournament runs at most (a league over a term): the calendar months read back for its matches.
MATCH_MONTHS_BACK = 4
MATCH_SCOPE = "match:"  # an occasion's scope for a match: "match:<stage>:<match>"
# Shown when neither the session nor the event names a place.
NO_VENUE = "—"


class Occasion(NamedTuple):
    """Something a member is reminded of: an event, or one session of a class (``scope`` its session id)."""

    event: Event
    scope: str
    starts_at: datetime
    venue: str


def send_due(store: Store, at: datetime) -> dict[str, int]:
    """Write the reminders due at ``at`` and tell the waiting lists of registrations that closed: how many
    notifications this run wrote of each kind (0 when another run already had)."""
    return {"reminders": send_reminders(store, at), "waitlist_closed": tell_waiting_lists(store, at)}


def occasions(store: Store, at: datetime) -> list[Occasion]:
    """What starts within the window of ``at`` (``starts_window``) for an event with reminders: each event without
    sessions, each session of a class."""
    low, high = starts_window(at)
    found: dict[tuple[str, str], Occasion] = {}
    for event in store.events.listed_starting(low, high):
        if not _reminds(event):
            continue
        sessions = store.sessions.for_event(event.event_id)
        if not sessions:
            found[event.event_id, SERIES] = Occasion(event, SERIES, event.starts_at, _venue(event))
        # A class starting now: its sessions in the window (also those stored before the sessions' day index).
        found.update(
            ((event.event_id, s.session_id), Occasion(event, s.session_id, s.starts_at, _venue(event, s)))
            for s in sessions
            if low <= s.starts_at < high
        )
    # The later sessions of classes that started before (by_day index).
    later = [s for s in store.sessions.starting_between(low, high) if (s.event_id, s.session_id) not in found]
    events = store.events.get_many({s.event_id for s in later}) if later else {}
    for s in later:
        owner = events.get(s.event_id)
        if owner is not None and owner.status is not EventStatus.DRAFT and _reminds(owner):
            found[s.event_id, s.session_id] = Occasion(owner, s.session_id, s.starts_at, _venue(owner, s))
    return list(found.values())


def match_occasions(store: Store, at: datetime) -> list[tuple[Occasion, list[str]]]:
    """The scheduled matches starting within the window of ``at`` in tournaments with reminders whose competition
    is published (before that the times are the organisers' draft), each with the members who play it: the
    entry's own member, both members of a pair, the members on a team's roster taking part."""
    low, high = starts_window(at)
    months = months_from(at - timedelta(days=31 * MATCH_MONTHS_BACK), MATCH_MONTHS_BACK + 2)
    found: list[tuple[Occasion, list[str]]] = []
    for event in store.events.listed_running(low, high, months, EventFormat.TOURNAMENT.value):
        if _reminds(event):
            found.extend(_tournament_matches(store, event, low, high))
    return found


def _tournament_matches(store: Store, event: Event, low: datetime, high: datetime) -> list[tuple[Occasion, list[str]]]:
    from chalicelib.domain.competition import board
    from chalicelib.domain.competition.model import MatchStatus
    from chalicelib.services import competition as competition_service  # tournaments only

    state = competition_service.load(store, event)
    if state is None or not state.competition.published:
        return []
    soon = []
    for stage in state.competition.stages:
        for match in state.stage_matches(stage.stage_id):
            start = board.start_of(match)
            if match.status in (MatchStatus.READY, MatchStatus.WAITING) and start and low <= start < high:
                soon.append((match, start))
    if not soon:
        return []
    players = _players_by_entry(store.registrations.for_event(event.event_id))
    found = []
    for match, start in soon:
        members = sorted({p for entry in match.entries for p in players.get(entry, ())})
        venue = " · ".join(part for part in (match.court, event.venue) if part) or _venue(event)
        found.append((Occasion(event, f"{MATCH_SCOPE}{match.stage_id}:{match.match_id}", start, venue), members))
    return found


def _players_by_entry(registrations: list[Registration]) -> dict[str, set[str]]:
    """Entry id (a member's 工号, a pair's lead, a team's id) -> the 工号 of the members taking part under it."""
    playing = set(taking_part(registrations))
    by_entry: dict[str, set[str]] = {}
    for r in registrations:
        if r.staff_no in playing:
            for entry in {r.staff_no, r.partner, r.team_id} - {None}:
                by_entry.setdefault(str(entry), set()).add(r.staff_no)
    return by_entry


def _reminds(event: Event) -> bool:
    return event.status is not EventStatus.CANCELLED and event.reminders is not ReminderPlan.NONE


def _venue(event: Event, session: EventSession | None = None) -> str:
    return (session.venue if session else None) or event.venue or event.campus or NO_VENUE


def send_reminders(store: Store, at: datetime) -> int:
    written = 0
    for occasion in occasions(store, at):
        due = due_reminders(occasion.event.reminders, occasion.starts_at, at)
        if not due:
            continue
        registrations = store.registrations.for_event(occasion.event.event_id)
        members = _taking_part(registrations, occasion.scope)
        written += _write_once(_reminder_items(occasion, due, members, at), store)
    for occasion, members in match_occasions(store, at):
        due = due_reminders(occasion.event.reminders, occasion.starts_at, at)
        if due and members:
            written += _write_once(_reminder_items(occasion, due, members, at), store)
    return written


def _taking_part(registrations: list[Registration], scope: str) -> list[str]:
    """Who is reminded of ``scope``: those taking part in the whole event, and for a session those registered for
    that session alone."""
    series = taking_part(r for r in registrations if r.scope == SERIES)
    if scope == SERIES:
        return series
    return sorted({*series, *taking_part(r for r in registrations if r.scope == scope)})


def _reminder_items(
    occasion: Occasion, due: list[Reminder], members: list[str], at: datetime
) -> list[NotificationTable]:
    event = occasion.event
    details = {"when": china_time_text(occasion.starts_at), "venue": occasion.venue}
    if occasion.scope.startswith(MATCH_SCOPE):
        details["match"] = occasion.scope.removeprefix(MATCH_SCOPE)
    elif occasion.scope != SERIES:
        details["session"] = occasion.scope
    return [
        Notifications.item(
            staff_no,
            NotificationKind.REMINDER,
            event.event_id,
            event.title_zh,
            at,
            details,
            notification_id=once_id(reminder_about(event.event_id, occasion.scope, reminder, staff_no), reminder.at),
        )
        for reminder in due
        for staff_no in members
    ]


def tell_waiting_lists(store: Store, at: datetime) -> int:
    """Members still waiting once registration closed get one ``waitlist_closed`` with their place in line, for the
    whole event and for each session with its own waiting list."""
    months = months_from(at - timedelta(days=31), WAITLIST_MONTHS_AHEAD + 2)
    written = 0
    for event in store.events.closed_with_waiting(at - WAITLIST_CATCH_UP, at + timedelta(microseconds=1), months):
        closes_at = event.registration_closes_at
        if closes_at is None or not _tells_waiting_list(event) or not waitlist_due(closes_at, at):
            continue
        registrations = store.registrations.for_event(event.event_id)
        items: list[NotificationTable] = []
        for scope in sorted({r.scope for r in registrations}):
            line = waiting_order(r for r in registrations if r.scope == scope)
            items.extend(
                _waiting_item(event, scope, staff_no, position, closes_at, at)
                for position, staff_no in enumerate(line, 1)
            )
        written += _write_once(items, store)
    return written


def _tells_waiting_list(event: Event) -> bool:
    """A lottery's waiting list is told by the draw itself (``not_drawn``: on the waiting list in draw order)."""
    return event.status is not EventStatus.CANCELLED and event.allocation is not Allocation.LOTTERY


def _waiting_item(
    event: Event, scope: str, staff_no: str, position: int, closes_at: datetime, at: datetime
) -> NotificationTable:
    details: dict[str, object] = {"position": position}
    if scope != SERIES:
        details["session"] = scope
    about = waitlist_about(event.event_id, closes_at, f"{scope}#{staff_no}")
    return Notifications.item(
        staff_no,
        NotificationKind.WAITLIST_CLOSED,
        event.event_id,
        event.title_zh,
        at,
        details,
        notification_id=once_id(about, closes_at),
    )


def _write_once(items: Iterable[NotificationTable], store: Store) -> int:
    """Write each notification unless it is written already: those found are skipped, the rest written on
    condition (another run may be writing the same ones right now: only one of the two writes each)."""
    listed = list(items)
    written_before = store.notifications.existing((item.staff_no, item.notification_id) for item in listed)
    return sum(
        1
        for item in listed
        if (item.staff_no, item.notification_id) not in written_before and store.notifications.put_once(item)
    )
