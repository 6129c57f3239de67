"""The C2C connector Lambda: AWS.ActivateUser, DiscoverDevices, SendCommand, DeactivateUser, and vendor events.

Each AWS.* operation does its work within the budget and sends its SendConnectorEvent *before* returning
the synchronous reply: a Lambda is frozen once it returns, so work left for after the ACK might never run.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import re
import time
import traceback
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from matter_map.commands import CommandCall, ParsedCommand, parse_command
from matter_map.connector._auth import GENERAL, Credentials, credentials_from
from matter_map.connector._deadline import Deadline
from matter_map.connector._errors import ConnectorError, VendorError, at_request, sanitise_message, translation_error
from matter_map.connector._events import Boto3EventSender, EventSender
from matter_map.connector._idempotency import IdempotentCommands
from matter_map.connector._log_redaction import redact_library_logs
from matter_map.connector._paths import check_vendor_id
from matter_map.connector._secrets import SecretResolver, SecretsManagerResolver
from matter_map.connector._store import ConnectorStore, CredentialReference, DeviceRecord, DynamoDBStore, UserRecord
from matter_map.connector._vendor import VendorClient
from matter_map.connector._webhook import WebhookConfig, http_response, is_function_url_event, updates_of, verified_body
from matter_map.errors import TranslationError, TranslationProblem
from matter_map.ids import decode_device_id, encode_device_id, hex_id, parse_id
from matter_map.ir import ClusterIR, CompiledMapping, MergeBody
from matter_map.loader import MAPPING_SUFFIXES, load_mapping
from matter_map.payload_check import PayloadInvalid, ensure_valid_connector_event
from matter_map.profiles import CACHE_SIZE, LoadedProfile
from matter_map.rules import matches
from matter_map.selection import select_for_device, select_mapping
from matter_map.translator import MAX_CLUSTERS_PER_EVENT, Translator

log = logging.getLogger("matter_map.connector")

Reply = dict[str, Any]
ResultFrom = Literal["reread", "write"]

_CONNECTOR_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_TRACE_ID = re.compile(r"[a-zA-Z0-9:=_-]{1,128}")
_DISCOVERY_ID = re.compile(r"[A-Za-z0-9]{1,200}")
_USER_ID = re.compile(r"[a-zA-Z0-9_.,@-]{1,64}")
MAX_USER_ID = 64
MAX_COMMANDS_PER_CLUSTER = 5
LAMBDA_MARGIN_S = 0.1


def reply(status: int, message: str, **payload: Any) -> Reply:
    """The synchronous answer to an AWS.* operation."""
    return {"header": {"responseCode": status}, "payload": {"responseMessage": sanitise_message(message), **payload}}


def load_mappings(*paths: str | Path) -> list[CompiledMapping]:
    """Compile the given mapping files, and the mapping files directly in the given folders (one vendor each)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in MAPPING_SUFFIXES and p.is_file()))
        else:
            files.append(path)
    return [load_mapping(file).compiled for file in files]


def stable_user_id(vendor_user_id: str) -> str:
    """A vendor account id in UserId's alphabet and length: encoded reversibly, or hashed when too long."""
    if not vendor_user_id:
        raise ConnectorError(503, "bad-vendor-response", "the vendor returned an empty user id")
    try:
        encoded = encode_device_id(vendor_user_id)
    except ValueError:
        encoded = ""
    if encoded and len(encoded) <= MAX_USER_ID:
        return encoded
    return "sha256-" + hashlib.sha256(vendor_user_id.encode("utf-8")).hexdigest()[: MAX_USER_ID - 7]


def new_trace_id() -> str:
    return uuid.uuid4().hex


