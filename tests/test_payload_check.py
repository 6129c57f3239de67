"""Tests for matter_map.payload_check: model rules, C2C contract rules, pattern translation, secrecy."""

from __future__ import annotations

import copy
import re
import string
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.validate import ParamValidator
from hypothesis import given
from hypothesis import strategies as st

from matter_map import payload_contract, payload_shapes
from matter_map.payload_check import (
    MAX_ENCODED_VALUES,
    PROBLEM_CODES,
    PayloadInvalid,
    PayloadProblem,
    check_connector_event,
    check_managed_thing_command,
    check_operation_input,
    ensure_valid_connector_event,
)
from matter_map.payload_patterns import compile_pattern

Payload = dict[str, Any]

DEVICE_EVENT: Payload = {
    "ConnectorId": "hue-connector-1",
    "Operation": "DEVICE_EVENT",
    "OperationVersion": "1.0",
    "StatusCode": 200,
    "UserId": "user_42@example.com",
    "ConnectorDeviceId": "lamp-7.a",
    "MatterEndpoint": {
        "id": "1",
        "clusters": [
            {
                "id": "0x0008",
                "attributes": {"0x0000": 254, "0x4000": None, "0x0011": {"0x00": [1, 2.5, "x", True]}},
                "commands": {"0x04": {}},
                "events": {"0x01": {"0x0000": 3}},
            }
        ],
    },
}

DEVICE_DISCOVERY: Payload = {
    "ConnectorId": "hue-connector-1",
    "Operation": "DEVICE_DISCOVERY",
    "OperationVersion": "1.0",
    "StatusCode": 200,
    "DeviceDiscoveryId": "9a8b7c6d",
    "Devices": [
        {
            "ConnectorDeviceId": "lamp-7.a",
            "ConnectorDeviceName": "Wohnzimmer Lampe ü 日本 ٣",
            "CapabilityReport": {
                "version": "1.0.0",
                "nodeId": "1",
                "endpoints": [
                    {
                        "id": "1",
                        "deviceTypes": ["Extended Color Light"],
                        "clusters": [
                            {
                                "id": "0x0006",
                                "revision": 6,
                                "publicId": "matter.OnOff@1.4",
                                "name": "On/Off",
                                "specVersion": "1.4",
                                "attributes": [{"id": "0x0000", "name": "OnOff", "value": True}],
                                "commands": ["0x00", "0x01", "0x02"],
                                "events": [],
                                "featureMap": 1,
                            }
                        ],
                    }
                ],
            },
        }
    ],
}

DEVICE_COMMAND_RESPONSE: Payload = {
    "ConnectorId": "hue-connector-1",
    "Operation": "DEVICE_COMMAND_RESPONSE",
    "StatusCode": 200,
    "ConnectorDeviceId": "lamp-7.a",
    "TraceId": "1-abc:def=_x",
    "MatterEndpoint": {
        "id": "1",
        "clusters": [
            {"id": "0x0006", "commands": {"0x02": {"responseCode": 200}}},
            {"id": "0x0008", "commands": {"0x04": {"errors": {"code": "E1", "message": "busy"}}}},
        ],
    },
}

MANAGED_THING_COMMAND: Payload = {
    "ManagedThingId": "a1b2c3",
    "Endpoints": [
        {
            "endpointId": "1",
            "capabilities": [
                {
                    "id": "matter.LevelControl@1.4",
                    "name": "Level Control",
                    "version": "6",
                    "actions": [
                        {
                            "name": "MoveToLevel",
                            "actionTraceId": "9b75f3839b6140f=_1",
                            "parameters": {"Level": 128, "TransitionTime": 0},
                        }
                    ],
                }
            ],
        }
    ],
}


def codes_by_path(problems: list[PayloadProblem]) -> set[tuple[str, str]]:
    return {(problem.path, problem.code) for problem in problems}


# ---------------------------------------------------------------------------------------------------------
# Valid payloads


@pytest.mark.parametrize("payload", [DEVICE_EVENT, DEVICE_DISCOVERY, DEVICE_COMMAND_RESPONSE])
def test_valid_connector_events_have_no_problems(payload: Payload) -> None:
    assert check_connector_event(payload) == []
    ensure_valid_connector_event(payload)


def test_valid_managed_thing_command_has_no_problems() -> None:
    assert check_managed_thing_command(MANAGED_THING_COMMAND) == []


