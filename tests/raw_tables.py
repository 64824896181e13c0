"""Tables read and written past PynamoDB and every model, as damaged or old items are made in tests."""

from __future__ import annotations

import boto3


def raw_table(table):
    """The table itself through boto3, past PynamoDB and every model (DynamoDB Local takes any credentials)."""
    meta = table.Meta
    resource = boto3.resource(
        "dynamodb",
        endpoint_url=meta.host,
        region_name=meta.region,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    return resource.Table(meta.table_name)
