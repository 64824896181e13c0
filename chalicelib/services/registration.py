"""Registering, cancelling, removing and promoting: the rules decide, one transaction writes, conditions guard.

Every write is a single DynamoDB transaction whose conditions make it correct under any concurrency
(chalicelib.storage.registrations). When a condition fails because places changed meanwhile, the state is read
again and the decision taken again, a bounded number of times.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from chalicelib.domain.access import Principal, administers, can_manage_event, require
from chalicelib.domain.entries import pair_problem
from chalicelib.domain.event_rules import (
    INELIGIBLE_CODES,
    RegistrationPhase,
    clashing_scopes,
    class_clash,
    ineligibility,
    may_cancel,
    registration_phase,
    registration_refusal,
    sessions_ahead,
)
from chalicelib.domain.forms import validate_answers
from chalicelib.domain.records import (
    SERIES,
    Allocation,
    EntryType,
    Event,
    EventSession,
    Member,
    NotificationKind,
    Registration,
    RegistrationState,
    member_registration,
    normalise_staff_no,
)
from chalicelib.errors import Conflict, DependencyUnavailable, Forbidden, InvalidInput, NotFound
from chalicelib.i18n import N_
from chalicelib.services import cached_reads, organisation_views
from chalicelib.services.lottery import priority_tier, settle
from chalicelib.services.placing import (
    MAX_ATTEMPTS,
    Outcome,
    back_off,
    picks_of,
    place,
    refusal_of,
    unit_place,
)
from chalicelib.services.pool_turns import waiting_lists
from chalicelib.storage import Store
from chalicelib.storage.audit import audit_item
from chalicelib.storage.registrations import (
    POOL,
    PROMOTED,
    REGISTRATION,
    UNIT_PLACE,
    GroupLimit,
    WaitingEntry,
)
from chalicelib.storage.writes import TransactionFailed


def visible_event(store: Store, principal: Principal, event_id: str) -> Event:
    """The event, if the principal may see it: drafts only by their organisers."""
    event = store.events.get(event_id)
    if event is None or not _visible(principal, event):
        raise NotFound()
    return event


def _visible(principal: Principal, event: Event) -> bool:
    return event.status.value != "draft" or can_manage_event(principal, event.owner_unit_id)


def _registering_event(store: Store, principal: Principal, event_id: str, scope: str) -> Event:
    """The event a member registers for: as this process read it within the last second (in a rush a process
    reads each event about once a second, chalicelib.services.pool_turns), else read now. Its counters are only a
    first guess: the write's conditions decide, and a write that fails returns the event as it is."""
    key = (event_id, SERIES)
    known = waiting_lists.recent(key) if scope == SERIES else None
    if known is not None and _visible(principal, known):
        return known
    started = time.monotonic()
    event = visible_event(store, principal, event_id)
    if scope == SERIES:
        waiting_lists.saw(key, event, started, read=True)
    return event


def _pool_of(store: Store, event: Event, scope: str) -> EventSession | None:
    if scope == SERIES:
        return None
    if not event.single_sessions:
        raise Conflict("single_sessions_not_allowed")
    session = store.sessions.get(event.event_id, scope)
    if session is None:
        raise NotFound()
    return session


def _answer_problems(problems: list[Any]) -> InvalidInput:
    return InvalidInput(
        [
            {"type": f"answer_{p.code}", "loc": ("answers", p.question_id), "ctx": dict(p.params), "msg": p.code}
            for p in problems
        ]
    )


def _open_for_member(event: Event, member: Member, at: datetime, session: EventSession | None = None) -> None:
    if event.damaged:  # stored values could not be read (chalicelib.storage.salvage): no entries until repaired
        raise Conflict("event_needs_repair")
    refusal = registration_refusal(event, session.starts_at if session else None, at)
    if refusal is not None:
        raise Conflict(refusal)
    reason = ineligibility(event, member)
    if reason:
        raise Forbidden(INELIGIBLE_CODES[reason])


def _group(event: Event) -> GroupLimit | None:
    if event.entry_group is None or event.entry_group_limit is None:
        return None
    return GroupLimit(event.entry_group, event.entry_group_limit)


