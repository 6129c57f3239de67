"""The same two Hue translations as JSONata and jq programs (run with jsonata-python and the jq binding).

Each program does what bench/hue_handwritten.py does: the state → DEVICE_EVENT request (power-on settings
included when present), and MoveToLevel → the CLIP v2 PUT. Type checks and error reports are left out, so
these rows flatter the expression languages a little. jq's `round` rounds halves away from zero where the
mapping rounds them to even; the sample has no half.
"""

from __future__ import annotations

from typing import Any

# --- JSONata ------------------------------------------------------------------------------------------

JSONATA_TO_MATTER = """
(
  $clamp := function($v, $lo, $hi) { $v < $lo ? $lo : ($v > $hi ? $hi : $v) };
  $ct := color_temperature;
  $low := $clamp($ct.mirek_schema.mirek_minimum, 1, 65279);
  $high := $clamp($ct.mirek_schema.mirek_maximum, 1, 65279);
  $mode := $ct.mirek_valid ? 2 : 1;
  $pu := powerup;
  [{
    "ConnectorId": "matter-map",
    "Operation": "DEVICE_EVENT",
    "OperationVersion": "1.0",
    "ConnectorDeviceId": id,
    "MatterEndpoint": {"id": "1", "clusters": [
      {"id": "0x0006", "attributes": {
        "0x0000": on.on, "0x4001": 0, "0x4002": 0,
        "0x4003": $pu.on.mode = "toggle" ? 2 : ($pu.on.mode = "previous" ? null :
                  ($exists($pu.on.on.on) ? ($pu.on.on.on ? 1 : 0) : undefined))
      }},
      {"id": "0x0008", "attributes": {
        "0x0000": $clamp($round(dimming.brightness * 254 / 100), 1, 254),
        "0x0002": 1, "0x0003": 254, "0x000F": 0, "0x0011": null, "0x0001": 0,
        "0x4000": $pu.dimming.mode = "previous" ? null :
                  ($exists($pu.dimming.dimming.brightness) ?
                    $clamp($round($pu.dimming.dimming.brightness * 2.54), 1, 254) : undefined)
      }},
      {"id": "0x0300", "attributes": {
        "0x0003": $clamp($round(color.xy.x * 65536), 0, 65279),
        "0x0004": $clamp($round(color.xy.y * 65536), 0, 65279),
        "0x0007": $ct.mirek_valid ? $clamp($clamp($ct.mirek, $low, $high), 1, 65279) : undefined,
        "0x400B": $low, "0x400C": $high, "0x400D": $low,
        "0x4010": $pu.color.mode = "previous" ? null :
                  ($exists($pu.color.color_temperature.mirek) ?
                    $clamp($pu.color.color_temperature.mirek, 1, 65279) : undefined),
        "0x0008": $mode, "0x4001": $mode, "0x400A": 24, "0x000F": 0, "0x0010": null, "0x0002": 0
      }},
      {"id": "0x0003", "attributes": {"0x0000": 0, "0x0001": 1}}
    ]}
  }]
)
"""

JSONATA_MOVE_TO_LEVEL = """
(
  $level := command.Endpoints[endpointId = "1"].capabilities[id = "matter.LevelControl@1.4"]
            .actions[name = "MoveToLevel"].parameters.Level;
  [{
    "method": "PUT",
    "url": "/clip/v2/resource/light/" & $encodeUrlComponent(state.id),
    "headers": {"Content-Type": "application/json"},
    "body": {"dimming": {"brightness": ($level < 1 ? 1 : ($level > 254 ? 254 : $level)) * 100 / 254}}
  }]
)
"""

# --- jq -----------------------------------------------------------------------------------------------

JQ_TO_MATTER = """
def clamp($lo; $hi): if . < $lo then $lo elif . > $hi then $hi else . end;
def present(f): (f | type) != "null";
.color_temperature as $ct
| ($ct.mirek_schema.mirek_minimum | clamp(1; 65279)) as $low
| ($ct.mirek_schema.mirek_maximum | clamp(1; 65279)) as $high
| (if $ct.mirek_valid then 2 else 1 end) as $mode
| (.powerup // {}) as $pu
| [{
    ConnectorId: "matter-map",
    Operation: "DEVICE_EVENT",
    OperationVersion: "1.0",
    ConnectorDeviceId: .id,
    MatterEndpoint: {id: "1", clusters: [
      {id: "0x0006", attributes: ({"0x0000": .on.on, "0x4001": 0, "0x4002": 0}
        + (if $pu.on.mode == "toggle" then {"0x4003": 2}
           elif $pu.on.mode == "previous" then {"0x4003": null}
           elif present($pu.on.on.on) then {"0x4003": (if $pu.on.on.on then 1 else 0 end)}
           else {} end))},
      {id: "0x0008", attributes: ({
        "0x0000": (.dimming.brightness * 254 / 100 | round | clamp(1; 254)),
        "0x0002": 1, "0x0003": 254, "0x000F": 0, "0x0011": null, "0x0001": 0}
        + (if $pu.dimming.mode == "previous" then {"0x4000": null}
           elif present($pu.dimming.dimming.brightness)
           then {"0x4000": ($pu.dimming.dimming.brightness * 2.54 | round | clamp(1; 254))}
           else {} end))},
      {id: "0x0300", attributes: ({
        "0x0003": (.color.xy.x * 65536 | round | clamp(0; 65279)),
        "0x0004": (.color.xy.y * 65536 | round | clamp(0; 65279))}
        + (if $ct.mirek_valid then {"0x0007": ($ct.mirek | clamp($low; $high) | clamp(1; 65279))} else {} end)
        + {"0x400B": $low, "0x400C": $high, "0x400D": $low}
        + (if $pu.color.mode == "previous" then {"0x4010": null}
           elif present($pu.color.color_temperature.mirek)
           then {"0x4010": ($pu.color.color_temperature.mirek | clamp(1; 65279))}
           else {} end)
        + {"0x0008": $mode, "0x4001": $mode, "0x400A": 24, "0x000F": 0, "0x0010": null, "0x0002": 0})},
      {id: "0x0003", attributes: {"0x0000": 0, "0x0001": 1}}
    ]}
  }]
"""

JQ_MOVE_TO_LEVEL = """
(.command.Endpoints[] | select(.endpointId == "1") | .capabilities[]
  | select(.id == "matter.LevelControl@1.4") | .actions[] | select(.name == "MoveToLevel")
  | .parameters.Level) as $level
| [{
    method: "PUT",
    url: ("/clip/v2/resource/light/" + (.state.id | @uri)),
    headers: {"Content-Type": "application/json"},
    body: {dimming: {brightness: ((if $level < 1 then 1 elif $level > 254 then 254 else $level end) * 100 / 254)}}
  }]
"""


def jsonata_programs() -> tuple[Any, Any]:
    import jsonata  # type: ignore[import-untyped]  # the bench extra

    return jsonata.Jsonata(JSONATA_TO_MATTER), jsonata.Jsonata(JSONATA_MOVE_TO_LEVEL)


def jq_programs() -> tuple[Any, Any]:
    import jq  # type: ignore[import-not-found]  # the bench extra

    return jq.compile(JQ_TO_MATTER), jq.compile(JQ_MOVE_TO_LEVEL)
