"""Units, members, activation codes, roster imports and the audit log."""

from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from chalicelib.api.views import MemberOut, UnitOut, member_out, unit_out
from chalicelib.domain.access import (
    Access,
    Principal,
    can_manage_unit_members,
    require,
)
from chalicelib.domain.calendar import now
from chalicelib.domain.records import Gender, MemberStatus
from chalicelib.http.context import body_bytes, query_param
from chalicelib.http.media import XLSX_TYPE
from chalicelib.http.routing import ApiRoutes
from chalicelib.http.schemas import UNSET, ApiModel, InputModel, QueryModel, UnitId
from chalicelib.services import organisation, organisation_views
from chalicelib.settings import get_settings
from chalicelib.storage import get_store

routes = ApiRoutes(__name__, tag="organisation")

ROSTER_CONTENT_TYPES = ("text/csv", XLSX_TYPE, "application/octet-stream")


class UnitList(ApiModel):
    units: list[UnitOut]


class NewUnit(InputModel):
    unit_id: str = Field(pattern=r"^[a-z][a-z0-9-]{1,30}$", description="Short stable code, e.g. 'cs'.")
    name_zh: str = Field(min_length=2, max_length=60)
    name_en: str | None = Field(default=None, max_length=120)
    short_name: str | None = Field(default=None, max_length=30)
    campus: str | None = Field(default=None, max_length=30)
    position: int = Field(default=0, ge=0, le=10_000)


class UnitChanges(InputModel):
    """Only the fields sent change; ``name_zh`` and ``position`` may be left out but not cleared (null is a 400)."""

    name_zh: str = Field(default=UNSET, min_length=2, max_length=60)
    name_en: str | None = Field(default=None, max_length=120)
    short_name: str | None = Field(default=None, max_length=30)
    campus: str | None = Field(default=None, max_length=30)
    position: int = Field(default=UNSET, ge=0, le=10_000)


class UnitAdmins(InputModel):
    staff_nos: list[Annotated[str, Field(min_length=1, max_length=20)]] = Field(
        max_length=20, description="工号 of every admin the unit should have."
    )


class MemberSearch(QueryModel):
    q: str | None = Field(default=None, max_length=40, description="工号 prefix or part of a name.")
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=200, description="next_cursor of the previous page.")


class MemberPageOut(ApiModel):
    members: list[MemberOut]
    next_cursor: str | None


class MemberChanges(InputModel):
    """Only the fields sent change. ``phone`` and ``email`` may be cleared with null; the others may be left out
    but not cleared (null is a 400)."""

    name: str = Field(default=UNSET, min_length=1, max_length=40)
    gender: Gender = UNSET
    birth_date: date = Field(default=UNSET, ge=date(1900, 1, 1), le=date(2100, 12, 31))
    unit_id: UnitId = Field(default=UNSET, description="Move the member to another unit.")
    phone: str | None = Field(default=None, max_length=20)
    email: str | None = Field(default=None, max_length=120)
    status: MemberStatus = UNSET


class ProblemOut(ApiModel):
    row: int
    column: str
    code: str
    message_zh: str
    message_en: str
    value: str


class ImportReportOut(ApiModel):
    accepted: bool = Field(description="False: the file was rejected as a whole and nothing was written.")
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[ProblemOut]


class AuditQuery(QueryModel):
    unit_id: UnitId | None = Field(default=None, description="Omit for the whole union (union admins).")
    limit: int = Field(default=50, ge=1, le=200)


class AuditEntryOut(ApiModel):
    entry_id: str
    unit_id: str
    at: datetime
    actor: str
    action: str
    target: str
    before: dict | None
    after: dict | None


class AuditList(ApiModel):
    entries: list[AuditEntryOut]


# What groups of routes share, declared once: the union admins' changes to units answer with the unit; a member
# is read and changed at one address and answered the same way.
unit_change = routes.sharing(access=Access.UNION_ADMIN, response=UnitOut)
member_route = routes.sharing(path="/members/{staff_no}", response=MemberOut)


@routes.route("/units", access=Access.MEMBER, summary="The school union and its sub-unions", response=UnitList)
def list_units(principal: Principal) -> UnitList:
    return UnitList(units=[unit_out(principal, unit) for unit in organisation_views.whole_union(get_store())])


@unit_change("/units", method="POST", summary="Create a sub-union", body=NewUnit, status=201, errors=(409,))
def create_unit(principal: Principal, body: NewUnit) -> UnitOut:
    return unit_out(principal, organisation.create_sub_union(get_store(), principal, body.model_dump()))


