"""Named, pure, invertible value transforms, each with its inverse, its declared loss and its range image."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from matter_map.json_kinds import distinct
from matter_map.paths import MISSING, VendorPath
from matter_map.runtime import TransformError, fmt_number, round_by, scalar_key
from matter_map.runtime import number as _number

Interval = tuple[float, float]
JsonSchema = dict[str, Any]


ROUNDING = ("half_even", "half_up", "floor", "ceil", "trunc", "none")
#: how far each rounding policy may move a value (in output units)
ROUNDING_QUANTUM = {"none": 0.0, "half_even": 0.5, "half_up": 0.5, "floor": 1.0, "ceil": 1.0, "trunc": 1.0}


@dataclass(frozen=True, slots=True)
class Ref:
    """A transform parameter read from the device's own payload (per-device ranges)."""

    path: VendorPath

    def resolve(self, context: Any) -> float | int:
        value = self.path.get(context)
        if value is MISSING or value is None:
            raise TransformError(f"the device payload has no value at `{self.path}` (needed as a range bound)")
        return _number(value, f"device range at `{self.path}`")


Param = float | int | Ref


def _finite_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def shown_param(value: Any) -> str:
    """A parameter as the docs show it: a per-device path, ±∞, a number, or the literal."""
    if isinstance(value, Ref):
        return f"`{value.path}`"
    if isinstance(value, float) and math.isinf(value):
        return "−∞" if value < 0 else "∞"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return fmt_number(value)
    return f"`{value!r}`"


def param(value: Param, context: Any) -> float | int:
    return value.resolve(context) if isinstance(value, Ref) else value


@dataclass(frozen=True, slots=True)
class Loss:
    """What one round trip may move: `vendor` in vendor units (get-put), `matter` in Matter units (put-get)."""

    vendor: float = 0.0
    matter: float = 0.0


@dataclass(frozen=True)
class Transform:
    """Base of all transforms: `forward` maps vendor → Matter, `inverse` Matter → vendor."""

    name: ClassVar[str] = ""
    #: whether inverse needs the current vendor value (composite fields: get-put lenses)
    reads_old: ClassVar[bool] = False
    params: dict[str, Any] = field(default_factory=dict, compare=False)

    def forward(self, value: Any, context: Any) -> Any:
        raise NotImplementedError

    def inverse(self, value: Any, old: Any, context: Any) -> Any:
        raise NotImplementedError

    def image(self, interval: Interval | None) -> Interval | None:
        """The static image of a numeric interval, or None when it cannot be known statically."""
        return None

    def preimage(self, interval: Interval | None) -> Interval | None:
        """The static image of a Matter interval under the inverse (vendor ranges for tests and docs)."""
        return None

    @property
    def loss(self) -> Loss:
        return Loss()

    @property
    def slope(self) -> float:
        """d(matter)/d(vendor), nominal; 1 where it is not a constant."""
        return 1.0

    def describe(self) -> tuple[str, str]:
        """(vendor → Matter, Matter → vendor) in a few words, for the mapping docs."""
        return type(self).__name__, f"{type(self).__name__}⁻¹"

    def output_kind(self, before: str | None) -> str | None:
        """The JSON kind of the output (bool, int, float), given the input's; None when not statically known."""
        return None

    def vendor_schema(self, rest: Callable[[], JsonSchema]) -> JsonSchema:
        """The vendor JSON this transform accepts as the first of a chain; `rest` gives the schema of what the
        remaining transforms accept (for values nested inside this one's input)."""
        return {"$comment": f"no vendor type is inferred for the transform {self.name or type(self).__name__}"}

    # --- what property tests know of a transform -------------------------------------------------------

    #: selects or decodes a member rather than scaling a value: a declared range is the member's
    structural: ClassVar[bool] = False

    def vendor_values(self) -> tuple[Any, ...] | None:
        """Every vendor value the transform names (a table's keys), or None when it takes a range of values."""
        return None

    def canonical(self, vendor_value: Any) -> Any:
        """A vendor value in its canonical spelling (a table's aliases replaced)."""
        return vendor_value

    def quanta(self, context: Any) -> tuple[float, float]:
        """The rounding quanta: forward (in output units) and inverse (in input units), recovered from the
        declared loss, which each transform states in the other side's units at its nominal slope."""
        loss, slope = self.loss, self.slope
        return loss.vendor * slope, (loss.matter / slope if slope else 0.0)

    def rounding_quantum(self, context: Any) -> float:
        """How far the transform's own rounding moves its output (in output units): what put-get adds to the
        loss. Read from the rounding policy where there is one; a declared loss may also hold a clamp (cie_xy
        above 65279), which is no rounding of the value read back."""
        policy = getattr(self, "rounding", None)
        if isinstance(policy, str) and policy in ROUNDING_QUANTUM:
            return ROUNDING_QUANTUM[policy]
        return self.quanta(context)[0]

    def slope_at(self, value: Any, context: Any) -> float:
        """d(output)/d(input) at `value`, per-device ranges resolved."""
        return self.slope


