"""The demo union as data, second section: who entered what (``entries.json``), through the members' and organisers'
services.

Every entry is at a number of minutes after its event's registration opened. ``registrations``: members registering
themselves for first-come events, with their answers to the event's form (the service places them: a place while
places last, then the waiting list). ``lotteries``: the organiser shares the places among the sub-unions in proportion
to their active members (at least ``quota_minimum`` each) when the event is made, members apply, and the scheduled
job draws the lottery a few minutes after registration closes if that was before today's midday. ``teams``: unit
admins (the union admin for units without one) enter their units' teams with fixed ids, so that the competitions
that name them keep their keys.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chalicelib.domain.access import UNION_ADMIN_ROLE, Principal
from chalicelib.domain.records import SERIES, Event, Member

if TYPE_CHECKING:
    from chalicelib.storage import Store
    from devtools.demo.loader import DemoEvent, DemoOrganisation, Timeline

ENTRIES = Path(__file__).resolve().parent / "entries.json"

# The scheduled job (chalicelib.jobs) draws within ten minutes of registration closing.
DRAW_DELAY = timedelta(minutes=7)


def member_principal(member: Member) -> Principal:
    return Principal(
        staff_no=member.staff_no,
        unit_id=member.unit_id,
        admin_of=member.admin_units,
        union_admin=UNION_ADMIN_ROLE in member.roles,
    )


def _event(store: Store, event_id: str) -> Event:
    """The event as it stands when an action runs (its status moves along the timeline)."""
    event = store.events.get(event_id, consistent=True)
    assert event is not None, event_id
    return event


def plan_entries(
    store: Store,
    organisation: DemoOrganisation,
    events: tuple[DemoEvent, ...],
    created_at: datetime,
    reference: datetime,
    timeline: Timeline,
    path: Path = ENTRIES,
) -> None:
    """Plan the registrations, lottery applications and draws, and team entries of the file on ``timeline``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    planned = {demo.event.event_id: demo.event for demo in events}
    member_of = {m.staff_no: m for m in organisation.members}
    by_key = {key: member_of[staff_no] for key, staff_no in organisation.staff_no_of.items()}
    for block in data["registrations"]:
        plan_registrations(store, planned[block["event"]], block["entries"], by_key, timeline)
    for block in data["lotteries"]:
        event = planned[block["event"]]
        _plan_quotas(store, organisation, event, block["quota_minimum"], created_at, timeline)
        plan_registrations(store, event, block["applications"], by_key, timeline)
        assert event.registration_closes_at is not None
        if event.registration_closes_at + DRAW_DELAY < reference:
            timeline.plan(event.registration_closes_at + DRAW_DELAY, lambda at: _draw(store, at))
    for block in data["teams"]:
        _plan_teams(store, organisation, planned[block["event"]], block["teams"], by_key, timeline)


def plan_registrations(
    store: Store, event: Event, entries: list[Any], by_key: dict[str, Member], timeline: Timeline
) -> None:
    from chalicelib.services.registration import register

    assert event.registration_opens_at is not None
    for key, minutes, answers in entries:
        member = by_key[key]

        def enter(at: datetime, member: Member = member, answers: dict[str, Any] = answers) -> object:
            return register(store, member_principal(member), event.event_id, SERIES, answers, at)

        timeline.plan(event.registration_opens_at + timedelta(minutes=minutes), enter)


def _plan_quotas(
    store: Store, organisation: DemoOrganisation, event: Event, minimum: int, at: datetime, timeline: Timeline
) -> None:
    from chalicelib.services.quotas import QuotaPlan, set_quotas

    plan = QuotaPlan(minimum=minimum, release_at=event.quota_release_at)
    acting = member_principal(next(m for m in organisation.members if UNION_ADMIN_ROLE in m.roles))
    timeline.plan(at, lambda at: set_quotas(store, acting, _event(store, event.event_id), plan, at))


def _draw(store: Store, at: datetime) -> None:
    from chalicelib.services.lottery import draw_due_lotteries

    draw_due_lotteries(store, at)


def _plan_teams(
    store: Store,
    organisation: DemoOrganisation,
    event: Event,
    teams: list[dict[str, Any]],
    by_key: dict[str, Member],
    timeline: Timeline,
) -> None:
    from chalicelib.services.teams import enter_team

    assert event.registration_opens_at is not None
    union_admin = next(m for m in organisation.members if UNION_ADMIN_ROLE in m.roles)
    admins = {unit.unit_id: min(unit.admins) for unit in organisation.units if unit.admins}
    members = {m.staff_no: m for m in organisation.members}
    for team in teams:
        admin = members[admins[team["unit"]]] if team["unit"] in admins else union_admin
        roster = [by_key[key].staff_no for key in team["roster"]]
        captain = team["captain"] and by_key[team["captain"]].staff_no

        def enter(
            at: datetime, admin: Member = admin, team: dict[str, Any] = team, players: Any = (roster, captain)
        ) -> object:
            fresh, acting = _event(store, event.event_id), member_principal(admin)
            unit, name, team_id = team["unit"], team["name"], team["team_id"]
            return enter_team(store, acting, fresh, unit, name, players[0], players[1], at, team_id=team_id)

        timeline.plan(event.registration_opens_at + timedelta(minutes=team["minutes"]), enter)
