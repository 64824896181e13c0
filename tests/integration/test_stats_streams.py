"""The year's statistics kept from the tables' streams (issue 21 item 5, part S2) against DynamoDB Local.

Registrations, cancellations (with the waiting list promoted), check-ins and a competition's published results
(then corrected) are made through the services; the five KEYS_ONLY streams are read by devtools/stream_poller.py
and handed to the Lambda handlers ``stats_from_<table>`` (chalicelib/jobs.py), as Lambda does deployed. Afterwards
the rollups equal a recount from scratch (services/stats.py ``rebuild``: no differences). A batch handed to its
consumer again, or to two consumers at the same moment, changes nothing.
"""

from __future__ import annotations

import threading

import pytest

from chalicelib.domain.calendar import now
from chalicelib.domain.records import SERIES, EventFormat, EventKind
from chalicelib.domain.stats import year_of, year_scope
from chalicelib.services import registration as registration_service
from chalicelib.services.stats import rebuild
from devtools import stream_poller
from tests.integration.test_checkin import code_of, scan
from tests.integration.test_competition import KNOCKOUT, LOSS, configure, play_all, state
from tests.integration.test_registration import ADMIN, open_event, principal, register

# Every write read from its stream, from the module's first (tests/conftest.py fresh_tables).
pytestmark = pytest.mark.streams


def _differences(store, years) -> list:
    return [difference for year in sorted(years) for difference in rebuild(store, year, now()).differences]


def _union_counters(store, year: int) -> dict[str, int]:
    return store.stats.rollups(year_scope(year)).get("t#union", {})


def test_rollups_kept_from_the_streams_equal_a_recount(union):
    store, members = union
    from chalicelib.services import competition as competition_service

    # A lecture with three places: five register (two wait), one cancels (the first in line is promoted), three
    # are checked in at the door.
    lecture = open_event(store, capacity=3, days=0.01, title_zh="健康讲座")
    for member in members[:5]:
        register(store, member, lecture)
    registration_service.cancel(store, principal(members[1]), lecture.event_id, SERIES, now())
    for member in (members[0], members[2], members[3]):
        assert scan(store, lecture, code_of(store, lecture, member)).verdict.value == "admitted"
    # A badminton knockout of four, played, published, and its final corrected.
    cup = open_event(store, capacity=8, kind=EventKind.SPORTS, format=EventFormat.TOURNAMENT, title_zh="羽毛球单打")
    for member in members[10:14]:
        register(store, member, cup)
    configure(store, cup, KNOCKOUT)
    competition_service.draw(store, ADMIN, cup.event_id, "main", now())
    play_all(store, cup, "main")
    competition_service.publish(store, ADMIN, cup.event_id, True, now())
    final = max((m for m in state(store, cup).stage_matches("main") if m.bracket == "W"), key=lambda m: m.round)
    corrected = {**LOSS, "correct": True}  # the referee swapped the players: the runner-up won
    competition_service.enter_result(store, ADMIN, cup.event_id, "main", final.match_id, corrected, now())
    competition_service.close_stage(store, ADMIN, cup.event_id, "main", now())  # the results are final

    years = {year_of(lecture), year_of(cup)}
    assert stream_poller.drain() > 0
    assert _differences(store, years) == []
    counted = {year: _union_counters(store, year) for year in years}
    assert sum(c.get("places", 0) for c in counted.values()) == 3 + 4
    assert sum(c.get("waiting", 0) for c in counted.values()) == 1  # the fifth at the lecture
    assert sum(c.get("checkins", 0) for c in counted.values()) == 3
    assert sum(c.get("events", 0) for c in counted.values()) == 2
    assert sum(c.get("awards", 0) for c in counted.values()) == 3  # first, second and third of the cup
    assert sum(c.get("place_1", 0) for c in counted.values()) == 1
    headcount = store.stats.rollups("h")["t#union"]
    assert headcount["members"] == len(members) + 1  # the union admin too

    # Changes the streams have not been read for yet are differences the recount reports; reading them mends them:
    # the last in line gives up, and the cup's results are withdrawn from publication (their awards with them).
    registration_service.cancel(store, principal(members[4]), lecture.event_id, SERIES, now())
    competition_service.publish(store, ADMIN, cup.event_id, False, now())
    assert _differences(store, years) != []
    assert stream_poller.drain() > 0
    assert _differences(store, years) == []
    assert sum(_union_counters(store, year).get("waiting", 0) for year in years) == 0
    assert sum(_union_counters(store, year).get("places", 0) for year in years) == 3 + 4
    assert sum(_union_counters(store, year).get("awards", 0) for year in years) == 0


def test_a_batch_handled_again_or_twice_at_once_changes_nothing(union):
    store, members = union
    lecture = open_event(store, capacity=10, days=0.01, title_zh="太极拳")
    for member in members[20:26]:
        register(store, member, lecture)
    scan(store, lecture, code_of(store, lecture, members[20]))
    stream_poller.drain()
    year = year_of(lecture)
    before = store.stats.rollups(year_scope(year))

    # The registrations table's records from its start, handed again to the Lambda handler: once, then twice at
    # the same moment (two containers given the same batch after a timeout).
    batches: list[dict] = []
    reader = stream_poller.table_poller("registrations", lambda event, _context: batches.append(event))
    while reader.poll_once():
        pass
    assert batches and sum(len(batch["Records"]) for batch in batches) >= 6
    consumer = stream_poller.app_handler("stats_from_registrations")
    for batch in batches:
        consumer(batch, None)
    assert store.stats.rollups(year_scope(year)) == before
    failures: list[BaseException] = []

    def handle(batch: dict) -> None:
        try:
            consumer(batch, None)
        except BaseException as error:  # reported below: a thread's error would otherwise vanish
            failures.append(error)

    for batch in batches:
        threads = [threading.Thread(target=handle, args=(batch,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert failures == []
    assert store.stats.rollups(year_scope(year)) == before
    assert rebuild(store, year, now()).differences == []
