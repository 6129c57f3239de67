"""Tests for the Matter catalog loader: counts, lookups both ways, known facts, ranges and references."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matter_map.catalog import (
    DEFAULT_PATH,
    AttributeInfo,
    BoundRef,
    Catalog,
    ClusterInfo,
    json_kind,
    load_catalog,
    type_limits,
)

ROOT = Path(__file__).resolve().parent.parent
CATALOG = load_catalog()
CLUSTERS = CATALOG.clusters
NUMERIC_BASES = {
    f"{family}{bits}" for family in ("int", "uint", "enum", "map") for bits in (8, 16, 24, 32, 40, 48, 56, 64)
}


def _cluster(name: str) -> ClusterInfo:
    cluster = CATALOG.cluster(name)
    assert cluster is not None, name
    return cluster


def test_source_is_recorded() -> None:
    assert CATALOG.source == {
        "package": "@matter/model",
        "version": "0.17.9",
        "license": "Apache-2.0",
        "spec": "1.6.0",
    }


def test_counts() -> None:
    assert len(CLUSTERS) >= 120
    assert len(CATALOG.device_types) >= 80
    assert sum(len(c.attributes) for c in CLUSTERS) > 1800
    assert sum(len(c.commands) for c in CLUSTERS) > 400


def test_default_path_is_the_committed_schema_file() -> None:
    assert DEFAULT_PATH.is_symlink()
    assert DEFAULT_PATH.resolve() == (ROOT / "schemas" / "matter-catalog.json").resolve()
    assert load_catalog() is load_catalog()


def test_loading_does_not_import_the_sdk() -> None:
    code = "import sys, matter_map.catalog as c; c.load_catalog().cluster(8); print(sorted(sys.modules))"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = json.loads(completed.stdout.replace("'", '"'))
    assert not [m for m in modules if m == "chip" or m.startswith("chip.")]


@pytest.mark.parametrize("cluster", CLUSTERS, ids=lambda c: c.name)
def test_cluster_lookups_agree(cluster: ClusterInfo) -> None:
    assert CATALOG.cluster(cluster.id) is cluster
    assert CATALOG.cluster(cluster.name) is cluster
    assert CATALOG.cluster(f"0x{cluster.id:04X}") is cluster
    assert CATALOG.cluster(f"0x{cluster.id:x}") is cluster
    assert CATALOG.cluster(str(cluster.id)) is cluster
    for attribute in cluster.attributes:
        assert cluster.attribute(attribute.id) is attribute
        assert cluster.attribute(attribute.name) is attribute
        assert cluster.attribute(f"0x{attribute.id:04X}") is attribute
    for command in cluster.commands:
        assert cluster.command(command.name) is command
        assert cluster.command(command.id, command.direction) is command
        for field in command.fields:
            assert command.field(field.id) is field
            assert command.field(field.name) is field
    for event in cluster.events:
        assert cluster.event(event.id) is event
        assert cluster.event(event.name) is event
        for field in event.fields:
            assert event.field(field.id) is field
    for feature in cluster.features:
        assert cluster.feature(feature.code) is feature
        assert cluster.feature(feature.name) is feature


@pytest.mark.parametrize("cluster", CLUSTERS, ids=lambda c: c.name)
def test_cluster_elements_are_well_formed(cluster: ClusterInfo) -> None:
    """Unique ids per kind, globals present, responses resolvable, features on distinct bits."""
    assert len({a.id for a in cluster.attributes}) == len(cluster.attributes)
    assert len({(c.id, c.direction) for c in cluster.commands}) == len(cluster.commands)
    assert len({f.bit for f in cluster.features}) == len(cluster.features)
    assert {0xFFFD, 0xFFFC, 0xFFFB, 0xFFF9, 0xFFF8} <= {a.id for a in cluster.attributes}
    revision = cluster.attribute("ClusterRevision")
    assert revision is not None
    assert revision.default == cluster.revision >= 1
    for command in cluster.commands:
        if command.direction == "request" and command.response != "status":
            assert command.response is not None
            response = cluster.command(command.response)
            assert response is not None, command.response
            assert response.direction == "response"


def test_bare_command_id_prefers_the_request() -> None:
    groups = _cluster("Groups")
    assert groups.command(0).name == "AddGroup"  # type: ignore[union-attr]
    assert groups.command(0, "response").name == "AddGroupResponse"  # type: ignore[union-attr]


def test_unknown_keys_find_nothing() -> None:
    assert CATALOG.cluster("levelcontrol") is None  # exact, case-sensitive
    assert CATALOG.cluster("Level Control") is None
    assert CATALOG.cluster(0x7FFF) is None
    assert CATALOG.cluster("0xZZ") is None
    assert CATALOG.device_type("extendedcolorlight") is None
    assert _cluster("OnOff").attribute("Nope") is None
    with pytest.raises(TypeError):
        CATALOG.cluster(True)


@pytest.mark.parametrize(
    ("cluster", "number", "features"),
    [
        ("Identify", 0x0003, {}),
        ("OnOff", 0x0006, {"LT": 0, "DF": 1, "OFFONLY": 2}),
        ("LevelControl", 0x0008, {"OO": 0, "LT": 1, "FQ": 2}),
        ("PowerSource", 0x002F, {"WIRED": 0, "BAT": 1, "RECHG": 2, "REPLC": 3}),
        ("BridgedDeviceBasicInformation", 0x0039, {"BIS": 20}),
        ("Switch", 0x003B, {"LS": 0, "MS": 1, "MSR": 2, "MSL": 3, "MSM": 4, "AS": 5}),
        ("ModeSelect", 0x0050, {"DEPONOFF": 0}),
        ("AirQuality", 0x005B, {"FAIR": 0, "MOD": 1, "VPOOR": 2, "XPOOR": 3}),
        ("SmokeCoAlarm", 0x005C, {"SMOKE": 0, "CO": 1}),
        ("ElectricalPowerMeasurement", 0x0090, {"DIRC": 0, "ALTC": 1, "POLY": 2, "HARM": 3, "PWRQ": 4}),
        ("DoorLock", 0x0101, {"PIN": 0, "RID": 1, "USR": 8, "UBOLT": 12, "ALIRO": 13, "ALBU": 14}),
        ("WindowCovering", 0x0102, {"LF": 0, "TL": 1, "PA_LF": 2, "PA_TL": 4}),
        ("Thermostat", 0x0201, {"HEAT": 0, "COOL": 1, "OCC": 2, "AUTO": 5, "MSCH": 7, "PRES": 8}),
        ("FanControl", 0x0202, {"SPD": 0, "AUT": 1, "RCK": 2, "WND": 3, "STEP": 4, "DIR": 5}),
        ("ColorControl", 0x0300, {"HS": 0, "EHUE": 1, "CL": 2, "XY": 3, "CT": 4}),
        ("IlluminanceMeasurement", 0x0400, {}),
        ("TemperatureMeasurement", 0x0402, {}),
        ("RelativeHumidityMeasurement", 0x0405, {}),
        (
            "OccupancySensing",
            0x0406,
            {"OTHER": 0, "PIR": 1, "US": 2, "PHY": 3, "AIR": 4, "RAD": 5, "RFS": 6, "VIS": 7},
        ),
    ],
)
def test_known_clusters(cluster: str, number: int, features: dict[str, int]) -> None:
    info = _cluster(cluster)
    assert info.id == number
    for code, bit in features.items():
        feature = info.feature(code)
        assert feature is not None, code
        assert feature.bit == bit


def test_known_revisions() -> None:
    revisions = {"LevelControl": 7, "Thermostat": 11, "DoorLock": 10, "ColorControl": 9, "OnOff": 6}
    assert {name: _cluster(name).revision for name in revisions} == revisions


def test_known_elements() -> None:
    level = _cluster("LevelControl")
    current = level.attribute(0x0000)
    assert current is not None
    assert (current.name, current.type, current.base, current.nullable) == (
        "CurrentLevel",
        "uint8",
        "uint8",
        True,
    )
    assert (current.min, current.max) == (BoundRef("MinLevel"), BoundRef("MaxLevel"))
    assert current.constraint == "minLevel to maxLevel"
    assert current.quality == "X N S Q"
    move = level.command(0x00)
    assert move is not None
    assert move.name == "MoveToLevel"
    assert move.response == "status"
    level_field = move.field(0)
    assert level_field is not None
    assert (level_field.name, level_field.max) == ("Level", 254)
    color = _cluster("ColorControl")
    assert color.command(0x0A).name == "MoveToColorTemperature"  # type: ignore[union-attr]
    assert color.attribute(0x0007).name == "ColorTemperatureMireds"  # type: ignore[union-attr]
    assert color.bitmap("ColorCapabilitiesBitmap") == {
        "HueSaturation": 1,
        "EnhancedHue": 2,
        "ColorLoop": 4,
        "Xy": 8,
        "ColorTemperature": 16,
    }
    assert color.enum("ColorLoopActive") == {"Inactive": 0, "Active": 1}  # an inline enum, under its element
    on_off = _cluster("OnOff")
    assert on_off.command("On").conformance == "!OFFONLY"  # type: ignore[union-attr]
    start_up = on_off.attribute("StartUpOnOff")
    assert start_up is not None
    assert (start_up.access, start_up.writable, start_up.base) == ("RW VM", True, "enum8")
    assert on_off.enum(start_up.type) == {"Off": 0, "On": 1, "Toggle": 2}


def test_door_lock() -> None:
    lock = _cluster("DoorLock")
    state = lock.attribute("LockState")
    assert state is not None
    assert (state.id, state.type, state.base, state.nullable) == (0, "LockStateEnum", "enum8", True)
    assert lock.enum("LockStateEnum") == {"NotFullyLocked": 0, "Locked": 1, "Unlocked": 2, "Unlatched": 3}
    lock_door = lock.command("LockDoor")
    assert lock_door is not None
    assert lock_door.timed
    assert lock_door.field("PinCode").conformance == "[COTA & PIN]"  # type: ignore[union-attr]
    assert lock.command("GetUser").response == "GetUserResponse"  # type: ignore[union-attr]
    assert lock.command(0x1C).name == "GetUserResponse"  # type: ignore[union-attr]
    assert [e.name for e in lock.events][:5] == [
        "DoorLockAlarm",
        "DoorStateChange",
        "LockOperation",
        "LockOperationError",
        "LockUserChange",
    ]


def test_datatypes_fall_back_to_globals_and_multi_bit_masks() -> None:
    power = _cluster("ElectricalPowerMeasurement")
    assert power.enum("MeasurementTypeEnum") is not None  # a global enum
    assert power.enum("NoSuchEnum") is None
    status = _cluster("WindowCovering").bitmap("OperationalStatusBitmap")
    assert status is not None
    assert status["Global"] == 0b11  # a two-bit member
    assert _cluster("Thermostat").struct("PresetStruct") is not None


def test_temperature_values_are_in_wire_units() -> None:
    thermostat = _cluster("Thermostat")
    assert thermostat.attribute("OccupiedHeatingSetpoint").default == 2000  # type: ignore[union-attr]
    dead_band = thermostat.attribute("MinSetpointDeadBand")
    assert dead_band is not None
    assert (dead_band.type, dead_band.max) == ("SignedTemperature", 127)  # 12.7 °C in 0.1 °C
    assert CATALOG.numeric_range("Thermostat", "MinSetpointDeadBand") == (0, 127)


def test_conformance_is_kept_as_expressions() -> None:
    assert _cluster("LevelControl").attribute("MinLevel").conformance == "Rev >= v7, O"  # type: ignore[union-attr]
    assert _cluster("DoorLock").feature("USR").conformance == "PIN | RID | FGP | FACE | ALIRO"  # type: ignore[union-attr]
    door_lock = CATALOG.device_type("DoorLock")
    assert door_lock is not None
    assert door_lock.cluster("Groups").conformance == "X"  # type: ignore[union-attr]
    assert door_lock.cluster("ScenesManagement").conformance == "X"  # type: ignore[union-attr]
    events = [a for a in CATALOG.global_attributes if a.name == "EventList"]
    assert [a.conformance for a in events] == ["D"]


@pytest.mark.parametrize(
    ("cluster", "attribute", "expected"),
    [
        ("LevelControl", "CurrentLevel", (0, 254)),  # MinLevel is "max 254", MaxLevel "minLevel to 254"
        ("LevelControl", "MinLevel", (0, 254)),
        ("LevelControl", "OnLevel", (0, 254)),
        ("ColorControl", "ColorTemperatureMireds", (1, 65279)),  # ColorTempPhysicalMinMireds is 1 to 65279
        ("ColorControl", "CurrentX", (0, 65279)),
        ("ColorControl", "CurrentHue", (0, 254)),
        ("TemperatureMeasurement", "MeasuredValue", (-27315, 32767)),
        ("TemperatureMeasurement", "MinMeasuredValue", (-27315, 32766)),  # max is maxMeasuredValue - 1
        ("IlluminanceMeasurement", "MaxMeasuredValue", (2, 65534)),  # min minMeasuredValue + 1, nullable
        ("Switch", "CurrentPosition", (0, 254)),  # max numberOfPositions - 1
        ("FanControl", "PercentSetting", (0, 100)),
        ("FanControl", "SpeedSetting", (0, 100)),  # max speedMax, SpeedMax is 1 to 100
        ("Thermostat", "LocalTemperature", (-32767, 32767)),  # nullable int16: -32768 is null
        ("DoorLock", "LockState", (0, 254)),  # nullable enum8
        ("LevelControl", "Options", (0, 255)),  # map8
        ("OnOff", "OnOff", None),
        ("ModeSelect", "Description", None),
        ("ModeSelect", "SupportedModes", None),
    ],
)
def test_numeric_range(cluster: str, attribute: str, expected: tuple[int, int] | None) -> None:
    assert CATALOG.numeric_range(cluster, attribute) == expected


def test_field_range() -> None:
    assert CATALOG.field_range("LevelControl", "MoveToLevel", "Level") == (0, 254)
    assert CATALOG.field_range(8, 0, 0) == (0, 254)
    assert CATALOG.field_range("ColorControl", "MoveToColorTemperature", "ColorTemperatureMireds") == (
        0,
        65279,
    )
    assert CATALOG.field_range("OnOff", "OnWithTimedOff", "OnTime") == (0, 0xFFFE)
    # a field bounded by an attribute: 1 to numberOfTotalUsersSupported (uint16)
    assert CATALOG.field_range("DoorLock", "ClearUser", "UserIndex") == (1, 65535)


def test_unknown_names_raise_with_a_hint() -> None:
    with pytest.raises(KeyError, match="did you mean CurrentLevel"):
        CATALOG.numeric_range("LevelControl", "CurrentLevl")
    with pytest.raises(KeyError, match="did you mean LevelControl"):
        CATALOG.numeric_range("LevelContrl", "CurrentLevel")
    with pytest.raises(KeyError, match="did you mean MoveToLevel"):
        CATALOG.field_range("LevelControl", "MoveToLevl", "Level")
    with pytest.raises(KeyError, match="unknown field"):
        CATALOG.field_range("LevelControl", "MoveToLevel", "Nope")


@pytest.mark.parametrize("cluster", CLUSTERS, ids=lambda c: c.name)
def test_every_range_lies_within_its_type(cluster: ClusterInfo) -> None:
    """Law: a resolved range is never wider than the type's limits; None exactly for non-numeric types."""
    values: list[tuple[Any, tuple[int | float, int | float] | None]] = [
        (a, CATALOG.numeric_range(cluster.id, a.id)) for a in cluster.attributes
    ]
    for command in cluster.commands:
        if command.direction == "request":
            values += [(f, CATALOG.field_range(cluster.id, command.name, f.id)) for f in command.fields]
    for value, found in values:
        limits = type_limits(value.base, value.nullable)
        assert (found is None) == (limits is None), value.name
        if found is not None and limits is not None:
            assert limits[0] <= found[0], value.name
            assert found[1] <= limits[1], value.name


