"""Compose one mapping per device from a vendor profile's fragments and what the device declares.

The composed document is the same model a whole-shape mapping file produces, linked by the same linker and
checked against device-type conformance, so every back end (interpreter, laws, discovery, payload checks) runs
on it unchanged. Diagnostics point at the fragment file each element came from. Compiled mappings are cached
per profile by the device's shape (chosen parts, resolved codes, what it accepts writes for)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from matter_map.catalog import Catalog, load_catalog
from matter_map.coverage import Row, Status, check_mapping
from matter_map.device_type_rules import device_types
from matter_map.diagnostics import MappingError, Position, Severity
from matter_map.errors import TranslationError, TranslationProblem
from matter_map.ir import CompiledMapping
from matter_map.linker import link_with_warnings
from matter_map.loader import parse_model
from matter_map.paths import MISSING, VendorPath
from matter_map.profiles import LoadedFragment, LoadedProfile
from matter_map.yaml_loader import DocPath, LoadedDocument

_VARIABLE = re.compile(r"\$\{([a-z][a-z0-9_]*)(\.spec)?\}")
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Scope:
    """One place a device declares parts: the whole Tuya device, or one SmartThings component."""

    component: str | None
    declared: frozenset[str]
    writable: frozenset[str] | None  # None: every declared part accepts writes
    specs: tuple[tuple[str, str], ...] = ()  # part → path of its spec (the write spec when there is one)


@dataclass(frozen=True, slots=True)
class Part:
    """A fragment chosen for a device: its variables resolved, the endpoint it lands on, the codes it binds."""

    fragment: LoadedFragment
    scope: Scope
    variables: tuple[tuple[str, str], ...]
    endpoint: str
    claims: frozenset[str]

    @property
    def name(self) -> str:
        instance = dict(self.variables).get("n")
        where = self.scope.component
        suffix = f"[{instance}]" if instance else ""
        return f"{where}/{self.fragment.model.fragment}{suffix}" if where else f"{self.fragment.model.fragment}{suffix}"


@dataclass(frozen=True, slots=True)
class Composition:
    """A device's composed mapping, the parts it was built from, and what of the device nothing binds."""

    compiled: CompiledMapping
    parts: tuple[str, ...]
    unmapped: tuple[str, ...]


def compose_for_device(profile: LoadedProfile, state: Any, catalog: Catalog | None = None) -> Composition:
    """The composed mapping of one device payload; TranslationError when no part of the profile fits it."""
    if not isinstance(state, dict):
        raise _refused("not-a-device", "the payload is not a JSON object")
    scopes = _scopes(profile, state)
    device_class = _device_class(profile, state)
    parts = _choose(profile, state, scopes, device_class)
    claimed = {(p.scope.component, code) for p in parts for code in p.claims}
    unmapped = tuple(
        f"{s.component}.{code}" if s.component else code
        for s in scopes
        for code in sorted(s.declared)
        if (s.component, code) not in claimed
    )
    if not [p for p in parts if not p.fragment.model.every_endpoint]:
        declared = ", ".join(unmapped) or "nothing"
        raise _refused(
            "no-fragment-applies",
            f"no fragment of {profile.identity} binds what this device declares ({declared})",
        )
    signature = _signature(profile, parts, device_class, state)
    compiled = profile.cached(signature)
    if compiled is None:
        compiled = _Assembler(profile, parts, device_class, signature, state).compile(catalog or load_catalog())
        profile.remember(signature, compiled)
    return Composition(compiled, tuple(p.name for p in parts), unmapped)


def _refused(code: str, message: str) -> TranslationError:
    return TranslationError([TranslationProblem(code, message)])


# --- what the device declares ------------------------------------------------------------------------


def _keys(state: Any, path: str) -> frozenset[str]:
    value = VendorPath.parse(path).get(state)
    return frozenset(str(k) for k in value) if isinstance(value, dict) else frozenset()


