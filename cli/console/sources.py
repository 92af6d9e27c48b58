"""The console's only door to stored data: the operator tool's own query and admin functions, called as the
other `tgw` commands call them. Every call into `cli/` goes through this module, so that when those
functions change shape (paging, "more exist" answers) only this module follows."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from cli import notify_admin, notify_mailbox, sensor_admin, sensor_data, sensor_fleet
from cli import telemetry_queries as queries
from cli.notify_admin import CIRCUIT, USER
from cli.target import Target, TargetError, local_target
from local import state
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.notify.records import Message
from telemetry_gateway.sensors.data_records import EventRecord
from telemetry_gateway.sensors.dates import format_date
from telemetry_gateway.sensors.records import ClientRecord
from telemetry_gateway.storage.errors import NotFound
from telemetry_gateway.storage.objects import Bucket
from telemetry_gateway.storage.table import Table


@dataclass(frozen=True)
class Stores:
    """The tables and bucket of one target, each with one client made once (clients are thread-safe; making
    them per request would cost tens of milliseconds each)."""

    description: str
    telemetry: Table
    registrations: Table
    payloads: Bucket
    directory: Table
    mailbox: Table
    sensors: Table
    type_shards: int

    @classmethod
    def of(cls, target: Target, description: str) -> Stores:
        return cls(
            description=description,
            telemetry=target.table("TelemetryTableName"),
            registrations=target.table("RegistrationsTableName"),
            payloads=target.bucket("PayloadBucketName"),
            directory=target.table("NotifyDirectoryTableName"),
            mailbox=target.table("NotifyMailboxTableName"),
            sensors=target.table("SensorTableName"),
            type_shards=int(target.output("TelemetryTypeShards")),
        )


class Source(Protocol):
    """Where the console reads, asked again on every request."""

    def stores(self) -> Stores: ...


class StackSource:
    """A deployed stack: its outputs do not move while the console runs."""

    def __init__(self, target: Target, stack_name: str) -> None:
        self._stores = Stores.of(target, f"stack {stack_name}")

    def stores(self) -> Stores:
        return self._stores


class LocalSource:
    """The running `make run` of this checkout, followed across restarts: its state file is read on every
    request (a small file), and the stores are made again only when it changed. When `make run` stops, its
    state file goes, and every request answers that plainly."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: tuple[str, Stores] | None = None

    def stores(self) -> Stores:
        try:
            info = Path(state.DATA_DIR, state.SERVER_FILE).read_text()
        except FileNotFoundError:
            raise TargetError(f"`make run` is not running: {state.DATA_DIR / state.SERVER_FILE} not found") from None
        with self._lock:
            if self._seen is None or self._seen[0] != info:
                self._seen = (info, Stores.of(local_target(), "local make run"))
            return self._seen[1]


# ---------------------------------------------------------------------- telemetry


def telemetry_items(
    stores: Stores, selector: str, value: str, since: str, until: str, limit: int, deadline: Deadline
) -> tuple[list[dict[str, Any]], bool]:
    """Index entries of a type, a registration or a sender (bundleClientId), oldest first, and whether more
    exist (one more is asked for)."""
    window = (since, until, limit + 1, deadline)
    if selector == "type":
        found = queries.items_of_type(stores.telemetry, value, stores.type_shards, *window)
    elif selector == "registration":
        found = queries.items_of_registration(stores.telemetry, int(value), *window)
    else:
        found = queries.items_of_client(stores.telemetry, value, *window)
    return found[:limit], len(found) > limit


def telemetry_registrations(stores: Stores, client_id: str, limit: int, deadline: Deadline) -> list[dict[str, Any]]:
    return queries.registrations_of_client(stores.registrations, client_id, limit, deadline)


def telemetry_item(stores: Stores, key: str, deadline: Deadline) -> dict[str, Any]:
    """The whole item, its data read back from S3 where it overflowed; NotFound when there is none."""
    return queries.item_with_data(stores.telemetry, stores.payloads, key, deadline)


# ---------------------------------------------------------------------- notify


def notify_users(stores: Stores, deadline: Deadline) -> list[dict[str, str]]:
    return notify_admin.listing(stores.directory, USER, deadline)


def notify_circuits(stores: Stores, deadline: Deadline) -> list[dict[str, str]]:
    return notify_admin.listing(stores.directory, CIRCUIT, deadline)


def circuit_messages(
    stores: Stores, circuit: str, now: datetime, limit: int, deadline: Deadline
) -> tuple[list[Message], bool]:
    return notify_mailbox.live_messages(stores.mailbox, circuit, now, limit, deadline)


# ---------------------------------------------------------------------- sensors


def sensor_namespaces(stores: Stores, deadline: Deadline) -> list[str]:
    return sensor_fleet.namespaces(stores.sensors, deadline)


def sensor_clients(stores: Stores, namespace: str, limit: int, deadline: Deadline) -> tuple[list[ClientRecord], bool]:
    return sensor_fleet.clients(stores.sensors, namespace, limit, deadline)


def cell_active_counts(stores: Stores, namespace: str, cells: list[str], deadline: Deadline) -> dict[str, int]:
    return sensor_fleet.active_counts(stores.sensors, namespace, cells, deadline)


def sensor_client(stores: Stores, namespace: str, client_id: int, deadline: Deadline) -> dict[str, Any]:
    """The client as `tgw sensors show-client` prints it; NotFound when there is none."""
    try:
        return sensor_admin.describe_client(stores.sensors, namespace, client_id, deadline)
    except sensor_admin.OperatorError as refused:
        raise NotFound(str(refused)) from None


def sensor_events_since(stores: Stores, namespace: str, since: datetime, deadline: Deadline) -> list[EventRecord]:
    return sensor_fleet.events_since(stores.sensors, namespace, format_date(since), deadline)


def describe_event(event: EventRecord) -> dict[str, Any]:
    return sensor_data.describe_event(event)


def sensor_requests(stores: Stores, namespace: str, now: datetime, deadline: Deadline) -> list[dict[str, Any]]:
    """Every data request of the namespace as `tgw sensors requests` prints it (state open/closed/expired)."""
    found = sensor_data.all_requests(stores.sensors, namespace, deadline)
    return [sensor_data.describe_request(request, format_date(now)) for request in found]


def sensor_readings(stores: Stores, namespace: str, client_id: int, deadline: Deadline) -> list[dict[str, Any]]:
    """The client's readings as `tgw sensors readings --client` prints them (size and SHA-256, no payload)."""
    found = sensor_data.readings(stores.sensors, namespace, client_id, deadline)
    return [sensor_data.describe_reading(reading) for reading in found]
