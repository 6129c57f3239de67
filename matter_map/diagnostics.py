"""Diagnostics as data: a stable code, a message, a document path, a source position and a hint."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


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


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a mapping, rendered late (text or JSON)."""

    code: str
    message: str
    position: Position | None = None
    path: str = ""
    hint: str = ""
    severity: Severity = Severity.ERROR
    #: the place in the document as steps (`("endpoints", 0, "clusters")`), when the reporter knows it
    doc_path: tuple[str | int, ...] | None = field(default=None, compare=False, repr=False)

    def render(self, source_lines: Sequence[str] | None = None) -> str:
        where = str(self.position) if self.position else "<mapping>"
        text = f"{where}: {self.severity.value}[{self.code}]: {self.message}"
        if self.path:
            text += f"\n  at {self.path}"
        if source_lines and self.position and 0 < self.position.line <= len(source_lines):
            line = source_lines[self.position.line - 1].rstrip("\n")
            text += f"\n  | {line}\n  | {' ' * (self.position.column - 1)}^"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.position.file if self.position else None,
            "line": self.position.line if self.position else None,
            "column": self.position.column if self.position else None,
            "path": self.path,
            "hint": self.hint,
        }


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
