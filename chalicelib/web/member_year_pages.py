"""A member's year (issue 21 item 3): ``/me/year`` (their own, with a year picker), ``/admin/members/{staff_no}/year``
(the same for their unit's admins and the union admin, linked from the unit's member list and the member's page) and
the printable participation record of each (``…/print``: 参与记录证明 on A4 portrait, the union's name, the member,
the events they took part in, the date of printing). What is shown and who may see it is
chalicelib.services.member_year's; the JSON of the same is chalicelib.api.member_year.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.language import N_, localized
from chalicelib.domain.member_year import Participation
from chalicelib.i18n import translate
from chalicelib.services.member_year import MemberYear, YearEvent, member_year, readable_year
from chalicelib.storage import get_store
from chalicelib.web.certificate_pages import _award, certificate_date
from chalicelib.web.links import certificates_href, my_certificates_href
from chalicelib.web.render import Pages, format_when

routes = Pages(__name__)

PARTICIPATION = {
    Participation.TOOK_PART: N_("member_year.part.took_part"),
    Participation.WAITING: N_("member_year.part.waiting"),
    Participation.PENDING: N_("member_year.part.pending"),
    Participation.WITHDRAWN: N_("member_year.part.withdrawn"),
    Participation.EVENT_CANCELLED: N_("member_year.part.event_cancelled"),
}


def my_year_href(year: int | None = None) -> str:
    return f"/me/year?{urlencode({'year': year})}" if year is not None else "/me/year"


def member_year_href(staff_no: str, year: int | None = None) -> str:
    path = f"/admin/members/{quote(staff_no, safe='')}/year"
    return f"{path}?{urlencode({'year': year})}" if year is not None else path


def _awards(row: YearEvent, view: MemberYear, language: str) -> list[dict[str, str]]:
    shown = []
    for certificate in row.awards:
        label = _award(certificate, language)
        what = certificate.discipline or certificate.stage
        href = (
            my_certificates_href(row.event.event_id)
            if view.own
            else certificates_href(row.event.event_id, certificate.entry_id)
        )
        shown.append({"label": f"{what} {label}".strip(), "href": href})
    return shown


def _row(row: YearEvent, view: MemberYear, language: str) -> dict[str, Any]:
    completion = None
    if row.completed is not None:
        completion = translate(
            "member_year.completed" if row.completed else "member_year.not_completed", language
        )  # fmt: skip
    return {
        "title": localized(row.event, "title", language),
        "href": f"/events/{quote(row.event.event_id, safe='')}",
        "when": format_when(row.event.starts_at, language),
        "organiser": row.organiser,
        "part": translate(
            "member_year.part.booked" if row.took_part and row.upcoming else PARTICIPATION[row.participation], language
        ),
        "took_part": row.took_part,
        "check_ins": row.check_ins,
        "attendance": (
            translate("member_year.attendance", language, attended=row.attended, expected=row.expected)
            if row.expected is not None
            else ""
        ),
        "completion": completion,
        "completed": bool(row.completed),
        "awards": _awards(row, view, language),
    }


def _context(view: MemberYear, language: str, year_href: Any) -> dict[str, Any]:
    return {
        "view": view,
        "rows": [_row(row, view, language) for row in view.events],
        "years": [{"year": year, "href": year_href(year), "current": year == view.year} for year in view.years],
    }


def _year(principal: Principal, staff_no: str) -> MemberYear:
    at = now()
    year = readable_year(routes.query("year"), at)
    return member_year(get_store(), principal, staff_no, year, at, routes.language())


@routes.route("/me/year", access=Access.MEMBER)
def my_year(principal: Principal):
    """The member's own year (``?year=``; this year by default): events, attendance, completions, awards, totals."""
    view = _year(principal, principal.member_no)
    context = _context(view, routes.language(), my_year_href)
    print_href = f"/me/year/print?{urlencode({'year': view.year})}"
    return routes.show("member_year.html", principal, print_href=print_href, back_href="/me", **context)


@routes.route("/admin/members/{staff_no}/year", access=Access.UNIT_ADMIN)
def member_year_page(principal: Principal, staff_no: str):
    """A member's year for their unit's admins and the union admin (``?year=``)."""
    view = _year(principal, staff_no)
    context = _context(view, routes.language(), lambda year: member_year_href(view.member.staff_no, year))
    base = member_year_href(view.member.staff_no)
    print_href = f"{base}/print?{urlencode({'year': view.year})}"
    back = f"/admin/members/{quote(view.member.staff_no, safe='')}"
    return routes.show("member_year.html", principal, print_href=print_href, back_href=back, **context)


def _print(principal: Principal, staff_no: str, back: str):
    language = routes.language()
    view = _year(principal, staff_no)
    rows = [_row(row, view, language) for row in view.events if row.took_part]
    other = "zh" if language == "en" else "en"
    return routes.show(
        "member_year_print.html",
        principal,
        view=view,
        rows=rows,
        back_href=f"{back}?{urlencode({'year': view.year})}",
        other_language_href=f"?{urlencode({'year': view.year, 'lang': other})}",
        printed_on=certificate_date(now().astimezone(CHINA_TZ).date(), language),
    )


@routes.route("/me/year/print", access=Access.MEMBER)
def my_year_print(principal: Principal):
    """The member's printable participation record of a year (参与记录证明)."""
    return _print(principal, principal.member_no, "/me/year")


@routes.route("/admin/members/{staff_no}/year/print", access=Access.UNIT_ADMIN)
def member_year_print(principal: Principal, staff_no: str):
    """A member's printable participation record of a year, for their unit's admins and the union admin."""
    return _print(principal, staff_no, member_year_href(staff_no))
