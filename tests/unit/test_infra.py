"""The deployment templates come from the table definitions, and the deployment check catches what must not ship."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from chalicelib.storage.tables import TABLES
from devtools import infra
from devtools.deploy_check import (
    bytecode_name,
    bytecode_problems,
    cold_module_sources,
    compile_package,
    role_problems,
    table_problems,
)

HERE = f"python{sys.version_info.major}.{sys.version_info.minor}"


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


def _package(path: Path, files: dict[str, str]) -> Path:
    # Chalice writes every entry with the same 1980 timestamp: a timestamp-checked .pyc could not be trusted.
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), text)
    return path


def test_the_package_ships_bytecode_that_the_runtime_uses_whatever_the_files_dates(tmp_path):
    package = _package(
        tmp_path / "deployment.zip",
        {
            "app.py": "import pkg.mod\nVALUE = pkg.mod.VALUE\n",
            "pkg/__init__.py": "",
            "pkg/mod.py": "VALUE = 'compiled'\n",
            "pkg/py2_only.py": "print 'never imported on Python 3'\n",
        },
    )
    assert compile_package(package, HERE) == (3, ["pkg/py2_only.py"])
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "task")
    tag = sys.implementation.cache_tag
    assert {
        f"__pycache__/app.{tag}.pyc",
        f"pkg/__pycache__/mod.{tag}.pyc",
        f"pkg/__pycache__/__init__.{tag}.pyc",
    } < names
    assert bytecode_name("pkg/mod.py") == f"pkg/__pycache__/mod.{tag}.pyc"
    assert bytecode_problems(package, ["app.py", "pkg/__init__.py", "pkg/mod.py"]) == []
    # The runtime loads the shipped bytecode without looking at the source: changed here to tell the two apart.
    (tmp_path / "task" / "pkg" / "mod.py").write_text("VALUE = 'from source'\n")
    task = str(tmp_path / "task")
    environment = {"PATH": os.environ["PATH"], "PYTHONPATH": task, "PYTHONDONTWRITEBYTECODE": "1"}
    ran = subprocess.run(
        [sys.executable, "-S", "-c", "import app; print(app.VALUE)"],
        cwd=task,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert ran.stdout.strip() == "compiled"


def test_bytecode_for_another_source_or_none_at_all_fails(tmp_path):
    package = _package(tmp_path / "deployment.zip", {"app.py": "VALUE = 1\n", "chalicelib/x.py": "X = 1\n"})
    compile_package(package, HERE)
    stale = _package(tmp_path / "stale.zip", {"app.py": "VALUE = 2\n", "chalicelib/x.py": "X = 1\n"})
    with zipfile.ZipFile(package) as compiled, zipfile.ZipFile(stale, "a") as target:
        for name in compiled.namelist():
            if name.endswith(".pyc"):
                target.writestr(name, compiled.read(name))
    assert bytecode_problems(stale, ["app.py", "chalicelib/x.py"]) == [
        f"{bytecode_name('app.py')} was compiled from another version of app.py"
    ]
    bare = _package(tmp_path / "bare.zip", {"app.py": "VALUE = 1\n"})
    assert bytecode_problems(bare, ["app.py", "chalicelib/x.py", "certifi/core.py"]) == [
        f"the package lacks the bytecode of app.py ({bytecode_name('app.py')})",
        "the package lacks chalicelib/x.py, which a cold request imports",
    ]


def test_bytecode_is_compiled_only_by_the_runtimes_python(tmp_path):
    package = _package(tmp_path / "deployment.zip", {"app.py": "VALUE = 1\n"})
    with pytest.raises(SystemExit, match=r"runs on python3\.9"):
        compile_package(package, "python3.9")


def test_the_modules_checked_are_the_ones_a_cold_registration_request_imports():
    sources = cold_module_sources()
    assert {"app.py", "chalicelib/api/my_registrations.py", "pynamodb/models.py", "pydantic/main.py"} <= set(sources)
    # The organisers' event routes are not on a member's tap (chalicelib/api/my_registrations.py).
    assert "chalicelib/api/events.py" not in sources
    assert not any(name.startswith((".venv", "/")) for name in sources)
