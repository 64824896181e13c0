"""Members' check-in pages: their ticket (a QR code to show at the door), the venue's self check-in, their own
attendance and the events they are check-in staff for.

As chalicelib.api.checkin does, the pages ask chalicelib.services.checkin, which decides who may see and do what:
a member sees only their own ticket and check-ins, and checks in only themself.
"""

from __future__ import annotations

import uuid
from urllib.parse import quote

from chalicelib.api.checkin_schemas import VenueCheckInIn
from chalicelib.api.checkin_shaping import point_name, venue_proof, verdict_out, verdict_unit_names
from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.checkin import VENUE_PATH, VERDICT_MESSAGES, CheckinPoint, CompletionRule, Verdict, ticket_url
from chalicelib.domain.language import localized
from chalicelib.domain.records import SERIES
from chalicelib.errors import Conflict
from chalicelib.i18n import translate
from chalicelib.services import checkin as checkin_service
from chalicelib.services import checkin_live, checkin_views
from chalicelib.services.checkin import event_points
from chalicelib.settings import get_settings
from chalicelib.storage import get_store
from chalicelib.web import checkin_labels
from chalicelib.web.forms import read_form, redirect, validated
from chalicelib.web.links import registration_calendar_href
from chalicelib.web.render import Pages, format_when

routes = Pages(__name__)


def _ticket_path(event_id: str, scope: str) -> str:
    return f"/me/tickets/{quote(event_id, safe='')}/{quote(scope, safe='')}"


def _scope_name(points: list[CheckinPoint], scope: str, language: str) -> str:
    """What a registration covers: the whole event, or the one session's date."""
    if scope == SERIES:
        return translate("checkin.member.whole", language)
    point = next((point for point in points if point.point_id == scope), None)
    return point_name(point, language) if point else scope


# ---- the ticket ---------------------------------------------------------------------------------------------------


def _ticket_page(principal: Principal, event_id: str, scope: str, status: int = 200, replaced: bool = False):
    from markupsafe import Markup  # comes with jinja2, which renders the page anyway

    from chalicelib.http.qr import absolute_url, png_data_url, qr_png, qr_svg  # qrcode loads only here

    language = routes.language()
    store = get_store()
    try:
        event, registration = checkin_service.my_ticket(store, principal, event_id, scope)
    except Conflict as refused:
        # A place not (or no longer) held: say so plainly, with the way back, rather than an error page.
        known = checkin_views.known_event(store, event_id)
        return routes.show(
            "ticket_page.html",
            principal,
            status=refused.status,
            title=localized(known, "title", language) if known else "",
            refused=translate(refused.code, language),
        )
    ticket = registration.ticket or ""
    url = ticket_url(absolute_url(routes.current_request, ""), ticket)
    at = now()
    live = None
    if event.checkin.live_tickets:
        # The page draws the next codes itself (checkin_codes.js), offline too: the key, never the app's secret.
        live = {
            "ticket": ticket,
            "url": url,
            "key": checkin_live.ticket_live_key(ticket),
            "server_now": int(at.timestamp() * 1000),
            "left": translate("checkin.member.ticket.live_left", language),
        }
        url = checkin_live.current_code(absolute_url(routes.current_request, ""), ticket, at)
    return routes.show(
        "ticket_page.html",
        principal,
        status=status,
        title=localized(event, "title", language),
        name=registration.name,
        scope_name=_scope_name(event_points(store, event), scope, language),
        when=format_when(event.starts_at, language),
        venue=event.venue,
        qr=Markup(qr_svg(url)),
        png=None if live else png_data_url(qr_png(url)),
        live=live,
        filename=f"ticket-{event.event_id}-{scope}.png",
        replace_action=_ticket_path(event_id, scope) + "/replace",
        calendar_href=registration_calendar_href(event_id, scope),
        replaced=replaced,
    )


@routes.route("/me/tickets/{event_id}/{scope}", access=Access.MEMBER)
def ticket(principal: Principal, event_id: str, scope: str):
    """The member's QR code for one registration, to show at the door at full brightness."""
    return _ticket_page(principal, event_id, scope, replaced=routes.query("replaced") == "1")


@routes.route("/me/tickets/{event_id}/{scope}/replace", methods=("POST",), access=Access.MEMBER)
def replace_ticket(principal: Principal, event_id: str, scope: str):
    """A new code; the old one (a screenshot passed on, a lost phone) stops working at once."""
    try:
        checkin_service.replace_ticket(get_store(), principal, event_id, scope, now())
    except Conflict:
        return _ticket_page(principal, event_id, scope)
    return redirect(_ticket_path(event_id, scope) + "?replaced=1")


