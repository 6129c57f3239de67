"""Value domains of one binding in one device state: what it reads, what it can represent, how far it may move.

A binding's chain is split into a structural prefix (leading get-put lenses such as `json_string` and
`field`, which pick one member out of a composite vendor value) and a value core (scales, enums, clamps).
Vendor values are generated, compared and bounded at the core's input: a declared `range:` means the range
of that member.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

from matter_map.ir import AttributeIR, Chain, MatterType
from matter_map.paths import MISSING, VendorPath
from matter_map.runtime import TransformError, scalar_key
from matter_map.testing.documents import put_path
from matter_map.transforms import (
    Clamp,
    Decimal,
    Loss,
    Ref,
    param,
)
from matter_map.translator import run_forward, run_inverse
from matter_map.values import check_value

#: float noise allowed on top of every declared loss (relative to the value's magnitude)
EPSILON = 1e-9
MAX_DECIMALS = 6
HUGE = 1e300  # stands for an unbounded side of a clamp


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed numeric interval; `integral` when only whole numbers occur, else `decimals` places."""

    lo: float
    hi: float
    integral: bool
    decimals: int = MAX_DECIMALS
    step: float = 0  # a grid the values lie on (a decimal data point's step), 0 for none

    def clamp(self, value: float) -> float:
        return min(max(value, self.lo), self.hi)

    def contains(self, value: Any, slack: float = 0.0) -> bool:
        if not (is_number(value) and self.lo - slack <= value <= self.hi + slack):
            return False
        if self.integral and not float(value).is_integer():
            return False
        return not self.step or float(value / self.step).is_integer()


@dataclass(frozen=True, slots=True)
class Finite:
    """An explicit set of JSON values (enum tables, bool spellings, enum members)."""

    values: tuple[Any, ...]

    def contains(self, value: Any) -> bool:
        return any(scalar_key(value) == scalar_key(v) for v in self.values if not isinstance(v, dict | list))


@dataclass(frozen=True, slots=True)
class Image:
    """Vendor values known only as what the mapping writes: the inverse image of a Matter domain."""

    matter: Interval | Finite

    def contains(self, value: Any) -> bool:
        return value is not MISSING


Domain = Interval | Finite
VendorDomain = Interval | Finite | Image


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def slack(value: float) -> float:
    return EPSILON * max(1.0, abs(value))


