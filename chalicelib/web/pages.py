"""Human pages. Thin: ask a service for what the page shows, hand it to a template."""

from __future__ import annotations

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.http.routing import PageRoutes
from chalicelib.services import organisation_views
from chalicelib.storage import get_store
from chalicelib.web import member_labels
from chalicelib.web.render import page

routes = PageRoutes(__name__)

UPCOMING_ON_HOME = 12


@routes.route("/", access=Access.PUBLIC)
def home(principal: Principal):
    view = organisation_views.home(get_store(), now(), UPCOMING_ON_HOME)
    return page(
        routes.current_request,
        "home.html",
        principal=principal,
        school=view.school,
        units=view.units,
        events=view.events,
        labels=member_labels,
    )


@routes.route("/api/docs", access=Access.PUBLIC)
def api_docs():
    from chalicelib.api.system import openapi_document

    return page(routes.current_request, "api_docs.html", spec=openapi_document())
