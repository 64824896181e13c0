"""Members' event pages: the list of events, one event with its share link and poster, the registration form,
cancelling, "my registrations" and "my notifications".

The same services as the JSON API (chalicelib.api.events): registering, cancelling and what a member may see are
decided there; these views only gather records, word them and hand them to templates.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from chalice import Response

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.checkin import ADMITTING_STATES
from chalicelib.domain.event_rules import (
    Placement,
    RegistrationPhase,
    displayed_status,
    ineligibility,
    placement,
    registration_phase,
)
from chalicelib.domain.forms import MAX_OPTIONS, MAX_QUESTIONS, Question, QuestionKind
from chalicelib.domain.lottery import Applicant, draw_key, draw_order
from chalicelib.domain.records import (
    COMPETITION_FORMATS,
    SERIES,
    Allocation,
    Audience,
    EntryType,
    Event,
    EventKind,
    EventSession,
    EventStatus,
    Gender,
    PairGender,
    Registration,
    RegistrationState,
    TeamState,
    Unit,
)
from chalicelib.errors import BadRequest, Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.http.qr import absolute_url, qr_svg
from chalicelib.i18n import MESSAGES, notification_text, translate
from chalicelib.services import lottery as lottery_service
from chalicelib.services import registration as registration_service
from chalicelib.storage import Store, get_store
from chalicelib.web.forms import read_form, read_form_lists, redirect
from chalicelib.web.render import Pages, format_when, unit_name

routes = Pages(__name__)

LISTED_EVENTS = 200
ANSWER_PREFIX = "a."  # form field of a question: "a.<question_id>" (never clashes with "scope")
# Every option of every question ticked, and then some: parse_qs refuses bodies with more fields than this.
MAX_REGISTRATION_FIELDS = MAX_QUESTIONS * MAX_OPTIONS + 10
POSTER_DESCRIPTION_LENGTH = 300
MAX_STAFF_NO = 32  # longer than any 工号: what the partner field keeps of what was typed
LISTED_DRAW = 300  # the lottery page lists the draw order up to this many; the JSON download has them all
_SCOPE = re.compile(r"series|s\d{2}")
_EVENT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what an event id in a query string may look like
# A Host header as browsers send it: a name or IPv4 address, or a bracketed IPv6 address, and an optional port.
_STATUS_TONES = {
    EventStatus.REGISTRATION_OPEN: "ok",
    EventStatus.PUBLISHED: "info",
    EventStatus.RUNNING: "info",
    EventStatus.REGISTRATION_CLOSED: "off",
    EventStatus.FINISHED: "off",
    EventStatus.CANCELLED: "bad",
    EventStatus.DRAFT: "off",
}


# ---- small helpers ---------------------------------------------------------------------------------------------


def _title(event: Event, language: str) -> str:
    return event.title_zh if language == "zh" else (event.title_en or event.title_zh)


def _description(event: Event, language: str) -> str:
    return event.description_zh if language == "zh" else (event.description_en or event.description_zh)


def _units(store: Store) -> dict[str, Unit]:
    """The school union and its sub-unions, in the union's order."""
    return {unit.unit_id: unit for unit in store.units.whole_union()}


def _number(value: float | None) -> str:
    if value is None:
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number)


def _span(starts_at: datetime, ends_at: datetime, language: str) -> str:
    """``11月28日 周六 14:00–16:00``, or both ends in full when the event runs over several days."""
    start, end = starts_at.astimezone(CHINA_TZ), ends_at.astimezone(CHINA_TZ)
    if start.date() == end.date():
        return f"{format_when(start, language)}–{end:%H:%M}"
    return f"{format_when(start, language)} – {format_when(end, language)}"


def _places(capacity: int | None, confirmed: int, waiting: int, waiting_list: bool, language: str) -> str:
    """Places as members read them: "余 N 个名额", "候补 N 人", "不限名额" or "名额已满"."""
    if capacity is None:
        return translate("events.places.unlimited", language)
    if waiting > 0:
        return translate("events.places.waiting", language, count=waiting)
    left = capacity - confirmed
    if left > 0:
        return translate("events.places.left", language, count=left)
    return translate("events.places.full_waiting" if waiting_list else "events.places.full", language)


def _event_places(event: Event, language: str) -> str:
    return _places(event.capacity, event.confirmed_count, event.waiting_count, event.waiting_list, language)


def _session_places(event: Event, session: EventSession, language: str) -> str:
    return _places(session.capacity, session.confirmed_count, session.waiting_count, event.waiting_list, language)


def _status(event: Event, at: datetime, language: str) -> dict[str, str]:
    status = displayed_status(event, at)
    return {"label": translate(f"events.status.{status.value}", language), "tone": _STATUS_TONES.get(status, "off")}


def _absolute_url(path: str) -> str:
    return absolute_url(routes.current_request, path)


def _event_path(event_id: str) -> str:
    return f"/events/{quote(event_id, safe='')}"


def _scope_ok(scope: str) -> str:
    if not _SCOPE.fullmatch(scope):
        raise BadRequest()
    return scope


# ---- the list of events ----------------------------------------------------------------------------------------


def _list_href(kind: str | None, unit: str | None, only_open: bool) -> str:
    params = {"kind": kind, "unit": unit, "open": "1" if only_open else ""}
    query = urlencode({name: value for name, value in params.items() if value})
    return "/events" + ("?" + query if query else "")


