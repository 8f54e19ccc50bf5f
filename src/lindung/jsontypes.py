"""The type of a JSON document held as Python values: a Vega-Lite spec, an OpenAPI fragment, a
JSON API body, a JSON column of the store (a survey spec, an audit entry's detail, a validation
report). Dependency-free, so that every layer names it from one place.

A row whose keys the code knows is not a JSON document: it gets a TypedDict or a dataclass in
the module that makes it, so that a renamed key is a type error (tests/test_json_types.py
keeps ``dict[str, Any]`` out of the code but for the sites it lists).
"""

from typing import Any, TypeAlias

#: A JSON object: string keys, any JSON value (kept as ``Any``: a document's shape is the
#: schema's business, e.g. Vega-Lite's, not Python's).
JSONObject: TypeAlias = dict[str, Any]

__all__ = ["JSONObject"]
