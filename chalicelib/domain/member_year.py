"""A member's year (issue 21 item 3): which of their registrations count, and the stretches of time read for a year.

Pure rules: chalicelib.services.member_year reads the member's registrations and check-ins of the year by index and
asks these functions what each event was for them. An event belongs to the year it starts in (China time). A member
took part in an event when one of their registrations held a place (confirmed, a pair's partner, on a team's
roster: the states that admit at check-in) and the event was not cancelled; only those count in the year's totals
and appear on the printed record. Events they only waited for, were still pending in, or left (cancelled, removed,
rejected) and events that were cancelled are listed on the page, marked as such, and count for nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from chalicelib.domain.archive import FIRST_YEAR, LAST_YEAR
from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.checkin import ADMITTING_STATES
from chalicelib.domain.records import EventStatus, RegistrationState

YEARS_OFFERED = 5  # the year picker: this year and the four before


class Participation(StrEnum):
    """What an event of the year was for the member (their best registration's state decides)."""

    TOOK_PART = "took_part"  # held a place
    WAITING = "waiting"  # on the waiting list
    PENDING = "pending"  # awaiting approval, a lottery, a partner's answer
    WITHDRAWN = "withdrawn"  # cancelled by the member, removed or rejected
    EVENT_CANCELLED = "event_cancelled"  # the event itself was cancelled


_PENDING = frozenset({RegistrationState.PENDING, RegistrationState.AWAITING_PARTNER, RegistrationState.INVITED})


def year_start(year: int) -> datetime:
    """Midnight of 1 January of ``year``, China time."""
    return datetime(year, 1, 1, tzinfo=CHINA_TZ)


def starts_in(moment: datetime, year: int) -> bool:
    """Whether ``moment`` falls in ``year``, China time (an event belongs to the year it starts in)."""
    return moment.astimezone(CHINA_TZ).year == year


def registrations_window(year: int) -> tuple[datetime, datetime]:
    """When the registrations for a year's events were made: from 1 January of the year before (registration opens
    before an event starts) to the end of the year after (an organiser may enter a registration after the event)."""
    return year_start(year - 1), year_start(year + 2)


def check_ins_window(year: int) -> tuple[datetime, datetime]:
    """When the check-ins at a year's events were made: from 1 December of the year before (a door opening before
    the first minute of the year) to the end of the year after (a class term running into it)."""
    return datetime(year - 1, 12, 1, tzinfo=CHINA_TZ), year_start(year + 2)


def participation(states: Iterable[RegistrationState], event_status: EventStatus) -> Participation:
    """The member's part in one event from the states of their registrations for it (the whole event, sessions)."""
    held = set(states)
    if event_status is EventStatus.CANCELLED:
        return Participation.EVENT_CANCELLED
    if held & ADMITTING_STATES:
        return Participation.TOOK_PART
    if RegistrationState.WAITING in held:
        return Participation.WAITING
    if held & _PENDING:
        return Participation.PENDING
    return Participation.WITHDRAWN


def offered_years(this_year: int) -> list[int]:
    """The years the picker offers, newest first."""
    return [year for year in range(this_year, this_year - YEARS_OFFERED, -1) if FIRST_YEAR <= year <= LAST_YEAR]
