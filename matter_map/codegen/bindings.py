"""Code for reading bindings: match rules, Matter type checks, attribute reads (inline and as functions), events."""

from __future__ import annotations

from matter_map import ir
from matter_map.codegen.layout import Block, as_list, as_tuple, from_json
from matter_map.codegen.literals import LINE_LENGTH, Code, CodegenError, code, comment, join, literal
from matter_map.codegen.names import Names
from matter_map.codegen.reads import read_raw
from matter_map.codegen.transforms import _generic_param, forward_chain
from matter_map.paths import VendorPath

STATE = code("state")
_SCALAR_TYPES = {str: code("str"), int: code("int"), float: code("float")}


# --- rules ---------------------------------------------------------------------------------------------


def _path_test(rule: ir.PathTest, value: Code, names: Names) -> tuple[Code, Code]:
    """A path test as (holds, fails) expressions."""
    match rule:
        case ir.Present():
            return code("$v is not MISSING", v=value), code("$v is MISSING", v=value)
        case ir.Absent():
            return code("$v is MISSING", v=value), code("$v is not MISSING", v=value)
        case ir.Equals(value=expected) if expected is None or isinstance(expected, bool):
            lit = literal(expected)
            return code("$v is $lit", v=value, lit=lit), code("$v is not $lit", v=value, lit=lit)
        case ir.Equals(value=expected) if type(expected) in _SCALAR_TYPES:
            # `_key(v) == _key(c)` holds exactly when type and value match
            lit, kind = literal(expected), _SCALAR_TYPES[type(expected)]
            return (
                code("type(seen := $v) is $t and seen == $lit", v=value, t=kind, lit=lit),
                code("type(seen := $v) is not $t or seen != $lit", v=value, t=kind, lit=lit),
            )
        case ir.Equals(value=expected):
            key = names.key(expected)
            return code("rule_key($v) == $k", v=value, k=key), code("rule_key($v) != $k", v=value, k=key)
        case ir.Contains(value=member):
            key = names.key(member)
            return code("contains($v, $k)", v=value, k=key), code("not contains($v, $k)", v=value, k=key)
        case ir.OneOf(values=values) if values and all(type(v) is str for v in values):
            members = names.constant("_ONE_OF", None, from_json(list(dict.fromkeys(values))))
            return (
                code("type(seen := $v) is str and seen in $m", v=value, m=members),
                code("type(seen := $v) is not str or seen not in $m", v=value, m=members),
            )
        case ir.OneOf(values=values):
            keys = names.key_set(values)
            return code("rule_key($v) in $k", v=value, k=keys), code("rule_key($v) not in $k", v=value, k=keys)
    raise CodegenError(f"no code emitter for path test {type(rule).__name__}")


def rule_expression(rule: ir.RuleIR, document: Code, names: Names) -> Code:
    """A short expression for one single-test path rule; a call of a generated rule function otherwise.

    Rule expressions are never parenthesised: they only ever stand as a whole `if`, `elif` or `return`."""
    return rule_condition(rule, document, names)[0]


def rule_condition(rule: ir.RuleIR, document: Code, names: Names) -> tuple[Code, Code]:
    """(holds, fails) expressions of a rule."""
    if isinstance(rule, ir.PathTest):
        value = code("get_path($doc, $path)", doc=document, path=names.path(rule.path))
        return _path_test(rule, value, names)
    call = code("$f($doc)", f=rule_function(rule, names), doc=document)
    return call, code("not $c", c=call)


def rule_guard(b: Block, rule: ir.RuleIR, document: Code, names: Names) -> Code:
    """The `fails` expression of a rule; a single path test first reads its path into `found`, inlined."""
    if isinstance(rule, ir.PathTest):
        failed = _path_test(rule, code("found"), names)[1]
        read_raw(b, rule.path, document, names, code("found"), often_absent=True)
        return failed
    return rule_condition(rule, document, names)[1]