def _span(a: float, b: float) -> Interval:
    return (min(a, b), max(a, b))


@dataclass(frozen=True)
class Linear(Transform):
    """Affine remap of [vendor_lo, vendor_hi] onto [matter_lo, matter_hi], rounding by policy.

    The vendor ends may be read from the device payload (Tuya `status_range`)."""

    name: ClassVar[str] = "linear"
    vendor_lo: Param = 0.0
    vendor_hi: Param = 1.0
    matter_lo: float = 0.0
    matter_hi: float = 1.0
    rounding: str = "half_even"
    vendor_rounding: str = "none"

    def _vendor(self, context: Any) -> Interval:
        lo, hi = param(self.vendor_lo, context), param(self.vendor_hi, context)
        if lo == hi:
            raise TransformError(f"linear: the device's vendor range {lo}..{hi} is empty")
        return lo, hi

    def forward(self, value: Any, context: Any) -> Any:
        x = _number(value, "linear")
        a, b = self._vendor(context)
        scaled = self.matter_lo + (x - a) * (self.matter_hi - self.matter_lo) / (b - a)
        return round_by(scaled, self.rounding)

    def inverse(self, value: Any, old: Any, context: Any) -> Any:
        y = _number(value, "linear")
        a, b = self._vendor(context)
        scaled = a + (y - self.matter_lo) * (b - a) / (self.matter_hi - self.matter_lo)
        return round_by(scaled, self.vendor_rounding)

    @property
    def dynamic(self) -> bool:
        return isinstance(self.vendor_lo, Ref) or isinstance(self.vendor_hi, Ref)

    def image(self, interval: Interval | None) -> Interval | None:
        if interval is None or self.dynamic:
            return None
        lo, hi = (self.forward(v, None) for v in interval)
        return _span(lo, hi)

    def preimage(self, interval: Interval | None) -> Interval | None:
        if interval is None or self.dynamic:
            return None
        lo, hi = (self.inverse(v, MISSING, None) for v in interval)
        return _span(lo, hi)

    @property
    def slope(self) -> float:
        if self.dynamic:
            return 1.0
        lo, hi = param(self.vendor_lo, None), param(self.vendor_hi, None)
        return abs((self.matter_hi - self.matter_lo) / (hi - lo))

    @property
    def loss(self) -> Loss:
        slope = self.slope
        vendor = 0.0 if self.rounding == "none" else 0.5 / slope
        if self.rounding in ("floor", "ceil", "trunc"):
            vendor *= 2
        matter = 0.0 if self.vendor_rounding == "none" else 0.5 * slope
        return Loss(vendor=vendor, matter=matter)

    def describe(self) -> tuple[str, str]:
        span = f"{shown_param(self.vendor_lo)}..{shown_param(self.vendor_hi)}"
        matter = f"{shown_param(self.matter_lo)}..{shown_param(self.matter_hi)}"
        return f"linear {span} → {matter} ({self.rounding})", f"linear {matter} → {span} ({self.vendor_rounding})"

    def output_kind(self, before: str | None) -> str | None:
        return "float" if self.rounding == "none" else "int"

    def vendor_schema(self, rest: Callable[[], JsonSchema]) -> JsonSchema:
        return {"type": "number"}

    def slope_at(self, value: Any, context: Any) -> float:
        if not self.dynamic:
            return self.slope
        try:
            lo, hi = param(self.vendor_lo, context), param(self.vendor_hi, context)
        except TransformError:
            return self.slope
        return abs((self.matter_hi - self.matter_lo) / (hi - lo)) if lo != hi else self.slope


