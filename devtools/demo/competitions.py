"""The demo union as data, fourth section: the competitions' people (``competitions.json``), through the services.

Per event: the referees and judges the union admin named (days before the start, or after it for a final's judge
asked the day after the preliminary), and the athletes and singers who registered themselves (minutes after
registration opened). The competitions themselves (draws, results, marks, measured performances) are not here yet:
the services cannot yet schedule a match on a court at a time, nor enter a meet's relay teams, both of which the demo
shows (``devtools.demo_seed`` still writes them).
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chalicelib.domain.records import Event, Member

if TYPE_CHECKING:
    from chalicelib.domain.access import Principal
    from chalicelib.storage import Store
    from devtools.demo.loader import DemoEvent, DemoOrganisation, Timeline

COMPETITIONS = Path(__file__).resolve().parent / "competitions.json"


def plan_competitions(
    store: Store,
    organisation: DemoOrganisation,
    events: tuple[DemoEvent, ...],
    timeline: Timeline,
    path: Path = COMPETITIONS,
) -> None:
    """Plan the officials and registrations of the file on ``timeline``."""
    from devtools.demo.entries import member_principal, plan_registrations
    from devtools.demo.loader import at_time

    data = json.loads(path.read_text(encoding="utf-8"))
    planned = {demo.event.event_id: demo.event for demo in events}
    members = {m.staff_no: m for m in organisation.members}
    by_key = {key: members[staff_no] for key, staff_no in organisation.staff_no_of.items()}
    acting = member_principal(next(m for m in organisation.members if "union_admin" in m.roles))
    for block in data["events"]:
        event = planned[block["event"]]
        for official in block["officials"]:
            named_at = at_time(event.starts_at.date() - timedelta(days=official["days_before"]), official["time"])
            timeline.plan(named_at, _naming(store, acting, event, by_key[official["member"]], official["role"]))
        plan_registrations(store, event, block["registrations"], by_key, timeline)


def _naming(store: Store, acting: Principal, event: Event, member: Member, role: str) -> Any:
    from chalicelib.services.competition import name_official

    return lambda at: name_official(store, acting, event.event_id, member.staff_no, role, at)
