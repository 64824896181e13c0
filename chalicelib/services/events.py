"""Organisers' side of events: create, edit (with the protections registered members need), change status."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.domain.access import Principal, can_manage_event, require
from chalicelib.domain.entries import check_team_rule
from chalicelib.domain.event_rules import allocation_problems, change_impact, check_status_change, schedule_problems
from chalicelib.domain.forms import check_form, form_to_data
from chalicelib.domain.ids import sortable_id
from chalicelib.domain.lottery import commitment, new_seed
from chalicelib.domain.records import (
    SERIES,
    WHOLE,
    Allocation,
    EntryType,
    Event,
    EventSession,
    EventStatus,
    NotificationKind,
)
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.services.registration import fill_places, visible_event
from chalicelib.storage import Store
from chalicelib.storage.audit import audit_item
from chalicelib.storage.writes import TransactionFailed

# A class over a term has at most this many sessions (two a week for a long term); also keeps the creating
# transaction within DynamoDB's 100 items.
MAX_SESSIONS = 60


def _problems(kind: str, location: tuple[str, ...], codes: list[tuple[str, str, dict[str, Any]]]) -> InvalidInput:
    return InvalidInput(
        [
            {"type": f"{kind}_{code}", "loc": (*location, where) if where else location, "ctx": params, "msg": code}
            for code, where, params in codes
        ]
    )


# The field each schedule problem is shown against.
_SCHEDULE_FIELDS = {
    "ends_before_start": "ends_at",
    "closes_before_opens": "registration_closes_at",
    "closes_after_end": "registration_closes_at",
    "cancel_deadline_after_end": "cancel_deadline",
    "capacity_not_positive": "capacity",
    "bad_age_range": "audience",
}


def _check(event: Event) -> None:
    schedule = schedule_problems(event)
    if schedule:
        raise _problems("schedule", (), [(code, _SCHEDULE_FIELDS.get(code, ""), {}) for code in schedule])
    form = check_form(event.form)
    if form:
        raise _problems("form", ("form",), [(p.code, p.question_id, dict(p.params)) for p in form])
    allocation = allocation_problems(event)
    if allocation:
        raise _problems("allocation", (), [(code, where, {}) for code, where in allocation])
    if event.entry_type is EntryType.TEAM:
        team = check_team_rule(event.team_rule)
        if team:
            raise _problems("team", ("team_rule",), [(p.code, "", dict(p.params)) for p in team])


def _with_sealed_draw(store: Store, event: Event, at: datetime, seed: str | None = None) -> tuple[Event, Any]:
    """A lottery event gets its secret seed now (``seed``: a given one, else a new one), and publishes the seed's
    hash (commitment) from the start."""
    if event.allocation is not Allocation.LOTTERY or event.lottery_commitment:
        return event, None
    seed = seed or new_seed()
    sealed = store.draws.sealed(event.event_id, seed, commitment(seed), at)
    return event._replace(lottery_commitment=commitment(seed)), sealed


def snapshot(event: Event) -> dict[str, Any]:
    """The organiser-editable facts of an event, for the audit log."""
    data = event._asdict()
    data["form"] = form_to_data(event.form)
    data["audience"] = {**event.audience._asdict(), "unit_ids": sorted(event.audience.unit_ids)}
    data["team_rule"] = {**event.team_rule._asdict()}
    for name in ("confirmed_count", "waiting_count", "pending_count", "damaged"):
        data.pop(name)
    return data


def _numbered_sessions(event_id: str, sessions: list[dict[str, Any]]) -> list[EventSession]:
    if len(sessions) > MAX_SESSIONS:
        raise _problems("sessions", ("sessions",), [("too_many", "", {"max": MAX_SESSIONS})])
    ordered = sorted(sessions, key=lambda session: session["starts_at"])
    numbered = []
    for number, session in enumerate(ordered, start=1):
        if session["ends_at"] < session["starts_at"]:
            raise _problems("sessions", ("sessions",), [("ends_before_start", str(number - 1), {})])
        numbered.append(EventSession(event_id=event_id, session_id=f"s{number:02d}", **session))
    return numbered


def create_event(
    store: Store,
    principal: Principal,
    fields: dict[str, Any],
    sessions: list[dict[str, Any]],
    at: datetime,
    *,
    event_id: str | None = None,
    lottery_seed: str | None = None,
) -> Event:
    """A new event as a draft. ``event_id`` and ``lottery_seed`` are for the demo union (devtools.demo), whose
    events keep their ids and publish draws anyone can re-run; the API and the pages leave both to chance."""
    require(can_manage_event(principal, fields["owner_unit_id"]))
    if store.units.get(fields["owner_unit_id"]) is None:
        raise NotFound("unknown_unit")
    event = Event(event_id=event_id or sortable_id("ev-"), **fields)
    _check(event)
    numbered = _numbered_sessions(event.event_id, sessions)
    event, sealed_draw = _with_sealed_draw(store, event, at, lottery_seed)
    audit = audit_item(event.owner_unit_id, principal.member_no, "event.create", event.event_id, after=snapshot(event))
    store.events.create(event, numbered, audit, sealed_draw)
    return event


def managed_event(store: Store, principal: Principal, event_id: str) -> Event:
    event = visible_event(store, principal, event_id)
    require(can_manage_event(principal, event.owner_unit_id))
    return event


def update_event(
    store: Store, principal: Principal, event_id: str, changes: dict[str, Any], confirm: bool, at: datetime
) -> Event:
    """Apply an organiser's edits. Changes that would hurt registered members are refused, or need ``confirm``."""
    before = managed_event(store, principal, event_id)
    after = before._replace(**changes, damaged=WHOLE)  # saving writes the damaged fields too
    _check(after)
    impact = change_impact(before, after)
    if impact.refusals:
        raise Conflict("change_refused", details={"refusals": list(impact.refusals)})
    if impact.confirmations and not confirm:
        raise Conflict("confirmation_needed", details={"confirmations": list(impact.confirmations)})
    after, sealed_draw = _with_sealed_draw(store, after, at)
    if sealed_draw is not None:
        store.draws.seal(sealed_draw)
    _write(store, principal, before, after, "event.update")
    if after.waiting_list and (after.capacity is None or (before.capacity or 0) < after.capacity):
        fill_places(store, after, SERIES, at)
    moved = {"date_moved", "venue_moved"} & set(impact.confirmations)
    if moved:
        _notify_registrants(store, after, NotificationKind.EVENT_CHANGED, at, {"changes": sorted(moved)})
    return store.events.get(event_id, consistent=True) or after


