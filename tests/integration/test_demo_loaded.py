"""The demo union loaded through the services once, read back as tests name it, and restored from its items."""

import re
from pathlib import Path

import pytest

from chalicelib.domain.calendar import now
from chalicelib.storage import get_store
from devtools import run
from devtools.demo.loader import read_events, read_organisation
from devtools.demo.snapshot import read_items, restore
from devtools.demo.union import counts, read_union


@pytest.fixture(scope="module")
def loaded(dynamodb, loaded_demo):
    """The session's demo union (tests/conftest.py loads it once) and its items, the tables restored for this module."""
    union, items = loaded_demo
    restore(dynamodb, items)
    return union, items


def _rows(items):
    return {table: sorted(map(repr, table_items)) for table, table_items in items.items()}


def test_restoring_the_items_gives_the_tables_back_as_loaded(loaded, dynamodb):
    _, items = loaded
    # A module changes the union: a unit renamed, a unit added. The next module gets the union as loaded.
    store = get_store()
    unit = store.units.get("cs")
    assert unit is not None
    changed = unit._replace(name_zh="改过的名字")
    store.units.put_many([changed, changed._replace(unit_id="new-unit")])
    assert _rows(read_items(dynamodb)) != _rows(items)
    restore(dynamodb, items)
    assert _rows(read_items(dynamodb)) == _rows(items)
    assert sum(map(len, items.values())) > 2000


def test_the_union_reads_back_what_the_fixture_files_name(loaded, dynamodb, demo_day):
    loaded_union, items = loaded
    restore(dynamodb, items)
    today = demo_day
    organisation = read_organisation(today)
    union = read_union(get_store(), organisation, today)
    assert union == loaded_union
    store = get_store()
    # The organisation file's units and members are in the store, as the file names them.
    assert {u.unit_id: u for u in store.units.whole_union()} == {u.unit_id: u for u in organisation.units}
    assert store.organisation.members_by_staff_no(m.staff_no for m in organisation.members) == {
        m.staff_no: m for m in organisation.members
    }
    assert [e.event_id for e in union.events] == [demo.event.event_id for demo in read_events(today)]
    # Every registration the service made has its ticket.
    assert union.registrations and all(r.ticket for r in union.registrations if r.state.value == "confirmed")


def test_make_run_counts_the_loaded_union_as_the_readme_shows_them(loaded, dynamodb):
    union, items = loaded
    restore(dynamodb, items)
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"^Demo union seeded: .*$", readme, flags=re.MULTILINE).group(0)
    assert run.seeded_line(counts(union)) == shown


def test_make_run_loads_nothing_into_a_database_that_holds_the_union(loaded, dynamodb, tmp_path):
    _, items = loaded
    restore(dynamodb, items)
    marker = tmp_path / "demo-loaded"
    # No marker: the load was interrupted (or came from elsewhere); make run says so and writes nothing.
    interrupted = run.load_if_empty(get_store(), dynamodb, now().date(), marker)
    assert "not completely loaded" in interrupted
    marker.write_text("loaded\n")
    assert run.load_if_empty(get_store(), dynamodb, now().date(), marker) == (
        "Demo data already present (delete .data/ to start over)."
    )
    assert _rows(read_items(dynamodb)) == _rows(items)


def test_the_loaded_demo_accounts_sign_in_and_unit_admins_hold_their_units(loaded, dynamodb):
    from chalicelib.services.accounts import sign_in

    union, items = loaded
    restore(dynamodb, items)
    store = get_store()
    for account in union.accounts:
        session = sign_in(store, dynamodb, account.staff_no, account.password, "127.0.0.1")
        assert session.member.staff_no == account.staff_no
    unit_admins = store.units.get("cs").admins
    assert unit_admins and all("cs" in store.members.get(s).admin_units for s in unit_admins)


def test_a_full_retreat_counts_its_registrations_and_the_demo_member_joins_its_waiting_list(loaded, dynamodb):
    from chalicelib.domain.access import Principal
    from chalicelib.domain.records import SERIES
    from chalicelib.services.registration import register

    union, items = loaded
    restore(dynamodb, items)
    store = get_store()
    retreat = next(e for e in union.events if e.format.value == "retreat" and e.waiting_count)
    stored = store.registrations.for_event(retreat.event_id)
    assert sum(r.state.value == "confirmed" for r in stored) == retreat.confirmed_count
    assert sum(r.state.value == "waiting" for r in stored) == retreat.waiting_count
    member = store.members.get(next(a for a in union.accounts if "member" in a.role).staff_no)
    outcome = register(
        store,
        Principal(staff_no=member.staff_no, unit_id=member.unit_id),
        retreat.event_id,
        SERIES,
        {"family": "no"},
        now(),
    )
    assert (outcome.registration.state.value, outcome.position) == ("waiting", retreat.waiting_count + 1)


