"""Set a connector up in AWS IoT Managed Integrations from a small config file, with boto3.

CreateCloudConnector → CreateConnectorDestination → CreateAccountAssociation (then the account is linked:
the user opens the authorization URL; the service calls AWS.ActivateUser) → StartDeviceDiscovery (the service
calls AWS.DiscoverDevices) → for each discovered device CreateManagedThing (DISCOVERED_DEVICE) →
RegisterAccountAssociation. Every request is checked against botocore's service model before it is sent;
`dry_run` prints the requests instead, with `<Operation.Field>` where an id comes from an earlier answer.

The config (YAML or JSON):

    connector: {name: hue-connector, lambda_arn: "arn:aws:lambda:...:function:hue"}
    destination:
      name: hue-destination
      oauth: {authUrl: ..., tokenUrl: ..., scope: ..., tokenEndpointAuthenticationScheme: HTTP_BASIC}
      secret: {arn: "arn:aws:secretsmanager:...", versionId: "..."}   # the OAuth client secret
    account_association: {name: my-hue-account}
    devices: all            # or a list of ConnectorDeviceIds to onboard
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml

SERVICE = "iot-managed-integrations"
MAX_CONFIG_BYTES = 64 * 1024


class SetupError(Exception):
    """The config is unusable or a set-up call failed; the message says which and why (no secrets)."""


@dataclass(frozen=True, slots=True)
class SetupConfig:
    connector_name: str
    lambda_arn: str
    destination_name: str
    oauth: dict[str, Any]
    secret: dict[str, str]
    association_name: str
    devices: tuple[str, ...] | None = None  # None: every discovered device
    connector_description: str = ""
    link_wait_s: float = 300.0
    discovery_wait_s: float = 120.0


@dataclass(slots=True)
class SetupResult:
    """The ids the set-up created, by operation."""

    cloud_connector_id: str = ""
    connector_destination_id: str = ""
    account_association_id: str = ""
    authorization_url: str = field(default="", repr=False)
    device_discovery_id: str = ""
    managed_things: dict[str, str] = field(default_factory=dict)  # ConnectorDeviceId → ManagedThingId


def load_config(path: str | Path) -> SetupConfig:
    """Read and check a set-up config file; SetupError names the first problem."""
    file = Path(path)
    try:
        if file.stat().st_size > MAX_CONFIG_BYTES:
            raise SetupError(f"{file}: the config is larger than {MAX_CONFIG_BYTES} bytes")
        document = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SetupError(f"{file}: cannot read the config ({exc.strerror})") from None
    except (yaml.YAMLError, UnicodeDecodeError):
        raise SetupError(f"{file}: the config is not valid YAML or JSON") from None
    return parse_config(document, str(file))


def parse_config(document: Any, where: str = "config") -> SetupConfig:
    root = _object(document, where)
    connector = _object(root.get("connector"), f"{where}: connector")
    destination = _object(root.get("destination"), f"{where}: destination")
    association = _object(root.get("account_association", {}), f"{where}: account_association")
    oauth = _object(destination.get("oauth"), f"{where}: destination.oauth")
    secret = _object(destination.get("secret"), f"{where}: destination.secret")
    for name in ("authUrl", "tokenUrl"):
        _text(oauth.get(name), f"{where}: destination.oauth.{name}")
    devices = root.get("devices", "all")
    if devices == "all":
        chosen = None
    elif isinstance(devices, list) and all(isinstance(d, str) and d for d in devices):
        chosen = tuple(devices)
    else:
        raise SetupError(f"{where}: devices must be `all` or a list of ConnectorDeviceIds")
    waits = _object(root.get("wait", {}), f"{where}: wait")
    return SetupConfig(
        connector_name=_text(connector.get("name"), f"{where}: connector.name"),
        lambda_arn=_text(connector.get("lambda_arn"), f"{where}: connector.lambda_arn"),
        connector_description=str(connector.get("description", "")),
        destination_name=_text(destination.get("name"), f"{where}: destination.name"),
        oauth=dict(oauth),
        secret={k: _text(v, f"{where}: destination.secret.{k}") for k, v in secret.items()},
        association_name=_text(association.get("name", "account"), f"{where}: account_association.name"),
        devices=chosen,
        link_wait_s=_seconds(waits.get("link_s", 300), f"{where}: wait.link_s"),
        discovery_wait_s=_seconds(waits.get("discovery_s", 120), f"{where}: wait.discovery_s"),
    )


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SetupError(f"{where}: expected a mapping")
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise SetupError(f"{where}: expected a non-empty string")
    return value


def _seconds(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 3600:
        raise SetupError(f"{where}: expected seconds between 0 and 3600")
    return float(value)


def check_request(operation: str, request: Mapping[str, Any]) -> None:
    """Check a request against botocore's model of the operation: members, types, required, lengths, patterns,
    enums, at every depth. A `<Operation.Field>` placeholder of a dry run stands for a valid id."""
    from matter_map.payload_check import check_operation_input

    problems = check_operation_input(operation, _with_dummy_ids(request))
    if problems:
        shown = "; ".join(f"{p.path}: {p.message}" for p in problems[:5])
        raise SetupError(f"{operation}: the request does not fit the service model: {shown}")


def _with_dummy_ids(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("<") and value.endswith(">"):
        return "placeholder0"
    if isinstance(value, Mapping):
        return {k: _with_dummy_ids(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_dummy_ids(v) for v in value]
    return value


class Setup:
    """The set-up calls over a boto3 `iot-managed-integrations` client; `dry_run` only prints the requests."""

    def __init__(
        self,
        config: SetupConfig,
        client: Any = None,
        *,
        out: TextIO,
        dry_run: bool = False,
        sleep: Callable[[float], None] = time.sleep,
        poll_s: float = 1.0,
    ) -> None:
        if client is None and not dry_run:
            raise ValueError("a client is needed unless dry_run")
        self.config = config
        self.client = client
        self.out = out
        self.dry_run = dry_run
        self.sleep = sleep
        self.poll_s = poll_s

    def run(self) -> SetupResult:
        config = self.config
        result = SetupResult()
        token = uuid.uuid4().hex  # one idempotency token per run: a rerun after a network error creates nothing twice
        result.cloud_connector_id = self.call(
            "CreateCloudConnector",
            {
                "Name": config.connector_name,
                "EndpointConfig": {"lambda": {"arn": config.lambda_arn}},
                "EndpointType": "LAMBDA",
                "ClientToken": f"{token}-connector",
                **({"Description": config.connector_description} if config.connector_description else {}),
            },
        )["Id"]
        result.connector_destination_id = self.call(
            "CreateConnectorDestination",
            {
                "Name": config.destination_name,
                "CloudConnectorId": result.cloud_connector_id,
                "AuthType": "OAUTH",
                "AuthConfig": {"oAuth": config.oauth},
                "SecretsManager": config.secret,
                "ClientToken": f"{token}-destination",
            },
        )["Id"]
        association = self.call(
            "CreateAccountAssociation",
            {
                "ConnectorDestinationId": result.connector_destination_id,
                "Name": config.association_name,
                "ClientToken": f"{token}-association",
            },
        )
        result.account_association_id = association["AccountAssociationId"]
        result.authorization_url = str(association.get("OAuthAuthorizationUrl", ""))
        if not self.dry_run:
            if result.authorization_url:
                self.out.write(f"# open this URL to link the vendor account:\n# {result.authorization_url}\n")
            self._wait_for_link(result.account_association_id, association.get("AssociationState"))
        result.device_discovery_id = self.call(
            "StartDeviceDiscovery",
            {
                "DiscoveryType": "CLOUD",
                "AccountAssociationId": result.account_association_id,
                "ClientToken": f"{token}-discovery",
            },
        )["Id"]
        for device, material in self._discovered(result.device_discovery_id):
            thing = self.call(
                "CreateManagedThing",
                {
                    "Role": "DEVICE",
                    "AuthenticationMaterialType": "DISCOVERED_DEVICE",
                    "AuthenticationMaterial": material,
                    "ClientToken": f"{token}-thing-{len(result.managed_things)}",
                },
            )["Id"]
            result.managed_things[device] = thing
            self.call(
                "RegisterAccountAssociation",
                {
                    "ManagedThingId": thing,
                    "AccountAssociationId": result.account_association_id,
                    "DeviceDiscoveryId": result.device_discovery_id,
                },
            )
        return result

    def call(self, operation: str, request: dict[str, Any]) -> dict[str, Any]:
        """Check, then send (or print) one request; the answer, or placeholders in a dry run."""
        check_request(operation, request)
        if self.dry_run:
            self.out.write(f"{operation} {json.dumps(request, sort_keys=True)}\n")
            return _placeholders(operation)
        from botocore.exceptions import BotoCoreError, ClientError

        method = getattr(self.client, _snake(operation))
        try:
            answer: dict[str, Any] = method(**request)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "unknown")
            raise SetupError(f"{operation} was refused: {code}") from None
        except BotoCoreError as exc:
            raise SetupError(f"{operation} failed: {type(exc).__name__}") from None
        shown = {k: v for k, v in answer.items() if k not in ("ResponseMetadata", "OAuthAuthorizationUrl")}
        self.out.write(f"{operation} -> {json.dumps(shown, sort_keys=True, default=str)}\n")
        return answer

    def _wait_for_link(self, association_id: str, state: Any) -> None:
        waited = 0.0
        while state != "ASSOCIATION_SUCCEEDED":
            if state in ("ASSOCIATION_FAILED", "REFRESH_TOKEN_EXPIRED"):
                raise SetupError(f"the account association ended as {state}")
            if waited >= self.config.link_wait_s:
                raise SetupError("the account was not linked in time (open the authorization URL, then rerun)")
            self.sleep(self.poll_s)
            waited += self.poll_s
            state = self.client.get_account_association(AccountAssociationId=association_id).get("AssociationState")

    def _discovered(self, discovery_id: str) -> list[tuple[str, str]]:
        """(ConnectorDeviceId, AuthenticationMaterial) of the devices to onboard, once the discovery finished."""
        wanted = self.config.devices
        if self.dry_run:
            names = wanted if wanted is not None else ("<each discovered device>",)
            return [(d, f"<ListDiscoveredDevices.AuthenticationMaterial of {d}>") for d in names]
        waited = 0.0
        while True:
            status = self.client.get_device_discovery(Identifier=discovery_id).get("Status")
            if status == "SUCCEEDED":
                break
            if status in ("FAILED", "TIMED_OUT"):
                raise SetupError(f"the device discovery ended as {status}")
            if waited >= self.config.discovery_wait_s:
                raise SetupError("the device discovery did not finish in time")
            self.sleep(self.poll_s)
            waited += self.poll_s
        found: list[tuple[str, str]] = []
        arguments: dict[str, Any] = {"Identifier": discovery_id}
        while True:
            page = self.client.list_discovered_devices(**arguments)
            for item in page.get("Items", []):
                device, material = item.get("ConnectorDeviceId"), item.get("AuthenticationMaterial")
                if isinstance(device, str) and isinstance(material, str) and (wanted is None or device in wanted):
                    found.append((device, material))
            if not page.get("NextToken"):
                break
            arguments["NextToken"] = page["NextToken"]
        missing = sorted(set(wanted or ()) - {d for d, _ in found})
        if missing:
            raise SetupError(f"not discovered: {', '.join(missing)}")
        return found


def _snake(operation: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in operation).lstrip("_")


def _placeholders(operation: str) -> dict[str, Any]:
    fields = {
        "CreateCloudConnector": ["Id"],
        "CreateConnectorDestination": ["Id"],
        "CreateAccountAssociation": ["AccountAssociationId"],
        "StartDeviceDiscovery": ["Id"],
        "CreateManagedThing": ["Id"],
    }.get(operation, [])
    return {name: f"<{operation}.{name}>" for name in fields}