def change_status(store: Store, principal: Principal, event_id: str, target: EventStatus, at: datetime) -> Event:
    before = managed_event(store, principal, event_id)
    check_status_change(before, target, at)
    after = before._replace(status=target, damaged=WHOLE)  # saving writes the damaged fields too
    if target is EventStatus.REGISTRATION_OPEN and after.registration_opens_at and after.registration_opens_at > at:
        # "Open registration now" means now, whatever opening time was planned.
        after = after._replace(registration_opens_at=at)
    _write(store, principal, before, after, f"event.{target.value}")
    if target is EventStatus.CANCELLED:
        _notify_registrants(store, after, NotificationKind.EVENT_CANCELLED, at, {})
    return after


def _write(store: Store, principal: Principal, before: Event, after: Event, action: str) -> None:
    old, new = snapshot(before), snapshot(after)
    changed = sorted(name for name in new if new[name] != old[name])
    audit = audit_item(
        after.owner_unit_id,
        principal.member_no,
        action,
        after.event_id,
        before={name: old[name] for name in changed},
        after={name: new[name] for name in changed},
    )
    try:
        store.events.update(before, after, audit)
    except TransactionFailed as failure:
        # The status moved, or registrations arrived that this change would now hurt: show the organiser again.
        raise Conflict("event_changed_meanwhile") from failure


def _notify_registrants(
    store: Store, event: Event, kind: NotificationKind, at: datetime, details: dict[str, Any]
) -> None:
    # One notice per member, even when they hold several registrations (whole event and single sessions).
    members = {r.staff_no for r in store.registrations.for_event(event.event_id) if r.state.active}
    store.notifications.put_many(
        store.notifications.item(staff_no, kind, event.event_id, event.title_zh, at, details)
        for staff_no in sorted(members)
    )
