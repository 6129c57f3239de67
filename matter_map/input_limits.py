"""Bounds on vendor states and commands, checked before translation: depth, size, numbers, and ids as text."""

from __future__ import annotations

from matter_map.runtime import (
    MAX_DEPTH,
    MAX_DEVICE_ID,
    MAX_MAGNITUDE,
    MAX_NODES,
    MAX_TEXT,
    bad_input,
    check_input,
    device_id_problem,
    input_problem,
    is_text,
    segment_problem,
    within_bounds,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_DEVICE_ID",
    "MAX_MAGNITUDE",
    "MAX_NODES",
    "MAX_TEXT",
    "bad_input",
    "check_input",
    "device_id_problem",
    "input_problem",
    "is_text",
    "segment_problem",
    "within_bounds",
]