@routes.route("/events", access=Access.PUBLIC)
def event_list(principal: Principal):
    language = routes.language()
    store, at = get_store(), now()
    units = _units(store)
    kind = routes.query("kind") if routes.query("kind") in {k.value for k in EventKind} else ""
    unit_id = routes.query("unit") if routes.query("unit") in units else ""
    only_open = routes.query("open") == "1"
    if unit_id:
        owned = store.events.by_owner(unit_id)
        found = sorted(
            (e for e in owned if e.status is not EventStatus.DRAFT and e.ends_at >= at), key=lambda e: e.starts_at
        )
    else:
        found = store.events.upcoming(at, limit=LISTED_EVENTS)
    if kind:
        found = [e for e in found if e.kind.value == kind]
    if only_open:
        found = [e for e in found if registration_phase(e, at) is RegistrationPhase.OPEN]
    rows = [
        {
            "href": _event_path(e.event_id),
            "title": _title(e, language),
            "kind": translate(f"event.kind.{e.kind.value}", language),
            "when": _span(e.starts_at, e.ends_at, language),
            "venue": e.venue,
            "status": _status(e, at, language),
            "places": _event_places(e, language),
            "organiser": unit_name(units.get(e.owner_unit_id), e.owner_unit_id, language),
        }
        for e in found[:LISTED_EVENTS]
    ]
    kinds = [("", translate("events.filter.all", language))] + [
        (k.value, translate(f"event.kind.{k.value}", language)) for k in EventKind
    ]
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
        units=[(u.unit_id, unit_name(u, u.unit_id, language)) for u in units.values()],
        filter_query="".join(f"{quote(name)}={quote(value)}&" for name, value in filters.items() if value),
    )


# ---- one event -------------------------------------------------------------------------------------------------


def _audience_lines(event: Event, units: dict[str, Unit], language: str) -> list[str]:
    audience = event.audience
    lines = []
    if audience.scope is Audience.UNITS:
        names = [unit_name(units.get(unit_id), unit_id, language) for unit_id in sorted(audience.unit_ids)]
        separator = "、" if language == "zh" else ", "
        lines.append(translate("events.audience.units", language, units=separator.join(names)))
    elif audience.scope is Audience.OWN_UNIT:
        owner = unit_name(units.get(event.owner_unit_id), event.owner_unit_id, language)
        lines.append(translate("events.audience.own_unit", language, unit=owner))
    else:
        lines.append(translate("events.audience.all", language))
    if audience.gender is not None:
        lines.append(translate(f"events.audience.gender_{Gender(audience.gender).value}", language))
    if audience.min_age is not None and audience.max_age is not None:
        lines.append(translate("events.audience.age_range", language, min=audience.min_age, max=audience.max_age))
    elif audience.min_age is not None:
        lines.append(translate("events.audience.age_min", language, min=audience.min_age))
    elif audience.max_age is not None:
        lines.append(translate("events.audience.age_max", language, max=audience.max_age))
    return lines


def _scope_label(event: Event, scope: str, sessions: Mapping[str, EventSession | None], language: str) -> str:
    if scope == SERIES:
        return translate("events.scope.series", language)
    session = sessions.get(scope)
    when = _span(session.starts_at, session.ends_at, language) if session else scope
    return translate("events.scope.session", language, when=when)


# ---- how places are given out, pairs and teams -----------------------------------------------------------------


def _how_places(event: Event, language: str) -> list[str]:
    """How places are given out, in plain words (first come, approval, lottery; unit quotas and their release)."""
    if event.entry_type is EntryType.TEAM:
        lines = [translate("alloc.member.how.teams", language)]
    else:
        lines = [translate(f"alloc.member.how.{event.allocation.value}", language)]
    if event.quotas:
        lines.append(translate("alloc.member.how.quotas", language))
        if event.quota_release_at is not None:
            at = format_when(event.quota_release_at, language)
            lines.append(translate("alloc.member.how.quota_release", language, at=at))
    if event.allocation is Allocation.LOTTERY and event.lottery_priority_years:
        lines.append(translate("alloc.member.how.priority", language, years=event.lottery_priority_years))
    if event.entry_group and event.entry_group_limit:
        lines.append(translate("alloc.member.how.group", language, limit=event.entry_group_limit))
    return lines


def _pending_line(event: Event, language: str) -> str | None:
    """How many wait for a decision, where that means something: approval events, lotteries before the draw."""
    if event.allocation is Allocation.APPROVAL:
        return translate("alloc.member.pending.approval", language, count=event.pending_count)
    if event.allocation is Allocation.LOTTERY and event.lottery_drawn_at is None:
        return translate("alloc.member.pending.lottery", language, count=event.pending_count)
    return None


def _pair_lines(event: Event, language: str) -> list[str]:
    lines = [translate(f"alloc.member.pair.{PairGender(event.pair_rule.gender).value}", language)]
    if event.pair_rule.same_unit:
        lines.append(translate("alloc.member.pair.same_unit", language))
    return lines


def _partner_hint(event: Event, language: str) -> str:
    """The pair's rule and how a pairs entry works, under the partner field."""
    if event.entry_type is not EntryType.PAIR:
        return ""
    rules = ("；" if language == "zh" else "; ").join(_pair_lines(event, language))
    return rules + ("。" if language == "zh" else ". ") + translate("alloc.member.partner.hint", language)


def _team_lines(event: Event, language: str) -> list[str]:
    rule = event.team_rule
    lines = [
        translate("alloc.member.team.by_unit", language),
        translate("alloc.member.team.size", language, min=rule.min_size, max=rule.max_size, teams=rule.teams_per_unit),
    ]
    if rule.min_women or rule.min_men:
        lines.append(translate("alloc.member.team.mix", language, women=rule.min_women, men=rule.min_men))
    return lines


def _entry_lines(event: Event, language: str) -> list[str]:
    if event.entry_type is EntryType.PAIR:
        return _pair_lines(event, language)
    if event.entry_type is EntryType.TEAM:
        return _team_lines(event, language)
    return []


# ---- a member's registration as the pages word it ---------------------------------------------------------------


def _state_label(event: Event, registration: Registration, position: int | None, language: str) -> tuple[str, str]:
    """(label, tone) of a registration's state; a pair's partner sees the pair's state (the lead's registration)."""
    state = registration.state
    partner = registration.partner_name or registration.partner or ""
    if state is RegistrationState.CONFIRMED:
        return translate("my.state.confirmed", language), "ok"
    if state is RegistrationState.WAITING:
        key = "my.state.waiting" if position else "my.state.waiting_unknown"
        return translate(key, language, position=position), "warn"
    if state is RegistrationState.PENDING:
        lottery = event.allocation is Allocation.LOTTERY
        return translate(f"alloc.member.state.pending_{'lottery' if lottery else 'approval'}", language), "info"
    if state is RegistrationState.AWAITING_PARTNER:
        return translate("alloc.member.state.awaiting_partner", language, name=partner), "warn"
    if state is RegistrationState.INVITED:
        return translate("alloc.member.state.invited", language, name=partner), "info"
    if state is RegistrationState.PARTNER:
        return translate("alloc.member.state.partner", language, name=partner), "ok"
    if state is RegistrationState.REJECTED:
        if registration.reason == "not_drawn":
            return translate("alloc.member.state.not_drawn", language), "off"
        if registration.reason:
            return translate("alloc.member.state.rejected", language, reason=registration.reason), "bad"
        return translate("alloc.member.state.rejected_plain", language), "bad"
    return translate(f"my.state.{state.value}", language), "off"


