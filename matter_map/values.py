"""Check a value against a Matter type: JSON kind, range, nullability and enum membership."""

from __future__ import annotations

from typing import Any

from matter_map import runtime
from matter_map.ir import MatterType
from matter_map.runtime import fmt_number

__all__ = ["check_value", "constant_problem", "enum_constant", "fmt_number"]


def check_value(value: Any, mtype: MatterType) -> str | None:
    """Why `value` is not a valid Matter value of `mtype`, or None."""
    return runtime.check_value(value, mtype.checks)


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
