"""What the operator tool (`tgw sensors ...`) does on the sensor data path: data requests, readings and their
payloads, detected events, picks by time.

Ids are decimal strings in the JSON it prints (section 2: uint64 values are kept exact).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

from cli.dates import NotADate, parse_moment
from cli.sensor_admin import OperatorError
from telemetry_gateway.deadline import Deadline
from telemetry_gateway.sensors import data_requests, items
from telemetry_gateway.sensors.data_records import Area, EventRecord, ReadingRecord, RequestRecord, Span, Target
from telemetry_gateway.sensors.dates import format_date, parse_date
from telemetry_gateway.sensors.store import SensorStore
from telemetry_gateway.storage.errors import NotFound
from telemetry_gateway.storage.objects import Bucket
from telemetry_gateway.storage.table import Table

DATE_FORM = "2025-07-30T10:00:00.000 (UTC)"
MAX_PICK_DAYS = 31  # one listing reads 16 index partitions per day


def parse_when(option: str, text: str, *, end_of_day: bool = False) -> str:
    """A date option (ISO 8601, UTC unless it carries an offset; see cli.dates) in the server's form;
    refused with an example of what is accepted. A date alone is its day's start, or with end_of_day its
    end."""
    try:
        return format_date(parse_moment(text, end_of_day=end_of_day))
    except NotADate as refused:
        raise OperatorError(f"{option}: {refused}") from None


def parse_area(text: str) -> Area:
    """LAT,LON,METRES: a point and a distance in metres."""
    parts = text.split(",")
    try:
        latitude, longitude, metres = float(parts[0]), float(parts[1]), int(parts[2])
        if len(parts) != 3:
            raise ValueError
    except (ValueError, IndexError):
        raise OperatorError(f"--area {text!r} is not LAT,LON,METRES") from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180 and 0 < metres < 2**32):
        raise OperatorError(f"--area {text!r} is out of range (latitude ±90, longitude ±180, metres 1..2^32-1)")
    return Area((latitude,), (longitude,), metres)


def request_data(
    table: Table, namespace: str, target: Target, span: Span | None, expires_in: int, now: datetime, deadline: Deadline
) -> RequestRecord:
    if span is not None and span.start > span.end:
        raise OperatorError("--start must not be after --end")
    if expires_in <= 0:
        raise OperatorError("--expires-in must be a positive number of seconds")
    request = data_requests.new_request(namespace, target, span, now, expires_in, origin="operator")
    return SensorStore(table).requests.create(
        namespace, lambda request_id: replace(request, request_id=request_id), deadline
    )


def all_requests(table: Table, namespace: str, deadline: Deadline, *, limit: int | None = None) -> list[RequestRecord]:
    """The namespace's requests by id, at most `limit` (None: all; ask for one more to learn whether more
    exist)."""
    return list(islice(SensorStore(table).requests.all(namespace, deadline), limit))


def describe_request(request: RequestRecord, now: str) -> dict[str, Any]:
    target, area = request.target, request.target.area
    state = "closed" if request.closed else ("open" if request.is_open(now) else "expired")
    return {
        "request_id": str(request.request_id),
        "target": target.kind,
        "sensor_id": None if target.sensor_id is None else str(target.sensor_id),
        "client_id": None if target.client_id is None else str(target.client_id),
        "area": None
        if area is None
        else {"latitude": area.latitudes, "longitude": area.longitudes, "metres": area.distance},
        "current": request.current,
        "start": None if request.span is None else request.span.start,
        "end": None if request.span is None else request.span.end,
        "created": request.created_at,
        "expires": request.expires_at,
        "state": state,
        "origin": request.origin,
        "fulfilled_sensors": sorted(str(sensor) for sensor in request.fulfilled),
    }


def close_request(table: Table, namespace: str, request_id: int, deadline: Deadline) -> None:
    try:
        SensorStore(table).requests.close(namespace, request_id, deadline)
    except NotFound:
        raise OperatorError(f"no request {request_id} in namespace {namespace!r}") from None


def describe_reading(reading: ReadingRecord) -> dict[str, Any]:
    claims = reading.claims
    return {
        "sensor_reading_id": str(reading.reading_id),
        "client_id": str(claims.client_id),
        "sensor_id": str(claims.sensor_id),
        "request_id": None if claims.request_id is None else str(claims.request_id),
        "current": claims.current,
        "start": claims.span.start,
        "end": claims.span.end,
        "data_format": claims.data_format,
        "size": reading.size,
        "sha256": reading.sha256,
        "received": reading.received,
    }


def readings(
    table: Table, namespace: str, client_id: int | None, deadline: Deadline, *, limit: int | None = None
) -> list[ReadingRecord]:
    """The namespace's readings (of one client, or all), oldest first, at most `limit` (None: all)."""
    found = SensorStore(table).readings.all(namespace, deadline)
    return [reading for reading in found if client_id is None or reading.claims.client_id == client_id][:limit]


