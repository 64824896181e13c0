"""Competition downloads and printouts: draw sheets, referees' score sheets, results and award lists."""

from __future__ import annotations

from chalicelib.web.render import Pages

routes = Pages(__name__)
