"""One code emitter per transform class: straight-line forward and inverse code, errors as the interpreter's."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from matter_map import transforms as t
from matter_map.codegen.layout import Block, Node, as_call, as_list, from_json
from matter_map.codegen.literals import LINE_LENGTH, Code, CodegenError, code, literal
from matter_map.codegen.names import Names
from matter_map.codegen.reads import read_raw
from matter_map.paths import MISSING
from matter_map.runtime import NEAR_HALF, scalar_key

# The value being transformed is always the local `x`; `context` names the vendor document (or `{}`).
X = code("x")


def _is_number(var: Code) -> Code:
    return code("type($v) is int or (type($v) is float and -INF < $v < INF)", v=var)


def _number_check(b: Block, var: Code, what: str) -> None:
    """`var = number(var, what)` with an inline fast path for plain finite numbers."""
    line = code("$v = $v if $test else number($v, $what)", v=var, test=_is_number(var), what=literal(what))
    if 4 * b.level + len(line.text) <= LINE_LENGTH:
        b.line("$line", line=line)
        return
    b.line("if not ($test):", test=_is_number(var))
    with b.indent():
        b.line("$v = number($v, $what)", v=var, what=literal(what))


def _round(b: Block, var: Code, policy: str) -> None:
    """The interpreter's round_by, inlined per policy."""
    if policy == "none":
        return
    templates = {
        "half_even": code(
            "$v = round($v) if not $lo < $v % 1 < $hi else round(round($v, 9))",
            v=var,
            lo=literal(NEAR_HALF[0]),
            hi=literal(NEAR_HALF[1]),
        ),
        "half_up": code("$v = math.floor(round($v, 9) + 0.5)", v=var),
        "floor": code("$v = math.floor(round($v, 9))", v=var),
        "ceil": code("$v = math.ceil(round($v, 9))", v=var),
        "trunc": code("$v = math.trunc(round($v, 9))", v=var),
    }
    if policy not in templates:
        raise CodegenError(f"unknown rounding policy {policy!r}")
    if policy == "half_even":  # the finite test and the tie test on one line; `round_by` takes the rest
        b.line(
            "$v = round($v) if -INF < $v < INF and not $lo < $v % 1 < $hi else round_by($v, $p)",
            v=var,
            lo=literal(NEAR_HALF[0]),
            hi=literal(NEAR_HALF[1]),
            p=literal(policy),
        )
        return
    b.line("if not -INF < $v < INF:", v=var)
    with b.indent():
        b.line('raise TransformError(f"rounding: {$v!r} is not a finite number")', v=var)
    b.line("$line", line=templates[policy])


def _param(b: Block, names: Names, target: Code, value: Any, context: Code) -> Code:
    """A transform parameter: a literal, or a local read from the device payload."""
    if isinstance(value, t.Ref):
        segments = names.path(value.path)
        if value.path.segments and all(isinstance(s, str) for s in value.path.segments):
            # the path inlined; anything but a finite number takes `resolve`, which says what is wrong
            read_raw(b, value.path, context, names, target)
            b.line("if not ($fast):", fast=_is_number(target))
            b.level += 1
        b.line(
            "$target = resolve($context, $segments, $text)",
            target=target,
            context=context,
            segments=segments,
            text=literal(value.path.text),
        )
        if value.path.segments and all(isinstance(s, str) for s in value.path.segments):
            b.level -= 1
        return target
    return literal(value)


def _generic_param(value: Any, names: Names) -> Code:
    """A parameter for a runtime transform function: a literal, or a `Ref` constant for payload reads."""
    if isinstance(value, t.Ref):
        return names.constant("_REF", code("Ref"), [names.path(value.path), literal(value.path.text)])
    return literal(value)


def _static(value: Any) -> bool:
    return not isinstance(value, t.Ref)


# --- emitters ----------------------------------------------------------------------------------------


class Emitter:
    """Emits `x = forward(x)` and `x = inverse(x, old)` as statements that may raise TransformError."""

    def forward(self, transform: Any, b: Block, names: Names, context: Code) -> None:
        raise NotImplementedError

    def inverse(self, transform: Any, b: Block, names: Names, old: Code, context: Code) -> None:
        raise NotImplementedError


