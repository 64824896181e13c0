"""Allocation against DynamoDB Local: approval, the lottery, unit quotas, entry groups, pairs, teams and unit admins
entering their members, including the races the issue names (two admins approving the last place, quota use from
many threads, a draw run twice)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.lottery import commitment, verify_draw
from chalicelib.domain.records import (
    SERIES,
    Allocation,
    EntryType,
    Gender,
    NotificationKind,
    PairGender,
    PairRule,
    RegistrationState,
    TeamRule,
    TeamState,
)
from chalicelib.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.services import events as event_service
from chalicelib.services import lottery as lottery_service
from chalicelib.services import quotas as quota_service
from chalicelib.services import registration as service
from chalicelib.services import teams as team_service
from chalicelib.services.quotas import QuotaPlan
from tests.integration.test_registration import ADMIN, in_threads, open_event, principal, register

ROOT = Path(__file__).resolve().parents[2]
CS_ADMIN = Principal(staff_no="M0000", unit_id="cs", admin_of=frozenset({"cs"}))
MATH_ADMIN = Principal(staff_no="M0001", unit_id="math", admin_of=frozenset({"math"}))


def of_unit(members, unit_id, gender=None):
    return [m for m in members if m.unit_id == unit_id and (gender is None or m.gender is gender)]


def state_of(store, event, member):
    return store.registrations.get(event.event_id, SERIES, member.staff_no).state


def close_registration(store, event):
    event_service.update_event(store, ADMIN, event.event_id, {"registration_closes_at": now()}, False, now())
    time.sleep(0.01)
    return store.events.get(event.event_id, consistent=True)


# ---- approval -------------------------------------------------------------------------------------------------


def test_approval_pending_then_approved_or_rejected_with_reason(union):
    store, members = union
    event = open_event(store, capacity=2, allocation=Allocation.APPROVAL)
    outcome = register(store, members[3], event)
    assert outcome.registration.state is RegistrationState.PENDING
    register(store, members[4], event)
    assert store.events.get(event.event_id, consistent=True).pending_count == 2
    service.approve(store, ADMIN, event.event_id, members[3].staff_no, now())
    service.reject(store, ADMIN, event.event_id, members[4].staff_no, "名额已满，请报名下一期", now())
    assert state_of(store, event, members[3]) is RegistrationState.CONFIRMED
    rejected = store.registrations.get(event.event_id, SERIES, members[4].staff_no)
    assert (rejected.state, rejected.reason) == (RegistrationState.REJECTED, "名额已满，请报名下一期")
    fresh = store.events.get(event.event_id, consistent=True)
    assert (fresh.confirmed_count, fresh.pending_count) == (1, 0)
    kinds = {n.kind for n in store.notifications.for_member(members[4].staff_no) if n.event_id == event.event_id}
    assert kinds == {NotificationKind.REJECTED}
    with pytest.raises(Conflict) as twice:
        service.approve(store, ADMIN, event.event_id, members[3].staff_no, now())
    assert twice.value.code == "not_pending"
    # A rejected member may apply again.
    assert register(store, members[4], event).registration.state is RegistrationState.PENDING


def test_two_admins_approving_the_last_place_at_once(union):
    store, members = union
    event = open_event(store, capacity=1, allocation=Allocation.APPROVAL)
    for member in members[10:12]:
        register(store, member, event)
    other_admin = Principal(staff_no="A0002", unit_id="school", union_admin=True)
    results = in_threads(
        [
            lambda: service.approve(store, ADMIN, event.event_id, members[10].staff_no, now()),
            lambda: service.approve(store, other_admin, event.event_id, members[11].staff_no, now()),
        ]
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], Conflict) and errors[0].code == "event_full"
    fresh = store.events.get(event.event_id, consistent=True)
    assert (fresh.confirmed_count, fresh.pending_count) == (1, 1)


def test_the_same_registration_approved_from_ten_threads_counts_once(union):
    store, members = union
    event = open_event(store, capacity=5, allocation=Allocation.APPROVAL)
    register(store, members[12], event)
    results = in_threads([lambda: service.approve(store, ADMIN, event.event_id, members[12].staff_no, now())] * 10)
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert all(r.code == "not_pending" for r in results if isinstance(r, Exception))
    assert store.events.get(event.event_id, consistent=True).confirmed_count == 1


def test_only_organisers_or_the_members_unit_admin_under_quotas_decide(union):
    store, members = union
    event = open_event(store, capacity=4, allocation=Allocation.APPROVAL)
    cs_member = of_unit(members, "cs")[5]
    register(store, cs_member, event)
    with pytest.raises(Forbidden):  # no quotas: the event's organisers decide
        service.approve(store, CS_ADMIN, event.event_id, cs_member.staff_no, now())
    quota_service.set_quotas(store, ADMIN, event, QuotaPlan(fixed={"cs": 2, "math": 1, "med": 1}), now())
    with pytest.raises(Forbidden):
        service.approve(store, MATH_ADMIN, event.event_id, cs_member.staff_no, now())
    service.approve(store, CS_ADMIN, event.event_id, cs_member.staff_no, now())
    assert state_of(store, event, cs_member) is RegistrationState.CONFIRMED


# ---- unit quotas ----------------------------------------------------------------------------------------------


def test_quota_use_from_many_threads_never_exceeds_the_units_share(union):
    store, members = union
    event = open_event(store, capacity=6, allocation=Allocation.APPROVAL)
    quota_service.set_quotas(store, ADMIN, event, QuotaPlan(fixed={"cs": 2, "math": 2, "med": 2}), now())
    applicants = of_unit(members, "cs")[10:18]
    for member in applicants:
        register(store, member, event)
    fresh = store.events.get(event.event_id, consistent=True)
    results = in_threads(
        [lambda m=m: service.approve(store, ADMIN, fresh.event_id, m.staff_no, now()) for m in applicants]
    )
    approved = [r for r in results if not isinstance(r, Exception)]
    assert len(approved) == 2
    assert {r.code for r in results if isinstance(r, Exception)} == {"quota_used"}
    places = {p.unit_id: p for p in store.unit_places.for_event(event.event_id)}
    assert (places["cs"].quota, places["cs"].used) == (2, 2)
    assert store.events.get(event.event_id, consistent=True).confirmed_count == 2
    # The unit admin sees their unit's share only; the organisers see every unit.
    assert [p.unit_id for p in quota_service.unit_places(store, CS_ADMIN, fresh)] == ["cs"]
    assert len(quota_service.unit_places(store, ADMIN, fresh)) == 3


def test_after_the_release_date_unused_places_go_to_anyone(union):
    store, members = union
    event = open_event(store, capacity=2, allocation=Allocation.APPROVAL)
    # The approvals say when they happen (a slow machine never crosses the release time between two of them).
    release = now() + timedelta(hours=1)
    quota_service.set_quotas(store, ADMIN, event, QuotaPlan(fixed={"cs": 1, "math": 1}, release_at=release), now())
    cs_members = of_unit(members, "cs")[20:22]
    for member in cs_members:
        register(store, member, event)
    service.approve(store, ADMIN, event.event_id, cs_members[0].staff_no, now())
    with pytest.raises(Conflict) as used:
        service.approve(store, ADMIN, event.event_id, cs_members[1].staff_no, release - timedelta(seconds=1))
    assert used.value.code == "quota_used"
    event = store.events.get(event.event_id, consistent=True)
    service.approve(store, ADMIN, event.event_id, cs_members[1].staff_no, release)  # math's unused place
    places = {p.unit_id: p for p in store.unit_places.for_event(event.event_id)}
    assert (places["cs"].used, places["math"].used) == (2, 0)
    assert store.events.get(event.event_id, consistent=True).confirmed_count == 2


def test_quotas_that_do_not_add_up_and_other_bad_plans_are_refused(union):
    store, _members = union
    event = open_event(store, capacity=10, allocation=Allocation.APPROVAL)
    with pytest.raises(InvalidInput) as bad_sum:
        quota_service.set_quotas(store, ADMIN, event, QuotaPlan(fixed={"cs": 3, "math": 3}), now())
    assert bad_sum.value.problems[0]["type"] == "quota_sum"
    with pytest.raises(InvalidInput) as unknown:
        quota_service.set_quotas(store, ADMIN, event, QuotaPlan(fixed={"cs": 5, "nowhere": 5}), now())
    assert unknown.value.problems[0]["type"] == "quota_unknown_unit"
    first_come = open_event(store, capacity=10)
    with pytest.raises(InvalidInput):
        quota_service.set_quotas(store, ADMIN, first_come, QuotaPlan(fixed={"cs": 10}), now())
    with pytest.raises(Forbidden):
        quota_service.set_quotas(store, CS_ADMIN, event, QuotaPlan(fixed={"cs": 10}), now())
    assert store.unit_places.for_event(event.event_id) == []


def test_proportional_quotas_give_a_unit_with_no_members_the_minimum(union):
    store, _members = union
    from chalicelib.domain.records import SCHOOL_UNIT_ID, Unit, UnitKind

    store.units.put_many([Unit("empty", UnitKind.SUB, "空单位", parent_id=SCHOOL_UNIT_ID, position=9)])
    event = open_event(store, capacity=20, allocation=Allocation.APPROVAL)
    units = ["cs", "math", "med", "empty"]
    places = quota_service.set_quotas(store, ADMIN, event, QuotaPlan(proportional_units=units, minimum=1), now())
    quotas = {p.unit_id: p.quota for p in places}
    assert sum(quotas.values()) == 20
    assert quotas["empty"] == 1
    assert sorted(quotas[u] for u in ("cs", "math", "med")) == [6, 6, 7]  # 40 members each: 19 places as 6/6/7
    with pytest.raises(InvalidInput) as too_large:
        quota_service.set_quotas(store, ADMIN, event, QuotaPlan(proportional_units=units, minimum=6), now())
    assert too_large.value.problems[0]["type"] == "quota_minimum_too_large"


# ---- lottery --------------------------------------------------------------------------------------------------


def test_lottery_draws_once_verifiably_and_orders_the_waiting_list(union, tmp_path):
    store, members = union
    event = open_event(store, capacity=5, allocation=Allocation.LOTTERY)
    published_commitment = event.lottery_commitment
    assert published_commitment and len(published_commitment) == 64
    applicants = members[30:45]
    for member in applicants:
        assert register(store, member, event).registration.state is RegistrationState.PENDING
    service.cancel(store, principal(applicants[0]), event.event_id, SERIES, now())  # withdrawn before the draw
    with pytest.raises(Conflict) as early:
        lottery_service.draw(store, ADMIN, event, now())
    assert early.value.code == "draw_before_close"
    assert lottery_service.published(store, event).data is None  # the seed stays sealed until the draw

    event = close_registration(store, event)
    summary = lottery_service.draw(store, ADMIN, event, now())
    assert (summary.applicants, summary.winners, summary.waiting, summary.settled) == (14, 5, 9, 14)
    published = lottery_service.published(store, store.events.get(event.event_id, consistent=True)).data
    assert verify_draw(published, expected_commitment=published_commitment) == []
    assert commitment(published["seed"]) == published_commitment
    assert applicants[0].staff_no not in {a["staff_no"] for a in published["applicants"]}
    states = {m.staff_no: state_of(store, event, m) for m in applicants[1:]}
    assert {s for s, state in states.items() if state is RegistrationState.CONFIRMED} == set(published["winners"])
    positions = {
        r.staff_no: pos
        for r, pos in (
            (r, store.registrations.waiting_position(r)) for r in store.registrations.for_event(event.event_id)
        )
        if pos
    }
    assert sorted(positions, key=positions.get) == published["waiting"]

    # A second run is refused and changes nothing.
    with pytest.raises(Conflict) as again:
        lottery_service.draw(store, ADMIN, store.events.get(event.event_id, consistent=True), now())
    assert again.value.code == "already_drawn"
    assert lottery_service.published(store, event).data == published

    # Anyone can check it with the documented command.
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(published), encoding="utf-8")
    command = [sys.executable, "-m", "devtools.verify_lottery", str(path), "--commitment", published_commitment]
    checked = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    path.write_text(json.dumps({**published, "waiting": published["waiting"][::-1]}), encoding="utf-8")
    tampered = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert tampered.returncode == 1

    # A winner withdrawing gives the place to the first drawn onto the waiting list.
    winner = next(m for m in applicants if m.staff_no == published["winners"][0])
    first_waiting = next(m for m in applicants if m.staff_no == published["waiting"][0])
    service.cancel(store, principal(winner), event.event_id, SERIES, now())
    assert state_of(store, event, first_waiting) is RegistrationState.CONFIRMED


def test_concurrent_draws_record_one_result(union):
    store, members = union
    event = open_event(store, capacity=3, allocation=Allocation.LOTTERY)
    for member in members[50:60]:
        register(store, member, event)
    event = close_registration(store, event)
    results = in_threads([lambda: lottery_service.draw(store, ADMIN, event, now())] * 4)
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert all(r.code == "already_drawn" for r in results if isinstance(r, Exception))
    fresh = store.events.get(event.event_id, consistent=True)
    assert (fresh.confirmed_count, fresh.waiting_count, fresh.pending_count) == (3, 7, 0)


def test_lottery_with_quotas_and_priority_tiers(union):
    store, members = union
    from chalicelib.domain.records import EventFormat

    # Members who held a retreat place in the last three years draw after everyone else.
    past = open_event(store, capacity=50, format=EventFormat.RETREAT)
    veterans = members[60:66]
    for member in veterans:
        register(store, member, past)
    event = open_event(
        store, capacity=4, allocation=Allocation.LOTTERY, format=EventFormat.RETREAT, lottery_priority_years=3
    )
    quota_service.set_quotas(store, ADMIN, event, QuotaPlan(fixed={"cs": 2, "math": 1, "med": 1}), now())
    newcomers = members[66:72]
    for member in [*veterans, *newcomers]:
        register(store, member, event)
    tiers = {r.staff_no: r.tier for r in store.registrations.for_event(event.event_id)}
    assert {tiers[m.staff_no] for m in veterans} == {1}
    assert {tiers[m.staff_no] for m in newcomers} == {0}
    event = close_registration(store, event)
    lottery_service.draw(store, ADMIN, event, now())
    published = lottery_service.published(store, store.events.get(event.event_id, consistent=True)).data
    assert set(published["winners"]) <= {m.staff_no for m in newcomers}  # 2 newcomers per unit: quotas fill
    units = {m.staff_no: m.unit_id for m in members}
    assert sorted(units[s] for s in published["winners"]) == ["cs", "cs", "math", "med"]
    places = {p.unit_id: p.used for p in store.unit_places.for_event(event.event_id)}
    assert places == {"cs": 2, "math": 1, "med": 1}
    assert verify_draw(published) == []


# ---- limits across events -------------------------------------------------------------------------------------


def test_an_entry_group_limits_events_per_member_even_at_once(union):
    store, members = union
    events = [open_event(store, capacity=10, entry_group="meet-2026-individual", entry_group_limit=2) for _ in range(3)]
    member = members[80]
    results = in_threads([lambda e=e: register(store, member, e) for e in events])
    entered = [r for r in results if not isinstance(r, Exception)]
    assert len(entered) == 2
    refused = [r for r in results if isinstance(r, Exception)]
    assert refused[0].code == "entry_group_limit"
    cancelled = entered[0].registration.event_id
    service.cancel(store, principal(member), cancelled, SERIES, now())
    third = next(e for e in events if all(r.registration.event_id != e.event_id for r in entered))
    assert register(store, member, third).registration.state is RegistrationState.CONFIRMED


# ---- pairs ----------------------------------------------------------------------------------------------------


def pair_event(store, gender=PairGender.MIXED, same_unit=False, capacity=4):
    return open_event(store, capacity=capacity, entry_type=EntryType.PAIR, pair_rule=PairRule(gender, same_unit))


def test_pair_entry_waits_for_the_partner_then_takes_one_place(union):
    store, members = union
    event = pair_event(store)
    lead, partner = members[90], members[91]  # a man and a woman
    outcome = service.register(store, principal(lead), event.event_id, SERIES, {}, now(), partner=partner.staff_no)
    assert outcome.registration.state is RegistrationState.AWAITING_PARTNER
    assert state_of(store, event, partner) is RegistrationState.INVITED
    assert store.events.get(event.event_id, consistent=True).confirmed_count == 0
    kinds = [n.kind for n in store.notifications.for_member(partner.staff_no) if n.event_id == event.event_id]
    assert kinds == [NotificationKind.PARTNER_INVITED]
    confirmed = service.confirm_partner(store, principal(partner), event.event_id, now())
    assert confirmed.registration.state is RegistrationState.CONFIRMED
    assert state_of(store, event, partner) is RegistrationState.PARTNER
    assert store.events.get(event.event_id, consistent=True).confirmed_count == 1
    # Either member withdraws the pair as a whole; the place is freed and the other is told.
    service.cancel(store, principal(partner), event.event_id, SERIES, now())
    assert state_of(store, event, lead) is RegistrationState.CANCELLED
    assert state_of(store, event, partner) is RegistrationState.CANCELLED
    assert store.events.get(event.event_id, consistent=True).confirmed_count == 0
    kinds = [n.kind for n in store.notifications.for_member(lead.staff_no) if n.event_id == event.event_id]
    assert NotificationKind.PAIR_CANCELLED in kinds


def test_pair_rules_and_partners_already_entered(union):
    store, members = union
    event = pair_event(store, same_unit=True)
    woman, man_same_unit = members[93], members[96]  # units by n % 3: 93 and 96 are both cs
    two_women = members[95]
    with pytest.raises(InvalidInput) as mixed:
        service.register(store, principal(woman), event.event_id, SERIES, {}, now(), partner=two_women.staff_no)
    assert mixed.value.problems[0]["type"] == "partner_mixed"
    with pytest.raises(InvalidInput) as other_unit:
        service.register(store, principal(woman), event.event_id, SERIES, {}, now(), partner=members[94].staff_no)
    assert other_unit.value.problems[0]["type"] == "partner_other_unit"
    with pytest.raises(InvalidInput) as unknown:
        service.register(store, principal(woman), event.event_id, SERIES, {}, now(), partner="NOBODY")
    assert unknown.value.problems[0]["type"] == "partner_unknown"
    service.register(store, principal(woman), event.event_id, SERIES, {}, now(), partner=man_same_unit.staff_no)
    rival = members[99]  # another cs woman names the same man
    with pytest.raises(Conflict) as taken:
        service.register(store, principal(rival), event.event_id, SERIES, {}, now(), partner=man_same_unit.staff_no)
    assert taken.value.code == "partner_already_entered"
    assert store.registrations.get(event.event_id, SERIES, rival.staff_no) is None


def test_declining_frees_both_and_lets_them_enter_again(union):
    store, members = union
    event = pair_event(store, gender=PairGender.ANY)
    lead, partner = members[100], members[102]
    service.register(store, principal(lead), event.event_id, SERIES, {}, now(), partner=partner.staff_no)
    service.decline_partner(store, principal(partner), event.event_id, now())
    assert state_of(store, event, lead) is RegistrationState.CANCELLED
    with pytest.raises(NotFound):
        service.confirm_partner(store, principal(partner), event.event_id, now())
    kinds = [n.kind for n in store.notifications.for_member(lead.staff_no) if n.event_id == event.event_id]
    assert kinds == [NotificationKind.PARTNER_DECLINED]
    again = service.register(store, principal(partner), event.event_id, SERIES, {}, now(), partner=lead.staff_no)
    assert again.registration.state is RegistrationState.AWAITING_PARTNER


# ---- teams ----------------------------------------------------------------------------------------------------


RULE = TeamRule(min_size=3, max_size=5, min_women=1, older_age=50, max_older=1, teams_per_unit=1)


def team_event(store, rule=RULE, capacity=8):
    return open_event(store, capacity=capacity, entry_type=EntryType.TEAM, team_rule=rule)


def young(members, unit_id, gender):
    """Members of a unit under 50 on the event day (born 1980 or later)."""
    return [m for m in of_unit(members, unit_id, gender) if m.birth_date.year >= 1980]


def test_unit_admin_enters_a_team_and_its_rules_hold(union):
    store, members = union
    event = team_event(store)
    women, men = young(members, "cs", Gender.FEMALE), young(members, "cs", Gender.MALE)
    roster = [women[0].staff_no, men[0].staff_no, men[1].staff_no]
    team = team_service.enter_team(store, CS_ADMIN, event, "cs", "计算机一队", roster, women[0].staff_no, now())
    assert store.teams.get(event.event_id, team.team_id).roster == tuple(roster)
    assert {state_of(store, event, m) for m in (women[0], men[0], men[1])} == {RegistrationState.TEAM}
    assert store.events.get(event.event_id, consistent=True).confirmed_count == 1
    with pytest.raises(Conflict) as per_unit:  # one team per unit
        team_service.enter_team(
            store, CS_ADMIN, event, "cs", "计算机二队", [s.staff_no for s in women[1:4]], None, now()
        )
    assert per_unit.value.code == "unit_team_limit"
    with pytest.raises(Forbidden):  # not their unit
        team_service.enter_team(store, CS_ADMIN, event, "math", "数学队", roster, None, now())
    math_women = young(members, "math", Gender.FEMALE)
    with pytest.raises(InvalidInput) as other_unit:  # a cs player on the math team
        team_service.enter_team(
            store, MATH_ADMIN, event, "math", "数学队", [math_women[0].staff_no, *roster[1:]], None, now()
        )
    assert {p["type"] for p in other_unit.value.problems} == {"roster_other_unit"}
    # The school union sees every team; a unit its own.
    math_men = young(members, "math", Gender.MALE)
    team_service.enter_team(
        store,
        MATH_ADMIN,
        event,
        "math",
        "数学队",
        [math_women[0].staff_no, *(m.staff_no for m in math_men[:2])],
        None,
        now(),
    )
    assert len(team_service.teams_for(store, ADMIN, event)) == 2
    assert [t.unit_id for t in team_service.teams_for(store, CS_ADMIN, event)] == ["cs"]


def test_a_member_in_two_teams_is_refused(union):
    store, members = union
    rule = RULE._replace(teams_per_unit=2)
    event = team_event(store, rule)
    women, men = young(members, "med", Gender.FEMALE), young(members, "med", Gender.MALE)
    med_admin = Principal(staff_no="M0002", unit_id="med", admin_of=frozenset({"med"}))
    team_service.enter_team(
        store, med_admin, event, "med", "医学一队", [women[0].staff_no, men[0].staff_no, men[1].staff_no], None, now()
    )
    with pytest.raises(Conflict) as twice:
        team_service.enter_team(
            store,
            med_admin,
            event,
            "med",
            "医学二队",
            [women[1].staff_no, men[1].staff_no, men[2].staff_no],
            None,
            now(),
        )
    assert (twice.value.code, twice.value.params["staff_no"]) == ("member_already_entered", men[1].staff_no)
    assert store.events.get(event.event_id, consistent=True).confirmed_count == 1
    assert store.registrations.get(event.event_id, SERIES, women[1].staff_no) is None  # nothing half-written


def _substitute(store, caller, event, team, roster, **options):
    """The caller changes the team's roster to ``roster`` (members or staff numbers); name and captain unchanged."""
    staff_nos = [player if isinstance(player, str) else player.staff_no for player in roster]
    return team_service.change_team(store, caller, event, team.team_id, staff_nos, None, None, now(), **options)


