"""Sensor API: heartbeat and pick latency through `make run`, AWS calls per request, and the inactivity
sweep's read units over 10,000 clients of which 100 went stale."""

from __future__ import annotations

import base64
import math
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from bench.harness import LATENCY_COLUMNS, RequestFactory, Table, latency_row, load
from support.local_server import LocalServer, Request
from telemetry_gateway.clock import SystemClock
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.sensors import items as sensor_items
from telemetry_gateway.sensors import sweep
from telemetry_gateway.sensors.dates import format_date
from telemetry_gateway.sensors.pb.client_messages_pb2 import (
    ClientCreateMessage,
    ClientCreateResponse,
    ClientKeyValueRequest,
    ClientMetadata,
    ClientMetadataRequest,
    ClientUpdateMessage,
    SensorMetadata,
)
from telemetry_gateway.sensors.pb.common_pb2 import ACCELEROMETER_3_AXIS, ClientSignature
from telemetry_gateway.sensors.pb.event_pb2 import EventMessage
from telemetry_gateway.sensors.pb.heartbeat_pb2 import HeartbeatMessage
from telemetry_gateway.sensors.records import ClientRecord, Location, Sensor
from telemetry_gateway.sensors.signatures import expected_signature
from telemetry_gateway.sensors.store import SensorStore
from telemetry_gateway.storage.dynamo import to_item

REQUESTS = {1: 300, 8: 800}
NAMESPACE = "bench"
HEADERS = {"Content-Type": "application/x-protobuf", "User-Agent": "SAFCSNclient"}
SWEEP_CLIENTS, SWEEP_STALE = 10_000, 100
SIGNED_DATE = "2014-04-13T19:42:17.744"


def _create_body(north: float = 0.0) -> bytes:
    """A client near Pasadena, `north` degrees further north."""
    message = ClientCreateMessage(
        client_data=ClientMetadata(latitude=34.1377 + north, longitude=-118.1253, name="bench"),
        attached_sensors=[SensorMetadata(sensor_type=ACCELEROMETER_3_AXIS, model="Phidgets 1056")],
    )
    return message.SerializeToString()


def _signature(secret: str, message_id: int, date: str = SIGNED_DATE) -> ClientSignature:
    return ClientSignature(date=date, message_id=message_id, signature=expected_signature(date, message_id, secret))


def _heartbeat(created: ClientCreateResponse, message_id: int) -> bytes:
    return HeartbeatMessage(
        client_signature=_signature(created.client_secret, message_id),
        connected_sensors=list(created.sensor_ids),
        event_rates=[HeartbeatMessage.SensorEventRate(sensor_id=created.sensor_ids[0], event_count=3, time_window=600)],
    ).SerializeToString()


def _pick(created: ClientCreateResponse, message_id: int) -> bytes:
    moment = datetime(2025, 7, 30, tzinfo=UTC) + timedelta(milliseconds=message_id)  # a new pick each time
    event = EventMessage.SensorEvent(
        sensor_id=created.sensor_ids[0], readings=[0.012, -0.034, 0.991], date=format_date(moment)
    )
    return EventMessage(client_signature=_signature(created.client_secret, message_id), event=event).SerializeToString()


