"""The rules of events and registration: who may register, when, in which state an event is, what may change.

Pure functions over the records of ``chalicelib.domain.records``; no storage, no web framework. Reasons are
returned (or raised with ``Conflict``) as codes; messages for them are looked up in ``chalicelib.i18n``.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.language import N_
from chalicelib.domain.records import (
    SERIES,
    Allocation,
    Audience,
    EntryType,
    Event,
    EventStatus,
    Member,
    MemberStatus,
    RegistrationState,
)
from chalicelib.errors import Conflict

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

MIN_AUDIENCE_AGE = 0
MAX_AUDIENCE_AGE = 120


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on ``day``.

    Someone born on 29 February has their birthday on 1 March in other years (they are not yet a year older on
    28 February), which is what comparing (month, day) pairs gives.
    """
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def event_day(event: Event) -> date:
    """The day the event starts, in China time (an event at 00:30 in Beijing is on the previous day in UTC)."""
    starts_at = event.starts_at
    if starts_at.tzinfo is None:
        # Naive times would otherwise be read in the server's zone (UTC on Lambda); the union lives in China time.
        return starts_at.date()
    return starts_at.astimezone(CHINA_TZ).date()


def ineligibility(event: Event, member: Member) -> str | None:
    """None if ``member`` may register for ``event``, else the first reason code that excludes them.

    Codes: ``member_left``, ``audience_unit``, ``audience_gender``, ``audience_age``. Retired members remain
    members of the union and may register.
    """
    if member.status == MemberStatus.LEFT:
        return "member_left"
    audience = event.audience
    if audience.scope == Audience.UNITS and member.unit_id not in audience.unit_ids:
        return "audience_unit"
    if audience.scope == Audience.OWN_UNIT and member.unit_id != event.owner_unit_id:
        return "audience_unit"
    if audience.gender is not None and member.gender != audience.gender:
        return "audience_gender"
    if audience.min_age is not None or audience.max_age is not None:
        age = age_on(member.birth_date, event_day(event))
        if (audience.min_age is not None and age < audience.min_age) or (
            audience.max_age is not None and age > audience.max_age
        ):
            return "audience_age"
    return None


class RegistrationPhase(StrEnum):
    UNAVAILABLE = "unavailable"  # draft or cancelled: nobody may register
    NOT_YET = "not_yet"  # published but before registration_opens_at
    OPEN = "open"
    CLOSED = "closed"  # after registration_closes_at, or status registration_closed/running/finished


# The error code (and message id) refusing an entry outside the open phase.
PHASE_REFUSALS: dict[RegistrationPhase, str] = {
    RegistrationPhase.UNAVAILABLE: N_("registration_unavailable"),
    RegistrationPhase.NOT_YET: N_("registration_not_yet"),
    RegistrationPhase.CLOSED: N_("registration_closed"),
}
# The error code (and message id) for each reason ``ineligibility`` gives.
INELIGIBLE_CODES: dict[str, str] = {
    "member_left": N_("ineligible_member_left"),
    "audience_unit": N_("ineligible_audience_unit"),
    "audience_gender": N_("ineligible_audience_gender"),
    "audience_age": N_("ineligible_audience_age"),
}


def publicly_listed(event: Event) -> bool:
    """Whether an event appears in the public lists (upcoming events, the archive): every one but a draft, which
    only its organisers see (in their own list)."""
    return event.status is not EventStatus.DRAFT


_UNAVAILABLE = frozenset({EventStatus.DRAFT, EventStatus.CANCELLED})
_ACCEPTING = frozenset({EventStatus.PUBLISHED, EventStatus.REGISTRATION_OPEN})


def registration_phase(event: Event, at: datetime) -> RegistrationPhase:
    """Whether registration is open at ``at``: the stored status first, then the registration window.

    The window is ``registration_opens_at`` (None: at once) up to, not including, ``registration_closes_at``
    (None: the start of the event). A stored ``registration_open`` does not keep registration open past the window.
    """
    if event.status in _UNAVAILABLE:
        return RegistrationPhase.UNAVAILABLE
    if event.status not in _ACCEPTING:
        return RegistrationPhase.CLOSED
    closes_at = event.registration_closes_at or event.starts_at
    if at >= closes_at:
        return RegistrationPhase.CLOSED
    if event.registration_opens_at is not None and at < event.registration_opens_at:
        return RegistrationPhase.NOT_YET
    return RegistrationPhase.OPEN


