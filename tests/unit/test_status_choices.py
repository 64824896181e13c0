"""The organiser hub offers the status moves that make sense now (review fix: a running event still offered 开放报名,
截止报名 and 开始): the moves from the status shown (the stored one moved forward by the clock); the service
accepts those as well as the moves from the stored status."""

from __future__ import annotations

import pytest

from chalicelib.domain.event_rules import check_status_change, status_choices
from chalicelib.domain.records import EventStatus as S
from chalicelib.errors import Conflict
from tests.unit.event_records import cst, make_event

BEFORE, DURING, AFTER = cst(11, 20, 9), cst(11, 21, 10), cst(11, 22, 9)  # the event runs on 21 Nov, 9:00 to 17:00


def test_a_running_event_offers_finishing_or_cancelling_only():
    for stored in (S.PUBLISHED, S.REGISTRATION_OPEN, S.REGISTRATION_CLOSED, S.RUNNING):
        assert status_choices(make_event(status=stored), DURING) == [S.FINISHED, S.CANCELLED], stored


def test_before_the_event_the_choices_are_the_moves_from_the_registration_phase():
    later = make_event(status=S.PUBLISHED, registration_opens_at=cst(11, 20, 12))
    assert status_choices(later, BEFORE) == [
        S.REGISTRATION_OPEN,
        S.REGISTRATION_CLOSED,
        S.RUNNING,
        S.CANCELLED,
    ]
    # Registration open by the clock (no opening time set): opening it is no choice any more.
    assert status_choices(make_event(status=S.PUBLISHED), BEFORE) == [S.REGISTRATION_CLOSED, S.RUNNING, S.CANCELLED]
    assert status_choices(make_event(status=S.DRAFT), DURING) == [S.PUBLISHED, S.CANCELLED]  # drafts stay drafts


def test_an_event_over_offers_nothing():
    assert status_choices(make_event(status=S.REGISTRATION_OPEN), AFTER) == []
    assert status_choices(make_event(status=S.CANCELLED), BEFORE) == []


def test_a_running_event_may_be_finished_though_nobody_pressed_start():
    check_status_change(make_event(status=S.REGISTRATION_OPEN), S.FINISHED, DURING)
    check_status_change(make_event(status=S.PUBLISHED), S.RUNNING, AFTER)  # the stored moves stay allowed
    with pytest.raises(Conflict) as refused:
        check_status_change(make_event(status=S.PUBLISHED), S.FINISHED, BEFORE)
    assert refused.value.code == "invalid_transition"