class LinearEmitter(Emitter):
    def _ends(self, tr: t.Linear, b: Block, names: Names, context: Code) -> tuple[Code, Code, Code]:
        a = _param(b, names, code("lo"), tr.vendor_lo, context)
        c = _param(b, names, code("hi"), tr.vendor_hi, context)
        if _static(tr.vendor_lo) and _static(tr.vendor_hi):
            span = literal(tr.vendor_hi - tr.vendor_lo)  # type: ignore[operator]
        else:
            b.line("if $a == $c:", a=a, c=c)
            with b.indent():
                b.line('raise TransformError(f"linear: the device\'s vendor range {$a}..{$c} is empty")', a=a, c=c)
            span = code("($c - $a)", a=a, c=c)
        return a, c, span

    def forward(self, transform: Any, b: Block, names: Names, context: Code) -> None:
        tr: t.Linear = transform
        _number_check(b, X, "linear")
        a, _, span = self._ends(tr, b, names, context)
        b.line(
            "x = $mlo + (x - $a) * $mspan / $span",
            mlo=literal(tr.matter_lo),
            a=a,
            mspan=literal(tr.matter_hi - tr.matter_lo),
            span=span,
        )
        _round(b, X, tr.rounding)

    def inverse(self, transform: Any, b: Block, names: Names, old: Code, context: Code) -> None:
        tr: t.Linear = transform
        _number_check(b, X, "linear")
        a, _, span = self._ends(tr, b, names, context)
        b.line(
            "x = $a + (x - $mlo) * $span / $mspan",
            a=a,
            mlo=literal(tr.matter_lo),
            span=span,
            mspan=literal(tr.matter_hi - tr.matter_lo),
        )
        _round(b, X, tr.vendor_rounding)


class ScaleEmitter(Emitter):
    def forward(self, transform: Any, b: Block, names: Names, context: Code) -> None:
        tr: t.Scale = transform
        _number_check(b, X, "scale")
        b.line("x = x * $factor + $offset", factor=literal(tr.factor), offset=literal(tr.offset))
        _round(b, X, tr.rounding)

    def inverse(self, transform: Any, b: Block, names: Names, old: Code, context: Code) -> None:
        tr: t.Scale = transform
        _number_check(b, X, "scale")
        b.line("x = (x - $offset) / $factor", factor=literal(tr.factor), offset=literal(tr.offset))
        _round(b, X, tr.vendor_rounding)


class ReciprocalEmitter(Emitter):
    def _body(self, tr: t.Reciprocal, b: Block, rounding: str) -> None:
        _number_check(b, X, "reciprocal")
        b.line("if x == 0:")
        with b.indent():
            b.line('raise TransformError("reciprocal: 0 has no reciprocal")')
        b.line("x = $numerator / x", numerator=literal(tr.numerator))
        _round(b, X, rounding)

    def forward(self, transform: Any, b: Block, names: Names, context: Code) -> None:
        self._body(transform, b, transform.rounding)

    def inverse(self, transform: Any, b: Block, names: Names, old: Code, context: Code) -> None:
        self._body(transform, b, transform.vendor_rounding)


class ClampEmitter(Emitter):
    """min(max(x, lo), hi), spelled as the comparisons the builtins make (same result, same type)."""

    def _bound(  # noqa: PLR0917 - internal helper
        self, b: Block, names: Names, target: Code, value: Any, context: Code, within: Any
    ) -> Code | None:
        if _static(value):
            if math.isinf(value):
                if value > 0 if target.text == "lo" else value < 0:
                    raise CodegenError(f"clamp bound {value!r} cannot be emitted")
                return None
            return literal(value)
        bound = _param(b, names, target, value, context)
        if within is not None:
            low, high = literal(within[0]), literal(within[1])
            b.line("$v = $low if $v < $low else $v", v=bound, low=low)
            b.line("$v = $high if $v > $high else $v", v=bound, high=high)
        return bound

    def forward(self, transform: Any, b: Block, names: Names, context: Code) -> None:
        tr: t.Clamp = transform
        _number_check(b, X, "clamp")
        if tr.within is not None and (_static(tr.lo) or _static(tr.hi)):
            # static bounds are moved within the limits too: fold them here exactly as the interpreter does
            tr = t.Clamp(
                lo=tr.lo if not _static(tr.lo) else min(max(tr.lo, tr.within[0]), tr.within[1]),  # type: ignore[type-var]
                hi=tr.hi if not _static(tr.hi) else min(max(tr.hi, tr.within[0]), tr.within[1]),  # type: ignore[type-var]
                within=tr.within,
            )
        lo = self._bound(b, names, code("lo"), tr.lo, context, tr.within)
        hi = self._bound(b, names, code("hi"), tr.hi, context, tr.within)
        if lo is not None and hi is not None and _static(tr.lo) and _static(tr.hi) and tr.lo <= tr.hi:  # type: ignore[operator]
            b.line("x = $lo if x < $lo else $hi if x > $hi else x", lo=lo, hi=hi)
            return
        if lo is not None:
            b.line("x = $lo if x < $lo else x", lo=lo)
        if hi is not None:
            b.line("x = $hi if x > $hi else x", hi=hi)

    def inverse(self, transform: Any, b: Block, names: Names, old: Code, context: Code) -> None:
        self.forward(transform, b, names, context)