# ---- classes: the whole term and single sessions --------------------------------------------------------------
#
# Decision (issue 17 item 7): a member holding the whole term (SERIES, any active state: confirmed, waiting,
# pending) may not also take single-session places of the class (``holds_term``); a member holding a single
# session that has not started may not also take the whole term (``holds_sessions``: cancel those first, so that no
# session's scarce place is held twice). Single sessions already started do not count: their place is used up and
# nothing is held twice from then on. The write conditions on the member's other registration items
# (``clashing_scopes``), so two requests racing both ways cannot both succeed.


def session_registration_phase(event: Event, session_starts_at: datetime, at: datetime) -> RegistrationPhase:
    """Whether a single-session place can be taken at ``at``: the event's status and opening time as for the term,
    but it closes when that session starts, not when term registration closes."""
    return registration_phase(event._replace(registration_closes_at=session_starts_at), at)


def registration_refusal(event: Event, session_starts_at: datetime | None, at: datetime) -> str | None:
    """Why a member may not register at ``at`` for the whole event (``session_starts_at`` None) or for a single
    session starting then: the phase's refusal, ``session_started`` once that session has begun; None when open."""
    if session_starts_at is None:
        phase = registration_phase(event, at)
    else:
        phase = session_registration_phase(event, session_starts_at, at)
        if phase is RegistrationPhase.CLOSED and at >= session_starts_at:
            return N_("session_started")
    return None if phase is RegistrationPhase.OPEN else PHASE_REFUSALS[phase]


def sessions_ahead(sessions: Iterable[tuple[str, datetime]], at: datetime) -> list[str]:
    """The ids of the (session_id, starts_at) pairs that have not started at ``at``."""
    return [session_id for session_id, starts_at in sessions if starts_at > at]


def class_clash(scope: str, held: Iterable[tuple[str, RegistrationState]], ahead: Iterable[str]) -> str | None:
    """Why a member holding ``held`` ((scope, state) of their registrations for the class) may not register for
    ``scope``: ``holds_term`` or ``holds_sessions`` (see above), or None. ``ahead``: sessions not yet started."""
    active = {held_scope for held_scope, state in held if state.active}
    if scope == SERIES:
        return N_("holds_sessions") if active.intersection(ahead) else None
    return N_("holds_term") if SERIES in active else None


def clashing_scopes(scope: str, ahead: Iterable[str]) -> tuple[str, ...]:
    """The member's registration keys that must be free (never used, or ended) when ``scope`` is written."""
    return tuple(ahead) if scope == SERIES else (SERIES,)


# The life of an event in order; what members see never moves back along it.
_PROGRESS = {
    status: rank
    for rank, status in enumerate(
        (
            EventStatus.PUBLISHED,
            EventStatus.REGISTRATION_OPEN,
            EventStatus.REGISTRATION_CLOSED,
            EventStatus.RUNNING,
            EventStatus.FINISHED,
        )
    )
}
_PHASE_STATUS = {
    RegistrationPhase.NOT_YET: EventStatus.PUBLISHED,
    RegistrationPhase.OPEN: EventStatus.REGISTRATION_OPEN,
    RegistrationPhase.CLOSED: EventStatus.REGISTRATION_CLOSED,
}


def displayed_status(event: Event, at: datetime) -> EventStatus:
    """The status members see at ``at``: the stored one moved forward by the clock, never backwards.

    Organisers need not press "running" or "finished" for the listing to be right; draft, cancelled and finished
    are shown as stored.
    """
    stored = EventStatus(event.status)
    if stored not in _PROGRESS or stored == EventStatus.FINISHED:
        return stored
    if at >= event.ends_at:
        derived = EventStatus.FINISHED
    elif at >= event.starts_at:
        derived = EventStatus.RUNNING
    else:
        derived = _PHASE_STATUS[registration_phase(event, at)]
    return max(stored, derived, key=_PROGRESS.__getitem__)


