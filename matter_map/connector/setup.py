"""Set-up of a connector in AWS IoT Managed Integrations (`matter-map aws setup`): config, calls, dry run."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO

from matter_map.connector._setup import (
    Setup,
    SetupConfig,
    SetupError,
    SetupResult,
    check_request,
    load_config,
    parse_config,
)


def run_setup(
    config_path: str | Path,
    *,
    out: TextIO,
    dry_run: bool = False,
    region: str | None = None,
    endpoint_url: str | None = None,
    client: Any = None,
) -> SetupResult:
    """Load the config, then run (or print) the set-up calls with a boto3 client (created unless given)."""
    config = load_config(config_path)
    if client is None and not dry_run:
        import boto3  # type: ignore[import-untyped]
        from botocore.exceptions import BotoCoreError

        try:
            client = boto3.client("iot-managed-integrations", region_name=region, endpoint_url=endpoint_url)
        except BotoCoreError as exc:
            raise SetupError(f"no AWS client: {type(exc).__name__} (pass --region or set AWS_REGION)") from None
    return Setup(config, client, out=out, dry_run=dry_run).run()


__all__ = [
    "Setup",
    "SetupConfig",
    "SetupError",
    "SetupResult",
    "check_request",
    "load_config",
    "parse_config",
    "run_setup",
]
