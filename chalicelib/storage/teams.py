"""Teams fielded by units, and their players' registrations, written together.

Each player on a roster has a registration (state ``team``) under the usual key, so the key itself stops a member
from being on two teams of one event, or on a team and entered alone. A team takes one of the event's places
(``confirmed_count < capacity``) and one of its unit's team places (``used < teams_per_unit``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from chalicelib.domain.records import (
    SERIES,
    Member,
    Registration,
    RegistrationState,
    Team,
    TeamState,
    member_registration,
)
from chalicelib.storage.convert import get_or_none, item_from, record_from
from chalicelib.storage.registrations import (
    POOL,
    Registrations,
    UnitPlace,
    entry_key,
    has_room,
    open_condition,
)
from chalicelib.storage.tables import EventTable, RegistrationTable, TeamTable
from chalicelib.storage.writes import LabelledTransaction

TEAM = "team"
MEMBER_PREFIX = "member:"


def _player(team: Team, member: Member, at: datetime) -> Registration:
    return member_registration(
        team.event_id, SERIES, member, RegistrationState.TEAM, at, added_by=team.created_by, team_id=team.team_id
    )


def _put_players(tx: LabelledTransaction, team: Team, members: Iterable[Member], at: datetime) -> None:
    """Each member's registration on the team, written only where its key is free (chalicelib.storage.registrations)."""
    for member in members:
        tx.put(
            f"{MEMBER_PREFIX}{member.staff_no}",
            Registrations.item(_player(team, member, at)),
            Registrations.new_entry(),
        )


class Teams:
    @staticmethod
    def record(item: TeamTable) -> Team:
        return record_from(
            Team,
            item,
            roster=tuple(json.loads(item.roster)),
            state=TeamState(item.state),
            version=int(item.version or 0),
        )

    @staticmethod
    def _item(team: Team) -> TeamTable:
        return item_from(TeamTable, team, roster=json.dumps(list(team.roster)), state=team.state.value)

    def get(self, event_id: str, team_id: str) -> Team | None:
        item = get_or_none(TeamTable, event_id, team_id, consistent_read=True)
        return None if item is None else self.record(item)

    def for_event(self, event_id: str) -> list[Team]:
        return [self.record(item) for item in TeamTable.query(event_id, consistent_read=True)]

    def enter(
        self,
        team: Team,
        players: list[Member],
        at: datetime,
        *,
        teams_per_unit: int,
        by_organiser: bool,
        extra: tuple[Any, ...] = (),
    ) -> None:
        """Enter a team: the team, a place, one of its unit's team places and each player's registration.

        Fails on ``pool`` (the event is full or no longer takes entries), ``unit_place`` (the unit has entered
        its number of teams) or ``member:<工号>`` (that member is already on a team or entered)."""
        tx = LabelledTransaction()
        tx.put(TEAM, self._item(team), condition=TeamTable.team_id.does_not_exist())
        tx.update(
            POOL,
            EventTable(team.event_id),
            actions=[EventTable.confirmed_count.add(1)],
            condition=has_room(EventTable) & open_condition(at, by_organiser),
        )
        Registrations.use_unit_place(tx, team.event_id, UnitPlace(team.unit_id, limit=teams_per_unit), +1)
        _put_players(tx, team, players, at)
        tx.put_extra(extra)
        tx.commit()

    def change_roster(
        self,
        team: Team,
        roster: list[str],
        taken_off: list[str],
        put_on: list[Member],
        at: datetime,
        *,
        name: str | None = None,
        captain: str | None = None,
        extra: tuple[Any, ...] = (),
    ) -> Team:
        """Substitute players: the roster is written over the version it was read at, the players taken off lose
        their registration and the ones put on get one, all together.

        Fails on ``team`` (someone changed the team meanwhile) or ``member:<工号>`` (already on a team)."""
        changed = team._replace(
            roster=tuple(roster),
            name=name or team.name,
            captain=captain or None,
            version=team.version + 1,
            updated_at=at,
        )
        tx = LabelledTransaction()
        tx.update(
            TEAM,
            TeamTable(team.event_id, team.team_id),
            actions=[
                TeamTable.roster.set(json.dumps(list(changed.roster))),
                TeamTable.name.set(changed.name),
                TeamTable.captain.set(changed.captain) if changed.captain else TeamTable.captain.remove(),
                TeamTable.version.set(changed.version),
                TeamTable.updated_at.set(at),
            ],
            condition=(TeamTable.version == team.version) & (TeamTable.state == TeamState.ENTERED.value),
        )
        for staff_no in taken_off:
            self._end_player(tx, team, staff_no, at)
        _put_players(tx, changed, put_on, at)
        tx.put_extra(extra)
        tx.commit()
        return changed

    def withdraw(self, team: Team, at: datetime, extra: tuple[Any, ...] = ()) -> None:
        """Withdraw a team: its place and its unit's team place are freed, its players' registrations end.

        Fails on ``team`` (changed meanwhile)."""
        tx = LabelledTransaction()
        tx.update(
            TEAM,
            TeamTable(team.event_id, team.team_id),
            actions=[
                TeamTable.state.set(TeamState.WITHDRAWN.value),
                TeamTable.version.set(team.version + 1),
                TeamTable.updated_at.set(at),
            ],
            condition=(TeamTable.version == team.version) & (TeamTable.state == TeamState.ENTERED.value),
        )
        tx.update(POOL, EventTable(team.event_id), actions=[EventTable.confirmed_count.add(-1)])
        Registrations.use_unit_place(tx, team.event_id, UnitPlace(team.unit_id), -1)
        for staff_no in team.roster:
            self._end_player(tx, team, staff_no, at)
        tx.put_extra(extra)
        tx.commit()

    @staticmethod
    def _end_player(tx: LabelledTransaction, team: Team, staff_no: str, at: datetime) -> None:
        tx.update(
            f"{MEMBER_PREFIX}{staff_no}",
            RegistrationTable(team.event_id, entry_key(SERIES, staff_no)),
            actions=[
                RegistrationTable.state.set(RegistrationState.CANCELLED.value),
                RegistrationTable.updated_at.set(at),
            ],
            condition=(RegistrationTable.team_id == team.team_id)
            & (RegistrationTable.state == RegistrationState.TEAM.value),
        )
