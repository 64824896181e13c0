"""A multi-event skill contest's entries and unit results (issue 19 item 7) against DynamoDB Local: unit admins enter
their members across events up to a cap per unit per event (two admins at once cannot exceed it), answering the
registration form for them; another unit's member, a judge of the event, an unknown event are refused with nothing
written; each event's stages take its own entrants; the units' ranking and 优秀组织奖."""

from __future__ import annotations

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.forms import Question, QuestionKind
from chalicelib.domain.records import SERIES, EventFormat
from chalicelib.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.services import competition as competition_service
from chalicelib.services import contests as service
from chalicelib.services import registration as registration_service
from tests.integration.test_registration import ADMIN, in_threads, open_event

CS_ADMIN = Principal(staff_no="M0000", unit_id="cs", admin_of=frozenset({"cs"}))
CS_ADMIN_2 = Principal(staff_no="M0006", unit_id="cs", admin_of=frozenset({"cs"}))
MATH_ADMIN = Principal(staff_no="M0001", unit_id="math", admin_of=frozenset({"math"}))
CRITERIA = [{"code": "skill", "name_zh": "技能", "weight": 1}]
TIERS = [{"code": "first", "name_zh": "一等奖", "count": 1}, {"code": "second", "name_zh": "二等奖", "count": 1}]
SIZE = Question("size", QuestionKind.TEXT, "服装尺码", "T-shirt size", required=True)


def _stage(stage_id: str, contest: str, qualifiers: int = 0, judges: tuple[str, ...] = ()) -> dict:
    judging: dict = {"criteria": CRITERIA, "tiers": TIERS, "aggregation": "mean"}
    if judges:
        judging["panels"] = [{"panel_id": "p", "name_zh": "评委组", "judges": list(judges)}]
    return {"stage_id": stage_id, "kind": "judged", "name_zh": stage_id, "judging": judging, "qualifiers": qualifiers,
            "contest": contest}  # fmt: skip


SETUP = {
    "stages": [_stage("cook-pre", "cook", 1), _stage("cook-final", "cook"), _stage("weld", "weld", judges=("M0012",))],
    "contests": [
        {"code": "cook", "category": "food", "category_zh": "餐饮类", "name_zh": "中式烹调", "cap_per_unit": 2},
        {
            "code": "weld",
            "category": "works",
            "category_zh": "工程类",
            "name_zh": "焊工",
            "name_en": "Welding",
            "cap_per_unit": 1,
        },
    ],
    "unit_awards": {"tier_points": [{"tier": "first", "points": 5}, {"tier": "second", "points": 3}], "top": 1},
}


def _contest(store, form=()):
    event = open_event(store, capacity=50, format=EventFormat.CONTEST, title_zh="职工岗位技能竞赛", form=form)
    competition_service.configure(store, ADMIN, event.event_id, SETUP, now())
    return event


def _entrants(store, event, code):
    setup, _ = store.competitions.setup_version(event.event_id)
    return next(contest["entries"] for contest in setup["contests"] if contest["code"] == code)


def test_a_unit_admin_enters_members_across_events_within_the_caps(union):
    store, _ = union
    event = _contest(store)
    view = service.contest_entries(store, CS_ADMIN, event.event_id)
    assert [u.unit_id for u in view.units] == ["cs"] and view.unit_id == "cs"
    assert [(c.name_zh, [e.code for e in c.events]) for c in view.categories] == [("餐饮类", ["cook"]),
                                                                                  ("工程类", ["weld"])]  # fmt: skip
    service.enter(store, CS_ADMIN, event.event_id, "cook", "M0003", {}, now())
    service.enter(store, CS_ADMIN, event.event_id, "cook", "M0009", {}, now())
    service.enter(store, CS_ADMIN, event.event_id, "weld", "M0003", {}, now())  # one person, two events
    with pytest.raises(Conflict) as refused:
        service.enter(store, CS_ADMIN, event.event_id, "weld", "M0009", {}, now())
    assert refused.value.code == "contest.cap_reached" and refused.value.params["cap"] == 1
    with pytest.raises(Conflict) as refused:
        service.enter(store, CS_ADMIN, event.event_id, "cook", "M0006", {}, now())
    assert refused.value.code == "contest.cap_reached"
    assert _entrants(store, event, "cook") == ["M0003", "M0009"] and _entrants(store, event, "weld") == ["M0003"]
    # Each entrant is registered for the event once; the one refused is not.
    registered = {r.staff_no for r in store.registrations.for_event(event.event_id) if r.state.active}
    assert registered == {"M0003", "M0009"}
    # math's cap is its own
    service.enter(store, MATH_ADMIN, event.event_id, "weld", "M0001", {}, now())
    shown = service.contest_entries(store, CS_ADMIN, event.event_id)
    assert shown.unit_entrants(shown.competition.contests[1]) == ["M0003"] and shown.registered >= {"M0003", "M0001"}
    # a withdrawal frees the place
    service.withdraw(store, CS_ADMIN, event.event_id, "weld", "M0003", now())
    service.enter(store, CS_ADMIN, event.event_id, "weld", "M0009", {}, now())
    assert _entrants(store, event, "weld") == ["M0001", "M0009"]
    # each event's first stage takes its own entrants
    state = competition_service.open_stage(store, ADMIN, event.event_id, "weld", now())
    assert state.competition.run("weld").entries == ("M0001", "M0009")
    with pytest.raises(Conflict) as refused:  # under way: entries are fixed
        service.withdraw(store, CS_ADMIN, event.event_id, "weld", "M0009", now())
    assert refused.value.code == "contest.event_started"


