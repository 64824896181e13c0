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
6. Every ``.py`` in the package ships compiled (``__pycache__/<name>.cpython-312.pyc``, unchecked-hash): Lambda's
   /var/task is read-only, so without them every cold start compiles every module it imports. The check: each
   module a cold registration request imports (``import app, chalicelib.api.events``) has its bytecode, made for
   the template's runtime and from the source that ships beside it.
7. The package is under Lambda's limits (50 MB zipped for a direct upload, 250 MB unzipped); its size is printed.

    python -m devtools.deploy_check
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import marshal
import os
import pkgutil
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
# PEP 552 flags of a hash-based .pyc that is never checked against its source: valid whatever the zip's timestamps
# (Lambda unpacks the package with its own), and nothing can change the source in the read-only /var/task.
UNCHECKED_HASH = 0b01
# What a cold registration request imports (bench/coldstart.py's `first`): their bytecode must ship.
COLD_IMPORTS = "import app, chalicelib.api.my_registrations"


def package() -> Path:
    environment = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "cn-north-1")}
    chalice = Path(sys.executable).parent / "chalice"
    command = [str(chalice), "package", "--stage", "prod", "--merge-template", "infra/prod-resources.json", str(OUT)]
    subprocess.run(command, cwd=ROOT, env=environment, check=True, stdout=subprocess.DEVNULL)
    prune_locale_data(OUT / "deployment.zip")
    template = OUT / "sam.json"
    compile_package(OUT / "deployment.zip", runtime(json.loads(template.read_text())["Resources"]))
    return template


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


def runtime(resources: dict[str, Any]) -> str:
    """The Python runtime of the template's functions (Chalice writes the one it runs under, e.g. "python3.12")."""
    found = {r["Properties"]["Runtime"] for r in resources.values() if r.get("Type") == "AWS::Serverless::Function"}
    if len(found) != 1:
        raise SystemExit(f"expected one Python runtime for every function, found {sorted(found)}")
    return found.pop()


def bytecode_name(source_name: str) -> str:
    """Where the runtime looks for a module's bytecode: "a/b.py" -> "a/__pycache__/b.cpython-312.pyc"."""
    folder, _, file_name = source_name.rpartition("/")
    cached = f"__pycache__/{file_name[:-3]}.{sys.implementation.cache_tag}.pyc"
    return f"{folder}/{cached}" if folder else cached


def compile_package(zipped: Path, lambda_runtime: str) -> tuple[int, list[str]]:
    """Add an unchecked-hash .pyc beside every .py in the package; the number compiled and the sources that failed.

    The bytecode is this interpreter's, so it must be the runtime's version: a .pyc of another version is ignored
    (its magic number differs) and the module compiles on every cold start again.
    """
    here = f"python{sys.version_info.major}.{sys.version_info.minor}"
    if lambda_runtime != here:
        raise SystemExit(f"the package runs on {lambda_runtime}: compile it with that Python, not {here}")
    compiled, failed = 0, []
    building = zipped.with_suffix(".compiling")
    with zipfile.ZipFile(zipped) as source, zipfile.ZipFile(building, "w", zipfile.ZIP_DEFLATED) as target:
        names = set(source.namelist())
        for info in source.infolist():
            target.writestr(info, source.read(info))
        for info in source.infolist():
            if not info.filename.endswith(".py") or bytecode_name(info.filename) in names:
                continue
            text = source.read(info)
            try:
                # The name the runtime's traceback shows; the loader puts the real path in when it loads the file.
                code = compile(text, f"/var/task/{info.filename}", "exec", dont_inherit=True, optimize=0)
            except (SyntaxError, ValueError):
                failed.append(info.filename)  # not importable on this Python: nothing imports it
                continue
            header = importlib.util.MAGIC_NUMBER + UNCHECKED_HASH.to_bytes(4, "little")
            cached = zipfile.ZipInfo(bytecode_name(info.filename), info.date_time)
            cached.external_attr, cached.compress_type = info.external_attr, zipfile.ZIP_DEFLATED
            target.writestr(cached, header + importlib.util.source_hash(text) + marshal.dumps(code))
            compiled += 1
    building.replace(zipped)
    return compiled, failed


