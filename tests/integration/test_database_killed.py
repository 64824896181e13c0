"""The database killed in the middle of a registration rush (issue 15, "faults under load").

A DynamoDB Local of this test's own keeps its data on disk; members register at once over real HTTP (the dev
server, threads released together), each with its own ``Idempotency-Key``. When the first of them has been
answered the JVM is killed with SIGKILL, and started again on the same port and data. Every request that was not
answered 201 is retried with its key until it is: 503 while the database is down, 409 ``request_in_progress`` while
a key left pending by the outage is not yet abandoned. Then every member has exactly one registration, the event's
counters match them, and each member's last answer is what the store holds.

DynamoDB Local on disk is not as durable as DynamoDB: killed with SIGKILL, it loses the last transaction it had
acknowledged, whole (measured with boto3 alone, no app code, by devtools/dynamodb_local_durability.py: one
acknowledged transaction missing after the restart in 6 runs of 10, never more). When the kill follows the first answer
at once, that transaction is the answered member's. The test allows exactly that: at most one member whose 201 came
before the kill, found missing whole (registration, key and counter alike), who then registers again with the same
key. Everything else is checked as it would be against DynamoDB.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from datetime import date, datetime

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.passwords import hash_password
from chalicelib.domain.records import (
    SCHOOL_UNIT_ID,
    SERIES,
    Gender,
    Member,
    RegistrationState,
    Unit,
    UnitKind,
)
from chalicelib.settings import get_settings
from chalicelib.storage import get_store
from chalicelib.storage.idempotency import ABANDONED_AFTER
from devtools import dynamodb_local
from devtools.tables import use_database
from tests.factories import published_event

MEMBERS = 60
CAPACITY = 40
PASSWORD = "Kill@2026"
ADMIN = Principal(staff_no="K0000", unit_id=SCHOOL_UNIT_ID, union_admin=True)


class Database:
    """This test's DynamoDB Local: on disk, so that what was committed survives a SIGKILL."""

    def __init__(self, directory) -> None:
        self.port = dynamodb_local.free_port()
        self.data = directory / "dynamodb"
        self.log = directory / "dynamodb.log"
        self.server = self._start()

    def _start(self) -> dynamodb_local.DynamoDBLocal:
        return dynamodb_local.start(self.port, db_path=self.data, log_path=self.log)

    def kill(self) -> None:
        os.killpg(self.server.process.pid, signal.SIGKILL)
        self.server.process.wait(timeout=10)

    def restart(self) -> None:
        deadline = time.monotonic() + 20
        while dynamodb_local.port_in_use(self.port) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.server = self._start()

    def stop(self) -> None:
        self.server.stop()


@pytest.fixture
def database(tmp_path):
    """Point the app at a database of this test's own; the tests' shared one afterwards."""
    saved = {name: os.environ.get(name) for name in ("APP_STAGE", "TABLE_PREFIX", "DYNAMODB_ENDPOINT")}
    database = Database(tmp_path)
    try:
        use_database(database.server.endpoint, "union-events-kill-")
        yield database
    finally:
        database.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        get_settings.cache_clear()
        get_store.cache_clear()
        if saved["DYNAMODB_ENDPOINT"]:
            get_store()


@pytest.fixture
def base_url(database):
    from devtools.devserver import serving_in_thread

    with serving_in_thread() as base:
        yield base


def _seed() -> tuple[str, dict[str, str]]:
    """Units, members with accounts, an open event with a waiting list; returns its id and a token per member."""
    from chalicelib.services.accounts import sign_in

    store, settings = get_store(), get_settings()
    store.units.put_many(
        [Unit(SCHOOL_UNIT_ID, UnitKind.SCHOOL, "校工会"), Unit("cs", UnitKind.SUB, "计算机分工会", SCHOOL_UNIT_ID)]
    )
    members = [Member(f"K{n:04d}", f"会员{n}", Gender.FEMALE, date(1980, 1, 1), "cs") for n in range(1, MEMBERS + 1)]
    store.members.put_many([*members, Member(ADMIN.staff_no, "管理员", Gender.MALE, date(1975, 1, 1), SCHOOL_UNIT_ID)])
    password_hash = hash_password(PASSWORD)
    for member in members:
        store.accounts.set_password(member.staff_no, password_hash)
    event = published_event(ADMIN, store=store, title_zh="断电演练讲座", capacity=CAPACITY, waiting_list=True)
    tokens = {m.staff_no: sign_in(store, settings, m.staff_no, PASSWORD, "10.0.0.9").token for m in members}
    return event.event_id, tokens


