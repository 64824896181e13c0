"""Who may do what: the one policy module.

Every route declares an ``Access`` level (checked before the view runs); views then ask the resource-level
questions below (``can_*``) about the records they touch and raise ``Forbidden`` through ``require``. Nothing else
in the code base decides permissions.

Roles: ``member`` (every signed-in person), ``unit_admin`` (of one or more units), ``union_admin`` (everything).
Per-event roles (check-in staff, judges) plug in through ``Principal.event_roles`` and their own ``can_*``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from chalicelib.domain.language import N_
from chalicelib.domain.records import Member, MemberStatus
from chalicelib.errors import Forbidden, Unauthenticated

UNION_ADMIN_ROLE = "union_admin"


class Access(StrEnum):
    """What a route needs before its view runs."""

    PUBLIC = "public"  # anyone, signed in or not
    MEMBER = "member"  # any signed-in member
    UNIT_ADMIN = "unit_admin"  # an admin of at least one unit (the view checks which)
    UNION_ADMIN = "union_admin"  # the school union's admins


@dataclass(frozen=True)
class Principal:
    staff_no: str | None = None
    unit_id: str | None = None
    admin_of: frozenset[str] = frozenset()
    union_admin: bool = False
    event_roles: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))
    # The member's name as read with the identity (no other read): what a check-in stores as who scanned it.
    # Never decides anything; None where a principal is made without the member (tests, tools).
    name: str | None = field(default=None, compare=False)

    @property
    def signed_in(self) -> bool:
        return self.staff_no is not None

    @property
    def member_no(self) -> str:
        """The signed-in member's 工号, for services behind a route that lets in members only (Access.MEMBER or
        above); signed out, 401 as the route check would have answered."""
        if self.staff_no is None:
            raise Unauthenticated()
        return self.staff_no

    @property
    def role_names(self) -> tuple[str, ...]:
        roles = ["member"] if self.signed_in else []
        if self.admin_of:
            roles.append("unit_admin")
        if self.union_admin:
            roles.append(UNION_ADMIN_ROLE)
        return tuple(roles)


ANONYMOUS = Principal()


def may_enter(principal: Principal, access: Access) -> bool:
    if access is Access.PUBLIC:
        return True
    if not principal.signed_in:
        return False
    if access is Access.MEMBER:
        return True
    if access is Access.UNIT_ADMIN:
        return principal.union_admin or bool(principal.admin_of)
    return principal.union_admin


def administers(principal: Principal, unit_id: str) -> bool:
    return principal.union_admin or unit_id in principal.admin_of


def can_read_member(principal: Principal, staff_no: str, unit_id: str) -> bool:
    return principal.staff_no == staff_no or administers(principal, unit_id)


def can_see_private_details(principal: Principal, staff_no: str, unit_id: str) -> bool:
    """Phone numbers and birth dates: the member themself and the admins of their unit (the union's included)."""
    return can_read_member(principal, staff_no, unit_id)


# ---- changing a member: one policy for the member edit (API and page), roster imports and appointing admins -----


class MemberChange(NamedTuple):
    """A change to one member, as the policy sees it.

    ``fields``: the member fields the change sets (name, gender, birth_date, unit_id, phone, email, status) with their
    new values; fields set to what they already are change nothing. ``admin_units``: the units the member
    administers afterwards, ``union_admin``: whether they are a union admin afterwards (None: unchanged).
    """

    fields: Mapping[str, object] = MappingProxyType({})
    admin_units: frozenset[str] | None = None
    union_admin: bool | None = None


class MemberChangeRefusal(StrEnum):
    """Why a member change is refused; the value is the message key (chalicelib.i18n) and the error code."""

    MEMBER_UNIT = N_("member_change.member_unit")  # no admin rights on the member's current unit
    TARGET_UNIT = N_("member_change.target_unit")  # no admin rights on the unit the member would be in
    # only a union admin changes (moves, sets the status of) a union admin
    UNION_ADMIN = N_("member_change.union_admin")
    APPOINT = N_("member_change.appoint")  # only a union admin gives or takes admin rights
    # would end their admin rights on a unit the actor does not run
    ADMIN_ELSEWHERE = N_("member_change.admin_elsewhere")
    OWN_RIGHTS = N_("member_change.own_rights")  # nobody removes their own admin rights
    LAST_UNION_ADMIN = N_("member_change.last_union_admin")  # nobody removes the last union admin


def _admin_units_after(member: Member, change: MemberChange) -> frozenset[str]:
    if change.fields.get("status", member.status) == MemberStatus.LEFT:
        return frozenset()  # a member who has left cannot sign in: every admin right ends with their membership
    return member.admin_units if change.admin_units is None else change.admin_units


def _union_admin_after(member: Member, change: MemberChange) -> bool:
    if change.fields.get("status", member.status) == MemberStatus.LEFT:
        return False
    return UNION_ADMIN_ROLE in member.roles if change.union_admin is None else change.union_admin


def member_change_refusal(
    principal: Principal,
    before: Member | None,
    change: MemberChange,
    other_union_admins: int | None = None,
) -> MemberChangeRefusal | None:
    """Why ``principal`` may not make ``change`` to ``before`` (None: a new member), or None if they may.

    The one rule for every path that changes a member: the member edit (API and page), roster imports (check and
    write) and appointing unit admins.

    - changing a member needs admin rights on the member's current unit and on the unit they end up in;
    - only a union admin changes a union admin (any field, a move, the status) or gives or takes admin rights;
    - ending someone's admin rights on a unit (taking them, or setting the status 离职, which ends every right
      since a member who has left cannot sign in) needs admin rights on that unit;
    - nobody removes their own admin rights (unit admin or union admin);
    - nobody removes the last union admin: ``other_union_admins`` counts the union admins besides the member who
      may still sign in; when the caller does not know, the acting union admin is the one known to stay.
    """
    target_unit = str(change.fields.get("unit_id") or (before.unit_id if before else ""))
    if before is not None and not administers(principal, before.unit_id):
        return MemberChangeRefusal.MEMBER_UNIT
    if not administers(principal, target_unit):
        return MemberChangeRefusal.TARGET_UNIT
    if before is None:
        granted = change.union_admin or bool(change.admin_units)
        return MemberChangeRefusal.APPOINT if granted and not principal.union_admin else None
    if UNION_ADMIN_ROLE in before.roles and not principal.union_admin:
        return MemberChangeRefusal.UNION_ADMIN
    if _appointing(before, change) and not principal.union_admin:
        return MemberChangeRefusal.APPOINT
    return _rights_refusal(principal, before, change, other_union_admins)


def _appointing(before: Member, change: MemberChange) -> bool:
    """Whether the change gives or takes admin rights (unit admin or union admin) explicitly."""
    units_changed = change.admin_units is not None and change.admin_units != before.admin_units
    union_admin_before = UNION_ADMIN_ROLE in before.roles
    return units_changed or (change.union_admin is not None and change.union_admin != union_admin_before)


def _rights_refusal(
    principal: Principal, before: Member, change: MemberChange, other_union_admins: int | None
) -> MemberChangeRefusal | None:
    """The rules of member_change_refusal on rights that end: not one's own, not the last union admin's, not on a
    unit the actor does not run."""
    ended = before.admin_units - _admin_units_after(before, change)
    losing_union_admin = UNION_ADMIN_ROLE in before.roles and not _union_admin_after(before, change)
    if (ended or losing_union_admin) and principal.staff_no == before.staff_no:
        return MemberChangeRefusal.OWN_RIGHTS
    if losing_union_admin:
        others = other_union_admins
        if others is None:
            others = int(principal.union_admin and principal.signed_in)  # the actor, who is not the member
        if others < 1:
            return MemberChangeRefusal.LAST_UNION_ADMIN
    if not all(administers(principal, unit_id) for unit_id in ended):
        return MemberChangeRefusal.ADMIN_ELSEWHERE
    return None


NO_CHANGE = MemberChange()


def may_change_member(principal: Principal, before: Member | None, change: MemberChange = NO_CHANGE) -> bool:
    """Whether the change (by default: a change of the member's details within their unit) is allowed."""
    return member_change_refusal(principal, before, change) is None


def require_member_change(
    principal: Principal, before: Member | None, change: MemberChange, other_union_admins: int | None = None
) -> None:
    """Raise ``Forbidden`` with the refusal's code (its message says why) unless the change is allowed."""
    refusal = member_change_refusal(principal, before, change, other_union_admins)
    if refusal is not None:
        raise Forbidden(refusal.value)


def can_manage_unit_members(principal: Principal, unit_id: str) -> bool:
    """List, search, import and hand out activation codes for a unit's members."""
    return administers(principal, unit_id)


def can_manage_units(principal: Principal) -> bool:
    """Create units, rename them, appoint their admins: the school union only."""
    return principal.union_admin


def can_read_audit(principal: Principal, unit_id: str | None) -> bool:
    """The whole audit log is the union admins'; a unit admin reads their own units' part."""
    return principal.union_admin if unit_id is None else administers(principal, unit_id)


def can_read_year_report(principal: Principal, unit_id: str | None) -> bool:
    """The year's numbers (dashboard, workbook): the whole union's (``unit_id`` None) for union admins, one unit's
    for its admins."""
    return principal.union_admin if unit_id is None else administers(principal, unit_id)


def can_read_unit_rankings(principal: Principal) -> bool:
    """Every sub-union's participation rate and rank (no member data): any admin, so units compare themselves."""
    return principal.union_admin or bool(principal.admin_of)


def can_manage_event(principal: Principal, owner_unit_id: str) -> bool:
    """Create, edit and publish events, see and act on their registrations: the owning unit's admins."""
    return administers(principal, owner_unit_id)


def require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden()
