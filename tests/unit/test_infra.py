"""The deployment templates come from the table definitions, and the deployment check catches what must not ship."""

from __future__ import annotations

import copy

from chalicelib.storage.tables import TABLES
from devtools import infra
from devtools.deploy_check import role_problems, table_problems


def _template() -> dict:
    resources = copy.deepcopy(infra.resources("prod")["Resources"])
    for role in infra.FUNCTION_ROLES:
        resources[role]["Type"] = "AWS::IAM::Role"
    return resources


def _statement(resources: dict, sid: str) -> dict:
    statements = resources["ApiHandlerRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    return next(s for s in statements if s["Sid"] == sid)


def test_committed_templates_are_current():
    assert infra.main(["--check"]) == 0


def test_every_table_is_declared_with_its_indexes_ttl_and_protection():
    resources = _template()
    for model in TABLES:
        table = resources[infra.logical_id(model)]
        properties = table["Properties"]
        assert properties["TableName"] == f"union-events-prod-{model.short_name}"
        assert properties["BillingMode"] == "PAY_PER_REQUEST" and properties["DeletionProtectionEnabled"]
        assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        assert properties["SSESpecification"] == {"SSEEnabled": True} and table["DeletionPolicy"] == "Retain"
        declared = {index["IndexName"] for index in properties.get("GlobalSecondaryIndexes", [])}
        assert declared == {index.Meta.index_name for index in model._indexes.values()}
    assert resources["TableIdempotency"]["Properties"]["TimeToLiveSpecification"]["AttributeName"] == "expires_at"
    assert table_problems(resources) == [] and role_problems(resources) == []


def test_a_table_missing_from_the_template_fails():
    resources = _template()
    del resources["TableAttendance"]
    assert table_problems(resources) == [
        "table attendance (TableAttendance) is used by the app but missing from the template"
    ]


def test_an_index_missing_from_a_declared_table_fails():
    resources = _template()
    resources["TableRegistrations"]["Properties"]["GlobalSecondaryIndexes"].pop()
    assert table_problems(resources) == [
        "table registrations (TableRegistrations) in the template differs from its definition"
    ]


def test_wildcard_dynamodb_permissions_fail():
    resources = _template()
    _statement(resources, "AppTables")["Action"].append("dynamodb:*")
    assert role_problems(resources) == ["ApiHandlerRole: DynamoDB action 'dynamodb:*' is not one the app performs"]
    resources = _template()
    _statement(resources, "AppTables")["Action"].append("dynamodb:Scan")
    assert role_problems(resources) == ["ApiHandlerRole: DynamoDB action 'dynamodb:Scan' is not one the app performs"]


def test_access_beyond_the_app_tables_fails():
    resources = _template()
    _statement(resources, "AppTables")["Resource"].append("arn:aws-cn:dynamodb:*:*:table/*")
    resources["DrawDueLotteriesRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]["Resource"].append(
        {"Fn::Sub": "${TableUnits.Arn}/index/*"}
    )
    problems = role_problems(resources)
    assert len(problems) == 2
    assert problems[0].startswith('ApiHandlerRole: DynamoDB access to "arn:aws-cn:dynamodb:*:*:table/*"')
    assert problems[1].startswith("DrawDueLotteriesRole: DynamoDB access to")


def test_each_stream_consumer_reads_only_its_own_tables_stream():
    resources = _template()
    readers = {
        "DeliverNotifications": "TableNotifications",
        **{
            f"StatsFrom{table.capitalize()}": f"Table{table.capitalize()}"
            for table in ("registrations", "attendance", "competitions", "events", "members")
        },
    }
    for role in infra.FUNCTION_ROLES:
        statements = resources[role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        streams = [statement for statement in statements if statement["Sid"] == "ReadStream"]
        function = role.removesuffix("Role")
        if function in readers:
            assert streams == [infra.stream_statement(readers[function])]
            source = resources[function]["Properties"]["Events"][f"{function}DynamodbEventSource"]
            assert source["Properties"]["Stream"] == {"Fn::GetAtt": [readers[function], "StreamArn"]}
        else:
            assert streams == [], role
    streamed = {
        infra.logical_id(model): model.Meta.stream_view_type
        for model in TABLES
        if getattr(model.Meta, "stream_view_type", None)
    }
    assert streamed == {
        "TableNotifications": "NEW_IMAGE",
        **{table: "KEYS_ONLY" for table in readers.values() if table != "TableNotifications"},
    }
