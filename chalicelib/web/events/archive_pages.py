"""The archive of past events (issue 18 item 9): a year's events, newest first, by month, kind, format, organising
unit, status and words in the title, a page at a time (chalicelib.services.archive; the same reads as the API)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from chalicelib.api.archive_schemas import ArchiveQuery
from chalicelib.domain.access import Access, Principal
from chalicelib.domain.archive import ArchiveStatus
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.records import EventFormat, EventKind
from chalicelib.i18n import N_, translate
from chalicelib.services import archive
from chalicelib.services.archive import ArchivePage
from chalicelib.services.organisation_views import unit_name
from chalicelib.storage import get_store
from chalicelib.web.events.wording import event_path, kind_label, organiser, span, status, title
from chalicelib.web.forms import validated
from chalicelib.web.manage_labels import FORMAT
from chalicelib.web.render import Pages

routes = Pages(__name__)

YEARS_OFFERED = 10  # this year and the nine before it in the year picker (the API and a typed year reach any other)
_STATUS_LABELS = {
    ArchiveStatus.FINISHED: N_("archive.status.finished"),
    ArchiveStatus.CANCELLED: N_("archive.status.cancelled"),
    ArchiveStatus.ALL: N_("archive.status.all"),
}
_FILTERS = ("year", "month", "kind", "format", "unit_id", "status", "q", "limit")


@routes.route("/events/archive", access=Access.PUBLIC)
def event_archive(principal: Principal):
    language = routes.language()
    at = now()
    given = {name: value.strip() for name, value in (routes.current_request.query_params or {}).items()}
    query = validated(ArchiveQuery, {name: value for name, value in given.items() if value and name != "lang"})
    page = archive.archive_page(get_store(), query.wanted(at), at, query.limit, query.cursor)
    filters = {name: given[name] for name in _FILTERS if given.get(name)}
    return routes.show(
        "event_archive.html",
        principal,
        rows=_rows(page, at, language),
        choices=_choices(page, at, language),
        wanted=page.wanted,
        text=page.wanted.text,
        next_href=_href(filters, page.next_cursor) if page.next_cursor else None,
        first_href=_href(filters, None) if query.cursor else None,
        reached=_month_label(page.reached, language) if page.next_cursor and len(page.events) < query.limit else None,
        filter_query=_query_prefix({**filters, **_cursor(query.cursor)}),
    )


def _cursor(cursor: str | None) -> dict[str, str]:
    return {"cursor": cursor} if cursor else {}


def _query_prefix(values: dict[str, str]) -> str:
    """``a=1&b=2&`` for the language switch's link (which adds ``lang=``), or nothing."""
    return urlencode(values) + "&" if values else ""


def _href(filters: dict[str, str], cursor: str | None) -> str:
    query = urlencode({**filters, **_cursor(cursor)})
    return "/events/archive" + ("?" + query if query else "")


def _rows(page: ArchivePage, at: datetime, language: str) -> list[dict]:
    return [
        {
            "href": event_path(e.event_id),
            "results_href": event_path(e.event_id) + "/competition" if e.event_id in page.with_results else None,
            "title": title(e, language),
            "kind": kind_label(e.kind, language),
            "format": translate(FORMAT[e.format], language),
            "when": span(e.starts_at, e.ends_at, language),
            "venue": e.venue,
            "status": status(e, at, language),
            "organiser": organiser(e, page.units, language),
        }
        for e in page.events
    ]


def _choices(page: ArchivePage, at: datetime, language: str) -> dict[str, list[tuple[str, str]]]:
    """The options of each filter's picker, as (value, label); the blank value is no filter."""
    this_year = at.astimezone(CHINA_TZ).year
    years = sorted({*range(this_year, this_year - YEARS_OFFERED, -1), page.wanted.year}, reverse=True)
    return {
        "year": [(str(year), str(year)) for year in years],
        "month": [("", translate("archive.any_month", language))]
        + [(str(number), name) for number, name in _month_names(language).items()],
        "kind": [("", translate("archive.any_kind", language))]
        + [(k.value, kind_label(k, language)) for k in EventKind],
        "format": [("", translate("archive.any_format", language))]
        + [(f.value, translate(FORMAT[f], language)) for f in EventFormat],
        "unit_id": [("", translate("events.filter.any_unit", language))]
        + [(u.unit_id, unit_name(u, u.unit_id, language)) for u in page.units.values()],
        "status": [(s.value, translate(label, language)) for s, label in _STATUS_LABELS.items()],
    }


def _month_names(language: str) -> dict[int, str]:
    from babel.dates import get_month_names  # Babel loads on the first page that needs it

    return dict(get_month_names("wide", locale="zh_Hans_CN" if language == "zh" else "en"))


def _month_label(moment: datetime | None, language: str) -> str | None:
    """The month the reads reached (the one just before ``moment``, where the next page goes on), as people read it."""
    if moment is None:
        return None
    from babel.dates import format_date

    local = moment.astimezone(CHINA_TZ)
    return format_date(
        local, "y年M月" if language == "zh" else "MMMM y", locale="zh_Hans_CN" if language == "zh" else "en"
    )
