"""Registration against DynamoDB Local: capacity, waiting list, promotion, options, sessions, organisers' changes,
including many threads at once. The invariants checked after every race: never more confirmed than capacity,
never two active registrations of one member for one event, promotion never skipped."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timedelta

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.forms import Option, Question, QuestionKind, ShowIf
from chalicelib.domain.records import (
    SCHOOL_UNIT_ID,
    SERIES,
    Audience,
    AudienceRule,
    EventFormat,
    EventKind,
    Gender,
    Member,
    NotificationKind,
    RegistrationState,
)
from chalicelib.errors import AppError, Conflict, Forbidden, InvalidInput
from chalicelib.services import events as event_service
from chalicelib.services import registration as service
from tests.factories import published_event

ADMIN = Principal(staff_no="A0001", unit_id=SCHOOL_UNIT_ID, union_admin=True)
UNITS = ("cs", "math", "med")


def principal(member: Member) -> Principal:
    return Principal(staff_no=member.staff_no, unit_id=member.unit_id)


def open_event(store, *, capacity=10, waiting_list=True, form=(), owner=SCHOOL_UNIT_ID, sessions=(), **extra):
    """A wellness session of ``owner`` (the school union) a week ahead, published by the union admin."""
    fields = {"owner_unit_id": owner, "capacity": capacity, "waiting_list": waiting_list, "form": tuple(form)}
    return published_event(ADMIN, store=store, sessions=sessions, **fields, **extra)


def weekly_class(store, start, count, **extra):
    """A class of ``count`` one-hour sessions a week apart from ``start``, open for registration, 10 places."""
    sessions = [
        {"starts_at": start + timedelta(days=7 * n), "ends_at": start + timedelta(days=7 * n, hours=1)}
        for n in range(count)
    ]
    return open_event(store, capacity=10, format=EventFormat.CLASS, sessions=sessions, starts_at=start, **extra)


def register(store, member, event, scope=SERIES, answers=None):
    return service.register(store, principal(member), event.event_id, scope, answers or {}, now())


def in_threads(calls):
    """Run every call at once (released by a barrier); returns results and exceptions in call order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except Exception as exc:
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def assert_invariants(store, event_id, capacity):
    registrations = store.registrations.for_event(event_id)
    active = [r for r in registrations if r.state.active]
    confirmed = [r for r in active if r.state is RegistrationState.CONFIRMED]
    waiting = [r for r in active if r.state is RegistrationState.WAITING]
    event = store.events.get(event_id, consistent=True)
    assert len(confirmed) <= capacity
    assert Counter((r.scope, r.staff_no) for r in active).most_common(1)[0][1] == 1 if active else True
    assert event.confirmed_count == len(confirmed)
    assert event.waiting_count == len(waiting)
    if waiting:  # nobody waits while a place is free
        assert len(confirmed) == capacity
    return confirmed, waiting


# ---- the basic path -------------------------------------------------------------------------------------------


def test_confirmed_within_capacity_then_waiting_with_positions(union):
    store, members = union
    event = open_event(store, capacity=2)
    outcomes = [register(store, m, event) for m in members[:4]]
    assert [o.registration.state for o in outcomes] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert [o.position for o in outcomes] == [None, None, 1, 2]
    assert_invariants(store, event.event_id, 2)


def test_full_event_without_waiting_list_refuses(union):
    store, members = union
    event = open_event(store, capacity=1, waiting_list=False)
    register(store, members[0], event)
    with pytest.raises(Conflict) as refused:
        register(store, members[1], event)
    assert refused.value.code == "event_full"


def test_registering_twice_is_refused(union):
    store, members = union
    event = open_event(store)
    register(store, members[0], event)
    with pytest.raises(Conflict) as refused:
        register(store, members[0], event)
    assert refused.value.code == "already_registered"
    assert len(store.registrations.for_event(event.event_id)) == 1


def test_draft_closed_and_not_yet_open_events_refuse(union):
    store, members = union
    start = now() + timedelta(days=3)
    fields = {
        "owner_unit_id": SCHOOL_UNIT_ID,
        "kind": EventKind.SPORTS,
        "format": EventFormat.TOURNAMENT,
        "title_zh": "羽毛球赛",
        "starts_at": start,
        "ends_at": start + timedelta(hours=4),
    }
    draft = event_service.create_event(store, ADMIN, fields, [], now())
    with pytest.raises(AppError) as refused:
        service.register(store, principal(members[0]), draft.event_id, SERIES, {}, now())
    assert refused.value.status == 404  # members do not even see drafts
    later = open_event(store, registration_opens_at=now() + timedelta(days=1))
    with pytest.raises(Conflict) as not_yet:
        register(store, members[0], later)
    assert not_yet.value.code == "registration_not_yet"
    closed = open_event(store, registration_closes_at=now() - timedelta(minutes=1))
    with pytest.raises(Conflict) as after:
        register(store, members[0], closed)
    assert after.value.code == "registration_closed"


