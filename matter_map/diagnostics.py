"""Problems of mapping files: a registered code, a message, a document path, a source position and a hint."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Self

from matter_map.problems import Location, Problem


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Position:
    """A 1-based line and column in a source file."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Diagnostic(Problem):
    """A problem found in a mapping file: a Problem located at a file position and a document path."""

    __slots__ = ()

    def __new__(  # noqa: PLR0917 - the fields of a mapping problem, by position as reporters give them
        cls,
        code: str,
        message: str,
        position: Position | None = None,
        path: str = "",
        hint: str = "",
        severity: Severity = Severity.ERROR,
        doc_path: tuple[str | int, ...] | None = None,
    ) -> Self:
        file, line, column = (position.file, position.line, position.column) if position else ("", 0, 0)
        where = Location("mapping", path, file, line, column, doc_path or ())
        return super().__new__(cls, code, message, where, hint=hint, severity=severity)

    @property
    def position(self) -> Position | None:
        """The file, line and column, when the reporter knew them."""
        at = self.location
        return Position(at.file, at.line, at.column) if at is not None and at.file else None

    @property
    def doc_path(self) -> tuple[str | int, ...] | None:
        """The place in the document as steps (`("endpoints", 0, "clusters")`), when the reporter knew it."""
        steps = self.location.steps if self.location is not None else ()
        return steps or None

    def render(self, source_lines: Sequence[str] | None = None) -> str:
        position = self.position
        where = str(position) if position else "<mapping>"
        text = f"{where}: {self.severity}[{self.code}]: {self.message}"
        if self.path:
            text += f"\n  at {self.path}"
        if source_lines and position and 0 < position.line <= len(source_lines):
            line = source_lines[position.line - 1].rstrip("\n")
            text += f"\n  | {line}\n  | {' ' * (position.column - 1)}^"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class MappingError(Exception):
    """A mapping could not be loaded or compiled; carries every diagnostic found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(diagnostics, key=_sort_key))
        super().__init__(f"{len(self.diagnostics)} problem(s) in mapping")

    def render(self) -> str:
        cache: dict[str, list[str]] = {}
        out = []
        for diagnostic in self.diagnostics:
            lines = None
            if diagnostic.position:
                name = diagnostic.position.file
                if name not in cache:
                    try:
                        cache[name] = Path(name).read_text(encoding="utf-8").splitlines()
                    except (OSError, UnicodeDecodeError):
                        cache[name] = []
                lines = cache[name]
            out.append(diagnostic.render(lines))
        return "\n".join(out)

    def as_json(self) -> str:
        return json.dumps([d.as_json() for d in self.diagnostics], indent=2)


def _sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    if d.position is None:
        return ("", 0, 0, d.code)
    return (d.position.file, d.position.line, d.position.column, d.code)


def did_you_mean(candidates: Sequence[str]) -> str:
    if not candidates:
        return ""
    return "did you mean " + " or ".join(f"`{c}`" for c in candidates) + "?"
