"""The demo union as loaded (tests/conftest.py ``loaded_demo``: the fixture files in devtools/demo/ played through
the services), held to the shape a real union has; and the fixture files, read on different days, to the same plan."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime
from typing import Any

import pytest

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.records import (
    SCHOOL_UNIT_ID,
    Allocation,
    EntryType,
    Event,
    EventFormat,
    EventKind,
    EventStatus,
    Gender,
    MemberStatus,
    Registration,
    RegistrationState,
    UnitKind,
)
from devtools.demo.checkins import CHECKINS, COMPETITIONS
from devtools.demo.entries import ENTRIES
from devtools.demo.loader import read_events, read_organisation
from devtools.demo.union import DemoUnion

# A leap day and a year end catch date arithmetic that only works on ordinary days.
TODAYS = [date(2026, 11, 21), date(2024, 2, 29), date(2025, 12, 31)]


def _age_on(today: date, born: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@pytest.fixture(scope="module")
def today(demo_day: date) -> date:
    """The day the session loaded the demo on (tests/conftest.py ``loaded_demo``)."""
    return demo_day


@pytest.fixture(scope="module")
def union(loaded_demo) -> DemoUnion:
    """Only read here: the union as the session loaded it (no test in this module writes to the tables)."""
    return loaded_demo[0]


@pytest.mark.parametrize("day", TODAYS, ids=str)
def test_the_same_day_reads_the_same_plan_from_the_fixture_files(day: date) -> None:
    assert read_organisation(day) == read_organisation(day)
    assert read_events(day) == read_events(day)


def test_event_ids_and_people_do_not_depend_on_the_day() -> None:
    # A re-load on another day must overwrite the demo events, not add a second set; the same people exist every day.
    first, second = (read_events(day) for day in TODAYS[:2])
    assert [e.event.event_id for e in first] == [e.event.event_id for e in second]
    assert [e.lottery_seed for e in first] == [e.lottery_seed for e in second]
    people = [read_organisation(day) for day in TODAYS[:2]]
    # Staff numbers start with the year a member joined, which is counted back from the day.
    assert [(m.name, m.unit_id, m.gender) for m in people[0].members] == [
        (m.name, m.unit_id, m.gender) for m in people[1].members
    ]
    assert [u._replace(admins=frozenset()) for u in people[0].units] == [
        u._replace(admins=frozenset()) for u in people[1].units
    ]


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
        assert event.capacity is None or event.confirmed_count <= event.capacity
        for registration in mine:
            clean, problems = validate_answers(event.form, registration.answers)
            assert problems == [] and clean == registration.answers
    assert any(e.waiting_count for e in union.events), "a full event with a waiting list shows the queue"
    # The demo accounts can try registering themselves; only the member holds tickets, for the check-in demo.
    member = next(a.staff_no for a in union.accounts if "member" in a.role)
    demo_staff_nos = {a.staff_no for a in union.accounts}
    assert {r.staff_no for r in union.registrations} & demo_staff_nos == {member}


# --- allocation: counters, quotas, lotteries, teams ---------------------------------------------------------------


def _registrations(union: DemoUnion, event: Event) -> list[Registration]:
    return [r for r in union.registrations if r.event_id == event.event_id]


def _lotteries(union: DemoUnion) -> tuple[Event, Event]:
    """The retreat already drawn and the one still taking applications."""
    lotteries = [e for e in union.events if e.allocation is Allocation.LOTTERY]
    drawn = [e for e in lotteries if e.lottery_drawn_at is not None]
    sealed = [e for e in lotteries if e.lottery_drawn_at is None]
    assert len(drawn) == len(sealed) == 1
    return drawn[0], sealed[0]


def _badminton(union: DemoUnion) -> Event:
    return next(e for e in union.events if e.entry_type is EntryType.TEAM)


def test_event_counters_match_the_registrations_and_teams(union: DemoUnion) -> None:
    for event in union.events:
        states = Counter(r.state for r in _registrations(union, event))
        teams = [t for t in union.teams if t.event_id == event.event_id]
        if event.entry_type is EntryType.TEAM:
            assert event.confirmed_count == len(teams), event.title_zh
            assert set(states) <= {RegistrationState.TEAM}, event.title_zh
        else:
            assert not teams and not states[RegistrationState.TEAM], event.title_zh
            assert event.confirmed_count == states[RegistrationState.CONFIRMED], event.title_zh
        assert event.waiting_count == states[RegistrationState.WAITING], event.title_zh
        assert event.pending_count == states[RegistrationState.PENDING], event.title_zh
    keys = [(r.event_id, r.scope, r.staff_no) for r in union.registrations]
    assert len(keys) == len(set(keys)), "one registration per member, event and scope"


def test_every_event_passes_the_organisers_checks(union: DemoUnion) -> None:
    from chalicelib.domain.entries import check_team_rule
    from chalicelib.domain.event_rules import allocation_problems, schedule_problems

    for event in union.events:
        assert schedule_problems(event) == [], event.title_zh
        assert allocation_problems(event) == [], event.title_zh
        if event.entry_type is EntryType.TEAM:
            assert check_team_rule(event.team_rule) == [], event.title_zh


def test_quotas_share_every_place_among_the_units(union: DemoUnion) -> None:
    from chalicelib.domain.quotas import largest_remainder

    sub_ids = {u.unit_id for u in union.units if u.kind is UnitKind.SUB}
    active = Counter(m.unit_id for m in union.members if m.status is MemberStatus.ACTIVE)
    quota_events = [e for e in union.events if e.quotas]
    assert len(quota_events) == 2
    for event in quota_events:
        places = {p.unit_id: p for p in union.unit_places if p.event_id == event.event_id}
        assert set(places) == sub_ids
        assert sum(p.quota or 0 for p in places.values()) == event.capacity
        assert all(p.quota is not None and p.quota >= 1 for p in places.values())
        assert {u: p.quota for u, p in places.items()} == largest_remainder(
            event.capacity or 0, {u: active[u] for u in sub_ids}, minimum=1
        )
        assert event.quota_release_at is not None and event.quota_release_at < event.starts_at
        confirmed = Counter(r.unit_id for r in _registrations(union, event) if r.state is RegistrationState.CONFIRMED)
        assert {u: p.used for u, p in places.items() if p.used} == dict(confirmed)


def test_the_drawn_retreat_publishes_a_draw_that_checks_out(union: DemoUnion, today: date) -> None:
    from chalicelib.domain.lottery import commitment, verify_draw

    drawn, _ = _lotteries(union)
    assert drawn.format is EventFormat.RETREAT and drawn.quotas and drawn.lottery_priority_years == 3
    assert drawn.status is EventStatus.REGISTRATION_CLOSED
    draw = next(d for d in union.draws if d.event_id == drawn.event_id)
    assert draw.published is not None and draw.drawn_by
    assert drawn.lottery_commitment == draw.commitment == commitment(draw.seed)
    assert verify_draw(draw.published, drawn.lottery_commitment) == []
    assert drawn.registration_closes_at is not None and drawn.lottery_drawn_at == draw.drawn_at
    assert drawn.registration_closes_at < draw.drawn_at < datetime(today.year, today.month, today.day, tzinfo=CHINA_TZ)
    mine = _registrations(union, drawn)
    assert len(mine) >= 60 and drawn.capacity is not None and len(mine) > drawn.capacity
    assert sorted(a["staff_no"] for a in draw.published["applicants"]) == sorted(r.staff_no for r in mine)
    tiers = {r.staff_no: r.tier for r in mine}
    assert {a["staff_no"]: a["tier"] for a in draw.published["applicants"]} == tiers
    # The service sets the tier when a member applies: 1 for a confirmed place on another retreat. Nobody held one
    # when this retreat's applications came in, so all draw in tier 0 (the open lottery below has tier 1 applicants).
    assert set(tiers.values()) == {0}
    assert draw.published["capacity"] == drawn.capacity
    assert sum(draw.published["quotas"].values()) == drawn.capacity


def test_winners_are_confirmed_and_the_rest_wait_in_draw_order(union: DemoUnion) -> None:
    drawn, _ = _lotteries(union)
    draw = next(d for d in union.draws if d.event_id == drawn.event_id)
    assert draw.published is not None
    mine = _registrations(union, drawn)
    confirmed = {r.staff_no for r in mine if r.state is RegistrationState.CONFIRMED}
    waiting = sorted((r for r in mine if r.state is RegistrationState.WAITING), key=lambda r: r.queue_key or "")
    assert confirmed == set(draw.published["winners"]) and len(confirmed) == drawn.capacity
    assert [r.staff_no for r in waiting] == draw.published["waiting"]
    assert [r.queue_key for r in waiting] == [f"d-{rank:06d}" for rank in range(1, len(waiting) + 1)]
    assert all(r.state in (RegistrationState.CONFIRMED, RegistrationState.WAITING) for r in mine)
    assert all(r.updated_at == drawn.lottery_drawn_at and r.registered_at < r.updated_at for r in mine)


def test_the_open_lottery_keeps_its_seed_sealed_and_its_applicants_pending(union: DemoUnion, today: date) -> None:
    from chalicelib.domain.event_rules import RegistrationPhase, registration_phase
    from chalicelib.domain.lottery import commitment

    drawn, sealed = _lotteries(union)
    noon = datetime(today.year, today.month, today.day, 12, tzinfo=CHINA_TZ)
    assert registration_phase(sealed, noon) is RegistrationPhase.OPEN
    draw = next(d for d in union.draws if d.event_id == sealed.event_id)
    assert (draw.drawn_at, draw.drawn_by, draw.published) == (None, None, None)
    assert sealed.lottery_commitment == draw.commitment == commitment(draw.seed)
    assert draw.seed != next(d.seed for d in union.draws if d.event_id == drawn.event_id)
    mine = _registrations(union, sealed)
    assert len(mine) >= 20 and sealed.pending_count == len(mine)
    assert all(r.state is RegistrationState.PENDING and r.queue_key is None for r in mine)
    assert all(
        sealed.registration_opens_at is not None and sealed.registration_opens_at <= r.registered_at < noon
        for r in mine
    )
    # The tier is what chalicelib.services.lottery.priority_tier gives: 1 for a place on another retreat.
    retreats = {e.event_id for e in union.events if e.format is EventFormat.RETREAT} - {sealed.event_id}
    held = {
        r.staff_no for r in union.registrations if r.event_id in retreats and r.state is RegistrationState.CONFIRMED
    }
    assert {r.staff_no: r.tier for r in mine} == {r.staff_no: int(r.staff_no in held) for r in mine}
    assert sum(r.tier or 0 for r in mine) >= 1
    assert all(p.used == 0 for p in union.unit_places if p.event_id == sealed.event_id)


def test_every_team_roster_satisfies_the_team_rule(union: DemoUnion) -> None:
    from chalicelib.domain.entries import roster_problems

    by_staff_no = {m.staff_no: m for m in union.members}
    # The championship open now, and the cup played a few weeks ago.
    events = {e.event_id: e for e in union.events if e.entry_type is EntryType.TEAM}
    assert len(events) == 2 and {t.event_id for t in union.teams} == set(events)
    for event in events.values():
        teams = [t for t in union.teams if t.event_id == event.event_id]
        for team in teams:
            roster = [by_staff_no[s] for s in team.roster]
            assert roster_problems(event.team_rule, event, team.unit_id, roster) == [], team.name
            assert team.state.value == "entered" and team.version == 0
            assert team.captain is None or team.captain in team.roster
            assert team.created_by and team.created_at < event.starts_at
            assert team.name.startswith(next(u.short_name for u in union.units if u.unit_id == team.unit_id))
        assert any(t.captain for t in teams) and any(t.captain is None for t in teams)
        assert len({t.team_id for t in teams}) == len({t.name for t in teams}) == len(teams)
    assert len({t.team_id for t in union.teams}) == len(union.teams)


def test_teams_come_from_several_units_and_no_member_plays_twice(union: DemoUnion) -> None:
    event = _badminton(union)
    teams = [t for t in union.teams if t.event_id == event.event_id]
    per_unit = Counter(t.unit_id for t in teams)
    assert len(per_unit) >= 6
    assert max(per_unit.values()) == event.team_rule.teams_per_unit == 2
    assert event.capacity is not None and len(teams) <= event.capacity
    players = [s for t in teams for s in t.roster]
    assert len(players) == len(set(players))
    mine = _registrations(union, event)
    assert sorted((r.staff_no, r.team_id) for r in mine) == sorted((s, t.team_id) for t in teams for s in t.roster)
    assert all(r.state is RegistrationState.TEAM and r.scope == "series" for r in mine)
    places = {p.unit_id: p for p in union.unit_places if p.event_id == event.event_id}
    assert {u: (p.quota, p.used) for u, p in places.items()} == {u: (None, n) for u, n in per_unit.items()}
    # The demo unit admins find their unit's teams: one to substitute players on, and two (the limit).
    assert (per_unit["cs"], per_unit["hospital"]) == (1, 2)
    demo_staff_nos = {a.staff_no for a in union.accounts}
    assert not demo_staff_nos & set(players)
    assert not demo_staff_nos & {t.captain for t in teams}


# --- check-in: staff, sessions, checkpoints, self check-in ---------------------------------------------------------


def _noon(today: date) -> datetime:
    return datetime(today.year, today.month, today.day, 12, tzinfo=CHINA_TZ)


def _points(union: DemoUnion, event: Event):
    from chalicelib.domain.checkin import checkin_points

    sessions = [s for s in union.sessions if s.event_id == event.event_id]
    return checkin_points(event.starts_at, event.ends_at, sessions, event.checkin)


def _attendance(union: DemoUnion, event: Event):
    from chalicelib.domain.checkin import Attendee, attendance_report

    attendees = [Attendee(r.staff_no, r.name, r.unit_id, r.scope) for r in _registrations(union, event)]
    came = [(c.point_id, c.staff_no) for c in union.check_ins if c.event_id == event.event_id]
    return attendance_report(_points(union, event), attendees, came, event.checkin)


def _yoga(union: DemoUnion) -> Event:
    return next(e for e in union.events if e.format is EventFormat.CLASS and e.title_zh.endswith("瑜伽班"))


def _walk(union: DemoUnion) -> Event:
    (walk,) = [e for e in union.events if e.format is EventFormat.MASS]
    return walk


def _todays_lecture(union: DemoUnion, today: date) -> Event:
    (lecture,) = [e for e in union.events if e.starts_at.date() == today and e.checkin.self_checkin]
    return lecture


def test_every_seeded_check_in_belongs_to_a_registration_that_admits(union: DemoUnion, today: date) -> None:
    from chalicelib.domain.checkin import ADMITTING_STATES, covers, roles_allow_point

    registrations = {(r.event_id, r.staff_no): r for r in union.registrations}
    points = {(e.event_id, p.point_id): p for e in union.events for p in _points(union, e)}
    roles = {(role.event_id, role.staff_no): role.roles for role in union.event_roles}
    assert len(union.check_ins) >= 200
    for check_in in union.check_ins:
        registration = registrations[(check_in.event_id, check_in.staff_no)]
        assert registration.state in ADMITTING_STATES and covers(registration.scope, check_in.point_id)
        assert (check_in.name, check_in.unit_id) == (registration.name, registration.unit_id)
        point = points[(check_in.event_id, check_in.point_id)]
        assert registration.registered_at < check_in.at < _noon(today) and check_in.at <= point.ends_at
        # Scanned by a member of the check-in staff allowed at that point.
        assert roles_allow_point(roles[(check_in.event_id, check_in.by)], check_in.point_id)
    marks = [(c.event_id, c.point_id, c.staff_no) for c in union.check_ins]
    assert len(marks) == len(set(marks)), "one check-in per member and point"
    assert len({c.scan_id for c in union.check_ins}) == len(union.check_ins)


def test_check_in_staff_are_members_with_roles_for_points_their_event_has(union: DemoUnion, today: date) -> None:
    from chalicelib.domain.checkin import CHECKIN_ROLE

    by_staff_no = {m.staff_no: m for m in union.members}
    events = {e.event_id: e for e in union.events}
    assert union.event_roles
    for role in union.event_roles:
        member = by_staff_no[role.staff_no]
        assert (role.name, role.unit_id) == (member.name, member.unit_id)
        points = {p.point_id for p in _points(union, events[role.event_id])}
        assert role.roles == {CHECKIN_ROLE} or {r.partition("@")[2] for r in role.roles} <= points
        assert role.granted_at < events[role.event_id].starts_at
    walk = _walk(union)
    walk_roles = [r.roles for r in union.event_roles if r.event_id == walk.event_id]
    assert len(walk_roles) == 2 and set(walk_roles) == {frozenset({f"{CHECKIN_ROLE}@{p}"}) for p in ("start", "finish")}
    # The demo member has a duty today: they can open a station (and the venue code) for the lecture.
    member = next(a.staff_no for a in union.accounts if "member" in a.role)
    duties = [r for r in union.event_roles if r.staff_no == member]
    assert [(r.event_id, r.roles) for r in duties] == [(_todays_lecture(union, today).event_id, {CHECKIN_ROLE})]


def test_the_yoga_class_shows_who_has_completed_its_term(union: DemoUnion, today: date) -> None:
    yoga = _yoga(union)
    assert yoga.status is EventStatus.RUNNING and yoga.checkin.completion_percent == 80
    points = _points(union, yoga)
    assert len(points) == 12 and all(p.session for p in points)
    past = {p.point_id for p in points if p.ends_at < _noon(today)}
    assert 10 <= len(past) < len(points), "most of the term is past, not all of it"
    assert {c.point_id for c in union.check_ins if c.event_id == yoga.event_id} == past
    lines = _attendance(union, yoga)
    assert len(lines) == yoga.confirmed_count == yoga.capacity
    completed = [line for line in lines if line.completed]
    assert 0 < len(completed) < len(lines)
    assert all(line.percent >= 80 for line in completed)
    assert all(line.percent < 80 and line.attended for line in lines if not line.completed)


def test_the_campus_walk_was_checked_in_at_its_start_and_finish(union: DemoUnion) -> None:
    walk = _walk(union)
    assert walk.status is EventStatus.FINISHED
    assert [(c.point_id, c.name_zh) for c in walk.checkin.checkpoints] == [("start", "起点"), ("finish", "终点")]
    lines = _attendance(union, walk)
    assert len(lines) == walk.confirmed_count >= 100
    shapes = Counter(line.attended for line in lines)
    assert set(shapes) == {(), ("start",), ("start", "finish")}, "no-shows, start only, and both"
    assert {line.staff_no for line in lines if line.completed} == {
        line.staff_no for line in lines if line.attended == ("start", "finish")
    }
    for check_in in (c for c in union.check_ins if c.event_id == walk.event_id):
        assert (check_in.at < walk.starts_at) == (check_in.point_id == "start")


def test_todays_lecture_takes_venue_self_check_in_and_nobody_is_in_yet(union: DemoUnion, today: date) -> None:
    from chalicelib.domain.checkin import checkin_window

    lecture = _todays_lecture(union, today)
    assert lecture.format is EventFormat.SESSION and lecture.status is EventStatus.REGISTRATION_CLOSED
    (entry,) = _points(union, lecture)
    opens, closes = checkin_window(entry, lecture.checkin)
    assert opens <= datetime(today.year, today.month, today.day, 9, tzinfo=CHINA_TZ) < _noon(today)
    assert closes >= datetime(today.year, today.month, today.day, 18, tzinfo=CHINA_TZ) > lecture.ends_at
    assert not [c for c in union.check_ins if c.event_id == lecture.event_id]
    assert lecture.confirmed_count == len(_registrations(union, lecture)) >= 50


def test_the_demo_member_holds_tickets_for_today_and_an_upcoming_event(union: DemoUnion, today: date) -> None:
    member = next(a.staff_no for a in union.accounts if "member" in a.role)
    held = {r.event_id: r for r in union.registrations if r.staff_no == member}
    assert all(r.state is RegistrationState.CONFIRMED and r.scope == "series" for r in held.values())
    events = [e for e in union.events if e.event_id in held]
    assert _todays_lecture(union, today) in events
    assert any(e.starts_at.date() > today and e.status is EventStatus.REGISTRATION_OPEN for e in events)


# --- competitions: the badminton team cup, the athletics meet, the singer contest ----------------------------------


def _contest(union: DemoUnion, fmt: EventFormat):
    """The demo's played competition (published) of the one event of this format that has one, and that event."""
    events = {e.event_id: e for e in union.events}
    (contest,) = [
        c  # the skill contest of several events has its own test (test_contest_events_demo.py)
        for c in union.competitions
        if events[c.setup.event_id].format is fmt and c.setup.published and not c.setup.contests
    ]
    return contest, events[contest.setup.event_id]


