"""Plain records passed between the storage layer and the rest of the app."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from enum import StrEnum
from typing import Any, NamedTuple

from chalicelib.domain.language import N_

SCHOOL_UNIT_ID = "school"
# A record's ``damaged`` when every stored field read as it was (chalicelib.storage.salvage).
WHOLE: frozenset[str] = frozenset()


def normalise_staff_no(text: str) -> str:
    """工号 as stored: full-width characters folded (NFKC), no spaces, upper case."""
    return unicodedata.normalize("NFKC", text).strip().replace(" ", "").upper()


class UnitKind(StrEnum):
    SCHOOL = "school"  # 校工会
    SUB = "sub"  # 二级工会


class Gender(StrEnum):
    FEMALE = "F"
    MALE = "M"


class MemberStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"
    LEFT = "left"


class EventKind(StrEnum):
    SPORTS = "sports"  # 体育赛事
    SKILLS = "skills"  # 技能竞赛
    WELLNESS = "wellness"  # 健康活动


class EventFormat(StrEnum):
    TOURNAMENT = "tournament"  # team or individual competition with matches
    MEET = "meet"  # athletics meet: many individual events, place points
    CONTEST = "contest"  # judged skill contest
    CLASS = "class"  # a term of sessions
    SESSION = "session"  # one lecture or workshop
    MASS = "mass"  # campus walk and other mass activities
    RETREAT = "retreat"  # scarce places shared out


# The formats whose events have a competition (draws, matches, marks, results) besides their registrations.
COMPETITION_FORMATS = frozenset({EventFormat.TOURNAMENT, EventFormat.MEET, EventFormat.CONTEST})


class EventStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    REGISTRATION_OPEN = "registration_open"
    REGISTRATION_CLOSED = "registration_closed"
    RUNNING = "running"
    FINISHED = "finished"
    CANCELLED = "cancelled"


class Unit(NamedTuple):
    unit_id: str
    kind: UnitKind
    name_zh: str
    name_en: str | None = None
    short_name: str | None = None
    campus: str | None = None
    parent_id: str | None = None
    position: int = 0
    admins: frozenset[str] = frozenset()  # 工号 of the unit's admins
    # Fields a damaged item gave fallbacks for (chalicelib.storage.salvage). A changed record made from this one
    # for saving leaves it empty (``_replace(..., damaged=WHOLE)``): saving writes those fields, so it is whole.
    damaged: frozenset[str] = WHOLE


class Member(NamedTuple):
    staff_no: str  # 工号
    name: str
    gender: Gender
    birth_date: date
    unit_id: str
    status: MemberStatus = MemberStatus.ACTIVE
    phone: str | None = None
    email: str | None = None
    roles: frozenset[str] = frozenset()
    admin_units: frozenset[str] = frozenset()
    damaged: frozenset[str] = WHOLE  # as Unit.damaged


class Account(NamedTuple):
    staff_no: str
    password_hash: str | None = None
    activation_digest: str | None = None
    activation_expires_at: datetime | None = None
    session_version: int = 0
    sessions: frozenset[str] = frozenset()  # live sessions (chalicelib.domain.tokens.session_entry)

    @property
    def activated(self) -> bool:
        return self.password_hash is not None


class AuditEntry(NamedTuple):
    entry_id: str
    unit_id: str
    at: datetime
    actor: str
    action: str
    target: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


class Audience(StrEnum):
    ALL = "all"  # every member of the union
    UNITS = "units"  # members of the listed units
    OWN_UNIT = "own_unit"  # members of the organising unit


class AudienceRule(NamedTuple):
    """Who may register: a unit scope, optionally narrowed by gender and by age on the event day."""

    scope: Audience = Audience.ALL
    unit_ids: frozenset[str] = frozenset()
    gender: Gender | None = None
    min_age: int | None = None
    max_age: int | None = None


SERIES = "series"  # the registration scope of a whole event (every session of a class)


class Allocation(StrEnum):
    """How places are given out."""

    FIRST_COME = "first_come"  # confirmed at once while places last, then the waiting list
    APPROVAL = "approval"  # pending until an organiser (or, with quotas, the member's unit admin) approves
    LOTTERY = "lottery"  # applications until registration closes, then a verifiable draw


class EntryType(StrEnum):
    INDIVIDUAL = "individual"
    PAIR = "pair"  # doubles: one member registers naming a partner, who confirms
    TEAM = "team"  # teams fielded by units (chalicelib.domain.entries)


class PairGender(StrEnum):
    ANY = "any"
    SAME = "same"  # men's or women's doubles
    MIXED = "mixed"  # one man and one woman


class PairRule(NamedTuple):
    gender: PairGender = PairGender.ANY
    same_unit: bool = False


class TeamRule(NamedTuple):
    """What a team's roster must satisfy (checked on entry and on every substitution)."""

    min_size: int = 1
    max_size: int = 12
    min_women: int = 0
    min_men: int = 0
    older_age: int | None = None  # with max_older: at most ``max_older`` players older than ``older_age``
    max_older: int | None = None
    min_age: int | None = None
    teams_per_unit: int = 1
    roster_deadline: datetime | None = None  # substitutions until then (None: until the event starts)