def test_refusals_leave_nothing_written(union):
    store, _ = union
    event = _contest(store, form=(SIZE,))
    _, version = store.competitions.setup_version(event.event_id)
    with pytest.raises(Forbidden) as refused:  # M0001 is of math
        service.enter(store, CS_ADMIN, event.event_id, "cook", "M0001", {"size": "L"}, now())
    assert refused.value.code == "contest.other_unit"
    with pytest.raises(NotFound) as refused:
        service.enter(store, CS_ADMIN, event.event_id, "nope", "M0003", {"size": "L"}, now())
    assert refused.value.code == "contest.unknown_event"
    with pytest.raises(Conflict) as refused:  # M0012 judges welding
        service.enter(store, CS_ADMIN, event.event_id, "weld", "M0012", {"size": "L"}, now())
    assert refused.value.code == "contest.entrant_is_judge"
    with pytest.raises(InvalidInput) as refused:  # the form's required question not answered
        service.enter(store, CS_ADMIN, event.event_id, "cook", "M0003", {}, now())
    assert [(p["type"], p["loc"]) for p in refused.value.problems] == [("answer_required", ("answers", "size"))]
    assert store.competitions.setup_version(event.event_id)[1] == version
    assert store.registrations.get(event.event_id, SERIES, "M0003") is None
    # answered for them: entered and registered with the answer
    service.enter(store, CS_ADMIN, event.event_id, "cook", "M0003", {"size": "L"}, now())
    assert store.registrations.get(event.event_id, SERIES, "M0003").answers == {"size": "L"}  # type: ignore[union-attr]
    with pytest.raises(Forbidden):  # math's admin cannot withdraw cs's entrant
        service.withdraw(store, MATH_ADMIN, event.event_id, "cook", "M0003", now())
    with pytest.raises(Forbidden):  # a member who runs no unit
        service.contest_entries(store, Principal(staff_no="M0003", unit_id="cs"), event.event_id)


def test_two_admins_of_a_unit_entering_at_once_cannot_exceed_its_cap(union):
    store, _ = union
    event = _contest(store)
    for _round in range(3):
        results = in_threads(
            [
                lambda: service.enter(store, CS_ADMIN, event.event_id, "weld", "M0003", {}, now()),
                lambda: service.enter(store, CS_ADMIN_2, event.event_id, "weld", "M0009", {}, now()),
            ]
        )
        won = [r for r in results if not isinstance(r, Exception)]
        lost = [r for r in results if isinstance(r, Exception)]
        assert len(won) == 1 and len(lost) == 1, results
        assert isinstance(lost[0], Conflict) and lost[0].code == "contest.cap_reached"
        entrants = _entrants(store, event, "weld")
        assert entrants == [won[0].entry_id]
        # the loser was not registered either
        loser = ({"M0003", "M0009"} - {won[0].entry_id}).pop()
        held = store.registrations.get(event.event_id, SERIES, loser)
        assert held is None or not held.state.active
        service.withdraw(store, CS_ADMIN, event.event_id, "weld", won[0].entry_id, now())
        registration = store.registrations.get(event.event_id, SERIES, won[0].entry_id)
        registration_service.remove(store, ADMIN, event.event_id, SERIES, registration.staff_no, "", now())


def test_units_ranked_with_the_organisation_award(union):
    store, _ = union
    event = _contest(store)
    service.enter(store, CS_ADMIN, event.event_id, "weld", "M0003", {}, now())
    service.enter(store, MATH_ADMIN, event.event_id, "weld", "M0001", {}, now())
    service.enter(store, MATH_ADMIN, event.event_id, "cook", "M0004", {}, now())
    state = competition_service.open_stage(store, ADMIN, event.event_id, "weld", now())
    for staff_no, mark in (("M0003", 90), ("M0001", 80)):
        store.competitions.put_marks(event.event_id, state.version, "weld", staff_no, "M0012", {"skill": mark}, now())
    competition_service.close_stage(store, ADMIN, event.event_id, "weld", now())
    state = competition_service.load(store, event)
    results = service.results(state)  # type: ignore[arg-type]
    # cs: 一等奖 5 points; math: 二等奖 3 points, entered 2 events (cook not judged yet)
    assert [(u.unit_id, u.rank, u.points, u.events, u.award) for u in results.units] == [
        ("cs", 1, 5, 1, True), ("math", 2, 3, 2, False)
    ]  # fmt: skip
    assert results.events["weld"].closed and not results.events["cook"].closed
