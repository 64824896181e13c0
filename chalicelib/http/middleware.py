"""The one place where failures become responses, and where every request is logged.

JSON routes (under /api/) answer ``{"error": {"code", "message", "details", "request_id"}}``; pages answer a
friendly HTML page. Messages follow the request's language.
"""

from __future__ import annotations

import logging
import sys
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from chalice import Response
from chalice.app import Request

from chalicelib.errors import (
    AppError,
    DependencyUnavailable,
    InvalidInput,
    MethodNotAllowed,
    NotAcceptable,
    NotFound,
    Unauthenticated,
    UnsupportedMediaType,
)
from chalicelib.http.context import API_PREFIX, actual_path, is_api_request, request_id, request_language
from chalicelib.http.headers import secure
from chalicelib.http.lazy import ViewFailure
from chalicelib.i18n import N_, negotiate_language, translate
from chalicelib.observability import log
from chalicelib.settings import get_settings

if TYPE_CHECKING:
    from chalicelib.http.schemas import FieldProblem


def field_problems(error: InvalidInput, language: str) -> list[FieldProblem]:
    from chalicelib.http.field_messages import FIELD_MESSAGES
    from chalicelib.http.schemas import FieldProblem  # pydantic models load only when an error is shown

    problems = []
    for problem in error.problems:
        kind = problem.get("type", "value_error")
        context = {key: value for key, value in (problem.get("ctx") or {}).items()}
        key = FIELD_MESSAGES.get(kind)
        message = translate(key, language, **context) if key else problem.get("msg", kind)
        location = ".".join(str(part) for part in problem.get("loc", ()))
        where = _score_place(context, language)
        problems.append(FieldProblem(field=location, problem=kind, message=_placed(message, where, language), **where))
    return problems


def _score_place(context: dict[str, Any], language: str) -> dict[str, Any]:
    """Where a score problem is (chalicelib.services.competition.score_problem): the rubber (its code, number and
    name in ``language``) and the game (its number and score); empty for any other problem."""
    where = {name: context.get(name) for name in ("rubber", "rubber_number", "game", "score")}
    if isinstance(context.get("rubber_name"), str):
        where["rubber_name"] = translate(context["rubber_name"], language, **context.get("rubber_name_params", {}))
    return {name: value for name, value in where.items() if value is not None}


def _placed(message: str, where: dict[str, Any], language: str) -> str:
    """A score problem's message that says which rubber and game it is about."""
    if where.get("rubber_name") and where.get("score"):
        return translate(N_("field.where.rubber_game"), language, problem=message, **where)
    if where.get("rubber_name"):
        return translate(N_("field.where.rubber"), language, problem=message, **where)
    if where.get("game") and where.get("score"):
        return translate(N_("field.where.game"), language, problem=message, **where)
    return message


def _sign_in_path(request: Request) -> str:
    from chalicelib.domain.wecom import inside_wecom

    if get_settings().wecom is not None and inside_wecom(request.headers.get("user-agent")):
        return "/signin/wecom"
    return "/signin"


def error_response(error: BaseException, request: Request) -> Response:
    """The response for any failure of a request, in the request's language and format."""
    if isinstance(error, Unauthenticated) and not is_api_request(request):
        # A person on a page is better served by the sign-in form than by an error page; inside 企业微信, when the
        # deployment has it, by WeCom's silent sign-in (chalicelib.web.wecom_pages).
        return Response(
            body="",
            status_code=303,
            headers={"Location": f"{_sign_in_path(request)}?next={quote(actual_path(request))}"},
        )
    return _render(
        error,
        language=request_language(request),
        reference=request_id(request),
        api=is_api_request(request),
        request=request,
    )


def unknown_route_response(path: str, query_lang: str | None, cookie_lang: str | None, accept_language: str | None):
    """The 404 for a path no route matches. Such requests never reach the app: the gateway in front of it
    (API Gateway's gateway responses, the local dev server) answers with this."""
    language = negotiate_language(query_lang, cookie_lang, accept_language, get_settings().default_language)
    api = path == API_PREFIX or path.startswith(API_PREFIX + "/")
    response = _render(NotFound(), language=language, reference=uuid.uuid4().hex, api=api, request=None)
    return secure(response, get_settings().stage)


