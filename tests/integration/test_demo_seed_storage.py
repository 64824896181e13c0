"""The demo seed against DynamoDB Local: it lands a living union once, and only once."""

import pytest

from chalicelib.domain.calendar import now
from chalicelib.domain.records import SCHOOL_UNIT_ID
from chalicelib.services.accounts import sign_in
from devtools.demo_seed import build_demo_union, seed, seed_if_empty


def test_seed_if_empty_writes_the_demo_union_once(empty_store):
    today = now().date()
    demo = build_demo_union(today)
    counts = seed_if_empty(empty_store, today)
    assert counts == {
        "units": len(demo.units),
        "members": len(demo.members),
        "events": len(demo.events),
        "accounts": len(demo.accounts),
        "registrations": len(demo.registrations),
        "teams": len(demo.teams),
        "unit_places": len(demo.unit_places),
        "draws": len(demo.draws),
        "check_ins": len(demo.check_ins),
        "event_roles": len(demo.event_roles),
        "officials": len(demo.officials),
        "competitions": len(demo.competitions),
    }
    assert seed_if_empty(empty_store, today) is None
    assert len(empty_store.units.children(SCHOOL_UNIT_ID)) == len(demo.units) - 1
    some_member = demo.members[0]
    assert empty_store.members.get(some_member.staff_no) == some_member
    in_units = sum(len(list(empty_store.members.in_unit(unit.unit_id))) for unit in demo.units)
    assert in_units == len(demo.members)
    assert empty_store.events.upcoming(now(), limit=50)


def test_demo_accounts_sign_in_with_their_roles(empty_store, dynamodb):
    today = now().date()
    seed_if_empty(empty_store, today)
    for account in build_demo_union(today).accounts:
        session = sign_in(empty_store, dynamodb, account.staff_no, account.password, "127.0.0.1")
        assert session.member.staff_no == account.staff_no
    unit_admins = empty_store.units.get("cs").admins
    assert unit_admins and all("cs" in empty_store.members.get(s).admin_units for s in unit_admins)


def test_seeded_registrations_agree_with_event_counters_and_a_demo_member_can_register(empty_store):
    from chalicelib.domain.access import Principal
    from chalicelib.domain.records import SERIES
    from chalicelib.services.registration import register

    today = now().date()
    demo = build_demo_union(today)
    seed_if_empty(empty_store, today)
    retreat = next(e for e in demo.events if e.format.value == "retreat" and e.waiting_count)
    stored = empty_store.registrations.for_event(retreat.event_id)
    assert sum(r.state.value == "confirmed" for r in stored) == empty_store.events.get(retreat.event_id).confirmed_count
    member = next(a for a in demo.accounts if "member" in a.role)
    record = empty_store.members.get(member.staff_no)
    outcome = register(
        empty_store,
        Principal(staff_no=record.staff_no, unit_id=record.unit_id),
        retreat.event_id,
        SERIES,
        {"family": "no"},
        now(),
    )
    assert (outcome.registration.state.value, outcome.position) == ("waiting", retreat.waiting_count + 1)


def test_seeded_draws_teams_and_unit_places_read_back_and_check_out(empty_store):
    from chalicelib.domain.lottery import verify_draw
    from chalicelib.domain.records import Allocation, EntryType
    from chalicelib.services.lottery import published, settle

    today = now().date()
    demo = build_demo_union(today)
    seed(empty_store, today)
    seed(empty_store, today)  # a second run overwrites the first: every key is deterministic
    for event in (e for e in demo.events if e.allocation is Allocation.LOTTERY):
        stored = empty_store.events.get(event.event_id)
        sealed = empty_store.draws.get(event.event_id)
        assert sealed is not None and stored is not None
        assert (sealed.commitment, sealed.drawn_at) == (stored.lottery_commitment, stored.lottery_drawn_at)
        shown = published(empty_store, stored)
        if stored.lottery_drawn_at is None:
            assert shown.data is None and shown.commitment == stored.lottery_commitment
            assert stored.pending_count == len(empty_store.registrations.for_event(event.event_id)) > 0
        else:
            assert sealed.published == shown.data and shown.data is not None
            assert verify_draw(shown.data, stored.lottery_commitment) == []
            assert settle(empty_store, stored, now()) == 0, "nothing is left pending after the seeded draw"
        places = empty_store.unit_places.for_event(event.event_id)
        assert places == sorted((p for p in demo.unit_places if p.event_id == event.event_id), key=lambda p: p.unit_id)
        assert sum(p.quota or 0 for p in places) == stored.capacity
    tournament = next(e for e in demo.events if e.entry_type is EntryType.TEAM)
    teams = empty_store.teams.for_event(tournament.event_id)
    assert sorted(teams) == sorted(t for t in demo.teams if t.event_id == tournament.event_id)
    assert empty_store.events.get(tournament.event_id).confirmed_count == len(teams)
    players = [r for r in empty_store.registrations.for_event(tournament.event_id) if r.state.value == "team"]
    assert sorted((r.staff_no, r.team_id) for r in players) == sorted(
        (s, t.team_id) for t in demo.teams if t.event_id == tournament.event_id for s in t.roster
    )
    places = empty_store.unit_places.for_event(tournament.event_id)
    assert places == sorted((p for p in demo.unit_places if p.event_id == tournament.event_id), key=lambda p: p.unit_id)


