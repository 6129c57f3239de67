"""The iot-managed-integrations input shapes the payload check reads, bundled at build time from botocore's model."""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["MODEL_FILE", "SERVICE_NAME", "input_shape_name", "service_model"]

SERVICE_NAME = "iot-managed-integrations"
# Written by scripts/build_payload_model.py; tests/test_payload_model_current.py keeps it equal to its output.
MODEL_FILE = Path(__file__).resolve().parent / "data" / "payload-model.json"


@functools.cache
def service_model() -> Mapping[str, Any]:
    """Every operation's input shape name (``operations``) and the shapes those inputs reach (``shapes``)."""
    model: Mapping[str, Any] = json.loads(MODEL_FILE.read_bytes())
    return model


def input_shape_name(operation: str) -> str:
    """The name of the operation's input shape; a ValueError naming the closest operation when unknown."""
    operations: Mapping[str, str] = service_model()["operations"]
    if operation not in operations:
        hint = difflib.get_close_matches(operation, list(operations), n=1)
        suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
        raise ValueError(f"{SERVICE_NAME} has no operation {operation!r}{suggestion}")
    return operations[operation]
