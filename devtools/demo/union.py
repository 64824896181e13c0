"""The demo union as loaded, for tests, benchmarks and tools that need to name its people and records: the
organisation from the fixture files, everything that happened from the store (what the services made of it).

Field names follow ``devtools.demo_seed.DemoUnion``, so that its users change little when they move to the loader.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from devtools.demo.loader import DemoAccount, DemoOrganisation, read_events

if TYPE_CHECKING:
    from datetime import date

    from chalicelib.domain.records import Event, Member, Registration, StaffRole, Team, Unit
    from chalicelib.storage import Store


@dataclass(frozen=True)
class DemoCompetition:
    """One event's competition as stored: set-up, and (stage, draw, match), (stage, entry, judge, marks) and
    (stage, discipline, entry, data) rows."""

    setup: Any  # chalicelib.domain.competition.setup.Competition
    matches: tuple[tuple[str, str, Any], ...]
    marks: tuple[tuple[str, str, str, dict[str, Any]], ...]
    performances: tuple[tuple[str, str, str, dict[str, Any]], ...]


@dataclass(frozen=True)
class DemoUnion:
    units: tuple[Unit, ...]
    members: tuple[Member, ...]
    accounts: tuple[DemoAccount, ...]
    events: tuple[Event, ...]
    registrations: tuple[Registration, ...]
    teams: tuple[Team, ...]
    event_roles: tuple[StaffRole, ...]  # check-in staff
    officials: tuple[StaffRole, ...]  # referees and judges
    competitions: tuple[DemoCompetition, ...]


def read_union(store: Store, organisation: DemoOrganisation, today: date) -> DemoUnion:
    """The demo union ``load_demo(store, settings, today)`` loaded, read back (a few queries per event)."""
    from chalicelib.domain.competition.setup import Competition
    from chalicelib.services.competition import OFFICIAL_ROLES

    events = []
    for planned in read_events(today):
        event = store.events.get(planned.event.event_id, consistent=True)
        assert event is not None, planned.event.event_id
        events.append(event)
    roles = [role for event in events for role in store.event_roles.for_event(event.event_id)]
    competitions = []
    for event in events:
        items = store.competitions.get(event.event_id)
        if items is None:
            continue
        competitions.append(
            DemoCompetition(
                setup=Competition.model_validate(items.setup),
                matches=tuple((m.stage_id, m.draw_id, m.match) for m in items.matches),
                marks=tuple((m.stage_id, m.entry_id, m.judge, m.marks) for m in items.marks),
                performances=tuple((p.stage_id, p.discipline, p.entry_id, p.data) for p in items.performances),
            )
        )
    return DemoUnion(
        units=organisation.units,
        members=organisation.members,
        accounts=organisation.accounts,
        events=tuple(events),
        registrations=tuple(r for event in events for r in store.registrations.for_event(event.event_id)),
        teams=tuple(team for event in events for team in store.teams.for_event(event.event_id)),
        event_roles=tuple(role for role in roles if not role.roles & set(OFFICIAL_ROLES)),
        officials=tuple(role for role in roles if role.roles & set(OFFICIAL_ROLES)),
        competitions=tuple(competitions),
    )


def counts(store: Store, union: DemoUnion) -> dict[str, int]:
    """How many of each record the loaded union holds, in the order ``make run`` prints them (README.md shows them)."""
    event_ids = [event.event_id for event in union.events]
    return {
        "units": len(union.units),
        "members": len(union.members),
        "events": len(union.events),
        "accounts": len(union.accounts),
        "registrations": len(union.registrations),
        "teams": len(union.teams),
        "unit_places": sum(len(store.unit_places.for_event(event_id)) for event_id in event_ids),
        "draws": sum(store.draws.get(event_id) is not None for event_id in event_ids),
        "check_ins": sum(len(store.check_ins.for_event(event_id)) for event_id in event_ids),
        "event_roles": len(union.event_roles),
        "officials": len(union.officials),
        "competitions": len(union.competitions),
    }