def test_audience_by_unit_gender_and_age(union):
    store, members = union
    cs_only = open_event(store, audience=AudienceRule(Audience.UNITS, frozenset({"cs"})))
    outsider = next(m for m in members if m.unit_id != "cs")
    with pytest.raises(Forbidden) as refused:
        register(store, outsider, cs_only)
    assert refused.value.code == "ineligible_audience_unit"
    register(store, next(m for m in members if m.unit_id == "cs"), cs_only)

    women = open_event(store, audience=AudienceRule(gender=Gender.FEMALE, max_age=45))
    man = next(m for m in members if m.gender is Gender.MALE)
    with pytest.raises(Forbidden) as wrong_gender:
        register(store, man, women)
    assert wrong_gender.value.code == "ineligible_audience_gender"
    old_woman = next(m for m in members if m.gender is Gender.FEMALE and m.birth_date.year < 1975)
    with pytest.raises(Forbidden) as too_old:
        register(store, old_woman, women)
    assert too_old.value.code == "ineligible_audience_age"


def test_own_unit_audience_of_a_sub_union_event(union):
    store, members = union
    event = open_event(store, owner="math", audience=AudienceRule(Audience.OWN_UNIT))
    with pytest.raises(Forbidden):
        register(store, next(m for m in members if m.unit_id == "cs"), event)
    assert register(store, next(m for m in members if m.unit_id == "math"), event).registration.state == "confirmed"


# ---- forms ------------------------------------------------------------------------------------------------


SHIRT = Question(
    "shirt",
    QuestionKind.SINGLE_CHOICE,
    "T恤尺码",
    required=True,
    options=(Option("M", "中号", limit=2), Option("L", "大号")),
)
DIET = Question("diet", QuestionKind.YES_NO, "是否素食")
DIET_NOTE = Question("diet_note", QuestionKind.TEXT, "忌口说明", show_if=ShowIf("diet", ("yes",)))
AGE = Question("years", QuestionKind.NUMBER, "工龄", min_value=0, max_value=45)


def test_answers_are_validated_on_the_server(union):
    store, members = union
    event = open_event(store, form=(SHIRT, DIET, DIET_NOTE, AGE))
    with pytest.raises(InvalidInput) as out_of_range:
        register(store, members[0], event, answers={"shirt": "L", "years": 99})
    assert [p["type"] for p in out_of_range.value.problems] == ["answer_out_of_range"]
    with pytest.raises(InvalidInput) as hidden:
        register(store, members[0], event, answers={"shirt": "L", "diet": "no", "diet_note": "不吃辣"})
    assert [p["type"] for p in hidden.value.problems] == ["answer_hidden_question"]
    with pytest.raises(InvalidInput) as missing:
        register(store, members[0], event, answers={})
    assert missing.value.problems[0]["type"] == "answer_required"
    assert store.registrations.for_event(event.event_id) == []
    stored = register(store, members[0], event, answers={"shirt": "L", "diet": "yes", "diet_note": "<b>不吃辣</b>"})
    assert stored.registration.answers == {"shirt": "L", "diet": True, "diet_note": "<b>不吃辣</b>"}


def test_option_limit_holds_under_concurrency_and_is_released_on_cancel(union):
    store, members = union
    event = open_event(store, capacity=50, form=(SHIRT,))
    results = in_threads([lambda m=m: register(store, m, event, answers={"shirt": "M"}) for m in members[:12]])
    won = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(won) == 2
    assert len(refused) == 10
    assert {r.code for r in refused} == {"option_full"}
    assert store.registrations.option_use(event.event_id) == {"series#shirt#M": 2}
    winner = next(m for m in members if m.staff_no == won[0].registration.staff_no)
    service.cancel(store, principal(winner), event.event_id, SERIES, now())
    assert store.registrations.option_use(event.event_id) == {"series#shirt#M": 1}
    assert register(store, members[20], event, answers={"shirt": "M"}).registration.state == "confirmed"


# ---- concurrency ------------------------------------------------------------------------------------------


