"""Code for Matter → vendor: attribute writers, one emitter per command kind, and the lookup tables."""

from __future__ import annotations

from matter_map import ir
from matter_map.codegen.bindings import plain_const, reader_function, rule_function, type_constant, where_constant
from matter_map.codegen.layout import Block, Node, as_call, as_dict, as_list, as_tuple, flat, from_json
from matter_map.codegen.literals import Code, CodegenError, code, comment, literal
from matter_map.codegen.names import Names
from matter_map.codegen.transforms import inverse_chain


class Records:
    """The `AttributeBinding` records commands name."""

    def __init__(self, names: Names) -> None:
        self.names = names

    def attribute(self, attr: ir.AttributeIR | None) -> Code:
        if attr is None:
            raise CodegenError("a command names an attribute the linker did not resolve")
        return attribute_record(attr, self.names)


def writer_function(attr: ir.AttributeIR, names: Names) -> Code:
    """`def _write_<cluster>_<attribute>(value, old, context)`: a Matter value → the vendor value to send."""
    name = names.fresh("_write", attr.cluster, attr.name)
    b = Block()
    b.line("def $name(value: Any, old: Any, context: Any) -> Any:", name=name)
    with b.indent():
        b.comment(comment(f"{attr.cluster}.{attr.name}, mapping line {attr.source.line}:{attr.source.column}"))
        if not attr.chain.transforms:
            b.line("return value")
        else:
            b.line("x = value")
            inverse_chain(attr.chain, b, names, code("old"), code("context"))
            b.line("return x")
            b.merge_return()
    names.functions.append(b)
    return name


def attribute_record(attr: ir.AttributeIR, names: Names) -> Code:
    """The `AttributeBinding` record of one binding (and of the bindings it falls back to)."""
    found = names.records.get(id(attr))
    if found is not None:
        return found
    otherwise = attribute_record(attr.otherwise, names) if attr.otherwise is not None else code("None")
    when = code("None")
    if attr.otherwise is not None and attr.when is not None:
        when = rule_function(attr.when, names)
    reader = writer = code("None")
    segments: Node = as_list([])
    if plain_const(attr) is None:
        reader = reader_function(attr, names)
    if attr.path is not None:
        segments = names.path(attr.path)
    if attr.writable:
        writer = writer_function(attr, names)
    arguments: list[Node] = [
        literal(attr.name),
        where_constant(attr, names),
        type_constant(attr.type, names),
        segments,
        literal(attr.writable),
        reader,
        writer,
        when,
        otherwise,
        literal(getattr(attr, "any_writable", attr.writable)),
        _own_request(attr.write),
    ]
    defaults = ["None", "None", "False", "None"]  # when, otherwise, any_writable, request
    while defaults and flat(arguments[-1]) == defaults[-1]:
        arguments.pop()
        defaults.pop()
    record = names.constant("_ATTRIBUTE", code("AttributeBinding"), arguments, attr.cluster, attr.name, late=True)
    names.records[id(attr)] = record
    return record


def _own_request(request: ir.RequestIR | None) -> Node:
    """`[method, url, body template]` of an attribute's own write request, or None."""
    if request is None:
        return code("None")
    return as_list([literal(request.method), literal(request.url.raw), from_json(request.body.raw)])


# --- one emitter per command kind ------------------------------------------------------------------------


def _request(command: ir.CommandIR, action: ir.RequestCommand, b: Block, names: Names, records: Records) -> None:
    request = action.request
    b.line("values = dict(params)")
    for field_name, chain in request.field_chains:
        key = literal(field_name)
        b.line("if $k in values:", k=key)
        with b.indent():
            b.line("x = values[$k]", k=key)
            b.line("try:")
            with b.indent():
                inverse_chain(chain, b, names, code("MISSING"), code("context"))
            b.line("except TransformError as exc:")
            with b.indent():
                b.line(
                    "message = $prefix + str(exc)",
                    prefix=literal(f"{command.name}.{field_name}: "),
                )
                b.line('problem = TranslationProblem("bad-command", message, source=command.source)')
                b.line("raise TranslationError([problem]) from None")
            b.line("values[$k] = x", k=key)
    b.display(
        "return ",
        as_call(
            code("explicit_request"),
            [
                code("_DEVICE"),
                code("command"),
                literal(request.method),
                literal(request.url.raw),
                from_json(request.body.raw),
                code("values"),
                code("device_id"),
                from_json(sorted(request.body.interpolated)),
                code("context"),
            ],
        ),
    )


def command_record(command: ir.CommandIR, names: Names, records: Records) -> Code:
    """The command's `CommandBinding` record (fields, rule, source): a request command with its function, every
    other kind as data the runtime runs (`CommandBinding.planned_writes`, `.toggled`, `.stepped`)."""
    record = names.fresh("_COMMAND", command.cluster, command.name, upper=True)
    match command.action:
        case ir.RequestCommand() as action:
            pass
        case ir.StepCommand() as stepping:
            run: list[Node] = [code("None"), _write_plan(command, records), _step_plan(stepping, records)]
            _table_entry(command, names, record, run)
            return record
        case _:
            _table_entry(command, names, record, [code("None"), _write_plan(command, records)])
            return record
    function = names.fresh("_cmd", command.cluster, command.name)
    b = Block()
    if len(function.text) > 34:  # the signature would pass 120 columns
        b.line("def $f(", f=function)
        with b.indent():
            b.line("params: dict[str, Any], device_id: str, context: Any")
        b.line(") -> dict[str, Any]:")
    else:
        b.line("def $f(params: dict[str, Any], device_id: str, context: Any) -> dict[str, Any]:", f=function)
    with b.indent():
        b.comment(
            comment(f"{command.cluster}.{command.name}, mapping line {command.source.line}:{command.source.column}")
        )
        b.line("command = $r", r=record)
        _request(command, action, b, names, records)
    names.functions.append(b)
    _table_entry(command, names, record, [function])
    return record


