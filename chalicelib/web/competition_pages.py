"""Public competition pages: brackets, group tables, schedules, results, unit totals and awards."""

from __future__ import annotations

from chalicelib.web.render import Pages

routes = Pages(__name__)
