"""The OpenAPI schema as the application answers, not as FastAPI assumes it does.

FastAPI documents a 422 ``HTTPValidationError`` on every operation with parameters, but
``web.failures`` answers a parameter that cannot be used with 400 ``usage`` in the one error
body (``ErrorBody``). The schema served (and the API reference drawn from it) says so: those
422 entries are removed, each operation keeps its 400, and FastAPI's validation-error schemas,
then unused, are dropped. An operation whose 422 is its own (an assessment that cannot be made,
a refused file) keeps it. The HTML pages are not in the schema (``web.app``).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi import FastAPI

from lindung.jsontypes import JSONObject

#: FastAPI's schemas of its own validation error body, which this application never answers.
FASTAPI_VALIDATION = ("HTTPValidationError", "ValidationError")


def answered(schema: JSONObject) -> JSONObject:
    """Return ``schema`` (changed in place) with FastAPI's 422 validation entries replaced by
    the 400 the application answers, and the validation schemas left unused removed."""
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            responses = operation.get("responses", {})
            if _is_fastapi_validation(responses.get("422")):
                del responses["422"]
    components = schema.get("components", {}).get("schemas", {})
    for name in FASTAPI_VALIDATION:  # the error first, then the item it refers to
        held = components.pop(name, None)
        if held is not None and f"#/components/schemas/{name}" in json.dumps(schema):
            components[name] = held  # still referred to: keep it
    return schema


def _is_fastapi_validation(response: JSONObject | None) -> bool:
    if response is None:
        return False
    reference = response.get("content", {}).get("application/json", {}).get("schema", {})
    return bool(reference.get("$ref", "").endswith("/HTTPValidationError"))


def install(app: FastAPI) -> None:
    """Make ``app`` serve (and cache) its schema as ``answered`` makes it."""
    generate: Callable[[], JSONObject] = app.openapi

    def openapi() -> JSONObject:
        if app.openapi_schema is None:
            app.openapi_schema = answered(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
