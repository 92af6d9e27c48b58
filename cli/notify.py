"""`tgw notify ...`: users and circuits of the Notify relay, and their credentials."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime

from cli import notify_admin
from cli.budget import command_deadline
from cli.notify_admin import CIRCUIT, USER, Holder
from cli.options import add_list_options, fetch_size, first, holder_name, limit_of, subcommands
from cli.output import emit, emit_list
from cli.target import Target
from telemetry_gateway.notify.credentials import KA, KC, KS
from telemetry_gateway.notify.directory_store import REVOKED
from telemetry_gateway.storage.table import Table

Command = Callable[[argparse.Namespace, Target], None]


def add_commands(groups: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    holders = subcommands(
        groups.add_parser("notify", help="Notify users, circuits and endpoints"), "holder", "what to act on"
    )
    user = subcommands(holders.add_parser("user", help="gateway users (KA cookies)"), "command", "what to do")
    _command(user, "create", "new user; prints its KA cookie once", create(USER), USER)
    _command(user, "revoke", "deactivate a user", revoke(USER), USER)
    _command(user, "list", "names and states, never credentials", listing(USER), USER, named=False)
    circuit = subcommands(
        holders.add_parser("circuit", help="mailboxes (KC cookies, Secret Tokens)"), "command", "what to do"
    )
    _command(circuit, "create", "new circuit; prints its KC cookie and Secret Token once", create(CIRCUIT), CIRCUIT)
    _command(circuit, "rotate-secret", "new Secret Token; the old one stops working", rotate(KS), CIRCUIT)
    _command(circuit, "rotate-cookie", "new KC cookie; the old one stops working", rotate(KC), CIRCUIT)
    _command(circuit, "revoke", "deactivate a circuit", revoke(CIRCUIT), CIRCUIT)
    _command(circuit, "list", "names and states, never credentials", listing(CIRCUIT), CIRCUIT, named=False)
    door = holders.add_parser(
        "endpoints",
        help="the URLs Clients and Masters call, and how long each waits",
        description="The Notify front door of the target (RestApi, or FunctionUrl for windows over 25 s; "
        "see README, Deploy) with the URL of each route and the windows it was deployed with.",
    )
    door.set_defaults(run=endpoints)


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help_text: str,
    run: Command,
    holder: Holder,
    named: bool = True,
) -> None:
    parser = commands.add_parser(name, help=help_text)
    if named:
        parser.add_argument("--name", required=True, type=holder_name, help=f"the {holder.kind}'s name")
    else:
        add_list_options(parser, f"{holder.kind}s")
    parser.set_defaults(run=run)


def _directory(target: Target) -> Table:
    return target.table("NotifyDirectoryTableName")


# The operator sees each credential under the name the spec's --json output uses.
_LABELS = {KA: ("ka", "KA cookie"), KC: ("kc", "KC cookie"), KS: ("secret", "Secret Token")}


def _show_credentials(name: str, issued: dict[str, str], as_json: bool) -> None:
    payload = {"name": name} | {_LABELS[kind][0]: value for kind, value in issued.items()}
    lines = [f"{_LABELS[kind][1]}: {value}" for kind, value in issued.items()]
    emit(payload, as_json, "\n".join([*lines, "(shown once; it cannot be shown again)"]))


def create(holder: Holder) -> Command:
    def run(args: argparse.Namespace, target: Target) -> None:
        issued = notify_admin.create(_directory(target), holder, args.name, datetime.now(UTC), command_deadline())
        _show_credentials(args.name, issued, args.json)

    return run


def rotate(credential: str) -> Command:
    def run(args: argparse.Namespace, target: Target) -> None:
        value = notify_admin.rotate(_directory(target), CIRCUIT, args.name, credential, command_deadline())
        _show_credentials(args.name, {credential: value}, args.json)

    return run


def revoke(holder: Holder) -> Command:
    def run(args: argparse.Namespace, target: Target) -> None:
        notify_admin.revoke(_directory(target), holder, args.name, command_deadline())
        emit({"name": args.name, "state": REVOKED}, args.json, f"{holder.kind} {args.name}: {REVOKED}")

    return run


def listing(holder: Holder) -> Command:
    def run(args: argparse.Namespace, target: Target) -> None:
        limit = limit_of(args)
        found = notify_admin.listing(_directory(target), holder, command_deadline(), limit=fetch_size(limit))
        entries, more = first(found, limit)
        lines = [f"{e['name']}  {e['state']}  {e['createdAt']}" for e in entries]
        emit_list(f"{holder.kind}s", entries, more, limit, args.json, lines)

    return run


def endpoints(args: argparse.Namespace, target: Target) -> None:
    """Where a Client dispatches and a Master listens and posts, on the door the stack was deployed with."""
    door = target.output("NotifyFrontDoor")
    if door == "FunctionUrl":  # each function URL serves its route at any path; these mirror the REST paths
        routes = {
            "dispatch": target.output("NotifyDispatchUrl") + "Dispatch/{KA}/{KC}",
            "listen": target.output("NotifyMailboxListenUrl") + "MailboxListen/",
            "post": target.output("NotifyMailboxPostUrl") + "MailboxPost/",
        }
    else:
        base = target.output("JsonApiUrl")
        routes = {
            "dispatch": f"{base}/Dispatch/{{KA}}/{{KC}}",
            "listen": f"{base}/MailboxListen/",
            "post": f"{base}/MailboxPost/",
        }
    waits = {
        "dispatch_wait_seconds": int(target.output("NotifyDispatchWaitSeconds")),
        "listen_window_seconds": int(target.output("NotifyListenWindowSeconds")),
    }
    dispatch_wait, listen_window = waits.values()
    lines = [
        f"front door:     {door}",
        f"Dispatch:       POST {routes['dispatch']}  (waits {dispatch_wait} s for the reply, then 504)",
        f"MailboxListen:  POST {routes['listen']}  (waits {listen_window} s for a message, then 502)",
        f"MailboxPost:    POST {routes['post']}",
    ]
    emit(
        {"front_door": door, **{f"{name}_url": url for name, url in routes.items()}, **waits},
        args.json,
        "\n".join(lines),
    )