@unit_change("/units/{unit_id}", method="PATCH", summary="Rename or reorder a unit", body=UnitChanges, errors=(404,))
def update_unit(principal: Principal, unit_id: str, body: UnitChanges) -> UnitOut:
    store = get_store()
    after = organisation.change_unit(
        store, principal, organisation_views.unit(store, unit_id), body.model_dump(exclude_unset=True)
    )
    return unit_out(principal, after)


@unit_change(
    "/units/{unit_id}/admins", method="PUT", summary="Appoint a unit's admins", body=UnitAdmins, errors=(404, 409)
)
def set_unit_admins(principal: Principal, unit_id: str, body: UnitAdmins) -> UnitOut:
    store = get_store()
    unit = organisation_views.unit(store, unit_id)
    return unit_out(principal, organisation.appoint_unit_admins(store, principal, unit, body.staff_nos))


@routes.route(
    "/units/{unit_id}/members",
    access=Access.UNIT_ADMIN,
    summary="Search a unit's members",
    query=MemberSearch,
    response=MemberPageOut,
    errors=(404,),
)
def search_members(principal: Principal, unit_id: str, query: MemberSearch) -> MemberPageOut:
    """By 工号 prefix or part of a name, 工号 order, ``limit`` at a time; pass ``next_cursor`` for the next page."""
    page = organisation_views.search_members(get_store(), principal, unit_id, query.q, query.limit, query.cursor)
    return MemberPageOut(members=[member_out(principal, m) for m in page.members], next_cursor=page.next_cursor)


@member_route(access=Access.MEMBER, summary="A member (private fields per policy)", errors=(404,))
def get_member(principal: Principal, staff_no: str) -> MemberOut:
    return member_out(principal, organisation_views.readable_member(get_store(), principal, staff_no))


@member_route(
    method="PATCH", access=Access.UNIT_ADMIN, summary="Change a member (audited)", body=MemberChanges, errors=(404, 409)
)
def update_member(principal: Principal, staff_no: str, body: MemberChanges) -> MemberOut:
    store = get_store()
    before = organisation_views.member(store, staff_no)
    after = organisation.change_member(store, principal, before, body.model_dump(exclude_unset=True))
    return member_out(principal, after)


@routes.route(
    "/units/{unit_id}/activation-codes",
    "POST",
    access=Access.UNIT_ADMIN,
    summary="New one-time activation codes for members who have not activated (CSV sheet)",
    errors=(404,),
)
def activation_codes(principal: Principal, unit_id: str):
    """Returns a CSV sheet (UTF-8 with BOM, opens in Excel and WPS) of 工号, 姓名, 激活码, 有效期至. Codes are shown
    only in this sheet; asking again issues new codes and the old ones stop working."""
    from chalice import Response

    require(can_manage_unit_members(principal, unit_id))
    organisation_views.unit(get_store(), unit_id)
    from chalicelib.services.activation_sheet import activation_sheet  # only this route needs it

    sheet = activation_sheet(get_store(), get_settings(), unit_id)
    return Response(body=sheet.text, headers=sheet.headers)


@routes.route(
    "/roster/imports",
    "POST",
    access=Access.UNIT_ADMIN,
    summary="Import members from an XLSX or CSV file",
    content_types=ROSTER_CONTENT_TYPES,
    response=ImportReportOut,
    errors=(413,),
)
def import_members(principal: Principal) -> ImportReportOut:
    """Send the file itself as the body (``Content-Type: text/csv`` or the XLSX type), with ``?filename=``. The
    whole file is checked first: any problem rejects it with a row-by-row report and nothing is written. A unit
    admin may import only rows of their own units."""
    request = routes.current_request
    filename = query_param(request, "filename") or "roster"
    from chalicelib.services.roster_import import import_roster, problem_text  # only this route needs them

    report = import_roster(get_store(), principal, body_bytes(request), filename)
    outcome = report.outcome
    return ImportReportOut(
        accepted=outcome is not None,
        rows=report.rows,
        created=outcome.created if outcome else 0,
        updated=outcome.updated if outcome else 0,
        unchanged=outcome.unchanged if outcome else 0,
        problems=[
            ProblemOut(
                row=problem.row,
                column=problem.column,
                code=problem.code,
                message_zh=problem_text(problem, "zh"),
                message_en=problem_text(problem, "en"),
                value=problem.value,
            )
            for problem in report.problems
        ],
    )


@routes.route(
    "/audit",
    access=Access.UNIT_ADMIN,
    summary="Changes made by admins, newest first",
    query=AuditQuery,
    response=AuditList,
)
def audit(principal: Principal, query: AuditQuery) -> AuditList:
    entries = organisation_views.audit_entries(get_store(), principal, query.unit_id, query.limit, now())
    return AuditList(entries=[AuditEntryOut(**entry._asdict()) for entry in entries])
