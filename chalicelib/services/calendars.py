"""Calendar files (issue 20 item 5): an event's .ics, a member's registration's .ics, and the member's personal
subscription feed with all their current registrations and scheduled matches.

The subscription link is ``/calendar/<feed id>.<secret>.ics``: a random feed id (80 bits) that names nobody and a
random secret (160 bits) of which only the SHA-256 is stored (chalicelib.storage.calendar_feeds). Calendar apps
cannot sign in, so the link is the credential: shown once when made, replaced by a new one (the old one dies at
once) or revoked; a wrong, revoked or malformed link, or one of a member who may no longer sign in, is the same 404.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import quote

from chalicelib.domain import ics
from chalicelib.domain.access import Principal
from chalicelib.domain.competition import board
from chalicelib.domain.competition.model import Match
from chalicelib.domain.competition.timetable import DEFAULT_SLOT_MINUTES
from chalicelib.domain.language import localized
from chalicelib.domain.records import (
    SERIES,
    STATE_LABELS,
    Event,
    EventFormat,
    EventSession,
    EventStatus,
    Registration,
    RegistrationState,
)
from chalicelib.errors import Conflict, NotFound
from chalicelib.i18n import translate
from chalicelib.services import identity
from chalicelib.services import registration as registration_service
from chalicelib.storage import Store
from chalicelib.storage.calendar_feeds import Feed, FeedChanged

if TYPE_CHECKING:
    from chalicelib.services.competition import CompetitionState  # loaded only for tournaments

FEED_ID_BYTES = 10  # 16 base32 characters
SECRET_BYTES = 20  # 32 base32 characters: guessing one is hopeless, however many wrong guesses are allowed
FEED_REGISTRATIONS = 100  # the newest registrations a feed reads (one query)
DESCRIPTION_LENGTH = 500
FEED_MAX_AGE = 900  # seconds a calendar app (or a proxy for one member) may keep a feed
FILE_MAX_AGE = 300

# Registrations a calendar shows: holding a place, or hoping for one (tentative).
_HELD = frozenset({RegistrationState.CONFIRMED, RegistrationState.TEAM, RegistrationState.PARTNER})
_HOPING = frozenset({RegistrationState.WAITING, RegistrationState.PENDING, RegistrationState.AWAITING_PARTNER})
_PLAYS = frozenset({RegistrationState.CONFIRMED, RegistrationState.TEAM, RegistrationState.PARTNER})


class CalendarFile(NamedTuple):
    filename: str
    body: str
    max_age: int = FILE_MAX_AGE

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body.encode()).hexdigest()[:32] + '"'


class FeedStatus(NamedTuple):
    """The member's subscription as their page shows it: when it was made (the link itself is shown only once)."""

    created_at: datetime


def _b32(size: int) -> str:
    return base64.b32encode(secrets.token_bytes(size)).decode().rstrip("=").lower()


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def feed_path(token: str) -> str:
    return f"/calendar/{token}.ics"


def event_path(event_id: str) -> str:
    return f"/events/{quote(event_id, safe='')}"


# ---- entries ------------------------------------------------------------------------------------------------------


def _description(event: Event, language: str, url: str, state: RegistrationState | None) -> str:
    lines = []
    if state is not None:
        lines.append(translate("calendar.state_line", language, state=translate(STATE_LABELS[state], language)))
    text = localized(event, "description", language).strip()
    if len(text) > DESCRIPTION_LENGTH:
        text = text[: DESCRIPTION_LENGTH - 1].rstrip() + "…"
    if text:
        lines.append(text)
    lines.append(url)
    return "\n".join(lines)


def _location(venue: str | None, event: Event) -> str | None:
    parts = [part for part in (venue or event.venue, event.campus) if part]
    return " · ".join(dict.fromkeys(parts)) or None


def event_entries(
    event: Event,
    sessions: Iterable[EventSession],
    base: str,
    language: str,
    state: RegistrationState | None = None,
) -> list[ics.CalendarEntry]:
    """The event as calendar entries: one per session of a class (each its own time and place), else one.
    ``state``: the member's registration (a line in the description; waiting or pending ones are tentative)."""
    url = base + event_path(event.event_id)
    title = localized(event, "title", language)
    common = {
        "description": _description(event, language, url, state),
        "url": url,
        "cancelled": event.status is EventStatus.CANCELLED,
        "tentative": state in _HOPING,
    }
    listed = sorted(sessions, key=lambda s: (s.starts_at, s.session_id))
    if not listed:
        return [
            ics.CalendarEntry(
                uid=ics.uid(event.event_id),
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                summary=title,
                location=_location(None, event),
                **common,  # type: ignore[arg-type]
            )
        ]
    return [
        ics.CalendarEntry(
            uid=ics.uid(event.event_id, s.session_id),
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            summary=translate("calendar.session_summary", language, title=title, number=_number(s.session_id)),
            location=_location(s.venue, event),
            **common,  # type: ignore[arg-type]
        )
        for s in listed
    ]


