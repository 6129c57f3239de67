"""The floor: the Hue extended colour light mapping translated by hand, as a careful engineer would write it.

Straight-line code for one device kind: every input first bounded as any translator facing a vendor cloud
must (nesting depth, size, finite numbers within 64 bits, string keys, valid Unicode; by the runtime's
`within_bounds`, the one walk every translator runs), every value type-checked, ranges
clamped as the mapping says, the optional power-on settings read when present, no framework. It produces
the same bytes as the generated module for the sample (bench/run.py checks that before timing). Errors are
plain ValueErrors.
"""

from __future__ import annotations

from matter_map.runtime import within_bounds

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: `typing` costs milliseconds of cold start
    from typing import Any

_ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.,-"
_INF = float("inf")
_URL_SAFE = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-~"


def _number(value: Any, what: str) -> float | int:
    if type(value) is int or (type(value) is float and -_INF < value < _INF):  # NaN fails both comparisons
        return value
    raise ValueError(f"{what}: expected a number, got {value!r}")


def _bounded(value: Any) -> None:
    """Refuse JSON deeper than 64 levels, over 100,000 values, with long strings, huge or non-finite numbers, lone
    surrogates: the runtime's own walk (the same code every translator runs), so the rows compare translation."""
    if not within_bounds(value):
        raise ValueError("the input is outside the bounds of a JSON payload")


def _clamp(value: float, low: float, high: float) -> float:
    return low if value < low else high if value > high else value


def encode_device_id(vendor_id: str) -> str:
    if vendor_id and not vendor_id.strip(_ID_CHARS) and len(vendor_id) <= 256:
        return vendor_id  # the common case: nothing to escape
    encoded = "".join(c if c in _ID_CHARS else "".join(f"@{b:02X}" for b in c.encode()) for c in vendor_id)
    if not encoded or len(encoded) > 256:
        raise ValueError("a device id must have 1 to 256 characters once encoded")
    return encoded


def quote(text: str) -> str:
    data = text.encode()
    if not data.rstrip(_URL_SAFE):
        return text
    return "".join(chr(b) if b in _URL_SAFE else f"%{b:02X}" for b in data)


def _start_up_on_off(powerup: Any) -> Any:
    on = powerup.get("on") if type(powerup) is dict else None
    if type(on) is not dict:
        return ...
    mode = on.get("mode")
    if mode == "toggle":
        return 2
    if mode == "previous":
        return None
    inner = on.get("on")
    value = inner.get("on") if type(inner) is dict else None
    return ... if type(value) is not bool else int(value)


def _start_up_level(powerup: Any) -> Any:
    dimming = powerup.get("dimming") if type(powerup) is dict else None
    if type(dimming) is not dict:
        return ...
    if dimming.get("mode") == "previous":
        return None
    inner = dimming.get("dimming")
    brightness: Any = inner.get("brightness") if type(inner) is dict else None
    if type(brightness) not in (int, float):
        return ...
    return _clamp(round(brightness * 2.54), 1, 254)


def _start_up_mireds(powerup: Any) -> Any:
    color = powerup.get("color") if type(powerup) is dict else None
    if type(color) is not dict:
        return ...
    if color.get("mode") == "previous":
        return None
    inner = color.get("color_temperature")
    mirek = inner.get("mirek") if type(inner) is dict else None
    return ... if type(mirek) is not int else _clamp(mirek, 1, 65279)


