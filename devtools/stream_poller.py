"""The tables' streams on DynamoDB Local, fed to their Lambda handlers as Lambda feeds them deployed.

Deployed, Lambda reads each stream and calls its consumer (chalicelib/jobs.py) with batches of records: the
notifications table's ``deliver_notifications``, and ``stats_from_<table>`` for each table the year's statistics
recount from (``STATS_TABLES``: registrations, attendance, competitions, events, members). DynamoDB Local has
streams but no Lambda, so a poller per table reads every shard (DescribeStream, GetShardIterator, GetRecords) and
calls the same handler with an event of the same shape. After each batch the shard's last sequence number goes to
the table's checkpoint file, so a poller that is stopped or killed resumes after the last batch it finished; a batch
it was killed in the middle of is read again, and the consumers make that harmless (delivery claims each message
once per channel, a claim whose worker died is retried by the retry job with the same idempotency key; statistics
recount a source and swap its contribution, so a source recounted twice changes nothing the second time).

    python -m devtools.stream_poller [--checkpoint FILE] [--once]   # env: DYNAMODB_ENDPOINT, TABLE_PREFIX
    python -m devtools.stream_poller --stats                        # the statistics' streams read to their end

``make run`` runs every poller as a thread (``start_all``); tests and the benchmark read the statistics' streams to
their end with ``drain``; the notifications benchmark runs the delivery poller as a process it kills and restarts.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

Handler = Callable[[dict[str, Any], Any], Any]
BATCH = 100  # GetRecords Limit: Lambda's batch size for the function (chalicelib/jobs.py DELIVERY_BATCH)
IDLE_WAIT = 0.25  # seconds between polls when no shard had anything new
ERROR_WAIT = 5.0  # seconds before trying again after a failed poll (the database restarting, a handler's error)


def app_handler(name: str) -> Handler:
    """A job's Lambda handler as Chalice wraps it (``app.<name>``)."""
    from app import app

    return app.handler_map[name]


def delivery_handler() -> Handler:
    """The Lambda handler of the notifications stream (``app.deliver_notifications``)."""
    return app_handler("deliver_notifications")


def _lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """A DynamoDB Streams record as Lambda's event carries it (times as epoch seconds, the source ARN added)."""
    found = dict(record)
    data = dict(found.get("dynamodb", {}))
    created = data.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        data["ApproximateCreationDateTime"] = created.timestamp()
    found["dynamodb"] = data
    found["eventSourceARN"] = stream_arn
    return found


