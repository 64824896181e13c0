"""The member change policy (chalicelib.domain.access.member_change_refusal): one table of cases for every path."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.access import (
    UNION_ADMIN_ROLE,
    MemberChange,
    MemberChangeRefusal,
    Principal,
    may_change_member,
    member_change_refusal,
    require_member_change,
)
from chalicelib.domain.records import Gender, Member, MemberStatus
from chalicelib.errors import Forbidden

R = MemberChangeRefusal
LEFT = MemberStatus.LEFT


def person(staff_no: str, unit_id: str, *, admin_of: tuple[str, ...] = (), union_admin: bool = False) -> Member:
    roles = frozenset({UNION_ADMIN_ROLE}) if union_admin else frozenset()
    return Member(
        staff_no, "某某", Gender.FEMALE, date(1980, 1, 1), unit_id, roles=roles, admin_units=frozenset(admin_of)
    )


def acting(member: Member) -> Principal:
    return Principal(member.staff_no, member.unit_id, member.admin_units, UNION_ADMIN_ROLE in member.roles)


UNION = person("U1", "admin", union_admin=True)
UNION_2 = person("U2", "cs", union_admin=True)
CS_ADMIN = person("A1", "cs", admin_of=("cs",))
CS_ADMIN_2 = person("A2", "cs", admin_of=("cs",))
HOSPITAL_ADMIN = person("H1", "hospital", admin_of=("hospital",))
CS_AND_HOSPITAL_ADMIN = person("B1", "cs", admin_of=("cs", "hospital"))  # lives in cs, also runs hospital
CS_MEMBER = person("M1", "cs")
HOSPITAL_MEMBER = person("M2", "hospital")
PLAIN = person("M3", "cs")


def fields(**values: object) -> MemberChange:
    return MemberChange(fields=values)


CASES = [
    # (actor, member before (None: new), change, refusal or None)
    # -- the unit rules: admin rights on the member's unit and on the unit they end up in
    (CS_ADMIN, CS_MEMBER, fields(phone="13800000000"), None),
    (CS_ADMIN, CS_MEMBER, fields(status=MemberStatus.RETIRED), None),
    (CS_ADMIN, CS_MEMBER, fields(status=LEFT), None),
    (CS_ADMIN, HOSPITAL_MEMBER, fields(name="改名"), R.MEMBER_UNIT),
    (CS_ADMIN, HOSPITAL_MEMBER, fields(unit_id="cs"), R.MEMBER_UNIT),  # the import attack: move them in
    (CS_ADMIN, HOSPITAL_MEMBER, MemberChange(), R.MEMBER_UNIT),  # even an unchanged row of another unit
    (CS_ADMIN, CS_MEMBER, fields(unit_id="hospital"), R.TARGET_UNIT),
    (CS_ADMIN, None, fields(unit_id="cs", name="新人"), None),
    (CS_ADMIN, None, fields(unit_id="hospital"), R.TARGET_UNIT),
    (CS_AND_HOSPITAL_ADMIN, HOSPITAL_MEMBER, fields(unit_id="cs"), None),
    (PLAIN, CS_MEMBER, fields(phone="13800000000"), R.MEMBER_UNIT),
    (PLAIN, PLAIN, fields(phone="13800000000"), R.MEMBER_UNIT),  # members do not edit themselves here
    (UNION, HOSPITAL_MEMBER, fields(unit_id="cs", status=LEFT), None),
    # -- another unit's admin, whatever the field
    (CS_ADMIN, HOSPITAL_ADMIN, fields(status=LEFT), R.MEMBER_UNIT),
    (CS_ADMIN, HOSPITAL_ADMIN, fields(unit_id="cs"), R.MEMBER_UNIT),
    # -- ending admin rights on a unit the actor does not run (离职 ends every right)
    (CS_ADMIN, CS_AND_HOSPITAL_ADMIN, fields(status=LEFT), R.ADMIN_ELSEWHERE),
    (CS_ADMIN, CS_AND_HOSPITAL_ADMIN, fields(phone="13800000000"), None),
    (HOSPITAL_ADMIN, CS_AND_HOSPITAL_ADMIN, fields(status=LEFT), R.MEMBER_UNIT),
    (CS_ADMIN, CS_ADMIN_2, fields(status=LEFT), None),  # a co-admin of the same unit
    (UNION, CS_AND_HOSPITAL_ADMIN, fields(status=LEFT), None),
    # -- only a union admin changes a union admin
    (CS_ADMIN, UNION_2, fields(phone="13800000000"), R.UNION_ADMIN),  # a union admin who is a member of cs
    (CS_ADMIN, UNION_2, fields(status=LEFT), R.UNION_ADMIN),
    (CS_ADMIN, UNION, fields(unit_id="cs"), R.MEMBER_UNIT),
    (UNION, UNION_2, fields(status=LEFT), None),  # the acting union admin stays
    (UNION, UNION_2, fields(unit_id="hospital"), None),
    # -- only a union admin gives or takes admin rights
    (CS_ADMIN, CS_MEMBER, MemberChange(admin_units=frozenset({"cs"})), R.APPOINT),
    (CS_ADMIN, CS_ADMIN_2, MemberChange(admin_units=frozenset()), R.APPOINT),
    (CS_ADMIN, None, MemberChange(fields={"unit_id": "cs"}, union_admin=True), R.APPOINT),
    (CS_ADMIN, CS_MEMBER, MemberChange(union_admin=True), R.APPOINT),
    (UNION, CS_MEMBER, MemberChange(admin_units=frozenset({"cs"})), None),
    (UNION, CS_ADMIN, MemberChange(admin_units=frozenset()), None),
    (UNION, UNION_2, MemberChange(union_admin=False), None),
    # -- nobody removes their own admin rights
    (CS_ADMIN, CS_ADMIN, fields(status=LEFT), R.OWN_RIGHTS),
    (CS_ADMIN, CS_ADMIN, fields(phone="13800000000", status=MemberStatus.RETIRED), None),
    (UNION, UNION, fields(status=LEFT), R.OWN_RIGHTS),
    (UNION, UNION, MemberChange(union_admin=False), R.OWN_RIGHTS),
    (UNION_2, UNION_2, MemberChange(admin_units=frozenset({"cs"})), None),  # giving oneself more is no removal
    (
        UNION,
        person("U1", "admin", admin_of=("cs",), union_admin=True),
        MemberChange(admin_units=frozenset()),
        R.OWN_RIGHTS,
    ),
    (UNION, UNION, fields(phone="13800000000"), None),
]


@pytest.mark.parametrize(("actor", "before", "change", "expected"), CASES)
def test_member_change_policy(actor, before, change, expected):
    assert member_change_refusal(acting(actor), before, change) == expected
    assert may_change_member(acting(actor), before, change) is (expected is None)


def test_a_refusal_is_a_403_with_its_reason_as_the_code():
    with pytest.raises(Forbidden) as refused:
        require_member_change(acting(CS_ADMIN), HOSPITAL_ADMIN, fields(status=LEFT))
    assert refused.value.code == "member_change.member_unit" and refused.value.status == 403
    require_member_change(acting(CS_ADMIN), CS_MEMBER, fields(status=LEFT))  # allowed: no exception


@pytest.mark.parametrize(
    ("others", "expected"),
    [(0, R.LAST_UNION_ADMIN), (1, None), (None, None)],  # None: the acting union admin is known to stay
)
def test_nobody_removes_the_last_union_admin(others, expected):
    assert member_change_refusal(acting(UNION), UNION_2, fields(status=LEFT), others) == expected
    assert member_change_refusal(acting(UNION), UNION_2, MemberChange(union_admin=False), others) == expected


def test_an_actor_who_is_no_union_admin_never_counts_as_the_one_who_stays():
    # A principal without a 工号 (a system job) acting as union admin: nobody is known to stay.
    system = Principal(union_admin=True)
    assert member_change_refusal(system, UNION_2, fields(status=LEFT)) == R.LAST_UNION_ADMIN
    assert member_change_refusal(system, UNION_2, fields(status=LEFT), other_union_admins=2) is None


def test_a_member_who_has_left_is_changed_like_anyone_else():
    gone = person("M9", "cs", admin_of=("cs",))
    gone = gone._replace(status=LEFT)
    # Setting 离职 again ends nothing; bringing them back is an ordinary change of their unit's admin.
    assert member_change_refusal(acting(CS_ADMIN), gone, fields(status=LEFT)) is None
    assert member_change_refusal(acting(CS_ADMIN), gone, fields(status=MemberStatus.ACTIVE)) is None


def test_every_refusal_has_a_message_in_both_languages():
    from chalicelib.i18n import catalogue

    for refusal in MemberChangeRefusal:
        for key in (refusal.value, "roster.refused." + refusal.value.removeprefix("member_change.")):
            assert catalogue("zh").get(key) and catalogue("en").get(key), key
