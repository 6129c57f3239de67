"""Render one standalone translator module from a compiled mapping (the IR), through the jinja2 templates."""

from __future__ import annotations

import functools
from typing import Any

import jinja2

from matter_map import __version__, ir
from matter_map.capability_schema import capability_schema_item
from matter_map.codegen.bindings import (
    STATE,
    event_function,
    plain_const,
    reader_function,
    rule_expression,
    type_constant,
)
from matter_map.codegen.commands import endpoint_tables
from matter_map.codegen.layout import Block, Node, as_call, as_dict, as_list, as_tuple, flat, from_json
from matter_map.codegen.literals import (
    LINE_LENGTH,
    Code,
    CodegenError,
    _make,
    code,
    comment,
    finalize,
    identifier,
    literal,
)
from matter_map.codegen.names import Names
from matter_map.codegen.reads import read_raw
from matter_map.codegen.runtime_source import RUNTIME_MODULE, inlined_runtime, runtime_names, used_runtime_names
from matter_map.codegen.transforms import forward_chain

#: names of the generated module's API that the runtime does not define
MODULE_NAMES = ("to_matter", "to_vendor", "command_requests", "capability_report", "recognises")
#: runtime names a generated module exports whether or not its code uses them
EXPORTED_RUNTIME_NAMES = (
    "DEFAULT_CONNECTOR_ID",
    "MISSING",
    "TransformError",
    "TranslationError",
    "TranslationProblem",
    "shown",
)