def rule_function(rule: ir.RuleIR, names: Names) -> Code:
    """A module-level `def _rule_N(document) -> bool` for a rule, its parts as statements."""
    name = names.fresh("_rule")
    b = Block()
    b.line("def $name(document: Any) -> bool:", name=name)
    with b.indent():
        _source_comment(b, getattr(rule, "source", None))
        if isinstance(rule, ir.PathTest):
            _path_statements(b, rule, names, last=True)
        elif isinstance(rule, ir.AllOf):
            if not rule.rules:
                b.line("return True")
            for i, part in enumerate(rule.rules):
                last = i == len(rule.rules) - 1
                if isinstance(part, ir.PathTest):
                    _path_statements(b, part, names, last=last)
                elif last:
                    b.line("return $f(document)", f=rule_function(part, names))
                else:
                    b.line("if not $f(document):", f=rule_function(part, names))
                    with b.indent():
                        b.line("return False")
        elif isinstance(rule, ir.AnyOf):
            if not rule.rules:
                b.line("return False")
            for i, part in enumerate(rule.rules):
                if i == len(rule.rules) - 1:
                    b.line("return $f(document)", f=rule_function(part, names))
                else:
                    b.line("if $f(document):", f=rule_function(part, names))
                    with b.indent():
                        b.line("return True")
        elif isinstance(rule, ir.Not):
            b.line("return not $f(document)", f=rule_function(rule.rule, names))
        else:
            raise CodegenError(f"no code emitter for rule {type(rule).__name__}")
    names.functions.append(b)
    return name


def _path_statements(b: Block, rule: ir.PathTest, names: Names, *, last: bool) -> None:
    read_raw(b, rule.path, code("document"), names, code("value"), often_absent=True)
    held, failed = _path_test(rule, code("value"), names)
    if last:
        b.line("return $t", t=held)
    else:
        b.line("if $t:", t=failed)
        with b.indent():
            b.line("return False")


def _source_comment(b: Block, source: ir.Source | None) -> None:
    if source is not None:
        b.comment(comment(f"mapping line {source.line}:{source.column}"))


# --- Matter types ----------------------------------------------------------------------------------------


def type_constant(mtype: ir.MatterType, names: Names) -> Code:
    """`[kind, nullable, minimum, maximum, enum, values]`, the form the runtime's `check_value` reads."""
    values = list(getattr(mtype, "values", ()))
    value = [mtype.kind, mtype.nullable, mtype.minimum, mtype.maximum, [list(e) for e in mtype.enum], values]
    key = repr(value)
    found = names.types.get(key)
    if found is None:
        found = names.constant("_TYPE", None, from_json(value))
        names.types[key] = found
    return found


def fast_check(mtype: ir.MatterType, var: Code, names: Names) -> Code | None:
    """An expression that holds only for values `check_value` accepts (the common case, without a call)."""
    if getattr(mtype, "values", ()):
        return None
    tests: list[Code] = []
    if mtype.kind == "bool":
        tests.append(code("$v is True or $v is False", v=var))
    elif mtype.kind == "int":
        tests.append(code("type($v) is int", v=var))
    elif mtype.kind == "float":
        tests.append(code("type($v) is int or (type($v) is float and -INF < $v < INF)", v=var))
    elif mtype.kind in ("string", "list", "object"):
        python = {"string": code("str"), "list": code("list"), "object": code("dict")}[mtype.kind]
        tests.append(code("type($v) is $t", v=var, t=python))
    elif mtype.nullable:
        return None
    else:
        return code("$v is not None", v=var)
    if mtype.kind in ("int", "float"):
        low, high = mtype.minimum, mtype.maximum
        if low is not None and high is not None:
            tests.append(code("$lo <= $v <= $hi", lo=literal(low), v=var, hi=literal(high)))
        elif low is not None:
            tests.append(code("$v >= $lo", lo=literal(low), v=var))
        elif high is not None:
            tests.append(code("$v <= $hi", hi=literal(high), v=var))
        if mtype.enum and mtype.kind == "int":
            members = names.constant("_MEMBERS", code("frozenset"), [from_json(sorted({v for _, v in mtype.enum}))])
            tests.append(code("$v in $members", v=var, members=members))
    if len(tests) > 1:
        tests = [code("($t)", t=t) if " or " in t.text else t for t in tests]
    test = join(" and ", tests)
    if mtype.nullable:
        return code("$v is None or ($t)", v=var, t=test) if len(tests) > 1 else code("$v is None or $t", v=var, t=test)
    return test


# --- reading a vendor value --------------------------------------------------------------------------------


def where_constant(attr: ir.AttributeIR, names: Names) -> Code:
    value = as_tuple(
        [
            literal(str(attr.path) if attr.path else ""),
            literal(f"{attr.cluster}.{attr.name}"),
            literal(str(attr.source)),
        ]
    )
    return names.constant("_WHERE", None, value, attr.cluster, attr.name)


def plain_const(attr: ir.AttributeIR) -> ir.ConstSource | None:
    """The constant of a constant binding with no alternative (inlined as a literal); None for the others."""
    return attr.reads if isinstance(attr.reads, ir.ConstSource) and attr.otherwise is None else None


