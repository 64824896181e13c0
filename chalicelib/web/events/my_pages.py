"""A member's own screens: "my registrations" (with what happened after registering, cancelling or answering an
invitation) and "my notifications"."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.checkin import ADMITTING_STATES
from chalicelib.domain.competition.board import start_of
from chalicelib.domain.competition.model import AWAY, HOME
from chalicelib.domain.language import localized
from chalicelib.domain.records import COMPETITION_FORMATS, Allocation, Event, RegistrationState
from chalicelib.i18n import N_, notification_text, translate
from chalicelib.services import event_views
from chalicelib.services.event_views import RegistrationView
from chalicelib.storage import get_store
from chalicelib.web.events import wording
from chalicelib.web.events.wording import event_path, partner_of, span, title
from chalicelib.web.links import entry_href, my_certificates_href, registration_calendar_href
from chalicelib.web.render import Pages, format_when

if TYPE_CHECKING:
    from chalicelib.domain.competition.setup import ContestEvent
    from chalicelib.services.fixtures_views import NextMatch
    from chalicelib.storage import Store

routes = Pages(__name__)

_EVENT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what an event id in a query string may look like


def _done_notice(event: Event, current: RegistrationView | None, language: str) -> str:
    """What the member is told after registering, by where the registration went."""
    name = title(event, language)
    state = current.registration.state if current is not None else None
    if current is None:
        return translate("my.done", language, title=name)
    if state is RegistrationState.WAITING:
        return translate("my.done_waiting", language, title=name, position=current.position or "?")
    if state is RegistrationState.PENDING:
        lottery = event.allocation is Allocation.LOTTERY
        key = N_("alloc.member.done.lottery") if lottery else N_("alloc.member.done.approval")
        return translate(key, language, title=name)
    if state is RegistrationState.AWAITING_PARTNER:
        return translate("alloc.member.done.invited", language, title=name, name=partner_of(current.registration))
    return translate("my.done", language, title=name)


def _notice(views: list[RegistrationView], after: dict[str, str], language: str) -> str | None:
    """What the member is told after registering (``done``), cancelling, or answering an invitation."""
    events = {v.event.event_id: v.event for v in views}

    def current(event_id: str) -> RegistrationView | None:
        return next((v for v in views if v.event.event_id == event_id and v.registration.state.active), None)

    done, cancelled, confirmed, declined = (after[key] for key in ("done", "cancelled", "confirmed", "declined"))
    if done in events:
        return _done_notice(events[done], current(done), language)
    if cancelled in events:
        return translate("my.cancelled", language, title=title(events[cancelled], language))
    if confirmed in events:
        found = current(confirmed)
        name = partner_of(found.registration) if found else ""
        return translate("alloc.member.confirmed", language, title=title(events[confirmed], language), name=name)
    if declined in events:
        return translate("alloc.member.declined", language, title=title(events[declined], language))
    return None


def _ticket_href(view: RegistrationView) -> str | None:
    """A place held has a QR code to show at the door (chalicelib.web.ticket_pages)."""
    registration = view.registration
    if registration.state not in ADMITTING_STATES:
        return None
    return f"/me/tickets/{quote(registration.event_id, safe='')}/{quote(registration.scope, safe='')}"


def _next_match(found: NextMatch | None, language: str) -> dict[str, str] | None:
    """下一场：1号场 11月28日 周六 14:00 对阵 物理学院队, with a link to the member's entry's fixtures."""
    if found is None:
        return None
    match = found.match
    other = match.slot(AWAY if match.home.entry == found.entry_id else HOME).entry
    opponent = found.names.get(other, other) if other else translate("competition.public.to_be_decided", language)
    start = start_of(match)
    if start is None:
        text = translate("my.next_match_unscheduled", language, opponent=opponent)
    else:
        when = format_when(start, language)
        text = translate("my.next_match", language, court=match.court or "", when=when, opponent=opponent)
    return {"text": text, "href": entry_href(found.event_id, found.entry_id)}


def _competition_notes(
    store: Store, principal: Principal, views: list[RegistrationView], at: datetime
) -> tuple[dict[str, NextMatch], set[str], dict[str, list[ContestEvent]]]:
    """What the member's competitions add to their rows: each tournament's next match, the events whose certificates
    they won, each skill contest's events they are entered in. The competition engine is loaded only for a member
    with a competition among their registrations: one with classes and walks opens the page without it (a cold
    start's first request loads less; docs/benchmarks.md)."""
    competing = [view for view in views if view.event.format in COMPETITION_FORMATS]
    if not competing:
        return {}, set(), {}
    from chalicelib.services import certificates_views, contests, fixtures_views

    # One competition read per tournament not over that the member plays in (services.fixtures_views).
    next_matches = fixtures_views.next_matches(store, [(view.registration, view.event) for view in competing], at)
    # One competition read per competition event over that the member entered: where they won, their certificate.
    won = certificates_views.won_events(store, principal, (view.event for view in competing), at)
    # A skill contest's events the member is entered in (issue 19 item 7): one read per contest-format event.
    entered = contests.my_contest_events(store, principal, (view.event for view in competing))
    return next_matches, won, entered


def _calendar_href(view: RegistrationView) -> str | None:
    """加入日历 for a registration still on (chalicelib.web.calendar_pages.registration_calendar)."""
    registration = view.registration
    if not registration.state.active or registration.state is RegistrationState.INVITED:
        return None
    return registration_calendar_href(registration.event_id, registration.scope)


@routes.route("/me/registrations", access=Access.MEMBER)
def my_registrations(principal: Principal):
    language = routes.language()
    at = now()
    after = {
        key: value if _EVENT_ID.fullmatch(value) else ""
        for key, value in ((key, routes.query(key) or "") for key in ("done", "cancelled", "confirmed", "declined"))
    }
    # The member index lags a write by a moment: the event just registered for (or left) is read directly.
    store = get_store()
    views = event_views.my_registrations(store, principal, set(after.values()) - {""}, at)
    next_matches, won, entered = _competition_notes(store, principal, views, at)
    rows = []
    for view in views:
        event, registration = view.event, view.registration
        sessions = {registration.scope: view.session} if view.session is not None else {}
        rows.append(
            {
                "event_href": event_path(event.event_id),
                "cancel_action": event_path(event.event_id) + "/cancel",
                "title": title(event, language),
                "when": span(event.starts_at, event.ends_at, language),
                "venue": event.venue,
                "scope": registration.scope,
                "scope_label": wording.scope_label(registration.scope, sessions, language),
                "ticket_href": _ticket_href(view),
                "calendar_href": _calendar_href(view),
                "certificate_href": my_certificates_href(event.event_id) if event.event_id in won else None,
                "contest_events": ("、" if language == "zh" else ", ").join(
                    localized(c, "name", language) for c in entered.get(event.event_id, ())
                ),
                "contest_href": f"{event_path(event.event_id)}/competition/contest",
                "next_match": _next_match(next_matches.get(event.event_id), language)
                if registration.state.active
                else None,
                **wording.registration_state(view, at, language, principal.staff_no),
            }
        )
    return routes.show("my_registrations.html", principal, rows=rows, notice=_notice(views, after, language))


@routes.route("/me/notifications", access=Access.MEMBER)
def my_notifications(principal: Principal):
    from chalicelib.domain.notify import notification_path
    from chalicelib.services import notify_views

    language, store = routes.language(), get_store()
    # Opening the list clears the navigation's unread count.
    shown = notify_views.notifications_seen(store, principal, now())
    rows = [
        {
            "text": notification_text(n, language),
            "at": n.at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M"),
            "kind": n.kind.value,
            "href": notification_path(n),  # what it is about: its event, or the member's own page
            "about_event": bool(n.event_id),
        }
        for n in shown
    ]
    # Just marked seen: nothing is unread, so the navigation need not count.
    return routes.show("my_notifications.html", principal, rows=rows, unread_badge=lambda: None)
