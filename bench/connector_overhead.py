"""Handler overhead per AWS.SendCommand, vendor latency excluded: p50/p99 on this machine, printed as a table.

    .venv/bin/python bench/connector_overhead.py            # about 10 s
    .venv/bin/python bench/connector_overhead.py --quick    # fewer rounds

Rows:
- in-process: a vendor that answers at once from memory, events checked against the service model but not
  sent: the handler's own work (parse, precheck, mapping selection, to_vendor, result state, payload check);
- + boto3: the same, with SendConnectorEvent serialised, signed and sent by a real boto3 client to a loopback
  endpoint that answers at once;
- + loopback vendor: also the vendor over HTTP (httpx) to a loopback cloud that does no work (read, write,
  read again), i.e. everything but real network latency;
- + DynamoDB table: in-process vendor and sender, with the connector's table on a loopback DynamoDB-compatible
  endpoint (moto's server mode, real boto3): the owner looked up, the idempotency record written in progress
  and then completed (three table calls per command); "retry" rows send the same traceIds again, answered
  from the record;
- everything: the table, boto3 SendConnectorEvent and the loopback vendor together.

`Δ p50` is the row's p50 less the first row's (the in-process baseline measured in the same run). The
DynamoDB stand-in is a Python server: a real table answers in single-digit milliseconds over the network.
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples" / "hue_connector"))

from handler import hue_client  # noqa: E402 -- the example's module, found through sys.path

from matter_map.connector import (  # noqa: E402
    Connector,
    Credentials,
    Deadline,
    DeviceRecord,
    DynamoDBStore,
    deep_merge,
    default_client,
    load_mappings,
    make_handler,
)
from matter_map.connector.loopback import (  # noqa: E402
    DynamoDBOnLoopback,
    ManagedIntegrationsEndpoint,
    VendorCloudEmulator,
)

HUE = ROOT / "mappings" / "philips_hue"
TOKEN = "bench-token"  # noqa: S105 -- the loopback cloud's own token
LIGHT = json.loads((HUE / "samples" / "extended_color_light.json").read_text(encoding="utf-8"))
COMMANDS = [
    ("0x0006", "0x01", {}),
    ("0x0008", "0x00", {"0x0000": 200}),
    ("0x0300", "0x0A", {"0x0000": 300}),
    ("0x0006", "0x00", {}),
    ("0x0008", "0x00", {"0x0000": 20}),
]


class InstantVendor:
    """A vendor answering from memory at once (the state is copied, as parsing a response would)."""

    def __init__(self) -> None:
        self.state = copy.deepcopy(LIGHT)

    def user_id(self, credentials: Credentials, deadline: Deadline) -> str:
        return "bench-user"

    def list_devices(self, credentials: Credentials, deadline: Deadline) -> list[Any]:
        return [copy.deepcopy(self.state)]

    def get_state(self, credentials: Credentials, device_id: str, deadline: Deadline) -> Any:
        return copy.deepcopy(self.state)

    def send(self, credentials: Credentials, request: Mapping[str, Any], deadline: Deadline) -> Any:
        deep_merge(self.state, request["body"])
        return None

    def revoke(self, credentials: Credentials, deadline: Deadline) -> None:
        return None


class NullSender:
    """Sends nothing (the connector has already checked each request against the service model)."""

    def __init__(self) -> None:
        self.count = 0

    def send(self, request: Mapping[str, Any]) -> None:
        self.count += 1


def command_event(index: int, prefix: str = "bench") -> dict[str, Any]:
    cluster, command, fields = COMMANDS[index % len(COMMANDS)]
    return {
        "header": {"auth": {"type": "OAuth2.0", "token": TOKEN}},
        "payload": {
            "operationName": "AWS.SendCommand",
            "operationVersion": "1.0",
            "connectorId": "bench",
            "connectorDeviceId": LIGHT["id"],
            "traceId": f"{prefix}-{index}",
            "endpoints": [{"id": "1", "clusters": [{"id": cluster, "commands": {command: fields}}]}],
        },
    }


def measure(connector: Connector, rounds: int, warmup: int, prefix: str = "bench") -> list[float]:
    """Milliseconds per SendCommand (each must succeed); `prefix` makes the traceIds of one series."""
    events = [command_event(i, prefix) for i in range(rounds + warmup)]
    for event in events[:warmup]:
        connector(event, None)
    samples = []
    for event in events[warmup:]:
        started = time.perf_counter_ns()
        reply = connector(event, None)
        samples.append((time.perf_counter_ns() - started) / 1e6)
        if reply["header"]["responseCode"] != 200:
            raise SystemExit(f"SendCommand failed: {reply}")
    return samples


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def row(name: str, samples: list[float], baseline: float) -> str:
    p50 = statistics.median(samples)
    return (
        f"| {name:<44} | {len(samples):>6} | {p50:>8.3f} | {percentile(samples, 0.99):>8.3f} "
        f"| {statistics.fmean(samples):>8.3f} | {max(samples):>8.3f} | {p50 - baseline:>+8.3f} |"
    )


def with_table(dynamo: DynamoDBOnLoopback, **options: Any) -> dict[str, Any]:
    """make_handler options for a fresh connector table holding the light's owner (as discovery would)."""
    client = dynamo.client()
    table = dynamo.new_table(client)
    DynamoDBStore(table, client).save_devices(
        "bench-user", [DeviceRecord(LIGHT["id"], "bench-user", "philips_hue/extended_color_light")]
    )
    return {"table_name": table, "dynamodb_client": client, **options}


