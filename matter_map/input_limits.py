"""Bounds on vendor states and commands, checked before translation: depth, size, numbers, and ids as text."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from matter_map.errors import TranslationError, TranslationProblem, shown

MAX_DEPTH = 64  # nested objects and lists; vendor payloads nest a handful of levels
MAX_NODES = 100_000  # values in one payload (objects, lists and scalars)
MAX_TEXT = 65_536  # characters of one string or object key
MAX_MAGNITUDE = 2**64  # integers beyond a 64-bit Matter integer are refused (and every non-finite float)
MAX_DEVICE_ID = 1024  # characters of a vendor device id
_SHOWN_PATH = 80
_PERCENT_DOT_SLASH = re.compile(r"%(?:2[eEfF]|5[cC]|25)")
_DECODED = {"2e": ".", "2f": "/", "5c": "\\", "25": "%"}


def within_bounds(value: Any) -> bool:
    """Whether `value` is inside the bounds (what `input_problem` checks, without locating a problem)."""
    limit, longest, deepest = MAX_MAGNITUDE, MAX_TEXT, MAX_DEPTH
    stack: list[tuple[Any, int]] = [([value], -1)]
    nodes = 0
    while stack:
        item, depth = stack.pop()
        if depth >= deepest:
            return False
        nodes += len(item)
        if nodes > MAX_NODES:
            return False
        if type(item) is dict:
            for key in item:
                if type(key) is not str or len(key) > longest or not (key.isascii() or is_text(key)):
                    return False
            children: Any = item.values()
        else:
            children = item
        for child in children:
            kind = type(child)
            if kind is str:
                if len(child) > longest or not (child.isascii() or is_text(child)):
                    return False
            elif kind is int:
                if not -limit <= child <= limit:
                    return False
            elif kind is float:
                if child - child != 0.0:  # inf - inf and nan - nan are nan
                    return False
            elif kind is dict or kind is list:
                stack.append((child, depth + 1))
            elif child is not None and kind is not bool:
                return False
    return True


def input_problem(value: Any) -> tuple[str, str] | None:
    """Where (a vendor path) and why `value` is outside the bounds of a JSON input, or None.

    The walk is iterative, so a value nested a million levels deep is refused without recursion."""
    if within_bounds(value):
        return None  # the common case, without building paths
    stack: list[tuple[Any, int, Any]] = [(value, 0, None)]  # (value, depth, (parent's path, key) or None)
    nodes = 1
    while stack:
        item, depth, path = stack.pop()
        kind = type(item)
        if kind is str:
            if len(item) > MAX_TEXT:
                return _where(path), f"a string longer than {MAX_TEXT} characters"
            if not item.isascii() and not is_text(item):
                return _where(path), "a string that is not valid Unicode (a lone surrogate)"
        elif kind is int:
            if not -MAX_MAGNITUDE <= item <= MAX_MAGNITUDE:
                return _where(path), "an integer beyond 64 bits"
        elif kind is float:
            if not math.isfinite(item):
                return _where(path), f"a non-finite number ({item!r})"
        elif kind is dict or kind is list:
            if depth >= MAX_DEPTH:
                return _where(path), f"a value nested deeper than {MAX_DEPTH} levels"
            nodes += len(item)
            if nodes > MAX_NODES:
                return _where(path), f"more than {MAX_NODES} values"
            if kind is dict:
                for key, child in item.items():
                    if type(key) is not str:
                        return _where(path), f"an object key that is not a string ({type(key).__name__})"
                    if len(key) > MAX_TEXT:
                        return _where(path), f"an object key longer than {MAX_TEXT} characters"
                    if not key.isascii() and not is_text(key):
                        return _where(path), "an object key that is not valid Unicode (a lone surrogate)"
                    stack.append((child, depth + 1, (path, key)))
            else:
                stack.extend((child, depth + 1, (path, i)) for i, child in enumerate(item))
        elif item is not None and kind is not bool:
            return _where(path), f"not a JSON value ({kind.__name__})"
    return None


def is_text(text: str) -> bool:
    """Whether `text` encodes as UTF-8 (it holds no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def bad_input(value: Any, what: str) -> TranslationProblem | None:
    """The `bad-input` problem of `value` (a vendor state, a command) when it is outside the bounds, or None."""
    problem = input_problem(value)
    if problem is None:
        return None
    where, why = problem
    at = f" at `{where}`" if where else ""
    return TranslationProblem("bad-input", f"{what} holds {why}{at}", vendor_path=where)


def check_input(value: Any, what: str) -> None:
    """Raise a `bad-input` TranslationError when `value` (a vendor state, a command) is outside the bounds."""
    problem = bad_input(value, what)
    if problem is not None:
        raise TranslationError([problem])


def device_id_problem(device_id: Any) -> str | None:
    """Why `device_id` cannot be a vendor device id (it must be non-empty UTF-8 text of bounded length), or None."""
    if type(device_id) is not str:
        return f"a device id must be text, not {type(device_id).__name__}"
    if not device_id:
        return "a device id must not be empty"
    if len(device_id) > MAX_DEVICE_ID:
        return f"a device id must not be longer than {MAX_DEVICE_ID} characters"
    try:
        device_id.encode("utf-8")
    except UnicodeEncodeError:
        return "a device id must be valid Unicode text (it holds a lone surrogate)"
    return None


def segment_problem(text: str) -> str | None:
    """Why `text`, placed in a URL path, could move the request once a server normalises the path, or None.

    Compatibility forms are folded (NFKC: fullwidth `．`, `／`), `%2E`/`%2F`/`%5C` decoded (also when encoded
    twice) and `\\` read as `/`; no `/`-separated part of the result may then be empty, `.` or `..`. A `/`
    itself is allowed: `{device_id}` sends it as `%2F`, `{device_path}` as a separator, under the prefix."""
    folded = unicodedata.normalize("NFKC", text)
    for _ in range(8):
        decoded = _PERCENT_DOT_SLASH.sub(lambda m: _DECODED[m.group(0)[1:].lower()], folded)
        if decoded == folded:
            break
        folded = decoded
    for part in folded.replace("\\", "/").split("/"):
        if part in ("", ".", ".."):
            what = "an empty" if not part else f"a `{part}`"
            return f"{shown(text)} would make {what} path segment once normalised"
    return None


def _where(path: Any) -> str:
    """`a.b[0]` from the linked (parent, key) pairs of the walk; long paths are cut."""
    parts: list[str | int] = []
    while path is not None:
        path, key = path
        parts.append(key)
    text = ""
    for part in reversed(parts):
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
        if len(text) > _SHOWN_PATH:
            return text[:_SHOWN_PATH] + "..."
    return text
