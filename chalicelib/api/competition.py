"""Competitions: set-up, draws, results, judges' marks, measured performances, stages, publishing, officials."""

from __future__ import annotations

from chalicelib.http.routing import ApiRoutes

routes = ApiRoutes(__name__, tag="competition")
