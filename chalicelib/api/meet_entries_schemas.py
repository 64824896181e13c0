"""The meet-from-registrations API's bodies and answers (chalicelib.api.meet_entries)."""

from typing import Annotated

from pydantic import Field

from chalicelib.http.schemas import ApiModel, InputModel


class MeetDisciplineOut(ApiModel):
    code: str = Field(description="M-A-100m: gender, age band, event; F-long_jump for an event by gender only.")
    group: str | None = Field(description="The gender/age group: M-A, F-B, M, F.")
    name_zh: str
    name_en: str | None
    entries: list[str] = Field(description="The athletes' 工号, in the order they registered.")
    merged_from: str | None = Field(description="Groups merged into this one by the organiser (M-C), if any.")
    changed: bool = Field(description="Applying would write it (new, or other entries than stored).")
    marked: bool = Field(description="It has marks: applying is refused while it would change.")


class MeetProblemOut(ApiModel):
    code: str = Field(description="A message id: meet_entries.over_limit, no_band, no_birth_date, unknown_event, "
                      "not_for_gender, lone_entrant, lone_alone.")  # fmt: skip
    blocking: bool = Field(description="Applying is refused until it is settled (over the limit, no age group).")
    staff_no: str | None
    message: str = Field(description="The problem in Chinese.")
    message_en: str


class MeetEntriesOut(ApiModel):
    version: int = Field(description="The set-up's version: send it back with the apply.")
    has_question: bool = Field(description="The registration form asks for the events (question id ``events``).")
    disciplines: list[MeetDisciplineOut]
    problems: list[MeetProblemOut]
    removed: list[str] = Field(description="Disciplines generated before that applying would remove.")


class MeetEntriesApplyIn(InputModel):
    version: Annotated[int, Field(ge=0, le=10**9, description="The version the preview gave.")]
