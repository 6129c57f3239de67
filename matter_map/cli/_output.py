"""How the command speaks: human text on a terminal, JSON when piped or asked; colour, quiet and progress."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

FORMATS = ("human", "json")
_NUMBER = re.compile(r"-?[0-9][0-9.]*|-|compile error")
_COLOURS = {"red": "31", "green": "32", "yellow": "33", "bold": "1", "dim": "2"}


def _is_tty(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def colour_wanted(stream: TextIO, environ: dict[str, str] | None = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org) or TERM is dumb."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    return _is_tty(stream)


class Output:
    """The chosen format and the streams; every subcommand reports through one of these."""

    def __init__(
        self,
        *,
        format: str = "json",  # noqa: A002 -- the option's name
        quiet: bool = False,
        colour: bool = False,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        progress_shown: bool = False,
    ) -> None:
        self.format = format
        self.quiet = quiet
        self.colour = colour
        self.stdout = stdout
        self.stderr = stderr
        self.progress_shown = progress_shown
        self._drawn = False

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Output:
        fmt = getattr(args, "format", None) or ("human" if _is_tty(sys.stdout) else "json")
        return cls(
            format=fmt,
            quiet=bool(getattr(args, "quiet", False)),
            colour=fmt == "human" and colour_wanted(sys.stdout),
            progress_shown=not getattr(args, "quiet", False) and _is_tty(sys.stderr),
        )

    @property
    def out(self) -> TextIO:
        return self.stdout or sys.stdout

    @property
    def err(self) -> TextIO:
        return self.stderr or sys.stderr

    @property
    def json(self) -> bool:
        return self.format == "json"

    def paint(self, text: str, colour: str) -> str:
        return f"\x1b[{_COLOURS[colour]}m{text}\x1b[0m" if self.colour else text

    def result(self, payload: Any, human: Callable[[], str] | None = None) -> None:
        """The command's result: JSON on stdout, or the human rendering (nothing of it under --quiet)."""
        if self.json:
            self.out.write(json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
            return
        if self.quiet:
            return
        text = human() if human is not None else json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False)
        if text:
            self.out.write(text.rstrip("\n") + "\n")

    def problem(self, text: str) -> None:
        """A diagnostic or error: always shown, on stderr, in red on a terminal."""
        self.clear_progress()
        lines = text.split("\n")
        if colour_wanted(self.err):
            lines = [_paint_severity(line) for line in lines]
        self.err.write("\n".join(lines) + "\n")

    def note(self, text: str) -> None:
        """Side information for people (what was written, what to do next): stderr, not under --quiet."""
        if not self.quiet:
            self.clear_progress()
            self.err.write(text + "\n")

    def progress(self, done: int, total: int, label: str) -> None:
        """`[3/40] label` on one rewritten stderr line, on a terminal only."""
        if not self.progress_shown or total < 2:
            return
        width = len(str(total))
        line = f"[{done:>{width}}/{total}] {label}"[:78]
        self.err.write("\r\x1b[K" + line)
        self.err.flush()
        self._drawn = True

    def clear_progress(self) -> None:
        if self._drawn:
            self.err.write("\r\x1b[K")
            self._drawn = False


def _paint_severity(line: str) -> str:
    for word, code in (("error[", "31"), ("warning[", "33"), ("error:", "31")):
        if word in line:
            head, _, tail = line.partition(word)
            return f"{head}\x1b[{code}m{word}\x1b[0m{tail}"
    return line


def output_of(args: argparse.Namespace) -> Output:
    """The Output that `main` attached to the parsed arguments (a fresh JSON one when called directly)."""
    found = getattr(args, "output_channel", None)
    return found if isinstance(found, Output) else Output.from_args(args)


def table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]], *, totals: tuple[str, ...] | None = None) -> str:
    """A plain text table: the header, a rule, the rows, and a rule before the totals row when given."""
    every = [header, *rows, *([totals] if totals else [])]
    widths = [max(len(r[i]) for r in every) for i in range(len(header))]
    numeric = [
        i > 0 and all(_NUMBER.fullmatch(r[i]) for r in [*rows, *([totals] if totals else [])])
        for i in range(len(header))
    ]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            c.rjust(w) if numeric[i] else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    out = [line(header), rule, *(line(r) for r in rows)]
    if totals:
        out += [rule, line(totals)]
    return "\n".join(out)
