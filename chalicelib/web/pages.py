"""Human pages. Thin: gather records from the store, hand them to a template."""

from __future__ import annotations

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import SCHOOL_UNIT_ID
from chalicelib.http.routing import PageRoutes
from chalicelib.storage import get_store
from chalicelib.web.render import page

routes = PageRoutes(__name__)

UPCOMING_ON_HOME = 12


@routes.route("/", access=Access.PUBLIC)
def home(principal: Principal):
    store = get_store()
    return page(
        routes.current_request,
        "home.html",
        principal=principal,
        school=store.units.get(SCHOOL_UNIT_ID),
        units=store.units.children(SCHOOL_UNIT_ID),
        events=store.events.upcoming(now(), limit=UPCOMING_ON_HOME),
    )


@routes.route("/api/docs", access=Access.PUBLIC)
def api_docs():
    from chalicelib.api.system import openapi_document

    return page(routes.current_request, "api_docs.html", spec=openapi_document())
