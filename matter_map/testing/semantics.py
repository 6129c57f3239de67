"""What a Matter command means for the device state, independent of any mapping (the command-effect oracle).

Known commands carry their meaning from the Matter specification (`On` → OnOff true, `MoveToLevel L` →
CurrentLevel L). Commands without a known meaning are held to what the mapping declares for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from matter_map.ir import CommandIR, FieldRef, StepCommand, StepIR, ToggleCommand, WriteCommand
from matter_map.paths import MISSING

AttrKey = tuple[str, str]  # (cluster, attribute) on the command's endpoint
Current = Callable[[str, str], Any]  # the current Matter value of an attribute, MISSING when unknown
Bound = Callable[[str, str], bool]  # whether the mapping binds an attribute to a vendor path


class NeedsStateError(Exception):
    """The meaning depends on a current value the state does not hold (Toggle with no OnOff)."""


@dataclass(frozen=True)
class Meaning:
    """The attribute values a command sets, and which clusters' attributes it may change besides."""

    expected: dict[AttrKey, Any]
    clusters: frozenset[str]
    origin: str  # "Matter" (built-in meaning) or "declared" (the mapping's own writes)
    extra: frozenset[AttrKey] = field(default_factory=frozenset)

    def may_change(self, key: AttrKey) -> bool:
        return key in self.expected or key[0] in self.clusters or key in self.extra


Handler = Callable[[dict[str, Any], Current, Bound], dict[AttrKey, Any]]

LEVEL: AttrKey = ("LevelControl", "CurrentLevel")
ON_OFF: AttrKey = ("OnOff", "OnOff")
STEP_UP, STEP_DOWN = 0, 1


def _current(current: Current, key: AttrKey) -> Any:
    value = current(*key)
    if value is MISSING or value is None:
        raise NeedsStateError(f"{key[0]}.{key[1]} has no current value")
    return value


def _min_level(current: Current) -> Any:
    value = current("LevelControl", "MinLevel")
    return 0 if value is MISSING or value is None else value


def _level_with_on_off(level: Any, current: Current) -> dict[AttrKey, Any]:
    out: dict[AttrKey, Any] = {LEVEL: level}
    if isinstance(level, int) and level > _min_level(current):
        out[ON_OFF] = True
    return out


def _step(params: dict[str, Any], current: Current, with_on_off: bool) -> dict[AttrKey, Any]:
    mode, size = params.get("StepMode"), params.get("StepSize")
    if mode not in (STEP_UP, STEP_DOWN) or not isinstance(size, int) or size == 0:
        return {}  # a zero step is an invalid command (Matter 1.3+): no meaning to hold the mapping to
    level = _current(current, LEVEL) + (size if mode == STEP_UP else -size)
    level = max(level, _min_level(current))
    return _level_with_on_off(level, current) if with_on_off else {LEVEL: level}


def _lift(value: Any, bound: Bound) -> dict[AttrKey, Any]:
    for name in ("TargetPositionLiftPercent100ths", "CurrentPositionLiftPercent100ths"):
        if bound("WindowCovering", name):
            return {("WindowCovering", name): value}
    return {}


def _tilt(value: Any, bound: Bound) -> dict[AttrKey, Any]:
    for name in ("TargetPositionTiltPercent100ths", "CurrentPositionTiltPercent100ths"):
        if bound("WindowCovering", name):
            return {("WindowCovering", name): value}
    return {}


def _setpoints(params: dict[str, Any], current: Current) -> dict[AttrKey, Any]:
    mode, amount = params.get("Mode"), params.get("Amount")
    if not isinstance(amount, int):
        return {}
    out: dict[AttrKey, Any] = {}
    if mode in (0, 2):  # Heat, Both; Amount is in 0.1 °C, setpoints in 0.01 °C
        key = ("Thermostat", "OccupiedHeatingSetpoint")
        out[key] = _current(current, key) + amount * 10
    if mode in (1, 2):
        key = ("Thermostat", "OccupiedCoolingSetpoint")
        out[key] = _current(current, key) + amount * 10
    return out


