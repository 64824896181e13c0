"""Lambda calls each of the app's jobs by the handler string `chalice package` writes ("app.<function name>"), so
each must be a name of the module app.py; the notifications' consumer reads the notifications table's stream."""

from __future__ import annotations

import importlib

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

    (consumer,) = [s for s in app.event_sources if isinstance(s, DynamoDBEventConfig)]
    assert consumer.name == "deliver_notifications"
    assert ":table/notifications/stream/" in consumer.stream_arn  # devtools/infra.py puts the real ARN in
    assert consumer.starting_position == "TRIM_HORIZON" and consumer.batch_size == 100
