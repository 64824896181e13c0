"""Thin routing: route groups whose views parse input with pydantic and are registered from a table.

``ApiRoutes.route`` registers a JSON view: the request's query string and body are parsed with the pydantic
models the route declares, the view is called with them, and the pydantic model it returns is serialised. The
declaration is kept as an ``Operation`` so that the OpenAPI document is generated from the routes themselves.
``PageRoutes.route`` does the same for server-rendered HTML views.

Both guard their views: every failure is wrapped in ``ViewFailure`` (see chalicelib.http.lazy), so that the
single error middleware (``chalicelib.http.middleware``) decides every error response. Neither registers
anything with Chalice: ``app.py`` registers the generated route table (chalicelib.http.lazy), and this module
is imported with the first route module a request needs.
"""

from __future__ import annotations

import functools
import inspect
import json
import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from chalice import Response
from chalice.app import Request
from pydantic import BaseModel, ValidationError

from chalicelib.domain.access import Access
from chalicelib.errors import InvalidInput
from chalicelib.http.auth import admit
from chalicelib.http.context import body_bytes
from chalicelib.http.edge import (
    check_body_size,
    check_path_params,
    check_route_path,
    check_same_origin,
    load_json,
)
from chalicelib.http.lazy import RouteEntry, ViewFailure, current_request

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
HTML_CONTENT_TYPE = "text/html; charset=utf-8"
_PATH_PARAM = re.compile(r"{(\w+)}")
IDEMPOTENCY_HEADER = "idempotency-key"
IDEMPOTENT_METHODS = ("POST", "PUT")
PAGE_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "application/json")


class Operation(NamedTuple):
    method: str
    path: str  # relative to the group's prefix (/api)
    name: str
    summary: str
    description: str
    tag: str
    access: Access
    query_model: type[BaseModel] | None
    body_model: type[BaseModel] | None
    response_model: type[BaseModel] | None
    status: int
    error_statuses: tuple[int, ...]

    @property
    def path_params(self) -> list[str]:
        return _PATH_PARAM.findall(self.path)


def json_response(
    payload: BaseModel | dict[str, Any], status: int = 200, headers: Mapping[str, str | list[str]] | None = None
) -> Response:
    body = payload.model_dump_json() if isinstance(payload, BaseModel) else json.dumps(payload, ensure_ascii=False)
    return Response(body=body, status_code=status, headers={"Content-Type": JSON_CONTENT_TYPE, **(headers or {})})


def html_response(html: str, status: int = 200, headers: Mapping[str, str | list[str]] | None = None) -> Response:
    return Response(body=html, status_code=status, headers={"Content-Type": HTML_CONTENT_TYPE, **(headers or {})})


def _guarded(view: Callable[..., Response]) -> Callable[..., Response]:
    @functools.wraps(view)
    def guarded(**path_params: str) -> Response:
        try:
            return view(**path_params)
        except Exception as exc:
            raise ViewFailure(exc) from exc

    return guarded


def _wants_principal(view: Callable[..., Any]) -> bool:
    return "principal" in inspect.signature(view).parameters


def _parse(model: type[BaseModel], data: Any) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(exc.errors(include_url=False)) from exc


def parse_json_body(request: Request, model: type[BaseModel]) -> BaseModel:
    """The body checked with ``model``; no body at all is ``{}``. Too deep, duplicate keys, malformed: 400."""
    raw = body_bytes(request)
    return _parse(model, load_json(raw) if raw.strip() else {})


def parse_query(request: Request, model: type[BaseModel]) -> BaseModel:
    return _parse(model, dict(request.query_params or {}))


def check_at_the_edge(request: Request, path_params: dict[str, str]) -> None:
    """What every route checks before the caller is identified or anything is read (chalicelib.http.edge):
    path ids (404), same origin for cookie-authenticated unsafe requests (403), body size (413)."""
    check_path_params(path_params)
    check_same_origin(request)
    check_body_size(request)


class _RouteGroup:
    """Views of one route module, by (method, path), and the table entries that register them (chalicelib.http.lazy)."""

    def __init__(self, import_name: str) -> None:
        self.import_name = import_name
        self.handlers: dict[tuple[str, str], Callable[..., Response]] = {}
        self._entries: list[tuple[str, str, str, tuple[str, ...]]] = []

    @property
    def current_request(self) -> Request:
        return current_request.get()

    def _add(self, method: str, path: str, name: str, content_types: tuple[str, ...], handler) -> None:
        check_route_path(path)
        self.handlers[(method, path)] = _guarded(handler)
        self._entries.append((method, path, name, content_types))

    def table_entries(self, prefix: str) -> list[RouteEntry]:
        return [
            RouteEntry(self.import_name, prefix, method, path, name, content_types)
            for method, path, name, content_types in self._entries
        ]


