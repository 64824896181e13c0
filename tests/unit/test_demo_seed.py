"""The demo union is built without a database; these tests hold it to the shape a real union has."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

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
    assert set(tiers.values()) == {0, 1}, "some applicants had a retreat place lately and draw last"
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

    event = _badminton(union)
    by_staff_no = {m.staff_no: m for m in union.members}
    teams = [t for t in union.teams if t.event_id == event.event_id]
    assert teams and len(teams) == len(union.teams)
    for team in teams:
        roster = [by_staff_no[s] for s in team.roster]
        assert roster_problems(event.team_rule, event, team.unit_id, roster) == [], team.name
        assert team.state.value == "entered" and team.version == 0
        assert team.captain is None or team.captain in team.roster
        assert team.created_by and team.created_at < event.starts_at
        assert team.name.startswith(next(u.short_name for u in union.units if u.unit_id == team.unit_id))
    assert any(t.captain for t in teams) and any(t.captain is None for t in teams)
    assert len({t.team_id for t in teams}) == len({t.name for t in teams}) == len(teams)


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


def test_team_ids_and_draws_do_not_depend_on_the_day() -> None:
    first, second = (build_demo_union(day) for day in TODAYS[:2])
    assert [t.team_id for t in first.teams] == [t.team_id for t in second.teams]
    assert [(d.event_id, d.seed) for d in first.draws] == [(d.event_id, d.seed) for d in second.draws]


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
    from chalicelib.domain.checkin import self_checkin_window

    lecture = _todays_lecture(union, today)
    assert lecture.format is EventFormat.SESSION and lecture.status is EventStatus.REGISTRATION_CLOSED
    (entry,) = _points(union, lecture)
    opens, closes = self_checkin_window(entry, lecture.checkin)
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
