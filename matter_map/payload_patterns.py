"""Model patterns (Java/ECMAScript flavoured, unanchored) translated to Python regexes used with fullmatch."""

from __future__ import annotations

import functools
import re
import unicodedata
import warnings
from dataclasses import dataclass

__all__ = ["CompiledPattern", "compile_pattern"]

_MINOR_CATEGORIES = {
    "L": "ultmo",
    "M": "nce",
    "N": "dlo",
    "P": "cdseifo",
    "S": "mcko",
    "Z": "slp",
    "C": "cfson",
}
_CATEGORIES = tuple(major + minor for major, minors in _MINOR_CATEGORIES.items() for minor in minors)
# With \p{..} in a pattern, every non-ASCII character of the value is folded to the private-use
# placeholder of its Unicode general category; \p{..} itself becomes ASCII members + placeholders.
_PLACEHOLDERS = {category: chr(0xE000 + index) for index, category in enumerate(_CATEGORIES)}
_PASSED_LETTER_ESCAPES = frozenset("sSdDwWtnrf")
_CATEGORY_ESCAPE = re.compile(r"\{([A-Za-z]{1,2})\}|([A-Za-z])")
_CODEPOINT_ESCAPE = re.compile(r"\{([0-9a-fA-F]{1,6})\}")
_CARET, _DOLLAR = "\x00^", "\x00$"  # markers for anchors at the top level of an alternative


class _UnsupportedPatternError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    regex: re.Pattern[str]
    folds_categories: bool

    def accepts(self, value: str) -> bool:
        if self.folds_categories:
            value = "".join(char if char < "\x80" else _PLACEHOLDERS[unicodedata.category(char)] for char in value)
        return self.regex.fullmatch(value) is not None


def _category_class_body(name: str, negated: bool) -> str:
    chosen = {category for category in _CATEGORIES if category == name or category[0] == name}
    if not chosen:
        raise _UnsupportedPatternError(f"unknown Unicode category {name!r}")
    if negated:
        chosen = set(_CATEGORIES) - chosen
    ascii_members = (f"\\x{code:02x}" for code in range(128) if unicodedata.category(chr(code)) in chosen)
    folded = (f"\\u{ord(_PLACEHOLDERS[category]):04x}" for category in _CATEGORIES if category in chosen)
    return "".join(ascii_members) + "".join(folded)


def _translate_escape(pattern: str, index: int, in_class: bool) -> tuple[str, int, bool]:
    """Translate the escape at ``pattern[index] == '\\'``: (python source, next index, uses categories)."""
    if index + 1 >= len(pattern):
        raise _UnsupportedPatternError("trailing backslash")
    letter = pattern[index + 1]
    if letter in "pP":
        match = _CATEGORY_ESCAPE.match(pattern, index + 2)
        if match is None:
            raise _UnsupportedPatternError("malformed \\p escape")
        body = _category_class_body(match[1] or match[2], negated=letter == "P")
        return (body if in_class else f"[{body}]"), match.end(), True
    if letter == "x" and pattern.startswith("{", index + 2):
        match = _CODEPOINT_ESCAPE.match(pattern, index + 2)
        if match is None:
            raise _UnsupportedPatternError("malformed \\x{...} escape")
        return f"\\U{int(match[1], 16):08x}", match.end(), False
    if letter.isascii() and letter.isalnum() and letter not in _PASSED_LETTER_ESCAPES:
        raise _UnsupportedPatternError(f"escape \\{letter} has no certain Python equivalent")
    return "\\" + letter, index + 2, False


def _translate_pattern(pattern: str) -> tuple[str, bool]:
    """Model pattern -> (Python source for ``re.fullmatch``, whether values need category folding)."""
    alternatives: list[list[str]] = [[]]
    depth, index, in_class, folds = 0, 0, False, False
    while index < len(pattern):
        char = pattern[index]
        token, index = char, index + 1
        if char == "\\":
            token, index, uses_categories = _translate_escape(pattern, index - 1, in_class)
            folds = folds or uses_categories
        elif in_class:
            if char == "[" or pattern.startswith("&&", index - 1):
                raise _UnsupportedPatternError("nested classes and class intersections are Java-only")
            if char == "]":
                in_class = False
            elif char in "&~|":
                token = "\\" + char  # literal in Java; Python warns about future set operations
        elif char == "[":
            in_class = True
            if pattern.startswith("^", index):
                token, index = "[^", index + 1
            if pattern.startswith("]", index):
                raise _UnsupportedPatternError("a leading ']' in a class differs between dialects")
        elif char == "(":
            if pattern.startswith("?<", index) and pattern[index + 2 : index + 3].isalpha():
                raise _UnsupportedPatternError("named groups are spelled differently in Python")
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and char == "|":
            alternatives.append([])
            continue
        elif depth == 0 and char in "^$":
            token = _CARET if char == "^" else _DOLLAR
        alternatives[-1].append(token)
    if in_class or depth != 0:
        raise _UnsupportedPatternError("unbalanced brackets")
    if folds and not pattern.isascii():
        raise _UnsupportedPatternError("non-ASCII literals cannot be combined with \\p{...}")
    sources = []
    for tokens in alternatives:
        start = 1 if tokens[:1] == [_CARET] else 0
        end = len(tokens) - 1 if tokens[start:][-1:] == [_DOLLAR] else len(tokens)
        sources.append("".join(token.removeprefix("\x00") for token in tokens[start:end]))
    return "(?:" + "|".join(sources) + ")", folds


@functools.cache
def compile_pattern(pattern: str) -> CompiledPattern | None:
    """The model pattern as a full-match checker, or None when it cannot be translated faithfully."""
    try:
        source, folds = _translate_pattern(pattern)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            # ASCII: Java's \s, \d, \w are ASCII-only; Python's Unicode defaults would accept more.
            return CompiledPattern(re.compile(source, re.ASCII), folds)
    except (_UnsupportedPatternError, re.error, FutureWarning, DeprecationWarning):
        return None
