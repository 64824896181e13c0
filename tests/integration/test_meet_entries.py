"""A meet set up from its registrations (issue 19 item 1) against DynamoDB Local: the events question added to the
registration form, members registering with their events, the disciplines generated and applied through the
set-up in one conditional write, merges and dropped entries kept for the next run, marks protecting a discipline,
the limit refused with the athletes named and nothing written."""

from __future__ import annotations

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import EventFormat, EventKind
from chalicelib.errors import Conflict, Forbidden, InvalidInput
from chalicelib.services import competition as competition_service
from chalicelib.services import meet as meet_service
from chalicelib.services import meet_entries as service
from tests.integration.test_registration import ADMIN, open_event, register

CS_ADMIN = Principal(staff_no="M0000", unit_id="cs", admin_of=frozenset({"cs"}))
BANDS = [
    {"code": "A", "name_zh": "甲组", "name_en": "Group A", "max_age": 35},
    {"code": "B", "name_zh": "乙组", "name_en": "Group B", "min_age": 36, "max_age": 45},
    {"code": "C", "name_zh": "丙组", "name_en": "Group C", "min_age": 46},
]
EVENTS = [
    {"code": "100m", "name_zh": "100米", "name_en": "100 m", "measure": "time"},
    {"code": "long_jump", "name_zh": "跳远", "name_en": "long jump", "measure": "distance", "attempts": 3,
     "by_age": False},
    {"code": "shot_put", "name_zh": "铅球", "name_en": "shot put", "measure": "distance", "attempts": 3,
     "by_age": False},
]  # fmt: skip
RELAY = {"code": "M4X100", "name_zh": "男子4×100米接力", "measure": "time", "relay": True}


def _meet(store, limit=2):
    event = open_event(store, capacity=50, kind=EventKind.SPORTS, format=EventFormat.MEET, title_zh="田径运动会")
    meet = {"disciplines": [RELAY], "bands": BANDS, "events": EVENTS, "individual_limit": limit}
    stages = [{"stage_id": "meet", "kind": "measured", "name_zh": "田径", "meet": meet}]
    competition_service.configure(store, ADMIN, event.event_id, {"stages": stages}, now())
    return event


def _disciplines(store, event):
    setup, _ = store.competitions.setup_version(event.event_id)
    return {d["code"]: d["entries"] for d in setup["stages"][0]["meet"]["disciplines"]}


def test_the_form_question_registrations_and_apply_with_merges_kept(union):
    store, members = union
    event = _meet(store)
    # The organiser adds the events question from the meet's events: options by code, at most the limit.
    changed = service.add_events_question(store, ADMIN, event.event_id, now())
    (question,) = [q for q in changed.form if q.question_id == "events"]
    assert [o.option_id for o in question.options] == ["100m", "long_jump", "shot_put"]
    assert question.max_choices == 2 and question.required
    # Men born 1970 (56: 丙组), 1986 (40: 乙组), 1996 (30: 甲组), 1998 (28: 甲组); a woman born 1971.
    by_no = {m.staff_no: m for m in members}
    for staff_no, chosen in (("M0000", ["100m", "long_jump"]), ("M0016", ["100m"]), ("M0026", ["100m", "shot_put"]),
                             ("M0028", ["100m"]), ("M0001", ["long_jump"])):  # fmt: skip
        register(store, by_no[staff_no], changed, answers={"events": chosen})
    review = service.preview(store, ADMIN, event.event_id)
    assert {d.code: d.entries for d in review.generated.disciplines} == {
        "M-A-100m": ("M0026", "M0028"),
        "M-B-100m": ("M0016",),
        "M-C-100m": ("M0000",),
        "M-long_jump": ("M0000",),
        "F-long_jump": ("M0001",),
        "M-shot_put": ("M0026",),
    }
    names = {d.code: (d.name_zh, d.name_en) for d in review.generated.disciplines}
    assert names["M-C-100m"] == ("男子丙组100米", "Men's Group C 100 m")
    lone = {p.params["group"]: p.params["into"] for p in review.generated.problems if "group" in p.params}
    assert lone == {"M-B": "M-A", "M-C": "M-B"}
    assert (
        service.problem_text(next(p for p in review.generated.problems if p.params.get("group") == "M-C"), review, "zh")
        == "男子丙组100米只有 1 人报名，可并入男子乙组"
    )
    # Merge 丙组 into 乙组 for the 100 m, then apply: the relay stays, the merge is kept.
    service.merge(store, ADMIN, event.event_id, "M-C", "M-B", "100m", review.version, now())
    review = service.preview(store, ADMIN, event.event_id)
    service.apply(store, ADMIN, event.event_id, review.version, now())
    stored = _disciplines(store, event)
    assert stored["M-B-100m"] == ["M0000", "M0016"] and "M-C-100m" not in stored and stored["M4X100"] == []
    setup, _ = store.competitions.setup_version(event.event_id)
    assert setup["stages"][0]["meet"]["merges"] == [{"group": "M-C", "into": "M-B", "event": "100m"}]
    # Marks in one discipline; a later registration changes another: the re-run keeps the merge and the marks.
    meet_service.enter_performance(store, ADMIN, event.event_id, "meet", "M-A-100m", "M0026", ["13.20"], now())
    register(store, by_no["M0018"], changed, answers={"events": ["100m"]})  # 1988: 38, 乙组
    review = service.preview(store, ADMIN, event.event_id)
    assert review.changed == {"M-B-100m"} and review.marked == ()
    service.apply(store, ADMIN, event.event_id, review.version, now())
    assert _disciplines(store, event)["M-B-100m"] == ["M0000", "M0016", "M0018"]
    state = competition_service.view(store, ADMIN, event.event_id)
    assert state.performances["meet"]["M-A-100m"]["M0026"]["attempts"] == ["13.20"]
    # A registration that would change the marked discipline: refused, naming it.
    register(store, by_no["M0024"], changed, answers={"events": ["100m"]})  # 1994: 32, 甲组
    review = service.preview(store, ADMIN, event.event_id)
    assert review.marked == ("M-A-100m",)
    with pytest.raises(Conflict) as refused:
        service.apply(store, ADMIN, event.event_id, review.version, now())
    assert refused.value.code == "meet_entries_marked"


