"""The demo union as data, third and fourth sections: the people of its events, through the services.

``checkins.json``: something to see at the door. ``competitions.json``: the competitions' officials and competitors.
Per event, any of: ``staff``, check-in staff the union admin named (every point, or only some) some days before the
start; ``officials``, referees and judges the union admin named (days before the start, or after it: a final's judge
asked the day after the preliminary); ``registrations``, members who registered themselves (minutes after
registration opened, with their answers); ``scans``, the staff's scans of those members' tickets (minutes after the
event's start, at a point, by a staff member at a named station, with the station's scan id).

The competitions themselves (set-up, draws, results, marks, measured performances) are in the same file, under
``competition``, and played by ``devtools.demo.contests``.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chalicelib.domain.access import UNION_ADMIN_ROLE
from chalicelib.domain.records import SERIES, Event, Member

if TYPE_CHECKING:
    from chalicelib.domain.access import Principal
    from chalicelib.storage import Store
    from devtools.demo.loader import DemoEvent, DemoOrganisation, Timeline

CHECKINS = Path(__file__).resolve().parent / "checkins.json"
COMPETITIONS = Path(__file__).resolve().parent / "competitions.json"


def plan_people(
    store: Store,
    organisation: DemoOrganisation,
    events: tuple[DemoEvent, ...],
    timeline: Timeline,
    paths: tuple[Path, ...] = (CHECKINS, COMPETITIONS),
) -> None:
    """Plan the staff, officials, registrations and scans of the files on ``timeline``."""
    from devtools.demo.entries import member_principal, plan_registrations
    from devtools.demo.loader import at_time

    planned = {demo.event.event_id: demo.event for demo in events}
    members = {m.staff_no: m for m in organisation.members}
    by_key = {key: members[staff_no] for key, staff_no in organisation.staff_no_of.items()}
    acting = member_principal(next(m for m in organisation.members if UNION_ADMIN_ROLE in m.roles))
    for path in paths:
        for block in json.loads(path.read_text(encoding="utf-8"))["events"]:
            event = planned[block["event"]]
            for person in (*block.get("staff", ()), *block.get("officials", ())):
                named_at = at_time(event.starts_at.date() - timedelta(days=person["days_before"]), person["time"])
                timeline.plan(named_at, _naming(store, acting, event, by_key[person["member"]], person))
            plan_registrations(store, event, block.get("registrations", []), by_key, timeline)
            for key, point, minutes, by, station, scan_id in block.get("scans", ()):
                scan = _scanning(store, event, by_key[key], point, by_key[by], station, scan_id)
                timeline.plan(event.starts_at + timedelta(minutes=minutes), scan)


def _naming(store: Store, acting: Principal, event: Event, member: Member, person: dict[str, Any]) -> Any:
    """Check-in staff (``points``) or a referee or judge (``role``)."""
    from chalicelib.services.checkin import name_staff
    from chalicelib.services.competition_officials import name_official

    if "role" in person:
        return lambda at: name_official(store, acting, event.event_id, member.staff_no, person["role"], at)
    return lambda at: name_staff(store, acting, event.event_id, member.staff_no, person["points"], at)


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
