"""The bundled payload model equals what scripts/build_payload_model.py extracts from the installed botocore, and
checking a payload neither imports botocore nor opens its data files."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from matter_map.payload_model import MODEL_FILE, input_shape_name, service_model

ROOT = Path(__file__).resolve().parent.parent


def test_committed_payload_model_is_current() -> None:
    completed = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_payload_model.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_the_bundled_model_holds_every_shape_an_input_reaches() -> None:
    shapes = service_model()["shapes"]
    for operation in service_model()["operations"]:
        pending, seen = [input_shape_name(operation)], set()
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            shape = shapes[name]  # a KeyError here: the extraction dropped a reachable shape
            pending += [ref["shape"] for ref in shape.get("members", {}).values()]
            pending += [shape[key]["shape"] for key in ("member", "key", "value") if key in shape]
    assert "documentation" not in MODEL_FILE.read_text(encoding="utf-8")


def test_checking_payloads_leaves_botocore_alone() -> None:
    program = textwrap.dedent(
        """
        import json, sys
        opened = []
        sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
        from matter_map.payload_check import check_connector_event, check_operation_input
        bad = {"ConnectorId": "c", "Operation": "DEVICE_EVENT", "MatterEndpoint": {"id": "1", "clusters": [{}]}}
        problems = check_connector_event(bad) + check_operation_input("GetManagedThing", {})
        modules = sorted(name for name in sys.modules if "botocore" in name)
        files = [path for path in opened if "botocore" in path]
        print(json.dumps({"problems": [[p.path, p.code] for p in problems], "modules": modules, "files": files}))
        """
    )
    completed = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    report = json.loads(completed.stdout)
    assert report["problems"] == [
        ["MatterEndpoint.clusters[0].id", "missing-required"],
        ["Identifier", "missing-required"],
    ]  # the walk ran
    assert report["modules"] == []
    assert report["files"] == []
