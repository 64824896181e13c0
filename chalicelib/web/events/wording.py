"""How members' event pages word an event and a registration: places, status, how places are given out, pairs
and teams, a registration's state badge and what the member may do about it, why they cannot register.

Pure wording of records (chalicelib.services.event_views reads them); every message id written out in a table.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.event_rules import Placement, RegistrationPhase, displayed_status, placement, registration_phase
from chalicelib.domain.language import localized
from chalicelib.domain.records import (
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
    Team,
    Unit,
)
from chalicelib.i18n import N_, translate
from chalicelib.services.event_views import RegistrationView
from chalicelib.services.organisation_views import unit_name
from chalicelib.web.member_labels import EVENT_KIND
from chalicelib.web.render import format_when

_STATUS_TONES = {
    EventStatus.REGISTRATION_OPEN: "ok",
    EventStatus.PUBLISHED: "info",
    EventStatus.RUNNING: "info",
    EventStatus.REGISTRATION_CLOSED: "off",
    EventStatus.FINISHED: "off",
    EventStatus.CANCELLED: "bad",
    EventStatus.DRAFT: "off",
}
_STATUS_LABELS = {
    EventStatus.DRAFT: N_("events.status.draft"),
    EventStatus.PUBLISHED: N_("events.status.published"),
    EventStatus.REGISTRATION_OPEN: N_("events.status.registration_open"),
    EventStatus.REGISTRATION_CLOSED: N_("events.status.registration_closed"),
    EventStatus.RUNNING: N_("events.status.running"),
    EventStatus.FINISHED: N_("events.status.finished"),
    EventStatus.CANCELLED: N_("events.status.cancelled"),
}
_GENDER_LINES = {Gender.FEMALE: N_("events.audience.gender_F"), Gender.MALE: N_("events.audience.gender_M")}
_HOW = {
    Allocation.FIRST_COME: N_("alloc.member.how.first_come"),
    Allocation.APPROVAL: N_("alloc.member.how.approval"),
    Allocation.LOTTERY: N_("alloc.member.how.lottery"),
}
_PAIR_LINES = {
    PairGender.ANY: N_("alloc.member.pair.any"),
    PairGender.SAME: N_("alloc.member.pair.same"),
    PairGender.MIXED: N_("alloc.member.pair.mixed"),
}
_PHASE_REFUSALS = {
    RegistrationPhase.UNAVAILABLE: N_("registration_unavailable"),
    RegistrationPhase.CLOSED: N_("registration_closed"),
}
_INELIGIBLE = {
    "member_left": N_("ineligible_member_left"),
    "audience_unit": N_("ineligible_audience_unit"),
    "audience_gender": N_("ineligible_audience_gender"),
    "audience_age": N_("ineligible_audience_age"),
}
_ENDED_LABELS = {
    RegistrationState.CANCELLED: N_("my.state.cancelled"),
    RegistrationState.REMOVED: N_("my.state.removed"),
}


def title(event: Event, language: str) -> str:
    return localized(event, "title", language)


def description(event: Event, language: str) -> str:
    return localized(event, "description", language)


def kind_label(kind: EventKind, language: str) -> str:
    return translate(EVENT_KIND[kind], language)


def event_path(event_id: str) -> str:
    return f"/events/{quote(event_id, safe='')}"


def team_path(event_id: str, team_id: str) -> str:
    return f"{event_path(event_id)}/teams/{quote(team_id, safe='')}"


def organiser(event: Event, units: dict[str, Unit], language: str) -> str:
    return unit_name(units.get(event.owner_unit_id), event.owner_unit_id, language)


def number(value: float | None) -> str:
    if value is None:
        return ""
    as_float = float(value)
    return str(int(as_float)) if as_float.is_integer() else str(as_float)


def span(starts_at: datetime, ends_at: datetime, language: str) -> str:
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
    return translate(N_("events.places.full_waiting") if waiting_list else N_("events.places.full"), language)


def event_places(event: Event, language: str) -> str:
    return _places(event.capacity, event.confirmed_count, event.waiting_count, event.waiting_list, language)


def session_places(event: Event, session: EventSession, language: str) -> str:
    return _places(session.capacity, session.confirmed_count, session.waiting_count, event.waiting_list, language)


def status(event: Event, at: datetime, language: str) -> dict[str, str]:
    shown = displayed_status(event, at)
    return {"label": translate(_STATUS_LABELS[shown], language), "tone": _STATUS_TONES.get(shown, "off")}


def list_separator(language: str) -> str:
    """Between the items of a list in a sentence."""
    return "、" if language == "zh" else ", "


def audience_lines(event: Event, units: dict[str, Unit], language: str) -> list[str]:
    audience = event.audience
    lines = []
    if audience.scope is Audience.UNITS:
        names = [unit_name(units.get(unit_id), unit_id, language) for unit_id in sorted(audience.unit_ids)]
        lines.append(translate("events.audience.units", language, units=list_separator(language).join(names)))
    elif audience.scope is Audience.OWN_UNIT:
        lines.append(translate("events.audience.own_unit", language, unit=organiser(event, units, language)))
    else:
        lines.append(translate("events.audience.all", language))
    if audience.gender is not None:
        lines.append(translate(_GENDER_LINES[Gender(audience.gender)], language))
    if audience.min_age is not None and audience.max_age is not None:
        lines.append(translate("events.audience.age_range", language, min=audience.min_age, max=audience.max_age))
    elif audience.min_age is not None:
        lines.append(translate("events.audience.age_min", language, min=audience.min_age))
    elif audience.max_age is not None:
        lines.append(translate("events.audience.age_max", language, max=audience.max_age))
    return lines


def scope_label(scope: str, sessions: Mapping[str, EventSession | None], language: str) -> str:
    if scope == SERIES:
        return translate("events.scope.series", language)
    session = sessions.get(scope)
    when = span(session.starts_at, session.ends_at, language) if session else scope
    return translate("events.scope.session", language, when=when)


def window(event: Event, language: str) -> str:
    closes = format_when(event.registration_closes_at or event.starts_at, language)
    if event.registration_opens_at is None:
        return translate("events.window.until", language, closes=closes)
    opens = format_when(event.registration_opens_at, language)
    return translate("events.window.between", language, opens=opens, closes=closes)


# ---- how places are given out, pairs and teams -----------------------------------------------------------------


def how_places(event: Event, language: str) -> list[str]:
    """How places are given out, in plain words (first come, approval, lottery; unit quotas and their release)."""
    if event.entry_type is EntryType.TEAM:
        lines = [translate("alloc.member.how.teams", language)]
    else:
        lines = [translate(_HOW[event.allocation], language)]
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


def pending_line(event: Event, language: str) -> str | None:
    """How many wait for a decision, where that means something: approval events, lotteries before the draw."""
    if event.allocation is Allocation.APPROVAL:
        return translate("alloc.member.pending.approval", language, count=event.pending_count)
    if event.allocation is Allocation.LOTTERY and event.lottery_drawn_at is None:
        return translate("alloc.member.pending.lottery", language, count=event.pending_count)
    return None


def _pair_lines(event: Event, language: str) -> list[str]:
    lines = [translate(_PAIR_LINES[PairGender(event.pair_rule.gender)], language)]
    if event.pair_rule.same_unit:
        lines.append(translate("alloc.member.pair.same_unit", language))
    return lines


def partner_hint(event: Event, language: str) -> str:
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


def entry_lines(event: Event, language: str) -> list[str]:
    if event.entry_type is EntryType.PAIR:
        return _pair_lines(event, language)
    if event.entry_type is EntryType.TEAM:
        return _team_lines(event, language)
    return []


def own_team_lines(event: Event, teams: list[Team], staff_no: str | None, units: dict[str, Unit], language: str):
    """The teams the signed-in member plays in or captains, each as a line and a link."""
    own = []
    for team in teams:
        unit = unit_name(units.get(team.unit_id), team.unit_id, language)
        key = N_("alloc.member.team.yours") if staff_no in team.roster else N_("alloc.member.team.captain_of")
        text = translate(key, language, team=team.name, unit=unit, count=len(team.roster))
        own.append({"text": text, "href": team_path(event.event_id, team.team_id)})
    return own


# ---- registering: who may, and the button ----------------------------------------------------------------------


def first_come(event: Event) -> bool:
    """Whether a registration takes a place (or the waiting list) at once: approval and undrawn lotteries pend."""
    if event.allocation is Allocation.APPROVAL:
        return False
    return not (event.allocation is Allocation.LOTTERY and event.lottery_drawn_at is None)


def will_wait(event: Event, free_scopes: list[str]) -> bool:
    if not first_come(event):
        return False
    decision = placement(event.capacity, event.confirmed_count, event.waiting_count, event.waiting_list)
    return free_scopes == [SERIES] and decision is Placement.WAITING


def register_label(event: Event, waits: bool, language: str) -> str:
    if event.allocation is Allocation.LOTTERY:
        return translate("alloc.member.register.lottery", language)
    if event.entry_type is EntryType.PAIR:
        return translate("alloc.member.register.pair", language)
    if event.allocation is Allocation.APPROVAL:
        return translate("alloc.member.register.approval", language)
    return translate(N_("events.register_waiting") if waits else N_("events.register"), language)


def blocked(
    signed_in: bool, event: Event, at: datetime, free_scopes: list[str], ineligible: str | None, language: str
) -> str | None:
    """Why the principal cannot register now (None: they can). Anonymous visitors are only told about the phase.
    ``ineligible``: chalicelib.services.event_views' reason for a signed-in member."""
    if event.entry_type is EntryType.TEAM:
        return translate("team_event", language)
    phase = registration_phase(event, at)
    if phase is RegistrationPhase.CLOSED and any(scope != SERIES for scope in free_scopes):
        phase = RegistrationPhase.OPEN  # the term has closed; single sessions not yet started still take places
    if phase is RegistrationPhase.NOT_YET:
        opens_at = event.registration_opens_at
        return translate("events.not_yet", language, at=format_when(opens_at, language) if opens_at else "")
    if phase is not RegistrationPhase.OPEN:
        return translate(_PHASE_REFUSALS[phase], language)
    if not signed_in:
        return None
    if ineligible:
        return translate(_INELIGIBLE[ineligible], language)
    if not free_scopes:
        return translate("events.already", language)
    if free_scopes == [SERIES] and first_come(event):
        full = placement(event.capacity, event.confirmed_count, event.waiting_count, event.waiting_list)
        if full is Placement.FULL:
            return translate("events.full", language)
    return None