class Checkpoint(NamedTuple):
    """A named place of a mass activity (start, finish) where members are checked in."""

    point_id: str
    name_zh: str
    name_en: str | None = None


class CheckinSettings(NamedTuple):
    checkpoints: tuple[Checkpoint, ...] = ()  # none: sessions for a class, else a single entry point
    completion_percent: int = 80  # classes: share of the term's sessions that completes it
    self_checkin: bool = False  # members may scan the venue code to check themselves in
    self_opens_minutes: int = 30  # venue code accepted from this long before the point starts ...
    self_closes_minutes: int = 0  # ... until this long after it ends
    venue_code_seconds: int = 30  # the venue code changes this often (10-60 s) and is accepted only while shown
    location_check: bool = False  # self check-in only from near the venue (the browser's position)
    venue_lat: float | None = None  # the venue's position (WGS-84, as browsers give it) ...
    venue_lng: float | None = None
    venue_radius_m: int = 200  # ... and how far from it a member may check themself in
    live_tickets: bool = False  # members' ticket codes change every 30 s; stations accept only a current one


class ReminderPlan(StrEnum):
    """Which reminders an event's confirmed members get before it (and before each session of a class):
    chalicelib.domain.reminders."""

    NONE = "none"
    DAY_BEFORE = "day_before"  # 18:00 China time the day before
    TWO_HOURS = "two_hours"  # two hours before the start
    BOTH = "both"


class Event(NamedTuple):
    event_id: str
    owner_unit_id: str
    kind: EventKind
    format: EventFormat
    title_zh: str
    starts_at: datetime
    ends_at: datetime
    status: EventStatus = EventStatus.DRAFT
    title_en: str | None = None
    description_zh: str = ""
    description_en: str | None = None
    venue: str | None = None
    campus: str | None = None
    capacity: int | None = None  # None: no limit
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    contact: str | None = None
    audience: AudienceRule = AudienceRule()
    waiting_list: bool = True
    cancel_deadline: datetime | None = None  # None: until the event starts
    single_sessions: bool = False  # members may register for single sessions of a class
    form: tuple[Any, ...] = ()  # tuple[chalicelib.domain.forms.Question, ...]
    allocation: Allocation = Allocation.FIRST_COME
    entry_type: EntryType = EntryType.INDIVIDUAL
    pair_rule: PairRule = PairRule()
    team_rule: TeamRule = TeamRule()
    quotas: bool = False  # places shared among units (unit_places items hold each unit's quota and use)
    quota_release_at: datetime | None = None  # unused quota places go back to everyone then (None: never)
    entry_group: str | None = None  # events sharing a group limit how many of them one member enters
    entry_group_limit: int | None = None
    lottery_commitment: str | None = None  # SHA-256 of the draw's seed, published before the draw
    lottery_priority_years: int | None = None  # tier 0: no retreat place in the last N years
    lottery_drawn_at: datetime | None = None
    checkin: CheckinSettings = CheckinSettings()
    reminders: ReminderPlan = ReminderPlan.NONE  # stored before reminders existed: none (new events: day before)
    confirmed_count: int = 0
    waiting_count: int = 0
    waiting_seq: int = 0  # joins to the waiting list ever: the next join is number waiting_seq + 1
    pending_count: int = 0
    damaged: frozenset[str] = WHOLE  # as Unit.damaged


class EventSession(NamedTuple):
    """One session of a class over a term. ``capacity`` counts places for single-session registrations."""

    event_id: str
    session_id: str
    starts_at: datetime
    ends_at: datetime
    venue: str | None = None
    capacity: int | None = None
    confirmed_count: int = 0
    waiting_count: int = 0
    waiting_seq: int = 0  # as Event.waiting_seq, for this session's waiting list


