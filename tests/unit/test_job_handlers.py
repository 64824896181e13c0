"""Lambda calls each of the app's jobs by the handler string `chalice package` writes ("app.<function name>"), so
each must be a name of the module app.py; the notifications' consumer reads the notifications table's stream, and
the statistics have a consumer on the stream of each table they recount from."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from chalice.app import DynamoDBEventConfig


def test_every_job_is_found_by_its_handler_string():
    module = importlib.import_module("app")
    sources = module.app.event_sources
    assert {"deliver_notifications", "retry_deliveries", "draw_due_lotteries"} <= {s.name for s in sources}
    for source in sources:
        module_name, function = source.handler_string.split(".")
        assert module_name == "app"
        assert getattr(module, function) is module.app.handler_map[source.name]


def test_the_delivery_function_reads_the_notifications_stream_from_its_oldest_record():
    from app import app

    (consumer,) = [s for s in app.event_sources if s.name == "deliver_notifications"]
    assert isinstance(consumer, DynamoDBEventConfig)
    assert ":table/notifications/stream/" in consumer.stream_arn  # devtools/infra.py puts the real ARN in
    assert consumer.starting_position == "TRIM_HORIZON" and consumer.batch_size == 100


def test_the_statistics_read_the_stream_of_each_table_they_recount_from():
    from app import app

    consumers = {s.name: s for s in app.event_sources if isinstance(s, DynamoDBEventConfig)}
    tables = ("registrations", "attendance", "competitions", "events", "members")
    assert set(consumers) == {"deliver_notifications", *(f"stats_from_{table}" for table in tables)}
    for table in tables:
        consumer = consumers[f"stats_from_{table}"]
        assert f":table/{table}/stream/" in consumer.stream_arn
        assert consumer.starting_position == "TRIM_HORIZON" and consumer.batch_size == 100
        assert consumer.handler_string == f"app.stats_from_{table}"
    # A batch may recount up to 100 events: the deployed functions get a minute (the API's 15 s would not do).
    stages = json.loads((Path(__file__).resolve().parents[2] / ".chalice" / "config.json").read_text())["stages"]
    for stage in ("dev", "prod"):
        for table in tables:
            assert stages[stage]["lambda_functions"][f"stats_from_{table}"] == {"lambda_timeout": 60}
