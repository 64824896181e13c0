"""The year's statistics as pure rules (chalicelib/domain/stats.py): what each source contributes."""

from __future__ import annotations

from datetime import UTC, date, datetime

from chalicelib.domain import stats
from chalicelib.domain.checkin import CheckinPoint
from chalicelib.domain.records import (
    CheckIn,
    CheckinMethod,
    EventFormat,
    EventKind,
    EventStatus,
    Gender,
    Member,
    MemberStatus,
    Registration,
    RegistrationState,
)
from tests.unit.event_records import cst, make_event

S = RegistrationState


def reg(staff_no: str, unit: str, state: RegistrationState, scope: str = "series") -> Registration:
    at = cst(10, 1)
    return Registration("ev-1", scope, staff_no, f"m{staff_no}", unit, state, at, at)


def came(staff_no: str, unit: str, point: str = "entry") -> CheckIn:
    at = cst(11, 21, 9)
    return CheckIn(
        "ev-1", point, staff_no, f"m{staff_no}", unit, at, at, "org", CheckinMethod.SCAN, f"s{staff_no}{point}"
    )


def member(staff_no: str = "1", unit: str = "cs", **changes) -> Member:
    fields = {
        "staff_no": staff_no,
        "name": "张三",
        "gender": Gender.FEMALE,
        "birth_date": date(1990, 6, 1),
        "unit_id": unit,
    }
    return Member(**(fields | changes))


def test_event_contribution_counts_places_waiting_checkins_on_participant_units():
    event = make_event(owner_unit_id="cs", starts_at=cst(3, 5, 9))
    facts = stats.EventFacts(
        event,
        registrations=(
            reg("1", "cs", S.CONFIRMED),
            reg("2", "math", S.TEAM),
            reg("3", "math", S.PARTNER),
            reg("4", "law", S.WAITING),
            reg("5", "law", S.CANCELLED),
            reg("6", "law", S.PENDING),
        ),
        check_ins=(came("1", "cs"), came("2", "math")),
    )
    found = stats.event_contribution(facts)
    assert found["t#union"] == {
        "events": 1,
        "kind_sports": 1,
        "format_tournament": 1,
        "month_03": 1,
        "places": 3,
        "waiting": 1,
        "checkins": 2,
    }
    assert found["t#u#cs"] == {
        "events": 1,
        "kind_sports": 1,
        "format_tournament": 1,
        "month_03": 1,
        "places": 1,
        "checkins": 1,
    }
    assert found["t#u#math"] == {"places": 2, "checkins": 1}
    assert found["t#u#law"] == {"waiting": 1}


def test_a_member_with_several_session_registrations_holds_one_place():
    event = make_event(format=EventFormat.CLASS, kind=EventKind.WELLNESS)
    facts = stats.EventFacts(
        event, registrations=(reg("1", "cs", S.CONFIRMED, "s01"), reg("1", "cs", S.CONFIRMED, "s02"))
    )
    assert stats.event_contribution(facts)["t#union"]["places"] == 1


def test_draft_contributes_nothing_and_cancelled_only_its_cancellation():
    registrations = (reg("1", "cs", S.CONFIRMED),)
    assert stats.event_contribution(stats.EventFacts(make_event(status=EventStatus.DRAFT), registrations)) == {}
    cancelled = stats.EventFacts(make_event(status=EventStatus.CANCELLED, owner_unit_id="law"), registrations)
    assert stats.event_contribution(cancelled) == {
        "t#u#law": {"events_cancelled": 1},
        "t#union": {"events_cancelled": 1},
    }


def test_month_is_china_time():
    # 16:30 UTC on 31 January is 00:30 on 1 February in China.
    event = make_event(starts_at=datetime(2026, 1, 31, 16, 30, tzinfo=UTC))
    assert stats.year_of(event) == 2026
    assert "month_02" in stats.event_contribution(stats.EventFacts(event))["t#union"]
    new_year = make_event(starts_at=cst(1, 1, 0, 30, year=2027))
    assert stats.year_of(new_year) == 2027


def test_completions_follow_the_completion_rule_of_several_points():
    points = tuple(CheckinPoint(f"s0{n}", cst(3, n), cst(3, n, 2), session=True) for n in range(1, 6))
    event = make_event(format=EventFormat.CLASS)
    facts = stats.EventFacts(
        event,
        registrations=(reg("1", "cs", S.CONFIRMED), reg("2", "math", S.CONFIRMED)),
        check_ins=(*(came("1", "cs", f"s0{n}") for n in range(1, 5)), came("2", "math", "s01")),
        points=points,
    )
    found = stats.event_contribution(facts)
    assert found["t#u#cs"]["completions"] == 1  # 4 of 5 is 80 %
    assert "completions" not in found["t#u#math"]
    assert stats.event_summary(facts)["completed"] == ["1"]


