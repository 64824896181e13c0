"""Routes registered from a table; each route module is imported on its group's first request.

Chalice must know every route when ``app.py`` is imported, but it does not need the code behind them. The route
table (``chalicelib/route_table.py``, generated from the route modules by ``python -m devtools.route_table`` and
checked by ``make test``) names each route's module; the module (its pydantic models, services, storage) is
imported when one of its routes is first called. A Lambda cold start then pays only for what its request uses.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from types import ModuleType
from typing import Any, NamedTuple

from chalice import Chalice, ChaliceUnhandledError

from chalicelib.loading import loading_code

# The request being handled, for route modules (set around each call; chalice local serves threads).
current_request: ContextVar[Any] = ContextVar("current_request")


class ViewFailure(ChaliceUnhandledError):
    """Carries any exception raised by a view past Chalice to the error middleware.

    Chalice turns any other exception raised in a view into its own 500 response before middleware can see it.
    """

    def __init__(self, original: BaseException) -> None:
        super().__init__(repr(original))
        self.original = original


class RouteEntry(NamedTuple):
    module: str  # the module whose ``routes`` group implements the route
    prefix: str  # "/api" for JSON routes, "" for pages
    method: str
    route: str  # path within the group, e.g. "/events/{event_id}"
    view: str
    content_types: tuple[str, ...]

    @property
    def path(self) -> str:
        return self.prefix + self.route


# Route modules by name, once imported: the first request of a group loads its code (``loading_code``), the
# others find it here.
_loaded: dict[str, ModuleType] = {}


def route_module(name: str) -> ModuleType:
    """The route module ``name``, imported by its group's first request with the collector off."""
    module = _loaded.get(name)
    if module is None:
        with loading_code():
            module = importlib.import_module(name)
        _loaded[name] = module
    return module


def _returning(handler: Callable[..., Any]) -> Callable[[], Callable[..., Any]]:
    return lambda: handler


def _register(app: Chalice, entry: RouteEntry, handler_for: Callable[[], Callable[..., Any]]) -> None:
    def dispatch(**path_params: str) -> Any:
        token = current_request.set(app.current_request)
        try:
            return handler_for()(**path_params)
        finally:
            current_request.reset(token)

    name = f"{entry.module.rsplit('.', 1)[-1]}_{entry.view}_{entry.method.lower()}"
    app.route(entry.path, methods=[entry.method], name=name, content_types=list(entry.content_types))(dispatch)


def register_table(app: Chalice, entries: Iterable[RouteEntry]) -> None:
    """Register every route of the table; a route's module is imported on its first call."""
    for entry in entries:
        key = (entry.method, entry.route)

        def handler_for(module: str = entry.module, key: tuple[str, str] = key) -> Callable[..., Any]:
            return route_module(module).routes.handlers[key]

        _register(app, entry, handler_for)


def register_groups(app: Chalice, groups: Iterable[Any], prefix: str = "") -> None:
    """Register route groups that are already imported (small apps in tests)."""
    for group in groups:
        for entry in group.table_entries(prefix):
            handler = group.handlers[(entry.method, entry.route)]
            _register(app, entry, _returning(handler))