def _number(session_id: str) -> int | str:
    """s03 → 3 (session ids are "s01", "s02" … in date order)."""
    digits = session_id.lstrip("s")
    return int(digits) if digits.isdigit() else session_id


def _filename(event: Event, language: str) -> str:
    title = localized(event, "title", language)
    cleaned = "".join("_" if ch in '\\/:*?"<>|' or ord(ch) < 32 else ch for ch in title).strip(" .")[:40]
    return (cleaned or event.event_id) + ".ics"


# ---- one event, one registration ----------------------------------------------------------------------------------


def event_calendar(store: Store, principal: Principal, event_id: str, base: str, language: str) -> CalendarFile:
    """An event's .ics: anyone who may see the event (drafts only its organisers)."""
    event = registration_service.visible_event(store, principal, event_id)
    sessions = store.sessions.for_event(event.event_id)
    entries = event_entries(event, sessions, base, language)
    body = ics.calendar(entries, name=localized(event, "title", language), stamp=_stamp())
    return CalendarFile(_filename(event, language), body)


def registration_calendar(
    store: Store, principal: Principal, event_id: str, scope: str, base: str, language: str
) -> CalendarFile:
    """The member's own registration as an .ics: a single-session registration its session only, a registration for
    the whole event every session. Nobody else's: the registration is looked up under the caller's own 工号."""
    registration = store.registrations.get(event_id, scope, principal.member_no)
    event = store.events.get(event_id) if registration is not None else None
    state = _calendar_state(store, registration) if registration is not None else None
    if event is None or state is None:
        raise NotFound("calendar_registration_not_found")
    sessions = _sessions_of(store, event, scope)
    entries = event_entries(event, sessions, base, language, state)
    body = ics.calendar(entries, name=localized(event, "title", language), stamp=_stamp())
    return CalendarFile(_filename(event, language), body)


def _sessions_of(store: Store, event: Event, scope: str) -> list[EventSession]:
    if scope != SERIES:
        session = store.sessions.get(event.event_id, scope)
        return [session] if session is not None else []
    return store.sessions.for_event(event.event_id) if event.format is EventFormat.CLASS else []


def _calendar_state(store: Store, registration: Registration) -> RegistrationState | None:
    """How a registration shows in a calendar: held, hoped for (tentative), or not at all (ended, an invitation not
    answered). A pair's partner shows as the lead's registration stands."""
    state = registration.state
    if state is RegistrationState.PARTNER and registration.partner:
        lead = store.registrations.get(registration.event_id, registration.scope, registration.partner)
        state = lead.state if lead is not None else RegistrationState.CANCELLED
        if state is RegistrationState.PARTNER:
            state = RegistrationState.CONFIRMED
    if state in _HELD or state in _HOPING:
        return state
    return None


def _stamp() -> datetime:
    from chalicelib.domain.calendar import now

    return now()


# ---- the subscription ---------------------------------------------------------------------------------------------


def feed_status(store: Store, principal: Principal) -> FeedStatus | None:
    feed = store.calendar_feeds.of_member(principal.member_no)
    return FeedStatus(feed.created_at) if feed else None


def new_feed(store: Store, principal: Principal, at: datetime) -> str:
    """A new subscription link's token (``<feed id>.<secret>``), replacing the member's old one (which stops
    working at once). Shown once: only the secret's digest is kept."""
    staff_no = principal.member_no
    for _ in range(3):
        current = store.calendar_feeds.of_member(staff_no)
        feed_id, secret = _b32(FEED_ID_BYTES), _b32(SECRET_BYTES)
        try:
            store.calendar_feeds.replace(
                staff_no, current.feed_id if current else None, Feed(feed_id, staff_no, _digest(secret), at)
            )
        except FeedChanged:
            continue  # renewed or revoked meanwhile (another tab): read again and replace what is there now
        return f"{feed_id}.{secret}"
    raise Conflict("calendar_feed_busy")