def to_matter(
    state: dict[str, Any], *, connector_id: str = "matter-map", device_id: str | None = None, bounded: bool = True
) -> list[dict[str, Any]]:
    """The DEVICE_EVENT SendConnectorEvent request for a CLIP v2 light resource (`bounded=False`: the input is
    trusted, a reference row of the benchmark that shows what bounding costs)."""
    if bounded:
        _bounded(state)
    on = state["on"]["on"]
    if type(on) is not bool:
        raise ValueError(f"on.on: expected true or false, got {on!r}")
    level = _clamp(round(_number(state["dimming"]["brightness"], "dimming.brightness") * 254 / 100), 1, 254)
    xy = state["color"]["xy"]
    x = _clamp(round(_number(xy["x"], "color.xy.x") * 65536), 0, 65279)
    y = _clamp(round(_number(xy["y"], "color.xy.y") * 65536), 0, 65279)
    temperature = state["color_temperature"]
    schema = temperature["mirek_schema"]
    low = _clamp(_number(schema["mirek_minimum"], "mirek_minimum"), 1, 65279)
    high = _clamp(_number(schema["mirek_maximum"], "mirek_maximum"), 1, 65279)
    valid = temperature["mirek_valid"]
    if type(valid) is not bool:
        raise ValueError(f"mirek_valid: expected true or false, got {valid!r}")
    mode = 2 if valid else 1  # ColorTemperatureMireds or CurrentXAndCurrentY
    powerup = state.get("powerup")

    on_off: dict[str, Any] = {"0x0000": on, "0x4001": 0, "0x4002": 0}
    if (start_on := _start_up_on_off(powerup)) is not ...:
        on_off["0x4003"] = start_on
    level_control: dict[str, Any] = {"0x0000": level, "0x0002": 1, "0x0003": 254, "0x000F": 0, "0x0011": None}
    level_control["0x0001"] = 0
    if (start_level := _start_up_level(powerup)) is not ...:
        level_control["0x4000"] = start_level
    color: dict[str, Any] = {"0x0003": x, "0x0004": y}
    mirek = temperature.get("mirek")
    if valid and type(mirek) is int:
        color["0x0007"] = _clamp(_clamp(mirek, low, high), 1, 65279)
    color.update({"0x400B": low, "0x400C": high, "0x400D": low})
    if (start_mireds := _start_up_mireds(powerup)) is not ...:
        color["0x4010"] = start_mireds
    color.update({"0x0008": mode, "0x4001": mode, "0x400A": 24, "0x000F": 0, "0x0010": None, "0x0002": 0})
    clusters = [
        {"id": "0x0006", "attributes": on_off},
        {"id": "0x0008", "attributes": level_control},
        {"id": "0x0300", "attributes": color},
        {"id": "0x0003", "attributes": {"0x0000": 0, "0x0001": 1}},
    ]
    return [
        {
            "ConnectorId": connector_id,
            "Operation": "DEVICE_EVENT",
            "OperationVersion": "1.0",
            "ConnectorDeviceId": encode_device_id(state["id"] if device_id is None else device_id),
            "MatterEndpoint": {"id": "1", "clusters": clusters},
        }
    ]


def move_to_level(command: dict[str, Any], *, state: dict[str, Any], bounded: bool = True) -> list[dict[str, Any]]:
    """A SendManagedThingCommand `LevelControl.MoveToLevel` → the CLIP v2 PUT that sets the brightness."""
    if bounded:
        _bounded(command)
        _bounded(state)
    requests = []
    for endpoint in command["Endpoints"]:
        if endpoint.get("endpointId") != "1":
            raise ValueError(f"unknown endpoint {endpoint.get('endpointId')!r}")
        for capability in endpoint["capabilities"]:
            if capability.get("id", "").partition("@")[0] != "matter.LevelControl":
                raise ValueError(f"unsupported capability {capability.get('id')!r}")
            for action in capability["actions"]:
                if action.get("name") != "MoveToLevel":
                    raise ValueError(f"unsupported action {action.get('name')!r}")
                level = (action.get("parameters") or {}).get("Level")
                if type(level) is not int or not 0 <= level <= 254:
                    raise ValueError(f"MoveToLevel.Level = {level!r}: expected an integer from 0 to 254")
                brightness = _clamp(level, 1, 254) * 100 / 254
                requests.append(
                    {
                        "method": "PUT",
                        "url": "/clip/v2/resource/light/" + quote(state["id"]),
                        "headers": {"Content-Type": "application/json"},
                        "body": {"dimming": {"brightness": brightness}},
                    }
                )
    return requests