def state_digest(state: Any) -> str:
    """A digest of a vendor state (canonical JSON), to tell a changed state from one already reported."""
    text = json.dumps(state, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def is_schedule_event(event: Any) -> bool:
    """An EventBridge (scheduled rule or Scheduler) event that asks the connector to poll the vendor."""
    return isinstance(event, dict) and (
        event.get("detail-type") == "Scheduled Event" or event.get("source") in ("aws.events", "aws.scheduler")
    )


class Connector:
    """A C2C connector: call it as the Lambda handler, `connector(event, context)`; `vendor_event` for webhooks.

    `budget_s` bounds one invocation (the service waits 2 s); vendor calls get it less `event_reserve_s`,
    which is kept for SendConnectorEvent. `result_from` chooses how a SendCommand's resulting MatterEndpoint
    is found: `reread` fetches the state again (what the vendor really did), `write` applies the request
    bodies of a `merge` write encoding to the state read before the command (one vendor call fewer).
    """

    def __init__(
        self,
        mappings: Sequence[CompiledMapping],
        vendor: VendorClient,
        *,
        event_sender: EventSender,
        connector_id: str | None = None,
        budget_s: float = 1.5,
        event_reserve_s: float = 0.4,
        secret_resolver: SecretResolver | None = None,
        result_from: ResultFrom = "reread",
        clock: Callable[[], float] = time.monotonic,
        store: ConnectorStore | None = None,
        idempotency: IdempotentCommands | None = None,
        webhook: WebhookConfig | None = None,
        profile: LoadedProfile | None = None,
    ) -> None:
        if not mappings:
            raise ValueError("a connector needs at least one mapping")
        if not 0 <= event_reserve_s < budget_s:
            raise ValueError("event_reserve_s must be smaller than budget_s")
        redact_library_logs()
        self.translators = [Translator(m) for m in mappings]  # `send` checks every request once
        self._by_mapping = {id(t.compiled): t for t in self.translators}
        self.by_identity = {t.identity: t for t in self.translators}
        self.whole_shapes = tuple(mappings)
        self.profile = profile
        #: translators of mappings the profile composed, by kind; bounded as the profile's own cache is
        self._composed: dict[str, Translator] = {}
        self.vendor = vendor
        self.events = event_sender
        self.connector_id = connector_id
        self.budget_s = budget_s
        self.event_reserve_s = event_reserve_s
        self.resolve_secret: SecretResolver = secret_resolver or SecretsManagerResolver()
        self.result_from = result_from
        self.clock = clock
        self.store = store
        self.idempotency = idempotency
        self.webhook = webhook
        self.operations: dict[str, Callable[[Mapping[str, Any], Mapping[str, Any], Deadline, Any], Reply]] = {
            "AWS.ActivateUser": self.activate_user,
            "AWS.DiscoverDevices": self.discover_devices,
            "AWS.SendCommand": self.send_command,
            "AWS.DeactivateUser": self.deactivate_user,
        }

    def close(self) -> None:
        """Close the vendor client's and the event sender's connections (where they have a `close`)."""
        for part in (self.vendor, self.events, self.resolve_secret, self.store):
            close = getattr(part, "close", None)
            if callable(close):
                close()

    def __enter__(self) -> Connector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the Lambda entry point ----------------------------------------------------------------------

    def __call__(self, event: Any, context: Any = None) -> Reply:
        """The AWS.* operations; also a vendor webhook (Function URL event) and the poll schedule (EventBridge)."""
        if is_function_url_event(event):
            return self.webhook_request(event, context)
        if is_schedule_event(event):
            return self.poll_request(event, context)
        started = self.clock()
        operation = "unknown-operation"
        try:
            payload = event.get("payload") if isinstance(event, dict) else None
            if not isinstance(payload, dict):
                raise ConnectorError(
                    400, "bad-event", "the event has no payload object", location=at_request("payload")
                )
            name = payload.get("operationName")
            run = self.operations.get(name) if isinstance(name, str) else None
            if run is None:
                raise ConnectorError(
                    400,
                    "unknown-operation",
                    "payload.operationName is not an AWS operation",
                    location=at_request("payload.operationName"),
                )
            operation = str(name)
            result = run(event, payload, self._deadline(context, started), context)
        except ConnectorError as exc:
            log.warning("%s failed: %d %s", operation, exc.status, exc.code)
            result = reply(exc.status, exc.message)
        except Exception as exc:  # noqa: BLE001 -- the service must get an answer; the text may hold secrets
            log.error("%s failed: internal error %s", operation, _where(exc))
            result = reply(500, "internal error")
        log.info("%s -> %d in %.1f ms", operation, result["header"]["responseCode"], (self.clock() - started) * 1000)
        return result

    def _deadline(self, context: Any, started: float) -> Deadline:
        budget = self.budget_s
        remaining_ms = getattr(context, "get_remaining_time_in_millis", None)
        if callable(remaining_ms):
            budget = min(budget, remaining_ms() / 1000 - LAMBDA_MARGIN_S)
        return Deadline(started + budget, self.clock)

    def _vendor_deadline(self, deadline: Deadline) -> Deadline:
        return deadline.earlier_by(self.event_reserve_s)

    def _credentials(self, event: Mapping[str, Any]) -> Credentials:
        return credentials_from(event, self.resolve_secret)

    def _connector_id(self, payload: Mapping[str, Any] | None = None) -> str:
        value = (payload or {}).get("connectorId") or self.connector_id
        if not isinstance(value, str) or not _CONNECTOR_ID.fullmatch(value):
            raise ConnectorError(
                400,
                "bad-connector-id",
                "no valid connectorId in the event or the configuration",
                location=at_request("payload.connectorId"),
            )
        return value

    # --- operations ----------------------------------------------------------------------------------

    def activate_user(
        self, event: Mapping[str, Any], payload: Mapping[str, Any], deadline: Deadline, context: Any = None
    ) -> Reply:
        credentials = self._credentials(event)
        vendor_user_id = self.vendor.user_id(credentials, self._vendor_deadline(deadline))
        user_id = stable_user_id(vendor_user_id)
        if self.store is not None:
            self.store.save_user(UserRecord(user_id, vendor_user_id, True, _credential_reference(event)))
        return reply(200, "user activated", userId=user_id)

    def deactivate_user(
        self, event: Mapping[str, Any], payload: Mapping[str, Any], deadline: Deadline, context: Any = None
    ) -> Reply:
        """Revoke the grant at the vendor (where it has an endpoint for that), forget the user, stop its events."""
        credentials = self._credentials(event)
        vendor_deadline = self._vendor_deadline(deadline)
        user_id = self._user_of(event, credentials, vendor_deadline)
        self.vendor.revoke(credentials, vendor_deadline)
        if self.store is not None and user_id is not None:
            self.store.deactivate(user_id)
        return reply(200, "user deactivated")

    def _user_of(self, event: Mapping[str, Any], credentials: Credentials, deadline: Deadline) -> str | None:
        """The UserId of these credentials: asked of the vendor, else (a dead token) found by secret reference."""
        try:
            return stable_user_id(self.vendor.user_id(credentials, deadline))
        except VendorError as exc:
            if exc.status != 401 or self.store is None:
                raise
        reference = _credential_reference(event)
        if reference is not None:
            for user in self.store.active_users():
                if user.credential is not None and user.credential.arn == reference.arn:
                    return user.user_id
        log.info("deactivation: the vendor no longer knows the credentials and no stored user matches them")
        return None

    def discover_devices(
        self, event: Mapping[str, Any], payload: Mapping[str, Any], deadline: Deadline, context: Any = None
    ) -> Reply:
        discovery_id = payload.get("deviceDiscoveryId")
        if not isinstance(discovery_id, str) or not _DISCOVERY_ID.fullmatch(discovery_id):
            raise ConnectorError(
                400,
                "bad-discovery-id",
                "payload.deviceDiscoveryId is missing or malformed",
                location=at_request("payload.deviceDiscoveryId"),
            )
        connector_id = self._connector_id(payload)
        report: dict[str, Any] = {
            "ConnectorId": connector_id,
            "Operation": "DEVICE_DISCOVERY",
            "OperationVersion": "1.0",
            "DeviceDiscoveryId": discovery_id,
        }
        try:
            credentials = self._credentials(event)
            vendor_deadline = self._vendor_deadline(deadline)
            vendor_user_id = self.vendor.user_id(credentials, vendor_deadline)
            user_id = stable_user_id(vendor_user_id)
            report["UserId"] = user_id
            states = self.vendor.list_devices(credentials, vendor_deadline)
        except ConnectorError as exc:
            self._send_quietly({**report, "Devices": [], "StatusCode": exc.status, "Message": exc.message})
            raise
        devices = []
        remembered = []
        for state in states:
            try:
                translator = self.translator_for(state)
                devices.append(translator.capability_report(state))
                vendor_id = translator.vendor_device_id(state, None)
            except TranslationError as exc:
                log.info("discovery skips a device: %s", ", ".join(sorted({p.code for p in exc.problems})))
                continue
            remembered.append(DeviceRecord(vendor_id, user_id, translator.identity, state_digest(state)))
        if self.store is not None:
            known = self.store.user(user_id)
            if known is None or not known.active:
                self.store.save_user(UserRecord(user_id, vendor_user_id, True, _credential_reference(event)))
            self.store.save_devices(user_id, remembered)
        self.send({**report, "Devices": devices})
        return reply(200, f"{len(devices)} of {len(states)} devices reported")

    def send_command(
        self, event: Mapping[str, Any], payload: Mapping[str, Any], deadline: Deadline, context: Any = None
    ) -> Reply:
        trace_id = payload.get("traceId")
        if not isinstance(trace_id, str) or not _TRACE_ID.fullmatch(trace_id):
            raise ConnectorError(
                400, "bad-trace-id", "payload.traceId is missing or malformed", location=at_request("payload.traceId")
            )
        device = payload.get("connectorDeviceId")
        if not isinstance(device, str) or not device:
            raise ConnectorError(
                400,
                "bad-device-id",
                "payload.connectorDeviceId is missing",
                location=at_request("payload.connectorDeviceId"),
            )
        connector_id = self._connector_id(payload)
        try:
            parsed = parse_command(payload)
        except TranslationError as exc:
            raise translation_error(exc) from None
        outcome = _CommandOutcome(connector_id, device, trace_id, parsed)
        try:
            vendor_id = self._vendor_id(device)
            outcome.user_id = self._owner(vendor_id)
            if self.idempotency is not None:
                done = self.idempotency.run(
                    self._command_work, dict(payload), deadline=deadline, event=event, vendor_id=vendor_id
                )
            else:
                done = self._command_work(command=dict(payload), event=event, vendor_id=vendor_id, deadline=deadline)
            outcome.translator = self._known(str(done.get("kind")))
            outcome.state = done.get("state")
            sent = int(done.get("sent", 0))
        except TranslationError as exc:
            error = translation_error(exc)
        except ConnectorError as exc:
            error = exc
        else:
            for request in outcome.events(None):
                self.send(request)
            return reply(200, f"command done with {sent} vendor requests")
        for request in outcome.events(error):
            self._send_quietly(request)
        raise error

    def _vendor_id(self, device: str) -> str:
        try:
            vendor_id = decode_device_id(device)
        except ValueError:
            raise ConnectorError(
                400,
                "bad-device-id",
                "payload.connectorDeviceId is not a valid encoding",
                location=at_request("payload.connectorDeviceId"),
            ) from None
        check_vendor_id(vendor_id)
        return vendor_id

    def _owner(self, vendor_id: str) -> str | None:
        """The UserId of the device's owner, as remembered from discovery (None without a store)."""
        if self.store is None:
            return None
        record = self.store.device(vendor_id)
        return record.user_id if record is not None else None

    def _command_work(
        self, *, command: dict[str, Any], event: Mapping[str, Any], vendor_id: str, deadline: Deadline
    ) -> dict[str, Any]:
        """The vendor side of a command: its requests, then the resulting state (`{sent, kind, state}`, JSON)."""
        self.precheck(command)
        credentials = self._credentials(event)
        vendor_deadline = self._vendor_deadline(deadline)
        state = self.vendor.get_state(credentials, vendor_id, vendor_deadline)
        translator = self.translator_for(state)
        requests = translator.to_vendor(command, state=state, device_id=vendor_id)
        for request in requests:
            self.vendor.send(credentials, request, vendor_deadline)
        after = self._result_state(
            translator,
            credentials=credentials,
            vendor_id=vendor_id,
            before=state,
            requests=requests,
            deadline=vendor_deadline,
        )
        return {"sent": len(requests), "kind": translator.identity, "state": after}

    def precheck(self, payload: Any) -> None:
        """Refuse, before any vendor call, a command that no mapping accepts (unknown, or outside its constraints).
        With a profile, what a device accepts depends on what it declares: its composed mapping checks the command
        after the state is read, still before any write."""
        parsed = parse_command(payload)
        if self.profile is not None:
            return
        refusals: list[list[TranslationProblem]] = []
        for translator in self.translators:
            problems: list[TranslationProblem] = []
            for call in parsed.calls:
                try:
                    translator.check_call(call)
                except TranslationError as exc:
                    problems.extend(exc.problems)
            if not problems:
                return
            refusals.append(problems)
        # the most telling refusal: one from a mapping that knows the command but not these parameters
        refusals.sort(key=lambda problems: all(p.code == "unsupported" for p in problems))
        raise TranslationError(refusals[0])

    def _result_state(
        self,
        translator: Translator,
        *,
        credentials: Credentials,
        vendor_id: str,
        before: Any,
        requests: list[dict[str, Any]],
        deadline: Deadline,
    ) -> Any:
        if not requests:
            return before
        written = applied_writes(translator.compiled, before, requests)
        if self.result_from == "write" and written is not None:
            return written
        try:
            return self.vendor.get_state(credentials, vendor_id, deadline)
        except ConnectorError as exc:
            log.info("state after the command not read (%d %s): reporting the written values", exc.status, exc.code)
            return written

    # --- vendor events -------------------------------------------------------------------------------

    def vendor_event(
        self,
        payload: Any,
        *,
        user_id: str | None = None,
        trace_id: str | None = None,
        kind: str | None = None,
        partial: bool = False,
    ) -> list[dict[str, Any]]:
        """Report a vendor event or state change: DEVICE_EVENT, plus DEVICE_COMMAND_REQUEST for what the device sends.

        `kind` (`vendor/kind`) names the mapping when the payload alone cannot (a partial update); with a store,
        the kind remembered from discovery is used. `user_id` is the encoded UserId ActivateUser returned; with a
        store, the device's owner is found and an event for a device of no active user is dropped (returns []).
        `partial` reports only the attributes present. Returns the SendConnectorEvent requests sent.
        """
        connector_id = self._connector_id()
        if user_id is not None and not _USER_ID.fullmatch(user_id):
            raise ConnectorError(400, "bad-user-id", "user_id is not a UserId as ActivateUser returns it")
        record = self._device_record(payload) if self.store is not None else None
        if self.store is not None:
            owner = record.user_id if record is not None else user_id
            if owner is None or (user_id is not None and owner != user_id) or not self._active(owner):
                log.info("vendor event dropped: the device belongs to no active user")
                return []
            user_id = owner
            kind = kind or (record.kind if record is not None else None)
        translator = self._known(kind)
        if translator is None and kind is not None and self.profile is None:
            raise ConnectorError(400, "unknown-kind", "no mapping has that vendor kind")
        try:  # a kind composed in another process is composed again from the payload
            translator = translator or self.translator_for(payload)
        except TranslationError as exc:
            raise translation_error(exc) from None
        requests: list[dict[str, Any]] = []
        try:
            requests.extend(translator.to_matter(payload, connector_id=connector_id, user_id=user_id, partial=partial))
        except TranslationError as exc:
            if {p.code for p in exc.problems} != {"nothing-to-report"}:
                raise translation_error(exc) from None
        try:
            requests.extend(
                translator.command_requests(
                    payload, trace_id=trace_id or new_trace_id(), connector_id=connector_id, user_id=user_id
                )
            )
        except TranslationError as exc:
            raise translation_error(exc) from None
        for request in requests:
            self.send(request)
        log.info("vendor event (%s) -> %d events", translator.identity, len(requests))
        return requests

    def _device_record(self, payload: Any) -> DeviceRecord | None:
        """The stored device a vendor payload is about (its id read with each mapping's device-id path)."""
        assert self.store is not None
        tried: set[str] = set()
        for translator in self.translators:
            try:
                vendor_id = translator.vendor_device_id(payload, None)
            except TranslationError:
                continue
            if vendor_id in tried:
                continue
            tried.add(vendor_id)
            record = self.store.device(vendor_id)
            if record is not None:
                return record
        return None

    def _active(self, user_id: str) -> bool:
        assert self.store is not None
        user = self.store.user(user_id)
        return user is not None and user.active

    def webhook_request(self, event: Mapping[str, Any], context: Any = None) -> dict[str, Any]:
        """A vendor webhook (Lambda Function URL event): verify its signature, report each update (partial)."""
        if self.webhook is None:
            return http_response(404, message="no webhook is configured")
        try:
            updates = updates_of(verified_body(event, self.webhook))
        except ConnectorError as exc:
            log.warning("webhook refused: %d %s", exc.status, exc.code)
            return http_response(exc.status, message=exc.message)
        reported = dropped = failed = 0
        for update in updates:
            try:
                sent = self.vendor_event(update, partial=True)
            except (ConnectorError, PayloadInvalid) as exc:
                failed += 1
                log.warning("webhook update not reported: %s", getattr(exc, "code", type(exc).__name__))
                continue
            except Exception as exc:  # noqa: BLE001 -- one bad update must not lose the others
                failed += 1
                log.error("webhook update failed: internal error %s", _where(exc))
                continue
            if sent:
                reported += 1
            else:
                dropped += 1
        status = 200 if failed == 0 else 207
        return http_response(status, reported=reported, dropped=dropped, failed=failed)

    def poll_request(self, event: Mapping[str, Any], context: Any = None) -> dict[str, Any]:
        """The scheduled poll: each active user's devices read; a state that changed is reported (DEVICE_EVENT).

        Users linked with GeneralAuthorization are polled through their stored secret reference; an OAuth2.0
        token is stored nowhere, so those users are served by webhooks only.
        """
        if self.store is None:
            return {"polled": 0, "reported": 0, "skipped": 0}
        deadline = self._deadline(context, self.clock())
        polled = reported = skipped = 0
        try:
            users = self.store.active_users()
        except ConnectorError as exc:
            log.warning("poll: the users could not be read: %d %s", exc.status, exc.code)
            return {"polled": 0, "reported": 0, "skipped": 0, "error": exc.code}
        for index, user in enumerate(users):
            if user.credential is None:
                skipped += 1
                continue
            if deadline.remaining() <= self.event_reserve_s:
                log.warning("poll: out of time, %d users left for the next run", len(users) - index)
                break
            try:
                reported += self._poll_user(user, user.credential, deadline)
                polled += 1
            except ConnectorError as exc:
                skipped += 1
                log.warning("poll of a user failed: %d %s", exc.status, exc.code)
        log.info("poll: %d users polled, %d skipped, %d changes reported", polled, skipped, reported)
        return {"polled": polled, "reported": reported, "skipped": skipped}

    def _poll_user(self, user: UserRecord, reference: CredentialReference, deadline: Deadline) -> int:
        assert self.store is not None
        try:
            secret = self.resolve_secret(reference.arn, reference.version_id)
        except Exception as exc:  # noqa: BLE001 -- any resolver failure is one outcome; its text may hold secrets
            raise ConnectorError(
                500, "secret-unavailable", f"the secret could not be read ({type(exc).__name__})"
            ) from None
        credentials = Credentials(GENERAL, secret)
        known = {d.device_id for d in self.store.devices_of(user.user_id)}
        reported = 0
        for state in self.vendor.list_devices(credentials, self._vendor_deadline(deadline)):
            try:
                translator = self.translator_for(state)
                vendor_id = translator.vendor_device_id(state, None)
            except TranslationError:
                continue
            if vendor_id not in known:
                continue
            record = self.store.device(vendor_id)
            digest = state_digest(state)
            if record is None or record.digest == digest:
                continue
            try:
                if self.vendor_event(state, user_id=user.user_id, kind=translator.identity):
                    reported += 1
            except (ConnectorError, PayloadInvalid) as exc:
                log.warning("polled change not reported: %s", getattr(exc, "code", type(exc).__name__))
                continue
            self.store.set_digest(vendor_id, digest)
        return reported

    # --- helpers -------------------------------------------------------------------------------------

    def translator_for(self, state: Any) -> Translator:
        """The translator of the one mapping that recognises the state, else (with a profile) of the mapping the
        profile composes from what the device declares; raises TranslationError when neither translates it."""
        if self.profile is not None:
            return self._translator(select_for_device(self.whole_shapes, self.profile, state).compiled)
        mapping = select_mapping(self.whole_shapes, state)
        if not matches(mapping.match, state):
            raise TranslationError(
                [TranslationProblem("no-matching-mapping", f"the mapping {mapping.identity} does not recognise it")]
            )
        return self._by_mapping[id(mapping)]

    def _translator(self, compiled: CompiledMapping) -> Translator:
        """The translator of a mapping; one composed for a device shape is built once and kept by its kind (at
        most CACHE_SIZE kinds, so a long-lived process does not grow with every shape it meets)."""
        found = self._by_mapping.get(id(compiled)) or self._composed.get(compiled.identity)
        if found is None:
            if len(self._composed) >= CACHE_SIZE:
                self._composed.pop(next(iter(self._composed)))
            found = self._composed[compiled.identity] = Translator(compiled)
        return found

    def _known(self, kind: str | None) -> Translator | None:
        """The translator of a mapping kind this connector has: a whole-shape mapping or one composed here."""
        return self.by_identity.get(kind) or self._composed.get(kind) if kind is not None else None

    def send(self, request: Mapping[str, Any]) -> None:
        """Send one SendConnectorEvent request, checked against the service model and the C2C contract first."""
        ensure_valid_connector_event(request)
        self.events.send(request)

    def _send_quietly(self, request: Mapping[str, Any]) -> None:
        """Report a failure; a failure to report it is logged, the original error is what the caller raises."""
        try:
            self.send(request)
        except (ConnectorError, PayloadInvalid) as exc:
            log.warning("%s report not sent: %s", request.get("Operation"), type(exc).__name__)


class _CommandOutcome:
    """What a SendCommand reports: per commanded cluster, the resulting attributes and each command's result."""

    def __init__(self, connector_id: str, device: str, trace_id: str, parsed: ParsedCommand) -> None:
        self.connector_id = connector_id
        self.device = device
        self.trace_id = trace_id
        self.parsed = parsed
        self.translator: Translator | None = None
        self.state: Any = None
        self.user_id: str | None = None

    def events(self, error: ConnectorError | None) -> list[dict[str, Any]]:
        commanded: dict[str, dict[str, list[str]]] = {}
        for call in self.parsed.calls:
            ids = self._ids(call)
            if ids is not None:
                commands = commanded.setdefault(call.endpoint_id, {}).setdefault(ids[0], [])
                if ids[1] not in commands:
                    commands.append(ids[1])
        result: dict[str, Any] = {}
        if error is not None:
            result = {"responseCode": error.status, "errors": {"code": error.code, "message": error.message}}
        requests = []
        for endpoint_id, clusters in commanded.items():
            entries = []
            for cluster_id, commands in clusters.items():
                entry: dict[str, Any] = {"id": cluster_id}
                attributes = self._attributes(endpoint_id, cluster_id) if error is None else {}
                if attributes:
                    entry["attributes"] = attributes
                entry["commands"] = {command: copy.deepcopy(result) for command in commands[:MAX_COMMANDS_PER_CLUSTER]}
                entries.append(entry)
            for start in range(0, len(entries), MAX_CLUSTERS_PER_EVENT):
                request: dict[str, Any] = {
                    "ConnectorId": self.connector_id,
                    "Operation": "DEVICE_COMMAND_RESPONSE",
                    "OperationVersion": "1.0",
                    "ConnectorDeviceId": self.device,
                    "TraceId": self.trace_id,
                    "StatusCode": 200 if error is None else error.status,
                    "MatterEndpoint": {"id": endpoint_id, "clusters": entries[start : start + MAX_CLUSTERS_PER_EVENT]},
                }
                if error is not None:
                    request["Message"] = error.message
                if self.user_id is not None:
                    request["UserId"] = self.user_id
                requests.append(request)
        return requests

    def _ids(self, call: CommandCall) -> tuple[str, str] | None:
        if call.by_id and isinstance(call.cluster, int) and isinstance(call.command, int):
            return hex_id(call.cluster), hex_id(call.command, 2)
        if self.translator is None:
            return None
        try:
            _, cluster, command = self.translator.find_command(call)
        except TranslationError:
            return None
        return (cluster.hex_id, command.hex_id) if command is not None else None

    def _attributes(self, endpoint_id: str, cluster_id: str) -> dict[str, Any]:
        if self.translator is None or self.state is None:
            return {}
        cluster = _cluster(self.translator.compiled, endpoint_id, cluster_id)
        if cluster is None:
            return {}
        try:
            return self.translator.cluster_values(cluster, self.state, partial=True)
        except TranslationError as exc:
            log.info("resulting state not reported: %s", ", ".join(sorted({p.code for p in exc.problems})))
            return {}


def _cluster(compiled: CompiledMapping, endpoint_id: str, cluster_id: str) -> ClusterIR | None:
    wanted = parse_id(cluster_id)
    for endpoint in compiled.endpoints:
        if endpoint.id == endpoint_id:
            return next((c for c in endpoint.clusters if c.id == wanted), None)
    return None


def applied_writes(compiled: CompiledMapping, state: Any, requests: Sequence[Mapping[str, Any]]) -> Any:
    """The state with `merge`-encoded request bodies deep-merged in; None when the encoding is not `merge`."""
    encoding = compiled.write
    if encoding is None or not isinstance(encoding.body, MergeBody) or not isinstance(state, dict):
        return None
    result = copy.deepcopy(state)
    for request in requests:
        body = request.get("body")
        if not isinstance(body, dict):
            continue
        for key in reversed(encoding.prefix):
            body = {key: body}
        deep_merge(result, body)
    return result


def deep_merge(target: dict[str, Any], patch: Mapping[str, Any]) -> None:
    """Merge `patch` into `target` in place: objects merge key by key, anything else replaces."""
    for key, value in patch.items():
        if isinstance(value, Mapping) and isinstance(target.get(key), dict):
            deep_merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def _credential_reference(event: Mapping[str, Any]) -> CredentialReference | None:
    """The Secrets Manager reference of a GeneralAuthorization event (never an OAuth token: that is not kept)."""
    header = event.get("header")
    auth = header.get("auth") if isinstance(header, dict) else None
    if not isinstance(auth, dict) or auth.get("type") != GENERAL:
        return None
    reference = auth.get("secretsManager")
    arn = reference.get("arn") if isinstance(reference, dict) else None
    version = reference.get("versionId") if isinstance(reference, dict) else None
    if not isinstance(arn, str) or not arn:
        return None
    return CredentialReference(arn, version if isinstance(version, str) and version else None)


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return type(exc).__name__
    last = frames[-1]
    return f"{type(exc).__name__} at {Path(last.filename).name}:{last.lineno}"


def make_handler(
    mappings: Sequence[CompiledMapping],
    vendor_client: VendorClient,
    *,
    events_client: Any = None,
    event_sender: EventSender | None = None,
    connector_id: str | None = None,
    budget_s: float = 1.5,
    event_reserve_s: float = 0.4,
    secret_resolver: SecretResolver | None = None,
    result_from: ResultFrom = "reread",
    table_name: str | None = None,
    dynamodb_client: Any = None,
    idempotent: bool = True,
    webhook: WebhookConfig | None = None,
    profile: LoadedProfile | None = None,
) -> Connector:
    """The Lambda handler for these mappings and this vendor: `handler(event, context)`.

    Events go through `events_client` (a boto3 `iot-managed-integrations` client; one with short timeouts is
    created on first use when omitted) unless an `event_sender` is given. With `table_name`, users and devices
    are remembered in that DynamoDB table (through `dynamodb_client`, or a default client) and SendCommand is
    idempotent per traceId over the same table (unless `idempotent=False`). `webhook` enables vendor webhooks.
    With a vendor `profile` (`folder_profile("mappings/tuya")`), a device no single mapping recognises gets a
    mapping composed from what it declares.
    """
    sender = event_sender if event_sender is not None else Boto3EventSender(events_client, check=False)
    store = DynamoDBStore(table_name, dynamodb_client) if table_name is not None else None
    idempotency = (
        IdempotentCommands(table_name, store.client) if store is not None and table_name and idempotent else None
    )
    return Connector(
        mappings,
        vendor_client,
        event_sender=sender,
        connector_id=connector_id,
        budget_s=budget_s,
        event_reserve_s=event_reserve_s,
        secret_resolver=secret_resolver,
        result_from=result_from,
        store=store,
        idempotency=idempotency,
        webhook=webhook,
        profile=profile,
    )
