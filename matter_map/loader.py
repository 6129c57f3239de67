"""Load a mapping file through the whole front end: strict YAML → typed model → linked, compiled IR."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from matter_map import model as m
from matter_map.catalog import Catalog, load_catalog
from matter_map.diagnostics import Diagnostic, MappingError, Position, Severity, did_you_mean
from matter_map.ir import CompiledMapping
from matter_map.linker import link_with_warnings
from matter_map.paths import MISSING
from matter_map.vendor_schema_check import check_vendor_schema
from matter_map.yaml_loader import MAX_DOCUMENT_BYTES, DocPath, LoadedDocument, load_yaml, yaml11_hint

MAPPING_SUFFIXES = (".yaml", ".yml")
#: the folder of a vendor profile and its fragments (see profiles.py)
PROFILE_FOLDER = "compose"


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
    mapping = parse_model(document)
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    compiled, warnings = link_with_warnings(document, mapping, catalog or load_catalog(), sha256)
    schema_problems = check_vendor_schema(compiled, mapping, document)
    if any(p.severity is Severity.ERROR for p in schema_problems):
        raise MappingError([*warnings, *schema_problems])
    return LoadResult(compiled, (*warnings, *schema_problems))


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


def mapping_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand folders into their mapping files (sorted); files are passed through. A `compose/` folder holds a
    vendor profile and its fragments (profiles.py), not whole-device mappings, and is skipped."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.suffix in MAPPING_SUFFIXES and p.is_file() and PROFILE_FOLDER not in p.relative_to(path).parts
            )
        else:
            yield path


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
        seen_key = (path, message)
        if seen_key in seen:
            continue
        seen.add(seen_key)
        position = document.position(path) if etype in ("extra_forbidden",) else document.value_position(path)
        out.append(Diagnostic(code, message, position, ".".join(str(p) for p in path), hint))
    return out


def _suggest(word: str, candidates: list[str]) -> list[str]:
    import difflib

    return difflib.get_close_matches(word, candidates, n=3, cutoff=0.6)
