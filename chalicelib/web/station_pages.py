"""Check-in pages for staff: the scanning station, and the page a ticket's QR code opens.

The station page is one document whose script (static/checkin_station.js) does the scanning: a handheld scanner
(or typing) in an always-focused input, the camera (static/checkin_camera.js: the browser's ``BarcodeDetector``, or
the vendored jsQR in a Web Worker where there is none), and the JSON API of
chalicelib.api.checkin for verdicts, look-ups, counts and the offline list. The script verifies codes itself when
the network drops (a SHA-256 digest by Web Crypto against the synced list, as ``ticket_digest`` makes it; a page
opened over plain http from another machine has no Web Crypto and says so) and uploads what it queued when the
network returns.

``/t/<ticket>`` is what a phone's camera or WeChat opens: the event's check-in staff see the member and a button
per point; the member sees that it is their ticket; anyone else only which event it is for. The services decide
who sees what (chalicelib.services.checkin.ticket_view) and who may check in.
"""

import re
import uuid
from urllib.parse import quote

from chalicelib.api.checkin_schemas import PointId, ScanId
from chalicelib.api.checkin_shaping import point_name, verdict_out, verdict_unit_names, window_text
from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.checkin import VERDICT_MESSAGES, CheckinPoint
from chalicelib.domain.records import SERIES
from chalicelib.domain.wechat import inside_wechat
from chalicelib.http.schemas import InputModel
from chalicelib.i18n import translate
from chalicelib.services import checkin as checkin_service
from chalicelib.services import checkin_views, organisation_views
from chalicelib.settings import get_settings
from chalicelib.storage import get_store
from chalicelib.web import checkin_labels
from chalicelib.web.forms import first_value, read_form_lists, validated
from chalicelib.web.manage_common import event_title, local_text, state_labels
from chalicelib.web.render import Pages

routes = Pages(__name__)


class TicketCheckInForm(InputModel):
    """The "check in" button on a ticket's page: the point, and the scan id the page made (a double tap is one)."""

    point: PointId
    scan_id: ScanId
    confirm_outside_window: bool = False  # the organiser confirmed a check-in outside the point's window


def _point_names(points: list[CheckinPoint], language: str) -> dict[str, str]:
    return {point.point_id: point_name(point, language) for point in points}


def _scope_name(scope: str, names: dict[str, str], language: str) -> str:
    return translate("checkin.station.scope_series", language) if scope == SERIES else names.get(scope, scope)


def _wechat_scanner(language: str) -> dict[str, str] | None:
    """The texts of WeChat's own scanner (static/checkin_wechat.js), or None where it is not offered: only on a
    deployment with an Official Account (settings) and only inside WeChat (the request's User-Agent)."""
    if get_settings().wechat_mp is None or not inside_wechat(routes.current_request.headers.get("user-agent")):
        return None
    return {"failed": translate("checkin.station.wechat_failed", language)}


# ---- the scanning station ----------------------------------------------------------------------------------------


@routes.route("/events/{event_id}/checkin", access=Access.MEMBER)
def station_page(principal: Principal, event_id: str):
    """For the event's organisers and check-in staff (anyone else: 403). ``?point=`` picks one of their points."""
    found = checkin_service.station(get_store(), principal, event_id)
    language = routes.language()
    wanted = routes.query("point")
    at = now()
    current = checkin_service.opening_point(found, at)
    point = wanted if wanted in found.allowed else current
    window = checkin_service.point_window(found, point, at)
    # Outside the point's window scans are refused until the organiser confirms (the banner's button: ?confirm=1).
    confirmed = not window.open_now and routes.query("confirm") == "1"
    names = _point_names(found.points, language)
    config = {
        "event_id": event_id,
        "point": point,
        "confirm_outside_window": confirmed,
        "points": names,
        "states": state_labels(language, found.event.allocation),
        "text": {name: translate(key, language) for name, key in checkin_labels.STATION_SCRIPT.items()}
        | {name: translate(VERDICT_MESSAGES[v], language) for name, v in checkin_labels.STATION_VERDICTS.items()},
    }
    wechat = _wechat_scanner(language)
    if wechat:
        config["wechat"] = wechat
    return routes.show_event(
        "checkin_station.html",
        principal,
        found.event,
        point=point,
        current=current,
        allowed=[(point_id, names[point_id]) for point_id in found.allowed],
        window=None if window.open_now else window_text((window.opens, window.closes)),
        confirmed=confirmed,
        wechat=wechat is not None,
        config=config,
    )