def _post(url: str, token: str, key: str) -> tuple[int, dict]:
    request = urllib.request.Request(
        url,
        data=json.dumps({"answers": {}}).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Idempotency-Key": key},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
    except OSError as error:  # the connection itself failed: no answer at all
        return 0, {"error": {"code": repr(error)}}


def _register_again_what_the_engine_lost(store, event_id, url, tokens, keys, answers, before_kill) -> set[str]:
    """The members DynamoDB Local lost on SIGKILL (its last acknowledged transaction, see above): at most one, answered
    before the kill, and lost whole, so that the counters still match what is stored. Each registers again."""
    stored = store.registrations.for_event(event_id, SERIES)
    lost = set(tokens) - {r.staff_no for r in stored}
    assert lost <= before_kill and len(lost) <= 1, (sorted(lost), sorted(before_kill))
    event = store.events.get(event_id, consistent=True)
    states = Counter(r.state for r in stored)
    counts = (states[RegistrationState.CONFIRMED], states[RegistrationState.WAITING])
    assert (event.confirmed_count, event.waiting_count) == counts
    for staff_no in lost:
        answers[staff_no] = _post(url, tokens[staff_no], keys[staff_no])
        assert answers[staff_no][0] == 201, answers[staff_no]
    return lost


def test_killing_the_database_mid_rush_loses_no_registration_and_tells_no_lie(database, base_url):
    event_id, tokens = _seed()
    url = f"{base_url}/api/events/{event_id}/registrations"
    keys = {staff_no: str(uuid.uuid4()) for staff_no in tokens}
    answers: dict[str, tuple[int, dict]] = {}
    answered = threading.Semaphore(0)
    barrier = threading.Barrier(MEMBERS)

    def rush(staff_no: str) -> None:
        barrier.wait()
        answers[staff_no] = _post(url, tokens[staff_no], keys[staff_no])
        answered.release()

    threads = [threading.Thread(target=rush, args=(staff_no,)) for staff_no in tokens]
    for thread in threads:
        thread.start()
    answered.acquire()  # the first answer: the rest are in flight
    database.kill()
    killed_at = time.monotonic()
    for thread in threads:
        thread.join()
    first_round = Counter(status for status, _ in answers.values())
    first_round_answers = dict(answers)
    assert first_round[201] < MEMBERS, f"the database was killed after the rush was over: {first_round}"
    assert not first_round[500], first_round

    database.restart()
    seen = Counter()
    deadline = time.monotonic() + 120
    pending = {staff_no for staff_no, (status, _) in answers.items() if status != 201}
    while pending and time.monotonic() < deadline:
        for staff_no in sorted(pending):
            status, body = _post(url, tokens[staff_no], keys[staff_no])
            seen[(status, body.get("error", {}).get("code"))] += 1
            assert status in (201, 409, 503), (status, body)
            if status == 409:
                assert body["error"]["code"] == "request_in_progress", body
                # Only while the key of the request the outage interrupted is not yet abandoned.
                assert time.monotonic() - killed_at < ABANDONED_AFTER.total_seconds() + 15, body
            answers[staff_no] = (status, body)
            if status == 201:
                pending.discard(staff_no)
        if pending:
            time.sleep(1)
    assert not pending, f"never answered 201: {sorted(pending)}; retries: {seen}"

    store = get_store()
    before_kill = {staff_no for staff_no, (status, _) in first_round_answers.items() if status == 201}
    lost = _register_again_what_the_engine_lost(store, event_id, url, tokens, keys, answers, before_kill)
    registrations = store.registrations.for_event(event_id, SERIES)
    assert Counter(r.staff_no for r in registrations) == Counter(tokens.keys())  # exactly one each, nobody missing
    states = Counter(r.state for r in registrations)
    assert states == {RegistrationState.CONFIRMED: CAPACITY, RegistrationState.WAITING: MEMBERS - CAPACITY}
    event = store.events.get(event_id, consistent=True)
    assert (event.confirmed_count, event.waiting_count) == (CAPACITY, MEMBERS - CAPACITY)
    positions = sorted(store.registrations.waiting_position(r) for r in registrations if r.state.value == "waiting")
    assert positions == list(range(1, MEMBERS - CAPACITY + 1))
    for registration in registrations:
        status, body = answers[registration.staff_no]
        assert status == 201
        assert (body["staff_no"], body["state"]) == (registration.staff_no, registration.state.value)
        assert datetime.fromisoformat(body["registered_at"]) == registration.registered_at
        assert (body["waiting_position"] is None) == (registration.state is not RegistrationState.WAITING)
    print(f"\nfirst round: {dict(first_round)}; retries: {dict(seen)}; lost by the engine: {sorted(lost)}")