@functools.cache
def environment() -> jinja2.Environment:
    """Templates from the installed package; every `{{ }}` must print Code (see literals.finalize)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("matter_map", "templates"),
        autoescape=False,  # noqa: S701 - the output is Python source, and finalize admits only Code values
        undefined=jinja2.StrictUndefined,
        finalize=finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_module(compiled: ir.CompiledMapping, *, standalone: bool = True) -> str:
    """The source of a module that translates exactly as `Translator(compiled)` does: with the runtime inlined
    (standalone), or importing it from `_runtime.py` two folders up (`<output>/<vendor>/<kind>.py`)."""
    _refuse_struct_fields(compiled)
    names = Names()
    names.reserve(*runtime_names(), *MODULE_NAMES)
    device = _device_functions(compiled, names)
    endpoint_tables(compiled, names)
    _device_record(compiled, names)
    matter = _matter_endpoints(compiled, names)
    report = _capability_report(compiled, names)
    requests = _command_requests(compiled, names)
    functions = [f.code() for f in names.functions] + [device, matter, requests, report]
    body = [names.constants.code(), _join_functions(functions), names.tables.code()]
    used = used_runtime_names("\n".join(part.text for part in body), *EXPORTED_RUNTIME_NAMES)
    template = environment().get_template("module.py.jinja")
    return template.render(
        version=comment(__version__),
        source_comment=comment(compiled.source_file),
        sha_comment=comment(compiled.source_sha256),
        identity=literal(compiled.identity),
        source_file=literal(compiled.source_file),
        source_sha256=literal(compiled.source_sha256),
        generator=literal(f"matter_map {__version__}"),
        title=literal(compiled.title),
        runtime=_inlined() if standalone else _runtime_import(used),
        named_constants=body[0],
        functions=body[1],
        tables=body[2],
    )


def _inlined() -> Code:
    # the runtime is this package's own checked source, copied verbatim
    return _make(inlined_runtime())


def _runtime_import(used: list[str]) -> Code:
    """`from .._runtime import ...`, on one line when it fits, else the names filled into lines (in a region the
    formatter and the import sorter leave alone: the names are already in their order)."""
    names = [identifier(n).text for n in used]
    line = f"from ..{RUNTIME_MODULE} import {', '.join(names)}"
    if len(line) <= LINE_LENGTH:
        return _make(line)
    block = Block(packed=True)
    block.display("from ..$m import ", as_tuple([identifier(n) for n in names]), m=identifier(RUNTIME_MODULE))
    first, rest = block.code().text.split("\n", 1)
    return _make(f"# fmt: off\n{first}  # isort: skip\n{rest}\n# fmt: on")


def _join_functions(functions: list[Code]) -> Code:
    block = Block()
    for function in functions:
        block.blank(2)
        block.lines.extend(function.text.split("\n"))
    return block.code()


# --- mapping-wide constants and functions ------------------------------------------------------------------


def _device_record(compiled: ir.CompiledMapping, names: Names) -> None:
    """`_DEVICE`: the write encoding and the command tables that `translate_command` runs."""
    write = compiled.write
    encoding: list[Node] = [literal(compiled.base_url), literal(None if write is None else write.method)]
    if write is not None:
        encoding += [
            literal(write.url),
            from_json([list(h) for h in write.headers]),
            *(from_json(part) for part in write.runtime_body),
            from_json(list(write.prefix)),
        ]
        defaults = ["[]", '"merge"', '""', "None", "[]"]  # headers, body, items_key, item, prefix
        while len(encoding) > 3 and defaults and flat(encoding[-1]) == defaults[-1]:
            encoding.pop()
            defaults.pop()
    names.tables.display(
        "_DEVICE = ",
        _call(
            "DeviceBinding",
            [_call("WriteEncoding", encoding), code("_ENDPOINTS"), code("_vendor_device_id"), code("_STATE_PATHS")],
        ),
    )


def _device_functions(compiled: ir.CompiledMapping, names: Names) -> Code:
    b = Block()
    b.line("def recognises(state: Any) -> bool:")
    with b.indent():
        b.line('"""Whether the match rule holds; a payload outside the input bounds is recognised by no mapping."""')
        b.line("return input_problem(state) is None and $test", test=rule_expression(compiled.match, STATE, names))
    b.blank(2)
    path, text = names.path(compiled.device_id), literal(str(compiled.device_id))
    b.line("def _vendor_device_id(state: Any, device_id: str | None) -> str:")
    with b.indent():
        b.line("return vendor_id_at(state, device_id, $p, $t)", p=path, t=text)
    b.blank(2)
    b.line("def _connector_device_id(state: Any, device_id: str | None) -> str:")
    with b.indent():
        b.line("return connector_id_at(state, device_id, $p, $t)", p=path, t=text)
    b.blank(2)
    b.line("def to_matter(")
    with b.indent():
        b.line("state: Any,")
        b.line("*,")
        b.line("connector_id: str = DEFAULT_CONNECTOR_ID,")
        b.line("device_id: str | None = None,")
        b.line("user_id: str | None = None,")
        b.line("partial: bool = False,")
    b.line(") -> list[dict[str, Any]]:")
    with b.indent():
        b.line('"""SendConnectorEvent requests (Operation DEVICE_EVENT) for a vendor state or event payload."""')
        b.line("if not within_bounds(state):")
        with b.indent():
            b.line('check_input(state, "the vendor state")')
        b.line("device = _connector_device_id(state, device_id)")
        b.line("return event_requests(_matter_endpoints(state, partial), connector_id, device, user_id)")
    b.blank(2)
    b.line("def to_vendor(command: Any, *, state: Any = None, device_id: str | None = None) -> list[dict[str, Any]]:")
    with b.indent():
        b.line('"""Vendor requests `{method, url, headers, body}` for a command; nothing is returned on any error."""')
        b.line("return translate_command(_DEVICE, command, state, device_id)")
    return b.code()


def _call(function: str, items: list[Node]) -> Node:
    return as_call(identifier(function), items)


# --- vendor → Matter ---------------------------------------------------------------------------------------


def _matter_endpoints(compiled: ir.CompiledMapping, names: Names) -> Code:
    b = Block()
    b.line("def _matter_endpoints(state: Any, partial: bool) -> list[dict[str, Any]]:")
    with b.indent():
        b.line('"""MatterEndpoint objects for the state, at most five clusters each; constants inlined."""')
        b.line("problems: list[TranslationProblem] = []")
        b.line("out: list[dict[str, Any]] = []")
        b.line("clusters: list[dict[str, Any]]")
        b.line("attributes: dict[str, Any]")
        counter = 0
        for endpoint in compiled.endpoints:
            b.comment(comment(f"endpoint {endpoint.id}"))
            b.line("clusters = []")
            for cluster in endpoint.clusters:
                b.comment(comment(f"{cluster.name} ({cluster.hex_id})"))
                variables: list[tuple[ir.AttributeIR, Code]] = []
                readers: list[tuple[Code, Code]] = []
                for attr in cluster.attributes:
                    if (const := plain_const(attr)) is not None:
                        variables.append((attr, literal(const.value)))
                        continue
                    counter += 1
                    variable = code("v$n", n=literal(counter))
                    readers.append((variable, reader_function(attr, names)))
                    variables.append((attr, variable))
                guarded = bool(readers or cluster.events)
                if guarded:
                    _read_cluster(b, cluster, readers, names)
                    b.line("else:")
                    b.level += 1
                _cluster_entry(b, cluster, variables)
                if guarded:
                    b.level -= 1
            _endpoint_entry(b, endpoint)
        b.line("if problems:")
        with b.indent():
            b.line("raise TranslationError(problems)")
        b.line("if not out:")
        with b.indent():
            b.line('message = "no binding of the mapping found a value in the payload"')
            b.line('raise TranslationError([TranslationProblem("nothing-to-report", message)])')
        b.line("return out")
    return b.code()


def _read_cluster(b: Block, cluster: ir.ClusterIR, readers: list[tuple[Code, Code]], names: Names) -> None:
    """`try:` every reader and event of the cluster; when one fails, the readers run again to collect every
    attribute's problem (as the interpreter reports them), else the event's problem is the one."""
    b.line("try:")
    with b.indent():
        for variable, reader in readers:
            b.line("$v = $r(state, partial)", v=variable, r=reader)
        if cluster.events:
            b.line("events: dict[str, Any] = {}")
        for event in cluster.events:
            function = event_function(event, names)
            b.line("if $test:", test=rule_expression(event.when, STATE, names))
            with b.indent():
                b.line("events[$k] = $f(state)", k=literal(event.hex_id), f=function)
    b.line("except TranslationError as exc:")
    with b.indent():
        if readers:
            call = as_call(code("read_problems"), [code("state"), code("partial"), *(r for _, r in readers)])
            if len(flat(call)) + 4 * b.level + 8 > LINE_LENGTH:  # the readers as a table: one line here
                table = names.constant("_READERS", None, as_tuple([r for _, r in readers]), cluster.name, late=True)
                call = as_call(code("read_problems"), [code("state"), code("partial"), code("*$t", t=table)])
            b.display("found = ", call)
            b.line("problems.extend(found or exc.problems)")
        else:
            b.line("problems.extend(exc.problems)")


def _cluster_entry(b: Block, cluster: ir.ClusterIR, variables: list[tuple[ir.AttributeIR, Code]]) -> None:
    bound = [(a, v) for a, v in variables if plain_const(a) is None]
    maybe_missing = [
        (a, v) for a, v in bound if a.optional or a.when is not None or isinstance(a.reads, ir.ConstSource)
    ]
    constants = [a.hex_id for a, _ in variables if plain_const(a) is not None]
    if not constants:
        _attributes_dict(b, variables, bound)
    elif not bound:
        _attributes_dict(b, variables, [])
        b.line("if partial:")
        with b.indent():
            b.line("attributes = {}")
    else:
        _attributes_dict(b, variables, [])
        b.line("if partial:")
        with b.indent():
            b.display("attributes = ", as_call(code("partial_values"), [code("attributes"), from_json(constants)]))
        if len(maybe_missing) == 1:
            attr, variable = maybe_missing[0]
            b.line("elif $v is MISSING:", v=variable)
            with b.indent():
                b.line("del attributes[$k]", k=literal(attr.hex_id))
        elif maybe_missing:
            b.line("else:")
            with b.indent():
                for attr, variable in maybe_missing:
                    b.line("if $v is MISSING:", v=variable)
                    with b.indent():
                        b.line("del attributes[$k]", k=literal(attr.hex_id))
    if cluster.events:
        b.line("entry: dict[str, Any] = {$id}", id=code('"id": $h', h=literal(cluster.hex_id)))
        b.line("if attributes:")
        with b.indent():
            b.line('entry["attributes"] = attributes')
        b.line("if events:")
        with b.indent():
            b.line('entry["events"] = events')
        b.line("if len(entry) > 1:")
        with b.indent():
            b.line("clusters.append(entry)")
    else:
        b.line("if attributes:")
        with b.indent():
            b.line('clusters.append({"id": $h, "attributes": attributes})', h=literal(cluster.hex_id))


def _attributes_dict(
    b: Block, variables: list[tuple[ir.AttributeIR, Code]], checked: list[tuple[ir.AttributeIR, Code]]
) -> None:
    b.display("attributes = ", as_dict([(literal(a.hex_id), v) for a, v in variables]))
    for attr, variable in checked:
        b.line("if $v is MISSING:", v=variable)
        with b.indent():
            b.line("del attributes[$k]", k=literal(attr.hex_id))


def _endpoint_entry(b: Block, endpoint: ir.EndpointIR) -> None:
    if len(endpoint.clusters) <= 5:
        b.line("if clusters:")
        with b.indent():
            b.line('out.append({"id": $id, "clusters": clusters})', id=literal(endpoint.id))
        return
    b.line("out.extend(split_endpoint($id, clusters))", id=literal(endpoint.id))


# --- discovery ---------------------------------------------------------------------------------------------


def _report_attributes(cluster: ir.ClusterIR, names: Names) -> Node:
    """`[(id, name, reader or None, constant), ...]`: what `reported_endpoints` reads of a cluster."""
    rows: list[Node] = []
    for attr in cluster.attributes:
        head = [literal(attr.hex_id), literal(attr.name)]
        if (const := plain_const(attr)) is not None:
            rows.append(as_tuple([*head, code("None"), from_json(const.value)]))
        else:
            rows.append(as_tuple([*head, reader_function(attr, names), code("None")]))
    return as_list(rows)


def _report_cluster(cluster: ir.ClusterIR, attributes: Node, spec_version: str, custom: bool) -> Node:
    return as_tuple(
        [
            literal(cluster.hex_id),
            literal(cluster.revision),
            literal(cluster.capability_id),
            literal(cluster.title),
            literal(spec_version),
            attributes,
            from_json([c.hex_id for c in cluster.commands]),
            from_json([] if custom else [e.hex_id for e in cluster.events]),
            literal(0 if custom else cluster.feature_map),
        ]
    )


def _capability_report(compiled: ir.CompiledMapping, names: Names) -> Code:
    """`capability_report`: its endpoints from the `_REPORT` table (read by the runtime), then the device's
    id, name and custom capability schemas."""
    endpoints: list[Node] = []
    schemas: dict[str, object] = {}
    for endpoint in compiled.endpoints:
        clusters: list[Node] = []
        client: list[str] = []
        for cluster in endpoint.clusters:
            if getattr(cluster, "client_only", False):
                client.append(cluster.hex_id)
                continue
            attributes = _report_attributes(cluster, names)
            clusters.append(_report_cluster(cluster, attributes, compiled.spec_version, custom=False))
        for capability in getattr(endpoint, "capabilities", ()):
            attributes = _report_attributes(capability.cluster, names)
            clusters.append(_report_cluster(capability.cluster, attributes, capability.version, custom=True))
            schemas.setdefault(capability.cluster.capability_id, capability_schema_item(capability))
        device_types = from_json([name for _, name in endpoint.device_types])
        endpoints.append(as_tuple([literal(endpoint.id), device_types, as_list(clusters), from_json(client)]))
    table = names.constant("_REPORT", None, as_list(endpoints), late=True)
    b = Block()
    b.line("def capability_report(state: Any, *, device_id: str | None = None) -> dict[str, Any]:")
    with b.indent():
        b.line('"""The `Devices[]` entry of a DEVICE_DISCOVERY event for this device."""')
        b.line('check_input(state, "the vendor state")')
        b.line("endpoints = reported_endpoints(state, $t)", t=table)
        b.line("device: dict[str, Any] = {")
        with b.indent():
            b.line('"ConnectorDeviceId": _connector_device_id(state, device_id),')
            b.line('"CapabilityReport": {"version": "1.0.0", "nodeId": "1", "endpoints": endpoints},')
        b.line("}")
        if compiled.device_name is not None:
            b.line("name = get_path(state, $p)", p=names.path(compiled.device_name))
            b.line("if isinstance(name, str) and name.strip():")
            with b.indent():
                b.line('device["ConnectorDeviceName"] = device_name(name)')
        if schemas:
            constant = names.constant("_SCHEMAS", None, from_json(list(schemas.values())))
            b.line('device["CapabilitySchemas"] = json_copy($s)', s=constant)
        b.line("return device")
    return b.code()


# --- commands the device sends -------------------------------------------------------------------------------


def _request_fields_function(request: Any, names: Names) -> Code:
    """`def _request_<cluster>_<command>(state)`: the command's fields by hex id, each checked."""
    name = names.fresh("_request", request.cluster, request.name)
    rule = literal(f"{request.cluster}.{request.name}")
    b = Block()
    b.line("def $name(state: Any) -> dict[str, Any]:", name=name)
    with b.indent():
        b.comment(comment(f"mapping line {request.source.line}:{request.source.column}"))
        b.line("fields: dict[str, Any] = {}")
        for spec in request.fields:
            path_text = literal(str(spec.path))
            if isinstance(spec.reads, ir.ConstSource):
                b.line("raw = $c", c=literal(spec.reads.value))
            else:
                read_raw(b, spec.reads.path, STATE, names, code("raw"))
                b.line("if raw is MISSING:")
                with b.indent():
                    b.line("message = $m", m=literal(f"vendor path `{spec.path}` is missing"))
                    b.line(
                        'raise TranslationError([TranslationProblem("missing-vendor-value", message, $p, $r)])',
                        p=path_text,
                        r=rule,
                    )
            b.line("try:")
            with b.indent():
                b.line("x = raw")
                forward_chain(spec.chain, b, names, STATE)
            b.line("except TransformError as exc:")
            with b.indent():
                # no literal inside an f-string: a nested quote is a syntax error before Python 3.12
                b.line('message = "vendor value " + shown(raw) + $at + str(exc)', at=literal(f" at `{spec.path}`: "))
                b.line(
                    'problem = TranslationProblem("bad-vendor-value", message, $p, $r, $s)',
                    p=path_text,
                    r=rule,
                    s=literal(str(request.source)),
                )
                b.line("raise TranslationError([problem]) from None")
            b.line("if problem := check_value(x, $t):", t=type_constant(spec.type, names))
            with b.indent():
                b.line('message = $n + f" from {shown(raw)} gives {problem}"', n=literal(spec.name))
                b.line(
                    'raise TranslationError([TranslationProblem("out-of-range", message, $p, $r, $s)])',
                    p=literal(str(spec.path or "")),
                    r=rule,
                    s=literal(str(request.source)),
                )
            b.line("fields[$k] = x", k=literal(spec.hex_id))
        b.line("return fields")
    names.functions.append(b)
    return name


