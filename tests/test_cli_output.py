"""What people and scripts read: golden snapshots of the human and JSON output, the format switches, colour,
quiet, progress, help and completion.

Refresh the snapshots with `MATTER_MAP_UPDATE_GOLDEN=1 python -m pytest tests/test_cli_output.py` (or
scripts/regenerate.py) and review the diff.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from matter_map.cli import build_parser, main
from matter_map.cli._output import Output, colour_wanted

from .conftest import ROOT

FIXTURES = Path(__file__).parent / "fixtures"
SNAPSHOTS = Path(__file__).parent / "golden" / "cli"
UPDATE = os.environ.get("MATTER_MAP_UPDATE_GOLDEN") == "1"


def snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {path}: run with MATTER_MAP_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs: review, then MATTER_MAP_UPDATE_GOLDEN=1"


@pytest.fixture
def fixtures_here(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in the fixtures folder so file names in the output are short and the same on every machine."""
    monkeypatch.chdir(FIXTURES)
    return FIXTURES


def test_golden_validate_human(fixtures_here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "acme_plug.yaml", "broken.yaml", "--format", "human"]) == 1
    out, err = capsys.readouterr()
    snapshot("validate.txt", out)
    snapshot("validate-error.txt", err)


def test_golden_validate_json(fixtures_here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "acme_plug.yaml", "broken.yaml", "--format", "json"]) == 1
    out = capsys.readouterr().out
    document = json.loads(out)
    assert [f["ok"] for f in document["files"]] == [True, False]
    assert len(document["files"][1]["errors"]) == 4  # every problem of the file, in one run
    snapshot("validate.json", out)