# ---- venue self check-in ------------------------------------------------------------------------------------------


def _venue_key() -> bytes:
    return checkin_service.venue_key(get_settings().session_key)


@routes.route("/v/{code}", access=Access.MEMBER)
def venue(principal: Principal, code: str):
    """What scanning the venue's screen opens: the event and point, and a button to check in."""
    language = routes.language()
    found = checkin_views.venue(get_store(), principal, _venue_key(), code, now())
    if isinstance(found, Verdict):
        verdict = {"tone": "bad", "message": translate(VERDICT_MESSAGES[found], language)}
        return routes.show("self_checkin.html", principal, verdict=verdict)
    return routes.show(
        "self_checkin.html",
        principal,
        title=localized(found.event, "title", language),
        point_name=point_name(found.point, language),
        action=VENUE_PATH + quote(code, safe=""),
        # Made here, sent back by the form: a double tap or a resent form checks in once.
        scan_id=uuid.uuid4().hex,
        # The code was current when this member opened it: the check-in may follow within two minutes.
        venue_pass=found.venue_pass,
        location=found.event.checkin.location_check,
    )


# What the self check-in form may send besides the scan id (the position only when the event asks for it).
_VENUE_FORM = ("venue_pass", "lat", "lng", "accuracy", "location_error")


@routes.route("/v/{code}", methods=("POST",), access=Access.MEMBER)
def venue_check_in(principal: Principal, code: str):
    language = routes.language()
    form = read_form(routes.current_request)
    sent = {name: (form.get(name) or "").strip() for name in _VENUE_FORM}
    data = {"code": code, "scan_id": (form.get("scan_id") or "").strip()} | {k: v for k, v in sent.items() if v}
    body = validated(VenueCheckInIn, data)
    key = _venue_key()
    done = checkin_service.self_check_in(get_store(), principal, body.code, body.scan_id, key, now(), venue_proof(body))
    shown = verdict_out(done.result, language, verdict_unit_names(done.result))
    check_in = done.result.check_in
    verdict = {
        "tone": shown.tone,
        "message": shown.message,
        "at": format_when(check_in.at, language) if check_in and done.result.verdict is Verdict.ALREADY else None,
    }
    return routes.show(
        "self_checkin.html",
        principal,
        title=localized(done.event, "title", language) if done.event else None,
        point_name=point_name(done.point, language) if done.point else None,
        verdict=verdict,
    )


# ---- my attendance and my duties ----------------------------------------------------------------------------------


@routes.route("/me/attendance", access=Access.MEMBER)
def my_attendance(principal: Principal):
    """The member's own check-ins, newest first, grouped by event."""
    language = routes.language()
    groups = []
    for group in checkin_views.my_attendance(get_store(), principal):
        names = {point.point_id: point_name(point, language) for point in group.points}
        groups.append(
            {
                "title": localized(group.event, "title", language) if group.event else "",
                "rows": [
                    {
                        "point": names.get(c.point_id, c.point_id),
                        "at": format_when(c.at, language),
                        "method": translate(checkin_labels.MY_METHOD[c.method], language),
                        "offline": c.offline,
                    }
                    for c in group.check_ins
                ],
                "progress": group.progress,
                "event_href": f"/events/{quote(group.event_id, safe='')}",
            }
        )
    return routes.show("my_attendance.html", principal, groups=groups, rule_share=CompletionRule.SHARE.value)


@routes.route("/me/duties", access=Access.MEMBER)
def my_duties(principal: Principal):
    """The events the member checks people in at, with the way to the scanning station."""
    language = routes.language()
    store = get_store()
    rows = []
    for duty in checkin_views.my_duties(store, principal):
        names = {point.point_id: point_name(point, language) for point in duty.points}
        rows.append(
            {
                "title": localized(duty.event, "title", language),
                "when": format_when(duty.event.starts_at, language),
                "venue": duty.event.venue,
                "points": [names.get(point, point) for point in duty.limited],
                "station_href": f"/events/{quote(duty.event.event_id, safe='')}/checkin",
            }
        )
    # The competition pages load only here, not with the ticket that members show at the door.
    from chalicelib.web.competition_manage_pages import official_duties

    officiating = official_duties(store, principal, language)
    return routes.show("ticket_duties.html", principal, rows=rows, officiating=officiating)