def register(
    store: Store,
    principal: Principal,
    event_id: str,
    scope: str,
    raw_answers: dict[str, Any],
    at: datetime,
    partner: str | None = None,
    resume_since: datetime | None = None,
    answer: Callable[[Outcome], tuple[Any, Any]] | None = None,
) -> Outcome:
    """A member registers themself for the whole event (``SERIES``) or one session; for a pairs event, naming
    their partner, who then confirms.

    ``resume_since``: this is a retry of a request that may have written the registration before it failed
    (chalicelib.http.idempotency); if a registration of the member that is not older exists, it is the answer.
    ``answer``: the request's Idempotency-Key record from the outcome, written with the registration.

    Warm, this is two round trips at most (docs/data-model.md): the event (none if this process read it within the
    last second) and the transaction. The member comes from this container's cache, at most a minute old
    (chalicelib.services.cached_reads), like the identification that read it."""
    event = _registering_event(store, principal, event_id, scope)
    if resume_since is not None:
        earlier = _written_since(store, event_id, scope, principal.member_no, resume_since)
        if earlier is not None:
            return earlier
    member = cached_reads.member(store, principal.member_no)
    if member is None:
        raise NotFound()
    if event.entry_type is EntryType.TEAM:
        _open_for_member(event, member, at)
        raise Conflict("team_event")
    session = _pool_of(store, event, scope)
    _open_for_member(event, member, at, session)
    answers, problems = validate_answers(event.form, raw_answers)
    if problems:
        raise _answer_problems(problems)
    if event.entry_type is EntryType.PAIR:
        return _invite(store, event, member, partner, answers, at)
    clashes = _class_clashes(store, event, member, scope, at)
    return _enter(store, event, session, member, answers, at, clashes=clashes, answer=answer)


def add_for_member(
    store: Store,
    principal: Principal,
    event_id: str,
    scope: str,
    staff_no: str,
    raw_answers: dict[str, Any],
    at: datetime,
    resume_since: datetime | None = None,
) -> Outcome:
    """Enter a member on their behalf; audited, and the member is notified and may withdraw it.

    The event's organisers may do so past the registration window and audience rules (never past capacity, a
    duplicate or an option's limit), and their entry needs no approval. A unit admin may enter members of their
    own unit under the same rules as the member registering themself."""
    event = visible_event(store, principal, event_id)
    member = organisation_views.member(store, staff_no)
    organiser = can_manage_event(principal, event.owner_unit_id)
    require(organiser or administers(principal, member.unit_id))
    if resume_since is not None:
        earlier = _written_since(store, event_id, scope, member.staff_no, resume_since)
        if earlier is not None and earlier.registration.added_by == principal.staff_no:
            return earlier
    if event.entry_type is not EntryType.INDIVIDUAL:
        raise Conflict("entry_type_not_individual")
    session = _pool_of(store, event, scope)
    if not organiser:
        _open_for_member(event, member, at, session)
    clashes = _class_clashes(store, event, member, scope, at)
    answers, problems = validate_answers(event.form, raw_answers)
    if organiser:
        # An organiser entering someone at the desk may not know every answer; what they do give must be valid.
        problems = [problem for problem in problems if problem.code != "required"]
    if problems:
        raise _answer_problems(problems)
    return _enter(
        store, event, session, member, answers, at, entered_by=principal.staff_no, direct=organiser, clashes=clashes
    )


def _class_clashes(store: Store, event: Event, member: Member, scope: str, at: datetime) -> tuple[str, ...]:
    """A class's whole term and its single sessions are not held together (chalicelib.domain.event_rules
    .class_clash): Conflict if the member holds the other kind, else the registration keys the write must find
    free, so that two requests racing both ways cannot both succeed."""
    if not event.single_sessions:
        return ()
    ahead: list[str] = []
    if scope == SERIES:
        sessions = store.sessions.for_event(event.event_id)
        ahead = sessions_ahead(((session.session_id, session.starts_at) for session in sessions), at)
    clashes = clashing_scopes(scope, ahead)
    held = store.registrations.of_member_for_event(event.event_id, member.staff_no, list(clashes)) if clashes else []
    reason = class_clash(scope, [(registration.scope, registration.state) for registration in held], ahead)
    if reason is not None:
        raise Conflict(reason)
    return clashes