def test_golden_test_human(fixtures_here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", "acme_plug.yaml", "--format", "human"]) == 0
    out, _ = capsys.readouterr()
    snapshot("test.txt", re.sub(r"\b\d+\.\d\b", "0.0", out))  # seconds vary from run to run


def test_golden_error_human(fixtures_here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["to-matter", "acme_plug.json", "acme_plug.yaml", "--format", "human"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    snapshot("error-swapped.txt", err)


def test_golden_error_json(fixtures_here: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A failed translation prints its problems as JSON on stdout, with the keys `validate` uses for mappings."""
    state = json.loads((fixtures_here / "acme_plug.json").read_text(encoding="utf-8"))
    state["state"]["power"] = "maybe"
    unknown = tmp_path / "unknown_power.json"
    unknown.write_text(json.dumps(state), encoding="utf-8")
    assert main(["to-matter", "acme_plug.yaml", str(unknown), "--format", "json"]) == 1
    out, err = capsys.readouterr()
    document = json.loads(out)
    assert document["ok"] is False
    assert "matter-map: error: bad-vendor-value" in err  # people still read the text on stderr
    snapshot("error-translation.json", out)
    assert main(["validate", "broken.yaml", "--format", "json"]) == 1
    mapping_problem = json.loads(capsys.readouterr().out)["files"][0]["errors"][0]
    assert [list(p) for p in document["problems"]] == [list(mapping_problem)] * len(document["problems"])


def test_json_is_the_default_when_piped_and_human_on_request(
    fixtures_here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def run(*args: str) -> str:
        assert main(list(args)) == 0
        return capsys.readouterr().out

    assert not sys.stdout.isatty()  # captured, as when piped
    assert json.loads(run("validate", "acme_plug.yaml"))["ok"] is True
    assert run("validate", "acme_plug.yaml", "--format", "human").startswith("ok")
    assert run("validate", "acme_plug.yaml", "--format", "human", "--quiet") == ""
    assert json.loads(run("validate", "acme_plug.yaml", "--quiet", "--format", "json"))["ok"] is True


def test_colour_only_on_a_terminal_and_never_with_no_color() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert colour_wanted(Terminal(), {}) is True
    assert colour_wanted(Terminal(), {"NO_COLOR": "1"}) is False
    assert colour_wanted(Terminal(), {"TERM": "dumb"}) is False
    assert colour_wanted(io.StringIO(), {}) is False
    painted = Output(format="human", colour=True).paint("ok", "green")
    assert painted == "\x1b[32mok\x1b[0m"
    assert Output(format="human", colour=False).paint("ok", "green") == "ok"


def test_progress_is_drawn_on_a_terminal_and_cleared_before_a_problem() -> None:
    err = io.StringIO()
    output = Output(format="human", stderr=err, progress_shown=True)
    output.progress(1, 3, "mappings/a.yaml")
    output.problem("a.yaml:1:1: error[x]: y")
    assert err.getvalue() == "\r\x1b[K[1/3] mappings/a.yaml\r\x1b[Ka.yaml:1:1: error[x]: y\n"
    quiet = io.StringIO()
    Output(format="human", stderr=quiet, progress_shown=False).progress(1, 3, "x")
    assert quiet.getvalue() == ""


def _arguments(parser: argparse.ArgumentParser, trail: str = "") -> list[tuple[str, argparse.Action]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _arguments(sub, f"{trail} {name}")
        elif not isinstance(action, argparse._HelpAction | argparse._VersionAction):
            found.append((trail.strip(), action))
    return found


def test_every_argument_of_every_subcommand_has_help() -> None:
    missing = [f"{where}: {a.dest}" for where, a in _arguments(build_parser()) if not a.help]
    assert missing == []


@pytest.mark.parametrize("command", ["validate", "test", "init", "list", "catalog", "to-matter", "generate"])
def test_version_on_subcommands(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main([command, "--version"])
    assert stop.value.code == 0
    assert re.fullmatch(r"matter-map \d+\.\d+\.\d+\n", capsys.readouterr().out)


def test_catalog_without_a_name_lists_clusters_and_device_types(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "--format", "human"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^0x0008\s+LevelControl$", out, re.MULTILINE)
    assert re.search(r"^0x0100\s+OnOffLight$", out, re.MULTILINE)
    assert main(["catalog", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {"id": "0x0006", "name": "OnOff"} in listed["cluster_names"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completion_completes_subcommands_options_and_choices(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "bash"]) == 0
    script = capsys.readouterr().out

    def complete(*words: str) -> list[str]:
        line = " ".join(f"'{w}'" for w in words)
        call = f'COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; _matter_map; printf "%s\\n" "${{COMPREPLY[@]}}"'
        probe = f"{script}\n{call}"
        done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True, cwd=FIXTURES)
        return done.stdout.split()

    assert complete("matter-map", "val") == ["validate"]
    assert "--quiet" in complete("matter-map", "validate", "--q")
    assert complete("matter-map", "test", "--profile", "") == ["default", "thorough"]
    assert "acme_plug.yaml" in complete("matter-map", "validate", "acme_plug.y")


def test_zsh_completion_loads_the_bash_function(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "zsh"]) == 0
    script = capsys.readouterr().out
    assert "bashcompinit" in script
    assert "complete -o filenames -F _matter_map matter-map" in script


def test_toggle_without_state_says_the_state_is_needed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    command = tmp_path / "toggle.json"
    command.write_text(
        json.dumps(
            {
                "Endpoints": [
                    {
                        "endpointId": "1",
                        "capabilities": [
                            {"id": "matter.OnOff@1.4", "name": "OnOff", "version": "1", "actions": [{"name": "Toggle"}]}
                        ],
                    }
                ]
            }
        )
    )
    assert main(["to-vendor", str(FIXTURES / "acme_plug.yaml"), str(command)]) == 1
    first = capsys.readouterr().err.splitlines()[0]
    assert "needs-state" in first
    assert "current state" in first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["to-matter", "acme_plug.json", "acme_plug.yaml"], "the arguments look swapped"),
        (["discover", "acme_plug.json", "."], "the arguments look swapped"),
        (["to-matter", "acme_plug.yaml", "broken.yaml"], "looks like a mapping"),
        (["to-matter", "acme_plug.json", "acme_plug.json"], "expected a mapping file"),
        (["validate", "nowhere.yaml"], "nowhere.yaml: no such file or folder"),
    ],
)
def test_argument_mix_ups_are_named(
    args: list[str], message: str, fixtures_here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 1
    assert message in capsys.readouterr().err


def test_generate_outside_the_repository_needs_no_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    mapping = FIXTURES / "acme_plug.yaml"
    assert main(["generate", str(mapping), "-o", "out", "--format", "json"]) == 0
    assert (elsewhere / "out" / "acme" / "smart_plug.py").is_file()


def test_docs_devices_page_is_current(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["list", "mappings/", "--markdown"]) == 0
    page = capsys.readouterr().out
    committed = (ROOT / "docs" / "DEVICES.md").read_text(encoding="utf-8")
    assert page == committed, "docs/DEVICES.md is stale: run python scripts/regenerate.py"
    assert main(["list", "mappings/", "--format", "json"]) == 0
    devices = json.loads(capsys.readouterr().out)["devices"]
    hue = next(d for d in devices if d["vendor"] == "philips_hue" and d["kind"] == "extended_color_light")
    assert "ColorControl" in hue["clusters"]
    assert f"| {hue['kind']} |" in committed
