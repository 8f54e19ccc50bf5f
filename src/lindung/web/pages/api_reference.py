"""The API reference, ``/api/v1/docs``: the OpenAPI schema the application serves drawn as one
page on the server (every operation, its parameters, its answers and their examples), so it
needs no script and nothing from another site. FastAPI's Swagger UI and ReDoc, which load
from a CDN, stay off."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from lindung.jsontypes import JSONObject
from lindung.web.deps import Visitor
from lindung.web.rendering import render

router = APIRouter()

METHODS = ("get", "post", "put", "patch", "delete")


def schema_type(schema: Mapping[str, Any], document: Mapping[str, Any]) -> str:
    """Return a parameter's schema in a few words: ``integer (>= 1900, <= 2100)``, ``array of
    string``, ``one of json, csv``, ``integer or null``; a reference as what it refers to
    when that is a list of values, else by its name."""
    if "$ref" in schema:
        target = _resolved(schema, document)
        if "enum" in target:
            return schema_type(target, document)
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(schema_type(part, document) for part in schema["anyOf"])
    if "enum" in schema:
        return "one of " + ", ".join(str(value) for value in schema["enum"])
    kind = str(schema.get("type", "any"))
    if kind == "array":
        kind = "array of " + schema_type(schema.get("items", {}), document)
    bounds = [
        f"{word} {schema[key]}"
        for key, word in (
            ("minimum", ">="),
            ("exclusiveMinimum", ">"),
            ("maximum", "<="),
            ("exclusiveMaximum", "<"),
            ("maxLength", "length <="),
            ("maxItems", "items <="),
        )
        if key in schema
    ]
    return f"{kind} ({', '.join(bounds)})" if bounds else kind


def _resolved(schema: Mapping[str, Any], document: Mapping[str, Any]) -> Mapping[str, Any]:
    reference = schema.get("$ref")
    if not isinstance(reference, str):
        return schema
    found: Any = document
    for part in reference.removeprefix("#/").split("/"):
        found = found.get(part, {})
    return found if isinstance(found, Mapping) else {}


def _example(content: Mapping[str, Any]) -> str | None:
    if "example" not in content:
        return None
    example = content["example"]
    if isinstance(example, str):
        return example
    return json.dumps(example, indent=2, ensure_ascii=False)


def operations(document: Mapping[str, Any]) -> list[JSONObject]:
    """Return every operation of an OpenAPI ``document`` under ``/api/``, in path order, as the
    page shows it: method, path, summary, description, parameters, request body fields and
    each answer with its media types and examples."""
    found: list[JSONObject] = []
    for path, item in sorted(document.get("paths", {}).items()):
        if not path.startswith("/api/"):
            continue
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {})
            fields = [
                {
                    "name": name,
                    "media_type": media_type,
                    "type": schema_type(field, document),
                    "required": name
                    in _resolved(content.get("schema", {}), document).get("required", []),
                    "description": field.get("description", ""),
                }
                for media_type, content in body.items()
                for name, field in _resolved(content.get("schema", {}), document)
                .get("properties", {})
                .items()
            ]
            found.append(
                {
                    "id": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
                    "method": method.upper(),
                    "path": path,
                    "tag": (operation.get("tags") or ["api"])[0],
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": parameter.get("in", ""),
                            "required": bool(parameter.get("required")),
                            "type": schema_type(parameter.get("schema", {}), document),
                            "default": parameter.get("schema", {}).get("default"),
                            "description": parameter.get("description")
                            or parameter.get("schema", {}).get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "fields": fields,
                    "responses": [
                        {
                            "status": status,
                            "description": answer.get("description", ""),
                            "media_types": list(answer.get("content", {})),
                            "examples": [
                                (media_type, text)
                                for media_type, content in answer.get("content", {}).items()
                                if (text := _example(content)) is not None
                            ],
                        }
                        for status, answer in sorted(operation.get("responses", {}).items())
                    ],
                }
            )
    return found


@router.get("/api/v1/docs", response_class=HTMLResponse, include_in_schema=False, name="api_docs")
def api_reference(request: Request, _user: Visitor) -> HTMLResponse:
    """The API reference drawn from the schema at ``/api/v1/openapi.json``."""
    document = request.app.openapi()
    listed = operations(document)
    tags: dict[str, list[JSONObject]] = {}
    for operation in listed:
        tags.setdefault(operation["tag"], []).append(operation)
    return render(
        request,
        "api_reference.html",
        {"info": document.get("info", {}), "tags": tags, "count": len(listed)},
    )