def _stage_matches(contest, stage_id: str):
    return [match for stage, _draw, match in contest.matches if stage == stage_id]


def test_the_demo_has_a_team_cup_a_meet_and_a_singer_contest_all_published(union: DemoUnion, today: date) -> None:
    from chalicelib.domain.competition.setup import EntryKind, StageKind, StageState

    kinds = {}
    for fmt in (EventFormat.TOURNAMENT, EventFormat.MEET, EventFormat.CONTEST):
        contest, event = _contest(union, fmt)
        setup = contest.setup
        assert setup.published and setup.published_at is not None and setup.published_at < _noon(today)
        assert event.status is EventStatus.FINISHED and event.ends_at <= setup.published_at
        assert all(setup.run(stage.stage_id).state is StageState.CLOSED for stage in setup.stages)
        kinds[fmt] = (setup.entry_kind, [stage.kind for stage in setup.stages])
    assert kinds == {
        EventFormat.TOURNAMENT: (EntryKind.TEAM, [StageKind.GROUPS, StageKind.SINGLE_ELIMINATION]),
        EventFormat.MEET: (EntryKind.INDIVIDUAL, [StageKind.MEASURED]),
        EventFormat.CONTEST: (EntryKind.INDIVIDUAL, [StageKind.JUDGED, StageKind.JUDGED]),
    }
    # and the dragon boat races to come (test_the_dragon_boat_crews_...) and the skill contest of several events
    # (test_contest_events_demo.py)
    assert len(union.competitions) == 5


