"""Request and response models of events and registrations, shared by the JSON API and the organiser pages
(which validate their form posts with the same models, so a page and the API accept exactly the same input)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.forms import Option, Question, QuestionKind, ShowIf
from chalicelib.domain.records import (
    SERIES,
    Audience,
    AudienceRule,
    EventFormat,
    EventKind,
    EventStatus,
    Gender,
    RegistrationState,
)
from chalicelib.http.schemas import ApiModel


def _china_time_if_naive(moment: datetime) -> datetime:
    """Times typed without an offset (a page's datetime-local input) are China time."""
    return moment.replace(tzinfo=CHINA_TZ) if moment.tzinfo is None else moment


Moment = Annotated[datetime, AfterValidator(_china_time_if_naive)]
Title = Annotated[str, Field(min_length=1, max_length=120)]
ShortText = Annotated[str, Field(max_length=100)]
Description = Annotated[str, Field(max_length=5000)]
Scope = Annotated[str, Field(pattern=r"^(series|s\d{2})$", description="'series' (whole event) or a session id.")]


class OptionIn(ApiModel):
    option_id: str = Field(max_length=20)
    label_zh: str = Field(max_length=200)
    label_en: str | None = Field(default=None, max_length=200)
    limit: int | None = Field(default=None, ge=1, le=100_000)


class ShowIfIn(ApiModel):
    question_id: str = Field(max_length=30)
    values: list[str] = Field(min_length=1, max_length=50)


class QuestionIn(ApiModel):
    question_id: str = Field(max_length=30)
    kind: QuestionKind
    label_zh: str = Field(max_length=200)
    label_en: str | None = Field(default=None, max_length=200)
    required: bool = False
    min_value: float | None = None
    max_value: float | None = None
    integer: bool = True
    max_length: int | None = Field(default=None, ge=1)
    options: list[OptionIn] = Field(default_factory=list, max_length=50)
    max_choices: int | None = Field(default=None, ge=1)
    show_if: ShowIfIn | None = None

    def question(self) -> Question:
        return Question(
            question_id=self.question_id,
            kind=self.kind,
            label_zh=self.label_zh,
            label_en=self.label_en,
            required=self.required,
            min_value=self.min_value,
            max_value=self.max_value,
            integer=self.integer,
            max_length=self.max_length,
            options=tuple(Option(o.option_id, o.label_zh, o.label_en, o.limit) for o in self.options),
            max_choices=self.max_choices,
            show_if=ShowIf(self.show_if.question_id, tuple(self.show_if.values)) if self.show_if else None,
        )


class AudienceIn(ApiModel):
    scope: Audience = Audience.ALL
    unit_ids: list[str] = Field(default_factory=list, max_length=100)
    gender: Gender | None = None
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)

    def rule(self) -> AudienceRule:
        return AudienceRule(self.scope, frozenset(self.unit_ids), self.gender, self.min_age, self.max_age)


class SessionIn(ApiModel):
    starts_at: Moment
    ends_at: Moment
    venue: ShortText | None = None
    capacity: int | None = Field(default=None, ge=1, le=100_000, description="Places for single-session registrations.")


class EventFields(ApiModel):
    """What an organiser may set on an event (all optional: the PATCH body)."""

    kind: EventKind | None = None
    format: EventFormat | None = None
    title_zh: Title | None = None
    title_en: Title | None = None
    description_zh: Description | None = None
    description_en: Description | None = None
    venue: ShortText | None = None
    campus: ShortText | None = None
    capacity: int | None = Field(default=None, ge=1, le=100_000, description="Omit or null for no limit.")
    starts_at: Moment | None = None
    ends_at: Moment | None = None
    registration_opens_at: Moment | None = None
    registration_closes_at: Moment | None = None
    cancel_deadline: Moment | None = None
    contact: ShortText | None = None
    audience: AudienceIn | None = None
    waiting_list: bool | None = None
    single_sessions: bool | None = None
    form: list[QuestionIn] | None = Field(default=None, max_length=30)

    def changes(self) -> dict[str, Any]:
        """The fields the request set, as record values (``null`` clears an optional field)."""
        values: dict[str, Any] = {}
        for name in self.model_fields_set:
            value = getattr(self, name)
            if name == "audience":
                value = (value or AudienceIn()).rule()
            elif name == "form":
                value = tuple(question.question() for question in value or ())
            values[name] = value
        return values


