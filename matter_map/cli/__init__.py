"""The `matter-map` command: human text on a terminal, JSON when piped or with `--format json`; exit 0 ok,
1 invalid input, 2 usage.

Each subcommand lives in its own module of this package and exposes `register(subparsers)`; modules are
found automatically, so adding a subcommand touches no shared file. The modules import only the standard
library at the top: the catalog, the models, jinja2 and botocore are imported by the command that runs.
"""

from __future__ import annotations

import argparse
import importlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matter_map import __version__
from matter_map.cli._output import FORMATS, Output


def common_options() -> argparse.ArgumentParser:
    """The options every subcommand takes (added through `parents=`)."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("output")
    group.add_argument(
        "--format",
        choices=FORMATS,
        help="human: text for people (the default on a terminal); json: one JSON document on stdout "
        "(the default when stdout is piped)",
    )
    group.add_argument("-q", "--quiet", action="store_true", help="print only problems (and JSON when asked for)")
    group.add_argument("--version", action="version", version=f"matter-map {__version__}")
    return common


class _Subcommands:
    """`add_parser` of argparse's subparsers, with the common options and formatted help added to each."""

    def __init__(self, actions: Any, common: argparse.ArgumentParser) -> None:
        self._actions = actions
        self._common = common

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        kwargs.setdefault("description", kwargs.get("help"))
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        kwargs["parents"] = [*kwargs.get("parents", []), self._common]
        parser: argparse.ArgumentParser = self._actions.add_parser(name, **kwargs)
        return parser


def subcommand_modules() -> list[str]:
    """The subcommand modules of this package, by name (no import)."""
    names = {Path(name).stem for folder in __path__ for name in os.listdir(folder) if name.endswith((".py", ".pyc"))}
    return sorted(name for name in names if not name.startswith("_"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="matter-map",
        description=__doc__.split("\n\n")[0].replace("\n", " "),
        epilog="`matter-map COMMAND --help` describes a command; `matter-map completion bash` prints shell completion.",
    )
    parser.add_argument("--version", action="version", version=f"matter-map {__version__}")
    actions = parser.add_subparsers(dest="command_name", required=True, metavar="COMMAND")
    sub = _Subcommands(actions, common_options())
    for name in subcommand_modules():
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    output = Output.from_args(args)
    args.output_channel = output
    try:
        code: int = args.run(args)
    except Exception as exc:
        from matter_map.cli._errors import report_error

        if not report_error(exc, output):
            raise
        return 1
    finally:
        output.clear_progress()
    return code


__all__ = ["build_parser", "main"]
