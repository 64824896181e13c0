"""Server-rendered pages (mobile first, Chinese first, no external assets).

The modules are imported on demand (see chalicelib.http.lazy): ``app.py`` registers the generated route table.
"""

from __future__ import annotations

import importlib

PAGE_MODULES = (
    "chalicelib.web.pages",
    "chalicelib.web.account_pages",
    "chalicelib.web.cas_pages",
    "chalicelib.web.wecom_pages",
    "chalicelib.web.admin_pages",
    "chalicelib.web.events.list_pages",
    "chalicelib.web.events.archive_pages",
    "chalicelib.web.events.detail_pages",
    "chalicelib.web.events.register_pages",
    "chalicelib.web.events.lottery_pages",
    "chalicelib.web.events.my_pages",
    "chalicelib.web.manage_pages",
    "chalicelib.web.manage_form_pages",
    "chalicelib.web.manage_registration_pages",
    "chalicelib.web.allocation_pages",
    "chalicelib.web.station_pages",
    "chalicelib.web.checkin_manage_pages",
    "chalicelib.web.checkin_undo_pages",
    "chalicelib.web.ticket_pages",
    "chalicelib.web.competition_pages",
    "chalicelib.web.competition_manage_pages",
    "chalicelib.web.competition_score_pages",
    "chalicelib.web.competition_judging_pages",
    "chalicelib.web.competition_export_pages",
    "chalicelib.web.lineup_pages",
    "chalicelib.web.relay_pages",
    "chalicelib.web.meet_round_pages",
    "chalicelib.web.contest_pages",
    "chalicelib.web.contest_setup_pages",
    "chalicelib.web.meet_entries_pages",
    "chalicelib.web.schedule_pages",
    "chalicelib.web.fixtures_pages",
    "chalicelib.web.certificate_pages",
    "chalicelib.web.report_export_pages",
    "chalicelib.web.member_year_pages",
    "chalicelib.web.hall_pages",
    "chalicelib.web.calendar_pages",
    "chalicelib.web.message_pages",
    "chalicelib.web.notify_pages",
    "chalicelib.web.report_pages",
    "chalicelib.web.static_pages",
)


def page_route_groups() -> tuple:
    """Every page route group (imports every page module)."""
    return tuple(importlib.import_module(module).routes for module in PAGE_MODULES)