def test_one_member_registering_from_ten_threads_gets_one_registration(union):
    store, members = union
    event = open_event(store, capacity=5)
    results = in_threads([lambda: register(store, members[0], event)] * 10)
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert {r.code for r in results if isinstance(r, Exception)} == {"already_registered"}
    confirmed, _ = assert_invariants(store, event.event_id, 5)
    assert len(confirmed) == 1


def test_many_members_at_once_never_oversell(union):
    store, members = union
    event = open_event(store, capacity=8)
    results = in_threads([lambda m=m: register(store, m, event) for m in members[:40]])
    assert not [r for r in results if isinstance(r, Exception)]
    confirmed, waiting = assert_invariants(store, event.event_id, 8)
    assert (len(confirmed), len(waiting)) == (8, 32)
    positions = sorted(store.registrations.waiting_position(r) for r in waiting)
    assert positions == list(range(1, 33))


def test_cancelling_promotes_the_first_in_line_and_notifies_them(union):
    store, members = union
    event = open_event(store, capacity=1)
    register(store, members[0], event)
    first = register(store, members[1], event)
    register(store, members[2], event)
    assert first.position == 1
    service.cancel(store, principal(members[0]), event.event_id, SERIES, now())
    promoted = store.registrations.get(event.event_id, SERIES, members[1].staff_no)
    assert promoted.state is RegistrationState.CONFIRMED and promoted.promoted_at is not None
    still_waiting = store.registrations.get(event.event_id, SERIES, members[2].staff_no)
    assert store.registrations.waiting_position(still_waiting) == 1
    notices = [n for n in store.notifications.for_member(members[1].staff_no) if n.event_id == event.event_id]
    assert [n.kind for n in notices] == [NotificationKind.PROMOTED]
    assert_invariants(store, event.event_id, 1)


def test_concurrent_cancellations_promote_in_queue_order(union):
    store, members = union
    event = open_event(store, capacity=5)
    for member in members[:15]:
        register(store, member, event)
    results = in_threads(
        [lambda m=m: service.cancel(store, principal(m), event.event_id, SERIES, now()) for m in members[:5]]
    )
    assert not [r for r in results if isinstance(r, Exception)]
    confirmed, waiting = assert_invariants(store, event.event_id, 5)
    assert sorted(r.staff_no for r in confirmed) == [m.staff_no for m in members[5:10]]
    assert len(waiting) == 5


def test_cancel_and_register_race_on_the_last_place(union):
    store, members = union
    for _ in range(3):
        event = open_event(store, capacity=1)
        register(store, members[0], event)
        in_threads(
            [
                lambda e=event: service.cancel(store, principal(members[0]), e.event_id, SERIES, now()),
                lambda e=event: register(store, members[1], e),
            ]
        )
        confirmed, waiting = assert_invariants(store, event.event_id, 1)
        # Whichever came first, the newcomer ends up holding the place: directly, or promoted at once.
        assert [r.staff_no for r in confirmed] == [members[1].staff_no]
        assert waiting == []


def test_capacity_raised_while_members_register(union):
    store, members = union
    event = open_event(store, capacity=5)
    calls = [lambda m=m: register(store, m, event) for m in members[:30]]
    calls.insert(15, lambda: event_service.update_event(store, ADMIN, event.event_id, {"capacity": 15}, False, now()))
    results = in_threads(calls)
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, Conflict)]
    capacity = store.events.get(event.event_id, consistent=True).capacity
    confirmed, waiting = assert_invariants(store, event.event_id, capacity)
    assert len(confirmed) + len(waiting) == 30


# ---- organisers -------------------------------------------------------------------------------------------


def test_shrinking_capacity_below_confirmed_is_refused(union):
    store, members = union
    event = open_event(store, capacity=5)
    for member in members[:4]:
        register(store, member, event)
    with pytest.raises(Conflict) as refused:
        event_service.update_event(store, ADMIN, event.event_id, {"capacity": 3}, True, now())
    assert refused.value.details == {"refusals": ["capacity_below_confirmed"]}
    assert store.events.get(event.event_id).capacity == 5
    event_service.update_event(store, ADMIN, event.event_id, {"capacity": 4}, False, now())
    assert store.events.get(event.event_id).capacity == 4