def contest_day(union: DemoUnion, contest) -> date:
    return next(e for e in union.events if e.event_id == contest.setup.event_id).starts_at.date()


def test_the_dragon_boat_crews_are_entered_by_their_units_for_the_races_to_come(union: DemoUnion) -> None:
    """The 龙舟赛 (issue 19 item 5): a meet of one 200 m boat discipline whose crews of 12 (10 paddlers, at least 4
    of them women, a drummer and a helm) the units' admins entered through the relay service."""
    from chalicelib.domain.competition.relays import is_boat, seats

    (contest,) = [c for c in union.competitions if c.setup.event_id == "ev-01J6NJJ3A0J3YVMVWZDDSK7K6S"]
    (stage,) = contest.setup.stages
    assert stage.meet is not None and not contest.setup.published
    (boat,) = stage.meet.disciplines
    assert is_boat(boat) and seats(boat) == 12 and boat.crew_roles == ("drummer", "helm")
    assert [spec.code for spec in boat.rounds] == ["h", "sf", "f"]  # heats, semi-finals, final by time, one day
    assert {spec.day for spec in boat.rounds} == {contest_day(union, contest)}
    members = {m.staff_no: m for m in union.members}
    crews = [contest.setup.entry(entry_id) for entry_id in boat.entries]
    assert len(crews) == 8 and len({crew.unit_id for crew in crews if crew}) == 8
    for crew in crews:
        assert crew is not None and len(crew.members) == 12 and crew.name.endswith("龙舟队")
        assert all(members[s].unit_id == crew.unit_id for s in crew.members)
        assert sum(members[s].gender.value == "F" for s in crew.members[: boat.legs]) >= 4