def _scopes(profile: LoadedProfile, state: Any) -> list[Scope]:
    declares = profile.model.declares
    if declares.codes is not None:
        specs: dict[str, str] = {}
        for path in [p for p in (declares.writable, *declares.codes) if p]:
            for code in sorted(_keys(state, path)):
                specs.setdefault(code, f"{path}{_key(code)}")
        writable = _keys(state, declares.writable) if declares.writable else None
        return [Scope(None, frozenset(specs), writable, tuple(sorted(specs.items())))]
    assert declares.components is not None
    components = VendorPath.parse(declares.components).get(state)
    if not isinstance(components, dict):
        return []
    return [
        Scope(str(name), frozenset(str(k) for k in body), None, ())
        for name, body in components.items()
        if isinstance(body, dict)
    ]


def _device_class(profile: LoadedProfile, state: Any) -> str | None:
    if profile.model.category is None:
        return None
    category = VendorPath.parse(profile.model.category).get(state)
    for name, categories in profile.model.classes.items():
        if category in categories:
            return name
    return None


def _category(profile: LoadedProfile, state: Any) -> Any:
    if profile.model.category is None:
        return None
    value = VendorPath.parse(profile.model.category).get(state)
    return None if value is MISSING else value


# --- choosing parts ----------------------------------------------------------------------------------


def _choose(profile: LoadedProfile, state: Any, scopes: list[Scope], device_class: str | None) -> list[Part]:
    category = _category(profile, state)
    candidates: list[tuple[int, Part]] = []
    for order, fragment in enumerate(profile.fragments):
        model = fragment.model
        if model.every_endpoint:
            continue
        if model.categories is not None and category not in model.categories:
            continue
        for scope in scopes:
            instances: list[int | None] = list(model.instances) if model.instances else [None]
            for instance in instances:
                part = _resolve(fragment, scope, instance)
                if part is not None:
                    candidates.append((order, part))
    best: dict[tuple[str, str], tuple[int, Part]] = {}
    for order, part in candidates:
        group = part.fragment.model.group
        if group is None:
            continue
        key = (group, part.endpoint)
        held = best.get(key)
        if held is None or part.fragment.model.priority > held[1].fragment.model.priority:
            best[key] = (order, part)
    chosen = [
        part
        for order, part in candidates
        if part.fragment.model.group is None or best[(part.fragment.model.group, part.endpoint)] == (order, part)
    ]
    del device_class  # the class chooses device types later, not parts
    return chosen


def _resolve(fragment: LoadedFragment, scope: Scope, instance: int | None) -> Part | None:
    model = fragment.model
    variables: dict[str, str] = {}
    if instance is not None:
        variables["n"] = str(instance)
    if scope.component is not None:
        variables["component"] = scope.component
    claims: set[str] = set()
    for name, alternatives in model.codes.items():
        found = next((c for c in (_fill(a, variables) for a in alternatives) if c in scope.declared), None)
        if found is None:
            return None
        variables[name] = found
        claims.add(found)
    if any(_fill(code, variables) in scope.declared for code in model.absent):
        return None
    return Part(fragment, scope, tuple(sorted(variables.items())), _fill(model.endpoint, variables), frozenset(claims))


def _fill(text: str, variables: dict[str, str], spec: dict[str, str] | None = None) -> str:
    def one(match: re.Match[str]) -> str:
        name, is_spec = match.group(1), match.group(2)
        if is_spec:
            return (spec or {}).get(name, match.group(0))
        return variables.get(name, match.group(0))

    return _VARIABLE.sub(one, text)


