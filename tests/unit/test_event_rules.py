"""The rules of events and registration, at their boundaries: ages on the event day, windows, transitions, edits."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

import pytest

from chalicelib.domain.event_rules import (
    ChangeImpact,
    Placement,
    RegistrationPhase,
    UnitTally,
    age_on,
    change_impact,
    check_transition,
    displayed_status,
    event_day,
    ineligibility,
    may_cancel,
    placement,
    registration_phase,
    schedule_problems,
    unit_summary,
)
from chalicelib.domain.records import (
    Audience,
    AudienceRule,
    Event,
    EventStatus,
    Gender,
    Member,
    MemberStatus,
    Registration,
    RegistrationState,
)
from chalicelib.errors import Conflict
from tests.unit.event_records import cst, make_event

TICK = timedelta(microseconds=1)


def make_member(**changes) -> Member:
    fields = {
        "staff_no": "T1001",
        "name": "张三",
        "gender": Gender.FEMALE,
        "birth_date": date(1980, 6, 15),
        "unit_id": "cs",
    }
    return Member(**(fields | changes))


# ---------------------------------------------------------------- ages and the event day


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (date(1980, 6, 15), date(2026, 6, 14), 45),
        (date(1980, 6, 15), date(2026, 6, 15), 46),
        (date(1980, 6, 15), date(2026, 6, 16), 46),
        (date(1990, 12, 31), date(2026, 12, 30), 35),
        (date(1990, 12, 31), date(2026, 12, 31), 36),
        (date(1991, 1, 1), date(2026, 12, 31), 35),
        # Born on a leap day: a year older on 1 March in ordinary years, on 29 February in leap years.
        (date(2000, 2, 29), date(2025, 2, 28), 24),
        (date(2000, 2, 29), date(2025, 3, 1), 25),
        (date(2000, 2, 29), date(2024, 2, 28), 23),
        (date(2000, 2, 29), date(2024, 2, 29), 24),
        (date(2000, 2, 29), date(2000, 2, 29), 0),
    ],
)
def test_age_in_whole_years(born, day, age):
    assert age_on(born, day) == age


def test_event_day_is_taken_in_china_time():
    # Half past midnight in Beijing is still the 20th in UTC.
    event = make_event(starts_at=datetime.fromisoformat("2026-11-21T00:30+08:00"))
    assert event.starts_at.astimezone(UTC).date() == date(2026, 11, 20)
    assert event_day(event) == date(2026, 11, 21)


@pytest.mark.parametrize(
    ("starts_at", "day"),
    [
        (datetime(2026, 11, 20, 16, 0, tzinfo=UTC), date(2026, 11, 21)),
        (datetime(2026, 11, 20, 15, 59, tzinfo=UTC), date(2026, 11, 20)),
        (cst(11, 21, 23, 59), date(2026, 11, 21)),
    ],
)
def test_event_day_from_times_stored_in_any_zone(starts_at, day):
    assert event_day(make_event(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))) == day


# ---------------------------------------------------------------- eligibility


def test_anyone_active_may_register_for_an_open_audience():
    assert ineligibility(make_event(), make_member(unit_id="elsewhere", gender=Gender.MALE)) is None


def test_retired_members_may_register_but_those_who_left_may_not():
    assert ineligibility(make_event(), make_member(status=MemberStatus.RETIRED)) is None
    assert ineligibility(make_event(), make_member(status=MemberStatus.LEFT)) == "member_left"


def test_having_left_is_reported_before_any_audience_reason():
    event = make_event(audience=AudienceRule(scope=Audience.UNITS, unit_ids=frozenset({"math"}), gender=Gender.MALE))
    assert ineligibility(event, make_member(status=MemberStatus.LEFT)) == "member_left"


@pytest.mark.parametrize(
    ("audience", "unit_id", "reason"),
    [
        (AudienceRule(scope=Audience.UNITS, unit_ids=frozenset({"cs", "math"})), "math", None),
        (AudienceRule(scope=Audience.UNITS, unit_ids=frozenset({"cs", "math"})), "physics", "audience_unit"),
        (AudienceRule(scope=Audience.UNITS), "cs", "audience_unit"),
        (AudienceRule(scope=Audience.OWN_UNIT), "cs", None),
        (AudienceRule(scope=Audience.OWN_UNIT), "math", "audience_unit"),
        # The listed units only matter for the UNITS scope.
        (AudienceRule(scope=Audience.OWN_UNIT, unit_ids=frozenset({"math"})), "math", "audience_unit"),
        (AudienceRule(scope=Audience.ALL, unit_ids=frozenset({"math"})), "physics", None),
    ],
)
def test_unit_scope(audience, unit_id, reason):
    assert ineligibility(make_event(owner_unit_id="cs", audience=audience), make_member(unit_id=unit_id)) == reason


def test_gender():
    event = make_event(audience=AudienceRule(gender=Gender.FEMALE))
    assert ineligibility(event, make_member(gender=Gender.FEMALE)) is None
    assert ineligibility(event, make_member(gender=Gender.MALE)) == "audience_gender"


def test_unit_is_reported_before_gender_and_gender_before_age():
    audience = AudienceRule(scope=Audience.OWN_UNIT, gender=Gender.FEMALE, min_age=60)
    event = make_event(audience=audience)
    assert ineligibility(event, make_member(unit_id="math", gender=Gender.MALE)) == "audience_unit"
    assert ineligibility(event, make_member(gender=Gender.MALE)) == "audience_gender"
    assert ineligibility(event, make_member()) == "audience_age"


@pytest.mark.parametrize(
    ("born", "reason"),
    [
        (date(1986, 11, 21), None),  # 40 on the event day
        (date(1986, 11, 22), "audience_age"),  # 40 only the day after
        (date(1976, 11, 22), None),  # 50, turning 51 the day after
        (date(1976, 11, 21), None),  # 50 on the day itself
        (date(1975, 11, 21), "audience_age"),  # 51 on the day
        (date(1975, 11, 22), None),  # still 50 on the day
    ],
)
def test_age_bounds_are_inclusive_on_the_event_day(born, reason):
    event = make_event(audience=AudienceRule(min_age=40, max_age=50))
    assert ineligibility(event, make_member(birth_date=born)) == reason


def test_either_age_bound_may_be_left_open():
    young, old = make_member(birth_date=date(2004, 1, 1)), make_member(birth_date=date(1950, 1, 1))
    at_least_35 = make_event(audience=AudienceRule(min_age=35))
    at_most_35 = make_event(audience=AudienceRule(max_age=35))
    assert (ineligibility(at_least_35, young), ineligibility(at_least_35, old)) == ("audience_age", None)
    assert (ineligibility(at_most_35, young), ineligibility(at_most_35, old)) == (None, "audience_age")


def test_age_is_taken_on_the_china_day_of_an_event_just_after_midnight():
    # In UTC the event starts on the 20th, when this member is still 39.
    starts_at = datetime.fromisoformat("2026-11-21T00:30+08:00")
    event = make_event(starts_at=starts_at, ends_at=starts_at + timedelta(hours=3), audience=AudienceRule(min_age=40))
    assert ineligibility(event, make_member(birth_date=date(1986, 11, 21))) is None
    assert ineligibility(event, make_member(birth_date=date(1986, 11, 22))) == "audience_age"


def test_leap_day_birthday_counts_on_the_first_of_march():
    leapling = make_member(birth_date=date(1984, 2, 29))
    rule = AudienceRule(min_age=42)
    on_28_feb = make_event(starts_at=cst(2, 28, 9), ends_at=cst(2, 28, 12), audience=rule)
    on_1_mar = make_event(starts_at=cst(3, 1, 9), ends_at=cst(3, 1, 12), audience=rule)
    assert ineligibility(on_28_feb, leapling) == "audience_age"
    assert ineligibility(on_1_mar, leapling) is None


# ---------------------------------------------------------------- registration window

OPENS, CLOSES = cst(11, 1, 9), cst(11, 15, 18)


def windowed(**changes) -> Event:
    return make_event(registration_opens_at=OPENS, registration_closes_at=CLOSES, **changes)


@pytest.mark.parametrize(
    ("at", "phase"),
    [
        (OPENS - TICK, RegistrationPhase.NOT_YET),
        (OPENS, RegistrationPhase.OPEN),
        (CLOSES - TICK, RegistrationPhase.OPEN),
        (CLOSES, RegistrationPhase.CLOSED),
        (cst(11, 21, 10), RegistrationPhase.CLOSED),
        # The same instants written in UTC.
        (OPENS.astimezone(UTC), RegistrationPhase.OPEN),
        (CLOSES.astimezone(UTC), RegistrationPhase.CLOSED),
    ],
)
def test_published_event_follows_its_window(at, phase):
    assert registration_phase(windowed(), at) is phase


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.CANCELLED])
def test_nobody_registers_for_drafts_or_cancelled_events(status):
    for at in (OPENS - TICK, OPENS, CLOSES, cst(11, 22)):
        assert registration_phase(windowed(status=status), at) is RegistrationPhase.UNAVAILABLE


@pytest.mark.parametrize("status", [EventStatus.REGISTRATION_CLOSED, EventStatus.RUNNING, EventStatus.FINISHED])
def test_closed_statuses_close_registration_inside_the_window(status):
    for at in (OPENS - TICK, OPENS, CLOSES - TICK):
        assert registration_phase(windowed(status=status), at) is RegistrationPhase.CLOSED


def test_without_a_window_registration_is_open_from_publication_until_the_start():
    event = make_event()
    assert registration_phase(event, cst(1, 1)) is RegistrationPhase.OPEN
    assert registration_phase(event, event.starts_at - TICK) is RegistrationPhase.OPEN
    assert registration_phase(event, event.starts_at) is RegistrationPhase.CLOSED


def test_organiser_opening_registration_does_not_extend_the_window():
    event = windowed(status=EventStatus.REGISTRATION_OPEN)
    assert registration_phase(event, CLOSES - TICK) is RegistrationPhase.OPEN
    assert registration_phase(event, CLOSES) is RegistrationPhase.CLOSED
    assert registration_phase(event, OPENS - TICK) is RegistrationPhase.NOT_YET


# ---------------------------------------------------------------- displayed status


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.CANCELLED, EventStatus.FINISHED])
def test_draft_cancelled_and_finished_are_shown_as_stored(status):
    for at in (OPENS - TICK, OPENS, cst(11, 21, 10), cst(12, 1)):
        assert displayed_status(windowed(status=status), at) is status


@pytest.mark.parametrize(
    ("at", "shown"),
    [
        (OPENS - TICK, EventStatus.PUBLISHED),
        (OPENS, EventStatus.REGISTRATION_OPEN),
        (CLOSES - TICK, EventStatus.REGISTRATION_OPEN),
        (CLOSES, EventStatus.REGISTRATION_CLOSED),
        (cst(11, 21, 9) - TICK, EventStatus.REGISTRATION_CLOSED),
        (cst(11, 21, 9), EventStatus.RUNNING),
        (cst(11, 21, 17) - TICK, EventStatus.RUNNING),
        (cst(11, 21, 17), EventStatus.FINISHED),
    ],
)
def test_published_event_moves_along_with_the_clock(at, shown):
    assert displayed_status(windowed(), at) is shown


ORDER = [
    EventStatus.PUBLISHED,
    EventStatus.REGISTRATION_OPEN,
    EventStatus.REGISTRATION_CLOSED,
    EventStatus.RUNNING,
    EventStatus.FINISHED,
]


@pytest.mark.parametrize("stored", ORDER[:-1])
def test_displayed_status_never_goes_backwards(stored):
    event = windowed(status=stored)
    moments = [OPENS - TICK, OPENS, CLOSES - TICK, CLOSES, cst(11, 21, 9), cst(11, 21, 17), cst(12, 1)]
    shown = [displayed_status(event, at) for at in moments]
    ranks = [ORDER.index(status) for status in shown]
    assert ranks == sorted(ranks)
    assert ranks[0] >= ORDER.index(stored)
    assert shown[-1] is EventStatus.FINISHED


def test_stored_status_wins_over_an_earlier_clock():
    assert displayed_status(windowed(status=EventStatus.RUNNING), OPENS - TICK) is EventStatus.RUNNING
    assert displayed_status(windowed(status=EventStatus.REGISTRATION_CLOSED), OPENS) is EventStatus.REGISTRATION_CLOSED
    assert displayed_status(windowed(status=EventStatus.REGISTRATION_OPEN), OPENS - TICK) is (
        EventStatus.REGISTRATION_OPEN
    )


# ---------------------------------------------------------------- transitions

S = EventStatus
ALLOWED = {
    (S.DRAFT, S.PUBLISHED),
    (S.DRAFT, S.CANCELLED),
    (S.PUBLISHED, S.REGISTRATION_OPEN),
    (S.PUBLISHED, S.REGISTRATION_CLOSED),
    (S.REGISTRATION_OPEN, S.REGISTRATION_CLOSED),
    (S.REGISTRATION_CLOSED, S.REGISTRATION_OPEN),
    (S.PUBLISHED, S.RUNNING),
    (S.REGISTRATION_OPEN, S.RUNNING),
    (S.REGISTRATION_CLOSED, S.RUNNING),
    (S.RUNNING, S.FINISHED),
    (S.PUBLISHED, S.CANCELLED),
    (S.REGISTRATION_OPEN, S.CANCELLED),
    (S.REGISTRATION_CLOSED, S.CANCELLED),
    (S.RUNNING, S.CANCELLED),
}
REFUSED = sorted(set(itertools.product(S, S)) - ALLOWED)


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_allowed_transitions(current, target):
    assert check_transition(current, target) is None


@pytest.mark.parametrize(("current", "target"), REFUSED)
def test_every_other_transition_is_refused(current, target):
    with pytest.raises(Conflict) as raised:
        check_transition(current, target)
    assert raised.value.code == "invalid_transition"
    assert raised.value.params == {"current": current.value, "target": target.value}


def test_refusals_include_going_back_and_leaving_an_end():
    for current, target in [
        (S.FINISHED, S.CANCELLED),
        (S.CANCELLED, S.DRAFT),
        (S.FINISHED, S.RUNNING),
        (S.PUBLISHED, S.DRAFT),
        (S.RUNNING, S.REGISTRATION_OPEN),
        (S.DRAFT, S.RUNNING),
        (S.PUBLISHED, S.FINISHED),
        (S.PUBLISHED, S.PUBLISHED),
    ]:
        assert (current, target) in REFUSED
        with pytest.raises(Conflict):
            check_transition(current, target)


def test_transition_error_is_a_conflict_with_plain_string_params():
    with pytest.raises(Conflict) as raised:
        check_transition("finished", "running")
    assert raised.value.status == 409
    assert raised.value.params == {"current": "finished", "target": "running"}
    assert all(type(value) is str for value in raised.value.params.values())


# ---------------------------------------------------------------- member cancellation


def test_cancellation_until_the_start_without_a_deadline():
    event = make_event()
    assert may_cancel(event, event.starts_at - TICK)
    assert not may_cancel(event, event.starts_at)


def test_cancellation_until_the_deadline():
    deadline = cst(11, 19, 12)
    event = make_event(cancel_deadline=deadline)
    assert may_cancel(event, deadline - TICK)
    assert not may_cancel(event, deadline)
    assert not may_cancel(event, event.starts_at - TICK)


@pytest.mark.parametrize("status", [EventStatus.FINISHED, EventStatus.CANCELLED])
def test_no_cancellation_once_the_event_is_over_or_cancelled(status):
    assert not may_cancel(make_event(status=status), cst(1, 1))


# ---------------------------------------------------------------- schedule


def test_a_consistent_schedule_has_no_problems():
    event = windowed(cancel_deadline=cst(11, 20), capacity=1, audience=AudienceRule(min_age=0, max_age=120))
    assert schedule_problems(event) == []


def test_boundaries_that_are_allowed():
    start = cst(11, 21, 9)
    event = make_event(
        starts_at=start,
        ends_at=start,
        registration_closes_at=start,
        cancel_deadline=start,
        audience=AudienceRule(min_age=40, max_age=40),
    )
    assert schedule_problems(event) == []


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"ends_at": cst(11, 21, 9) - TICK}, "ends_before_start"),
        ({"registration_opens_at": CLOSES, "registration_closes_at": CLOSES}, "closes_before_opens"),
        ({"registration_opens_at": CLOSES + TICK, "registration_closes_at": CLOSES}, "closes_before_opens"),
        ({"registration_closes_at": cst(11, 21, 17) + TICK}, "closes_after_end"),
        ({"cancel_deadline": cst(11, 21, 17) + TICK}, "cancel_deadline_after_end"),
        ({"capacity": 0}, "capacity_not_positive"),
        ({"capacity": -3}, "capacity_not_positive"),
        ({"audience": AudienceRule(min_age=50, max_age=49)}, "bad_age_range"),
        ({"audience": AudienceRule(min_age=-1)}, "bad_age_range"),
        ({"audience": AudienceRule(max_age=121)}, "bad_age_range"),
        ({"audience": AudienceRule(min_age=121, max_age=130)}, "bad_age_range"),
    ],
)
def test_each_schedule_problem(changes, problem):
    assert schedule_problems(make_event(**changes)) == [problem]


def test_all_problems_are_reported_at_once_in_order():
    event = make_event(
        ends_at=cst(11, 20),
        registration_opens_at=cst(11, 25),
        registration_closes_at=cst(11, 24),
        cancel_deadline=cst(11, 22),
        capacity=0,
        audience=AudienceRule(min_age=130),
    )
    assert schedule_problems(event) == [
        "ends_before_start",
        "closes_before_opens",
        "closes_after_end",
        "cancel_deadline_after_end",
        "capacity_not_positive",
        "bad_age_range",
    ]


# ---------------------------------------------------------------- editing an event with registrations


class Option(NamedTuple):
    """The shape of chalicelib.domain.forms.Option, which event_rules compares without importing."""

    option_id: str
    label_zh: str
    label_en: str | None = None
    limit: int | None = None


class Question(NamedTuple):
    """The shape of chalicelib.domain.forms.Question."""

    question_id: str
    kind: str
    label_zh: str
    label_en: str | None = None
    required: bool = False
    min_value: float | None = None
    max_value: float | None = None
    integer: bool = False
    max_length: int | None = None
    options: tuple = ()
    max_choices: int | None = None
    show_if: tuple | None = None


SIZE = Question(
    "size",
    "choice",
    "T恤尺码",
    "T-shirt size",
    required=True,
    options=(Option("m", "M", limit=20), Option("l", "L", limit=20)),
    max_choices=2,
)
NOTE = Question("note", "text", "备注", max_length=200)
WEIGHT = Question("weight", "number", "体重", required=True, min_value=30, max_value=150, integer=True)
FORM = (SIZE, NOTE, WEIGHT)

REGISTERED = {"confirmed_count": 10, "waiting_count": 2, "capacity": 10}


def impact(before_changes: dict, **after_changes) -> ChangeImpact:
    before = make_event(form=FORM, **before_changes)
    after = make_event(**({"form": FORM, **before_changes} | after_changes))
    return change_impact(before, after)


def test_no_change_has_no_impact():
    assert impact(REGISTERED) == ChangeImpact((), ())


def test_without_registrations_nothing_needs_confirming():
    assert impact(
        {},
        starts_at=cst(11, 22, 9),
        ends_at=cst(11, 22, 17),
        venue="体育馆",
        campus="南校区",
        audience=AudienceRule(scope=Audience.OWN_UNIT),
        form=(NOTE,),
        waiting_list=False,
        capacity=1,
    ) == ChangeImpact((), ())


def test_owner_change_is_refused_even_without_registrations():
    assert impact({}, owner_unit_id="math") == ChangeImpact(("owner_changed",), ())


@pytest.mark.parametrize(
    ("capacity", "refusals"),
    [(9, ("capacity_below_confirmed",)), (10, ()), (11, ()), (None, ())],
)
def test_capacity_cannot_drop_below_the_confirmed(capacity, refusals):
    assert impact(REGISTERED | {"capacity": 20}, capacity=capacity).refusals == refusals


def test_an_event_over_capacity_by_hand_stays_editable_but_cannot_shrink_further():
    over = {"confirmed_count": 10, "capacity": 8}
    assert impact(over, title_zh="新标题") == ChangeImpact((), ())
    assert impact(over, capacity=7).refusals == ("capacity_below_confirmed",)


def test_waiting_list_cannot_be_switched_off_while_people_wait():
    assert impact(REGISTERED, waiting_list=False).refusals == ("waiting_list_in_use",)
    assert impact({"confirmed_count": 10}, waiting_list=False) == ChangeImpact((), ())
    assert impact({"waiting_list": False, "waiting_count": 2}, waiting_list=True).refusals == ()


@pytest.mark.parametrize(
    ("after_changes", "confirmations"),
    [
        ({"starts_at": cst(11, 21, 8)}, ("date_moved",)),
        ({"ends_at": cst(11, 21, 18)}, ("date_moved",)),
        ({"starts_at": cst(11, 21, 9).astimezone(UTC)}, ()),  # the same instant
        ({"venue": "体育馆"}, ("venue_moved",)),
        ({"campus": "南校区"}, ("venue_moved",)),
        ({"starts_at": cst(11, 28, 9), "ends_at": cst(11, 28, 17), "venue": "体育馆"}, ("date_moved", "venue_moved")),
        ({"title_zh": "新标题", "description_zh": "详情", "contact": "李老师"}, ()),
    ],
)
def test_moves_need_confirmation_when_people_are_registered(after_changes, confirmations):
    assert impact(REGISTERED, **after_changes) == ChangeImpact((), confirmations)


def test_people_waiting_alone_count_as_registered():
    assert impact({"waiting_count": 1}, venue="体育馆").confirmations == ("venue_moved",)


UNITS_AB = AudienceRule(scope=Audience.UNITS, unit_ids=frozenset({"a", "b"}))


@pytest.mark.parametrize(
    ("before", "after", "narrowed"),
    [
        (AudienceRule(), AudienceRule(scope=Audience.OWN_UNIT), True),
        (AudienceRule(), AudienceRule(gender=Gender.FEMALE), True),
        (AudienceRule(), AudienceRule(max_age=55), True),
        (UNITS_AB, AudienceRule(scope=Audience.UNITS, unit_ids=frozenset({"a"})), True),
        # Not clearly wider, so confirmed as well.
        (UNITS_AB, AudienceRule(scope=Audience.UNITS, unit_ids=frozenset({"a", "b", "c"})), True),
        (AudienceRule(min_age=40), AudienceRule(min_age=35), True),
        (UNITS_AB, AudienceRule(), False),
        (AudienceRule(gender=Gender.MALE, min_age=40), AudienceRule(), False),
        (UNITS_AB, AudienceRule(scope=Audience.UNITS, unit_ids=frozenset({"b", "a"})), False),
    ],
)
def test_audience_changes_other_than_opening_to_all_need_confirmation(before, after, narrowed):
    result = impact(REGISTERED | {"audience": before}, audience=after)
    assert result == ChangeImpact((), ("audience_narrowed",) if narrowed else ())


def test_refusals_and_confirmations_together():
    result = impact(
        REGISTERED,
        capacity=5,
        waiting_list=False,
        form=(NOTE,),
        owner_unit_id="math",
        starts_at=cst(11, 21, 8),
        venue="体育馆",
        audience=AudienceRule(scope=Audience.OWN_UNIT),
    )
    assert result == ChangeImpact(
        ("capacity_below_confirmed", "waiting_list_in_use", "form_in_use", "owner_changed"),
        ("date_moved", "venue_moved", "audience_narrowed"),
    )


def _with_options(*options: Option) -> tuple:
    return (SIZE._replace(options=options), NOTE, WEIGHT)


KEPT_FORMS = {
    "labels edited": (SIZE._replace(label_zh="尺码", label_en=None), NOTE._replace(label_en="Notes"), WEIGHT),
    "option relabelled": _with_options(Option("m", "中号", "Medium", limit=20), Option("l", "L", limit=20)),
    "optional question appended": (*FORM, Question("diet", "text", "饮食禁忌")),
    "option appended": _with_options(*SIZE.options, Option("xl", "XL", limit=5)),
    "option limit raised": _with_options(Option("m", "M", limit=25), Option("l", "L", limit=20)),
    "option limit removed": _with_options(Option("m", "M", limit=None), Option("l", "L", limit=20)),
    "max_length raised": (SIZE, NOTE._replace(max_length=500), WEIGHT),
    "max_length removed": (SIZE, NOTE._replace(max_length=None), WEIGHT),
    "max_choices raised": (SIZE._replace(max_choices=3), NOTE, WEIGHT),
    "max_choices removed": (SIZE._replace(max_choices=None), NOTE, WEIGHT),
    "number range widened": (SIZE, NOTE, WEIGHT._replace(min_value=20, max_value=200)),
    "required made optional": (SIZE._replace(required=False), NOTE, WEIGHT),
}
CHANGED_FORMS = {
    "question removed": (SIZE, WEIGHT),
    "questions reordered": (NOTE, SIZE, WEIGHT),
    "optional question inserted before others": (Question("diet", "text", "饮食禁忌"), *FORM),
    "required question appended": (*FORM, Question("diet", "text", "饮食禁忌", required=True)),
    "question id changed": (SIZE, NOTE._replace(question_id="remark"), WEIGHT),
    "kind changed": (SIZE, NOTE._replace(kind="choice"), WEIGHT),
    "optional made required": (SIZE, NOTE._replace(required=True), WEIGHT),
    "integer dropped": (SIZE, NOTE, WEIGHT._replace(integer=False)),
    "show_if added": (SIZE, NOTE._replace(show_if=("size", "l")), WEIGHT),
    "max_length lowered": (SIZE, NOTE._replace(max_length=100), WEIGHT),
    "max_value lowered": (SIZE, NOTE, WEIGHT._replace(max_value=120)),
    "min_value raised": (SIZE, NOTE, WEIGHT._replace(min_value=40)),
    "max_choices lowered": (SIZE._replace(max_choices=1), NOTE, WEIGHT),
    "option removed": _with_options(Option("m", "M", limit=20)),
    "options reordered": _with_options(Option("l", "L", limit=20), Option("m", "M", limit=20)),
    "option id changed": _with_options(Option("medium", "M", limit=20), Option("l", "L", limit=20)),
    "option limit lowered": _with_options(Option("m", "M", limit=19), Option("l", "L", limit=20)),
    "form emptied": (),
}


@pytest.mark.parametrize("form", KEPT_FORMS.values(), ids=KEPT_FORMS.keys())
def test_form_edits_that_keep_stored_answers_valid(form):
    assert impact(REGISTERED, form=form) == ChangeImpact((), ())


@pytest.mark.parametrize("form", CHANGED_FORMS.values(), ids=CHANGED_FORMS.keys())
def test_form_edits_refused_once_people_registered(form):
    assert impact(REGISTERED, form=form) == ChangeImpact(("form_in_use",), ())
    assert impact({}, form=form) == ChangeImpact((), ())


def test_max_length_added_to_an_unlimited_question_is_refused():
    # None is no limit, so putting a limit on is a narrowing.
    unlimited = (SIZE, NOTE._replace(max_length=None), WEIGHT)
    before = make_event(form=unlimited, **REGISTERED)
    after = make_event(form=FORM, **REGISTERED)
    assert change_impact(before, after).refusals == ("form_in_use",)


def test_a_form_added_to_an_event_without_one():
    before = make_event(**REGISTERED)
    assert change_impact(before, make_event(form=(NOTE,), **REGISTERED)).refusals == ()
    assert change_impact(before, make_event(form=(WEIGHT,), **REGISTERED)).refusals == ("form_in_use",)


# ---------------------------------------------------------------- placement


@pytest.mark.parametrize(
    ("capacity", "confirmed", "waiting", "waiting_list", "expected"),
    [
        (None, 500, 0, False, Placement.CONFIRMED),
        (None, 500, 3, True, Placement.CONFIRMED),
        (10, 0, 0, False, Placement.CONFIRMED),
        (10, 9, 0, False, Placement.CONFIRMED),
        (10, 10, 0, True, Placement.WAITING),
        (10, 10, 0, False, Placement.FULL),
        (10, 12, 0, True, Placement.WAITING),  # over capacity by hand
        # A place has come free but others are waiting: nobody jumps the queue.
        (10, 9, 1, True, Placement.WAITING),
        (10, 9, 1, False, Placement.FULL),
        (10, 10, 4, True, Placement.WAITING),
    ],
)
def test_placement(capacity, confirmed, waiting, waiting_list, expected):
    assert placement(capacity, confirmed, waiting, waiting_list) is expected


# ---------------------------------------------------------------- per-unit summary


def registration(staff_no: str, unit_id: str, state: RegistrationState) -> Registration:
    at = cst(11, 1, 9)
    return Registration("ev-1", "series", staff_no, "某某", unit_id, state, at, at)


def test_unit_summary_counts_active_registrations_per_unit_in_unit_order():
    registrations = [
        registration("1", "math", RegistrationState.CONFIRMED),
        registration("2", "cs", RegistrationState.WAITING),
        registration("3", "math", RegistrationState.WAITING),
        registration("4", "cs", RegistrationState.CONFIRMED),
        registration("5", "math", RegistrationState.CONFIRMED),
        registration("6", "cs", RegistrationState.CANCELLED),
        registration("7", "physics", RegistrationState.CANCELLED),
        registration("8", "physics", RegistrationState.REMOVED),
        registration("9", "art", RegistrationState.REMOVED),
    ]
    assert unit_summary(iter(registrations)) == [
        UnitTally("cs", registered=2, confirmed=1, waiting=1),
        UnitTally("math", registered=3, confirmed=2, waiting=1),
    ]


def test_unit_summary_of_nothing_is_empty():
    assert unit_summary([]) == []
    assert unit_summary([registration("1", "cs", RegistrationState.CANCELLED)]) == []


def test_unit_summary_accepts_states_as_stored_strings():
    loaded = [
        registration("1", "cs", "confirmed"),
        registration("2", "cs", "waiting"),
        registration("3", "cs", "removed"),
    ]
    assert unit_summary(loaded) == [UnitTally("cs", 2, 1, 1)]


def test_unit_summary_counts_pending_as_registered_but_neither_confirmed_nor_waiting():
    from types import SimpleNamespace

    rows = [SimpleNamespace(unit_id="cs", state=state) for state in ("pending", "confirmed", "waiting", "rejected")]
    assert unit_summary(rows) == [UnitTally("cs", 3, 1, 1)]
