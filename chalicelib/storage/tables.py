"""Every DynamoDB table of union-events, defined once.

Local set-up (``devtools/tables.py``), the tests and the deployment templates (``infra/``) all read ``TABLES``.
``Meta.table_name`` holds the short name; ``bind_tables`` prefixes it per stage (``union-events-prod-units``).
Access patterns and the reasons for each key are in docs/data-model.md.
"""

from __future__ import annotations

from typing import ClassVar

from pynamodb.attributes import (
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.constants import PAY_PER_REQUEST_BILLING_MODE
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model


class UnitsByParent(GlobalSecondaryIndex):
    """Sub-unions of a parent (the school union), in display order."""

    class Meta:
        index_name = "by_parent"
        projection = AllProjection()

    parent_id = UnicodeAttribute(hash_key=True)
    position = NumberAttribute(range_key=True)


class UnitTable(Model):
    """校工会 and 二级工会. Key: unit_id, a short stable code (e.g. ``cs`` for 计算机学院)."""

    short_name: ClassVar[str] = "units"

    class Meta:
        table_name = "units"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    unit_id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()
    name_zh = UnicodeAttribute()
    name_en = UnicodeAttribute(null=True)
    short_name_zh = UnicodeAttribute(null=True)
    campus = UnicodeAttribute(null=True)
    # The school union has no parent, so it stays out of the sparse by_parent index.
    parent_id = UnicodeAttribute(null=True)
    position = NumberAttribute(default=0)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()

    by_parent = UnitsByParent()


class MembersByUnit(GlobalSecondaryIndex):
    """Members of one unit, by 工号."""

    class Meta:
        index_name = "by_unit"
        projection = AllProjection()

    unit_id = UnicodeAttribute(hash_key=True)
    staff_no = UnicodeAttribute(range_key=True)


class MemberTable(Model):
    """教职工会员. Key: staff_no (工号), unique within the university."""

    short_name: ClassVar[str] = "members"

    class Meta:
        table_name = "members"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    staff_no = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    gender = UnicodeAttribute()
    birth_date = UnicodeAttribute()  # ISO date; compared as text
    unit_id = UnicodeAttribute()
    status = UnicodeAttribute()
    phone = UnicodeAttribute(null=True)
    email = UnicodeAttribute(null=True)
    roles = UnicodeSetAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()

    by_unit = MembersByUnit()


class EventsByOwner(GlobalSecondaryIndex):
    """Events organised by one unit, by start time."""

    class Meta:
        index_name = "by_owner"
        projection = AllProjection()

    owner_unit_id = UnicodeAttribute(hash_key=True)
    starts_at = UTCDateTimeAttribute(range_key=True)


class EventsByCalendar(GlobalSecondaryIndex):
    """Visible (non-draft) events of one calendar month, by start time: the public event list.

    Partitioned by month so that no single index partition carries the whole university's listing traffic.
    """

    class Meta:
        index_name = "by_calendar"
        projection = AllProjection()

    calendar_month = UnicodeAttribute(hash_key=True)  # "2026-11"; unset for drafts (sparse index)
    starts_at = UTCDateTimeAttribute(range_key=True)


class EventTable(Model):
    """Events of every kind. Key: event_id, time-ordered (see chalicelib.domain.ids)."""

    short_name: ClassVar[str] = "events"

    class Meta:
        table_name = "events"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    event_id = UnicodeAttribute(hash_key=True)
    owner_unit_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    format = UnicodeAttribute()
    status = UnicodeAttribute()
    title_zh = UnicodeAttribute()
    title_en = UnicodeAttribute(null=True)
    description_zh = UnicodeAttribute(default="")
    description_en = UnicodeAttribute(null=True)
    venue = UnicodeAttribute(null=True)
    campus = UnicodeAttribute(null=True)
    capacity = NumberAttribute(null=True)
    starts_at = UTCDateTimeAttribute()
    ends_at = UTCDateTimeAttribute()
    registration_opens_at = UTCDateTimeAttribute(null=True)
    registration_closes_at = UTCDateTimeAttribute(null=True)
    contact = UnicodeAttribute(null=True)
    calendar_month = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()

    by_owner = EventsByOwner()
    by_calendar = EventsByCalendar()


TABLES: tuple[type[Model], ...] = (UnitTable, MemberTable, EventTable)

# Every DynamoDB action the storage layer performs. The Lambda role is generated from this and TABLES
# (devtools/iam_policy.py); a repository that starts using another call must add it here.
DYNAMODB_ACTIONS: tuple[str, ...] = ("dynamodb:GetItem", "dynamodb:Query")
