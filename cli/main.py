"""tgw: the operator tool. `tgw [--local | --stack-name NAME] <group> <command> [options] [--json]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from botocore.exceptions import BotoCoreError, ClientError

from cli import notify, sensors, telemetry
from cli.console import command as console
from cli.target import TargetError, local_target, stack_target
from telemetry_gateway.storage.errors import StorageError

GROUPS = [telemetry, notify, sensors, console]


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="tgw", description=__doc__)
    where = root.add_mutually_exclusive_group(required=True)
    where.add_argument("--local", action="store_true", help="act on the running `make run` of this checkout")
    where.add_argument("--stack-name", help="act on a deployed stack (normal AWS credential chain)")
    root.add_argument("--region", help="region of the stack (default: from the AWS configuration)")
    groups = root.add_subparsers(dest="group", required=True)
    for group in GROUPS:
        group.add_commands(groups)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        target = local_target() if args.local else stack_target(args.stack_name, args.region)
        args.run(args, target)
    except (TargetError, StorageError, ClientError, BotoCoreError, ValueError) as exc:
        print(f"tgw: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
