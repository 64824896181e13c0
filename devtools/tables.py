"""Create any missing tables (idempotent) from the one set of definitions in chalicelib.storage.tables.

python -m devtools.tables          # for the configured stage (env: TABLE_PREFIX, DYNAMODB_ENDPOINT)
"""

from __future__ import annotations

import os
import sys
import time

from chalicelib.settings import Settings, get_settings
from chalicelib.storage.binding import bind_tables
from chalicelib.storage.tables import TABLES, AppTable

# DynamoDB Local takes any credentials; boto3 wants some, and a region.
LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_DEFAULT_REGION": "cn-north-1"}


def use_local_credentials() -> None:
    """The credentials and region DynamoDB Local is reached with, unless the environment names others."""
    for variable, value in LOCAL_CREDENTIALS.items():
        os.environ.setdefault(variable, value)


def ensure_tables(settings: Settings, streams: bool = True) -> list[str]:
    """Create the tables that do not exist yet; returns the names created.

    ``streams=False`` (the tests' shared tables) leaves out the streams the definitions ask for. DynamoDB Local
    slows every write to a streamed table as tables with streams are dropped and made again, which a test session
    does hundreds of times: measured, a put took 1.5 ms on a table without a stream and 3.6 ms on one with a stream
    after 400 drops and re-creations (2.2 ms after 50)."""
    bind_tables(settings)
    created = []
    for model in TABLES:
        if not model.exists():
            if streams or not hasattr(model.Meta, "stream_view_type"):
                model.create_table(wait=True)
            else:
                _create_without_stream(model)
            created.append(model.Meta.table_name)
    return created


def _create_without_stream(model: type[AppTable]) -> None:
    """``model.create_table(wait=True)`` as PynamoDB does it, without the stream specification."""
    schema = model._get_schema()
    connection = model._get_connection()
    connection.create_table(
        attribute_definitions=schema["attribute_definitions"],
        key_schema=schema["key_schema"],
        global_secondary_indexes=schema["global_secondary_indexes"],
        local_secondary_indexes=schema["local_secondary_indexes"],
        billing_mode=model.Meta.billing_mode,
    )
    while connection.describe_table().get("TableStatus") != "ACTIVE":
        time.sleep(0.1)
    model.update_ttl(False)


def upgrade_tables(settings: Settings) -> list[str]:
    """Bring tables made by an earlier version up to the definitions: a stream the definition asks for and global
    secondary indexes it lists that the table lacks (a `.data/` of an earlier `make run`; deployed, CloudFormation
    does this). Returns what was added, e.g. ``["notifications: stream", "sessions: index by_day"]``."""
    import boto3

    bind_tables(settings)
    client = boto3.client("dynamodb", endpoint_url=settings.dynamodb_endpoint, region_name=settings.aws_region)
    added = []
    for model in TABLES:
        name = model.Meta.table_name
        table = client.describe_table(TableName=name)["Table"]
        view = getattr(model.Meta, "stream_view_type", None)
        if view and not table.get("StreamSpecification", {}).get("StreamEnabled"):
            client.update_table(TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": view})
            added.append(f"{model.short_name}: stream")
        present = {index["IndexName"] for index in table.get("GlobalSecondaryIndexes", [])}
        for index in model._get_schema()["global_secondary_indexes"]:
            if index["index_name"] in present:
                continue
            client.update_table(
                TableName=name,
                AttributeDefinitions=index["attribute_definitions"],
                GlobalSecondaryIndexUpdates=[
                    {
                        "Create": {
                            "IndexName": index["index_name"],
                            "KeySchema": index["key_schema"],
                            "Projection": index["projection"],
                        }
                    }
                ],
            )
            added.append(f"{model.short_name}: index {index['index_name']}")
    return added


def use_database(endpoint: str, table_prefix: str, stage: str = "test", streams: bool = True) -> Settings:
    """Point the app in this process (and the servers it starts) at the database at ``endpoint`` (DynamoDB Local),
    tables prefixed ``table_prefix``, creating those missing (``streams``: see ``ensure_tables``); returns the
    settings."""
    from chalicelib.storage import get_store

    use_local_credentials()
    os.environ.update({"APP_STAGE": stage, "TABLE_PREFIX": table_prefix, "DYNAMODB_ENDPOINT": endpoint})
    get_settings.cache_clear()
    get_store.cache_clear()
    settings = get_settings()
    ensure_tables(settings, streams)
    return settings


def drop_tables(settings: Settings) -> None:
    """Delete every table (tests use this to start from an empty database)."""
    bind_tables(settings)
    for model in TABLES:
        if model.exists():
            model.delete_table()


def main() -> int:
    settings = get_settings()
    created = ensure_tables(settings)
    print(f"tables: {len(created)} created, {len(TABLES) - len(created)} already present")
    for change in upgrade_tables(settings):
        print(f"table brought up to date: {change}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
