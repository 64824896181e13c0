"""Repositories: table items in, domain records out. Every read is a key lookup or an index query."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.domain.calendar import calendar_month, months_from, now
from chalicelib.domain.forms import form_from_data, form_to_data
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
    EventSession,
    EventStatus,
    Gender,
    Member,
    MemberStatus,
    PairGender,
    PairRule,
    ReminderPlan,
    TeamRule,
    Unit,
    UnitKind,
)
from chalicelib.storage.convert import item_from, record_from
from chalicelib.storage.registrations import Sessions
from chalicelib.storage.salvage import Salvage
from chalicelib.storage.tables import AuditTable, DrawTable, EventTable, MemberTable, UnitTable
from chalicelib.storage.writes import LabelledTransaction, save_all

# What a member's damaged gender or birth date reads as until an admin repairs it (the record names the field).
DAMAGED_GENDER = Gender.FEMALE
DAMAGED_BIRTH_DATE = date(1900, 1, 1)
# What an event's times read as when both are damaged (and its creation time too).
_LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


class UnitRepository:
    @staticmethod
    def _record(item: UnitTable) -> Unit:
        """The unit; a damaged field reads as a fallback named in ``damaged`` (chalicelib.storage.salvage)."""
        fix = Salvage("units", item.unit_id, item.unreadable)
        kind = UnitKind.SCHOOL if item.unit_id == SCHOOL_UNIT_ID else UnitKind.SUB
        return fix.flag(
            record_from(
                Unit,
                item,
                kind=fix.choice("kind", item.kind, UnitKind, kind),
                name_zh=fix.text("name_zh", item.name_zh, item.unit_id),
                short_name=item.short_name_zh,
                position=fix.integer("position", item.position, 0),
                admins=frozenset(item.admin_staff_nos or ()),
            )
        )

    def get(self, unit_id: str) -> Unit | None:
        try:
            return self._record(UnitTable.get(unit_id))
        except DoesNotExist:
            return None

    def children(self, parent_id: str) -> list[Unit]:
        return [self._record(item) for item in UnitTable.by_parent.query(parent_id)]

    def whole_union(self) -> list[Unit]:
        """The school union, then its sub-unions in display order."""
        school = self.get(SCHOOL_UNIT_ID)
        return ([school] if school else []) + self.children(SCHOOL_UNIT_ID)

    @staticmethod
    def item(unit: Unit, created_at: datetime, updated_at: datetime) -> UnitTable:
        return item_from(
            UnitTable,
            unit,
            kind=unit.kind.value,
            short_name_zh=unit.short_name,
            admin_staff_nos=set(unit.admins) or None,
            created_at=created_at,
            updated_at=updated_at,
        )

    def put_many(self, units: Iterable[Unit]) -> int:
        stamp = now()
        return save_all(UnitTable, (self.item(unit, stamp, stamp) for unit in units))


class MemberRepository:
    @staticmethod
    def _record(item: MemberTable) -> Member:
        """The member; a damaged field reads as a fallback named in ``damaged`` (chalicelib.storage.salvage). A
        damaged status reads as "left" (fails closed: no sign-in until an admin repairs it)."""
        fix = Salvage("members", item.staff_no, item.unreadable)
        return fix.flag(
            record_from(
                Member,
                item,
                name=fix.text("name", item.name, item.staff_no),
                gender=fix.choice("gender", item.gender, Gender, DAMAGED_GENDER),
                birth_date=fix.iso_date("birth_date", item.birth_date, DAMAGED_BIRTH_DATE),
                unit_id=fix.text("unit_id", item.unit_id, ""),
                status=fix.choice("status", item.status, MemberStatus, MemberStatus.LEFT),
                roles=frozenset(item.roles or ()),
                admin_units=frozenset(item.admin_units or ()),
            )
        )

    def get(self, staff_no: str) -> Member | None:
        try:
            return self._record(MemberTable.get(staff_no))
        except DoesNotExist:
            return None

    def get_many(self, staff_nos: Iterable[str]) -> dict[str, Member]:
        """Members by 工号 (BatchGetItem); 工号 with no member are left out."""
        return {item.staff_no: self._record(item) for item in MemberTable.batch_get(set(staff_nos))}

    def in_unit(self, unit_id: str) -> Iterator[Member]:
        return (self._record(item) for item in MemberTable.by_unit.query(unit_id))

    def active_count(self, unit_id: str) -> int:
        """Active members of a unit (what quotas are shared out in proportion to)."""
        return MemberTable.by_unit.count(unit_id, filter_condition=MemberTable.status == MemberStatus.ACTIVE.value)

    @staticmethod
    def item(member: Member, created_at: datetime, updated_at: datetime) -> MemberTable:
        return item_from(
            MemberTable,
            member,
            gender=member.gender.value,
            birth_date=member.birth_date.isoformat(),
            status=member.status.value,
            roles=set(member.roles) or None,
            admin_units=set(member.admin_units) or None,
            created_at=created_at,
            updated_at=updated_at,
        )

    def put_many(self, members: Iterable[Member]) -> int:
        stamp = now()
        return save_all(MemberTable, (self.item(member, stamp, stamp) for member in members))


def _audience(item: EventTable, fix: Salvage) -> AudienceRule:
    return AudienceRule(
        # A damaged scope reads as the narrowest one (the organising unit) until the organiser repairs it.
        scope=fix.choice("audience_scope", item.audience_scope, Audience, Audience.OWN_UNIT),
        unit_ids=frozenset(item.audience_units or ()),
        gender=fix.optional("audience_gender", item.audience_gender, Gender),
        min_age=fix.optional("audience_min_age", item.audience_min_age, _whole),
        max_age=fix.optional("audience_max_age", item.audience_max_age, _whole),
    )


def _whole(value: float) -> int:
    if int(value) != value:
        raise ValueError("not a whole number")
    return int(value)


def _capacity(item: EventTable, fix: Salvage) -> int | None:
    """None means no limit, so a damaged capacity reads as no places (0), not as unlimited."""
    if item.capacity is None and "capacity" not in item.unreadable:
        return None
    return fix.value("capacity", item.capacity, _whole, 0)


def _team_rule(data: dict) -> TeamRule:
    deadline = data.pop("roster_deadline", None)
    return TeamRule(**data, roster_deadline=datetime.fromisoformat(deadline) if deadline else None)


def _team_rule_text(rule: TeamRule) -> str | None:
    if rule == TeamRule():
        return None
    data = rule._asdict()
    data["roster_deadline"] = rule.roster_deadline.isoformat() if rule.roster_deadline else None
    return json.dumps(data, sort_keys=True)


def _checkin(data: dict) -> CheckinSettings:
    checkpoints = tuple(Checkpoint(**checkpoint) for checkpoint in data.pop("checkpoints", ()))
    return CheckinSettings(**data, checkpoints=checkpoints)


def _checkin_text(settings: CheckinSettings) -> str | None:
    if settings == CheckinSettings():
        return None
    data = settings._asdict()
    data["checkpoints"] = [checkpoint._asdict() for checkpoint in settings.checkpoints]
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


class EventRepository:
    @staticmethod
    def record(item: EventTable) -> Event:
        """The event; a damaged field reads as a fallback named in ``damaged`` (chalicelib.storage.salvage). A
        damaged status reads as a draft (only its organisers see it until they repair it), a damaged capacity as no
        places, a damaged audience scope as the organising unit: each fails closed. A field stored as it is, in an
        attribute of its name, is copied by ``record_from`` (written by ``item_from``): only the others are named."""
        fix = Salvage("events", item.event_id, item.unreadable)
        starts_at = fix.moment("starts_at", item.starts_at, item.ends_at or item.created_at or _LONG_AGO)
        form: tuple[Any, ...] = fix.data("form", item.form, form_from_data, ())
        return fix.flag(
            record_from(
                Event,
                item,
                owner_unit_id=fix.text("owner_unit_id", item.owner_unit_id, SCHOOL_UNIT_ID),
                kind=fix.choice("kind", item.kind, EventKind, EventKind.WELLNESS),
                format=fix.choice("format", item.format, EventFormat, EventFormat.SESSION),
                status=fix.choice("status", item.status, EventStatus, EventStatus.DRAFT),
                title_zh=fix.text("title_zh", item.title_zh, item.event_id),
                description_zh=item.description_zh or "",
                capacity=_capacity(item, fix),
                starts_at=starts_at,
                ends_at=fix.moment("ends_at", item.ends_at, starts_at),
                audience=_audience(item, fix),
                waiting_list=bool(item.waiting_list),
                single_sessions=bool(item.single_sessions),
                form=form,
                allocation=fix.choice("allocation", item.allocation or "first_come", Allocation, Allocation.FIRST_COME),
                entry_type=fix.choice("entry_type", item.entry_type or "individual", EntryType, EntryType.INDIVIDUAL),
                pair_rule=PairRule(
                    fix.choice("pair_gender", item.pair_gender or "any", PairGender, PairGender.ANY),
                    bool(item.pair_same_unit),
                ),
                team_rule=fix.data("team_rule", item.team_rule, _team_rule, TeamRule()),
                quotas=bool(item.quotas),
                entry_group_limit=fix.optional("entry_group_limit", item.entry_group_limit, _whole),
                lottery_priority_years=fix.optional("lottery_priority_years", item.lottery_priority_years, _whole),
                checkin=fix.data("checkin", item.checkin, _checkin, CheckinSettings()),
                reminders=fix.choice("reminders", item.reminders or "none", ReminderPlan, ReminderPlan.NONE),
                confirmed_count=fix.integer("confirmed_count", item.confirmed_count or 0, 0),
                waiting_count=fix.integer("waiting_count", item.waiting_count or 0, 0),
                waiting_seq=fix.integer("waiting_seq", item.waiting_seq or 0, 0),
                pending_count=fix.integer("pending_count", item.pending_count or 0, 0),
            )
        )

    def found(self, raw: dict[str, Any]) -> Event:
        """The event from the raw item a failed conditional write returned (``TransactionFailed.found``)."""
        return self.record(EventTable.from_raw_data(raw))

    def get(self, event_id: str, consistent: bool = False) -> Event | None:
        try:
            return self.record(EventTable.get(event_id, consistent_read=consistent))
        except DoesNotExist:
            return None

    def get_many(self, event_ids: Iterable[str]) -> dict[str, Event]:
        return {item.event_id: self.record(item) for item in EventTable.batch_get(set(event_ids))}

    def by_owner(self, unit_id: str) -> list[Event]:
        return [self.record(item) for item in EventTable.by_owner.query(unit_id)]

    def upcoming(self, after: datetime, limit: int, months_ahead: int = 12) -> list[Event]:
        """Visible events ending at or after ``after``, soonest first: one index query per calendar month.

        Events are listed under the month they start in, so the month before ``after`` is read too: a class or
        a retreat that began last month and still runs is still on the list.
        """
        found: list[Event] = []
        for month in months_from(after - timedelta(days=31), months_ahead + 1):
            remaining = limit - len(found)
            if remaining <= 0:
                break
            query = EventTable.by_calendar.query(month, filter_condition=EventTable.ends_at >= after)
            for item in query:
                event = self.record(item)
                if event.status is EventStatus.DRAFT:  # only a damaged status reads as a draft in this index
                    continue
                found.append(event)
                if len(found) == limit:
                    break
        return found

    def starting_between(
        self,
        low: datetime,
        high: datetime,
        limit: int,
        *,
        month: str | None = None,
        unit_id: str | None = None,
        start_after: tuple[datetime, str] | None = None,
    ) -> tuple[list[Event], bool]:
        """One index query, newest first, of at most ``limit`` events starting in ``[low, high)``: those listed
        under the calendar ``month`` (by_calendar: no drafts) or, without a month, those ``unit_id`` organises
        (by_owner: drafts too, the caller leaves them out); after ``start_after`` (an event's start and id) when
        given. Also whether the index may hold more (DynamoDB's LastEvaluatedKey: a full page always says so)."""
        index: Any = EventTable.by_calendar if month else EventTable.by_owner
        partition, partition_name = (month, "calendar_month") if month else (unit_id, "owner_unit_id")
        start_key = None
        if start_after is not None:
            started, event_id = start_after
            start_key = {
                "event_id": {"S": event_id},
                partition_name: {"S": partition},
                "starts_at": {"S": EventTable.starts_at.serialize(started)},
            }
        query = index.query(
            partition,
            EventTable.starts_at.between(low, high - timedelta(microseconds=1)),
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=start_key,
        )
        found = [self.record(item) for item in query]
        return found, query.last_evaluated_key is not None

    def listed_starting(self, low: datetime, high: datetime) -> list[Event]:
        """Every visible event starting in ``[low, high)`` (the reminders job): one by_calendar query per calendar
        month the range touches, all its pages. Meant for short ranges (two days)."""
        last = high - timedelta(microseconds=1)
        months = months_from(low, 2) if calendar_month(low) != calendar_month(last) else [calendar_month(low)]
        found: list[Event] = []
        for month in months:
            query = EventTable.by_calendar.query(month, EventTable.starts_at.between(low, last))
            found.extend(self.record(item) for item in query)
        return found

    def listed_running(self, low: datetime, high: datetime, months: list[str], kind: str) -> list[Event]:
        """Visible events of format ``kind`` listed under ``months`` that start before ``high`` and end at or after
        ``low`` (the reminders job: tournaments whose matches may be in the window): by_calendar queries, filtered."""
        condition = (EventTable.format == kind) & (EventTable.ends_at >= low)
        found: list[Event] = []
        for month in months:
            query = EventTable.by_calendar.query(month, EventTable.starts_at < high, filter_condition=condition)
            found.extend(self.record(item) for item in query)
        return found

    def closed_with_waiting(self, low: datetime, high: datetime, months: list[str]) -> list[Event]:
        """Visible events listed under ``months`` whose registration closed in ``[low, high)`` with members still on
        the waiting list (the job telling them): by_calendar queries, filtered by the closing time and the count
        (a class with single sessions is read whatever its count: each session has a waiting list of its own)."""
        waiting = (EventTable.waiting_count > 0) | (EventTable.single_sessions == True)  # noqa: E712 - a condition
        condition = EventTable.registration_closes_at.between(low, high - timedelta(microseconds=1)) & waiting
        found: list[Event] = []
        for month in months:
            found.extend(self.record(item) for item in EventTable.by_calendar.query(month, filter_condition=condition))
        return found

    @staticmethod
    def item(event: Event, created_at: datetime, updated_at: datetime) -> EventTable:
        listed = event.status is not EventStatus.DRAFT
        audience = event.audience
        return item_from(
            EventTable,
            event,
            kind=event.kind.value,
            format=event.format.value,
            status=event.status.value,
            calendar_month=calendar_month(event.starts_at) if listed else None,
            audience_scope=audience.scope.value,
            audience_units=set(audience.unit_ids) or None,
            audience_gender=audience.gender.value if audience.gender else None,
            audience_min_age=audience.min_age,
            audience_max_age=audience.max_age,
            form=json.dumps(form_to_data(event.form), ensure_ascii=False) if event.form else None,
            allocation=event.allocation.value,
            entry_type=event.entry_type.value,
            pair_gender=event.pair_rule.gender.value if event.entry_type is EntryType.PAIR else None,
            pair_same_unit=event.pair_rule.same_unit if event.entry_type is EntryType.PAIR else None,
            team_rule=_team_rule_text(event.team_rule) if event.entry_type is EntryType.TEAM else None,
            checkin=_checkin_text(event.checkin),
            reminders=event.reminders.value,
            created_at=created_at,
            updated_at=updated_at,
        )

    def put_many(self, events: Iterable[Event]) -> int:
        stamp = now()
        return save_all(EventTable, (self.item(event, stamp, stamp) for event in events))

    # Attributes an organiser edits: all but these (the key, the owner, the draw's time, counters and timestamps are
    # never written from a record).
    _EDITABLE = tuple(
        name
        for name in EventTable.get_attributes()
        if name
        not in (
            "event_id",
            "owner_unit_id",
            "lottery_drawn_at",
            "confirmed_count",
            "waiting_count",
            "waiting_seq",
            "pending_count",
            "created_at",
            "updated_at",
        )
    )

    def create(
        self, event: Event, sessions: list[EventSession], audit: AuditTable, draw: DrawTable | None = None
    ) -> None:
        """Write a new event with its sessions, its audit entry and (lottery events) its sealed draw seed."""
        at = now()
        tx = LabelledTransaction()
        tx.put("event", self.item(event, at, at), condition=EventTable.event_id.does_not_exist())
        if draw is not None:
            tx.put("draw", draw, condition=DrawTable.event_id.does_not_exist())
        for session in sessions:
            tx.put(f"session:{session.session_id}", Sessions.item(session))
        tx.put("audit", audit)
        tx.commit()

    def update(self, before: Event, after: Event, audit: AuditTable) -> None:
        """Write an organiser's changes with the conditions that protect registered members.

        Fails (``TransactionFailed`` on ``event``) when the event changed meanwhile in a way that matters: its
        status moved, or registrations arrived that the new capacity or a switched-off waiting list would hurt.
        """
        at = now()
        new, old = self.item(after, at, at), self.item(before, at, at)
        actions = []
        for name in self._EDITABLE:
            value = getattr(new, name)
            if value == getattr(old, name) and name not in before.damaged:  # saving repairs a damaged field
                continue
            attribute = getattr(EventTable, name)
            actions.append(attribute.remove() if value is None else attribute.set(value))
        if not actions:
            return
        actions.append(EventTable.updated_at.set(at))
        if "status" in before.damaged:  # missing or unreadable: any status that is not a real one
            condition = ~EventTable.status.is_in(*(status.value for status in EventStatus))
        else:
            condition = EventTable.status == before.status.value
        if after.capacity is not None:
            condition &= EventTable.confirmed_count <= after.capacity
        if not after.waiting_list:
            condition &= EventTable.waiting_count == 0
        tx = LabelledTransaction()
        tx.update("event", EventTable(before.event_id), actions=actions, condition=condition)
        tx.put("audit", audit)
        tx.commit()
