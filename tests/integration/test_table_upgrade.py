"""A `.data/` made by an earlier version gets what the definitions added since (make run: devtools.tables
upgrade_tables): the notifications table's stream that delivery reads, the keys-only streams the statistics read
(competitions here), and indexes such as sessions.by_day."""

import boto3

from chalicelib.settings import Settings
from chalicelib.storage.binding import bind_tables
from chalicelib.storage.tables import CompetitionTable, NotificationTable, SessionTable
from devtools.tables import drop_tables, ensure_tables, upgrade_tables


def test_an_old_database_gets_the_stream_and_the_indexes_it_lacks_once(dynamodb):
    old = Settings(stage="test", table_prefix="upgrade-", dynamodb_endpoint=dynamodb.dynamodb_endpoint)
    client = boto3.client("dynamodb", endpoint_url=old.dynamodb_endpoint, region_name=old.aws_region)
    try:
        ensure_tables(old)
        # As an earlier version made them: notifications and competitions without a stream, sessions without their
        # day index.
        for model in (NotificationTable, SessionTable, CompetitionTable):
            model.delete_table()
            schema = model._get_schema()
            keys = {key["AttributeName"] for key in schema["key_schema"]}
            client.create_table(
                TableName=model.Meta.table_name,
                KeySchema=sorted(schema["key_schema"], key=lambda key: key["KeyType"] != "HASH"),
                AttributeDefinitions=[a for a in schema["attribute_definitions"] if a["AttributeName"] in keys],
                BillingMode="PAY_PER_REQUEST",
            )
        before = client.describe_table(TableName="upgrade-notifications")["Table"]
        assert not before.get("StreamSpecification", {}).get("StreamEnabled")

        assert upgrade_tables(old) == ["sessions: index by_day", "competitions: stream", "notifications: stream"]

        notifications = client.describe_table(TableName="upgrade-notifications")["Table"]
        assert notifications["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
        assert "LatestStreamArn" in notifications
        competitions = client.describe_table(TableName="upgrade-competitions")["Table"]
        assert competitions["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
        sessions = client.describe_table(TableName="upgrade-sessions")["Table"]
        assert [index["IndexName"] for index in sessions["GlobalSecondaryIndexes"]] == ["by_day"]
        assert upgrade_tables(old) == []  # nothing more to add
    finally:
        drop_tables(old)
        bind_tables(dynamodb)