@dataclass(frozen=True)
class Scale(Transform):
    """matter = vendor × factor + offset, rounding by policy."""

    name: ClassVar[str] = "scale"
    factor: float = 1.0
    offset: float = 0.0
    rounding: str = "half_even"
    vendor_rounding: str = "none"

    def forward(self, value: Any, context: Any) -> Any:
        return round_by(_number(value, "scale") * self.factor + self.offset, self.rounding)

    def inverse(self, value: Any, old: Any, context: Any) -> Any:
        return round_by((_number(value, "scale") - self.offset) / self.factor, self.vendor_rounding)

    def image(self, interval: Interval | None) -> Interval | None:
        if interval is None:
            return None
        return _span(*(self.forward(v, None) for v in interval))

    def preimage(self, interval: Interval | None) -> Interval | None:
        if interval is None:
            return None
        return _span(*(self.inverse(v, MISSING, None) for v in interval))

    @property
    def slope(self) -> float:
        return abs(self.factor)

    @property
    def loss(self) -> Loss:
        slope = abs(self.factor)
        return Loss(
            vendor=0.0 if self.rounding == "none" else 0.5 / slope,
            matter=0.0 if self.vendor_rounding == "none" else 0.5 * slope,
        )

    def describe(self) -> tuple[str, str]:
        offset = f" + {shown_param(self.offset)}" if self.offset else ""
        back = f"(x − {shown_param(self.offset)})" if self.offset else "x"
        return (
            f"× {shown_param(self.factor)}{offset} ({self.rounding})",
            f"{back} ÷ {shown_param(self.factor)} ({self.vendor_rounding})",
        )

    def output_kind(self, before: str | None) -> str | None:
        return "float" if self.rounding == "none" else "int"

    def vendor_schema(self, rest: Callable[[], JsonSchema]) -> JsonSchema:
        return {"type": "number"}


@dataclass(frozen=True)
class Reciprocal(Transform):
    """matter = numerator / vendor (kelvin ↔ mireds), rounding by policy; zero is refused."""

    name: ClassVar[str] = "reciprocal"
    numerator: float = 1_000_000.0
    rounding: str = "half_even"
    vendor_rounding: str = "half_even"

    def forward(self, value: Any, context: Any) -> Any:
        x = _number(value, "reciprocal")
        if x == 0:
            raise TransformError("reciprocal: 0 has no reciprocal")
        return round_by(self.numerator / x, self.rounding)

    def inverse(self, value: Any, old: Any, context: Any) -> Any:
        y = _number(value, "reciprocal")
        if y == 0:
            raise TransformError("reciprocal: 0 has no reciprocal")
        return round_by(self.numerator / y, self.vendor_rounding)

    def image(self, interval: Interval | None) -> Interval | None:
        if interval is None or interval[0] <= 0 <= interval[1]:
            return None
        return _span(*(self.forward(v, None) for v in interval))

    def preimage(self, interval: Interval | None) -> Interval | None:
        if interval is None or interval[0] <= 0 <= interval[1]:
            return None
        return _span(*(self.inverse(v, MISSING, None) for v in interval))

    @property
    def loss(self) -> Loss:
        # relative loss: one unit of rounding at either end; the laws evaluate it at the value
        return Loss(vendor=0.0 if self.rounding == "none" else 0.5, matter=0.5)

    def describe(self) -> tuple[str, str]:
        n = shown_param(self.numerator)
        return f"{n} ÷ x ({self.rounding})", f"{n} ÷ x ({self.vendor_rounding})"

    def output_kind(self, before: str | None) -> str | None:
        return "float" if self.rounding == "none" else "int"

    def vendor_schema(self, rest: Callable[[], JsonSchema]) -> JsonSchema:
        return {"type": "number", "not": {"const": 0}}

    def slope_at(self, value: Any, context: Any) -> float:
        if _finite_number(value) and value:
            return float(abs(self.numerator) / (value * value))
        return self.slope