def lottery_summary(event: Event, language: str) -> dict[str, Any] | None:
    """The commitment and where the draw stands, for a lottery event's page."""
    if event.allocation is not Allocation.LOTTERY:
        return None
    closes = event.registration_closes_at or event.starts_at
    if event.lottery_drawn_at is not None:
        drawn = translate("alloc.member.lottery.drawn_on", language, at=format_when(event.lottery_drawn_at, language))
    else:
        drawn = translate("alloc.member.lottery.draw_after", language, at=format_when(closes, language))
    return {"commitment": event.lottery_commitment, "status": drawn, "href": event_path(event.event_id) + "/lottery"}


# ---- a member's registration as the pages word it ---------------------------------------------------------------


def partner_of(registration: Registration) -> str:
    return registration.partner_name or registration.partner or ""


def _rejected_label(registration: Registration, language: str) -> tuple[str, str]:
    if registration.reason == "not_drawn":
        return translate("alloc.member.state.not_drawn", language), "off"
    if registration.reason:
        return translate("alloc.member.state.rejected", language, reason=registration.reason), "bad"
    return translate("alloc.member.state.rejected_plain", language), "bad"


def _state_label(event: Event, registration: Registration, position: int | None, language: str) -> tuple[str, str]:
    """(label, tone) of a registration's state; a pair's partner sees the pair's state (the lead's registration)."""
    state = registration.state
    partner = partner_of(registration)
    if state is RegistrationState.CONFIRMED:
        return translate("my.state.confirmed", language), "ok"
    if state is RegistrationState.WAITING:
        key = N_("my.state.waiting") if position else N_("my.state.waiting_unknown")
        return translate(key, language, position=position), "warn"
    if state is RegistrationState.PENDING:
        lottery = event.allocation is Allocation.LOTTERY
        key = N_("alloc.member.state.pending_lottery") if lottery else N_("alloc.member.state.pending_approval")
        return translate(key, language), "info"
    if state is RegistrationState.AWAITING_PARTNER:
        return translate("alloc.member.state.awaiting_partner", language, name=partner), "warn"
    if state is RegistrationState.INVITED:
        return translate("alloc.member.state.invited", language, name=partner), "info"
    if state is RegistrationState.PARTNER:
        return translate("alloc.member.state.partner", language, name=partner), "ok"
    if state is RegistrationState.REJECTED:
        return _rejected_label(registration, language)
    # Cancelled or removed (a team player's label is the team's, chalicelib.web.events.wording.registration_state).
    return translate(_ENDED_LABELS.get(state, N_("my.state.cancelled")), language), "off"


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


