"""`tgw sensors ...`: inspect and edit sensor clients, reset replay windows, clear a namespace."""

from __future__ import annotations

import argparse

from cli import sensor_admin as operator
from cli.budget import command_deadline
from cli.output import emit
from cli.target import Target
from telemetry_gateway.storage.table import Table


def add_commands(groups: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = groups.add_parser("sensors", help="sensor clients and namespaces").add_subparsers(
        dest="command", required=True
    )
    clear = group.add_parser("clear-namespace", help="delete every record of a namespace (`test` freely)")
    clear.add_argument("namespace")
    clear.add_argument("--confirm", action="store_true", help="required for any namespace but `test`")
    clear.add_argument("--json", action="store_true")
    clear.set_defaults(run=clear_namespace)

    reset = group.add_parser("reset-window", help="forget the message ids a client has used")
    _client_arguments(reset)
    reset.set_defaults(run=reset_window)

    show = group.add_parser("show-client", help="a client's stored state (never its secret)")
    _client_arguments(show)
    show.set_defaults(run=show_client)

    edit = group.add_parser("edit-client", help="edit key-values (flags metadata as changed), disable or enable")
    _client_arguments(edit)
    edit.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="upsert a string key-value")
    edit.add_argument("--unset", action="append", default=[], metavar="KEY", help="remove a key-value")
    state = edit.add_mutually_exclusive_group()
    state.add_argument("--disable", dest="disabled", action="store_const", const=True)
    state.add_argument("--enable", dest="disabled", action="store_const", const=False)
    edit.set_defaults(run=edit_client)


def _client_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("namespace")
    parser.add_argument("client_id", type=int)
    parser.add_argument("--json", action="store_true")


def _store(target: Target) -> Table:
    return target.table("SensorTableName")


def clear_namespace(args: argparse.Namespace, target: Target) -> None:
    deleted = operator.clear_namespace(_store(target), args.namespace, args.confirm, command_deadline())
    emit(
        {"namespace": args.namespace, "deleted": deleted},
        args.json,
        f"namespace {args.namespace}: {deleted} records deleted",
    )


def reset_window(args: argparse.Namespace, target: Target) -> None:
    operator.reset_window(_store(target), args.namespace, args.client_id, command_deadline())
    emit(
        {"namespace": args.namespace, "clientId": str(args.client_id), "windowReset": True},
        args.json,
        f"client {args.client_id}: replay window reset",
    )


def show_client(args: argparse.Namespace, target: Target) -> None:
    emit(
        {"client": operator.describe_client(_store(target), args.namespace, args.client_id, command_deadline())},
        args.json,
    )


def edit_client(args: argparse.Namespace, target: Target) -> None:
    pairs = [item.partition("=") for item in args.set]
    if any(not sep for _, sep, _ in pairs):
        raise ValueError("--set takes KEY=VALUE")
    store = _store(target)
    operator.edit_client(
        store,
        args.namespace,
        args.client_id,
        {k: v for k, _, v in pairs},
        args.unset,
        args.disabled,
        command_deadline(),
    )
    emit({"client": operator.describe_client(store, args.namespace, args.client_id, command_deadline())}, args.json)