# States of a pair's two registrations while the pair stands (the inviting member's, and the partner's).
_PAIRED = frozenset(
    {
        RegistrationState.CONFIRMED,
        RegistrationState.WAITING,
        RegistrationState.PENDING,
        RegistrationState.AWAITING_PARTNER,
        RegistrationState.PARTNER,
    }
)


class _Lookups:
    """Reads a page of registrations needs beyond the registrations themselves, each made once."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._names: dict[str, str] = {}
        self._teams: dict[tuple[str, str], Any] = {}

    def member_name(self, staff_no: str) -> str:
        if staff_no not in self._names:
            member = self.store.members.get(staff_no)
            self._names[staff_no] = member.name if member is not None else staff_no
        return self._names[staff_no]

    def team(self, event_id: str, team_id: str):
        key = (event_id, team_id)
        if key not in self._teams:
            self._teams[key] = self.store.teams.get(event_id, team_id)
        return self._teams[key]


def _state(
    lookups: _Lookups,
    event: Event,
    registration: Registration,
    position: int | None,
    at: datetime,
    language: str,
    viewer: str | None,
) -> dict[str, Any]:
    """A registration's state badge, what else it says (partner, team, who entered it, why it ended) and what the
    member may do about it (cancel, or answer a partner invitation)."""
    store = lookups.store
    state = registration.state
    shown, shown_position = registration, position
    if state is RegistrationState.PARTNER and registration.partner:
        # The pair's state is on the inviting member's registration: the partner sees the same as they do.
        lead = store.registrations.get(registration.event_id, registration.scope, registration.partner)
        if lead is not None and lead.state.active:
            shown, shown_position = lead, store.registrations.waiting_position(lead)
    label, tone = _state_label(event, shown, shown_position, language)
    badges: list[dict[str, str]] = []
    details: list[str] = []
    partner = registration.partner_name or registration.partner or ""
    paired = bool(partner) and state in _PAIRED
    if paired and state is not RegistrationState.AWAITING_PARTNER and shown.state is not RegistrationState.PARTNER:
        # The pair's state is the badge; who the partner is, a second one (a lone PARTNER label says it already).
        badges.append({"label": translate("alloc.member.state.partner", language, name=partner), "tone": "ok"})
    team_name = team_href = None
    if state is RegistrationState.TEAM:
        team = lookups.team(registration.event_id, registration.team_id) if registration.team_id else None
        team_name = team.name if team is not None else (registration.team_id or "")
        label, tone = translate("alloc.member.state.team", language, team=team_name), "ok"
        if team is not None:
            team_href = _team_path(registration.event_id, team.team_id)
        if team is not None and viewer and team.captain == viewer:
            details.append(translate("alloc.member.team.you_captain", language))
        details.append(translate("alloc.member.team.cancel_hint", language))
    if state is RegistrationState.REMOVED and registration.reason:
        details.append(translate("my.removed_reason", language, reason=registration.reason))
    if state is RegistrationState.CANCELLED and registration.reason == "partner_declined":
        details.append(translate("alloc.member.partner_declined", language, name=partner))
    if registration.added_by and registration.added_by != viewer:
        details.append(translate("alloc.member.added_by", language, name=lookups.member_name(registration.added_by)))
    invitation = None
    if state is RegistrationState.INVITED:
        path = _event_path(registration.event_id)
        invitation = {
            "confirm_action": path + "/partner/confirm",
            "decline_action": path + "/partner/decline",
            "can_confirm": registration_phase(event, at) is RegistrationPhase.OPEN,
            "decline_confirm": translate("alloc.member.decline_confirm", language, name=partner),
        }
    can_cancel = False
    if state.active and state is not RegistrationState.INVITED:
        # The cancel request's own rule (an invitation is declined instead, a team player's hint is above).
        refusal = registration_service.cancel_refusal(store, event, registration, at)
        can_cancel = refusal is None
        if refusal == "already_checked_in":
            details.append(translate("events.checked_in_no_cancel", language))
    return {
        "state": state.value,
        "state_label": label,
        "tone": tone,
        "active": state.active,
        "position": position,
        "promoted": shown.promoted_at is not None and shown.state is RegistrationState.CONFIRMED,
        "badges": badges,
        "details": details,
        "invitation": invitation,
        "can_cancel": can_cancel,
        "cancel_confirm": translate(_cancel_confirm(state, paired), language),
        "team": team_name,
        "team_href": team_href,
    }


def _cancel_confirm(state: RegistrationState, paired: bool) -> str:
    """The question before cancelling: a pair goes as a whole; a pending application holds no place to give up."""
    if paired:
        return "alloc.member.cancel_pair_confirm"
    if state is RegistrationState.PENDING:
        return "alloc.member.cancel_pending_confirm"
    return "events.cancel_confirm"


def _registration_rows(
    store: Store,
    event: Event,
    registrations: list[Registration],
    sessions: dict[str, EventSession],
    at: datetime,
    language: str,
    viewer: str | None,
) -> list[dict[str, Any]]:
    """A member's registrations for one event as the pages show them: scope, state badge, cancel button."""
    lookups = _Lookups(store)
    rows = []
    for registration in registrations:
        position = store.registrations.waiting_position(registration)
        rows.append(
            {
                "scope": registration.scope,
                "scope_label": _scope_label(event, registration.scope, sessions, language),
                **_state(lookups, event, registration, position, at, language, viewer),
            }
        )
    return rows


def _scopes(event: Event, sessions: list[EventSession]) -> list[str]:
    return [SERIES] + ([s.session_id for s in sessions] if event.single_sessions else [])