def test_demo_accounts_apply_for_the_open_lottery_and_substitute_a_player(empty_store):
    from chalicelib.domain.entries import roster_problems
    from chalicelib.domain.records import SERIES, Allocation, EntryType
    from chalicelib.services.identity import principal_for
    from chalicelib.services.registration import register
    from chalicelib.services.teams import change_team

    today = now().date()
    demo = build_demo_union(today)
    seed_if_empty(empty_store, today)
    member = empty_store.members.get(next(a for a in demo.accounts if "member" in a.role).staff_no)
    lottery = next(e for e in demo.events if e.allocation is Allocation.LOTTERY and e.lottery_drawn_at is None)
    outcome = register(empty_store, principal_for(member), lottery.event_id, SERIES, {"family": "no"}, now())
    assert (outcome.registration.state.value, outcome.registration.tier) == ("pending", 0)
    assert empty_store.events.get(lottery.event_id).pending_count == lottery.pending_count + 1

    # The computer science unit admin puts the demo member on their unit's team in place of a player.
    admin = empty_store.members.get(
        next(a for a in demo.accounts if "计算机学院" in a.role and "admin" in a.role).staff_no
    )
    tournament = empty_store.events.get(next(e for e in demo.events if e.entry_type is EntryType.TEAM).event_id)
    team = next(t for t in empty_store.teams.for_event(tournament.event_id) if t.unit_id == admin.unit_id)
    rosters = [[*team.roster[:i], member.staff_no, *team.roster[i + 1 :]] for i in range(len(team.roster))]
    roster = next(
        r
        for r in rosters
        if not roster_problems(tournament.team_rule, tournament, team.unit_id, [empty_store.members.get(s) for s in r])
    )
    changed = change_team(empty_store, principal_for(admin), tournament, team.team_id, roster, None, None, now())
    assert member.staff_no in changed.roster and changed.version == team.version + 1
    mine = empty_store.registrations.get(tournament.event_id, SERIES, member.staff_no)
    assert (mine.state.value, mine.team_id) == ("team", team.team_id)