def attribute_read(b: Block, attr: ir.AttributeIR, names: Names) -> None:
    """The body of a reader function: one binding read as the interpreter's read_attribute does (problems
    raised, the value or MISSING returned); a binding with `when` and `otherwise` falls back to the other's."""
    b.comment(comment(f"{attr.cluster}.{attr.name}, mapping line {attr.source.line}:{attr.source.column}"))
    if attr.otherwise is None or attr.when is None:
        _read_bound(b, attr, names, check_when=True)
        return
    failed = rule_guard(b, attr.when, STATE, names)
    b.line("if $failed:", failed=failed)
    with b.indent():
        b.line("return $f(state, partial)", f=reader_function(attr.otherwise, names))
    _read_bound(b, attr, names, check_when=False)


def _read_bound(b: Block, attr: ir.AttributeIR, names: Names, *, check_when: bool) -> None:
    match attr.reads:
        case ir.ConstSource(value=const):
            b.line("return MISSING if partial else $c", c=literal(const))
        case ir.PathSource(path=path):
            _read_path(b, attr, path, names, check_when=check_when)
        case ir.StructSource():
            raise CodegenError(f"{attr.source}: generated modules do not build struct values field by field")


def _read_path(b: Block, attr: ir.AttributeIR, path: VendorPath, names: Names, *, check_when: bool) -> None:
    where = where_constant(attr, names)
    mtype = type_constant(attr.type, names)
    if check_when and attr.when is not None:
        failed = rule_guard(b, attr.when, STATE, names)
        b.line("if $failed:", failed=failed)
        with b.indent():
            b.line("return MISSING")
    read_raw(b, path, STATE, names, code("raw"), often_absent=attr.optional)
    absent = code("raw is MISSING") if attr.type.nullable else code("raw is MISSING or raw is None")
    b.line("if $absent:", absent=absent)
    with b.indent():
        if attr.optional:
            b.line("return MISSING")
        else:
            b.line("return absent_value($w, raw, partial)", w=where)
    _refuse_implausible(b, attr, names, where)
    if attr.optional:  # an optional binding omits what it cannot map, as the interpreter does
        _convert_optional(b, attr, names, mtype)
    else:
        _convert(b, attr, names, where, mtype)


def _raise(b: Block, problem: Code, *, from_none: bool = False) -> None:
    """`raise TranslationError([problem])` (` from None` after an except), on one line when it fits."""
    if from_none:
        line = code("raise TranslationError([$p]) from None", p=problem)
        if 4 * b.level + len(line.text) <= LINE_LENGTH:
            b.line("$line", line=line)
        else:
            b.line("issue = $p", p=problem)
            b.line("raise TranslationError([issue]) from None")
        return
    line = code("raise TranslationError([$p])", p=problem)
    if 4 * b.level + len(line.text) <= LINE_LENGTH:
        b.line("$line", line=line)
    else:
        b.line("issue = $p", p=problem)
        b.line("raise TranslationError([issue])")


def _refuse_implausible(b: Block, attr: ir.AttributeIR, names: Names, where: Code) -> None:
    """A value outside the declared vendor range is never mapped (or clamped): omitted when optional, else a
    problem."""
    if attr.vendor_range is None:
        return
    low, high = (_generic_param(v, names) for v in attr.vendor_range)
    test = code("implausible(raw, $low, $high, $state)", low=low, high=high, state=STATE)
    static = [v for v in attr.vendor_range if isinstance(v, int | float) and not isinstance(v, bool)]
    if len(static) == 2:  # a plain number within static bounds needs no call (the common case)
        lo, hi = literal(min(static)), literal(max(static))
        b.line("if not ((type(raw) is int or type(raw) is float) and $lo <= raw <= $hi):", lo=lo, hi=hi)
        b.level += 1
    if attr.optional:
        b.line("if $test:", test=test)
        with b.indent():
            b.line("return MISSING")
    else:
        b.line("if why := $test:", test=test)
        with b.indent():
            _raise(b, code("implausible_value($w, raw, why)", w=where))
    if len(static) == 2:
        b.level -= 1


def _grouped(test: Code | None) -> Code | None:
    """A test in parentheses when it has `and` or `or` of its own (it is followed by `or ...`)."""
    if test is None or (" and " not in test.text and " or " not in test.text):
        return test
    return code("($t)", t=test)