def test_botocore_agrees_the_valid_payloads_are_valid() -> None:
    model = botocore.session.get_session().get_service_model("iot-managed-integrations")
    shape = model.operation_model("SendConnectorEvent").input_shape
    for payload in (DEVICE_EVENT, DEVICE_DISCOVERY, DEVICE_COMMAND_RESPONSE):
        assert not ParamValidator().validate(payload, shape).has_errors()


# ---------------------------------------------------------------------------------------------------------
# One failing case per rule: the exact set of (path, code) reported

CE = "MatterEndpoint.clusters[0]"
RC = "Devices[0].CapabilityReport.endpoints[0].clusters[0]"
DROP = object()  # as a value: remove the member
_STEP = re.compile(r"([^.\[\]]+)|\[([0-9]+)\]")


def edited(base: Payload, path: str, value: object) -> Payload:
    """A deep copy of ``base`` with ``path`` (``a.b[0].c``) set to ``value``, or removed for DROP."""
    payload = copy.deepcopy(base)
    steps: list[str | int] = [name if name else int(index) for name, index in _STEP.findall(path)]
    parent: Any = payload
    for step in steps[:-1]:
        parent = parent[step]
    if value is DROP:
        del parent[steps[-1]]
    else:
        parent[steps[-1]] = copy.deepcopy(value)
    return payload


@dataclass(frozen=True)
class Case:
    """Edit one place of a valid payload; expect exactly these codes at ``at`` (default: the edited path)."""

    name: str
    base: Payload
    path: str
    value: object
    codes: tuple[str, ...]
    at: str = ""

    def expected(self) -> set[tuple[str, str]]:
        return {(self.at or self.path, code) for code in self.codes}


EVENT_CLUSTER = DEVICE_EVENT["MatterEndpoint"]["clusters"][0]
REPORT_ENDPOINT = DEVICE_DISCOVERY["Devices"][0]["CapabilityReport"]["endpoints"][0]
EV, DD, CR = DEVICE_EVENT, DEVICE_DISCOVERY, DEVICE_COMMAND_RESPONSE

