"""`matter-map aws setup`: the set-up calls from a config file, printed (--dry-run) or sent with boto3 to the
loopback stand-in of the service, and clear errors for a bad config."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from matter_map.cli import main
from matter_map.connector import load_mappings, make_handler
from matter_map.connector.loopback import ManagedIntegrationsEndpoint
from matter_map.connector.setup import Setup, SetupError, check_request, parse_config

from .conftest import HUE, SAMPLES, load_json
from .connector_support import FakeVendor, RecordingSender

OPERATIONS = [
    "CreateCloudConnector",
    "CreateConnectorDestination",
    "CreateAccountAssociation",
    "StartDeviceDiscovery",
    "CreateManagedThing",
    "RegisterAccountAssociation",
]
CONFIG: dict[str, Any] = {
    "connector": {"name": "hue-connector", "lambda_arn": "arn:aws:lambda:us-east-1:123456789012:function:hue"},
    "destination": {
        "name": "hue-destination",
        "oauth": {
            "authUrl": "https://vendor.example/oauth2/auth",
            "tokenUrl": "https://vendor.example/oauth2/token",
            "tokenEndpointAuthenticationScheme": "HTTP_BASIC",
        },
        "secret": {
            "arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:hue-oauth-client-AbCdEf",
            "versionId": "d4e5f6a7-8901-bcde-f012-000000000004",
        },
    },
    "account_association": {"name": "home"},
    "devices": "all",
    "wait": {"link_s": 1, "discovery_s": 1},
}


def write(tmp_path: Path, document: Any, name: str = "setup.yaml") -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return str(path)


def test_dry_run_prints_the_six_requests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["aws", "setup", write(tmp_path, CONFIG), "--dry-run"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == OPERATIONS
    requests = [json.loads(line.split(" ", 1)[1]) for line in lines]
    for operation, request in zip(OPERATIONS, requests, strict=True):
        check_request(operation, request)  # every printed request fits the service model
    assert requests[0]["EndpointConfig"] == {"lambda": {"arn": CONFIG["connector"]["lambda_arn"]}}
    assert requests[3]["DiscoveryType"] == "CLOUD"
    assert requests[4]["AuthenticationMaterialType"] == "DISCOVERED_DEVICE"
    assert requests[5]["ManagedThingId"] == "<CreateManagedThing.Id>"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c["connector"].pop("lambda_arn"), "connector.lambda_arn: expected a non-empty string"),
        (lambda c: c.pop("destination"), "destination: expected a mapping"),
        (lambda c: c.update(devices=3), "devices must be `all` or a list"),
        (lambda c: c["destination"]["oauth"].update(tokenEndpointAuthenticationScheme="FORM"), "service model"),
        (lambda c: c["destination"]["secret"].update(versionId="v1"), "service model"),
        (lambda c: c.update(wait={"link_s": -1}), "wait.link_s"),
    ],
)
def test_a_bad_config_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: Any, message: str
) -> None:
    config = json.loads(json.dumps(CONFIG))
    change(config)
    assert main(["aws", "setup", write(tmp_path, config), "--dry-run"]) == 1
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == "" or not captured.out.startswith("CreateConnectorDestination")


def test_an_unreadable_config_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["aws", "setup", str(tmp_path / "missing.yaml"), "--dry-run"]) == 1
    assert "cannot read the config" in capsys.readouterr().err
    (tmp_path / "bad.yaml").write_text("connector: [unclosed", encoding="utf-8")
    assert main(["aws", "setup", str(tmp_path / "bad.yaml"), "--dry-run"]) == 1
    assert "not valid YAML" in capsys.readouterr().err


def test_the_setup_runs_against_the_loopback_service(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in [("AWS_ACCESS_KEY_ID", "local"), ("AWS_SECRET_ACCESS_KEY", "local")]:
        monkeypatch.setenv(name, value)
    light = load_json(SAMPLES / "extended_color_light.json")
    with ManagedIntegrationsEndpoint(auth={"type": "OAuth2.0", "token": "t"}, lifetime_s=30) as aws:
        sender = RecordingSender()
        aws.connector = make_handler(
            load_mappings(HUE), FakeVendor([light], token="t"), event_sender=_Forward(sender, aws.url)
        )
        config = {**CONFIG, "devices": [light["id"]]}
        code = main(["aws", "setup", write(tmp_path, config), "--region", "us-east-1", "--endpoint-url", aws.url])
        out = capsys.readouterr()
        assert code == 0, out.err
        assert [call for call in aws.set_up_calls() if call[0] != "GET"] == [
            ("POST", "/cloud-connectors"),
            ("POST", "/connector-destinations"),
            ("POST", "/account-associations"),
            ("POST", "/device-discoveries"),
            ("POST", "/managed-things"),
            ("PUT", "/managed-thing-associations/register"),
        ]
        assert [line.split(" ", 1)[0] for line in out.out.splitlines() if not line.startswith("#")] == OPERATIONS
        assert "open this URL" in out.out
        [discovery] = sender.sent
        assert discovery["Devices"][0]["ConnectorDeviceId"] == light["id"]


def test_an_unlinked_account_stops_the_setup_before_discovery() -> None:
    with ManagedIntegrationsEndpoint(lifetime_s=30) as aws:  # no connector: the account is never linked
        setup = Setup(parse_config(CONFIG), _client(aws.url), out=io.StringIO(), poll_s=0.25)
        with pytest.raises(SetupError, match="not linked in time"):
            setup.run()
        assert ("POST", "/device-discoveries") not in aws.set_up_calls()


def test_a_device_that_was_not_discovered_is_an_error() -> None:
    light = load_json(SAMPLES / "extended_color_light.json")
    with ManagedIntegrationsEndpoint(auth={"type": "OAuth2.0", "token": "t"}, lifetime_s=30) as aws:
        aws.connector = make_handler(
            load_mappings(HUE), FakeVendor([light], token="t"), event_sender=_Forward(RecordingSender(), aws.url)
        )
        setup = Setup(parse_config({**CONFIG, "devices": ["not-there"]}), _client(aws.url), out=io.StringIO())
        with pytest.raises(SetupError, match="not discovered: not-there"):
            setup.run()
        assert ("POST", "/managed-things") not in aws.set_up_calls()


class _Forward:
    """Keeps each event (checked) and delivers it to the stand-in too, as boto3 would."""

    def __init__(self, sender: RecordingSender, url: str) -> None:
        from matter_map.connector import Boto3EventSender

        self.sender = sender
        self.real = Boto3EventSender(_client(url))

    def send(self, request: Any) -> None:
        self.sender.send(request)
        self.real.send(request)


def _client(url: str) -> Any:
    import boto3  # type: ignore[import-untyped]

    return boto3.client(
        "iot-managed-integrations",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
