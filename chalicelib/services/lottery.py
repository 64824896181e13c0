"""Running a lottery event's draw, settling its result onto the applications, and publishing it for checking.

The draw is recorded once, in one transaction with the event's counters (chalicelib.storage.allocation): a second
run is refused by that transaction's condition and the first result stands. Moving each application from pending
to its drawn state follows in batches and can be repeated until none is left pending (``settle``).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from chalicelib.domain.access import Principal, can_manage_event, require
from chalicelib.domain.event_rules import RegistrationPhase, registration_phase
from chalicelib.domain.lottery import Applicant, published_draw, run_draw
from chalicelib.domain.records import (
    SERIES,
    Allocation,
    Event,
    EventFormat,
    NotificationKind,
    Registration,
    RegistrationState,
)
from chalicelib.errors import Conflict, DependencyUnavailable
from chalicelib.storage import Store
from chalicelib.storage.allocation import DRAW
from chalicelib.storage.audit import audit_item
from chalicelib.storage.writes import TransactionFailed

# Registrations settled per transaction: each with its notification, within DynamoDB's 100 items.
SETTLE_BATCH = 45
_ATTEMPTS = 5
_HELD = (RegistrationState.CONFIRMED, RegistrationState.PARTNER, RegistrationState.TEAM)


class DrawSummary(NamedTuple):
    applicants: int
    winners: int
    waiting: int
    settled: int  # applications moved from pending in this call


def priority_tier(store: Store, event: Event, staff_no: str, at: datetime) -> int:
    """0 (draws first) unless the member held a retreat place starting within the event's priority years."""
    years = event.lottery_priority_years
    if not years:
        return 0
    since = at - timedelta(days=365 * years)
    held = {r.event_id for r in store.registrations.for_member(staff_no, limit=200) if r.state in _HELD}
    held.discard(event.event_id)
    events = store.events.get_many(held) if held else {}
    had_place = any(e.format is EventFormat.RETREAT and e.starts_at >= since for e in events.values())
    return 1 if had_place else 0


def _applications(store: Store, event: Event) -> list[Registration]:
    """The event's applications still pending (whole-event registrations only: lotteries have no sessions)."""
    return [r for r in store.registrations.for_event(event.event_id, SERIES) if r.state is RegistrationState.PENDING]


def _seed_to_draw(store: Store, principal: Principal, event: Event, at: datetime) -> str:
    """The sealed seed of a lottery that may be drawn now; refuses a draw not allowed, before close, or done."""
    require(can_manage_event(principal, event.owner_unit_id))
    if event.allocation is not Allocation.LOTTERY:
        raise Conflict("not_lottery_event")
    if registration_phase(event, at) is not RegistrationPhase.CLOSED:
        raise Conflict("draw_before_close")
    sealed = store.draws.get(event.event_id)
    if sealed is None:
        raise Conflict("not_lottery_event")
    if sealed.drawn_at is not None:
        settle(store, event, at)  # finish a draw whose settling was interrupted; the result is not changed
        raise Conflict("already_drawn")
    return sealed.seed


def _unit_quotas(store: Store, event: Event) -> dict[str, int] | None:
    """Each unit's quota of a lottery with quotas (units without one left out), or None without quotas."""
    if not event.quotas:
        return None
    return {p.unit_id: p.quota for p in store.unit_places.for_event(event.event_id) if p.quota}


def draw(store: Store, principal: Principal, event: Event, at: datetime) -> DrawSummary:
    """Draw once registration has closed (an organiser, or the scheduled job with the system principal)."""
    seed = _seed_to_draw(store, principal, event, at)
    for _attempt in range(_ATTEMPTS):
        pending = _applications(store, event)
        applicants = [Applicant(r.staff_no, r.unit_id, r.tier or 0) for r in pending]
        places = max((event.capacity or 0) - event.confirmed_count, 0)
        quotas = _unit_quotas(store, event)
        result = run_draw(seed, applicants, places, quotas)
        published = published_draw(event.event_id, seed, applicants, places, quotas, result)
        unit_use = Counter(a.unit_id for a in result.winners) if event.quotas else Counter()
        audit = audit_item(
            event.owner_unit_id,
            principal.staff_no or "system",
            "lottery.draw",
            event.event_id,
            after={"applicants": len(applicants), "winners": len(result.winners), "seed": seed},
        )
        try:
            store.draws.record(
                event.event_id,
                published,
                len(applicants),
                unit_use,
                principal.staff_no or "system",
                at,
                waiting_list=event.waiting_list,
                extra=(audit,),
            )
        except TransactionFailed as failure:
            if DRAW in failure.failed:
                raise Conflict("already_drawn") from failure
            # An application was withdrawn or added while the list was read: read it again.
            event = store.events.get(event.event_id, consistent=True) or event
            continue
        settled = settle(store, event, at, published, pending)
        return DrawSummary(len(applicants), len(result.winners), len(result.waiting), settled)
    raise DependencyUnavailable("registration_busy")


