"""Code for reading bindings: match rules, Matter type checks, attribute reads (inline and as functions), events."""

from __future__ import annotations

from typing import Any

from matter_map import ir
from matter_map.codegen.layout import Block, as_list, as_tuple, from_json
from matter_map.codegen.literals import Code, CodegenError, code, comment, join, literal
from matter_map.codegen.names import Names
from matter_map.codegen.transforms import forward_chain
from matter_map.paths import VendorPath

STATE = code("state")


# --- rules ---------------------------------------------------------------------------------------------


def _path_tests(rule: ir.PathTest, value: Code, names: Names) -> list[Code]:
    tests = []
    if rule.present is not None:
        tests.append(code("$v is not MISSING" if rule.present else "$v is MISSING", v=value))
    if rule.has_equals:
        if rule.equals is None or isinstance(rule.equals, bool):
            tests.append(code("$v is $lit", v=value, lit=literal(rule.equals)))
        else:
            tests.append(code("_key($v) == $key", v=value, key=names.key(rule.equals)))
    if rule.one_of is not None:
        tests.append(code("_key($v) in $keys", v=value, keys=names.key_set(rule.one_of)))
    return tests


def rule_expression(rule: ir.RuleIR, document: Code, names: Names) -> Code:
    """A short expression for one single-test path rule; a call of a generated rule function otherwise."""
    if isinstance(rule, ir.PathTest):
        value = code("_get($doc, $path)", doc=document, path=names.path(rule.path))
        tests = _path_tests(rule, value, names)
        if len(tests) == 1:
            return tests[0]
    return code("$f($doc)", f=rule_function(rule, names), doc=document)


def rule_function(rule: ir.RuleIR, names: Names) -> Code:
    """A module-level `def _rule_N(document) -> bool` for a rule, its parts as statements."""
    name = names.fresh("_rule")
    b = Block()
    b.line("def $name(document: Any) -> bool:", name=name)
    with b.indent():
        _source_comment(b, getattr(rule, "source", None))
        if isinstance(rule, ir.PathTest):
            _path_statements(b, rule, names)
            b.line("return True")
        elif isinstance(rule, ir.AllOf):
            for part in rule.rules:
                if isinstance(part, ir.PathTest):
                    _path_statements(b, part, names)
                else:
                    b.line("if not $f(document):", f=rule_function(part, names))
                    with b.indent():
                        b.line("return False")
            b.line("return True")
        elif isinstance(rule, ir.AnyOf):
            for part in rule.rules:
                b.line("if $f(document):", f=rule_function(part, names))
                with b.indent():
                    b.line("return True")
            b.line("return False")
        elif isinstance(rule, ir.Not):
            b.line("return not $f(document)", f=rule_function(rule.rule, names))
        else:
            raise CodegenError(f"no code emitter for rule {type(rule).__name__}")
    names.functions.append(b)
    return name


def _path_statements(b: Block, rule: ir.PathTest, names: Names) -> None:
    b.line("value = _get(document, $path)", path=names.path(rule.path))
    for test in _path_tests(rule, code("value"), names):
        b.line("if not ($test):", test=test)
        with b.indent():
            b.line("return False")


def _source_comment(b: Block, source: ir.Source | None) -> None:
    if source is not None:
        b.comment(comment(str(source)))


# --- Matter types ----------------------------------------------------------------------------------------


def type_constant(mtype: ir.MatterType, names: Names) -> Code:
    """`[kind, nullable, minimum, maximum, enum, values]`, the form the runtime's `_check_value` reads."""
    values = list(getattr(mtype, "values", ()))
    value = [mtype.kind, mtype.nullable, mtype.minimum, mtype.maximum, [list(e) for e in mtype.enum], values]
    key = repr(value)
    found = names.types.get(key)
    if found is None:
        found = names.constant("_TYPE", None, from_json(value))
        names.types[key] = found
    return found


def fast_check(mtype: ir.MatterType, var: Code) -> Code | None:
    """An expression that holds only for values `_check_value` accepts (the common case, without a call)."""
    if getattr(mtype, "values", ()):
        return None
    tests: list[Code] = []
    if mtype.kind == "bool":
        tests.append(code("($v is True or $v is False)", v=var))
    elif mtype.kind == "int":
        tests.append(code("type($v) is int", v=var))
    elif mtype.kind == "float":
        tests.append(code("(type($v) is int or type($v) is float and -_INF < $v < _INF)", v=var))
    elif mtype.kind in ("string", "list", "object"):
        python = {"string": code("str"), "list": code("list"), "object": code("dict")}[mtype.kind]
        tests.append(code("type($v) is $t", v=var, t=python))
    elif mtype.nullable:
        return None
    else:
        return code("$v is not None", v=var)
    if mtype.kind in ("int", "float"):
        if mtype.minimum is not None:
            tests.append(code("$lo <= $v", lo=literal(mtype.minimum), v=var))
        if mtype.maximum is not None:
            tests.append(code("$v <= $hi", hi=literal(mtype.maximum), v=var))
        if mtype.enum and mtype.kind == "int":
            tests.append(code("$v in $members", v=var, members=literal(sorted({v for _, v in mtype.enum}))))
    test = join(" and ", tests)
    if mtype.nullable:
        return code("($v is None or $test)", v=var, test=test)
    return test


# --- reading a vendor value --------------------------------------------------------------------------------


def read_raw(b: Block, path: VendorPath, document: Code, names: Names, target: Code) -> None:
    """`target = <value at path>` or MISSING; plain key paths are read by subscription."""
    if path.segments and all(isinstance(s, str) for s in path.segments):
        b.line("try:")
        with b.indent():
            b.line("$t = $doc$subs", t=target, doc=document, subs=_subscripts(path))
        b.line("except _NOT_FOUND:")
        with b.indent():
            b.line("$t = MISSING", t=target)
        return
    b.line("$t = _get($doc, $path)", t=target, doc=document, path=names.path(path))


