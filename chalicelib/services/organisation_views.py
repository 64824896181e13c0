"""What the organisation's screens show — the home page, a member's own profile, the admin pages of units, members
and the change log — read here for the pages and for the API routes that serve the same data, so that neither
reaches into storage and a rule (who may read what, which units an admin sees) lives in one place."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from chalicelib.domain.access import (
    Principal,
    can_manage_unit_members,
    can_read_audit,
    can_read_member,
    may_change_member,
    require,
)
from chalicelib.domain.language import localized
from chalicelib.domain.records import SCHOOL_UNIT_ID, AuditEntry, Event, Member, Unit
from chalicelib.errors import NotFound

if TYPE_CHECKING:
    from chalicelib.storage import Store
    from chalicelib.storage.organisation import MemberPage

# ---- units --------------------------------------------------------------------------------------------------------


def unit(store: Store, unit_id: str) -> Unit:
    """The unit ``unit_id``; NotFound when there is none."""
    found = store.units.get(unit_id)
    if found is None:
        raise NotFound()
    return found


def unit_or_none(store: Store, unit_id: str) -> Unit | None:
    return store.units.get(unit_id)


def whole_union(store: Store) -> list[Unit]:
    """The school union and its sub-unions (two reads)."""
    return store.units.whole_union()


def sub_unions(store: Store) -> list[Unit]:
    """The school union's sub-unions, in the union's order."""
    return store.units.children(SCHOOL_UNIT_ID)


def administered_units(store: Store, principal: Principal) -> list[Unit]:
    """The sub-unions the principal administers, in the union's order (a union admin: all of them)."""
    units = sub_unions(store)
    return units if principal.union_admin else [unit for unit in units if unit.unit_id in principal.admin_of]


def unit_name(unit: Unit | None, unit_id: str, language: str) -> str:
    """A unit's name in ``language`` (Chinese when it has no English name); its id if the unit is unknown."""
    return unit_id if unit is None else localized(unit, "name", language)


def unit_names(store: Store, language: str) -> dict[str, str]:
    """Every unit's name in ``language`` by id (two reads: the school union and its sub-unions)."""
    return {unit.unit_id: unit_name(unit, unit.unit_id, language) for unit in whole_union(store)}


# ---- members ------------------------------------------------------------------------------------------------------


def member(store: Store, staff_no: str) -> Member:
    """The member ``staff_no``; NotFound when there is none (e.g. the record went away after a session began)."""
    found = store.members.get(staff_no)
    if found is None:
        raise NotFound()
    return found


def readable_member(store: Store, principal: Principal, staff_no: str) -> Member:
    """A member the principal may read (their own record, their units' members, ...)."""
    found = member(store, staff_no)
    require(can_read_member(principal, found.staff_no, found.unit_id))
    return found


def member_names(store: Store, staff_nos: Iterable[str]) -> dict[str, str]:
    """Names of the members among ``staff_nos`` that exist, read one by one (for the few people a page names)."""
    names = {}
    for staff_no in set(staff_nos):
        found = store.members.get(staff_no)
        if found is not None:
            names[staff_no] = found.name
    return names


def search_members(
    store: Store, principal: Principal, unit_id: str, text: str | None, limit: int, cursor: str | None
) -> MemberPage:
    """A unit's members by 工号 prefix or part of a name, 工号 order, ``limit`` at a time (the unit's admins)."""
    require(can_manage_unit_members(principal, unit_id))
    return store.organisation.search_members(unit_id, text, limit, cursor)


class MemberEditView(NamedTuple):
    """The member edit screen: the member, the units offered (the member's own first if the admin does not
    administer it) and whether the principal may change them."""

    member: Member
    units: list[Unit]
    editable: bool


def member_edit(store: Store, principal: Principal, staff_no: str) -> MemberEditView:
    before = readable_member(store, principal, staff_no)
    units = administered_units(store, principal)
    if before.unit_id not in {unit.unit_id for unit in units}:
        units = [unit for unit in (store.units.get(before.unit_id),) if unit is not None] + units
    return MemberEditView(before, units, may_change_member(principal, before))


# ---- the home page and my profile ---------------------------------------------------------------------------------


class HomeView(NamedTuple):
    school: Unit | None
    units: list[Unit]
    events: list[Event]


def home(store: Store, at: datetime, upcoming: int) -> HomeView:
    """The school union, its sub-unions and the next ``upcoming`` visible events."""
    return HomeView(store.units.get(SCHOOL_UNIT_ID), sub_unions(store), store.events.upcoming(at, limit=upcoming))


class ProfileView(NamedTuple):
    member: Member
    unit: Unit | None
    administered: list[Unit]


def profile(store: Store, principal: Principal) -> ProfileView:
    """The signed-in member's own record, their unit and the units they administer."""
    own = member(store, principal.member_no)
    administered = [store.units.get(unit_id) for unit_id in sorted(principal.admin_of)]
    return ProfileView(own, store.units.get(own.unit_id), [unit for unit in administered if unit is not None])


# ---- the change log -----------------------------------------------------------------------------------------------


def audit_entries(
    store: Store, principal: Principal, unit_id: str | None, limit: int, at: datetime
) -> list[AuditEntry]:
    """A unit's part of the log, or (union admins) the whole union's, newest first."""
    require(can_read_audit(principal, unit_id))
    if unit_id:
        return store.audit.for_unit(unit_id, limit)
    return store.audit.everything(at, limit)


class AuditView(NamedTuple):
    entries: list[AuditEntry]
    units: dict[str, Unit]
    actor_names: dict[str, str]


def audit_log(store: Store, principal: Principal, unit_id: str | None, limit: int, at: datetime) -> AuditView:
    """The log with what a reader needs to read it: every unit by id and the names of those who acted."""
    entries = audit_entries(store, principal, unit_id, limit, at)
    units = {unit.unit_id: unit for unit in whole_union(store)}
    return AuditView(entries, units, member_names(store, (entry.actor for entry in entries)))
