"""The `matter-map` command: JSON on stdout, diagnostics on stderr; exit 0 ok, 1 invalid input, 2 usage."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from matter_map import __version__
from matter_map.catalog import load_catalog
from matter_map.diagnostics import MappingError
from matter_map.errors import TranslationError
from matter_map.ir import CompiledMapping
from matter_map.loader import load_mapping, mapping_files
from matter_map.payload_check import PayloadInvalid, ensure_valid_connector_event
from matter_map.selection import select_mapping
from matter_map.translator import Translator

MAX_JSON_INPUT = 16 << 20


class InputProblemError(Exception):
    """A user input that cannot be used: printed as one line, exit 1."""


def _emit(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False) + "\n")


def _read_json(path: str) -> Any:
    file = Path(path)
    try:
        if file.stat().st_size > MAX_JSON_INPUT:
            raise InputProblemError(f"{path}: larger than {MAX_JSON_INPUT} bytes")
        return json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputProblemError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InputProblemError(f"{path}: not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise InputProblemError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None


def _compile_all(target: str) -> list[CompiledMapping]:
    files = list(mapping_files([target]))
    if not files:
        raise InputProblemError(f"{target}: no mapping files (*.yaml) found")
    compiled = []
    errors: list[MappingError] = []
    for file in files:
        try:
            compiled.append(load_mapping(file).compiled)
        except MappingError as exc:
            errors.append(exc)
    if errors:
        raise MappingError([d for e in errors for d in e.diagnostics])
    return compiled


def _translator(target: str, state: Any) -> Translator:
    mappings = _compile_all(target)
    if len(mappings) > 1 and state is None:
        raise InputProblemError(f"{target} holds several mappings: pass --state so one can be chosen, or name a file")
    chosen = select_mapping(mappings, state) if state is not None else mappings[0]
    return Translator(chosen, check=ensure_valid_connector_event)


def cmd_validate(args: argparse.Namespace) -> int:
    files = list(mapping_files(args.paths))
    if not files:
        raise InputProblemError("no mapping files (*.yaml) found in " + ", ".join(args.paths))
    results = []
    failed = False
    for file in files:
        try:
            result = load_mapping(file)
        except MappingError as exc:
            failed = True
            sys.stderr.write(exc.render() + "\n")
            results.append({"file": str(file), "ok": False, "errors": [d.as_json() for d in exc.diagnostics]})
            continue
        for warning in result.warnings:
            sys.stderr.write(warning.render() + "\n")
        results.append(
            {
                "file": str(file),
                "ok": True,
                "mapping": result.compiled.identity,
                "warnings": [w.as_json() for w in result.warnings],
            }
        )
    _emit({"ok": not failed, "files": results})
    return 1 if failed else 0


def cmd_to_matter(args: argparse.Namespace) -> int:
    state = _read_json(args.state)
    translator = _translator(args.mapping, state)
    _emit(
        translator.to_matter(
            state,
            connector_id=args.connector_id,
            device_id=args.device_id,
            user_id=args.user_id,
            partial=args.partial,
        )
    )
    return 0


def cmd_to_vendor(args: argparse.Namespace) -> int:
    command = _read_json(args.command)
    state = _read_json(args.state) if args.state else None
    translator = _translator(args.mapping, state)
    _emit(translator.to_vendor(command, state=state, device_id=args.device_id))
    return 0


def cmd_discover(args: argparse.Namespace) -> int:
    state = _read_json(args.state)
    translator = _translator(args.mapping, state)
    device = translator.capability_report(state, device_id=args.device_id)
    ensure_valid_connector_event(
        {
            "ConnectorId": "matter-map",
            "Operation": "DEVICE_DISCOVERY",
            "DeviceDiscoveryId": "x",
            "Devices": [device],
        }
    )
    _emit(device)
    return 0


def cmd_catalog(args: argparse.Namespace) -> int:
    catalog = load_catalog()
    if args.name is None:
        _emit(
            {
                "source": catalog.source,
                "clusters": len(catalog.clusters),
                "device_types": len(catalog.device_types),
            }
        )
        return 0
    key: str | int = args.name
    cluster = catalog.cluster(key)
    if cluster is not None:
        _emit(catalog.cluster_json(cluster))
        return 0
    device_type = catalog.device_type(key)
    if device_type is not None:
        _emit(catalog.device_type_json(device_type))
        return 0
    suggestions = catalog.suggest(
        args.name, [c.name for c in catalog.clusters] + [d.name for d in catalog.device_types]
    )
    hint = f" (did you mean {', '.join(suggestions)}?)" if suggestions else ""
    raise InputProblemError(f"no cluster or device type {args.name!r}{hint}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="matter-map", description=__doc__)
    parser.add_argument("--version", action="version", version=f"matter-map {__version__}")
    sub = parser.add_subparsers(dest="command_name", required=True)

    p = sub.add_parser("validate", help="check mapping files or folders")
    p.add_argument("paths", nargs="+")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("to-matter", help="vendor state/event → SendConnectorEvent requests")
    p.add_argument("mapping", help="mapping file, or a vendor folder (chosen by match rules)")
    p.add_argument("state", help="vendor JSON file")
    p.add_argument("--device-id", help="vendor device id, for payloads that do not carry it")
    p.add_argument("--connector-id", default="matter-map")
    p.add_argument("--user-id")
    p.add_argument("--partial", action="store_true", help="report only what the payload holds (event updates)")
    p.set_defaults(run=cmd_to_matter)

    p = sub.add_parser("to-vendor", help="Matter command → vendor requests")
    p.add_argument("mapping")
    p.add_argument("command", help="SendManagedThingCommand request or AWS.SendCommand event (JSON file)")
    p.add_argument("--device-id")
    p.add_argument("--state", help="current vendor state (JSON file), for Toggle, Step and per-device ranges")
    p.set_defaults(run=cmd_to_vendor)

    p = sub.add_parser("discover", help="vendor device → Devices[] entry of DEVICE_DISCOVERY")
    p.add_argument("mapping")
    p.add_argument("state")
    p.add_argument("--device-id")
    p.set_defaults(run=cmd_discover)

    p = sub.add_parser("catalog", help="the Matter catalog: a summary, or one cluster or device type")
    p.add_argument("name", nargs="?")
    p.set_defaults(run=cmd_catalog)
    return parser


def fail(message: str) -> NoReturn:
    sys.stderr.write(f"matter-map: error: {message}\n")
    raise SystemExit(1)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except MappingError as exc:
        sys.stderr.write(exc.render() + "\n")
        return 1
    except TranslationError as exc:
        for problem in exc.problems:
            sys.stderr.write(f"matter-map: error: {problem}\n")
        return 1
    except PayloadInvalid as exc:
        sys.stderr.write(f"matter-map: error: emitted payload fails the AWS checks:\n{exc}\n")
        return 1
    except InputProblemError as exc:
        sys.stderr.write(f"matter-map: error: {exc}\n")
        return 1
    return code


if __name__ == "__main__":
    raise SystemExit(main())
