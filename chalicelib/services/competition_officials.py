"""A competition's officials: naming and removing referees and judges, and the duties a member holds.

A contestant is never named judge of her own contest (chalicelib.services.competition_fairness).
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.access import Principal
from chalicelib.domain.competition.setup import Competition, Stage, StageKind
from chalicelib.domain.records import Event, StaffRole, normalise_staff_no
from chalicelib.errors import NotFound
from chalicelib.services.competition import JUDGE_ROLE, OFFICIAL_ROLES, _invalid
from chalicelib.services.competition_fairness import refuse_contestant_judge
from chalicelib.services.events import managed_event
from chalicelib.storage import Store
from chalicelib.storage.audit import audit_item


def officials(store: Store, principal: Principal, event_id: str) -> list[StaffRole]:
    managed_event(store, principal, event_id)
    return sorted(
        (role for role in store.event_roles.for_event(event_id) if role.roles & set(OFFICIAL_ROLES)),
        key=lambda role: role.staff_no,
    )


def name_official(
    store: Store, principal: Principal, event_id: str, staff_no: str, role_name: str, at: datetime
) -> StaffRole:
    """Make a member a referee or judge of the event (keeping any other role they hold for it)."""
    if role_name not in OFFICIAL_ROLES:
        raise _invalid("unknown_role", "role", role_name)
    event = managed_event(store, principal, event_id)
    member = store.members.get(normalise_staff_no(staff_no))
    if member is None:
        raise _invalid("unknown_member", "staff_no", staff_no)
    if role_name == JUDGE_ROLE:  # a contestant never judges her own contest: refused, nothing written
        refuse_contestant_judge(store, event, member.staff_no, member.name)
    before = store.event_roles.get(event_id, member.staff_no)
    roles = (before.roles if before else frozenset()) | {role_name}
    role = StaffRole(event_id, member.staff_no, member.name, member.unit_id, roles, principal.staff_no or "", at)
    audit = audit_item(
        event.owner_unit_id,
        principal.member_no,
        "event.official",
        f"{event_id}/{member.staff_no}",
        before={"roles": sorted(before.roles)} if before else None,
        after={"roles": sorted(roles)},
    )
    store.event_roles.put(role, audit)
    return role


def remove_official(
    store: Store, principal: Principal, event_id: str, staff_no: str, role_name: str, at: datetime
) -> None:
    event = managed_event(store, principal, event_id)
    staff_no = normalise_staff_no(staff_no)
    before = store.event_roles.get(event_id, staff_no)
    if before is None or role_name not in before.roles:
        raise NotFound()
    roles = before.roles - {role_name}
    audit = audit_item(event.owner_unit_id, principal.member_no, "event.official", f"{event_id}/{staff_no}",
                       before={"roles": sorted(before.roles)}, after={"roles": sorted(roles)})  # fmt: skip
    if roles:
        store.event_roles.put(before._replace(roles=roles, granted_at=at), audit)
    else:
        store.event_roles.delete(event_id, staff_no, audit)


def judged_stages(store: Store, event_id: str) -> list[Stage]:
    """A competition's judged stages, from its set-up item alone (one read, not the matches): for duty lists."""
    found = store.competitions.setup_version(event_id)
    if found is None:
        return []
    return [stage for stage in Competition.model_validate(found[0]).stages if stage.kind == StageKind.JUDGED]


def duties(store: Store, principal: Principal) -> list[tuple[StaffRole, Event]]:
    """The events a member referees or judges."""
    roles = [role for role in store.event_roles.for_staff(principal.staff_no or "") if role.roles & set(OFFICIAL_ROLES)]
    events = store.events.get_many(role.event_id for role in roles) if roles else {}
    return [(role, events[role.event_id]) for role in roles if role.event_id in events]
