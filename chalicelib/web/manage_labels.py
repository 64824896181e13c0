"""The message ids of the organiser pages' words for a value (a status, a kind, a refusal...), written out in tables
so that every id can be found by extraction (none is built at run time).

The templates get them as ``labels`` (``t(labels.status[row.status])``); tables are keyed by the StrEnum members,
which a template's plain string finds too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from chalicelib.domain.event_rules import RegistrationPhase
from chalicelib.domain.forms import QuestionKind
from chalicelib.domain.records import (
    Allocation,
    Audience,
    EntryType,
    EventFormat,
    EventStatus,
    PairGender,
    ReminderPlan,
    TeamState,
)
from chalicelib.i18n import N_
from chalicelib.web.member_labels import EVENT_KIND as KIND
from chalicelib.web.member_labels import GENDER

STATUS: dict[str, str] = {
    EventStatus.DRAFT: N_("manage.status.draft"),
    EventStatus.PUBLISHED: N_("manage.status.published"),
    EventStatus.REGISTRATION_OPEN: N_("manage.status.registration_open"),
    EventStatus.REGISTRATION_CLOSED: N_("manage.status.registration_closed"),
    EventStatus.RUNNING: N_("manage.status.running"),
    EventStatus.FINISHED: N_("manage.status.finished"),
    EventStatus.CANCELLED: N_("manage.status.cancelled"),
}
# The button that moves an event to a status.
ACTION: dict[str, str] = {
    EventStatus.PUBLISHED: N_("manage.action.published"),
    EventStatus.REGISTRATION_OPEN: N_("manage.action.registration_open"),
    EventStatus.REGISTRATION_CLOSED: N_("manage.action.registration_closed"),
    EventStatus.RUNNING: N_("manage.action.running"),
    EventStatus.FINISHED: N_("manage.action.finished"),
    EventStatus.CANCELLED: N_("manage.action.cancelled"),
}
FORMAT: dict[str, str] = {
    EventFormat.TOURNAMENT: N_("manage.format.tournament"),
    EventFormat.MEET: N_("manage.format.meet"),
    EventFormat.CONTEST: N_("manage.format.contest"),
    EventFormat.CLASS: N_("manage.format.class"),
    EventFormat.SESSION: N_("manage.format.session"),
    EventFormat.MASS: N_("manage.format.mass"),
    EventFormat.RETREAT: N_("manage.format.retreat"),
}
AUDIENCE: dict[str, str] = {
    Audience.ALL: N_("manage.audience.all"),
    Audience.UNITS: N_("manage.audience.units"),
    Audience.OWN_UNIT: N_("manage.audience.own_unit"),
}
ALLOCATION: dict[str, str] = {
    Allocation.FIRST_COME: N_("alloc.manage.allocation.first_come"),
    Allocation.APPROVAL: N_("alloc.manage.allocation.approval"),
    Allocation.LOTTERY: N_("alloc.manage.allocation.lottery"),
}
ENTRY_TYPE: dict[str, str] = {
    EntryType.INDIVIDUAL: N_("alloc.manage.entry_type.individual"),
    EntryType.PAIR: N_("alloc.manage.entry_type.pair"),
    EntryType.TEAM: N_("alloc.manage.entry_type.team"),
}
REMINDERS: dict[str, str] = {
    ReminderPlan.DAY_BEFORE: N_("manage.reminders.day_before"),
    ReminderPlan.TWO_HOURS: N_("manage.reminders.two_hours"),
    ReminderPlan.BOTH: N_("manage.reminders.both"),
    ReminderPlan.NONE: N_("manage.reminders.none"),
}
PAIR_GENDER: dict[str, str] = {
    PairGender.ANY: N_("alloc.manage.pair_gender.any"),
    PairGender.SAME: N_("alloc.manage.pair_gender.same"),
    PairGender.MIXED: N_("alloc.manage.pair_gender.mixed"),
}
QUESTION_KIND: dict[str, str] = {
    QuestionKind.TEXT: N_("manage.qkind.text"),
    QuestionKind.LONG_TEXT: N_("manage.qkind.long_text"),
    QuestionKind.NUMBER: N_("manage.qkind.number"),
    QuestionKind.SINGLE_CHOICE: N_("manage.qkind.single_choice"),
    QuestionKind.MULTIPLE_CHOICE: N_("manage.qkind.multiple_choice"),
    QuestionKind.DATE: N_("manage.qkind.date"),
    QuestionKind.YES_NO: N_("manage.qkind.yes_no"),
}
TEAM_STATE: dict[str, str] = {
    TeamState.ENTERED: N_("alloc.manage.teams.state.entered"),
    TeamState.WITHDRAWN: N_("alloc.manage.teams.state.withdrawn"),
}
# Why registering is not possible now (the phases other than open).
PHASE_NOTICE: dict[str, str] = {
    RegistrationPhase.UNAVAILABLE: N_("registration_unavailable"),
    RegistrationPhase.NOT_YET: N_("registration_not_yet"),
    RegistrationPhase.CLOSED: N_("registration_closed"),
}
# The registration phase as the list of events to enter members into shows it.
ENTRIES_PHASE: dict[str, str] = {
    RegistrationPhase.UNAVAILABLE: N_("alloc.manage.entries.phase.unavailable"),
    RegistrationPhase.NOT_YET: N_("alloc.manage.entries.phase.not_yet"),
    RegistrationPhase.OPEN: N_("alloc.manage.entries.phase.open"),
    RegistrationPhase.CLOSED: N_("alloc.manage.entries.phase.closed"),
}
# Why a change to an event was refused (``details["refusals"]`` of Conflict("change_refused")).
REFUSAL: dict[str, str] = {
    "capacity_below_confirmed": N_("manage.refusal.capacity_below_confirmed"),
    "waiting_list_in_use": N_("manage.refusal.waiting_list_in_use"),
    "form_in_use": N_("manage.refusal.form_in_use"),
    "owner_changed": N_("manage.refusal.owner_changed"),
    "entry_rules_in_use": N_("manage.refusal.entry_rules_in_use"),
    "capacity_shared_out": N_("manage.refusal.capacity_shared_out"),
}
# What a change must be confirmed for (``details["confirmations"]`` of Conflict("confirmation_needed")).
CONFIRMATION: dict[str, str] = {
    "date_moved": N_("manage.confirm.date_moved"),
    "venue_moved": N_("manage.confirm.venue_moved"),
    "audience_narrowed": N_("manage.confirm.audience_narrowed"),
}
# A pending registration named after what it waits for.
PENDING: dict[str, str] = {
    Allocation.APPROVAL: N_("alloc.manage.state.pending_approval"),
    Allocation.LOTTERY: N_("alloc.manage.state.pending_lottery"),
}


@dataclass(frozen=True)
class Labels:
    """The tables, for templates."""

    status: Mapping[str, str] = field(default_factory=lambda: STATUS)
    action: Mapping[str, str] = field(default_factory=lambda: ACTION)
    kind: Mapping[str, str] = field(default_factory=lambda: KIND)
    format: Mapping[str, str] = field(default_factory=lambda: FORMAT)
    audience: Mapping[str, str] = field(default_factory=lambda: AUDIENCE)
    gender: Mapping[str, str] = field(default_factory=lambda: GENDER)
    allocation: Mapping[str, str] = field(default_factory=lambda: ALLOCATION)
    entry_type: Mapping[str, str] = field(default_factory=lambda: ENTRY_TYPE)
    pair_gender: Mapping[str, str] = field(default_factory=lambda: PAIR_GENDER)
    question_kind: Mapping[str, str] = field(default_factory=lambda: QUESTION_KIND)
    team_state: Mapping[str, str] = field(default_factory=lambda: TEAM_STATE)
    phase_notice: Mapping[str, str] = field(default_factory=lambda: PHASE_NOTICE)
    reminders: Mapping[str, str] = field(default_factory=lambda: REMINDERS)


LABELS = Labels()
