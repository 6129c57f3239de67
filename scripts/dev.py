"""One entry point for a fresh machine: creates .venv when missing, then runs the demo, tests, benchmark or fuzzer."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".matter-map-installed"


def _requirements_digest() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_env() -> None:
    """Create the virtual environment and install the package with its test extras, once per pyproject."""
    if not PY.exists():
        print(f"creating {VENV}", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = _requirements_digest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    run([str(PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([str(PY), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"])
    STAMP.write_text(digest)


def run(cmd: list[str]) -> None:
    print("+ " + " ".join(cmd), file=sys.stderr, flush=True)
    completed = subprocess.run(cmd, cwd=ROOT, check=False)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def test(extra: list[str]) -> None:
    run([str(BIN / "ruff"), "check", "."])
    run([str(BIN / "ruff"), "format", "--check", "."])
    run([str(BIN / "mypy")])
    run([str(PY), "-m", "pytest", *extra])


def bench(extra: list[str]) -> None:
    """Install the `bench` extra (JSONata, jq) when missing, then print the translation benchmark tables."""
    probe = subprocess.run([str(PY), "-c", "import jsonata, jq"], cwd=ROOT, check=False, capture_output=True)
    if probe.returncode != 0:
        run([str(PY), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test,bench]"])
    run([str(PY), str(ROOT / "bench" / "run.py"), *extra])


def fuzz(extra: list[str]) -> None:
    """Hostile states and commands for every shipped mapping (`--profile quick|thorough`, `--seed N`)."""
    run([str(PY), "-m", "matter_map.testing.fuzz", *extra])


def demo(extra: list[str]) -> None:
    run([str(PY), str(ROOT / "scripts" / "demo.py"), *extra])


def main() -> None:
    commands = {"test": test, "demo": demo, "bench": bench, "fuzz": fuzz}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(f"usage: python3 scripts/dev.py {{{'|'.join(commands)}}} [args...]", file=sys.stderr)
        sys.exit(2)
    ensure_env()
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
