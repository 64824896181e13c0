"""Response models shared by API routes and the functions that shape records into them (with redaction)."""

from datetime import date

from pydantic import Field

from chalicelib.domain.access import Principal, can_manage_units, can_see_private_details
from chalicelib.domain.records import Member, Unit
from chalicelib.http.schemas import ApiModel


class MemberOut(ApiModel):
    staff_no: str = Field(description="工号")
    name: str
    gender: str = Field(description="F or M")
    unit_id: str
    status: str = Field(description="active, retired or left")
    roles: list[str]
    admin_units: list[str]
    birth_date: date | None = Field(default=None, description="Only for the member and their unit's admins.")
    phone: str | None = Field(default=None, description="Only for the member and their unit's admins.")
    email: str | None = Field(default=None, description="Only for the member and their unit's admins.")
    damaged: list[str] = Field(
        default_factory=list, description="Stored fields that could not be read and show a fallback: repair them."
    )


class UnitOut(ApiModel):
    unit_id: str
    kind: str
    name_zh: str
    name_en: str | None
    short_name: str | None
    campus: str | None
    parent_id: str | None
    position: int
    admins: list[str] | None = Field(default=None, description="工号 of the unit's admins (union admins only).")
    damaged: list[str] = Field(
        default_factory=list, description="Stored fields that could not be read and show a fallback: repair them."
    )


def member_out(principal: Principal, member: Member) -> MemberOut:
    private = can_see_private_details(principal, member.staff_no, member.unit_id)
    return MemberOut(
        staff_no=member.staff_no,
        name=member.name,
        gender=member.gender.value,
        unit_id=member.unit_id,
        status=member.status.value,
        roles=sorted(member.roles),
        admin_units=sorted(member.admin_units),
        birth_date=member.birth_date if private else None,
        phone=member.phone if private else None,
        email=member.email if private else None,
        damaged=sorted(member.damaged),
    )


def unit_out(principal: Principal, unit: Unit) -> UnitOut:
    return UnitOut(
        unit_id=unit.unit_id,
        kind=unit.kind.value,
        name_zh=unit.name_zh,
        name_en=unit.name_en,
        short_name=unit.short_name,
        campus=unit.campus,
        parent_id=unit.parent_id,
        position=unit.position,
        admins=sorted(unit.admins) if can_manage_units(principal) else None,
        damaged=sorted(unit.damaged),
    )