def test_the_loaded_lotteries_draws_teams_and_unit_places_check_out(loaded, dynamodb):
    from chalicelib.domain.lottery import verify_draw
    from chalicelib.domain.records import Allocation, EntryType
    from chalicelib.services.lottery import published, settle

    union, items = loaded
    restore(dynamodb, items)
    store = get_store()
    lotteries = [e for e in union.events if e.allocation is Allocation.LOTTERY]
    assert {e.lottery_drawn_at is None for e in lotteries} == {True, False}, "one lottery drawn, one still open"
    for stored in lotteries:
        sealed = store.draws.get(stored.event_id)
        assert sealed is not None
        assert (sealed.commitment, sealed.drawn_at) == (stored.lottery_commitment, stored.lottery_drawn_at)
        shown = published(store, stored)
        if stored.lottery_drawn_at is None:
            assert shown.data is None and shown.commitment == stored.lottery_commitment
            assert stored.pending_count == len(store.registrations.for_event(stored.event_id)) > 0
        else:
            assert sealed.published == shown.data and shown.data is not None
            assert verify_draw(shown.data, stored.lottery_commitment) == []
            assert settle(store, stored, now()) == 0, "nothing is left pending after the draw"
        assert sum(p.quota or 0 for p in store.unit_places.for_event(stored.event_id)) == stored.capacity
    tournament = next(e for e in union.events if e.entry_type is EntryType.TEAM)
    teams = [t for t in union.teams if t.event_id == tournament.event_id]
    assert teams and tournament.confirmed_count == len(teams)
    players = [r for r in store.registrations.for_event(tournament.event_id) if r.state.value == "team"]
    assert sorted((r.staff_no, r.team_id) for r in players) == sorted((s, t.team_id) for t in teams for s in t.roster)


def test_the_loaded_check_ins_staff_and_tickets_work_through_the_services(loaded, dynamodb, demo_day):
    from datetime import datetime

    from chalicelib.domain.calendar import CHINA_TZ
    from chalicelib.domain.checkin import ENTRY_POINT, Verdict, ticket_url
    from chalicelib.domain.records import SERIES, EventFormat
    from chalicelib.services import checkin
    from chalicelib.services.identity import principal_for

    union, items = loaded
    restore(dynamodb, items)
    store, today = get_store(), demo_day
    admin = principal_for(store.members.get(next(a for a in union.accounts if "union admin" in a.role).staff_no))
    member = principal_for(store.members.get(next(a for a in union.accounts if "member" in a.role).staff_no))

    # The attendance report reads the stored check-ins: some have completed (the walk, the yoga term), some not.
    reported = 0
    for event in (e for e in union.events if e.format in (EventFormat.MASS, EventFormat.CLASS) and e.confirmed_count):
        if not store.check_ins.for_event(event.event_id):
            continue
        report = checkin.attendance(store, admin, event.event_id)
        assert len(report.lines) == event.confirmed_count
        assert 0 < sum(line.completed for line in report.lines) < len(report.lines)
        reported += 1
    assert reported >= 2

    # Every registration of today's lecture has its ticket, and the demo member's tickets open in "my tickets".
    lecture = next(e for e in union.events if e.starts_at.date() == today and e.checkin.self_checkin)
    assert all(r.ticket for r in store.registrations.for_event(lecture.event_id))
    for registration in (r for r in union.registrations if r.staff_no == member.staff_no):
        _, mine = checkin.my_ticket(store, member, registration.event_id, SERIES)
        assert mine.ticket and mine.state.value == "confirmed"

    # The demo member's duty: a station at today's lecture, where they check a member in by their code ...
    assert [(role.event_id, event.event_id) for role, event in checkin.duties(store, member)] == [
        (lecture.event_id, lecture.event_id)
    ]
    guest = next(r for r in store.registrations.for_event(lecture.event_id) if r.staff_no != member.staff_no)
    at = datetime(today.year, today.month, today.day, 14, 20, tzinfo=CHINA_TZ)
    code = checkin.Scan("demo-scan-0001", ENTRY_POINT, code=ticket_url("http://127.0.0.1:8000", guest.ticket))
    scanned = checkin.check_in(store, member, lecture.event_id, code, "门口", at)
    assert (scanned.verdict, scanned.holder.staff_no) == (Verdict.ADMITTED, guest.staff_no)
    # ... and the venue code they put on the screen checks themself in.
    key = checkin.venue_key("demo-test-key")
    shown = checkin.venue_display(store, member, lecture.event_id, ENTRY_POINT, key, at)
    done = checkin.self_check_in(store, member, shown.code, "demo-scan-0002", key, at)
    assert done.result.verdict is Verdict.ADMITTED and done.result.check_in.method.value == "self"
    assert checkin.checked_in_count(store, admin, lecture.event_id, ENTRY_POINT) == 2


