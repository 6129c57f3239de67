"""`matter-map aws setup CONFIG [--dry-run]`: create the cloud connector and onboard the discovered devices."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from matter_map.cli._io import InputProblemError


def register(sub: Any) -> None:
    p = sub.add_parser("aws", help="AWS IoT Managed Integrations: set a connector up (needs the connector extra)")
    verbs = p.add_subparsers(dest="aws_verb", required=True, metavar="VERB")
    setup = verbs.add_parser("setup", help="CreateCloudConnector ... RegisterAccountAssociation from a config file")
    setup.add_argument("config", help="the set-up config (YAML or JSON); see matter_map.connector.setup")
    setup.add_argument("--dry-run", action="store_true", help="print each request instead of sending it")
    setup.add_argument("--region", help="the AWS region (default: from the environment)")
    setup.add_argument("--endpoint-url", help="send to this endpoint instead of AWS's (a local stand-in)")
    setup.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from matter_map.connector.setup import SetupError, run_setup

    try:
        run_setup(args.config, dry_run=args.dry_run, region=args.region, endpoint_url=args.endpoint_url, out=sys.stdout)
    except SetupError as exc:
        raise InputProblemError(str(exc)) from None
    return 0
