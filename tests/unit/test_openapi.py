from pydantic import BaseModel, Field

from chalicelib.domain.access import Access
from chalicelib.http.edge import PATH_IDS
from chalicelib.http.openapi import build_openapi
from chalicelib.http.routing import ApiRoutes


class Filters(BaseModel):
    kind: str | None = Field(default=None, description="Event kind")
    limit: int = Field(default=20, ge=1, le=100)


class NewThing(BaseModel):
    title: str = Field(min_length=1)
    capacity: int = Field(ge=1)


class Thing(BaseModel):
    thing_id: str
    title: str


def _sample_routes() -> ApiRoutes:
    routes = ApiRoutes("sample", tag="things")

    @routes.route("/things", access=Access.PUBLIC, summary="List things", query=Filters, response=Thing)
    def list_things(query):
        raise AssertionError("not called")

    @routes.route(
        "/things/{event_id}",
        "PUT",
        access=Access.MEMBER,
        summary="Replace a thing",
        body=NewThing,
        response=Thing,
        errors=(404,),
    )
    def put_thing(event_id, body):
        """Replaces the whole thing."""
        raise AssertionError("not called")

    return routes


def test_document_is_generated_from_routes_and_models():
    doc = build_openapi([_sample_routes()], "/api", title="t", version="1")
    assert doc["openapi"] == "3.1.0"
    listing = doc["paths"]["/api/things"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {"kind", "limit", "lang"}
    limit = next(p for p in listing["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 100 and limit["required"] is False
    put = doc["paths"]["/api/things/{event_id}"]["put"]
    assert put["description"] == "Replaces the whole thing."
    assert put["parameters"][0] == {
        "name": "event_id",
        "in": "path",
        "required": True,
        "description": PATH_IDS["event_id"].description,
        "schema": {"type": "string", "pattern": PATH_IDS["event_id"].pattern, "maxLength": 40},
    }
    assert put["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/NewThing"}
    assert set(put["responses"]) == {"200", "400", "401", "403", "404", "413", "415", "500"}
    assert doc["components"]["schemas"]["NewThing"]["required"] == ["title", "capacity"]
    assert "ErrorResponse" in doc["components"]["schemas"]


def test_document_is_valid_openapi_3_1():
    from openapi_spec_validator import validate

    validate(build_openapi([_sample_routes()], "/api", title="t", version="1"))


def test_routes_sharing_a_declaration_are_declared_as_if_each_said_it_all():
    routes = ApiRoutes("shared", tag="things")
    thing_change = routes.sharing(path="/things/{event_id}", access=Access.MEMBER, response=Thing, errors=(404,))

    @thing_change(method="PUT", summary="Replace a thing", body=NewThing, errors=(404, 409))
    def put_thing(event_id, body):
        raise AssertionError("not called")

    @thing_change(method="DELETE", summary="Remove a thing")
    def remove_thing(event_id):
        raise AssertionError("not called")

    declared = [
        (op.method, op.path, op.name, op.access, op.body_model, op.response_model, op.error_statuses)
        for op in routes.operations
    ]
    assert declared == [
        ("PUT", "/things/{event_id}", "put_thing", Access.MEMBER, NewThing, Thing, (400, 401, 403, 404, 409, 413, 500)),
        ("DELETE", "/things/{event_id}", "remove_thing", Access.MEMBER, None, Thing, (401, 403, 404, 500)),
    ]
    assert [(entry.method, entry.route) for entry in routes.table_entries("/api")] == [
        ("PUT", "/things/{event_id}"),
        ("DELETE", "/things/{event_id}"),
    ]
