"""User errors as the command reports them: text on stderr, nothing on stdout, exit 1."""

from __future__ import annotations

import sys

from matter_map.cli._io import InputProblemError
from matter_map.cli._output import Output
from matter_map.diagnostics import MappingError
from matter_map.errors import TranslationError


def report_error(exc: Exception, output: Output) -> bool:
    """Report a user error; False for anything else (a bug, which keeps its traceback)."""
    if isinstance(exc, MappingError):
        output.problem(exc.render())
    elif isinstance(exc, TranslationError):
        output.problem("\n".join(f"matter-map: error: {p}" for p in exc.problems))
    elif _is_payload_invalid(exc):
        output.problem(f"matter-map: error: emitted payload fails the AWS checks:\n{exc}")
    elif isinstance(exc, InputProblemError):
        output.problem(f"matter-map: error: {exc}")
    else:
        return False
    return True


def _is_payload_invalid(exc: Exception) -> bool:
    module = sys.modules.get("matter_map.payload_check")
    return module is not None and isinstance(exc, module.PayloadInvalid)
