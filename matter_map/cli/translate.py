"""`to-matter`, `to-vendor` and `discover`: run a mapping both ways on JSON files."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from matter_map.cli._io import check_mapping_argument, read_json, translator_for
from matter_map.cli._output import output_of
from matter_map.errors import TranslationError, TranslationProblem

if TYPE_CHECKING:
    from matter_map.translator import Translator

MAPPING_HELP = "mapping file (.yaml), or a vendor folder whose match rules choose the mapping"


def register(sub: Any) -> None:
    p = sub.add_parser("to-matter", help="vendor state/event → SendConnectorEvent requests")
    p.add_argument("mapping", metavar="MAPPING", help=MAPPING_HELP)
    p.add_argument("state", metavar="STATE.json", help="the vendor's JSON for one device (its state or an event)")
    p.add_argument("--device-id", help="vendor device id, for payloads that do not carry it")
    p.add_argument("--connector-id", default="matter-map", help="ConnectorId of the requests (default: matter-map)")
    p.add_argument("--user-id", help="UserId of the requests, when the connector knows the vendor account")
    p.add_argument("--partial", action="store_true", help="report only what the payload holds (event updates)")
    _validate_input_switch(p)
    p.set_defaults(run=to_matter)

    p = sub.add_parser("to-vendor", help="Matter command → vendor requests")
    p.add_argument("mapping", metavar="MAPPING", help=MAPPING_HELP)
    p.add_argument(
        "command", metavar="COMMAND.json", help="SendManagedThingCommand request or AWS.SendCommand event (JSON file)"
    )
    p.add_argument("--device-id", help="vendor device id (otherwise read from the command or from --state)")
    p.add_argument("--state", help="current vendor state (JSON file), for Toggle, Step and per-device ranges")
    _validate_input_switch(p)
    p.set_defaults(run=to_vendor)

    p = sub.add_parser("discover", help="vendor device → Devices[] entry of DEVICE_DISCOVERY")
    p.add_argument("mapping", metavar="MAPPING", help=MAPPING_HELP)
    p.add_argument("state", metavar="STATE.json", help="the vendor's JSON for one device")
    p.add_argument("--device-id", help="vendor device id, for payloads that do not carry it")
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
    check_mapping_argument(args.mapping, args.state, "vendor JSON")
    state = read_json(args.state, role="vendor JSON")
    translator = translator_for(args.mapping, state, validate_input=args.validate_input)
    output_of(args).result(
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
    check_mapping_argument(args.mapping, args.command, "Matter command JSON")
    command = read_json(args.command, role="Matter command JSON")
    state = read_json(args.state, role="vendor state JSON") if args.state else None
    translator = translator_for(args.mapping, state, validate_input=args.validate_input)
    try:
        requests = translator.to_vendor(command, state=state, device_id=args.device_id)
    except TranslationError as exc:
        if state is None and args.device_id is None and any(p.code == "missing-device-id" for p in exc.problems):
            raise TranslationError([*_needs_of(translator, command), *exc.problems]) from None
        raise
    output_of(args).result(requests)
    return 0


def _needs_of(translator: Translator, command: Any) -> tuple[TranslationProblem, ...]:
    """What the command needs besides a device id (Toggle: the state), found with a stand-in id."""
    try:
        translator.to_vendor(command, device_id="device-id")
    except TranslationError as exc:
        return exc.problems
    return ()


def discover(args: argparse.Namespace) -> int:
    from matter_map.payload_check import ensure_valid_connector_event

    check_mapping_argument(args.mapping, args.state, "vendor JSON")
    state = read_json(args.state, role="vendor JSON")
    translator = translator_for(args.mapping, state, validate_input=args.validate_input)
    device = translator.capability_report(state, device_id=args.device_id)
    ensure_valid_connector_event(
        {"ConnectorId": "matter-map", "Operation": "DEVICE_DISCOVERY", "DeviceDiscoveryId": "x", "Devices": [device]}
    )
    output_of(args).result(device)
    return 0
