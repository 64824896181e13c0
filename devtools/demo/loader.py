"""The demo union as data, loaded through the services (issue 16, item 4): first section, the organisation.

``organisation.json`` holds the school union, its sub-unions, the members and the demo accounts. Dates in it are
relative, so the same file gives the same people whatever day it is: a member has an ``age`` on ``today``, was
born ``born_days_before`` days before the day they turned that age, and was hired ``service`` years ago; their
工号 is the hire year and their place among that year's hires in file order. ``read_organisation`` turns the file
into records (pure); ``load_organisation`` writes them through the services an administrator would use: sub-unions
created, the roster imported as a CSV file, unit admins appointed, accounts activated with one-time codes.
``events.json`` holds the events (see below): ``read_events`` places them relative to ``today``, ``load_events``
creates them through the organisers' service and moves each along its statuses. ``load_demo`` loads it all:
``make run`` (devtools/run.py), the tests (tests/conftest.py ``loaded_demo``), the fuzz and the page snapshot use it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chalicelib.domain.access import UNION_ADMIN_ROLE, Principal
from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.forms import form_from_data
from chalicelib.domain.records import (
    SCHOOL_UNIT_ID,
    Allocation,
    Audience,
    AudienceRule,
    CheckinSettings,
    Checkpoint,
    EntryType,
    Event,
    EventFormat,
    EventKind,
    EventStatus,
    Gender,
    Member,
    MemberStatus,
    ReminderPlan,
    TeamRule,
    Unit,
    UnitKind,
)

if TYPE_CHECKING:
    from chalicelib.settings import Settings
    from chalicelib.storage import Store

FIXTURES = Path(__file__).resolve().parent
ORGANISATION = FIXTURES / "organisation.json"
EVENTS = FIXTURES / "events.json"

# The address the demo's activations are counted against (the sign-in throttle keys on it).
_LOADER_ADDRESS = "127.0.0.1"


@dataclass(frozen=True)
class DemoAccount:
    role: str  # as shown to the person trying the demo
    staff_no: str
    name: str
    password: str


@dataclass(frozen=True)
class DemoOrganisation:
    units: tuple[Unit, ...]  # the school union first, then its sub-unions in order
    members: tuple[Member, ...]  # demo roles and admin rights included
    accounts: tuple[DemoAccount, ...]
    staff_no_of: dict[str, str]  # the fixture files name members by key ("cs-3"); the key's 工号


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def _members(rows: list[dict[str, Any]], today: date) -> tuple[dict[str, str], list[Member]]:
    """The members of the file on ``today``, and each one's fixture key → 工号."""
    next_seq_by_year: dict[int, int] = {}
    staff_no_of: dict[str, str] = {}
    members = []
    for row in rows:
        hire_year = today.year - row["service"]
        seq = next_seq_by_year.get(hire_year, 1)
        next_seq_by_year[hire_year] = seq + 1
        staff_no = f"{hire_year:04d}{seq:03d}"
        staff_no_of[row["key"]] = staff_no
        members.append(
            Member(
                staff_no=staff_no,
                name=row["name"],
                gender=Gender(row["gender"]),
                birth_date=_years_before(today, row["age"]) - timedelta(days=row["born_days_before"]),
                unit_id=row["unit"],
                status=MemberStatus(row["status"]),
                phone=row["phone"],
                email=f"{staff_no}@demo.edu.cn",
                roles=frozenset(),
            )
        )
    return staff_no_of, members


