"""The demo union as data, third section: something to see at the door (``checkins.json``), through the services.

Per event: the check-in staff the union admin named (every point, or only some) some days before the start; the
members who registered themselves (minutes after registration opened, with their answers); and the scans the staff
made of their tickets (minutes after the event's start, at a point, by a staff member at a named station, with the
station's scan id).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chalicelib.domain.records import SERIES, Event, Member

if TYPE_CHECKING:
    from chalicelib.storage import Store
    from devtools.demo.loader import DemoEvent, DemoOrganisation, Timeline

CHECKINS = Path(__file__).resolve().parent / "checkins.json"


def plan_checkins(
    store: Store,
    organisation: DemoOrganisation,
    events: tuple[DemoEvent, ...],
    timeline: Timeline,
    path: Path = CHECKINS,
) -> None:
    """Plan the staff, registrations and scans of the file on ``timeline``."""
    from devtools.demo.entries import member_principal, plan_registrations
    from devtools.demo.loader import at_time

    data = json.loads(path.read_text(encoding="utf-8"))
    planned = {demo.event.event_id: demo.event for demo in events}
    members = {m.staff_no: m for m in organisation.members}
    by_key = {key: members[staff_no] for key, staff_no in organisation.staff_no_of.items()}
    acting = member_principal(next(m for m in organisation.members if "union_admin" in m.roles))
    for block in data["events"]:
        event = planned[block["event"]]
        for staff in block["staff"]:
            granted_at = at_time(event.starts_at.date() - timedelta(days=staff["days_before"]), staff["time"])
            timeline.plan(granted_at, _naming(store, acting, event, by_key[staff["member"]], staff["points"]))
        plan_registrations(store, event, block["registrations"], by_key, timeline)
        for key, point, minutes, by, station, scan_id in block["scans"]:
            scan = _scanning(store, event, by_key[key], point, by_key[by], station, scan_id)
            timeline.plan(event.starts_at + timedelta(minutes=minutes), scan)


def _naming(store: Store, acting: Any, event: Event, member: Member, points: list[str]) -> Any:
    from chalicelib.services.checkin import name_staff

    return lambda at: name_staff(store, acting, event.event_id, member.staff_no, points, at)


def _scanning(store: Store, event: Event, member: Member, point: str, by: Member, station: str, scan_id: str) -> Any:
    """The staff member scans the member's ticket (the ticket the registration service issued)."""
    from chalicelib.services.checkin import Scan, check_in
    from devtools.demo.entries import member_principal

    def scan(at: datetime) -> object:
        registration = store.registrations.get(event.event_id, SERIES, member.staff_no)
        assert registration is not None and registration.ticket, (event.event_id, member.staff_no)
        result = check_in(
            store, member_principal(by), event.event_id, Scan(scan_id, point, code=registration.ticket), station, at
        )
        assert result.verdict.value == "admitted", (event.event_id, member.staff_no, point, result.verdict)
        return result

    return scan
