"""tgw: the operator tool. `tgw [--local | --stack-name NAME] <group> <command> [options] [--json]`.

`--json` may stand anywhere on the line: the command then prints exactly one JSON object on stdout, and a
failure is `{"error": "..."}` there too. Exit codes: 0 done, 1 refused or not found, 2 wrong command line,
3 target unreachable, 4 an error in tgw itself, 130 interrupted (see cli/errors.py)."""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from collections.abc import Sequence

from cli import notify, sensors, telemetry
from cli.console import command as console
from cli.errors import EXIT_INTERRUPTED, EXIT_REFUSED, UsageError, describe
from cli.options import COMMAND, Parser, region, stack_name, subcommands, wants_json
from cli.output import emit_error
from cli.target import local_target, stack_target

GROUPS = [telemetry, notify, sensors, console]
EXAMPLES = """examples:
  tgw --local notify user create --name atest@telemetry --json
  tgw --local telemetry list --type SLE-SERVER-SCCHwInfo --since 2025-07-30 --limit 20
  tgw --stack-name telemetry-gateway --region eu-central-1 sensors readings csn --all --json
  tgw --local sensors clear-namespace test"""
DEBUG_VARIABLE = "TGW_DEBUG"  # set (to anything but empty) to see a failure's traceback on stderr


def parser() -> Parser:
    root = Parser(prog="tgw", description=__doc__, epilog=EXAMPLES)
    where = root.add_mutually_exclusive_group(required=True)
    where.add_argument("--local", action="store_true", help="act on the running `make run` of this checkout")
    where.add_argument(
        "--stack-name", type=stack_name, metavar="NAME", help="act on a deployed stack (normal AWS credential chain)"
    )
    root.add_argument(
        "--region",
        type=region,
        help="AWS region of the stack (default: AWS_REGION or the AWS configuration); not with --local",
    )
    groups = subcommands(root, "group", "what to act on")
    for group in GROUPS:
        group.add_commands(groups)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    as_json = wants_json(arguments)
    command, local = "tgw", "--local" in arguments
    try:
        args = parser().parse_args(arguments)
        command, local, args.json = getattr(args, COMMAND, command), bool(args.local), as_json
        if args.local and args.region:
            raise UsageError("--region goes with --stack-name; --local acts in the local server's region")
        if hasattr(args, "check"):  # what argparse cannot see (values that contradict each other), before any call
            args.check(args)
        target = local_target() if args.local else stack_target(args.stack_name, args.region)
        args.run(args, target)
        sys.stdout.flush()  # a closed pipe fails here, inside the handlers below
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `tgw ... | head`: the reader has gone; nothing more to say
        _silence_stdout()
        return EXIT_REFUSED
    except Exception as error:
        message, code = describe(error, command, local)
        if os.environ.get(DEBUG_VARIABLE):
            traceback.print_exc(file=sys.stderr)
        emit_error(message, as_json)
        return code
    return 0


def _silence_stdout() -> None:
    """Python would complain of the closed pipe again when it flushes stdout at exit."""
    with contextlib.suppress(OSError, ValueError):  # not a real file (captured): nothing left to flush
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
