"""Give sessions stored before the sessions' day index their ``day`` (the China date of their start), so that the
reminders job finds the later sessions of classes that started before (docs/notifications.md, "Reminders").

Run once per deployment after the index exists (CloudFormation adds it with the template; a local database made
before it gets it here first). Idempotent: a session that has its day is left alone, each update is conditional.

    python -m devtools.backfill_session_days          # the configured stage (env: TABLE_PREFIX, DYNAMODB_ENDPOINT)
"""

from __future__ import annotations

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.settings import Settings, get_settings
from chalicelib.storage.binding import bind_tables
from chalicelib.storage.tables import SessionTable
from chalicelib.storage.writes import written


def _ensure_index() -> bool:
    """Add the by_day index to a table made before it (DynamoDB Local); True when it was added."""
    client = SessionTable._get_connection().connection.client  # the bound botocore client
    table = SessionTable.Meta.table_name
    described = client.describe_table(TableName=table)["Table"]
    if any(index["IndexName"] == "by_day" for index in described.get("GlobalSecondaryIndexes", [])):
        return False
    client.update_table(
        TableName=table,
        AttributeDefinitions=[
            {"AttributeName": "day", "AttributeType": "S"},
            {"AttributeName": "starts_at", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexUpdates=[
            {
                "Create": {
                    "IndexName": "by_day",
                    "KeySchema": [
                        {"AttributeName": "day", "KeyType": "HASH"},
                        {"AttributeName": "starts_at", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "ALL"},
                }
            }
        ],
    )
    return True


def backfill(settings: Settings) -> int:
    """Set ``day`` on every session without one (a one-off Scan, never on a request path); how many were set."""
    bind_tables(settings)
    _ensure_index()
    count = 0
    for item in SessionTable.scan(filter_condition=SessionTable.day.does_not_exist()):
        day = item.starts_at.astimezone(CHINA_TZ).date().isoformat()
        if written(item.update, actions=[SessionTable.day.set(day)], condition=SessionTable.day.does_not_exist()):
            count += 1
    return count


def main() -> None:
    print(f"sessions given their day: {backfill(get_settings())}")


if __name__ == "__main__":
    main()