def test_seeded_check_ins_staff_and_tickets_work_through_the_services(empty_store):
    from datetime import datetime

    from chalicelib.domain.calendar import CHINA_TZ
    from chalicelib.domain.checkin import ENTRY_POINT, Verdict, ticket_url
    from chalicelib.domain.records import SERIES, EventFormat
    from chalicelib.services import checkin
    from chalicelib.services.identity import principal_for

    today = now().date()
    demo = build_demo_union(today)
    seed(empty_store, today)
    seed(empty_store, today)  # again: the check-ins and roles are overwritten, not added
    admin = principal_for(empty_store.members.get(next(a for a in demo.accounts if "union admin" in a.role).staff_no))
    member = principal_for(empty_store.members.get(next(a for a in demo.accounts if "member" in a.role).staff_no))

    # The stored check-ins are the demo's, and the attendance report reads them: the walk's finishers completed it,
    # and some of the yoga class have completed the term while others have not.
    for event in (e for e in demo.events if e.format in (EventFormat.MASS, EventFormat.CLASS) and e.confirmed_count):
        seeded = sorted(c for c in demo.check_ins if c.event_id == event.event_id)
        if not seeded:
            continue
        assert sorted(empty_store.check_ins.for_event(event.event_id)) == seeded
        report = checkin.attendance(empty_store, admin, event.event_id)
        assert len(report.lines) == event.confirmed_count
        assert 0 < sum(line.completed for line in report.lines) < len(report.lines)

    # Every registration of the demo has its ticket, and the demo member's open in "my tickets".
    lecture = next(e for e in demo.events if e.starts_at.date() == today and e.checkin.self_checkin)
    assert all(r.ticket for r in empty_store.registrations.for_event(lecture.event_id))
    for registration in (r for r in demo.registrations if r.staff_no == member.staff_no):
        _, mine = checkin.my_ticket(empty_store, member, registration.event_id, SERIES)
        assert mine.ticket and mine.state.value == "confirmed"

    # The demo member's duty: a station at today's lecture, where they check a member in by their code ...
    assert [(role.event_id, event.event_id) for role, event in checkin.duties(empty_store, member)] == [
        (lecture.event_id, lecture.event_id)
    ]
    assert checkin.station(empty_store, member, lecture.event_id).allowed == [ENTRY_POINT]
    guest = next(r for r in empty_store.registrations.for_event(lecture.event_id) if r.staff_no != member.staff_no)
    at = datetime(today.year, today.month, today.day, 14, 20, tzinfo=CHINA_TZ)
    code = checkin.Scan("demo-scan-0001", ENTRY_POINT, code=ticket_url("http://127.0.0.1:8000", guest.ticket))
    scanned = checkin.check_in(empty_store, member, lecture.event_id, code, "门口", at)
    assert (scanned.verdict, scanned.holder.staff_no) == (Verdict.ADMITTED, guest.staff_no)
    # ... and the venue code they put on the screen checks themself in.
    key = checkin.venue_key("demo-test-key")
    shown = checkin.venue_display(empty_store, member, lecture.event_id, ENTRY_POINT, key, at)
    done = checkin.self_check_in(empty_store, member, shown.code, "demo-scan-0002", key, at)
    assert done.result.verdict is Verdict.ADMITTED and done.result.check_in.method.value == "self"
    assert checkin.checked_in_count(empty_store, admin, lecture.event_id, ENTRY_POINT) == 2


def test_seeded_competitions_show_on_the_public_pages_with_their_results(empty_store):
    from chalicelib.domain.access import Principal
    from chalicelib.domain.competition.setup import StageKind
    from chalicelib.errors import Conflict
    from chalicelib.services import competition
    from chalicelib.services.identity import principal_for

    today = now().date()
    demo = build_demo_union(today)
    seed(empty_store, today)
    seed(empty_store, today)  # again: the same draws' matches, marks and performances are overwritten
    shown = {}
    for contest in demo.competitions:
        # Published: anyone may read them, as the public pages do.
        state = competition.view(empty_store, Principal(), contest.setup.event_id)
        assert state.competition == contest.setup
        stored = empty_store.competitions.get(contest.setup.event_id)
        assert (len(stored.matches), len(stored.marks), len(stored.performances)) == (
            len(contest.matches),
            len(contest.marks),
            len(contest.performances),
        )
        for stage in state.competition.stages:
            outcome = competition.outcome(state, stage)
            assert outcome.complete, stage.stage_id
            assert outcome.ranking == list(state.competition.run(stage.stage_id).ranking)
            shown[stage.kind] = outcome
    groups = shown[StageKind.GROUPS]
    assert len(groups.tables) == 4 and all(len(table.rows) == 4 for table in groups.tables)
    assert [place for place, _ in shown[StageKind.SINGLE_ELIMINATION].placings][:4] == [1, 2, 3, 4]
    awards = [line.award for line in shown[StageKind.JUDGED].judged]  # the final: the last judged stage
    assert awards[:3] == ["first", "second", "second"] and None not in awards
    units = shown[StageKind.MEASURED].units
    assert len(units) >= 20 and units[0].rank == 1 and units[0].points > 0

    # The demo member's duties: a referee of the cup and a judge of the singers' final, whose sheet shows their
    # own marks of the eight finalists; both are over, so nothing more can be entered.
    member = principal_for(empty_store.members.get(next(a for a in demo.accounts if "member" in a.role).staff_no))
    cup, singers = (
        next(c for c in demo.competitions if c.setup.stages[0].kind is kind)
        for kind in (StageKind.GROUPS, StageKind.JUDGED)
    )
    duties = {event.event_id: role.roles for role, event in competition.duties(empty_store, member)}
    assert duties == {cup.setup.event_id: {competition.REFEREE_ROLE}, singers.setup.event_id: {competition.JUDGE_ROLE}}
    _state, _stage, run, entries, own = competition.judge_sheet(empty_store, member, singers.setup.event_id, "final")
    assert entries == list(run.entries) and len(entries) == 8 and set(own) == set(entries)
    final = next(m for _, _, m in cup.matches if m.bracket == "W" and m.round == 3)
    with pytest.raises(Conflict) as refused:
        competition.enter_result(
            empty_store, member, cup.setup.event_id, "knockout", final.match_id, {"rubbers": []}, now()
        )
    assert refused.value.code == "stage_closed"


