"""`to-matter`, `to-vendor` and `discover`: run a mapping both ways on JSON files."""

from __future__ import annotations

import argparse
from typing import Any

from matter_map.cli._io import emit, read_json, translator_for
from matter_map.payload_check import ensure_valid_connector_event


def register(sub: Any) -> None:
    p = sub.add_parser("to-matter", help="vendor state/event → SendConnectorEvent requests")
    p.add_argument("mapping", help="mapping file, or a vendor folder (chosen by match rules)")
    p.add_argument("state", help="vendor JSON file")
    p.add_argument("--device-id", help="vendor device id, for payloads that do not carry it")
    p.add_argument("--connector-id", default="matter-map")
    p.add_argument("--user-id")
    p.add_argument("--partial", action="store_true", help="report only what the payload holds (event updates)")
    _validate_input_switch(p)
    p.set_defaults(run=to_matter)

    p = sub.add_parser("to-vendor", help="Matter command → vendor requests")
    p.add_argument("mapping")
    p.add_argument("command", help="SendManagedThingCommand request or AWS.SendCommand event (JSON file)")
    p.add_argument("--device-id")
    p.add_argument("--state", help="current vendor state (JSON file), for Toggle, Step and per-device ranges")
    _validate_input_switch(p)
    p.set_defaults(run=to_vendor)

    p = sub.add_parser("discover", help="vendor device → Devices[] entry of DEVICE_DISCOVERY")
    p.add_argument("mapping")
    p.add_argument("state")
    p.add_argument("--device-id")
    _validate_input_switch(p)
    p.set_defaults(run=discover)


def _validate_input_switch(parser: Any) -> None:
    parser.add_argument(
        "--no-validate-input",
        dest="validate_input",
        action="store_false",
        help="skip checking vendor JSON against the schema derived from the mapping (it is checked by default)",
    )


def to_matter(args: argparse.Namespace) -> int:
    state = read_json(args.state)
    translator = translator_for(args.mapping, state, validate_input=args.validate_input)
    emit(
        translator.to_matter(
            state,
            connector_id=args.connector_id,
            device_id=args.device_id,
            user_id=args.user_id,
            partial=args.partial,
        )
    )
    return 0


def to_vendor(args: argparse.Namespace) -> int:
    command = read_json(args.command)
    state = read_json(args.state) if args.state else None
    translator = translator_for(args.mapping, state, validate_input=args.validate_input)
    emit(translator.to_vendor(command, state=state, device_id=args.device_id))
    return 0


def discover(args: argparse.Namespace) -> int:
    state = read_json(args.state)
    translator = translator_for(args.mapping, state, validate_input=args.validate_input)
    device = translator.capability_report(state, device_id=args.device_id)
    ensure_valid_connector_event(
        {"ConnectorId": "matter-map", "Operation": "DEVICE_DISCOVERY", "DeviceDiscoveryId": "x", "Devices": [device]}
    )
    emit(device)
    return 0
