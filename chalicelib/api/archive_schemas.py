"""The archive's query and answer (``GET /api/events/archive``; the page ``/events/archive`` reads the same query)."""

from datetime import datetime

from pydantic import Field

from chalicelib.domain.archive import CURSOR_MAX, FIRST_YEAR, LAST_YEAR, TEXT_MAX, ArchiveFilter, ArchiveStatus
from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.records import EventFormat, EventKind, EventStatus
from chalicelib.http.schemas import ApiModel, QueryModel, UnitId
from chalicelib.services.archive import PAGE_MAX, PAGE_SIZE


class ArchiveQuery(QueryModel):
    year: int | None = Field(
        default=None, ge=FIRST_YEAR, le=LAST_YEAR, description="The year (China time) listed; this year by default."
    )
    month: int | None = Field(default=None, ge=1, le=12, description="Only this month of the year.")
    kind: EventKind | None = None
    format: EventFormat | None = None
    unit_id: UnitId | None = Field(default=None, description="Only events this unit organised.")
    status: ArchiveStatus = Field(
        default=ArchiveStatus.FINISHED, description="finished (the default), cancelled, or all listed events."
    )
    q: str = Field(default="", max_length=TEXT_MAX, description="Words in the Chinese or English title.")
    limit: int = Field(default=PAGE_SIZE, ge=1, le=PAGE_MAX)
    cursor: str | None = Field(
        default=None,
        min_length=1,
        max_length=CURSOR_MAX,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="next_cursor of the previous page, with the same filters.",
    )

    def wanted(self, at: datetime) -> ArchiveFilter:
        """The filter asked for; without a year, the year of ``at`` in China time."""
        year = self.year if self.year is not None else at.astimezone(CHINA_TZ).year
        return ArchiveFilter(year, self.month, self.kind, self.format, self.unit_id, self.status, self.q.strip())


class ArchivedEventOut(ApiModel):
    event_id: str
    title_zh: str
    title_en: str | None
    kind: EventKind
    format: EventFormat
    owner_unit_id: str
    starts_at: datetime
    ends_at: datetime
    venue: str | None
    status: EventStatus = Field(description="As members see it now (chalicelib.domain.event_rules.displayed_status).")
    results: bool = Field(description="Whether the event's competition is published (its results page).")


class ArchiveOut(ApiModel):
    events: list[ArchivedEventOut]
    next_cursor: str | None = Field(description="Pass as cursor for the next (older) page; null on the last page.")
