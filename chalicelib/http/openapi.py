"""The OpenAPI 3.1 document, generated from the declared routes and their pydantic models."""

from __future__ import annotations

from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from chalicelib.http.edge import PATH_IDS
from chalicelib.http.routing import ApiRoutes, Operation
from chalicelib.http.schemas import ErrorResponse

_REF = "#/components/schemas/{model}"

# (model, mode) → its JSON Schema reference, as pydantic.json_schema.models_json_schema answers.
_Refs = dict[tuple[Any, JsonSchemaMode], Any]


def _content(model: type[BaseModel], refs: _Refs, mode: JsonSchemaMode) -> dict[str, Any]:
    return {"application/json": {"schema": refs[(model, mode)]}}


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(ref_template=_REF)
    required = set(schema.get("required", ()))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            "description": prop.get("description", ""),
            "schema": {k: v for k, v in prop.items() if k not in ("description", "title")},
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def _operation(op: Operation, refs: _Refs, content_types: tuple[str, ...]) -> dict[str, Any]:
    parameters = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "description": PATH_IDS[name].description,
            "schema": {"type": "string", "pattern": PATH_IDS[name].pattern, "maxLength": PATH_IDS[name].max_length},
        }
        for name in op.path_params
    ]
    if op.query_model is not None:
        parameters += _query_parameters(op.query_model)
    parameters.append(
        {
            "name": "lang",
            "in": "query",
            "required": False,
            "description": "Language of messages (default: Accept-Language, then zh).",
            "schema": {"type": "string", "enum": ["zh", "en"]},
        }
    )
    success: dict[str, Any] = {"description": HTTPStatus(op.status).phrase}
    if op.response_model is not None:
        success["content"] = _content(op.response_model, refs, "serialization")
    responses = {str(op.status): success}
    # A route that reads a body answers 415 to any other Content-Type (Chalice checks it before the view runs).
    takes_file = content_types != ("application/json",) and op.body_model is None
    for status in sorted({*op.error_statuses, *((415,) if op.body_model is not None or takes_file else ())}):
        responses[str(status)] = {
            "description": HTTPStatus(status).phrase,
            "content": _content(ErrorResponse, refs, "serialization"),
        }
    document: dict[str, Any] = {
        "operationId": op.name,
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": parameters,
        "responses": responses,
    }
    if op.description:
        document["description"] = op.description
    if op.body_model is not None:
        document["requestBody"] = {"required": True, "content": _content(op.body_model, refs, "validation")}
    elif takes_file:  # the file itself is the body (e.g. a roster in CSV or XLSX)
        file = {"schema": {"type": "string", "format": "binary"}}
        document["requestBody"] = {"required": True, "content": {content_type: file for content_type in content_types}}
    return document


def build_openapi(route_groups: Iterable[ApiRoutes], prefix: str, title: str, version: str) -> dict[str, Any]:
    groups = list(route_groups)
    operations = [op for group in groups for op in group.operations]
    wanted: list[tuple[type[BaseModel], JsonSchemaMode]] = [(ErrorResponse, "serialization")]
    for op in operations:
        if op.response_model is not None:
            wanted.append((op.response_model, "serialization"))
        if op.body_model is not None:
            wanted.append((op.body_model, "validation"))
        if op.query_model is not None:  # its parameters may refer to its enums (the archive's status)
            wanted.append((op.query_model, "validation"))
    unique = list(dict.fromkeys(wanted))
    refs, definitions = models_json_schema(unique, ref_template=_REF)
    content_types = {(e.method, e.route): e.content_types for group in groups for e in group.table_entries(prefix)}
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        full_path = prefix + op.path
        types = content_types.get((op.method, op.path), ("application/json",))
        paths.setdefault(full_path, {})[op.method.lower()] = _operation(op, refs, types)
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        # Route modules may share a tag (the check-in API is two modules): each tag once, in order.
        "tags": [{"name": tag} for tag in dict.fromkeys(group.tag for group in groups)],
        "paths": paths,
        "components": {"schemas": definitions.get("$defs", {})},
    }
