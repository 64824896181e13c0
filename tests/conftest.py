"""Test set-up: a DynamoDB Local of the tests' own (in memory, on a free port), started once per session.

Tests that need storage ask for ``store``, ``empty_store`` or ``client``; pure unit tests never start Java.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from chalicelib.settings import Settings, get_settings
from chalicelib.storage import get_store
from devtools import dynamodb_local
from devtools.tables import drop_tables, ensure_tables

ROOT = Path(__file__).resolve().parent.parent

for variable, value in {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_DEFAULT_REGION": "cn-north-1",
}.items():
    os.environ.setdefault(variable, value)


@pytest.fixture(scope="session")
def dynamodb() -> Iterator[Settings]:
    with dynamodb_local.running(dynamodb_local.free_port()) as server:
        os.environ.update(
            {"APP_STAGE": "test", "TABLE_PREFIX": "union-events-test-", "DYNAMODB_ENDPOINT": server.endpoint}
        )
        get_settings.cache_clear()
        get_store.cache_clear()
        settings = get_settings()
        ensure_tables(settings)
        yield settings


@pytest.fixture
def store(dynamodb: Settings):
    return get_store()


@pytest.fixture
def empty_store(dynamodb: Settings):
    """A store whose tables were just dropped and recreated (for tests that count everything)."""
    drop_tables(dynamodb)
    ensure_tables(dynamodb)
    return get_store()


@pytest.fixture(scope="session")
def client(dynamodb: Settings):
    from chalice.test import Client

    from app import app

    with Client(app, stage_name="test", project_dir=str(ROOT)) as test_client:
        yield test_client


@pytest.fixture
def unused_port() -> int:
    return dynamodb_local.free_port()
