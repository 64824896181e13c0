"""The real app through Chalice's test client, against the tests' DynamoDB Local."""

from chalicelib.storage.binding import bind_tables
from chalicelib.storage.tables import TABLES


def test_health_checks_dynamodb(client):
    response = client.http.get("/api/health")
    assert response.status_code == 200
    body = response.json_body
    assert body["status"] == "ok" and body["stage"] == "test"
    assert set(body["dynamodb"]["latency_ms"]) == {model.short_name for model in TABLES}


def test_health_is_503_when_dynamodb_does_not_answer(client, dynamodb, unused_port):
    bind_tables(dynamodb.model_copy(update={"dynamodb_endpoint": f"http://127.0.0.1:{unused_port}"}))
    try:
        response = client.http.get("/api/health", headers={"Accept-Language": "en"})
    finally:
        bind_tables(dynamodb)
    assert response.status_code == 503
    assert response.json_body["error"]["code"] == "dependency_unavailable"
    assert "temporarily unavailable" in response.json_body["error"]["message"]


def test_openapi_document_is_valid_and_lists_the_routes(client):
    from openapi_spec_validator import validate

    response = client.http.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json_body
    validate(document)
    assert "/api/health" in document["paths"]
    assert document["paths"]["/api/health"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/HealthResponse"
    }


def test_api_docs_page_renders_without_external_assets(client):
    response = client.http.get("/api/docs")
    assert response.status_code == 200
    text = response.body.decode()
    assert "GET /api/health" in text and "/api/openapi.json" in text
    assert "<code>text/csv</code>" in text  # the roster import's body is a file, not JSON
    assert "http://" not in text and "https://" not in text