FAILING_EVENTS = [
    Case("missing ConnectorId", EV, "ConnectorId", DROP, ("missing-required",)),
    Case("bad Operation", EV, "Operation", "DEVICE_EVNT", ("enum",)),
    Case("Message with colon", EV, "Message", "error: 42", ("pattern",)),
    Case("empty Message", EV, "Message", "", ("too-short", "pattern")),
    Case("Message too long", EV, "Message", "a" * 257, ("too-long",)),
    Case("ConnectorDeviceId with slash", EV, "ConnectorDeviceId", "hue/lamp", ("pattern",)),
    Case("UserId too long", EV, "UserId", "u" * 65, ("too-long",)),
    Case("TraceId too long", CR, "TraceId", "t" * 129, ("too-long",)),
    Case("TraceId with a dot", CR, "TraceId", "a.b", ("pattern",)),
    Case("DeviceDiscoveryId with dash", DD, "DeviceDiscoveryId", "9a-8b", ("pattern",)),
    Case("StatusCode too large", EV, "StatusCode", 551, ("too-large",)),
    Case("StatusCode too small", EV, "StatusCode", 99, ("too-small",)),
    Case("StatusCode as string", EV, "StatusCode", "200", ("wrong-type",)),
    Case("StatusCode as bool", EV, "StatusCode", True, ("wrong-type",)),
    Case("unknown member", EV, "Device", [], ("unknown-member",)),
    Case("unknown nested member", EV, f"{CE}.attribute", {}, ("unknown-member",)),
    Case("6 clusters", EV, "MatterEndpoint.clusters", [EVENT_CLUSTER] * 6, ("too-long",)),
    Case("no clusters", EV, "MatterEndpoint.clusters", [], ("too-short",)),
    Case("decimal cluster id", EV, f"{CE}.id", "6", ("hex-id",)),
    Case("uppercase 0X cluster id", EV, f"{CE}.id", "0X0006", ("hex-id",)),
    Case("cluster id over 32 bits", EV, f"{CE}.id", "0x100000000", ("hex-id",)),
    Case("cluster id not an id", EV, f"{CE}.id", "OnOff", ("pattern", "hex-id")),
    Case("cluster without id", EV, f"{CE}.id", DROP, ("missing-required",)),
    Case("attribute key not hex", EV, f"{CE}.attributes.OnOff", True, ("hex-id",)),
    Case("NaN attribute value", EV, f"{CE}.attributes.0x0000", float("nan"), ("not-json",)),
    Case(
        "infinite nested value",
        EV,
        f"{CE}.attributes.0x0011",
        [float("inf")],
        ("not-json",),
        f"{CE}.attributes.0x0011[0]",
    ),
    Case("set attribute value", EV, f"{CE}.attributes.0x0000", {1}, ("not-json",)),
    Case("attributes as a list", EV, f"{CE}.attributes", [{"0x0000": 1}], ("document",)),
    Case("decimal command id", EV, f"{CE}.commands", {"4": {}}, ("hex-id",), f"{CE}.commands.4"),
    Case("command fields not an object", EV, f"{CE}.commands.0x04", [], ("document",)),
    Case("decimal event field id", EV, f"{CE}.events.0x01", {"0": 3}, ("hex-id",), f"{CE}.events.0x01.0"),
    Case("responseCode only in commands", EV, f"{CE}.events.0x01.responseCode", 3, ("hex-id",)),
    Case("6 commands", EV, f"{CE}.commands", {f"0x0{i}": {} for i in range(6)}, ("too-long",)),
    Case("DEVICE_EVENT without MatterEndpoint", EV, "MatterEndpoint", DROP, ("missing-required",)),
    Case("response without TraceId", CR, "TraceId", DROP, ("missing-required",)),
    Case("request without TraceId", EV, "Operation", "DEVICE_COMMAND_REQUEST", ("missing-required",), "TraceId"),
    Case("discovery without id", DD, "DeviceDiscoveryId", DROP, ("missing-required",)),
    Case("discovery without Devices", DD, "Devices", DROP, ("missing-required",)),
    Case("Devices not a list", DD, "Devices", {}, ("wrong-type",)),
    Case("report version 1.0", DD, "Devices[0].CapabilityReport.version", "1.0", ("pattern",)),
    Case("report without endpoints", DD, "Devices[0].CapabilityReport.endpoints", DROP, ("missing-required",)),
    Case("51 endpoints", DD, "Devices[0].CapabilityReport.endpoints", [REPORT_ENDPOINT] * 51, ("too-long",)),
    Case("without CapabilityReport", DD, "Devices[0].CapabilityReport", DROP, ("missing-required",)),
    Case("revision 11", DD, f"{RC}.revision", 11, ("too-large",)),
    Case("revision 0", DD, f"{RC}.revision", 0, ("too-small",)),
    Case("decimal report cluster id", DD, f"{RC}.id", "6", ("hex-id",)),
    Case("decimal report attribute id", DD, f"{RC}.attributes[0].id", "0", ("hex-id",)),
    Case("decimal report command id", DD, f"{RC}.commands[1]", "1", ("hex-id",)),
    Case("101 report attributes", DD, f"{RC}.attributes", [{"id": "0x0000"}] * 101, ("too-long",)),
    Case("NaN report attribute value", DD, f"{RC}.attributes[0].value", float("nan"), ("not-json",)),
    Case("featureMap over 32 bits", DD, f"{RC}.featureMap", 2**32, ("too-large",)),
    Case("device name with colon", DD, "Devices[0].ConnectorDeviceName", "Lamp: kitchen", ("pattern",)),
]


@pytest.mark.parametrize("case", FAILING_EVENTS, ids=lambda case: case.name)
def test_each_rule_reports_its_path_and_code(case: Case) -> None:
    problems = check_connector_event(edited(case.base, case.path, case.value))
    assert codes_by_path(problems) == case.expected()
    assert not [problem for problem in problems if problem.message.startswith("botocore")]  # walk covers botocore


def test_problem_codes_are_documented_and_used() -> None:
    source = Path(payload_shapes.__file__).read_text() + Path(payload_contract.__file__).read_text()
    emitted = set(re.findall(r'(?:path|\)), "([a-z]+(?:-[a-z]+)*)", (?:f?"|expected)', source)) | {"not-json"}
    assert {"hex-id", "document", "pattern", "missing-required", "unknown-member"} <= emitted
    assert emitted <= set(PROBLEM_CODES)
    seen = {code for case in FAILING_EVENTS for code in case.codes}
    assert seen <= set(PROBLEM_CODES)


