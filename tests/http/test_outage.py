"""While DynamoDB cannot be reached, every route answers 503 with Retry-After (zh/en, JSON and pages), and the log
has a warning instead of a traceback. The database here is really gone: the app is pointed at a closed port."""

from __future__ import annotations

import json
import logging
import os

import pytest

from chalicelib.observability import get_logger
from chalicelib.settings import get_settings
from chalicelib.storage import get_store
from chalicelib.storage.binding import (
    CONNECT_TIMEOUT_SECONDS,
    MAX_RETRY_ATTEMPTS,
    READ_TIMEOUT_SECONDS,
    read_timeout,
)
from devtools import dynamodb_local


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def database_down(dynamodb, callers):
    """The app's store pointed at a port where nothing listens; the tests' own database afterwards."""
    saved = os.environ["DYNAMODB_ENDPOINT"]
    os.environ["DYNAMODB_ENDPOINT"] = f"http://127.0.0.1:{dynamodb_local.free_port()}"
    get_settings.cache_clear()
    get_store.cache_clear()
    records = _Records()
    get_logger().addHandler(records)
    try:
        yield records
    finally:
        get_logger().removeHandler(records)
        os.environ["DYNAMODB_ENDPOINT"] = saved
        get_settings.cache_clear()
        get_store.cache_clear()
        get_store()


def test_an_api_route_answers_503_with_retry_after_in_chinese(client, database_down):
    response = client.http.get("/api/events")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    error = json.loads(response.body)["error"]
    assert error["code"] == "dependency_unavailable"
    assert error["message"] == "服务暂时不可用，请稍后再试。"


def test_a_signed_in_write_answers_503_in_english(client, callers, database_down):
    event_id = "e-does-not-matter"
    response = client.http.post(
        f"/api/events/{event_id}/registrations",
        body=json.dumps({"answers": {}}),
        headers=callers["member"].headers(
            **{"Content-Type": "application/json", "Accept-Language": "en", "Idempotency-Key": "k-outage"}
        ),
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert json.loads(response.body)["error"]["message"].startswith("The service is temporarily unavailable")


def test_a_page_answers_a_friendly_503_page(client, database_down):
    response = client.http.get("/events", headers={"Accept-Language": "en"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.headers["Content-Type"].startswith("text/html")
    assert "temporarily unavailable" in response.body.decode()


def test_an_outage_is_logged_as_a_warning_without_traceback(client, database_down):
    client.http.get("/api/events")
    warnings = [r for r in database_down.records if r.getMessage() == "dependency_unavailable"]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING and not warnings[0].exc_info
    assert not [r for r in database_down.records if r.getMessage() == "unhandled_exception"]


def test_health_says_503_too(client, database_down):
    response = client.http.get("/api/health")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"


def test_a_hung_database_fails_well_inside_the_lambda_timeout(dynamodb):
    """The arithmetic of chalicelib.storage.binding for a deployed (non-local) endpoint."""
    deployed = dynamodb.model_copy(update={"dynamodb_endpoint": None})
    assert read_timeout(deployed) == READ_TIMEOUT_SECONDS
    attempts = 1 + MAX_RETRY_ATTEMPTS
    backoff = sum(0.025 * 2**attempt for attempt in range(MAX_RETRY_ATTEMPTS))  # botocore standard, DynamoDB
    worst = attempts * (CONNECT_TIMEOUT_SECONDS + READ_TIMEOUT_SECONDS) + backoff
    with open(os.path.join(os.path.dirname(__file__), "..", "..", ".chalice", "config.json")) as config:
        lambda_timeout = json.load(config)["lambda_timeout"]
    assert worst <= lambda_timeout * 2 / 3, worst
