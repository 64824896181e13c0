"""The demo meets set up from their registrations (issue 19 item 1): both ask for the events on their registration
form; the finished meet's members chose theirs, and its disciplines are the ones the organiser's review makes of
them (the loader's ``meet_entries`` step applies it), by gender and age on the meet day, at most two each."""

from __future__ import annotations

from chalicelib.domain.access import Principal
from chalicelib.domain.competition.measured import age_on
from chalicelib.domain.event_rules import event_day
from chalicelib.domain.records import SCHOOL_UNIT_ID, RegistrationState
from chalicelib.services import meet_entries as service
from chalicelib.storage import get_store

FINISHED, FUTURE = "ev-01J6NJX2W0KQ9HY61NV7QE32BR", "ev-01J6NJG8Q0QG2CCMT2MJV92NN7"
ADMIN = Principal(staff_no="2009001", unit_id=SCHOOL_UNIT_ID, union_admin=True)


def test_the_finished_meet_is_what_its_registrations_make(restored_demo):
    store = get_store()
    for event_id in (FINISHED, FUTURE):
        event = store.events.get(event_id)
        (question,) = [q for q in event.form if q.question_id == "events"]
        assert question.max_choices == 2 and len(question.options) >= 5
    review = service.preview(store, ADMIN, FINISHED)
    assert review.generated.problems == () and review.changed == frozenset() and review.has_question
    assert review.meet.individual_limit == 2 and [b.code for b in review.meet.bands] == ["Y", "M"]
    generated = {d.code for d in review.generated.disciplines}
    assert {"M-Y-100m", "F-M-100m", "M-1500m", "F-standing_long_jump"} <= generated
    stored = {(d.group, d.code) for d in review.meet.disciplines if not d.relay}
    assert ("M-Y", "M100Y") in stored and ("F", "WSLJ") in stored  # the codes the results use, kept
    members = {m.staff_no: m for m in restored_demo.members}
    day = event_day(review.event)
    confirmed = [r for r in store.registrations.for_event(FINISHED) if r.state == RegistrationState.CONFIRMED]
    assert len(confirmed) == 99 and all(1 <= len(r.answers["events"]) <= 2 for r in confirmed)
    for discipline in review.meet.disciplines:
        if discipline.group and discipline.group.endswith("-Y"):
            assert all(age_on(members[s].birth_date, day) <= 39 for s in discipline.entries)
