"""Choose the Matter device types of a composed endpoint from the clusters it ended up with and its device class."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

#: sensor clusters and the device type each one makes an endpoint
SENSORS = (
    ("OccupancySensing", "OccupancySensor"),
    ("BooleanState", "ContactSensor"),
    ("TemperatureMeasurement", "TemperatureSensor"),
    ("RelativeHumidityMeasurement", "HumiditySensor"),
    ("IlluminanceMeasurement", "LightSensor"),
)


def device_types(clusters: Mapping[str, Sequence[str]], device_class: str | None) -> list[str]:
    """The device types of an endpoint with these clusters (name → feature codes); empty when none fits.

    Rules (docs/composition.md): a relay is an On/Off Plug-in Unit unless its class is a light; lights step up
    with LevelControl and ColorControl's features; one type per sensor cluster; a Thermostat is a Room Air
    Conditioner for the air-conditioner class; metering makes an Electrical Sensor."""
    names = set(clusters)
    chosen: list[str] = []
    if "DoorLock" in names:
        chosen.append("DoorLock")
    if "WindowCovering" in names:
        chosen.append("WindowCovering")
    if "Thermostat" in names:
        chosen.append("RoomAirConditioner" if device_class == "air_conditioner" and "OnOff" in names else "Thermostat")
    elif "OnOff" in names:
        chosen.append(_switched(names, clusters.get("ColorControl", ()), device_class))
    if "ElectricalPowerMeasurement" in names or "ElectricalEnergyMeasurement" in names:
        chosen.append("ElectricalSensor")
    chosen.extend(device for cluster, device in SENSORS if cluster in names)
    if not chosen and "PowerSource" in names:
        chosen.append("PowerSource")
    return chosen


def _switched(names: set[str], colour_features: Sequence[str], device_class: str | None) -> str:
    if device_class == "light":
        if "ColorControl" in names and "CT" in colour_features and "LevelControl" in names:
            return "ExtendedColorLight" if "XY" in colour_features else "ColorTemperatureLight"
        return "DimmableLight" if "LevelControl" in names else "OnOffLight"
    return "DimmablePlugInUnit" if "LevelControl" in names else "OnOffPlugInUnit"