def test_the_cup_is_sixteen_unit_teams_in_four_groups_then_a_crossed_knockout(union: DemoUnion) -> None:
    from chalicelib.domain.competition import scoring
    from chalicelib.domain.competition.draws import group_names
    from chalicelib.domain.competition.groups import knockout_line, knockout_template
    from chalicelib.domain.competition.model import MatchStatus
    from chalicelib.domain.competition.stages import knockout_outcome, table_outcome

    contest, event = _contest(union, EventFormat.TOURNAMENT)
    setup = contest.setup
    teams = sorted((t for t in union.teams if t.event_id == event.event_id), key=lambda t: t.created_at)
    assert [(e.entry_id, e.name, e.unit_id) for e in setup.entries] == [(t.team_id, t.name, t.unit_id) for t in teams]
    assert len(teams) == event.confirmed_count == 16 and len({t.unit_id for t in teams}) >= 10
    fmt = scoring.format_by_code(setup.match_format)
    assert isinstance(fmt, scoring.TieFormat) and setup.tiebreak == "badminton_team"

    groups_run = setup.run("groups")
    assert len(groups_run.groups) == 4 and all(len(group) == 4 for group in groups_run.groups)
    units = {e.entry_id: e.unit_id for e in setup.entries}
    seeded = {e.entry_id for e in setup.entries if e.seed}
    for group in groups_run.groups:
        assert len({units[team] for team in group}) == 4, "two teams of one unit never share a group"
        assert len(seeded & set(group)) == 1, "one seed in each group"
    group_matches = _stage_matches(contest, "groups")
    knockout = _stage_matches(contest, "knockout")
    assert len(group_matches) == 4 * 6 and len(knockout) == 8  # 7 knockout ties and the third-place match
    for match in (*group_matches, *knockout):
        assert match.status is MatchStatus.DONE and match.result is not None
        # Every tie stands up to the score checks a referee's entry goes through.
        assert scoring.validate_result(fmt, match.result) == match.result
        assert match.court and match.starts_at
        assert event.starts_at <= datetime.fromisoformat(match.starts_at) <= event.ends_at

    table = table_outcome(setup, setup.stage("groups"), group_matches, groups_run.seed or "")
    assert table.complete and [t.group for t in table.tables] == group_names(4)
    winners = [t.rows[0].entry_id for t in table.tables]
    runners_up = [t.rows[1].entry_id for t in table.tables]
    assert list(groups_run.qualified) == [*winners, *runners_up] == list(setup.run("knockout").entries)
    # The crossing: group winners meet other groups' runners-up in the first round, never each other.
    first_round = [m for m in knockout if m.bracket == "W" and m.round == 1]
    assert all(len(set(m.entries) & set(winners)) == 1 for m in first_round)
    # Teams of one unit kept apart (issue 18 item 4): the standard crossing (A1–B2, B1–A2 ...) would have put
    # 附属医院一队 and 附属医院二队 in one quarter-final; the draw swapped runners-up so that no quarter-final pairs two
    # teams of one unit.
    standard = knockout_line(
        knockout_template(4, 2),
        {(t.group, place + 1): t.rows[place].entry_id for t in table.tables for place in (0, 1)},
    )
    names = {e.entry_id: e.name for e in setup.entries}
    clashes = [(a, b) for a, b in zip(standard[::2], standard[1::2], strict=True) if a and b and units[a] == units[b]]
    assert [(names[a], names[b]) for a, b in clashes] == [("附属医院二队", "附属医院一队")]
    assert all(units[m.entries[0]] != units[m.entries[1]] for m in first_round)
    line = list(setup.run("knockout").line)
    assert line != standard and sorted(filter(None, line)) == sorted(filter(None, standard))
    first, second = (line.index(entry) for entry in clashes[0])
    assert (first ^ second).bit_length() == 2, "the two hospital teams can meet in a semi-final at the earliest"
    placed = knockout_outcome(knockout)
    assert placed.complete and [place for place, _ in placed.placings] == [1, 2, 3, 4, 5, 5, 5, 5]
    assert list(setup.run("knockout").ranking) == placed.ranking