class StreamPoller:
    """Reads one table's stream and hands each batch of records to ``handler``; ``checkpoint``: a JSON file of the
    last sequence number handled per shard (None: start from the oldest record each time)."""

    def __init__(
        self, table_name: str, endpoint: str, region: str, handler: Handler, checkpoint: Path | None = None
    ) -> None:
        import boto3

        self.table_name, self.handler, self.checkpoint = table_name, handler, checkpoint
        # DynamoDB Local takes any credentials but wants some (chalicelib/storage/binding.py does the same).
        local = {"aws_access_key_id": "local", "aws_secret_access_key": "local"} if endpoint else {}
        self._tables = boto3.client("dynamodb", endpoint_url=endpoint or None, region_name=region, **local)
        self._streams = boto3.client("dynamodbstreams", endpoint_url=endpoint or None, region_name=region, **local)
        self._stream_arn: str | None = None
        self._done: dict[str, str] = {}  # shard id -> last sequence number handled
        self._iterators: dict[str, str | None] = {}  # shard id -> next iterator (None: the shard is closed and read)
        self.records_handled = 0

    def _load_checkpoint(self, stream_arn: str) -> None:
        self._done = {}
        if self.checkpoint and self.checkpoint.exists():
            saved = json.loads(self.checkpoint.read_text(encoding="utf-8"))
            if saved.get("stream") == stream_arn:  # a table recreated has a new stream: start over
                self._done = dict(saved.get("shards", {}))

    def _save_checkpoint(self) -> None:
        if self.checkpoint is None:
            return
        partial = self.checkpoint.with_suffix(".partial")
        partial.write_text(json.dumps({"stream": self._stream_arn, "shards": self._done}), encoding="utf-8")
        partial.replace(self.checkpoint)

    def _current_stream(self) -> str:
        arn = self._tables.describe_table(TableName=self.table_name)["Table"]["LatestStreamArn"]
        if arn != self._stream_arn:
            self._stream_arn, self._iterators = arn, {}
            self._load_checkpoint(arn)
        return arn

    def _shards(self, stream_arn: str) -> list[str]:
        shards, start = [], None
        while True:
            arguments: dict[str, Any] = {"StreamArn": stream_arn}
            if start:
                arguments["ExclusiveStartShardId"] = start
            description = self._streams.describe_stream(**arguments)["StreamDescription"]
            shards += [shard["ShardId"] for shard in description["Shards"]]
            start = description.get("LastEvaluatedShardId")
            if not start:
                return shards

    def _iterator(self, stream_arn: str, shard_id: str) -> str | None:
        if shard_id in self._iterators:
            return self._iterators[shard_id]
        arguments: dict[str, Any] = {"StreamArn": stream_arn, "ShardId": shard_id}
        if shard_id in self._done:
            arguments.update(ShardIteratorType="AFTER_SEQUENCE_NUMBER", SequenceNumber=self._done[shard_id])
        else:
            arguments["ShardIteratorType"] = "TRIM_HORIZON"
        return self._streams.get_shard_iterator(**arguments)["ShardIterator"]

    def poll_once(self) -> int:
        """Read every shard once, handing each non-empty batch to the handler; the number of records handled."""
        stream_arn = self._current_stream()
        handled = 0
        for shard_id in self._shards(stream_arn):
            iterator = self._iterator(stream_arn, shard_id)
            if iterator is None:
                continue
            try:
                answer = self._streams.get_records(ShardIterator=iterator, Limit=BATCH)
            except self._streams.exceptions.ExpiredIteratorException:
                self._iterators.pop(shard_id, None)
                continue
            records = answer.get("Records", [])
            if records:
                event = {"Records": [_lambda_record(record, stream_arn) for record in records]}
                self.handler(event, None)
                self._done[shard_id] = records[-1]["dynamodb"]["SequenceNumber"]
                self._save_checkpoint()
                handled += len(records)
            self._iterators[shard_id] = answer.get("NextShardIterator")
        self.records_handled += handled
        return handled

    def run(self, stop: threading.Event) -> None:
        """Poll until ``stop`` is set; a failed poll (the database restarting, a handler error) is retried."""
        while not stop.is_set():
            try:
                handled = self.poll_once()
            except Exception as error:  # keep the worker alive as Lambda would retry the batch
                print(f"stream poller: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
                self._iterators = {}
                stop.wait(ERROR_WAIT)
                continue
            if not handled:
                stop.wait(IDLE_WAIT)


def _table_name(short_name: str) -> str:
    """The name of the table ``short_name`` in this configuration (settings from the environment)."""
    from chalicelib.settings import get_settings
    from chalicelib.storage.binding import bind_tables
    from chalicelib.storage.tables import TABLES

    bind_tables(get_settings())
    return next(model.Meta.table_name for model in TABLES if model.short_name == short_name)


def table_poller(short_name: str, handler: Handler, checkpoint: Path | None = None) -> StreamPoller:
    """A poller of the table ``short_name`` of this configuration, calling ``handler`` with its records."""
    from chalicelib.settings import get_settings

    settings = get_settings()
    table_name = _table_name(short_name)
    return StreamPoller(table_name, settings.dynamodb_endpoint or "", settings.aws_region, handler, checkpoint)


def notifications_poller(handler: Handler | None = None, checkpoint: Path | None = None) -> StreamPoller:
    """A poller of this configuration's notifications table (settings from the environment)."""
    return table_poller("notifications", handler or delivery_handler(), checkpoint)


def stats_pollers(checkpoint_dir: Path | None = None) -> list[StreamPoller]:
    """A poller of each table the statistics recount from, handing its records to the table's consumer
    (``app.stats_from_<table>``); checkpoints ``stream-checkpoint-<table>.json`` in ``checkpoint_dir``."""
    from chalicelib.jobs import STATS_TABLES

    return [
        table_poller(
            table,
            app_handler(f"stats_from_{table}"),
            checkpoint_dir / f"stream-checkpoint-{table}.json" if checkpoint_dir else None,
        )
        for table in STATS_TABLES
    ]


def _in_thread(poller: StreamPoller, stop: threading.Event) -> threading.Thread:
    thread = threading.Thread(target=poller.run, args=(stop,), name=f"stream-poller-{poller.table_name}", daemon=True)
    thread.start()
    return thread


def start(handler: Handler | None = None, checkpoint: Path | None = None) -> tuple[threading.Thread, threading.Event]:
    """Run the notifications poller in a daemon thread; set the event to stop it."""
    stop = threading.Event()
    return _in_thread(notifications_poller(handler, checkpoint), stop), stop


def start_all(data_dir: Path | None = None) -> tuple[list[threading.Thread], threading.Event]:
    """Run every stream's poller in a daemon thread of its own (the notifications' delivery and the statistics'
    five), with their checkpoints in ``data_dir`` (None: none, each starts at its stream's oldest record); set the
    event to stop them all."""
    stop = threading.Event()
    notifications = notifications_poller(checkpoint=data_dir / "stream-checkpoint.json" if data_dir else None)
    threads = [_in_thread(poller, stop) for poller in [notifications, *stats_pollers(data_dir)]]
    return threads, stop


# drain()'s pollers in this process, by table name: each drain carries on where the last one stopped (a table
# dropped and made again has a new stream, which its poller notices and reads from its start).
_DRAINERS: dict[str, StreamPoller] = {}


def _poll_all(pollers: list[StreamPoller]) -> int:
    """One poll of each stream, each in a thread of its own as Lambda runs each table's consumer on its own: the
    records handled in all; a consumer's error is raised."""
    handled, errors = [0] * len(pollers), []

    def poll(index: int) -> None:
        try:
            handled[index] = pollers[index].poll_once()
        except Exception as error:  # raised below, in the caller's thread
            errors.append(error)

    threads = [threading.Thread(target=poll, args=(index,)) for index in range(len(pollers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return sum(handled)


def drain(
    pollers: list[StreamPoller] | None = None,
    max_rounds: int = 100_000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Poll ``pollers`` (default: the statistics' streams of this configuration, pollers kept between calls) until
    a round finds nothing new on any of them, handing each batch to its consumer as Lambda would; the number of
    records handled (``progress`` is told the count so far after each round). A consumer's error is raised: a test
    or benchmark must not carry on with statistics behind."""
    if pollers is None:
        from chalicelib.jobs import STATS_TABLES

        pollers = []
        for table in STATS_TABLES:
            name = _table_name(table)
            if name not in _DRAINERS:
                _DRAINERS[name] = table_poller(table, app_handler(f"stats_from_{table}"))
            pollers.append(_DRAINERS[name])
    handled = 0
    for _ in range(max_rounds):
        found = _poll_all(pollers)
        if not found:
            return handled
        handled += found
        if progress is not None:
            progress(handled)
    raise RuntimeError(f"stream poller: the streams still had records after {max_rounds} rounds")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.stream_poller")
    parser.add_argument("--checkpoint", type=Path, default=None, help="file of the last sequence number per shard")
    parser.add_argument("--once", action="store_true", help="read every shard once and stop")
    parser.add_argument("--stats", action="store_true", help="read the statistics' streams to their end and stop")
    args = parser.parse_args(argv)
    from devtools.tables import use_local_credentials

    use_local_credentials()
    if args.stats:
        print(f"stream poller: {drain()} statistics records")
        return 0
    poller = notifications_poller(checkpoint=args.checkpoint)
    if args.once:
        print(f"stream poller: {poller.poll_once()} records")
        return 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"stream poller: reading {poller.table_name} (pid {os.getpid()})", flush=True)
    poller.run(stop)
    print(f"stream poller: stopped after {poller.records_handled} records", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