def _blocked(
    store: Store,
    principal: Principal,
    event: Event,
    at: datetime,
    free_scopes: list[str],
    language: str,
) -> str | None:
    """Why the principal cannot register now (None: they can). Anonymous visitors are only told about the phase."""
    if event.entry_type is EntryType.TEAM:
        return translate("team_event", language)
    phase = registration_phase(event, at)
    if phase is RegistrationPhase.NOT_YET:
        opens_at = event.registration_opens_at
        return translate("events.not_yet", language, at=format_when(opens_at, language) if opens_at else "")
    if phase is not RegistrationPhase.OPEN:
        return translate(f"registration_{phase.value}", language)
    if not principal.signed_in:
        return None
    member = store.members.get(principal.member_no)
    reason = "member_left" if member is None else ineligibility(event, member)
    if reason:
        return translate(f"ineligible_{reason}", language)
    if not free_scopes:
        return translate("events.already", language)
    if free_scopes == [SERIES] and _first_come(event):
        full = placement(event.capacity, event.confirmed_count, event.waiting_count, event.waiting_list)
        if full is Placement.FULL:
            return translate("events.full", language)
    return None


def _first_come(event: Event) -> bool:
    """Whether a registration takes a place (or the waiting list) at once: approval and undrawn lotteries pend."""
    if event.allocation is Allocation.APPROVAL:
        return False
    return not (event.allocation is Allocation.LOTTERY and event.lottery_drawn_at is None)


def _will_wait(event: Event, free_scopes: list[str]) -> bool:
    if not _first_come(event):
        return False
    decision = placement(event.capacity, event.confirmed_count, event.waiting_count, event.waiting_list)
    return free_scopes == [SERIES] and decision is Placement.WAITING


def _register_label(event: Event, will_wait: bool, language: str) -> str:
    if event.allocation is Allocation.LOTTERY:
        return translate("alloc.member.register.lottery", language)
    if event.entry_type is EntryType.PAIR:
        return translate("alloc.member.register.pair", language)
    if event.allocation is Allocation.APPROVAL:
        return translate("alloc.member.register.approval", language)
    return translate("events.register_waiting" if will_wait else "events.register", language)


def _window(event: Event, language: str) -> str:
    closes = format_when(event.registration_closes_at or event.starts_at, language)
    if event.registration_opens_at is None:
        return translate("events.window.until", language, closes=closes)
    opens = format_when(event.registration_opens_at, language)
    return translate("events.window.between", language, opens=opens, closes=closes)


def _lottery_summary(event: Event, at: datetime, language: str) -> dict[str, Any] | None:
    """The commitment and where the draw stands, for a lottery event's page."""
    if event.allocation is not Allocation.LOTTERY:
        return None
    closes = event.registration_closes_at or event.starts_at
    if event.lottery_drawn_at is not None:
        status = translate("alloc.member.lottery.drawn_on", language, at=format_when(event.lottery_drawn_at, language))
    else:
        status = translate("alloc.member.lottery.draw_after", language, at=format_when(closes, language))
    return {"commitment": event.lottery_commitment, "status": status, "href": _event_path(event.event_id) + "/lottery"}


def _team_path(event_id: str, team_id: str) -> str:
    return f"{_event_path(event_id)}/teams/{quote(team_id, safe='')}"


def _own_teams(store: Store, principal: Principal, event: Event, units: dict[str, Unit], language: str):
    """The teams of a team event the signed-in member plays in or captains, each as a line and a link."""
    if not principal.signed_in:
        return []
    from chalicelib.services import teams as team_service  # team events only

    own = []
    for team in team_service.teams_for(store, principal, event):
        if team.state is not TeamState.ENTERED:
            continue
        if principal.staff_no not in team.roster and team.captain != principal.staff_no:
            continue
        unit = unit_name(units.get(team.unit_id), team.unit_id, language)
        key = "alloc.member.team.yours" if principal.staff_no in team.roster else "alloc.member.team.captain_of"
        text = translate(key, language, team=team.name, unit=unit, count=len(team.roster))
        own.append({"text": text, "href": _team_path(event.event_id, team.team_id)})
    return own


@routes.route("/events/{event_id}", access=Access.PUBLIC)
def event_page(principal: Principal, event_id: str):
    language = routes.language()
    store, at = get_store(), now()
    event = registration_service.visible_event(store, principal, event_id)
    units = _units(store)
    sessions = store.sessions.for_event(event.event_id)
    by_id = {s.session_id: s for s in sessions}
    mine: list[Registration] = []
    if principal.signed_in:
        mine = store.registrations.of_member_for_event(event.event_id, principal.member_no, _scopes(event, sessions))
    taken = {r.scope for r in mine if r.state.active}
    free_scopes = [scope for scope in _scopes(event, sessions) if scope not in taken]
    path = _event_path(event.event_id)
    facts = {
        "title": _title(event, language),
        "kind": translate(f"event.kind.{event.kind.value}", language),
        "status": _status(event, at, language),
        "description": _description(event, language),
        "when": _span(event.starts_at, event.ends_at, language),
        "venue": event.venue,
        "campus": event.campus,
        "contact": event.contact,
        "organiser": unit_name(units.get(event.owner_unit_id), event.owner_unit_id, language),
        "places": _event_places(event, language),
        "counts": translate(
            "events.counts.limited" if event.capacity is not None else "events.counts.unlimited",
            language,
            capacity=event.capacity,
            confirmed=event.confirmed_count,
            waiting=event.waiting_count,
        ),
        "pending": _pending_line(event, language),
        "how": _how_places(event, language),
        "entry": _entry_lines(event, language),
        "window": _window(event, language),
        "cancel_deadline": format_when(event.cancel_deadline, language)
        if event.cancel_deadline
        else translate("events.cancel_until_start", language),
        "audience": _audience_lines(event, units, language),
        "waiting_list": event.waiting_list,
    }
    session_rows = [
        {
            "number": number,
            "when": _span(s.starts_at, s.ends_at, language),
            "venue": s.venue or event.venue,
            "places": _session_places(event, s, language) if event.single_sessions else None,
        }
        for number, s in enumerate(sessions, start=1)
    ]
    blocked = _blocked(store, principal, event, at, free_scopes, language)
    invited = any(r.state is RegistrationState.INVITED for r in mine)
    if invited:
        blocked = translate("alloc.member.answer_invitation", language)
    will_wait = _will_wait(event, free_scopes)
    team_event = event.entry_type is EntryType.TEAM
    return routes.show(
        "event_page.html",
        principal,
        event_id=event.event_id,
        facts=facts,
        sessions=session_rows,
        single_sessions=event.single_sessions,
        share_url=_absolute_url(path),
        poster_href=path + "/poster",
        register_href=path + "/register",
        register_label=_register_label(event, will_wait, language),
        cancel_action=path + "/cancel",
        signin_href="/signin?next=" + quote(path + "/register", safe="/"),
        mine=_registration_rows(store, event, mine, by_id, at, language, principal.staff_no),
        blocked=blocked,
        blocked_tone="info" if invited else "bad",
        will_wait=will_wait,
        team_event=team_event,
        own_teams=_own_teams(store, principal, event, units, language) if team_event else [],
        lottery=_lottery_summary(event, at, language),
        competition_href=_competition_href(store, event),
    )


