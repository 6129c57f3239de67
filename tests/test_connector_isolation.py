"""The translator core stays free of boto3, HTTP clients and the connector: only `matter_map.connector` uses them."""

from __future__ import annotations

import json
import subprocess
import sys

CORE_MODULES = ("matter_map", "matter_map.translator", "matter_map.loader", "matter_map.cli")
FORBIDDEN = ("boto3", "httpx", "httpcore", "requests", "urllib3", "aiohttp", "matter_map.connector")

PROBE = """
import importlib, json, sys
for name in {modules!r}:
    importlib.import_module(name)
import matter_map.cli
matter_map.cli.build_parser()  # imports every subcommand module
found = [m for m in sys.modules if m.split(".")[0] in {roots!r} or m.startswith("matter_map.connector")]
print(json.dumps(sorted(found)))
"""


def imported_after(modules: tuple[str, ...]) -> list[str]:
    roots = sorted({name.split(".")[0] for name in FORBIDDEN})
    code = PROBE.format(modules=modules, roots=roots)
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    return list(json.loads(completed.stdout))


def test_the_core_imports_no_client_library() -> None:
    loaded = imported_after(CORE_MODULES)
    assert [m for m in loaded if m.split(".")[0] in FORBIDDEN or m.startswith("matter_map.connector")] == []


def test_the_probe_sees_the_connector_when_it_is_imported() -> None:
    # the same probe, given the connector, reports it and its clients: the check above can fail
    loaded = imported_after((*CORE_MODULES, "matter_map.connector"))
    assert {"matter_map.connector", "httpx"} <= set(loaded)
