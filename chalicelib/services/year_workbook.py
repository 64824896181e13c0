"""The union's year-end workbook (issue 21 item 4): an XLSX with the sheets 汇总, 活动, 单位, 会员 and 获奖, and each
sheet alone as a CSV (UTF-8 with a BOM, so that Excel and WPS open the Chinese intact).

Everything comes from the stats table (chalicelib.services.stats): the year's rollups, last year's and the
headcounts now (the totals and the units' rankings, through chalicelib.domain.year_report as the dashboard reads
them), and the contribution items' summaries (``e#`` one per event, ``m#`` one per member's year): never the year's
registrations. Numbers are numbers (rates as fractions with a percent format in the XLSX, as percents in the CSV,
whose header says so), start times date cells, and every text cell goes through chalicelib.domain.cells (formula
injection, characters an XLSX cannot hold).

Who sees what follows the dashboard (chalicelib.domain.access.can_read_year_report): the union admin the whole union
or one unit; a unit admin their own unit's events, members and awards only; the units sheet (every unit's rate and
rank, no member data) whole for every reader.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlencode

from chalicelib.domain import year_report
from chalicelib.domain.access import Principal
from chalicelib.domain.cells import csv_bytes
from chalicelib.domain.language import localized, localized_text
from chalicelib.domain.records import Unit
from chalicelib.domain.stats import EVENT_PREFIX, MEMBER_PREFIX, year_scope
from chalicelib.i18n import N_, translate
from chalicelib.services import year_report as year_report_service
from chalicelib.services.organisation_views import whole_union
from chalicelib.services.registration_export import table_sheet, workbook_bytes

if TYPE_CHECKING:
    from chalicelib.storage import Store

Summary = Mapping[str, Any]  # a contribution item's summary (chalicelib.domain.stats; design of issue 21)

SHEETS = ("summary", "events", "units", "members", "awards")  # also the order of the workbook's sheets
SHEET_NAMES = {
    "summary": N_("workbook.sheet.summary"),
    "events": N_("workbook.sheet.events"),
    "units": N_("workbook.sheet.units"),
    "members": N_("workbook.sheet.members"),
    "awards": N_("workbook.sheet.awards"),
}
FILENAME = N_("workbook.filename")
PERCENT_FORMAT = "0.0%"

SUMMARY_HEADERS = (N_("workbook.col.item"), N_("workbook.col.year"), N_("workbook.col.year"), N_("workbook.col.change"))
EVENT_HEADERS = (
    N_("workbook.col.title"),
    N_("workbook.col.kind"),
    N_("workbook.col.format"),
    N_("workbook.col.organiser"),
    N_("workbook.col.starts_at"),
    N_("workbook.col.status"),
    N_("workbook.col.places"),
    N_("workbook.col.waiting"),
    N_("workbook.col.checkins"),
    N_("workbook.col.attendees"),
    N_("workbook.col.completions"),
    N_("workbook.col.awards"),
)
UNIT_HEADERS = (
    N_("workbook.col.unit"),
    N_("workbook.col.members"),
    N_("workbook.col.reached"),
    N_("workbook.col.rate"),
    N_("workbook.col.rank"),
    N_("workbook.col.places"),
    N_("workbook.col.checkins"),
    N_("workbook.col.events_run"),
    N_("workbook.col.awards"),
    N_("workbook.col.place_1"),
    N_("workbook.col.place_2"),
    N_("workbook.col.place_3"),
)
MEMBER_HEADERS = (
    N_("workbook.col.staff_no"),
    N_("workbook.col.name"),
    N_("workbook.col.unit"),
    N_("workbook.col.events_joined"),
    N_("workbook.col.places"),
    N_("workbook.col.checkins"),
    N_("workbook.col.completions"),
    N_("workbook.col.awards"),
)
AWARD_HEADERS = (
    N_("workbook.col.event"),
    N_("workbook.col.award"),
    N_("workbook.col.place"),
    N_("workbook.col.entry"),
    N_("workbook.col.unit"),
    N_("workbook.col.award_members"),
)

# The 汇总 sheet's rows: (counter, label) in order, in the dashboard's words where it shows the same number
# (report.c.*). Kinds and months are added with their own words.
_COUNTED = (
    ("events", N_("report.c.events")),
    ("events_cancelled", N_("report.c.events_cancelled")),
)
_PARTICIPATION = (
    ("places", N_("report.c.places")),
    ("waiting", N_("report.c.waiting")),
    ("checkins", N_("report.c.checkins")),
    ("completions", N_("report.c.completions")),
    ("reached", N_("report.c.reached")),
    ("attendees", N_("report.c.attendees")),
    ("reached_F", N_("workbook.row.reached_F")),
    ("reached_M", N_("workbook.row.reached_M")),
    ("reached_retired", N_("workbook.row.reached_retired")),
    ("age_u35", N_("workbook.row.age_u35")),
    ("age_36_45", N_("workbook.row.age_36_45")),
    ("age_46_55", N_("workbook.row.age_46_55")),
    ("age_56p", N_("workbook.row.age_56p")),
    ("awards", N_("report.c.awards")),
    ("place_1", N_("workbook.row.place_1")),
    ("place_2", N_("workbook.row.place_2")),
    ("place_3", N_("workbook.row.place_3")),
)
# Headcounts exist only for now: these rows have this year's column alone.
_HEADCOUNT = (
    ("members", N_("workbook.row.members")),
    ("members_F", N_("workbook.row.members_F")),
    ("members_M", N_("workbook.row.members_M")),
    ("members_retired", N_("workbook.row.members_retired")),
)
KIND_ROW = N_("workbook.row.kind")
MONTH_ROW = N_("workbook.row.month")
RATE_ROW = N_("workbook.row.rate")
ORGANISING_ROW = N_("workbook.row.units_organising")
MEMBER_SEPARATOR = "、"


class Rate(float):
    """A rate in percent (42.5 = 42.5%): a percent cell in the XLSX (the fraction, PERCENT_FORMAT), the number in
    a CSV (whose header says %)."""


class ValueNames(NamedTuple):
    """The message ids of an event's kind, format and status (the pages' label tables: the route passes them, so
    that the words stay in one table each)."""

    kind: Mapping[str, str]
    format: Mapping[str, str]
    status: Mapping[str, str]


@dataclass(frozen=True)
class YearData:
    """What the workbook is made of, already narrowed to what the reader may see (``events``, ``members`` and
    ``awards`` of one unit for a unit's workbook; ``units`` always every unit)."""

    year: int
    unit_id: str | None  # None: the whole union
    units: Sequence[Unit]  # every unit, in the union's order (the units sheet; names)
    this_year: year_report.Rollups
    last_year: year_report.Rollups
    headcount: year_report.Rollups
    events: Sequence[tuple[str, Summary]]  # (event id, e# summary), every event of the year
    members: Sequence[tuple[str, Summary]]  # (工号, m# summary), every member's year
    ranked_units: Sequence[str] = field(default=())  # the units the rankings rank (default: every unit)


class Sheet(NamedTuple):
    key: str
    headers: list[str]
    rows: list[list[object]]


class YearFile(NamedTuple):
    """A download: its file name and bytes."""

    filename: str
    body: bytes


# ---- reading --------------------------------------------------------------------------------------------------------


def year_data(store: Store, principal: Principal, year: int, unit_id: str | None, at: datetime) -> YearData:
    """What ``principal`` may put in the workbook of ``year``: the dashboard's rules and scope
    (chalicelib.services.year_report.dashboard: Forbidden for a member, a unit admin's own unit by default, 400 for
    an unknown unit), the year's and last year's rollups and the headcounts as the dashboard read them, and the
    year's event and member summaries (two more Queries of the stats table, every page: never the registrations)."""
    view = year_report_service.dashboard(store, principal, year, unit_id, at)
    scope = year_scope(year)
    this_year, last_year, headcount = view.rollups
    return YearData(
        year=year,
        unit_id=view.report.unit_id,
        units=whole_union(store),
        this_year=this_year,
        last_year=last_year,
        headcount=headcount,
        events=_keyed(store.stats.summaries(scope, EVENT_PREFIX), EVENT_PREFIX),
        members=_keyed(store.stats.summaries(scope, MEMBER_PREFIX), MEMBER_PREFIX),
        ranked_units=list(view.units),  # the sub-unions, in the union's order
    )


def _keyed(found: Sequence[tuple[str, Summary]], prefix: str) -> list[tuple[str, Summary]]:
    """(event id or 工号, summary) from the items' keys."""
    return [(item[len(prefix) :], summary) for item, summary in found]


def workbook_file(
    store: Store, principal: Principal, year: int, unit_id: str | None, names: ValueNames, language: str, at: datetime
) -> YearFile:
    """The year's workbook for ``principal`` (see ``year_data``)."""
    data = year_data(store, principal, year, unit_id, at)
    return YearFile(filename(data, language, "xlsx", _scope_name(data, language)), workbook_xlsx(data, names, language))


def csv_file(
    store: Store,
    principal: Principal,
    year: int,
    sheet: str,
    unit_id: str | None,
    names: ValueNames,
    language: str,
    at: datetime,
) -> YearFile:
    """One sheet of the year's workbook as a CSV (``sheet`` one of SHEETS)."""
    data = year_data(store, principal, year, unit_id, at)
    body = sheet_csv(data, names, language, sheet)
    return YearFile(filename(data, language, sheet, _scope_name(data, language)), body)


def download_links(year: int, unit_id: str | None) -> dict[str, Any]:
    """Where the dashboard links the workbook (``workbook``) and each sheet's CSV (``sheets``: (sheet name's
    message id, path)), for the year and unit it shows."""
    query = urlencode({"year": year, **({"unit": unit_id} if unit_id else {})})
    return {
        "workbook": f"/admin/reports/workbook.xlsx?{query}",
        "sheets": [(SHEET_NAMES[key], f"/admin/reports/{key}.csv?{query}") for key in SHEETS],
    }


def _scope_name(data: YearData, language: str) -> str | None:
    unit = next((unit for unit in data.units if unit.unit_id == data.unit_id), None)
    return None if unit is None else localized(unit, "name", language)


# ---- the files ------------------------------------------------------------------------------------------------------


def workbook_xlsx(data: YearData, names: ValueNames, language: str) -> bytes:
    """The five sheets in one XLSX."""
    # Imported here: openpyxl is slow to import and only exports need it (Lambda cold start).
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the empty sheet a new workbook starts with
    for sheet in sheets(data, names, language):
        title = translate(SHEET_NAMES[sheet.key], language)
        fractions = [[_xlsx_value(value) for value in row] for row in sheet.rows]
        table_sheet(workbook, title, sheet.headers, fractions)
        _percent_cells(workbook[title], sheet.rows)
    return workbook_bytes(workbook)


def sheet_csv(data: YearData, names: ValueNames, language: str, key: str) -> bytes:
    """One sheet as a CSV table: UTF-8 with a BOM, CRLF line ends."""
    sheet = next(sheet for sheet in sheets(data, names, language) if sheet.key == key)
    return csv_bytes(sheet.headers, sheet.rows)


def filename(data: YearData, language: str, suffix: str, unit_name: str | None = None) -> str:
    """E.g. "年度工作簿-2026.xlsx", "年度工作簿-2026-计算机学院-活动.csv" (names as the reader's language has them)."""
    parts = [translate(FILENAME, language), str(data.year)]
    if unit_name:
        parts.append(unit_name)
    if suffix != "xlsx":
        parts.append(translate(SHEET_NAMES[suffix], language))
    return "-".join(part.replace("/", "_") for part in parts) + (".xlsx" if suffix == "xlsx" else ".csv")


def _xlsx_value(value: object) -> object:
    return float(value) / 100 if isinstance(value, Rate) else value


def _percent_cells(sheet: Any, rows: Sequence[Sequence[object]]) -> None:
    """Give the rates their percent format (the header is row 1)."""
    for row_number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            if isinstance(value, Rate):
                sheet.cell(row=row_number, column=column).number_format = PERCENT_FORMAT


# ---- the sheets -----------------------------------------------------------------------------------------------------


def sheets(data: YearData, names: ValueNames, language: str) -> list[Sheet]:
    """Every sheet's headers (in ``language``) and rows (values: the writers make the cells)."""

    def words(keys: Sequence[str], **params: object) -> list[str]:
        return [translate(key, language, **params) for key in keys]

    unit_names = {unit.unit_id: localized(unit, "name", language) for unit in data.units}
    summary_headers = [
        translate(SUMMARY_HEADERS[0], language),
        translate(SUMMARY_HEADERS[1], language, year=data.year),
        translate(SUMMARY_HEADERS[2], language, year=data.year - 1),
        translate(SUMMARY_HEADERS[3], language),
    ]
    return [
        Sheet("summary", summary_headers, summary_rows(data, names, language)),
        Sheet("events", words(EVENT_HEADERS), event_rows(data, names, unit_names, language)),
        Sheet("units", words(UNIT_HEADERS), unit_rows(data, unit_names)),
        Sheet("members", words(MEMBER_HEADERS), member_rows(data, unit_names)),
        Sheet("awards", words(AWARD_HEADERS), award_rows(data, unit_names, language)),
    ]


def _count(counters: year_report.Counters, name: str) -> int:
    return int(counters.get(name, 0))


def summary_rows(data: YearData, names: ValueNames, language: str) -> list[list[object]]:
    """项目, this year, last year, this − last. Headcounts and the rate are for now only (no column for last year)."""
    item = year_report.scope_item(data.unit_id)
    this, last, heads = data.this_year.get(item, {}), data.last_year.get(item, {}), data.headcount.get(item, {})

    def compared(label: str, name: str) -> list[object]:
        row = year_report.compare(name, this, last)
        return [label, row.this_year, row.last_year, row.difference]

    rows = [compared(translate(label, language), name) for name, label in _COUNTED]
    for kind in year_report.KINDS:
        label = translate(KIND_ROW, language, kind=translate(names.kind[kind], language))
        rows.append(compared(label, f"kind_{kind}"))
    for month in year_report.MONTHS:
        rows.append(compared(translate(MONTH_ROW, language, month=int(month)), f"month_{month}"))
    if data.unit_id is None:
        organising = [_organising(data.this_year), _organising(data.last_year)]
        rows.append([translate(ORGANISING_ROW, language), *organising, organising[0] - organising[1]])
    rows.extend(compared(translate(label, language), name) for name, label in _PARTICIPATION)
    rows.extend([translate(label, language), _count(heads, name), "", ""] for name, label in _HEADCOUNT)
    reached_rate = year_report.rate(_count(this, "reached"), _count(heads, "members"))
    rows.append([translate(RATE_ROW, language), "" if reached_rate is None else Rate(reached_rate), "", ""])
    return rows


def _organising(rollups: year_report.Rollups) -> int:
    """How many units ran events of their own (not cancelled)."""
    prefix = year_report.UNIT_PREFIX
    return sum(1 for item, counters in rollups.items() if item.startswith(prefix) and _count(counters, "events"))


def event_rows(data: YearData, names: ValueNames, unit_names: Mapping[str, str], language: str) -> list[list[object]]:
    """One row per event of the year (a unit's workbook: the events it organised), by start time."""
    chosen = [(event_id, s) for event_id, s in data.events if data.unit_id is None or s.get("owner") == data.unit_id]
    rows: list[tuple[str, list[object]]] = []
    for event_id, summary in chosen:
        starts_at = _moment(summary.get("starts_at"))
        row: list[object] = [
            _title(summary, language),
            _word(names.kind, summary.get("kind"), language),
            _word(names.format, summary.get("format"), language),
            unit_names.get(str(summary.get("owner", "")), str(summary.get("owner", ""))),
            starts_at if starts_at is not None else "",
            _word(names.status, summary.get("status"), language),
            *(int(summary.get(name, 0)) for name in ("places", "waiting", "checkins", "attendees", "completions")),
            len(summary.get("awards", ())),
        ]
        rows.append((f"{summary.get('starts_at', '')}\0{event_id}", row))
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def unit_rows(data: YearData, unit_names: Mapping[str, str]) -> list[list[object]]:
    """Every unit ranked by its participation rate (the dashboard's ranking: ties share a rank; a unit without
    members has no rate and comes last), with what its members did and the events it ran."""
    ranked = data.ranked_units or [unit.unit_id for unit in data.units]
    return [
        [
            unit_names.get(row.unit_id, row.unit_id),
            row.members,
            row.reached,
            "" if row.rate is None else Rate(row.rate),
            "" if row.rank is None else row.rank,
            row.places,
            row.checkins,
            row.events,
            row.awards,
            row.place_1,
            row.place_2,
            row.place_3,
        ]
        for row in year_report.unit_rows(ranked, data.this_year, data.headcount)
    ]


def member_rows(data: YearData, unit_names: Mapping[str, str]) -> list[list[object]]:
    """One row per member who took part in the year (a place or a check-in), by unit then 工号; a unit's workbook:
    that unit's members only (by the unit the member's year counts them in). Completions and awards are counted
    from the events' summaries (every event of the year, whoever organised it)."""
    completions: Counter[str] = Counter()
    awards: Counter[str] = Counter()
    for _, summary in data.events:
        completions.update(set(summary.get("completed", ())))
        for award in summary.get("awards", ()):
            awards.update(set(award.get("members", ())))
    order = {unit.unit_id: position for position, unit in enumerate(data.units)}
    rows: list[tuple[tuple[int, str, str], list[object]]] = []
    for staff_no, summary in data.members:
        unit_id = str(summary.get("unit", ""))
        if data.unit_id is not None and unit_id != data.unit_id:
            continue
        counts = [int(summary.get(name, 0)) for name in ("events", "places", "checkins")]
        if not any(counts) and not completions[staff_no] and not awards[staff_no]:
            continue
        row: list[object] = [
            staff_no,
            str(summary.get("name", "")),
            unit_names.get(unit_id, unit_id),
            *counts,
            completions[staff_no],
            awards[staff_no],
        ]
        rows.append(((order.get(unit_id, len(order)), unit_id, staff_no), row))
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def award_rows(data: YearData, unit_names: Mapping[str, str], language: str) -> list[list[object]]:
    """Every award of the year's published results, by event start then place; a unit's workbook: the awards to
    its entries (or to itself) only, naming only its own members (a team may have members of other units). Members
    are named "name（工号）" where their year is known."""
    members = {staff_no: summary for staff_no, summary in data.members}
    rows: list[list[object]] = []
    for _, summary in sorted(data.events, key=lambda pair: (str(pair[1].get("starts_at", "")), pair[0])):
        title = _title(summary, language)
        for award in summary.get("awards", ()):
            unit_id = str(award.get("unit") or "")
            if data.unit_id is None or unit_id == data.unit_id:
                rows.append([title, *_award_cells(award, data.unit_id, members, unit_names, language)])
    return rows


def _award_cells(
    award: Mapping[str, Any],
    scope: str | None,
    members: Mapping[str, Summary],
    unit_names: Mapping[str, str],
    language: str,
) -> list[object]:
    """奖项, 名次, 参赛方, 单位, 获奖会员 of one award (only ``scope``'s own members when a unit's)."""
    unit_id = str(award.get("unit") or "")
    place = award.get("place")
    named = [s for s in award.get("members", ()) if scope is None or members.get(s, {}).get("unit") == scope]
    return [
        localized_text(str(award.get("label_zh") or ""), award.get("label_en"), language),
        place if isinstance(place, int) else "",
        str(award.get("entry") or ""),
        unit_names.get(unit_id, unit_id),
        MEMBER_SEPARATOR.join(_person(s, members.get(s, {}).get("name")) for s in named),
    ]


def _person(staff_no: str, name: object) -> str:
    return f"{name}（{staff_no}）" if name else staff_no


def _title(summary: Summary, language: str) -> str:
    return localized_text(str(summary.get("title_zh") or ""), summary.get("title_en"), language)


def _word(table: Mapping[str, str], value: object, language: str) -> str:
    key = table.get(str(value))
    return translate(key, language) if key else str(value or "")


def _moment(value: object) -> datetime | None:
    """A summary's ISO time as a datetime (the writers put it in China time), None when missing or unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
