"""Values named in JSON's words for messages: null, a boolean, an integer, a number, a string, a list, an object."""

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