def loopback_aws(url: str) -> Any:
    """The connector's own boto3 client (its timeouts and retries) aimed at the loopback endpoint."""
    dummy = "bench"
    return default_client(
        region_name="us-east-1", endpoint_url=url, aws_access_key_id=dummy, aws_secret_access_key=dummy
    )


def timed(build: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    value = build()
    return value, (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run)")
    args = parser.parse_args()
    in_process_rounds, loopback_rounds, warmup = (300, 100, 20) if args.quick else (3000, 1000, 100)
    table_rounds = 100 if args.quick else 500

    mappings, load_ms = timed(lambda: load_mappings(HUE))
    results: list[tuple[str, list[float]]] = []
    gc.collect()

    for result_from in ("reread", "write"):
        connector = make_handler(mappings, InstantVendor(), event_sender=NullSender(), result_from=result_from)
        results.append((f"in-process, result_from={result_from}", measure(connector, in_process_rounds, warmup)))

    with (
        ManagedIntegrationsEndpoint(lifetime_s=300) as aws,
        VendorCloudEmulator({"/clip/v2/resource/light": [LIGHT]}, token=TOKEN, lifetime_s=300) as cloud,
    ):
        aws_client, client_ms = timed(lambda: loopback_aws(aws.url))  # the process's first boto3 client
        with make_handler(mappings, InstantVendor(), events_client=aws_client) as connector:
            results.append(("+ boto3 SendConnectorEvent (loopback)", measure(connector, loopback_rounds, warmup)))
        aws_client = loopback_aws(aws.url)
        vendor = hue_client(cloud.url, trust_env=False)
        with make_handler(mappings, vendor, events_client=aws_client) as connector:
            _, first_ms = timed(lambda: connector(command_event(0), None))
            results.append(("+ loopback vendor (httpx, 3 requests)", measure(connector, loopback_rounds, warmup)))

        with DynamoDBOnLoopback() as dynamo:
            options = with_table(dynamo, idempotent=False)
            with make_handler(mappings, InstantVendor(), event_sender=NullSender(), **options) as connector:
                results.append(("+ DynamoDB table, owner lookup only", measure(connector, table_rounds, warmup)))
            options = with_table(dynamo)
            with make_handler(mappings, InstantVendor(), event_sender=NullSender(), **options) as connector:
                results.append(
                    ("+ DynamoDB table, idempotent (first attempt)", measure(connector, table_rounds, warmup))
                )
                results.append(("+ DynamoDB table, idempotent (retry)", measure(connector, table_rounds, warmup)))
            options = with_table(dynamo, events_client=loopback_aws(aws.url))
            with make_handler(mappings, hue_client(cloud.url, trust_env=False), **options) as connector:
                results.append(("everything (table, boto3, loopback vendor)", measure(connector, table_rounds, warmup)))

    print(f"Handler time per AWS.SendCommand, ms (Hue mappings: {len(mappings)} loaded in {load_ms:.0f} ms)")
    print(f"| {'setup':<44} | {'n':>6} | {'p50':>8} | {'p99':>8} | {'mean':>8} | {'max':>8} | {'Δ p50':>8} |")
    print(f"|{'-' * 46}|{'-' * 7}:|{'-' * 9}:|{'-' * 9}:|{'-' * 9}:|{'-' * 9}:|{'-' * 9}:|")
    baseline = statistics.median(results[0][1])
    for name, samples in results:
        print(row(name, samples, baseline))
    cold = f"mappings {load_ms:.0f} ms, first boto3 client {client_ms:.0f} ms, first SendCommand {first_ms:.1f} ms"
    print(f"cold start: {cold}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
