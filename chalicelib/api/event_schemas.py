"""Request and response models of events and registrations, shared by the JSON API and the organiser pages
(which validate their form posts with the same models, so a page and the API accept exactly the same input)."""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Self

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from chalicelib.api.registration_schemas import RegistrationOut, Scope
from chalicelib.domain.entries import MAX_ROSTER
from chalicelib.domain.forms import Option, Question, QuestionKind, ShowIf
from chalicelib.domain.records import (
    SERIES,
    Allocation,
    Audience,
    AudienceRule,
    EntryType,
    EventFormat,
    EventKind,
    EventStatus,
    Gender,
    PairGender,
    PairRule,
    RegistrationState,
    ReminderPlan,
    TeamRule,
)
from chalicelib.http.schemas import UNSET, ApiModel, InputModel, Moment, QueryModel, UnitId
from chalicelib.i18n import N_

if TYPE_CHECKING:
    from chalicelib.services.quotas import QuotaPlan


Title = Annotated[str, Field(min_length=1, max_length=120)]
ShortText = Annotated[str, Field(max_length=100)]
Description = Annotated[str, Field(max_length=5000)]
# Numbers an organiser may bound a numeric question with.
Bound = Annotated[float, Field(ge=-1_000_000_000, le=1_000_000_000, allow_inf_nan=False)]


@dataclass(frozen=True)
class FormText:
    """Marks a text field of ``EventFields`` that the organisers' event form shows as typed, one input per marked
    field in the order declared (chalicelib.web.manage_pages): its label's message id, a hint's, and the rows of a
    text of several lines (0: one line). Its longest length and whether it is required come from the field itself."""

    label: str
    hint: str | None = None
    rows: int = 0


class OptionIn(InputModel):
    option_id: str = Field(max_length=20)
    label_zh: str = Field(max_length=200)
    label_en: str | None = Field(default=None, max_length=200)
    limit: int | None = Field(default=None, ge=1, le=100_000)


class ShowIfIn(InputModel):
    question_id: str = Field(max_length=30)
    values: list[str] = Field(min_length=1, max_length=50)


class QuestionIn(InputModel):
    question_id: str = Field(max_length=30)
    kind: QuestionKind
    label_zh: str = Field(max_length=200)
    label_en: str | None = Field(default=None, max_length=200)
    required: bool = False
    min_value: Bound | None = None
    max_value: Bound | None = None
    integer: bool = True
    max_length: int | None = Field(default=None, ge=1, le=5000)
    options: list[OptionIn] = Field(default_factory=list, max_length=50)
    max_choices: int | None = Field(default=None, ge=1, le=50)
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


class AudienceIn(InputModel):
    scope: Audience = Audience.ALL
    unit_ids: list[UnitId] = Field(default_factory=list, max_length=100)
    gender: Gender | None = None
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)

    def rule(self) -> AudienceRule:
        return AudienceRule(self.scope, frozenset(self.unit_ids), self.gender, self.min_age, self.max_age)


class SessionIn(InputModel):
    starts_at: Moment
    ends_at: Moment
    venue: ShortText | None = None
    capacity: int | None = Field(default=None, ge=1, le=100_000, description="Places for single-session registrations.")


class PairRuleIn(InputModel):
    gender: PairGender = PairGender.ANY
    same_unit: bool = Field(default=False, description="Both partners from the same unit.")

    def rule(self) -> PairRule:
        return PairRule(self.gender, self.same_unit)


class TeamRuleIn(InputModel):
    min_size: int = Field(default=1, ge=1, le=MAX_ROSTER)
    max_size: int = Field(default=12, ge=1, le=MAX_ROSTER)
    min_women: int = Field(default=0, ge=0, le=MAX_ROSTER)
    min_men: int = Field(default=0, ge=0, le=MAX_ROSTER)
    older_age: int | None = Field(default=None, ge=0, le=120, description="With max_older: players older than this.")
    max_older: int | None = Field(default=None, ge=0, le=MAX_ROSTER)
    min_age: int | None = Field(default=None, ge=0, le=120)
    teams_per_unit: int = Field(default=1, ge=1, le=20)
    roster_deadline: Moment | None = Field(default=None, description="Substitutions until then (default: the start).")

    def rule(self) -> TeamRule:
        return TeamRule(**self.model_dump())