def revoke_feed(store: Store, principal: Principal) -> bool:
    """Remove the member's link; False when there was none."""
    staff_no = principal.member_no
    for _ in range(3):
        current = store.calendar_feeds.of_member(staff_no)
        if current is None:
            return False
        try:
            store.calendar_feeds.replace(staff_no, current.feed_id, None)
        except FeedChanged:
            continue
        return True
    raise Conflict("calendar_feed_busy")


def _feed_owner(store: Store, token: str) -> str:
    """The 工号 a feed token belongs to; 404 for anything else (malformed, unknown, revoked, wrong secret, a member
    who may not sign in), all alike."""
    feed_id, _, secret = token.removesuffix(".ics").partition(".")
    feed = store.calendar_feeds.by_id(feed_id) if feed_id and secret else None
    if feed is None or not hmac.compare_digest(feed.digest, _digest(secret)):
        raise NotFound("calendar_feed_not_found")
    if not identity.may_sign_in(store.members.get(feed.staff_no)):
        raise NotFound("calendar_feed_not_found")
    return feed.staff_no


def feed_calendar(store: Store, token: str, base: str, language: str) -> CalendarFile:
    """The member's subscription: every current registration (ended ones disappear; waiting ones tentative) and
    the scheduled matches of the tournaments they play in, whose competition is published."""
    staff_no = _feed_owner(store, token)
    registrations = store.registrations.for_member(staff_no, FEED_REGISTRATIONS)
    states = {(r.event_id, r.scope): _calendar_state(store, r) for r in registrations}
    shown = [r for r in registrations if states[(r.event_id, r.scope)] is not None]
    events = store.events.get_many({r.event_id for r in shown}) if shown else {}
    entries: dict[str, ics.CalendarEntry] = {}
    for registration in shown:
        event = events.get(registration.event_id)
        if event is None:
            continue
        state = states[(registration.event_id, registration.scope)]
        for entry in event_entries(event, _sessions_of(store, event, registration.scope), base, language, state):
            entries.setdefault(entry.uid, entry)
        if state in _PLAYS and event.format is EventFormat.TOURNAMENT:
            for entry in _match_entries(store, event, registration, base, language):
                entries.setdefault(entry.uid, entry)
    name = translate("calendar.feed_name", language)
    body = ics.calendar(entries.values(), name=name, stamp=_stamp(), feed=True)
    return CalendarFile("calendar.ics", body, FEED_MAX_AGE)


def _match_entries(
    store: Store, event: Event, registration: Registration, base: str, language: str
) -> list[ics.CalendarEntry]:
    """The scheduled matches of the member's entry (themself, their pair or their team), published competitions
    only: one competition read."""
    from chalicelib.services import competition as competition_service  # tournaments only

    state = competition_service.load(store, event)
    if state is None or not state.competition.published:
        return []
    candidates = {registration.staff_no, registration.partner, registration.team_id} - {None}
    entry = next((e.entry_id for e in state.competition.entries if e.entry_id in candidates), None)
    if entry is None:
        return []
    url = f"{base}{event_path(event.event_id)}/competition/entries/{quote(entry, safe='')}"
    matches = [m for stage in state.competition.stages for m in state.stage_matches(stage.stage_id)]
    found = (_match_entry(event, match, entry, state, url, language) for match in board.entry_matches(matches, entry))
    return [entry_ for entry_ in found if entry_ is not None]


def _match_entry(
    event: Event, match: Match, entry: str, state: CompetitionState, url: str, language: str
) -> ics.CalendarEntry | None:
    """One match of the entry as a calendar entry (None while it has no time): its court, its opponent, as long as
    its stage's slot."""
    start = board.start_of(match)
    if start is None:
        return None
    other = match.away.entry if match.home.entry == entry else match.home.entry
    names = state.entry_names()
    opponent = names.get(other, other) if other else translate("competition.public.to_be_decided", language)
    venue = state.timetable.venue
    minutes = venue.minutes(match.stage_id) if venue else DEFAULT_SLOT_MINUTES
    title = localized(event, "title", language)
    return ics.CalendarEntry(
        uid=ics.uid(event.event_id, "m", match.stage_id, match.match_id),
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        summary=translate("calendar.match_summary", language, title=title, opponent=opponent),
        location=" · ".join(p for p in (match.court, event.venue) if p) or None,
        description=url,
        url=url,
        cancelled=event.status is EventStatus.CANCELLED,
    )