def _cancel_confirm(state: RegistrationState, paired: bool) -> str:
    """The question before cancelling: a pair goes as a whole; a pending application holds no place to give up."""
    if paired:
        return N_("alloc.member.cancel_pair_confirm")
    if state is RegistrationState.PENDING:
        return N_("alloc.member.cancel_pending_confirm")
    return N_("events.cancel_confirm")


def _team_details(view: RegistrationView, viewer: str | None, language: str) -> list[str]:
    details = []
    if view.team is not None and viewer and view.team.captain == viewer:
        details.append(translate("alloc.member.team.you_captain", language))
    details.append(translate("alloc.member.team.cancel_hint", language))
    return details


def _details(view: RegistrationView, viewer: str | None, language: str) -> list[str]:
    """What else a registration says: the team, why it ended, who entered it, why it cannot be cancelled."""
    registration = view.registration
    state = registration.state
    details = _team_details(view, viewer, language) if state is RegistrationState.TEAM else []
    if state is RegistrationState.REMOVED and registration.reason:
        details.append(translate("my.removed_reason", language, reason=registration.reason))
    if state is RegistrationState.CANCELLED and registration.reason == "partner_declined":
        details.append(translate("alloc.member.partner_declined", language, name=partner_of(registration)))
    if view.added_by_name is not None:
        details.append(translate("alloc.member.added_by", language, name=view.added_by_name))
    if view.cancel_refusal == "already_checked_in":
        details.append(translate("events.checked_in_no_cancel", language))
    return details


