"""`matter-map completion bash|zsh`: print a shell completion script (`eval "$(matter-map completion bash)"`)."""

from __future__ import annotations

import argparse
from typing import Any

SHELLS = ("bash", "zsh")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "completion",
        help="print a shell completion script",
        epilog='bash: eval "$(matter-map completion bash)" in ~/.bashrc; zsh: the same with zsh, in ~/.zshrc',
    )
    p.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from matter_map.cli import build_parser
    from matter_map.cli._completion import bash_script, zsh_script
    from matter_map.cli._output import output_of

    parser = build_parser()
    output_of(args).out.write(bash_script(parser) if args.shell == "bash" else zsh_script(parser))
    return 0