def _signature(profile: LoadedProfile, parts: list[Part], device_class: str | None, state: Any) -> str:
    shape = [
        [p.fragment.model.fragment, list(p.variables), p.endpoint, sorted(_read_only(p)), _spec_choice(p)]
        for p in parts
    ]
    text = json.dumps([profile.identity, device_class, _category(profile, state), shape], sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read_only(part: Part) -> set[str]:
    writable = part.scope.writable
    return set() if writable is None else {c for c in part.claims if c not in writable}


def _spec_choice(part: Part) -> dict[str, str]:
    """`${name.spec}`: the path of each resolved code's spec (the device's write spec when it has one)."""
    specs = dict(part.scope.specs)
    return {name: specs[code] for name, code in part.variables if code in part.claims and code in specs}


# --- assembling the document -------------------------------------------------------------------------


class _Assembler:
    def __init__(
        self, profile: LoadedProfile, parts: list[Part], device_class: str | None, signature: str, state: Any
    ) -> None:
        self.profile = profile
        self.parts = parts
        self.device_class = device_class
        self.signature = signature
        self.state = state
        self.positions: dict[DocPath, Position] = {}
        self.key_positions: dict[DocPath, Position] = {}
        self.dropped: dict[tuple[str, str, str], str] = {}  # (endpoint, cluster, command) → reason

    def compile(self, catalog: Catalog) -> CompiledMapping:
        document = self.document()
        compiled = self._link(document, catalog)
        report = check_mapping(compiled, catalog)
        if self._settle_unavailable(document, report.rows):
            compiled = self._link(document, catalog)
            report = check_mapping(compiled, catalog)
        if not report.ok:
            raise _refused(
                "composition-not-conformant",
                f"the parts of this device ({', '.join(p.name for p in self.parts)}) do not make a conformant "
                f"Matter device: {'; '.join(report.problems)}",
            )
        return compiled

    def _settle_unavailable(self, document: LoadedDocument, rows: tuple[Row, ...]) -> bool:
        """Fragments declare what is unavailable for their richest use; keep only what this device's feature maps
        make mandatory, and declare each mandatory command the device cannot perform (with why)."""
        changed = False
        mandatory = {(r.endpoint, r.cluster, r.name) for r in rows if r.status is Status.UNAVAILABLE}
        for row in rows:
            reason = self.dropped.get((row.endpoint, row.cluster, row.name))
            if row.status is Status.MISSING and reason is not None:
                cluster = document.value["endpoints"][int(row.endpoint) - 1]["clusters"][row.cluster]
                cluster.setdefault("unavailable", {})[row.name] = reason
                changed = True
        for endpoint in document.value["endpoints"]:
            for name, cluster in endpoint["clusters"].items():
                declared = cluster.get("unavailable", {})
                for element in list(declared):
                    key = (endpoint["id"], name, element)
                    if key not in mandatory and key not in self.dropped:
                        del declared[element]
                        changed = True
                if not declared:
                    cluster.pop("unavailable", None)
        return changed

    def _link(self, document: LoadedDocument, catalog: Catalog) -> CompiledMapping:
        try:
            mapping = parse_model(document)
            compiled, _warnings = link_with_warnings(document, mapping, catalog, self.signature)
        except MappingError as exc:
            raise _refused(
                "composition-invalid",
                f"the parts of this device do not compose into a valid mapping: "
                f"{'; '.join(d.render() for d in exc.diagnostics if d.severity is Severity.ERROR)}",
            ) from None
        return compiled

    # --- the document ----------------------------------------------------------------------------------

    def document(self) -> LoadedDocument:
        profile = self.profile.model
        source = self.profile.document
        top: dict[str, Any] = {}
        for key in ("matter_map", "vendor", "spec_version", "device", "base_url", "write"):
            if key in source.value:
                top[key] = source.value[key]
                self._copy(source, (key,), (key,))
        category = _category(self.profile, self.state)
        named = str(category) if isinstance(category, str) and category else self.parts[0].fragment.model.fragment
        kind = re.sub(r"[^a-z0-9_]", "_", f"{profile.profile}_{named.lower()}")[:40] + f"_{self.signature[:10]}"
        top["kind"] = kind
        top["title"] = f"{profile.title}, composed of: " + ", ".join(p.name for p in self.parts)
        top["title"] = top["title"][:200]
        top["match"] = self._match()
        self._at(("kind",), source, ("profile",))
        self._at(("title",), source, ("title",))
        self._at(("match",), source, ("declares",))
        endpoints = self._endpoints()
        top["endpoints"] = endpoints
        return LoadedDocument(source.file, top, self.positions, self.key_positions, "")

    def _match(self) -> dict[str, Any]:
        tests: list[dict[str, Any]] = []
        category = _category(self.profile, self.state)
        if self.profile.model.category is not None and category is not None:
            tests.append({"path": self.profile.model.category, "equals": category})
        for part in self.parts:
            for code in sorted(part.claims):
                tests.append({"path": self._declared_path(part.scope, code), "present": True})
        unique = list({json.dumps(t, sort_keys=True): t for t in tests}.values())
        return {"all": unique} if unique else {"path": self.profile.model.device.id, "present": True}

    def _declared_path(self, scope: Scope, code: str) -> str:
        declares = self.profile.model.declares
        if scope.component is not None:
            assert declares.components is not None
            return f"{declares.components}{_key(scope.component)}{_key(code)}"
        assert declares.codes is not None
        for path in declares.codes:
            value = VendorPath.parse(path).get(self.state)
            if isinstance(value, dict) and code in value:
                return f"{path}{_key(code)}"
        return f"{declares.codes[0]}{_key(code)}"

    def _endpoints(self) -> list[dict[str, Any]]:
        order: list[str] = []
        for part in self.parts:
            if part.endpoint not in order:
                order.append(part.endpoint)
        every = [f for f in self.profile.fragments if f.model.every_endpoint]
        out: list[dict[str, Any]] = []
        for index, key in enumerate(order):
            endpoint_id = str(index + 1)
            path: DocPath = ("endpoints", index)
            here = sorted(
                (p for p in self.parts if p.endpoint == key), key=lambda p: -p.fragment.model.priority
            )  # the higher priority part binds an element first
            clusters: dict[str, Any] = {}
            for part in here:
                self._merge(clusters, part, (*path, "clusters"), endpoint_id)
            for fragment in every:
                scope = here[0].scope
                part = Part(fragment, scope, here[0].variables, key, frozenset())
                self._merge(clusters, part, (*path, "clusters"), endpoint_id)
            self._drop_unwritable(clusters, endpoint_id)
            for cluster in clusters.values():
                bound = set(cluster.get("attributes", {})) | set(cluster.get("commands", {}))
                for name in [n for n in cluster.get("unavailable", {}) if n in bound]:
                    del cluster["unavailable"][name]
                if not cluster.get("unavailable"):
                    cluster.pop("unavailable", None)
            features = {name: list(c.get("features", [])) for name, c in clusters.items()}
            device_class = self.device_class or _first_class(here)
            out.append({"id": endpoint_id, "device_types": device_types(features, device_class), "clusters": clusters})
            first = here[0].fragment
            self._at((*path,), first.document, ("clusters",))
            self._at((*path, "id"), first.document, ("endpoint",))
            self._at((*path, "device_types"), first.document, ("fragment",))
        return out

    def _merge(self, clusters: dict[str, Any], part: Part, at: DocPath, endpoint_id: str) -> None:
        spec = _spec_choice(part)
        variables = dict(part.variables)
        raw = part.fragment.document.value.get("clusters", {})
        for name, body in raw.items():
            source: DocPath = ("clusters", name)
            filled = _substitute(body, variables, spec)
            target = clusters.get(name)
            if target is None:
                clusters[name] = filled
                self._copy(part.fragment.document, source, (*at, name))
                continue
            features = list(dict.fromkeys([*target.get("features", []), *filled.get("features", [])]))
            if features:
                target["features"] = features
            for section in ("attributes", "commands", "unavailable"):
                for element, value in filled.get(section, {}).items():
                    if element not in target.setdefault(section, {}):
                        target[section][element] = value
                        self._copy(part.fragment.document, (*source, section, element), (*at, name, section, element))
            for section in ("events", "command_requests"):
                for item in filled.get(section, []):
                    target.setdefault(section, []).append(item)
            if "revision" in filled and "revision" not in target:
                target["revision"] = filled["revision"]
        del endpoint_id

    def _drop_unwritable(self, clusters: dict[str, Any], endpoint_id: str) -> None:
        """Bindings of parts the device accepts no writes for become read-only; commands that would write them
        are not offered (a call is refused with no request)."""
        read_only = {code for p in self.parts for code in _read_only(p)}
        if not read_only:
            return
        prefix = self.profile.model.declares.state_prefix
        unwritable: set[tuple[str, str]] = set()
        for cluster_name, cluster in clusters.items():
            for attr_name, binding in cluster.get("attributes", {}).items():
                if _marks_read_only(binding, prefix, read_only):
                    unwritable.add((cluster_name, attr_name))
        for cluster_name, cluster in clusters.items():
            for command_name, command in list(cluster.get("commands", {}).items()):
                blocked = _blocking(command, cluster_name, unwritable, read_only)
                if blocked:
                    del cluster["commands"][command_name]
                    self.dropped[(endpoint_id, cluster_name, command_name)] = (
                        f"the device's function list does not declare `{blocked}`, so it cannot be written"
                    )

    # --- positions -------------------------------------------------------------------------------------

    def _copy(self, source: LoadedDocument, src: DocPath, dst: DocPath) -> None:
        size = len(src)
        for table, out in ((source.positions, self.positions), (source.key_positions, self.key_positions)):
            for path, position in table.items():
                if path[:size] == src:
                    out[dst + path[size:]] = position

    def _at(self, dst: DocPath, source: LoadedDocument, src: DocPath) -> None:
        position = source.value_position(src)
        if position is not None:
            self.positions.setdefault(dst, position)


def _first_class(parts: list[Part]) -> str | None:
    return next((p.fragment.model.device_class for p in parts if p.fragment.model.device_class), None)


def _key(name: str) -> str:
    return f".{name}" if _PLAIN_KEY.match(name) else f"[{json.dumps(name)}]"


def _substitute(value: Any, variables: dict[str, str], spec: dict[str, str]) -> Any:
    if isinstance(value, str):
        return _fill(value, variables, spec)
    if isinstance(value, dict):
        return {k: _substitute(v, variables, spec) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, variables, spec) for v in value]
    return value


