"""Service routes: health and the API's own description."""

import functools
from typing import Any, Literal

from pydantic import Field

from chalicelib.domain.access import Access
from chalicelib.http.routing import ApiRoutes, json_response
from chalicelib.http.schemas import ApiModel
from chalicelib.settings import get_settings
from chalicelib.storage import get_store

API_VERSION = "0.1.0"

routes = ApiRoutes(__name__, tag="system")


class DatabaseHealth(ApiModel):
    ok: bool
    latency_ms: dict[str, float] = Field(description="Time to read one item from each table, in milliseconds.")


class HealthResponse(ApiModel):
    status: Literal["ok"]
    stage: str
    version: str
    dynamodb: DatabaseHealth


@routes.route(
    "/health",
    access=Access.PUBLIC,
    summary="Check that the service and DynamoDB answer",
    response=HealthResponse,
    errors=(503,),
)
def health() -> HealthResponse:
    """Reads one item from every table; answers 503 ``dependency_unavailable`` if DynamoDB does not answer."""
    latency = get_store().ping()
    return HealthResponse(
        status="ok",
        stage=get_settings().stage,
        version=API_VERSION,
        dynamodb=DatabaseHealth(ok=True, latency_ms=latency),
    )


@functools.cache
def openapi_document() -> dict[str, Any]:
    from chalicelib.api import API_PREFIX, api_route_groups
    from chalicelib.http.openapi import build_openapi

    return build_openapi(api_route_groups(), API_PREFIX, title="union-events API", version=API_VERSION)


@routes.route("/openapi.json", access=Access.PUBLIC, summary="This API described as OpenAPI 3.1")
def openapi():
    return json_response(openapi_document())