def test_the_meet_places_every_event_and_adds_up_the_unit_totals(union: DemoUnion) -> None:
    from decimal import Decimal
    from fractions import Fraction

    from chalicelib.domain.competition.measured import Measure, age_on, parse_mark
    from chalicelib.domain.competition.round_results import stage_placings
    from chalicelib.domain.competition.rounds import DisciplineRounds
    from chalicelib.domain.competition.stages import measured_outcome

    contest, event = _contest(union, EventFormat.MEET)
    stage = contest.setup.stages[0]
    assert stage.meet is not None and stage.meet.place_points == (9, 7, 6, 5, 4, 3, 2, 1)
    names = [d.name_zh for d in stage.meet.disciplines]
    assert {"男子青年组100米", "女子中年组100米", "男子铅球", "女子立定跳远", "男子4×100米接力"} <= set(names)
    by_staff_no = {m.staff_no: m for m in union.members}
    entries = {e.entry_id: e for e in contest.setup.entries}
    registered = {r.staff_no for r in _registrations(union, event) if r.state is RegistrationState.CONFIRMED}
    events_of = Counter()
    for discipline in stage.meet.disciplines:
        assert 8 <= len(discipline.entries) <= 14, discipline.name_zh
        units = Counter(entries[entry].unit_id for entry in discipline.entries)
        if discipline.relay:
            assert max(units.values()) == 1 and discipline.name_zh.endswith("接力")
            continue
        assert max(units.values()) <= 2, discipline.name_zh
        for staff_no in discipline.entries:
            member = by_staff_no[staff_no]
            events_of[staff_no] += 1
            assert member.unit_id == entries[staff_no].unit_id and member.status is MemberStatus.ACTIVE
            assert discipline.name_zh.startswith("男子" if member.gender is Gender.MALE else "女子")
            age = age_on(member.birth_date, event.starts_at.date())
            assert ("青年组" not in discipline.name_zh or age <= 39) and (
                "中年组" not in discipline.name_zh or age >= 40
            )
    assert set(events_of) == registered and max(events_of.values()) <= 2
    assert event.confirmed_count == len(registered)

    performances: dict[str, dict[str, list[Decimal | None]]] = {}
    for stage_id, code, entry_id, data in contest.performances:
        discipline = next(d for d in stage.meet.disciplines if d.code == code)
        assert stage_id == "meet" and entry_id in discipline.entries and len(data["attempts"]) <= discipline.attempts
        marks = [None if mark is None else parse_mark(Measure(discipline.measure), mark) for mark in data["attempts"]]
        performances.setdefault(code, {})[entry_id] = marks
    # the sprints run in heats and finals (issue 19 item 2): their places from their rounds
    in_rounds = stage_placings(stage, contest.rounds, contest.round_marks)
    assert set(in_rounds) == {"M100Y", "M100M", "W100Y", "W100M", "M1500", "W800"}
    sprint = DisciplineRounds.model_validate(contest.rounds[("meet", "M100Y")][0])  # two heats of 7, a final of 8
    assert [len(heat) for heat in sprint.runs["h"].heats] == [7, 7] and len(sprint.runs["f"].heats[0]) == 8
    assert len(sprint.runs["h"].qualified) == 6 and len(sprint.runs["h"].by_time) == 2 and sprint.runs["f"].closed
    units = {e.entry_id: e.unit_id for e in contest.setup.entries}
    outcome = measured_outcome(stage, performances, units, None, in_rounds)
    assert outcome.complete and list(contest.setup.run("meet").ranking) == outcome.ranking
    # Every point scored went to a unit: 9+7+...+1 = 37 for each event with eight placed, twice that for relays.
    scored = sum((sum(result.points.values(), Fraction(0)) for result in outcome.disciplines), Fraction(0))
    assert sum(line.points for line in outcome.units) == scored
    full = sum(37 * (2 if d.relay else 1) for d in stage.meet.disciplines)
    assert full - 20 <= scored <= full
    assert [line.rank for line in outcome.units] == sorted(line.rank for line in outcome.units)
    assert outcome.units[0].points > outcome.units[-1].points


