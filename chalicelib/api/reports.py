"""The union's year in numbers (issue 21 item 2): ``GET /api/reports/{year}``, what ``/admin/reports`` shows."""

from pydantic import Field, ValidationError

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.archive import FIRST_YEAR, LAST_YEAR
from chalicelib.domain.calendar import now
from chalicelib.domain.year_report import Comparison, Share, UnitRow
from chalicelib.errors import InvalidInput
from chalicelib.http.routing import ApiRoutes
from chalicelib.http.schemas import ApiModel, QueryModel, UnitId
from chalicelib.services import year_report
from chalicelib.storage import get_store

routes = ApiRoutes(__name__, tag="reports")


class ReportQuery(QueryModel):
    unit: UnitId | None = Field(
        default=None, description="One sub-union's numbers (a unit admin: their own; by default their first unit)."
    )


class ReportPageQuery(ReportQuery):
    """What ``/admin/reports`` and its print view read: ``?year=`` (this year by default) and ``?unit=``."""

    year: int | None = Field(default=None, ge=FIRST_YEAR, le=LAST_YEAR)


class ReportYear(QueryModel):
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)


def report_year(year: str) -> int:
    """The path's year, checked against the years there can be (a 400 naming ``year`` otherwise)."""
    try:
        return ReportYear.model_validate({"year": year}).year
    except ValidationError as error:
        raise InvalidInput(error.errors(include_url=False)) from error


class ComparisonOut(ApiModel):
    key: str = Field(description="The counter (events, places, checkins …), kind, month (01–12) or age band.")
    this_year: int
    last_year: int
    difference: int
    percent: float | None = Field(description="The difference as a percent of last year's; null when it had none.")


class ShareOut(ApiModel):
    key: str
    reached: int = Field(description="Members who held a place in at least one event of the year.")
    members: int | None = Field(description="Headcount now (active and retired members).")
    rate: float | None = Field(description="reached / members in percent, one decimal; null without members.")


class UnitRowOut(ApiModel):
    unit_id: str
    name_zh: str
    name_en: str | None
    members: int
    reached: int
    rate: float | None
    rank: int | None = Field(description="By rate, equal rates share a rank; null for a unit without members.")
    events: int = Field(description="Events the unit organised (not cancelled).")
    places: int
    checkins: int
    awards: int
    place_1: int
    place_2: int
    place_3: int


class ReportOut(ApiModel):
    year: int
    unit_id: str | None = Field(description="The unit these numbers are of; null: the whole union.")
    members: int
    reached: ShareOut
    totals: list[ComparisonOut]
    by_kind: list[ComparisonOut]
    by_month: list[ComparisonOut]
    by_gender: list[ShareOut]
    by_age: list[ComparisonOut]
    retirees: ShareOut
    units: list[UnitRowOut] = Field(description="Every sub-union ranked by participation rate (no member data).")
    units_organising: int = Field(description="How many units ran events of their own.")


def _comparison(row: Comparison) -> ComparisonOut:
    return ComparisonOut(
        key=row.key,
        this_year=row.this_year,
        last_year=row.last_year,
        difference=row.difference,
        percent=row.percent,
    )


def _share(share: Share) -> ShareOut:
    return ShareOut(key=share.key, reached=share.reached, members=share.members, rate=share.rate)


def report_out(view: year_report.Dashboard) -> ReportOut:
    report = view.report

    def unit_out(row: UnitRow) -> UnitRowOut:
        unit = view.units.get(row.unit_id)
        return UnitRowOut(
            name_zh=unit.name_zh if unit else row.unit_id, name_en=unit.name_en if unit else None, **row._asdict()
        )

    return ReportOut(
        year=report.year,
        unit_id=report.unit_id,
        members=report.members,
        reached=_share(report.reached),
        totals=[_comparison(row) for row in report.totals],
        by_kind=[_comparison(row) for row in report.by_kind],
        by_month=[_comparison(row) for row in report.by_month],
        by_gender=[_share(share) for share in report.by_gender],
        by_age=[_comparison(row) for row in report.by_age],
        retirees=_share(report.retirees),
        units=[unit_out(row) for row in report.units],
        units_organising=report.units_organising,
    )


@routes.route(
    "/reports/{year}",
    access=Access.UNIT_ADMIN,
    summary="The union's (or one sub-union's) year in numbers, against last year",
    query=ReportQuery,
    response=ReportOut,
    errors=(400,),
)
def year_report_api(principal: Principal, year: str, query: ReportQuery) -> ReportOut:
    """Union admins: the whole union, or one unit with ``unit``; a unit admin: their own unit only (403 for
    another). The units list (every unit's rate and rank) is the same for every admin. Read from the kept
    aggregates (three Queries), never the year's registrations."""
    view = year_report.dashboard(get_store(), principal, report_year(year), query.unit, now())
    return report_out(view)