def _invitation(view: RegistrationView, at: datetime, language: str) -> dict[str, Any] | None:
    registration = view.registration
    if registration.state is not RegistrationState.INVITED:
        return None
    path = event_path(registration.event_id)
    return {
        "confirm_action": path + "/partner/confirm",
        "decline_action": path + "/partner/decline",
        "can_confirm": registration_phase(view.event, at) is RegistrationPhase.OPEN,
        "decline_confirm": translate("alloc.member.decline_confirm", language, name=partner_of(registration)),
    }


def registration_state(view: RegistrationView, at: datetime, language: str, viewer: str | None) -> dict[str, Any]:
    """A registration's state badge, what else it says (partner, team, who entered it, why it ended) and what the
    member may do about it (cancel, or answer a partner invitation)."""
    registration, shown = view.registration, view.shown
    state = registration.state
    label, tone = _state_label(view.event, shown, view.shown_position, language)
    partner = partner_of(registration)
    paired = bool(partner) and state in _PAIRED
    badges: list[dict[str, str]] = []
    if paired and state is not RegistrationState.AWAITING_PARTNER and shown.state is not RegistrationState.PARTNER:
        # The pair's state is the badge; who the partner is, a second one (a lone PARTNER label says it already).
        badges.append({"label": translate("alloc.member.state.partner", language, name=partner), "tone": "ok"})
    team_name = team_href = None
    if state is RegistrationState.TEAM:
        team_name = view.team.name if view.team is not None else (registration.team_id or "")
        label, tone = translate("alloc.member.state.team", language, team=team_name), "ok"
        if view.team is not None:
            team_href = team_path(registration.event_id, view.team.team_id)
    return {
        "state": state.value,
        "state_label": label,
        "tone": tone,
        "active": state.active,
        "position": view.position,
        "promoted": shown.promoted_at is not None and shown.state is RegistrationState.CONFIRMED,
        "badges": badges,
        "details": _details(view, viewer, language),
        "invitation": _invitation(view, at, language),
        "can_cancel": view.can_cancel,
        "cancel_confirm": translate(_cancel_confirm(state, paired), language),
        "team": team_name,
        "team_href": team_href,
    }
