"""The error middleware, exercised through Chalice's test client on a small app built from the real parts."""

import json

import pytest
from chalice import Chalice
from chalice.test import Client
from pydantic import BaseModel, Field

from chalicelib.domain.access import Access
from chalicelib.errors import Conflict, NotFound
from chalicelib.http.lazy import register_groups
from chalicelib.http.middleware import handle_errors
from chalicelib.http.routing import ApiRoutes, PageRoutes


class Booking(BaseModel):
    name: str = Field(min_length=2)
    seats: int = Field(ge=1, le=4)


def _app() -> Chalice:
    routes = ApiRoutes(__name__, tag="test")
    pages = PageRoutes(__name__)

    @routes.route("/bookings", "POST", access=Access.PUBLIC, summary="book", body=Booking, status=201)
    def book(body):
        if body.name == "taken":
            raise Conflict("conflict")
        return body

    @routes.route("/things/{event_id}", access=Access.PUBLIC, summary="get")
    def thing(event_id):
        raise NotFound()

    @routes.route("/boom", access=Access.PUBLIC, summary="fail")
    def boom():
        raise RuntimeError("secret internal detail")

    @pages.route("/page-boom", access=Access.PUBLIC)
    def page_boom():
        raise RuntimeError("secret internal detail")

    app = Chalice(app_name="errors-test")
    app.register_middleware(handle_errors, "http")
    register_groups(app, [routes], "/api")
    register_groups(app, [pages])
    return app


@pytest.fixture(scope="module")
def client():
    with Client(_app()) as test_client:
        yield test_client


def _header(response, name):
    return {key.lower(): value for key, value in response.headers.items()}[name.lower()]


def _post(client, path, body, **headers):
    return client.http.post(
        path, headers={"Content-Type": "application/json", **headers}, body=json.dumps(body).encode()
    )


def test_valid_body_is_parsed_and_returned_with_status(client):
    response = _post(client, "/api/bookings", {"name": "王芳", "seats": 2})
    assert response.status_code == 201
    assert response.json_body == {"name": "王芳", "seats": 2}
    assert "王芳".encode() in response.body  # UTF-8, not \\u escapes


def test_validation_errors_are_400_with_per_field_details_in_chinese(client):
    response = _post(client, "/api/bookings", {"name": "x", "seats": 9, "extra": 1})
    assert response.status_code == 400
    error = response.json_body["error"]
    assert error["code"] == "validation_failed"
    assert error["message"] == "提交的内容有误，请检查后重试。"
    fields = {d["field"]: d for d in error["details"]}
    assert fields["name"]["problem"] == "string_too_short"
    assert fields["name"]["message"] == "至少 2 个字符"
    assert fields["seats"]["message"] == "不能大于 4"
    assert error["request_id"] == _header(response, "X-Request-Id")


def test_validation_errors_in_english_on_request(client):
    response = _post(client, "/api/bookings?lang=en", {"seats": 1})
    error = response.json_body["error"]
    assert error["message"] == "Some of the input is invalid."
    assert error["details"] == [{"field": "name", "problem": "missing", "message": "This field is required"}]


def test_malformed_json_is_a_clear_400(client):
    response = client.http.post(
        "/api/bookings",
        headers={"Content-Type": "application/json", "Accept-Language": "en"},
        body=b"{not json",
    )
    assert response.status_code == 400
    assert response.json_body["error"]["code"] == "invalid_json"


def test_typed_errors_map_to_their_status(client):
    assert _post(client, "/api/bookings", {"name": "taken", "seats": 1}).status_code == 409
    response = client.http.get("/api/things/42")
    assert response.status_code == 404
    assert response.json_body["error"]["code"] == "not_found"


def test_unexpected_exception_is_500_with_request_id_and_no_internals(client):
    response = client.http.get("/api/boom", headers={"Accept-Language": "en"})
    assert response.status_code == 500
    error = response.json_body["error"]
    assert error["code"] == "internal_error"
    assert error["request_id"] in error["message"]
    assert b"secret internal detail" not in response.body
    assert b"Traceback" not in response.body


def test_unexpected_exception_on_a_page_is_a_friendly_html_page(client):
    response = client.http.get("/page-boom")
    assert response.status_code == 500
    assert _header(response, "Content-Type").startswith("text/html")
    text = response.body.decode()
    assert "出错了" in text and "返回首页" in text
    assert "secret internal detail" not in text


def test_framework_errors_are_restated_in_the_envelope(client):
    response = client.http.delete("/api/bookings")
    assert response.status_code == 405
    assert response.json_body["error"]["code"] == "method_not_allowed"
    assert _header(response, "Allow") == "POST"
    response = client.http.post("/api/bookings", headers={"Content-Type": "text/plain"}, body=b"x")
    assert response.status_code == 415
    assert response.json_body["error"]["code"] == "unsupported_media_type"