_TRANSITIONS: dict[EventStatus, frozenset[EventStatus]] = {
    EventStatus.DRAFT: frozenset({EventStatus.PUBLISHED, EventStatus.CANCELLED}),
    EventStatus.PUBLISHED: frozenset(
        {EventStatus.REGISTRATION_OPEN, EventStatus.REGISTRATION_CLOSED, EventStatus.RUNNING, EventStatus.CANCELLED}
    ),
    EventStatus.REGISTRATION_OPEN: frozenset(
        {EventStatus.REGISTRATION_CLOSED, EventStatus.RUNNING, EventStatus.CANCELLED}
    ),
    EventStatus.REGISTRATION_CLOSED: frozenset(
        {EventStatus.REGISTRATION_OPEN, EventStatus.RUNNING, EventStatus.CANCELLED}
    ),
    EventStatus.RUNNING: frozenset({EventStatus.FINISHED, EventStatus.CANCELLED}),
    EventStatus.FINISHED: frozenset(),
    EventStatus.CANCELLED: frozenset(),
}


def check_transition(current: EventStatus, target: EventStatus) -> None:
    """Raise ``Conflict("invalid_transition", current=..., target=...)`` unless an organiser may move the event
    from ``current`` to ``target``. Staying in the same status is not a transition."""
    current, target = EventStatus(current), EventStatus(target)
    if target not in _TRANSITIONS[current]:
        # Plain strings, so the params serialise and format the same wherever the error ends up.
        raise Conflict("invalid_transition", current=current.value, target=target.value)


def status_choices(event: Event, at: datetime) -> list[EventStatus]:
    """The statuses an organiser is offered at ``at``: the moves from the status shown now (displayed_status), so a
    running event whose stored status is still "registration open" offers finishing or cancelling it, not opening
    or closing registration or starting it again."""
    shown = displayed_status(event, at)
    return [status for status in EventStatus if status in _TRANSITIONS[shown]]


def check_status_change(event: Event, target: EventStatus, at: datetime) -> None:
    """``check_transition`` for an event at ``at``: a move allowed from its stored status, or from the status the
    clock has moved it to (a running event may be finished though nobody pressed "start")."""
    shown = displayed_status(event, at)
    if EventStatus(target) in _TRANSITIONS[shown]:
        return
    check_transition(event.status, target)


def may_cancel(event: Event, at: datetime) -> bool:
    """Whether a member may still cancel their registration at ``at``: before the deadline (None: the start)."""
    if event.status in (EventStatus.FINISHED, EventStatus.CANCELLED):
        return False
    return at < (event.cancel_deadline or event.starts_at)


def _closes_before_opens(event: Event) -> bool:
    opens_at, closes_at = event.registration_opens_at, event.registration_closes_at
    return opens_at is not None and closes_at is not None and closes_at <= opens_at


def _bad_age_range(event: Event) -> bool:
    min_age, max_age = event.audience.min_age, event.audience.max_age
    ages = [age for age in (min_age, max_age) if age is not None]
    return any(not MIN_AUDIENCE_AGE <= age <= MAX_AUDIENCE_AGE for age in ages) or (
        min_age is not None and max_age is not None and min_age > max_age
    )


# schedule_problems' rules, in the order their codes are reported: (code, whether the event breaks it).
_SCHEDULE_RULES: tuple[tuple[str, Callable[[Event], bool]], ...] = (
    ("ends_before_start", lambda event: event.ends_at < event.starts_at),
    ("closes_before_opens", _closes_before_opens),
    (
        "closes_after_end",
        lambda event: event.registration_closes_at is not None and event.registration_closes_at > event.ends_at,
    ),
    (
        "cancel_deadline_after_end",
        lambda event: event.cancel_deadline is not None and event.cancel_deadline > event.ends_at,
    ),
    ("capacity_not_positive", lambda event: event.capacity is not None and event.capacity < 1),
    ("bad_age_range", _bad_age_range),
)


def schedule_problems(event: Event) -> list[str]:
    """Codes for what is inconsistent in an event's times, capacity and age range; empty when all is well."""
    return [code for code, broken in _SCHEDULE_RULES if broken(event)]


# Longest look-back for a lottery's priority tier ("no retreat place in the last N years").
MAX_PRIORITY_YEARS = 10


def _shared(event: Event) -> bool:
    """Places shared out (approval or lottery) rather than first come, first served."""
    return event.allocation is not Allocation.FIRST_COME


def _bad_priority_years(event: Event) -> bool:
    years = event.lottery_priority_years
    return years is not None and (event.allocation is not Allocation.LOTTERY or not 1 <= years <= MAX_PRIORITY_YEARS)


