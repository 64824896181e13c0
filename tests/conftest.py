"""Test set-up: a DynamoDB Local of the tests' own (in memory, on a free port), started once per session.

Tests that need storage ask for ``store``, ``empty_store`` or ``client``; pure unit tests never start Java.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from chalicelib.settings import Settings
from chalicelib.storage import get_store
from devtools import dynamodb_local
from devtools.tables import drop_tables, ensure_tables, use_database, use_local_credentials

ROOT = Path(__file__).resolve().parent.parent

use_local_credentials()


@pytest.fixture(scope="session")
def dynamodb() -> Iterator[Settings]:
    with dynamodb_local.running(dynamodb_local.free_port()) as server:
        # Without streams (see fresh_tables).
        yield use_database(server.endpoint, "union-events-test-", streams=False)


@pytest.fixture
def store(dynamodb: Settings):
    return get_store()


@pytest.fixture
def empty_store(request: pytest.FixtureRequest, dynamodb: Settings):
    """A store whose tables were just dropped and recreated (for tests that count everything)."""
    fresh_tables(request, dynamodb)
    return get_store()


def fresh_tables(request: pytest.FixtureRequest, settings: Settings) -> None:
    """Every table dropped and created again, empty. With the streams the definitions ask for only under the
    ``streams`` mark (a module's ``pytestmark = pytest.mark.streams``, for tests that read a stream from the first
    write on): DynamoDB Local keeps the streams of dropped tables, and every write to a streamed table slows as
    they pile up over a session's hundreds of fresh starts (devtools/tables.py ensure_tables)."""
    drop_tables(settings)
    ensure_tables(settings, streams=request.node.get_closest_marker("streams") is not None)


@pytest.fixture(scope="session")
def client(dynamodb: Settings):
    from chalice.test import Client

    from app import app

    with Client(app, stage_name="test", project_dir=str(ROOT)) as test_client:
        yield test_client


@pytest.fixture
def unused_port() -> int:
    return dynamodb_local.free_port()


@pytest.fixture(scope="session")
def loaded_demo(dynamodb: Settings):
    """The demo union loaded through the services once per session (about a minute), and its tables' items, which
    each module that needs a fresh union gets back (devtools.demo.snapshot.restore, a few seconds)."""
    from chalicelib.domain.calendar import now
    from devtools.demo.loader import load_demo
    from devtools.demo.snapshot import read_items
    from devtools.demo.union import read_union

    drop_tables(dynamodb)
    ensure_tables(dynamodb, streams=False)
    today = now().date()
    organisation = load_demo(get_store(), dynamodb, today)
    _DEMO_LOADED_ON.append(today)
    return read_union(get_store(), organisation, today), read_items(dynamodb)


# The day the session loaded the demo on: tests that compare the union with its fixture files read them for that
# day, so a run crossing midnight in China (16:00 UTC) compares like with like.
_DEMO_LOADED_ON: list[date] = []


@pytest.fixture(scope="session")
def demo_day(loaded_demo) -> date:
    return _DEMO_LOADED_ON[-1]
