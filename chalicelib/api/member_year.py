"""A member's year (issue 21 item 3): ``GET /api/me/year/{year}`` and ``GET /api/members/{staff_no}/year/{year}``,
the same as the pages /me/year and /admin/members/{staff_no}/year (chalicelib.services.member_year)."""

from datetime import datetime

from pydantic import Field

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.member_year import Participation
from chalicelib.domain.records import EventFormat, EventKind
from chalicelib.http.context import request_language
from chalicelib.http.routing import ApiRoutes
from chalicelib.http.schemas import ApiModel
from chalicelib.services.member_year import MemberYear, YearEvent, member_year, readable_year
from chalicelib.storage import get_store

routes = ApiRoutes(__name__, tag="organisation")


class YearAwardOut(ApiModel):
    entry_id: str = Field(description="The competition entry: the member's 工号, or their pair's or team's id.")
    stage: str
    discipline: str
    tier: str = Field(description="The award tier's name (一等奖); empty for a place.")
    place: int | None = Field(description="A place (1 = first); null for a tier.")


class YearEventOut(ApiModel):
    event_id: str
    title_zh: str
    title_en: str | None
    kind: EventKind
    format: EventFormat
    owner_unit_id: str
    organiser: str = Field(description="The organising unit's name in the request's language.")
    starts_at: datetime
    participation: Participation = Field(
        description="took_part (held a place; only these count in the totals), waiting, pending, withdrawn or "
        "event_cancelled."
    )
    check_ins: int = Field(description="The member's check-ins at the event.")
    attended: int | None = Field(description="Sessions or checkpoints attended; null for a single entry point.")
    expected: int | None = Field(description="Sessions or checkpoints the member's registrations covered.")
    completed: bool | None = Field(description="Whether that completes the event by the organisers' rule.")
    awards: list[YearAwardOut]


class YearTotalsOut(ApiModel):
    events: int
    check_ins: int
    completions: int
    awards: int


class MemberYearOut(ApiModel):
    staff_no: str
    name: str
    unit_id: str
    year: int
    totals: YearTotalsOut
    events: list[YearEventOut] = Field(description="The events of the year the member registered for, by start.")


def _event(row: YearEvent) -> YearEventOut:
    event = row.event
    return YearEventOut(
        event_id=event.event_id,
        title_zh=event.title_zh,
        title_en=event.title_en,
        kind=event.kind,
        format=event.format,
        owner_unit_id=event.owner_unit_id,
        organiser=row.organiser,
        starts_at=event.starts_at,
        participation=row.participation,
        check_ins=row.check_ins,
        attended=row.attended,
        expected=row.expected,
        completed=row.completed,
        awards=[
            YearAwardOut(entry_id=c.entry_id, stage=c.stage, discipline=c.discipline, tier=c.tier, place=c.place)
            for c in row.awards
        ],
    )


def _out(view: MemberYear) -> MemberYearOut:
    totals = view.totals
    return MemberYearOut(
        staff_no=view.member.staff_no,
        name=view.member.name,
        unit_id=view.member.unit_id,
        year=view.year,
        totals=YearTotalsOut(
            events=totals.events, check_ins=totals.check_ins, completions=totals.completions, awards=totals.awards
        ),
        events=[_event(row) for row in view.events],
    )


def _year(principal: Principal, staff_no: str, year: str) -> MemberYearOut:
    at = now()
    language = request_language(routes.current_request)
    return _out(member_year(get_store(), principal, staff_no, readable_year(year, at), at, language))


@routes.route(
    "/me/year/{year}",
    access=Access.MEMBER,
    summary="The signed-in member's year: events, attendance, completions, awards",
    response=MemberYearOut,
)
def my_year(principal: Principal, year: str) -> MemberYearOut:
    """The events of ``year`` (China time) the member registered for, each with their part in it, check-ins,
    sessions attended and completion, and awards of published competitions; totals count events they took part in."""
    return _year(principal, principal.member_no, year)


@routes.route(
    "/members/{staff_no}/year/{year}",
    access=Access.MEMBER,
    summary="A member's year (the member, their unit's admins, the union admin)",
    response=MemberYearOut,
)
def member_year_of(principal: Principal, staff_no: str, year: str) -> MemberYearOut:
    """The same as ``/me/year/{year}`` for a member the caller may read (403 otherwise)."""
    return _year(principal, staff_no, year)