def _competition_href(store: Store, event: Event) -> str | None:
    """The competition page, once an event that has one (a tournament, meet or contest) has published it."""
    if event.format not in COMPETITION_FORMATS:
        return None  # no read for the other events
    found = store.competitions.setup_version(event.event_id)
    return _event_path(event.event_id) + "/competition" if found and found[0].get("published") else None


# ---- the poster ------------------------------------------------------------------------------------------------


@routes.route("/events/{event_id}/poster", access=Access.PUBLIC)
def event_poster(principal: Principal, event_id: str):
    from markupsafe import Markup  # comes with jinja2, which renders the page anyway

    language = routes.language()
    store = get_store()
    event = registration_service.visible_event(store, principal, event_id)
    units = _units(store)
    path = _event_path(event.event_id)
    url = _absolute_url(path)
    description = _description(event, language)
    if len(description) > POSTER_DESCRIPTION_LENGTH:
        description = description[: POSTER_DESCRIPTION_LENGTH - 1].rstrip() + "…"
    return routes.show(
        "event_poster.html",
        principal,
        title=_title(event, language),
        kind=translate(f"event.kind.{event.kind.value}", language),
        when=_span(event.starts_at, event.ends_at, language),
        venue=event.venue,
        campus=event.campus,
        contact=event.contact,
        organiser=unit_name(units.get(event.owner_unit_id), event.owner_unit_id, language),
        places=_event_places(event, language),
        window=_window(event, language),
        audience=_audience_lines(event, units, language),
        description=description,
        url=url,
        event_href=path,
        # Generated from the URL by the qrcode library: paths only, no text of anyone's.
        qr=Markup(qr_svg(url)),
    )


# ---- registering -----------------------------------------------------------------------------------------------


def _label(question: Question, language: str) -> str:
    return question.label_zh if language == "zh" else (question.label_en or question.label_zh)


def _option_label(question: Question, option_id: str, language: str) -> str:
    for option in question.options:
        if option.option_id == option_id:
            return option.label_zh if language == "zh" else (option.label_en or option.label_zh)
    return option_id


def _show_if_hint(question: Question, by_id: dict[str, Question], language: str) -> str | None:
    rule = question.show_if
    parent = by_id.get(rule.question_id) if rule else None
    if rule is None or parent is None:
        return None
    if parent.kind is QuestionKind.YES_NO:
        words = [translate(f"events.form.{value}", language) for value in rule.values if value in ("yes", "no")]
    else:
        words = [_option_label(parent, value, language) for value in rule.values]
    separator = "、" if language == "zh" else ", "
    return translate("events.form.show_if", language, parent=_label(parent, language), values=separator.join(words))


def _question_views(
    event: Event,
    scopes: list[str],
    scope: str,
    values: dict[str, list[str]],
    errors: dict[str, str],
    option_use: dict[str, int],
    language: str,
) -> list[dict[str, Any]]:
    by_id = {q.question_id: q for q in event.form}
    views = []
    for question in event.form:
        qid, kind = question.question_id, QuestionKind(question.kind)
        given = values.get(qid, [])
        options = []
        for option in question.options:
            full_in = [
                s
                for s in scopes
                if option.limit is not None and option_use.get(f"{s}#{qid}#{option.option_id}", 0) >= option.limit
            ]
            options.append(
                {
                    "id": option.option_id,
                    "label": _option_label(question, option.option_id, language),
                    "full_in": " ".join(full_in),
                    "full": scope in full_in,
                    "chosen": option.option_id in given,
                }
            )
        maxlength = question.max_length or (2000 if kind is QuestionKind.LONG_TEXT else 200)
        hints = []
        if kind is QuestionKind.NUMBER:
            low, high = _number(question.min_value), _number(question.max_value)
            if low and high:
                hints.append(translate("events.form.range", language, min=low, max=high))
            elif low:
                hints.append(translate("events.form.range_min", language, min=low))
            elif high:
                hints.append(translate("events.form.range_max", language, max=high))
        if kind is QuestionKind.MULTIPLE_CHOICE and question.max_choices:
            hints.append(translate("events.form.choose_up_to", language, max=question.max_choices))
        show_if = _show_if_hint(question, by_id, language)
        if show_if:
            hints.append(show_if)
        views.append(
            {
                "id": qid,
                "name": ANSWER_PREFIX + qid,
                "kind": kind.value,
                "label": _label(question, language),
                "required": question.required,
                "parent": question.show_if.question_id if question.show_if else "",
                "show_values": " ".join(question.show_if.values) if question.show_if else "",
                "value": given[0] if given else "",
                "options": options,
                "min": _number(question.min_value),
                "max": _number(question.max_value),
                "step": "1" if question.integer else "any",
                "maxlength": maxlength,
                "max_choices": question.max_choices or "",
                "hint": " ".join(hints),
                "error": errors.get(qid),
            }
        )
    return views


def _raw_answers(event: Event, fields: dict[str, list[str]]) -> dict[str, Any]:
    kinds = {q.question_id: QuestionKind(q.kind) for q in event.form}
    raw: dict[str, Any] = {}
    for name, given in fields.items():
        if not name.startswith(ANSWER_PREFIX):
            continue
        qid = name.removeprefix(ANSWER_PREFIX)
        raw[qid] = given if kinds.get(qid) is QuestionKind.MULTIPLE_CHOICE else given[0]
    return raw