def test_non_string_document_keys_are_reported() -> None:
    payload = edited(DEVICE_EVENT, f"{CE}.attributes", {"0x0000": 1, 0: 1})
    assert codes_by_path(check_connector_event(payload)) == {(f"{CE}.attributes.<key 1>", "not-json")}


def test_decimal_and_hex_cluster_ids_both_match_the_model_pattern() -> None:
    cluster_id = compile_pattern("0[xX][0-9a-fA-F]+$|^[0-9]+")
    assert cluster_id is not None
    for accepted in ("6", "0x0006", "0X1f", "4294967295"):
        assert cluster_id.accepts(accepted)
    for rejected in ("", "0x", "x6", "6a", "0x0006 ", " 6", "0x6\n"):
        assert not cluster_id.accepts(rejected)


def test_unicode_device_names_are_accepted() -> None:
    for name in ("Küche", "日本の電球", "Лампа 2", "lamp_2.b-c", "٣ lights", "Ⅻ"):
        payload = edited(DEVICE_DISCOVERY, "Devices[0].ConnectorDeviceName", name)
        assert check_connector_event(payload) == [], name


def test_problems_are_collected_not_stopped_at_the_first() -> None:
    payload = edited(edited(edited(DEVICE_EVENT, "Message", "a:b"), "StatusCode", 9), "Operation", "X")
    assert codes_by_path(check_connector_event(payload)) == {
        ("Message", "pattern"),
        ("StatusCode", "too-small"),
        ("Operation", "enum"),
    }


def test_unknown_member_suggests_the_close_name() -> None:
    (problem,) = check_connector_event(edited(DEVICE_EVENT, "Devicse", []))
    assert "did you mean Devices?" in problem.message


def test_non_sensitive_values_are_shown_to_help() -> None:
    (problem,) = check_connector_event(edited(DEVICE_EVENT, "Operation", "DEVICE_EVNT"))
    assert "'DEVICE_EVNT'" in problem.message
    (problem,) = check_connector_event(edited(DEVICE_EVENT, f"{CE}.id", "6"))
    assert "0x0006" in problem.message


def test_payload_invalid_lists_every_problem_one_per_line() -> None:
    payload = edited(edited(DEVICE_EVENT, "Message", "a:b"), "StatusCode", 9)
    with pytest.raises(PayloadInvalid) as raised:
        ensure_valid_connector_event(payload)
    assert len(raised.value.problems) == 2
    assert isinstance(raised.value, ValueError)
    assert str(raised.value).splitlines() == [str(problem) for problem in raised.value.problems]
    assert {line.split(":")[0] for line in str(raised.value).splitlines()} == {"Message", "StatusCode"}


def test_json_serialisability_is_checked_as_a_last_resort() -> None:
    problems = check_connector_event(edited(DEVICE_EVENT, "Extra", {1, 2}))
    assert codes_by_path(problems) == {("Extra", "unknown-member"), ("", "not-json")}


def test_self_referencing_document_is_reported_not_crashing() -> None:
    loop: list[object] = []
    loop.append(loop)
    payload = copy.deepcopy(DEVICE_EVENT)
    payload["MatterEndpoint"]["clusters"][0]["attributes"]["0x0000"] = loop
    assert {code for _, code in codes_by_path(check_connector_event(payload))} == {"not-json"}


def test_a_list_holding_itself_several_times_is_one_cycle_each_not_an_exponential_walk() -> None:
    # Walked to the depth limit, this list is 3**65 paths: the check once grew past 20 GB on it.
    loop: list[object] = []
    loop.extend([loop, loop, loop])
    payload = copy.deepcopy(DEVICE_EVENT)
    payload["MatterEndpoint"]["clusters"][0]["attributes"]["0x0000"] = loop
    problems = check_connector_event(payload)
    assert codes_by_path(problems) == {(f"{CE}.attributes.0x0000[{index}]", "not-json") for index in range(3)}
    assert all("nested in itself (a cycle)" in problem.message for problem in problems)


@pytest.mark.parametrize("leaf", [1, float("nan")])
def test_a_document_sharing_one_list_at_many_places_is_walked_within_a_budget(leaf: object) -> None:
    shared: object = leaf
    for _ in range(60):  # no cycle, but 2**60 paths: as JSON, far more than any request can hold
        shared = [shared, shared]
    payload = copy.deepcopy(DEVICE_EVENT)
    payload["MatterEndpoint"]["clusters"][0]["attributes"]["0x0000"] = shared
    problems = check_connector_event(payload)
    assert [problem.code for problem in problems].count("too-long") == 1
    assert f"more than {payload_shapes.MAX_DOCUMENT_VALUES} values" in str(PayloadInvalid(problems))
    assert len(problems) <= payload_shapes.MAX_DOCUMENT_VALUES