@dataclass(frozen=True)
class Lens:
    """One binding seen as a lens: the structural prefix that selects its member, and the value core."""

    attribute: AttributeIR
    prefix: Chain
    core: Chain
    #: the per-device parameters (`{path: ...}`) its domains depend on, and domains computed per their values
    refs: tuple[VendorPath, ...] = ()
    cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, attribute: AttributeIR) -> Lens:
        transforms = attribute.chain.transforms
        split = 0
        while split < len(transforms) and transforms[split].structural:
            split += 1
        refs = [v.path for v in attribute.vendor_range or () if isinstance(v, Ref)]
        for transform in transforms:
            refs.extend(r.path for f in fields(transform) if isinstance(r := getattr(transform, f.name), Ref))
        unique = tuple({r.text: r for r in refs}.values())
        return cls(attribute, Chain(transforms[:split], Loss()), Chain(transforms[split:], Loss()), unique)

    def _key(self, kind: str, state: Any) -> Any:
        return kind, tuple(repr(r.get(state)) for r in self.refs)

    @property
    def path_text(self) -> str:
        assert self.attribute.path is not None
        return self.attribute.path.text

    @property
    def view(self) -> tuple[str, tuple[str, ...]]:
        """Which vendor member this binding reads: bindings with the same view read the same value."""
        return self.path_text, tuple(repr(t.params) + t.name for t in self.prefix.transforms)

    def read_core(self, state: Any) -> Any:
        """The core's input value in `state`, MISSING when absent; raises TransformError when undecodable."""
        assert self.attribute.path is not None
        raw = self.attribute.path.get(state)
        if raw is MISSING or raw is None or not self.prefix.transforms:
            return raw
        return run_forward(self.prefix, raw, state)

    def write_core(self, state: dict[str, Any], value: Any) -> None:
        """Set the core's input value, keeping the other members of a composite vendor value."""
        assert self.attribute.path is not None
        raw = self.attribute.path.get(state)
        if self.prefix.transforms:
            value = run_inverse(self.prefix, value, raw, state)
        put_path(state, self.attribute.path, value)

    # --- domains -------------------------------------------------------------------------------------

    def vendor_domain(self, state: Any, *, reported: bool = False) -> VendorDomain | None:
        """The core input values the mapping represents in `state` (those a round trip keeps), or None when
        they cannot be known. With `reported`, every value the device may report by its own declared range
        (a `range:` or the per-device bounds of a leading clamp), representable or not: what validity reads."""
        key = self._key("reported" if reported else "vendor", state)
        if key not in self.cache:
            self.cache[key] = self._vendor_domain(state, reported)
        found: VendorDomain | None = self.cache[key]
        return found

    def _vendor_domain(self, state: Any, reported: bool) -> VendorDomain | None:
        core = self.core.transforms
        mtype = self.attribute.type
        if not core:
            return type_domain(mtype)
        first = core[0]
        named = first.vendor_values()
        if named is not None:
            return Finite(named)
        if self.attribute.vendor_range is not None:
            try:
                ends = [param(v, state) for v in self.attribute.vendor_range]
            except TransformError:
                return None
            lo, hi = min(ends), max(ends)
        elif reported and isinstance(first, Clamp) and (device := self.device_range(first, state)) is not None:
            lo, hi = device
        else:
            pulled = self.pulled_back(state)
            if pulled is None:  # the inverse does not give numbers: know the vendor values by what is written
                matter = type_domain(mtype)
                return None if matter is None else Image(matter)
            found = pulled if reported else self.representable(pulled[0], pulled[1], state)
            if found is None:
                return None  # no vendor value of this device maps into the constraint
            lo, hi = found
        integral, decimals = self.vendor_precision(state, lo, hi)
        return Interval(lo, hi, integral, decimals, self.grid(state))

    @staticmethod
    def device_range(clamp: Clamp, state: Any) -> tuple[float, float] | None:
        """The bounds a leading clamp keeps vendor values within (per-device bounds held to `within`)."""
        try:
            lo, hi = clamp.forward(-HUGE, state), clamp.forward(HUGE, state)
        except TransformError:
            return None
        bounded = is_number(lo) and is_number(hi) and -HUGE < lo <= hi < HUGE
        return (lo, hi) if bounded else None

    def grid(self, state: Any) -> float:
        """The step of the decimal a vendor value reaches through clamps only: the device's value grid."""
        for transform in self.core.transforms:
            if isinstance(transform, Decimal):
                try:
                    step = param(transform.step, state)
                except TransformError:
                    return 0
                return step if isinstance(step, int) and step > 1 else 0
            if not isinstance(transform, Clamp):
                return 0
        return 0

    def inverse(self, value: Any, state: Any) -> Any:
        """The core input the mapping writes for a Matter value (raises TransformError)."""
        return run_inverse(self.core, value, MISSING, state)

    def pulled_back(self, state: Any) -> tuple[float, float] | None:
        """The vendor interval the Matter constraint pulls back to through the core's inverse (None when
        the inverse does not give numbers)."""
        bounds = type_interval(self.attribute.type)
        if bounds is None:
            return None
        ends = [self.inverse_near(bounds[0], bounds[1], state), self.inverse_near(bounds[1], bounds[0], state)]
        numbers = [e for e in ends if is_number(e)]
        if len(numbers) != 2:
            return None
        return min(numbers), max(numbers)

    def representable(self, lo: float, hi: float, state: Any) -> tuple[float, float] | None:
        """The pulled-back interval shrunk to the vendor values that map into the constraint unclamped."""
        low, high = self.inside(lo, hi, 1, state), self.inside(hi, lo, -1, state)
        if low is None or high is None or low > high:
            return None  # no vendor value of this device maps into the constraint unclamped
        return low, high

    def inside(self, end: float, other: float, direction: int, state: Any) -> float | None:
        """Move an end of the pulled-back interval inwards until its forward image meets the constraint without
        a clamp moving it (the inverse rounds, so the end of the Matter range may pull back to a vendor value
        just outside)."""
        bounds = type_interval(self.attribute.type)
        if bounds is None:
            return end
        unit = self.grid(state) or (1 if isinstance(end, int) else abs(other - end) * 1e-6 or 1e-9)
        candidate = end
        for _ in range(8):
            try:
                image = run_forward(self.core, candidate, state)
                _, clamped = self.vendor_tolerance(candidate, state)
            except TransformError:
                return None
            if not is_number(image) or (bounds[0] <= image <= bounds[1] and not clamped):
                return candidate
            if (other - candidate) * direction < 0:
                return None
            candidate = candidate + direction * unit
        return None

    def inverse_near(self, target: float, other: float, state: Any) -> Any:
        """The inverse of `target`, or of the nearest value towards `other` that has one (reciprocal of 0)."""
        direction = 1 if other >= target else -1
        for nudge in (0, 1, 10, 100, 1000):
            candidate = target + direction * nudge
            if (candidate - other) * direction > 0:
                break
            try:
                return run_inverse(self.core, candidate, MISSING, state)
            except TransformError:
                continue
        return None

    def vendor_precision(self, state: Any, lo: float, hi: float) -> tuple[bool, int]:
        """Whether the mapping writes whole vendor numbers, and otherwise how many decimals it writes."""
        bounds = type_interval(self.attribute.type)
        probes: list[float] = []
        if bounds is not None:
            span = bounds[1] - bounds[0]
            for fraction in (0.0, 0.37, 0.5, 0.71, 1.0):
                target = bounds[0] + span * fraction
                if self.attribute.type.kind == "int":
                    target = round(target)
                value = self.inverse_near(target, bounds[1] if fraction < 1 else bounds[0], state)
                if is_number(value):
                    probes.append(value)
        if not probes:
            whole = isinstance(lo, int) and isinstance(hi, int)
            return whole, 0 if whole else 2
        if all(isinstance(p, int) or float(p).is_integer() for p in probes) and isinstance(lo, int):
            return True, 0
        return False, min(MAX_DECIMALS, max(decimals_of(p) for p in probes))

    def matter_domain(self, state: Any) -> Domain | None:
        """The Matter values this device can represent in `state` (the image of its vendor domain)."""
        key = self._key("matter", state)
        if key not in self.cache:
            self.cache[key] = self._matter_domain(state)
        found: Domain | None = self.cache[key]
        return found

    def _matter_domain(self, state: Any) -> Domain | None:
        vendor = self.vendor_domain(state)
        if vendor is None:
            return None
        mtype = self.attribute.type
        if isinstance(vendor, Image):
            return self.round_trip_domain(vendor.matter, state)
        if isinstance(vendor, Finite):
            images: list[Any] = []
            for value in vendor.values:
                try:
                    image = run_forward(self.core, value, state)
                except TransformError:
                    continue
                if check_value(image, mtype) is None and not Finite(tuple(images)).contains(image):
                    images.append(image)
            return Finite(tuple(images)) if images else None
        try:
            ends = [run_forward(self.core, v, state) for v in (vendor.lo, (vendor.lo + vendor.hi) / 2, vendor.hi)]
        except TransformError:
            return None
        if not all(is_number(e) for e in ends):
            return None
        low, middle, high = ends
        if not min(low, high) <= middle <= max(low, high):
            return None  # not monotone: no interval describes the image
        lo, hi = min(low, high), max(low, high)
        bounds = type_interval(mtype)
        if bounds is not None:
            lo, hi = max(lo, bounds[0]), min(hi, bounds[1])
        if lo > hi:
            return None
        return Interval(lo, hi, mtype.kind == "int")

    def round_trip_domain(self, matter: Interval | Finite, state: Any) -> Domain | None:
        """The Matter values that survive writing and reading (for chains known only through their inverse)."""
        if isinstance(matter, Finite):
            kept: list[Any] = []
            for value in matter.values:
                try:
                    image = run_forward(self.core, self.inverse(value, state), state)
                except TransformError:
                    continue
                if check_value(image, self.attribute.type) is None and not Finite(tuple(kept)).contains(image):
                    kept.append(image)
            return Finite(tuple(kept)) if kept else None
        try:
            ends = [run_forward(self.core, self.inverse(v, state), state) for v in (matter.lo, matter.hi)]
        except TransformError:
            return None
        if not all(is_number(e) for e in ends):
            return None
        lo, hi = max(min(ends), matter.lo), min(max(ends), matter.hi)
        return Interval(lo, hi, matter.integral) if lo <= hi else None

    # --- tolerances ----------------------------------------------------------------------------------

    def stages(self, vendor_value: Any, state: Any) -> list[Any]:
        """The value before each core transform and after the last (forward)."""
        values = [vendor_value]
        for transform in self.core.transforms:
            values.append(transform.forward(values[-1], state))
        return values

    def slopes(self, stages: list[Any], state: Any) -> list[float]:
        return [t.slope_at(v, state) for t, v in zip(self.core.transforms, stages, strict=False)]

    def matter_tolerance(self, vendor_value: Any, state: Any) -> float:
        """How far one Matter → vendor → Matter trip may move a value written as `vendor_value` (put-get)."""
        stages = self.stages(vendor_value, state)
        slopes = self.slopes(stages, state)
        total, after, output_quantum = 0.0, 1.0, 0.0
        for transform, slope in zip(reversed(self.core.transforms), reversed(slopes), strict=True):
            _, inverse_quantum = transform.quanta(state)
            total += inverse_quantum * slope * after
            forward_quantum = transform.rounding_quantum(state)
            if not output_quantum and forward_quantum:
                output_quantum = forward_quantum * after
            after *= slope
        result = total + output_quantum
        return result + slack(stages[-1] if is_number(stages[-1]) else 0.0)

    def vendor_tolerance(self, vendor_value: Any, state: Any) -> tuple[float, str]:
        """How far one vendor → Matter → vendor trip may move `vendor_value` (get-put), and why not if refused.

        A clamp may absorb only the rounding of the transform before it (one Matter quantum); a clamp that
        moves a value of the declared vendor range further hides a scale or range mistake, and is reported.
        """
        stages = self.stages(vendor_value, state)
        slopes = self.slopes(stages, state)
        total, before, input_quantum, last_rounding = 0.0, 1.0, 0.0, 0.0
        for index, transform in enumerate(self.core.transforms):
            forward_quantum, inverse_quantum = transform.quanta(state)
            if isinstance(transform, Clamp) and is_number(stages[index]) and is_number(stages[index + 1]):
                moved = abs(stages[index + 1] - stages[index])
                if moved > 2 * last_rounding + slack(stages[index]):
                    return 0.0, (
                        f"the clamp moves {fmt(stages[index])} to {fmt(stages[index + 1])}: vendor value "
                        f"{fmt(vendor_value)} lies in the declared range but outside what the transforms map "
                        "into the clamp's bounds (wrong scale or range?)"
                    )
                total += moved / before
            if inverse_quantum and not input_quantum:
                input_quantum = inverse_quantum / before
            before *= slopes[index]
            if forward_quantum:
                total += forward_quantum / before
                last_rounding = forward_quantum
            else:
                last_rounding *= slopes[index]
        return total + input_quantum + slack(vendor_value if is_number(vendor_value) else 0.0), ""

    def canonical_vendor(self, value: Any) -> Any:
        """A vendor value with declared aliases replaced by their canonical spelling."""
        core = self.core.transforms
        return core[0].canonical(value) if core else value


def type_interval(mtype: MatterType) -> tuple[float, float] | None:
    if mtype.kind not in ("int", "float") or mtype.minimum is None or mtype.maximum is None:
        return None
    return mtype.minimum, mtype.maximum


def type_domain(mtype: MatterType) -> Domain | None:
    """Every valid non-null value of a Matter type, as a domain (None for strings, lists and structs)."""
    if mtype.values:
        return Finite(tuple(mtype.values))
    if mtype.kind == "bool":
        return Finite((False, True))
    if mtype.enum and mtype.kind == "int":
        return Finite(tuple(v for _, v in mtype.enum))
    if mtype.kind not in ("int", "float"):  # an octet string's constraint bounds its length, not a number
        return None
    bounds = type_interval(mtype)
    if bounds is None:
        return None
    return Interval(bounds[0], bounds[1], mtype.kind == "int")


def decimals_of(value: float) -> int:
    text = repr(float(value))
    if "e" in text or "E" in text:
        return MAX_DECIMALS
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def fmt(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.6g}"
    return repr(value)
