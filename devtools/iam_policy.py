"""Write the Lambda role's least-privilege policy for each stage from the table definitions.

Chalice's policy generator cannot see PynamoDB calls, so ``autogen_policy`` is off and these files are the role.
They grant only ``DYNAMODB_ACTIONS`` on the stage's own tables and their indexes, plus CloudWatch Logs.

    python -m devtools.iam_policy           # rewrite .chalice/policy-<stage>.json
    python -m devtools.iam_policy --check   # fail if a file differs from what the definitions give
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from chalicelib.storage.tables import DYNAMODB_ACTIONS, TABLES
from devtools.generated import write_or_check

ROOT = Path(__file__).resolve().parent.parent
# Table prefixes of the deployable stages, as in .chalice/config.json.
STAGE_PREFIXES = {"dev": "union-events-dev-", "prod": "union-events-prod-"}
# AWS China regions use the aws-cn partition; pass --partition aws for the global regions.
DEFAULT_PARTITION = "aws-cn"


def policy(table_prefix: str, partition: str = DEFAULT_PARTITION) -> dict[str, Any]:
    tables = [f"arn:{partition}:dynamodb:*:*:table/{table_prefix}{model.short_name}" for model in TABLES]
    indexed = [
        f"arn:{partition}:dynamodb:*:*:table/{table_prefix}{model.short_name}/index/{index.Meta.index_name}"
        for model in TABLES
        for index in model._indexes.values()
    ]
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AppTables",
                "Effect": "Allow",
                "Action": list(DYNAMODB_ACTIONS),
                "Resource": tables + indexed,
            },
            {
                "Sid": "Logs",
                "Effect": "Allow",
                "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": f"arn:{partition}:logs:*:*:*",
            },
        ],
    }


def policy_path(stage: str) -> Path:
    return ROOT / ".chalice" / f"policy-{stage}.json"


def rendered(stage: str, partition: str) -> str:
    return json.dumps(policy(STAGE_PREFIXES[stage], partition), indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.iam_policy")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--partition", default=DEFAULT_PARTITION)
    args = parser.parse_args(argv)
    files = {policy_path(stage): rendered(stage, args.partition) for stage in STAGE_PREFIXES}
    return write_or_check(files, args.check, "python -m devtools.iam_policy")


if __name__ == "__main__":
    sys.exit(main())
