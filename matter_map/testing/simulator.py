"""A simulated vendor device derived from the mapping's write encoding: it applies the requests the mapping builds.

`merge` bodies are deep-merged into the state (under the write prefix), the way partial updates behave;
`items` bodies set each item's value at the vendor paths of the writable bindings whose last key it names;
a request built from an attribute's own `write:` template is matched against the templates (`$value`
captures the vendor value) and sets that binding's path. Explicit `request:` commands have no effect that
can be derived from the mapping, so they are not simulated.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Sequence
from typing import Any

from matter_map.ir import AttributeIR, CompiledMapping, ItemsBody, MergeBody, RequestIR
from matter_map.paths import VendorPath
from matter_map.request_templates import (
    ArrayNode,
    FieldText,
    FieldValue,
    Literal,
    Node,
    ObjectNode,
    StateValue,
    Text,
    UrlPart,
)
from matter_map.testing.documents import deep_merge, put_path


class SimulationError(Exception):
    """A request the simulated device cannot apply (not the mapping's write encoding, or a malformed body)."""


class Simulator:
    """Applies write requests to a copy of a vendor state, as the vendor's cloud would."""

    def __init__(self, compiled: CompiledMapping) -> None:
        self.compiled = compiled
        self.writable_paths: dict[str, list[VendorPath]] = {}
        self.templates: list[tuple[RequestIR, VendorPath]] = []
        for attr in _writable(compiled):
            assert attr.path is not None
            if attr.write is not None:
                if (attr.write, attr.path) not in self.templates:
                    self.templates.append((attr.write, attr.path))
                continue
            known = self.writable_paths.setdefault(str(attr.path.segments[-1]), [])
            if attr.path not in known:
                known.append(attr.path)

    def run(self, state: dict[str, Any], requests: list[dict[str, Any]]) -> dict[str, Any]:
        """The vendor state after the requests (the input state is left unchanged)."""
        after = copy.deepcopy(state)
        for request in requests:
            self.apply(after, request)
        return after

    def apply(self, state: dict[str, Any], request: dict[str, Any]) -> None:
        body = request.get("body")
        matched = [
            (path, value) for template, path in self.templates if (value := self.match(template, request)) is not _NO
        ]
        if matched:
            for path, value in matched:
                put_path(state, path, copy.deepcopy(value))
            return
        encoding = self.compiled.write
        if encoding is None or request.get("method") != encoding.method:
            raise SimulationError(
                f"no write encoding or attribute template produces this {request.get('method')} request"
            )
        if not isinstance(body, dict):
            raise SimulationError("the request body is not a JSON object")
        match encoding.body:
            case MergeBody():
                _merge_under(state, encoding.prefix, body)
            case ItemsBody(items_key=items_key, item=item):
                self.apply_items(state, body, items_key, item)

    def apply_items(self, state: dict[str, Any], body: dict[str, Any], items_key: str, item: Any) -> None:
        """Each item's value set at the writable paths whose last key the item names."""
        items = body.get(items_key)
        if not isinstance(items, list):
            raise SimulationError(f"the request body has no `{items_key}` list")
        key_at = _placeholder(item, "$key")
        value_at = _placeholder(item, "$value")
        if key_at is None or value_at is None:
            raise SimulationError("the item template holds no `$key` or no `$value`")
        for one in items:
            key = _at(one, key_at)
            value = _at(one, value_at)
            for path in self.writable_paths.get(str(key), []):
                put_path(state, path, copy.deepcopy(value))

    def match(self, template: RequestIR, request: dict[str, Any]) -> Any:
        """The vendor value a request built from `template` carries, or _NO when the request is not one."""
        if request.get("method") != template.method:
            return _NO
        captures: dict[str, Any] = {}
        url = str(request.get("url", ""))
        base = self.compiled.base_url
        if not url.startswith(base) or not _unify_text(template.url.parts, url[len(base) :], captures):
            return _NO
        if not _unify(template.body.root, request.get("body"), captures):
            return _NO
        return captures.get("value", _NO)


def _merge_under(state: dict[str, Any], prefix: tuple[str, ...], body: dict[str, Any]) -> None:
    target: dict[str, Any] = state
    for key in prefix:
        child = target.get(key)
        if not isinstance(child, dict):
            child = {}
            target[key] = child
        target = child
    deep_merge(target, body)


class _No:
    def __repr__(self) -> str:
        return "<no match>"


_NO = _No()


def _writable(compiled: CompiledMapping) -> list[AttributeIR]:
    out = []
    for endpoint in compiled.endpoints:
        for cluster in (*endpoint.clusters, *(c.cluster for c in endpoint.capabilities)):
            for attr in cluster.attributes:
                current: AttributeIR | None = attr
                while current is not None:
                    if current.writable and current.path is not None and current.path.segments:
                        out.append(current)
                    current = current.otherwise
    return out


def _unify(template: Node, actual: Any, captures: dict[str, Any]) -> bool:
    """Whether `actual` is `template` filled in; `$name` captures, `$state:<path>` matches anything."""
    match template:
        case StateValue():
            return True
        case FieldValue(name=name):
            return _capture(name, actual, captures)
        case Text(parts=parts):
            return isinstance(actual, str) and _unify_text(parts, actual, captures)
        case ObjectNode(items=items):
            return (
                isinstance(actual, dict)
                and actual.keys() == {k for k, _ in items}
                and all(_unify(node, actual[k], captures) for k, node in items)
            )
        case ArrayNode(items=nodes):
            return (
                isinstance(actual, list)
                and len(actual) == len(nodes)
                and all(_unify(t, a, captures) for t, a in zip(nodes, actual, strict=True))
            )
        case Literal(value=value):
            return bool(value == actual and type(value) is type(actual))


def _unify_text(parts: Sequence[UrlPart], actual: str, captures: dict[str, Any]) -> bool:
    """The holes of a string (or a URL template, with `{device_id}` and `{device_path}`) captured from `actual`."""
    pattern = ""
    for part in parts:
        if isinstance(part, str):
            pattern += re.escape(part)
        elif isinstance(part, FieldText) and f"(?P<{part.name}>" not in pattern:
            pattern += f"(?P<{part.name}>.*?)"
        else:
            pattern += ".*?"
    matched = re.fullmatch(pattern, actual)
    if matched is None:
        return False
    return all(_capture(name, _number_or_text(text), captures) for name, text in matched.groupdict().items())


def _number_or_text(text: str) -> Any:
    """A value interpolated into a string, read back as the JSON scalar it was written from."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return text
    return value if isinstance(value, int | float) and not isinstance(value, bool) else text


def _capture(name: str, value: Any, captures: dict[str, Any]) -> bool:
    if name in captures:
        return bool(captures[name] == value)
    captures[name] = value
    return True


def _placeholder(template: Any, name: str, where: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
    """Where `name` ($key or $value) sits in an item template."""
    if template == name:
        return where
    if isinstance(template, dict):
        for key, value in template.items():
            found = _placeholder(value, name, (*where, key))
            if found is not None:
                return found
    if isinstance(template, list):
        for index, value in enumerate(template):
            found = _placeholder(value, name, (*where, index))
            if found is not None:
                return found
    return None


def _at(value: Any, where: tuple[Any, ...]) -> Any:
    for step in where:
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            raise SimulationError(f"an item has no value at {list(where)}") from None
    return value