def _convert(b: Block, attr: ir.AttributeIR, names: Names, where: Code, mtype: Code) -> None:
    """raw → x through the chain, then the Matter type check; each failure raises its problem."""
    if attr.chain.transforms:
        b.line("try:")
        with b.indent():
            b.line("x = raw")
            forward_chain(attr.chain, b, names, STATE)
        b.line("except TransformError as exc:")
        with b.indent():
            _raise(b, code("bad_value($w, raw, exc)", w=where), from_none=True)
    else:
        b.line("x = raw")
    fast = fast_check(attr.type, code("x"), names)
    check = _grouped(fast)
    test = code("not (problem := check_value(x, $t))", t=mtype)
    line = code("if $fast or $test:", fast=check, test=test) if check is not None else code("if $test:", test=test)
    if fast is not None and 4 * b.level + len(line.text) > LINE_LENGTH:
        b.line("ok = $fast", fast=fast)
        line = code("if ok or $test:", test=test)
    b.line("$line", line=line)
    with b.indent():
        b.line("return x")
    _raise(b, code("out_of_range($w, raw, problem)", w=where))


def _convert_optional(b: Block, attr: ir.AttributeIR, names: Names, mtype: Code) -> None:
    """raw → x for an optional binding: a transform error or a value outside the type omits it (MISSING)."""
    if attr.chain.transforms:
        b.line("try:")
        with b.indent():
            b.line("x = raw")
            forward_chain(attr.chain, b, names, STATE)
        b.line("except TransformError:")
        with b.indent():
            b.line("return MISSING")
    else:
        b.line("x = raw")
    fast = fast_check(attr.type, code("x"), names)
    check = _grouped(fast)
    test = code("not check_value(x, $t)", t=mtype)
    line = code("if $fast or $test:", fast=check, test=test) if check is not None else code("if $test:", test=test)
    if fast is not None and 4 * b.level + len(line.text) > LINE_LENGTH:
        b.line("ok = $fast", fast=fast)
        line = code("if ok or $test:", test=test)
    b.line("$line", line=line)
    with b.indent():
        b.line("return x")
    b.line("return MISSING")


def reader_function(attr: ir.AttributeIR, names: Names) -> Code:
    """`def _read_<cluster>_<attribute>(state, partial=False)`: the value, MISSING, or TranslationError."""
    found = names.readers_by_id.get(id(attr))
    if found is not None:
        return found
    name = names.fresh("_read", attr.cluster, attr.name)
    names.readers_by_id[id(attr)] = name
    b = Block()
    b.line("def $name(state: Any, partial: bool = False) -> Any:", name=name)
    with b.indent():
        attribute_read(b, attr, names)
    names.functions.append(b)
    return name


# --- events ------------------------------------------------------------------------------------------------


def event_function(event: ir.EventIR, names: Names) -> Code:
    """`def _event_<cluster>_<event>(state)`: the event's fields by hex id, or TranslationError."""
    name = names.fresh("_event", event.cluster, event.name)
    b = Block()
    b.line("def $name(state: Any) -> dict[str, Any]:", name=name)
    with b.indent():
        _source_comment(b, event.source)
        b.line("fields: dict[str, Any] = {}")
        for spec in event.fields:
            key = literal(spec.hex_id)
            if isinstance(spec.reads, ir.ConstSource):
                b.line("fields[$k] = $v", k=key, v=literal(spec.reads.value))
                continue
            path = spec.reads.path
            where = names.constant(
                "_WHERE",
                None,
                as_tuple(
                    [
                        literal(str(path)),
                        literal(f"{event.cluster}.{event.name}.{spec.name}"),
                        literal(str(event.source)),
                    ]
                ),
                event.cluster,
                event.name,
                spec.name,
            )
            read_raw(b, path, STATE, names, code("raw"))
            b.line("if raw is MISSING:")
            with b.indent():
                b.line("raise TranslationError([missing_value($w, raw)])", w=where)
            if spec.chain.transforms:
                b.line("try:")
                with b.indent():
                    b.line("x = raw")
                    forward_chain(spec.chain, b, names, STATE)
                b.line("except TransformError as exc:")
                with b.indent():
                    b.line("raise TranslationError([bad_value($w, raw, exc)]) from None", w=where)
                b.line("fields[$k] = x", k=key)
            else:
                b.line("fields[$k] = raw", k=key)
        b.line("return fields")
    names.functions.append(b)
    return name


__all__ = ["as_list", "attribute_read", "event_function", "reader_function", "rule_expression", "type_constant"]