def _written_since(store: Store, event_id: str, scope: str, staff_no: str, since: datetime) -> Outcome | None:
    """The registration an interrupted earlier attempt of the same request wrote, if it got that far: the member's
    active registration, made when or after that attempt began."""
    registration = store.registrations.get(event_id, scope, staff_no)
    if registration is None or not registration.state.active or registration.registered_at < since:
        return None
    return Outcome(registration, store.registrations.waiting_position(registration))


def _enter(
    store: Store,
    event: Event,
    session: EventSession | None,
    member: Member,
    answers: dict[str, Any],
    at: datetime,
    entered_by: str | None = None,
    direct: bool = False,
    clashes: tuple[str, ...] = (),
    answer: Callable[[Outcome], tuple[Any, Any]] | None = None,
) -> Outcome:
    scope = SERIES if session is None else session.session_id
    base = member_registration(
        event.event_id, scope, member, RegistrationState.PENDING, at, answers=answers, added_by=entered_by
    )
    if event.allocation is Allocation.LOTTERY and event.lottery_drawn_at is None:
        base = base._replace(tier=priority_tier(store, event, member.staff_no, at))

    def extra(registration: Registration) -> tuple[Any, ...]:
        if entered_by is None:
            return ()
        return (
            audit_item(
                event.owner_unit_id,
                entered_by,
                "registration.add",
                f"{event.event_id}/{scope}/{member.staff_no}",
                after={"state": registration.state.value},
            ),
            store.notifications.item(
                member.staff_no,
                NotificationKind.ADDED,
                event.event_id,
                event.title_zh,
                at,
                {"state": registration.state.value},
            ),
        )

    return place(
        store,
        event,
        session,
        base,
        at,
        extra=extra,
        by_organiser=direct,
        direct=direct,
        group=_group(event),
        clashes=clashes,
        answer=answer,
    )


# ---- pairs ----------------------------------------------------------------------------------------------------


def _invite(
    store: Store, event: Event, lead: Member, partner_no: str | None, answers: dict[str, Any], at: datetime
) -> Outcome:
    if not partner_no:
        raise InvalidInput([{"type": "missing", "loc": ("partner",), "msg": "partner", "ctx": {}}])
    partner = store.members.get(normalise_staff_no(partner_no))
    if partner is None:
        raise InvalidInput([{"type": "partner_unknown", "loc": ("partner",), "msg": "partner_unknown", "ctx": {}}])
    problem = pair_problem(event.pair_rule, event, lead, partner)
    if problem is not None:
        raise InvalidInput([{"type": problem.code, "loc": ("partner",), "msg": problem.code, "ctx": {}}])
    invitation = member_registration(
        event.event_id,
        SERIES,
        lead,
        RegistrationState.AWAITING_PARTNER,
        at,
        answers=answers,
        partner=partner.staff_no,
        partner_name=partner.name,
    )
    invited = member_registration(
        event.event_id, SERIES, partner, RegistrationState.INVITED, at, partner=lead.staff_no, partner_name=lead.name
    )
    notice = store.notifications.item(
        partner.staff_no, NotificationKind.PARTNER_INVITED, event.event_id, event.title_zh, at, {"partner": lead.name}
    )
    try:
        store.registrations.invite(invitation, invited, at, groups=_group(event), extra=(notice,))
    except TransactionFailed as failure:
        raise (refusal_of(event, failure) or DependencyUnavailable("registration_busy")) from failure
    return Outcome(invitation, None)


def _invitation(store: Store, principal: Principal, event_id: str) -> tuple[Event, Registration, Registration]:
    """The event, the principal's INVITED registration and the inviting member's registration."""
    event = visible_event(store, principal, event_id)
    invited = store.registrations.get(event_id, SERIES, principal.member_no)
    if invited is None or invited.state is not RegistrationState.INVITED or not invited.partner:
        raise NotFound("no_invitation")
    lead = store.registrations.get(event_id, SERIES, invited.partner)
    if lead is None or lead.state is not RegistrationState.AWAITING_PARTNER:
        raise NotFound("no_invitation")
    return event, invited, lead


