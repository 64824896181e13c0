"""Repositories against DynamoDB Local: round trips and the index queries the pages rely on."""

from datetime import date, datetime, timedelta

import boto3

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.ids import sortable_id
from chalicelib.domain.records import (
    Event,
    EventFormat,
    EventKind,
    EventStatus,
    Gender,
    Member,
    Unit,
    UnitKind,
)
from chalicelib.settings import Settings
from chalicelib.storage.binding import bind_tables
from chalicelib.storage.tables import TABLES
from devtools.tables import drop_tables, ensure_tables


def _event(owner: str, starts_at: datetime, status=EventStatus.PUBLISHED, title="健康大讲堂") -> Event:
    return Event(
        event_id=sortable_id("ev-"),
        owner_unit_id=owner,
        kind=EventKind.WELLNESS,
        format=EventFormat.SESSION,
        title_zh=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        status=status,
        capacity=120,
    )


def test_ensure_tables_is_idempotent(dynamodb):
    assert ensure_tables(dynamodb) == []
    assert all(model.exists() for model in TABLES)


def test_tables_made_without_streams_differ_only_by_their_streams(dynamodb):
    """The tests' tables (ensure_tables streams=False) are the deployed ones but for the streams."""
    client = boto3.client("dynamodb", endpoint_url=dynamodb.dynamodb_endpoint, region_name=dynamodb.aws_region)

    def shapes(prefix: str, streams: bool) -> dict[str, tuple]:
        settings = Settings(stage="test", table_prefix=prefix, dynamodb_endpoint=dynamodb.dynamodb_endpoint)
        ensure_tables(settings, streams=streams)
        found = {}
        for model in TABLES:
            table = client.describe_table(TableName=model.Meta.table_name)["Table"]
            ttl = client.describe_time_to_live(TableName=model.Meta.table_name)["TimeToLiveDescription"]
            indexes = sorted((i["IndexName"], str(i["KeySchema"]), str(i["Projection"]))
                             for i in table.get("GlobalSecondaryIndexes", []))  # fmt: skip
            stream = table.get("StreamSpecification", {}).get("StreamViewType")
            found[model.short_name] = (str(table["KeySchema"]), indexes, ttl.get("AttributeName"), stream)
        drop_tables(settings)
        return found

    try:
        with_streams, without = shapes("shape-a-", True), shapes("shape-b-", False)
    finally:
        bind_tables(dynamodb)
    streamed = {name for name, shape in with_streams.items() if shape[3]}
    assert {"notifications", "registrations", "attendance", "members"} <= streamed
    assert all(shape[3] is None for shape in without.values())
    assert {name: shape[:3] for name, shape in with_streams.items()} == {n: s[:3] for n, s in without.items()}
    assert any(shape[2] for shape in without.values())  # a time-to-live attribute, as the definition sets


def test_units_round_trip_and_list_children_in_order(empty_store):
    school = Unit("school", UnitKind.SCHOOL, "示范大学工会")
    subs = [
        Unit("lib", UnitKind.SUB, "图书馆分工会", parent_id="school", position=2, campus="主校区"),
        Unit(
            "cs",
            UnitKind.SUB,
            "计算机学院分工会",
            name_en="School of Computing",
            parent_id="school",
            position=1,
        ),
    ]
    assert empty_store.units.put_many([school, *subs]) == 3
    assert empty_store.units.get("cs") == subs[1]
    assert empty_store.units.get("nope") is None
    assert [u.unit_id for u in empty_store.units.children("school")] == ["cs", "lib"]


def test_members_round_trip_and_query_by_unit(empty_store):
    members = [
        Member(
            "2011001",
            "王芳",
            Gender.FEMALE,
            date(1985, 3, 9),
            "cs",
            phone="13800000001",
            roles=frozenset({"x"}),
        ),
        Member("2011002", "李强", Gender.MALE, date(1990, 12, 1), "cs"),
        Member("2015003", "张敏", Gender.FEMALE, date(1979, 6, 30), "lib"),
    ]
    empty_store.members.put_many(members)
    assert empty_store.members.get("2011001") == members[0]
    assert [m.staff_no for m in empty_store.members.in_unit("cs")] == ["2011001", "2011002"]


def test_upcoming_lists_visible_events_across_months_soonest_first(empty_store):
    now = datetime(2026, 11, 21, 9, 0, tzinfo=CHINA_TZ)
    past = _event("school", now - timedelta(days=3), title="已结束")
    soon = _event("school", now + timedelta(days=2), title="本月")
    next_year = _event("cs", now + timedelta(days=50), title="明年一月")
    draft = _event("school", now + timedelta(days=5), status=EventStatus.DRAFT, title="草稿")
    empty_store.events.put_many([past, soon, next_year, draft])
    upcoming = empty_store.events.upcoming(now, limit=10)
    assert [e.title_zh for e in upcoming] == ["本月", "明年一月"]
    assert upcoming[0] == soon  # aware datetimes survive the round trip
    assert [e.title_zh for e in empty_store.events.upcoming(now, limit=1)] == ["本月"]
    assert [e.title_zh for e in empty_store.events.by_owner("school")] == ["已结束", "本月", "草稿"]


def test_ping_reads_every_table(store):
    timings = store.ping()
    assert set(timings) == {model.short_name for model in TABLES}
    assert all(ms >= 0 for ms in timings.values())