class InvertEmitter(Emitter):
    def forward(self, transform: Any, b: Block, names: Names, context: Code) -> None:
        _number_check(b, X, "invert")
        b.line("x = $maximum - x", maximum=literal(transform.maximum))

    def inverse(self, transform: Any, b: Block, names: Names, old: Code, context: Code) -> None:
        self.forward(transform, b, names, context)


class EnumEmitter(Emitter):
    def _table(self, tr: t.EnumTable, names: Names) -> Code:
        default = [] if tr.default is MISSING else [tr.default]
        pairs = [[v, m] for v, m in tr.to_matter]
        aliases = [[a, c] for a, c in tr.aliases]
        return names.memo(
            tr,
            lambda: names.constant(
                "_ENUM",
                code("EnumMap"),
                [as_list([from_json(p) for p in pairs]), from_json(aliases), from_json(default)],
            ),
        )

    def forward(self, transform: Any, b: Block, names: Names, context: Code) -> None:
        tr: t.EnumTable = transform
        table = self._table(tr, names)
        vendor = [v for v, _ in tr.to_matter] + [a for a, _ in tr.aliases]
        if vendor and all(isinstance(v, bool) for v in vendor):
            # a table of true/false: test identity first (the scalar key of a bool is its identity)
            forward = {scalar_key(v): m for v, m in tr.to_matter}
            for alias, canonical in tr.aliases:
                forward[scalar_key(alias)] = forward[scalar_key(canonical)]
            first = True
            for value in (True, False):
                key = scalar_key(value)
                if key in forward:
                    keyword = code("if") if first else code("elif")
                    b.line("$kw x is $v:", kw=keyword, v=literal(value))
                    with b.indent():
                        b.line("x = $m", m=literal(forward[key]))
                    first = False
            b.line("else:")
            with b.indent():
                b.line("x = enum_forward($table, x)", table=table)
            return
        b.line("x = enum_forward($table, x)", table=table)

    def inverse(self, transform: Any, b: Block, names: Names, old: Code, context: Code) -> None:
        b.line("x = enum_inverse($table, x)", table=self._table(transform, names))


class BoolEmitter(Emitter):
    def forward(self, transform: Any, b: Block, names: Names, context: Code) -> None:
        b.line("x = bool_forward(x, $t, $f)", t=literal(transform.true), f=literal(transform.false))

    def inverse(self, transform: Any, b: Block, names: Names, old: Code, context: Code) -> None:
        b.line("x = bool_inverse(x, $t, $f)", t=literal(transform.true), f=literal(transform.false))


class JsonStringEmitter(Emitter):
    def forward(self, transform: Any, b: Block, names: Names, context: Code) -> None:
        b.line("x = json_string_forward(x)")

    def inverse(self, transform: Any, b: Block, names: Names, old: Code, context: Code) -> None:
        b.line("x = json_string_inverse(x, $old)", old=old)


class FieldEmitter(Emitter):
    def forward(self, transform: Any, b: Block, names: Names, context: Code) -> None:
        b.line("x = field_forward(x, $key)", key=literal(transform.key))

    def inverse(self, transform: Any, b: Block, names: Names, old: Code, context: Code) -> None:
        defaults = from_json([list(pair) for pair in getattr(transform, "defaults", ())])
        b.display("x = ", as_call(code("field_inverse"), [X, old, literal(transform.key), defaults]))


class DecimalEmitter(Emitter):
    def _args(self, tr: Any, names: Names, context: Code) -> list[Node]:
        return [X, _generic_param(tr.scale, names), _generic_param(tr.step, names), literal(tr.max_quantum), context]

    def forward(self, transform: Any, b: Block, names: Names, context: Code) -> None:
        b.display("x = ", as_call(code("decimal_forward"), self._args(transform, names, context)))

    def inverse(self, transform: Any, b: Block, names: Names, old: Code, context: Code) -> None:
        b.display("x = ", as_call(code("decimal_inverse"), self._args(transform, names, context)))


