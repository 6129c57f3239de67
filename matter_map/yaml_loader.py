"""Strict YAML loading: JSON-typed scalars only, no duplicate keys, bounded size, a position for every node."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from matter_map.diagnostics import Diagnostic, MappingError, Position

MAX_DOCUMENT_BYTES = 1 << 20
MAX_NODES = 100_000

DocPath = tuple[str | int, ...]

_STR_TAG = "tag:yaml.org,2002:str"
_ALLOWED_TAGS = {_STR_TAG, "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
# YAML 1.2 JSON-schema scalars; every other plain scalar stays the exact text written.
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_SURROGATE = re.compile("[\ud800-\udfff]")
_YAML11_BOOLISH = {"y", "yes", "n", "no", "on", "off", "true", "false"}


class _StrictResolver(BaseResolver):
    """Resolves no implicit tags: a plain scalar stays a string until this module types it."""


class _Loader(Reader, Scanner, Parser, Composer, _StrictResolver):
    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _StrictResolver.__init__(self)


MISSING_NODE: Any = object()

try:  # libyaml's parser: the same events and marks, about six times faster
    from yaml._yaml import CParser

    class _CLoader(CParser, _StrictResolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _StrictResolver.__init__(self)

    HAS_LIBYAML = True
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    HAS_LIBYAML = False


def compose_fast(text: str) -> Any:
    """The document's node tree from libyaml, or MISSING_NODE on any error (the Python parser reports it)."""
    if not HAS_LIBYAML:  # pragma: no cover - PyYAML built without libyaml
        return MISSING_NODE
    loader = _CLoader(text)
    try:
        return loader.get_single_node()
    except yaml.YAMLError:
        return MISSING_NODE
    finally:
        loader.dispose()


def compose_pure(text: str) -> Any:
    """The document's node tree from PyYAML's pure-Python parser (the reference for compose_fast)."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def load_with(compose: Any, text: str, file: str) -> tuple[Any, dict[DocPath, Position], dict[DocPath, Position]]:
    """Values and positions built from the node tree of one parser (so the two parsers can be compared)."""
    builder = _Builder(file)
    node = compose(text)
    value = builder.build(node, ()) if node is not None else None
    return value, builder.positions, builder.key_positions


@dataclass(frozen=True, slots=True)
class LoadedDocument:
    """A parsed document with the source position of each value and each mapping key."""

    file: str
    value: Any
    positions: dict[DocPath, Position]
    key_positions: dict[DocPath, Position]
    text: str

    def position(self, path: DocPath) -> Position | None:
        """The position of the value at `path`, or of its nearest ancestor that has one."""
        probe = tuple(path)
        while True:
            found = self.key_positions.get(probe) or self.positions.get(probe)
            if found is not None or not probe:
                return found
            probe = probe[:-1]

    def value_position(self, path: DocPath) -> Position | None:
        probe = tuple(path)
        while True:
            found = self.positions.get(probe)
            if found is not None or not probe:
                return found
            probe = probe[:-1]


def doc_path_text(path: DocPath) -> str:
    """The one notation of a place in a mapping: `endpoints[0].clusters.OnOff.attributes.OnOff`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def scalar_value(text: str) -> Any:
    """Type a plain scalar the way JSON would; anything else is kept as the written string."""
    if text in ("null", "~", ""):
        return None
    if text == "true":
        return True
    if text == "false":
        return False
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        number = float(text)
        if math.isfinite(number):
            return number
    return text


def load_yaml(text: str, file: str) -> LoadedDocument:
    """Parse one YAML document strictly; raise MappingError with every problem found."""
    if len(text.encode("utf-8", errors="replace")) > MAX_DOCUMENT_BYTES:
        raise MappingError(
            [
                Diagnostic(
                    "document-too-large",
                    f"the document exceeds {MAX_DOCUMENT_BYTES} bytes",
                    Position(file, 1, 1),
                    hint="split the mapping into one file per device kind",
                )
            ]
        )
    node = compose_fast(text)
    loader: _Loader | None = None
    try:
        if node is MISSING_NODE:  # no libyaml, or a syntax error: the Python parser says what and where
            loader = _Loader(text)
            node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise MappingError([syntax_diagnostic(exc, file)]) from None
    except yaml.reader.ReaderError as exc:
        message = f"character #x{exc.character:04x} is not allowed in YAML"
        raise MappingError([Diagnostic("yaml-syntax", message, Position(file, 1, 1))]) from None
    except yaml.YAMLError as exc:
        raise MappingError([Diagnostic("yaml-syntax", str(exc), Position(file, 1, 1))]) from None
    finally:
        if loader is not None:
            loader.dispose()
    builder = _Builder(file)
    value = builder.build(node, ()) if node is not None else None
    if builder.problems:
        raise MappingError(builder.problems)
    return LoadedDocument(file, value, builder.positions, builder.key_positions, text)