def confirm_partner(store: Store, principal: Principal, event_id: str, at: datetime) -> Outcome:
    """The named partner accepts: the pair takes a place (or the waiting list, or awaits approval or the draw)."""
    event, invited, lead = _invitation(store, principal, event_id)
    if registration_phase(event, at) is not RegistrationPhase.OPEN:
        raise Conflict("registration_closed")
    if event.allocation is Allocation.LOTTERY:
        lead = lead._replace(tier=max(priority_tier(store, event, s, at) for s in (lead.staff_no, invited.staff_no)))
    notice = store.notifications.item(
        lead.staff_no, NotificationKind.PARTNER_CONFIRMED, event.event_id, event.title_zh, at, {"partner": invited.name}
    )
    return place(store, event, None, lead._replace(updated_at=at), at, extra=lambda r: (notice,), confirms_pair=True)


def decline_partner(store: Store, principal: Principal, event_id: str, at: datetime) -> Registration:
    """The named partner declines: the invitation and the inviting member's pending entry both end."""
    event, invited, lead = _invitation(store, principal, event_id)
    notice = store.notifications.item(
        lead.staff_no, NotificationKind.PARTNER_DECLINED, event.event_id, event.title_zh, at, {"partner": invited.name}
    )
    _leave(store, event, lead, RegistrationState.CANCELLED, at, reason="partner_declined", extra=lambda r: (notice,))
    return invited._replace(state=RegistrationState.CANCELLED, updated_at=at)


# ---- approval -------------------------------------------------------------------------------------------------


def _pending(store: Store, principal: Principal, event_id: str, staff_no: str) -> tuple[Event, Registration]:
    """An approval event's pending registration, if the principal may decide on it: the event's organisers, or,
    when places are shared among units, the admins of the member's unit."""
    event = visible_event(store, principal, event_id)
    organiser = can_manage_event(principal, event.owner_unit_id)
    require(organiser or (event.quotas and bool(principal.admin_of)))
    if event.allocation is not Allocation.APPROVAL:
        raise Conflict("not_approval_event")
    registration = store.registrations.get(event_id, SERIES, staff_no)
    if registration is None:
        raise NotFound("not_registered")
    require(organiser or administers(principal, registration.unit_id))
    if registration.state is not RegistrationState.PENDING:
        raise Conflict("not_pending")
    return event, registration


def approve(store: Store, principal: Principal, event_id: str, staff_no: str, at: datetime) -> Registration:
    """Give a pending registration a place: within capacity and, while quotas bind, within its unit's quota,
    checked in the same transaction that confirms it."""
    event, registration = _pending(store, principal, event_id, staff_no)
    target = f"{event_id}/{SERIES}/{staff_no}"
    extra = (
        audit_item(
            event.owner_unit_id, principal.member_no, "registration.approve", target, after={"state": "confirmed"}
        ),
        store.notifications.item(staff_no, NotificationKind.APPROVED, event_id, event.title_zh, at),
    )
    for attempt in range(MAX_ATTEMPTS):
        try:
            store.registrations.approve(
                registration, at, unit_place=unit_place(event, registration.unit_id, at), extra=extra
            )
        except TransactionFailed as failure:
            if REGISTRATION in failure.failed:
                raise Conflict("not_pending") from failure
            if UNIT_PLACE in failure.failed:
                raise Conflict("quota_used") from failure
            if POOL in failure.failed:
                raise Conflict("event_full") from failure
            back_off(attempt)  # another transaction held the same items at that instant
            continue
        return registration._replace(state=RegistrationState.CONFIRMED, updated_at=at)
    raise DependencyUnavailable("registration_busy")


def reject(store: Store, principal: Principal, event_id: str, staff_no: str, reason: str, at: datetime) -> Registration:
    """Turn a pending registration down, with a reason the member sees."""
    event, registration = _pending(store, principal, event_id, staff_no)
    target = f"{event_id}/{SERIES}/{staff_no}"
    return _leave(
        store,
        event,
        registration,
        RegistrationState.REJECTED,
        at,
        reason=reason,
        extra=lambda current: (
            audit_item(
                event.owner_unit_id, principal.member_no, "registration.reject", target, after={"reason": reason}
            ),
            store.notifications.item(
                staff_no, NotificationKind.REJECTED, event_id, event.title_zh, at, {"reason": reason}
            ),
        ),
    )