def cold_module_sources() -> list[str]:
    """The package paths of the .py files a cold registration request imports (stdlib excluded: the runtime's)."""
    # Modules loaded before the imports (site's .pth hooks of the virtualenv) are not the app's.
    listing = (
        f"import sys; before = set(sys.modules); {COLD_IMPORTS}; "
        "print('\\n'.join(m.__file__ for n, m in list(sys.modules.items()) "
        "if n not in before and getattr(m, '__file__', None)))"
    )
    found = subprocess.run([sys.executable, "-c", listing], cwd=ROOT, capture_output=True, text=True, check=True)
    # The virtualenv lives inside the project: its packages are matched first.
    roots = [*(Path(p) for p in sys.path if p.endswith("site-packages")), ROOT]
    names = set()
    for line in found.stdout.splitlines():
        path = Path(line).resolve()
        for root in roots:
            if path.suffix == ".py" and path.is_relative_to(root.resolve()):
                names.add(path.relative_to(root.resolve()).as_posix())
                break
    return sorted(names)


def bytecode_problems(zipped: Path, sources: list[str]) -> list[str]:
    """Each source must ship with a .pyc the runtime will use: this version's magic, unchecked hash of that source."""
    problems = []
    with zipfile.ZipFile(zipped) as archive:
        names = set(archive.namelist())
        for name in sources:
            if name not in names:
                # Chalice ships the app whole; a library's module that is absent is an optional import the local
                # environment happens to satisfy (certifi, for botocore), which the runtime goes without.
                if name == "app.py" or name.startswith("chalicelib/"):
                    problems.append(f"the package lacks {name}, which a cold request imports")
                continue
            if bytecode_name(name) not in names:
                problems.append(f"the package lacks the bytecode of {name} ({bytecode_name(name)})")
                continue
            cached = archive.read(bytecode_name(name))
            if cached[:4] != importlib.util.MAGIC_NUMBER:
                problems.append(f"{bytecode_name(name)} is not {sys.implementation.cache_tag} bytecode")
            elif int.from_bytes(cached[4:8], "little") != UNCHECKED_HASH:
                problems.append(f"{bytecode_name(name)} is not unchecked-hash bytecode")
            elif cached[8:16] != importlib.util.source_hash(archive.read(name)):
                problems.append(f"{bytecode_name(name)} was compiled from another version of {name}")
    return problems


def lint(template: Path) -> list[str]:
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    found = subprocess.run(
        [str(cfn_lint), "--regions", *REGIONS, "--", str(template)], capture_output=True, text=True, check=False
    )
    return [line for line in found.stdout.splitlines() if line.strip()] if found.returncode else []


def _defined_models() -> set[type[Model]]:
    """Every table model defined anywhere in the app (a model outside TABLES would be a table nobody deploys)."""
    import chalicelib.storage

    # The store imports its repositories' modules on first use: import every storage module, so every model.
    for module in pkgutil.iter_modules(chalicelib.storage.__path__, "chalicelib.storage."):
        importlib.import_module(module.name)

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
    cold_sources = cold_module_sources()
    problems += bytecode_problems(OUT / "deployment.zip", cold_sources)
    zipped, unzipped = package_size(OUT / "deployment.zip")
    if zipped > ZIPPED_LIMIT or unzipped > UNZIPPED_LIMIT:
        problems.append("the package is over Lambda's limits")
    tables = sum(1 for r in resources.values() if r.get("Type") == "AWS::DynamoDB::Table")
    functions = sum(1 for r in resources.values() if r.get("Type") == "AWS::Serverless::Function")
    print(
        f"deployment (prod): {tables} tables, {functions} functions, cfn-lint on {', '.join(REGIONS)}; "
        f"package {zipped / 1e6:.1f} MB zipped (limit 50), {unzipped / 1e6:.1f} MB unzipped (limit 250); "
        f"bytecode checked for the {len(cold_sources)} modules a cold request imports"
    )
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
