"""Response shapes shared by every route (the error envelope), as pydantic models so OpenAPI shows them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class FieldProblem(BaseModel):
    field: str = Field(description="Dotted path of the offending input, e.g. 'body.capacity'.")
    problem: str = Field(description="Machine-readable problem type, e.g. 'missing'.")
    message: str = Field(description="The problem in the request's language.")


class ErrorObject(BaseModel):
    code: str = Field(description="Stable machine-readable error code, e.g. 'not_found'.")
    message: str = Field(description="Human-readable message in the request's language (zh or en).")
    details: Any = Field(default=None, description="Per-field problems for validation errors, else extra facts.")
    request_id: str = Field(description="Quote this when reporting a problem.")


class ErrorResponse(BaseModel):
    error: ErrorObject