def _problem_message(problem: Mapping[str, Any], language: str) -> str:
    code = str(problem.get("type", "")).removeprefix("answer_")
    params = dict(problem.get("ctx") or {})
    if code == "out_of_range":
        low, high = _number(params.get("min")), _number(params.get("max"))
        if low and high:
            return translate("events.answer.out_of_range", language, min=low, max=high)
        if low or high:
            key = "events.answer.too_small" if low else "events.answer.too_big"
            return translate(key, language, min=low, max=high)
        return translate("events.answer.not_a_number", language)
    key = f"events.answer.{code}"
    return translate(key if key in _ANSWER_CODES else "events.answer.invalid", language, **params)


_ANSWER_CODES = frozenset(
    f"events.answer.{code}"
    for code in (
        "required",
        "hidden_question",
        "unknown_question",
        "bad_type",
        "too_long",
        "not_a_number",
        "not_whole",
        "unknown_option",
        "too_many_choices",
        "bad_date",
        "bad_yes_no",
    )
)


# Where a problem with the partner field is kept among the questions' problems: no question id looks like it.
PARTNER_FIELD = "#partner"


def _partner_message(problem: Mapping[str, Any], language: str) -> str:
    """A problem with the partner 工号 of a pairs entry (no such member, the pair's rule, the audience)."""
    code = str(problem.get("type", ""))
    if code == "missing":
        return translate("alloc.member.partner.missing", language)
    key = f"field.{code}"
    return translate(key if key in MESSAGES else "events.answer.invalid", language, **dict(problem.get("ctx") or {}))


def _answer_errors(error: InvalidInput, event: Event, language: str) -> tuple[dict[str, str], list[str]]:
    """Problems next to their questions (and the partner field, under ``PARTNER_FIELD``), and those with no field on
    the form (shown above it)."""
    known = {q.question_id for q in event.form}
    errors: dict[str, str] = {}
    general: list[str] = []
    for problem in error.problems:
        location = tuple(problem.get("loc") or ())
        if location == ("partner",):
            errors.setdefault(PARTNER_FIELD, _partner_message(problem, language))
            continue
        message = _problem_message(problem, language)
        if len(location) == 2 and location[0] == "answers" and location[1] in known:
            errors.setdefault(str(location[1]), message)
        else:
            general.append(message)
    return errors, general


def _refusal(error: Conflict | Forbidden, event: Event, language: str) -> tuple[str, dict[str, str]]:
    """The message for a refused registration, and the question it concerns (a full option)."""
    if error.code == "option_full":
        question = next((q for q in event.form if q.question_id == error.params.get("question")), None)
        if question is not None:
            option = _option_label(question, str(error.params.get("option")), language)
            message = translate("option_full", language, question=_label(question, language), option=option)
            return message, {question.question_id: message}
    message = translate(error.code, language, **error.params)
    if error.code in ("partner_already_entered", "partner_entry_group_limit"):
        return message, {PARTNER_FIELD: message}
    return message, {}


@routes.route("/events/{event_id}/register", methods=("GET", "POST"), access=Access.MEMBER)
def register(principal: Principal, event_id: str):
    request = routes.current_request
    language = routes.language()
    store, at = get_store(), now()
    event = registration_service.visible_event(store, principal, event_id)
    sessions = store.sessions.for_event(event.event_id)
    by_id = {s.session_id: s for s in sessions}
    scopes = _scopes(event, sessions)
    mine = store.registrations.of_member_for_event(event.event_id, principal.member_no, scopes)
    taken = {r.scope for r in mine if r.state.active}
    free_scopes = [scope for scope in scopes if scope not in taken]
    limited = any(option.limit is not None for q in event.form for option in q.options)
    path = _event_path(event.event_id)

    def show(
        status: int = 200,
        *,
        scope: str | None = None,
        values: dict[str, list[str]] | None = None,
        errors: dict[str, str] | None = None,
        message: str | None = None,
        blocked: str | None = None,
        partner: str = "",
    ):
        chosen = scope if scope in free_scopes else (free_scopes[0] if free_scopes else SERIES)
        errors = dict(errors or {})
        partner_error = errors.pop(PARTNER_FIELD, None)
        will_wait = _will_wait(event, free_scopes)
        individual_first_come = _first_come(event) and event.entry_type is EntryType.INDIVIDUAL
        option_use = store.registrations.option_use(event.event_id) if limited else {}
        scope_choices = [
            {
                "value": s,
                "label": _scope_label(event, s, by_id, language),
                "places": _event_places(event, language) if s == SERIES else _session_places(event, by_id[s], language),
                "chosen": s == chosen,
            }
            for s in free_scopes
        ]
        return routes.show(
            "event_register.html",
            principal,
            status,
            title=_title(event, language),
            when=_span(event.starts_at, event.ends_at, language),
            venue=event.venue,
            event_href=path,
            action=path + "/register",
            questions=_question_views(event, scopes, chosen, values or {}, errors, option_use, language),
            scope_choices=scope_choices if event.single_sessions and len(scopes) > 1 else [],
            scope=chosen,
            will_wait=will_wait,
            message=message,
            blocked=blocked,
            how=_how_places(event, language) if not individual_first_come or event.quotas else [],
            pair=event.entry_type is EntryType.PAIR,
            partner_hint=_partner_hint(event, language),
            partner=partner,
            partner_error=partner_error,
            submit_label=translate("events.form.submit", language)
            if individual_first_come
            else _register_label(event, will_wait, language),
        )

    if request.method == "GET":
        return show(blocked=_blocked(store, principal, event, at, free_scopes, language))
    fields = read_form_lists(routes.current_request, MAX_REGISTRATION_FIELDS)
    scope = _scope_ok((fields.get("scope") or [SERIES])[0])
    raw = _raw_answers(event, fields)
    shown = {qid: value if isinstance(value, list) else [value] for qid, value in raw.items()}
    pair = event.entry_type is EntryType.PAIR
    partner = (fields.get("partner") or [""])[0].strip()[:MAX_STAFF_NO] if pair else ""
    try:
        registration_service.register(store, principal, event.event_id, scope, raw, at, partner=partner or None)
    except InvalidInput as error:
        errors, general = _answer_errors(error, event, language)
        message = " ".join([translate("events.form.fix", language), *general])
        return show(400, scope=scope, values=shown, errors=errors, message=message, partner=partner)
    except (Conflict, Forbidden) as error:
        message, errors = _refusal(error, event, language)
        if errors or (error.code == "event_full" and event.single_sessions):
            # Another choice may do: the form again, with the answers kept.
            return show(error.status, scope=scope, values=shown, errors=errors, message=message, partner=partner)
        return show(error.status, blocked=message)
    return redirect(f"/me/registrations?{urlencode({'done': event.event_id})}")


