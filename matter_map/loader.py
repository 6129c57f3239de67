"""Load a mapping file through the whole front end: strict YAML → typed model → linked, compiled IR."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from matter_map import model as m
from matter_map.catalog import Catalog, load_catalog
from matter_map.diagnostics import Diagnostic, MappingError, Position, Severity, did_you_mean
from matter_map.ir import CompiledMapping
from matter_map.json_kinds import json_kind
from matter_map.linker import link_with_warnings
from matter_map.mapping_paths import MAPPING_SUFFIXES, PROFILE_FOLDER, mapping_files
from matter_map.paths import MISSING
from matter_map.vendor_schema_check import check_vendor_schema
from matter_map.yaml_loader import MAX_DOCUMENT_BYTES, DocPath, LoadedDocument, doc_path_text, load_yaml, yaml11_hint

__all__ = [
    "MAPPING_SUFFIXES",
    "PROFILE_FOLDER",
    "LoadResult",
    "compile_text",
    "json_words",
    "load_mapping",
    "mapping_files",
    "parse_model",
    "pydantic_diagnostics",
    "read_text",
]


@dataclass(frozen=True, slots=True)
class LoadResult:
    compiled: CompiledMapping
    warnings: tuple[Diagnostic, ...]


def read_text(path: Path) -> str:
    """Read a mapping file as UTF-8 with a size bound; problems become diagnostics."""
    where = Position(str(path), 1, 1)
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise MappingError(
                [Diagnostic("document-too-large", f"the file exceeds {MAX_DOCUMENT_BYTES} bytes", where)]
            )
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise MappingError([Diagnostic("encoding", f"the file is not UTF-8 ({exc.reason})", where)]) from None
    except OSError as exc:
        raise MappingError([Diagnostic("unreadable", f"cannot read the file: {exc.strerror}", where)]) from None


def load_mapping(path: str | Path, catalog: Catalog | None = None) -> LoadResult:
    """Compile one mapping file, or raise MappingError with every problem found."""
    file = Path(path)
    text = read_text(file)
    return compile_text(text, str(file), catalog)


def compile_text(text: str, file: str, catalog: Catalog | None = None) -> LoadResult:
    document = load_yaml(text, file)
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    try:
        mapping = parse_model(document)
    except MappingError as exc:  # the rest of the file is still linked, so one run reports every problem
        raise MappingError([*exc.diagnostics, *_problems_beyond(document, exc, catalog, sha256)]) from None
    compiled, warnings = link_with_warnings(document, mapping, catalog or load_catalog(), sha256)
    schema_problems = check_vendor_schema(compiled, mapping, document)
    if any(p.severity is Severity.ERROR for p in schema_problems):
        raise MappingError([*warnings, *schema_problems])
    return LoadResult(compiled, (*warnings, *schema_problems))


# named entries of a mapping that can be left out without shifting any other entry's place in the document
_ENTRY_CONTAINERS = {"attributes", "commands", "clusters", "capabilities", "properties", "actions", "parameters"}


def _problems_beyond(
    document: LoadedDocument, error: MappingError, catalog: Catalog | None, sha256: str
) -> list[Diagnostic]:
    """The linker's problems in the rest of a file whose model failed: the failing entries are left out and the
    remainder linked; nothing when the failure is not inside such an entry, or the remainder still fails."""
    cuts: list[DocPath] = []
    for diagnostic in error.diagnostics:
        cut = _entry_of(diagnostic.doc_path)
        if cut is None:
            return []
        cuts.append(cut)
    pruned = copy.deepcopy(document.value)
    for cut in cuts:
        parent = _node_at(pruned, cut[:-1])
        if isinstance(parent, dict):
            parent.pop(cut[-1], None)
    remainder = LoadedDocument(document.file, pruned, document.positions, document.key_positions, document.text)
    try:
        mapping = m.Mapping.model_validate(pruned)
        _, warnings = link_with_warnings(remainder, mapping, catalog or load_catalog(), sha256)
    except ValidationError:
        return []
    except MappingError as exc:
        found = list(exc.diagnostics)
    else:
        found = list(warnings)
    clusters = {cut[:-2] for cut in cuts}
    return [
        d
        for d in found
        if not (d.code == "unbound-write-target" and any(d.path.startswith(doc_path_text(c)) for c in clusters))
    ]


def _entry_of(path: DocPath | None) -> DocPath | None:
    if path is None:
        return None
    for end in range(len(path), 1, -1):
        if path[end - 2] in _ENTRY_CONTAINERS and isinstance(path[end - 1], str):
            return path[:end]
    return None


def _node_at(value: Any, path: DocPath) -> Any:
    for part in path:
        value = _child(value, part)
    return value


def parse_model(document: LoadedDocument) -> m.Mapping:
    if not isinstance(document.value, dict):
        raise MappingError(
            [
                Diagnostic(
                    "not-a-mapping",
                    "a mapping file must hold an object at the top level",
                    Position(document.file, 1, 1),
                    hint="start from mappings/philips_hue/extended_color_light.yaml",
                )
            ]
        )
    try:
        return m.Mapping.model_validate(document.value)
    except ValidationError as exc:
        raise MappingError(pydantic_diagnostics(exc, document)) from None


# --- pydantic errors → diagnostics --------------------------------------------------------------------


_CODES = {
    "missing": "missing-key",
    "extra_forbidden": "unknown-key",
    "literal_error": "invalid-value",
    "string_pattern_mismatch": "invalid-value",
    "too_short": "too-short",
    "too_long": "too-long",
    "string_too_long": "too-long",
    "string_too_short": "too-short",
    "greater_than_equal": "out-of-range",
    "less_than_equal": "out-of-range",
    "value_error": "invalid",
    "union_tag_invalid": "invalid",
    "unknown-transform": "unknown-transform",
}


def _known_keys() -> list[str]:
    keys: set[str] = set()
    for model in _all_models():
        for name, info in model.model_fields.items():
            keys.add(info.alias or name)
    return sorted(keys)


def _all_models() -> list[type[Any]]:
    return [
        obj for obj in vars(m).values() if isinstance(obj, type) and issubclass(obj, m._Strict) and obj is not m._Strict
    ]


def _doc_path(loc: tuple[str | int, ...], value: Any) -> DocPath:
    """Drop the union tags pydantic inserts into `loc`, keeping only steps that exist in the document."""
    path: list[str | int] = []
    current = value
    for part in loc:
        step = _child(current, part)
        if step is not MISSING:
            current = step
            path.append(part)
        elif isinstance(current, dict) and isinstance(part, str) and part not in current and part == loc[-1]:
            path.append(part)  # a missing key: point at its parent, name the key
    return tuple(path)


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, dict) and part in node:
        return node[part]
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return MISSING


def pydantic_diagnostics(exc: ValidationError, document: LoadedDocument) -> list[Diagnostic]:
    """pydantic's validation errors as diagnostics at the document's positions."""
    out = []
    seen: set[tuple[DocPath, str]] = set()
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        path = _doc_path(loc, document.value)
        etype = error["type"]
        code = _CODES.get(etype, "wrong-type" if etype.endswith("_type") or "parsing" in etype else "invalid")
        message = error["msg"]
        hint = ""
        if etype == "extra_forbidden":
            key = str(loc[-1])
            message = f"unknown key {key!r}"
            hint = did_you_mean(_suggest(key, _known_keys()))
        elif etype == "missing":
            message = f"missing required key {loc[-1]!r}"
        elif etype == "unknown-transform":
            given = error.get("input")
            name = next(iter(given)) if isinstance(given, dict) and given else given
            message = f"unknown transform {name!r}" if isinstance(name, str) else "malformed transform step"
            hint = did_you_mean(_suggest(str(name), list(m.STEP_MODELS))) or (
                "a step is a name or a one-key object; known: " + ", ".join(m.STEP_MODELS)
            )
        elif code == "wrong-type":
            hint = yaml11_hint(error.get("input"))
            if not hint and isinstance(error.get("input"), int | float) and "string" in etype:
                hint = "quote the value to keep it as text"
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        if code in ("wrong-type", "invalid-value"):
            message = json_words(message, error.get("input", MISSING))
        seen_key = (path, message)
        if seen_key in seen:
            continue
        seen.add(seen_key)
        position = document.position(path) if etype in ("extra_forbidden",) else document.value_position(path)
        out.append(Diagnostic(code, message, position, doc_path_text(path), hint, doc_path=path))
    return out


_PYDANTIC_WORDS = (
    ("Input should be a valid dictionary", "expected an object"),
    ("Input should be a valid list", "expected a list"),
    ("Input should be a valid string", "expected a string"),
    ("Input should be a valid integer", "expected an integer"),
    ("Input should be a valid number", "expected a number"),
    ("Input should be a valid boolean", "expected true or false"),
    ("Input should be", "expected"),
)


def json_words(message: str, given: Any) -> str:
    """pydantic's wording in JSON terms (`expected an object, got a string`), naming what was written."""
    for python, plain in _PYDANTIC_WORDS:
        if message.startswith(python):
            message = plain + message[len(python) :]
            break
    message = re.split(r" or instance of |, unable to parse| \[type=", message, maxsplit=1)[0]
    if given is MISSING or "got" in message:
        return message
    listed = "'" in message  # a choice of literal values: show the one written
    if listed and isinstance(given, str | int | float) and not isinstance(given, bool):
        return f"{message}, got {json.dumps(given)}"
    return f"{message}, got {json_kind(given)}"


def _suggest(word: str, candidates: list[str]) -> list[str]:
    import difflib

    return difflib.get_close_matches(word, candidates, n=3, cutoff=0.6)