def _lead_of(store: Store, registration: Registration) -> Registration:
    """The registration that carries a pair's state: the inviting member's (the partner's only links to it)."""
    if registration.state in (RegistrationState.INVITED, RegistrationState.PARTNER) and registration.partner:
        lead = store.registrations.get(registration.event_id, registration.scope, registration.partner)
        if lead is not None and lead.state.active:
            return lead
    return registration


def cancel(store: Store, principal: Principal, event_id: str, scope: str, at: datetime) -> Registration:
    """A member withdraws before the cancellation deadline: their own registration, a pair they are in (either
    member may withdraw it; the other is notified), or a lottery application before the draw. Not once they (or
    their partner) checked in: the attendance stays true and the place is not handed on; an organiser may still
    remove the registration."""
    event = visible_event(store, principal, event_id)
    registration = store.registrations.get(event_id, scope, principal.member_no)
    if registration is None or not registration.state.active:
        raise NotFound("not_registered")
    if registration.state is RegistrationState.INVITED:
        return decline_partner(store, principal, event_id, at)
    refusal = cancel_refusal(store, event, registration, at)
    if refusal is not None:
        raise Conflict(refusal)
    lead = _lead_of(store, registration)
    other = lead.partner if lead.staff_no == principal.staff_no else lead.staff_no

    def extra(current: Registration) -> tuple[Any, ...]:
        if not current.partner or other is None:
            return ()
        kind = NotificationKind.PAIR_CANCELLED
        return (store.notifications.item(other, kind, event_id, event.title_zh, at, {"partner": registration.name}),)

    left = _leave(store, event, lead, RegistrationState.CANCELLED, at, extra=extra)
    return registration._replace(state=left.state, updated_at=at)


def cancel_refusal(store: Store, event: Event, registration: Registration, at: datetime) -> str | None:
    """Why the member may not withdraw this active registration themselves at ``at`` (the error code), or None when
    they may. The one rule behind the cancel request (API and page) and the pages that offer the cancel button.

    A team player's place changes through the team's roster (``team_roster_by_unit``); nothing after the
    cancellation deadline (``cancel_deadline_passed``); and nothing once the member or their pair partner checked in
    at any point the registration admits them to (``already_checked_in``): they came, the attendance stays true and
    the place is not handed on. An organiser may still remove the registration. An invitation from a partner is
    answered by declining it, not by cancelling."""
    if registration.state is RegistrationState.TEAM:
        return N_("team_roster_by_unit")
    if not may_cancel(event, at):
        return N_("cancel_deadline_passed")
    if _checked_in(store, event, _lead_of(store, registration)):
        return N_("already_checked_in")
    return None


def _checked_in(store: Store, event: Event, registration: Registration) -> bool:
    """Whether the member (or their pair partner) checked in at any point this registration admits them to."""
    from chalicelib.services.checkin import event_points  # it builds on this module

    points = [registration.scope] if registration.scope != SERIES else [p.point_id for p in event_points(store, event)]
    members = [registration.staff_no, *([registration.partner] if registration.partner else [])]
    return store.check_ins.any_of(event.event_id, points, members)


def remove(
    store: Store, principal: Principal, event_id: str, scope: str, staff_no: str, reason: str, at: datetime
) -> Registration:
    """An organiser removes a registration (a pair as a whole; audited, the members are notified); the place goes
    to the next in line. Team players are changed through their team's roster."""
    event = visible_event(store, principal, event_id)
    require(can_manage_event(principal, event.owner_unit_id))
    registration = store.registrations.get(event_id, scope, staff_no)
    if registration is None or not registration.state.active:
        raise NotFound("not_registered")
    if registration.state is RegistrationState.TEAM:
        raise Conflict("team_roster_by_unit")
    lead = _lead_of(store, registration)
    target = f"{event_id}/{scope}/{lead.staff_no}"
    members = [lead.staff_no, *([lead.partner] if lead.partner else [])]
    return _leave(
        store,
        event,
        lead,
        RegistrationState.REMOVED,
        at,
        reason=reason,
        extra=lambda current: (
            audit_item(
                event.owner_unit_id,
                principal.member_no,
                "registration.remove",
                target,
                before={"state": current.state.value},
                after={"state": RegistrationState.REMOVED.value, "reason": reason},
            ),
            *(
                store.notifications.item(
                    member, NotificationKind.REMOVED, event_id, event.title_zh, at, {"reason": reason}
                )
                for member in members
            ),
        ),
    )