def test_substitutions_keep_the_rules_until_the_deadline(union):
    store, members = union
    event = team_event(store)
    women, men = young(members, "cs", Gender.FEMALE), young(members, "cs", Gender.MALE)
    older = [m for m in of_unit(members, "cs") if m.birth_date.year < 1975]
    team = team_service.enter_team(
        store, CS_ADMIN, event, "cs", "计算机队", [women[0].staff_no, men[0].staff_no, older[0].staff_no], None, now()
    )
    with pytest.raises(InvalidInput) as no_woman:  # the only woman substituted by a man
        _substitute(store, CS_ADMIN, event, team, [men[1], men[0], older[0]])
    assert {p["type"] for p in no_woman.value.problems} == {"roster_min_women"}
    with pytest.raises(InvalidInput) as two_older:
        _substitute(store, CS_ADMIN, event, team, [women[0], older[1], older[0]])
    assert {p["type"] for p in two_older.value.problems} == {"roster_max_older"}
    changed = _substitute(store, CS_ADMIN, event, team, [women[0], men[1], older[0]])
    assert changed.version == 1
    assert store.registrations.get(event.event_id, SERIES, men[0].staff_no).state is RegistrationState.CANCELLED
    assert state_of(store, event, men[1]) is RegistrationState.TEAM
    with pytest.raises(Conflict) as stale:  # an edit made from the version before
        _substitute(store, CS_ADMIN, event, team, team.roster, version=team.version)
    assert stale.value.code == "team_changed_meanwhile"
    event_service.update_event(
        store, ADMIN, event.event_id, {"team_rule": RULE._replace(roster_deadline=now())}, False, now()
    )
    time.sleep(0.01)
    late = store.events.get(event.event_id, consistent=True)
    with pytest.raises(Conflict) as deadline:
        _substitute(store, CS_ADMIN, late, team, changed.roster)
    assert deadline.value.code == "roster_deadline_passed"


