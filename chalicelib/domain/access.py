"""Who may do what: the one policy module.

Every route declares an ``Access`` level (checked before the view runs); views then ask the resource-level
questions below (``can_*``) about the records they touch and raise ``Forbidden`` through ``require``. Nothing else
in the code base decides permissions.

Roles: ``member`` (every signed-in person), ``unit_admin`` (of one or more units), ``union_admin`` (everything).
Per-event roles (check-in staff, judges) plug in through ``Principal.event_roles`` and their own ``can_*``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from chalicelib.errors import Forbidden

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

    @property
    def signed_in(self) -> bool:
        return self.staff_no is not None

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


def can_change_member(principal: Principal, unit_id: str, new_unit_id: str | None = None) -> bool:
    """Admins change members of their units; moving a member needs admin rights on both units."""
    return administers(principal, unit_id) and (new_unit_id is None or administers(principal, new_unit_id))


def can_manage_unit_members(principal: Principal, unit_id: str) -> bool:
    """List, search, import and hand out activation codes for a unit's members."""
    return administers(principal, unit_id)


def can_import_into(principal: Principal, unit_ids: Iterable[str]) -> bool:
    return all(administers(principal, unit_id) for unit_id in unit_ids)


def can_manage_units(principal: Principal) -> bool:
    """Create units, rename them, appoint their admins: the school union only."""
    return principal.union_admin


def can_read_audit(principal: Principal, unit_id: str | None) -> bool:
    """The whole audit log is the union admins'; a unit admin reads their own units' part."""
    return principal.union_admin if unit_id is None else administers(principal, unit_id)


def can_manage_event(principal: Principal, owner_unit_id: str) -> bool:
    """Create, edit and publish events, see and act on their registrations: the owning unit's admins."""
    return administers(principal, owner_unit_id)


def require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden()