def _command_requests(compiled: ir.CompiledMapping, names: Names) -> Code:
    b = Block()
    b.line("def command_requests(")
    with b.indent():
        b.line("state: Any,")
        b.line("*,")
        b.line("trace_id: str,")
        b.line("connector_id: str = DEFAULT_CONNECTOR_ID,")
        b.line("device_id: str | None = None,")
        b.line("user_id: str | None = None,")
    b.line(") -> list[dict[str, Any]]:")
    sending = [e for e in compiled.endpoints if any(getattr(c, "command_requests", ()) for c in e.clusters)]
    with b.indent():
        b.line('"""SendConnectorEvent requests (DEVICE_COMMAND_REQUEST): the commands a vendor event makes it send."""')
        b.line('check_input(state, "the vendor state")')
        if not sending:
            b.line("return []")
            return b.code()
        b.line("requests: list[dict[str, Any]] = []")
        b.line("clusters: list[dict[str, Any]]")
        b.line("commands: dict[str, Any]")
        for endpoint in sending:
            b.line("clusters = []")
            for cluster in endpoint.clusters:
                sent = getattr(cluster, "command_requests", ())
                if not sent:
                    continue
                b.line("commands = {}")
                for request in sent:
                    function = _request_fields_function(request, names)
                    b.line("if $test:", test=rule_expression(request.when, STATE, names))
                    with b.indent():
                        b.line("commands[$k] = $f(state)", k=literal(request.hex_id), f=function)
                b.line("if commands:")
                with b.indent():
                    b.line('clusters.append({"id": $h, "commands": commands})', h=literal(cluster.hex_id))
            b.line("for endpoint in split_endpoint($id, clusters):", id=literal(endpoint.id))
            with b.indent():
                b.line("device = _connector_device_id(state, device_id)")
                b.line("requests.append(command_request(endpoint, connector_id, device, trace_id, user_id))")
        b.line("return requests")
    return b.code()


def _refuse_struct_fields(compiled: ir.CompiledMapping) -> None:
    """Struct values built from vendor fields are interpreted only: refuse rather than emit a wrong module."""
    for _endpoint, cluster in compiled.clusters():
        for attr in cluster.attributes:
            if isinstance(attr.reads, ir.StructSource):
                raise CodegenError(
                    f"{attr.source}: {cluster.name}.{attr.name} is built from struct fields, which generated "
                    "modules cannot express yet; translate this mapping with the interpreter (matter_map.translator)"
                )
