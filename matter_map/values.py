"""Check a value against a Matter type: JSON kind, range, nullability and enum membership."""

from __future__ import annotations

import math
from typing import Any

from matter_map.ir import MatterType


def check_value(value: Any, mtype: MatterType) -> str | None:
    """Why `value` is not a valid Matter value of `mtype`, or None."""
    if value is None:
        return None if mtype.nullable else "null is not allowed (the attribute is not nullable)"
    if mtype.values and not any(isinstance(value, bool) is isinstance(v, bool) and value == v for v in mtype.values):
        return f"{value!r} is not one of the declared values ({', '.join(repr(v) for v in mtype.values)})"
    kind = mtype.kind
    if kind == "bool":
        return None if isinstance(value, bool) else f"expected true or false, got {_kind_name(value)}"
    if kind in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"expected a number, got {_kind_name(value)}"
        if kind == "int" and isinstance(value, float) and not value.is_integer():
            return f"expected an integer, got {value!r}"
        if isinstance(value, float) and not math.isfinite(value):
            return "expected a finite number"
        if mtype.minimum is not None and value < mtype.minimum:
            return f"{fmt_number(value)} is below the minimum {fmt_number(mtype.minimum)}"
        if mtype.maximum is not None and value > mtype.maximum:
            return f"{fmt_number(value)} is above the maximum {fmt_number(mtype.maximum)}"
        if mtype.enum and kind == "int" and value not in {v for _, v in mtype.enum}:
            members = ", ".join(f"{n}={v}" for n, v in mtype.enum)
            return f"{fmt_number(value)} is not a member of the enum ({members})"
        return None
    if kind in ("string", "bytes"):  # an octet string travels as text (hex or base64)
        return None if isinstance(value, str) else f"expected a string, got {_kind_name(value)}"
    if kind == "list":
        return None if isinstance(value, list) else f"expected a list, got {_kind_name(value)}"
    if kind == "object":
        return None if isinstance(value, dict) else f"expected an object, got {_kind_name(value)}"
    return None


def _kind_name(value: Any) -> str:
    return {
        bool: "a bool",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def fmt_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def enum_constant(value: Any, mtype: MatterType) -> Any:
    """An enum member written by name (`Locked`, `AC`) as its number; any other value unchanged."""
    if isinstance(value, str) and mtype.enum:
        for name, number in mtype.enum:
            if name == value:
                return number
    return value


def constant_problem(value: Any, mtype: MatterType) -> str | None:
    """Why a constant written in a mapping (after `enum_constant`) is not a valid value of `mtype`, or None."""
    if isinstance(value, str) and mtype.enum:
        members = ", ".join(name for name, _ in mtype.enum)
        return f"{value!r} is not a member of the enum ({members}): write a member's name or number"
    return check_value(value, mtype)