def save_reading(
    table: Table, bucket: Bucket, namespace: str, reading_id: int, output: Path, deadline: Deadline
) -> ReadingRecord:
    """Write the reading's payload, exactly as uploaded, to `output`."""
    reading = SensorStore(table).readings.get(namespace, reading_id, deadline)
    if reading is None:
        raise OperatorError(f"no reading {reading_id} in namespace {namespace!r}")
    try:
        payload = bucket.get(reading.object_key, deadline)
    except NotFound:
        raise OperatorError(f"reading {reading_id}: its payload {reading.object_key} is missing") from None
    output.write_bytes(payload)
    return reading


def describe_event(event: EventRecord) -> dict[str, Any]:
    return {
        "event_id": str(event.event_id),
        "time": event.time,
        "cell": event.cell,
        "sensor_type": event.sensor_type,
        "clients": event.clients,
        "active": event.active,
        "readings": list(event.readings),
        "request_id": str(event.request_id),
        "declared": event.declared_at,
    }


def events(table: Table, namespace: str, deadline: Deadline, *, limit: int | None = None) -> list[EventRecord]:
    """The namespace's events, oldest first, at most `limit` (None: all)."""
    return list(islice(SensorStore(table).events.events(namespace, deadline, page_size=limit), limit))


def picks(
    table: Table, namespace: str, since: str, until: str, deadline: Deadline, *, limit: int | None = None
) -> list[dict[str, Any]]:
    """Picks of the namespace with since <= pick time <= until, oldest first, at most `limit` (None: all),
    from the PicksByTime index (every shard of every UTC day in the span)."""
    first, last = parse_date(since), parse_date(until)
    if first is None or last is None or first > last:
        raise OperatorError("--since must not be after --until")
    days = (last.date() - first.date()).days + 1
    if days > MAX_PICK_DAYS:
        raise OperatorError(f"--since to --until spans {days} days: at most {MAX_PICK_DAYS} at a time")
    found: list[dict[str, Any]] = []
    for day in (first.date() + timedelta(days=n) for n in range(days)):
        for shard in range(items.PICK_SHARDS):
            found += table.query(
                deadline,
                key="pickDay = :day AND pickTime BETWEEN :since AND :until",
                values={":day": items.pick_day(namespace, day.isoformat(), shard), ":since": since, ":until": until},
                index=items.PICKS_INDEX,
            )
    ordered = sorted(found, key=lambda values: (values["pickTime"], values["clientId"]))
    return [_pick(values) for values in ordered[:limit]]


def _pick(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "pick_time": values["pickTime"],
        "client_id": values["clientId"],
        "sensor_id": values["sensorId"],
        "sensor_type": int(values["sensorType"]),
        "received": values["receivedAt"],
        "counted": values["counted"],
        "cell": values.get("cell"),
        "readings": [float(value) for value in values["readings"]],
    }
