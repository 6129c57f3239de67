"""The JSON Schema (draft 2020-12) of the mapping language, generated from the pydantic models."""

from __future__ import annotations

import json
from typing import Any

from matter_map.model import BARE_NAMES, Mapping

SCHEMA_ID = "https://matter-map.dev/schemas/mapping.schema.json"


def _widen(node: Any) -> None:
    """Teach the schema what the models accept before validation: bare transform names, integer endpoint ids."""
    if isinstance(node, dict):
        for key in ("anyOf", "oneOf"):
            options = node.get(key)
            if isinstance(options, list) and {"$ref": "#/$defs/LinearStep"} in options:
                options.append({"enum": list(BARE_NAMES), "description": "a transform without parameters"})
        for value in node.values():
            _widen(value)
    elif isinstance(node, list):
        for value in node:
            _widen(value)


def mapping_schema() -> dict[str, Any]:
    schema = Mapping.model_json_schema(by_alias=True, mode="validation")
    _widen(schema)
    endpoint_id = schema["$defs"]["Endpoint"]["properties"]["id"]
    schema["$defs"]["Endpoint"]["properties"]["id"] = {
        "anyOf": [endpoint_id, {"type": "integer", "minimum": 0}],
        "title": endpoint_id.pop("title", "Id"),
    }
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def mapping_schema_text() -> str:
    return json.dumps(mapping_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