class EventFields(InputModel):
    """What an organiser may set on an event (all optional: the PATCH body). The facts no event can be without
    (typed without ``None``) may be changed but not cleared: null is a 400; ``null`` clears the others."""

    kind: EventKind = UNSET
    format: EventFormat = UNSET
    title_zh: Annotated[Title, FormText(N_("manage.field.title_zh"))] = UNSET
    title_en: Annotated[Title | None, FormText(N_("manage.field.title_en"))] = None
    description_zh: Annotated[Description, FormText(N_("manage.field.description_zh"), rows=5)] = UNSET
    description_en: Annotated[Description | None, FormText(N_("manage.field.description_en"), rows=3)] = None
    venue: Annotated[ShortText | None, FormText(N_("manage.field.venue"))] = None
    campus: Annotated[ShortText | None, FormText(N_("manage.field.campus"))] = None
    capacity: int | None = Field(default=None, ge=1, le=100_000, description="Omit or null for no limit.")
    starts_at: Moment = UNSET
    ends_at: Moment = UNSET
    registration_opens_at: Moment | None = None
    registration_closes_at: Moment | None = None
    cancel_deadline: Moment | None = None
    contact: Annotated[ShortText | None, FormText(N_("manage.field.contact"), hint=N_("manage.hint.contact"))] = None
    audience: AudienceIn | None = None
    waiting_list: bool = UNSET
    single_sessions: bool = UNSET
    form: list[QuestionIn] | None = Field(default=None, max_length=30)
    allocation: Allocation = Field(default=UNSET, description="first_come, approval or lottery.")
    entry_type: EntryType = UNSET
    pair_rule: PairRuleIn | None = None
    team_rule: TeamRuleIn | None = None
    entry_group: str | None = Field(
        default=None, max_length=60, pattern=r"^[\w.-]+$", description="Events sharing a group share a limit."
    )
    entry_group_limit: int | None = Field(default=None, ge=1, le=50)
    lottery_priority_years: int | None = Field(
        default=None, ge=1, le=10, description="Members with no retreat place in that many years draw first."
    )
    reminders: ReminderPlan = Field(
        default=UNSET,
        description="Reminders to confirmed members (each session of a class): none, day_before (18:00 China time "
        "the day before), two_hours (two hours before) or both. A new event without it: day_before.",
    )

    def changes(self) -> dict[str, Any]:
        """The fields the request set, as record values (``null`` clears an optional field)."""
        values: dict[str, Any] = {}
        for name in self.model_fields_set:
            value = getattr(self, name)
            if name == "audience":
                value = (value or AudienceIn()).rule()
            elif name == "form":
                value = tuple(question.question() for question in value or ())
            elif name == "pair_rule":
                value = (value or PairRuleIn()).rule()
            elif name == "team_rule":
                value = (value or TeamRuleIn()).rule()
            values[name] = value
        return values


class NewEvent(EventFields):
    owner_unit_id: UnitId = Field(description="The organising unit ('school' for the school union).")
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
        fields.setdefault("reminders", ReminderPlan.DAY_BEFORE)  # new events remind the day before unless told
        return fields, [session.model_dump() for session in self.sessions]


class EventChanges(EventFields):
    confirm: bool = Field(
        default=False,
        description="Required to move the date or venue, or narrow the audience, once members have registered.",
    )


class StatusChange(InputModel):
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
    allocation: Allocation
    entry_type: EntryType
    pair_rule: PairRuleIn | None = Field(description="Pairs events only.")
    team_rule: TeamRuleIn | None = Field(description="Team events only.")
    quotas: bool = Field(description="Places are shared among units (see /events/{event_id}/quotas).")
    quota_release_at: datetime | None
    entry_group: str | None
    entry_group_limit: int | None
    lottery_commitment: str | None = Field(description="SHA-256 of the draw's secret seed, published in advance.")
    lottery_priority_years: int | None
    lottery_drawn_at: datetime | None
    reminders: ReminderPlan = Field(description="none, day_before, two_hours or both (events stored before: none).")
    confirmed: int
    waiting: int
    pending: int = Field(description="Awaiting approval or the draw.")
    sessions: list[SessionOut] | None = Field(default=None, description="Only on the single-event route.")