def _catalog_with(attributes: list[dict[str, Any]]) -> Catalog:
    cluster = {
        "id": 0xFFF1FC00,
        "name": "Loop",
        "revision": 1,
        "classification": "application",
        "derived_from": None,
        "features": [],
        "attributes": attributes,
        "commands": [],
        "events": [],
        "datatypes": {"enums": {}, "bitmaps": {}, "structs": {}},
    }
    document = {
        "source": {"package": "test", "version": "0", "license": "none", "spec": "0"},
        "globals": {"attributes": [], "datatypes": {"enums": {}, "bitmaps": {}, "structs": {}}},
        "clusters": [cluster],
        "device_types": [],
    }
    return Catalog(document)


def _attribute(name: str, number: int, **bounds: Any) -> dict[str, Any]:
    return {
        "id": number,
        "name": name,
        "type": "uint8",
        "base": "uint8",
        "conformance": "M",
        "access": "R V",
        **bounds,
    }


def test_reference_cycles_fall_back_to_type_limits() -> None:
    catalog = _catalog_with(
        [
            _attribute("A", 0, min={"ref": "B", "offset": 1}, max={"ref": "B"}),
            _attribute("B", 1, min={"ref": "A"}, max={"ref": "A", "offset": -1}),
            _attribute("C", 2, max={"ref": "C"}),
            _attribute("D", 3, min={"ref": "Missing"}, max=200),
        ]
    )
    assert catalog.numeric_range("Loop", "A") == (1, 255)  # B's lower end comes back to A: type limit 0, +1
    assert catalog.numeric_range("Loop", "B") == (0, 254)
    assert catalog.numeric_range("Loop", "C") == (0, 255)
    assert catalog.numeric_range("Loop", "D") == (0, 200)


