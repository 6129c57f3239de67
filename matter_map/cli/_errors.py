"""User errors as the command reports them: text on stderr, the problems as JSON on stdout when JSON is asked
for (the same keys as `validate`'s), exit 1."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from matter_map.cli._io import InputProblemError
from matter_map.cli._output import Output
from matter_map.diagnostics import MappingError
from matter_map.errors import Problem, TranslationError


def report_error(exc: Exception, output: Output) -> bool:
    """Report a user error; False for anything else (a bug, which keeps its traceback)."""
    problems: Sequence[Problem] | None = None
    if isinstance(exc, MappingError):
        output.problem(exc.render())
        problems = exc.diagnostics
    elif isinstance(exc, TranslationError):
        output.problem("\n".join(f"matter-map: error: {p}" for p in exc.problems))
        problems = exc.problems
    elif _is_payload_invalid(exc):
        output.problem(f"matter-map: error: emitted payload fails the AWS checks:\n{exc}")
        problems = exc.problems  # type: ignore[attr-defined]
    elif isinstance(exc, InputProblemError):
        output.problem(f"matter-map: error: {exc}")
    else:
        return False
    if problems is not None and output.json:
        output.result({"ok": False, "problems": [p.as_json() for p in problems]})
    return True


def _is_payload_invalid(exc: Exception) -> bool:
    module = sys.modules.get("matter_map.payload_check")
    return module is not None and isinstance(exc, module.PayloadInvalid)
