"""`tgw [--local | --stack-name NAME] console [--port 8321] [--json]`: serve the read-only web console."""

from __future__ import annotations

import argparse
import json
import sys

from cli.errors import CommandError
from cli.options import port
from cli.target import Target

DEFAULT_PORT = 8321


class ConsoleError(CommandError):
    """A refusal `tgw` prints as is (a port in use)."""


def add_commands(groups: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    console = groups.add_parser(
        "console",
        help="read-only web console on 127.0.0.1: sensor fleet map, telemetry, notify",
        description="Serve a read-only web console on 127.0.0.1 until Ctrl-C. It reads what the other commands "
        "read and refreshes itself; its libraries and map data come from the checkout's node_modules.",
    )
    console.add_argument(
        "--port", type=port, default=DEFAULT_PORT, help="port on 127.0.0.1 (default: %(default)s); 0 picks a free one"
    )
    console.set_defaults(run=serve)


def serve(args: argparse.Namespace, target: Target) -> None:
    """Listen, say where (the first line on stdout), and serve until interrupted."""
    # imported here: the other commands (and `tgw --help`) need none of the console's code
    from cli.console.server import ConsoleServer  # noqa: PLC0415
    from cli.console.sources import LocalSource, Source, StackSource  # noqa: PLC0415

    source: Source = LocalSource() if args.local else StackSource(target, args.stack_name)
    try:
        server = ConsoleServer(source, args.port)
    except OSError as exc:
        raise ConsoleError(f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror}") from None
    where = source.stores().description
    if args.json:
        print(json.dumps({"url": server.url, "target": where}), flush=True)
    else:
        print(f"tgw console: {server.url} ({where}, read-only); Ctrl-C to stop", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print(file=sys.stderr)
    finally:
        server.server_close()
