"""The archive of past events (issue 18 item 9): ``GET /api/events/archive``, the same reads as ``/events/archive``."""

from __future__ import annotations

from chalicelib.api.archive_schemas import ArchivedEventOut, ArchiveOut, ArchiveQuery
from chalicelib.domain.access import Access
from chalicelib.domain.calendar import now
from chalicelib.domain.event_rules import displayed_status
from chalicelib.http.routing import ApiRoutes
from chalicelib.services import archive
from chalicelib.storage import get_store

routes = ApiRoutes(__name__, tag="events")


@routes.route(
    "/events/archive",
    access=Access.PUBLIC,
    summary="Past events of a year, newest first, filtered and a page at a time",
    query=ArchiveQuery,
    response=ArchiveOut,
)
def event_archive(query: ArchiveQuery) -> ArchiveOut:
    """A year's listed events (no drafts), newest first: by month, kind, format, organising unit, status and words
    in the title; ``limit`` a page, ``next_cursor`` for the next. Index queries only: at most 12 per page, each
    reading no more events than the page still lacks."""
    at = now()
    page = archive.archive_page(get_store(), query.wanted(at), at, query.limit, query.cursor)
    return ArchiveOut(
        events=[
            ArchivedEventOut(
                event_id=e.event_id,
                title_zh=e.title_zh,
                title_en=e.title_en,
                kind=e.kind,
                format=e.format,
                owner_unit_id=e.owner_unit_id,
                starts_at=e.starts_at,
                ends_at=e.ends_at,
                venue=e.venue,
                status=displayed_status(e, at),
                results=e.event_id in page.with_results,
            )
            for e in page.events
        ],
        next_cursor=page.next_cursor,
    )
