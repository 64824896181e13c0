"""What the OpenAPI document says about request bodies: a file route documents its file types, and every route
that reads a body documents the 415 that Chalice answers for any other Content-Type (found by devtools/fuzz.py)."""

from pydantic import BaseModel

from chalicelib.domain.access import Access
from chalicelib.http.openapi import build_openapi
from chalicelib.http.routing import ApiRoutes


class Report(BaseModel):
    rows: int


class Change(BaseModel):
    name: str


def _routes() -> ApiRoutes:
    routes = ApiRoutes("sample", tag="files")

    @routes.route(
        "/imports",
        "POST",
        access=Access.UNIT_ADMIN,
        summary="Import a file",
        content_types=("text/csv", "application/octet-stream"),
        response=Report,
    )
    def import_file():
        raise AssertionError("not called")

    @routes.route("/things", "POST", access=Access.MEMBER, summary="Change", body=Change, response=Report)
    def change(body):
        raise AssertionError("not called")

    @routes.route("/things", access=Access.PUBLIC, summary="List", response=Report)
    def listing():
        raise AssertionError("not called")

    return routes


def test_a_file_route_documents_its_file_types_and_415():
    doc = build_openapi([_routes()], "/api", title="t", version="1")
    upload = doc["paths"]["/api/imports"]["post"]
    assert upload["requestBody"] == {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string", "format": "binary"}},
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        },
    }
    assert "415" in upload["responses"]


def test_json_body_routes_document_415_and_routes_without_a_body_do_not():
    doc = build_openapi([_routes()], "/api", title="t", version="1")
    assert "415" in doc["paths"]["/api/things"]["post"]["responses"]
    assert "415" not in doc["paths"]["/api/things"]["get"]["responses"]
    assert "requestBody" not in doc["paths"]["/api/things"]["get"]


def test_document_with_a_file_route_is_valid_openapi_3_1():
    from openapi_spec_validator import validate

    validate(build_openapi([_routes()], "/api", title="t", version="1"))