def test_the_singer_contest_sends_its_top_eight_to_a_final_with_awards(union: DemoUnion) -> None:
    from chalicelib.domain.competition.stages import judged_outcome

    contest, event = _contest(union, EventFormat.CONTEST)
    assert event.title_zh == "教职工歌手大赛"
    prelim, final = contest.setup.stages
    assert prelim.judging is not None and final.judging is not None and prelim.qualifiers == 8
    assert [(c.name_zh, c.weight) for c in prelim.judging.criteria] == [
        ("音准节奏", 0.4),
        ("音色表现", 0.3),
        ("台风仪表", 0.3),
    ]
    assert prelim.judging.aggregation == final.judging.aggregation == "drop_high_low"
    singers = [e.entry_id for e in contest.setup.entries]
    registered = [r.staff_no for r in _registrations(union, event) if r.state is RegistrationState.CONFIRMED]
    assert sorted(singers) == sorted(registered) and event.confirmed_count == len(singers) >= 16
    assert max(Counter(e.unit_id for e in contest.setup.entries).values()) <= 3

    marks: dict[str, dict[str, dict[str, dict[str, float]]]] = {}
    for stage_id, entry_id, judge, criterion_marks in contest.marks:
        assert all(0 <= mark <= 100 for mark in criterion_marks.values())
        marks.setdefault(stage_id, {}).setdefault(entry_id, {})[judge] = criterion_marks
    (prelim_panel,) = prelim.judging.panels
    (final_panel,) = final.judging.panels
    assert len(prelim_panel.judges) == len(final_panel.judges) == 5
    assert all(set(by_judge) == set(prelim_panel.judges) for by_judge in marks["prelim"].values())
    assert all(set(by_judge) == set(final_panel.judges) for by_judge in marks["final"].values())

    ranked = judged_outcome(prelim.judging, singers, marks["prelim"], contest.setup.run("prelim").seed or "")
    assert ranked.complete and all(line.judges == 5 for line in ranked.judged)
    finalists = contest.setup.run("prelim").qualified
    assert list(finalists) == ranked.ranking[:8] == list(contest.setup.run("final").entries)
    assert set(marks["final"]) == set(finalists) == set(final_panel.entries)
    awarded = judged_outcome(final.judging, finalists, marks["final"], event.event_id)
    assert awarded.complete and list(contest.setup.run("final").ranking) == awarded.ranking
    assert [line.award for line in awarded.judged] == ["first", *["second"] * 2, *["third"] * 3, *["merit"] * 2]
    assert {t.name_zh: t.count for t in final.judging.tiers} == {"一等奖": 1, "二等奖": 2, "三等奖": 3, "优秀奖": 2}


