"""Check a value against a Matter type: JSON kind, range, nullability and enum membership."""

from __future__ import annotations

from typing import Any

from matter_map import runtime
from matter_map.ir import MatterType
from matter_map.runtime import fmt_number

__all__ = ["check_value", "fmt_number"]


def check_value(value: Any, mtype: MatterType) -> str | None:
    """Why `value` is not a valid Matter value of `mtype`, or None."""
    return runtime.check_value(value, mtype.checks)
