"""`tgw telemetry ...`: list and show stored telemetry."""

from __future__ import annotations

import argparse
from datetime import datetime

from cli import telemetry_queries as queries
from cli.budget import command_deadline
from cli.dates import ZONE_RULE as DATES
from cli.options import (
    add_list_options,
    end_moment,
    fetch_size,
    first,
    identifier,
    limit_of,
    span_order,
    start_moment,
    subcommands,
    text,
)
from cli.output import emit, emit_list
from cli.target import Target
from telemetry_gateway.telemetry.records import sortable_time


def add_commands(groups: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = subcommands(groups.add_parser("telemetry", help="stored telemetry"), "command", "what to do")
    listing = group.add_parser("list", help="items by type, registration or sender, oldest first")
    selector = listing.add_mutually_exclusive_group(required=True)
    selector.add_argument("--type", dest="telemetry_type", type=text, metavar="TYPE", help="telemetryType")
    selector.add_argument("--registration", type=identifier, metavar="ID", help="registrationId")
    selector.add_argument("--client", type=text, metavar="ID", help="bundleClientId")
    listing.add_argument(
        "--since", type=start_moment, metavar="DATE", help=f"items from this eventTime on ({DATES}; default: the first)"
    )
    listing.add_argument(
        "--until",
        type=end_moment,
        metavar="DATE",
        help=f"items up to this eventTime ({DATES}; a date alone includes the day; default: the last)",
    )
    add_list_options(listing, "items")
    listing.set_defaults(run=list_items, check=check_window)
    registrations = group.add_parser("registrations", help="a client's registrations (never a token)")
    registrations.add_argument("--client", required=True, type=text, metavar="ID", help="clientId")
    add_list_options(registrations, "registrations")
    registrations.set_defaults(run=list_registrations)
    show = group.add_parser("show", help="one item with its data")
    show.add_argument("key", type=text, help="item key, as printed by `list`")
    show.set_defaults(run=show_item)


def _sortable(moment: datetime | None, default: str) -> str:
    return default if moment is None else sortable_time(moment)


def check_window(args: argparse.Namespace) -> None:
    span_order(args.since, args.until, ("--since", "--until"))


def list_items(args: argparse.Namespace, target: Target) -> None:
    table, deadline, limit = target.table("TelemetryTableName"), command_deadline(), limit_of(args)
    window = (_sortable(args.since, queries.EARLIEST), _sortable(args.until, queries.LATEST), fetch_size(limit))
    if args.telemetry_type is not None:
        shards = int(target.output("TelemetryTypeShards"))
        found = queries.items_of_type(table, args.telemetry_type, shards, *window, deadline)
    elif args.registration is not None:
        found = queries.items_of_registration(table, args.registration, *window, deadline)
    else:
        found = queries.items_of_client(table, args.client, *window, deadline)
    items, more = first(found, limit)
    for entry in items:
        entry["key"] = str(entry.pop("pk")).removeprefix("item#")
    lines = [f"{i['eventTime']}  {i['telemetryType']}  {i['key']}" for i in items]
    emit_list("items", items, more, limit, args.json, lines)


def show_item(args: argparse.Namespace, target: Target) -> None:
    record = queries.item_with_data(
        target.table("TelemetryTableName"), target.bucket("PayloadBucketName"), args.key, command_deadline()
    )
    record["key"] = str(record.pop("pk")).removeprefix("item#")
    emit({"item": record}, args.json)


def list_registrations(args: argparse.Namespace, target: Target) -> None:
    limit = limit_of(args)
    found = queries.registrations_of_client(
        target.table("RegistrationsTableName"), args.client, fetch_size(limit), command_deadline()
    )
    registrations, more = first(found, limit)
    lines = [f"{r['registrationId']}  {r.get('registrationDate', '')}  {r.get('timestamp', '')}" for r in registrations]
    emit_list("registrations", registrations, more, limit, args.json, lines)
