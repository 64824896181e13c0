"""Repositories: table items in, domain records out. Every read is a key lookup or an index query."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime

from pynamodb.exceptions import DoesNotExist

from chalicelib.domain.calendar import calendar_month, months_from, now
from chalicelib.domain.records import (
    Event,
    EventFormat,
    EventKind,
    EventStatus,
    Gender,
    Member,
    MemberStatus,
    Unit,
    UnitKind,
)
from chalicelib.storage.tables import EventTable, MemberTable, UnitTable


class UnitRepository:
    @staticmethod
    def _record(item: UnitTable) -> Unit:
        return Unit(
            unit_id=item.unit_id,
            kind=UnitKind(item.kind),
            name_zh=item.name_zh,
            name_en=item.name_en,
            short_name=item.short_name_zh,
            campus=item.campus,
            parent_id=item.parent_id,
            position=int(item.position),
            admins=frozenset(item.admin_staff_nos or ()),
        )

    def get(self, unit_id: str) -> Unit | None:
        try:
            return self._record(UnitTable.get(unit_id))
        except DoesNotExist:
            return None

    def children(self, parent_id: str) -> list[Unit]:
        return [self._record(item) for item in UnitTable.by_parent.query(parent_id)]

    @staticmethod
    def item(unit: Unit, created_at: datetime, updated_at: datetime) -> UnitTable:
        return UnitTable(
            unit.unit_id,
            kind=unit.kind.value,
            name_zh=unit.name_zh,
            name_en=unit.name_en,
            short_name_zh=unit.short_name,
            campus=unit.campus,
            parent_id=unit.parent_id,
            position=unit.position,
            admin_staff_nos=set(unit.admins) or None,
            created_at=created_at,
            updated_at=updated_at,
        )

    def put_many(self, units: Iterable[Unit]) -> int:
        stamp = now()
        count = 0
        with UnitTable.batch_write() as batch:
            for unit in units:
                batch.save(self.item(unit, stamp, stamp))
                count += 1
        return count


class MemberRepository:
    @staticmethod
    def _record(item: MemberTable) -> Member:
        return Member(
            staff_no=item.staff_no,
            name=item.name,
            gender=Gender(item.gender),
            birth_date=date.fromisoformat(item.birth_date),
            unit_id=item.unit_id,
            status=MemberStatus(item.status),
            phone=item.phone,
            email=item.email,
            roles=frozenset(item.roles or ()),
            admin_units=frozenset(item.admin_units or ()),
        )

    def get(self, staff_no: str) -> Member | None:
        try:
            return self._record(MemberTable.get(staff_no))
        except DoesNotExist:
            return None

    def in_unit(self, unit_id: str) -> Iterator[Member]:
        return (self._record(item) for item in MemberTable.by_unit.query(unit_id))

    @staticmethod
    def item(member: Member, created_at: datetime, updated_at: datetime) -> MemberTable:
        return MemberTable(
            member.staff_no,
            name=member.name,
            gender=member.gender.value,
            birth_date=member.birth_date.isoformat(),
            unit_id=member.unit_id,
            status=member.status.value,
            phone=member.phone,
            email=member.email,
            roles=set(member.roles) or None,
            admin_units=set(member.admin_units) or None,
            created_at=created_at,
            updated_at=updated_at,
        )

    def put_many(self, members: Iterable[Member]) -> int:
        stamp = now()
        count = 0
        with MemberTable.batch_write() as batch:
            for member in members:
                batch.save(self.item(member, stamp, stamp))
                count += 1
        return count


class EventRepository:
    @staticmethod
    def _record(item: EventTable) -> Event:
        return Event(
            event_id=item.event_id,
            owner_unit_id=item.owner_unit_id,
            kind=EventKind(item.kind),
            format=EventFormat(item.format),
            status=EventStatus(item.status),
            title_zh=item.title_zh,
            title_en=item.title_en,
            description_zh=item.description_zh,
            description_en=item.description_en,
            venue=item.venue,
            campus=item.campus,
            capacity=int(item.capacity) if item.capacity is not None else None,
            starts_at=item.starts_at,
            ends_at=item.ends_at,
            registration_opens_at=item.registration_opens_at,
            registration_closes_at=item.registration_closes_at,
            contact=item.contact,
        )

    def get(self, event_id: str) -> Event | None:
        try:
            return self._record(EventTable.get(event_id))
        except DoesNotExist:
            return None

    def by_owner(self, unit_id: str) -> list[Event]:
        return [self._record(item) for item in EventTable.by_owner.query(unit_id)]

    def upcoming(self, after: datetime, limit: int, months_ahead: int = 12) -> list[Event]:
        """Visible events starting at or after ``after``, soonest first: one index query per calendar month."""
        found: list[Event] = []
        for month in months_from(after, months_ahead):
            remaining = limit - len(found)
            if remaining <= 0:
                break
            query = EventTable.by_calendar.query(month, EventTable.starts_at >= after, limit=remaining)
            found.extend(self._record(item) for item in query)
        return found

    def put_many(self, events: Iterable[Event]) -> int:
        stamp = now()
        count = 0
        with EventTable.batch_write() as batch:
            for event in events:
                listed = event.status is not EventStatus.DRAFT
                batch.save(
                    EventTable(
                        event.event_id,
                        owner_unit_id=event.owner_unit_id,
                        kind=event.kind.value,
                        format=event.format.value,
                        status=event.status.value,
                        title_zh=event.title_zh,
                        title_en=event.title_en,
                        description_zh=event.description_zh,
                        description_en=event.description_en,
                        venue=event.venue,
                        campus=event.campus,
                        capacity=event.capacity,
                        starts_at=event.starts_at,
                        ends_at=event.ends_at,
                        registration_opens_at=event.registration_opens_at,
                        registration_closes_at=event.registration_closes_at,
                        contact=event.contact,
                        calendar_month=calendar_month(event.starts_at) if listed else None,
                        created_at=stamp,
                        updated_at=stamp,
                    )
                )
                count += 1
        return count
