"""Build the production deployment and check it, as `make test` does: nothing here reaches AWS.

1. ``chalice package --stage prod --merge-template infra/prod-resources.json build/deploy-prod``: the Lambda
   package and the SAM template with the tables and roles merged in.
2. ``cfn-lint`` on the template, for the China and the global regions.
3. Every table model the app defines is declared, with its key schema, indexes and TTL; the template declares
   no table the app does not use.
4. Every role grants DynamoDB actions only from ``DYNAMODB_ACTIONS`` and only on those tables and their indexes:
   no wildcard action, no wildcard or foreign resource.
5. The package holds the pages' templates and static files (chalicelib/web/static, served by the app), the
   compiled message catalogues and Babel's locale data for the locales the pages use (the rest is dropped).
6. The package is under Lambda's limits (50 MB zipped for a direct upload, 250 MB unzipped); its size is printed.

    python -m devtools.deploy_check
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from pynamodb.models import Model

from chalicelib.storage.tables import DYNAMODB_ACTIONS, TABLES
from devtools.infra import STREAM_READ_ACTIONS, logical_id, stream_statement, table_resource

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "deploy-prod"
REGIONS = ("cn-north-1", "cn-northwest-1", "ap-east-1")
ZIPPED_LIMIT = 50 * 1024 * 1024
UNZIPPED_LIMIT = 250 * 1024 * 1024
# Babel's CLDR data ships for the locales the pages format dates in (chalicelib/web/render.py) and their parents
# only: with all ~1,100 locales Babel is 10.9 MB of the package zipped (33 MB unzipped), with these five 0.44 MB.
BABEL_LOCALES = ("root", "en", "zh", "zh_Hans", "zh_Hans_CN")
BABEL_DATA = "babel/locale-data/"


def package() -> Path:
    environment = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "cn-north-1")}
    chalice = Path(sys.executable).parent / "chalice"
    command = [str(chalice), "package", "--stage", "prod", "--merge-template", "infra/prod-resources.json", str(OUT)]
    subprocess.run(command, cwd=ROOT, env=environment, check=True, stdout=subprocess.DEVNULL)
    prune_locale_data(OUT / "deployment.zip")
    return OUT / "sam.json"


def prune_locale_data(zipped: Path) -> int:
    """Drop from the package Babel's locale data for locales the app never formats in; the number of files dropped."""
    keep = {f"{BABEL_DATA}{name}.dat" for name in BABEL_LOCALES}
    pruned = zipped.with_suffix(".pruning")
    dropped = 0
    with zipfile.ZipFile(zipped) as source, zipfile.ZipFile(pruned, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename.startswith(BABEL_DATA) and info.filename not in keep:
                dropped += 1
                continue
            target.writestr(info, source.read(info))
    pruned.replace(zipped)
    return dropped


def lint(template: Path) -> list[str]:
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    found = subprocess.run(
        [str(cfn_lint), "--regions", *REGIONS, "--", str(template)], capture_output=True, text=True, check=False
    )
    return [line for line in found.stdout.splitlines() if line.strip()] if found.returncode else []


def _defined_models() -> set[type[Model]]:
    """Every table model defined anywhere in the app (a model outside TABLES would be a table nobody deploys)."""
    import chalicelib.storage.store  # noqa: F401 - imports every storage module, and so every model

    pending, found = list(Model.__subclasses__()), set()
    while pending:
        model = pending.pop()
        found.add(model)
        pending.extend(model.__subclasses__())
    # A base without a Meta of its own (storage.tables.AppTable) names no table: only its subclasses are tables.
    return {model for model in found if model.__module__.startswith("chalicelib.") and "Meta" in vars(model)}


def table_problems(resources: dict[str, Any]) -> list[str]:
    problems = []
    declared = {name for name, r in resources.items() if r.get("Type") == "AWS::DynamoDB::Table"}
    for model in sorted(_defined_models() - set(TABLES), key=lambda m: m.__name__):
        problems.append(f"{model.__name__} is defined in {model.__module__} but not in TABLES (never deployed)")
    for model in TABLES:
        name = logical_id(model)
        if name not in declared:
            problems.append(f"table {model.short_name} ({name}) is used by the app but missing from the template")
        elif resources[name]["Properties"] != table_resource(model, "prod")["Properties"]:
            problems.append(f"table {model.short_name} ({name}) in the template differs from its definition")
    for name in sorted(declared - {logical_id(model) for model in TABLES}):
        problems.append(f"the template declares {name}, which the app does not define")
    return problems


def _arn_table(resource: Any) -> str | None:
    """The logical id of the table an ARN expression points at (the table or one of its indexes), else None."""
    if isinstance(resource, dict) and "Fn::GetAtt" in resource:
        target, attribute = resource["Fn::GetAtt"]
        return target if attribute == "Arn" else None
    if isinstance(resource, dict) and "Fn::Sub" in resource and isinstance(resource["Fn::Sub"], str):
        text = resource["Fn::Sub"]
        if text.startswith("${") and ".Arn}/index/" in text and "*" not in text:
            return text[2 : text.index(".Arn}")]
    return None


def _stream_problems(role: str, statement: dict[str, Any]) -> list[str]:
    """A statement reading a stream may name only the stream of an app table that has one."""
    streamed = {logical_id(m) for m in TABLES if getattr(m.Meta, "stream_view_type", None)}
    allowed = [json.dumps(r, sort_keys=True) for t in streamed for r in stream_statement(t)["Resource"]]
    targets = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
    return [
        f"{role}: stream access to {json.dumps(target)}, not the stream of an app table"
        for target in targets
        if json.dumps(target, sort_keys=True) not in allowed
    ]


def role_problems(resources: dict[str, Any]) -> list[str]:
    problems = []
    tables = {logical_id(model): model for model in TABLES}
    indexes = {(logical_id(m), index.Meta.index_name) for m in TABLES for index in m._indexes.values()}
    roles = {name: r for name, r in resources.items() if r.get("Type") == "AWS::IAM::Role"}
    if not roles:
        problems.append("the template has no Lambda role")
    for name, role in roles.items():
        for policy in role["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                dynamodb = [a for a in actions if a.lower().startswith("dynamodb:") or a == "*"]
                if not dynamodb:
                    continue
                if set(dynamodb) <= set(STREAM_READ_ACTIONS):
                    problems += _stream_problems(name, statement)
                    continue
                for action in dynamodb:
                    if "*" in action or action not in DYNAMODB_ACTIONS:
                        problems.append(f"{name}: DynamoDB action {action!r} is not one the app performs")
                targets = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
                for target in targets:
                    table = _arn_table(target)
                    if table not in tables:
                        problems.append(f"{name}: DynamoDB access to {json.dumps(target)}, not an app table or index")
                    elif "Fn::Sub" in target and (table, target["Fn::Sub"].rsplit("/", 1)[1]) not in indexes:
                        problems.append(f"{name}: DynamoDB access to an index the app does not define: {target}")
    return problems


def package_size(zipped: Path) -> tuple[int, int]:
    with zipfile.ZipFile(zipped) as archive:
        return zipped.stat().st_size, sum(info.file_size for info in archive.infolist())


def missing_files(zipped: Path) -> list[str]:
    """The pages' templates and static files must ship: Chalice packages chalicelib/ whole, files included."""
    from chalicelib.web.assets import ASSETS

    with zipfile.ZipFile(zipped) as archive:
        names = set(archive.namelist())
    wanted = [f"chalicelib/web/static/{name}" for name in ASSETS] + ["chalicelib/web/templates/base.html"]
    wanted.append("chalicelib/web/checkin_sw.js")  # the station's service worker (chalicelib.web.service_worker)
    wanted += [f"chalicelib/locale/{locale}/LC_MESSAGES/messages.mo" for locale in ("zh_CN", "en")]
    wanted += [f"{BABEL_DATA}{name}.dat" for name in BABEL_LOCALES]
    return [f"the package lacks {name}" for name in wanted if name not in names]


def main() -> int:
    template = package()
    resources = json.loads(template.read_text())["Resources"]
    problems = [f"cfn-lint: {line}" for line in lint(template)]
    problems += table_problems(resources)
    problems += role_problems(resources)
    problems += missing_files(OUT / "deployment.zip")
    zipped, unzipped = package_size(OUT / "deployment.zip")
    if zipped > ZIPPED_LIMIT or unzipped > UNZIPPED_LIMIT:
        problems.append("the package is over Lambda's limits")
    tables = sum(1 for r in resources.values() if r.get("Type") == "AWS::DynamoDB::Table")
    functions = sum(1 for r in resources.values() if r.get("Type") == "AWS::Serverless::Function")
    print(
        f"deployment (prod): {tables} tables, {functions} functions, cfn-lint on {', '.join(REGIONS)}; "
        f"package {zipped / 1e6:.1f} MB zipped (limit 50), {unzipped / 1e6:.1f} MB unzipped (limit 250)"
    )
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