def _subscripts(path: VendorPath) -> Code:
    return join("", [code("[$k]", k=literal(s)) for s in path.segments])


def where_constant(attr: ir.AttributeIR, names: Names) -> Code:
    value = as_tuple(
        [
            literal(str(attr.path) if attr.path else ""),
            literal(f"{attr.cluster}.{attr.name}"),
            literal(str(attr.source)),
        ]
    )
    return names.constant("_WHERE", None, value, attr.cluster, attr.name)


def attribute_read(b: Block, attr: ir.AttributeIR, names: Names, *, inline: Code | None) -> None:
    """Statements that read one binding as the interpreter's read_attribute does.

    Inline (in `_matter_endpoints`) problems are collected into `problems` and flag `bad`, and the value lands in
    the variable `inline` (MISSING when absent); otherwise (a reader function) problems are raised and the
    value returned."""
    assert attr.path is not None
    where = where_constant(attr, names)
    mtype = type_constant(attr.type, names)
    b.comment(comment(f"{attr.cluster}.{attr.name} ← {attr.path} ({attr.source})"))

    def fail(problem: Code, chained: bool = False) -> None:
        if inline is None:
            b.line("raise TranslationError([$p]) from None" if chained else "raise TranslationError([$p])", p=problem)
        else:
            b.line("problems.append($p)", p=problem)
            b.line("bad = True")

    if inline is not None:
        b.line("$v = MISSING", v=inline)
    if attr.when is not None:
        test = rule_expression(attr.when, STATE, names)
        if inline is None:
            b.line("if not ($test):", test=test)
            with b.indent():
                b.line("return MISSING")
        else:
            b.line("if $test:", test=test)
            b.level += 1
    read_raw(b, attr.path, STATE, names, code("raw"))
    absent = code("raw is MISSING") if attr.type.nullable else code("raw is MISSING or raw is None")
    if inline is None:
        b.line("if $absent:", absent=absent)
        with b.indent():
            if attr.optional:
                b.line("return MISSING")
            else:
                b.line("if partial:")
                with b.indent():
                    b.line("return MISSING")
                fail(code("_missing($w, raw)", w=where))
        _convert(b, attr, names, where, mtype, fail)
        b.line("return x")
    else:
        if attr.optional:
            b.line("if not ($absent):", absent=absent)
        else:
            b.line("if $absent:", absent=absent)
            with b.indent():
                b.line("if not partial:")
                with b.indent():
                    fail(code("_missing($w, raw)", w=where))
            b.line("else:")
        with b.indent():
            _convert(b, attr, names, where, mtype, fail, store=inline)
    if attr.when is not None and inline is not None:
        b.level -= 1


def _convert(
    b: Block, attr: ir.AttributeIR, names: Names, where: Code, mtype: Code, fail: Any, store: Code | None = None
) -> None:
    """raw → x through the chain, then the Matter type check; `store` receives x when both pass."""
    if attr.chain.transforms:
        b.line("try:")
        with b.indent():
            b.line("x = raw")
            forward_chain(attr.chain, b, names, STATE)
        b.line("except TransformError as exc:")
        with b.indent():
            fail(code("_bad_value($w, raw, exc)", w=where), True)
        if store is not None:
            b.line("else:")
            b.level += 1
    else:
        b.line("x = raw")
    check = fast_check(attr.type, code("x"))
    test = code("problem := _check_value(x, $t)", t=mtype)
    condition = test if check is None else code("not ($fast) and ($test)", fast=check, test=test)
    b.line("if $c:", c=condition)
    with b.indent():
        fail(code("_out_of_range($w, raw, problem)", w=where))
    if store is not None:
        b.line("else:")
        with b.indent():
            b.line("$v = x", v=store)
        if attr.chain.transforms:
            b.level -= 1


def reader_function(attr: ir.AttributeIR, names: Names) -> Code:
    """`def _read_<cluster>_<attribute>(state, partial=False)`: the value, MISSING, or TranslationError."""
    name = names.fresh("_read", attr.cluster, attr.name)
    b = Block()
    b.line("def $name(state: Any, partial: bool = False) -> Any:", name=name)
    with b.indent():
        attribute_read(b, attr, names, inline=None)
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
            if spec.path is None:
                b.line("fields[$k] = $v", k=key, v=literal(spec.const))
                continue
            where = names.constant(
                "_WHERE",
                None,
                as_tuple(
                    [
                        literal(str(spec.path)),
                        literal(f"{event.cluster}.{event.name}.{spec.name}"),
                        literal(str(event.source)),
                    ]
                ),
                event.cluster,
                event.name,
                spec.name,
            )
            read_raw(b, spec.path, STATE, names, code("raw"))
            b.line("if raw is MISSING:")
            with b.indent():
                b.line("raise TranslationError([_missing($w, raw)])", w=where)
            if spec.chain.transforms:
                b.line("try:")
                with b.indent():
                    b.line("x = raw")
                    forward_chain(spec.chain, b, names, STATE)
                b.line("except TransformError as exc:")
                with b.indent():
                    b.line("raise TranslationError([_bad_value($w, raw, exc)]) from None", w=where)
                b.line("fields[$k] = x", k=key)
            else:
                b.line("fields[$k] = raw", k=key)
        b.line("return fields")
    names.functions.append(b)
    return name


__all__ = ["as_list", "attribute_read", "event_function", "reader_function", "rule_expression", "type_constant"]