class EventList(ApiModel):
    events: list[EventOut]


class EventListQuery(QueryModel):
    kind: EventKind | None = None
    unit_id: UnitId | None = Field(default=None, description="Events organised by this unit.")
    open: bool = Field(default=False, description="Only events taking registrations now.")
    limit: int = Field(default=50, ge=1, le=200)


class RemovalQuery(QueryModel):
    scope: Scope = SERIES
    reason: str = Field(min_length=1, max_length=200)


class RegistrationListQuery(QueryModel):
    state: RegistrationState | None = None
    unit_id: UnitId | None = None
    scope: Scope | None = None


class RegistrationList(ApiModel):
    registrations: list[RegistrationOut]


class UnitTallyOut(ApiModel):
    unit_id: str
    unit_name: str
    registered: int
    confirmed: int
    waiting: int


class UnitSummary(ApiModel):
    units: list[UnitTallyOut]


class ExportQuery(QueryModel):
    format: str = Field(default="xlsx", pattern="^(xlsx|csv)$")


class RejectionIn(InputModel):
    reason: str = Field(min_length=1, max_length=200, description="Shown to the member.")


class ProportionalIn(InputModel):
    unit_ids: list[UnitId] | None = Field(
        default=None, max_length=100, description="Default: the event's audience units, else every sub-union."
    )
    minimum: int = Field(default=0, ge=0, le=1000, description="Places every unit gets first.")


class QuotaPlanIn(InputModel):
    """Either ``fixed`` quotas per unit (adding up to the capacity) or ``proportional`` to active members."""

    fixed: dict[UnitId, Annotated[int, Field(ge=0, le=100_000)]] | None = Field(default=None, max_length=100)
    proportional: ProportionalIn | None = None
    release_at: Moment | None = Field(default=None, description="Unused quota places go back to everyone then.")

    @model_validator(mode="after")
    def _one_way(self) -> Self:
        if (self.fixed is None) == (self.proportional is None):
            raise PydanticCustomError("quota_plan", "give either fixed or proportional quotas")
        return self

    def plan(self) -> "QuotaPlan":
        """The plan the quota service carries out (the API and the quota page)."""
        from chalicelib.services.quotas import QuotaPlan

        return QuotaPlan(
            fixed=self.fixed,
            proportional_units=self.proportional.unit_ids if self.proportional else None,
            minimum=self.proportional.minimum if self.proportional else 0,
            release_at=self.release_at,
        )


class UnitPlacesOut(ApiModel):
    unit_id: str
    unit_name: str
    quota: int | None
    used: int


class UnitPlacesList(ApiModel):
    release_at: datetime | None
    units: list[UnitPlacesOut]


class DrawSummaryOut(ApiModel):
    applicants: int
    winners: int
    waiting: int


class PublishedDrawOut(ApiModel):
    commitment: str | None = Field(description="Published before the draw: SHA-256 of the seed.")
    drawn_at: datetime | None
    draw: dict[str, Any] | None = Field(
        description="After the draw: seed, applicants (工号, unit, tier), winners and waiting list, to re-run with "
        "python -m devtools.verify_lottery."
    )


class TeamIn(InputModel):
    unit_id: UnitId
    name: str = Field(min_length=1, max_length=40)
    roster: list[Annotated[str, Field(min_length=1, max_length=20)]] = Field(min_length=1, max_length=MAX_ROSTER)
    captain: str | None = Field(default=None, max_length=20)


class TeamChanges(InputModel):
    roster: list[Annotated[str, Field(min_length=1, max_length=20)]] = Field(min_length=1, max_length=MAX_ROSTER)
    name: str | None = Field(default=None, min_length=1, max_length=40)
    captain: str | None = Field(default=None, max_length=20, description="Empty string: no captain.")
    version: int | None = Field(
        default=None, ge=0, le=1_000_000_000, description="The version edited: refused if it changed since."
    )


class TeamOut(ApiModel):
    team_id: str
    event_id: str
    unit_id: str
    name: str
    roster: list[str]
    captain: str | None
    state: str
    version: int
    updated_at: datetime


class TeamList(ApiModel):
    teams: list[TeamOut]
