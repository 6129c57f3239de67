"""Vendor paths read in generated code: inlined subscriptions or `.get` chains, the runtime's walk otherwise."""

from __future__ import annotations

from matter_map.codegen.layout import Block
from matter_map.codegen.literals import LINE_LENGTH, Code, code, join, literal
from matter_map.codegen.names import Names
from matter_map.paths import VendorPath


def read_raw(  # noqa: PLR0917 - the generator's own helper
    b: Block, path: VendorPath, document: Code, names: Names, target: Code, often_absent: bool = False
) -> None:
    """`target = <value at path>` or MISSING; plain key paths are inlined: read by subscription, or, when the
    value is often absent (optional bindings), one `.get` a key (raising and catching KeyError costs more)."""
    keys_only = path.segments and all(isinstance(s, str) for s in path.segments)
    if keys_only and not often_absent:
        b.line("try:")
        with b.indent():
            b.line("$t = $doc$subs", t=target, doc=document, subs=_subscripts(path))
        b.line("except NOT_FOUND:")
        with b.indent():
            b.line("$t = MISSING", t=target)
        return
    if keys_only and 2 <= len(path.segments) <= 4:  # one test a level, and the first absent level ends it
        *inner, last = path.segments
        tests = [code("isinstance($d, dict)", d=document)]
        current = document
        for key in inner:
            tests.append(code("isinstance(at := $c.get($k), dict)", c=current, k=literal(key)))
            current = code("at")
        b.line("$t = MISSING", t=target)
        depth = 0
        while tests:  # as many tests a line as fit
            take = len(tests)
            while take > 1 and 4 * (b.level + depth) + len(join(" and ", tests[:take]).text) + 4 > LINE_LENGTH:
                take -= 1
            b.level += 1 if depth else 0
            b.line("if $t:", t=join(" and ", tests[:take]))
            tests, depth = tests[take:], depth + 1
        b.level += 1
        b.line("$t = at.get($k, MISSING)", t=target, k=literal(last))
        b.level -= depth
        return
    if keys_only and len(path.segments) <= 4:
        current = document
        for key in path.segments:
            b.line("$t = $c.get($k, MISSING) if isinstance($c, dict) else MISSING", t=target, c=current, k=literal(key))
            current = target
        return
    b.line("$t = get_path($doc, $path)", t=target, doc=document, path=names.path(path))


def _subscripts(path: VendorPath) -> Code:
    return join("", [code("[$k]", k=literal(s)) for s in path.segments])
