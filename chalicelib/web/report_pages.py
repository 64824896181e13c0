"""The union's year in numbers (issue 21 item 2): ``/admin/reports`` and its print view ``/admin/reports/print``.

Both read chalicelib.services.year_report.dashboard (the API ``GET /api/reports/{year}`` serialises the same) and
show every chart (web/svg_charts.py) with its table beneath. A union admin picks the whole union or one unit; a unit
admin sees their own unit, and every unit's participation rate and rank.
"""

from __future__ import annotations

from typing import Any

from chalicelib.api.reports import ReportPageQuery
from chalicelib.domain import year_report as yr
from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.language import N_, localized
from chalicelib.errors import BadRequest, InvalidInput
from chalicelib.i18n import translate
from chalicelib.services import year_report, year_workbook
from chalicelib.storage import get_store
from chalicelib.web import svg_charts
from chalicelib.web.forms import validated
from chalicelib.web.member_labels import EVENT_KIND
from chalicelib.web.render import Pages

routes = Pages(__name__)

COUNTER_LABELS = {
    "events": N_("report.c.events"),
    "events_cancelled": N_("report.c.events_cancelled"),
    "places": N_("report.c.places"),
    "waiting": N_("report.c.waiting"),
    "checkins": N_("report.c.checkins"),
    "completions": N_("report.c.completions"),
    "reached": N_("report.c.reached"),
    "attendees": N_("report.c.attendees"),
    "awards": N_("report.c.awards"),
}
GENDER_LABELS = {"F": N_("member.gender.F"), "M": N_("member.gender.M")}
AGE_LABELS = {
    "u35": N_("report.age.u35"),
    "36_45": N_("report.age.36_45"),
    "46_55": N_("report.age.46_55"),
    "56p": N_("report.age.56p"),
}


def _month(month: str, language: str) -> str:
    return translate("report.month", language, month=int(month))


def _comparison(row: yr.Comparison, label: str) -> dict[str, Any]:
    return {
        "label": label,
        "this_year": row.this_year,
        "last_year": row.last_year,
        "difference": yr.signed(row.difference),
        "percent": yr.percent_text(row.percent, sign=True),
    }


def _share(share: yr.Share, label: str) -> dict[str, Any]:
    return {"label": label, "reached": share.reached, "members": share.members, "rate": yr.percent_text(share.rate)}


def _unit_rows(view: year_report.Dashboard, rows: tuple[yr.UnitRow, ...], language: str) -> list[dict[str, Any]]:
    def name(unit_id: str) -> str:
        unit = view.units.get(unit_id)
        if unit is None:
            return unit_id
        return unit.short_name if language == "zh" and unit.short_name else localized(unit, "name", language)

    return [{**row._asdict(), "name": name(row.unit_id), "rate_text": yr.percent_text(row.rate)} for row in rows]


def _charts(report: yr.YearReport, units: list[dict[str, Any]], language: str) -> dict[str, Any]:
    def t(key: str, **params: object) -> str:
        return translate(key, language, **params)

    kinds = [svg_charts.Bar(t(EVENT_KIND[row.key]), row.this_year, str(row.this_year)) for row in report.by_kind]
    rates = [svg_charts.Bar(unit["name"], unit["rate"] or 0.0, unit["rate_text"]) for unit in units if unit["members"]]
    months = [str(int(row.key)) for row in report.by_month]
    return {
        "kinds": svg_charts.bar_chart("chart-kinds", t("report.by_kind"), kinds),
        "months": svg_charts.column_chart(
            "chart-months",
            t("report.by_month"),
            months,
            [
                svg_charts.Series(str(report.year), [row.this_year for row in report.by_month]),
                svg_charts.Series(str(report.year - 1), [row.last_year for row in report.by_month]),
            ],
        ),
        "units": svg_charts.bar_chart("chart-units", t("report.units"), rates, top=100.0, labels_above=True),
    }


def _context(view: year_report.Dashboard, language: str) -> dict[str, Any]:
    report = view.report

    def t(key: str, **params: object) -> str:
        return translate(key, language, **params)

    units = _unit_rows(view, report.units, language)
    scope_unit = view.units.get(report.unit_id) if report.unit_id else None
    return {
        "report": report,
        "scope_name": localized(scope_unit, "name", language) if scope_unit else t("report.whole_union"),
        "totals": [_comparison(row, t(COUNTER_LABELS[row.key])) for row in report.totals],
        "reached": _share(report.reached, t("report.c.reached")),
        "kinds": [_comparison(row, t(EVENT_KIND[row.key])) for row in report.by_kind],
        "months": [_comparison(row, _month(row.key, language)) for row in report.by_month],
        "genders": [_share(share, t(GENDER_LABELS[share.key])) for share in report.by_gender],
        "ages": [_comparison(row, t(AGE_LABELS[row.key])) for row in report.by_age],
        "retirees": _share(report.retirees, t("report.retirees")),
        "units": units,
        "organisers": _unit_rows(view, report.organisers, language),
        "medals": _unit_rows(view, report.medals, language),
        "charts": _charts(report, units, language),
        "choices": [(unit.unit_id, localized(unit, "name", language)) for unit in view.choices],
        "years": view.years,
        "union_admin_view": report.unit_id is None,
    }


def _dashboard(principal: Principal) -> year_report.Dashboard:
    """The dashboard the query asks for; a year or unit that cannot be is a 400 page saying which and why."""
    at = now()
    asked = {name: routes.query(name) for name in ("year", "unit")}
    try:
        query = validated(ReportPageQuery, {name: value for name, value in asked.items() if value is not None})
        year = query.year if query.year is not None else at.astimezone(CHINA_TZ).year
        return year_report.dashboard(get_store(), principal, year, query.unit, at)
    except InvalidInput as problem:
        from chalicelib.http.middleware import field_problems

        said = [f"{found.field}: {found.message}" for found in field_problems(problem, routes.language())]
        raise BadRequest("report.bad_query", problems="; ".join(said)) from problem


def _links(report: yr.YearReport) -> dict[str, Any]:
    suffix = f"year={report.year}" + (f"&unit={report.unit_id}" if report.unit_id else "")
    return {
        "print_href": f"/admin/reports/print?{suffix}",
        "screen_href": f"/admin/reports?{suffix}",
        "archive_href": f"/events/archive?year={report.year}"
        + (f"&unit_id={report.unit_id}" if report.unit_id else ""),
    }


@routes.route("/admin/reports", access=Access.UNIT_ADMIN)
def reports(principal: Principal):
    view = _dashboard(principal)
    language = routes.language()
    downloads = year_workbook.download_links(view.report.year, view.report.unit_id)
    return routes.show(
        "admin_reports.html", principal, downloads=downloads, **_context(view, language), **_links(view.report)
    )


@routes.route("/admin/reports/print", access=Access.UNIT_ADMIN)
def reports_print(principal: Principal):
    view = _dashboard(principal)
    language = routes.language()
    return routes.show("admin_reports_print.html", principal, **_context(view, language), **_links(view.report))