def _signed_factory(server: LocalServer, route: str, body: Any, clients: int) -> RequestFactory:
    """Request i goes to client i % clients with that client's next message id (one client per connection)."""
    created = []
    for _ in range(clients):
        status, raw, _ = server.call(("POST", f"/api/v1/{NAMESPACE}/client/create", _create_body(), HEADERS))
        assert status == 200, raw
        created.append(ClientCreateResponse.FromString(raw))
    bodies = [
        (f"/api/v1/{NAMESPACE}/{route}/{c.client_id}", body(c, i // clients + 1))
        for i, c in ((i, created[i % clients]) for i in range(max(REQUESTS.values())))
    ]

    def make(i: int) -> Request:
        path, raw = bodies[i]
        return ("POST", path, raw, HEADERS)

    return make


def run(server: LocalServer) -> list[Table]:
    latency = Table("Sensor API through the local gateway", LATENCY_COLUMNS)
    scenarios = {"heartbeat": _heartbeat, "event": _pick}
    for route, body in scenarios.items():
        for connections, total in REQUESTS.items():
            make = _signed_factory(server, route, body, connections)
            latency.rows.append(
                latency_row(f"POST {route}/{{id}}", connections, load(server, make, connections, total))
            )
    return [latency, sweep_read_units(server)]


def aws_calls(send: Any) -> list[list[Any]]:
    """AWS calls per request, in-process (a container's first signed call also fetches the secret key)."""
    rows: list[list[Any]] = []

    def call(label: str, path: str, body: bytes) -> bytes:
        response, summary = send("POST", f"/api/v1/{NAMESPACE}/{path}", body, HEADERS)
        assert response["statusCode"] == 200, response
        rows.append([label, summary])
        return base64.b64decode(response["body"])

    created = ClientCreateResponse.FromString(
        call("POST client/create (cold container)", "client/create", _create_body())
    )
    call("POST client/create", "client/create", _create_body())
    cid, secret = created.client_id, created.client_secret
    call("POST heartbeat/{id}: first, activates", f"heartbeat/{cid}", _heartbeat(created, 1))
    call("POST heartbeat/{id}: steady state", f"heartbeat/{cid}", _heartbeat(created, 2))
    call("POST event/{id}", f"event/{cid}", _pick(created, 3))
    update = ClientUpdateMessage(
        client_signature=_signature(secret, 4), new_sensors=[SensorMetadata(sensor_type=ACCELEROMETER_3_AXIS)]
    )
    call("POST client/update/{id}: one new sensor", f"client/update/{cid}", update.SerializeToString())
    metadata = ClientMetadataRequest(client_signature=_signature(secret, 5), include_sensor_data=True)
    call("POST client/metadata/{id}", f"client/metadata/{cid}", metadata.SerializeToString())
    keyvalue = ClientKeyValueRequest(client_signature=_signature(secret, 6))
    call("POST client/get-keyvalue/{id}", f"client/get-keyvalue/{cid}", keyvalue.SerializeToString())
    return rows


# ---------------------------------------------------------------------------- the sweep's read units


def item_size(item: dict[str, Any]) -> int:
    """DynamoDB's item size: attribute names plus values (numbers: about one byte per two digits, plus one)."""
    return sum(len(name.encode()) + _value_size(value) for name, value in item.items())


def _value_size(value: dict[str, Any]) -> int:
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        digits = Decimal(inner).normalize().as_tuple().digits
        return math.ceil(len(digits) / 2) + 1
    if kind == "B":
        return len(inner)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "L":
        return 3 + sum(1 + _value_size(v) for v in inner)
    return 3 + sum(1 + len(k.encode()) + _value_size(v) for k, v in inner.items())  # M


def _read_units(items: list[dict[str, Any]]) -> float:
    """Eventually consistent read units of one Query or Scan page: 0.5 per started 4 KB, at least 0.5."""
    return max(1, math.ceil(sum(map(item_size, items)) / 4096)) * 0.5


def _preload(store: SensorStore, now: datetime) -> list[dict[str, Any]]:
    """10,000 active clients with a location, 100 of them last seen 40 minutes ago; returns their items."""
    template = ClientRecord(
        namespace=NAMESPACE,
        client_id=0,
        generation=1,
        version=1,
        created_at=format_date(now),
        client_data=ClientMetadata(name="bench station", software_version="2.2b3").SerializeToString(),
        location=None,
        sensors=(),
        last_seen=None,
        active=True,
        request_cursor=0,
        metadata_changed=False,
        disabled=False,
        window=None,
        status_change=None,
        status_changed_at=None,
    )
    records = [
        replace(
            template,
            client_id=n + 1,
            location=Location(34.0 + n % 100 / 100, -118.0 - n // 100 / 100, 2),
            sensors=(Sensor(10_000_000 + n, ACCELEROMETER_3_AXIS, b"\x1a\x0dPhidgets 1056"),),
            last_seen=format_date(now - timedelta(minutes=40 if n < SWEEP_STALE else 5)),
        )
        for n in range(SWEEP_CLIENTS)
    ]
    values = [sensor_items.new_client_item(record) for record in records]
    cells = Counter(record.cell for record in records)
    cell_values = [
        {**sensor_items.cell_key(NAMESPACE, cell), "activeCount": count, "cell": cell}
        for cell, count in cells.items()
        if cell is not None
    ]
    deadline = Deadline.after(SystemClock(), 600)
    store.table.batch_write(deadline, puts=[*values, *cell_values])
    store.register_namespace(NAMESPACE, deadline)
    return [to_item(item) for item in values]


def sweep_read_units(server: LocalServer) -> Table:
    """Run the sweep (in this process, on the server's moto) and add up what its Query pages read."""
    store = SensorStore(server.table("SensorTableName"))
    client = store.table.client
    now = datetime.now(UTC)
    items = _preload(store, now)
    pages: list[list[dict[str, Any]]] = []
    calls: Counter[str] = Counter()

    def observe(parsed: dict[str, Any], model: Any, **_: Any) -> None:
        calls[model.name] += 1
        if model.name == "Query":
            pages.append(parsed.get("Items", []))

    client.meta.events.register("after-call.dynamodb", observe)
    result = sweep.sweep(store, SystemClock(), 1800, Deadline.after(SystemClock(), 120))
    client.meta.events.unregister("after-call.dynamodb", observe)

    index_units = sum(_read_units(page) for page in pages)
    scan_bytes = sum(map(item_size, items))
    table = Table(
        f"Inactivity sweep over {SWEEP_CLIENTS:,} active clients, {SWEEP_STALE} stale "
        "(eventually consistent read units, computed from the sizes of the items each Query page returned)",
        ["what", "value"],
    )
    table.rows += [
        ["clients marked inactive", result.marked_inactive],
        ["AWS calls", ", ".join(f"{name} x{count}" for name, count in sorted(calls.items()))],
        ["ActiveClients index entries read", sum(len(page) for page in pages) - result.namespaces],
        ["read units: namespace list + ActiveClients index", index_units],
        ["read units a Scan of the same client items would take", math.ceil(scan_bytes / 4096) * 0.5],
        ["average client item, bytes", round(scan_bytes / len(items))],
    ]
    return table
