"""Plain records passed between the storage layer and the rest of the app."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple

SCHOOL_UNIT_ID = "school"


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


class EventStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    REGISTRATION_OPEN = "registration_open"
    REGISTRATION_CLOSED = "registration_closed"
    RUNNING = "running"
    FINISHED = "finished"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Unit:
    unit_id: str
    kind: UnitKind
    name_zh: str
    name_en: str | None = None
    short_name: str | None = None
    campus: str | None = None
    parent_id: str | None = None
    position: int = 0
    admins: frozenset[str] = field(default_factory=frozenset)  # 工号 of the unit's admins


@dataclass(frozen=True)
class Member:
    staff_no: str  # 工号
    name: str
    gender: Gender
    birth_date: date
    unit_id: str
    status: MemberStatus = MemberStatus.ACTIVE
    phone: str | None = None
    email: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    admin_units: frozenset[str] = field(default_factory=frozenset)


class Account(NamedTuple):
    staff_no: str
    password_hash: str | None = None
    activation_digest: str | None = None
    activation_expires_at: datetime | None = None
    session_version: int = 0

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
    before: dict | None = None
    after: dict | None = None


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


@dataclass(frozen=True)
class Event:
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
    audience: AudienceRule = AudienceRule()  # noqa: RUF009 - an immutable NamedTuple
    waiting_list: bool = True
    cancel_deadline: datetime | None = None  # None: until the event starts
    single_sessions: bool = False  # members may register for single sessions of a class
    form: tuple = ()  # tuple[chalicelib.domain.forms.Question, ...]
    confirmed_count: int = 0
    waiting_count: int = 0


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


class RegistrationState(StrEnum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    CANCELLED = "cancelled"  # by the member
    REMOVED = "removed"  # by an organiser

    @property
    def active(self) -> bool:
        return self in (RegistrationState.CONFIRMED, RegistrationState.WAITING)


class Registration(NamedTuple):
    event_id: str
    scope: str  # SERIES or a session_id
    staff_no: str
    name: str
    unit_id: str
    state: RegistrationState
    registered_at: datetime
    updated_at: datetime
    answers: dict = {}  # noqa: RUF012 - a NamedTuple default is never mutated
    queue_key: str | None = None  # while waiting: orders the waiting list
    promoted_at: datetime | None = None
    added_by: str | None = None  # 工号 of the organiser who entered it by hand
    reason: str | None = None  # why an organiser removed it


class NotificationKind(StrEnum):
    PROMOTED = "promoted"  # moved from the waiting list to confirmed
    ADDED = "added"  # entered by an organiser
    REMOVED = "removed"  # removed by an organiser
    EVENT_CHANGED = "event_changed"  # date or venue moved
    EVENT_CANCELLED = "event_cancelled"


class Notification(NamedTuple):
    staff_no: str
    notification_id: str
    at: datetime
    kind: NotificationKind
    event_id: str
    event_title: str
    details: dict = {}  # noqa: RUF012 - a NamedTuple default is never mutated