KNOWN: dict[AttrKey, Handler] = {
    ("OnOff", "On"): lambda p, c, b: {ON_OFF: True},
    ("OnOff", "Off"): lambda p, c, b: {ON_OFF: False},
    ("OnOff", "OffWithEffect"): lambda p, c, b: {ON_OFF: False},
    ("OnOff", "OnWithTimedOff"): lambda p, c, b: {ON_OFF: True},
    ("OnOff", "Toggle"): lambda p, c, b: {ON_OFF: not _current(c, ON_OFF)},
    ("LevelControl", "MoveToLevel"): lambda p, c, b: {LEVEL: p.get("Level")},
    ("LevelControl", "MoveToLevelWithOnOff"): lambda p, c, b: _level_with_on_off(p.get("Level"), c),
    ("LevelControl", "Step"): lambda p, c, b: _step(p, c, with_on_off=False),
    ("LevelControl", "StepWithOnOff"): lambda p, c, b: _step(p, c, with_on_off=True),
    ("ColorControl", "MoveToHue"): lambda p, c, b: {("ColorControl", "CurrentHue"): p.get("Hue")},
    ("ColorControl", "MoveToSaturation"): lambda p, c, b: {("ColorControl", "CurrentSaturation"): p.get("Saturation")},
    ("ColorControl", "MoveToHueAndSaturation"): lambda p, c, b: {
        ("ColorControl", "CurrentHue"): p.get("Hue"),
        ("ColorControl", "CurrentSaturation"): p.get("Saturation"),
    },
    ("ColorControl", "EnhancedMoveToHue"): lambda p, c, b: {
        ("ColorControl", "EnhancedCurrentHue"): p.get("EnhancedHue")
    },
    ("ColorControl", "EnhancedMoveToHueAndSaturation"): lambda p, c, b: {
        ("ColorControl", "EnhancedCurrentHue"): p.get("EnhancedHue"),
        ("ColorControl", "CurrentSaturation"): p.get("Saturation"),
    },
    ("ColorControl", "MoveToColor"): lambda p, c, b: {
        ("ColorControl", "CurrentX"): p.get("ColorX"),
        ("ColorControl", "CurrentY"): p.get("ColorY"),
    },
    ("ColorControl", "MoveToColorTemperature"): lambda p, c, b: {
        ("ColorControl", "ColorTemperatureMireds"): p.get("ColorTemperatureMireds")
    },
    ("WindowCovering", "UpOrOpen"): lambda p, c, b: _lift(0, b),
    ("WindowCovering", "DownOrClose"): lambda p, c, b: _lift(10000, b),
    ("WindowCovering", "GoToLiftPercentage"): lambda p, c, b: _lift(p.get("LiftPercent100thsValue"), b),
    ("WindowCovering", "GoToTiltPercentage"): lambda p, c, b: _tilt(p.get("TiltPercent100thsValue"), b),
    ("DoorLock", "LockDoor"): lambda p, c, b: {("DoorLock", "LockState"): 1},
    ("DoorLock", "UnlockDoor"): lambda p, c, b: {("DoorLock", "LockState"): 2},
    ("Thermostat", "SetpointRaiseLower"): lambda p, c, b: _setpoints(p, c),
}

#: clusters a command may change besides its own (the *WithOnOff commands switch the light on)
ALSO_CHANGES: dict[AttrKey, frozenset[str]] = {
    ("LevelControl", "MoveToLevelWithOnOff"): frozenset({"OnOff"}),
    ("LevelControl", "StepWithOnOff"): frozenset({"OnOff"}),
    ("LevelControl", "MoveWithOnOff"): frozenset({"OnOff"}),
}


def meaning(command: CommandIR, params: dict[str, Any], current: Current, bound: Bound) -> Meaning:
    """The state a command means; raises NeedsStateError when it depends on a value the state lacks."""
    key = (command.cluster, command.name)
    clusters = frozenset({command.cluster}) | ALSO_CHANGES.get(key, frozenset())
    handler = KNOWN.get(key)
    if handler is not None:
        return Meaning(handler(params, current, bound), clusters, "Matter")
    return Meaning(declared(command, params, current), clusters, "declared")


def declared(command: CommandIR, params: dict[str, Any], current: Current) -> dict[AttrKey, Any]:
    """The effect a mapping declares for a command it gives no Matter meaning to."""
    match command.action:
        case WriteCommand(writes=writes):
            return {
                (w.attribute.cluster, w.attribute.name): params.get(w.value.name)
                if isinstance(w.value, FieldRef)
                else w.value
                for w in writes
            }
        case ToggleCommand(attribute=toggled):
            attr = (toggled.cluster, toggled.name)
            return {attr: not _current(current, attr)}
        case StepCommand(steps=steps):
            return _declared_steps(steps, params, current)
    return {}


def _declared_steps(steps: tuple[StepIR, ...], params: dict[str, Any], current: Current) -> dict[AttrKey, Any]:
    """The attributes a step command's steps set (the steps whose `only_if` holds, with a usable size)."""
    out: dict[AttrKey, Any] = {}
    for step in steps:
        only_if = step.only_if
        if not all(params.get(name) in values for name, values in only_if):
            continue
        attr = (step.attribute.cluster, step.attribute.name)
        size = params.get(step.size)
        if not isinstance(size, int | float) or isinstance(size, bool):
            continue
        if step.direction is not None:
            direction = params.get(step.direction.field)
            if direction not in (step.direction.up, step.direction.down):
                continue
            size = size if direction == step.direction.up else -size
        target = _current(current, attr) + size * step.factor
        low, high = step.attribute.type.minimum, step.attribute.type.maximum
        if step.wrap and low is not None and high is not None:
            target = low + (target - low) % (high - low + 1)
        out[attr] = target
    return out