@dataclass(frozen=True)
class Clamp(Transform):
    """Limit a value to [min, max] in both directions; bounds may be read from the device payload."""

    name: ClassVar[str] = "clamp"
    lo: Param = -math.inf
    hi: Param = math.inf
    #: static limits that dynamic (per-device) bounds are themselves kept within
    within: Interval | None = None

    def _bounds(self, context: Any) -> Interval:
        lo, hi = param(self.lo, context), param(self.hi, context)
        if self.within is not None:
            lo = min(max(lo, self.within[0]), self.within[1])
            hi = min(max(hi, self.within[0]), self.within[1])
        return lo, hi

    def forward(self, value: Any, context: Any) -> Any:
        x = _number(value, "clamp")
        lo, hi = self.lo, self.hi
        if self.within is not None or isinstance(lo, Ref) or isinstance(hi, Ref):
            lo, hi = self._bounds(context)
        return min(max(x, lo), hi)

    def inverse(self, value: Any, old: Any, context: Any) -> Any:
        return self.forward(value, context)

    def static_bounds(self) -> Interval:
        lo = self.lo if not isinstance(self.lo, Ref) else (self.within[0] if self.within else -math.inf)
        hi = self.hi if not isinstance(self.hi, Ref) else (self.within[1] if self.within else math.inf)
        return lo, hi

    def image(self, interval: Interval | None) -> Interval | None:
        lo, hi = self.static_bounds()
        if interval is None:
            return (lo, hi) if math.isfinite(lo) and math.isfinite(hi) else None
        return (min(max(interval[0], lo), hi), min(max(interval[1], lo), hi))

    def preimage(self, interval: Interval | None) -> Interval | None:
        return self.image(interval)

    def describe(self) -> tuple[str, str]:
        within = f" within {shown_param(self.within[0])}..{shown_param(self.within[1])}" if self.within else ""
        text = f"clamp {shown_param(self.lo)}..{shown_param(self.hi)}{within}"
        return text, text

    def output_kind(self, before: str | None) -> str | None:
        return before if before in ("int", "float") else None

    def vendor_schema(self, rest: Callable[[], JsonSchema]) -> JsonSchema:
        return {"type": "number"}


@dataclass(frozen=True)
class Invert(Transform):
    """matter = maximum − vendor (0 % open ↔ 100 % closed)."""

    name: ClassVar[str] = "invert"
    maximum: float = 100.0

    def forward(self, value: Any, context: Any) -> Any:
        return self.maximum - _number(value, "invert")

    def inverse(self, value: Any, old: Any, context: Any) -> Any:
        return self.maximum - _number(value, "invert")

    def image(self, interval: Interval | None) -> Interval | None:
        return None if interval is None else _span(self.maximum - interval[0], self.maximum - interval[1])

    def preimage(self, interval: Interval | None) -> Interval | None:
        return self.image(interval)

    def describe(self) -> tuple[str, str]:
        return f"{shown_param(self.maximum)} − x", f"{shown_param(self.maximum)} − x"

    def output_kind(self, before: str | None) -> str | None:
        return before if before in ("int", "float") else None

    def vendor_schema(self, rest: Callable[[], JsonSchema]) -> JsonSchema:
        return {"type": "number"}


