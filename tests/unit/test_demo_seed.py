"""The demo union is built without a database; these tests hold it to the shape a real union has."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.records import (
    SCHOOL_UNIT_ID,
    EventFormat,
    EventKind,
    EventStatus,
    Gender,
    MemberStatus,
    UnitKind,
)
from devtools.demo_seed import DemoUnion, build_demo_union

# A leap day and a year end catch date arithmetic that only works on ordinary days.
TODAYS = [date(2026, 11, 21), date(2024, 2, 29), date(2025, 12, 31)]


def _age_on(today: date, born: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@pytest.fixture(params=TODAYS, ids=str)
def today(request: pytest.FixtureRequest) -> date:
    return request.param


@pytest.fixture
def union(today: date) -> DemoUnion:
    return build_demo_union(today)


def test_same_day_gives_the_same_union(today: date) -> None:
    assert build_demo_union(today) == build_demo_union(today)


def test_event_ids_do_not_depend_on_the_day() -> None:
    # A re-seed on another day must overwrite the demo events, not add a second set.
    first, second = (build_demo_union(day) for day in TODAYS[:2])
    assert [e.event_id for e in first.events] == [e.event_id for e in second.events]


def test_one_school_union_and_its_sub_unions(union: DemoUnion) -> None:
    schools = [u for u in union.units if u.kind is UnitKind.SCHOOL]
    subs = [u for u in union.units if u.kind is UnitKind.SUB]
    assert [u.unit_id for u in schools] == [SCHOOL_UNIT_ID]
    assert len(subs) >= 24
    assert len({u.unit_id for u in union.units}) == len(union.units)
    assert all(u.parent_id == SCHOOL_UNIT_ID for u in subs)
    assert sorted(u.position for u in subs) == list(range(1, len(subs) + 1))
    assert all(u.unit_id.isascii() and u.unit_id == u.unit_id.lower() for u in union.units)
    assert len({u.campus for u in subs}) == 3


def test_members_are_a_plausible_staff(union: DemoUnion) -> None:
    members = union.members
    assert 300 <= len(members) <= 420
    assert len({m.staff_no for m in members}) == len(members)
    assert all(len(m.staff_no) == 7 and m.staff_no.isdigit() for m in members)
    assert all(m.phone and len(m.phone) == 11 and m.phone.startswith("1") for m in members)
    assert all(m.email == f"{m.staff_no}@demo.edu.cn" for m in members)
    assert {m.staff_no for m in members if m.roles} == {a.staff_no for a in union.accounts if "union admin" in a.role}
    sub_ids = {u.unit_id for u in union.units if u.kind is UnitKind.SUB}
    assert all(m.unit_id in sub_ids for m in members)
    women = sum(m.gender is Gender.FEMALE for m in members) / len(members)
    assert 0.3 <= women <= 0.5


def test_ages_fit_the_status(union: DemoUnion, today: date) -> None:
    for member in union.members:
        age = _age_on(today, member.birth_date)
        if member.status is MemberStatus.ACTIVE:
            assert 22 <= age <= 60, member
        elif member.status is MemberStatus.RETIRED:
            assert 60 <= age <= 75, member
    statuses = {m.status for m in union.members}
    assert statuses == set(MemberStatus)


def test_events_cover_every_kind_and_format(union: DemoUnion) -> None:
    assert len(union.events) >= 15
    assert {e.kind for e in union.events} == set(EventKind)
    assert {e.format for e in union.events} == set(EventFormat)
    assert len({e.event_id for e in union.events}) == len(union.events)


def test_event_dates_are_coherent(union: DemoUnion) -> None:
    unit_ids = {u.unit_id for u in union.units}
    for event in union.events:
        assert event.owner_unit_id in unit_ids, event.title_zh
        assert event.starts_at.tzinfo is not None and event.ends_at >= event.starts_at, event.title_zh
        assert event.registration_opens_at is not None and event.registration_closes_at is not None
        assert event.registration_opens_at < event.registration_closes_at < event.starts_at, event.title_zh


def test_events_show_a_living_union(union: DemoUnion, today: date) -> None:
    statuses = [e.status for e in union.events]
    for status in (
        EventStatus.FINISHED,
        EventStatus.RUNNING,
        EventStatus.REGISTRATION_OPEN,
        EventStatus.PUBLISHED,
    ):
        assert status in statuses
    assert statuses.count(EventStatus.DRAFT) == 1
    assert any(e.owner_unit_id != SCHOOL_UNIT_ID for e in union.events)
    for event in union.events:
        if event.status is EventStatus.FINISHED:
            assert event.ends_at.date() < today, event.title_zh
        if event.status in (EventStatus.REGISTRATION_OPEN, EventStatus.PUBLISHED):
            assert event.starts_at.date() > today, event.title_zh


def test_demo_accounts_cover_every_role_and_admin_links_agree(union: DemoUnion) -> None:
    by_staff_no = {m.staff_no: m for m in union.members}
    accounts = {a.staff_no: a for a in union.accounts}
    assert len(accounts) == len(union.accounts) == 4
    assert sum("union_admin" in by_staff_no[s].roles for s in accounts) == 1
    assert {u for s in accounts for u in by_staff_no[s].admin_units} == {"cs", "hospital"}
    assert any(not by_staff_no[s].roles and not by_staff_no[s].admin_units for s in accounts)
    for unit in union.units:
        assert unit.admins == {m.staff_no for m in union.members if unit.unit_id in m.admin_units}
    from chalicelib.domain.passwords import password_problems

    assert all(password_problems(a.password, a.staff_no) == [] for a in union.accounts)


def test_open_events_of_every_kind_take_registrations_with_forms(union: DemoUnion, today: date) -> None:
    from datetime import datetime

    from chalicelib.domain.calendar import CHINA_TZ
    from chalicelib.domain.event_rules import RegistrationPhase, registration_phase
    from chalicelib.domain.forms import check_form, validate_answers

    noon = datetime(today.year, today.month, today.day, 12, tzinfo=CHINA_TZ)
    open_now = [e for e in union.events if registration_phase(e, noon) is RegistrationPhase.OPEN]
    assert {e.kind for e in open_now} == set(EventKind)
    for event in union.events:
        assert check_form(event.form) == []
        mine = [r for r in union.registrations if r.event_id == event.event_id]
        assert event.confirmed_count == sum(r.state.value == "confirmed" for r in mine)
        assert event.waiting_count == sum(r.state.value == "waiting" for r in mine)
        assert event.capacity is None or event.confirmed_count <= event.capacity
        for registration in mine:
            clean, problems = validate_answers(event.form, registration.answers)
            assert problems == [] and clean == registration.answers
    assert any(e.waiting_count for e in union.events), "a full event with a waiting list shows the queue"
    demo_staff_nos = {a.staff_no for a in union.accounts}
    assert not demo_staff_nos & {r.staff_no for r in union.registrations}
