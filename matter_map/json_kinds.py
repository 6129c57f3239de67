"""Values named in JSON's words for messages (null, a boolean, an integer, ...), and JSON values told apart by kind."""

from __future__ import annotations

from typing import Any

_WORDS = {
    type(None): "null",
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    str: "a string",
    list: "a list",
    dict: "an object",
}


def json_kind(value: Any) -> str:
    """The JSON word for a value's kind; a value JSON cannot hold keeps its Python type name."""
    return _WORDS.get(type(value), type(value).__name__)


def distinct(values: list[Any]) -> list[Any]:
    """The JSON values without repeats, in order (1, 1.0 and true are three values)."""
    out: list[Any] = []
    for value in values:
        if not any(json_kind(value) == json_kind(o) and value == o for o in out):
            out.append(value)
    return out
