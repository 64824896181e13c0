"""bench/report.py's synthetic year is what its docstring says: exactly the registrations and check-ins asked for,
spread over the year, each event's registrants distinct, check-ins only of members holding a place at the start."""

from __future__ import annotations

from datetime import date

from bench.report import Planned, choose_checkins, plan_year
from chalicelib.domain.records import SCHOOL_UNIT_ID, Gender, Member


def _crowd(count: int) -> list[Member]:
    return [Member(f"B{n:04d}", "会员", Gender.MALE, date(1980, 1, 1), f"u{n % 7}") for n in range(count)]


def test_the_plan_has_the_registrations_asked_for_over_the_year():
    plans = plan_year(2025, 24, 1_001, _crowd(300))
    assert sum(len(registrants) for *_, registrants in plans) == 1_001
    assert all(len({m.staff_no for m in registrants}) == len(registrants) for *_, registrants in plans)
    assert {starts_at.year for starts_at, *_ in plans} == {2025}
    assert sorted({starts_at.month for starts_at, *_ in plans}) == list(range(1, 13))
    assert all(capacity < len(registrants) for _, _, _, capacity, registrants in plans)  # some wait
    assert plans[0][2] == SCHOOL_UNIT_ID and len({owner for _, _, owner, _, _ in plans}) == 8


def test_check_ins_are_exactly_as_many_and_only_of_members_holding_a_place():
    plans = plan_year(2025, 10, 800, _crowd(200))
    planned = [Planned(f"ev-{n}", plan[0], plan[4], plan[4][:3], []) for n, plan in enumerate(plans)]
    capacity = {p.event_id: plans[n][3] for n, p in enumerate(planned)}
    choose_checkins(planned, 500, lambda plan: capacity[plan.event_id])
    assert sum(len(plan.checked_in) for plan in planned) == 500
    for plan in planned:
        cancelled = {m.staff_no for m in plan.cancelling}
        holders = [m for m in plan.registrants if m.staff_no not in cancelled][: capacity[plan.event_id]]
        assert {m.staff_no for m in plan.checked_in} <= {m.staff_no for m in holders}