def test_awards_on_the_entry_unit_with_podium_places():
    facts = stats.EventFacts(
        make_event(),
        awards=(
            stats.AwardFact(1, None, "冠军", "Winner", "t1", "math", ("2", "3")),
            stats.AwardFact(2, "first", "一等奖", "First prize", "4", "law", ("4",), podium=False),
        ),
    )
    found = stats.event_contribution(facts)
    assert found["t#u#math"] == {"awards": 1, "place_1": 1}
    assert found["t#u#law"] == {"awards": 1}
    assert found["t#union"]["awards"] == 2


def test_member_year_and_age_bands():
    assert stats.age_band(date(1991, 12, 31), 2026) == "age_u35"  # 35 on 31 December
    assert stats.age_band(date(1990, 12, 31), 2026) == "age_36_45"
    assert stats.age_band(date(1971, 1, 1), 2026) == "age_46_55"
    assert stats.age_band(date(1970, 1, 1), 2026) == "age_56p"
    assert stats.age_band(None, 2026) is None
    retired = member(status=MemberStatus.RETIRED, birth_date=date(1960, 1, 1), gender=Gender.MALE, unit="law")
    facts = stats.MemberYearFacts("1", 2026, retired, frozenset({"e1"}), frozenset({"e1"}), 2)
    found = stats.member_year_contribution(facts)
    assert found["t#u#law"] == {"reached": 1, "reached_M": 1, "reached_retired": 1, "age_56p": 1, "attendees": 1}
    assert found["t#union"] == found["t#u#law"]
    only_checked_in = stats.MemberYearFacts("1", 2026, member(), frozenset(), frozenset({"e1"}), 1)
    assert stats.member_year_contribution(only_checked_in) == {"t#u#cs": {"attendees": 1}, "t#union": {"attendees": 1}}
    assert stats.member_year_contribution(stats.MemberYearFacts("1", 2026, None, frozenset({"e"}))) == {}
    assert stats.member_year_summary(facts)["events"] == 1


def test_headcount():
    assert stats.headcount_contribution(member()) == {
        "t#u#cs": {"members": 1, "members_F": 1},
        "t#union": {"members": 1, "members_F": 1},
    }
    assert stats.headcount_contribution(member(status=MemberStatus.RETIRED))["t#union"]["members_retired"] == 1
    assert stats.headcount_contribution(member(status=MemberStatus.LEFT)) == {}
    assert stats.headcount_contribution(None) == {}


def test_delta_and_total():
    old = {"t#u#cs": {"members": 1}, "t#union": {"members": 1}}
    new = {"t#u#law": {"members": 1}, "t#union": {"members": 1}}
    assert stats.delta(old, new) == {"t#u#cs": {"members": -1}, "t#u#law": {"members": 1}}
    assert stats.delta(new, new) == {}
    assert stats.total([old, new]) == {"t#u#cs": {"members": 1}, "t#union": {"members": 2}, "t#u#law": {"members": 1}}
    assert stats.unit_of("t#u#cs") == "cs" and stats.unit_of("t#union") is None


def test_stream_records_name_the_sources_to_recount():
    from chalicelib.services.stats import _collect
    from chalicelib.storage.stats import short_table_name

    assert short_table_name("union-events-prod-registrations") == "registrations"
    assert short_table_name("union-events-dev-members") == "members"
    assert short_table_name("union-events-prod-member_prefs") == "member_prefs"

    def record(table: str, **keys: str) -> dict:
        arn = f"arn:aws-cn:dynamodb:cn-north-1:1:table/union-events-prod-{table}/stream/2026-12-06T00:00:00.000"
        return {"eventSourceARN": arn, "dynamodb": {"Keys": {k: {"S": v} for k, v in keys.items()}}}

    wanted = _collect(
        [
            record("registrations", event_id="ev-1", entry="series#2011042"),
            record("registrations", event_id="ev-1", entry="s03#2011042"),
            record("attendance", event_id="ev-2", mark="a#entry#2014001"),
            record("attendance", event_id="ev-3", mark="c#scan-1"),  # a conflict: counts nowhere
            record("competitions", event_id="ev-4", item="m#main#d1#W1-1"),
            record("events", event_id="ev-5"),
            record("members", staff_no="2009001"),
            record("notifications", staff_no="2009001", notification_id="n1"),  # not a stats table
        ]
    )
    assert list(wanted.events) == ["ev-1", "ev-2", "ev-4", "ev-5"]
    assert wanted.member_events == {
        ("2011042", "ev-1"): [("registrations", "ev-1", "series"), ("registrations", "ev-1", "s03")],
        ("2014001", "ev-2"): [("attendance", "ev-2", "entry")],
    }
    assert list(wanted.members) == ["2009001"]