def test_a_captain_substitutes_and_withdrawing_frees_the_place(union):
    store, members = union
    event = team_event(store)
    women, men = young(members, "math", Gender.FEMALE), young(members, "math", Gender.MALE)
    captain = men[0]
    team = team_service.enter_team(
        store,
        MATH_ADMIN,
        event,
        "math",
        "数学队",
        [women[0].staff_no, men[0].staff_no, men[1].staff_no],
        captain.staff_no,
        now(),
    )
    changed = _substitute(store, principal(captain), event, team, [women[0], men[0], men[2]])
    assert changed.roster[-1] == men[2].staff_no
    with pytest.raises(Forbidden):  # a player who is not the captain
        _substitute(store, principal(women[0]), event, team, changed.roster)
    with pytest.raises(Conflict) as via_cancel:  # players leave through the roster, not by cancelling
        service.cancel(store, principal(women[0]), event.event_id, SERIES, now())
    assert via_cancel.value.code == "team_roster_by_unit"
    withdrawn = team_service.withdraw_team(store, MATH_ADMIN, event, team.team_id, now())
    assert withdrawn.state is TeamState.WITHDRAWN
    assert store.events.get(event.event_id, consistent=True).confirmed_count == 0
    assert all(state_of(store, event, m) is RegistrationState.CANCELLED for m in (women[0], men[0], men[2]))
    assert {p.unit_id: p.used for p in store.unit_places.for_event(event.event_id)}["math"] == 0


