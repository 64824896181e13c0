"""record_from / item_from (chalicelib.storage.convert): fields copied by name, converted ones as given."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from chalicelib.domain.records import (
    EventSession,
    StaffRole,
    Team,
    TeamState,
    Unit,
    UnitKind,
)
from chalicelib.storage.checkin import EventRoles
from chalicelib.storage.convert import item_from, json_or_none, record_from
from chalicelib.storage.registrations import Sessions
from chalicelib.storage.tables import EventRoleTable, TeamTable, UnitTable
from chalicelib.storage.teams import Teams

AT = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)


def test_item_from_copies_the_shared_fields_and_takes_the_converted_ones() -> None:
    team = Team("e1", "t1", "cs", "计院一队", ("1", "2"), "1", TeamState.ENTERED, 3, "9", AT, AT)
    item = item_from(TeamTable, team, roster=json.dumps(list(team.roster)), state=team.state.value)
    assert (
        item.serialize()
        == TeamTable(
            "e1",
            "t1",
            unit_id="cs",
            name="计院一队",
            roster='["1", "2"]',
            captain="1",
            state="entered",
            version=3,
            created_by="9",
            created_at=AT,
            updated_at=AT,
        ).serialize()
    )


def test_record_from_reads_back_what_item_from_wrote() -> None:
    team = Team("e1", "t1", "cs", "计院一队", ("1", "2"), None, TeamState.WITHDRAWN, 0, "9", AT, AT)
    assert Teams.record(Teams._item(team)) == team
    session = EventSession("e1", "s01", AT, AT, venue=None, capacity=30, confirmed_count=2, waiting_count=1)
    assert Sessions.record(Sessions.item(session)) == session
    role = StaffRole("e1", "1", "张三", "cs", frozenset({"checkin", "checkin@gate"}), "9", AT)
    assert EventRoles.record(EventRoles.item(role)) == role


def test_a_field_the_table_has_no_attribute_for_keeps_its_default_or_takes_the_converted_value() -> None:
    item = UnitTable("cs", kind="sub", name_zh="计算机学院分工会", short_name_zh="计院", position=2)
    unit = record_from(Unit, item, kind=UnitKind.SUB, short_name=item.short_name_zh)
    assert unit == Unit("cs", UnitKind.SUB, "计算机学院分工会", short_name="计院", position=2)
    assert unit.admins == frozenset()  # the table's attribute is admin_staff_nos: no field of that name


def test_json_or_none() -> None:
    assert json_or_none(None) is None
    assert json_or_none("") is None
    assert json_or_none('{"a": 1}') == {"a": 1}


def test_the_role_item_holds_the_roles_as_a_set() -> None:
    role = StaffRole("e1", "1", "张三", "cs", frozenset({"judge"}), "9", AT)
    item = EventRoles.item(role)
    assert isinstance(item, EventRoleTable)
    assert item.roles == {"judge"}
