"""Every DynamoDB table of union-events, defined once.

Local set-up (``devtools/tables.py``), the tests and the deployment templates (``infra/``) all read ``TABLES``.
``Meta.table_name`` holds the short name; ``bind_tables`` prefixes it per stage (``union-events-prod-units``).
Access patterns and the reasons for each key are in docs/data-model.md.
"""

from __future__ import annotations

from typing import ClassVar

from pynamodb.attributes import (
    BooleanAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.constants import PAY_PER_REQUEST_BILLING_MODE, STREAM_KEYS_ONLY, STREAM_NEW_IMAGE
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, IncludeProjection, KeysOnlyProjection
from pynamodb.models import Model

from chalicelib.storage.salvage import Salvaged


class AppTable(Model):
    """A table of the app: a PynamoDB model that also carries its ``short_name``, from which settings make the
    deployed table name (``Settings.table_name``) and the infra, IAM and binding code find it."""

    short_name: ClassVar[str]


class UnitsByParent(GlobalSecondaryIndex):
    """Sub-unions of a parent (the school union), in display order."""

    class Meta:
        index_name = "by_parent"
        projection = AllProjection()

    parent_id = UnicodeAttribute(hash_key=True)
    position = NumberAttribute(range_key=True)


class UnitTable(Salvaged, AppTable):
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


class MemberTable(Salvaged, AppTable):
    """教职工会员. Key: staff_no (工号), unique within the university."""

    short_name: ClassVar[str] = "members"

    class Meta:
        table_name = "members"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE
        # The year's statistics recount what changed (chalicelib/jobs.py stats_from_members): keys suffice.
        stream_view_type = STREAM_KEYS_ONLY

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


class EventTable(Salvaged, AppTable):
    """Events of every kind. Key: event_id, time-ordered (see chalicelib.domain.ids)."""

    short_name: ClassVar[str] = "events"

    class Meta:
        table_name = "events"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE
        # The year's statistics recount what changed (chalicelib/jobs.py stats_from_events): keys suffice.
        stream_view_type = STREAM_KEYS_ONLY

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
    audience_scope = UnicodeAttribute(default="all")
    audience_units = UnicodeSetAttribute(null=True)
    audience_gender = UnicodeAttribute(null=True)
    audience_min_age = NumberAttribute(null=True)
    audience_max_age = NumberAttribute(null=True)
    waiting_list = BooleanAttribute(default=True)
    cancel_deadline = UTCDateTimeAttribute(null=True)
    single_sessions = BooleanAttribute(default=False)
    form = UnicodeAttribute(null=True)  # JSON, chalicelib.domain.forms.form_to_data
    allocation = UnicodeAttribute(default="first_come")
    entry_type = UnicodeAttribute(default="individual")
    pair_gender = UnicodeAttribute(null=True)
    pair_same_unit = BooleanAttribute(null=True)
    team_rule = UnicodeAttribute(null=True)  # JSON of chalicelib.domain.records.TeamRule
    quotas = BooleanAttribute(default=False)
    quota_release_at = UTCDateTimeAttribute(null=True)
    entry_group = UnicodeAttribute(null=True)
    entry_group_limit = NumberAttribute(null=True)
    lottery_commitment = UnicodeAttribute(null=True)
    lottery_priority_years = NumberAttribute(null=True)
    lottery_drawn_at = UTCDateTimeAttribute(null=True)
    checkin = UnicodeAttribute(null=True)  # JSON of chalicelib.domain.records.CheckinSettings
    reminders = UnicodeAttribute(null=True)  # chalicelib.domain.records.ReminderPlan; unset (older events): none
    # Places of the whole event. Every registration and cancellation updates these in the same transaction as the
    # registration itself, with conditions on them, so that capacity can never be exceeded (docs/data-model.md).
    confirmed_count = NumberAttribute(default=0)
    waiting_count = NumberAttribute(default=0)
    # Joins to the waiting list ever (never goes down): the n-th join's queue key is ``s-<n>``, and a join is
    # written only if this and waiting_count are what it read, so it knows its exact position (docs/data-model.md).
    waiting_seq = NumberAttribute(null=True)
    pending_count = NumberAttribute(default=0)  # awaiting approval or the draw
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()

    by_owner = EventsByOwner()
    by_calendar = EventsByCalendar()


class SessionsByDay(GlobalSecondaryIndex):
    """Sessions of every class starting on one day (China time), by start: the reminders job finds a term's later
    sessions without reading every class. Sparse: sessions written before the index have no ``day``."""

    class Meta:
        index_name = "by_day"
        projection = AllProjection()

    day = UnicodeAttribute(hash_key=True)  # "2026-12-07", the China date of starts_at
    starts_at = UTCDateTimeAttribute(range_key=True)


class SessionTable(AppTable):
    """Sessions of a class over a term. Carries the places of single-session registrations and their counters."""

    short_name: ClassVar[str] = "sessions"

    class Meta:
        table_name = "sessions"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    event_id = UnicodeAttribute(hash_key=True)
    session_id = UnicodeAttribute(range_key=True)  # "s01", "s02", ... in date order
    starts_at = UTCDateTimeAttribute()
    ends_at = UTCDateTimeAttribute()
    venue = UnicodeAttribute(null=True)
    capacity = NumberAttribute(null=True)
    confirmed_count = NumberAttribute(default=0)
    waiting_count = NumberAttribute(default=0)
    waiting_seq = NumberAttribute(null=True)  # as the event's (EventTable.waiting_seq), for this session's list
    day = UnicodeAttribute(null=True)  # the China date of starts_at (by_day)

    by_day = SessionsByDay()


class RegistrationsByMember(GlobalSecondaryIndex):
    """One member's registrations, newest first: "my registrations"."""

    class Meta:
        index_name = "by_member"
        projection = AllProjection()

    staff_no = UnicodeAttribute(hash_key=True)
    registered_at = UTCDateTimeAttribute(range_key=True)


class WaitingQueue(GlobalSecondaryIndex):
    """The waiting list of one event (or session) in order. Sparse: only waiting registrations carry ``queue``."""

    class Meta:
        index_name = "by_queue"
        projection = KeysOnlyProjection()

    queue = UnicodeAttribute(hash_key=True)  # "<event_id>#<scope>"
    queue_key = UnicodeAttribute(range_key=True)  # time-ordered id given when the member joined the list


class RegistrationsByTicket(GlobalSecondaryIndex):
    """The registration a scanned ticket belongs to, with what the verdict shows. Sparse: tickets only."""

    class Meta:
        index_name = "by_ticket"
        projection = IncludeProjection(["scope", "staff_no", "name", "unit_id", "state", "partner"])

    ticket = UnicodeAttribute(hash_key=True)


class RegistrationTable(Salvaged, AppTable):
    """Registrations. Key: the event, then "<scope>#<工号>": the key itself allows one registration per member
    per event (or session), so a duplicate can never be written, whatever the timing."""

    short_name: ClassVar[str] = "registrations"

    class Meta:
        table_name = "registrations"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE
        # The year's statistics recount what changed (chalicelib/jobs.py stats_from_registrations): keys suffice.
        stream_view_type = STREAM_KEYS_ONLY

    event_id = UnicodeAttribute(hash_key=True)
    entry = UnicodeAttribute(range_key=True)  # "series#2011042" or "s03#2011042"
    scope = UnicodeAttribute()
    staff_no = UnicodeAttribute()
    name = UnicodeAttribute()  # copied at registration time, for lists and exports
    unit_id = UnicodeAttribute()
    state = UnicodeAttribute()
    answers = UnicodeAttribute(null=True)  # JSON
    registered_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    queue = UnicodeAttribute(null=True)
    queue_key = UnicodeAttribute(null=True)
    promoted_at = UTCDateTimeAttribute(null=True)
    added_by = UnicodeAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    partner = UnicodeAttribute(null=True)  # pairs: the other member's 工号
    partner_name = UnicodeAttribute(null=True)
    team_id = UnicodeAttribute(null=True)  # state "team": whose roster the member is on
    tier = NumberAttribute(null=True)  # lottery priority tier
    # 128 random bits in the member's QR code; a new one with every new registration and on request, so an old
    # code dies. Kept when the registration ends, so that scanning it says "cancelled" rather than "unknown".
    ticket = UnicodeAttribute(null=True)

    by_member = RegistrationsByMember()
    by_queue = WaitingQueue()
    by_ticket = RegistrationsByTicket()


class OptionUseTable(AppTable):
    """How many active registrations chose each form option that has a limit (e.g. T-shirt sizes)."""

    short_name: ClassVar[str] = "option_use"

    class Meta:
        table_name = "option_use"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    event_id = UnicodeAttribute(hash_key=True)
    option_key = UnicodeAttribute(range_key=True)  # "<scope>#<question_id>#<option_id>"
    uses = NumberAttribute(attr_name="count", default=0)  # stored as "count"; Model.count is pynamodb's own


class UnitPlacesTable(AppTable):
    """Each unit's share of an event's places (quota) and how many it uses; for team events, its teams.

    Confirmations update ``used`` in the same transaction, with ``used < quota`` as the condition while quotas
    bind, so a unit can never take more than its share, whoever approves at the same moment."""

    short_name: ClassVar[str] = "unit_places"

    class Meta:
        table_name = "unit_places"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    event_id = UnicodeAttribute(hash_key=True)
    unit_id = UnicodeAttribute(range_key=True)
    quota = NumberAttribute(null=True)
    used = NumberAttribute(default=0)


class GroupEntryTable(AppTable):
    """How many events of a group (e.g. the individual events of one athletics meet) a member has entered.

    Every entry adds one with ``count < limit`` as the condition, in the registration's own transaction."""

    short_name: ClassVar[str] = "group_entries"

    class Meta:
        table_name = "group_entries"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    group_id = UnicodeAttribute(hash_key=True)
    staff_no = UnicodeAttribute(range_key=True)
    entries = NumberAttribute(attr_name="count", default=0)  # stored as "count"; Model.count is pynamodb's own


class DrawTable(AppTable):
    """The lottery of one event: its secret seed from the day the event is created, the published draw after.

    Kept apart from the event item, which every page reads, so the seed is never loaded before the draw."""

    short_name: ClassVar[str] = "draws"

    class Meta:
        table_name = "draws"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    event_id = UnicodeAttribute(hash_key=True)
    seed = UnicodeAttribute()
    commitment = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    drawn_at = UTCDateTimeAttribute(null=True)  # set once: a second draw is refused by its condition
    drawn_by = UnicodeAttribute(null=True)
    published = UnicodeAttribute(null=True)  # JSON, chalicelib.domain.lottery.published_draw


class TeamTable(AppTable):
    """Teams fielded by units. Each player also has a registration (state "team") keyed like any other, so a
    member can be on only one team of an event: the key makes a second one impossible."""

    short_name: ClassVar[str] = "teams"

    class Meta:
        table_name = "teams"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    event_id = UnicodeAttribute(hash_key=True)
    team_id = UnicodeAttribute(range_key=True)
    unit_id = UnicodeAttribute()
    name = UnicodeAttribute()
    roster = UnicodeAttribute()  # JSON list of 工号
    captain = UnicodeAttribute(null=True)
    state = UnicodeAttribute()
    version = NumberAttribute(default=0)
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()


class AttendanceByMember(GlobalSecondaryIndex):
    """One member's check-ins, newest first: their attendance history. Sparse: conflicts carry no ``member``."""

    class Meta:
        index_name = "by_member"
        projection = AllProjection()

    member = UnicodeAttribute(hash_key=True)
    at = UTCDateTimeAttribute(range_key=True)


class AttendanceTable(AppTable):
    """Check-ins and check-in conflicts of an event.

    ``a#<point>#<工号>``: a member checked in at a point. Written with ``attribute_not_exists`` in a transaction
    that checks the registration still admits: two stations scanning the same code at once admit it once.
    ``c#<scan id>``: a late offline check-in that needs the organiser's eye (double admission, cancelled since)."""

    short_name: ClassVar[str] = "attendance"

    class Meta:
        table_name = "attendance"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE
        # The year's statistics recount what changed (chalicelib/jobs.py stats_from_attendance): keys suffice.
        stream_view_type = STREAM_KEYS_ONLY

    event_id = UnicodeAttribute(hash_key=True)
    mark = UnicodeAttribute(range_key=True)
    point_id = UnicodeAttribute()
    staff_no = UnicodeAttribute(null=True)
    member = UnicodeAttribute(null=True)  # 工号 on check-ins only (the by_member index)
    name = UnicodeAttribute(null=True)
    unit_id = UnicodeAttribute(null=True)
    at = UTCDateTimeAttribute()
    recorded_at = UTCDateTimeAttribute()
    by = UnicodeAttribute()
    by_name = UnicodeAttribute(null=True)  # check-ins: the name of whoever scanned, as identified when they did
    method = UnicodeAttribute(null=True)
    scan_id = UnicodeAttribute()
    station = UnicodeAttribute(null=True)
    offline = BooleanAttribute(default=False)
    venue_step = NumberAttribute(null=True)  # self check-ins: the venue code's step
    distance_m = NumberAttribute(null=True)  # self check-ins with the location check: metres from the venue
    kind = UnicodeAttribute(null=True)  # conflicts: chalicelib.domain.records.ConflictKind
    details = UnicodeAttribute(null=True)  # conflicts: JSON

    by_member = AttendanceByMember()


class RevokedByEvent(GlobalSecondaryIndex):
    """An event's revoked tickets, for the offline list of its stations."""

    class Meta:
        index_name = "by_event"
        projection = IncludeProjection(["scope"])

    event_id = UnicodeAttribute(hash_key=True)


class RevokedTicketTable(AppTable):
    """Tickets replaced by a new one: the old code answers "revoked" (show the new code) rather than "unknown".

    Keyed by the ticket's digest (``chalicelib.domain.checkin.ticket_digest``), never the ticket itself; written in
    the transaction that gives the registration its new ticket, so a replaced code is known as such at once."""

    short_name: ClassVar[str] = "revoked_tickets"

    class Meta:
        table_name = "revoked_tickets"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    digest = UnicodeAttribute(hash_key=True)
    event_id = UnicodeAttribute()
    scope = UnicodeAttribute()  # the registration's: "series" or a session id
    revoked_at = UTCDateTimeAttribute()

    by_event = RevokedByEvent()


class RolesByStaff(GlobalSecondaryIndex):
    """The events a member has a role in: their duties (scanning stations, later judging)."""

    class Meta:
        index_name = "by_staff"
        projection = AllProjection()

    staff_no = UnicodeAttribute(hash_key=True)
    event_id = UnicodeAttribute(range_key=True)


class EventRoleTable(AppTable):
    """Per-event roles: check-in staff (``checkin``, or ``checkin@<point>`` for some points only), judges."""

    short_name: ClassVar[str] = "event_roles"

    class Meta:
        table_name = "event_roles"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    event_id = UnicodeAttribute(hash_key=True)
    staff_no = UnicodeAttribute(range_key=True)
    name = UnicodeAttribute()
    unit_id = UnicodeAttribute()
    roles = UnicodeSetAttribute()
    granted_by = UnicodeAttribute()
    granted_at = UTCDateTimeAttribute()

    by_staff = RolesByStaff()


class CompetitionTable(AppTable):
    """The competition of an event: its set-up, draws, matches, judges' marks and measured performances.

    ``comp``: the set-up and state (JSON), with ``version`` bumped on every change of it; every result, mark and
    performance is written on the condition that ``version`` is still the one it was read with, so a redone draw or
    a closed stage cannot be written past.
    ``m#<stage>#<draw>#<match>``: a match, keyed by the draw that made it, so a redone draw never overwrites the
    matches the set-up still points to; ``version`` bumped per result.
    ``k#<stage>#<entry>#<judge>``: one judge's marks for one entry. ``p#<stage>#<discipline>#<entry>``: a measured
    performance (attempts, best mark). ``l#<stage>#<match>#<side>``: a side's line-up of a team tie
    (chalicelib.storage.lineups), ``version`` bumped per change."""

    short_name: ClassVar[str] = "competitions"

    class Meta:
        table_name = "competitions"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE
        # The year's statistics recount what changed (chalicelib/jobs.py stats_from_competitions): keys suffice.
        stream_view_type = STREAM_KEYS_ONLY

    event_id = UnicodeAttribute(hash_key=True)
    item = UnicodeAttribute(range_key=True)
    data = UnicodeAttribute()  # JSON
    version = NumberAttribute(default=0)
    judge = UnicodeAttribute(null=True)  # 工号 on marks
    updated_at = UTCDateTimeAttribute()
    updated_by = UnicodeAttribute(null=True)


class NotificationTable(Salvaged, AppTable):
    """What happened to a member's registrations (promoted from the waiting list, removed, event moved ...)."""

    short_name: ClassVar[str] = "notifications"

    class Meta:
        table_name = "notifications"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE
        # The outbox: delivery (chalicelib/services/delivery.py) reads each new notification from the stream.
        stream_view_type = STREAM_NEW_IMAGE

    staff_no = UnicodeAttribute(hash_key=True)
    notification_id = UnicodeAttribute(range_key=True)  # time-ordered
    at = UTCDateTimeAttribute()
    kind = UnicodeAttribute()
    event_id = UnicodeAttribute()
    event_title = UnicodeAttribute()
    details = UnicodeAttribute(null=True)  # JSON
    expires_at = TTLAttribute()


class MemberPrefsTable(AppTable):
    """A member's own choices about notifications: the channels they turned off, and when they last looked at
    their notifications (the unread count in the navigation). Absent until the member first chooses or opens their
    list."""

    short_name: ClassVar[str] = "member_prefs"

    class Meta:
        table_name = "member_prefs"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    staff_no = UnicodeAttribute(hash_key=True)
    muted = UnicodeSetAttribute(null=True)  # chalicelib.domain.notify.Channel values; absent: every channel on
    seen_at = UTCDateTimeAttribute(null=True)  # when the member last looked: only moves forward (conditional)
    updated_at = UTCDateTimeAttribute(null=True)


class IdempotencyTable(AppTable):
    """Responses of POST requests sent with an ``Idempotency-Key``, replayed when the same request is retried."""

    short_name: ClassVar[str] = "idempotency"

    class Meta:
        table_name = "idempotency"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    key = UnicodeAttribute(hash_key=True)  # "<工号>#<client's key>"
    fingerprint = UnicodeAttribute()  # hash of method, path and body: the same key with another request is refused
    state = UnicodeAttribute()  # "pending" while a request runs, then "done", or "failed" (may run again)
    claimed_at = UTCDateTimeAttribute(null=True)  # when the running (or last) attempt claimed the key
    started_at = UTCDateTimeAttribute(null=True)  # when the first attempt claimed it (what it wrote is newer)
    status_code = NumberAttribute(null=True)
    content_type = UnicodeAttribute(null=True)
    body = UnicodeAttribute(null=True)
    expires_at = TTLAttribute()


class AccountTable(Salvaged, AppTable):
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
    # The live sessions, "<expiry, 12 digits>:<session id>" (chalicelib.domain.tokens.session_entry): a token is
    # honoured only while its entry is here, so signing out removes one and "sign out everywhere" all of them.
    sessions = UnicodeSetAttribute(null=True)
    updated_at = UTCDateTimeAttribute()


class RateLimitTable(AppTable):
    """Fixed-window counters of failed sign-ins (per account and source, per account from unfamiliar sources, per
    address) and the addresses each account signed in from successfully ("signin-familiar:..."). Expired by TTL."""

    short_name: ClassVar[str] = "rate_limits"

    class Meta:
        table_name = "rate_limits"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    bucket = UnicodeAttribute(hash_key=True)  # e.g. "signin-pair:2011042:a:10.0.0.1:20412" (domain/throttle.py)
    failures = NumberAttribute(attr_name="count", default=0)  # stored as "count"; Model.count is pynamodb's own
    last_at = NumberAttribute(null=True)  # epoch seconds of the last failure: delays count from it
    expires_at = TTLAttribute()


class AuditByMonth(GlobalSecondaryIndex):
    """The whole union's audit log, month by month, for union admins."""

    class Meta:
        index_name = "by_month"
        projection = AllProjection()

    month = UnicodeAttribute(hash_key=True)
    entry_id = UnicodeAttribute(range_key=True)


class AuditTable(AppTable):
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


class DeliveriesByQueue(GlobalSecondaryIndex):
    """Sparse: deliveries waiting for something, by time. "due#<channel>": a retry, a message held by quiet hours
    or a live claim (due when its lease ends: its worker may have died); "failed": for the union admin."""

    class Meta:
        index_name = "by_queue"
        projection = AllProjection()

    queue = UnicodeAttribute(hash_key=True)
    queue_at = UTCDateTimeAttribute(range_key=True)


class DeliveryTable(AppTable):
    """One notification's delivery on one channel (企业微信, e-mail, SMS): claimed before it is sent and marked
    after, both conditionally, so that each is sent once (chalicelib/storage/deliveries.py)."""

    short_name: ClassVar[str] = "deliveries"

    class Meta:
        table_name = "deliveries"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    delivery_key = UnicodeAttribute(hash_key=True)  # "<工号>#<notification id>"
    channel = UnicodeAttribute(range_key=True)  # chalicelib.domain.notify.Channel
    state = UnicodeAttribute()  # claimed, sent, retry, failed, skipped (chalicelib.domain.notify.DeliveryState)
    attempts = NumberAttribute(default=0)  # counted at each claim: the fencing token of the mark after it
    kind = UnicodeAttribute(null=True)  # the notification's kind
    code = UnicodeAttribute(null=True)  # the last failure's code, or why it was skipped or held
    queue = UnicodeAttribute(null=True)  # by_queue's key while it waits; removed once sent
    queue_at = UTCDateTimeAttribute(null=True)
    updated_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()

    by_queue = DeliveriesByQueue()


class CalendarFeedTable(AppTable):
    """Members' calendar subscription links (chalicelib.storage.calendar_feeds). ``f#<feed id>``: the member's 工号
    and the SHA-256 of the link's secret (never the secret); ``m#<工号>``: the member's current feed id. The link
    itself carries only the random feed id and the secret, so it names nobody."""

    short_name: ClassVar[str] = "calendar_feeds"

    class Meta:
        table_name = "calendar_feeds"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    key = UnicodeAttribute(hash_key=True)  # "f#<feed id>" or "m#<工号>"
    staff_no = UnicodeAttribute(null=True)  # on f# items
    feed_id = UnicodeAttribute(null=True)  # on m# items
    digest = UnicodeAttribute(null=True)  # hex SHA-256 of the secret
    created_at = UTCDateTimeAttribute()


class StatsTable(AppTable):
    """The union's year in numbers (issue 21; chalicelib/storage/stats.py, docs/data-model.md).

    ``y#<year>`` / ``e#<event_id>``: an event's contribution to its year; ``y#<year>`` / ``m#<工号>``: a member's
    year; ``h`` / ``m#<工号>``: a member's place on the roster now. Each holds ``data`` (JSON of its contribution),
    ``summary`` (JSON) and ``version`` (the swap's condition). ``t#union`` and ``t#u#<unit_id>`` under the same scopes
    are the rollups: one Number attribute ``c_<counter>`` per counter, changed only by ADD in the transaction that
    swaps a contribution (and overwritten by ``rebuild --fix``), so they are not declared here."""

    short_name: ClassVar[str] = "stats"

    class Meta:
        table_name = "stats"
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    scope = UnicodeAttribute(hash_key=True)
    item = UnicodeAttribute(range_key=True)
    data = UnicodeAttribute(null=True)  # JSON: {rollup item: {counter: n}}
    summary = UnicodeAttribute(null=True)  # JSON
    version = NumberAttribute(null=True)
    updated_at = UTCDateTimeAttribute(null=True)


TABLES: tuple[type[AppTable], ...] = (
    UnitTable,
    MemberTable,
    EventTable,
    SessionTable,
    RegistrationTable,
    OptionUseTable,
    UnitPlacesTable,
    GroupEntryTable,
    DrawTable,
    TeamTable,
    AttendanceTable,
    RevokedTicketTable,
    EventRoleTable,
    CompetitionTable,
    NotificationTable,
    MemberPrefsTable,
    IdempotencyTable,
    AccountTable,
    RateLimitTable,
    AuditTable,
    CalendarFeedTable,
    DeliveryTable,
    StatsTable,
)

# Every DynamoDB action the storage layer performs. The Lambda role is generated from this and TABLES
# (devtools/iam_policy.py); a repository that starts using another call must add it here.
DYNAMODB_ACTIONS: tuple[str, ...] = (
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
)
