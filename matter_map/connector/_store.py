"""What the connector remembers between invocations: users, credential references, devices' mapping kinds.

`ConnectorStore` is the interface; `DynamoDBStore` keeps it in one DynamoDB table (partition key `pk`, sort
key `sk`, both strings), the same table that holds the SendCommand idempotency records:

| pk | sk | item |
|---|---|---|
| `USER#<user id>` | `PROFILE` | `vendor_user_id`, `active`, `credential` (a GeneralAuthorization reference) |
| `USER#<user id>` | `DEVICE#<vendor device id>` | `kind` |
| `DEVICE#<vendor device id>` | `OWNER` | `user_id`, `kind`, `digest` (of the state last reported) |

No credential value is ever stored: an OAuth token is kept nowhere, a GeneralAuthorization secret only by its
Secrets Manager ARN and version.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from matter_map.connector._errors import ConnectorError

PROFILE = "PROFILE"
OWNER = "OWNER"


@dataclass(frozen=True, slots=True)
class CredentialReference:
    """Where a user's credential lives (a Secrets Manager ARN and version), never the credential itself."""

    arn: str
    version_id: str | None = None


@dataclass(frozen=True, slots=True)
class UserRecord:
    """One linked vendor account: `user_id` is the encoded form ActivateUser returned."""

    user_id: str
    vendor_user_id: str
    active: bool = True
    credential: CredentialReference | None = None


@dataclass(frozen=True, slots=True)
class DeviceRecord:
    """One discovered device: its owner, the mapping kind (`vendor/kind`) and the digest of its last state."""

    device_id: str
    user_id: str
    kind: str
    digest: str = ""


class ConnectorStore(Protocol):
    """The connector's memory; every method raises ConnectorError (503) when the store cannot be reached."""

    def save_user(self, user: UserRecord) -> None: ...

    def user(self, user_id: str) -> UserRecord | None: ...

    def active_users(self) -> list[UserRecord]: ...

    def save_devices(self, user_id: str, devices: Sequence[DeviceRecord]) -> None: ...

    def device(self, device_id: str) -> DeviceRecord | None: ...

    def devices_of(self, user_id: str) -> list[DeviceRecord]: ...

    def set_digest(self, device_id: str, digest: str) -> None: ...

    def deactivate(self, user_id: str) -> None:
        """Forget the user's credential reference and devices; keep only `active = False` (events are dropped)."""
        ...