@routes.route("/events/{event_id}/cancel", methods=("POST",), access=Access.MEMBER)
def cancel(principal: Principal, event_id: str):
    form = read_form(routes.current_request)
    scope = _scope_ok(form.get("scope") or SERIES)
    registration_service.cancel(get_store(), principal, event_id, scope, now())
    return redirect(f"/me/registrations?{urlencode({'cancelled': event_id})}")


# ---- partner invitations ----------------------------------------------------------------------------------------


@routes.route("/events/{event_id}/partner/confirm", methods=("POST",), access=Access.MEMBER)
def confirm_partner(principal: Principal, event_id: str):
    registration_service.confirm_partner(get_store(), principal, event_id, now())
    return redirect(f"/me/registrations?{urlencode({'confirmed': event_id})}")


@routes.route("/events/{event_id}/partner/decline", methods=("POST",), access=Access.MEMBER)
def decline_partner(principal: Principal, event_id: str):
    registration_service.decline_partner(get_store(), principal, event_id, now())
    return redirect(f"/me/registrations?{urlencode({'declined': event_id})}")


# ---- the lottery ------------------------------------------------------------------------------------------------
#
# Who sees what: the commitment, the seed and the counts are public (on the event page too): they say nothing about
# anyone, and a draw is only worth checking if anybody can check it. The applicant list names people by 工号, which
# is personal data inside the university: it and the JSON download are for signed-in members only, as the JSON
# API's GET /api/events/{id}/draw is. Names are never published, only 工号, units and priority tiers.


def _lottery_event(store: Store, principal: Principal, event_id: str) -> Event:
    event = registration_service.visible_event(store, principal, event_id)
    if event.allocation is not Allocation.LOTTERY:
        raise NotFound()
    return event


def _draw_filename(event: Event) -> str:
    return "draw-" + re.sub(r"[^A-Za-z0-9_-]", "", event.event_id) + ".json"


def _own_draw(event: Event, data: dict[str, Any], order: list[Applicant], staff_no: str, language: str):
    """The signed-in member's result, rank and draw key, or None when they did not apply."""
    rank = next((number for number, a in enumerate(order, start=1) if a.staff_no == staff_no), None)
    if rank is None:
        return None
    applicant = order[rank - 1]
    if staff_no in data["winners"]:
        result, tone = translate("alloc.member.lottery.you_won", language), "ok"
    elif staff_no in data["waiting"] and event.waiting_list:
        position = data["waiting"].index(staff_no) + 1
        result, tone = translate("alloc.member.lottery.you_wait", language, position=position), "warn"
    else:
        result, tone = translate("alloc.member.lottery.you_lost", language), "off"
    return {
        "result": result,
        "tone": tone,
        "rank": translate("alloc.member.lottery.your_rank", language, rank=rank, count=len(order), tier=applicant.tier),
        "key_label": translate("alloc.member.lottery.your_key", language, staff_no=staff_no),
        "key": draw_key(data["seed"], staff_no),
    }


def _draw_rows(event: Event, data: dict[str, Any], order: list[Applicant], units: dict[str, Unit], viewer: str, lang):
    winners = set(data["winners"])
    waiting = {staff_no: number for number, staff_no in enumerate(data["waiting"], start=1)}
    rows = []
    for rank, applicant in enumerate(order[:LISTED_DRAW], start=1):
        if applicant.staff_no in winners:
            result, tone = translate("alloc.member.lottery.result.won", lang), "ok"
        elif applicant.staff_no in waiting and event.waiting_list:
            position = waiting[applicant.staff_no]
            result, tone = translate("alloc.member.lottery.result.waiting", lang, position=position), "warn"
        else:
            result, tone = translate("alloc.member.lottery.result.not_drawn", lang), "off"
        rows.append(
            {
                "rank": rank,
                "staff_no": applicant.staff_no,
                "unit": unit_name(units.get(applicant.unit_id), applicant.unit_id, lang),
                "tier": applicant.tier,
                "key": draw_key(data["seed"], applicant.staff_no)[:16],
                "result": result,
                "tone": tone,
                "mine": applicant.staff_no == viewer,
            }
        )
    return rows


@routes.route("/events/{event_id}/lottery", access=Access.PUBLIC)
def lottery_page(principal: Principal, event_id: str):
    language = routes.language()
    store, at = get_store(), now()
    event = _lottery_event(store, principal, event_id)
    drawn = lottery_service.published(store, event)
    data = drawn.data
    path = _event_path(event.event_id)
    # What was shown before the draw: the event's commitment (the sealed draw's is the same).
    commitment = event.lottery_commitment or drawn.commitment or ""
    units = _units(store)
    context: dict[str, Any] = {
        "title": _title(event, language),
        "event_href": path,
        "commitment": commitment,
        "closes": format_when(event.registration_closes_at or event.starts_at, language),
        "phase_open": registration_phase(event, at) is RegistrationPhase.OPEN,
        "how": _how_places(event, language),
        "json_href": path + "/lottery.json",
        "signin_href": "/signin?next=" + quote(path + "/lottery", safe="/"),
        "file": _draw_filename(event),
        "command": f"python -m devtools.verify_lottery {_draw_filename(event)} --commitment {commitment}",
        "drawn": data is not None,
        "mine": None,
        "order": [],
        "more": 0,
    }
    if data is None:
        context.update(applicants=event.pending_count, places=event.capacity)
        return routes.show("event_lottery.html", principal, **context)
    applicants = [Applicant(a["staff_no"], a["unit_id"], int(a["tier"])) for a in data["applicants"]]
    order = draw_order(data["seed"], applicants)
    unit_of = {a.staff_no: a.unit_id for a in applicants}
    drawn_per_unit = Counter(unit_of[staff_no] for staff_no in data["winners"])
    quotas = [
        (unit_name(units.get(unit_id), unit_id, language), quota, drawn_per_unit[unit_id])
        for unit_id, quota in sorted((data.get("quotas") or {}).items())
    ]
    context.update(
        applicants=len(applicants),
        places=data["capacity"],
        winners=len(data["winners"]),
        waiting=len(data["waiting"]),
        waiting_list=event.waiting_list,
        drawn_at=format_when(drawn.drawn_at, language) if drawn.drawn_at else "",
        seed=data["seed"],
        applicants_sha256=data["applicants_sha256"],
        quotas=quotas,
    )
    if principal.signed_in:
        context.update(
            mine=_own_draw(event, data, order, principal.member_no, language),
            order=_draw_rows(event, data, order, units, principal.member_no, language),
            more=max(len(order) - LISTED_DRAW, 0),
        )
    return routes.show("event_lottery.html", principal, **context)


