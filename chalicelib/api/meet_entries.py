"""A meet set up from its registrations (issue 19 item 1) through the API: what the confirmed registrations make
(GET) and applying it to the set-up (POST). The rules are chalicelib.domain.competition.meet_entries; the routes
parse, call chalicelib.services.meet_entries (the event's organisers only) and shape the answer."""

from __future__ import annotations

from chalicelib.api.meet_entries_schemas import MeetDisciplineOut, MeetEntriesApplyIn, MeetEntriesOut, MeetProblemOut
from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.http.routing import ApiRoutes
from chalicelib.services import meet_entries as service
from chalicelib.storage import get_store

routes = ApiRoutes(__name__, tag="competition")


def meet_entries_out(review: service.MeetEntries) -> MeetEntriesOut:
    return MeetEntriesOut(
        version=review.version,
        has_question=review.has_question,
        disciplines=[
            MeetDisciplineOut(
                code=d.code,
                group=d.group,
                name_zh=d.name_zh,
                name_en=d.name_en,
                entries=list(d.entries),
                merged_from=review.generated.merged.get(d.code),
                changed=d.code in review.changed,
                marked=d.code in review.marked,
            )
            for d in review.generated.disciplines
        ],
        problems=[
            MeetProblemOut(
                code=p.code,
                blocking=p.blocking,
                staff_no=p.staff_no,
                message=service.problem_text(p, review, "zh"),
                message_en=service.problem_text(p, review, "en"),
            )
            for p in review.generated.problems
        ],
        removed=list(review.removed),
    )


@routes.route(
    "/events/{event_id}/competition/meet-entries",
    access=Access.UNIT_ADMIN,
    summary="A meet's disciplines as its registrations make them (by gender and age group), with the problems",
    response=MeetEntriesOut,
    errors=(404,),
)
def preview_meet_entries(principal: Principal, event_id: str) -> MeetEntriesOut:
    """For the event's organisers. Each confirmed registration's ``events`` answer (the meet's event codes) puts the
    athlete in the discipline of their gender and age group on the meet day (``meet.bands``; an event with
    ``by_age`` false by gender only), after the organiser's ``merges`` and ``dropped`` entries. 404
    ``meet_not_set_up`` when the event's competition has no meet."""
    return meet_entries_out(service.preview(get_store(), principal, event_id))


@routes.route(
    "/events/{event_id}/competition/meet-entries",
    method="POST",
    access=Access.UNIT_ADMIN,
    summary="Apply the disciplines the registrations make to the meet's set-up",
    body=MeetEntriesApplyIn,
    response=MeetEntriesOut,
    errors=(404, 409),
)
def apply_meet_entries(principal: Principal, event_id: str, body: MeetEntriesApplyIn) -> MeetEntriesOut:
    """One conditional write of the set-up; relays and disciplines typed by hand stay. 409
    ``meet_entries_over_limit`` (``details.problems``, the athletes named in the message) or ``meet_entries_blocked``
    while a problem must be settled, ``meet_entries_marked`` (``details.disciplines``) when a discipline with marks
    would change, ``competition_changed_meanwhile`` when ``version`` is not the set-up's, ``competition_drawn`` once
    the meet is opened."""
    store = get_store()
    service.apply(store, principal, event_id, body.version, now())
    return meet_entries_out(service.preview(store, principal, event_id))