def _marks_read_only(binding: Any, prefix: str, read_only: set[str]) -> bool:
    """Mark every binding of the chain on an unwritable code read-only; true when none stays writable."""
    writable_left = False
    current = binding
    while isinstance(current, dict):
        path = current.get("path")
        if isinstance(path, str) and path.startswith(prefix) and path[len(prefix) :].split(".")[0] in read_only:
            current["read_only"] = True
        elif "path" in current and not current.get("read_only"):
            writable_left = True
        current = current.get("otherwise")
    return not writable_left


def _blocking(command: Any, cluster: str, unwritable: set[tuple[str, str]], read_only: set[str]) -> str | None:
    """The unwritable attribute (`Cluster.Attribute`) or code a command needs, or None."""
    if not isinstance(command, dict):
        return None
    targets = [str(name) for name in command.get("write") or {}]
    if command.get("toggle"):
        targets.append(str(command["toggle"]))
    steps = command.get("step")
    for step in steps if isinstance(steps, list) else [steps] if steps else []:
        if isinstance(step, dict):
            targets.extend(str(step[key]) for key in ("attribute", "on_off") if step.get(key))
    for target in targets:
        owner, _, name = target.rpartition(".")
        if (owner or cluster, name) in unwritable:
            return target
    request = command.get("request")
    if isinstance(request, dict):
        for text in _strings(request.get("body")):
            if text in read_only:
                return text
    return None


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