def test_moving_the_date_needs_confirmation_and_notifies(union):
    store, members = union
    event = open_event(store)
    register(store, members[0], event)
    later = {"starts_at": event.starts_at + timedelta(days=1), "ends_at": event.ends_at + timedelta(days=1)}
    with pytest.raises(Conflict) as asked:
        event_service.update_event(store, ADMIN, event.event_id, later, False, now())
    assert asked.value.code == "confirmation_needed"
    assert store.events.get(event.event_id).starts_at == event.starts_at
    event_service.update_event(store, ADMIN, event.event_id, later, True, now())
    assert store.events.get(event.event_id).starts_at == later["starts_at"]
    notices = [n for n in store.notifications.for_member(members[0].staff_no) if n.event_id == event.event_id]
    assert [n.kind for n in notices] == [NotificationKind.EVENT_CHANGED]
    actions = [entry.action for entry in store.audit.for_unit(SCHOOL_UNIT_ID)]
    assert actions[0] == "event.update"


def test_organiser_removes_and_adds_by_hand_with_audit(union):
    store, members = union
    event = open_event(store, capacity=1)
    register(store, members[0], event)
    register(store, members[1], event)
    service.remove(store, ADMIN, event.event_id, SERIES, members[0].staff_no, "重复报名", now())
    removed = store.registrations.get(event.event_id, SERIES, members[0].staff_no)
    assert (removed.state, removed.reason) == (RegistrationState.REMOVED, "重复报名")
    assert store.registrations.get(event.event_id, SERIES, members[1].staff_no).state is RegistrationState.CONFIRMED
    added = service.add_for_member(store, ADMIN, event.event_id, SERIES, members[5].staff_no, {}, now())
    assert (added.registration.state, added.registration.added_by) == (RegistrationState.WAITING, "A0001")
    actions = {entry.action for entry in store.audit.for_unit(SCHOOL_UNIT_ID)}
    assert {"registration.remove", "registration.add"} <= actions
    kinds = [n.kind for n in store.notifications.for_member(members[0].staff_no) if n.event_id == event.event_id]
    assert kinds == [NotificationKind.REMOVED]


def test_a_unit_admin_manages_only_their_units_events(union):
    store, members = union
    cs_admin = Principal(staff_no="M0000", unit_id="cs", admin_of=frozenset({"cs"}))
    event = open_event(store, owner="math")
    register(store, members[1], event)
    with pytest.raises(Forbidden):
        service.remove(store, cs_admin, event.event_id, SERIES, members[1].staff_no, "x", now())
    with pytest.raises(Forbidden):
        event_service.update_event(store, cs_admin, event.event_id, {"title_zh": "改名"}, False, now())
    start = now() + timedelta(days=2)
    fields = {
        "owner_unit_id": "math",
        "kind": EventKind.WELLNESS,
        "format": EventFormat.SESSION,
        "title_zh": "讲座",
        "starts_at": start,
        "ends_at": start + timedelta(hours=1),
    }
    with pytest.raises(Forbidden):
        event_service.create_event(store, cs_admin, fields, [], now())


def test_cancelling_after_the_deadline_is_refused(union):
    store, members = union
    event = open_event(store, cancel_deadline=now() + timedelta(seconds=1))
    register(store, members[0], event)
    with pytest.raises(Conflict) as refused:
        service.cancel(store, principal(members[0]), event.event_id, SERIES, now() + timedelta(seconds=2))
    assert refused.value.code == "cancel_deadline_passed"


# ---- classes over a term ---------------------------------------------------------------------------------


def test_single_sessions_have_their_own_places(union):
    store, members = union
    start = datetime.combine(now().date() + timedelta(days=10), datetime.min.time(), CHINA_TZ).replace(hour=18)
    sessions = [
        {"starts_at": start + timedelta(weeks=w), "ends_at": start + timedelta(weeks=w, hours=1), "capacity": 2}
        for w in range(3)
    ]
    event = open_event(
        store,
        capacity=5,
        format=EventFormat.CLASS,
        single_sessions=True,
        sessions=sessions,
        starts_at=start,
        ends_at=start + timedelta(weeks=2, hours=1),
    )
    assert [s.session_id for s in store.sessions.for_event(event.event_id)] == ["s01", "s02", "s03"]
    register(store, members[0], event)  # the whole series
    results = in_threads([lambda m=m: register(store, m, event, scope="s02") for m in members[1:6]])
    assert (
        sum(getattr(r, "registration", None) is not None and r.registration.state == "confirmed" for r in results) == 2
    )
    session = store.sessions.get(event.event_id, "s02")
    assert (session.confirmed_count, session.waiting_count) == (2, 3)
    assert store.events.get(event.event_id).confirmed_count == 1
