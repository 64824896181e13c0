"""Fixtures shared by the integration tests."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.records import SCHOOL_UNIT_ID, Gender, Member, Unit, UnitKind
from chalicelib.storage import get_store
from tests.conftest import fresh_tables

UNITS = ("cs", "math", "med")


@pytest.fixture(scope="module")
def union(request, dynamodb):
    # Every test makes its own events, so members and units are seeded once for the module.
    fresh_tables(request, dynamodb)
    store = get_store()
    store.units.put_many(
        [Unit(SCHOOL_UNIT_ID, UnitKind.SCHOOL, "校工会")]
        + [Unit(u, UnitKind.SUB, f"{u}分工会", parent_id=SCHOOL_UNIT_ID, position=i) for i, u in enumerate(UNITS)]
    )
    members = [
        Member(
            staff_no=f"M{n:04d}",
            name=f"会员{n}",
            gender=Gender.FEMALE if n % 2 else Gender.MALE,
            birth_date=date(1970 + n % 30, 3, 1),
            unit_id=UNITS[n % 3],
        )
        for n in range(120)
    ]
    store.members.put_many([*members, Member("A0001", "管理员", Gender.MALE, date(1975, 1, 1), SCHOOL_UNIT_ID)])
    return store, members


@pytest.fixture(scope="module")
def restored_demo(dynamodb, loaded_demo):
    """The demo union as loaded once per session, its tables restored for this module (other modules' tests drop
    and refill them)."""
    from devtools.demo.snapshot import restore

    union, items = loaded_demo
    restore(dynamodb, items)
    return union
