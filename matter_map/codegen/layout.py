"""Lay out generated code as the formatter would: blocks of indented lines, displays split one item per line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, LiteralString

from matter_map.codegen.literals import LINE_LENGTH, Code, CodegenError, _make, code, literal


@dataclass(frozen=True)
class Items:
    """A bracketed display: a list `[...]`, a tuple `(...)` or a call `name(...)`, of Code or nested items."""

    open: Code
    close: Code
    items: tuple[Node, ...]
    tuple_of_one: bool = False
    call: bool = False  # the formatter first tries a call's arguments on one line of their own


@dataclass(frozen=True)
class Pairs:
    """A dict display of (key, value) pairs."""

    pairs: tuple[tuple[Code, Node], ...]


Node = Code | Items | Pairs


def as_list(items: list[Node]) -> Items:
    return Items(code("["), code("]"), tuple(items))


def as_tuple(items: list[Node]) -> Items:
    return Items(code("("), code(")"), tuple(items), tuple_of_one=len(items) == 1)


def as_call(function: Code, items: list[Node]) -> Items:
    return Items(code("$f(", f=function), code(")"), tuple(items), call=True)


def as_dict(pairs: list[tuple[Code, Node]]) -> Pairs:
    return Pairs(tuple(pairs))


def from_json(value: Any) -> Node:
    """A JSON value as a display whose leaves are literals (so long values split like the formatter's)."""
    if isinstance(value, list) and value:
        return as_list([from_json(v) for v in value])
    if isinstance(value, dict) and value:
        return as_dict(
            [(literal(str(k)) if isinstance(k, str) else literal(k), from_json(v)) for k, v in value.items()]
        )
    return literal(value)


def flat(node: Node) -> str:
    if isinstance(node, Code):
        return node.text
    if isinstance(node, Items):
        inner = ", ".join(flat(i) for i in node.items)
        return node.open.text + inner + ("," if node.tuple_of_one else "") + node.close.text
    return "{" + ", ".join(f"{k.text}: {flat(v)}" for k, v in node.pairs) + "}"


def _packed(node: Items | Pairs, indent: int, first_width: int) -> str:
    """A display that does not fit one line, its items filled into lines of at most LINE_LENGTH from its opening
    bracket on, continued lines indented, the closing bracket after the last item (a data table read as a
    table: the generator lays it out, in a region the formatter leaves alone)."""
    inner = indent + 4
    pad = " " * inner
    entries: list[tuple[str, Node]] = (
        [("", item) for item in node.items] if isinstance(node, Items) else [(k.text + ": ", v) for k, v in node.pairs]
    )
    opening, closing = (node.open.text, node.close.text) if isinstance(node, Items) else ("{", "}")
    if isinstance(node, Items) and node.tuple_of_one:
        closing = "," + closing
    lines: list[str] = []
    line, width, empty = opening, first_width + len(opening), True
    for i, (head, value) in enumerate(entries):
        tail = closing if i == len(entries) - 1 else ","
        text = head + flat(value) + tail
        if inner + len(text) + 2 > LINE_LENGTH:  # too long for a line of its own: laid out by itself
            text = head + _render(value, inner, inner + len(head), len(tail) + 2, packed=True) + tail
            if line.strip():
                lines.append(line)
            lines.append(pad + text)
            line, width, empty = pad, inner, True
            continue
        needed = len(text) + (0 if empty else 1)
        if width + needed + 2 > LINE_LENGTH:
            lines.append(line)
            line, width, empty = pad + text, inner + len(text), False
        else:
            line, width, empty = line + ("" if empty else " ") + text, width + needed, False
    if line.strip():
        lines.append(line)
    return "\n".join(lines)


def _render(node: Node, indent: int, first_width: int, suffix: int, *, packed: bool = False) -> str:
    text = flat(node)
    if isinstance(node, Code) or first_width + len(text) + suffix <= LINE_LENGTH:
        return text
    if packed and (node.items if isinstance(node, Items) else node.pairs):
        return _packed(node, indent, first_width)
    inner = indent + 4
    pad = " " * inner
    lines: list[str] = []
    if isinstance(node, Items):
        if not node.items:
            return text
        if node.call:
            hugged = ", ".join(flat(i) for i in node.items)
            if inner + len(hugged) <= LINE_LENGTH:
                return node.open.text + "\n" + pad + hugged + "\n" + " " * indent + node.close.text
        for item in node.items:
            lines.append(pad + _render(item, inner, inner, 1) + ",")
        return node.open.text + "\n" + "\n".join(lines) + "\n" + " " * indent + node.close.text
    if not node.pairs:
        return text
    for key, value in node.pairs:
        head = key.text + ": "
        lines.append(pad + head + _render(value, inner, inner + len(head), 1) + ",")
    return "{\n" + "\n".join(lines) + "\n" + " " * indent + "}"


@dataclass
class Block:
    """Lines of generated code at an indentation level; every line is a Code value."""

    level: int = 0
    lines: list[str] = field(default_factory=list)
    #: displays filled into lines (data tables, in a region the formatter leaves alone) instead of one item a line
    packed: bool = False

    def line(self, template: LiteralString, **parts: Code) -> None:
        text = code(template, **parts).text
        self.lines.append(("    " * self.level + text) if text else "")

    def blank(self, count: int = 1) -> None:
        self.lines.extend([""] * count)

    def display(self, head: LiteralString, node: Node, tail: LiteralString = "", **parts: Code) -> None:
        """`head` + a display laid out to fit + `tail`, e.g. `x = ` + `{...}`."""
        prefix = code(head, **parts).text
        suffix = code(tail, **parts).text
        indent = 4 * self.level
        body = _render(node, indent, indent + len(prefix), len(suffix), packed=self.packed)
        for i, text in enumerate((prefix + body + suffix).split("\n")):
            self.lines.append(("    " * self.level + text) if i == 0 else text)

    def comment(self, text: Code) -> None:
        if "\n" in text.text:
            raise CodegenError("a comment must be one line")
        self.lines.append("    " * self.level + "# " + text.text)

    @contextmanager
    def indent(self) -> Iterator[None]:
        self.level += 1
        try:
            yield
        finally:
            self.level -= 1

    def merge_return(self) -> None:
        """`x = <expr>` then `return x` becomes `return <expr>` (what a person would write)."""
        if len(self.lines) < 2:
            return
        *_, assign, ret = self.lines
        pad = ret[: len(ret) - len(ret.lstrip())]
        if ret.strip() == "return x" and assign.startswith(pad + "x = "):
            self.lines[-2:] = [pad + "return " + assign[len(pad) + 4 :]]

    def extend(self, other: Block) -> None:
        self.lines.extend(other.lines)

    def code(self) -> Code:
        # every line was built from Code values by the methods above, so the whole block is Code too
        return _make("\n".join(self.lines))