class FormatEmitter(Emitter):
    def _args(self, tr: Any) -> list[Node]:
        return [X, literal(tr.prefix), literal(tr.suffix), literal(tr.digits)]

    def forward(self, transform: Any, b: Block, names: Names, context: Code) -> None:
        b.display("x = ", as_call(code("format_forward"), self._args(transform)))

    def inverse(self, transform: Any, b: Block, names: Names, old: Code, context: Code) -> None:
        b.display("x = ", as_call(code("format_inverse"), self._args(transform)))


class TemperatureEmitter(Emitter):
    def forward(self, transform: Any, b: Block, names: Names, context: Code) -> None:
        tr: t.Temperature = transform
        _number_check(b, X, "temperature")
        if tr.unit != "C":
            b.line("x = (x - 32) * 5 / 9")
        b.line("x = x * 100")
        _round(b, X, tr.rounding)

    def inverse(self, transform: Any, b: Block, names: Names, old: Code, context: Code) -> None:
        tr: t.Temperature = transform
        _number_check(b, X, "temperature")
        b.line("x = x / 100")
        if tr.unit != "C":
            b.line("x = x * 9 / 5 + 32")
        _round(b, X, tr.vendor_rounding)


class CieXyEmitter(Emitter):
    def forward(self, transform: Any, b: Block, names: Names, context: Code) -> None:
        _number_check(b, X, "cie_xy")
        b.line("x = x * $scale", scale=literal(t.XY_SCALE))
        _round(b, X, "half_even")
        b.line("x = 0 if x < 0 else x")
        b.line("x = $top if x > $top else x", top=literal(t.XY_MAX))

    def inverse(self, transform: Any, b: Block, names: Names, old: Code, context: Code) -> None:
        _number_check(b, X, "cie_xy")
        b.line("x = round(x / $scale, $digits)", scale=literal(t.XY_SCALE), digits=literal(transform.digits))


EMITTERS: dict[type[t.Transform], Emitter] = {
    t.Linear: LinearEmitter(),
    t.Scale: ScaleEmitter(),
    t.Reciprocal: ReciprocalEmitter(),
    t.Clamp: ClampEmitter(),
    t.Invert: InvertEmitter(),
    t.EnumTable: EnumEmitter(),
    t.BoolMap: BoolEmitter(),
    t.JsonString: JsonStringEmitter(),
    t.Field: FieldEmitter(),
    t.Temperature: TemperatureEmitter(),
    t.CieXy: CieXyEmitter(),
    t.Decimal: DecimalEmitter(),
    t.Format: FormatEmitter(),
}


def emitter(transform: t.Transform) -> Emitter:
    found = EMITTERS.get(type(transform))
    if found is None:
        raise CodegenError(
            f"no code emitter for transform {type(transform).__name__} ({transform.name!r}): "
            "add one to matter_map/codegen/transforms.py"
        )
    return found


# --- chains ------------------------------------------------------------------------------------------


def forward_chain(chain: Any, b: Block, names: Names, context: Code) -> None:
    """`x` through every transform, vendor → Matter."""
    for transform in chain.transforms:
        emitter(transform).forward(transform, b, names, context)


def inverse_chain(chain: Any, b: Block, names: Names, old: Code, context: Code) -> None:
    """`x` backwards through the chain; `old` (the current vendor value) is threaded for get-put lenses."""
    transforms = chain.transforms
    if not transforms:
        return
    olds: list[Code] = [code("MISSING")] * len(transforms)
    if chain.reads_old and old.text != "MISSING":
        olds = [old]
        needed = max(i for i, tr in enumerate(transforms) if tr.reads_old)
        for i, transform in enumerate(transforms[:needed]):
            previous, current = olds[-1], code("old_$i", i=literal(i + 1))
            b.line("if $p is MISSING:", p=previous)
            with b.indent():
                b.line("$c = MISSING", c=current)
            b.line("else:")
            with b.indent():
                b.line("saved, x = x, $p", p=previous)
                b.line("try:")
                with b.indent():
                    emitter(transform).forward(transform, b, names, context)
                    b.line("$c = x", c=current)
                b.line("except TransformError:")
                with b.indent():
                    b.line("$c = MISSING", c=current)
                b.line("x = saved")
            olds.append(current)
        olds += [code("MISSING")] * (len(transforms) - len(olds))
    for transform, previous in zip(reversed(transforms), reversed(olds), strict=True):
        emitter(transform).inverse(transform, b, names, previous, context)


ChainEmitter = Callable[[Any, Block, Names, Code], None]
