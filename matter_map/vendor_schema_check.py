"""Check a mapping against a hand-written vendor schema: every path it reads or writes exists, with a fitting type.

The schema is JSON Schema or an OpenAPI document, in YAML (read strictly) or JSON, named by the mapping's
`vendor_schema:` as `file#/json/pointer` relative to the mapping; `$ref`s to other files and to pointers
resolve relative to the file that holds them. Objects that declare properties are closed for this check (a
key they do not list is a typo or a missing declaration); objects that declare none are open. A `$ref` that
cannot be resolved stops the check of the paths below it, with a warning.

Every file must be a regular file of at most 4 MB inside the mapping's folder tree, patterns run on RE2
(linear time) and `$ref`/`allOf` expansion has a budget: a hostile schema is refused with an error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matter_map import model as m
from matter_map.diagnostics import Diagnostic, MappingError, Position, Severity
from matter_map.file_reads import note_read
from matter_map.ir import CompiledMapping, Source
from matter_map.paths import Segment, VendorPath
from matter_map.schema_patterns import PatternError
from matter_map.schema_patterns import search as pattern_search
from matter_map.vendor_reads import (
    JsonSchema,
    PathRead,
    all_rules,
    reads,
    rule_tests,
    schema_types,
    test_schema,
    writes,
)
from matter_map.yaml_loader import DocPath, LoadedDocument, load_yaml

MAX_REF_DEPTH = 64
MAX_SCHEMA_BYTES = 4 << 20  # one schema file
MAX_EXPANSION = 200_000  # schema objects visited through `$ref`, `allOf`, `anyOf` and `oneOf`, in all


class _UnresolvedError(Exception):
    """A `$ref` that cannot be followed (a missing file, an unknown pointer, a remote URL)."""


class _RefusedError(Exception):
    """A schema that is not used at all: outside the mapping's folder, not a regular file, too large, too deep,
    not valid JSON or YAML, or expanding beyond the budget."""


@dataclass(frozen=True, slots=True)
class _View:
    """A schema object and the file it was read from (for relative `$ref`s)."""

    node: Any
    file: Path


@dataclass(frozen=True, slots=True)
class _Use:
    """One path to check: the value schema the mapping expects there, and where the mapping says so."""

    path: VendorPath
    expected: JsonSchema
    what: str
    source: Source | None
    doc_path: DocPath
    rule_test: bool = False
    verb: str = "reads"


class _Documents:
    """Schema files read once each, strictly, and JSON pointers into them."""

    def __init__(self, root: Path) -> None:
        self._files: dict[Path, Any] = {}
        self.root = root.resolve()

    def load(self, file: Path) -> Any:
        resolved = file.resolve()
        if resolved not in self._files:
            self._files[resolved] = self._parse(file, self._read(file, resolved))
        return self._files[resolved]

    def _read(self, file: Path, resolved: Path) -> str:
        """The text of a schema file inside the mapping's folder tree: a regular file of bounded size."""
        if not resolved.is_relative_to(self.root):
            raise _RefusedError(f"{file} is outside the mapping's folder {self.root}")
        if not resolved.exists():
            note_read(resolved, None)
            raise _UnresolvedError(f"cannot read {file}: No such file or directory")
        if not resolved.is_file():
            note_read(resolved, None)
            raise _RefusedError(f"{file} is not a regular file")
        try:
            with resolved.open("rb") as stream:
                data = stream.read(MAX_SCHEMA_BYTES + 1)
        except OSError as exc:
            note_read(resolved, None)
            raise _UnresolvedError(f"cannot read {file}: {exc.strerror or exc}") from None
        note_read(resolved, data)  # a compiled-mapping cache checks these files before it reuses a result
        if len(data) > MAX_SCHEMA_BYTES:
            raise _RefusedError(f"{file} is larger than {MAX_SCHEMA_BYTES} bytes")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _RefusedError(f"{file}: not UTF-8 (byte {exc.start})") from None

    @staticmethod
    def _parse(file: Path, text: str) -> Any:
        if file.suffix == ".json":
            try:
                return json.loads(text)
            except json.JSONDecodeError as exc:
                raise _RefusedError(f"{file}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
            except RecursionError:
                raise _RefusedError(f"{file}: nested too deeply to read") from None
        try:
            return load_yaml(text, str(file)).value
        except MappingError as exc:
            first = exc.diagnostics[0] if exc.diagnostics else None
            raise _RefusedError(f"{first.position}: {first.message}" if first else f"{file}: bad YAML") from None
        except RecursionError:
            raise _RefusedError(f"{file}: nested too deeply to read") from None

    def resolve(self, reference: str, base: Path) -> _View:
        """`file#/pointer`, `file` or `#/pointer`, relative to the file `base`."""
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", reference):
            raise _UnresolvedError(f"remote reference {reference!r} is not followed")
        file_part, _, pointer = reference.partition("#")
        file = (base.parent / file_part) if file_part else base
        node = self.load(file)
        for token in [t for t in pointer.split("/") if t] if pointer else []:
            key = token.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isascii() and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                raise _UnresolvedError(f"{file.name}#{pointer}: no {key!r} there")
        return _View(node, file)


class _Checker:
    def __init__(self, document: LoadedDocument, documents: _Documents) -> None:
        self.document = document
        self.documents = documents
        self.problems: list[Diagnostic] = []
        self.expanded = 0

    # --- schema views --------------------------------------------------------------------------------

    def flatten(self, view: _View) -> Iterator[_View | _UnresolvedError]:
        """A schema and everything it includes by `$ref`, `allOf`, `anyOf` and `oneOf`, each object once,
        at most MAX_REF_DEPTH levels deep and MAX_EXPANSION objects over the whole check."""
        seen: set[int] = set()
        stack = [(view, 0)]
        while stack:
            current, depth = stack.pop()
            node = current.node
            if depth > MAX_REF_DEPTH or not isinstance(node, dict) or id(node) in seen:
                continue
            seen.add(id(node))
            self.expanded += 1
            if self.expanded > MAX_EXPANSION:
                raise _RefusedError(f"the schema expands to more than {MAX_EXPANSION} objects ($ref/allOf fan-out)")
            yield current
            included: list[_View] = []
            if isinstance(node.get("$ref"), str):
                try:
                    included.append(self.documents.resolve(node["$ref"], current.file))
                except _UnresolvedError as exc:
                    yield exc
            for key in ("allOf", "anyOf", "oneOf"):
                parts = node.get(key)
                included += [_View(part, current.file) for part in (parts if isinstance(parts, list) else [])]
            stack.extend((v, depth + 1) for v in reversed(included))

    def step(self, views: list[_View | _UnresolvedError], segment: Segment) -> tuple[list[_View], str]:
        """The schemas one segment further; an empty list with a reason when the segment is not there."""
        known = [v for v in views if isinstance(v, _View)]
        unresolved = [v for v in views if isinstance(v, _UnresolvedError)]
        if isinstance(segment, str):
            found = [_View(v.node["properties"][segment], v.file) for v in known if segment in _props(v.node)]
            if not found:
                try:
                    found = [
                        _View(schema, v.file)
                        for v in known
                        for pattern, schema in _pattern_properties(v.node)
                        if pattern_search(pattern, segment)
                    ]
                except PatternError as exc:
                    return [], f"unresolved: {exc}"
            if not found:
                found = [
                    _View(v.node["additionalProperties"], v.file)
                    for v in known
                    if isinstance(v.node.get("additionalProperties"), dict)
                ]
            if found:
                return found, ""
            if unresolved:
                return [], f"unresolved: {unresolved[0]}"
            closed = any(_props(v.node) or v.node.get("additionalProperties") is False for v in known)
            if closed:
                listed = sorted({k for v in known for k in _props(v.node)})
                return [], "missing: it lists " + ", ".join(listed[:12]) + (", …" if len(listed) > 12 else "")
            return [], "open"
        items = []
        for v in known:
            prefix = v.node.get("prefixItems")
            raw = v.node.get("items")
            if isinstance(segment, int) and isinstance(prefix, list) and 0 <= segment < len(prefix):
                items.append(_View(prefix[segment], v.file))
            elif isinstance(raw, list) and isinstance(segment, int) and 0 <= segment < len(raw):
                items.append(_View(raw[segment], v.file))
            elif isinstance(raw, dict):
                items.append(_View(raw, v.file))
        if items:
            return items, ""
        if unresolved:
            return [], f"unresolved: {unresolved[0]}"
        return [], "open"

    # --- checks --------------------------------------------------------------------------------------

    def check(self, root: _View, use: _Use) -> None:
        views: list[_View | _UnresolvedError] = list(self.flatten(root))
        walked: list[Segment] = []
        for segment in use.path.segments:
            kinds = _declared_types(views)
            container = "object" if isinstance(segment, str) else "array"
            if kinds is not None and container not in kinds:
                shown = _path_text(walked) or "the payload"
                self.report(
                    "vendor-schema-type",
                    f"{use.what} {use.verb} `{use.path}`, but the vendor schema declares `{shown}` as "
                    f"{' or '.join(sorted(kinds))}, not an {container}",
                    use,
                )
                return
            found, reason = self.step(views, segment)
            walked.append(segment)
            if not found:
                if reason.startswith("missing"):
                    self.report(
                        "vendor-schema-missing-path",
                        f"{use.what} {use.verb} `{use.path}`, which the vendor schema does not declare "
                        f"(at `{_path_text(walked)}`: {reason[len('missing: ') :]})",
                        use,
                        hint="fix the path, or declare it in the vendor schema",
                    )
                elif reason.startswith("unresolved"):
                    self.report(
                        "vendor-schema-unresolved",
                        f"cannot check `{use.path}` past {_path_text(walked[:-1]) or 'the root'}: "
                        f"{reason[len('unresolved: ') :]}",
                        use,
                        severity=Severity.WARNING,
                    )
                return
            views = [x for v in found for x in self.flatten(v)]
        self.check_value(views, use)

    def check_value(self, views: list[_View | _UnresolvedError], use: _Use) -> None:
        expected = schema_types(use.expected)
        declared = _declared_types(views)
        if expected is None or declared is None:
            return
        if not _compatible(expected - {"null"}, declared - {"null"}):
            self.report(
                "vendor-schema-type",
                f"{use.what} expects {' or '.join(sorted(expected))} at `{use.path}`, but the vendor schema "
                f"declares {' or '.join(sorted(declared))}",
                use,
                severity=Severity.WARNING if use.rule_test else Severity.ERROR,
            )
            return
        allowed = _declared_enum(views)
        wanted = use.expected.get("enum", [use.expected["const"]] if "const" in use.expected else None)
        if allowed is not None and wanted is not None:
            never = [v for v in wanted if v is not None and not any(_same(v, a) for a in allowed)]
            if never:
                self.report(
                    "vendor-schema-enum",
                    f"{use.what} handles {', '.join(json.dumps(v) for v in never)} at `{use.path}`, which the "
                    f"vendor schema never allows (it allows {', '.join(json.dumps(a) for a in allowed[:12])})",
                    use,
                    severity=Severity.WARNING,
                )
        self.check_range(views, use)

    def check_range(self, views: list[_View | _UnresolvedError], use: _Use) -> None:
        low, high = use.expected.get("minimum"), use.expected.get("maximum")
        if low is None or high is None:
            return
        for view in views:
            if not isinstance(view, _View):
                continue
            vmin, vmax = view.node.get("minimum"), view.node.get("maximum")
            below = isinstance(vmin, int | float) and not isinstance(vmin, bool) and vmin < low
            above = isinstance(vmax, int | float) and not isinstance(vmax, bool) and vmax > high
            if below or above:
                shown_min = vmin if isinstance(vmin, int | float) else "…"
                shown_max = vmax if isinstance(vmax, int | float) else "…"
                allowed = f"{shown_min}..{shown_max}"
                self.report(
                    "vendor-schema-range",
                    f"the vendor schema allows {allowed} at `{use.path}`, beyond the declared range "
                    f"{low}..{high} of {use.what}",
                    use,
                    severity=Severity.WARNING,
                    hint="widen `range:` (values outside it are refused), or confirm the vendor never sends them",
                )
                return

    def report(
        self, code: str, message: str, use: _Use, *, hint: str = "", severity: Severity = Severity.ERROR
    ) -> None:
        if use.source is not None:
            position: Position | None = Position(use.source.file, use.source.line, use.source.column)
            where = use.source.path
        else:
            position = self.document.position(use.doc_path)
            where = ".".join(str(p) for p in use.doc_path)
        self.problems.append(Diagnostic(code, message, position, where, hint, severity))


def check_vendor_schema(compiled: CompiledMapping, mapping: m.Mapping, document: LoadedDocument) -> list[Diagnostic]:
    """Every problem of the mapping's paths against its `vendor_schema:`; [] when it names none."""
    spec = mapping.vendor_schema
    if spec is None:
        return []
    state_ref, write_ref, where = (
        (spec, None, ("vendor_schema",))
        if isinstance(spec, str)
        else (spec.state, spec.write, ("vendor_schema", "state"))
    )
    base = Path(document.file)
    documents = _Documents(base.parent)
    checker = _Checker(document, documents)
    try:
        state_root = documents.resolve(state_ref, base)
        write_root = documents.resolve(write_ref, base) if write_ref else state_root
        for use in _read_uses(compiled):
            checker.check(state_root, use)
        for write in writes(compiled):
            checker.check(write_root, _Use(write.path, write.schema, write.rule, write.source, (), verb="writes"))
    except _RefusedError as exc:
        return [
            Diagnostic(
                "vendor-schema-refused",
                f"the vendor schema is not used: {exc}",
                document.value_position(where),
                ".".join(where),
                "name a JSON or YAML file of at most 4 MB inside the mapping's folder, and keep its $refs there",
            )
        ]
    except _UnresolvedError as exc:
        # a warning: a mapping deployed without its vendor schema (or compiled from text) still loads
        return [
            Diagnostic(
                "vendor-schema-unreadable",
                f"the paths were not checked against the vendor schema: {exc}",
                document.value_position(where),
                ".".join(where),
                "the file is resolved relative to the mapping file",
                Severity.WARNING,
            )
        ]
    return checker.problems


def _read_uses(compiled: CompiledMapping) -> Iterator[_Use]:
    seen: set[tuple[str, str]] = set()
    for read in reads(compiled):
        key = (read.path.text, read.rule)
        if key not in seen:
            seen.add(key)
            yield _read_use(read)
    for name, rule in all_rules(compiled):
        for test in rule_tests(rule):
            key = (test.path.text, f"{name} rule")
            if key not in seen:
                seen.add(key)
                yield _Use(test.path, test_schema(test), f"the {name} rule", test.source, (), rule_test=True)


def _read_use(read: PathRead) -> _Use:
    doc_path: DocPath = ("device", read.rule.split(".", 1)[1]) if read.role.startswith("device") else ()
    return _Use(read.path, read.schema, read.rule, read.source, doc_path)


# --- schema facts --------------------------------------------------------------------------------------


def _pattern_properties(node: Any) -> list[tuple[str, Any]]:
    patterns = node.get("patternProperties")
    return [(k, v) for k, v in patterns.items() if isinstance(k, str)] if isinstance(patterns, dict) else []


def _props(node: Any) -> dict[str, Any]:
    props = node.get("properties") if isinstance(node, dict) else None
    return props if isinstance(props, dict) else {}


def _declared_types(views: list[_View | _UnresolvedError]) -> set[str] | None:
    """The JSON types the schemas allow (union over the views), or None when none says."""
    kinds: set[str] = set()
    said = False
    for view in views:
        if isinstance(view, _UnresolvedError):
            return None
        node = view.node
        found = schema_types({k: node[k] for k in ("type", "enum", "const") if k in node})
        if found is not None:
            said = True
            kinds |= found
        if node.get("nullable") is True:
            kinds.add("null")
    return kinds if said else None


def _declared_enum(views: list[_View | _UnresolvedError]) -> list[Any] | None:
    values: list[Any] | None = None
    for view in views:
        if isinstance(view, _View) and isinstance(view.node.get("enum"), list):
            values = [*(values or []), *view.node["enum"]]
    return values


def _compatible(expected: set[str], declared: set[str]) -> bool:
    """Some value has both types (an integer is a number)."""
    if not expected or not declared:
        return True
    if "number" in expected:
        expected = expected | {"integer"}
    if "number" in declared:
        declared = declared | {"integer"}
    return bool(expected & declared)


def _same(a: Any, b: Any) -> bool:
    return isinstance(a, bool) is isinstance(b, bool) and a == b


def _path_text(segments: list[Segment]) -> str:
    if not segments:
        return ""
    text = ""
    for segment in segments:
        if isinstance(segment, int):
            text += f"[{segment}]"
        elif isinstance(segment, str):
            text += f".{segment}" if text else segment
        else:
            text += f"[{segment.key}={segment.value}]"
    return text