# How long a client should wait before retrying after a 503 (an outage, or losing too many races in a rush).
RETRY_AFTER_SECONDS = 5


def _outage(error: BaseException) -> bool:
    """DynamoDB unreachable, too slow or overloaded (chalicelib.storage.faults); never loads the stack itself."""
    if "botocore" not in sys.modules:
        return False
    from chalicelib.storage.faults import is_outage

    return is_outage(error)


def _render(error: BaseException, *, language: str, reference: str, api: bool, request: Request | None) -> Response:
    headers: dict[str, str] = {}
    if not isinstance(error, AppError) and _outage(error):
        # Expected while the database is down or throttling: a warning with what failed, not a traceback.
        log(
            logging.WARNING,
            "dependency_unavailable",
            request_id=reference,
            path=getattr(request, "path", None),
            method=getattr(request, "method", None),
            error=repr(error),
        )
        error = DependencyUnavailable()
    if isinstance(error, DependencyUnavailable):
        headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    if isinstance(error, AppError):
        status, code = error.status, error.code
        message = translate(code, language, **error.params)
        details: Any = error.details
        if isinstance(error, InvalidInput):
            details = [problem.model_dump(exclude_none=True) for problem in field_problems(error, language)]
        if isinstance(error, MethodNotAllowed) and error.details:
            headers["Allow"] = ", ".join(error.details)
        if isinstance(error.params.get("retry_after"), int):
            headers["Retry-After"] = str(error.params["retry_after"])
    else:
        log(
            logging.ERROR,
            "unhandled_exception",
            exc_info=True,
            request_id=reference,
            path=getattr(request, "path", None),
            method=getattr(request, "method", None),
            error=repr(error),
        )
        status, code, details = 500, N_("internal_error"), None
        message = translate(code, language, request_id=reference)
    if api:
        from chalicelib.http.routing import json_response
        from chalicelib.http.schemas import ErrorObject, ErrorResponse

        envelope = ErrorResponse(error=ErrorObject(code=code, message=message, details=details, request_id=reference))
        return json_response(envelope, status, headers)
    from chalicelib.web.render import render_error_page  # jinja2 is loaded only when a page is rendered

    return render_error_page(status, code, message, reference, language, headers)


# Chalice answers some requests itself (wrong method, wrong content type, binary Accept mismatch) with its own
# body {"Code": ..., "Message": ...}; restate those in our envelope.
def _header(response: Response, name: str) -> str:
    value = response.headers.get(name, "")
    return ", ".join(value) if isinstance(value, list) else value


_FRAMEWORK_ERRORS: dict[str, Callable[[Request, Response], AppError]] = {
    "MethodNotAllowedError": lambda request, response: MethodNotAllowed(
        method=request.method,
        details=[m.strip() for m in _header(response, "Allow").split(",") if m.strip()],
    ),
    "UnsupportedMediaType": lambda request, response: UnsupportedMediaType(
        content_type=request.headers.get("content-type", "")
    ),
    "BadRequest": lambda request, response: NotAcceptable(),
}


def _framework_error(request: Request, response: Response) -> AppError | None:
    if response.status_code < 400 or not isinstance(response.body, dict):
        return None
    make = _FRAMEWORK_ERRORS.get(response.body.get("Code", ""))
    return make(request, response) if make else None


def handle_errors(request: Request, get_response: Callable[[Request], Response]) -> Response:
    started = time.perf_counter()
    reference = request_id(request)
    try:
        response = get_response(request)
        restated = _framework_error(request, response)
        if restated is not None:
            response = error_response(restated, request)
    except ViewFailure as failure:
        response = error_response(failure.original, request)
    response.headers["X-Request-Id"] = reference
    secure(response, get_settings().stage)
    log(
        logging.INFO,
        "request",
        request_id=reference,
        method=request.method,
        path=request.path,
        status=response.status_code,
        ms=round((time.perf_counter() - started) * 1000, 1),
    )
    return response
