"""`tgw telemetry ...`: list and show stored telemetry."""

from __future__ import annotations

import argparse

from cli.output import emit
from cli.target import Target
from telemetry_gateway.storage.payloads import PayloadStore
from telemetry_gateway.storage.registrations import RegistrationStore
from telemetry_gateway.storage.telemetry_data import TelemetryStore
from telemetry_gateway.telemetry import queries


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


def _store(target: Target) -> TelemetryStore:
    return TelemetryStore(target.output("TelemetryTableName"), target.client("dynamodb"))


def list_items(args: argparse.Namespace, target: Target) -> None:
    store = _store(target)
    if args.telemetry_type:
        shards = int(target.output("TelemetryTypeShards"))
        items = queries.items_of_type(store, args.telemetry_type, shards, args.since, args.until, args.limit)
    elif args.registration:
        items = queries.items_of_registration(store, args.registration, args.since, args.until, args.limit)
    else:
        items = queries.items_of_client(store, args.client, args.since, args.until, args.limit)
    for entry in items:
        entry["key"] = str(entry.pop("pk")).removeprefix("item#")
    lines = [f"{i['eventTime']}  {i['telemetryType']}  {i['key']}" for i in items]
    emit({"items": items}, args.json, "\n".join(lines) or "(no items)")


def show_item(args: argparse.Namespace, target: Target) -> None:
    payloads = PayloadStore(target.output("PayloadBucketName"), target.client("s3"))
    record = queries.item_with_data(_store(target), payloads, args.key)
    record["key"] = str(record.pop("pk")).removeprefix("item#")
    emit({"item": record}, args.json)


def list_registrations(args: argparse.Namespace, target: Target) -> None:
    store = RegistrationStore(target.output("RegistrationsTableName"), target.client("dynamodb"))
    found = store.of_client(args.client)
    lines = [f"{r['registrationId']}  {r.get('registrationDate', '')}  {r.get('timestamp', '')}" for r in found]
    emit({"registrations": found}, args.json, "\n".join(lines) or "(no registrations)")
