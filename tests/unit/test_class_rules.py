"""The rules of a class's places (issue 17 item 7): whole term against single sessions, and sessions closing when
they start."""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.event_rules import (
    RegistrationPhase,
    clashing_scopes,
    class_clash,
    registration_refusal,
    session_registration_phase,
    sessions_ahead,
)
from chalicelib.domain.records import SERIES, Event, EventFormat, EventKind, EventStatus, RegistrationState

AT = datetime(2026, 10, 14, 12, 0, tzinfo=CHINA_TZ)
TERM = Event(
    event_id="ev",
    owner_unit_id="school",
    kind=EventKind.WELLNESS,
    format=EventFormat.CLASS,
    title_zh="瑜伽",
    starts_at=AT - timedelta(days=21),
    ends_at=AT + timedelta(days=60),
    status=EventStatus.PUBLISHED,
    registration_closes_at=AT - timedelta(days=22),
    single_sessions=True,
)
SESSIONS = [(f"s{n:02d}", TERM.starts_at + timedelta(weeks=n - 1)) for n in range(1, 13)]


def test_single_session_places_close_when_their_session_starts_not_with_the_term():
    past, tonight = TERM.starts_at, AT + timedelta(hours=7)
    assert registration_refusal(TERM, None, AT) == "registration_closed"  # the term closed three weeks ago
    assert registration_refusal(TERM, tonight, AT) is None
    assert session_registration_phase(TERM, tonight, AT) is RegistrationPhase.OPEN
    assert registration_refusal(TERM, past, AT) == "session_started"
    assert registration_refusal(TERM, AT, AT) == "session_started"  # at the start exactly: closed
    # An organiser closing registration, or a draft, closes single sessions too.
    closed = TERM._replace(status=EventStatus.REGISTRATION_CLOSED)
    assert registration_refusal(closed, tonight, AT) == "registration_closed"
    assert registration_refusal(TERM._replace(status=EventStatus.DRAFT), tonight, AT) == "registration_unavailable"
    later = TERM._replace(registration_opens_at=AT + timedelta(hours=1))
    assert registration_refusal(later, tonight, AT) == "registration_not_yet"


def test_sessions_ahead_are_those_not_started():
    ahead = sessions_ahead(SESSIONS, AT)
    assert ahead[0] == "s05" and len(ahead) == 8  # s01-s04 have started (s04 starts at this very moment)


def test_the_term_and_its_sessions_are_not_held_together():
    ahead = sessions_ahead(SESSIONS, AT)
    confirmed, waiting, cancelled = RegistrationState.CONFIRMED, RegistrationState.WAITING, RegistrationState.CANCELLED
    assert class_clash("s06", [(SERIES, confirmed)], ahead) == "holds_term"
    assert class_clash("s06", [(SERIES, waiting)], ahead) == "holds_term"  # a waiting place may become a place
    assert class_clash("s06", [(SERIES, cancelled)], ahead) is None
    assert class_clash(SERIES, [("s06", confirmed)], ahead) == "holds_sessions"
    assert class_clash(SERIES, [("s06", cancelled)], ahead) is None
    assert class_clash(SERIES, [("s02", confirmed)], ahead) is None  # started: nothing is held twice any more
    assert class_clash("s07", [("s06", confirmed)], ahead) is None  # several single sessions are fine
    assert clashing_scopes("s06", ahead) == (SERIES,)
    assert clashing_scopes(SERIES, ahead) == tuple(ahead)
