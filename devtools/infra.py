"""The deployment's DynamoDB tables and Lambda roles, generated from the table definitions the app uses.

``chalice package --stage <stage> --merge-template infra/<stage>-resources.json`` merges this into the SAM
template Chalice writes: every table of ``TABLES`` with its indexes and TTL attribute (on-demand, point-in-time
recovery, deletion protection, encryption, tags, kept when the stack is deleted), and the roles of the app's
Lambda functions narrowed to ``DYNAMODB_ACTIONS`` on exactly those tables and indexes, plus reading the
session-signing key from SSM Parameter Store.

    python -m devtools.infra           # rewrite infra/<stage>-resources.json
    python -m devtools.infra --check   # fail if a file differs from what the definitions give
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pynamodb.attributes import TTLAttribute
from pynamodb.models import Model

from chalicelib.storage.tables import DYNAMODB_ACTIONS, TABLES
from devtools.iam_policy import STAGE_PREFIXES

ROOT = Path(__file__).resolve().parent.parent
# The Lambda functions `chalice package` declares (the API and each scheduled job), by their role's logical id.
FUNCTION_ROLES = ("ApiHandlerRole", "DrawDueLotteriesRole")
SESSION_KEY_PARAMETER = "/union-events/{stage}/session-key"
# The partition (aws or aws-cn) comes from the stack: one template for the global and the China regions.
_ACCOUNT_ARN = "arn:${{AWS::Partition}}:{service}:${{AWS::Region}}:${{AWS::AccountId}}"


def logical_id(model: type[Model]) -> str:
    return "Table" + "".join(part.capitalize() for part in model.short_name.split("_"))


def _key_schema(keys: list[dict[str, str]]) -> list[dict[str, str]]:
    # DynamoDB wants HASH before RANGE; PynamoDB lists them in attribute order.
    pairs = [{"AttributeName": key["AttributeName"], "KeyType": key["KeyType"]} for key in keys]
    return sorted(pairs, key=lambda key: key["KeyType"] != "HASH")


def table_resource(model: type[Model], stage: str) -> dict[str, Any]:
    # PynamoDB's own schema of the model: the one `devtools/tables.py` creates DynamoDB Local's tables from.
    schema = model._get_schema()
    indexes = [
        {
            "IndexName": index["index_name"],
            "KeySchema": _key_schema(index["key_schema"]),
            "Projection": index["projection"],
        }
        for index in schema.get("global_secondary_indexes", [])
    ]
    properties: dict[str, Any] = {
        "TableName": f"{STAGE_PREFIXES[stage]}{model.short_name}",
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": sorted(schema["attribute_definitions"], key=lambda a: a["AttributeName"]),
        "KeySchema": _key_schema(schema["key_schema"]),
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "DeletionProtectionEnabled": True,
        "SSESpecification": {"SSEEnabled": True},
        "Tags": [{"Key": "app", "Value": "union-events"}, {"Key": "stage", "Value": stage}],
    }
    if indexes:
        properties["GlobalSecondaryIndexes"] = indexes
    ttl = [name for name, attribute in model.get_attributes().items() if isinstance(attribute, TTLAttribute)]
    if ttl:
        properties["TimeToLiveSpecification"] = {"AttributeName": ttl[0], "Enabled": True}
    # A table outlives the stack: deleting or replacing the stack must never take a union's data with it.
    return {
        "Type": "AWS::DynamoDB::Table",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": properties,
    }


def table_arns() -> list[Any]:
    arns: list[Any] = []
    for model in TABLES:
        arns.append({"Fn::GetAtt": [logical_id(model), "Arn"]})
        arns.extend(
            {"Fn::Sub": f"${{{logical_id(model)}.Arn}}/index/{index.Meta.index_name}"}
            for index in model._indexes.values()
        )
    return arns


def role_policy(stage: str) -> list[dict[str, Any]]:
    parameter = SESSION_KEY_PARAMETER.format(stage=stage)
    return [
        {
            "PolicyName": "union-events-app",
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Sid": "AppTables", "Effect": "Allow", "Action": list(DYNAMODB_ACTIONS), "Resource": table_arns()},
                    {
                        "Sid": "SessionKey",
                        "Effect": "Allow",
                        "Action": ["ssm:GetParameter"],
                        "Resource": {"Fn::Sub": f"{_ACCOUNT_ARN.format(service='ssm')}:parameter{parameter}"},
                    },
                    {
                        "Sid": "Logs",
                        "Effect": "Allow",
                        "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                        "Resource": {"Fn::Sub": f"{_ACCOUNT_ARN.format(service='logs')}:log-group:/aws/lambda/*"},
                    },
                ],
            },
        }
    ]


def resources(stage: str) -> dict[str, Any]:
    found: dict[str, Any] = {logical_id(model): table_resource(model, stage) for model in TABLES}
    for role in FUNCTION_ROLES:
        found[role] = {"Properties": {"Policies": role_policy(stage)}}
    return {"Resources": found}


def resources_path(stage: str) -> Path:
    return ROOT / "infra" / f"{stage}-resources.json"


def rendered(stage: str) -> str:
    return json.dumps(resources(stage), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.infra")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    stale = []
    for stage in STAGE_PREFIXES:
        text, path = rendered(stage), resources_path(stage)
        if args.check:
            if not path.exists() or path.read_text() != text:
                stale.append(path.name)
        else:
            path.write_text(text)
    if stale:
        print(f"out of date: {', '.join(stale)}; run: python -m devtools.infra", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
