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
from chalicelib.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from chalicelib.web.assets import asset_url

_TEMPLATES = Path(__file__).parent / "templates"
# CLDR patterns (Babel) for a start time: the locale supplies the weekday and month names.
_WHEN_PATTERNS = {"zh": ("zh_Hans_CN", "M月d日 EEE HH:mm"), "en": ("en", "EEE d MMM HH:mm")}


def format_when(moment: datetime, language: str) -> str:
    """A start time as people read it in China time: ``11月28日 周六 14:00`` / ``Sat 28 Nov 14:00``."""
    from babel.dates import format_datetime  # Babel loads on the first page that shows a time, not at import

    locale, pattern = _WHEN_PATTERNS.get(language, _WHEN_PATTERNS["zh"])
    return format_datetime(moment, pattern, tzinfo=CHINA_TZ, locale=locale)


def _gettext_callables() -> dict[str, Any]:
    """``_()``/``gettext()`` and ``{% trans %}`` (jinja2.ext.i18n) in the page's language, like ``t()``: a message id
    and str.format parameters (``_('events.count', count=n)``)."""
    import jinja2

    @jinja2.pass_context
    def gettext(context: Any, key: str, **params: object) -> str:
        return translate(key, context.get("lang", DEFAULT_LANGUAGE), **params)

    @jinja2.pass_context
    def ngettext(context: Any, singular: str, plural: str, count: int, **params: object) -> str:
        params.setdefault("num", count)
        return translate(singular if count == 1 else plural, context.get("lang", DEFAULT_LANGUAGE), **params)

    return {"gettext": gettext, "ngettext": ngettext}


@functools.cache
def _environment():
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # Old-style callables: the message ids' placeholders are str.format ones, which translate fills in.
    environment.install_gettext_callables(**_gettext_callables(), newstyle=False)
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
    principal = context.get("principal")
    if principal is not None and getattr(principal, "signed_in", False):
        context.setdefault("unread_badge", functools.partial(_unread_badge, principal))
    return html_response(render(template, language, path=request.path, **context), status, headers)


def _unread_badge(principal: Any) -> str | None:
    """The navigation's unread count ("3", "99+" or None), read only when a page's navigation shows it."""
    from chalicelib.services.notify_views import unread_badge
    from chalicelib.storage import get_store

    return unread_badge(get_store(), principal)


def render_error_page(
    status: int, code: str, message: str, reference: str, language: str, headers: dict[str, str]
) -> Response:
    html = render("error.html", language, path="/", status=status, code=code, message=message, reference=reference)
    return html_response(html, status, headers)


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

    def show_event(self, template: str, principal: Any, event: Any, status: int = 200, **context: Any) -> Response:
        """A page about one event: the template gets ``event`` and its ``title`` in the page's language."""
        title = localized(event, "title", self.language())
        return self.show(template, principal, status, event=event, title=title, **context)