# allocation_problems' rules, in the order they are reported: (code, field, whether the event breaks it).
_ALLOCATION_RULES: tuple[tuple[str, str, Callable[[Event], bool]], ...] = (
    (
        "lottery_needs_capacity",
        "capacity",
        lambda event: event.allocation is Allocation.LOTTERY and event.capacity is None,
    ),
    ("quotas_need_approval_or_lottery", "allocation", lambda event: bool(event.quotas) and not _shared(event)),
    (
        "sessions_first_come_individual",
        "single_sessions",
        lambda event: event.single_sessions and (_shared(event) or event.entry_type is not EntryType.INDIVIDUAL),
    ),
    ("teams_first_come", "allocation", lambda event: event.entry_type is EntryType.TEAM and _shared(event)),
    (
        "group_needs_limit",
        "entry_group_limit",
        lambda event: (event.entry_group is None) != (event.entry_group_limit is None),
    ),
    (
        "group_needs_limit",
        "entry_group_limit",
        lambda event: event.entry_group_limit is not None and event.entry_group_limit < 1,
    ),
    ("priority_years", "lottery_priority_years", _bad_priority_years),
)


def allocation_problems(event: Event) -> list[tuple[str, str]]:
    """(code, field) for what cannot go together in how an event gives out places and takes entries."""
    return [(code, field) for code, field, broken in _ALLOCATION_RULES if broken(event)]


class ChangeImpact(NamedTuple):
    refusals: tuple[str, ...]  # changes that cannot be made at all
    confirmations: tuple[str, ...]  # changes allowed only with the organiser's explicit confirmation


def change_impact(before: Event, after: Event) -> ChangeImpact:
    """What editing ``before`` into ``after`` would do to the people already registered.

    Counts are taken from ``before`` (the stored event). Confirmations are only asked for when someone is
    registered (confirmed or waiting), since only then is anyone affected.
    """
    active = before.confirmed_count + before.waiting_count + before.pending_count > 0
    refusals = tuple(code for code, refused in _REFUSALS if refused(before, after, active))
    confirmations = tuple(code for code, asked in _CONFIRMATIONS if active and asked(before, after))
    return ChangeImpact(refusals, confirmations)


def _capacity_below_confirmed(before: Event, after: Event, active: bool) -> bool:
    # Only a lowered capacity is refused: an event already over capacity (places added by hand) stays editable.
    return after.capacity is not None and after.capacity != before.capacity and after.capacity < before.confirmed_count


# change_impact's rules, in the order they are reported: (code, whether editing before into after is refused, given
# whether anyone is registered) ...
_REFUSALS: tuple[tuple[str, Callable[[Event, Event, bool], bool]], ...] = (
    ("capacity_below_confirmed", _capacity_below_confirmed),
    (
        "waiting_list_in_use",
        lambda before, after, active: before.waiting_list and not after.waiting_list and before.waiting_count > 0,
    ),
    (
        "form_in_use",
        lambda before, after, active: active and not _form_compatible(tuple(before.form), tuple(after.form)),
    ),
    ("owner_changed", lambda before, after, active: after.owner_unit_id != before.owner_unit_id),
    ("entry_rules_in_use", lambda before, after, active: active and _entry_rules(after) != _entry_rules(before)),
    ("capacity_shared_out", lambda before, after, active: bool(before.quotas) and after.capacity != before.capacity),
)
# ... and (code, whether the edit needs the organiser's confirmation), asked only when someone is registered.
_CONFIRMATIONS: tuple[tuple[str, Callable[[Event, Event], bool]], ...] = (
    ("date_moved", lambda before, after: (after.starts_at, after.ends_at) != (before.starts_at, before.ends_at)),
    ("venue_moved", lambda before, after: (after.venue, after.campus) != (before.venue, before.campus)),
    (
        "audience_narrowed",
        lambda before, after: after.audience != before.audience and not _admits_everyone(after),
    ),
)


def _entry_rules(event: Event) -> tuple[Any, ...]:
    """What registered entries were made under: changing it would strand them (pending with no draw, ...)."""
    return (event.allocation, event.entry_type, event.pair_rule, event.entry_group, event.entry_group_limit)


def _admits_everyone(event: Event) -> bool:
    audience = event.audience
    return (
        audience.scope == Audience.ALL
        and audience.gender is None
        and audience.min_age is None
        and audience.max_age is None
    )


