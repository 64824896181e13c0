"""Unit quotas and lottery draws: their items, and the transactions that set quotas and record a draw."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

from chalicelib.domain.records import UnitPlaces
from chalicelib.storage.convert import get_or_none, json_or_none, record_from
from chalicelib.storage.tables import DrawTable, EventTable, UnitPlacesTable
from chalicelib.storage.writes import LabelledTransaction

EVENT = "event"
DRAW = "draw"
QUOTA_PREFIX = "quota:"


class SealedDraw(NamedTuple):
    event_id: str
    commitment: str
    seed: str  # secret until drawn: only the draw reads it, and only ``published`` shows it
    drawn_at: datetime | None
    drawn_by: str | None
    published: dict[str, Any] | None


class UnitPlacesRepository:
    @staticmethod
    def record(item: UnitPlacesTable) -> UnitPlaces:
        quota = None if item.quota is None else int(item.quota)
        return UnitPlaces(item.event_id, item.unit_id, quota, int(item.used or 0))

    def for_event(self, event_id: str) -> list[UnitPlaces]:
        return [self.record(item) for item in UnitPlacesTable.query(event_id, consistent_read=True)]

    def get(self, event_id: str, unit_id: str) -> UnitPlaces | None:
        item = get_or_none(UnitPlacesTable, event_id, unit_id, consistent_read=True)
        return None if item is None else self.record(item)

    def set_quotas(
        self,
        event_id: str,
        quotas: Mapping[str, int],
        release_at: datetime | None,
        current: list[UnitPlaces],
        at: datetime,
        extra: tuple[Any, ...] = (),
    ) -> None:
        """Give each unit its quota (units left out get 0) and mark the event as shared out, in one transaction.

        Fails on ``quota:<unit>`` when a unit already uses more places than its new quota, or on ``event`` when
        the event's capacity changed meanwhile (quotas must add up to it)."""
        tx = LabelledTransaction()
        capacity = sum(quotas.values())
        tx.update(
            EVENT,
            EventTable(event_id),
            actions=[
                EventTable.quotas.set(True),
                EventTable.quota_release_at.set(release_at) if release_at else EventTable.quota_release_at.remove(),
                EventTable.updated_at.set(at),
            ],
            condition=EventTable.capacity == capacity,
        )
        units = set(quotas) | {place.unit_id for place in current}
        for unit_id in sorted(units):
            quota = quotas.get(unit_id, 0)
            tx.update(
                f"{QUOTA_PREFIX}{unit_id}",
                UnitPlacesTable(event_id, unit_id),
                # ``used`` starts at 0, so that the first confirmation's ``used < quota`` condition can hold.
                actions=[UnitPlacesTable.quota.set(quota), UnitPlacesTable.used.set(UnitPlacesTable.used | 0)],
                condition=UnitPlacesTable.used.does_not_exist() | (UnitPlacesTable.used <= quota),
            )
        tx.put_extra(extra)
        tx.commit()


class Draws:
    @staticmethod
    def sealed(event_id: str, seed: str, commitment: str, at: datetime) -> DrawTable:
        """The item that keeps a lottery event's seed until the draw (written with the event)."""
        return DrawTable(event_id, seed=seed, commitment=commitment, created_at=at)

    def seal(self, item: DrawTable) -> None:
        """Keep a seed for an event that became a lottery after it was created (never replaces one)."""
        item.save(condition=DrawTable.event_id.does_not_exist())

    def get(self, event_id: str) -> SealedDraw | None:
        item = get_or_none(DrawTable, event_id, consistent_read=True)
        if item is None:
            return None
        return record_from(SealedDraw, item, published=json_or_none(item.published) if item.drawn_at else None)

    def record(
        self,
        event_id: str,
        published: dict[str, Any],
        applicants: int,
        unit_use: Mapping[str, int],
        drawn_by: str,
        at: datetime,
        *,
        waiting_list: bool,
        extra: tuple[Any, ...] = (),
    ) -> None:
        """Record the draw once: the result, the event's counters and each unit's use, in one transaction.

        Fails on ``draw`` (already drawn: a second run is refused and the first result stands) or ``event``
        (applications changed since they were read: read again and draw again)."""
        winners, waiting = len(published["winners"]), len(published["waiting"])
        tx = LabelledTransaction()
        tx.update(
            DRAW,
            DrawTable(event_id),
            actions=[
                DrawTable.drawn_at.set(at),
                DrawTable.drawn_by.set(drawn_by),
                DrawTable.published.set(json.dumps(published, separators=(",", ":"))),
            ],
            condition=DrawTable.event_id.exists() & DrawTable.drawn_at.does_not_exist(),
        )
        tx.update(
            EVENT,
            EventTable(event_id),
            actions=[
                EventTable.lottery_drawn_at.set(at),
                EventTable.confirmed_count.add(winners),
                EventTable.waiting_count.add(waiting if waiting_list else 0),
                EventTable.pending_count.add(-applicants),
                EventTable.updated_at.set(at),
            ],
            condition=EventTable.lottery_drawn_at.does_not_exist() & (EventTable.pending_count == applicants),
        )
        for unit_id, used in sorted(unit_use.items()):
            tx.update(
                f"{QUOTA_PREFIX}{unit_id}", UnitPlacesTable(event_id, unit_id), actions=[UnitPlacesTable.used.add(used)]
            )
        tx.put_extra(extra)
        tx.commit()