class RegistrationState(StrEnum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    PENDING = "pending"  # awaiting approval, or applied for a lottery not yet drawn
    AWAITING_PARTNER = "awaiting_partner"  # a pair entry whose partner has not confirmed yet
    INVITED = "invited"  # named as a partner; may confirm or decline
    PARTNER = "partner"  # the confirmed partner of a pair: the pair's state is on the lead's registration
    TEAM = "team"  # on the roster of a team (chalicelib.domain.entries)
    CANCELLED = "cancelled"  # by the member
    REMOVED = "removed"  # by an organiser
    REJECTED = "rejected"  # not approved, with a reason

    @property
    def active(self) -> bool:
        return self not in _ENDED

    @property
    def holds_place(self) -> bool:
        """Counted in ``confirmed_count`` of its pool."""
        return self is RegistrationState.CONFIRMED


_ENDED = frozenset({RegistrationState.CANCELLED, RegistrationState.REMOVED, RegistrationState.REJECTED})

# A registration state in words (the allocation states' labels are under ``alloc.manage.state.``).
STATE_LABELS: dict[RegistrationState, str] = {
    RegistrationState.CONFIRMED: N_("manage.state.confirmed"),
    RegistrationState.WAITING: N_("manage.state.waiting"),
    RegistrationState.PENDING: N_("alloc.manage.state.pending"),
    RegistrationState.AWAITING_PARTNER: N_("alloc.manage.state.awaiting_partner"),
    RegistrationState.INVITED: N_("alloc.manage.state.invited"),
    RegistrationState.PARTNER: N_("alloc.manage.state.partner"),
    RegistrationState.TEAM: N_("alloc.manage.state.team"),
    RegistrationState.CANCELLED: N_("manage.state.cancelled"),
    RegistrationState.REMOVED: N_("manage.state.removed"),
    RegistrationState.REJECTED: N_("alloc.manage.state.rejected"),
}


class Registration(NamedTuple):
    event_id: str
    scope: str  # SERIES or a session_id
    staff_no: str
    name: str
    unit_id: str
    state: RegistrationState
    registered_at: datetime
    updated_at: datetime
    answers: dict[str, Any] = {}  # noqa: RUF012 - a NamedTuple default is never mutated
    queue_key: str | None = None  # while waiting: orders the waiting list
    promoted_at: datetime | None = None
    added_by: str | None = None  # 工号 of the organiser or unit admin who entered it
    reason: str | None = None  # why an organiser removed or rejected it
    partner: str | None = None  # pairs: the other member's 工号 (on both registrations)
    partner_name: str | None = None
    team_id: str | None = None  # state TEAM: the team whose roster holds this member
    tier: int | None = None  # lottery priority tier (0 draws first)
    ticket: str | None = None  # the secret in the member's QR code (chalicelib.domain.checkin); new for each entry
    damaged: frozenset[str] = frozenset()  # fields a damaged item gave fallbacks for (chalicelib.storage.salvage)


def member_registration(
    event_id: str, scope: str, member: Member, state: RegistrationState, at: datetime, **more: Any
) -> Registration:
    """A new registration of ``member`` (their 工号, name and unit) in ``state``, registered and last changed ``at``;
    ``more`` are its other fields."""
    return Registration(
        event_id=event_id,
        scope=scope,
        staff_no=member.staff_no,
        name=member.name,
        unit_id=member.unit_id,
        state=state,
        registered_at=at,
        updated_at=at,
        **more,
    )


class NotificationKind(StrEnum):
    PROMOTED = "promoted"  # moved from the waiting list to confirmed
    ADDED = "added"  # entered by an organiser
    REMOVED = "removed"  # removed by an organiser
    EVENT_CHANGED = "event_changed"  # date or venue moved
    EVENT_CANCELLED = "event_cancelled"
    APPROVED = "approved"
    REJECTED = "rejected"
    DRAWN = "drawn"  # the lottery gave a place
    NOT_DRAWN = "not_drawn"  # the lottery put the member on the waiting list
    PARTNER_INVITED = "partner_invited"
    PARTNER_CONFIRMED = "partner_confirmed"
    PARTNER_DECLINED = "partner_declined"
    PAIR_CANCELLED = "pair_cancelled"  # the partner withdrew the pair
    TEAM_ROSTER = "team_roster"  # put on or taken off a team's roster
    SIGN_IN_THROTTLED = "sign_in_throttled"  # wrong passwords from unfamiliar places slowed sign-in (no event)
    # an organiser's own words (details: text, from, unit; urgent when a union admin marked it); event_id is empty
    # for a message to a unit or the union (chalicelib.domain.organiser_messages)
    ORGANISER_MESSAGE = "organiser_message"
    REMINDER = "reminder"  # an event, class session or match starts soon (details: when, venue, session)
    WAITLIST_CLOSED = "waitlist_closed"  # registration closed with the member still waiting (details: position)


# A notification as one sentence: ``{title}`` is the event's title, the other parameters are its ``details``.
NOTIFICATION_MESSAGES: dict[NotificationKind, str] = {
    NotificationKind.PROMOTED: N_("notification.promoted"),
    NotificationKind.ADDED: N_("notification.added"),
    NotificationKind.REMOVED: N_("notification.removed"),
    NotificationKind.EVENT_CHANGED: N_("notification.event_changed"),
    NotificationKind.EVENT_CANCELLED: N_("notification.event_cancelled"),
    NotificationKind.APPROVED: N_("notification.approved"),
    NotificationKind.REJECTED: N_("notification.rejected"),
    NotificationKind.DRAWN: N_("notification.drawn"),
    NotificationKind.NOT_DRAWN: N_("notification.not_drawn"),
    NotificationKind.PARTNER_INVITED: N_("notification.partner_invited"),
    NotificationKind.PARTNER_CONFIRMED: N_("notification.partner_confirmed"),
    NotificationKind.PARTNER_DECLINED: N_("notification.partner_declined"),
    NotificationKind.PAIR_CANCELLED: N_("notification.pair_cancelled"),
    NotificationKind.TEAM_ROSTER: N_("notification.team_roster"),
    NotificationKind.SIGN_IN_THROTTLED: N_("notification.sign_in_throttled"),
    NotificationKind.ORGANISER_MESSAGE: N_("notification.organiser_message"),
    NotificationKind.REMINDER: N_("notification.reminder"),
    NotificationKind.WAITLIST_CLOSED: N_("notification.waitlist_closed"),
}


class Notification(NamedTuple):
    staff_no: str
    notification_id: str
    at: datetime
    kind: NotificationKind
    event_id: str
    event_title: str
    details: dict[str, Any] = {}  # noqa: RUF012 - a NamedTuple default is never mutated


class UnitPlaces(NamedTuple):
    """One unit's share of an event's places (quotas), or its count of teams (team events)."""

    event_id: str
    unit_id: str
    quota: int | None  # None: no quota, only counted (team events use TeamRule.teams_per_unit)
    used: int = 0


class TeamState(StrEnum):
    ENTERED = "entered"
    WITHDRAWN = "withdrawn"


class Team(NamedTuple):
    event_id: str
    team_id: str
    unit_id: str
    name: str
    roster: tuple[str, ...]  # 工号, in the order the unit listed them
    captain: str | None  # a member the unit admin lets edit this team
    state: TeamState
    version: int  # bumped on every change: a roster edit is written only over the version it was made from
    created_by: str
    created_at: datetime
    updated_at: datetime


class CheckinMethod(StrEnum):
    SCAN = "scan"  # staff scanned the member's code
    MANUAL = "manual"  # staff looked the member up by 工号 or name
    SELF = "self"  # the member scanned the venue code


class CheckIn(NamedTuple):
    """A member checked in at one point of an event: written once, whoever scans at the same moment."""

    event_id: str
    point_id: str
    staff_no: str
    name: str
    unit_id: str
    at: datetime  # when it happened (on an offline station: the station's clock)
    recorded_at: datetime  # when the server wrote it
    by: str  # 工号 of the staff member (the member themself for self check-in)
    method: CheckinMethod
    scan_id: str  # the station's unique id for the scan: a retried upload is recognised, never counted twice
    station: str | None = None
    offline: bool = False
    by_name: str | None = None  # the staff member's name when they scanned (None: written before names were kept)
    venue_step: int | None = None  # self check-in: the venue code's step it was made with
    distance_m: int | None = None  # self check-in with the location check: metres from the venue


class ConflictKind(StrEnum):
    DOUBLE_ADMIT = "double_admit"  # two stations admitted the same member at one point
    NOT_ADMITTED = "not_admitted"  # an offline station admitted a registration that no longer holds a place
    UNKNOWN = "unknown"  # an offline station admitted a code the server does not know


class CheckinConflict(NamedTuple):
    """A late (offline) check-in that could not simply be recorded, for the organiser to look at."""

    event_id: str
    scan_id: str
    kind: ConflictKind
    point_id: str
    at: datetime
    recorded_at: datetime
    by: str
    station: str | None = None
    staff_no: str | None = None
    name: str | None = None
    details: dict[str, Any] = {}  # noqa: RUF012 - a NamedTuple default is never mutated


class StaffRole(NamedTuple):
    """A member given a role for one event: check-in staff (optionally for some points only); later judges."""

    event_id: str
    staff_no: str
    name: str
    unit_id: str
    roles: frozenset[str]
    granted_by: str
    granted_at: datetime
