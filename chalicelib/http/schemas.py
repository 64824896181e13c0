"""Response shapes shared by every route (the error envelope), as pydantic models so OpenAPI shows them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ApiModel(BaseModel):
    """Base of every request and response model: validators are built on first use, not at import, which keeps
    Lambda cold starts short as the number of routes grows."""

    model_config = ConfigDict(defer_build=True)


class FieldProblem(ApiModel):
    field: str = Field(description="Dotted path of the offending input, e.g. 'body.capacity'.")
    problem: str = Field(description="Machine-readable problem type, e.g. 'missing'.")
    message: str = Field(description="The problem in the request's language.")


class ErrorObject(ApiModel):
    code: str = Field(description="Stable machine-readable error code, e.g. 'not_found'.")
    message: str = Field(description="Human-readable message in the request's language (zh or en).")
    details: Any = Field(default=None, description="Per-field problems for validation errors, else extra facts.")
    request_id: str = Field(description="Quote this when reporting a problem.")


class ErrorResponse(ApiModel):
    error: ErrorObject
