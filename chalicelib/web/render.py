"""Rendering pages with Jinja2, loaded on first use so that importing the app stays cheap (Lambda cold start)."""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path
from typing import Any

from chalice import Response
from chalice.app import Request

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.language import localized
from chalicelib.http.context import query_param, request_language
from chalicelib.http.routing import PageRoutes, html_response
from chalicelib.i18n import LANGUAGES, translate
from chalicelib.web.assets import asset_url

_TEMPLATES = Path(__file__).parent / "templates"
_WEEKDAYS = {"zh": "一二三四五六日", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_when(moment: datetime, language: str) -> str:
    """A start time as people read it in China time: ``11月28日 周六 14:00`` / ``Sat 28 Nov 14:00``."""
    local = moment.astimezone(CHINA_TZ)
    weekday = _WEEKDAYS[language if language in _WEEKDAYS else "zh"][local.weekday()]
    if language == "en":
        return f"{weekday} {local.day} {_MONTHS_EN[local.month - 1]} {local:%H:%M}"
    return f"{local.month}月{local.day}日 周{weekday} {local:%H:%M}"


@functools.cache
def _environment():
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["when"] = format_when
    environment.globals["asset"] = asset_url
    environment.globals["localized"] = localized
    return environment


def render(template: str, language: str, **context: Any) -> str:
    other = next(code for code in LANGUAGES if code != language)
    return (
        _environment()
        .get_template(template)
        .render(
            lang=language,
            other_lang=other,
            t=functools.partial(translate, language=language),
            **context,
        )
    )


def page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    """A page in the request's language; a ``?lang=`` choice is remembered in a cookie for the next pages."""
    language = request_language(request)
    headers = {}
    if query_param(request, "lang") == language:
        headers["Set-Cookie"] = f"lang={language}; Path=/; Max-Age=31536000; SameSite=Lax"
    return html_response(render(template, language, path=request.path, **context), status, headers)


def render_error_page(
    status: int, code: str, message: str, reference: str, language: str, headers: dict[str, str]
) -> Response:
    html = render("error.html", language, path="/", status=status, code=code, message=message, reference=reference)
    return html_response(html, status, headers)


def unit_name(unit: Any, unit_id: str, language: str) -> str:
    """A unit's name in ``language`` (Chinese when it has no English name); its id if the unit is unknown."""
    if unit is None:
        return unit_id
    return unit.name_zh if language == "zh" else (unit.name_en or unit.name_zh)


def unit_names(store: Any, language: str) -> dict[str, str]:
    """Every unit's name in ``language`` by id (two reads: the school union and its sub-unions)."""
    return {unit.unit_id: unit_name(unit, unit.unit_id, language) for unit in store.units.whole_union()}


class Pages(PageRoutes):
    """Page routes, with the request helpers every page module uses."""

    def language(self) -> str:
        return request_language(self.current_request)

    def query(self, name: str) -> str | None:
        """A query parameter, stripped; None when absent or blank."""
        value = (query_param(self.current_request, name) or "").strip()
        return value or None

    def show(self, template: str, principal: Any, status: int = 200, **context: Any) -> Response:
        return page(self.current_request, template, status, principal=principal, **context)