def test_the_last_resort_does_not_encode_a_list_shared_at_many_places() -> None:
    shared: object = 1
    for _ in range(40):  # json.dumps would write 2**40 ones: it once ran out of memory here
        shared = [shared, shared]
    problems = check_connector_event(edited(DEVICE_EVENT, "Extra", shared))
    assert codes_by_path(problems) == {("Extra", "unknown-member"), ("", "too-long")}
    assert f"more than {MAX_ENCODED_VALUES} values" in problems[-1].message
    loop: list[object] = []
    loop.extend([loop, loop])
    assert codes_by_path(check_connector_event(edited(DEVICE_EVENT, "Extra", loop))) == {
        ("Extra", "unknown-member"),
        ("", "not-json"),
    }


# ---------------------------------------------------------------------------------------------------------
# Secrets: values of sensitive members never appear in problems

SECRET = "hunter2:Tok/en#xyz"


def test_sensitive_values_are_never_echoed() -> None:
    event = copy.deepcopy(DEVICE_EVENT)
    event.update(UserId=SECRET, ConnectorDeviceId=SECRET, Message=SECRET)
    planted = event["MatterEndpoint"]["clusters"][0]
    planted["attributes"].update({SECRET: float("nan"), "0x0001": {SECRET: {2}}})
    planted["commands"]["0x04"] = {SECRET: SECRET}

    problems = check_connector_event(event)
    discovery = edited(DEVICE_DISCOVERY, "Devices[0].ConnectorDeviceId", SECRET)
    problems += check_connector_event(discovery)
    problems += check_operation_input("TagResource", {"ResourceArn": "arn", "Tags": {SECRET: SECRET * 20}})
    problems += check_operation_input("CreateManagedThing", {"Role": "DEVICE", "Owner": SECRET, "Tags": {}})

    paths = {problem.path for problem in problems}
    assert {"UserId", "ConnectorDeviceId", "Message", "Devices[0].ConnectorDeviceId", "Owner"} <= paths
    assert f"{CE}.attributes.<key 3>" in paths  # a secret-looking key inside a sensitive document
    assert "Tags.<key 0>" in paths
    text = str(PayloadInvalid(problems)) + repr(problems)
    for fragment in ("hunter2", "Tok/en", "#xyz"):
        assert fragment not in text
    assert "does not match pattern [a-zA-Z0-9_.,@-]+" in text


# ---------------------------------------------------------------------------------------------------------
# Pattern translation: properties against independent reference checks

MESSAGE_CHARS = set(string.ascii_letters + string.digits + "_.,@-" + " \t\n\r\f\v")
DEVICE_ID_CHARS = set(string.ascii_letters + string.digits + "_.,@-")
TRICKY = ":/#\"'{}\\\xa0\u2028\x85\x1c\x0b٣é日Ⅻ²_\u0301\U0001f600"
interesting_text = st.text(
    alphabet=st.one_of(st.sampled_from(sorted(MESSAGE_CHARS) + list(TRICKY)), st.characters()),
    max_size=24,
)


def pattern_problem(payload: Payload, path: str) -> bool:
    return (path, "pattern") in codes_by_path(check_connector_event(payload))


@given(interesting_text)
def test_message_pattern_matches_reference(text: str) -> None:
    payload = edited(DEVICE_EVENT, "Message", text)
    expected_ok = bool(text) and all(char in MESSAGE_CHARS for char in text)
    assert pattern_problem(payload, "Message") is not expected_ok


@given(interesting_text)
def test_connector_device_id_pattern_matches_reference(text: str) -> None:
    payload = edited(DEVICE_EVENT, "ConnectorDeviceId", text)
    expected_ok = bool(text) and all(char in DEVICE_ID_CHARS for char in text)
    assert pattern_problem(payload, "ConnectorDeviceId") is not expected_ok


@given(interesting_text)
def test_connector_device_name_pattern_matches_unicode_categories(text: str) -> None:
    payload = edited(DEVICE_DISCOVERY, "Devices[0].ConnectorDeviceName", text)
    expected_ok = bool(text) and all(unicodedata.category(char)[0] in "LN" or char in " ._-" for char in text)
    assert pattern_problem(payload, "Devices[0].ConnectorDeviceName") is not expected_ok