# ---- unit admins entering their members -----------------------------------------------------------------------


def test_a_unit_admin_enters_members_of_their_unit_only_under_the_same_rules(union):
    store, members = union
    event = open_event(store, capacity=10)
    cs_member, math_member = of_unit(members, "cs")[30], of_unit(members, "math")[30]
    outcome = service.add_for_member(store, CS_ADMIN, event.event_id, SERIES, cs_member.staff_no, {}, now())
    assert (outcome.registration.state, outcome.registration.added_by) == (RegistrationState.CONFIRMED, "M0000")
    with pytest.raises(Forbidden):
        service.add_for_member(store, CS_ADMIN, event.event_id, SERIES, math_member.staff_no, {}, now())
    # The member sees it and may withdraw it.
    mine = service.my_registrations(store, principal(cs_member))
    assert [r.event_id for r, _ in mine if r.state.active] == [event.event_id]
    service.cancel(store, principal(cs_member), event.event_id, SERIES, now())
    # The same rules as registering oneself: not before the window opens.
    later = open_event(store, capacity=10, registration_opens_at=now() + timedelta(days=1))
    with pytest.raises(Conflict) as not_yet:
        service.add_for_member(store, CS_ADMIN, later.event_id, SERIES, cs_member.staff_no, {}, now())
    assert not_yet.value.code == "registration_not_yet"


def test_the_scheduled_job_draws_closed_lotteries_once(union):
    store, members = union
    event = open_event(store, capacity=2, allocation=Allocation.LOTTERY)
    still_open = open_event(store, capacity=2, allocation=Allocation.LOTTERY)
    for member in members[110:115]:
        register(store, member, event)
        register(store, member, still_open)
    close_registration(store, event)
    assert lottery_service.draw_due_lotteries(store, now()) == [event.event_id]
    assert store.events.get(event.event_id, consistent=True).confirmed_count == 2
    assert store.events.get(still_open.event_id, consistent=True).lottery_drawn_at is None
    assert lottery_service.draw_due_lotteries(store, now()) == []  # nothing left to draw
