"""The list of events: by kind, by organising unit, or only those open for registration now."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import EventKind
from chalicelib.i18n import translate
from chalicelib.services import event_views
from chalicelib.services.organisation_views import unit_name
from chalicelib.storage import get_store
from chalicelib.web.events.wording import event_path, event_places, kind_label, organiser, span, status, title
from chalicelib.web.render import Pages

routes = Pages(__name__)

LISTED_EVENTS = 200


def _list_href(kind: str | None, unit: str | None, only_open: bool) -> str:
    params = {"kind": kind, "unit": unit, "open": "1" if only_open else ""}
    query = urlencode({name: value for name, value in params.items() if value})
    return "/events" + ("?" + query if query else "")


@routes.route("/events", access=Access.PUBLIC)
def event_list(principal: Principal):
    language = routes.language()
    at = now()
    listing = event_views.event_listing(
        get_store(),
        at,
        routes.query("kind") or "",
        routes.query("unit") or "",
        routes.query("open") == "1",
        LISTED_EVENTS,
    )
    kind, unit_id, only_open = listing.kind, listing.unit_id, listing.only_open
    rows = [
        {
            "href": event_path(e.event_id),
            "title": title(e, language),
            "kind": kind_label(e.kind, language),
            "when": span(e.starts_at, e.ends_at, language),
            "venue": e.venue,
            "status": status(e, at, language),
            "places": event_places(e, language),
            "organiser": organiser(e, listing.units, language),
        }
        for e in listing.events
    ]
    kinds = [("", translate("events.filter.all", language))] + [(k.value, kind_label(k, language)) for k in EventKind]
    filters = {"kind": kind, "unit": unit_id, "open": "1" if only_open else ""}
    return routes.show(
        "event_list.html",
        principal,
        events=rows,
        kind_links=[(label, _list_href(value, unit_id, only_open), value == kind) for value, label in kinds],
        open_href=_list_href(kind, unit_id, not only_open),
        only_open=only_open,
        kind=kind,
        unit_id=unit_id,
        units=[(u.unit_id, unit_name(u, u.unit_id, language)) for u in listing.units.values()],
        filter_query="".join(f"{quote(name)}={quote(value)}&" for name, value in filters.items() if value),
    )
