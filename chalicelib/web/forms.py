"""Form posts on pages: reading urlencoded bodies, and problems shown next to fields.

Every form post has passed the same-origin check before its view runs (chalicelib.http.edge, for every route)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from chalice import Response
from chalice.app import Request
from pydantic import BaseModel, ValidationError

from chalicelib.errors import BadRequest, InvalidInput
from chalicelib.http.context import body_bytes

MAX_FORM_FIELDS = 100


def read_form_lists(request: Request, max_fields: int = MAX_FORM_FIELDS) -> dict[str, list[str]]:
    """Every value of every field of a posted form (checkboxes and multi-selects send one name several times)."""
    try:
        text = body_bytes(request).decode("utf-8")
        return parse_qs(text, keep_blank_values=True, max_num_fields=max_fields)
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadRequest() from exc


def read_form(request: Request) -> dict[str, str]:
    """The fields of a posted form (the first value of each)."""
    return {name: values[0] for name, values in read_form_lists(request).items()}


def field_problems(error: ValidationError | InvalidInput, language: str) -> dict[str, str]:
    """Field name → the first problem with it, in ``language`` (the same wording the API uses)."""
    from chalicelib.http.middleware import field_problems

    invalid = error if isinstance(error, InvalidInput) else InvalidInput(error.errors(include_url=False))
    problems: dict[str, str] = {}
    for problem in field_problems(invalid, language):
        problems.setdefault(problem.field.split(".")[0] or "form", problem.message)
    return problems


def local_target(target: str | None, default: str) -> str:
    """``target`` if it is a path on this site; anything else (``//evil.example``, ``https://...``) gives
    ``default``, so that the sign-in page cannot be used to send people elsewhere."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith(("//", "/\\"))
        or any(ord(char) < 0x20 or char == "\x7f" for char in target)
    ):
        return default
    return target


def redirect(location: str, cookie: str | None = None) -> Response:
    """303 See Other: after a form post, the browser fetches ``location`` with GET."""
    headers: dict[str, str | list[str]] = {"Location": location}
    if cookie is not None:
        headers["Set-Cookie"] = cookie
    return Response(body="", status_code=303, headers=headers)


def validated[M: BaseModel](model: type[M], data: dict[str, Any]) -> M:
    """``data`` checked with an API model; problems become the same InvalidInput the API would answer."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(error.errors(include_url=False)) from error


def first_value(fields: dict[str, list[str]], name: str) -> str:
    """The first value posted for ``name``, stripped ("" when absent)."""
    values = fields.get(name)
    return values[0].strip() if values else ""
