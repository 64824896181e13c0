"""Admin changes to units and members, with their policy checks: one implementation for the API and the pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from chalicelib.domain.access import Principal, can_change_member, can_manage_units, require
from chalicelib.domain.records import SCHOOL_UNIT_ID, Member, Unit, UnitKind, normalise_staff_no
from chalicelib.errors import BadRequest
from chalicelib.storage import Store


def change_member(store: Store, principal: Principal, before: Member, changes: dict[str, Any]) -> Member:
    """Apply ``changes`` (field → new value) to a member; moving them needs admin rights on both units."""
    require(can_change_member(principal, before.unit_id, changes.get("unit_id")))
    if "unit_id" in changes and store.units.get(changes["unit_id"]) is None:
        raise BadRequest("unknown_unit")
    after = replace(before, **changes)
    store.organisation.update_member(principal.staff_no, before, after)
    return after


def create_sub_union(store: Store, principal: Principal, fields: dict[str, Any]) -> Unit:
    """A new 二级工会 under the school union; ``fields`` are NewUnit's (unit_id, name_zh, name_en, ...)."""
    require(can_manage_units(principal))
    unit = Unit(kind=UnitKind.SUB, parent_id=SCHOOL_UNIT_ID, **fields)
    store.organisation.create_unit(principal.staff_no, unit)
    return unit


def appoint_unit_admins(store: Store, principal: Principal, unit: Unit, staff_nos: Iterable[str]) -> Unit:
    require(can_manage_units(principal))
    admins = frozenset(normalise_staff_no(staff_no) for staff_no in staff_nos)
    store.organisation.set_unit_admins(principal.staff_no, unit, admins)
    return replace(unit, admins=admins)
