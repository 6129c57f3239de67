"""Regular expressions of hand-written vendor schemas, run by RE2 (linear time: no pattern can hang a check)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import re2

MAX_PATTERN = 4096  # characters of one pattern
_MAX_MEMORY = 8 << 20  # bytes RE2 may use for one compiled pattern


class PatternError(ValueError):
    """A pattern RE2 does not accept (back-references, look-arounds) or that is too large."""


@lru_cache(maxsize=512)
def compiled(pattern: str) -> Any:
    """The RE2 program of a JSON Schema `pattern`; PatternError when it cannot be run in linear time."""
    if len(pattern) > MAX_PATTERN:
        raise PatternError(f"a pattern longer than {MAX_PATTERN} characters")
    options = re2.Options()
    options.log_errors = False  # the reason is reported as a diagnostic, not written to stderr
    options.max_mem = _MAX_MEMORY
    try:
        return re2.compile(pattern, options=options)
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise PatternError(f"pattern {pattern[:80]!r} is not supported by the linear-time engine: {reason}") from None


def search(pattern: str, text: str) -> bool:
    """Whether `pattern` matches somewhere in `text` (JSON Schema semantics: unanchored)."""
    return compiled(pattern).search(text) is not None
