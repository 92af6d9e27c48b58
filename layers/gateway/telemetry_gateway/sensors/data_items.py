"""How the sensor table stores the data path: keys and attributes of requests, events, detection entries,
readings and upload markers, both ways.

Counters and ordered records share a layout: `{ns}#counter#{kind}` holds `committed`, the highest id whose
record exists, and the records live in one partition per namespace (`{ns}#requests`, `{ns}#events`) under
zero-padded ids, so ascending ids are ascending sort keys. Detection entries live in small partitions per
(namespace, cell, minute) and carry `purgeAt`, the table's TTL attribute. Like every item, each carries
`nsShard` (see items.py) so clearing a namespace finds it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from telemetry_gateway.sensors.data_records import (
    Area,
    CountedPick,
    EventRecord,
    ReadingRecord,
    RequestRecord,
    Span,
    Target,
    UploadClaims,
)
from telemetry_gateway.sensors.items import namespace_shard, number

ID_WIDTH = 20  # uint64 in decimal


def sort_id(value: int) -> str:
    return f"{value:0{ID_WIDTH}d}"


def with_shard(namespace: str, key: dict[str, str], values: dict[str, Any]) -> dict[str, Any]:
    """The item: key, values (None left out) and the namespace shard."""
    found = {name: value for name, value in values.items() if value is not None}
    return {**key, "nsShard": namespace_shard(namespace, key["pk"]), **found}


def request_key(namespace: str, request_id: int) -> dict[str, str]:
    return {"pk": f"{namespace}#requests", "sk": sort_id(request_id)}


def current_marker_key(namespace: str, request_id: int) -> dict[str, str]:
    """One per open current-data request: offers of current data look them up without reading history."""
    return {"pk": f"{namespace}#current-requests", "sk": sort_id(request_id)}


def event_key(namespace: str, event_id: int) -> dict[str, str]:
    return {"pk": f"{namespace}#events", "sk": sort_id(event_id)}


def cell_event_key(namespace: str, cell: str) -> dict[str, str]:
    """The cell's last event time, beside its active count."""
    return {"pk": f"{namespace}#cell#{cell}", "sk": "event"}


def detection_pk(namespace: str, cell: str, minute: str) -> str:
    return f"{namespace}#cellpicks#{cell}#{minute}"


def reading_key(namespace: str, reading_id: int) -> dict[str, str]:
    return {"pk": f"{namespace}#readings", "sk": str(reading_id)}


def upload_marker_key(namespace: str, upload_key: tuple[int, str, str, int | None]) -> dict[str, str]:
    sensor_id, start, end, request_id = upload_key
    request = "current" if request_id is None else str(request_id)
    return {"pk": f"{namespace}#uploaded#{sensor_id}#{start}#{end}#{request}", "sk": "upload"}


# ---------------------------------------------------------------------- requests


def request_values(record: RequestRecord) -> dict[str, Any]:
    target, area = record.target, record.target.area
    return {
        "requestId": record.request_id,
        "sensorId": None if target.sensor_id is None else str(target.sensor_id),
        "clientId": None if target.client_id is None else str(target.client_id),
        "latitudes": None if area is None else [number(v) for v in area.latitudes],
        "longitudes": None if area is None else [number(v) for v in area.longitudes],
        "distance": None if area is None else area.distance,
        "start": None if record.span is None else record.span.start,
        "end": None if record.span is None else record.span.end,
        "createdAt": record.created_at,
        "expiresAt": record.expires_at,
        "origin": record.origin,
        "closed": record.closed,
    }


def request_record(values: dict[str, Any], namespace: str) -> RequestRecord:
    area = None
    if "distance" in values:
        area = Area(
            tuple(float(v) for v in values["latitudes"]),
            tuple(float(v) for v in values["longitudes"]),
            int(values["distance"]),
        )
    target = Target(_optional_id(values.get("sensorId")), _optional_id(values.get("clientId")), area)
    return RequestRecord(
        namespace=namespace,
        request_id=int(values["requestId"]),
        target=target,
        span=Span(values["start"], values["end"]) if "start" in values else None,
        created_at=values["createdAt"],
        expires_at=values["expiresAt"],
        origin=values["origin"],
        closed=bool(values.get("closed", False)),
        fulfilled=frozenset(int(v) for v in values.get("fulfilled", ())),
    )


# ---------------------------------------------------------------------- detection and events


def detection_values(pick: CountedPick, purge_at: int) -> dict[str, Any]:
    return {
        "clientId": str(pick.client_id),
        "sensorId": str(pick.sensor_id),
        "pickTime": pick.pick_time,
        "readings": [number(r) for r in pick.readings],
        "purgeAt": purge_at,
    }


def counted_pick(values: dict[str, Any]) -> CountedPick:
    return CountedPick(
        int(values["clientId"]),
        int(values["sensorId"]),
        values["pickTime"],
        tuple(float(r) for r in values["readings"]),
    )


def event_values(event: EventRecord) -> dict[str, Any]:
    return {
        "eventId": event.event_id,
        "eventTime": event.time,
        "cell": event.cell,
        "sensorType": event.sensor_type,
        "clients": event.clients,
        "active": event.active,
        "readings": [number(r) for r in event.readings],
        "declaredAt": event.declared_at,
        "requestId": event.request_id,
    }


def event_record(values: dict[str, Any], namespace: str) -> EventRecord:
    return EventRecord(
        namespace=namespace,
        event_id=int(values["eventId"]),
        time=values["eventTime"],
        cell=values["cell"],
        sensor_type=int(values["sensorType"]),
        clients=int(values["clients"]),
        active=int(values["active"]),
        readings=tuple(float(r) for r in values["readings"]),
        declared_at=values["declaredAt"],
        request_id=int(values["requestId"]),
    )


# ---------------------------------------------------------------------- readings


def reading_values(reading: ReadingRecord) -> dict[str, Any]:
    claims = reading.claims
    return {
        "readingId": str(reading.reading_id),
        "clientId": str(claims.client_id),
        "sensorId": str(claims.sensor_id),
        "requestId": claims.request_id,
        "current": claims.current,
        "start": claims.span.start,
        "end": claims.span.end,
        "dataFormat": claims.data_format,
        "size": reading.size,
        "sha256": reading.sha256,
        "objectKey": reading.object_key,
        "received": reading.received,
    }


def reading_record(values: dict[str, Any], namespace: str) -> ReadingRecord:
    request = values.get("requestId")
    claims = UploadClaims(
        namespace=namespace,
        client_id=int(values["clientId"]),
        sensor_id=int(values["sensorId"]),
        span=Span(values["start"], values["end"]),
        data_format=int(values["dataFormat"]),
        request_id=None if request is None else int(request),
        current=bool(values["current"]),
        expires=0,  # a stored reading's token no longer matters
    )
    return ReadingRecord(
        namespace=namespace,
        reading_id=int(values["readingId"]),
        claims=claims,
        size=int(values["size"]),
        sha256=values["sha256"],
        object_key=values["objectKey"],
        received=values["received"],
    )


def _optional_id(value: str | Decimal | None) -> int | None:
    return None if value is None else int(value)