def read_organisation(today: date, path: Path = ORGANISATION) -> DemoOrganisation:
    """The organisation of the fixture file as it stands on ``today`` (no I/O besides reading the file)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    staff_no_of, members = _members(data["members"], today)
    admins_of: dict[str, set[str]] = {}
    union_admins: set[str] = set()
    for account in data["accounts"]:
        staff_no = staff_no_of[account["member"]]
        for unit_id in account["administers"]:
            admins_of.setdefault(unit_id, set()).add(staff_no)
        if account["union_admin"]:
            union_admins.add(staff_no)
    school = Unit(kind=UnitKind.SCHOOL, parent_id=None, position=0, **data["school"])
    subs = [
        Unit(kind=UnitKind.SUB, parent_id=SCHOOL_UNIT_ID, position=position, **fields)
        for position, fields in enumerate(data["sub_unions"], start=1)
    ]
    units = tuple(u._replace(admins=frozenset(admins_of.get(u.unit_id, ()))) for u in (school, *subs))
    administers = {
        staff_no: frozenset(u for u, a in admins_of.items() if staff_no in a) for staff_no in staff_no_of.values()
    }
    members = [
        m._replace(
            admin_units=administers[m.staff_no],
            roles=frozenset({UNION_ADMIN_ROLE}) if m.staff_no in union_admins else m.roles,
        )
        for m in members
    ]
    by_staff_no = {m.staff_no: m for m in members}
    accounts = tuple(
        DemoAccount(a["role"], staff_no_of[a["member"]], by_staff_no[staff_no_of[a["member"]]].name, a["password"])
        for a in data["accounts"]
    )
    return DemoOrganisation(units, tuple(members), accounts, staff_no_of)


def roster_csv(members: tuple[Member, ...]) -> bytes:
    """The members as the roster file an administrator would upload (the import's own column headers)."""
    from chalicelib.domain.roster import COLUMN_HEADERS

    columns = ("staff_no", "name", "gender", "birth_date", "unit", "phone", "email", "status")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([COLUMN_HEADERS[column][0] for column in columns])
    for m in members:
        writer.writerow(
            [m.staff_no, m.name, m.gender.value, m.birth_date.isoformat(), m.unit_id, m.phone, m.email, m.status.value]
        )
    return out.getvalue().encode("utf-8")


def union_admin(demo: DemoOrganisation) -> Principal:
    """The demo's union admin, who sets the union up and organises its events."""
    founder = next(m for m in demo.members if UNION_ADMIN_ROLE in m.roles)
    return Principal(staff_no=founder.staff_no, unit_id=founder.unit_id, union_admin=True)


def load_organisation(store: Store, settings: Settings, today: date) -> DemoOrganisation:
    """Write the organisation through the services, as the union admin of the demo would set it up.

    Two steps have no service and are written to the store directly: the school union itself (a deployment has
    exactly one, made when it is set up; first, as the events it owns need it) and the first union admin's role
    (union admins are appointed by union admins).
    """
    from chalicelib.errors import BadRequest
    from chalicelib.services.accounts import activate, issue_activation_codes
    from chalicelib.services.organisation import appoint_unit_admins, create_sub_union
    from chalicelib.services.roster_import import import_roster

    demo = read_organisation(today)
    school, *subs = demo.units
    founder = next(m for m in demo.members if UNION_ADMIN_ROLE in m.roles)
    acting = union_admin(demo)
    store.units.put_many([school])
    created = {}
    for unit in subs:
        fields = {name: getattr(unit, name) for name in ("unit_id", "name_zh", "name_en", "short_name", "campus")}
        created[unit.unit_id] = create_sub_union(store, acting, {**fields, "position": unit.position})
    report = import_roster(store, acting, roster_csv(demo.members), "demo-roster.csv")
    if report.outcome is None:
        raise BadRequest("demo_roster_rejected", details={"problems": [p.message_en for p in report.problems]})
    # No service: the first union admin of a deployment (the roster import keeps roles as they are).
    store.members.put_many([founder])
    for unit in subs:
        if unit.admins:
            appoint_unit_admins(store, acting, created[unit.unit_id], unit.admins)
    by_staff_no = {m.staff_no: m for m in demo.members}
    codes = issue_activation_codes(store, settings, [by_staff_no[a.staff_no] for a in demo.accounts])
    code_of = {issued.member.staff_no: issued.code for issued in codes}
    for account in demo.accounts:
        activate(store, settings, account.staff_no, code_of[account.staff_no], account.password, _LOADER_ADDRESS)
    return demo


# --- events ------------------------------------------------------------------------------------------------------
#
# ``events.json`` holds the events in catalogue order. Each is placed relative to ``today``: it starts ``day`` days
# from today (moved on to the first ``weekday`` on or after that day, when given) at ``starts``, ends ``days_after``
# its start day, and its registration, roster deadline and quota release fall ``days_before`` its start day at a
# given time. Titles and descriptions may name words that follow the start month ({season_zh}, {walk_en}, ...:
# ``words_by_start_month``) and the start and end days ({start.month}, {end:%B}, {start.year}).

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class DemoEvent:
    event: Event  # as planned, in the status an organiser would have moved it to by midday ``today``
    sessions: tuple[dict[str, Any], ...]  # as the organiser's form sends them (create_event numbers them)
    lottery_seed: str | None  # fixed, so that anyone can re-run the demo's draws


def at_time(day: date, clock: str) -> datetime:
    """``clock`` ("08:30") on ``day`` in China time."""
    hour, minute = clock.split(":")
    return datetime.combine(day, time(int(hour), int(minute)), CHINA_TZ)


def _before(start_day: date, spec: dict[str, Any]) -> datetime:
    return at_time(start_day - timedelta(days=spec["days_before"]), spec["time"])


def status_by(event: Event, reference: datetime) -> EventStatus:
    """The status an organiser keeping to the event's dates would have moved it to by ``reference``."""
    if event.ends_at < reference:
        return EventStatus.FINISHED
    if event.starts_at <= reference:
        return EventStatus.RUNNING
    assert event.registration_opens_at is not None and event.registration_closes_at is not None
    if reference < event.registration_opens_at:
        return EventStatus.PUBLISHED
    if event.registration_closes_at <= reference:
        return EventStatus.REGISTRATION_CLOSED
    return EventStatus.REGISTRATION_OPEN


def _sessions(event: Event, spec: dict[str, Any] | None) -> tuple[dict[str, Any], ...]:
    """Sessions on the given weekdays at the first session's time, from the first day to the last."""
    if spec is None:
        return ()
    weekdays = {_WEEKDAYS.index(name) for name in spec["weekdays"]}
    sessions, day = [], event.starts_at
    while day <= event.ends_at:
        if day.weekday() in weekdays:
            ends = day + timedelta(minutes=spec["minutes"])
            sessions.append({"starts_at": day, "ends_at": ends, "venue": event.venue, "capacity": spec.get("capacity")})
        day += timedelta(days=1)
    return tuple(sessions)


def _rules(row: dict[str, Any], start_day: date) -> dict[str, Any]:
    """How the event gives out places and takes entries, as Event fields."""
    rules: dict[str, Any] = {
        "form": form_from_data(row.get("form", [])),
        "single_sessions": row.get("single_sessions", False),
        "allocation": Allocation(row.get("allocation", Allocation.FIRST_COME)),
        "entry_type": EntryType(row.get("entry_type", EntryType.INDIVIDUAL)),
        "quotas": row.get("quotas", False),
        "lottery_priority_years": row.get("lottery_priority_years"),
        "reminders": ReminderPlan(row.get("reminders", ReminderPlan.NONE)),
    }
    if "audience" in row:
        audience = dict(row["audience"])
        audience["scope"] = Audience(audience.get("scope", Audience.ALL))
        audience["unit_ids"] = frozenset(audience.get("unit_ids", ()))
        if audience.get("gender"):
            audience["gender"] = Gender(audience["gender"])
        rules["audience"] = AudienceRule(**audience)
    if "team_rule" in row:
        team = dict(row["team_rule"])
        deadline = team.pop("roster_deadline", None)
        rules["team_rule"] = TeamRule(**team, roster_deadline=deadline and _before(start_day, deadline))
    if "quota_release" in row:
        rules["quota_release_at"] = _before(start_day, row["quota_release"])
    if "checkin" in row:
        points = tuple(Checkpoint(*point) for point in row["checkin"].get("checkpoints", ()))
        rules["checkin"] = CheckinSettings(**{**row["checkin"], "checkpoints": points})
    return rules


def _event(row: dict[str, Any], words: dict[str, dict[str, list[str]]], today: date) -> DemoEvent:
    start_day = today + timedelta(days=row["day"])
    if "weekday" in row:
        start_day += timedelta(days=(_WEEKDAYS.index(row["weekday"]) - start_day.weekday()) % 7)
    starts_at = at_time(start_day, row["starts"])
    ends_at = at_time(start_day + timedelta(days=row["ends"]["days_after"]), row["ends"]["time"])
    names: dict[str, Any] = {"start": start_day, "end": ends_at.date()}
    for word, by_month in words.items():
        names[f"{word}_zh"], names[f"{word}_en"] = by_month[str(start_day.month)]
    text = {key: row[key].format_map(names) for key in ("title_zh", "title_en", "description_zh", "description_en")}
    event = Event(
        event_id=row["event_id"],
        owner_unit_id=row["owner"],
        kind=EventKind(row["kind"]),
        format=EventFormat(row["format"]),
        starts_at=starts_at,
        ends_at=ends_at,
        venue=row["venue"],
        campus=row["campus"],
        capacity=row["capacity"],
        contact=row["contact"],
        registration_opens_at=_before(start_day, row["registration_opens"]),
        registration_closes_at=_before(start_day, row["registration_closes"]),
        **text,
        **_rules(row, start_day),
    )
    # Midday: an event dated ``today`` is neither past nor future.
    status = EventStatus.DRAFT if row.get("draft") else status_by(event, at_time(today, "12:00"))
    return DemoEvent(event._replace(status=status), _sessions(event, row.get("sessions")), row.get("lottery_seed"))


def read_events(today: date, path: Path = EVENTS) -> tuple[DemoEvent, ...]:
    """The events of the fixture file as planned on ``today`` (no I/O besides reading the file)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(_event(row, data["words_by_start_month"], today) for row in data["events"])


# The order an organiser moves an event along, and the moment of each step (the draft is published when made).
_STEPS = (
    (EventStatus.PUBLISHED, lambda event: None),
    (EventStatus.REGISTRATION_OPEN, lambda event: event.registration_opens_at),
    (EventStatus.REGISTRATION_CLOSED, lambda event: event.registration_closes_at),
    (EventStatus.RUNNING, lambda event: event.starts_at),
    (EventStatus.FINISHED, lambda event: event.ends_at),
)


_STATUS_ORDER = tuple(status for status, _ in _STEPS)


def _created_at(events: tuple[DemoEvent, ...]) -> datetime:
    """When the organisers made the demo's events: a term before the earliest registration opened."""
    return min(demo.event.registration_opens_at or demo.event.starts_at for demo in events) - timedelta(days=90)


class Timeline:
    """What happened in the demo union, as actions at instants, run in time order (ties in the order planned), so
    that each service sees the union as it stood then: a lottery applicant's tier, a draw after the close."""

    def __init__(self) -> None:
        self._actions: list[tuple[datetime, int, Callable[[datetime], object]]] = []

    def plan(self, at: datetime, action: Callable[[datetime], object]) -> None:
        self._actions.append((at, len(self._actions), action))

    def run(self) -> None:
        for at, _, action in sorted(self._actions, key=lambda planned: planned[:2]):
            action(at)


def plan_events(store: Store, acting: Principal, planned: tuple[DemoEvent, ...], timeline: Timeline) -> datetime:
    """Each event created through the organisers' service, then moved along to its status as of ``today``, each
    step at the moment an organiser keeping to the event's dates would have taken it. Returns when they were made."""
    from chalicelib.services.events import create_event

    created_at = _created_at(planned)
    for demo in planned:
        target = demo.event
        fields = {name: getattr(target, name) for name in target._fields if name not in _NOT_ORGANISER_FIELDS}

        def create(at: datetime, demo: DemoEvent = demo, fields: dict[str, Any] = fields) -> object:
            sessions = list(demo.sessions)
            ids = {"event_id": demo.event.event_id, "lottery_seed": demo.lottery_seed}
            return create_event(store, acting, fields, sessions, at, **ids)

        timeline.plan(created_at, create)
        steps = [] if target.status is EventStatus.DRAFT else _STEPS[: _STATUS_ORDER.index(target.status) + 1]
        for status, moment in steps:
            timeline.plan(moment(target) or created_at, _step(store, acting, target.event_id, status))
    return created_at


def _step(store: Store, acting: Principal, event_id: str, status: EventStatus) -> Callable[[datetime], object]:
    from chalicelib.services.events import change_status

    return lambda at: change_status(store, acting, event_id, status, at)


def load_events(store: Store, acting: Principal, today: date) -> tuple[DemoEvent, ...]:
    """The events alone, through the services (see ``plan_events``)."""
    planned = read_events(today)
    timeline = Timeline()
    plan_events(store, acting, planned, timeline)
    timeline.run()
    return planned


# What the service sets, not the organiser: the id, the status, the counters and the draw.
_NOT_ORGANISER_FIELDS = frozenset(
    {
        "event_id",
        "status",
        "confirmed_count",
        "waiting_count",
        "pending_count",
        "lottery_commitment",
        "lottery_drawn_at",
        "damaged",
    }
)


def load_demo(store: Store, settings: Settings, today: date) -> DemoOrganisation:
    """The whole demo union through the services: the organisation, then what happened in it up to ``today``."""
    from chalicelib.services.stats import rebuild
    from devtools.demo.checkins import plan_people
    from devtools.demo.contests import plan_competitions
    from devtools.demo.entries import plan_entries
    from devtools.demo.history import plan_history, years

    organisation = load_organisation(store, settings, today)
    events = read_events(today)
    timeline = Timeline()
    created_at = plan_events(store, union_admin(organisation), events, timeline)
    plan_entries(store, organisation, events, created_at, at_time(today, "12:00"), timeline)
    plan_people(store, organisation, events, timeline)
    plan_competitions(store, organisation, events, timeline)
    plan_history(store, organisation, today, timeline)
    timeline.run()
    # The year's statistics counted from what was loaded (make run's stream pollers would get there too, later).
    for year in years(today):
        rebuild(store, year, at_time(today, "12:00"), fix=True)
    return organisation
