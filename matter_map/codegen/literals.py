"""The only ways mapping content enters generated source: checked literals, identifiers and comments."""

from __future__ import annotations

import builtins
import keyword
import math
import re
from collections.abc import Iterable
from typing import Any, LiteralString

LINE_LENGTH = 120
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SLOT = re.compile(r"\$([a-z_][a-z0-9_]*)")
_BUILTINS = frozenset(dir(builtins))


class CodegenError(ValueError):
    """A mapping value or name that cannot be emitted safely, or a generator bug caught before output."""


class Code:
    """Text that is allowed into generated source; made only by the helpers of this module."""

    __slots__ = ("text",)

    def __init__(self, text: str, _token: object = None) -> None:
        if _token is not _TOKEN:
            raise CodegenError("Code is made by literal(), identifier(), comment() or code(), never directly")
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Code({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Code) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


_TOKEN = object()


def _make(text: str) -> Code:
    return Code(text, _TOKEN)


# --- literals ----------------------------------------------------------------------------------------


def _string(value: str) -> str:
    """repr() of a string, in double quotes where that needs no more escapes (the formatter's choice)."""
    text = repr(value)
    if text.startswith("'") and '"' not in value:
        text = '"' + text[1:-1].replace("\\'", "'") + '"'
    return text


def _inline(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(int(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CodegenError(f"a non-finite number cannot be emitted: {value!r}")
        return repr(float(value))
    if isinstance(value, str):
        return _string(str(value))
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise CodegenError(f"an object key must be a string, got {type(key).__name__}")
        return "{" + ", ".join(f"{_string(str(k))}: {_inline(v)}" for k, v in value.items()) + "}"
    raise CodegenError(f"{type(value).__name__} is not a JSON value and cannot be emitted")


def literal(value: Any) -> Code:
    """The Python literal of a JSON value (None, bool, int, finite float, str, list, dict with str keys)."""
    return _make(_inline(value))


def literal_block(value: Any, indent: int, prefix_width: int, suffix_width: int = 0) -> Code:
    """A literal laid out as the formatter would: on one line when it fits, else one element per line.

    `prefix_width` is what precedes the literal on its first line, `suffix_width` what follows it."""
    text = _inline(value)
    if prefix_width + len(text) + suffix_width <= LINE_LENGTH or not isinstance(value, list | dict) or not value:
        return _make(text)
    inner = " " * (indent + 4)
    lines: list[str] = []
    if isinstance(value, list):
        for item in value:
            lines.append(inner + literal_block(item, indent + 4, len(inner), 1).text + ",")
        return _make("[\n" + "\n".join(lines) + "\n" + " " * indent + "]")
    for key, item in value.items():
        head = f"{_string(str(key))}: "
        lines.append(inner + head + literal_block(item, indent + 4, len(inner) + len(head), 1).text + ",")
    return _make("{\n" + "\n".join(lines) + "\n" + " " * indent + "}")


# --- identifiers and comments ------------------------------------------------------------------------


def identifier(name: str) -> Code:
    """A name checked to be a plain Python identifier that shadows nothing: no keyword, dunder or builtin."""
    if not isinstance(name, str) or not _IDENTIFIER.fullmatch(name):
        raise CodegenError(f"{name!r} is not a plain ASCII identifier")
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise CodegenError(f"{name!r} is a Python keyword")
    if name.startswith("__") or name.endswith("__"):
        raise CodegenError(f"{name!r} is a dunder name")
    if name in _BUILTINS:
        raise CodegenError(f"{name!r} would shadow a builtin")
    return _make(name)


def comment(text: str) -> Code:
    """Text safe inside a `#` comment: printable ASCII only, everything else escaped, never a line break."""
    escaped = text.encode("ascii", "backslashreplace").decode("ascii")
    safe = "".join(c if " " <= c <= "~" else f"\\x{ord(c):02x}" for c in escaped)
    return _make(safe)


def snake(name: str) -> str:
    """`LevelControl` → `level_control`; characters outside [A-Za-z0-9] become `_` (then checked by identifier)."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name)
    return re.sub(r"[^A-Za-z0-9]+", "_", spaced).strip("_").lower() or "x"


# --- composing code ------------------------------------------------------------------------------------


def code(template: LiteralString, **parts: Code) -> Code:
    """Fill `$name` slots of a constant code template with Code values (never with raw strings)."""
    for name, part in parts.items():
        if not isinstance(part, Code):
            raise CodegenError(f"slot ${name} got {type(part).__name__}, not Code")

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in parts:
            raise CodegenError(f"no value for slot ${name} in {template!r}")
        return parts[name].text

    return _make(_SLOT.sub(fill, template))


def join(separator: LiteralString, items: Iterable[Code]) -> Code:
    items = list(items)
    for item in items:
        if not isinstance(item, Code):
            raise CodegenError(f"join got {type(item).__name__}, not Code")
    return _make(separator.join(i.text for i in items))


def indented(block: Iterable[Code], levels: int) -> Code:
    """Lines of code indented by `levels` × 4 spaces (blank lines stay blank)."""
    pad = " " * (4 * levels)
    lines: list[str] = []
    for item in block:
        if not isinstance(item, Code):
            raise CodegenError(f"indented got {type(item).__name__}, not Code")
        lines.extend(pad + line if line else "" for line in item.text.split("\n"))
    return _make("\n".join(lines))


def finalize(value: Any) -> str:
    """jinja2 `finalize`: every `{{ }}` in a template must print a Code value."""
    if isinstance(value, Code):
        return value.text
    raise CodegenError(f"a template tried to print {type(value).__name__} {value!r:.60}; only Code is allowed")


__all__ = [
    "Code",
    "CodegenError",
    "code",
    "comment",
    "finalize",
    "identifier",
    "indented",
    "join",
    "literal",
    "literal_block",
    "snake",
]