# Form changes that keep every stored answer valid and meaning the same. Questions and options are compared field by
# field by name, so chalicelib.domain.forms need not be imported and any field not named here must stay equal.
_RELABELLED = ("label_zh", "label_en")
_RAISED = ("max_value", "max_length", "max_choices")  # None: no limit
_LOWERED = ("min_value",)  # None: no limit
_OPTION_RAISED = ("limit",)  # None: no limit
_QUESTION_RELAXABLE = (*_RELABELLED, "required", *_RAISED, *_LOWERED, "options")  # options are compared one by one


def _form_compatible(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    """Whether ``new`` only relabels, widens or appends to ``old`` (extra questions must be optional)."""
    if len(new) < len(old):
        return False
    if not all(_question_compatible(before, after) for before, after in zip(old, new, strict=False)):
        return False
    return not any(getattr(question, "required", False) for question in new[len(old) :])


def _question_compatible(old: Any, new: Any) -> bool:
    if not getattr(old, "required", False) and getattr(new, "required", False):
        return False  # a newly required question would leave stored registrations incomplete
    if not all(_raised(getattr(old, name, None), getattr(new, name, None)) for name in _RAISED):
        return False
    if not all(_raised(_negated(getattr(old, name, None)), _negated(getattr(new, name, None))) for name in _LOWERED):
        return False
    old_options, new_options = tuple(getattr(old, "options", ())), tuple(getattr(new, "options", ()))
    if len(new_options) < len(old_options):
        return False
    if not all(_option_compatible(before, after) for before, after in zip(old_options, new_options, strict=False)):
        return False
    return bool(_without(old, _QUESTION_RELAXABLE) == _without(new, _QUESTION_RELAXABLE))


def _option_compatible(old: Any, new: Any) -> bool:
    if not all(_raised(getattr(old, name, None), getattr(new, name, None)) for name in _OPTION_RAISED):
        return False
    return bool(_without(old, (*_RELABELLED, *_OPTION_RAISED)) == _without(new, (*_RELABELLED, *_OPTION_RAISED)))


def _without(record: Any, names: tuple[str, ...]) -> Any:
    """``record`` with the named fields blanked, so the remaining fields can be compared with ``==``."""
    return record._replace(**{name: None for name in names if name in record._fields})


def _raised(old: float | None, new: float | None) -> bool:
    """Whether the upper limit ``new`` admits everything ``old`` did (None: no limit)."""
    return new is None or (old is not None and new >= old)


def _negated(value: float | None) -> float | None:
    return None if value is None else -value


class Placement(StrEnum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    FULL = "full"


def placement(capacity: int | None, confirmed: int, waiting: int, waiting_list: bool) -> Placement:
    """Where a new registration goes. A free place goes to the waiting list first, so nobody jumps the queue."""
    if capacity is None or (confirmed < capacity and waiting == 0):
        return Placement.CONFIRMED
    return Placement.WAITING if waiting_list else Placement.FULL


class UnitTally(NamedTuple):
    unit_id: str
    registered: int  # confirmed + waiting
    confirmed: int
    waiting: int


def unit_summary(registrations: Iterable[Any]) -> list[UnitTally]:
    """Active registrations counted per unit, sorted by unit_id; ended ones are not counted. ``registered``
    counts every active registration (pending, pairs and team players included).

    Anything with ``unit_id`` and ``state`` (a ``RegistrationState`` or its value) will do.
    """
    counts: dict[str, list[int]] = {}
    for registration in registrations:
        state = RegistrationState(registration.state)
        if not state.active:
            continue
        tally = counts.setdefault(registration.unit_id, [0, 0, 0])
        tally[0] += 1
        tally[1] += state is RegistrationState.CONFIRMED
        tally[2] += state is RegistrationState.WAITING
    return [UnitTally(unit_id, *tally) for unit_id, tally in sorted(counts.items())]


def waiting_positions(registrations: Iterable[Any]) -> dict[tuple[str, str], int]:
    """Waiting-list positions (1 = next) by (scope, 工号), from a full list of an event's registrations:
    each scope's waiting registrations in the order of their queue keys."""
    queues: dict[str, list[Any]] = {}
    for registration in registrations:
        if getattr(registration.state, "value", registration.state) == "waiting":
            queues.setdefault(registration.scope, []).append(registration)
    positions = {}
    for scope, waiting in queues.items():
        for position, registration in enumerate(sorted(waiting, key=lambda r: r.queue_key or ""), start=1):
            positions[(scope, registration.staff_no)] = position
    return positions