def test_referees_and_judges_hold_their_roles_and_the_demo_member_is_one_of_each(union: DemoUnion) -> None:
    from chalicelib.services.competition import JUDGE_ROLE, REFEREE_ROLE

    member = next(a.staff_no for a in union.accounts if "member" in a.role)
    by_staff_no = {m.staff_no: m for m in union.members}
    _cup, cup_event = _contest(union, EventFormat.TOURNAMENT)
    singers, singer_event = _contest(union, EventFormat.CONTEST)
    players = {s for t in union.teams if t.event_id == cup_event.event_id for s in t.roster}
    roles = {(o.event_id, o.staff_no): o for o in union.officials}
    assert len(roles) == len(union.officials)
    referees = {staff_no for (event_id, staff_no) in roles if event_id == cup_event.event_id}
    judges = {staff_no for (event_id, staff_no) in roles if event_id == singer_event.event_id}
    assert member in referees and len(referees) >= 2 and not referees & players
    prelim_panel, final_panel = (stage.judging.panels[0] for stage in singers.setup.stages if stage.judging)
    assert judges == {*prelim_panel.judges, *final_panel.judges}
    assert member in final_panel.judges and member not in prelim_panel.judges
    assert not judges & {e.entry_id for e in singers.setup.entries}, "no judge sings"
    prelim_closed = singers.setup.run("prelim").closed_at
    assert prelim_closed is not None
    for official in union.officials:
        if official.event_id not in (cup_event.event_id, singer_event.event_id):
            continue  # the skill contest's judges: test_contest_events_demo.py
        member_record = by_staff_no[official.staff_no]
        assert (official.name, official.unit_id) == (member_record.name, member_record.unit_id)
        if official.event_id == cup_event.event_id:
            assert official.roles == {REFEREE_ROLE} and official.granted_at < cup_event.starts_at
        elif official.staff_no in prelim_panel.judges:
            assert official.roles == {JUDGE_ROLE} and official.granted_at < singer_event.starts_at
        else:  # the final's own judge, asked after the preliminary
            assert official.roles == {JUDGE_ROLE} and prelim_closed < official.granted_at < singer_event.ends_at


# --- the organisation as data (devtools/demo/organisation.json, issue 16 item 4) ---------------------------------


def test_the_roster_file_of_the_organisation_passes_the_importers_own_validation() -> None:
    from chalicelib.domain.roster import parse_roster
    from chalicelib.services.roster_import import unit_lookup
    from devtools.demo.loader import read_organisation, roster_csv

    today = TODAYS[0]
    organisation = read_organisation(today)
    result = parse_roster(roster_csv(organisation.members), "demo.csv", unit_lookup(list(organisation.units)), today)
    assert result.ok, result.problems[:3]
    plain = tuple(m._replace(roles=frozenset(), admin_units=frozenset()) for m in organisation.members)
    assert tuple(row.to_member() for row in result.rows) == plain