@routes.route("/events/{event_id}/lottery.json", access=Access.MEMBER)
def lottery_json(principal: Principal, event_id: str):
    """The published draw as a file, for ``python -m devtools.verify_lottery`` (members only: it lists 工号)."""
    store = get_store()
    event = _lottery_event(store, principal, event_id)
    data = lottery_service.published(store, event).data
    if data is None:
        raise NotFound()
    filename = _draw_filename(event)
    return Response(
        body=json.dumps(data, ensure_ascii=False, indent=2) + "\n",
        status_code=200,
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


# ---- my registrations and notifications -------------------------------------------------------------------------


def _done_notice(event: Event, current: Registration | None, position: int | None, language: str) -> str:
    """What the member is told after registering, by where the registration went."""
    title = _title(event, language)
    if current is None:
        return translate("my.done", language, title=title)
    if current.state is RegistrationState.WAITING:
        return translate("my.done_waiting", language, title=title, position=position or "?")
    if current.state is RegistrationState.PENDING:
        lottery = event.allocation is Allocation.LOTTERY
        return translate(f"alloc.member.done.{'lottery' if lottery else 'approval'}", language, title=title)
    if current.state is RegistrationState.AWAITING_PARTNER:
        name = current.partner_name or current.partner or ""
        return translate("alloc.member.done.invited", language, title=title, name=name)
    return translate("my.done", language, title=title)


@routes.route("/me/registrations", access=Access.MEMBER)
def my_registrations(principal: Principal):
    language = routes.language()
    store, at = get_store(), now()
    mine = registration_service.my_registrations(store, principal)
    done, cancelled, confirmed, declined = (
        value if _EVENT_ID.fullmatch(value) else ""
        for value in (routes.query(key) or "" for key in ("done", "cancelled", "confirmed", "declined"))
    )
    # The member index lags a write by a moment: read the event just registered for (or left) directly.
    for event_id in {done, cancelled, confirmed, declined} - {""}:
        scopes = [SERIES] + [session.session_id for session in store.sessions.for_event(event_id)]
        fresh = store.registrations.of_member_for_event(event_id, principal.member_no, scopes)
        keys = {(r.event_id, r.scope) for r in fresh}
        mine = [(r, store.registrations.waiting_position(r)) for r in fresh] + [
            (r, position) for r, position in mine if (r.event_id, r.scope) not in keys
        ]
    # Invitations waiting for an answer first; otherwise newest first, as read.
    mine.sort(key=lambda pair: pair[0].state is not RegistrationState.INVITED)
    event_ids = {r.event_id for r, _ in mine}
    events = store.events.get_many(event_ids) if event_ids else {}
    sessions: dict[tuple[str, str], EventSession | None] = {}
    lookups = _Lookups(store)
    rows = []
    for registration, position in mine:
        event = events.get(registration.event_id)
        if event is None:
            continue
        scope_sessions = {}
        if registration.scope != SERIES:
            key = (registration.event_id, registration.scope)
            if key not in sessions:
                sessions[key] = store.sessions.get(*key)
            if sessions[key] is not None:
                scope_sessions[registration.scope] = sessions[key]
        rows.append(
            {
                "event_href": _event_path(event.event_id),
                "cancel_action": _event_path(event.event_id) + "/cancel",
                "title": _title(event, language),
                "when": _span(event.starts_at, event.ends_at, language),
                "venue": event.venue,
                "scope": registration.scope,
                "scope_label": _scope_label(event, registration.scope, scope_sessions, language),
                # A place held has a QR code to show at the door (chalicelib.web.ticket_pages).
                "ticket_href": f"/me/tickets/{quote(event.event_id, safe='')}/{quote(registration.scope, safe='')}"
                if registration.state in ADMITTING_STATES
                else None,
                **_state(lookups, event, registration, position, at, language, principal.staff_no),
            }
        )
    notice = None
    if done in events:
        current = next((r for r, _ in mine if r.event_id == done and r.state.active), None)
        position = next((p for r, p in mine if r is current), None)
        notice = _done_notice(events[done], current, position, language)
    elif cancelled in events:
        notice = translate("my.cancelled", language, title=_title(events[cancelled], language))
    elif confirmed in events:
        current = next((r for r, _ in mine if r.event_id == confirmed and r.state.active), None)
        name = (current.partner_name or current.partner or "") if current else ""
        notice = translate("alloc.member.confirmed", language, title=_title(events[confirmed], language), name=name)
    elif declined in events:
        notice = translate("alloc.member.declined", language, title=_title(events[declined], language))
    return routes.show("my_registrations.html", principal, rows=rows, notice=notice)


@routes.route("/me/notifications", access=Access.MEMBER)
def my_notifications(principal: Principal):
    language = routes.language()
    found = get_store().notifications.for_member(principal.member_no)
    rows = [
        {
            "text": notification_text(n, language),
            "at": n.at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M"),
            "kind": n.kind.value,
            "event_href": _event_path(n.event_id) if n.event_id else None,  # account notices have no event
        }
        for n in found
    ]
    return routes.show("my_notifications.html", principal, rows=rows)