class ApiRoutes(_RouteGroup):
    """JSON routes, registered under ``/api``, with the metadata OpenAPI needs."""

    def __init__(self, import_name: str, tag: str) -> None:
        super().__init__(import_name)
        self.tag = tag
        self.operations: list[Operation] = []

    def route(
        self,
        path: str,
        method: str = "GET",
        *,
        access: Access,
        summary: str,
        response: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        body: type[BaseModel] | None = None,
        content_types: tuple[str, ...] = ("application/json",),
        status: int = 200,
        errors: tuple[int, ...] = (),
        key_in_write: bool = False,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register a JSON view. ``access`` is required: a route that does not say who may call it cannot exist.
        ``key_in_write``: the view writes the request's Idempotency-Key in its own transaction
        (chalicelib.http.idempotency ``answer_in_write``)."""
        gate_errors = () if access is Access.PUBLIC else (401, 403)
        # chalicelib.http.edge: an id that cannot exist (404), a cross-site cookie request (403), a body too large
        edge_errors = (
            *((404,) if _PATH_PARAM.search(path) else ()),
            *((403,) if method in ("POST", "PUT", "PATCH", "DELETE") else ()),
            *((413,) if body is not None or tuple(content_types) != ("application/json",) else ()),
        )

        def register(view: Callable[..., Any]) -> Callable[..., Any]:
            pass_principal = _wants_principal(view)
            self.operations.append(
                Operation(
                    method=method,
                    path=path,
                    name=view.__name__,
                    summary=summary,
                    description=(view.__doc__ or "").strip(),
                    tag=self.tag,
                    access=access,
                    query_model=query,
                    body_model=body,
                    response_model=response,
                    status=status,
                    error_statuses=tuple(
                        sorted({*errors, *gate_errors, *edge_errors, *((400,) if query or body else ()), 500})
                    ),
                )
            )

            def handle(**path_params: str) -> Response:
                request = self.current_request
                check_at_the_edge(request, path_params)
                arguments: dict[str, Any] = dict(path_params)
                principal = admit(request, access)
                if pass_principal:
                    arguments["principal"] = principal
                if query is not None:
                    arguments["query"] = parse_query(request, query)

                def run() -> Response:
                    if body is not None:
                        arguments["body"] = parse_json_body(request, body)
                    result = view(**arguments)
                    return result if isinstance(result, Response) else json_response(result, status)

                key = request.headers.get(IDEMPOTENCY_HEADER)
                if key is not None and method in IDEMPOTENT_METHODS and principal.signed_in:
                    from chalicelib.http.idempotency import once  # storage is loaded by the first such request

                    return once(request, principal, key, run, status if key_in_write else None)
                return run()

            self._add(method, path, view.__name__, tuple(content_types), handle)
            return view

        return register

    def sharing(self, **shared: Any) -> Callable[..., Callable[[Callable[..., Any]], Callable[..., Any]]]:
        """``route`` with what a group of routes shares declared once (a path, ``method``, ``access``, ``response``,
        ``errors`` …); each route of the group then declares only what is its own."""
        return functools.partial(self.route, **shared)


class PageRoutes(_RouteGroup):
    """Server-rendered pages. Views return HTML text or a full ``Response``."""

    def route(
        self, path: str, methods: tuple[str, ...] = ("GET",), *, access: Access
    ) -> Callable[[Callable[..., Any]], Any]:
        """Register a page. Anonymous visitors of a page that needs sign-in are sent to the sign-in page."""

        def register(view: Callable[..., Any]) -> Callable[..., Any]:
            pass_principal = _wants_principal(view)

            def handle(**path_params: str) -> Response:
                check_at_the_edge(self.current_request, path_params)
                principal = admit(self.current_request, access)
                arguments: dict[str, Any] = dict(path_params)
                if pass_principal:
                    arguments["principal"] = principal
                result = view(**arguments)
                return result if isinstance(result, Response) else html_response(result)

            for method in methods:
                self._add(method, path, view.__name__, PAGE_CONTENT_TYPES, handle)
            return view

        return register
