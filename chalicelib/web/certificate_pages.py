"""Certificates (奖状) and the results booklet (成绩册) as print pages (issue 19 item 9).

A certificate takes an A4 landscape page, bordered, in black on white (no fonts or images from anywhere: the reader's
own fonts, the seal stamped by hand in the space left for it); in Chinese, as a certificate is a Chinese document,
with the English version under ``?lang=en``. Who sees which is chalicelib.services.certificates_views'; the
booklet is the public competition page's results (chalicelib.web.competition_pages' view) on A4 portrait pages.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote, urlencode

from chalicelib.domain.access import Access, Principal, can_manage_event, may_enter
from chalicelib.domain.language import localized
from chalicelib.errors import NotFound
from chalicelib.i18n import translate
from chalicelib.services import certificates_views, competition_views
from chalicelib.services.certificates_views import Certificate
from chalicelib.storage import get_store
from chalicelib.web.competition_pages import _PLACES, _View
from chalicelib.web.links import certificates_href
from chalicelib.web.render import Pages

routes = Pages(__name__)

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip
_ENTRY_ID_LIMIT = 64


def certificate_date(day: date, language: str) -> str:
    """2026年12月6日; 6 December 2026."""
    if language == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _award(certificate: Certificate, language: str) -> str:
    if certificate.tier:
        return certificate.tier
    if certificate.podium and certificate.place in _PLACES:
        return translate(_PLACES[certificate.place], language)
    return translate("competition.public.place_n", language, place=certificate.place)


def _worded(certificate: Certificate, language: str) -> dict[str, str]:
    """A certificate's lines in ``language``: to whom, for what, the award, the closing, who and when."""
    what = certificate.discipline or certificate.stage
    if not certificate.person and certificate.name == certificate.unit:  # a unit's team under the unit's name
        to = translate("certificate.to_unit", language, name=certificate.name)
    else:
        to = translate(
            "certificate.to_person" if certificate.person else "certificate.to_entry",
            language,
            name=certificate.name,
            unit=certificate.unit,
        )
    return {
        "to": to,
        "for": translate("certificate.for", language, event=certificate.event_title, what=what),
        "award": _award(certificate, language),
        "organiser": certificate.organiser,
        "date": certificate_date(certificate.day, language),
    }


def _entry_query() -> str | None:
    value = routes.query("entry")
    return value[:_ENTRY_ID_LIMIT] if value else None


def _show(principal: Principal, certificates: list[Certificate], back: str, title: str):
    language = routes.language()
    return routes.show(
        "certificates.html",
        principal,
        title=title,
        back_href=back,
        certificates=[_worded(certificate, language) for certificate in certificates],
        other_language_href=_other_language(language),
    )


def _other_language(language: str) -> str:
    """The same page in the other language (a certificate is Chinese first; ?lang=en for the English one)."""
    params = {key: value for key in ("entry", "event") if (value := routes.query(key))}
    params["lang"] = "zh" if language == "en" else "en"
    return f"?{urlencode(params)}"


@routes.route("/admin/events/{event_id}/competition/certificates", access=Access.UNIT_ADMIN)
def event_certificates(principal: Principal, event_id: str):
    """Every certificate of an event's competition, one per A4 landscape page (``?entry=``: one entry's): all of
    them for the organisers, a unit admin's units' once the competition is published."""
    language = routes.language()
    found = certificates_views.event_certificates(get_store(), principal, event_id, language, _entry_query())
    competition_path = f"/events/{quote(event_id, safe='')}/competition"
    back = f"/admin{competition_path}" if found.organiser else competition_path
    title = localized(found.event, "title", language)
    return _show(principal, found.certificates, back, title)


@routes.route("/me/certificates", access=Access.MEMBER)
def my_certificates(principal: Principal):
    """The member's own certificates across events (``?event=``: one event's)."""
    language = routes.language()
    certificates = certificates_views.member_certificates(get_store(), principal, language)
    event_id = routes.query("event")
    if event_id:
        certificates = [certificate for certificate in certificates if certificate.event_id == event_id]
        if not certificates:
            raise NotFound("certificate_not_found")
    title = translate("certificate.my.title", language)
    return _show(principal, certificates, "/me/registrations", title)


@routes.route("/events/{event_id}/competition/booklet", access=Access.PUBLIC)
def booklet(principal: Principal, event_id: str):
    """The results booklet of an event's competition: the final placings or awards, then every stage's results
    (brackets as lists of matches, group tables, judged rankings, a meet's disciplines and unit totals), on A4
    portrait pages. Public once the competition is published (its organisers and officials see it before)."""
    language = routes.language()
    shown = competition_views.public_competition(get_store(), principal, event_id, language)
    state = shown.state
    if state is None:  # not set up, or not published yet: nothing to print
        raise NotFound("competition_not_published")
    view = _View(state, language, shown.unit_names)
    stages = [view.stage(stage) for stage in state.competition.stages]
    return routes.show(
        "competition_booklet.html",
        principal,
        title=localized(state.event, "title", language),
        day=certificate_date(certificates_views.event_day(state.event), language),
        organiser=shown.unit_names.get(state.event.owner_unit_id, ""),
        final=view.final(),
        stages=stages,
        back_href=f"/events/{quote(event_id, safe='')}/competition",
        # organisers print them all; a unit admin their units' ones (the way to them once the meet is over)
        certificates_href=certificates_href(event_id)
        if can_manage_event(principal, state.event.owner_unit_id) or may_enter(principal, Access.UNIT_ADMIN)
        else None,
        other_language_href=_other_language(language),
    )