# ---- the page a ticket's QR code opens ----------------------------------------------------------------------------


def _confirm_scan_id(verdict) -> str | None:
    """Refused outside the point's window: a fresh scan id to send the same check-in again, confirmed."""
    return uuid.uuid4().hex if verdict is not None and verdict.verdict == "outside_window" else None


def _ticket_page(principal: Principal, ticket: str, verdict=None, posted_point: str | None = None):
    store = get_store()
    language = routes.language()
    view = checkin_service.ticket_view(store, principal, ticket)
    if view.event is None:
        # A replaced code says so (show the new one); anything else is unknown.
        status = 410 if view.revoked else 404
        return routes.show("checkin_ticket.html", principal, status=status, unknown=True, revoked=view.revoked)
    event = view.event
    names = _point_names(view.points, language)
    context = {
        "unknown": False,
        "event": event,
        "title": event_title(event, language),
        "ticket_path": f"/t/{quote(ticket)}{_live_suffix()}",
        "own": view.own,
        "staff": bool(view.allowed) and view.holder is not None,
        "verdict": verdict,
        "posted_point": posted_point,
        "confirm_scan_id": _confirm_scan_id(verdict),
    }
    holder = view.holder
    if holder is not None:
        context["holder"] = holder
        unit = organisation_views.unit_or_none(store, holder.unit_id)
        context["unit_name"] = organisation_views.unit_name(unit, holder.unit_id, language)
        context["state_name"] = state_labels(language, event.allocation).get(holder.state.value, holder.state.value)
        context["scope_name"] = _scope_name(holder.scope, names, language)
        context["own_href"] = f"/me/tickets/{quote(event.event_id)}/{quote(holder.scope)}"
    if context["staff"] and holder is not None:  # staff: someone allowed, and a holder to check in
        buttons = []
        came = checkin_views.earlier_check_ins(store, event.event_id, view.allowed, holder.staff_no)
        for point_id in view.allowed:
            earlier = came.get(point_id)
            arrived = (
                translate(
                    "checkin.ticket.arrived", language, time=local_text(earlier.at), by=earlier.by_name or earlier.by
                )
                if earlier
                else None
            )
            # A fresh scan id per page view: tapping twice, or sending the form again, checks in once.
            buttons.append((point_id, names.get(point_id, point_id), uuid.uuid4().hex, arrived))
        context["buttons"] = buttons
    if verdict is not None and verdict.check_in is not None and verdict.verdict == "already":
        earlier_in = verdict.check_in  # named by name; by 工号 if recorded before names were kept
        by = earlier_in.by_name or earlier_in.by
        context["already_detail"] = translate(
            "checkin.ticket.already_detail", language, time=local_text(earlier_in.at), by=by
        )
    return routes.show("checkin_ticket.html", principal, **context)


_LIVE_QUERY = re.compile(r"^\d{1,12}\.[0-9a-fA-F]{16}$")


def _live_suffix() -> str:
    """A live ticket's ``?r=<step>.<mac>`` as opened (chalicelib.domain.checkin_codes), or "" for a plain ticket."""
    live = routes.query("r") or ""
    return f"?r={live}" if _LIVE_QUERY.match(live) else ""


@routes.route("/t/{ticket}", access=Access.PUBLIC)
def ticket_page(principal: Principal, ticket: str):
    """What scanning a member's QR code with any camera opens."""
    return _ticket_page(principal, ticket)


@routes.route("/t/{ticket}", methods=("POST",), access=Access.MEMBER)
def ticket_check_in(principal: Principal, ticket: str):
    """Staff confirm the check-in; the service refuses anyone else (the member themself included)."""
    fields = read_form_lists(routes.current_request)
    form = validated(
        TicketCheckInForm,
        {
            "point": first_value(fields, "point"),
            "scan_id": first_value(fields, "scan_id"),
            "confirm_outside_window": first_value(fields, "confirm_outside_window") == "1",
        },
    )
    # A live ticket's code carries its step (``?r=``), kept in the form's address: the service judges it.
    code = f"/t/{ticket}{_live_suffix()}"
    result = checkin_service.check_in_ticket(
        get_store(), principal, code, form.point, form.scan_id, now(), confirmed=form.confirm_outside_window
    )
    verdict = verdict_out(result, routes.language(), verdict_unit_names(result))
    return _ticket_page(principal, ticket, verdict=verdict, posted_point=form.point)
