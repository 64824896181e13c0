"""Every DynamoDB table of union-events, defined once.

Local set-up (``devtools/tables.py``), the tests and the deployment templates (``infra/``) all read ``TABLES``.
``Meta.table_name`` holds the short name; ``bind_tables`` prefixes it per stage (``union-events-prod-units``).
Access patterns and the reasons for each key are in docs/data-model.md.
"""

from __future__ import annotations

from typing import ClassVar

from pynamodb.attributes import (
    NumberAttribute,
    TTLAttribute,
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
    # 工号 of this unit's admins; mirrored on each member's admin_units, and both are written in one transaction.
    admin_staff_nos = UnicodeSetAttribute(null=True)
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
    roles = UnicodeSetAttribute(null=True)  # e.g. union_admin
    admin_units = UnicodeSetAttribute(null=True)  # units this member administers (see UnitTable.admin_staff_nos)
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


class AccountTable(Model):
    """Sign-in secrets, kept apart from members so that no member listing or index ever carries them."""

    short_name: ClassVar[str] = "accounts"

    class Meta:
        table_name = "accounts"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    staff_no = UnicodeAttribute(hash_key=True)
    password_hash = UnicodeAttribute(null=True)  # scrypt; absent until the member activates
    activation_digest = UnicodeAttribute(null=True)  # HMAC of the one-time code; removed when used
    activation_expires_at = UTCDateTimeAttribute(null=True)
    # Bumped on password change: every session token carries the version it was issued under.
    session_version = NumberAttribute(default=0)
    updated_at = UTCDateTimeAttribute()


class RateLimitTable(Model):
    """Fixed-window counters of failed sign-ins, per account and per client address. Expired by TTL."""

    short_name: ClassVar[str] = "rate_limits"

    class Meta:
        table_name = "rate_limits"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    bucket = UnicodeAttribute(hash_key=True)  # e.g. "signin:account:2011042:1763710200"
    count = NumberAttribute(default=0)
    expires_at = TTLAttribute()


class AuditByMonth(GlobalSecondaryIndex):
    """The whole union's audit log, month by month, for union admins."""

    class Meta:
        index_name = "by_month"
        projection = AllProjection()

    month = UnicodeAttribute(hash_key=True)
    entry_id = UnicodeAttribute(range_key=True)


class AuditTable(Model):
    """Every change an admin makes: who, when, what, before and after. Written in the same transaction as the change."""

    short_name: ClassVar[str] = "audit"

    class Meta:
        table_name = "audit"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    unit_id = UnicodeAttribute(hash_key=True)  # the unit the change concerns ("school" for union-wide changes)
    entry_id = UnicodeAttribute(range_key=True)  # time-ordered id
    month = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    actor = UnicodeAttribute()  # 工号 of the admin
    action = UnicodeAttribute()  # e.g. member.update, unit.admins, roster.import
    target = UnicodeAttribute()  # what was changed, e.g. a 工号 or a unit id
    before = UnicodeAttribute(null=True)  # JSON
    after = UnicodeAttribute(null=True)  # JSON

    by_month = AuditByMonth()


TABLES: tuple[type[Model], ...] = (UnitTable, MemberTable, EventTable, AccountTable, RateLimitTable, AuditTable)

# Every DynamoDB action the storage layer performs. The Lambda role is generated from this and TABLES
# (devtools/iam_policy.py); a repository that starts using another call must add it here.
DYNAMODB_ACTIONS: tuple[str, ...] = (
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
)