class DynamoDBStore:
    """`ConnectorStore` over one DynamoDB table through a boto3 `dynamodb` client."""

    def __init__(self, table_name: str, client: Any = None) -> None:
        self.table_name = table_name
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3  # type: ignore[import-untyped]
            from botocore.config import Config

            config = Config(
                connect_timeout=0.3, read_timeout=0.5, retries={"total_max_attempts": 2, "mode": "standard"}
            )
            self._client = boto3.client("dynamodb", config=config)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    # --- users ---------------------------------------------------------------------------------------

    def save_user(self, user: UserRecord) -> None:
        item: dict[str, Any] = {
            "pk": _s(f"USER#{user.user_id}"),
            "sk": _s(PROFILE),
            "user_id": _s(user.user_id),
            "vendor_user_id": _s(user.vendor_user_id),
            "active": {"BOOL": user.active},
        }
        if user.credential is not None:
            reference: dict[str, Any] = {"arn": _s(user.credential.arn)}
            if user.credential.version_id:
                reference["version_id"] = _s(user.credential.version_id)
            item["credential"] = {"M": reference}
        self._call("put_item", TableName=self.table_name, Item=item)

    def user(self, user_id: str) -> UserRecord | None:
        answer = self._call("get_item", TableName=self.table_name, Key=_key(f"USER#{user_id}", PROFILE))
        item = answer.get("Item")
        return _user(item) if item else None

    def active_users(self) -> list[UserRecord]:
        users = []
        for item in self._scan(
            FilterExpression="sk = :profile AND active = :yes",
            ExpressionAttributeValues={":profile": _s(PROFILE), ":yes": {"BOOL": True}},
        ):
            users.append(_user(item))
        return sorted(users, key=lambda u: u.user_id)

    def deactivate(self, user_id: str) -> None:
        for device in self.devices_of(user_id):
            self._call("delete_item", TableName=self.table_name, Key=_key(f"DEVICE#{device.device_id}", OWNER))
            self._call(
                "delete_item", TableName=self.table_name, Key=_key(f"USER#{user_id}", f"DEVICE#{device.device_id}")
            )
        known = self.user(user_id)
        vendor_user_id = known.vendor_user_id if known is not None else ""
        self.save_user(UserRecord(user_id, vendor_user_id, active=False, credential=None))

    # --- devices -------------------------------------------------------------------------------------

    def save_devices(self, user_id: str, devices: Sequence[DeviceRecord]) -> None:
        for device in devices:
            self._call(
                "put_item",
                TableName=self.table_name,
                Item={
                    "pk": _s(f"DEVICE#{device.device_id}"),
                    "sk": _s(OWNER),
                    "device_id": _s(device.device_id),
                    "user_id": _s(user_id),
                    "kind": _s(device.kind),
                    "digest": _s(device.digest),
                },
            )
            self._call(
                "put_item",
                TableName=self.table_name,
                Item={
                    "pk": _s(f"USER#{user_id}"),
                    "sk": _s(f"DEVICE#{device.device_id}"),
                    "device_id": _s(device.device_id),
                    "kind": _s(device.kind),
                },
            )

    def device(self, device_id: str) -> DeviceRecord | None:
        answer = self._call("get_item", TableName=self.table_name, Key=_key(f"DEVICE#{device_id}", OWNER))
        item = answer.get("Item")
        if not item:
            return None
        fields = (_text(item, name) for name in ("device_id", "user_id", "kind", "digest"))
        return DeviceRecord(*fields)

    def devices_of(self, user_id: str) -> list[DeviceRecord]:
        devices = []
        paginator_args: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :device)",
            "ExpressionAttributeValues": {":pk": _s(f"USER#{user_id}"), ":device": _s("DEVICE#")},
        }
        while True:
            answer = self._call("query", **paginator_args)
            for item in answer.get("Items", []):
                devices.append(DeviceRecord(_text(item, "device_id"), user_id, _text(item, "kind")))
            if "LastEvaluatedKey" not in answer:
                return devices
            paginator_args["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def set_digest(self, device_id: str, digest: str) -> None:
        self._call(
            "update_item",
            TableName=self.table_name,
            Key=_key(f"DEVICE#{device_id}", OWNER),
            UpdateExpression="SET digest = :digest",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":digest": _s(digest)},
        )

    # --- plumbing ------------------------------------------------------------------------------------

    def _scan(self, **arguments: Any) -> Iterator[dict[str, Any]]:
        arguments["TableName"] = self.table_name
        while True:
            answer = self._call("scan", **arguments)
            yield from answer.get("Items", [])
            if "LastEvaluatedKey" not in answer:
                return
            arguments["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def _call(self, operation: str, **arguments: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, operation)(**arguments)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", "unknown"))
            if code == "ConditionalCheckFailedException":
                raise ConnectorError(404, "unknown-device", "the store does not know the device") from None
            raise ConnectorError(503, "store-unavailable", f"the connector store refused {operation}") from None
        except BotoCoreError:
            raise ConnectorError(503, "store-unavailable", "the connector store could not be reached") from None


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": _s(pk), "sk": _s(sk)}


def _text(item: dict[str, Any], name: str) -> str:
    value = item.get(name, {}).get("S")
    return value if isinstance(value, str) else ""


def _user(item: dict[str, Any]) -> UserRecord:
    credential = None
    reference = item.get("credential", {}).get("M")
    if isinstance(reference, dict) and "arn" in reference:
        credential = CredentialReference(_text(reference, "arn"), _text(reference, "version_id") or None)
    return UserRecord(
        _text(item, "user_id"),
        _text(item, "vendor_user_id"),
        active=bool(item.get("active", {}).get("BOOL", False)),
        credential=credential,
    )


def create_table(client: Any, table_name: str) -> None:
    """Create the connector's table (on-demand, `pk`/`sk` strings, TTL on `expiration` for idempotency records)."""
    client.create_table(
        TableName=table_name,
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST",
    )
    client.get_waiter("table_exists").wait(TableName=table_name, WaiterConfig={"Delay": 0.05, "MaxAttempts": 100})
    client.update_time_to_live(
        TableName=table_name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiration"}
    )