def test_the_organisation_loads_through_the_services_as_the_seed_writes_it(empty_store, dynamodb):
    from devtools.demo.loader import load_organisation

    today = now().date()
    demo = build_demo_union(today)
    loaded = load_organisation(empty_store, dynamodb, today)
    assert empty_store.units.get(SCHOOL_UNIT_ID) == demo.units[0]
    assert empty_store.units.children(SCHOOL_UNIT_ID) == list(demo.units[1:])
    stored = empty_store.organisation.members_by_staff_no(m.staff_no for m in demo.members)
    assert [stored[m.staff_no] for m in demo.members] == list(demo.members)
    for account in loaded.accounts:
        session = sign_in(empty_store, dynamodb, account.staff_no, account.password, "127.0.0.1")
        assert session.member.staff_no == account.staff_no
    # The services leave the trail an administrator's setup leaves: units created, the roster imported, admins set.
    actions = {entry.action for entry in empty_store.audit.for_unit(SCHOOL_UNIT_ID, limit=100)}
    assert {"unit.create"} <= actions
    assert {entry.action for entry in empty_store.audit.for_unit("cs")} >= {"roster.import", "unit.admins"}


def test_the_events_load_through_the_services_as_the_seed_writes_them(empty_store, dynamodb):
    from dataclasses import replace

    from devtools.demo.loader import load_events, load_organisation, union_admin

    today = now().date()
    demo = build_demo_union(today)
    loaded = load_events(empty_store, union_admin(load_organisation(empty_store, dynamodb, today)), today)
    assert [planned.event.event_id for planned in loaded] == [event.event_id for event in demo.events]
    stored = empty_store.events.get_many(event.event_id for event in demo.events)
    # The same events in the same statuses; only what registrations, teams and draws add is still missing.
    unfilled = {"confirmed_count": 0, "waiting_count": 0, "pending_count": 0, "lottery_drawn_at": None}
    assert [stored[event.event_id] for event in demo.events] == [replace(e, **unfilled) for e in demo.events]
    for event in demo.events:
        sessions = [s for s in demo.sessions if s.event_id == event.event_id]
        assert empty_store.sessions.for_event(event.event_id) == sessions
    for draw in demo.draws:
        sealed = empty_store.draws.get(draw.event_id)
        assert sealed is not None and (sealed.commitment, sealed.seed) == (draw.commitment, draw.seed)
    # Each event was created and moved along its statuses by the organiser, as the audit log shows.
    walk = demo.events[0]
    actions = [e.action for e in empty_store.audit.for_unit(SCHOOL_UNIT_ID, limit=500) if e.target == walk.event_id]
    steps = ("create", "published", "registration_open", "registration_closed", "running", "finished")
    assert sorted(actions) == sorted(f"event.{step}" for step in steps)


