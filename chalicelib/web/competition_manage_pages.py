"""Organiser, referee and judge pages of a competition."""

from __future__ import annotations

from chalicelib.web.render import Pages

routes = Pages(__name__)
