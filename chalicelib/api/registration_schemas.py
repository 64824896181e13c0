"""Request and response models of a member's own registrations, and the one shape of a registration every route
answers with (``registration_answer``). Apart from the event models (chalicelib.api.event_schemas) so that the
routes a member taps, the registration rush's cold Lambda containers among them, load only these."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from chalicelib.domain.records import SERIES, Registration, RegistrationState
from chalicelib.http.schemas import ApiModel, InputModel, QueryModel

Scope = Annotated[str, Field(pattern=r"^(series|s\d{2})$", description="'series' (whole event) or a session id.")]


class RegistrationIn(InputModel):
    scope: Scope = SERIES
    answers: dict[str, Any] = Field(default_factory=dict, max_length=30)
    partner: str | None = Field(default=None, max_length=20, description="Pairs events: the partner's 工号.")


class ScopeQuery(QueryModel):
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
    partner: str | None = Field(default=None, description="Pairs: the other member's 工号.")
    partner_name: str | None = None
    team_id: str | None = None
    tier: int | None = Field(default=None, description="Lottery priority tier (0 draws first).")


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


def registration_out(registration: Registration, position: int | None) -> dict[str, Any]:
    """RegistrationOut's fields of a registration (``position``: its place on the waiting list)."""
    return {
        "event_id": registration.event_id,
        "scope": registration.scope,
        "staff_no": registration.staff_no,
        "name": registration.name,
        "unit_id": registration.unit_id,
        "state": registration.state,
        "waiting_position": position,
        "registered_at": registration.registered_at,
        "updated_at": registration.updated_at,
        "promoted_at": registration.promoted_at,
        "added_by": registration.added_by,
        "reason": registration.reason,
        "answers": registration.answers,
        "partner": registration.partner,
        "partner_name": registration.partner_name,
        "team_id": registration.team_id,
        "tier": registration.tier,
    }


def registration_answer(registration: Registration, position: int | None = None) -> RegistrationOut:
    """A registration as the routes that change one answer it (``position``: its place on the waiting list)."""
    return RegistrationOut(**registration_out(registration, position))
