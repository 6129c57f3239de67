"""Shell completion scripts written from the argument parser itself (bash; zsh through bashcompinit)."""

from __future__ import annotations

import argparse
import shlex


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> tuple[list[str], dict[str, list[str]]]:
    """Every option string, and the choices of the options that take a fixed set of values."""
    options: list[str] = []
    choices: dict[str, list[str]] = {}
    for action in parser._actions:
        options.extend(action.option_strings)
        if action.option_strings and action.choices:
            for option in action.option_strings:
                choices[option] = [str(c) for c in action.choices]
    return options, choices


def _words(words: list[str]) -> str:
    return shlex.quote(" ".join(words))


def bash_script(parser: argparse.ArgumentParser) -> str:
    """A bash completion function for the command: subcommands, their options, option choices, then files."""
    prog = parser.prog
    function = "_" + prog.replace("-", "_")
    commands = _subparsers(parser)
    top_options, _ = _options(parser)
    cases = []
    choice_cases: dict[str, set[str]] = {}
    for name, sub in commands.items():
        options, choices = _options(sub)
        nested = _subparsers(sub)
        words = [*options, *nested]
        cases.append(f"        {shlex.quote(name)}) words={_words(words)} ;;")
        for option, values in choices.items():
            choice_cases.setdefault(option, set()).update(values)
    choice_lines = [
        f'        {shlex.quote(option)}) COMPREPLY=($(compgen -W {_words(sorted(values))} -- "$cur")); return ;;'
        for option, values in sorted(choice_cases.items())
    ]
    return "\n".join(
        [
            f'# bash completion for {prog}: eval "$({prog} completion bash)"',
            f"{function}() {{",
            '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" command="" words="" i',
            "    for ((i = 1; i < COMP_CWORD; i++)); do",
            '        case "${COMP_WORDS[i]}" in -*) ;; *) command="${COMP_WORDS[i]}"; break ;; esac',
            "    done",
            '    case "$prev" in',
            *choice_lines,
            "    esac",
            '    case "$command" in',
            f"        '') COMPREPLY=($(compgen -W {_words([*commands, *top_options])} -- \"$cur\")); return ;;",
            *cases,
            "    esac",
            '    if [[ "$cur" == -* ]]; then',
            '        COMPREPLY=($(compgen -W "$words" -- "$cur"))',
            "    else",
            '        COMPREPLY=($(compgen -W "$words" -- "$cur") $(compgen -f -- "$cur"))',
            "    fi",
            "}",
            f"complete -o filenames -F {function} {prog}",
            "",
        ]
    )


def zsh_script(parser: argparse.ArgumentParser) -> str:
    """The bash function under zsh's bashcompinit."""
    return (
        f'# zsh completion for {parser.prog}: eval "$({parser.prog} completion zsh)"\n'
        "autoload -U +X bashcompinit && bashcompinit\n" + bash_script(parser)
    )
