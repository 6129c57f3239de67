"""The `matter-map` command: JSON on stdout, diagnostics on stderr; exit 0 ok, 1 invalid input, 2 usage.

Each subcommand lives in its own module of this package and exposes `register(subparsers)`; modules are
found automatically, so adding a subcommand touches no shared file.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from matter_map import __version__
from matter_map.cli._io import InputProblemError
from matter_map.diagnostics import MappingError
from matter_map.errors import TranslationError
from matter_map.payload_check import PayloadInvalid


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="matter-map", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"matter-map {__version__}")
    sub = parser.add_subparsers(dest="command_name", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.register(sub)
    return parser


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


__all__ = ["build_parser", "main"]
