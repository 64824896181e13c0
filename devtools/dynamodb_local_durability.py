"""Does DynamoDB Local, on disk, keep every write it acknowledged when it is killed with SIGKILL?

No app code: eight threads write two-item transactions (a new item, a counter) with boto3 against a DynamoDB Local
with ``-dbPath``; after a second the JVM is killed, then started again on the same data, and every acknowledged item
is looked for. It prints, per run, how many were acknowledged and how many are missing. Measured December 2026
(amplify-dynamodb-simulator 2.9.30): one acknowledged transaction missing, whole (counter and item alike), in 6
runs of 10, never more than one.
tests/integration/test_database_killed.py allows for exactly that.

    python -m devtools.dynamodb_local_durability [runs]
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import boto3

from devtools import dynamodb_local

TABLE = "durability_check"
WRITERS = 8


def _client(endpoint: str) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="cn-north-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def _write_until_stopped(endpoint: str, writer: int, acknowledged: list[str], stop: threading.Event) -> None:
    client, n = _client(endpoint), 0
    while not stop.is_set():
        key = f"w{writer}-{n}"
        item = {
            "Put": {"TableName": TABLE, "Item": {"k": {"S": key}}, "ConditionExpression": "attribute_not_exists(k)"}
        }
        counter = {
            "Update": {
                "TableName": TABLE,
                "Key": {"k": {"S": "counter"}},
                "UpdateExpression": "ADD n :one",
                "ExpressionAttributeValues": {":one": {"N": "1"}},
            }
        }
        try:
            client.transact_write_items(TransactItems=[item, counter])
        except Exception:  # the database is gone: this writer is done
            return
        acknowledged.append(key)
        n += 1


def _write_then_kill(server: dynamodb_local.DynamoDBLocal) -> list[str]:
    """The keys of the transactions acknowledged before the server was killed, a second into the writes."""
    client = _client(server.endpoint)
    client.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    client.put_item(TableName=TABLE, Item={"k": {"S": "counter"}, "n": {"N": "0"}})
    acknowledged: list[str] = []
    stop = threading.Event()
    threads = [
        threading.Thread(target=_write_until_stopped, args=(server.endpoint, w, acknowledged, stop))
        for w in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    assert server.process is not None  # started here, not adopted
    os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=10)
    stop.set()
    for thread in threads:
        thread.join()
    return acknowledged


def run_once(directory: Path) -> tuple[int, int, int, int]:
    """(acknowledged, missing after the restart, counter, items present) for one kill."""
    port = dynamodb_local.free_port()
    server = dynamodb_local.start(port, db_path=directory / "db", log_path=directory / "log")
    try:
        acknowledged = _write_then_kill(server)
    finally:
        server.stop()  # already gone after the kill; stopped here if anything before it failed
    while dynamodb_local.port_in_use(port):
        time.sleep(0.1)
    server = dynamodb_local.start(port, db_path=directory / "db", log_path=directory / "log")
    try:
        client = _client(server.endpoint)
        pages = client.get_paginator("scan").paginate(TableName=TABLE)
        present = {item["k"]["S"] for page in pages for item in page["Items"]} - {"counter"}
        counter = int(client.get_item(TableName=TABLE, Key={"k": {"S": "counter"}})["Item"]["n"]["N"])
    finally:
        server.stop()
    return len(acknowledged), sum(key not in present for key in acknowledged), counter, len(present)


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    for run in range(runs):
        with tempfile.TemporaryDirectory() as directory:
            acknowledged, missing, counter, present = run_once(Path(directory))
        print(
            f"run {run + 1}: {acknowledged} acknowledged, {missing} missing after SIGKILL "
            f"(counter {counter}, items {present})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
