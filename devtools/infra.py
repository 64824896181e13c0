"""The deployment's DynamoDB tables and Lambda roles, generated from the table definitions the app uses.

``chalice package --stage <stage> --merge-template infra/<stage>-resources.json`` merges this into the SAM
template Chalice writes: every table of ``TABLES`` with its indexes and TTL attribute (on-demand, point-in-time
recovery, deletion protection, encryption, tags, kept when the stack is deleted), and the roles of the app's
Lambda functions narrowed to ``DYNAMODB_ACTIONS`` on exactly those tables and indexes, plus reading the
session-signing key from SSM Parameter Store; and the API's gateway responses, so that what API Gateway answers
itself (a path no route matches, throttling, a Lambda that failed) comes in the app's error envelope, not as
API Gateway's ``{"message": "Missing Authentication Token"}``.

    python -m devtools.infra           # rewrite infra/<stage>-resources.json
    python -m devtools.infra --check   # fail if a file differs from what the definitions give
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from pathlib import Path
from typing import Any

from pynamodb.attributes import TTLAttribute
from pynamodb.models import Model

from chalicelib.http.headers import NO_STORE, security_headers
from chalicelib.i18n import has_message, message_text
from chalicelib.storage.tables import DYNAMODB_ACTIONS, TABLES
from devtools.generated import write_or_check
from devtools.iam_policy import STAGE_PREFIXES

ROOT = Path(__file__).resolve().parent.parent


def _job_functions() -> dict[str, Any]:
    """The functions chalicelib/jobs.py registers (schedules, the notifications stream's consumer), by the logical
    id `chalice package` gives each, with their event source."""
    from chalice import Chalice
    from chalice.utils import to_cfn_resource_name

    from chalicelib.jobs import register_jobs

    app = Chalice(app_name="union-events")
    register_jobs(app)
    return {to_cfn_resource_name(source.name): source for source in app.event_sources}


# The Lambda functions `chalice package` declares (the API and each job), by their role's logical id.
FUNCTION_ROLES = ("ApiHandlerRole", *(f"{name}Role" for name in _job_functions()))
# What Lambda's event source mapping needs to read a table's stream (granted only to the stream's consumer).
STREAM_READ_ACTIONS = (
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:ListStreams",
)
SESSION_KEY_PARAMETER = "/union-events/{stage}/session-key"
# The Official Account's AppSecret (chalicelib/settings.py: WECHAT_MP_APP_SECRET_PARAMETER), read only when the
# deployment turns WeChat's scanner on (docs/deploy.md); granted ahead: a parameter that is not there reads nothing.
WECHAT_SECRET_PARAMETER = "/union-events/{stage}/wechat-mp-app-secret"
# The notification channels' secrets (chalicelib/settings.py: WECOM_SECRET_PARAMETER, SMTP_PASSWORD_PARAMETER,
# SMS_ACCESS_KEY_SECRET_PARAMETER; docs/notifications.md), granted ahead like the AppSecret.
CHANNEL_SECRET_PARAMETERS = (
    "/union-events/{stage}/wecom-secret",
    "/union-events/{stage}/smtp-password",
    "/union-events/{stage}/sms-access-key-secret",
)
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
    stream = getattr(model.Meta, "stream_view_type", None)
    if stream:
        properties["StreamSpecification"] = {"StreamViewType": stream}
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


def stream_statement(table: str) -> dict[str, Any]:
    """Reading ``table``'s stream (the logical id of a table with a stream), for its consumer's role only."""
    return {
        "Sid": "ReadStream",
        "Effect": "Allow",
        "Action": list(STREAM_READ_ACTIONS),
        "Resource": [{"Fn::GetAtt": [table, "StreamArn"]}, {"Fn::Sub": f"${{{table}.Arn}}/stream/*"}],
    }


def _stream_consumers() -> dict[str, str]:
    """Each function that consumes a stream, by logical id: the table whose stream it reads (the handler names a
    placeholder ARN ending in the table's short name and /stream/...; the template puts the real one in)."""
    found = {}
    for name, source in _job_functions().items():
        stream_arn = getattr(source, "stream_arn", None)
        if stream_arn:
            short_name = stream_arn.split(":table/", 1)[1].split("/stream/", 1)[0]
            found[name] = next(logical_id(model) for model in TABLES if model.short_name == short_name)
    return found


def role_policy(stage: str, reads_stream: str | None = None) -> list[dict[str, Any]]:
    names = (SESSION_KEY_PARAMETER, WECHAT_SECRET_PARAMETER, *CHANNEL_SECRET_PARAMETERS)
    parameters = [name.format(stage=stage) for name in names]
    policies = [
        {
            "PolicyName": "union-events-app",
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Sid": "AppTables", "Effect": "Allow", "Action": list(DYNAMODB_ACTIONS), "Resource": table_arns()},
                    {
                        "Sid": "Secrets",
                        "Effect": "Allow",
                        "Action": ["ssm:GetParameter"],
                        "Resource": [
                            {"Fn::Sub": f"{_ACCOUNT_ARN.format(service='ssm')}:parameter{parameter}"}
                            for parameter in parameters
                        ],
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
    if reads_stream:
        policies[0]["PolicyDocument"]["Statement"].append(stream_statement(reads_stream))
    return policies


# ---- gateway responses ----------------------------------------------------------------------------------------
#
# API Gateway answers some requests without calling the app: a path or method no route declares (its answer is 403
# MISSING_AUTHENTICATION_TOKEN), throttling, a body over its limit, a Lambda that timed out or failed. Each answer
# below is the app's envelope (chalicelib.http.middleware) as a mapping template; the gateway cannot negotiate a
# language, so it speaks both, Chinese first. Templates are Velocity: the only ``$`` in them are API Gateway's
# variables, and no ``#`` may appear. The local dev server gives the app's own 404 (devtools/devserver.py).
# They carry the app's own security headers for the stage (chalicelib.http.headers, the one place they are set)
# and ``Cache-Control: no-store``, as every answer of the app does.

_REQUEST_ID = "$context.requestId"
# (code, status or None to keep API Gateway's own, details as a Velocity JSON fragment)
GATEWAY_RESPONSES: dict[str, tuple[str, int | None, str]] = {
    "MISSING_AUTHENTICATION_TOKEN": ("not_found", 404, "null"),
    "DEFAULT_4XX": (
        "bad_request",
        None,
        '{"type": "$context.error.responseType", "reason": $context.error.messageString}',
    ),
    "DEFAULT_5XX": ("internal_error", None, '{"type": "$context.error.responseType"}'),
}


def _words(code: str) -> tuple[str, str]:
    """The message of ``code`` in Chinese and English (a gateway response is not negotiated: it says both)."""
    if not has_message(code):
        raise KeyError(f"no message {code!r} in the catalogues")
    return message_text(code, "zh") or code, message_text(code, "en") or code


def _message(code: str) -> str:
    return " ".join(_words(code)).replace("{request_id}", _REQUEST_ID)


def _json_template(code: str, details: str) -> str:
    message = json.dumps(_message(code), ensure_ascii=False)
    request_id = json.dumps(_REQUEST_ID)
    return f'{{"error": {{"code": "{code}", "message": {message}, "details": {details}, "request_id": {request_id}}}}}'


def _html_template(code: str) -> str:
    zh, en = (html.escape(words).replace("{request_id}", _REQUEST_ID) for words in _words(code))
    return (
        '<!doctype html><html lang="zh-CN"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{zh}</title><main><h1>{zh}</h1><p>{en}</p>"
        f'<p><a href="/">返回首页 Home</a></p><p><small>{_REQUEST_ID}</small></p></main></html>'
    )


def _header_values(stage: str) -> dict[str, str]:
    """The headers of the gateway's answers as static mapping values: each enclosed in single quotes (API Gateway
    takes what is between the outer pair, so the quotes inside the Content-Security-Policy stay as they are)."""
    headers = {**security_headers(stage), "Cache-Control": NO_STORE}
    return {name: f"'{value}'" for name, value in headers.items()}


def gateway_responses(stage: str) -> dict[str, Any]:
    """SAM ``GatewayResponses`` of the API (part of its definition, so every deployment carries them)."""
    found: dict[str, Any] = {}
    for response_type, (code, status, details) in GATEWAY_RESPONSES.items():
        templates = {"application/json": _json_template(code, details), "text/html": _html_template(code)}
        for template in templates.values():
            if "#" in template or template.replace("$context.", "").count("$"):
                raise ValueError(f"{response_type}: a template may use only $context variables and no #")
        entry: dict[str, Any] = {
            "ResponseParameters": {"Headers": _header_values(stage)},
            "ResponseTemplates": templates,
        }
        if status is not None:
            entry["StatusCode"] = str(status)
        found[response_type] = entry
    return found


def resources(stage: str) -> dict[str, Any]:
    found: dict[str, Any] = {logical_id(model): table_resource(model, stage) for model in TABLES}
    consumers = _stream_consumers()
    for role in FUNCTION_ROLES:
        found[role] = {"Properties": {"Policies": role_policy(stage, consumers.get(role.removesuffix("Role")))}}
    # A stream consumer's event source reads the table's real stream (chalicelib/jobs.py names a placeholder).
    for function, table in consumers.items():
        stream = {"Properties": {"Stream": {"Fn::GetAtt": [table, "StreamArn"]}}}
        found[function] = {"Properties": {"Events": {f"{function}DynamodbEventSource": stream}}}
    # `chalice package` names the API RestAPI (an AWS::Serverless::Api); this is merged into its properties.
    found["RestAPI"] = {"Properties": {"GatewayResponses": gateway_responses(stage)}}
    return {"Resources": found}


def resources_path(stage: str) -> Path:
    return ROOT / "infra" / f"{stage}-resources.json"


def rendered(stage: str) -> str:
    return json.dumps(resources(stage), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.infra")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    files = {resources_path(stage): rendered(stage) for stage in STAGE_PREFIXES}
    return write_or_check(files, args.check, "python -m devtools.infra")


if __name__ == "__main__":
    sys.exit(main())
