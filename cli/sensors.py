"""`tgw sensors ...`: inspect and edit sensor clients, reset replay windows, clear a namespace; data requests,
readings, events, and the inactivity sweep."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path

from cli import sensor_admin as operator
from cli import sensor_data as data
from cli.budget import command_deadline
from cli.dates import ZONE_RULE as DATES
from cli.errors import CommandError, UsageError
from cli.options import (
    add_list_options,
    area,
    end_moment,
    fetch_size,
    first,
    identifier,
    limit_of,
    namespace,
    seconds,
    span_order,
    start_moment,
    subcommands,
    text,
)
from cli.output import emit, emit_list
from cli.target import Target
from telemetry_gateway import clock
from telemetry_gateway.sensors import sweep
from telemetry_gateway.sensors.data_records import Span
from telemetry_gateway.sensors.data_records import Target as RequestTarget
from telemetry_gateway.sensors.dates import format_date
from telemetry_gateway.sensors.store import SensorStore
from telemetry_gateway.storage.table import Table


def add_commands(groups: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = subcommands(groups.add_parser("sensors", help="sensor clients and namespaces"), "command", "what to do")
    clear = group.add_parser("clear-namespace", help="delete every record of a namespace (`test` freely)")
    _namespace_argument(clear)
    clear.add_argument("--confirm", action="store_true", help="required for any namespace but `test`")
    clear.set_defaults(run=clear_namespace)

    reset = group.add_parser("reset-window", help="forget the message ids a client has used")
    _client_arguments(reset)
    reset.set_defaults(run=reset_window)

    show = group.add_parser("show-client", help="a client's stored state (never its secret)")
    _client_arguments(show)
    show.set_defaults(run=show_client)

    edit = group.add_parser("edit-client", help="edit key-values (flags metadata as changed), disable or enable")
    _client_arguments(edit)
    edit.add_argument(
        "--set", action="append", default=[], type=_pair, metavar="KEY=VALUE", help="upsert a string key-value"
    )
    edit.add_argument("--unset", action="append", default=[], type=text, metavar="KEY", help="remove a key-value")
    state = edit.add_mutually_exclusive_group()
    state.add_argument(
        "--disable", dest="disabled", action="store_const", const=True, help="refuse the client from now on"
    )
    state.add_argument("--enable", dest="disabled", action="store_const", const=False, help="accept it again")
    edit.set_defaults(run=edit_client)
    _add_data_commands(group)


def _add_data_commands(group: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ask = group.add_parser("request-data", help="ask clients for data (delivered with their next heartbeat)")
    _namespace_argument(ask)
    whom = ask.add_mutually_exclusive_group(required=True)
    whom.add_argument("--sensor", type=identifier, metavar="ID", help="one sensor")
    whom.add_argument("--client", type=identifier, metavar="ID", help="every live sensor of one client")
    whom.add_argument(
        "--area", type=area, metavar="LAT,LON,METRES", help="clients within METRES (great circle) of the point"
    )
    whom.add_argument("--all", action="store_true", help="every client of the namespace")
    when = ask.add_mutually_exclusive_group(required=True)
    when.add_argument("--current", action="store_true", help="current data")
    when.add_argument(
        "--start", type=start_moment, metavar="DATE", help=f"with --end: a window, e.g. 2025-07-30T10:00:00 ({DATES})"
    )
    ask.add_argument(
        "--end", type=end_moment, metavar="DATE", help=f"the window's end ({DATES}; a date alone includes the day)"
    )
    ask.add_argument(
        "--expires-in", type=seconds, metavar="SECONDS", help="how long clients are asked (default: the stack's)"
    )
    ask.set_defaults(run=request_data, check=check_request)

    listing = group.add_parser("requests", help="the namespace's data requests, by id")
    _namespace_argument(listing)
    add_list_options(listing, "requests")
    listing.set_defaults(run=list_requests)

    close = group.add_parser("close-request", help="stop asking for a request's data")
    _namespace_argument(close)
    close.add_argument("request_id", type=identifier, metavar="REQUEST_ID", help="as printed by `requests`")
    close.set_defaults(run=close_request)

    readings = group.add_parser("readings", help="uploaded readings (size and SHA-256; never the payload)")
    _namespace_argument(readings)
    readings.add_argument("--client", type=identifier, metavar="ID", help="only this client's readings")
    add_list_options(readings, "readings")
    readings.set_defaults(run=list_readings)

    get = group.add_parser("reading-get", help="save a reading's payload, exactly as uploaded")
    _namespace_argument(get)
    get.add_argument("reading_id", type=identifier, metavar="READING_ID", help="as printed by `readings`")
    get.add_argument("--output", type=Path, required=True, metavar="FILE", help="where to write the payload")
    get.set_defaults(run=reading_get)

    events = group.add_parser("events", help="detected events, oldest first")
    _namespace_argument(events)
    add_list_options(events, "events")
    events.set_defaults(run=list_events)

    picks = group.add_parser("picks", help="the namespace's picks in a time span, oldest first")
    _namespace_argument(picks)
    picks.add_argument("--since", type=start_moment, required=True, metavar="DATE", help=f"from this time ({DATES})")
    picks.add_argument("--until", type=end_moment, metavar="DATE", help=f"up to this time ({DATES}; default: now)")
    add_list_options(picks, "picks")
    picks.set_defaults(run=list_picks, check=check_picks)

    sweep = group.add_parser("sweep", help="run the inactivity sweep now")
    sweep.set_defaults(run=run_sweep)


def _namespace_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("namespace", type=namespace, metavar="NAMESPACE", help="e.g. test, or csn in production")


def _client_arguments(parser: argparse.ArgumentParser) -> None:
    _namespace_argument(parser)
    parser.add_argument("client_id", type=identifier, metavar="CLIENT_ID", help="the client's id")


def _pair(value: str) -> tuple[str, str]:
    key, sep, content = value.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"{value!r} is not KEY=VALUE")
    return key, content


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
    store = _store(target)
    operator.edit_client(
        store, args.namespace, args.client_id, dict(args.set), args.unset, args.disabled, command_deadline()
    )
    emit({"client": operator.describe_client(store, args.namespace, args.client_id, command_deadline())}, args.json)


def check_request(args: argparse.Namespace) -> None:
    if (args.start is None) != (args.end is None):
        raise UsageError("--start and --end go together")
    span_order(args.start, args.end, ("--start", "--end"))


def request_data(args: argparse.Namespace, target: Target) -> None:
    span = None if args.current else Span(format_date(args.start), format_date(args.end))
    whom = RequestTarget(sensor_id=args.sensor, client_id=args.client, area=args.area)
    expires_in = args.expires_in if args.expires_in is not None else int(target.output("SensorRequestExpirySeconds"))
    now = clock.current().now()
    request = data.request_data(_store(target), args.namespace, whom, span, expires_in, now, command_deadline())
    emit({"request_id": str(request.request_id)}, args.json, f"request {request.request_id}")


def list_requests(args: argparse.Namespace, target: Target) -> None:
    now, limit = format_date(clock.current().now()), limit_of(args)
    found = data.all_requests(_store(target), args.namespace, command_deadline(), limit=fetch_size(limit))
    requests, more = first(found, limit)
    emit_list("requests", [data.describe_request(request, now) for request in requests], more, limit, args.json)


def close_request(args: argparse.Namespace, target: Target) -> None:
    data.close_request(_store(target), args.namespace, args.request_id, command_deadline())
    emit({"request_id": str(args.request_id), "state": "closed"}, args.json, f"request {args.request_id}: closed")


def list_readings(args: argparse.Namespace, target: Target) -> None:
    limit = limit_of(args)
    found = data.readings(_store(target), args.namespace, args.client, command_deadline(), limit=fetch_size(limit))
    readings, more = first(found, limit)
    emit_list("readings", [data.describe_reading(reading) for reading in readings], more, limit, args.json)


def reading_get(args: argparse.Namespace, target: Target) -> None:
    try:
        reading = data.save_reading(
            _store(target),
            target.bucket("PayloadBucketName"),
            args.namespace,
            args.reading_id,
            args.output,
            command_deadline(),
        )
    except OSError as failed:  # the file, not storage (whose errors are not OSError)
        raise CommandError(f"cannot write {args.output}: {failed.strerror or 'failed'}") from None
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
    limit = limit_of(args)
    found = data.events(_store(target), args.namespace, command_deadline(), limit=fetch_size(limit))
    events, more = first(found, limit)
    emit_list("events", [data.describe_event(event) for event in events], more, limit, args.json)


def check_picks(args: argparse.Namespace) -> None:
    until = clock.current().now() if args.until is None else args.until
    span_order(args.since, until, ("--since", "--until"))
    days = (until.date() - args.since.date()).days + 1
    if days > data.MAX_PICK_DAYS:
        raise UsageError(f"--since to --until spans {days} days: at most {data.MAX_PICK_DAYS} at a time")


def list_picks(args: argparse.Namespace, target: Target) -> None:
    until = clock.current().now() if args.until is None else args.until
    limit = limit_of(args)
    found = data.picks(
        _store(target),
        args.namespace,
        format_date(args.since),
        format_date(until),
        command_deadline(),
        limit=fetch_size(limit),
    )
    picks, more = first(found, limit)
    emit_list("picks", picks, more, limit, args.json)


def run_sweep(args: argparse.Namespace, target: Target) -> None:
    inactive_after = int(target.output("SensorInactiveAfterSeconds"))
    result = sweep.sweep(SensorStore(_store(target)), clock.current(), inactive_after, command_deadline())
    emit(asdict(result), args.json)