# (words of the parser's message, explanation, hint, whether the context mark is the place to point at)
_SYNTAX_EXPLAINED: tuple[tuple[str, str, str, bool], ...] = (
    ("'\\t'", "a tab character: YAML indents with spaces only", "replace the tab with spaces", False),
    (
        "mapping values are not allowed",
        "a `:` where a value was expected: an unquoted value holds `: `, or this line is indented deeper than the "
        "keys above it",
        'quote the value ("a: b"), or indent the keys of one object equally',
        False,
    ),
    ("quoted scalar", "a quoted string is not closed", "add the closing quote", True),
    ("flow mapping", "an inline object `{...}` is not closed, or lacks a comma", "close it with `}`", True),
    ("flow sequence", "an inline list `[...]` is not closed, or lacks a comma", "close it with `]`", True),
    (
        "expected <block end>",
        "this line does not line up with the block above it",
        "align the items (`- `) of one list, and the keys of one object, at the same column",
        False,
    ),
    (
        "could not find expected ':'",
        "a line that is neither `key: value` nor a list item `- value`",
        "add `: ` after the key, or join the line to the value above it",
        True,
    ),
    ("undefined alias", "an alias (`*name`) that no anchor (`&name`) defines", "write the value out instead", False),
    ("cannot start any token", "a character that cannot start a plain value", "quote the value", False),
    (
        "did not find expected key",
        "a key out of line with the object it belongs to",
        "indent it like its siblings",
        False,
    ),
)


def syntax_diagnostic(exc: yaml.MarkedYAMLError, file: str) -> Diagnostic:
    """A YAML syntax error located where the mistake is, explained in plain words, with a fix as the hint."""
    raw = " ".join(part for part in (exc.context, exc.problem) if part) or "malformed YAML"
    message, hint, mark = raw, "", exc.problem_mark or exc.context_mark
    for words, explanation, fix, at_context in _SYNTAX_EXPLAINED:
        if words in raw:
            message, hint = explanation, fix
            if at_context and exc.context_mark is not None:
                mark = exc.context_mark
            break
    position = Position(file, mark.line + 1, mark.column + 1) if mark else Position(file, 1, 1)
    return Diagnostic("yaml-syntax", message, position, hint=hint)


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.positions: dict[DocPath, Position] = {}
        self.key_positions: dict[DocPath, Position] = {}
        self.problems: list[Diagnostic] = []
        self.count = 0
        self.active: set[int] = set()

    def _pos(self, node: Node) -> Position:
        return Position(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def _problem(self, code: str, message: str, node: Node, hint: str = "") -> None:
        self.problems.append(Diagnostic(code, message, self._pos(node), hint=hint))

    def build(self, node: Node, path: DocPath, empty_at: Position | None = None) -> Any:
        """The value of `node`; an empty value (`key:`) is placed at `empty_at`, its key (parsers disagree)."""
        self.count += 1
        if self.count > MAX_NODES:
            if self.count == MAX_NODES + 1:
                self._problem(
                    "document-too-large",
                    f"the document expands to more than {MAX_NODES} nodes (alias expansion?)",
                    node,
                )
            return None
        empty = isinstance(node, ScalarNode) and not node.style and node.value == ""
        self.positions.setdefault(path, empty_at if empty and empty_at is not None else self._pos(node))
        if node.tag not in _ALLOWED_TAGS:
            self._problem("yaml-tag", f"explicit tag {node.tag!r} is not allowed", node, "remove the tag")
            return None
        if isinstance(node, ScalarNode):
            if not node.style:  # plain: None from PyYAML, "" from libyaml
                return scalar_value(node.value)
            return self._text(node)
        if id(node) in self.active:
            self._problem("yaml-recursive-alias", "a recursive alias is not allowed", node)
            return None
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            if isinstance(node, MappingNode):
                return self._mapping(node, path)
        finally:
            self.active.discard(id(node))
        self._problem("yaml-node", "unsupported YAML node", node)  # pragma: no cover - composer makes 3 kinds
        return None

    def _text(self, node: ScalarNode) -> str | None:
        """A quoted scalar; escaped UTF-16 surrogate pairs (`\\ud83d\\ude00`) become one character."""
        text: str = node.value
        if not _SURROGATE.search(text):
            return text
        try:
            return text.encode("utf-16", "surrogatepass").decode("utf-16")
        except UnicodeDecodeError:
            self._problem("yaml-encoding", "a lone UTF-16 surrogate is not a character", node, "escape the full pair")
            return None

    def _mapping(self, node: MappingNode, path: DocPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Position] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self._problem("yaml-key", "mapping keys must be plain strings", key_node)
                continue
            key = key_node.value
            if key == "<<" and not key_node.style:
                self._problem("yaml-merge-key", "merge keys (<<) are not supported", key_node, "repeat the keys")
                continue
            key_position = self._pos(key_node)
            if key in first_seen:
                self._problem(
                    "duplicate-key",
                    f"duplicate key {key!r} (first defined at {first_seen[key]})",
                    key_node,
                    "remove one of the two entries",
                )
                continue
            first_seen[key] = key_position
            self.key_positions[(*path, key)] = key_position
            result[key] = self.build(value_node, (*path, key), key_position)
        return result


def yaml11_hint(value: object) -> str:
    """A hint for strings that YAML 1.1 readers would have turned into booleans."""
    if isinstance(value, str) and value.lower() in _YAML11_BOOLISH:
        return f"`{value}` is a string here; write true or false for a boolean, or quote it to keep text"
    return ""
