"""`tgw telemetry ...`: list and show stored telemetry."""

from __future__ import annotations

import argparse

from cli import telemetry_queries as queries
from cli.budget import command_deadline
from cli.output import emit
from cli.target import Target


def add_commands(groups: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = groups.add_parser("telemetry", help="stored telemetry").add_subparsers(dest="command", required=True)
    listing = group.add_parser("list", help="items by type, registration or sender, oldest first")
    selector = listing.add_mutually_exclusive_group(required=True)
    selector.add_argument("--type", dest="telemetry_type")
    selector.add_argument("--registration", type=int)
    selector.add_argument("--client", help="bundleClientId")
    listing.add_argument("--since", default=queries.EARLIEST, help="UTC, e.g. 2025-07-30T00:00:00Z")
    listing.add_argument("--until", default=queries.LATEST)
    listing.add_argument("--limit", type=int, default=100)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=list_items)
    registrations = group.add_parser("registrations", help="a client's registrations (never a token)")
    registrations.add_argument("--client", required=True, help="clientId")
    registrations.add_argument("--json", action="store_true")
    registrations.set_defaults(run=list_registrations)
    show = group.add_parser("show", help="one item with its data")
    show.add_argument("key", help="item key, as printed by `list`")
    show.add_argument("--json", action="store_true")
    show.set_defaults(run=show_item)


def list_items(args: argparse.Namespace, target: Target) -> None:
    table, deadline = target.table("TelemetryTableName"), command_deadline()
    window = (args.since, args.until, args.limit, deadline)
    if args.telemetry_type:
        shards = int(target.output("TelemetryTypeShards"))
        items = queries.items_of_type(table, args.telemetry_type, shards, *window)
    elif args.registration:
        items = queries.items_of_registration(table, args.registration, *window)
    else:
        items = queries.items_of_client(table, args.client, *window)
    for entry in items:
        entry["key"] = str(entry.pop("pk")).removeprefix("item#")
    lines = [f"{i['eventTime']}  {i['telemetryType']}  {i['key']}" for i in items]
    emit({"items": items}, args.json, "\n".join(lines) or "(no items)")


def show_item(args: argparse.Namespace, target: Target) -> None:
    record = queries.item_with_data(
        target.table("TelemetryTableName"), target.bucket("PayloadBucketName"), args.key, command_deadline()
    )
    record["key"] = str(record.pop("pk")).removeprefix("item#")
    emit({"item": record}, args.json)


def list_registrations(args: argparse.Namespace, target: Target) -> None:
    found = queries.registrations_of_client(
        target.table("RegistrationsTableName"), args.client, 100, command_deadline()
    )
    lines = [f"{r['registrationId']}  {r.get('registrationDate', '')}  {r.get('timestamp', '')}" for r in found]
    emit({"registrations": found}, args.json, "\n".join(lines) or "(no registrations)")