def test_the_loaded_competitions_show_on_the_public_pages_with_their_results(loaded, dynamodb):
    from chalicelib.domain.access import Principal
    from chalicelib.domain.competition.setup import StageKind
    from chalicelib.errors import Conflict
    from chalicelib.services import competition, competition_officials
    from chalicelib.services.identity import principal_for

    demo, items = loaded
    restore(dynamodb, items)
    store = get_store()
    shown = {}
    played = [contest for contest in demo.competitions if contest.setup.published]
    assert len(played) == len(demo.competitions) - 1  # the dragon boat races are still to come (not published)
    for contest in played:
        # Published: anyone may read them, as the public pages do.
        state = competition.view(store, Principal(), contest.setup.event_id)
        assert state.competition == contest.setup
        stored = store.competitions.get(contest.setup.event_id)
        assert (len(stored.matches), len(stored.marks), len(stored.performances)) == (
            len(contest.matches),
            len(contest.marks),
            len(contest.performances),
        )
        for stage in state.competition.stages:
            outcome = competition.outcome(state, stage)
            assert outcome.complete, stage.stage_id
            assert outcome.ranking == list(state.competition.run(stage.stage_id).ranking)
            if not state.competition.contests:  # the skill contest's events: test_contest_events_demo.py
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
    member = principal_for(store.members.get(next(a for a in demo.accounts if "member" in a.role).staff_no))
    cup, singers = (
        next(c for c in demo.competitions if c.setup.stages[0].kind is kind and not c.setup.contests)
        for kind in (StageKind.GROUPS, StageKind.JUDGED)
    )
    duties = {event.event_id: role.roles for role, event in competition_officials.duties(store, member)}
    assert duties == {cup.setup.event_id: {competition.REFEREE_ROLE}, singers.setup.event_id: {competition.JUDGE_ROLE}}
    _state, _stage, run, entries, own = competition.judge_sheet(store, member, singers.setup.event_id, "final")
    assert entries == list(run.entries) and len(entries) == 8 and set(own) == set(entries)
    final = next(m for _, _, m in cup.matches if m.bracket == "W" and m.round == 3)
    with pytest.raises(Conflict) as refused:
        competition.enter_result(store, member, cup.setup.event_id, "knockout", final.match_id, {"rubbers": []}, now())
    assert refused.value.code == "stage_closed"


def test_the_loaded_demo_accounts_apply_for_the_open_lottery_and_substitute_a_player(loaded, dynamodb):
    from chalicelib.domain.entries import roster_problems
    from chalicelib.domain.records import SERIES, Allocation, EntryType
    from chalicelib.services.identity import principal_for
    from chalicelib.services.registration import register
    from chalicelib.services.teams import change_team

    demo, items = loaded
    restore(dynamodb, items)
    store = get_store()
    member = store.members.get(next(a for a in demo.accounts if "member" in a.role).staff_no)
    lottery = next(e for e in demo.events if e.allocation is Allocation.LOTTERY and e.lottery_drawn_at is None)
    outcome = register(store, principal_for(member), lottery.event_id, SERIES, {"family": "no"}, now())
    assert (outcome.registration.state.value, outcome.registration.tier) == ("pending", 0)
    assert store.events.get(lottery.event_id).pending_count == lottery.pending_count + 1

    # The computer science unit admin puts the demo member on their unit's team in place of a player.
    admin = store.members.get(next(a for a in demo.accounts if "计算机学院" in a.role and "admin" in a.role).staff_no)
    tournament = store.events.get(next(e for e in demo.events if e.entry_type is EntryType.TEAM).event_id)
    team = next(t for t in store.teams.for_event(tournament.event_id) if t.unit_id == admin.unit_id)
    rosters = [[*team.roster[:i], member.staff_no, *team.roster[i + 1 :]] for i in range(len(team.roster))]
    roster = next(
        r
        for r in rosters
        if not roster_problems(tournament.team_rule, tournament, team.unit_id, [store.members.get(s) for s in r])
    )
    changed = change_team(store, principal_for(admin), tournament, team.team_id, roster, None, None, now())
    assert member.staff_no in changed.roster and changed.version == team.version + 1
    mine = store.registrations.get(tournament.event_id, SERIES, member.staff_no)
    assert (mine.state.value, mine.team_id) == ("team", team.team_id)
