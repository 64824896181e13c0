"""Admin changes to units and members, with their policy checks: one implementation for the API and the pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from chalicelib.domain.access import (
    UNION_ADMIN_ROLE,
    MemberChange,
    Principal,
    can_manage_units,
    require,
    require_member_change,
)
from chalicelib.domain.records import SCHOOL_UNIT_ID, WHOLE, Member, MemberStatus, Unit, UnitKind, normalise_staff_no
from chalicelib.errors import BadRequest, Conflict
from chalicelib.storage import Store


def _union_admin_keeper(principal: Principal, before: Member, change: MemberChange) -> str | None:
    """When a change ends a union admin's rights, the acting union admin must still be one when it is written
    (two union admins cannot remove each other at the same moment and leave none)."""
    left = change.fields.get("status", before.status) == MemberStatus.LEFT != before.status
    ending = UNION_ADMIN_ROLE in before.roles and left
    return principal.staff_no if ending and principal.union_admin else None


def change_member(store: Store, principal: Principal, before: Member, changes: dict[str, Any]) -> Member:
    """Apply ``changes`` (field → new value) to a member, as the member change policy allows (chalicelib.domain.access:
    admin rights on the member's unit and the target unit, union admins changed by union admins only, ...)."""
    change = MemberChange(fields=changes)
    require_member_change(principal, before, change)
    if "unit_id" in changes and store.units.get(changes["unit_id"]) is None:
        raise BadRequest("unknown_unit")
    after = before._replace(**changes, damaged=WHOLE)  # saving writes the damaged fields too
    store.organisation.update_member(
        principal.member_no, before, after, union_admin_keeper=_union_admin_keeper(principal, before, change)
    )
    return after


def change_unit(store: Store, principal: Principal, before: Unit, changes: dict[str, Any]) -> Unit:
    """Rename or reorder a unit (union admins); ``changes`` are UnitChanges' fields (field → new value)."""
    require(can_manage_units(principal))
    after = before._replace(**changes, damaged=WHOLE)  # saving writes the damaged fields too
    store.organisation.update_unit(principal.member_no, before, after)
    return after


def create_sub_union(store: Store, principal: Principal, fields: dict[str, Any]) -> Unit:
    """A new 二级工会 under the school union; ``fields`` are NewUnit's (unit_id, name_zh, name_en, ...)."""
    require(can_manage_units(principal))
    unit = Unit(kind=UnitKind.SUB, parent_id=SCHOOL_UNIT_ID, **fields)
    store.organisation.create_unit(principal.member_no, unit)
    return unit


def appoint_unit_admins(store: Store, principal: Principal, unit: Unit, staff_nos: Iterable[str]) -> Unit:
    """Make exactly ``staff_nos`` the unit's admins; every member gaining or losing the right is a member change
    the policy decides (nobody takes their own admin rights away)."""
    require(can_manage_units(principal))
    admins = frozenset(normalise_staff_no(staff_no) for staff_no in staff_nos)
    for staff_no in admins ^ unit.admins:
        member = store.members.get(staff_no)
        if member is None:
            if staff_no in admins:
                raise Conflict("conflict")  # appointing someone who is not a member, as the store would refuse
            continue  # a former admin no longer on the roster keeps nothing to take away
        held = member.admin_units | ({unit.unit_id} if staff_no in unit.admins else frozenset())
        after = held | {unit.unit_id} if staff_no in admins else held - {unit.unit_id}
        require_member_change(principal, member, MemberChange(admin_units=after))
    store.organisation.set_unit_admins(principal.member_no, unit, admins)
    return unit._replace(admins=admins)