def test_the_events_file_gives_the_loaded_events_and_sessions(union: DemoUnion, today: date) -> None:
    from chalicelib.domain.lottery import commitment

    planned = read_events(today)
    # Counters and draws come from registrations, teams and lotteries, not from the plan.
    unfilled: dict[str, Any] = {
        "confirmed_count": 0,
        "waiting_count": 0,
        "waiting_seq": 0,
        "pending_count": 0,
        "lottery_drawn_at": None,
    }
    assert [
        demo.event._replace(lottery_commitment=demo.lottery_seed and commitment(demo.lottery_seed)) for demo in planned
    ] == [event._replace(**unfilled) for event in union.events]
    sessions = [
        (s.event_id, s.starts_at, s.ends_at, s.venue, s.capacity)
        for demo in planned
        for s in union.sessions
        if s.event_id == demo.event.event_id
    ]
    assert [
        (demo.event.event_id, s["starts_at"], s["ends_at"], s["venue"], s["capacity"])
        for demo in planned
        for s in demo.sessions
    ] == sessions
    assert {draw.event_id: draw.seed for draw in union.draws} == {
        demo.event.event_id: demo.lottery_seed for demo in planned if demo.lottery_seed
    }


def _contest_registrations(events: dict, staff_no: dict, competitions: dict) -> list[tuple]:
    """A skill contest's entrants, registered by their units' admins when entered (``contest_entries`` steps), once."""
    from datetime import timedelta

    from devtools.demo.loader import at_time

    found: dict[tuple[str, str], tuple] = {}
    for block in competitions["events"]:
        event = events[block["event"]]
        for step in (block.get("competition") or {}).get("steps", ()):
            if step["do"] == "contest_entries":
                day, clock = step["at"]
                at = at_time(event.starts_at.date() + timedelta(days=day), clock)
                answers = json.dumps(step.get("answers", {}), sort_keys=True)
                for key in (key for keys in step["entries"].values() for key in keys):
                    found.setdefault((block["event"], key), (block["event"], staff_no[key], at, answers))
    return list(found.values())


def test_the_entries_check_ins_and_officials_files_give_the_loaded_ones(union: DemoUnion, today: date) -> None:
    """What the fixture files say happened, placed on ``today``, is what the loader made happen (the services
    decided states and counters: tests/integration/test_demo_loaded.py)."""
    from datetime import timedelta

    from devtools.demo.loader import at_time

    staff_no = read_organisation(today).staff_no_of
    events = {demo.event.event_id: demo.event for demo in read_events(today)}
    entries, checkins, competitions = (
        json.loads(p.read_text(encoding="utf-8")) for p in (ENTRIES, CHECKINS, COMPETITIONS)
    )

    def opened(event_id: str, minutes: int) -> datetime:
        opens = events[event_id].registration_opens_at
        assert opens is not None
        return opens + timedelta(minutes=minutes)

    blocks = [
        *((b["event"], b["entries"]) for b in entries["registrations"]),
        *((b["event"], b["applications"]) for b in entries["lotteries"]),
        *((b["event"], b.get("registrations", [])) for b in (*checkins["events"], *competitions["events"])),
    ]
    registered = sorted(
        (event_id, staff_no[key], opened(event_id, minutes), json.dumps(answers, sort_keys=True))
        for event_id, rows in blocks
        for key, minutes, answers in rows
    )
    registered = sorted(registered + _contest_registrations(events, staff_no, competitions))
    assert registered == sorted(
        (r.event_id, r.staff_no, r.registered_at, json.dumps(r.answers, sort_keys=True))
        for r in union.registrations
        if r.state is not RegistrationState.TEAM
    )

    def team(event_id: str, t: dict) -> tuple:
        roster, captain = tuple(staff_no[k] for k in t["roster"]), t["captain"] and staff_no[t["captain"]]
        return (event_id, t["team_id"], t["unit"], t["name"], roster, captain, opened(event_id, t["minutes"]))

    teams = sorted(team(b["event"], t) for b in entries["teams"] for t in b["teams"])
    assert teams == sorted(
        (t.event_id, t.team_id, t.unit_id, t.name, t.roster, t.captain, t.created_at) for t in union.teams
    )

    def scan(event_id: str, row: list) -> tuple:
        key, point, minutes, by, station, scan_id = row
        at = events[event_id].starts_at + timedelta(minutes=minutes)
        return (event_id, staff_no[key], point, at, staff_no[by], station, scan_id)

    scans = sorted(scan(b["event"], row) for b in checkins["events"] for row in b["scans"])
    assert scans == sorted(
        (c.event_id, c.staff_no, c.point_id, c.at, c.by, c.station, c.scan_id) for c in union.check_ins
    )

    def named(event_id: str, row: dict) -> datetime:
        return at_time(events[event_id].starts_at.date() - timedelta(days=row["days_before"]), row["time"])

    roles = sorted(
        [(b["event"], staff_no[s["member"]], named(b["event"], s)) for b in checkins["events"] for s in b["staff"]]
        + [
            (b["event"], staff_no[o["member"]], named(b["event"], o))
            for b in competitions["events"]
            for o in b["officials"]
        ]
    )
    assert roles == sorted((r.event_id, r.staff_no, r.granted_at) for r in (*union.event_roles, *union.officials))