class NewEvent(EventFields):
    owner_unit_id: str = Field(max_length=40, description="The organising unit ('school' for the school union).")
    kind: EventKind
    format: EventFormat
    title_zh: Title
    starts_at: Moment
    ends_at: Moment
    sessions: list[SessionIn] = Field(default_factory=list, max_length=60)

    def event_fields(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The new event's fields as record values, and its sessions (services.events.create_event's input)."""
        fields = self.changes()  # the required facts are always among the fields set
        fields.pop("sessions", None)
        return fields, [session.model_dump() for session in self.sessions]


# Facts no event can be without: a PATCH may change them but not clear them.
_NOT_NULL = ("kind", "format", "title_zh", "description_zh", "starts_at", "ends_at", "waiting_list", "single_sessions")


class EventChanges(EventFields):
    @model_validator(mode="after")
    def _required_facts_stay(self) -> EventChanges:
        cleared = [name for name in _NOT_NULL if name in self.model_fields_set and getattr(self, name) is None]
        if cleared:
            raise PydanticCustomError("missing", "{field} cannot be cleared", {"field": cleared[0]})
        return self

    confirm: bool = Field(
        default=False,
        description="Required to move the date or venue, or narrow the audience, once members have registered.",
    )


class StatusChange(ApiModel):
    status: EventStatus


class SessionOut(ApiModel):
    session_id: str
    starts_at: datetime
    ends_at: datetime
    venue: str | None
    capacity: int | None
    confirmed: int
    waiting: int


class EventOut(ApiModel):
    event_id: str
    owner_unit_id: str
    kind: EventKind
    format: EventFormat
    status: EventStatus = Field(description="The status members see, derived from the stored status and the time.")
    registration: str = Field(description="unavailable, not_yet, open or closed")
    title_zh: str
    title_en: str | None
    description_zh: str
    description_en: str | None
    venue: str | None
    campus: str | None
    capacity: int | None
    starts_at: datetime
    ends_at: datetime
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    cancel_deadline: datetime | None
    contact: str | None
    audience: AudienceIn
    waiting_list: bool
    single_sessions: bool
    form: list[dict[str, Any]]
    confirmed: int
    waiting: int
    sessions: list[SessionOut] | None = Field(default=None, description="Only on the single-event route.")


class EventList(ApiModel):
    events: list[EventOut]


class EventListQuery(ApiModel):
    kind: EventKind | None = None
    unit_id: str | None = Field(default=None, max_length=40, description="Events organised by this unit.")
    open: bool = Field(default=False, description="Only events taking registrations now.")
    limit: int = Field(default=50, ge=1, le=200)


class RegistrationIn(ApiModel):
    scope: Scope = SERIES
    answers: dict[str, Any] = Field(default_factory=dict, max_length=30)


class RemovalQuery(ApiModel):
    scope: Scope = SERIES
    reason: str = Field(min_length=1, max_length=200)


class ScopeQuery(ApiModel):
    scope: Scope = SERIES


class RegistrationOut(ApiModel):
    event_id: str
    scope: str
    staff_no: str
    name: str
    unit_id: str
    state: RegistrationState
    waiting_position: int | None = Field(description="1 = next to be promoted; null unless waiting.")
    registered_at: datetime
    updated_at: datetime
    promoted_at: datetime | None
    added_by: str | None
    reason: str | None
    answers: dict[str, Any]


class RegistrationListQuery(ApiModel):
    state: RegistrationState | None = None
    unit_id: str | None = Field(default=None, max_length=40)
    scope: Scope | None = None


class RegistrationList(ApiModel):
    registrations: list[RegistrationOut]


class MyRegistrationOut(RegistrationOut):
    event_title_zh: str
    event_title_en: str | None
    event_starts_at: datetime
    event_venue: str | None


class MyRegistrationList(ApiModel):
    registrations: list[MyRegistrationOut]


class NotificationOut(ApiModel):
    notification_id: str
    at: datetime
    kind: str
    event_id: str
    event_title: str
    message: str = Field(description="The notification in the request's language.")


class NotificationList(ApiModel):
    notifications: list[NotificationOut]


class UnitTallyOut(ApiModel):
    unit_id: str
    unit_name: str
    registered: int
    confirmed: int
    waiting: int


class UnitSummary(ApiModel):
    units: list[UnitTallyOut]


class ExportQuery(ApiModel):
    format: str = Field(default="xlsx", pattern="^(xlsx|csv)$")