def test_entries_check_ins_and_officials_load_through_the_services_as_the_seed_writes_them(empty_store, dynamodb):
    from devtools.demo.loader import load_demo

    today = now().date()
    demo = build_demo_union(today)
    load_demo(empty_store, dynamodb, today)
    drawn, still_open = (draw.event_id for draw in sorted(demo.draws, key=lambda d: d.drawn_at is None))

    def entries(event_id, registrations):
        # The ticket is the service's (the seed wrote none); waiting-list keys are the service's own, in order; the
        # open retreat's tiers follow the drawn retreat's winners (below).
        tier = (lambda r: None) if event_id == still_open else (lambda r: r.tier)
        return sorted((r.staff_no, r.state, r.registered_at, r.answers, tier(r), r.team_id) for r in registrations)

    for event in demo.events:
        stored = empty_store.events.get(event.event_id)
        if event.event_id != drawn:
            counters = ("confirmed_count", "waiting_count", "pending_count", "lottery_drawn_at")
            assert [getattr(stored, name) for name in counters] == [getattr(event, name) for name in counters]
            seeded = [r for r in demo.registrations if r.event_id == event.event_id]
            assert entries(event.event_id, empty_store.registrations.for_event(event.event_id)) == entries(
                event.event_id, seeded
            )
            assert empty_store.unit_places.for_event(event.event_id) == sorted(
                p for p in demo.unit_places if p.event_id == event.event_id
            )
            assert sorted(empty_store.teams.for_event(event.event_id)) == sorted(
                t for t in demo.teams if t.event_id == event.event_id
            )
        # Staff scanned the tickets the service issued: the same check-ins, by the same staff, at the same moments.
        check_ins = sorted(empty_store.check_ins.for_event(event.event_id))
        assert check_ins == sorted(c for c in demo.check_ins if c.event_id == event.event_id)
        # Check-in staff, referees and judges, named by the union admin when the seed says.
        assert sorted(empty_store.event_roles.for_event(event.event_id)) == sorted(
            r for r in (*demo.event_roles, *demo.officials) if r.event_id == event.event_id
        )
    # The drawn retreat: the services find no earlier retreat place for anyone (the seed made up one applicant in
    # five with one), so its draw has one tier and other winners; it was drawn by the job as the seed says.
    stored = empty_store.events.get(drawn)
    draw = empty_store.draws.get(drawn)
    seeded_draw = next(d for d in demo.draws if d.event_id == drawn)
    assert (draw.drawn_at, draw.drawn_by, draw.seed) == (seeded_draw.drawn_at, "system", seeded_draw.seed)
    applications = empty_store.registrations.for_event(drawn)
    assert {r.tier for r in applications} == {0}
    assert stored.confirmed_count == len(draw.published["winners"]) == stored.capacity
    assert stored.waiting_count == len(draw.published["waiting"]) == len(applications) - stored.capacity
    assert sorted(r.staff_no for r in applications if r.state.value == "confirmed") == sorted(draw.published["winners"])
    # The open retreat's applicants who hold a place on another retreat draw last (the seed's rule, the service's).
    retreats = [e.event_id for e in demo.events if e.format.value == "retreat" and e.event_id != still_open]
    held = {
        r.staff_no for e in retreats for r in empty_store.registrations.for_event(e) if r.state.value == "confirmed"
    }
    tiers = {r.staff_no: r.tier for r in empty_store.registrations.for_event(still_open)}
    assert tiers == {staff_no: int(staff_no in held) for staff_no in tiers} and set(tiers.values()) == {0, 1}
    _assert_competitions_as_seeded(empty_store, demo)


def _assert_competitions_as_seeded(store, demo):
    """The competitions played through the services (draws with the seed's seed and draw ids, results entered by
    the referee, marks by the judges, performances, stages closed, published) are the ones the seed wrote."""
    from chalicelib.domain.competition.setup import Competition

    def same(stored, seeded):
        assert sorted(stored, key=repr) == sorted(seeded, key=repr)

    assert len(demo.competitions) == 3
    for contest in demo.competitions:
        items = store.competitions.get(contest.setup.event_id)
        assert Competition.model_validate(items.setup) == contest.setup
        same(
            [(m.stage_id, m.draw_id, m.match.to_dict()) for m in items.matches],
            [(stage_id, draw_id, match.to_dict()) for stage_id, draw_id, match in contest.matches],
        )
        same([(m.stage_id, m.entry_id, m.judge, m.marks) for m in items.marks], contest.marks)
        same([(p.stage_id, p.discipline, p.entry_id, p.data) for p in items.performances], contest.performances)
