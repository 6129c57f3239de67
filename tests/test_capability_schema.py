"""AWS capability schema documents: the published ColorControl example, every catalog cluster, custom ones."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from matter_map.capability_schema import (
    capability_document,
    capability_schema_item,
    cluster_document,
    clusters_of,
    display_name,
    dumps,
)
from matter_map.catalog import load_catalog
from matter_map.cli import main
from matter_map.loader import load_mapping

from .conftest import HUE

# The one published example of the format: the response of GetSchemaVersion for
# `matter.ColorControl@$latest`, in the AWS SDK for JavaScript v3 documentation of GetSchemaVersionCommand
# (clients/client-iot-managed-integrations/src/commands/GetSchemaVersionCommand.ts, "GetSchemaVersion happy
# path for an example schema version"). This is the project's transcription of its `Schema` member; the
# example shows one property, one command and one command field of the cluster.
PUBLISHED_COLOR_CONTROL: dict[str, Any] = {
    "$defs": {},
    "$id": "matter.ColorControl@1.3",
    "$ref": "aws.capability@1.0",
    "actions": [
        {"$ref": "aws.action.ReadState@1.0"},
        {"$ref": "aws.action.UpdateState@1.0"},
        {
            "extrinsicId": "0x00",
            "name": "MoveToHue",
            "request": {"parameters": {"Hue": {"extrinsicId": "0", "value": {"$ref": "aws.integer@1.0"}}}},
        },
    ],
    "description": "The Color Control cluster defined as Harmony Capability.",
    "events": [],
    "extrinsicId": "0x0300",
    "extrinsicVersion": "14",
    "name": "Color Control",
    "properties": {"CurrentHue": {"mutable": False, "value": {"$ref": "aws.integer@1.0"}}},
    "title": "Color Control Cluster",
}
#: members whose value is the publisher's own wording or versioning, compared by type only
WORDING = {"$id", "description", "extrinsicVersion"}

NAME = re.compile(r"^[A-Za-z][A-Za-z0-9./ -]{0,63}$")
EXTRINSIC_ID = re.compile(r"^(0[xX][0-9a-fA-F]+|[0-9]+)$")
# the guide's $id/$ref: the /schema-versions/ prefix, the schema type, a 3-12 character root namespace, an
# optional sub-namespace and name separated by periods, `@`, then MAJOR.MINOR[.PATCH] (3, 3 and 4 digits)
GUIDE_ID = re.compile(
    r"^/schema-versions/(capability|definition)/[a-z0-9]{3,12}(\.[A-Za-z][A-Za-z0-9]*)+@\d{1,3}\.\d{1,3}(\.\d{1,4})?$"
)


def test_color_control_matches_the_published_example_field_by_field() -> None:
    ours = cluster_document("ColorControl", spec_version="1.3")
    assert set(ours) == set(PUBLISHED_COLOR_CONTROL)
    for key, theirs in PUBLISHED_COLOR_CONTROL.items():
        if key in WORDING:
            assert type(ours[key]) is type(theirs), key
        elif key == "actions":
            assert ours["actions"][:2] == theirs[:2]  # the generic actions, by reference, first
            move_to_hue = next(a for a in ours["actions"] if a.get("name") == "MoveToHue")
            assert move_to_hue["extrinsicId"] == theirs[2]["extrinsicId"]
            hue = move_to_hue["request"]["parameters"]["Hue"]
            assert hue == theirs[2]["request"]["parameters"]["Hue"]
        elif key == "properties":
            current_hue = ours["properties"]["CurrentHue"]
            assert {k: current_hue[k] for k in theirs["CurrentHue"]} == theirs["CurrentHue"]
            assert current_hue["extrinsicId"] == "0x0000"  # our addition: the attribute id
        else:
            assert ours[key] == theirs, key
    assert ours["$id"] == "matter.ColorControl@1.3"
    assert ours["extrinsicVersion"] == str(load_catalog().cluster("ColorControl").revision)  # type: ignore[union-attr]


def test_the_cli_prints_the_document(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "capability", "ColorControl"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == cluster_document("ColorControl")
    assert printed["$id"] == "matter.ColorControl@1.4"
    assert main(["schema", "capability", "matter.OnOff@1.3"]) == 0
    assert json.loads(capsys.readouterr().out)["$id"] == "matter.OnOff@1.3"
    assert main(["schema", "capability", "OnOff", "--spec-version", "1.2"]) == 0
    assert json.loads(capsys.readouterr().out)["$id"] == "matter.OnOff@1.2"
    assert main(["schema", "capability", "ColourControl"]) == 1
    assert "did you mean ColorControl?" in capsys.readouterr().err


def test_every_catalog_cluster_has_a_valid_document() -> None:
    catalog = load_catalog()
    clusters = clusters_of(catalog)
    assert len(clusters) > 100
    for cluster in clusters:
        document = cluster_document(cluster.id, catalog=catalog)
        Draft202012Validator.check_schema(document)
        assert NAME.match(document["name"]), document["name"]
        assert EXTRINSIC_ID.match(document["extrinsicId"])
        assert document["$ref"] == "aws.capability@1.0"
        assert document["properties"] or document["actions"] or document["events"]
        assert document["actions"][0] == {"$ref": "aws.action.ReadState@1.0"}
        for action in document["actions"]:
            if "$ref" not in action:
                assert EXTRINSIC_ID.match(action["extrinsicId"])
                for parameter in action["request"]["parameters"].values():
                    assert parameter["extrinsicId"].isdigit()


def test_documents_are_deterministic() -> None:
    first = dumps(cluster_document("LevelControl"))
    assert first == dumps(cluster_document("LevelControl")) == dumps(cluster_document(8))
    assert json.loads(first) == cluster_document("0x0008")


def test_mutable_follows_the_access_and_globals_are_left_out() -> None:
    on_off = cluster_document("OnOff")
    properties = on_off["properties"]
    assert properties["OnOff"]["mutable"] is False  # R V
    assert properties["OnTime"]["mutable"] is True  # RW VO
    assert "ClusterRevision" not in properties
    assert "FeatureMap" not in properties
    assert {a.get("name") for a in on_off["actions"]} >= {"On", "Off", "Toggle"}
    level = cluster_document("LevelControl")["properties"]
    assert level["CurrentLevel"]["value"] == {"$ref": "aws.integer@1.0", "nullable": True}
    boolean = cluster_document("BooleanState")
    assert boolean["properties"]["StateValue"]["value"] == {"type": "boolean"}
    assert [e["name"] for e in boolean["events"]] == ["StateChange"]
    assert boolean["events"][0]["parameters"]["StateValue"]["extrinsicId"] == "0"


def test_display_names() -> None:
    assert display_name("ColorControl") == "Color Control"
    assert display_name("OnOff") == "On/Off"
    assert display_name("IlluminanceMeasurement") == "Illuminance Measurement"


def test_the_custom_hue_effects_document() -> None:
    compiled = load_mapping(HUE / "extended_color_light.yaml").compiled
    (capability,) = compiled.endpoints[0].capabilities
    document = capability_document(capability)
    Draft202012Validator.check_schema(document)
    # an authored document: the developer guide's `/schema-versions/<type>/<identity>@<semver>` form
    assert document["$id"] == "/schema-versions/capability/hue.Effects@1.0"
    assert document["$ref"] == "/schema-versions/definition/aws.capability@1.0"
    assert document["actions"][0] == {"$ref": "/schema-versions/definition/aws.action.ReadState@1.0"}
    references = [document["$id"], document["$ref"], *(a["$ref"] for a in document["actions"] if "$ref" in a)]
    assert all(GUIDE_ID.match(reference) for reference in references), references
    assert document["extrinsicId"] == "0xFC00"
    assert document["extrinsicVersion"] == "1"
    assert set(document) == set(PUBLISHED_COLOR_CONTROL)
    assert document["properties"]["Effect"] == {"extrinsicId": "0x0000", "mutable": False, "value": {"type": "string"}}
    set_effect = document["actions"][-1]
    assert (set_effect["extrinsicId"], set_effect["name"]) == ("0x00", "SetEffect")
    effect = set_effect["request"]["parameters"]["Effect"]
    assert effect["extrinsicId"] == "0"
    assert "candle" in effect["value"]["enum"]
    item = capability_schema_item(capability)
    assert item == {
        "Format": "AWS",
        "CapabilityId": "hue.Effects@1.0",
        "ExtrinsicId": "0xFC00",
        "ExtrinsicVersion": 1,
        "Schema": document,
    }


def test_the_cli_prints_a_custom_document(capsys: pytest.CaptureFixture[str]) -> None:
    mapping = str(HUE / "extended_color_light.yaml")
    assert main(["schema", "capability", "hue.Effects", "--mapping", mapping]) == 0
    assert json.loads(capsys.readouterr().out)["$id"] == "/schema-versions/capability/hue.Effects@1.0"
    assert main(["schema", "capability", "hue.Effects"]) == 1
    assert "needs --mapping" in capsys.readouterr().err
