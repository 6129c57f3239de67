"""Vendor JSON documents as mutable state: write at any path, deep-merge, compare and describe differences."""

from __future__ import annotations

import copy
import json
from typing import Any

from matter_map.paths import MISSING, Select, VendorPath


def put_path(document: dict[str, Any], path: VendorPath, value: Any) -> None:
    """Write `value` at `path`, creating objects, list slots and `[key=value]` elements on the way."""
    container: Any = document
    segments = path.segments
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        following = None if last else segments[index + 1]
        fresh: Any = [] if isinstance(following, int | Select) else {}
        if isinstance(segment, str):
            if not isinstance(container, dict):
                raise TypeError(f"`{path}`: expected an object before {segment!r}")
            if last:
                container[segment] = value
                return
            child = container.get(segment)
            if not isinstance(child, dict | list):
                child = fresh
                container[segment] = child
            container = child
        elif isinstance(segment, int):
            if not isinstance(container, list):
                raise TypeError(f"`{path}`: expected a list before [{segment}]")
            while len(container) <= segment:
                container.append(None)
            if last:
                container[segment] = value
                return
            if not isinstance(container[segment], dict | list):
                container[segment] = fresh
            container = container[segment]
        else:
            if not isinstance(container, list):
                raise TypeError(f"`{path}`: expected a list before [{segment.key}={segment.value}]")
            element = next(
                (e for e in container if isinstance(e, dict) and str(e.get(segment.key)) == segment.value), None
            )
            if element is None:
                element = {segment.key: segment.value}
                container.append(element)
            if last:
                raise TypeError(f"`{path}`: a path cannot end with a selection")
            container = element


def delete_path(document: dict[str, Any], path: VendorPath) -> None:
    """Remove the value at a key path, if it is there."""
    parent = VendorPath(path.text, path.segments[:-1]).get(document) if len(path.segments) > 1 else document
    last = path.segments[-1]
    if isinstance(parent, dict) and isinstance(last, str):
        parent.pop(last, None)


def deep_merge(target: dict[str, Any], patch: dict[str, Any]) -> None:
    """Merge `patch` into `target` the way a vendor's partial update does: objects merge, the rest replaces."""
    for key, value in patch.items():
        current = target.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            deep_merge(current, value)
        else:
            target[key] = copy.deepcopy(value)


def differences(before: Any, after: Any, where: str = "") -> list[str]:
    """Human-readable differences between two JSON documents (at most a few, by path)."""
    out: list[str] = []
    _diff(before, after, where, out)
    return out[:5]


def _diff(before: Any, after: Any, where: str, out: list[str]) -> None:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after), key=str):
            path = f"{where}.{key}" if where else str(key)
            _diff(before.get(key, MISSING), after.get(key, MISSING), path, out)
        return
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for index, (b, a) in enumerate(zip(before, after, strict=True)):
            _diff(b, a, f"{where}[{index}]", out)
        return
    if not same_json(before, after):
        out.append(f"`{where or '<root>'}` changed from {shown_json(before)} to {shown_json(after)}")


def same_json(a: Any, b: Any) -> bool:
    """Equality of JSON values that keeps true ≠ 1 and 1 == 1.0 (as JSON does)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


def shown_json(value: Any, limit: int = 80) -> str:
    if value is MISSING:
        return "(absent)"
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, sort_keys=True)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
