"""A member's year, the pure rules (chalicelib.domain.member_year): what an event was for the member from their
registrations' states, the year an event belongs to, the stretches of time read and the years offered."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.member_year import (
    Participation,
    check_ins_window,
    offered_years,
    participation,
    registrations_window,
    starts_in,
    year_start,
)
from chalicelib.domain.records import EventStatus, RegistrationState

S = RegistrationState


def test_a_place_held_is_taking_part_whatever_else_the_member_holds():
    for held in (S.CONFIRMED, S.PARTNER, S.TEAM):
        assert participation([S.CANCELLED, held], EventStatus.FINISHED) is Participation.TOOK_PART
    assert participation([S.WAITING, S.CONFIRMED], EventStatus.RUNNING) is Participation.TOOK_PART


def test_without_a_place_the_best_state_decides():
    assert participation([S.WAITING, S.CANCELLED], EventStatus.FINISHED) is Participation.WAITING
    for pending in (S.PENDING, S.AWAITING_PARTNER, S.INVITED):
        assert participation([pending, S.REJECTED], EventStatus.FINISHED) is Participation.PENDING
    for ended in (S.CANCELLED, S.REMOVED, S.REJECTED):
        assert participation([ended], EventStatus.FINISHED) is Participation.WITHDRAWN
    assert participation([], EventStatus.FINISHED) is Participation.WITHDRAWN


def test_a_cancelled_event_counts_for_nobody():
    assert participation([S.CONFIRMED], EventStatus.CANCELLED) is Participation.EVENT_CANCELLED


def test_an_event_belongs_to_the_year_it_starts_in_china_time():
    new_year_eve_utc = datetime(2025, 12, 31, 16, 30, tzinfo=UTC)  # 00:30 on 1 January 2026 in China
    assert starts_in(new_year_eve_utc, 2026) and not starts_in(new_year_eve_utc, 2025)
    assert year_start(2026) == datetime(2026, 1, 1, tzinfo=CHINA_TZ)


def test_the_stretches_read_cover_registrations_before_and_check_ins_after_the_year():
    low, high = registrations_window(2026)
    assert (low, high) == (datetime(2025, 1, 1, tzinfo=CHINA_TZ), datetime(2028, 1, 1, tzinfo=CHINA_TZ))
    low, high = check_ins_window(2026)
    assert low == datetime(2025, 12, 1, tzinfo=CHINA_TZ) and high == datetime(2028, 1, 1, tzinfo=CHINA_TZ)


def test_the_picker_offers_this_year_and_the_four_before_within_the_known_years():
    assert offered_years(2026) == [2026, 2025, 2024, 2023, 2022]
    assert offered_years(2002) == [2002, 2001, 2000]
