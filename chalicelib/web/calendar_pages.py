"""Calendars (issue 20 item 5): an event's .ics (加入日历), the member's own registration's .ics, the personal
subscription feed calendar apps read without signing in, and the member's page to make, renew or stop that link.

What goes in the files and who may read them is decided in chalicelib.services.calendars.
"""

from __future__ import annotations

from chalice import Response

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.ics import CONTENT_TYPE
from chalicelib.http.qr import absolute_url
from chalicelib.services import calendars
from chalicelib.services.calendars import CalendarFile
from chalicelib.services.registration_export import content_disposition
from chalicelib.storage import get_store
from chalicelib.web.forms import redirect
from chalicelib.web.render import Pages

routes = Pages(__name__)

MY_CALENDAR = "/me/calendar"


def _base() -> str:
    return absolute_url(routes.current_request, "")


def _answer(found: CalendarFile, *, attachment: bool = True) -> Response:
    """The file with its type, name, a short private cache and an ETag (a calendar app asking again with
    If-None-Match gets a 304 when nothing changed)."""
    headers: dict[str, str | list[str]] = {
        "Content-Type": CONTENT_TYPE,
        "Cache-Control": f"private, max-age={found.max_age}",
        "ETag": found.etag,
    }
    if attachment:
        headers["Content-Disposition"] = content_disposition(found.filename, "calendar")
    asked = {tag.strip() for tag in (routes.current_request.headers.get("if-none-match") or "").split(",")}
    if found.etag in asked:
        return Response(body="", status_code=304, headers=headers)
    return Response(body=found.body, headers=headers)


@routes.route("/events/{event_id}/calendar.ics", access=Access.PUBLIC)
def event_calendar(principal: Principal, event_id: str):
    """加入日历: the event (each class session its own entry) for anyone who may see the event."""
    found = calendars.event_calendar(get_store(), principal, event_id, _base(), routes.language())
    return _answer(found)


@routes.route("/me/registrations/{event_id}/{scope}/calendar.ics", access=Access.MEMBER)
def registration_calendar(principal: Principal, event_id: str, scope: str):
    """The member's own registration: its sessions only for a single-session one."""
    found = calendars.registration_calendar(get_store(), principal, event_id, scope, _base(), routes.language())
    return _answer(found)


@routes.route("/calendar/{feed}", access=Access.PUBLIC)
def feed(feed: str):
    """The member's subscription, read by calendar apps (no sign-in: the link's secret is the key)."""
    found = calendars.feed_calendar(get_store(), feed, _base(), routes.language())
    return _answer(found, attachment=False)


# ---- the member's page --------------------------------------------------------------------------------------------


def _page(principal: Principal, token: str | None = None, *, revoked: bool = False):
    current = calendars.feed_status(get_store(), principal)
    link = webcal = None
    if token is not None:
        language = routes.language()
        suffix = "?lang=en" if language == "en" else ""
        link = absolute_url(routes.current_request, calendars.feed_path(token)) + suffix
        webcal = "webcal://" + link.split("://", 1)[1]
    return routes.show(
        "calendar_feed.html",
        principal,
        feed=current,
        link=link,
        webcal=webcal,
        revoked=revoked,
        action=MY_CALENDAR,
        revoke_action=MY_CALENDAR + "/revoke",
    )


@routes.route("/me/calendar", access=Access.MEMBER)
def my_calendar(principal: Principal):
    """日历订阅: make a link, renew it (the old one stops at once) or stop it; the link is shown once."""
    return _page(principal, revoked=routes.query("revoked") == "1")


@routes.route("/me/calendar", methods=("POST",), access=Access.MEMBER)
def new_link(principal: Principal):
    """A new link, shown on this answer only (only its digest is kept, so it cannot be shown again)."""
    token = calendars.new_feed(get_store(), principal, now())
    return _page(principal, token)


@routes.route("/me/calendar/revoke", methods=("POST",), access=Access.MEMBER)
def revoke_link(principal: Principal):
    calendars.revoke_feed(get_store(), principal)
    return redirect(MY_CALENDAR + "?revoked=1")
