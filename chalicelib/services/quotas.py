"""Sharing an event's places among units (名额分配), and showing each unit's use of its share."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from chalicelib.domain.access import Principal, administers, can_manage_event, require
from chalicelib.domain.quotas import QuotaProblem, check_fixed, largest_remainder
from chalicelib.domain.records import SCHOOL_UNIT_ID, Allocation, Audience, Event, UnitPlaces
from chalicelib.errors import Conflict, InvalidInput
from chalicelib.storage import Store
from chalicelib.storage.allocation import EVENT, QUOTA_PREFIX
from chalicelib.storage.audit import audit_item
from chalicelib.storage.writes import TransactionFailed


class QuotaPlan(NamedTuple):
    """Fixed quotas per unit, or a share in proportion to active members with a minimum per unit."""

    fixed: dict[str, int] | None = None
    proportional_units: list[str] | None = None  # None: the event's audience units, else every sub-union
    minimum: int = 0
    release_at: datetime | None = None


def _problem(problem: QuotaProblem) -> InvalidInput:
    return InvalidInput([{"type": problem.code, "loc": ("quotas",), "msg": problem.code, "ctx": problem.params}])


def _units_sharing(store: Store, event: Event, chosen: list[str] | None) -> list[str]:
    if chosen:
        return sorted(set(chosen))
    if event.audience.scope is Audience.UNITS:
        return sorted(event.audience.unit_ids)
    return [unit.unit_id for unit in store.units.whole_union() if unit.unit_id != SCHOOL_UNIT_ID]


def set_quotas(store: Store, principal: Principal, event: Event, plan: QuotaPlan, at: datetime) -> list[UnitPlaces]:
    """Share the event's places among units. Quotas must add up to the capacity; a unit already using more
    places than its new quota keeps the old plan in force (refused)."""
    require(can_manage_event(principal, event.owner_unit_id))
    capacity = _capacity_to_share(event, plan)
    try:
        if plan.fixed is not None:
            quotas = check_fixed(capacity, plan.fixed)
        else:
            units = _units_sharing(store, event, plan.proportional_units)
            members = {unit_id: store.members.active_count(unit_id) for unit_id in units}
            quotas = largest_remainder(capacity, members, plan.minimum)
    except QuotaProblem as problem:
        raise _problem(problem) from problem
    unknown = sorted(unit_id for unit_id in quotas if store.units.get(unit_id) is None)
    if unknown:
        raise _problem(QuotaProblem("quota_unknown_unit", unit=unknown[0]))
    current = store.unit_places.for_event(event.event_id)
    audit = audit_item(
        event.owner_unit_id,
        principal.member_no,
        "event.quotas",
        event.event_id,
        before={p.unit_id: p.quota for p in current},
        after={"quotas": quotas, "release_at": plan.release_at},
    )
    try:
        store.unit_places.set_quotas(event.event_id, quotas, plan.release_at, current, at, extra=(audit,))
    except TransactionFailed as failure:
        refusal = _refusal(failure)
        if refusal is None:
            raise
        raise refusal from failure
    return store.unit_places.for_event(event.event_id)


def _capacity_to_share(event: Event, plan: QuotaPlan) -> int:
    """The event's capacity, once it is an event whose places may be shared out now under ``plan``."""
    if event.allocation is Allocation.FIRST_COME:
        raise _problem(QuotaProblem("quotas_need_approval_or_lottery"))
    if event.capacity is None:
        raise _problem(QuotaProblem("quota_needs_capacity"))
    if event.lottery_drawn_at is not None:
        raise Conflict("already_drawn")
    if plan.release_at is not None and plan.release_at >= event.starts_at:
        raise InvalidInput([{"type": "quota_release_after_start", "loc": ("release_at",), "msg": "", "ctx": {}}])
    return event.capacity


def _refusal(failure: TransactionFailed) -> Conflict | None:
    """Why writing the quotas failed: a unit already using more than its new quota, or the event changed (None:
    neither)."""
    over = sorted(label.removeprefix(QUOTA_PREFIX) for label in failure.failed if label.startswith(QUOTA_PREFIX))
    if over:
        return Conflict("quota_below_use", unit=over[0])
    if EVENT in failure.failed:
        return Conflict("event_changed_meanwhile")
    return None


def unit_places(store: Store, principal: Principal, event: Event) -> list[UnitPlaces]:
    """Each unit's quota and use: every unit for the organisers, their own units for unit admins."""
    places = store.unit_places.for_event(event.event_id)
    if can_manage_event(principal, event.owner_unit_id):
        return places
    own = [place for place in places if administers(principal, place.unit_id)]
    require(bool(own) or bool(principal.admin_of))
    return own
