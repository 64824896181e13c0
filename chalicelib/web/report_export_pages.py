"""The year-end workbook's downloads (issue 21 item 4): ``/admin/reports/workbook.xlsx?year=`` (the sheets 汇总, 活动,
单位, 会员, 获奖) and each sheet as a CSV, ``/admin/reports/{sheet}.csv?year=`` (``summary``, ``events``, ``units``,
``members``, ``awards``); ``?unit=`` as on the dashboard (chalicelib.web.report_pages links them).

Who gets what is the dashboard's rule (chalicelib.services.year_workbook.year_data). Headers follow the page language
(``?lang=en``). A refusal or a bad year is the friendly page of any other admin page.
"""

from __future__ import annotations

from chalice import Response

from chalicelib.api.reports import ReportPageQuery
from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.errors import NotFound
from chalicelib.http.media import CSV_TYPE, XLSX_TYPE
from chalicelib.services import year_workbook
from chalicelib.services.registration_export import content_disposition
from chalicelib.services.year_workbook import ValueNames
from chalicelib.storage import get_store
from chalicelib.web import manage_labels, member_labels
from chalicelib.web.forms import validated
from chalicelib.web.render import Pages

routes = Pages(__name__)

# The words of an event's kind, format and status: the pages' own tables.
VALUE_NAMES = ValueNames(kind=member_labels.EVENT_KIND, format=manage_labels.FORMAT, status=manage_labels.STATUS)
CSV_SUFFIX = ".csv"
_FALLBACK_STEM = "year-workbook"


def _query() -> tuple[int, str | None]:
    asked = {name: routes.query(name) for name in ("year", "unit")}
    query = validated(ReportPageQuery, {name: value for name, value in asked.items() if value is not None})
    year = query.year if query.year is not None else now().astimezone(CHINA_TZ).year
    return year, query.unit


def _download(made: year_workbook.YearFile, content_type: str) -> Response:
    disposition = content_disposition(made.filename, _FALLBACK_STEM)
    # A CSV is text to API Gateway (not among BINARY_TYPES): sent as the string its UTF-8 bytes are.
    body = made.body if content_type == XLSX_TYPE else made.body.decode("utf-8")
    return Response(body=body, headers={"Content-Type": content_type, "Content-Disposition": disposition})


@routes.route("/admin/reports/workbook.xlsx", access=Access.UNIT_ADMIN)
def year_workbook_xlsx(principal: Principal):
    """The year's workbook: the whole union's for a union admin (or ``?unit=``), a unit admin's own unit's."""
    year, unit_id = _query()
    made = year_workbook.workbook_file(get_store(), principal, year, unit_id, VALUE_NAMES, routes.language(), now())
    return _download(made, XLSX_TYPE)


@routes.route("/admin/reports/{sheet}", access=Access.UNIT_ADMIN)
def year_sheet_csv(principal: Principal, sheet: str):
    """One sheet of the year's workbook as a CSV: ``summary.csv``, ``events.csv``, ``units.csv``, ``members.csv``,
    ``awards.csv`` (the path id's pattern lets no other name through)."""
    key = sheet.removesuffix(CSV_SUFFIX)
    if key not in year_workbook.SHEETS:
        raise NotFound()
    year, unit_id = _query()
    made = year_workbook.csv_file(get_store(), principal, year, key, unit_id, VALUE_NAMES, routes.language(), now())
    return _download(made, CSV_TYPE)
