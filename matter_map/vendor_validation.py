"""Validate incoming vendor payloads against a mapping's derived schema, with errors that name path and rule.

The hot path asks a compiled validator only "valid?" (jsonschema-rs, about 2 µs for a Hue light state; the
pure-Python jsonschema, the fallback when jsonschema-rs is not installed, about 220 µs: see
bench/vendor_validation.py). Only an invalid payload is walked for every error, each becoming a
`TranslationProblem` with the declared vendor path (`dimming.brightness`, `status[code=bright_value].value`),
the rule that reads it (`LevelControl.CurrentLevel`) and where that rule is written (`file:line:col`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from matter_map.errors import TranslationError, TranslationProblem, shown
from matter_map.input_limits import bad_input
from matter_map.ir import CompiledMapping
from matter_map.paths import MISSING, VendorPath
from matter_map.rules import matches
from matter_map.translator import Checker, Translator
from matter_map.values import fmt_number
from matter_map.vendor_reads import JsonSchema, PathRead
from matter_map.vendor_schema import Reader, VendorSchema, derive

ENGINES = ("jsonschema-rs", "jsonschema")
MAX_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class SchemaError:
    """One error of either engine, reduced to what both report: where in the payload and in the schema."""

    instance_path: tuple[str | int, ...]
    schema_path: tuple[str | int, ...]
    instance: Any
    message: str


class _Engine(Protocol):
    name: str

    def is_valid(self, payload: Any) -> bool: ...

    def errors(self, payload: Any) -> Iterator[SchemaError]: ...


class _RustEngine:
    name = "jsonschema-rs"

    def __init__(self, schema: JsonSchema) -> None:
        import jsonschema_rs

        self._validator = jsonschema_rs.validator_for(schema)

    def is_valid(self, payload: Any) -> bool:
        return bool(self._validator.is_valid(payload))

    def errors(self, payload: Any) -> Iterator[SchemaError]:
        for error in self._validator.iter_errors(payload):
            yield SchemaError(tuple(error.instance_path), tuple(error.schema_path), error.instance, error.message)


class _PythonEngine:
    name = "jsonschema"

    def __init__(self, schema: JsonSchema) -> None:
        from jsonschema import Draft202012Validator

        self._validator = Draft202012Validator(schema)

    def is_valid(self, payload: Any) -> bool:
        return bool(self._validator.is_valid(payload))

    def errors(self, payload: Any) -> Iterator[SchemaError]:
        for error in self._validator.iter_errors(payload):
            yield SchemaError(
                tuple(error.absolute_path), tuple(error.absolute_schema_path), error.instance, error.message
            )


def available_engines() -> tuple[str, ...]:
    """The engines importable here, fastest first."""
    try:
        import jsonschema_rs  # noqa: F401
    except ImportError:
        return ("jsonschema",)
    return ENGINES


def _engine(name: str | None, schema: JsonSchema) -> _Engine:
    chosen = name or available_engines()[0]
    if chosen == "jsonschema-rs":
        return _RustEngine(schema)
    if chosen == "jsonschema":
        return _PythonEngine(schema)
    raise ValueError(f"unknown validation engine {chosen!r} (known: {', '.join(ENGINES)})")


class VendorValidator:
    """Checks vendor payloads of one mapping: full states, or partial updates (`partial=True`)."""

    def __init__(self, compiled: CompiledMapping, *, engine: str | None = None) -> None:
        self.schema: VendorSchema = derive(compiled)
        self.engine_name = engine or available_engines()[0]
        self._engines: dict[bool, _Engine] = {}

    def _compiled(self, partial: bool) -> _Engine:
        if partial not in self._engines:
            self._engines[partial] = _engine(self.engine_name, self.schema.document(partial))
        return self._engines[partial]

    def problems(self, payload: Any, *, partial: bool = False) -> list[TranslationProblem]:
        """Every problem of the payload (at most MAX_PROBLEMS), or [] when it is valid; a payload outside the
        input bounds (depth, size, numbers) is not given to the engine at all."""
        beyond = bad_input(payload, "the vendor state")
        if beyond is not None:
            return [beyond]
        engine = self._compiled(partial)
        found: list[TranslationProblem] = []
        if not engine.is_valid(payload):
            seen: set[tuple[str, str]] = set()
            for error in engine.errors(payload):
                for problem in self._explain(error, payload, partial):
                    key = (problem.code, problem.vendor_path)
                    if key not in seen:
                        seen.add(key)
                        found.append(problem)
                if len(found) >= MAX_PROBLEMS:
                    break
        found.extend(self._bound_problems(payload))
        return found[:MAX_PROBLEMS]

    def ensure_valid(self, payload: Any, *, partial: bool = False) -> None:
        """Raise TranslationError listing every problem of an invalid payload."""
        found = self.problems(payload, partial=partial)
        if found:
            raise TranslationError(found)

    # --- explaining engine errors --------------------------------------------------------------------

    def _explain(self, error: SchemaError, payload: Any, partial: bool) -> list[TranslationProblem]:
        document = self.schema.document(partial)
        keyword = str(error.schema_path[-1]) if error.schema_path else ""
        constraint = _at(document, error.schema_path)
        blocks = self.schema.blocks(partial)
        owner: Reader | None = None
        if len(error.schema_path) > 1 and error.schema_path[0] == "allOf":
            block = error.schema_path[1]
            if isinstance(block, int) and block < len(blocks):
                owner = blocks[block]
        in_match = owner is not None and owner.rule == "match rule"
        paths: list[tuple[str | int, ...]] = [error.instance_path]
        if keyword == "required" and isinstance(constraint, list) and isinstance(error.instance, dict):
            paths = [(*error.instance_path, k) for k in constraint if k not in error.instance]
        out = []
        for instance_path in paths:
            declared, readers = self.schema.readers_at(instance_path, payload)
            concrete = _render(instance_path)
            shown_path = declared if _depth(declared) == len(instance_path) else concrete
            reader = owner if owner is not None else (readers[0] if readers else None)
            code, detail = _describe(keyword, constraint, error, shown_path)
            if in_match:
                code = "unrecognised-payload"
                detail = f"the payload is not a {self.schema.compiled.identity} payload: {detail}"
            elif reader is not None and owner is None and len({r.rule for r in readers}) > 1:
                others = sorted({r.rule for r in readers} - {reader.rule})
                detail += f" (also read by {', '.join(others)})"
            out.append(
                TranslationProblem(
                    code,
                    detail,
                    vendor_path=shown_path,
                    rule=reader.rule if reader else "",
                    source=str(reader.source) if reader and reader.source else "",
                )
            )
        return out

    # --- ranges read from the payload ----------------------------------------------------------------

    def _bound_problems(self, payload: Any) -> list[TranslationProblem]:
        out = []
        for read in self.schema.bounded:
            if read.conditions and not all(matches(c, payload) for c in read.conditions):
                continue
            value = read.path.get(payload)
            if not _is_number(value):
                continue
            low_path, high_path = read.bounds
            for bound_path, below in ((low_path, True), (high_path, False)):
                bound = _bound(bound_path, payload)
                if bound is None or bound_path is None:
                    continue
                if (value < bound) if below else (value > bound):
                    word = "minimum" if below else "maximum"
                    out.append(_bound_problem(read, value, bound, bound_path, word))
        return out


def _bound(path: VendorPath | None, payload: Any) -> float | None:
    if path is None:
        return None
    value = path.get(payload)
    return value if value is not MISSING and _is_number(value) else None


def _bound_problem(read: PathRead, value: Any, bound: float, bound_path: VendorPath, word: str) -> TranslationProblem:
    side = "below" if word == "minimum" else "above"
    return TranslationProblem(
        "out-of-range",
        f"vendor value {fmt_number(value)} at `{read.path}` is {side} the device's {word} "
        f"{fmt_number(bound)} (read at `{bound_path}`)",
        vendor_path=str(read.path),
        rule=read.rule,
        source=str(read.source) if read.source else "",
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _describe(keyword: str, constraint: Any, error: SchemaError, path: str) -> tuple[str, str]:
    value = error.instance
    where = f"`{path}`" if path else "the payload"
    if keyword == "required":
        return "missing-vendor-value", f"vendor path {where} is missing"
    if keyword in ("minimum", "exclusiveMinimum"):
        return "out-of-range", f"vendor value {shown(value)} at {where} is below the minimum {fmt_number(constraint)}"
    if keyword in ("maximum", "exclusiveMaximum"):
        return "out-of-range", f"vendor value {shown(value)} at {where} is above the maximum {fmt_number(constraint)}"
    if keyword == "type":
        kinds = constraint if isinstance(constraint, list) else [constraint]
        return "bad-vendor-value", f"vendor value {shown(value)} at {where} is not {_or(kinds)}"
    if keyword in ("enum", "const"):
        allowed = constraint if keyword == "enum" else [constraint]
        return "bad-vendor-value", f"vendor value {shown(value)} at {where} is not one of {shown(allowed)}"
    if keyword == "minLength":
        return "bad-vendor-value", f"vendor value at {where} is an empty string"
    if keyword in ("contains", "minItems"):
        return "missing-vendor-value", f"the list at {where} lacks the item the mapping reads ({keyword})"
    if keyword == "not":
        return "bad-vendor-value", f"vendor value {shown(value)} at {where} is not allowed"
    message = error.message if len(error.message) <= 200 else error.message[:197] + "..."
    return "bad-vendor-value", f"vendor value at {where}: {message}"


def _or(kinds: Sequence[Any]) -> str:
    words = [
        {"null": "null", "integer": "an integer", "object": "an object", "array": "a list"}.get(k, f"a {k}")
        for k in kinds
    ]
    return " or ".join(words)


def _at(document: Any, schema_path: Sequence[str | int]) -> Any:
    node = document
    for step in schema_path:
        in_object = isinstance(node, dict) and step in node
        in_list = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        if not (in_object or in_list):
            return None
        node = node[step]
    return node


def _render(instance_path: Sequence[str | int]) -> str:
    text = ""
    for step in instance_path:
        if isinstance(step, int):
            text += f"[{step}]"
        elif step.replace("_", "").replace("-", "").replace("$", "").replace("@", "").isalnum():
            text += f".{step}" if text else step
        else:
            text += '["' + step.replace("\\", "\\\\").replace('"', '\\"') + '"]'
    return text


def _depth(declared: str) -> int:
    """How many segments a declared path text has (`a[k=v].b` → 3); 0 for the root."""
    return len(VendorPath.parse(declared).segments) if declared else 0


_CACHE: dict[tuple[int, str | None], tuple[CompiledMapping, VendorValidator]] = {}
_CACHE_SIZE = 64


def vendor_validator(compiled: CompiledMapping, engine: str | None = None) -> VendorValidator:
    """The validator of a compiled mapping, built once per mapping object (schema and engines are reused)."""
    key = (id(compiled), engine)
    cached = _CACHE.get(key)
    if cached is not None and cached[0] is compiled:
        return cached[1]
    validator = VendorValidator(compiled, engine=engine)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = (compiled, validator)
    return validator


class ValidatingTranslator(Translator):
    """A Translator that validates every incoming vendor payload against the mapping's derived schema first.

    `to_matter` checks the state (a partial update with `partial=True`), `capability_report` (and so
    `discovery_event`) the full state, `to_vendor` the current state when one is given (as a partial state:
    the command itself says which values it needs). Invalid payloads raise TranslationError before anything
    is translated; each problem names the vendor path, the mapping rule and its `file:line:col`."""

    def __init__(self, compiled: CompiledMapping, *, check: Checker | None = None, engine: str | None = None) -> None:
        super().__init__(compiled, check=check)
        self.validator = vendor_validator(compiled, engine)

    def to_matter(self, state: Any, **options: Any) -> list[dict[str, Any]]:
        self.validator.ensure_valid(state, partial=bool(options.get("partial", False)))
        return super().to_matter(state, **options)

    def capability_report(self, state: Any, *, device_id: str | None = None) -> dict[str, Any]:
        self.validator.ensure_valid(state)
        return super().capability_report(state, device_id=device_id)

    def to_vendor(self, command: Any, *, state: Any = None, device_id: str | None = None) -> list[dict[str, Any]]:
        if state is not None:
            self.validator.ensure_valid(state, partial=True)
        return super().to_vendor(command, state=state, device_id=device_id)