def settle(
    store: Store,
    event: Event,
    at: datetime,
    published: dict[str, Any] | None = None,
    pending: list[Registration] | None = None,
) -> int:
    """Move every application still pending to what the recorded draw gave it; returns how many moved.

    ``published`` and ``pending``: the draw just recorded and the applications it was drawn from, so that the
    draw does not read them again; without them (an interrupted draw resumed), both are read."""
    if published is None:
        sealed = store.draws.get(event.event_id)
        if sealed is None or sealed.published is None:
            return 0
        published = sealed.published
    if pending is None:
        pending = _applications(store, event)
    winners = set(published["winners"])
    ranks = {staff_no: rank for rank, staff_no in enumerate(published["waiting"], start=1)}
    pending = [r for r in pending if r.staff_no in winners or r.staff_no in ranks]
    moved = 0
    for start in range(0, len(pending), SETTLE_BATCH):
        batch, notices = [], []
        for registration in pending[start : start + SETTLE_BATCH]:
            if registration.staff_no in winners:
                drawn = registration._replace(state=RegistrationState.CONFIRMED)
                notices.append(_notice(store, event, registration.staff_no, NotificationKind.DRAWN, at, {}))
            elif event.waiting_list:
                rank = ranks[registration.staff_no]
                # "d-" sorts before the "q-" keys of anyone put on the waiting list later by hand.
                drawn = registration._replace(state=RegistrationState.WAITING, queue_key=f"d-{rank:06d}")
                notices.append(
                    _notice(store, event, registration.staff_no, NotificationKind.NOT_DRAWN, at, {"rank": rank})
                )
            else:
                drawn = registration._replace(state=RegistrationState.REJECTED, reason="not_drawn")
                notices.append(_notice(store, event, registration.staff_no, NotificationKind.NOT_DRAWN, at, {}))
            batch.append(drawn)
        store.registrations.settle_draw(batch, at, extra=tuple(notices))
        moved += len(batch)
    return moved


def _notice(
    store: Store, event: Event, staff_no: str, kind: NotificationKind, at: datetime, details: dict[str, Any]
) -> Any:
    return store.notifications.item(staff_no, kind, event.event_id, event.title_zh, at, details)


class PublishedDraw(NamedTuple):
    commitment: str | None
    drawn_at: datetime | None
    data: dict[str, Any] | None  # chalicelib.domain.lottery.published_draw, once drawn


def published(store: Store, event: Event) -> PublishedDraw:
    """What anyone signed in may see: the commitment before the draw, everything needed to check it after."""
    if event.allocation is not Allocation.LOTTERY:
        raise Conflict("not_lottery_event")
    sealed = store.draws.get(event.event_id)
    if sealed is None or sealed.drawn_at is None:
        return PublishedDraw(event.lottery_commitment, None, None)
    return PublishedDraw(sealed.commitment, sealed.drawn_at, sealed.published)


# The scheduled job acts as the school union, which may run any event's draw.
SYSTEM = Principal(union_admin=True)


def draw_due_lotteries(store: Store, at: datetime) -> list[str]:
    """Draw every listed lottery whose registration has closed and which nobody has drawn yet (the scheduled job
    that makes "the draw happens at close" true without an organiser pressing the button). Returns their ids."""
    drawn = []
    for event in store.events.upcoming(at, limit=500):
        if event.allocation is not Allocation.LOTTERY or event.lottery_drawn_at is not None:
            continue
        if registration_phase(event, at) is not RegistrationPhase.CLOSED or event.pending_count == 0:
            continue
        try:
            draw(store, SYSTEM, event, at)
        except Conflict:
            continue  # drawn meanwhile by an organiser
        drawn.append(event.event_id)
    return drawn
