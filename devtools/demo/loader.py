"""The demo union as data, loaded through the services (issue 16, item 4): first section, the organisation.

``organisation.json`` holds the school union, its sub-unions, the members and the demo accounts. Dates in it are
relative, so the same file gives the same people whatever day it is: a member has an ``age`` on ``today``, was
born ``born_days_before`` days before the day they turned that age, and was hired ``service`` years ago; their
工号 is the hire year and their place among that year's hires in file order (as ``devtools.demo_seed`` numbers
them). ``read_organisation`` turns the file into records (pure); ``load_organisation`` writes them through the
services an administrator would use: sub-unions created, the roster imported as a CSV file, unit admins appointed,
accounts activated with one-time codes. Not yet switched on: ``devtools.demo_seed`` still writes the demo union.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chalicelib.domain.access import UNION_ADMIN_ROLE, Principal
from chalicelib.domain.records import SCHOOL_UNIT_ID, Gender, Member, MemberStatus, Unit, UnitKind

if TYPE_CHECKING:
    from chalicelib.settings import Settings
    from chalicelib.storage import Store

FIXTURES = Path(__file__).resolve().parent
ORGANISATION = FIXTURES / "organisation.json"

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
    units = tuple(replace(u, admins=frozenset(admins_of.get(u.unit_id, ()))) for u in (school, *subs))
    administers = {
        staff_no: frozenset(u for u, a in admins_of.items() if staff_no in a) for staff_no in staff_no_of.values()
    }
    members = [
        replace(
            m,
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
    return DemoOrganisation(units, tuple(members), accounts)


def roster_csv(members: tuple[Member, ...]) -> bytes:
    """The members as the roster file an administrator would upload (the import's own column labels)."""
    from chalicelib.domain.roster import COLUMN_LABELS

    columns = ("staff_no", "name", "gender", "birth_date", "unit", "phone", "email", "status")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([COLUMN_LABELS[column][0] for column in columns])
    for m in members:
        writer.writerow(
            [m.staff_no, m.name, m.gender.value, m.birth_date.isoformat(), m.unit_id, m.phone, m.email, m.status.value]
        )
    return out.getvalue().encode("utf-8")


def load_organisation(store: Store, settings: Settings, today: date) -> DemoOrganisation:
    """Write the organisation through the services, as the union admin of the demo would set it up.

    Two steps have no service and are written to the store directly: the school union itself (a deployment has
    exactly one, made when it is set up) and the first union admin's role (union admins are appointed by union
    admins). The school union goes last: it is the "already seeded" marker of ``devtools.demo_seed``.
    """
    from chalicelib.errors import BadRequest
    from chalicelib.services.accounts import activate, issue_activation_codes
    from chalicelib.services.organisation import appoint_unit_admins, create_sub_union
    from chalicelib.services.roster_import import import_roster

    demo = read_organisation(today)
    school, *subs = demo.units
    founder = next(m for m in demo.members if UNION_ADMIN_ROLE in m.roles)
    acting = Principal(staff_no=founder.staff_no, unit_id=founder.unit_id, union_admin=True)
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
    store.units.put_many([school])
    return demo
