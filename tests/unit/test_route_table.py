"""The generated route table: current, complete, and enough for app.py without importing any route module."""

import subprocess
import sys

from chalicelib.api import API_PREFIX, api_route_groups
from chalicelib.route_table import ROUTES
from chalicelib.web import page_route_groups
from devtools.route_table import TABLE, table_source


def test_table_is_current():
    assert TABLE.read_text(encoding="utf-8") == table_source()


def test_every_declared_route_is_in_the_table_once():
    declared = {(op.method, API_PREFIX + op.path) for group in api_route_groups() for op in group.operations}
    declared |= {(e.method, e.path) for group in page_route_groups() for e in group.table_entries("")}
    listed = [(entry.method, entry.path) for entry in ROUTES]
    assert len(listed) == len(set(listed))
    assert set(listed) == declared


def test_importing_the_app_loads_no_route_module_and_no_database_client():
    code = (
        "import sys, app; "
        "print(sorted(m for m in sys.modules if m.startswith(('chalicelib.api.', 'chalicelib.web.', "
        "'chalicelib.storage', 'chalicelib.services', 'pynamodb', 'boto3', 'botocore'))))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
