"""A cold request loads its own route group, not others: what a first request costs (docs/benchmarks.md)."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from chalicelib.route_table import ROUTES

ROOT = Path(__file__).resolve().parents[2]
GROUPS = sorted({entry.module for entry in ROUTES})

# Route groups that still import another group, each for something that group defines. New code puts what two
# groups share in a module of its own (web/links.py for addresses, api/checkin_shaping.py, services/): this list
# only shrinks.
STILL_SHARED = {
    ("chalicelib.api.competition_hall", "chalicelib.api.competition"),  # competition_out; both load the engine
    ("chalicelib.web.account_pages", "chalicelib.api.auth"),  # the sign-in models and session start
    ("chalicelib.web.admin_pages", "chalicelib.api.organisation"),  # the organisation's write models
    ("chalicelib.web.allocation_pages", "chalicelib.web.manage_registration_pages"),  # the registrations page
    ("chalicelib.web.certificate_pages", "chalicelib.web.competition_pages"),  # the results view
    ("chalicelib.web.competition_manage_pages", "chalicelib.web.competition_judging_pages"),  # judged cards
    ("chalicelib.web.competition_manage_pages", "chalicelib.web.lineup_pages"),  # line-up marks
    ("chalicelib.web.contest_pages", "chalicelib.web.events.register_pages"),  # the registration form's helpers
    ("chalicelib.web.member_year_pages", "chalicelib.web.certificate_pages"),  # awards and their dates
    ("chalicelib.web.notify_pages", "chalicelib.api.notify"),  # the settings model
    ("chalicelib.web.report_export_pages", "chalicelib.api.reports"),  # the report query
    ("chalicelib.web.report_pages", "chalicelib.api.reports"),  # the report query
}

# What a member's first request in a rush loads, and what it must not: the competition engine, the organisers'
# event models, the check-in API.
MEMBER_GROUPS = (
    "chalicelib.api.my_registrations",
    "chalicelib.web.events.list_pages",
    "chalicelib.web.events.detail_pages",
    "chalicelib.web.events.register_pages",
    "chalicelib.web.events.my_pages",
    "chalicelib.web.ticket_pages",
)
NOT_FOR_MEMBERS = (
    "chalicelib.services.competition",
    "chalicelib.domain.competition.setup",
    "chalicelib.api.event_schemas",
    "chalicelib.api.checkin",
)


def _module_path(module: str) -> Path:
    path = ROOT / Path(*module.split("."))
    return path.with_suffix(".py") if path.with_suffix(".py").exists() else path / "__init__.py"


def _group_imports() -> set[tuple[str, str]]:
    """(importer, imported) for every module-level import of one route group by another."""
    found = set()
    for group in GROUPS:
        for node in ast.parse(_module_path(group).read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.module:
                names = {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
                found |= {(group, other) for other in names & set(GROUPS) - {group}}
    return found


def test_no_route_group_imports_another_beyond_those_still_listed():
    imports = _group_imports()
    assert imports - STILL_SHARED == set(), "put what two route groups share in a module of its own"
    assert STILL_SHARED - imports == set(), "no longer imported: take it off STILL_SHARED"


def test_the_check_for_group_imports_sees_one():
    assert ("chalicelib.web.report_pages", "chalicelib.api.reports") in _group_imports()


@pytest.mark.parametrize("group", MEMBER_GROUPS)
def test_a_members_first_request_loads_no_competition_engine_and_no_organiser_models(group):
    code = (
        "import json, sys, app; from chalicelib.http.lazy import route_module; "
        f"route_module({group!r}); print(json.dumps(sorted(sys.modules)))"
    )
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    assert group in loaded
    assert [module for module in NOT_FOR_MEMBERS if module in loaded] == []