def _leave(
    store: Store,
    event: Event,
    registration: Registration,
    new_state: RegistrationState,
    at: datetime,
    reason: str | None = None,
    extra: Callable[[Registration], tuple[Any, ...]] = lambda current: (),
) -> Registration:
    counted_picks = registration.state is not RegistrationState.AWAITING_PARTNER
    picks = picks_of(event, registration.answers) if counted_picks else []
    for attempt in range(MAX_ATTEMPTS):
        promote: WaitingEntry | None = None
        if registration.state is RegistrationState.CONFIRMED:
            promote = _next_in_line(store, event, registration.scope)
        items = tuple(extra(registration))
        if promote is not None:
            notice = NotificationKind.PROMOTED
            items += (store.notifications.item(promote.staff_no, notice, event.event_id, event.title_zh, at),)
        before_draw = event.allocation is Allocation.LOTTERY and registration.state is RegistrationState.PENDING
        try:
            store.registrations.leave(
                registration,
                new_state,
                picks,
                at,
                promote=promote,
                reason=reason,
                extra=items,
                unit_place=unit_place(event, registration.unit_id, at),
                group=_group(event),
                before_draw=before_draw,
            )
        except TransactionFailed as failure:
            back_off(attempt)
            if before_draw and POOL in failure.failed:
                # The draw was made meanwhile: let it place this application first, then withdraw that.
                event = store.events.get(event.event_id, consistent=True) or event
                settle(store, event, at)
            if REGISTRATION in failure.failed or before_draw:
                current = store.registrations.get(event.event_id, registration.scope, registration.staff_no)
                if current is None or not current.state.active:
                    raise NotFound("not_registered") from failure
                registration = current
            # POOL: someone joined the waiting list meanwhile; PROMOTED: the index showed a stale first entry.
            continue
        return registration._replace(state=new_state, updated_at=at, reason=reason, queue_key=None)
    raise DependencyUnavailable("registration_busy")


def _next_in_line(store: Store, event: Event, scope: str) -> WaitingEntry | None:
    """The first on the waiting list, if anyone waits (counted on the pool item, read consistently)."""
    if scope == SERIES:
        fresh = store.events.get(event.event_id, consistent=True)
        waiting = fresh.waiting_count if fresh else 0
    else:
        session = store.sessions.get(event.event_id, scope)
        waiting = session.waiting_count if session else 0
    if waiting == 0:
        return None
    # The queue index may lag a just-written entry by a moment; the pool's condition catches a wrong "nobody".
    entry = store.registrations.first_waiting(event.event_id, scope)
    if entry is not None and event.quotas:
        waiting_registration = store.registrations.get(event.event_id, scope, entry.staff_no)
        entry = entry._replace(unit_id=waiting_registration.unit_id if waiting_registration else None)
    return entry


def fill_places(store: Store, event: Event, scope: str, at: datetime) -> int:
    """Promote from the waiting list while places are free (after capacity grew). Returns how many moved up."""
    promoted = 0
    for attempt in range(event.waiting_count + MAX_ATTEMPTS):
        fresh = store.events.get(event.event_id, consistent=True)
        pool = fresh if scope == SERIES else store.sessions.get(event.event_id, scope)
        if pool is None or pool.waiting_count == 0:
            break
        if pool.capacity is not None and pool.confirmed_count >= pool.capacity:
            break
        entry = _next_in_line(store, event, scope)
        if entry is None:
            back_off(attempt)
            continue
        notice = store.notifications.item(entry.staff_no, NotificationKind.PROMOTED, event.event_id, event.title_zh, at)
        try:
            store.registrations.promote(entry, at, extra=(notice,), quotas=event.quotas)
        except TransactionFailed as failure:
            if POOL in failure.failed and PROMOTED not in failure.failed:
                break
            back_off(attempt)
            continue
        promoted += 1
    return promoted


def my_registrations(store: Store, principal: Principal, limit: int = 100) -> list[tuple[Registration, int | None]]:
    """The member's registrations, newest first, each with its waiting-list position."""
    return [
        (registration, store.registrations.waiting_position(registration))
        for registration in store.registrations.for_member(principal.member_no, limit)
    ]
