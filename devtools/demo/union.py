"""The demo union as loaded, for tests, benchmarks and tools that need to name its people and records: the
organisation from the fixture files, everything that happened from the store (what the services made of it).

tests/integration/test_demo_union.py holds it to the shape a real union has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from devtools.demo.loader import DemoAccount, DemoOrganisation, read_events

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from datetime import date

    from chalicelib.domain.records import (
        CheckIn,
        Event,
        EventSession,
        Member,
        Registration,
        StaffRole,
        Team,
        Unit,
        UnitPlaces,
    )
    from chalicelib.storage import Store
    from chalicelib.storage.allocation import SealedDraw


@dataclass(frozen=True)
class DemoCompetition:
    """One event's competition as stored: set-up, and (stage, draw, match), (stage, entry, judge, marks) and
    (stage, discipline, entry, data) rows."""

    setup: Any  # chalicelib.domain.competition.setup.Competition
    matches: tuple[tuple[str, str, Any], ...]
    marks: tuple[tuple[str, str, str, dict[str, Any]], ...]
    performances: tuple[tuple[str, str, str, dict[str, Any]], ...]
    # a meet's heats and finals: (stage, discipline) → (rounds, version); (stage, discipline) → round → entry → marks
    rounds: dict[tuple[str, str], tuple[dict[str, Any], int]] = field(default_factory=dict)
    round_marks: dict[tuple[str, str], dict[str, dict[str, dict[str, Any]]]] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoUnion:
    units: tuple[Unit, ...]
    members: tuple[Member, ...]
    accounts: tuple[DemoAccount, ...]
    events: tuple[Event, ...]
    sessions: tuple[EventSession, ...]
    registrations: tuple[Registration, ...]
    unit_places: tuple[UnitPlaces, ...]  # quotas and their use; team events' teams per unit
    draws: tuple[SealedDraw, ...]  # lottery events: the sealed seed, and the published draw once drawn
    teams: tuple[Team, ...]
    check_ins: tuple[CheckIn, ...]
    event_roles: tuple[StaffRole, ...]  # check-in staff
    officials: tuple[StaffRole, ...]  # referees and judges
    competitions: tuple[DemoCompetition, ...]


def read_union(store: Store, organisation: DemoOrganisation, today: date) -> DemoUnion:
    """The demo union ``load_demo(store, settings, today)`` loaded, read back (a few queries per event)."""
    from chalicelib.services.competition import OFFICIAL_ROLES

    events = []
    for planned in read_events(today):
        event = store.events.get(planned.event.event_id, consistent=True)
        assert event is not None, planned.event.event_id
        events.append(event)
    ids = [event.event_id for event in events]
    roles = _per_event(ids, store.event_roles.for_event)
    officials = set(OFFICIAL_ROLES)
    return DemoUnion(
        units=organisation.units,
        members=organisation.members,
        accounts=organisation.accounts,
        events=tuple(events),
        sessions=_per_event(ids, store.sessions.for_event),
        registrations=_per_event(ids, store.registrations.for_event),
        unit_places=_per_event(ids, store.unit_places.for_event),
        draws=_per_event(ids, lambda event_id: [draw] if (draw := store.draws.get(event_id)) else []),
        teams=_per_event(ids, store.teams.for_event),
        check_ins=_per_event(ids, store.check_ins.for_event),
        event_roles=tuple(role for role in roles if not role.roles & officials),
        officials=tuple(role for role in roles if role.roles & officials),
        competitions=_competitions(store, ids),
    )


def _per_event(event_ids: list[str], read: Callable[[str], Iterable[Any]]) -> tuple[Any, ...]:
    return tuple(record for event_id in event_ids for record in read(event_id))


def _round_marks(stored: Iterable[Any]) -> dict[tuple[str, str], dict[str, dict[str, dict[str, Any]]]]:
    marks: dict[tuple[str, str], dict[str, dict[str, dict[str, Any]]]] = {}
    for mark in stored:
        marks.setdefault((mark.stage_id, mark.discipline), {}).setdefault(mark.round_code, {})[mark.entry_id] = (
            mark.data
        )
    return marks


def _competitions(store: Store, event_ids: list[str]) -> tuple[DemoCompetition, ...]:
    from chalicelib.domain.competition.setup import Competition

    competitions = []
    for event_id in event_ids:
        items = store.competitions.get(event_id)
        if items is None:
            continue
        competitions.append(
            DemoCompetition(
                setup=Competition.model_validate(items.setup),
                matches=tuple((m.stage_id, m.draw_id, m.match) for m in items.matches),
                marks=tuple((m.stage_id, m.entry_id, m.judge, m.marks) for m in items.marks),
                performances=tuple((p.stage_id, p.discipline, p.entry_id, p.data) for p in items.performances),
                rounds={(r.stage_id, r.discipline): (r.data, r.version) for r in items.rounds},
                round_marks=_round_marks(items.round_marks),
            )
        )
    return tuple(competitions)


def counts(union: DemoUnion) -> dict[str, int]:
    """How many of each record the loaded union holds, in the order ``make run`` prints them (README.md shows them)."""
    return {
        "units": len(union.units),
        "members": len(union.members),
        "events": len(union.events),
        "accounts": len(union.accounts),
        "registrations": len(union.registrations),
        "teams": len(union.teams),
        "unit_places": len(union.unit_places),
        "draws": len(union.draws),
        "check_ins": len(union.check_ins),
        "event_roles": len(union.event_roles),
        "officials": len(union.officials),
        "competitions": len(union.competitions),
    }
