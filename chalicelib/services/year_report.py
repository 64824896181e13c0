"""The year's dashboard (issue 21 item 2): who may read which part, and the few reads it takes.

Three Queries of the stats table (this year's rollups, last year's, the headcounts: ≈ 1 + units items each, never
the year's registrations) and the sub-unions (one Query); the numbers are made by chalicelib.domain.year_report.
The page ``/admin/reports``, its print view and ``GET /api/reports/{year}`` all read ``dashboard``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from chalicelib.domain import year_report
from chalicelib.domain.access import Principal, can_read_unit_rankings, can_read_year_report, require
from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.records import Unit
from chalicelib.domain.stats import HEADCOUNT_SCOPE, year_scope
from chalicelib.errors import InvalidInput
from chalicelib.services.organisation_views import sub_unions

if TYPE_CHECKING:
    from chalicelib.storage import Store

YEARS_BACK = 5  # the year picker offers this year, the five before and the next


class Dashboard(NamedTuple):
    report: year_report.YearReport
    units: dict[str, Unit]  # every sub-union by id (names for the rankings)
    choices: list[Unit]  # the units the reader may pick (a union admin: all; a unit admin: theirs)
    years: list[int]  # the years the picker offers, newest first
    # The rollups it was made of (this year's, last year's, the headcounts): the year-end workbook reads no more.
    rollups: tuple[year_report.Rollups, year_report.Rollups, year_report.Rollups] = ({}, {}, {})


def year_choices(at: datetime) -> list[int]:
    """The years offered: next year, this year and the five before (China time), newest first."""
    this_year = at.astimezone(CHINA_TZ).year
    return list(range(this_year + 1, this_year - YEARS_BACK - 1, -1))


def _scope(principal: Principal, unit_id: str | None, units: list[Unit]) -> str | None:
    """The unit read: the one asked for, or for a unit admin who asked for none their first unit."""
    if unit_id is not None:
        if unit_id not in {unit.unit_id for unit in units}:
            problem = {"type": "quota_unknown_unit", "loc": ("unit",), "msg": unit_id, "ctx": {"unit": unit_id}}
            raise InvalidInput([problem])
        return unit_id
    if principal.union_admin:
        return None
    return next((unit.unit_id for unit in units if unit.unit_id in principal.admin_of), None)


def dashboard(store: Store, principal: Principal, year: int, unit_id: str | None, at: datetime) -> Dashboard:
    """The dashboard of ``year`` for the whole union (``unit_id`` None: union admins) or one unit (its admins; a
    unit admin without ``unit_id`` reads their first unit). Forbidden for anyone else; an unknown unit is a 400."""
    require(can_read_unit_rankings(principal))
    units = sub_unions(store)
    scope = _scope(principal, unit_id, units)
    require(can_read_year_report(principal, scope))
    this = store.stats.rollups(year_scope(year))
    last = store.stats.rollups(year_scope(year - 1))
    headcount = store.stats.rollups(HEADCOUNT_SCOPE)
    report = year_report.build(year, scope, [unit.unit_id for unit in units], this, last, headcount)
    allowed = units if principal.union_admin else [unit for unit in units if unit.unit_id in principal.admin_of]
    return Dashboard(
        report=report,
        units={unit.unit_id: unit for unit in units},
        choices=allowed,
        years=year_choices(at),
        rollups=(this, last, headcount),
    )
