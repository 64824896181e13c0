"""JSON API route modules. Every group here is registered under /api and appears in the OpenAPI document.

The modules are imported on demand (see chalicelib.http.lazy): ``app.py`` registers the generated route table.
"""

from __future__ import annotations

import importlib

API_PREFIX = "/api"
API_MODULES = (
    "chalicelib.api.system",
    "chalicelib.api.auth",
    "chalicelib.api.organisation",
    "chalicelib.api.member_year",
    "chalicelib.api.events",
    "chalicelib.api.my_registrations",
    "chalicelib.api.archive",
    "chalicelib.api.allocation",
    "chalicelib.api.checkin",
    "chalicelib.api.checkin_wechat",
    "chalicelib.api.competition",
    "chalicelib.api.competition_hall",
    "chalicelib.api.meet_rounds",
    "chalicelib.api.meet_entries",
    "chalicelib.api.lineups",
    "chalicelib.api.schedule",
    "chalicelib.api.notify",
    "chalicelib.api.messages",
    "chalicelib.api.reports",
)


def api_route_groups() -> tuple:
    """Every API route group (imports every API module)."""
    return tuple(importlib.import_module(module).routes for module in API_MODULES)
