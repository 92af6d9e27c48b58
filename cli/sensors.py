"""`tgw sensors ...`: inspect and edit sensor clients, reset replay windows, clear a namespace; data requests,
readings, events, and the inactivity sweep."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path

from cli import sensor_admin as operator
from cli import sensor_data as data
from cli.budget import command_deadline
from cli.output import emit
from cli.target import Target
from telemetry_gateway import clock
from telemetry_gateway.sensors import sweep
from telemetry_gateway.sensors.data_records import Span
from telemetry_gateway.sensors.data_records import Target as RequestTarget
from telemetry_gateway.sensors.dates import format_date
from telemetry_gateway.sensors.store import SensorStore
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
    _add_data_commands(group)


def _add_data_commands(group: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ask = group.add_parser("request-data", help="ask clients for data (delivered with their next heartbeat)")
    ask.add_argument("namespace")
    whom = ask.add_mutually_exclusive_group(required=True)
    whom.add_argument("--sensor", type=int, metavar="ID")
    whom.add_argument("--client", type=int, metavar="ID")
    whom.add_argument("--area", metavar="LAT,LON,METRES", help="clients within METRES (great circle) of the point")
    whom.add_argument("--all", action="store_true", help="every client of the namespace")
    when = ask.add_mutually_exclusive_group(required=True)
    when.add_argument("--current", action="store_true", help="current data")
    when.add_argument("--start", metavar="DATE", help="with --end: a window, e.g. 2025-07-30T10:00:00.000 (UTC)")
    ask.add_argument("--end", metavar="DATE")
    ask.add_argument("--expires-in", type=int, metavar="SECONDS", help="default: the stack's request expiry")
    ask.add_argument("--json", action="store_true")
    ask.set_defaults(run=request_data)

    listing = group.add_parser("requests", help="the namespace's data requests")
    listing.add_argument("namespace")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=list_requests)

    close = group.add_parser("close-request", help="stop asking for a request's data")
    close.add_argument("namespace")
    close.add_argument("request_id", type=int)
    close.add_argument("--json", action="store_true")
    close.set_defaults(run=close_request)

    readings = group.add_parser("readings", help="uploaded readings (size and SHA-256; never the payload)")
    readings.add_argument("namespace")
    readings.add_argument("--client", type=int, metavar="ID")
    readings.add_argument("--json", action="store_true")
    readings.set_defaults(run=list_readings)

    get = group.add_parser("reading-get", help="save a reading's payload, exactly as uploaded")
    get.add_argument("namespace")
    get.add_argument("reading_id", type=int)
    get.add_argument("--output", type=Path, required=True, metavar="FILE")
    get.add_argument("--json", action="store_true")
    get.set_defaults(run=reading_get)

    events = group.add_parser("events", help="detected events, oldest first")
    events.add_argument("namespace")
    events.add_argument("--json", action="store_true")
    events.set_defaults(run=list_events)

    picks = group.add_parser("picks", help="the namespace's picks in a time span, oldest first")
    picks.add_argument("namespace")
    picks.add_argument("--since", required=True, metavar="DATE")
    picks.add_argument("--until", metavar="DATE", help="default: now")
    picks.add_argument("--json", action="store_true")
    picks.set_defaults(run=list_picks)

    sweep = group.add_parser("sweep", help="run the inactivity sweep now")
    sweep.add_argument("--json", action="store_true")
    sweep.set_defaults(run=run_sweep)


def _client_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("namespace")
    parser.add_argument("client_id", type=int)
    parser.add_argument("--json", action="store_true")


def _store(target: Target) -> Table:
    return target.table("SensorTableName")


def clear_namespace(args: argparse.Namespace, target: Target) -> None:
    deadline = command_deadline()
    deleted = operator.clear_namespace(_store(target), args.namespace, args.confirm, deadline)
    objects = operator.clear_objects(target.bucket("PayloadBucketName"), args.namespace, deadline)
    emit(
        {"namespace": args.namespace, "deleted": deleted, "objectsDeleted": objects},
        args.json,
        f"namespace {args.namespace}: {deleted} records and {objects} objects deleted",
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


def request_data(args: argparse.Namespace, target: Target) -> None:
    if (args.start is None) != (args.end is None):
        raise ValueError("--start and --end go together")
    span = None if args.current else Span(data.parse_when("--start", args.start), data.parse_when("--end", args.end))
    whom = RequestTarget(
        sensor_id=args.sensor, client_id=args.client, area=data.parse_area(args.area) if args.area else None
    )
    expires_in = args.expires_in if args.expires_in is not None else int(target.output("SensorRequestExpirySeconds"))
    now = clock.current().now()
    request = data.request_data(_store(target), args.namespace, whom, span, expires_in, now, command_deadline())
    emit({"request_id": str(request.request_id)}, args.json, f"request {request.request_id}")


def list_requests(args: argparse.Namespace, target: Target) -> None:
    now = format_date(clock.current().now())
    found = data.all_requests(_store(target), args.namespace, command_deadline())
    emit({"requests": [data.describe_request(request, now) for request in found]}, args.json)


def close_request(args: argparse.Namespace, target: Target) -> None:
    data.close_request(_store(target), args.namespace, args.request_id, command_deadline())
    emit({"request_id": str(args.request_id), "state": "closed"}, args.json, f"request {args.request_id}: closed")


def list_readings(args: argparse.Namespace, target: Target) -> None:
    found = data.readings(_store(target), args.namespace, args.client, command_deadline())
    emit({"readings": [data.describe_reading(reading) for reading in found]}, args.json)


def reading_get(args: argparse.Namespace, target: Target) -> None:
    reading = data.save_reading(
        _store(target),
        target.bucket("PayloadBucketName"),
        args.namespace,
        args.reading_id,
        args.output,
        command_deadline(),
    )
    emit(
        {
            "sensor_reading_id": str(reading.reading_id),
            "output": str(args.output),
            "size": reading.size,
            "sha256": reading.sha256,
        },
        args.json,
        f"{args.output}: {reading.size} bytes",
    )


def list_events(args: argparse.Namespace, target: Target) -> None:
    found = data.events(_store(target), args.namespace, command_deadline())
    emit({"events": [data.describe_event(event) for event in found]}, args.json)


def list_picks(args: argparse.Namespace, target: Target) -> None:
    since = data.parse_when("--since", args.since)
    until = format_date(clock.current().now()) if args.until is None else data.parse_when("--until", args.until)
    emit({"picks": data.picks(_store(target), args.namespace, since, until, command_deadline())}, args.json)


def run_sweep(args: argparse.Namespace, target: Target) -> None:
    inactive_after = int(target.output("SensorInactiveAfterSeconds"))
    result = sweep.sweep(SensorStore(_store(target)), clock.current(), inactive_after, command_deadline())
    emit(asdict(result), args.json)
