"""The typed errors of the application and their HTTP statuses.

Domain and storage code raise these (no web framework involved); ``chalicelib.http.middleware`` turns any of them,
pydantic validation errors and unexpected exceptions into ``{"error": {"code", "message", "details"}}`` or a
friendly page, in one place. Messages are looked up by code in ``chalicelib.i18n`` at response time, when the
request's language is known.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar


class AppError(Exception):
    status: ClassVar[int] = 400
    default_code: ClassVar[str] = "bad_request"

    def __init__(self, code: str | None = None, *, details: Any = None, **params: object) -> None:
        self.code = code or self.default_code
        self.details = details
        self.params = params
        super().__init__(self.code)


class BadRequest(AppError):
    status = 400
    default_code = "bad_request"


class Unauthenticated(AppError):
    status = 401
    default_code = "unauthenticated"


class Forbidden(AppError):
    status = 403
    default_code = "forbidden"


class NotFound(AppError):
    status = 404
    default_code = "not_found"


class MethodNotAllowed(AppError):
    status = 405
    default_code = "method_not_allowed"


class NotAcceptable(AppError):
    status = 406
    default_code = "not_acceptable"


class Conflict(AppError):
    status = 409
    default_code = "conflict"


class Unprocessable(AppError):
    status = 422
    default_code = "unprocessable"


class UnsupportedMediaType(AppError):
    status = 415
    default_code = "unsupported_media_type"


class RateLimited(AppError):
    status = 429
    default_code = "rate_limited"


class DependencyUnavailable(AppError):
    """A backing service (DynamoDB) did not answer; the request may be retried."""

    status = 503
    default_code = "dependency_unavailable"


class InvalidInput(BadRequest):
    """Request input that failed validation. ``problems`` are pydantic's error dicts, localised at response time."""

    default_code = "validation_failed"

    def __init__(self, problems: Sequence[Mapping[str, Any]]) -> None:
        super().__init__()
        self.problems = problems
