"""Matter conformance expressions (`M`, `[LT]`, `!OFFONLY`, `Rev >= v7, O`, `O.a+`…): parse and evaluate them.

The catalog keeps conformance as the specification writes it; this module reads that small language and
decides, for one cluster instance (its feature map, revision and the elements a mapping provides), whether an
element is mandatory, optional, disallowed or undecidable. Logic is three-valued: a name the environment
cannot resolve (a device-type condition such as `Active`, an attribute value such as `Status == Success`)
evaluates to unknown, and the verdict says so instead of guessing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

__all__ = [
    "And",
    "Choice",
    "Clause",
    "Compare",
    "ConformanceError",
    "Expr",
    "Name",
    "Not",
    "Or",
    "Verdict",
    "VerdictKind",
    "evaluate",
    "evaluate_expr",
    "parse",
]


class ConformanceError(ValueError):
    """A conformance text that does not parse."""


# --- syntax ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Name:
    """A feature code, element name or condition."""

    name: str


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr


@dataclass(frozen=True, slots=True)
class And:
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Or:
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Compare:
    """`Rev >= v7`, `NumberOfPrimaries > 0`, `Status == Success`: a name against a literal."""

    name: str
    op: str
    value: str


Expr = Name | Not | And | Or | Compare


@dataclass(frozen=True, slots=True)
class Choice:
    """`.a+`: at least one of the set `a` (`exact` when there is no `+`: exactly one)."""

    group: str
    at_least: bool


@dataclass(frozen=True, slots=True)
class Clause:
    """One item of a conformance list: a verdict that applies when its condition holds (no condition: always)."""

    verdict: str  # M | O | P | D | X | desc
    condition: Expr | None = None
    choice: Choice | None = None


_TOKEN = re.compile(
    r"\s*(?:(?P<op>==|!=|>=|<=|>|<)|(?P<punct>[!&|()\[\]^])|(?P<word>[A-Za-z0-9_.]+)|(?P<bad>\S))",
)
_CHOICE = re.compile(r"^(?P<body>.*?)\.(?P<group>[a-z])(?P<plus>\+?)$")
_KEYWORDS = {"M", "O", "P", "D", "X", "desc"}


@functools.cache
def parse(text: str) -> tuple[Clause, ...]:
    """The clauses of a conformance text, in order; an empty text has none."""
    text = text.strip()
    if not text:
        return ()
    return tuple(_clause(part.strip(), text) for part in _split_top(text))


def _split_top(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _clause(part: str, whole: str) -> Clause:
    if not part:
        raise ConformanceError(f"empty item in conformance {whole!r}")
    choice = None
    found = _CHOICE.match(part)
    if found and (found.group("body") in _KEYWORDS or found.group("body").endswith("]")):
        choice = Choice(found.group("group"), bool(found.group("plus")))
        part = found.group("body")
    if part in _KEYWORDS:
        return Clause(part, None, choice)
    if part.startswith("[") and part.endswith("]") and _balanced(part[1:-1]):
        return Clause("O", _Parser(part[1:-1], whole).parse(), choice)
    return Clause("M", _Parser(part, whole).parse(), choice)


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += char in "(["
        depth -= char in ")]"
        if depth < 0:
            return False
    return depth == 0


class _Parser:
    """Recursive descent: or := and ('|' and)*; and := unary ('&' unary)*; unary := '!' unary | atom."""

    def __init__(self, text: str, whole: str) -> None:
        self.whole = whole
        self.tokens: list[tuple[str, str]] = []
        for match in _TOKEN.finditer(text):
            if match.group("bad"):
                raise ConformanceError(f"unexpected {match.group('bad')!r} in conformance {whole!r}")
            kind = next(k for k in ("op", "punct", "word") if match.group(k))
            self.tokens.append((kind, match.group(kind)))
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            raise ConformanceError(f"expected {value or 'a term'} in conformance {self.whole!r}")
        self.pos += 1
        return token

    def parse(self) -> Expr:
        expr = self.or_()
        if self.peek() is not None:
            raise ConformanceError(f"unexpected {self.peek()[1]!r} in conformance {self.whole!r}")  # type: ignore[index]
        return expr

    def or_(self) -> Expr:
        left = self.and_()
        while self.peek() in (("punct", "|"), ("punct", "^")):
            self.take()
            left = Or(left, self.and_())
        return left

    def and_(self) -> Expr:
        left = self.unary()
        while self.peek() == ("punct", "&"):
            self.take()
            left = And(left, self.unary())
        return left

    def unary(self) -> Expr:
        if self.peek() == ("punct", "!"):
            self.take()
            return Not(self.unary())
        if self.peek() == ("punct", "("):
            self.take()
            inner = self.or_()
            self.take(")")
            return inner
        kind, word = self.take()
        if kind != "word":
            raise ConformanceError(f"unexpected {word!r} in conformance {self.whole!r}")
        nxt = self.peek()
        if nxt is not None and nxt[0] == "op":
            self.take()
            value_kind, value = self.take()
            if value_kind != "word":
                raise ConformanceError(f"expected a value after {nxt[1]} in conformance {self.whole!r}")
            return Compare(word, nxt[1], value)
        return Name(word)


# --- evaluation ------------------------------------------------------------------------------------------

#: resolves a name: True/False when known, None when the environment cannot tell
Resolver = Callable[[str], bool | None]
#: resolves a comparison (`Rev >= v7`): True/False when known, None otherwise
Comparer = Callable[[Compare], bool | None]


def evaluate_expr(expr: Expr, resolve: Resolver, compare: Comparer) -> bool | None:
    """Kleene three-valued logic over the expression."""
    if isinstance(expr, Name):
        return resolve(expr.name)
    if isinstance(expr, Compare):
        return compare(expr)
    if isinstance(expr, Not):
        inner = evaluate_expr(expr.operand, resolve, compare)
        return None if inner is None else not inner
    left = evaluate_expr(expr.left, resolve, compare)
    right = evaluate_expr(expr.right, resolve, compare)
    if isinstance(expr, And):
        if left is False or right is False:
            return False
        return None if left is None or right is None else True
    if left is True or right is True:
        return True
    return None if left is None or right is None else False


class VerdictKind(Enum):
    MANDATORY = "mandatory"
    OPTIONAL = "optional"
    PROVISIONAL = "provisional"
    DEPRECATED = "deprecated"
    DISALLOWED = "disallowed"
    DESCRIBED = "described"  # `desc`: stated in the specification's prose, not as an expression
    UNKNOWN = "unknown"  # a condition the environment cannot decide


_VERDICTS = {
    "M": VerdictKind.MANDATORY,
    "O": VerdictKind.OPTIONAL,
    "P": VerdictKind.PROVISIONAL,
    "D": VerdictKind.DEPRECATED,
    "X": VerdictKind.DISALLOWED,
    "desc": VerdictKind.DESCRIBED,
}


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome for one element; `undecided` names the verdict an unknown condition would give."""

    kind: VerdictKind
    choice: Choice | None = None
    undecided: VerdictKind | None = None
    text: str = ""

    @property
    def mandatory(self) -> bool:
        return self.kind is VerdictKind.MANDATORY

    @property
    def allowed(self) -> bool:
        return self.kind is not VerdictKind.DISALLOWED


def evaluate(text: str, resolve: Resolver, compare: Comparer) -> Verdict:
    """The first clause whose condition holds decides; none holding means disallowed (the spec's rule).

    A choice (`O.a+`) makes the element part of a set checked as a whole by the caller."""
    for clause in parse(text):
        holds = True if clause.condition is None else evaluate_expr(clause.condition, resolve, compare)
        if holds is None:
            return Verdict(VerdictKind.UNKNOWN, clause.choice, _VERDICTS[clause.verdict], text)
        if holds:
            return Verdict(_VERDICTS[clause.verdict], clause.choice, None, text)
    return Verdict(VerdictKind.DISALLOWED, None, None, text)


def compare_revision(expr: Compare, revision: int) -> bool | None:
    """`Rev >= v7` against a cluster revision; other comparisons are not about the revision (None)."""
    if expr.name != "Rev" or not re.fullmatch(r"v\d+", expr.value):
        return None
    other = int(expr.value[1:])
    return {
        "==": revision == other,
        "!=": revision != other,
        ">=": revision >= other,
        "<=": revision <= other,
        ">": revision > other,
        "<": revision < other,
    }[expr.op]