def all_model_patterns() -> set[str]:
    loader = botocore.session.get_session().get_component("data_loader")
    shapes = loader.load_service_model("iot-managed-integrations", "service-2")["shapes"]
    return {shape["pattern"] for shape in shapes.values() if "pattern" in shape}


def test_every_pattern_in_the_model_translates() -> None:
    untranslatable = {pattern for pattern in all_model_patterns() if compile_pattern(pattern) is None}
    assert untranslatable == set()


@pytest.mark.parametrize(
    ("pattern", "accepted", "rejected"),
    [
        ("$|^(https):\\/\\/.*", ["", "https://x.example/a"], ["http://x", " https://x"]),
        ("[*]$|^(managed-thing|ota-task)", ["*", "ota-task"], ["**", "ota-task*"]),
        ('[a-zA-Z0-9 _.{}:"-]+', ['{"a": 1}'], ["[1]"]),
        ("[a-zA-Z0-9\\s'\\x{0022},.:\\\\\\/{$}\\[\\]=_\\-\\+]+", ['{"a":[1]}', "a\\b"], ["a|b", "é"]),
        ('[0-9A-Za-z!#$%&()*\\+\\-;<=>?@^_`{|}~\\/: {},\\\\"]+', ["a|b~c&d"], ["a'b", "[x]"]),
        ("[a-zA-Z0-9]+=(?:_[0-9]+)?", ["9b75f3839b6140f=_1", "a="], ["a=_", "=_1"]),
        ("\\d+\\.\\d+", ["1.4"], ["\u0661.\u0664", "1.4.1"]),  # Arabic-Indic digits
        ("[\\P{L}]+", ["1 2", "٣"], ["a", "é"]),
        ("\\p{Lu}\\p{Ll}*", ["Élan", "Abc"], ["abc", "A1"]),
    ],
)
def test_pattern_translation(pattern: str, accepted: list[str], rejected: list[str]) -> None:
    compiled = compile_pattern(pattern)
    assert compiled is not None
    assert [text for text in accepted if not compiled.accepts(text)] == []
    assert [text for text in rejected if compiled.accepts(text)] == []


@pytest.mark.parametrize("pattern", ["[a[b]]", "[a&&b]", "(?<name>a)", "\\h+", "\\p{Greek}", "[]a]", "(a", "[a"])
def test_untranslatable_patterns_are_refused(pattern: str) -> None:
    assert compile_pattern(pattern) is None


# ---------------------------------------------------------------------------------------------------------
# The other entry points


def test_managed_thing_command_rules() -> None:
    command = copy.deepcopy(MANAGED_THING_COMMAND)
    capability = command["Endpoints"][0]["capabilities"][0]
    capability.update(id="matter.LevelControl", version="06")
    capability["actions"][0].update(actionTraceId="short=_1", parameters=[1])
    capability["actions"].append({"name": "Toggle", "ref": "a1"})

    action = "Endpoints[0].capabilities[0].actions"
    assert codes_by_path(check_managed_thing_command(command)) == {
        ("Endpoints[0].capabilities[0].id", "pattern"),
        ("Endpoints[0].capabilities[0].version", "pattern"),
        (f"{action}[0].actionTraceId", "too-short"),
        (f"{action}[0].parameters", "document"),
        (f"{action}[1].ref", "pattern"),
    }


def test_check_operation_input_covers_any_operation() -> None:
    assert check_operation_input("GetManagedThing", {"Identifier": "abc"}) == []
    assert codes_by_path(check_operation_input("GetManagedThing", {})) == {("Identifier", "missing-required")}
    with pytest.raises(ValueError, match="did you mean 'SendConnectorEvent'"):
        check_operation_input("SendConnectorEvents", {})


def test_import_is_cheap() -> None:
    code = "import sys, matter_map.payload_check; assert 'botocore' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_key_of_digits_python_cannot_read_as_a_number_is_a_hex_id_problem_not_a_crash() -> None:
    request = {
        "ConnectorId": "0",
        "Operation": "DEVICE_COMMAND_RESPONSE",
        "MatterEndpoint": {"id": "0", "clusters": [{"attributes": {"²": None}}]},
    }
    assert "hex-id" in {p.code for p in check_connector_event(request)}