def test_over_the_limit_is_refused_naming_them_then_dropped(union):
    store, members = union
    event = _meet(store)
    changed = service.add_events_question(store, ADMIN, event.event_id, now())
    by_no = {m.staff_no: m for m in members}
    register(store, by_no["M0002"], changed, answers={"events": ["100m", "shot_put"]})
    # The organiser lowers the limit to one after the registrations.
    setup, _ = store.competitions.setup_version(event.event_id)
    setup["stages"][0]["meet"]["individual_limit"] = 1
    competition_service.configure(store, ADMIN, event.event_id, {"stages": setup["stages"]}, now())
    review = service.preview(store, ADMIN, event.event_id)
    with pytest.raises(Conflict) as refused:
        service.apply(store, ADMIN, event.event_id, review.version, now())
    assert refused.value.code == "meet_entries_over_limit" and refused.value.params["names"] == "会员2（M0002）"
    assert refused.value.details["problems"][0]["events_zh"] == "100米、铅球"
    assert _disciplines(store, event) == {"M4X100": []}  # nothing written
    service.drop(store, ADMIN, event.event_id, "M0002", "shot_put", False, review.version, now())
    review = service.preview(store, ADMIN, event.event_id)
    service.apply(store, ADMIN, event.event_id, review.version, now())
    assert _disciplines(store, event) == {"M-C-100m": ["M0002"], "M4X100": []}


def test_a_stale_review_and_someone_else_are_refused(union):
    store, _ = union
    event = _meet(store)
    review = service.preview(store, ADMIN, event.event_id)
    service.merge(store, ADMIN, event.event_id, "M-C", "M-B", None, review.version, now())
    # The page reviewed before the merge: its apply is refused, nothing written.
    with pytest.raises(Conflict) as refused:
        service.apply(store, ADMIN, event.event_id, review.version, now())
    assert refused.value.code == "competition_changed_meanwhile"
    # configure itself writes only over the version the review was built from (no second read to race with).
    stale = competition_service.load(store, event)
    assert stale is not None
    with pytest.raises(Conflict) as refused:
        competition_service.configure(store, ADMIN, event.event_id, {}, now(), expected_version=stale.version - 1)
    assert refused.value.code == "competition_changed_meanwhile"
    assert competition_service.load(store, event).version == stale.version  # nothing written
    with pytest.raises(Forbidden):
        service.preview(store, CS_ADMIN, event.event_id)
    with pytest.raises(Forbidden):
        service.apply(store, CS_ADMIN, event.event_id, None, now())


def test_the_organiser_sets_the_groups_and_events_then_the_question(union):
    store, _ = union
    event = _meet(store)
    review = service.preview(store, ADMIN, event.event_id)
    service.set_rules(store, ADMIN, event.event_id, [30, 40], 3, ["100m", "high_jump", "long_jump"], {"100m"},
                      review.version, now())  # fmt: skip
    meet = service.preview(store, ADMIN, event.event_id).meet
    assert [(b.name_zh, b.min_age, b.max_age) for b in meet.bands] == [
        ("甲组", 0, 30),
        ("乙组", 31, 40),
        ("丙组", 41, None),
    ]
    # the page's order, in age groups as ticked; the long jump kept, the high jump new, the shot put gone
    assert [(e.code, e.by_age) for e in meet.events] == [("100m", True), ("long_jump", False), ("high_jump", False)]
    assert meet.events[2].name_zh == "跳高" and meet.events[2].attempts == 3
    assert meet.individual_limit == 3
    changed = service.add_events_question(store, ADMIN, event.event_id, now())
    (question,) = [q for q in changed.form if q.question_id == "events"]
    assert [o.option_id for o in question.options] == [e.code for e in meet.events] and question.max_choices == 3
    with pytest.raises(InvalidInput):
        service.set_rules(store, ADMIN, event.event_id, [40, 30], None, [], set(), None, now())