@dataclass(frozen=True)
class EnumTable(Transform):
    """A bijective table of vendor values ↔ Matter values, with vendor aliases and a fallback for unknowns."""

    name: ClassVar[str] = "enum"
    to_matter: tuple[tuple[Any, Any], ...] = ()
    aliases: tuple[tuple[Any, Any], ...] = ()
    default: Any = MISSING
    _forward: dict[Any, Any] = field(init=False, repr=False, compare=False)
    _inverse: dict[Any, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        forward = {scalar_key(v): m for v, m in self.to_matter}
        for alias, canonical in self.aliases:
            forward[scalar_key(alias)] = forward[scalar_key(canonical)]
        object.__setattr__(self, "_forward", forward)
        object.__setattr__(self, "_inverse", {scalar_key(m): v for v, m in self.to_matter})

    def forward(self, value: Any, context: Any) -> Any:
        key = scalar_key(value)
        if key in self._forward:
            return self._forward[key]
        if self.default is not MISSING:
            return self.default
        known = ", ".join(repr(v) for v, _ in self.to_matter)
        raise TransformError(f"enum: vendor value {value!r} is not one of {known}")

    def inverse(self, value: Any, old: Any, context: Any) -> Any:
        key = scalar_key(value)
        if key not in self._inverse:
            known = ", ".join(repr(m) for _, m in self.to_matter)
            raise TransformError(f"enum: Matter value {value!r} has no vendor value (known: {known})")
        return self._inverse[key]

    def image(self, interval: Interval | None) -> Interval | None:
        values = [m for _, m in self.to_matter]
        if self.default is not MISSING:
            values.append(self.default)
        values = [v for v in values if v is not None]  # null is checked by nullability, not by the range
        numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        return (min(numbers), max(numbers)) if numbers and len(numbers) == len(values) else None

    def describe(self) -> tuple[str, str]:
        pairs = ", ".join(f"{v!r}→{m!r}" for v, m in self.to_matter)
        aliases = f"; aliases {', '.join(f'{a!r}→{c!r}' for a, c in self.aliases)}" if self.aliases else ""
        default = f"; else {self.default!r}" if self.default is not MISSING else ""
        back = ", ".join(f"{m!r}→{v!r}" for v, m in self.to_matter)
        return f"enum {pairs}{aliases}{default}", f"enum {back}"

    def output_kind(self, before: str | None) -> str | None:
        values = [mv for _, mv in self.to_matter]
        kinds = {"bool" if isinstance(v, bool) else "int" if isinstance(v, int) else "other" for v in values}
        return kinds.pop() if len(kinds) == 1 else None

    def vendor_schema(self, rest: Callable[[], JsonSchema]) -> JsonSchema:
        if self.default is not MISSING:
            return {}
        return {"enum": distinct([v for v, _ in self.to_matter] + [a for a, _ in self.aliases])}

    def vendor_values(self) -> tuple[Any, ...] | None:
        return tuple(v for v, _ in self.to_matter) + tuple(a for a, _ in self.aliases)

    def canonical(self, vendor_value: Any) -> Any:
        for alias, canonical in self.aliases:
            if scalar_key(alias) == scalar_key(vendor_value):
                return canonical
        return vendor_value


@dataclass(frozen=True)
class BoolMap(Transform):
    """Vendor spellings of true and false (`"on"`/`"off"`, 1/0) ↔ a Matter bool."""

    name: ClassVar[str] = "bool"
    true: Any = True
    false: Any = False

    def forward(self, value: Any, context: Any) -> Any:
        if scalar_key(value) == scalar_key(self.true):
            return True
        if scalar_key(value) == scalar_key(self.false):
            return False
        raise TransformError(f"bool: vendor value {value!r} is neither {self.true!r} nor {self.false!r}")

    def inverse(self, value: Any, old: Any, context: Any) -> Any:
        if not isinstance(value, bool):
            raise TransformError(f"bool: expected true or false, got {value!r}")
        return self.true if value else self.false

    def describe(self) -> tuple[str, str]:
        return (
            f"bool {self.true!r}→true, {self.false!r}→false",
            f"bool true→{self.true!r}, false→{self.false!r}",
        )

    def output_kind(self, before: str | None) -> str | None:
        return "bool"

    def vendor_schema(self, rest: Callable[[], JsonSchema]) -> JsonSchema:
        return {"enum": distinct([self.true, self.false])}

    def vendor_values(self) -> tuple[Any, ...] | None:
        return (self.true, self.false)


@dataclass(frozen=True)
class JsonString(Transform):
    """JSON carried inside a string; already-decoded objects pass through; writes keep the old form."""

    name: ClassVar[str] = "json_string"
    reads_old: ClassVar[bool] = True
    structural: ClassVar[bool] = True

    def forward(self, value: Any, context: Any) -> Any:
        if isinstance(value, dict | list):
            return value
        if value == "":
            raise TransformError("json_string: the vendor value is an empty string")
        if not isinstance(value, str):
            raise TransformError(f"json_string: expected a JSON string, got {type(value).__name__}")
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise TransformError(f"json_string: not valid JSON ({exc.msg})") from None

    def inverse(self, value: Any, old: Any, context: Any) -> Any:
        if isinstance(old, dict | list):
            return value
        return json.dumps(value, separators=(",", ":"), allow_nan=False)

    def describe(self) -> tuple[str, str]:
        return "JSON text → value (objects pass through)", "value → JSON text (or an object, as the vendor had it)"

    def vendor_schema(self, rest: Callable[[], JsonSchema]) -> JsonSchema:
        inner = rest()
        schema: JsonSchema = {
            "type": ["string", "object", "array"],
            "minLength": 1,
            "contentMediaType": "application/json",
        }
        if inner:
            schema["contentSchema"] = inner
            schema["if"] = {"type": ["object", "array"]}
            schema["then"] = inner
        return schema


@dataclass(frozen=True)
class Field(Transform):
    """One member of a vendor object; writing it keeps the object's other members (a get-put lens)."""

    name: ClassVar[str] = "field"
    reads_old: ClassVar[bool] = True
    structural: ClassVar[bool] = True
    key: str = ""
    #: the other members a write starts from when the vendor holds no object yet (e.g. Tuya's `""`)
    defaults: tuple[tuple[str, Any], ...] = ()

    def forward(self, value: Any, context: Any) -> Any:
        if not isinstance(value, dict):
            raise TransformError(f"field: expected an object holding {self.key!r}, got {type(value).__name__}")
        if self.key not in value:
            raise TransformError(f"field: the object has no member {self.key!r}")
        return value[self.key]

    def inverse(self, value: Any, old: Any, context: Any) -> Any:
        base = dict(old) if isinstance(old, dict) else dict(self.defaults)
        base[self.key] = value
        return base

    def describe(self) -> tuple[str, str]:
        defaults = f", starting from {dict(self.defaults)}" if self.defaults else ""
        return f"member `{self.key}`", f"set member `{self.key}`, keep the others{defaults}"

    def vendor_schema(self, rest: Callable[[], JsonSchema]) -> JsonSchema:
        return {"type": "object", "properties": {self.key: rest()}, "required": [self.key]}


@dataclass(frozen=True)
class Temperature(Transform):
    """Degrees Celsius or Fahrenheit ↔ Matter temperature in 0.01 °C."""

    name: ClassVar[str] = "temperature"
    unit: str = "C"
    rounding: str = "half_even"
    vendor_rounding: str = "none"

    def forward(self, value: Any, context: Any) -> Any:
        x = _number(value, "temperature")
        celsius = x if self.unit == "C" else (x - 32) * 5 / 9
        return round_by(celsius * 100, self.rounding)

    def inverse(self, value: Any, old: Any, context: Any) -> Any:
        celsius = _number(value, "temperature") / 100
        vendor = celsius if self.unit == "C" else celsius * 9 / 5 + 32
        return round_by(vendor, self.vendor_rounding)

    def image(self, interval: Interval | None) -> Interval | None:
        return None if interval is None else _span(*(self.forward(v, None) for v in interval))

    def preimage(self, interval: Interval | None) -> Interval | None:
        return None if interval is None else _span(*(self.inverse(v, MISSING, None) for v in interval))

    @property
    def slope(self) -> float:
        return 100.0 if self.unit == "C" else 500 / 9

    @property
    def loss(self) -> Loss:
        slope = self.slope
        return Loss(
            vendor=0.0 if self.rounding == "none" else 0.5 / slope,
            matter=0.0 if self.vendor_rounding == "none" else 0.5 * slope,
        )

    def describe(self) -> tuple[str, str]:
        return (
            f"°{self.unit} → 0.01 °C ({self.rounding})",
            f"0.01 °C → °{self.unit} ({self.vendor_rounding})",
        )

    def output_kind(self, before: str | None) -> str | None:
        return "float" if self.rounding == "none" else "int"

    def vendor_schema(self, rest: Callable[[], JsonSchema]) -> JsonSchema:
        return {"type": "number"}


XY_SCALE = 65536
XY_MAX = 65279


@dataclass(frozen=True)
class CieXy(Transform):
    """A CIE 1931 chromaticity coordinate 0–1 ↔ Matter CurrentX/CurrentY (x·65536, at most 65279)."""

    name: ClassVar[str] = "cie_xy"
    #: decimal places kept on the vendor side
    digits: int = 4

    def forward(self, value: Any, context: Any) -> Any:
        x = _number(value, "cie_xy")
        return min(max(round_by(x * XY_SCALE, "half_even"), 0), XY_MAX)

    def inverse(self, value: Any, old: Any, context: Any) -> Any:
        return round(_number(value, "cie_xy") / XY_SCALE, self.digits)

    def image(self, interval: Interval | None) -> Interval | None:
        if interval is None:
            return (0, XY_MAX)
        return _span(*(self.forward(v, None) for v in interval))

    def preimage(self, interval: Interval | None) -> Interval | None:
        return None if interval is None else _span(*(self.inverse(v, MISSING, None) for v in interval))

    @property
    def slope(self) -> float:
        return float(XY_SCALE)

    @property
    def loss(self) -> Loss:
        # get-put: Matter rounding plus vendor rounding; above 65279/65536 the clamp moves x by up to 0.0039
        rounding = 0.5 / XY_SCALE + 0.5 * 10.0**-self.digits
        return Loss(vendor=max(rounding, (XY_SCALE - XY_MAX) / XY_SCALE), matter=0.5 * XY_SCALE * 10.0**-self.digits)

    def describe(self) -> tuple[str, str]:
        return "× 65536, at most 65279", f"÷ 65536, {self.digits} digits"

    def output_kind(self, before: str | None) -> str | None:
        return "int"

    def vendor_schema(self, rest: Callable[[], JsonSchema]) -> JsonSchema:
        return {"type": "number"}

    def rounding_quantum(self, context: Any) -> float:
        return 0.5


@dataclass(frozen=True)
class Decimal(Transform):
    """A decimal carried as an integer (Tuya DPs): real = raw / 10^scale; writes snap to the step grid.

    `scale` and `step` (raw units) may be read from the device's own spec. When either is, `max_quantum` bounds
    the device's resolution step / 10^scale: the declared loss is stated against it, and a device whose
    resolution is coarser is refused rather than translated with more loss than declared."""

    name: ClassVar[str] = "decimal"
    scale: Param = 0
    step: Param = 1
    max_quantum: float | None = None

    def _spec(self, context: Any) -> tuple[int, int]:
        scale, step = param(self.scale, context), param(self.step, context)
        if isinstance(scale, float) and scale.is_integer():
            scale = int(scale)
        if isinstance(step, float) and step.is_integer():
            step = int(step)
        if not isinstance(scale, int) or not 0 <= scale <= 9:
            raise TransformError(f"decimal: scale {scale!r} is not an integer in 0..9")
        if not isinstance(step, int) or step < 1:
            raise TransformError(f"decimal: step {step!r} is not a positive integer")
        quantum = step / 10**scale
        if self.max_quantum is not None and quantum > self.max_quantum + 1e-12:
            raise TransformError(
                f"decimal: the device's resolution {quantum:g} is coarser than the mapping's max_quantum "
                f"{self.max_quantum:g}"
            )
        return scale, step

    @property
    def dynamic(self) -> bool:
        return isinstance(self.scale, Ref) or isinstance(self.step, Ref)

    def forward(self, value: Any, context: Any) -> Any:
        raw = _number(value, "decimal")
        scale, _ = self._spec(context)
        return raw if scale == 0 else raw / 10**scale

    def inverse(self, value: Any, old: Any, context: Any) -> Any:
        real = _number(value, "decimal")
        scale, step = self._spec(context)
        return int(round_by(real * 10**scale / step, "half_even")) * step

    def image(self, interval: Interval | None) -> Interval | None:
        if interval is None or isinstance(self.scale, Ref):
            return None
        return _span(*(v / 10 ** int(self.scale) for v in interval))

    def preimage(self, interval: Interval | None) -> Interval | None:
        if interval is None or isinstance(self.scale, Ref):
            return None
        return _span(*(v * 10 ** int(self.scale) for v in interval))

    @property
    def quantum(self) -> float:
        """The worst resolution in real units: exact when static, else the declared `max_quantum`."""
        if not self.dynamic:
            return float(param(self.step, None)) * 10.0 ** -int(param(self.scale, None))
        return self.max_quantum if self.max_quantum is not None else math.inf

    @property
    def slope(self) -> float:
        return 1.0 if isinstance(self.scale, Ref) else 10.0 ** -int(self.scale)

    @property
    def loss(self) -> Loss:
        # vendor values on the step grid come back unchanged; Matter values move to the nearest grid point
        return Loss(vendor=0.0, matter=self.quantum / 2)

    def describe(self) -> tuple[str, str]:
        return (
            f"÷ 10^{shown_param(self.scale)}",
            f"× 10^{shown_param(self.scale)}, snapped to step {shown_param(self.step)}",
        )

    def output_kind(self, before: str | None) -> str | None:
        return before if self.scale == 0 else "float"

    def quanta(self, context: Any) -> tuple[float, float]:
        """A decimal's grid step is read from the device when it is per-device."""
        try:
            step = param(self.step, context)
        except TransformError:
            step = 1
        return 0.0, step / 2

    def slope_at(self, value: Any, context: Any) -> float:
        if not self.dynamic:
            return self.slope
        try:
            return float(10.0 ** -param(self.scale, context))
        except (TransformError, TypeError):
            return self.slope


@dataclass(frozen=True)
class Format(Transform):
    """A number written inside a string, e.g. LIFX `"kelvin:3500"` ↔ 3500 (prefix, suffix, decimal digits)."""

    name: ClassVar[str] = "format"
    prefix: str = ""
    suffix: str = ""
    digits: int = 0

    def forward(self, value: Any, context: Any) -> Any:
        if not isinstance(value, str):
            raise TransformError(f"format: expected a string, got {type(value).__name__}")
        if not (value.startswith(self.prefix) and value.endswith(self.suffix)):
            raise TransformError(f"format: {value!r} does not read {self.prefix!r}…{self.suffix!r}")
        middle = value[len(self.prefix) : len(value) - len(self.suffix)]
        try:
            number = float(middle)
        except ValueError:
            raise TransformError(f"format: {middle!r} in {value!r} is not a number") from None
        if not math.isfinite(number):
            raise TransformError(f"format: {middle!r} is not a finite number")
        return round_by(number, "half_even") if self.digits == 0 else round(number, self.digits)

    def inverse(self, value: Any, old: Any, context: Any) -> Any:
        number = _number(value, "format")
        text = str(round_by(number, "half_even")) if self.digits == 0 else f"{number:.{self.digits}f}"
        return f"{self.prefix}{text}{self.suffix}"

    def image(self, interval: Interval | None) -> Interval | None:
        return interval

    def preimage(self, interval: Interval | None) -> Interval | None:
        return interval

    @property
    def loss(self) -> Loss:
        return Loss(vendor=0.0, matter=0.5 * 10.0**-self.digits)

    def describe(self) -> tuple[str, str]:
        shape = f"`{self.prefix}…{self.suffix}`"
        return f"number in {shape}", f"{shape} with {self.digits} decimals"

    def output_kind(self, before: str | None) -> str | None:
        return "int" if self.digits == 0 else "float"

    structural: ClassVar[bool] = True

    def rounding_quantum(self, context: Any) -> float:
        return 0.5 * 10.0**-self.digits


# Adding a transform: its class here (forward, inverse, loss, image, preimage, describe, output_kind,
# vendor_schema, and the property-test hooks when the defaults do not hold), its step model in model.py, its
# case in Linker.transform, and its code emitter in codegen/transforms.py; tests/test_transform_knowledge.py
# fails until the class describes itself and has an emitter.
TRANSFORMS: Mapping[str, type[Transform]] = {
    cls.name: cls
    for cls in (
        Linear,
        Scale,
        Reciprocal,
        Clamp,
        Invert,
        EnumTable,
        BoolMap,
        JsonString,
        Field,
        Temperature,
        CieXy,
        Decimal,
        Format,
    )
}
