"""One event: its page with the share link, the member's registrations and what they may do, and its poster."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import EntryType, EventSession, RegistrationState
from chalicelib.http.qr import absolute_url, qr_svg
from chalicelib.i18n import N_, translate
from chalicelib.services import event_views
from chalicelib.services.event_views import EventDetail
from chalicelib.storage import get_store
from chalicelib.web.events import wording
from chalicelib.web.events.wording import event_path, event_places, kind_label, organiser, span, title
from chalicelib.web.render import Pages, format_when

routes = Pages(__name__)

POSTER_DESCRIPTION_LENGTH = 300


def _facts(detail: EventDetail, at: datetime, language: str) -> dict[str, Any]:
    event = detail.event
    return {
        "title": title(event, language),
        "kind": kind_label(event.kind, language),
        "status": wording.status(event, at, language),
        "description": wording.description(event, language),
        "when": span(event.starts_at, event.ends_at, language),
        "venue": event.venue,
        "campus": event.campus,
        "contact": event.contact,
        "organiser": organiser(event, detail.units, language),
        "places": event_places(event, language),
        "counts": translate(
            N_("events.counts.limited") if event.capacity is not None else N_("events.counts.unlimited"),
            language,
            capacity=event.capacity,
            confirmed=event.confirmed_count,
            waiting=event.waiting_count,
        ),
        "pending": wording.pending_line(event, language),
        "how": wording.how_places(event, language),
        "entry": wording.entry_lines(event, language),
        "window": wording.window(event, language),
        "cancel_deadline": format_when(event.cancel_deadline, language)
        if event.cancel_deadline
        else translate("events.cancel_until_start", language),
        "audience": wording.audience_lines(event, detail.units, language),
        "waiting_list": event.waiting_list,
    }


def _session_rows(detail: EventDetail, language: str) -> list[dict[str, Any]]:
    event = detail.event
    return [
        {
            "number": number,
            "when": span(s.starts_at, s.ends_at, language),
            "venue": s.venue or event.venue,
            "places": wording.session_places(event, s, language) if event.single_sessions else None,
        }
        for number, s in enumerate(detail.sessions, start=1)
    ]


@routes.route("/events/{event_id}", access=Access.PUBLIC)
def event_page(principal: Principal, event_id: str):
    language = routes.language()
    at = now()
    detail = event_views.event_detail(get_store(), principal, event_id, at)
    event = detail.event
    by_id: dict[str, EventSession | None] = {s.session_id: s for s in detail.sessions}
    path = event_path(event.event_id)
    blocked = wording.blocked(principal.signed_in, event, at, detail.free_scopes, detail.ineligibility, language)
    invited = any(v.registration.state is RegistrationState.INVITED for v in detail.mine)
    if invited:
        blocked = translate("alloc.member.answer_invitation", language)
    will_wait = wording.will_wait(event, detail.free_scopes)
    team_event = event.entry_type is EntryType.TEAM
    mine = [
        {
            "scope": v.registration.scope,
            "scope_label": wording.scope_label(v.registration.scope, by_id, language),
            **wording.registration_state(v, at, language, principal.staff_no),
        }
        for v in detail.mine
    ]
    return routes.show(
        "event_page.html",
        principal,
        event_id=event.event_id,
        facts=_facts(detail, at, language),
        sessions=_session_rows(detail, language),
        single_sessions=event.single_sessions,
        share_url=absolute_url(routes.current_request, path),
        poster_href=path + "/poster",
        calendar_href=path + "/calendar.ics",
        register_href=path + "/register",
        register_label=wording.register_label(event, will_wait, language),
        cancel_action=path + "/cancel",
        signin_href="/signin?next=" + quote(path + "/register", safe="/"),
        mine=mine,
        blocked=blocked,
        blocked_tone="info" if invited else "bad",
        will_wait=will_wait,
        team_event=team_event,
        own_teams=wording.own_team_lines(event, detail.own_teams, principal.staff_no, detail.units, language),
        # A unit admin's way to their units' teams, before and after the event (the entries list shows only events
        # taking entries now).
        unit_teams_href=f"/admin{path}/teams" if team_event and (principal.admin_of or principal.union_admin) else None,
        lottery=wording.lottery_summary(event, language),
        competition_href=path + "/competition" if detail.competition_published else None,
    )


@routes.route("/events/{event_id}/poster", access=Access.PUBLIC)
def event_poster(principal: Principal, event_id: str):
    from markupsafe import Markup  # comes with jinja2, which renders the page anyway

    language = routes.language()
    summary = event_views.event_summary(get_store(), principal, event_id)
    event, units = summary.event, summary.units
    path = event_path(event.event_id)
    url = absolute_url(routes.current_request, path)
    description = wording.description(event, language)
    if len(description) > POSTER_DESCRIPTION_LENGTH:
        description = description[: POSTER_DESCRIPTION_LENGTH - 1].rstrip() + "…"
    return routes.show(
        "event_poster.html",
        principal,
        title=title(event, language),
        kind=kind_label(event.kind, language),
        when=span(event.starts_at, event.ends_at, language),
        venue=event.venue,
        campus=event.campus,
        contact=event.contact,
        organiser=organiser(event, units, language),
        places=event_places(event, language),
        window=wording.window(event, language),
        audience=wording.audience_lines(event, units, language),
        description=description,
        url=url,
        event_href=path,
        # Generated from the URL by the qrcode library: paths only, no text of anyone's.
        qr=Markup(qr_svg(url)),
    )