def _step_plan(action: ir.StepCommand, records: Records) -> Node:
    """`[(attribute record, step spec, on/off record or None, on/off minimum), ...]`: a `step` command's steps."""
    items: list[Node] = []
    for one in action.steps:
        *scalars, only_if = one.runtime_spec
        spec = as_tuple([*(literal(x) for x in scalars), from_json([[name, list(values)] for name, values in only_if])])
        on_off = records.attribute(one.on_off) if one.on_off is not None else code("None")
        items.append(as_tuple([records.attribute(one.attribute), spec, on_off, literal(one.on_off_minimum)]))
    return as_list(items)


def _write_plan(command: ir.CommandIR, records: Records) -> Node:
    """`[(attribute record, field name or None, literal), ...]`: what a `write` or `step` command writes (a
    `toggle`: the attribute it toggles)."""
    if isinstance(command.action, ir.ToggleCommand):
        return as_list([as_tuple([records.attribute(command.action.attribute), code("None"), code("None")])])
    items: list[Node] = []
    for write in command.writes:
        field = write.value.name if isinstance(write.value, ir.FieldRef) else None
        value = None if isinstance(write.value, ir.FieldRef) else write.value
        items.append(as_tuple([records.attribute(write.attribute), literal(field), literal(value)]))
    return as_list(items)


def _table_entry(command: ir.CommandIR, names: Names, record: Code, run: list[Node]) -> None:
    fields = names.constant(
        "_FIELDS",
        None,
        as_list([as_list([literal(f.id), literal(f.name), type_constant(f.type, names)]) for f in command.fields]),
    )
    arguments: list[Node] = [
        literal(command.name),
        literal(f"{command.cluster}.{command.name}"),
        literal(str(command.source)),
        literal(command.action.runtime_kind),
        fields,
        *run,
    ]
    names.tables.display("$r = ", as_call(code("CommandBinding"), arguments), r=record)


def _cluster_record(endpoint: ir.EndpointIR, cluster: ir.ClusterIR, names: Names, records: Records) -> Code:
    # UpdateState finds only what it may write; a binding it does not find is refused with the same message
    attributes: list[Node] = [attribute_record(a, names) for a in cluster.attributes if a.any_writable]
    commands: list[Node] = [as_list([literal(c.id), command_record(c, names, records)]) for c in cluster.commands]
    record = names.fresh("_CLUSTER", endpoint.id, cluster.name, upper=True)
    names.tables.display(
        "$r = ",
        as_call(code("ClusterBinding"), [literal(cluster.name), as_list(commands), as_list(attributes)]),
        r=record,
    )
    return record


def state_paths_table(compiled: ir.CompiledMapping, names: Names) -> None:
    """`_STATE_PATHS`: the text of each `$state:` path in a request body → its segments."""
    paths = {state.text: state.path for request in compiled.requests() for state in request.body.states}
    pairs: list[tuple[Code, Node]] = []
    for text, path in sorted(paths.items()):
        if path is None:
            raise CodegenError(f"`$state:{text}` does not name a vendor path")
        pairs.append((literal(text), names.path(path)))
    names.tables.display("_STATE_PATHS: dict[str, list[Any]] = ", as_dict(pairs))


def endpoint_tables(compiled: ir.CompiledMapping, names: Names) -> None:
    """`_ENDPOINTS`: endpoint id → (clusters by name, by id, custom capabilities by `ns.Name`, their ids)."""
    state_paths_table(compiled, names)
    pairs: list[tuple[Code, Node]] = []
    records = Records(names)
    for endpoint in compiled.endpoints:
        by_name: list[tuple[Code, Node]] = []
        by_id: dict[int, tuple[Code, Node]] = {}
        custom: list[tuple[Code, Node]] = []
        for cluster in endpoint.clusters:
            record = _cluster_record(endpoint, cluster, names, records)
            by_name.append((literal(cluster.name), record))
            by_id.setdefault(cluster.id, (literal(cluster.id), record))
        capabilities = getattr(endpoint, "capabilities", ())
        for capability in capabilities:
            record = _cluster_record(endpoint, capability.cluster, names, records)
            custom.append((literal(f"{capability.namespace}.{capability.cluster.name}"), record))
            by_id.setdefault(capability.cluster.id, (literal(capability.cluster.id), record))
        known = ", ".join(c.cluster.capability_id for c in capabilities) or "none"
        entry = as_call(
            code("EndpointBinding"),
            [as_dict(by_name), as_dict(list(by_id.values())), as_dict(custom), literal(known)],
        )
        pairs.append((literal(endpoint.id), entry))
    names.tables.display("_ENDPOINTS: dict[str, EndpointBinding] = ", as_dict(pairs))