def test_a_loaded_file_is_not_the_cached_default(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_bytes(DEFAULT_PATH.read_bytes())
    loaded = load_catalog(path)
    assert loaded is not CATALOG
    assert loaded.cluster(8) == CATALOG.cluster(8)


def test_device_types() -> None:
    light = CATALOG.device_type("ExtendedColorLight")
    assert light is not None
    assert CATALOG.device_type(0x010D) is light
    assert CATALOG.device_type("0x010D") is light
    assert (light.revision, light.category) == (4, "simple")
    servers = {r.name: r for r in light.requirements if r.side == "server"}
    assert {"Identify", "Groups", "OnOff", "LevelControl", "ScenesManagement", "ColorControl"} <= set(servers)
    level = {(e.kind, e.name): e for e in servers["LevelControl"].elements}
    assert level["feature", "OO"].conformance == "M"
    assert level["attribute", "CurrentLevel"].constraint == "1 to 254"
    color = {(e.kind, e.name): e.conformance for e in servers["ColorControl"].elements}
    assert (color["feature", "XY"], color["feature", "CT"], color["feature", "HS"]) == ("M", "M", "O")
    occupancy = light.cluster("OccupancySensing", side="client")
    assert occupancy is not None
    assert occupancy.conformance == "O"
    ids = {"OnOffLight": 0x0100, "DimmableLight": 0x0101, "ContactSensor": 0x0015, "Thermostat": 0x0301}
    assert {name: CATALOG.device_type(name).id for name in ids} == ids  # type: ignore[union-attr]


def test_device_type_requirements_name_real_elements() -> None:
    for device in CATALOG.device_types:
        assert CATALOG.device_type(device.id) is device
        requirements = list(device.requirements) + [r for d in device.devices for r in d.requirements]
        for requirement in requirements:
            cluster = CATALOG.cluster(requirement.id)
            assert cluster is not None
            assert cluster.name == requirement.name
            for element in requirement.elements:
                if element.kind == "feature":
                    feature = cluster.feature(element.name)
                    assert feature is not None, (device.name, element)
                    assert feature.code == element.name
                elif element.kind == "attribute":
                    assert cluster.attribute(element.name) is not None, (device.name, element)
                elif element.kind == "command":
                    assert cluster.command(element.name) is not None, (device.name, element)
                else:
                    assert cluster.event(element.name) is not None, (device.name, element)
        for composed in device.devices:
            assert CATALOG.device_type(composed.id).name == composed.name  # type: ignore[union-attr]


def test_suggest() -> None:
    names = [c.name for c in CLUSTERS]
    assert CATALOG.suggest("LevelControll", names)[0] == "LevelControl"
    assert CATALOG.suggest("levelcontrol", names)[0] == "LevelControl"
    assert Catalog.suggest("zzzzzz", names) == []
    assert len(CATALOG.suggest("Measurement", names)) <= 3


def test_json_kind() -> None:
    assert json_kind("bool") == "bool"
    assert json_kind("uint8") == json_kind("enum16") == json_kind("map32") == json_kind("int64") == "int"
    assert json_kind("single") == json_kind("double") == "float"
    assert (json_kind("string"), json_kind("octstr"), json_kind("list"), json_kind("struct")) == (
        "string",
        "bytes",
        "list",
        "object",
    )
    with pytest.raises(ValueError, match="temperature"):
        json_kind("temperature")
    bases = {a.base for c in CLUSTERS for a in c.attributes} | {
        f.base for c in CLUSTERS for x in c.commands for f in x.fields
    }
    unknown = {b for b in bases if b not in NUMERIC_BASES} - {"bool", "single", "double", "string", "octstr"}
    assert unknown <= {
        "list",
        "struct",
        "",
        "any",
    }  # "" marks the few deprecated elements matter.js leaves untyped


@given(st.sampled_from(sorted(NUMERIC_BASES)))
def test_nullable_limits_exclude_one_sentinel(base: str) -> None:
    plain, nullable = type_limits(base), type_limits(base, nullable=True)
    assert plain is not None
    assert nullable is not None
    assert plain[0] <= nullable[0]
    assert nullable[1] <= plain[1]
    excluded = (nullable[0] - plain[0]) + (plain[1] - nullable[1])
    assert excluded == (0 if base.startswith("map") else 1)
    bits = int(base.removeprefix("u").removeprefix("int").removeprefix("enum").removeprefix("map"))
    assert plain[1] - plain[0] == (1 << bits) - 1


@given(st.sampled_from(CLUSTERS), st.sampled_from(["{:d}", "0x{:04X}", "0x{:04x}", "0X{:X}"]))
def test_cluster_id_spellings(cluster: ClusterInfo, spelling: str) -> None:
    assert CATALOG.cluster(spelling.format(cluster.id)) is cluster


def test_attribute_records_are_typed() -> None:
    attribute = _cluster("OnOff").attribute(0)
    assert isinstance(attribute, AttributeInfo)
    assert attribute.writable is False
    with pytest.raises(AttributeError):
        attribute.name = "x"  # type: ignore[misc]


def test_percent_types_are_bounded_by_their_definition() -> None:
    catalog = load_catalog()
    assert catalog.numeric_range("WindowCovering", "TargetPositionLiftPercent100ths") == (0, 10000)
    assert catalog.field_range("WindowCovering", "GoToLiftPercentage", "LiftPercent100thsValue") == (0, 10000)
    assert catalog.numeric_range("WindowCovering", "CurrentPositionLiftPercentage") == (0, 100)
